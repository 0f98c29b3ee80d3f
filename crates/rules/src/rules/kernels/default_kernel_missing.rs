//! KERN007 `default-kernel-missing`: No kernel list is given, so Studio shows python3 — which this image does not have.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::rules::studio_errors;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "KERN007",
    name: "default-kernel-missing",
    section: Section::KernelDiscovery,
    spec: super::SPEC_LIST,
    severity: Severity::Warning,
    stage: Stage::KernelDiscovery,
    profiles: Profile::CLASSIC,
    requires: &[&[InputKind::Image]],
    needs_files: super::KERNEL_FILES,
    summary: "No kernel list is given, so Studio shows python3 — which this image does not have.",
    explanation: "When the kernels to display are not specified, Studio shows `python3`. An image whose kernels have other \
names then offers a kernel that does not exist; list the image's real kernels in the AppImageConfig's KernelSpecs.",
    fix: "Create the AppImageConfig with KernelSpecs naming the image's kernels (the finding lists them).",
    explains: &[studio_errors::NOT_ADDING_PYTHON3_KERNEL, studio_errors::KERNEL_NOT_FOUND],
    examples: &[
        Example::bad().image(
            r#"studio-image
remove /usr/local/share/jupyter/kernels/python3
kernel /usr/local/share/jupyter/kernels/ir {"argv": ["R", "-f", "{connection_file}"], "display_name": "R", "language": "R"}"#,
        ),
        Example::good().image(r#"studio-image"#),
    ],
    check,
};

/// What KERN007 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// `config_given`: whether an AppImageConfig (without KernelSpecs) was checked.
    pub fn no_python3(config_given: bool, visible: &[String]) -> String {
        let why = if config_given { "The AppImageConfig lists no KernelSpecs" } else { "No AppImageConfig was given" };
        format!("{why}, so Studio shows kernel \"python3\", which this image does not have; its kernels are {}.", visible.join(", "))
    }

    pub fn fix_list(kernel: &str) -> String {
        format!("List the kernel in KernelSpecs, e.g. {{\"Name\": {kernel:?}}}.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(model) = &ctx.image else { return };
    let listed = ctx.app_image_config().is_some_and(|c| !c.kernel_specs().is_empty());
    let visible: Vec<String> = model.kernels.iter().filter(|k| !k.hidden_by_mount).map(|k| k.name.clone()).collect();
    if listed || visible.is_empty() || model.kernel_named("python3").is_some_and(|k| !k.hidden_by_mount) {
        return;
    }
    out.report(message::no_python3(ctx.app_image_config().is_some(), &visible))
        .at_all(
            model
                .kernels
                .iter()
                .filter(|k| !k.hidden_by_mount)
                .take(evidence::MAX_LOCATIONS)
                .map(|k| crate::Location::image_file(&k.spec_file)),
        )
        .fix(message::fix_list(&visible[0]));
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn image_with_only_an_r_kernel_and_no_kernel_list_warns() {
        let image = ImageBuilder::good()
            .remove("/usr/local/share/jupyter/kernels/python3")
            .text(
                "/usr/local/share/jupyter/kernels/ir/kernel.json",
                r#"{"argv": ["R", "-f", "{connection_file}"], "display_name": "R", "language": "R"}"#,
            )
            .build();
        let found = findings(&facts(Some(image), None, None), "KERN007");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["/usr/local/share/jupyter/kernels/ir/kernel.json (file, layer 0, 0:0, mode 0644, 80 B)"]);
        assert!(found[0].fix.contains("\"ir\""));
    }

    #[test]
    fn image_with_python3_passes_without_a_list() {
        assert!(findings(&facts(Some(ImageBuilder::good().build()), None, None), "KERN007").is_empty());
    }
}
