//! Error text for JSON that did not parse, shared by the AppImageConfig reader and the kernel.json
//! model so both word a syntax error the same way.

use alloc::string::{String, ToString};

/// serde_json's message without its trailing " at line X column Y" (callers give the position
/// in their own words).
pub fn json_error_text(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.find(" at line ") {
        Some(i) => String::from(&text[..i]),
        None => text,
    }
}
