//! The kernels Studio discovers in an image, the way Jupyter and nb_conda_kernels find them: the
//! Jupyter data directories in search order, the conda environments and the names their kernels
//! get, which specs the home mount hides, and which kernel.json files no search reaches.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::facts::fs::{is_within, join, normalize, parent};
use crate::facts::{FileEntry, FileKind, ImageConfig, ImageFacts};
use crate::kernel_json::{parse_kernel_json, KernelJson};
use crate::path_lookup::PythonInstall;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundVia {
    JupyterPath,
    CondaEnv,
}

impl FoundVia {
    pub const fn label(self) -> &'static str {
        match self {
            FoundVia::JupyterPath => "jupyter-path",
            FoundVia::CondaEnv => "conda-env",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kernel {
    pub name: String,
    pub aliases: Vec<String>,
    /// The kernel spec directory.
    pub dir: String,
    /// The kernel.json entry.
    pub spec_file: FileEntry,
    pub found_via: FoundVia,
    /// For conda kernels, the environment prefix.
    pub env_prefix: Option<String>,
    /// None when the content was not captured (too large) — nothing can be said about it.
    pub spec: Option<KernelJson>,
    pub hidden_by_mount: bool,
}

impl Kernel {
    pub fn answers_to(&self, name: &str) -> bool {
        self.name == name || self.aliases.iter().any(|a| a == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CondaEnv {
    pub prefix: String,
    /// The name nb_conda_kernels gives it (`myenv`, `base`, `.conda-custom`).
    pub name: String,
    pub is_root: bool,
    pub layer: u32,
}

/// What discovery found: the kernels in Jupyter's search order (first wins for a name), and the
/// kernel.json files that are in the image but on no path Studio searches.
pub struct Discovered<'a> {
    pub kernels: Vec<Kernel>,
    pub undiscovered_specs: Vec<&'a FileEntry>,
}

/// Whether any kernel could be named `name`: Jupyter lower-cases names, and conda kernel names
/// only hold `[a-z0-9._-]` once lower-cased.
pub fn kernel_name_can_exist(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
}

/// The Jupyter data directories Studio's kernel gateway searches, in order.
pub fn jupyter_data_dirs(config: &ImageConfig, python: Option<&PythonInstall>, home: Option<&str>) -> Vec<String> {
    let mut dirs: Vec<String> = Vec::new();
    let mut add = |d: String| {
        let d = normalize(&d);
        if !dirs.contains(&d) {
            dirs.push(d);
        }
    };
    if let Some(jp) = config.env_var("JUPYTER_PATH") {
        for d in jp.split(':').filter(|d| !d.is_empty()) {
            add(String::from(d));
        }
    }
    if let Some(python) = python {
        add(join(&python.prefix, "share/jupyter"));
    }
    match config.env_var("JUPYTER_DATA_DIR") {
        Some(d) => add(String::from(d)),
        None => {
            if let Some(home) = home {
                add(join(home, ".local/share/jupyter"));
            }
        }
    }
    add(String::from("/usr/local/share/jupyter"));
    add(String::from("/usr/share/jupyter"));
    dirs
}

/// Discovers the kernels of an image whose python, home and conda environments are known.
pub fn discover<'a>(
    facts: &'a ImageFacts,
    python: Option<&PythonInstall>,
    home: Option<&str>,
    conda_envs: &[CondaEnv],
    mount_path: &str,
) -> Discovered<'a> {
    let mut kernels: Vec<Kernel> = Vec::new();
    let mut seen_specs: Vec<String> = Vec::new();
    let mut search: Vec<String> = jupyter_data_dirs(&facts.image_config, python, home).into_iter().map(|d| join(&d, "kernels")).collect();
    if let Some(home) = home {
        search.push(join(home, ".ipython/kernels"));
    }
    let kernel = |name, aliases, dir: String, spec_file: &FileEntry, found_via, env_prefix| {
        let spec = facts.captured(&spec_file.path).filter(|c| !c.truncated()).map(|c| parse_kernel_json(&c.content));
        let hidden_by_mount = is_within(&dir, mount_path) || is_within(&spec_file.path, mount_path);
        Kernel { name, aliases, dir, spec_file: spec_file.clone(), found_via, env_prefix, spec, hidden_by_mount }
    };
    for kernels_dir in &search {
        for (dir_name, spec) in kernel_dirs_in(facts, kernels_dir) {
            let name = dir_name.to_lowercase();
            seen_specs.push(spec.path.clone());
            if kernels.iter().any(|k| k.name == name) {
                continue;
            }
            kernels.push(kernel(name, Vec::new(), join(kernels_dir, &dir_name), spec, FoundVia::JupyterPath, None));
        }
    }
    for env in conda_envs {
        if python.map(|p| p.prefix.as_str()) == Some(env.prefix.as_str()) {
            continue; // Studio filters the environment of the system python: its kernels keep their plain names.
        }
        let kernels_dir = join(&env.prefix, "share/jupyter/kernels");
        for (dir_name, spec) in kernel_dirs_in(facts, &kernels_dir) {
            seen_specs.push(spec.path.clone());
            let short = match dir_name.to_lowercase().as_str() {
                "python2" | "python3" => String::from("py"),
                "ir" => String::from("r"),
                other => String::from(other),
            };
            let (name, aliases) = if env.is_root {
                (conda_kernel_name("conda-base-", &env.name, &short, true), alloc::vec![conda_kernel_name("conda-root-", "", &short, true)])
            } else {
                (conda_kernel_name("conda-env-", &env.name, &short, false), Vec::new())
            };
            let dir = join(&kernels_dir, &dir_name);
            kernels.push(kernel(name, aliases, dir, spec, FoundVia::CondaEnv, Some(env.prefix.clone())));
        }
    }
    let undiscovered_specs = facts
        .files
        .iter()
        .filter(|e| e.kind == FileKind::Regular && e.name() == "kernel.json" && parent(parent(&e.path)).ends_with("/kernels"))
        .filter(|e| !seen_specs.contains(&e.path) && !kernels.iter().any(|k| k.spec_file.path == e.path))
        .collect();
    Discovered { kernels, undiscovered_specs }
}

/// The kernel spec directories (name, kernel.json) directly inside a `kernels` directory.
fn kernel_dirs_in<'a>(facts: &'a ImageFacts, kernels_dir: &str) -> Vec<(String, &'a FileEntry)> {
    let files = &facts.files;
    let Some((real, entry)) = files.resolve(kernels_dir) else {
        return Vec::new();
    };
    if entry.kind != FileKind::Directory {
        return Vec::new();
    }
    files
        .children(&real)
        .filter_map(|child| {
            let (_, dir) = files.resolve(&child.path)?;
            if dir.kind != FileKind::Directory {
                return None;
            }
            let spec_path = join(&child.path, "kernel.json");
            let (_, spec) = files.resolve(&spec_path)?;
            (spec.kind == FileKind::Regular).then(|| (child.name().to_string(), spec))
        })
        .collect()
}

fn conda_kernel_name(prefix: &str, env: &str, kernel: &str, root: bool) -> String {
    let raw = if root && env.is_empty() { format!("{prefix}{kernel}") } else { format!("{prefix}{env}-{kernel}") };
    // nb_conda_kernels replaces anything outside [a-zA-Z0-9._-] with `_`.
    raw.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' }).collect()
}

/// Every conda environment in the image: a directory holding `conda-meta/`.
pub fn find_conda_envs(facts: &ImageFacts) -> Vec<CondaEnv> {
    let files = &facts.files;
    let prefixes: Vec<(&str, u32)> = files
        .iter()
        .filter(|e| e.kind == FileKind::Directory && e.name() == "conda-meta")
        .map(|e| (parent(&e.path), e.layer))
        .filter(|(p, _)| !p.split('/').any(|s| s == "pkgs" || s == "conda-bld"))
        .collect();
    let is_prefix = |p: &str| prefixes.iter().any(|(q, _)| *q == p);
    prefixes
        .iter()
        .map(|(prefix, layer)| {
            let envs_dir = parent(prefix);
            let base_name = prefix.rsplit('/').next().unwrap_or("");
            let (name, is_root) = if envs_dir.ends_with("/envs") || envs_dir == "/envs" {
                let root = parent(envs_dir);
                if is_prefix(root) {
                    (String::from(base_name), false)
                } else {
                    // An envs directory that is not <root>/envs: nb_conda_kernels prefixes its parent's name.
                    let owner = root.rsplit('/').next().unwrap_or("");
                    (format!("{owner}-{base_name}"), false)
                }
            } else if files.get(&join(prefix, "condabin")).is_some() || files.get(&join(prefix, "envs")).is_some() {
                (String::from("base"), true)
            } else {
                (String::from(base_name), false)
            };
            CondaEnv { prefix: String::from(*prefix), name, is_root, layer: *layer }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conda_kernel_names_follow_nb_conda_kernels() {
        assert_eq!(conda_kernel_name("conda-env-", "myenv", "py", false), "conda-env-myenv-py");
        assert_eq!(conda_kernel_name("conda-env-", "my env", "py", false), "conda-env-my_env-py");
        assert_eq!(conda_kernel_name("conda-root-", "", "py", true), "conda-root-py");
    }

    #[test]
    fn only_lower_case_kernel_names_can_exist() {
        assert!(kernel_name_can_exist("conda-env-my_env-py"));
        assert!(!kernel_name_can_exist("Python3"));
        assert!(!kernel_name_can_exist(""));
    }
}
