//! RUN002 `entrypoint-does-setup`: The start command prepares the environment (activates an env, exports variables, runs a start script), which Studio Classic skips.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::rules::commands::{self, SCRIPT_FILES};
use crate::rules::studio_errors;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "RUN002",
    name: "entrypoint-does-setup",
    section: Section::RunningTheImage,
    spec: super::SPEC_ENTRYPOINT,
    severity: Severity::Warning,
    stage: Stage::KernelStart,
    profiles: Profile::CLASSIC,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: SCRIPT_FILES,
    summary: "The start command prepares the environment (activates an env, exports variables, runs a start script), which Studio Classic skips.",
    explanation: "Because Studio Classic replaces ENTRYPOINT and CMD, setup done there — activating a virtualenv or conda \
environment, exporting PATH, creating directories, starting a start script — does not happen in Studio. Kernels then \
run with a different Python or miss files, a failure that is hard to trace (see the poetry sample, which disables \
virtualenvs for exactly this reason).",
    fix: "Do the setup at build time instead: ENV PATH=/opt/venv/bin:$PATH instead of `activate`, RUN for files and directories, and put interpreter paths into kernel.json.",
    explains: &[
        studio_errors::STUDIO_PYTHON,
    ],
    examples: &[
        Example::bad().image(r#"studio-image
text /usr/local/bin/entrypoint.sh #!/bin/bash\nsource /opt/venv/bin/activate\nexec "$@"
entrypoint /usr/local/bin/entrypoint.sh"#),
        Example::good().image(r#"studio-image
entrypoint tini --
cmd python3"#),
    ],
    check,
};

/// What RUN002 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn fragment(text: &str) -> String {
        format!("`{text}`")
    }

    pub fn script_line(line: u32, text: &str) -> String {
        format!("line {line}: `{text}`")
    }

    pub fn script(path: &str, lines: &[String]) -> String {
        format!("{path} ({})", lines.join(", "))
    }

    pub fn unread_script(word: &str) -> String {
        format!("the start script {word}")
    }

    /// `evidence`: what in the command does setup (fragments, script lines, scripts not read).
    pub fn setup_never_runs(command: &str, evidence: &[String]) -> String {
        format!(
            "The start command `{command}` does setup the image may depend on — {} — but Studio Classic never runs it.",
            crate::text::and_list(evidence)
        )
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    for command in commands::declared(ctx) {
        let mut evidence: Vec<String> = Vec::new();
        let mut locations: Vec<Location> = command.locations.clone();
        // The command itself: every shell fragment of it.
        for fragment in command.words.iter().flat_map(|w| w.split([';', '&', '|'])) {
            if commands::is_setup(fragment) {
                evidence.push(message::fragment(fragment.trim()));
            }
        }
        for script in &command.scripts {
            let lines = commands::matching_lines(script.file.text(), commands::is_setup);
            if !lines.is_empty() {
                let shown: Vec<String> = lines.iter().take(3).map(|(n, l)| message::script_line(*n, l)).collect();
                evidence.push(message::script(&script.entry.path, &shown));
                locations.push(Location::image_file(script.entry));
            }
        }
        let script_words: Vec<&String> = command
            .words
            .iter()
            .filter(|w| w.ends_with(".sh") && !command.scripts.iter().any(|s| s.entry.path.ends_with(w.as_str())))
            .collect();
        for word in script_words {
            evidence.push(message::unread_script(word));
        }
        if evidence.is_empty() {
            continue;
        }
        out.report(message::setup_never_runs(&command.text, &evidence)).at_all(locations);
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn venv_activated_only_in_the_entrypoint_script_is_flagged() {
        let image = ImageBuilder::good()
            .text("/usr/local/bin/entrypoint.sh", "#!/bin/bash\nsource /opt/venv/bin/activate\nexec \"$@\"\n")
            .entrypoint(&["/usr/local/bin/entrypoint.sh"])
            .build();
        let found = findings(&facts(Some(image), None, None), "RUN002");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            located_at(&found[0]),
            [
                "image config Entrypoint = \"/usr/local/bin/entrypoint.sh\"",
                "/usr/local/bin/entrypoint.sh (file, layer 0, 0:0, mode 0755, 52 B)"
            ]
        );
        assert!(found[0].message.contains("line 2: `source /opt/venv/bin/activate`"), "{}", found[0].message);
    }

    #[test]
    fn shell_form_cmd_that_exports_path_is_flagged() {
        let image = ImageBuilder::good().cmd(&["/bin/sh", "-c", "export PATH=/opt/x/bin:$PATH && jupyter lab"]).build();
        // `jupyter lab` would make `auto` choose the JupyterLab app, which runs this setup.
        let found = findings_as(&facts(Some(image), None, None), "RUN002", crate::vocabulary::Profile::StudioClassic);
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["image config Cmd = \"/bin/sh -c \\\"export PATH=/opt/x/bin:$PATH && jupyter lab\\\"\""]);
        assert!(found[0].message.contains("`export PATH=/opt/x/bin:$PATH`"), "{}", found[0].message);
    }

    #[test]
    fn a_plain_interpreter_cmd_is_not_setup() {
        let image = ImageBuilder::good().entrypoint(&["tini", "--"]).cmd(&["python3"]).build();
        assert!(findings(&facts(Some(image), None, None), "RUN002").is_empty());
    }
}
