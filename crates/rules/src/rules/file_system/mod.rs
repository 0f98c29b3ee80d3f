//! Spec section "File system": `/opt/.sagemakerinternal` and `/opt/ml` are reserved.

pub mod reserved_path_used;

/// Spec: the reserved directories.
pub(crate) const RESERVED_DIRS: [&str; 2] = ["/opt/.sagemakerinternal", "/opt/ml"];
