//! Finding programs inside the image as a shell would: the `PATH` the image sets (or Docker's
//! default), executable files after following symlinks, and the Python that Studio's start
//! script runs (whose prefix decides where Jupyter looks for kernels).

use alloc::string::String;
use alloc::vec::Vec;

use crate::facts::fs::{join, parent};
use crate::facts::{FileKind, FileSystem, ImageConfig};

/// PATH when the image sets none (Docker's default).
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PythonInstall {
    /// Where PATH finds it (`/usr/bin/python`).
    pub found_at: String,
    /// After following symlinks.
    pub real_path: String,
    /// `sys.prefix`: the directory above `bin/`.
    pub prefix: String,
}

/// The directories of the image's `PATH` (Docker's default when the image sets none).
pub fn path_dirs(config: &ImageConfig) -> Vec<String> {
    config.env_var("PATH").unwrap_or(DEFAULT_PATH).split(':').filter(|d| !d.is_empty()).map(String::from).collect()
}

/// PATH lookup inside the image: the first `dir/name` that resolves to an executable file.
/// Returns (path as found, path after following symlinks).
pub fn which(files: &FileSystem, path_dirs: &[String], name: &str) -> Option<(String, String)> {
    if name.contains('/') {
        let (real, entry) = files.resolve(name)?;
        return (entry.kind == FileKind::Regular && entry.is_executable()).then(|| (String::from(name), real));
    }
    path_dirs.iter().find_map(|dir| {
        let candidate = join(dir, name);
        let (real, entry) = files.resolve(&candidate)?;
        (entry.kind == FileKind::Regular && entry.is_executable()).then_some((candidate, real))
    })
}

/// The `python` (or else `python3`) on PATH, as Studio's start script finds it.
pub fn find_python(files: &FileSystem, path_dirs: &[String]) -> Option<PythonInstall> {
    ["python", "python3"].iter().find_map(|name| which(files, path_dirs, name)).map(|(found_at, real_path)| {
        let prefix = String::from(parent(parent(&real_path)));
        PythonInstall { found_at, real_path, prefix }
    })
}
