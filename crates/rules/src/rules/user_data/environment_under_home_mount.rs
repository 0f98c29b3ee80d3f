//! HOME001 `environment-under-home-mount`: Kernels, environments or interpreters are installed under the home-directory mount, which hides them at runtime.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::facts::fs::{is_within, parent};
use crate::facts::{DockerfileFacts, FileEntry, FileKind, KernelInstall};
use crate::patch::{edit, Edit, Patch};
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::rules::studio_errors;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "HOME001",
    name: "environment-under-home-mount",
    section: Section::UserData,
    spec: super::SPEC_MOUNT,
    severity: Severity::Error,
    stage: Stage::ContainerStart,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: crate::rules::kernels::KERNEL_FILES,
    summary: "Kernels, environments or interpreters are installed under the home-directory mount, which hides them at runtime.",
    explanation: "Studio mounts the user's EFS home directory at MountPath, over whatever the image has there. Kernel \
specs (`~/.local/share/jupyter/kernels`, from `ipykernel install --user`), conda environments, virtualenvs and \
`pip install --user` packages placed there at build time are gone when the app runs — the scala sample lost its \
almond kernel this way until its MountPath moved (PR #14).",
    fix: "Install outside the mount (`ipykernel install --sys-prefix`, environments under /opt), or move MountPath to a sub-directory such as <home>/work.",
    explains: &[
        studio_errors::KERNEL_NOT_FOUND,
    ],
    examples: &[
        Example::bad().image(r#"studio-image
kernel /home/sagemaker-user/.local/share/jupyter/kernels/mykernel {"argv": ["python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "Python 3", "language": "python"}"#),
        Example::bad().dockerfile(r#"FROM python:3.11
RUN pip install ipykernel && python -m ipykernel install --prefix /home/sagemaker-user/.local
"#),
        Example::good().image(r#"studio-image"#),
        Example::good().dockerfile(r#"FROM python:3.11
RUN python -m venv /opt/venv
"#),
    ],
    check,
};

/// What HOME001 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn kernel_hidden(kernel: &str, dir: &str, mount: &str) -> String {
        format!("Kernel {kernel:?} ({dir}) is under {mount}, which hides it at runtime.")
    }

    pub fn kernel_program_hidden(kernel: &str, program: &str, mount: &str) -> String {
        format!("Kernel {kernel:?} starts {program}, which is under {mount} and hidden at runtime.")
    }

    pub fn conda_env(prefix: &str) -> String {
        format!("conda environment {prefix}")
    }

    pub fn virtualenv(prefix: &str) -> String {
        format!("virtualenv {prefix}")
    }

    pub fn site_packages(dir: &str) -> String {
        format!("Python packages in {dir}")
    }

    pub fn kernel_specs(dir: &str) -> String {
        format!("kernel specs in {dir}")
    }

    /// `what`: one of the environment phrases above.
    pub fn environment_hidden(what: &str, mount: &str) -> String {
        format!("The {what} is under {mount}, which hides it at runtime.")
    }

    pub fn install_prefix(prefix: &str, kernel: &str, mount: &str) -> String {
        format!("`ipykernel install --prefix {prefix}` puts kernel {kernel:?} under {mount}, which hides it at runtime.")
    }

    pub fn install_user(kernel: &str, mount: &str) -> String {
        format!(
            "`ipykernel install --user` puts kernel {kernel:?} in ~/.local/share/jupyter, which is hidden when the user's home is {mount}."
        )
    }

    /// `via`: the instruction that writes (`COPY`, `RUN`…).
    pub fn written(via: &str, path: &str, mount: &str) -> String {
        format!("{via} puts {path} under {mount}, which hides it at runtime.")
    }

    pub fn patch_sys_prefix(kernel: &str) -> String {
        format!("Install kernel {kernel:?} with `--sys-prefix`, into the environment's share/jupyter/kernels, which the home mount does not hide.")
    }

    pub fn patch_move(old: &str, new: &str) -> String {
        format!(
            "Install into {new} instead of {old}, outside the home mount, and name it there wherever the stage does (PATH, kernel specs)."
        )
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let mount = ctx.mount_path.as_str();
    if let Some(model) = &ctx.image {
        let files = &model.facts.files;
        for kernel in model.kernels.iter().filter(|k| k.hidden_by_mount) {
            out.report(message::kernel_hidden(&kernel.name, &kernel.dir, &ctx.mount_description()))
                .at(Location::image_file(&kernel.spec_file));
        }
        for kernel in model.kernels.iter().filter(|k| !k.hidden_by_mount) {
            let Some(program) = kernel.spec.as_ref().and_then(|s| s.argv.first()) else {
                continue;
            };
            if program.starts_with('/') && is_within(program, mount) {
                out.report(message::kernel_program_hidden(&kernel.name, program, &ctx.mount_description()))
                    .at(Location::image_file(&kernel.spec_file));
            }
        }
        let hidden_kernel_dirs: Vec<&str> = model.kernels.iter().filter(|k| k.hidden_by_mount).map(|k| k.dir.as_str()).collect();
        let mut environments: Vec<(&FileEntry, String)> = Vec::new();
        for entry in files.under(mount) {
            let what = if entry.kind == FileKind::Directory && entry.name() == "conda-meta" {
                message::conda_env(parent(&entry.path))
            } else if entry.name() == "pyvenv.cfg" {
                message::virtualenv(parent(&entry.path))
            } else if entry.kind == FileKind::Directory && entry.name() == "site-packages" && !files.under(&entry.path).is_empty() {
                message::site_packages(&entry.path)
            } else if entry.kind == FileKind::Directory
                && entry.name() == "kernels"
                && entry.path.ends_with("share/jupyter/kernels")
                && !files.under(&entry.path).iter().all(|e| hidden_kernel_dirs.iter().any(|d| is_within(&e.path, d)))
            {
                message::kernel_specs(&entry.path)
            } else {
                continue;
            };
            if !environments.iter().any(|(e, _)| is_within(&entry.path, parent(&e.path))) {
                environments.push((entry, what));
            }
        }
        for (entry, what) in environments {
            out.report(message::environment_hidden(&what, &ctx.mount_description())).at(Location::image_file(entry));
        }
    }
    if ctx.image.is_some() {
        return; // the image's files are the truth; the Dockerfile's intent is only a guess
    }
    let Some(stage) = ctx.stage() else { return };
    for install in &stage.kernel_installs {
        let under = install.prefix.as_deref().is_some_and(|p| is_within(p, mount));
        if under || install.user {
            let finding = out.report(if under {
                message::install_prefix(install.prefix.as_deref().unwrap_or(""), &install.name, &ctx.mount_description())
            } else {
                message::install_user(&install.name, &ctx.mount_description())
            });
            finding.at_all(evidence::dockerfile(ctx, install.span));
            if let Some(dockerfile) = ctx.dockerfile() {
                finding.patch(Patch::new(dockerfile, message::patch_sys_prefix(&install.name), sys_prefix(dockerfile, install)));
            }
            if !under {
                finding.severity(Severity::Warning);
            }
        }
    }
    for write in stage.writes.iter().filter(|w| is_within(&w.path, mount) && w.path != mount && super::is_environment_path(&w.path)) {
        out.report(message::written(write.via.label(), &write.path, &ctx.mount_description()))
            .at_all(evidence::dockerfile(ctx, write.span))
            .patch(super::move_out_of_mount(ctx, write.span, &write.path, message::patch_move));
    }
}

/// The install's `--user` or `--prefix DIR` turned into `--sys-prefix`, in the kernel install
/// commands of its instruction.
fn sys_prefix(dockerfile: &DockerfileFacts, install: &KernelInstall) -> Vec<Edit> {
    let mut changes = Vec::new();
    for program in [&["ipykernel", "install"][..], &["kernelspec", "install"][..]] {
        for arguments in edit::command_arguments(dockerfile, install.span, program) {
            let mut words = arguments.iter();
            while let Some(word) = words.next() {
                if word.text == "--user" || word.text.starts_with("--prefix=") {
                    changes.push((word.clone(), String::from("--sys-prefix")));
                } else if word.text == "--prefix" {
                    changes.push((word.clone(), String::from("--sys-prefix")));
                    changes.extend(words.next().map(|value| (value.clone(), String::new())));
                }
            }
        }
    }
    edit::rewrite_words(dockerfile, &changes)
}

#[cfg(test)]
mod tests {
    use crate::facts::{KernelInstall, PathWrite, WriteVia};
    use crate::testkit::*;

    #[test]
    fn kernel_installed_with_user_under_the_home_mount_fails() {
        let image =
            ImageBuilder::good().text("/home/sagemaker-user/.local/share/jupyter/kernels/mykernel/kernel.json", PYTHON3_KERNEL).build();
        let found = findings(&facts(Some(image), None, None), "HOME001");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            located_at(&found[0]),
            ["/home/sagemaker-user/.local/share/jupyter/kernels/mykernel/kernel.json (file, layer 0, 0:0, mode 0644, 147 B)"]
        );
        assert!(found[0].message.contains("\"mykernel\""));
    }

    #[test]
    fn conda_env_under_the_home_mount_fails() {
        let image = ImageBuilder::good()
            .dir("/home/sagemaker-user/.conda/envs/custom/conda-meta")
            .file("/home/sagemaker-user/.conda/envs/custom/bin/python3.11", 10)
            .build();
        let found = findings(&facts(Some(image), None, None), "HOME001");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(located_at(&found[0]), ["/home/sagemaker-user/.conda/envs/custom/conda-meta (directory, layer 0, 0:0, mode 0755)"]);
        assert!(found[0].message.contains("conda environment /home/sagemaker-user/.conda/envs/custom"));
    }

    #[test]
    fn dockerfile_kernel_install_with_prefix_in_home_fails() {
        let df = DockerfileBuilder::from("python:3.11")
            .with("RUN python -m ipykernel install --prefix /home/sagemaker-user/.local", |s, span| {
                s.kernel_installs.push(KernelInstall {
                    name: "python3".into(),
                    prefix: Some("/home/sagemaker-user/.local".into()),
                    span,
                    ..Default::default()
                })
            })
            .build();
        let found = findings(&facts(None, Some(df), None), "HOME001");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["Dockerfile:2: RUN python -m ipykernel install --prefix /home/sagemaker-user/.local"]);
        assert!(found[0].message.contains("--prefix /home/sagemaker-user/.local` puts kernel \"python3\""), "{}", found[0].message);
    }

    #[test]
    fn dockerfile_venv_in_home_fails() {
        let df = DockerfileBuilder::from("python:3.11")
            .with("RUN python -m venv /home/sagemaker-user/venv", |s, span| {
                s.writes.push(PathWrite { path: "/home/sagemaker-user/venv/pyvenv.cfg".into(), via: WriteVia::Run, span })
            })
            .build();
        let found = findings(&facts(None, Some(df), None), "HOME001");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["Dockerfile:2: RUN python -m venv /home/sagemaker-user/venv"]);
        assert!(found[0].message.contains("/home/sagemaker-user/venv/pyvenv.cfg"), "{}", found[0].message);
    }

    #[test]
    fn kernels_outside_the_mount_pass() {
        let image = ImageBuilder::good().text("/home/sagemaker-user/.bashrc", "# skel").build();
        assert!(findings(&facts(Some(image), None, None), "HOME001").is_empty());
    }

    #[test]
    fn mount_moved_to_a_subdirectory_keeps_the_kernel_visible() {
        let image =
            ImageBuilder::good().text("/home/sagemaker-user/.local/share/jupyter/kernels/scala213/kernel.json", PYTHON3_KERNEL).build();
        let c = app_image_config(
            r#"{"AppImageConfigName": "x", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "scala213"}], "FileSystemConfig": {"MountPath": "/home/sagemaker-user/work"}}}"#,
        );
        assert!(findings(&facts(Some(image), None, Some(c)), "HOME001").is_empty());
    }
}
