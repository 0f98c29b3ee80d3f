//! The words every other module of the crate speaks: how bad a finding is ([`Severity`]), which
//! section of the specification a rule enforces ([`Section`]), which Studio app it holds for
//! ([`Profile`]), which kind of input a rule needs ([`InputKind`]) and which image files it reads
//! ([`FilePattern`]). A leaf: it imports nothing
//! else of the crate, so facts, models, reports, rules and the catalog can all depend on it
//! without a cycle.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const fn label(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// The sections of the specification, in its order; `heading()` is the spec's own heading text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    RunningTheImage,
    StoppingTheImage,
    KernelDiscovery,
    FileSystem,
    UserData,
    GidUidLimits,
    Metadata,
    Gpu,
    MetricsAndLogging,
    ImageSize,
}

impl Section {
    pub const ALL: [Section; 10] = [
        Section::RunningTheImage,
        Section::StoppingTheImage,
        Section::KernelDiscovery,
        Section::FileSystem,
        Section::UserData,
        Section::GidUidLimits,
        Section::Metadata,
        Section::Gpu,
        Section::MetricsAndLogging,
        Section::ImageSize,
    ];

    pub const fn heading(self) -> &'static str {
        match self {
            Section::RunningTheImage => "Running the image",
            Section::StoppingTheImage => "Stopping the image",
            Section::KernelDiscovery => "Kernel discovery",
            Section::FileSystem => "File system",
            Section::UserData => "User data",
            Section::GidUidLimits => "GID/UID limits",
            Section::Metadata => "Metadata",
            Section::Gpu => "GPU",
            Section::MetricsAndLogging => "Metrics and logging",
            Section::ImageSize => "Image size",
        }
    }

    pub fn from_heading(heading: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.heading() == heading)
    }
}

/// The report shows a section by its heading, so it reads back from the heading too.
impl serde::Serialize for Section {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.heading())
    }
}

impl<'de> serde::Deserialize<'de> for Section {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Section, D::Error> {
        let heading = <alloc::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        Section::from_heading(&heading).ok_or_else(|| serde::de::Error::unknown_variant(&heading, &[]))
    }
}

/// The three kinds of input a check can have; a rule names the ones it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    /// A `docker save` (or compatible) archive.
    Image,
    /// The Dockerfile the image was built from.
    Dockerfile,
    /// The AppImageConfig JSON (CreateAppImageConfig input or DescribeAppImageConfig output).
    AppImageConfig,
}

impl InputKind {
    pub const ALL: [InputKind; 3] = [InputKind::Image, InputKind::Dockerfile, InputKind::AppImageConfig];

    pub const fn label(self) -> &'static str {
        match self {
            InputKind::Image => "image archive",
            InputKind::Dockerfile => "Dockerfile",
            InputKind::AppImageConfig => "AppImageConfig",
        }
    }
}

/// The Studio app an image is checked for. Studio Classic runs the image as a KernelGateway app
/// and replaces its start command; the new Studio's JupyterLab and Code Editor apps run the
/// image's own start command, which must start the app's server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Profile {
    #[serde(rename = "studio-classic")]
    StudioClassic,
    #[serde(rename = "jupyterlab")]
    JupyterLab,
    #[serde(rename = "code-editor")]
    CodeEditor,
}

impl Profile {
    pub const ALL: [Profile; 3] = [Profile::StudioClassic, Profile::JupyterLab, Profile::CodeEditor];
    /// Rules that hold whichever app runs the image.
    pub const EVERY: &'static [Profile] = &Profile::ALL;
    /// Rules about Studio Classic's KernelGateway app only.
    pub const CLASSIC: &'static [Profile] = &[Profile::StudioClassic];
    /// Rules about the kernels Jupyter discovers: Studio Classic and JupyterLab (Code Editor has
    /// no notebook kernels to list).
    pub const JUPYTER: &'static [Profile] = &[Profile::StudioClassic, Profile::JupyterLab];
    /// Rules about the new Studio's apps only (their AppImageConfig blocks, their start command).
    pub const NEW_APPS: &'static [Profile] = &[Profile::JupyterLab, Profile::CodeEditor];
    /// Rules about the new Studio's JupyterLab app only (its Jupyter Server).
    pub const JUPYTERLAB_APP: &'static [Profile] = &[Profile::JupyterLab];
    /// Rules about the new Studio's Code Editor app only (its `sagemaker-code-editor`).
    pub const CODE_EDITOR_APP: &'static [Profile] = &[Profile::CodeEditor];

    /// The identifier of `--profile` and of the JSON report.
    pub const fn id(self) -> &'static str {
        match self {
            Profile::StudioClassic => "studio-classic",
            Profile::JupyterLab => "jupyterlab",
            Profile::CodeEditor => "code-editor",
        }
    }

    /// The app's short name, as the page's profile selector lists it ("JupyterLab").
    pub const fn name(self) -> &'static str {
        match self {
            Profile::StudioClassic => "Studio Classic",
            Profile::JupyterLab => "JupyterLab",
            Profile::CodeEditor => "Code Editor",
        }
    }

    /// The app in words ("Studio Classic", "Studio's JupyterLab app").
    pub const fn app(self) -> &'static str {
        match self {
            Profile::StudioClassic => "Studio Classic",
            Profile::JupyterLab => "Studio's JupyterLab app",
            Profile::CodeEditor => "Studio's Code Editor app",
        }
    }

    pub fn parse(text: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.id() == text)
    }
}

/// The launch stage at which a rule's problem makes Studio fail, in the order Studio goes
/// through them; [`Stage::Never`] for problems that never stop a launch (size warnings, logs,
/// hygiene). A rule states its stage once, in its declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// CreateAppImageConfig (and the image version) accept the configuration.
    Register,
    /// Studio pulls the image and can run its platform.
    ImagePull,
    /// The container starts: the user it runs as, the home mount, reserved paths.
    ContainerStart,
    /// The app's server starts: Studio Classic's KernelGateway, or the JupyterLab / Code Editor server.
    ServerStart,
    /// Studio finds the kernels it lists.
    KernelDiscovery,
    /// A kernel starts: its command and interpreter.
    KernelStart,
    /// The problem never stops a launch.
    #[serde(rename = "none")]
    Never,
}

impl Stage {
    /// The stages an app goes through, in order. Code Editor lists no notebook kernels, so its
    /// launch ends with the server.
    pub const fn of(profile: Profile) -> &'static [Stage] {
        match profile {
            Profile::StudioClassic | Profile::JupyterLab => {
                &[Stage::Register, Stage::ImagePull, Stage::ContainerStart, Stage::ServerStart, Stage::KernelDiscovery, Stage::KernelStart]
            }
            Profile::CodeEditor => &[Stage::Register, Stage::ImagePull, Stage::ContainerStart, Stage::ServerStart],
        }
    }

    /// The identifier of the JSON report and the rule catalog.
    pub const fn id(self) -> &'static str {
        match self {
            Stage::Register => "register",
            Stage::ImagePull => "image-pull",
            Stage::ContainerStart => "container-start",
            Stage::ServerStart => "server-start",
            Stage::KernelDiscovery => "kernel-discovery",
            Stage::KernelStart => "kernel-start",
            Stage::Never => "none",
        }
    }

    /// The stage in words, as the app goes through it ("KernelGateway start" in Studio Classic).
    pub const fn label(self, profile: Profile) -> &'static str {
        match (self, profile) {
            (Stage::Register, _) => "AppImageConfig registration",
            (Stage::ImagePull, _) => "image pull",
            (Stage::ContainerStart, _) => "container start",
            (Stage::ServerStart, Profile::StudioClassic) => "KernelGateway start",
            (Stage::ServerStart, Profile::JupyterLab) => "JupyterLab server start",
            (Stage::ServerStart, Profile::CodeEditor) => "Code Editor server start",
            (Stage::KernelDiscovery, _) => "kernel discovery",
            (Stage::KernelStart, _) => "kernel start",
            (Stage::Never, _) => "none",
        }
    }

    /// What is at stake at this stage, whatever the app: what a rule page says.
    pub const fn describe(self) -> &'static str {
        match self {
            Stage::Register => "AppImageConfig registration (the API accepts the configuration)",
            Stage::ImagePull => "image pull (the platform, the size, the files' owners)",
            Stage::ContainerStart => "container start (the user it runs as, the home mount, reserved paths)",
            Stage::ServerStart => "server start (the KernelGateway in Studio Classic, the app's server in JupyterLab and Code Editor)",
            Stage::KernelDiscovery => "kernel discovery (the kernels Studio lists)",
            Stage::KernelStart => "kernel start (the kernel's command and interpreter)",
            Stage::Never => "none (the problem never stops a launch)",
        }
    }
}

/// A file a rule needs the content of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilePattern {
    /// Absolute glob: `*` matches within one path segment, `**` matches any number of segments.
    pub glob: &'static str,
    /// How many bytes to keep at most.
    pub max_bytes: u32,
}

impl FilePattern {
    pub const fn new(glob: &'static str, max_bytes: u32) -> FilePattern {
        FilePattern { glob, max_bytes }
    }
    pub fn matches(&self, path: &str) -> bool {
        glob_matches(self.glob, path)
    }
}

/// Concatenates constant pattern lists into one `&'static [FilePattern]` (for rules that need
/// the files of several groups).
#[macro_export]
macro_rules! file_patterns {
    ($($list:expr),+ $(,)?) => {{
        const LEN: usize = 0 $(+ $list.len())+;
        const ALL: [$crate::vocabulary::FilePattern; LEN] = {
            let mut all = [$crate::vocabulary::FilePattern::new("", 0); LEN];
            let mut n = 0;
            $(
                let mut i = 0;
                while i < $list.len() {
                    all[n] = $list[i];
                    n += 1;
                    i += 1;
                }
            )+
            all
        };
        &ALL
    }};
}

/// Matches an absolute path against an absolute glob (`*`, `?` within a segment; `**` across).
pub fn glob_matches(glob: &str, path: &str) -> bool {
    match_segments(glob, path)
}

/// The first non-empty `/`-separated segment of `text` and what follows it.
fn first_segment(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_start_matches('/');
    (!text.is_empty()).then(|| text.split_once('/').unwrap_or((text, "")))
}

/// Segment by segment, without allocating: the reader asks this of every file it passes.
fn match_segments(glob: &str, path: &str) -> bool {
    match first_segment(glob) {
        None => first_segment(path).is_none(),
        Some(("**", rest)) => {
            let mut path = path;
            loop {
                if match_segments(rest, path) {
                    return true;
                }
                match first_segment(path) {
                    Some((_, further)) => path = further,
                    None => return false,
                }
            }
        }
        Some((first, rest)) => match first_segment(path) {
            Some((segment, further)) => segment_matches(first.as_bytes(), segment.as_bytes()) && match_segments(rest, further),
            None => false,
        },
    }
}

fn segment_matches(glob: &[u8], text: &[u8]) -> bool {
    match glob.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|skip| segment_matches(rest, &text[skip..])),
        Some((b'?', rest)) => !text.is_empty() && segment_matches(rest, &text[1..]),
        Some((c, rest)) => text.first() == Some(c) && segment_matches(rest, &text[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_star_spans_any_number_of_directories() {
        let g = "/**/share/jupyter/kernels/*/kernel.json";
        assert!(glob_matches(g, "/usr/local/share/jupyter/kernels/python3/kernel.json"));
        assert!(glob_matches(g, "/share/jupyter/kernels/ir/kernel.json"));
        assert!(!glob_matches(g, "/usr/share/jupyter/kernels/python3/logo.png"));
        assert!(!glob_matches(g, "/usr/share/jupyter/kernels/kernel.json"));
    }

    #[test]
    fn single_star_stays_within_a_segment() {
        assert!(glob_matches("/etc/supervisor/conf.d/*.conf", "/etc/supervisor/conf.d/jupyter.conf"));
        assert!(!glob_matches("/etc/*.conf", "/etc/supervisor/x.conf"));
    }

    #[test]
    fn empty_segments_and_trailing_double_stars() {
        assert!(glob_matches("/etc/supervisor/**", "/etc/supervisor"), "** spans zero directories");
        assert!(glob_matches("/etc/supervisor/**", "/etc/supervisor/conf.d/a/b.conf"));
        assert!(!glob_matches("/etc/supervisor/**", "/etc/supervisord.conf"));
        assert!(glob_matches("/usr//local/bin/*.sh", "/usr/local/bin//start.sh"), "empty segments are not segments");
        assert!(glob_matches("/**", "/"));
        assert!(!glob_matches("/*", "/"));
        assert!(glob_matches("/*entrypoint*", "/entrypoint"));
        assert!(!glob_matches("/*entrypoint*", "/bin/entrypoint"));
        assert!(glob_matches("/**/a/**/b", "/x/a/y/z/b"));
        assert!(!glob_matches("/**/a/**/b", "/x/a/y/z/b/c"));
    }

    #[test]
    fn a_section_reads_back_from_its_heading() {
        for section in Section::ALL {
            assert_eq!(Section::from_heading(section.heading()), Some(section));
        }
    }
}
