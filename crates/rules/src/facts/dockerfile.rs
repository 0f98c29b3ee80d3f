//! Facts read from a Dockerfile: what the final stage (the image) sets and does, with the line
//! span of every instruction that says so. The Dockerfile reader resolves ARG/ENV expansion and
//! the shell commands of RUN; rules only compare.

use alloc::string::String;
use alloc::vec::Vec;

/// 1-based physical lines of one instruction (continuations and heredoc bodies included).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn line(line: u32) -> Span {
        Span { start: line, end: line }
    }
    pub const fn new(start: u32, end: u32) -> Span {
        Span { start, end }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DockerfileFacts {
    /// The name the user gave the file (path on the CLI, file name in the page).
    pub file_name: String,
    /// Physical lines of the file (used to quote the line in a finding).
    pub lines: SourceLines,
    /// The stage that becomes the image (the last one, or the `--target`).
    pub final_stage: Option<StageFacts>,
    /// Number of `FROM` stages.
    pub stage_count: u32,
    /// ARGs referenced without a value; anything derived from them is unknown, not guessed.
    pub unresolved_args: Vec<(String, Span)>,
    /// `# sm-image-check ignore=RULE reason` comments.
    pub suppressions: Vec<Suppression>,
    /// Start scripts and their configuration that the final stage COPYs from the build context
    /// (read only when the user names the context, `--context DIR`).
    pub context_files: Vec<ContextFile>,
}

/// A COPY/ADD source taken from the build context, and where it lands in the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextCopy {
    /// The source as written, relative to the context root.
    pub source: String,
    /// The destination, absolute (resolved against WORKDIR).
    pub dest: String,
    /// The destination is a directory (ends with `/`, or several sources): a file source lands
    /// under its own name there.
    pub dest_is_dir: bool,
    pub span: Span,
}

/// A file of the build context that a COPY puts into the image, with its content (capped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextFile {
    /// Its path in the context (relative to the root).
    pub source: String,
    /// Its path in the image.
    pub path: String,
    /// The COPY/ADD that puts it there.
    pub span: Span,
    pub content: Vec<u8>,
}

impl ContextFile {
    pub fn text(&self) -> &str {
        match core::str::from_utf8(&self.content) {
            Ok(s) => s,
            Err(e) => self.content.get(..e.valid_up_to()).and_then(|b| core::str::from_utf8(b).ok()).unwrap_or(""),
        }
    }
}

/// The physical lines of a text, kept as the one text and where each line starts (one
/// allocation, not one per line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceLines {
    text: String,
    /// Byte ranges of the lines in `text`, without the line break (`\n` or `\r\n`).
    ranges: Vec<(u32, u32)>,
}

impl SourceLines {
    /// The lines of `text`, split at `\n`; a final line break does not start an empty line.
    pub fn new(text: &str) -> SourceLines {
        let mut lines = SourceLines { text: String::from(text), ranges: Vec::new() };
        let mut start = 0usize;
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                lines.push_range(start, i);
                start = i + 1;
            }
        }
        if start < text.len() {
            lines.push_range(start, text.len());
        }
        lines
    }

    fn push_range(&mut self, start: usize, end: usize) {
        let end = if end > start && self.text.as_bytes()[end - 1] == b'\r' { end - 1 } else { end };
        self.ranges.push((start as u32, end as u32));
    }

    /// Adds a line (and its line break) at the end.
    pub fn push(&mut self, line: &str) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
        let start = self.text.len();
        self.text.push_str(line);
        self.ranges.push((start as u32, self.text.len() as u32));
        self.text.push('\n');
    }

    /// Whether the last line ends with a line break (a patch keeps it so).
    pub fn ends_with_line_break(&self) -> bool {
        self.text.is_empty() || self.text.ends_with('\n')
    }

    /// Line `index` (0-based).
    pub fn get(&self, index: usize) -> Option<&str> {
        self.ranges.get(index).and_then(|(s, e)| self.text.get(*s as usize..*e as usize))
    }

    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }
}

impl DockerfileFacts {
    /// The text of the first line of `span`, trimmed, for evidence.
    pub fn line_text(&self, span: Span) -> String {
        let first = self.lines.get(span.start.saturating_sub(1) as usize).map(|s| s.trim()).unwrap_or("");
        let mut text = String::from(first);
        if span.end > span.start {
            text.push_str(" …");
        }
        text
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// Rule ID (`UID001`) or name (`uid-gid-not-supported`) to ignore.
    pub rule: String,
    pub reason: String,
    /// Line of the comment.
    pub comment_line: u32,
    /// The instruction it applies to; `None` for a file-wide suppression.
    pub applies_to: Option<Span>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FromFacts {
    /// The image reference after ARG expansion (may still contain `$` when unresolved).
    pub image: String,
    /// `--platform` value after expansion.
    pub platform: Option<String>,
    /// True when `image` names an earlier stage.
    pub is_stage: bool,
    pub span: Span,
    /// For a stage built FROM an earlier stage: the image at the start of that chain of stages,
    /// and the span of the FROM that names it.
    pub chain_base: Option<(String, Span)>,
}

impl FromFacts {
    /// The image this stage is ultimately built on (following `FROM stage` chains), and the FROM
    /// that names it; `None` when the chain starts at a stage nobody named an image for.
    pub fn base_image(&self) -> Option<(&str, Span)> {
        if self.is_stage {
            self.chain_base.as_ref().map(|(image, span)| (image.as_str(), *span))
        } else {
            Some((self.image.as_str(), self.span))
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandForm {
    Exec(Vec<String>),
    Shell(String),
}

impl CommandForm {
    /// The command as one line of text.
    pub fn text(&self) -> String {
        match self {
            CommandForm::Shell(s) => s.clone(),
            CommandForm::Exec(words) => words.join(" "),
        }
    }
}

/// The user the final stage runs as (the last `USER`), resolved as far as the Dockerfile allows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DockerfileUser {
    /// The `USER` argument after expansion (`1000`, `sagemaker-user`, `1000:100`).
    pub value: String,
    pub name: Option<String>,
    pub uid: Option<u64>,
    pub gid: Option<u64>,
    pub span: Span,
    /// The `useradd`/`adduser`/`usermod` that fixed the uid/gid, when there was one.
    pub created_at: Option<Span>,
    /// How the gid was worked out, in words (e.g. "useradd -N uses the default group 100").
    pub gid_reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteVia {
    Copy,
    Add,
    Run,
}

impl WriteVia {
    pub const fn label(self) -> &'static str {
        match self {
            WriteVia::Copy => "COPY",
            WriteVia::Add => "ADD",
            WriteVia::Run => "RUN",
        }
    }
}

/// A path the Dockerfile writes into the image (absolute, resolved against WORKDIR).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathWrite {
    pub path: String,
    pub via: WriteVia,
    pub span: Span,
}

/// `python -m ipykernel install …` (or `jupyter kernelspec install`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KernelInstall {
    /// `--name`, default `python3`; kernel names are the lower-cased directory name.
    pub name: String,
    pub display_name: Option<String>,
    pub user: bool,
    pub sys_prefix: bool,
    pub prefix: Option<String>,
    pub span: Span,
}

/// `conda create -n X` / `conda env create` / `mamba …` / `micromamba create`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CondaEnvCreation {
    pub name: String,
    /// Whether ipykernel was installed into it (in the same command or a later one).
    pub with_ipykernel: bool,
    pub span: Span,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageInstall {
    /// `apt`, `yum`, `dnf`, `microdnf`, `apk`, `pip`, `conda`, `mamba`, `micromamba`.
    pub manager: String,
    pub package: String,
    pub span: Span,
}

/// A background service the build starts or enables (`service X start`, `systemctl enable X`,
/// supervisord, cron, sshd).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceStart {
    pub service: String,
    pub command: String,
    pub span: Span,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageFacts {
    pub name: Option<String>,
    pub from: FromFacts,
    pub user: Option<DockerfileUser>,
    /// `useradd`/`adduser`/`groupadd` uid or gid values above 65535, with the command's span.
    pub high_ids: Vec<(u64, Span)>,
    pub expose: Vec<(String, Span)>,
    pub entrypoint: Option<(CommandForm, Span)>,
    pub cmd: Option<(CommandForm, Span)>,
    /// ENV in order (later wins).
    pub env: Vec<(String, String, Span)>,
    pub workdir: Option<String>,
    /// The WORKDIR instruction that set `workdir` (`None`: the stage sets none, so the base
    /// image's working directory holds).
    pub workdir_span: Option<Span>,
    pub writes: Vec<PathWrite>,
    pub kernel_installs: Vec<KernelInstall>,
    pub conda_envs: Vec<CondaEnvCreation>,
    pub packages: Vec<PackageInstall>,
    /// NVIDIA `.run` driver installers executed by RUN.
    pub driver_installers: Vec<(String, Span)>,
    pub services: Vec<ServiceStart>,
    /// Raw RUN command texts (shell form, or exec form joined), for pattern checks.
    pub runs: Vec<(String, Span)>,
    /// COPY/ADD sources from the build context (not `--from`, URLs or heredocs), in order.
    pub context_copies: Vec<ContextCopy>,
}

impl StageFacts {
    pub fn env_var(&self, name: &str) -> Option<&str> {
        self.env.iter().rev().find(|(k, _, _)| k == name).map(|(_, v, _)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::SourceLines;

    #[test]
    fn source_lines_split_at_line_feeds_without_the_breaks() {
        let lines = SourceLines::new("FROM a\r\nRUN b \\\n\n  c\n");
        assert_eq!(lines.len(), 4);
        assert_eq!(
            (lines.get(0), lines.get(1), lines.get(2), lines.get(3), lines.get(4)),
            (Some("FROM a"), Some("RUN b \\"), Some(""), Some("  c"), None)
        );
        assert_eq!(SourceLines::new("no final break").get(0), Some("no final break"));
        assert!(SourceLines::new("").is_empty());
        let mut built = SourceLines::default();
        built.push("FROM x");
        built.push("USER 1000");
        assert_eq!((built.get(0), built.get(1)), (Some("FROM x"), Some("USER 1000")));
    }
}
