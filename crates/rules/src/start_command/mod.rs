//! The effective start command: what the container runs when the new Studio's JupyterLab or
//! Code Editor app starts it, and the servers that command launches.
//!
//! Docker's rules, applied to what the inputs say: the image's ENTRYPOINT + CMD (from the image
//! config when an archive is given, else the Dockerfile's final stage; a shell form runs as
//! `/bin/sh -c "…"`), then the AppImageConfig's `ContainerConfig` for the app
//! (`ContainerEntrypoint` replaces ENTRYPOINT and drops CMD, `ContainerArguments` replaces CMD).
//! The command is then followed ([`follow`]) through wrappers (`tini`, `dumb-init`, `exec`,
//! `env`, `sh -c`, `conda run`…), the start scripts the image holds (`exec "$@"` hands over to
//! the arguments), and supervisord's `[program:x] command=` lines, to the servers it launches
//! ([`Launch`]). Every word keeps where it came from ([`Origin`]) for evidence. What could not be
//! followed (a script the inputs do not contain) is kept, so a rule can say so instead of
//! claiming that nothing starts.

mod base;
mod follow;
pub mod jupyter_settings;
pub mod shell;
pub mod supervisord;

use alloc::string::String;
use alloc::vec::Vec;

use crate::facts::{CommandForm, Facts, FileEntry, ImageFacts, Span};
use crate::vocabulary::{FilePattern, Profile};

/// Files a start command commonly runs or configures (so the image reader keeps them): start
/// scripts first, then service-manager and Jupyter configuration.
pub const START_FILES: &[FilePattern] = &[
    FilePattern::new("/*.sh", 64 * 1024),
    FilePattern::new("/*entrypoint*", 64 * 1024),
    FilePattern::new("/usr/local/bin/*.sh", 64 * 1024),
    FilePattern::new("/usr/local/bin/*entrypoint*", 64 * 1024),
    FilePattern::new("/usr/local/bin/start*", 64 * 1024),
    FilePattern::new("/usr/bin/*entrypoint*", 64 * 1024),
    FilePattern::new("/opt/*/*.sh", 64 * 1024),
    FilePattern::new("/opt/*/bin/*.sh", 64 * 1024),
    FilePattern::new("/etc/supervisord.conf", 64 * 1024),
    FilePattern::new("/etc/supervisor/**", 64 * 1024),
    FilePattern::new("/etc/supervisord.d/*", 64 * 1024),
    FilePattern::new("/**/etc/jupyter/*.py", 64 * 1024),
    FilePattern::new("/**/etc/jupyter/*.json", 64 * 1024),
    FilePattern::new("/**/.jupyter/*.py", 64 * 1024),
    FilePattern::new("/**/.jupyter/*.json", 64 * 1024),
    FilePattern::new("/**/etc/jupyter/jupyter_server_config.d/*.json", 64 * 1024),
    FilePattern::new("/**/.jupyter/jupyter_server_config.d/*.json", 64 * 1024),
];
/// How many of [`START_FILES`] are start scripts (the rest is configuration).
pub const START_SCRIPT_PATTERNS: usize = 8;

/// How many bytes of a file that lands at `path` in the image the start command may need (the
/// build-context files a Dockerfile-only check reads, `--context`).
pub fn wanted_from_context(path: &str) -> Option<u32> {
    START_FILES.iter().filter(|p| p.matches(path)).map(|p| p.max_bytes).max()
}

/// Where a word of the start command came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// An ENTRYPOINT or CMD instruction of the Dockerfile's final stage.
    Dockerfile(Span),
    /// The image config's `Entrypoint` or `Cmd`.
    ImageConfig(&'static str),
    /// A `ContainerConfig` field of the AppImageConfig (JSON pointer).
    AppImageConfig(String),
    /// A line of a file in the image (start script, supervisord configuration).
    ImageFile { path: String, line: u32 },
    /// A line of a build-context file (`--context`) that the COPY/ADD at `span` puts in the image.
    ContextFile { source: String, line: u32, span: Span },
    /// The base image's `ENTRYPOINT` or `CMD` (`field`) as the table of base images has it, for
    /// a Dockerfile-only check; `assumed` is [`crate::base_image::BaseMatch::assumed`].
    BaseImage { field: &'static str, assumed: String },
}

/// A word of the start command and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub origin: Origin,
}

/// The server an app needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// Jupyter Server (JupyterLab's), started by `jupyter lab|server` and its spellings.
    Jupyter,
    /// `sagemaker-code-editor`.
    CodeEditor,
}

impl Server {
    pub fn of(profile: Profile) -> Option<Server> {
        match profile {
            Profile::JupyterLab => Some(Server::Jupyter),
            Profile::CodeEditor => Some(Server::CodeEditor),
            Profile::StudioClassic => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Server::Jupyter => "Jupyter Server",
            Server::CodeEditor => "sagemaker-code-editor",
        }
    }
}

/// A server the start command launches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {
    pub server: Server,
    /// The launching command: program words, then `args`.
    pub argv: Vec<Word>,
    /// Index in `argv` where the server's own options start.
    pub args_at: usize,
    /// Inside an `if`/`while`/`case` of a script: maybe not the launch that runs.
    pub conditional: bool,
    /// A SageMaker Distribution entrypoint that could not be read (`entrypoint-code-editor`):
    /// AWS states it takes care of the app's requirements.
    pub distribution_entrypoint: Option<String>,
}

impl Launch {
    pub fn args(&self) -> &[Word] {
        self.argv.get(self.args_at..).unwrap_or(&[])
    }
    /// The command line as a user would type it.
    pub fn text(&self) -> String {
        words_text(&self.argv)
    }
}

/// A program the command runs that could be a start script but whose content the inputs lack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfollowed {
    pub program: String,
    pub origin: Origin,
    /// True when an image archive was given and the file is not in it.
    pub missing_from_image: bool,
}

/// The merged command and what following it found.
#[derive(Debug, Clone, Default)]
pub struct StartCommand<'a> {
    /// ENTRYPOINT then CMD words, after the merge (empty: the container runs nothing known).
    pub argv: Vec<Word>,
    /// How many of `argv` are the ENTRYPOINT's.
    pub entrypoint_len: usize,
    /// Nothing in the inputs says what runs: a Dockerfile without ENTRYPOINT/CMD whose base
    /// image's command is unknown.
    pub inherited_unknown: bool,
    /// The ENTRYPOINT comes from the base image (the Dockerfile's final stage sets none).
    pub entrypoint_from_base: bool,
    pub launches: Vec<Launch>,
    pub unfollowed: Vec<Unfollowed>,
    /// Start scripts and supervisord files of the image the command went through, in order.
    pub files: Vec<&'a FileEntry>,
    /// Scripts the command runs (paths in the image) that do not hand over to their arguments
    /// (no `"$@"`).
    pub swallowing: Vec<String>,
}

/// Words as one command line: `["a", "b c"]` → `a "b c"`.
pub fn words_text(words: &[Word]) -> String {
    let mut out = String::new();
    for w in words {
        if !out.is_empty() {
            out.push(' ');
        }
        if w.text.is_empty() || w.text.contains(char::is_whitespace) {
            out.push_str(&alloc::format!("{:?}", w.text));
        } else {
            out.push_str(&w.text);
        }
    }
    out
}

fn words_of(values: &[String], origin: &Origin) -> Vec<Word> {
    values.iter().map(|v| Word { text: v.clone(), origin: origin.clone() }).collect()
}

fn form_words(form: &CommandForm, span: Span) -> Vec<Word> {
    let origin = Origin::Dockerfile(span);
    match form {
        CommandForm::Exec(words) => words_of(words, &origin),
        CommandForm::Shell(text) => words_of(&[String::from("/bin/sh"), String::from("-c"), text.clone()], &origin),
    }
}

/// The ENTRYPOINT and CMD the image starts with, before the AppImageConfig: `None` when the
/// inputs do not say (a Dockerfile that declares neither, without the archive).
///
/// Without the archive, the Dockerfile's final stage supplies what it declares and the table
/// of base images what it inherits ([`base`]); a base the table does not know, or whose
/// ENTRYPOINT it does not know, is taken to have none (most bases set none, so CMD is what runs).
fn image_command(facts: &Facts<'_>) -> Option<(Vec<Word>, Vec<Word>)> {
    if let Some(image) = facts.image.as_deref() {
        let config = &image.image_config;
        let ep = config.entrypoint.as_deref().map(|w| words_of(w, &Origin::ImageConfig("Entrypoint"))).unwrap_or_default();
        let cmd = config.cmd.as_deref().map(|w| words_of(w, &Origin::ImageConfig("Cmd"))).unwrap_or_default();
        return Some((ep, cmd));
    }
    base::with_inherited(facts).or_else(|| dockerfile_command(facts))
}

/// The ENTRYPOINT and CMD words the Dockerfile's final stage declares (`None`: neither).
pub fn dockerfile_command(facts: &Facts<'_>) -> Option<(Vec<Word>, Vec<Word>)> {
    let stage = facts.dockerfile.as_ref()?.final_stage.as_ref()?;
    if stage.entrypoint.is_none() && stage.cmd.is_none() {
        return None;
    }
    let ep = stage.entrypoint.as_ref().map(|(f, s)| form_words(f, *s)).unwrap_or_default();
    let cmd = stage.cmd.as_ref().map(|(f, s)| form_words(f, *s)).unwrap_or_default();
    Some((ep, cmd))
}

/// Whether the ENTRYPOINT is the base image's: the archive (or, without it, the table of base
/// images) has one and the Dockerfile's final stage declares none (with the archive: the stage
/// does not start from an earlier stage of the same file).
fn entrypoint_from_base(facts: &Facts<'_>) -> bool {
    let Some(image) = facts.image.as_deref() else {
        return base::entrypoint_inherited(facts);
    };
    let Some(stage) = facts.dockerfile.as_ref().and_then(|d| d.final_stage.as_ref()) else {
        return false;
    };
    image.image_config.entrypoint.as_ref().is_some_and(|e| !e.is_empty()) && stage.entrypoint.is_none() && !stage.from.is_stage
}

/// The `ContainerConfig` words for the profile's app block: (entrypoint, arguments).
fn container_config(facts: &Facts<'_>, profile: Profile) -> (Option<Vec<Word>>, Option<Vec<Word>>) {
    let key = match profile {
        Profile::JupyterLab => "/JupyterLabAppImageConfig",
        Profile::CodeEditor => "/CodeEditorAppImageConfig",
        Profile::StudioClassic => return (None, None),
    };
    let Some(block) = facts.app_image_config.as_ref().and_then(|c| c.new_app_blocks.iter().find(|b| b.pointer == key)) else {
        return (None, None);
    };
    let Some(container) = &block.container else {
        return (None, None);
    };
    let words = |field: &Option<crate::facts::app_image_config::ConfigWords>| {
        field
            .as_ref()
            .map(|f| f.value.iter().map(|w| Word { text: w.value.clone(), origin: Origin::AppImageConfig(w.pointer.clone()) }).collect())
    };
    (words(&container.entrypoint), words(&container.arguments))
}

/// Reads the effective start command for `profile` and follows it (programs are looked up on
/// the image's PATH).
pub fn read<'a>(facts: &'a Facts<'a>, profile: Profile) -> StartCommand<'a> {
    let image: Option<&'a ImageFacts> = facts.image.as_deref();
    let stage = facts.dockerfile.as_ref().and_then(|d| d.final_stage.as_ref());
    let path_dirs: Vec<String> = match (image, stage.and_then(|s| s.env_var("PATH"))) {
        (Some(i), _) => crate::path_lookup::path_dirs(&i.image_config),
        (None, Some(path)) => path.split(':').filter(|d| !d.is_empty() && !d.contains('$')).map(String::from).collect(),
        (None, None) => crate::path_lookup::DEFAULT_PATH.split(':').map(String::from).collect(),
    };
    let context: &'a [crate::facts::ContextFile] = facts.dockerfile.as_ref().map(|d| d.context_files.as_slice()).unwrap_or(&[]);
    let declared = image_command(facts);
    let (config_ep, config_args) = container_config(facts, profile);
    let mut start = StartCommand { entrypoint_from_base: entrypoint_from_base(facts), ..StartCommand::default() };
    let (ep, cmd) = match (config_ep, declared) {
        // Spec (Docker): an entrypoint given at run time clears the image's CMD.
        (Some(ep), _) => {
            start.entrypoint_from_base = false;
            (ep, config_args.unwrap_or_default())
        }
        (None, Some((ep, cmd))) => (ep, config_args.unwrap_or(cmd)),
        (None, None) => match config_args {
            Some(args) => (Vec::new(), args),
            None => {
                start.inherited_unknown = facts.image.is_none() && facts.dockerfile.is_some();
                (Vec::new(), Vec::new())
            }
        },
    };
    start.entrypoint_len = ep.len();
    start.argv = ep;
    start.argv.extend(cmd);
    // A base ENTRYPOINT the table knows to hand over to its arguments is not in the inputs to
    // follow: what runs is the CMD.
    let skip = if start.entrypoint_from_base && base::entrypoint_hands_over(facts) { start.entrypoint_len } else { 0 };
    let argv: Vec<Word> = start.argv.get(skip..).unwrap_or(&[]).to_vec();
    follow::follow(&mut start, image, context, &path_dirs, &argv);
    start
}

impl StartCommand<'_> {
    /// The launches of `server`, unconditional ones first.
    pub fn launches_of(&self, server: Server) -> Vec<&Launch> {
        let mut found: Vec<&Launch> = self.launches.iter().filter(|l| l.server == server).collect();
        found.sort_by_key(|l| l.conditional);
        found
    }

    /// The launches of `server` that `judge` finds wrong (it returns what is wrong). A launch
    /// in a branch of a script may not be the one that runs: when some launch is unconditional
    /// only those are judged; otherwise the branches are reported only when none is right.
    pub fn failing_launches<T>(&self, server: Server, judge: impl Fn(&Launch) -> Option<T>) -> Vec<(&Launch, T)> {
        let launches = self.launches_of(server);
        let any_unconditional = launches.iter().any(|l| !l.conditional);
        let judged: Vec<(&Launch, Option<T>)> =
            launches.into_iter().filter(|l| !any_unconditional || !l.conditional).map(|l| (l, judge(l))).collect();
        if !any_unconditional && judged.iter().any(|(_, verdict)| verdict.is_none()) {
            return Vec::new();
        }
        judged.into_iter().filter_map(|(l, verdict)| Some((l, verdict?))).collect()
    }

    /// The distinct origins of some words, in order.
    pub fn origins<'w>(words: impl IntoIterator<Item = &'w Word>) -> Vec<&'w Origin> {
        let mut out: Vec<&Origin> = Vec::new();
        for w in words {
            if !out.contains(&&w.origin) {
                out.push(&w.origin);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    use super::*;
    use crate::facts::{CommandForm, Facts};
    use crate::testkit::*;

    fn texts(words: &[Word]) -> Vec<&str> {
        words.iter().map(|w| w.text.as_str()).collect()
    }

    fn read_as<'a>(facts: &'a Facts<'a>, profile: Profile) -> StartCommand<'a> {
        read(facts, profile)
    }

    #[test]
    fn container_entrypoint_replaces_entrypoint_and_drops_cmd() {
        let image = ImageBuilder::good().entrypoint(&["/usr/local/bin/_entrypoint.sh"]).cmd(&["python3"]).build();
        let config = app_image_config(
            r#"{"AppImageConfigName": "x", "JupyterLabAppImageConfig": {"ContainerConfig": {"ContainerEntrypoint": ["jupyter-lab"]}}}"#,
        );
        let f = facts(Some(image), None, Some(config));
        let start = read_as(&f, Profile::JupyterLab);
        assert_eq!(texts(&start.argv), ["jupyter-lab"]);
        assert_eq!(start.argv[0].origin, Origin::AppImageConfig("/JupyterLabAppImageConfig/ContainerConfig/ContainerEntrypoint/0".into()));
        assert_eq!(start.launches.len(), 1);
        // Studio Classic has no ContainerConfig: the image's own command stands.
        assert_eq!(texts(&read_as(&f, Profile::StudioClassic).argv), ["/usr/local/bin/_entrypoint.sh", "python3"]);
    }

    #[test]
    fn container_arguments_replace_cmd_only() {
        let image = ImageBuilder::good().entrypoint(&["tini", "--"]).cmd(&["bash"]).build();
        let config = app_image_config(
            r#"{"AppImageConfigName": "x", "CodeEditorAppImageConfig": {"ContainerConfig": {"ContainerArguments": ["sagemaker-code-editor", "--port", "8888"]}}}"#,
        );
        let f = facts(Some(image), None, Some(config));
        let start = read_as(&f, Profile::CodeEditor);
        assert_eq!(texts(&start.argv), ["tini", "--", "sagemaker-code-editor", "--port", "8888"]);
        assert_eq!(start.entrypoint_len, 2);
        let launch = &start.launches[0];
        assert_eq!((launch.server, texts(launch.args())), (Server::CodeEditor, alloc::vec!["--port", "8888"]));
    }

    #[test]
    fn a_shell_form_cmd_runs_through_sh_and_keeps_its_line() {
        let form = CommandForm::Shell("micromamba activate base; exec sagemaker-code-editor --host 0.0.0.0".into());
        let df = DockerfileBuilder::from("mambaorg/micromamba").with("CMD …", |s, span| s.cmd = Some((form, span))).build();
        let f = facts(None, Some(df), None);
        let start = read_as(&f, Profile::CodeEditor);
        assert_eq!(texts(&start.argv)[..3], ["/usr/local/bin/_entrypoint.sh", "/bin/sh", "-c"]);
        let launch = &start.launches[0];
        assert_eq!(texts(&launch.argv), ["sagemaker-code-editor", "--host", "0.0.0.0"]);
        assert_eq!(launch.argv[0].origin, Origin::Dockerfile(crate::facts::Span::line(2)));
    }

    #[test]
    fn a_dockerfile_only_check_takes_what_the_stage_does_not_declare_from_the_base_table() {
        let assumed = |field| Origin::BaseImage { field, assumed: crate::base_image::lookup("mambaorg/micromamba:1.5").unwrap().assumed() };
        // A CMD keeps the base's ENTRYPOINT.
        let form = CommandForm::Exec(alloc::vec!["jupyter".into(), "lab".into()]);
        let df = DockerfileBuilder::from("mambaorg/micromamba:1.5").with("CMD …", |s, span| s.cmd = Some((form, span))).build();
        let f = facts(None, Some(df), None);
        let start = read_as(&f, Profile::JupyterLab);
        assert_eq!(texts(&start.argv), ["/usr/local/bin/_entrypoint.sh", "jupyter", "lab"]);
        assert_eq!((start.entrypoint_len, start.entrypoint_from_base), (1, true));
        assert_eq!(start.argv[0].origin, assumed("ENTRYPOINT"));
        assert_eq!(start.launches.len(), 1, "the hand-over entrypoint is not followed: {:?}", start.unfollowed);
        // Neither declared: the base's ENTRYPOINT and CMD, each saying so.
        let f = facts(None, Some(DockerfileBuilder::from("mambaorg/micromamba:1.5").build()), None);
        let start = read_as(&f, Profile::JupyterLab);
        assert_eq!(texts(&start.argv), ["/usr/local/bin/_entrypoint.sh", "/bin/bash"]);
        assert_eq!(start.argv[1].origin, assumed("CMD"));
        // An ENTRYPOINT clears the base's CMD and is not the base's.
        let form = CommandForm::Exec(alloc::vec!["jupyter-lab".into()]);
        let df =
            DockerfileBuilder::from("mambaorg/micromamba:1.5").with("ENTRYPOINT …", |s, span| s.entrypoint = Some((form, span))).build();
        let f = facts(None, Some(df), None);
        let start = read_as(&f, Profile::JupyterLab);
        assert_eq!((texts(&start.argv), start.entrypoint_from_base), (alloc::vec!["jupyter-lab"], false));
        // A base the table does not know: as before, nothing is guessed.
        let f = facts(None, Some(DockerfileBuilder::from("my-registry/base:1").build()), None);
        let start = read_as(&f, Profile::JupyterLab);
        assert!(start.argv.is_empty() && start.inherited_unknown && !start.entrypoint_from_base);
    }

    #[test]
    fn supervisord_programs_are_followed_to_the_script_line() {
        let image = ImageBuilder::good()
            .text(
                "/usr/local/bin/entrypoint-jupyter-server",
                "#!/bin/bash\nset -e\nexec supervisord -c /etc/supervisor/conf.d/supervisord.conf -n\n",
            )
            .text(
                "/etc/supervisor/conf.d/supervisord.conf",
                "[include]\nfiles = common.conf\n\n[program:jupyterlabserver]\ncommand=start-jupyter-server\n",
            )
            .text("/etc/supervisor/conf.d/common.conf", "[supervisord]\nnodaemon=true\n")
            .text("/usr/local/bin/start-jupyter-server", "#!/bin/bash\nset -e\n\njupyter lab --ip 0.0.0.0 \\\n  --port 8888\n")
            .entrypoint(&["entrypoint-jupyter-server"])
            .build();
        let f = facts(Some(image), None, None);
        let start = read_as(&f, Profile::JupyterLab);
        assert_eq!(start.launches.len(), 1, "{:?}", start.launches);
        let launch = &start.launches[0];
        assert_eq!(texts(&launch.argv), ["jupyter", "lab", "--ip", "0.0.0.0", "--port", "8888"]);
        assert_eq!(launch.argv[0].origin, Origin::ImageFile { path: "/usr/local/bin/start-jupyter-server".into(), line: 4 });
        let files: Vec<&str> = start.files.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            files,
            [
                "/usr/local/bin/entrypoint-jupyter-server",
                "/etc/supervisor/conf.d/supervisord.conf",
                "/usr/local/bin/start-jupyter-server",
                "/etc/supervisor/conf.d/common.conf"
            ]
        );
    }

    #[test]
    fn an_unreadable_distribution_entrypoint_still_names_its_server() {
        let df = DockerfileBuilder::from("public.ecr.aws/sagemaker/sagemaker-distribution:latest-cpu")
            .with("ENTRYPOINT [\"entrypoint-code-editor\"]", |s, span| {
                s.entrypoint = Some((CommandForm::Exec(alloc::vec!["entrypoint-code-editor".into()]), span))
            })
            .build();
        let f = facts(None, Some(df), None);
        let start = read_as(&f, Profile::CodeEditor);
        assert_eq!(start.launches[0].distribution_entrypoint.as_deref(), Some("entrypoint-code-editor"));
    }

    #[test]
    fn a_command_held_in_a_variable_is_unknown_not_absent() {
        let script = "#!/bin/bash\ncmd=( \"$@\" )\nexec \"${cmd[@]}\"\n";
        let image = ImageBuilder::good().text("/usr/local/bin/start.sh", script).entrypoint(&["start.sh"]).cmd(&["jupyter", "lab"]).build();
        let f = facts(Some(image), None, None);
        let start = read_as(&f, Profile::JupyterLab);
        assert!(start.launches.is_empty());
        assert_eq!(start.unfollowed[0].program, "${cmd[@]}");
        assert_eq!(start.unfollowed[0].origin, Origin::ImageFile { path: "/usr/local/bin/start.sh".into(), line: 3 });
    }

    #[test]
    fn a_script_that_calls_itself_is_entered_once() {
        let image = ImageBuilder::good().text("/start.sh", "#!/bin/sh\n/start.sh \"$@\"\n").entrypoint(&["/start.sh"]).cmd(&["x"]).build();
        let f = facts(Some(image), None, None);
        let start = read_as(&f, Profile::JupyterLab);
        assert!(start.launches.is_empty());
        assert_eq!(start.files.len(), 1);
    }
}
