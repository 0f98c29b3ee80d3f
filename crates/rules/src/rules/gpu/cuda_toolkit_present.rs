//! GPU002 `cuda-toolkit-present`: The image carries the CUDA toolkit (as it should for GPU work); stubs and compat libraries are fine.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::facts::FileKind;
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

use super::in_stub_or_compat;

pub const RULE: Rule = Rule {
    id: "GPU002",
    name: "cuda-toolkit-present",
    section: Section::Gpu,
    spec: super::SPEC_GPU,
    severity: Severity::Info,
    stage: Stage::Never,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Image]],
    needs_files: &[],
    summary: "The image carries the CUDA toolkit (as it should for GPU work); stubs and compat libraries are fine.",
    explanation: "The CUDA toolkit (runtime libraries such as libcudart, cuBLAS, cuDNN) belongs in the image; the driver \
comes from the host. This note lists what was found so you can check the CUDA version against the instance's driver.",
    fix: "Nothing to fix. Make sure the toolkit's CUDA version is supported by the driver of the GPU instance types you use.",
    explains: &[],
    examples: &[
        Example::bad().image(
            r#"studio-image
dir /usr/local/cuda-12.2
file /usr/local/cuda-12.2/lib64/libcudart.so.12.2.140 700000"#,
        ),
        Example::good().image(r#"studio-image"#),
    ],
    check,
};

/// What GPU002 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// `found`: toolkit roots and runtime libraries; `stub_or_compat`: how many of those libraries.
    pub fn toolkit(found: &[String], stub_or_compat: usize) -> String {
        let extra = if stub_or_compat > 0 { format!(" ({stub_or_compat} stub/compat libraries, which are fine)") } else { String::new() };
        format!("CUDA toolkit found: {}{extra}; the toolkit belongs in the image.", found.join(", "))
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(model) = &ctx.image else { return };
    let files = &model.facts.files;
    let roots: Vec<&crate::facts::FileEntry> = files
        .children("/usr/local")
        .filter(|e| e.kind == FileKind::Directory && (e.name() == "cuda" || e.name().starts_with("cuda-")))
        .collect();
    let runtime: Vec<&crate::facts::FileEntry> =
        files.iter().filter(|e| e.kind == FileKind::Regular && e.name().starts_with("libcudart.so.")).collect();
    if roots.is_empty() && runtime.is_empty() {
        return;
    }
    let special = files.iter().filter(|e| e.kind == FileKind::Regular && in_stub_or_compat(&e.path)).count();
    let mut what: Vec<String> = roots.iter().map(|e| e.path.clone()).collect();
    what.extend(runtime.iter().take(3).map(|e| e.path.clone()));
    out.report(message::toolkit(&what, special))
        .at_all(roots.iter().chain(runtime.iter()).take(crate::rules::evidence::MAX_LOCATIONS).map(|e| Location::image_file(e)));
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn cuda_toolkit_is_reported_as_fine() {
        let image =
            ImageBuilder::good().dir("/usr/local/cuda-12.2").file("/usr/local/cuda-12.2/lib64/libcudart.so.12.2.140", 700_000).build();
        let found = findings(&facts(Some(image), None, None), "GPU002");
        assert_eq!(found.len(), 1);
        assert_eq!(
            located_at(&found[0]),
            [
                "/usr/local/cuda-12.2 (directory, layer 0, 0:0, mode 0755)",
                "/usr/local/cuda-12.2/lib64/libcudart.so.12.2.140 (file, layer 0, 0:0, mode 0755, 700 kB)"
            ]
        );
        assert!(found[0].message.contains("/usr/local/cuda-12.2"));
    }

    #[test]
    fn cpu_image_has_nothing_to_report() {
        assert!(findings(&facts(Some(ImageBuilder::good().build()), None, None), "GPU002").is_empty());
    }
}
