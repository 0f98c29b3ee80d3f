//! KERN004 `kernel-spec-name-not-found`: A KernelSpecs Name of the AppImageConfig is not a kernel Studio finds in the image.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::base_image::Kernels;
use crate::context::Context;
use crate::kernel_discovery::kernel_name_can_exist;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::rules::studio_errors;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "KERN004",
    name: "kernel-spec-name-not-found",
    section: Section::KernelDiscovery,
    spec: super::SPEC_LIST,
    severity: Severity::Error,
    stage: Stage::KernelDiscovery,
    profiles: Profile::CLASSIC,
    requires: &[&[InputKind::AppImageConfig], &[InputKind::Image, InputKind::Dockerfile]],
    needs_files: super::KERNEL_FILES,
    summary: "A KernelSpecs Name of the AppImageConfig is not a kernel Studio finds in the image.",
    explanation: "Studio shows the kernels the AppImageConfig lists, and starts them by name. The name must equal a \
kernel-spec name in the image exactly: the lower-cased directory name of a kernel spec, or for a conda environment \
`conda-env-<env>-py` (nb_conda_kernels' naming). Otherwise the app fails with \"Kernel with name [x] does not exist in \
image\" — the most reported failure of custom images (issue #22, PRs #2 and #26 of the samples repo).",
    fix: "Set KernelSpecs Name to a kernel the image has (the finding lists them), or install that kernel in the image.",
    explains: &[
        studio_errors::KERNEL_NOT_FOUND,
    ],
    examples: &[
        Example::bad().image(r#"studio-image
dir /opt/conda/conda-meta
dir /opt/conda/condabin
dir /opt/conda/envs/myenv/conda-meta
kernel /opt/conda/envs/myenv/share/jupyter/kernels/python3 {"argv": ["python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "Python 3", "language": "python"}"#).app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "myenv"}], "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
        Example::bad().dockerfile(r#"FROM python:3.11
RUN python -m ipykernel install --name mykernel
"#).app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
        Example::good().image(r#"studio-image
dir /opt/conda/conda-meta
dir /opt/conda/condabin
dir /opt/conda/envs/myenv/conda-meta
kernel /opt/conda/envs/myenv/share/jupyter/kernels/python3 {"argv": ["python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "Python 3", "language": "python"}"#).app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "conda-env-myenv-py"}], "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
    ],
    check,
};

/// What KERN004 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// The kernel exists, but only under the home mount.
    pub fn hidden_by_mount(name: &str, kernel_dir: &str, mount: &str) -> String {
        format!("Kernel {name:?} exists only at {kernel_dir}, under {mount}, which hides it at runtime.")
    }

    /// The image has no kernel of that name; `available` are the ones Studio finds.
    pub fn not_in_image(name: &str, available: &[String]) -> String {
        let list = if available.is_empty() { String::from("none") } else { available.join(", ") };
        format!(
            "KernelSpecs Name {name:?} is not a kernel in the image (kernels Studio finds: {list}); the app fails with \"Kernel with name [{name}] does not exist in image\"."
        )
    }

    /// A kernel the Dockerfile installs, how and where.
    pub fn installed_kernel(name: &str, how: &str, line: u32) -> String {
        format!("{name} ({how}, line {line})")
    }

    /// The Dockerfile installs no kernel of that name; `installed` describes the ones it does.
    /// `ships_none`: "assumed from the base image …" when the table says the base ships no kernel.
    pub fn not_installed_by_dockerfile(name: &str, installed: &[String], base: &str, ships_none: Option<&str>) -> String {
        let installs = if installed.is_empty() { String::new() } else { format!(" (it installs {})", installed.join(", ")) };
        let base_note = if let Some(assumed) = ships_none {
            format!("and the base image ships none ({assumed})")
        } else {
            format!("so it must come from the base image {base} (only the image archive can confirm)")
        };
        format!("KernelSpecs Name {name:?} is not installed by this Dockerfile{installs}, {base_note}.")
    }

    pub fn fix_install_outside_mount() -> String {
        String::from("Install the kernel outside the home mount (e.g. `ipykernel install --sys-prefix`), or move MountPath.")
    }

    pub fn fix_set_name(pointer: &str, suggestion: &str) -> String {
        format!("Set {pointer} to {suggestion:?}.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(config) = ctx.app_image_config() else { return };
    for spec in config.kernel_specs() {
        let Some(name) = &spec.name else { continue };
        if !kernel_name_can_exist(&name.value) {
            continue; // KERN005 says why it can never match
        }
        let location = evidence::app_image_config(ctx, &name.pointer, Some(name.value.clone()));
        if let Some(model) = &ctx.image {
            match model.kernel_named(&name.value) {
                Some(k) if !k.hidden_by_mount => {}
                Some(k) => {
                    out.report(message::hidden_by_mount(&name.value, &k.dir, &ctx.mount_description()))
                        .at_all(location)
                        .at(crate::Location::image_file(&k.spec_file))
                        .fix(message::fix_install_outside_mount());
                }
                None => {
                    let available: Vec<String> = model.kernels.iter().filter(|k| !k.hidden_by_mount).map(|k| k.name.clone()).collect();
                    let finding = out.report(message::not_in_image(&name.value, &available));
                    finding.at_all(location);
                    if let Some(s) = suggest(&name.value, &available) {
                        finding.fix(message::fix_set_name(&name.pointer, &s));
                    }
                }
            }
            continue;
        }
        let Some(stage) = ctx.stage() else { continue };
        let kernels = super::dockerfile_kernels(stage);
        if kernels.iter().any(|k| k.name.is_none()) || kernels.iter().any(|k| k.name.as_deref() == Some(name.value.as_str())) {
            continue;
        }
        let installed: Vec<String> = kernels.iter().filter_map(|k| k.name.clone()).collect();
        let described: Vec<String> =
            kernels.iter().filter_map(|k| k.name.as_ref().map(|n| message::installed_kernel(n, &k.how, k.span.start))).collect();
        let ships_none = match super::base_kernels(ctx) {
            // The base image ships it (as far as the table knows).
            Some((Kernels::Include(shipped), _)) if shipped.iter().any(|k| k.name == name.value) => continue,
            Some((Kernels::NoneShipped, assumed)) => Some(assumed),
            _ => None,
        };
        let finding = out.report(message::not_installed_by_dockerfile(&name.value, &described, &stage.from.image, ships_none.as_deref()));
        finding.at_all(location).at_all(evidence::dockerfile(ctx, stage.from.span));
        if ships_none.is_none() {
            finding.severity(Severity::Warning);
        }
        if let Some(s) = suggest(&name.value, &installed) {
            finding.fix(message::fix_set_name(&name.pointer, &s));
        }
    }
}

/// The kernel name the user most likely meant.
fn suggest(wanted: &str, available: &[String]) -> Option<String> {
    let lower = wanted.to_lowercase();
    available
        .iter()
        .find(|a| a.to_lowercase() == lower)
        .or_else(|| available.iter().find(|a| a.starts_with("conda-env-") && a.contains(&format!("-{lower}-"))))
        .or_else(|| available.iter().find(|a| a.contains(lower.as_str()) || lower.contains(a.as_str())))
        .or_else(|| if available.len() == 1 { available.first() } else { None })
        .cloned()
}

#[cfg(test)]
mod tests {
    use crate::facts::{CondaEnvCreation, KernelInstall, PackageInstall};
    use crate::testkit::*;
    use crate::vocabulary::Severity;
    use alloc::format;

    fn conda_image() -> ImageBuilder {
        ImageBuilder::good()
            .dir("/opt/conda/conda-meta")
            .dir("/opt/conda/condabin")
            .dir("/opt/conda/envs/myenv/conda-meta")
            .text("/opt/conda/envs/myenv/share/jupyter/kernels/python3/kernel.json", PYTHON3_KERNEL)
    }

    #[test]
    fn env_name_instead_of_conda_env_kernel_name_fails_with_the_right_suggestion() {
        let found = findings(&facts(Some(conda_image().build()), None, Some(app_image_config_with_kernel("myenv"))), "KERN004");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["app-image-config.json /KernelGatewayImageConfig/KernelSpecs/0/Name = myenv"]);
        assert!(found[0].message.contains("conda-env-myenv-py"), "{}", found[0].message);
        assert!(found[0].fix.contains("\"conda-env-myenv-py\""), "{}", found[0].fix);
    }

    #[test]
    fn conda_env_kernel_name_passes() {
        assert!(findings(&facts(Some(conda_image().build()), None, Some(app_image_config_with_kernel("conda-env-myenv-py"))), "KERN004")
            .is_empty());
    }

    #[test]
    fn kernel_hidden_by_the_home_mount_fails() {
        let image =
            ImageBuilder::good().text("/home/sagemaker-user/.local/share/jupyter/kernels/scala213/kernel.json", PYTHON3_KERNEL).build();
        let found = findings(&facts(Some(image), None, Some(app_image_config_with_kernel("scala213"))), "KERN004");
        assert_eq!(found.len(), 1);
        assert_eq!(
            located_at(&found[0]),
            [
                "app-image-config.json /KernelGatewayImageConfig/KernelSpecs/0/Name = scala213",
                "/home/sagemaker-user/.local/share/jupyter/kernels/scala213/kernel.json (file, layer 0, 0:0, mode 0644, 147 B)"
            ]
        );
        assert!(found[0].message.contains("hides it"));
    }

    #[test]
    fn dockerfile_installing_a_differently_named_kernel_fails() {
        let df = DockerfileBuilder::from("python:3.11")
            .with("RUN python -m ipykernel install --name mykernel", |s, span| {
                s.kernel_installs.push(KernelInstall { name: "mykernel".into(), span, ..Default::default() })
            })
            .build();
        let found = findings(&facts(None, Some(df), Some(app_image_config_with_kernel("python3"))), "KERN004");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains(
                "\"python3\" is not installed by this Dockerfile (it installs mykernel (kernel install --name mykernel, line 2))"
            ),
            "{}",
            found[0].message
        );
        assert_eq!(
            located_at(&found[0]),
            ["app-image-config.json /KernelGatewayImageConfig/KernelSpecs/0/Name = python3", "Dockerfile:1: FROM python:3.11"]
        );
        assert_eq!(found[0].severity, Severity::Error);
    }

    #[test]
    fn dockerfile_conda_env_with_ipykernel_matches_its_conda_name() {
        let df = DockerfileBuilder::from("continuumio/miniconda3")
            .with("RUN conda create -n rapids ipykernel", |s, span| {
                s.conda_envs.push(CondaEnvCreation { name: "rapids".into(), with_ipykernel: true, span })
            })
            .build();
        assert!(findings(&facts(None, Some(df), Some(app_image_config_with_kernel("conda-env-rapids-py"))), "KERN004").is_empty());
    }

    #[test]
    fn kernel_from_an_unknown_base_image_is_only_a_warning() {
        let df = DockerfileBuilder::from("jupyter/datascience-notebook:julia-1.5.2").build();
        let found = findings(&facts(None, Some(df), Some(app_image_config_with_kernel("julia-1.5"))), "KERN004");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("must come from the base image jupyter/datascience-notebook:julia-1.5.2"),
            "{}",
            found[0].message
        );
        assert_eq!(
            located_at(&found[0]),
            [
                "app-image-config.json /KernelGatewayImageConfig/KernelSpecs/0/Name = julia-1.5",
                "Dockerfile:1: FROM jupyter/datascience-notebook:julia-1.5.2"
            ]
        );
        assert_eq!(found[0].severity, Severity::Warning);
    }

    #[test]
    fn kernel_the_base_image_ships_per_the_table_passes() {
        // The Jupyter stacks ship python3 (table row `jupyter/*-notebook:*`).
        let df = DockerfileBuilder::from("jupyter/minimal-notebook:2023-10-20").build();
        assert!(findings(&facts(None, Some(df.clone()), Some(app_image_config_with_kernel("python3"))), "KERN004").is_empty());
        // A base that ships none makes a missing kernel certain, and says where that came from.
        let df = DockerfileBuilder::from("mambaorg/micromamba:1.5.8").build();
        let found = findings(&facts(None, Some(df), Some(app_image_config_with_kernel("python3"))), "KERN004");
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .contains("ships none (assumed from the base image mambaorg/micromamba:1.5.8 (table row `mambaorg/micromamba:1.5*`))"),
            "{}",
            found[0].message
        );
        assert_eq!(found[0].severity, Severity::Error);
    }

    #[test]
    fn packages_that_ship_kernel_specs_count_as_installing_them() {
        let df = |manager: &str, package: &str| {
            DockerfileBuilder::from("python:3.6")
                .with(&format!("RUN {manager} install {package}"), |s, span| {
                    s.packages.push(PackageInstall { manager: manager.into(), package: package.into(), span })
                })
                .build()
        };
        assert!(findings(&facts(None, Some(df("conda", "beakerx")), Some(app_image_config_with_kernel("java"))), "KERN004").is_empty());
        assert!(findings(&facts(None, Some(df("mamba", "r-irkernel")), Some(app_image_config_with_kernel("ir"))), "KERN004").is_empty());
        // pip's beakerx is only the Python side: the JVM kernels come from the conda package.
        let found = findings(&facts(None, Some(df("pip", "beakerx")), Some(app_image_config_with_kernel("java"))), "KERN004");
        assert_eq!(found.len(), 1);
        assert_eq!(
            located_at(&found[0]),
            ["app-image-config.json /KernelGatewayImageConfig/KernelSpecs/0/Name = java", "Dockerfile:1: FROM python:3.6"]
        );
        assert!(found[0].message.contains("\"java\" is not installed by this Dockerfile"), "{}", found[0].message);
    }
}
