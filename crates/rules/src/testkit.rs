//! Hand-built facts for tests: a known-good Studio image (and Dockerfile) that a test changes in
//! one respect, so each rule's failing and passing case reads like the situation it describes.
//! Public so the workspace's integration tests can use the same builders.

use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use crate::capture;
use crate::facts::fs::{normalize, parent};
use crate::facts::*;
use crate::report::{Finding, Report};

pub struct ImageBuilder {
    pub facts: ImageFacts,
    entries: Vec<FileEntry>,
    contents: Vec<(String, Vec<u8>)>,
    layer: u32,
}

pub const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\nsagemaker-user:x:1000:100::/home/sagemaker-user:/bin/bash\n";
pub const GROUP: &str = "root:x:0:\nusers:x:100:\n";
pub const PYTHON3_KERNEL: &str = r#"{"argv": ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "Python 3 (ipykernel)", "language": "python"}"#;

impl ImageBuilder {
    /// An image with nothing in it: linux/amd64, root, no files.
    pub fn empty() -> ImageBuilder {
        let mut facts = ImageFacts::default();
        facts.source.file_name = "image.tar".into();
        facts.source.layout = "docker-archive".into();
        facts.image_config.os = "linux".into();
        facts.image_config.architecture = "amd64".into();
        facts.layers.push(LayerFacts { index: 0, compression: "none".into(), created_by: Some("base".into()), ..Default::default() });
        ImageBuilder { facts, entries: Vec::new(), contents: Vec::new(), layer: 0 }
    }

    /// A known-good Studio Classic image: user sagemaker-user (1000/100), python3 with a valid
    /// python3 kernel in /usr/local/share/jupyter/kernels, an empty home directory.
    pub fn good() -> ImageBuilder {
        ImageBuilder::empty()
            .text("/etc/passwd", PASSWD)
            .text("/etc/group", GROUP)
            .file("/usr/bin/python3.11", 6_000_000)
            .symlink("/usr/bin/python3", "python3.11")
            .symlink("/usr/bin/python", "python3")
            .text("/usr/local/share/jupyter/kernels/python3/kernel.json", PYTHON3_KERNEL)
            .owned_dir("/home/sagemaker-user", 1000, 100)
            .user("sagemaker-user")
            .env("PATH", crate::path_lookup::DEFAULT_PATH)
    }

    /// Further entries go into a new layer.
    pub fn next_layer(mut self, created_by: &str) -> Self {
        self.layer += 1;
        self.facts.layers.push(LayerFacts {
            index: self.layer,
            compression: "none".into(),
            created_by: Some(created_by.into()),
            ..Default::default()
        });
        self
    }

    fn add_parents(&mut self, path: &str) {
        let mut dir = parent(path);
        while dir != "/" {
            if !self.entries.iter().any(|e| e.path == dir) {
                self.entries.push(entry(dir, FileKind::Directory, 0, 0o755, None, self.layer));
            }
            dir = parent(dir);
        }
    }

    pub fn entry(mut self, e: FileEntry) -> Self {
        self.add_parents(&e.path);
        if e.kind == FileKind::Regular {
            self.facts.layers[self.layer as usize].size_bytes += e.size;
        }
        self.facts.layers[self.layer as usize].entry_count += 1;
        for id in [e.uid] {
            if !self.facts.uids_seen.contains(&id) {
                self.facts.uids_seen.push(id);
            }
        }
        if !self.facts.gids_seen.contains(&e.gid) {
            self.facts.gids_seen.push(e.gid);
        }
        if e.uid > 65535 || e.gid > 65535 {
            self.facts.high_id_entries.push(e.clone());
            self.facts.high_id_entries_total += 1;
        }
        self.entries.retain(|x| x.path != e.path);
        self.entries.push(e);
        self
    }

    pub fn file(self, path: &str, size: u64) -> Self {
        let layer = self.layer;
        self.entry(entry(path, FileKind::Regular, size, 0o755, None, layer))
    }

    pub fn owned_file(self, path: &str, size: u64, uid: u64, gid: u64) -> Self {
        let layer = self.layer;
        let mut e = entry(path, FileKind::Regular, size, 0o644, None, layer);
        e.uid = uid;
        e.gid = gid;
        self.entry(e)
    }

    pub fn dir(self, path: &str) -> Self {
        let layer = self.layer;
        self.entry(entry(path, FileKind::Directory, 0, 0o755, None, layer))
    }

    pub fn dir_mode(self, path: &str, mode: u32) -> Self {
        let layer = self.layer;
        self.entry(entry(path, FileKind::Directory, 0, mode, None, layer))
    }

    pub fn owned_dir_mode(self, path: &str, uid: u64, gid: u64, mode: u32) -> Self {
        let layer = self.layer;
        let mut e = entry(path, FileKind::Directory, 0, mode, None, layer);
        e.uid = uid;
        e.gid = gid;
        self.entry(e)
    }

    pub fn owned_dir(self, path: &str, uid: u64, gid: u64) -> Self {
        let layer = self.layer;
        let mut e = entry(path, FileKind::Directory, 0, 0o755, None, layer);
        e.uid = uid;
        e.gid = gid;
        self.entry(e)
    }

    pub fn symlink(self, path: &str, target: &str) -> Self {
        let layer = self.layer;
        self.entry(entry(path, FileKind::Symlink, 0, 0o777, Some(target), layer))
    }

    /// A regular file with content; the content is kept only if a rule asked for it.
    pub fn text(mut self, path: &str, content: &str) -> Self {
        let path = normalize(path);
        self.contents.retain(|(p, _)| *p != path);
        self.contents.push((path.clone(), content.as_bytes().to_vec()));
        let layer = self.layer;
        let mode = if content.starts_with("#!") { 0o755 } else { 0o644 };
        self.entry(entry(&path, FileKind::Regular, content.len() as u64, mode, None, layer))
    }

    /// Deletes a path (and everything below it), as a whiteout in the current layer would.
    pub fn remove(mut self, path: &str) -> Self {
        self.entries.retain(|e| !crate::facts::fs::is_within(&e.path, path));
        self.contents.retain(|(p, _)| !crate::facts::fs::is_within(p, path));
        self
    }

    pub fn user(mut self, user: &str) -> Self {
        self.facts.image_config.user = user.into();
        self
    }
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.facts.image_config.env.retain(|(k, _)| k != key);
        self.facts.image_config.env.push((key.into(), value.into()));
        self
    }
    pub fn workdir(mut self, dir: &str) -> Self {
        self.facts.image_config.working_dir = dir.into();
        self
    }
    pub fn architecture(mut self, arch: &str) -> Self {
        self.facts.image_config.architecture = arch.into();
        self
    }
    pub fn entrypoint(mut self, words: &[&str]) -> Self {
        self.facts.image_config.entrypoint = Some(words.iter().map(|w| w.to_string()).collect());
        self
    }
    pub fn cmd(mut self, words: &[&str]) -> Self {
        self.facts.image_config.cmd = Some(words.iter().map(|w| w.to_string()).collect());
        self
    }
    pub fn expose(mut self, port: &str) -> Self {
        self.facts.image_config.exposed_ports.push(port.into());
        self
    }
    /// Sets the size of the current layer directly (for size rules).
    pub fn layer_size(mut self, bytes: u64) -> Self {
        self.facts.layers[self.layer as usize].size_bytes = bytes;
        self
    }

    pub fn build(mut self) -> ImageFacts {
        self.facts.uids_seen.sort_unstable();
        self.facts.gids_seen.sort_unstable();
        let files = FileSystem::from_entries(self.entries);
        let mut captured: Vec<CapturedFile> = self
            .contents
            .into_iter()
            .filter_map(|(path, content)| {
                let max = capture::wanted(&path)? as usize;
                let layer = files.get(&path)?.layer;
                let size = content.len() as u64;
                let content = content[..content.len().min(max)].to_vec();
                Some(CapturedFile { path, layer, content, size })
            })
            .collect();
        captured.sort_by(|a, b| a.path.cmp(&b.path));
        self.facts.files = files;
        self.facts.captured = captured;
        self.facts
    }
}

pub fn entry(path: &str, kind: FileKind, size: u64, mode: u32, target: Option<&str>, layer: u32) -> FileEntry {
    FileEntry { path: normalize(path), kind, size, mode, uid: 0, gid: 0, link_target: target.map(Into::into), layer }
}

/// A Dockerfile's final stage, built up instruction by instruction; each added fact gets the
/// next line number and the given text as that line.
pub struct DockerfileBuilder {
    pub facts: DockerfileFacts,
}

impl DockerfileBuilder {
    pub fn from(image: &str) -> DockerfileBuilder {
        let mut facts = DockerfileFacts { file_name: "Dockerfile".into(), stage_count: 1, ..Default::default() };
        facts.lines.push(&alloc::format!("FROM {image}"));
        facts.final_stage =
            Some(StageFacts { from: FromFacts { image: image.into(), span: Span::line(1), ..Default::default() }, ..Default::default() });
        DockerfileBuilder { facts }
    }

    /// Appends a line of text and returns its span.
    pub fn line(&mut self, text: &str) -> Span {
        self.facts.lines.push(text);
        Span::line(self.facts.lines.len() as u32)
    }

    pub fn stage(&mut self) -> &mut StageFacts {
        self.facts.final_stage.get_or_insert_with(Default::default)
    }

    pub fn with(mut self, text: &str, f: impl FnOnce(&mut StageFacts, Span)) -> Self {
        let span = self.line(text);
        f(self.stage(), span);
        self
    }

    pub fn user(self, value: &str, uid: Option<u64>, gid: Option<u64>) -> Self {
        let text = alloc::format!("USER {value}");
        self.with(&text, |s, span| {
            s.user = Some(DockerfileUser { value: value.into(), uid, gid, span, ..Default::default() });
        })
    }

    pub fn build(self) -> DockerfileFacts {
        self.facts
    }
}

/// Parses an AppImageConfig JSON text (panics on invalid JSON: tests only).
pub fn app_image_config(json: &str) -> AppImageConfigFacts {
    crate::app_image_config::parse("app-image-config.json", json.as_bytes()).unwrap_or_else(|e| panic!("{}", e.message))
}

/// The AWS sample AppImageConfig with the given kernel name, 1000/100, default mount path.
pub fn app_image_config_with_kernel(name: &str) -> AppImageConfigFacts {
    app_image_config(&alloc::format!(
        r#"{{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {{"KernelSpecs": [{{"Name": "{name}"}}],
           "FileSystemConfig": {{"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}}}}"#
    ))
}

pub fn facts(
    image: Option<ImageFacts>,
    dockerfile: Option<DockerfileFacts>,
    app_image_config: Option<AppImageConfigFacts>,
) -> Facts<'static> {
    Facts { image: image.map(alloc::borrow::Cow::Owned), dockerfile, app_image_config }
}

pub fn run(facts: &Facts<'_>) -> Report {
    crate::check(facts, vec![], &crate::Options::default())
}

/// The check under a fixed profile (`--profile`).
pub fn run_as(facts: &Facts<'_>, profile: crate::vocabulary::Profile) -> Report {
    let options = crate::Options { profile: crate::ProfileChoice::Fixed(profile), ..Default::default() };
    crate::check(facts, vec![], &options)
}

/// Findings of one rule (by ID) under a fixed profile.
pub fn findings_as(facts: &Facts<'_>, rule: &str, profile: crate::vocabulary::Profile) -> Vec<Finding> {
    run_as(facts, profile).findings.into_iter().filter(|f| f.rule == rule).collect()
}

/// Where a finding was observed, each location in words (`Location::describe`): what a test
/// asserts about the evidence.
pub fn located_at(finding: &Finding) -> Vec<String> {
    finding.locations.iter().map(|l| l.describe()).collect()
}

/// Findings of one rule (by ID).
pub fn findings(facts: &Facts<'_>, rule: &str) -> Vec<Finding> {
    run(facts).findings.into_iter().filter(|f| f.rule == rule).collect()
}
