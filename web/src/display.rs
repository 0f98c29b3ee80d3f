//! Numbers as the page shows them: sizes, rates, time left, percentages.

pub use smic_rules::text::bytes;

/// Percentage with one decimal, clamped to 0–100.
pub fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        return 100.0;
    }
    ((part as f64) * 100.0 / (whole as f64)).clamp(0.0, 100.0)
}

/// Throughput in MB/s (decimal, like the sizes), from bytes and milliseconds.
pub fn megabytes_per_second(bytes: u64, elapsed_ms: f64) -> Option<f64> {
    (elapsed_ms > 0.0 && bytes > 0).then(|| bytes as f64 / 1_000.0 / elapsed_ms)
}

/// Estimated seconds left at the rate so far; `None` before there is a rate.
pub fn seconds_left(position: u64, total: u64, elapsed_ms: f64) -> Option<f64> {
    if position == 0 || elapsed_ms <= 0.0 {
        return None;
    }
    let rate = position as f64 / elapsed_ms;
    Some(total.saturating_sub(position) as f64 / rate / 1000.0)
}

/// "4 s", "2 min 05 s", "1 h 03 min".
pub fn duration(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min {:02} s", s / 60, s % 60),
        _ => format!("{} h {:02} min", s / 3600, (s % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_follows_the_rate_so_far() {
        assert_eq!(seconds_left(0, 100, 10.0), None);
        assert_eq!(seconds_left(1_000_000_000, 4_000_000_000, 2_000.0), Some(6.0));
        assert_eq!(duration(6.0), "6 s");
        assert_eq!(duration(125.0), "2 min 05 s");
        assert_eq!(duration(3_780.0), "1 h 03 min");
    }

    #[test]
    fn rates_and_percentages_are_safe_at_the_edges() {
        assert_eq!(megabytes_per_second(10, 0.0), None);
        assert_eq!(megabytes_per_second(0, 10.0), None);
        assert_eq!(megabytes_per_second(500_000_000, 1_000.0), Some(500.0));
        assert_eq!(percent(5, 0), 100.0);
        assert_eq!(percent(1, 4), 25.0);
    }
}
