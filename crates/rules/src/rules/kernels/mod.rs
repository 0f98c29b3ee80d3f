//! Spec section "Kernel discovery": Studio recognises Jupyter kernel specs (and conda
//! environments); the AppImageConfig lists which of them to show.

pub mod conda_env_without_kernel;
pub mod default_kernel_missing;
pub mod kernel_command_not_found;
pub mod kernel_spec_invalid;
pub mod kernel_spec_name_never_matches;
pub mod kernel_spec_name_not_found;
pub mod kernel_spec_not_discoverable;
pub mod kernel_specs_invalid;
pub mod no_kernel;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::base_image::Kernels;
use crate::context::Context;
use crate::facts::{Span, StageFacts};
use crate::vocabulary::FilePattern;

pub(crate) const SPEC_KERNELS: &str = "SageMaker recognizes kernels as defined by Jupyter kernel specs.";
pub(crate) const SPEC_LIST: &str =
    "You can specify a list of kernels to display before running the image. If not specified, python3 is displayed.";
pub(crate) const SPEC_CONDA: &str = "Conda environments are recognized as kernel specs by default.";

/// Every kernel spec in the image, wherever it is (the rules decide which Studio finds).
pub(crate) const KERNEL_FILES: &[FilePattern] = &[FilePattern::new("/**/kernels/*/kernel.json", 64 * 1024)];

/// A kernel the Dockerfile installs: its name (as Studio will know it), or `None` when the name
/// comes from a file the Dockerfile reads (an environment.yml) and cannot be known.
pub(crate) struct DockerfileKernel {
    pub name: Option<String>,
    pub how: String,
    pub span: Span,
}

/// Kernels an image built from this stage gets from its own instructions (not from the base).
pub(crate) fn dockerfile_kernels(stage: &StageFacts) -> Vec<DockerfileKernel> {
    let mut out = Vec::new();
    for k in &stage.kernel_installs {
        out.push(DockerfileKernel { name: Some(k.name.to_lowercase()), how: format!("kernel install --name {}", k.name), span: k.span });
    }
    for env in &stage.conda_envs {
        if env.name.is_empty() {
            out.push(DockerfileKernel { name: None, how: String::from("a conda environment from a file"), span: env.span });
        } else if env.with_ipykernel {
            out.push(DockerfileKernel {
                name: Some(format!("conda-env-{}-py", env.name)),
                how: format!("conda environment {}", env.name),
                span: env.span,
            });
        }
    }
    for p in &stage.packages {
        let known = PACKAGE_KERNELS
            .iter()
            .find(|(managers, package, _)| managers.contains(&p.manager.as_str()) && p.package.eq_ignore_ascii_case(package));
        for kernel in known.map_or(&[][..], |(_, _, kernels)| kernels) {
            out.push(DockerfileKernel {
                name: Some(String::from(*kernel)),
                how: format!("{} install {}", p.manager, p.package),
                span: p.span,
            });
        }
    }
    for (text, span) in &stage.runs {
        for (needle, name) in [("IRkernel::installspec", "ir"), ("tslab install", "tslab"), ("tslab install", "jslab")] {
            if text.contains(needle) {
                out.push(DockerfileKernel { name: Some(String::from(name)), how: String::from(needle), span: *span });
            }
        }
        // `python -m echo_kernel.install`: kernel packages install a spec named after themselves.
        for word in text.split_whitespace() {
            if let Some(pkg) = word.strip_suffix("_kernel.install") {
                out.push(DockerfileKernel { name: Some(pkg.to_lowercase()), how: String::from(word), span: *span });
            }
        }
    }
    out
}

const PIP_AND_CONDA: &[&str] = &["pip", "conda", "mamba", "micromamba"];
const CONDA: &[&str] = &["conda", "mamba", "micromamba"];

/// Packages whose installation alone writes kernel specs into the environment's
/// `share/jupyter/kernels` (no separate `kernel install` step): package managers, package name,
/// the kernel directories it ships.
const PACKAGE_KERNELS: &[(&[&str], &str, &[&str])] = &[
    // The ipykernel wheel and conda package ship share/jupyter/kernels/python3.
    (PIP_AND_CONDA, "ipykernel", &["python3"]),
    // Front ends that depend on ipykernel, so they bring its python3 spec along.
    (PIP_AND_CONDA, "jupyterlab", &["python3"]),
    (PIP_AND_CONDA, "notebook", &["python3"]),
    (PIP_AND_CONDA, "jupyter", &["python3"]),
    // conda-forge's beakerx runs `beakerx install` after linking: the JVM kernels.
    (CONDA, "beakerx", &["groovy", "java", "scala", "sql", "clojure", "kotlin", "python3"]),
    (CONDA, "r-irkernel", &["ir"]),
    (CONDA, "xeus-cling", &["xcpp11", "xcpp14", "xcpp17"]),
    (PIP_AND_CONDA, "xeus-python", &["xpython"]),
];

/// What the base image's row in the table says about its kernels, with the words evidence
/// uses for it ("assumed from the base image …"); `None` without a row.
pub(crate) fn base_kernels(ctx: &Context<'_>) -> Option<(Kernels, String)> {
    ctx.base_image().map(|base| (base.row.kernels, base.assumed()))
}
