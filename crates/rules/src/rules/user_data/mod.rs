//! Spec section "User data": the user's EFS home directory is mounted at MountPath (default
//! `/home/sagemaker-user`) and hides whatever the image has there.

pub mod environment_under_home_mount;
pub mod file_system_config_omitted;
pub mod files_under_home_mount;
pub mod mount_path_invalid;
pub mod mount_path_not_reachable;
pub mod workdir_outside_home;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::facts::{FileEntry, Span};
use crate::patch::{self, edit, Patch};

pub(crate) const SPEC_MOUNT: &str = "Each user in a domain gets a user directory on a shared Amazon Elastic File System volume in the image. \
The location of the current user's directory on the Amazon EFS volume is configurable. By default, the location of the directory is /home/sagemaker-user.";

/// Files `useradd -m` copies from /etc/skel, and shell droppings: hidden by the mount, but nothing
/// is lost when they are.
const SKELETON: &[&str] = &[
    ".bashrc",
    ".bash_logout",
    ".profile",
    ".bash_profile",
    ".zshrc",
    ".zprofile",
    ".zlogout",
    ".cshrc",
    ".tcshrc",
    ".kshrc",
    ".mkshrc",
    ".login",
    ".logout",
    ".sudo_as_admin_successful",
    ".wget-hsts",
    ".bash_history",
    ".python_history",
    ".lesshst",
    ".viminfo",
    ".emacs",
    ".selected_editor",
];

/// Whether an entry under the mount is skeleton noise (`mount` is the mount path).
pub(crate) fn is_skeleton(entry: &FileEntry, mount: &str) -> bool {
    let Some(rel) = entry.path.strip_prefix(mount).and_then(|r| r.strip_prefix('/')) else {
        return false;
    };
    SKELETON.contains(&rel) || rel.starts_with(".mozilla/") || rel == ".conda/environments.txt"
}

/// Paths under the mount that are environments or interpreters (HOME001) rather than data.
pub(crate) fn is_environment_path(path: &str) -> bool {
    path.contains("/.local/lib/python")
        || path.contains("/share/jupyter/kernels/")
        || path.contains("/.ipython/kernels/")
        || path.contains("/conda-meta/")
        || path.contains("/.conda/envs/")
        || path.contains("/envs/")
        || path.ends_with("/pyvenv.cfg")
        || path.contains("/site-packages/")
}

/// Where a path under the mount goes instead: its first directory under `mount` moves to
/// `/opt/<the mount's last name>/` (`/home/sagemaker-user/venv/bin` → `/home/sagemaker-user/venv`
/// becomes `/opt/sagemaker-user/venv`). `None` for the mount itself or a path outside it.
pub(crate) fn moved_out_of_mount(mount: &str, path: &str) -> Option<(String, String)> {
    let rel = path.strip_prefix(mount)?.strip_prefix('/')?;
    let first = rel.split('/').next().filter(|f| !f.is_empty())?;
    let owner = mount.rsplit('/').find(|p| !p.is_empty()).unwrap_or("home");
    Some((format!("{mount}/{first}"), format!("/opt/{owner}/{first}")))
}

/// The patch that writes what the instruction at `span` puts at `path` (under the mount) outside
/// it instead, changing every mention of the moved directory in the final stage (ENV PATH,
/// WORKDIR, kernel.json paths…). `None` when that instruction does not spell the path out.
/// `describe` gets the old and the new directory.
pub(crate) fn move_out_of_mount(ctx: &Context<'_>, span: Span, path: &str, describe: fn(&str, &str) -> String) -> Option<Patch> {
    let (old, new) = moved_out_of_mount(&ctx.mount_path, path)?;
    patch::of_final_stage(ctx, describe(&old, &new), |dockerfile, stage| {
        let edits = edit::replace_path(dockerfile, stage.from.span.start, dockerfile.lines.len() as u32, &old, &new);
        let moves_the_write = edits.iter().any(|e| e.line_start >= span.start && e.line_start <= span.end);
        if moves_the_write {
            edits
        } else {
            Vec::new()
        }
    })
}
