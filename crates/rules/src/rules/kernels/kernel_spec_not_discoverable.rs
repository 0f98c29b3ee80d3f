//! KERN008 `kernel-spec-not-discoverable`: A kernel spec is in the image, but on no path Studio searches.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;

use crate::context::Context;
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::rules::studio_errors;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "KERN008",
    name: "kernel-spec-not-discoverable",
    section: Section::KernelDiscovery,
    spec: super::SPEC_KERNELS,
    severity: Severity::Warning,
    stage: Stage::KernelDiscovery,
    profiles: Profile::JUPYTER,
    requires: &[&[InputKind::Image]],
    needs_files: super::KERNEL_FILES,
    summary: "A kernel spec is in the image, but on no path Studio searches.",
    explanation: "Studio's kernel gateway looks for kernel specs in JUPYTER_PATH, in `share/jupyter` of the Python it \
finds on PATH, in /usr/local/share/jupyter, /usr/share/jupyter, the user's data directory, and in conda \
environments. A kernel.json anywhere else — typically in a virtualenv whose `bin` is not first on PATH — is never \
offered.",
    fix: "Install the spec where Studio looks (`python -m ipykernel install --prefix /usr/local`), or put its directory on JUPYTER_PATH or PATH.",
    explains: &[
        studio_errors::KERNEL_NOT_FOUND,
    ],
    examples: &[
        Example::bad().image(r#"studio-image
kernel /opt/venv/share/jupyter/kernels/venv {"argv": ["python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "Python 3", "language": "python"}"#),
        Example::good().image(r#"studio-image
file /opt/venv/bin/python3.11 10
symlink /opt/venv/bin/python python3.11
env PATH=/opt/venv/bin:/usr/local/bin:/usr/bin:/bin
kernel /opt/venv/share/jupyter/kernels/venv {"argv": ["python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "Python 3", "language": "python"}"#),
    ],
    check,
};

/// What KERN008 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// `searched`: the Jupyter data directories Studio searches, joined.
    pub fn not_searched(dir: &str, searched: &str) -> String {
        format!("The kernel spec {dir} is not on any path Studio searches ({searched}, and conda environments).")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(model) = &ctx.image else { return };
    if model.undiscovered_specs.is_empty() {
        return;
    }
    let searched: String = model.jupyter_data_dirs().join(", ");
    for spec in &model.undiscovered_specs {
        let dir = crate::facts::fs::parent(&spec.path);
        out.report(message::not_searched(dir, &searched)).at(Location::image_file(spec));
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn kernel_in_a_venv_not_on_path_is_not_discoverable() {
        let image = ImageBuilder::good().text("/opt/venv/share/jupyter/kernels/venv/kernel.json", PYTHON3_KERNEL).build();
        let found = findings(&facts(Some(image), None, None), "KERN008");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["/opt/venv/share/jupyter/kernels/venv/kernel.json (file, layer 0, 0:0, mode 0644, 147 B)"]);
        assert!(found[0].message.contains("/opt/venv/share/jupyter/kernels/venv"));
    }

    #[test]
    fn kernel_in_the_venv_first_on_path_is_discoverable() {
        let image = ImageBuilder::good()
            .file("/opt/venv/bin/python3.11", 10)
            .symlink("/opt/venv/bin/python", "python3.11")
            .text("/opt/venv/share/jupyter/kernels/venv/kernel.json", PYTHON3_KERNEL)
            .env("PATH", "/opt/venv/bin:/usr/local/bin:/usr/bin:/bin")
            .build();
        assert!(findings(&facts(Some(image), None, None), "KERN008").is_empty());
    }
}
