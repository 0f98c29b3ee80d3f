//! KERN001 `no-kernel`: Studio finds no Jupyter kernel in the image.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;
use alloc::vec::Vec;

use crate::base_image::Kernels;
use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::rules::studio_errors;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "KERN001",
    name: "no-kernel",
    section: Section::KernelDiscovery,
    spec: super::SPEC_KERNELS,
    severity: Severity::Error,
    stage: Stage::KernelDiscovery,
    profiles: Profile::JUPYTER,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: super::KERNEL_FILES,
    summary: "Studio finds no Jupyter kernel in the image.",
    explanation: "Studio Classic only offers kernels it discovers as Jupyter kernel specs (`share/jupyter/kernels/<name>/kernel.json` \
on the Jupyter path, or in a conda environment). Without one, the app starts and the user cannot open a notebook \
(CloudWatch: \"This is not a DLC/Studio image (found Custom), so not adding Python3 kernel.\").",
    fix: "Install a kernel: `pip install ipykernel && python -m ipykernel install --sys-prefix` (or ipykernel into a conda environment, IRkernel for R, …).",
    explains: &[
        studio_errors::NOT_ADDING_PYTHON3_KERNEL,
        studio_errors::NO_CONDA_KERNELS,
    ],
    examples: &[
        Example::bad().dockerfile(r#"FROM python:3.11
"#),
        Example::bad().image(r#"studio-image
remove /usr/local/share/jupyter"#),
        Example::good().dockerfile(r#"FROM python:3.11
RUN pip install ipykernel
"#),
        Example::good().image(r#"studio-image"#),
    ],
    check,
};

/// What KERN001 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn none_in_image() -> String {
        String::from("Studio finds no Jupyter kernel spec in this image, so there is nothing to start a notebook with.")
    }

    pub fn hidden_kernel(name: &str, dir: &str) -> String {
        format!("{name} ({dir})")
    }

    /// `hidden`: every kernel of the image, as [`hidden_kernel`] words it.
    pub fn all_hidden(mount: &str, hidden: &[String]) -> String {
        format!("Every kernel in the image is under {mount}, which hides it at runtime: {}.", crate::text::and_list(hidden))
    }

    /// `assumed`: where the base image's kernels come from ("assumed from the base image …").
    pub fn none_installed(assumed: &str) -> String {
        format!("Nothing in this Dockerfile installs a Jupyter kernel, and the base image ships none ({assumed}).")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    if let Some(model) = &ctx.image {
        if model.kernels.iter().any(|k| !k.hidden_by_mount) {
            return;
        }
        let hidden: Vec<String> = model.kernels.iter().map(|k| message::hidden_kernel(&k.name, &k.dir)).collect();
        let message = if hidden.is_empty() { message::none_in_image() } else { message::all_hidden(&ctx.mount_description(), &hidden) };
        out.report(message).at_all(evidence::files(model.kernels.iter().map(|k| &k.spec_file)));
        return;
    }
    let Some(stage) = ctx.stage() else { return };
    let Some((Kernels::NoneShipped, assumed)) = super::base_kernels(ctx) else { return };
    if !super::dockerfile_kernels(stage).is_empty() {
        return;
    }
    out.report(message::none_installed(&assumed)).at_all(evidence::base_image_from(ctx));
}

#[cfg(test)]
mod tests {
    use crate::facts::PackageInstall;
    use crate::testkit::*;

    #[test]
    fn image_without_any_kernel_spec_fails() {
        let image = ImageBuilder::good().remove("/usr/local/share/jupyter").build();
        let found = findings(&facts(Some(image), None, None), "KERN001");
        assert_eq!(found.len(), 1);
        assert!(found[0].locations.is_empty(), "an empty image has nothing to point at");
        assert!(found[0].message.contains("no Jupyter kernel spec"), "{}", found[0].message);
    }

    #[test]
    fn image_whose_only_kernel_is_under_the_home_mount_fails() {
        let image = ImageBuilder::good()
            .remove("/usr/local/share/jupyter")
            .text("/home/sagemaker-user/.local/share/jupyter/kernels/python3/kernel.json", PYTHON3_KERNEL)
            .build();
        let found = findings(&facts(Some(image), None, None), "KERN001");
        assert_eq!(found.len(), 1);
        assert_eq!(
            located_at(&found[0]),
            ["/home/sagemaker-user/.local/share/jupyter/kernels/python3/kernel.json (file, layer 0, 0:0, mode 0644, 147 B)"]
        );
        assert!(found[0].message.contains("hides it"), "{}", found[0].message);
    }

    #[test]
    fn dockerfile_on_plain_python_without_ipykernel_fails() {
        let df = DockerfileBuilder::from("python:3.11").build();
        let found = findings(&facts(None, Some(df), None), "KERN001");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["Dockerfile:1: FROM python:3.11"]);
        assert!(
            found[0].message.contains("the base image ships none (assumed from the base image python:3.11 (table row `python:*`))"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn dockerfile_that_pip_installs_ipykernel_passes() {
        let df = DockerfileBuilder::from("python:3.11")
            .with("RUN pip install ipykernel", |s, span| {
                s.packages.push(PackageInstall { manager: "pip".into(), package: "ipykernel".into(), span })
            })
            .build();
        assert!(findings(&facts(None, Some(df), None), "KERN001").is_empty());
    }

    #[test]
    fn image_with_a_kernel_passes() {
        assert!(findings(&facts(Some(ImageBuilder::good().build()), None, None), "KERN001").is_empty());
    }
}
