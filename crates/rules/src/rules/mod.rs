//! Every rule, one file each, grouped by the section of the specification it enforces.

pub mod image_size {
    /// Spec: "Limited to 25 GB." — decimal, as `docker image ls` prints sizes.
    pub const SIZE_LIMIT_BYTES: u64 = 25_000_000_000;
}
