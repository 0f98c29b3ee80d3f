//! KERN003 `kernel-command-not-found`: A kernel's command (argv[0]) is missing or not executable in the image, or its Python lacks ipykernel.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;

use crate::context::{Context, ImageModel};
use crate::facts::fs::{join, parent};
use crate::facts::FileKind;
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::rules::studio_errors;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "KERN003",
    name: "kernel-command-not-found",
    section: Section::KernelDiscovery,
    spec: super::SPEC_KERNELS,
    severity: Severity::Error,
    stage: Stage::KernelStart,
    profiles: Profile::JUPYTER,
    requires: &[&[InputKind::Image]],
    needs_files: super::KERNEL_FILES,
    summary: "A kernel's command (argv[0]) is missing or not executable in the image, or its Python lacks ipykernel.",
    explanation: "Jupyter starts a kernel by executing `argv[0]` of its kernel.json: an absolute path must exist in \
the image and be executable; a bare name is looked up on the image's PATH. A Python kernel started with \
`-m ipykernel_launcher` also needs ipykernel installed for that interpreter. Otherwise the kernel shows up in the \
launcher and dies at once (issues #9 and #18 of the samples repo).",
    fix: "Point argv[0] at an interpreter that exists in the image (an absolute path is safest) and install ipykernel for it.",
    explains: &[
        studio_errors::DETECTING_KERNEL,
        studio_errors::STUDIO_PYTHON,
    ],
    examples: &[
        Example::bad().image(r#"studio-image
kernel /usr/local/share/jupyter/kernels/python3 {"argv": ["/opt/venv/bin/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "Python 3", "language": "python"}"#),
        Example::good().image(r#"studio-image"#),
    ],
    check,
};

/// Commands that run a script of their own; what they start cannot be checked.
const SHELLS: &[&str] = &["sh", "bash", "dash", "zsh", "ksh", "env"];

fn has_ipykernel(model: &ImageModel<'_>, interpreter: &str) -> bool {
    let prefix = parent(parent(interpreter));
    let mut roots = alloc::vec![join(prefix, "lib"), join(prefix, "lib64")];
    if prefix == "/usr" {
        roots.push(String::from("/usr/local/lib"));
    }
    roots.iter().any(|root| {
        model.facts.files.under(root).iter().any(|e| {
            e.kind == FileKind::Directory
                && e.name() == "ipykernel"
                && matches!(parent(&e.path).rsplit('/').next(), Some("site-packages" | "dist-packages"))
        })
    })
}

/// What KERN003 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn not_executable(program: &str) -> String {
        format!("{program} exists but is not executable")
    }

    /// `kind`: what the path is instead of a file (`directory`, `symlink`…).
    pub fn not_a_file(program: &str, kind: &str) -> String {
        format!("{program} is a {kind}")
    }

    pub fn missing(program: &str) -> String {
        format!("{program} does not exist in the image")
    }

    pub fn not_on_path(program: &str, path: &str) -> String {
        format!("{program:?} is not on the image's PATH ({path})")
    }

    /// `why`: one of the reasons above.
    pub fn cannot_start(kernel: &str, why: &str) -> String {
        format!("Kernel {kernel:?} cannot start: {why}.")
    }

    pub fn no_ipykernel(kernel: &str, found: &str, real: &str) -> String {
        format!("Kernel {kernel:?} runs {found} -m ipykernel_launcher, but ipykernel is not installed for that Python ({real}).")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(model) = &ctx.image else { return };
    for kernel in model.kernels.iter().filter(|k| !k.hidden_by_mount) {
        let Some(spec) = kernel.spec.as_ref().filter(|s| s.problems.is_empty()) else {
            continue;
        };
        let Some(program) = spec.argv.first() else {
            continue;
        };
        let base = program.rsplit('/').next().unwrap_or(program);
        if SHELLS.contains(&base) || program.contains('{') || program.contains('$') {
            continue;
        }
        if program.contains('/') && !program.starts_with('/') {
            continue; // relative to the kernel's working directory: unknowable
        }
        match model.which(program) {
            None => {
                let why = match model.facts.files.resolve(program) {
                    Some((_, e)) if e.kind == FileKind::Regular => message::not_executable(program),
                    Some((_, e)) => message::not_a_file(program, e.kind.label()),
                    None if program.starts_with('/') => message::missing(program),
                    None => message::not_on_path(program, &model.path_dirs.join(":")),
                };
                out.report(message::cannot_start(&kernel.name, &why)).at(Location::image_file(&kernel.spec_file));
            }
            Some((found, real)) => {
                let runs_ipykernel = spec.argv.windows(2).any(|w| w[0] == "-m" && w[1].starts_with("ipykernel"));
                // A virtual environment's interpreter is a symlink to the base Python, but
                // Python takes its prefix from the `pyvenv.cfg` beside the link, not the target.
                let venv = model.facts.files.get(&join(parent(parent(&found)), "pyvenv.cfg")).is_some();
                if runs_ipykernel && !has_ipykernel(model, &real) && !(venv && has_ipykernel(model, &found)) {
                    let finding = out.report(message::no_ipykernel(&kernel.name, &found, &real));
                    finding.at(Location::image_file(&kernel.spec_file));
                    if let Some(entry) = model.facts.files.get(&real) {
                        finding.at(Location::image_file(entry));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    fn with_ipykernel(b: ImageBuilder) -> ImageBuilder {
        b.dir("/usr/lib/python3/dist-packages/ipykernel")
    }

    #[test]
    fn absolute_interpreter_missing_from_the_image_fails() {
        let image = with_ipykernel(ImageBuilder::good())
            .text("/usr/local/share/jupyter/kernels/python3/kernel.json", r#"{"argv": ["/opt/venv/bin/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "P", "language": "python"}"#)
            .build();
        let found = findings(&facts(Some(image), None, None), "KERN003");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["/usr/local/share/jupyter/kernels/python3/kernel.json (file, layer 0, 0:0, mode 0644, 132 B)"]);
        assert!(found[0].message.contains("/opt/venv/bin/python does not exist"));
    }

    #[test]
    fn interpreter_without_ipykernel_fails() {
        let image = ImageBuilder::good().build();
        let found = findings(&facts(Some(image), None, None), "KERN003");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            located_at(&found[0]),
            [
                "/usr/local/share/jupyter/kernels/python3/kernel.json (file, layer 0, 0:0, mode 0644, 147 B)",
                "/usr/bin/python3.11 (file, layer 0, 0:0, mode 0755, 6.0 MB)"
            ]
        );
        assert!(found[0].message.contains("ipykernel is not installed"));
    }

    fn venv_kernel(b: ImageBuilder) -> ImageBuilder {
        b.symlink("/opt/venv/bin/python", "/usr/bin/python3.11")
            .dir("/opt/venv/lib/python3.11/site-packages/ipykernel")
            .text("/usr/local/share/jupyter/kernels/python3/kernel.json", r#"{"argv": ["/opt/venv/bin/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "P", "language": "python"}"#)
    }

    #[test]
    fn a_virtual_environment_linking_the_system_python_has_its_own_ipykernel() {
        // python -m venv links bin/python to the base interpreter; pyvenv.cfg makes the venv the prefix.
        let image = venv_kernel(ImageBuilder::good()).text("/opt/venv/pyvenv.cfg", "home = /usr/bin\n").build();
        assert!(findings(&facts(Some(image), None, None), "KERN003").is_empty());
        // Without pyvenv.cfg the link is just another name for the system Python.
        let image = venv_kernel(ImageBuilder::good()).build();
        assert_eq!(findings(&facts(Some(image), None, None), "KERN003").len(), 1);
    }

    #[test]
    fn relative_python_found_on_path_with_ipykernel_passes() {
        let image = with_ipykernel(ImageBuilder::good())
            .text(
                "/usr/local/share/jupyter/kernels/python3/kernel.json",
                r#"{"argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "P", "language": "python"}"#,
            )
            .build();
        assert!(findings(&facts(Some(image), None, None), "KERN003").is_empty());
    }

    #[test]
    fn a_shell_wrapper_kernel_is_not_second_guessed() {
        let image = ImageBuilder::good()
            .text("/usr/local/share/jupyter/kernels/python3/kernel.json", r#"{"argv": ["bash", "-c", "conda run -n custom python -m ipykernel_launcher -f {connection_file}"], "display_name": "P", "language": "python"}"#)
            .build();
        assert!(findings(&facts(Some(image), None, None), "KERN003").is_empty());
    }
}
