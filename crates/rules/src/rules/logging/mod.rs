//! Spec section "Metrics and logging": where each Studio app's logs go.

pub mod where_to_find_logs;
