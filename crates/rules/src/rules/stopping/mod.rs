//! Spec section "Stopping the image": DeleteApp stops only the main process.

pub mod background_service_not_stopped;
