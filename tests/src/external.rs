//! External oracles some tests compare against (installed by tests/setup.sh). Locally a missing
//! oracle skips the comparison with a message; in CI (`CI` set) it fails the test, so CI can
//! never pass without really comparing.

use std::path::PathBuf;

/// The path in `var`, or `None` (after saying so) when it is not set outside CI.
pub fn oracle(var: &str, what: &str) -> Option<PathBuf> {
    match std::env::var_os(var) {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => {
            assert!(std::env::var_os("CI").is_none(), "{var} is not set in CI: tests/setup.sh installs {what}");
            eprintln!("skipped: {var} is not set ({what}; `bash tests/setup.sh` installs it)");
            None
        }
    }
}
