//! GPU001 `nvidia-driver-in-image`: The image contains the NVIDIA driver's user-space (libcuda.so.N, libnvidia-*, nvidia-smi or driver packages).
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::facts::{FileEntry, FileKind};
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

use super::in_stub_or_compat;

pub const RULE: Rule = Rule {
    id: "GPU001",
    name: "nvidia-driver-in-image",
    section: Section::Gpu,
    spec: super::SPEC_GPU,
    severity: Severity::Error,
    stage: Stage::ContainerStart,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: &[],
    summary: "The image contains the NVIDIA driver's user-space (libcuda.so.N, libnvidia-*, nvidia-smi or driver packages).",
    explanation: "On GPU instances Studio runs the image with `--gpus`, and the NVIDIA container toolkit mounts the \
host's driver libraries into the container. A driver inside the image shadows or conflicts with them (\"CUDA driver \
version is insufficient\", \"Failed to initialize NVML: Driver/library version mismatch\"). The CUDA toolkit, its \
`stubs/` link libraries and `cuda-*/compat` forward-compatibility libraries are fine.",
    fix: "Install only the toolkit (`cuda-toolkit-X-Y`, `cuda-libraries-X-Y`, cuDNN…), never `cuda-drivers`, `nvidia-driver-*`, the `cuda` or `cuda-X-Y` meta-packages (they pull the driver) or a `.run` driver installer.",
    explains: &[],
    examples: &[
        Example::bad().image(r#"studio-image
file /usr/lib/x86_64-linux-gnu/libcuda.so.535.104.05 30000000
file /usr/bin/nvidia-smi 700000"#),
        Example::bad().dockerfile(r#"FROM ubuntu:22.04
RUN apt-get install -y cuda-11-8
"#),
        Example::good().image(r#"studio-image
file /usr/local/cuda-11.8/lib64/libcudart.so.11.8.89 700000
file /usr/local/cuda-11.8/lib64/stubs/libcuda.so 10000"#),
        Example::good().dockerfile(r#"FROM ubuntu:22.04
RUN apt-get install -y cuda-toolkit-11-8
"#),
    ],
    check,
};

/// A user-space driver file: `libcuda.so.<ver>`, `libnvidia-*.so.<ver>`, `nvidia-smi`.
fn is_driver_file(entry: &FileEntry) -> bool {
    let name = entry.name();
    // The name first: it rules out almost every file of an image at once.
    (name.starts_with("libcuda.so.") || (name.starts_with("libnvidia-") && name.contains(".so.")) || name == "nvidia-smi")
        && entry.kind != FileKind::Directory
        && !in_stub_or_compat(&entry.path)
        && !entry.path.contains("/site-packages/")
}

/// Debian/RPM package names that are (or pull in) the driver.
pub(crate) fn is_driver_package(name: &str) -> bool {
    let name = name.split(['=', ':']).next().unwrap_or(name).to_ascii_lowercase();
    let cuda_versioned =
        name.strip_prefix("cuda-").is_some_and(|v| !v.is_empty() && v.split('-').all(|p| p.chars().all(|c| c.is_ascii_digit())));
    name == "cuda"
        || cuda_versioned
        || name.starts_with("cuda-drivers")
        || name.starts_with("cuda-runtime-")
        || name.starts_with("nvidia-driver")
        || name.starts_with("nvidia-utils-")
        || name.starts_with("nvidia-kernel-")
        || name.starts_with("nvidia-dkms-")
        || name.starts_with("nvidia-headless-")
        || name.starts_with("libnvidia-compute-")
        || name.starts_with("libnvidia-gl-")
        || name.starts_with("libnvidia-decode-")
        || name.starts_with("libnvidia-encode-")
        || name.starts_with("xserver-xorg-video-nvidia")
        || name.starts_with("kmod-nvidia")
}

/// What GPU001 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// `files`: count and size of the driver files.
    pub fn driver_files(files: &str) -> String {
        format!("The image contains NVIDIA driver user-space files: {files}.")
    }

    pub fn driver_packages(names: &[String]) -> String {
        format!("dpkg lists NVIDIA driver packages as installed: {}.", names.join(", "))
    }

    pub fn package_install(manager: &str, package: &str) -> String {
        format!("`{manager} install {package}` installs the NVIDIA driver into the image.")
    }

    pub fn installer(installer: &str) -> String {
        format!("The NVIDIA driver installer {installer} puts the driver into the image.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    if let Some(model) = &ctx.image {
        let files = &model.facts.files;
        let driver_files: Vec<&FileEntry> = files.iter().filter(|e| is_driver_file(e)).collect();
        if !driver_files.is_empty() {
            out.report(message::driver_files(&evidence::count_and_size(&driver_files)))
                .at_all(evidence::files(driver_files.iter().copied()));
        }
        let packages: Vec<&FileEntry> = files
            .children("/var/lib/dpkg/info")
            .filter(|e| e.name().ends_with(".list") && is_driver_package(e.name().trim_end_matches(".list")))
            .collect();
        if !packages.is_empty() {
            let names: Vec<String> = packages.iter().map(|e| String::from(e.name().trim_end_matches(".list"))).collect();
            out.report(message::driver_packages(&names)).at_all(evidence::files(packages.iter().copied()));
        }
    }
    let Some(stage) = ctx.stage() else { return };
    if ctx.image.is_some() {
        return; // the image's files are the truth
    }
    for p in stage.packages.iter().filter(|p| is_driver_package(&p.package)) {
        out.report(message::package_install(&p.manager, &p.package)).at_all(evidence::dockerfile(ctx, p.span));
    }
    for (installer, span) in &stage.driver_installers {
        out.report(message::installer(installer)).at_all(evidence::dockerfile(ctx, *span));
    }
}

#[cfg(test)]
mod tests {
    use super::is_driver_package;
    use crate::facts::PackageInstall;
    use crate::testkit::*;

    #[test]
    fn libcuda_outside_stubs_and_compat_fails() {
        let image = ImageBuilder::good()
            .file("/usr/lib/x86_64-linux-gnu/libcuda.so.535.104.05", 30_000_000)
            .file("/usr/bin/nvidia-smi", 700_000)
            .build();
        let found = findings(&facts(Some(image), None, None), "GPU001");
        assert_eq!(found.len(), 1);
        assert_eq!(
            located_at(&found[0]),
            [
                "/usr/bin/nvidia-smi (file, layer 0, 0:0, mode 0755, 700 kB)",
                "/usr/lib/x86_64-linux-gnu/libcuda.so.535.104.05 (file, layer 0, 0:0, mode 0755, 30.0 MB)"
            ]
        );
        assert!(found[0].message.contains("2 files"));
    }

    #[test]
    fn driver_package_in_dpkg_fails() {
        let image = ImageBuilder::good().file("/var/lib/dpkg/info/libnvidia-compute-535:amd64.list", 100).build();
        let found = findings(&facts(Some(image), None, None), "GPU001");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["/var/lib/dpkg/info/libnvidia-compute-535:amd64.list (file, layer 0, 0:0, mode 0755, 100 B)"]);
        assert!(found[0].message.contains("libnvidia-compute-535:amd64"), "{}", found[0].message);
    }

    #[test]
    fn apt_install_of_cuda_meta_package_fails() {
        let df = DockerfileBuilder::from("ubuntu:22.04")
            .with("RUN apt-get install -y cuda-11-8", |s, span| {
                s.packages.push(PackageInstall { manager: "apt".into(), package: "cuda-11-8".into(), span })
            })
            .build();
        let found = findings(&facts(None, Some(df), None), "GPU001");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["Dockerfile:2: RUN apt-get install -y cuda-11-8"]);
        assert!(found[0].message.contains("`apt install cuda-11-8`"), "{}", found[0].message);
    }

    #[test]
    fn toolkit_stubs_and_compat_libraries_pass() {
        let image = ImageBuilder::good()
            .file("/usr/local/cuda-11.8/lib64/libcudart.so.11.8.89", 700_000)
            .file("/usr/local/cuda-11.8/lib64/stubs/libcuda.so", 10_000)
            .file("/usr/local/cuda-11.8/compat/libcuda.so.520.61.05", 30_000_000)
            .file("/usr/local/cuda-11.8/compat/libnvidia-ptxjitcompiler.so.520.61.05", 30_000_000)
            .build();
        assert!(findings(&facts(Some(image), None, None), "GPU001").is_empty());
        assert!(!is_driver_package("cuda-toolkit-11-8"));
        assert!(!is_driver_package("cuda-cudart-dev-11-0"));
        assert!(is_driver_package("nvidia-driver-535"));
    }
}
