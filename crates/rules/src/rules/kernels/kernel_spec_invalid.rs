//! KERN002 `kernel-spec-invalid`: A kernel.json is not a valid Jupyter kernel spec.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "KERN002",
    name: "kernel-spec-invalid",
    section: Section::KernelDiscovery,
    spec: super::SPEC_KERNELS,
    severity: Severity::Error,
    stage: Stage::KernelDiscovery,
    profiles: Profile::JUPYTER,
    requires: &[&[InputKind::Image]],
    needs_files: super::KERNEL_FILES,
    summary: "A kernel.json is not a valid Jupyter kernel spec.",
    explanation: "A kernel spec needs `argv` (a non-empty list of strings with `{connection_file}` in it, so the kernel \
learns its ports), `display_name` and `language`. Jupyter skips or fails to start a spec without them, so the kernel \
never appears or dies at once.",
    fix: "Fix the kernel.json: e.g. `{\"argv\": [\"/usr/bin/python3\", \"-m\", \"ipykernel_launcher\", \"-f\", \"{connection_file}\"], \"display_name\": \"Python 3\", \"language\": \"python\"}`.",
    explains: &[],
    examples: &[
        Example::bad().image(r#"studio-image
kernel /usr/local/share/jupyter/kernels/python3 { argv: [python] }"#),
        Example::good().image(r#"studio-image"#),
    ],
    check,
};

/// What KERN002 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// `problems`: what is wrong with the kernel.json, in words.
    pub fn invalid(spec_path: &str, kernel: &str, problems: &[String]) -> String {
        format!("The kernel spec {spec_path} of kernel {kernel:?} {}.", crate::text::and_list(problems))
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(model) = &ctx.image else { return };
    for kernel in &model.kernels {
        let Some(spec) = &kernel.spec else { continue };
        if spec.problems.is_empty() {
            continue;
        }
        out.report(message::invalid(&kernel.spec_file.path, &kernel.name, &spec.problems)).at(Location::image_file(&kernel.spec_file));
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn kernel_json_that_is_not_json_fails() {
        let image = ImageBuilder::good().text("/usr/local/share/jupyter/kernels/python3/kernel.json", "{ argv: [python] }").build();
        let found = findings(&facts(Some(image), None, None), "KERN002");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["/usr/local/share/jupyter/kernels/python3/kernel.json (file, layer 0, 0:0, mode 0644, 18 B)"]);
        assert!(found[0].message.contains("not valid JSON"), "{}", found[0].message);
    }

    #[test]
    fn kernel_json_without_display_name_fails() {
        let image = ImageBuilder::good()
            .text(
                "/usr/local/share/jupyter/kernels/python3/kernel.json",
                r#"{"argv": ["python3", "-f", "{connection_file}"], "language": "python"}"#,
            )
            .build();
        assert!(findings(&facts(Some(image), None, None), "KERN002")[0].message.contains("display_name is missing"));
    }

    #[test]
    fn valid_kernel_json_passes() {
        assert!(findings(&facts(Some(ImageBuilder::good().build()), None, None), "KERN002").is_empty());
    }
}
