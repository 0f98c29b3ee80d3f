//! A panic is a bug, but it must not leave a blank page: both programs turn it into a message
//! the page shows (the worker posts it; the app writes it into the page's error banner).

/// "panicked at src/x.rs:1:2: message".
pub fn describe(info: &std::panic::PanicHookInfo<'_>) -> String {
    let payload = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| String::from("unknown cause"));
    match info.location() {
        Some(at) => format!("panicked at {}:{}:{}: {payload}", at.file(), at.line(), at.column()),
        None => format!("panicked: {payload}"),
    }
}
