//! Spec section "GPU": the image runs with `--gpus`; it carries the CUDA toolkit, never the
//! NVIDIA driver (the container toolkit injects the host's driver).

pub mod cuda_toolkit_present;
pub mod nvidia_driver_in_image;

pub(crate) const SPEC_GPU: &str = "On a GPU instance, the image is run with the --gpus option. Only the CUDA toolkit should be included in the image not the NVIDIA drivers.";

/// Library directories of the CUDA toolkit that legitimately hold driver-named libraries:
/// link stubs and the forward-compatibility package.
pub(crate) fn in_stub_or_compat(path: &str) -> bool {
    path.split('/').any(|s| s == "stubs")
        || path.split('/').collect::<alloc::vec::Vec<_>>().windows(2).any(|w| w[0].starts_with("cuda") && w[1] == "compat")
}
