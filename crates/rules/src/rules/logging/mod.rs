//! Spec section "Metrics and logging": where the KernelGateway's logs go.

pub mod where_to_find_logs;
