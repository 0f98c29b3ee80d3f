//! Spec section "GPU": the image runs with `--gpus`; it carries the CUDA toolkit, never the
//! NVIDIA driver (the container toolkit injects the host's driver).

pub mod cuda_toolkit_present;
pub mod nvidia_driver_in_image;

pub(crate) const SPEC_GPU: &str = "On a GPU instance, the image is run with the --gpus option. Only the CUDA toolkit should be included in the image not the NVIDIA drivers.";

/// Library directories of the CUDA toolkit that legitimately hold driver-named libraries:
/// link stubs and the forward-compatibility package.
pub(crate) fn in_stub_or_compat(path: &str) -> bool {
    let mut segments = path.split('/');
    let mut before = segments.next().unwrap_or("");
    before == "stubs"
        || segments.any(|segment| {
            let found = segment == "stubs" || (segment == "compat" && before.starts_with("cuda"));
            before = segment;
            found
        })
}

#[cfg(test)]
mod tests {
    use super::in_stub_or_compat;

    #[test]
    fn stubs_and_cuda_compat_directories_anywhere_in_the_path() {
        assert!(in_stub_or_compat("/usr/local/cuda-11.8/lib64/stubs/libcuda.so"));
        assert!(in_stub_or_compat("stubs/libcuda.so"));
        assert!(in_stub_or_compat("/usr/local/cuda-12.2/compat/libcuda.so.535.104.05"));
        assert!(in_stub_or_compat("/cuda/compat/libcuda.so.1"));
        assert!(!in_stub_or_compat("/usr/lib/compat/libcuda.so.1"), "compat of something else");
        assert!(!in_stub_or_compat("/usr/local/cuda-12.2/lib64/libcuda.so.1"));
        assert!(!in_stub_or_compat("/usr/lib/x86_64-linux-gnu/stubsx/libcuda.so.1"));
        assert!(!in_stub_or_compat(""));
    }
}
