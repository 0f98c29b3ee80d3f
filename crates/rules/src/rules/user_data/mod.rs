//! Spec section "User data": the user's EFS home directory is mounted at MountPath (default
//! `/home/sagemaker-user`) and hides whatever the image has there.

pub mod environment_under_home_mount;
pub mod file_system_config_omitted;
pub mod files_under_home_mount;
pub mod mount_path_invalid;
pub mod mount_path_not_reachable;
pub mod workdir_outside_home;

use crate::facts::FileEntry;

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
