//! What Studio will see, derived once from the facts and shared by every rule: the user the
//! image runs as, the Python that Studio's start script finds, the conda environments, the
//! kernels it discovers and their names, and where the home directory is mounted.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::facts::fs::{is_within, join, parent};
use crate::facts::{config::DEFAULT_MOUNT_PATH, AppImageConfigFacts, DockerfileFacts, Facts, FileEntry, FileKind, ImageFacts, StageFacts};
use crate::parse::{self, GroupEntry, PasswdEntry};

/// PATH when the image sets none (Docker's default).
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

pub struct Context<'a> {
    pub facts: &'a Facts<'a>,
    /// The home-directory mount (AppImageConfig MountPath, or Studio's default).
    pub mount_path: String,
    /// JSON pointer of MountPath, when the config set it.
    pub mount_pointer: Option<String>,
    pub image: Option<ImageModel<'a>>,
}

impl<'a> Context<'a> {
    pub fn new(facts: &'a Facts<'a>) -> Context<'a> {
        let (mount_path, mount_pointer) = match &facts.app_image_config {
            Some(c) => {
                let (path, pointer) = c.mount_path();
                (path.trim_end_matches('/').to_string(), pointer.map(String::from))
            }
            None => (DEFAULT_MOUNT_PATH.to_string(), None),
        };
        let mount_path = if mount_path.is_empty() { String::from("/") } else { mount_path };
        let image = facts.image.as_deref().map(|image| ImageModel::new(image, &mount_path));
        Context { facts, mount_path, mount_pointer, image }
    }

    pub fn dockerfile(&self) -> Option<&'a DockerfileFacts> {
        self.facts.dockerfile.as_ref()
    }
    pub fn stage(&self) -> Option<&'a StageFacts> {
        self.facts.dockerfile.as_ref().and_then(|d| d.final_stage.as_ref())
    }
    pub fn config(&self) -> Option<&'a AppImageConfigFacts> {
        self.facts.app_image_config.as_ref()
    }
    pub fn image_facts(&self) -> Option<&'a ImageFacts> {
        self.facts.image.as_deref()
    }

    /// "MountPath /x (from the AppImageConfig)" or "the default home mount /home/sagemaker-user".
    pub fn mount_description(&self) -> String {
        match &self.mount_pointer {
            Some(_) => format!("the home-directory mount {} (AppImageConfig MountPath)", self.mount_path),
            None => format!("the home-directory mount {} (Studio's default MountPath)", self.mount_path),
        }
    }
}

/// The user an image runs as, resolved through its `/etc/passwd` and `/etc/group`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedUser {
    /// `config.User` as written ("" = root).
    pub spec: String,
    pub name: Option<String>,
    pub uid: Option<u64>,
    pub gid: Option<u64>,
    pub home: Option<String>,
    pub problem: Option<UserProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserProblem {
    /// A user name that `/etc/passwd` does not list: the container does not start.
    NameNotInPasswd(String),
    /// A group name that `/etc/group` does not list: the container does not start.
    GroupNotInGroupFile(String),
    /// A numeric uid with no passwd entry: it runs with gid 0 and no home.
    UidWithoutPasswdEntry(u64),
    /// The image has no `/etc/passwd`, so a user name cannot be resolved.
    NoPasswdFile,
}

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

/// The parsed content of a `kernel.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KernelJson {
    pub argv: Vec<String>,
    pub display_name: Option<String>,
    pub language: Option<String>,
    pub env: Vec<(String, String)>,
    /// What is wrong with it, in words (empty = valid).
    pub problems: Vec<String>,
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PythonInstall {
    /// Where PATH finds it (`/usr/bin/python`).
    pub found_at: String,
    /// After following symlinks.
    pub real_path: String,
    /// `sys.prefix`: the directory above `bin/`.
    pub prefix: String,
}

pub struct ImageModel<'a> {
    pub facts: &'a ImageFacts,
    pub passwd: Option<Vec<PasswdEntry>>,
    pub groups: Option<Vec<GroupEntry>>,
    pub user: ResolvedUser,
    pub path_dirs: Vec<String>,
    pub home: Option<String>,
    pub python: Option<PythonInstall>,
    pub conda_envs: Vec<CondaEnv>,
    /// Kernels Studio discovers, in Jupyter's search order (first wins for a name).
    pub kernels: Vec<Kernel>,
    /// kernel.json files that are in the image but on no path Studio searches.
    pub undiscovered_specs: Vec<&'a FileEntry>,
}

impl<'a> ImageModel<'a> {
    pub fn new(facts: &'a ImageFacts, mount_path: &str) -> ImageModel<'a> {
        let passwd = facts.captured("/etc/passwd").map(|f| parse::passwd(f.text()));
        let groups = facts.captured("/etc/group").map(|f| parse::group(f.text()));
        let user = resolve_user(&facts.config.user, passwd.as_deref(), groups.as_deref());
        let path_dirs: Vec<String> =
            facts.config.env_var("PATH").unwrap_or(DEFAULT_PATH).split(':').filter(|d| !d.is_empty()).map(String::from).collect();
        let home = facts.config.env_var("HOME").map(String::from).or_else(|| user.home.clone()).or_else(|| {
            // Docker sets HOME to / for a uid without passwd entry, /root for root.
            match user.uid {
                Some(0) | None => Some(String::from("/root")),
                Some(_) => Some(String::from("/")),
            }
        });
        let mut model = ImageModel {
            facts,
            passwd,
            groups,
            user,
            path_dirs,
            home,
            python: None,
            conda_envs: Vec::new(),
            kernels: Vec::new(),
            undiscovered_specs: Vec::new(),
        };
        model.python = ["python", "python3"].iter().find_map(|name| model.which(name)).map(|(found_at, real_path)| {
            let prefix = String::from(parent(parent(&real_path)));
            PythonInstall { found_at, real_path, prefix }
        });
        model.conda_envs = find_conda_envs(facts);
        model.discover_kernels(mount_path);
        model
    }

    /// PATH lookup inside the image: the first `dir/name` that resolves to an executable file.
    /// Returns (path as found, path after following symlinks).
    pub fn which(&self, name: &str) -> Option<(String, String)> {
        if name.contains('/') {
            let (real, entry) = self.facts.files.resolve(name)?;
            return (entry.kind == FileKind::Regular && entry.is_executable()).then(|| (String::from(name), real));
        }
        self.path_dirs.iter().find_map(|dir| {
            let candidate = join(dir, name);
            let (real, entry) = self.facts.files.resolve(&candidate)?;
            (entry.kind == FileKind::Regular && entry.is_executable()).then_some((candidate, real))
        })
    }

    /// The Jupyter data directories Studio's kernel gateway searches, in order.
    pub fn jupyter_data_dirs(&self) -> Vec<String> {
        let mut dirs: Vec<String> = Vec::new();
        let mut add = |d: String| {
            let d = crate::facts::fs::normalize(&d);
            if !dirs.contains(&d) {
                dirs.push(d);
            }
        };
        if let Some(jp) = self.facts.config.env_var("JUPYTER_PATH") {
            for d in jp.split(':').filter(|d| !d.is_empty()) {
                add(String::from(d));
            }
        }
        if let Some(python) = &self.python {
            add(join(&python.prefix, "share/jupyter"));
        }
        match self.facts.config.env_var("JUPYTER_DATA_DIR") {
            Some(d) => add(String::from(d)),
            None => {
                if let Some(home) = &self.home {
                    add(join(home, ".local/share/jupyter"));
                }
            }
        }
        add(String::from("/usr/local/share/jupyter"));
        add(String::from("/usr/share/jupyter"));
        dirs
    }

    fn kernel_dirs_in(&self, kernels_dir: &str) -> Vec<(String, &'a FileEntry)> {
        let files = &self.facts.files;
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

    fn discover_kernels(&mut self, mount_path: &str) {
        let python_prefix = self.python.as_ref().map(|p| p.prefix.clone());
        let mut kernels: Vec<Kernel> = Vec::new();
        let mut seen_specs: Vec<String> = Vec::new();
        let mut search: Vec<String> = self.jupyter_data_dirs().into_iter().map(|d| join(&d, "kernels")).collect();
        if let Some(home) = &self.home {
            search.push(join(home, ".ipython/kernels"));
        }
        for kernels_dir in &search {
            for (dir_name, spec) in self.kernel_dirs_in(kernels_dir) {
                let name = dir_name.to_lowercase();
                seen_specs.push(spec.path.clone());
                if kernels.iter().any(|k| k.name == name) {
                    continue;
                }
                let dir = join(kernels_dir, &dir_name);
                kernels.push(self.kernel(name, Vec::new(), dir, spec, FoundVia::JupyterPath, None, mount_path));
            }
        }
        for env in &self.conda_envs {
            if python_prefix.as_deref() == Some(env.prefix.as_str()) {
                continue; // Studio filters the environment of the system python: its kernels keep their plain names.
            }
            let kernels_dir = join(&env.prefix, "share/jupyter/kernels");
            for (dir_name, spec) in self.kernel_dirs_in(&kernels_dir) {
                seen_specs.push(spec.path.clone());
                let short = match dir_name.to_lowercase().as_str() {
                    "python2" | "python3" => String::from("py"),
                    "ir" => String::from("r"),
                    other => String::from(other),
                };
                let (name, aliases) = if env.is_root {
                    (
                        conda_kernel_name("conda-base-", &env.name, &short, true),
                        alloc::vec![conda_kernel_name("conda-root-", "", &short, true)],
                    )
                } else {
                    (conda_kernel_name("conda-env-", &env.name, &short, false), Vec::new())
                };
                let dir = join(&kernels_dir, &dir_name);
                kernels.push(self.kernel(name, aliases, dir, spec, FoundVia::CondaEnv, Some(env.prefix.clone()), mount_path));
            }
        }
        self.undiscovered_specs = self
            .facts
            .files
            .iter()
            .filter(|e| e.kind == FileKind::Regular && e.name() == "kernel.json" && parent(parent(&e.path)).ends_with("/kernels"))
            .filter(|e| !seen_specs.contains(&e.path) && !kernels.iter().any(|k| k.spec_file.path == e.path))
            .collect();
        self.kernels = kernels;
    }

    #[allow(clippy::too_many_arguments)]
    fn kernel(
        &self,
        name: String,
        aliases: Vec<String>,
        dir: String,
        spec_file: &FileEntry,
        found_via: FoundVia,
        env_prefix: Option<String>,
        mount_path: &str,
    ) -> Kernel {
        let spec = self.facts.captured(&spec_file.path).filter(|c| !c.truncated()).map(|c| parse_kernel_json(&c.content));
        let hidden_by_mount = is_within(&dir, mount_path) || is_within(&spec_file.path, mount_path);
        Kernel { name, aliases, dir, spec_file: spec_file.clone(), found_via, env_prefix, spec, hidden_by_mount }
    }

    pub fn kernel_named(&self, name: &str) -> Option<&Kernel> {
        self.kernels.iter().find(|k| k.answers_to(name))
    }

    pub fn passwd_entries_with_uid(&self, uid: u64) -> Vec<&PasswdEntry> {
        self.passwd.iter().flatten().filter(|p| p.uid == uid).collect()
    }
}

fn conda_kernel_name(prefix: &str, env: &str, kernel: &str, root: bool) -> String {
    let raw = if root && env.is_empty() { format!("{prefix}{kernel}") } else { format!("{prefix}{env}-{kernel}") };
    // nb_conda_kernels replaces anything outside [a-zA-Z0-9._-] with `_`.
    raw.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' }).collect()
}

/// Every conda environment in the image: a directory holding `conda-meta/`.
fn find_conda_envs(facts: &ImageFacts) -> Vec<CondaEnv> {
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

/// Parses and validates a kernel.json (Jupyter's kernel spec format).
pub fn parse_kernel_json(bytes: &[u8]) -> KernelJson {
    let mut out = KernelJson::default();
    let value: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            out.problems.push(format!("is not valid JSON (line {}, column {}: {})", e.line(), e.column(), json_error_text(&e)));
            return out;
        }
    };
    let Some(obj) = value.as_object() else {
        out.problems.push(String::from("is not a JSON object"));
        return out;
    };
    match obj.get("argv") {
        Some(serde_json::Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                match item.as_str() {
                    Some(s) => out.argv.push(String::from(s)),
                    None => out.problems.push(format!("argv[{i}] is not a string")),
                }
            }
            if items.is_empty() {
                out.problems.push(String::from("argv is empty"));
            } else if !out.argv.iter().any(|a| a.contains("{connection_file}")) {
                out.problems.push(String::from("argv does not contain {connection_file}, so the kernel cannot find its ports"));
            }
        }
        Some(_) => out.problems.push(String::from("argv is not a list of strings")),
        None => out.problems.push(String::from("argv is missing")),
    }
    match obj.get("display_name") {
        Some(serde_json::Value::String(s)) => out.display_name = Some(s.clone()),
        Some(_) => out.problems.push(String::from("display_name is not a string")),
        None => out.problems.push(String::from("display_name is missing")),
    }
    match obj.get("language") {
        Some(serde_json::Value::String(s)) => out.language = Some(s.clone()),
        Some(_) => out.problems.push(String::from("language is not a string")),
        None => out.problems.push(String::from("language is missing")),
    }
    if let Some(env) = obj.get("env") {
        match env.as_object() {
            Some(map) => {
                for (k, v) in map {
                    out.env.push((k.clone(), v.as_str().map(String::from).unwrap_or_else(|| v.to_string())));
                }
            }
            None => out.problems.push(String::from("env is not an object")),
        }
    }
    out
}

/// serde_json's message without its trailing " at line X column Y".
pub fn json_error_text(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.find(" at line ") {
        Some(i) => String::from(&text[..i]),
        None => text,
    }
}

/// Resolves `config.User` the way the container runtime does.
pub fn resolve_user(spec: &str, passwd: Option<&[PasswdEntry]>, groups: Option<&[GroupEntry]>) -> ResolvedUser {
    let (user_part, group_part) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let mut out = ResolvedUser { spec: String::from(spec), name: None, uid: None, gid: None, home: None, problem: None };
    let user_part = if user_part.is_empty() { "0" } else { user_part };
    if let Ok(uid) = user_part.parse::<u64>() {
        out.uid = Some(uid);
        match passwd.and_then(|p| p.iter().find(|e| e.uid == uid)) {
            Some(entry) => {
                out.name = Some(entry.name.clone());
                out.gid = Some(entry.gid);
                out.home = Some(entry.home.clone());
            }
            None => {
                out.gid = Some(0);
                if uid != 0 {
                    out.problem = Some(UserProblem::UidWithoutPasswdEntry(uid));
                }
            }
        }
    } else {
        match passwd {
            None => out.problem = Some(UserProblem::NoPasswdFile),
            Some(entries) => match entries.iter().find(|e| e.name == user_part) {
                Some(entry) => {
                    out.name = Some(entry.name.clone());
                    out.uid = Some(entry.uid);
                    out.gid = Some(entry.gid);
                    out.home = Some(entry.home.clone());
                }
                None => out.problem = Some(UserProblem::NameNotInPasswd(String::from(user_part))),
            },
        }
    }
    if let Some(group) = group_part.filter(|g| !g.is_empty()) {
        if let Ok(gid) = group.parse::<u64>() {
            out.gid = Some(gid);
        } else {
            match groups.and_then(|g| g.iter().find(|e| e.name == group)) {
                Some(entry) => out.gid = Some(entry.gid),
                None => {
                    out.gid = None;
                    out.problem = Some(UserProblem::GroupNotInGroupFile(String::from(group)));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users() -> Vec<PasswdEntry> {
        parse::passwd("root:x:0:0:root:/root:/bin/bash\nsagemaker-user:x:1000:100::/home/sagemaker-user:/bin/bash\n")
    }

    #[test]
    fn empty_user_is_root() {
        let u = resolve_user("", Some(&users()), None);
        assert_eq!((u.uid, u.gid), (Some(0), Some(0)));
        assert_eq!(u.problem, None);
    }

    #[test]
    fn a_name_resolves_through_passwd() {
        let u = resolve_user("sagemaker-user", Some(&users()), None);
        assert_eq!((u.uid, u.gid), (Some(1000), Some(100)));
    }

    #[test]
    fn a_numeric_uid_without_entry_runs_with_gid_zero() {
        let u = resolve_user("1001", Some(&users()), None);
        assert_eq!((u.uid, u.gid), (Some(1001), Some(0)));
        assert_eq!(u.problem, Some(UserProblem::UidWithoutPasswdEntry(1001)));
    }

    #[test]
    fn an_explicit_group_overrides_the_primary_group() {
        let groups = parse::group("users:x:100:\nstaff:x:50:\n");
        let u = resolve_user("1000:staff", Some(&users()), Some(&groups));
        assert_eq!((u.uid, u.gid), (Some(1000), Some(50)));
    }

    #[test]
    fn conda_kernel_names_follow_nb_conda_kernels() {
        assert_eq!(conda_kernel_name("conda-env-", "myenv", "py", false), "conda-env-myenv-py");
        assert_eq!(conda_kernel_name("conda-env-", "my env", "py", false), "conda-env-my_env-py");
        assert_eq!(conda_kernel_name("conda-root-", "", "py", true), "conda-root-py");
    }

    #[test]
    fn kernel_json_without_connection_file_is_reported() {
        let k = parse_kernel_json(br#"{"argv": ["python", "-m", "ipykernel_launcher"], "display_name": "P", "language": "python"}"#);
        assert_eq!(k.problems.len(), 1);
        assert!(k.problems[0].contains("{connection_file}"));
    }
}
