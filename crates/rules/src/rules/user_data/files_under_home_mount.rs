//! HOME002 `files-under-home-mount`: The image has files under the home-directory mount; users will not see them.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::vec::Vec;

use crate::context::Context;
use crate::facts::fs::{is_within, parent};
use crate::facts::{FileEntry, FileKind};
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "HOME002",
    name: "files-under-home-mount",
    section: Section::UserData,
    spec: super::SPEC_MOUNT,
    severity: Severity::Warning,
    stage: Stage::ContainerStart,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: &[],
    summary: "The image has files under the home-directory mount; users will not see them.",
    explanation: "The EFS home directory is mounted over MountPath, so files the image puts there (configuration, \
notebooks, data) are invisible at runtime. \"The directory should be empty\" (API). The dotfiles `useradd -m` copies \
from /etc/skel are not reported: losing them costs nothing.",
    fix: "Put the files elsewhere (e.g. /opt/<project>) and copy or link them into the home directory at runtime, or mount EFS one level down (MountPath <home>/work), as the tf23 sample does.",
    explains: &[],
    examples: &[
        Example::bad().image(r#"studio-image
file /home/sagemaker-user/examples/intro.ipynb 4096 1000:100"#),
        Example::bad().dockerfile(r#"FROM python:3.11
COPY notebooks/ /home/sagemaker-user/notebooks/
"#),
        Example::good().image(r#"studio-image
text /home/sagemaker-user/.bashrc # skeleton"#),
        Example::good().dockerfile(r#"FROM python:3.11
COPY notebooks/ /opt/notebooks/
"#),
    ],
    check,
};

/// What HOME002 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// `files`: count and size; `listed_largest`: only the largest are listed as locations.
    pub fn in_image(files: &str, mount: &str, listed_largest: bool) -> String {
        format!("The image has {files} under {mount}; they are hidden at runtime{}.", if listed_largest { " (largest listed)" } else { "" })
    }

    pub fn written(via: &str, path: &str, mount: &str) -> String {
        format!("{via} writes {path} under {mount}, which is hidden at runtime.")
    }

    pub fn patch_move(old: &str, new: &str) -> String {
        format!("Put {old} at {new}, outside the home mount, and name it there wherever the stage does; copy or link it into the home directory at runtime if users need it there.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let mount = ctx.mount_path.as_str();
    if let Some(model) = &ctx.image {
        let files = &model.facts.files;
        // Environments and kernels are HOME001's; everything below them is theirs too.
        let env_roots: Vec<&str> = files
            .under(mount)
            .iter()
            .filter(|e| (e.kind == FileKind::Directory && e.name() == "conda-meta") || e.name() == "pyvenv.cfg")
            .map(|e| parent(&e.path))
            .collect();
        let mut shipped: Vec<&FileEntry> = files
            .under(mount)
            .iter()
            .filter(|e| !e.is_dir() && !super::is_skeleton(e, mount))
            .filter(|e| !super::is_environment_path(&e.path) && !env_roots.iter().any(|r| is_within(&e.path, r)))
            .collect();
        if !shipped.is_empty() {
            shipped.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.path.cmp(&b.path)));
            let listed_largest = shipped.len() > evidence::MAX_LOCATIONS;
            out.report(message::in_image(&evidence::count_and_size(&shipped), &ctx.mount_description(), listed_largest))
                .at_all(evidence::files(shipped.iter().copied()));
        }
        return;
    }
    let Some(stage) = ctx.stage() else { return };
    for write in stage.writes.iter().filter(|w| is_within(&w.path, mount) && w.path != mount && !super::is_environment_path(&w.path)) {
        out.report(message::written(write.via.label(), &write.path, &ctx.mount_description()))
            .at_all(evidence::dockerfile(ctx, write.span))
            .patch(super::move_out_of_mount(ctx, write.span, &write.path, message::patch_move));
    }
}

#[cfg(test)]
mod tests {
    use crate::facts::{PathWrite, WriteVia};
    use crate::testkit::*;
    use crate::vocabulary::Profile;

    #[test]
    fn notebooks_copied_into_home_are_hidden() {
        let image = ImageBuilder::good().owned_file("/home/sagemaker-user/examples/intro.ipynb", 4096, 1000, 100).build();
        let found = findings(&facts(Some(image), None, None), "HOME002");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["/home/sagemaker-user/examples/intro.ipynb (file, layer 0, 1000:100, mode 0644, 4.0 kB)"]);
        assert!(found[0].message.contains("1 file (4.0 kB)"), "{}", found[0].message);
    }

    #[test]
    fn dockerfile_copy_into_home_is_hidden() {
        let df = DockerfileBuilder::from("python:3.11")
            .with("COPY notebooks/ /home/sagemaker-user/notebooks/", |s, span| {
                s.writes.push(PathWrite { path: "/home/sagemaker-user/notebooks".into(), via: WriteVia::Copy, span })
            })
            .build();
        let found = findings(&facts(None, Some(df), None), "HOME002");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["Dockerfile:2: COPY notebooks/ /home/sagemaker-user/notebooks/"]);
        assert!(found[0].message.contains("COPY writes /home/sagemaker-user/notebooks"), "{}", found[0].message);
    }

    #[test]
    fn the_new_apps_mount_the_home_volume_at_the_fixed_path_whatever_the_config_says() {
        // A Classic MountPath elsewhere does not move the JupyterLab app's volume.
        let image = ImageBuilder::good().owned_file("/home/sagemaker-user/examples/intro.ipynb", 4096, 1000, 100).build();
        let c = app_image_config(
            r#"{"AppImageConfigName": "x", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/home/other"}}}"#,
        );
        let facts = facts(Some(image), None, Some(c));
        assert!(findings_as(&facts, "HOME002", Profile::StudioClassic).is_empty());
        let found = findings_as(&facts, "HOME002", Profile::JupyterLab);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("the space's home volume /home/sagemaker-user (fixed in Studio's JupyterLab app)"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn skeleton_dotfiles_from_useradd_are_not_reported() {
        let image = ImageBuilder::good()
            .text("/home/sagemaker-user/.bashrc", "x")
            .text("/home/sagemaker-user/.profile", "x")
            .text("/home/sagemaker-user/.bash_logout", "x")
            .build();
        assert!(findings(&facts(Some(image), None, None), "HOME002").is_empty());
    }

    #[test]
    fn a_file_kept_above_a_moved_mount_passes() {
        let image = ImageBuilder::good().file("/root/my-file.txt", 20).user("").build();
        let c = app_image_config(
            r#"{"AppImageConfigName": "x", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/root/data", "DefaultUid": 0, "DefaultGid": 0}}}"#,
        );
        assert!(findings(&facts(Some(image), None, Some(c)), "HOME002").is_empty());
    }
}
