//! Small text helpers shared by messages and renderers.

use alloc::format;
use alloc::string::String;

/// Bytes in decimal units, as `docker image ls` prints them (1 GB = 10^9 bytes).
pub fn bytes(n: u64) -> String {
    const UNITS: [(&str, u64); 4] = [("TB", 1_000_000_000_000), ("GB", 1_000_000_000), ("MB", 1_000_000), ("kB", 1_000)];
    for (unit, size) in UNITS {
        if n >= size {
            let whole = n / size;
            let tenths = (n % size) * 10 / size;
            return if whole >= 100 { format!("{whole} {unit}") } else { format!("{whole}.{tenths} {unit}") };
        }
    }
    format!("{n} B")
}

/// Cuts `text` to at most `max` characters, ending with `…` when cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return String::from(text);
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// "1 file" / "3 files".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Joins items as "a, b and c".
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {}", rest.join(", "), last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_use_decimal_units_like_docker() {
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(25_000_000_000), "25.0 GB");
        assert_eq!(bytes(1_404_516_864), "1.4 GB");
        assert_eq!(bytes(250_000_000_000), "250 GB");
    }
}
