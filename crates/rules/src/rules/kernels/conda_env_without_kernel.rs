//! KERN009 `conda-env-without-kernel`: A conda environment has no kernel package, so Studio does not offer it as a kernel.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::format;
use alloc::vec;
use alloc::vec::Vec;

use crate::context::Context;
use crate::facts::fs::join;
use crate::facts::{CondaEnvCreation, DockerfileFacts};
use crate::patch::{self, edit, Edit};
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::rules::studio_errors;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "KERN009",
    name: "conda-env-without-kernel",
    section: Section::KernelDiscovery,
    spec: super::SPEC_CONDA,
    severity: Severity::Info,
    stage: Stage::KernelDiscovery,
    profiles: Profile::JUPYTER,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: super::KERNEL_FILES,
    summary: "A conda environment has no kernel package, so Studio does not offer it as a kernel.",
    explanation: "Conda environments become kernels (`conda-env-<env>-py`) only when they contain a kernel spec, i.e. \
when ipykernel (or IRkernel, …) is installed in them. An environment without one is silently left out.",
    fix: "Install ipykernel into the environment (`conda install -n <env> ipykernel`) if it should be a kernel.",
    explains: &[
        studio_errors::NO_CONDA_KERNELS,
    ],
    examples: &[
        Example::bad().image(r#"studio-image
dir /opt/conda/conda-meta
dir /opt/conda/condabin
dir /opt/conda/envs/data/conda-meta"#),
        Example::good().image(r#"studio-image
dir /opt/conda/conda-meta
dir /opt/conda/condabin
dir /opt/conda/envs/data/conda-meta
kernel /opt/conda/envs/data/share/jupyter/kernels/python3 {"argv": ["python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "Python 3", "language": "python"}"#),
    ],
    check,
};

/// What KERN009 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn env_without_spec(name: &str, prefix: &str) -> String {
        format!("The conda environment {name:?} ({prefix}) has no kernel spec, so Studio does not list it.")
    }

    /// `tool`: conda, mamba or micromamba, whichever created the environment.
    pub fn patch_install(name: &str, tool: &str) -> String {
        format!("Install ipykernel into {name:?} with {tool} right after it is created.")
    }

    pub fn created_without_ipykernel(name: &str) -> String {
        format!("The conda environment {name:?} is created without ipykernel, so Studio will not list it as a kernel.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    if let Some(model) = &ctx.image {
        let python_prefix = model.python.as_ref().map(|p| p.prefix.as_str());
        for env in model.conda_envs.iter().filter(|e| !e.is_root && Some(e.prefix.as_str()) != python_prefix) {
            if model.kernels.iter().any(|k| k.env_prefix.as_deref() == Some(env.prefix.as_str())) {
                continue;
            }
            let finding = out.report(message::env_without_spec(&env.name, &env.prefix));
            if let Some(entry) = model.facts.files.get(&join(&env.prefix, "conda-meta")) {
                finding.at(Location::image_file(entry));
            }
        }
        return;
    }
    let Some(stage) = ctx.stage() else { return };
    for env in stage.conda_envs.iter().filter(|e| !e.name.is_empty() && !e.with_ipykernel) {
        let tool = creating_tool(ctx.dockerfile(), env);
        out.report(message::created_without_ipykernel(&env.name)).at_all(evidence::dockerfile(ctx, env.span)).patch(patch::of_final_stage(
            ctx,
            message::patch_install(&env.name, tool),
            |d, _| install_ipykernel(d, env, tool),
        ));
    }
}

/// The program of the instruction that created `env` (`micromamba`, `mamba`, else `conda`).
fn creating_tool(dockerfile: Option<&DockerfileFacts>, env: &CondaEnvCreation) -> &'static str {
    let words = dockerfile.map(|d| edit::words(d, env.span)).unwrap_or_default();
    let uses = |tool: &str| words.iter().any(|w| w.text == tool || w.text.ends_with(&format!("/{tool}")));
    ["micromamba", "mamba"].into_iter().find(|t| uses(t)).unwrap_or("conda")
}

/// `RUN <tool> install -y -n <env> ipykernel` after the instruction that creates the environment.
fn install_ipykernel(dockerfile: &DockerfileFacts, env: &CondaEnvCreation, tool: &str) -> Vec<Edit> {
    let run = format!("RUN {tool} install -y -n {} ipykernel", env.name);
    edit::insert_after(dockerfile, env.span.end, vec![run]).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use crate::facts::CondaEnvCreation;
    use crate::testkit::*;

    #[test]
    fn conda_env_without_ipykernel_is_reported() {
        let image =
            ImageBuilder::good().dir("/opt/conda/conda-meta").dir("/opt/conda/condabin").dir("/opt/conda/envs/data/conda-meta").build();
        let found = findings(&facts(Some(image), None, None), "KERN009");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["/opt/conda/envs/data/conda-meta (directory, layer 0, 0:0, mode 0755)"]);
        assert!(found[0].message.contains("\"data\""));
    }

    #[test]
    fn dockerfile_conda_env_without_ipykernel_is_reported() {
        let df = DockerfileBuilder::from("continuumio/miniconda3")
            .with("RUN conda create -n data pandas", |s, span| {
                s.conda_envs.push(CondaEnvCreation { name: "data".into(), with_ipykernel: false, span })
            })
            .build();
        let found = findings(&facts(None, Some(df), None), "KERN009");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["Dockerfile:2: RUN conda create -n data pandas"]);
        assert!(found[0].message.contains("\"data\" is created without ipykernel"), "{}", found[0].message);
    }

    #[test]
    fn conda_env_with_a_kernel_passes() {
        let image = ImageBuilder::good()
            .dir("/opt/conda/conda-meta")
            .dir("/opt/conda/condabin")
            .dir("/opt/conda/envs/data/conda-meta")
            .text("/opt/conda/envs/data/share/jupyter/kernels/python3/kernel.json", PYTHON3_KERNEL)
            .build();
        assert!(findings(&facts(Some(image), None, None), "KERN009").is_empty());
    }
}
