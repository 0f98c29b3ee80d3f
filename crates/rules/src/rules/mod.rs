//! Every rule, one file each, in a folder per section of the specification.

pub mod file_system;
pub mod gpu;
pub mod image_size;
pub mod kernels;
pub mod logging;
pub mod metadata;
pub mod running;
pub mod stopping;
pub mod uid_gid;
pub mod user_data;

pub(crate) mod commands;
pub(crate) mod evidence;
pub mod studio_errors;
