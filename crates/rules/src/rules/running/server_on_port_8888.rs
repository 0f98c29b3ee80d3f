//! RUN004 `server-on-port-8888`: Something in the image is configured to listen on port 8888, the KernelGateway's port.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::rules::commands::{self, RUNTIME_FILES, SCRIPT_FILES, SERVICE_CONFIG_FILES};
use crate::rules::evidence;
use crate::rules::studio_errors;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "RUN004",
    name: "server-on-port-8888",
    section: Section::RunningTheImage,
    spec: super::SPEC_PORT,
    severity: Severity::Warning,
    stage: Stage::ServerStart,
    profiles: Profile::CLASSIC,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: RUNTIME_FILES,
    summary: "Something in the image is configured to listen on port 8888, the KernelGateway's port.",
    explanation: "Studio runs its KernelGateway web server on port 8888 inside the container. A Jupyter server, a \
supervisord program or a start script of the image configured for the same port either fails to bind or takes the \
port from the gateway, and the app does not come up.",
    fix: "Configure the image's own server on another port (or remove it: Studio Classic provides the Jupyter server).",
    explains: &[studio_errors::LAUNCH_FAILED],
    examples: &[
        Example::bad().image(
            r#"studio-image
text /etc/jupyter/jupyter_server_config.py c.ServerApp.port = 8888"#,
        ),
        Example::good().image(
            r#"studio-image
text /etc/jupyter/jupyter_server_config.py c.ServerApp.port = 8890"#,
        ),
    ],
    check,
};

/// What RUN004 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn start_command(command: &str) -> String {
        format!("the start command `{command}`")
    }

    pub fn file_line(path: &str, line: u32, text: &str) -> String {
        format!("{path} line {line}: `{text}`")
    }

    pub fn run_line(line: u32) -> String {
        format!("RUN on line {line}")
    }

    /// `evidence`: where the port is configured.
    pub fn server_on_8888(evidence: &[String]) -> String {
        format!("A server is configured on port 8888, which the KernelGateway needs: {}.", crate::text::and_list(evidence))
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let mut evidence_text: Vec<String> = Vec::new();
    let mut locations: Vec<Location> = Vec::new();
    for command in commands::declared(ctx) {
        if commands::listens_on_8888(&command.text) {
            evidence_text.push(message::start_command(&command.text));
            locations.extend(command.locations.iter().cloned());
        }
    }
    if let Some(model) = &ctx.image {
        for file in &model.facts.captured {
            let is_config = SERVICE_CONFIG_FILES.iter().chain(SCRIPT_FILES).any(|p| p.matches(&file.path));
            if !is_config {
                continue;
            }
            let lines = commands::matching_lines(file.text(), commands::listens_on_8888);
            if let (Some((n, line)), Some(entry)) = (lines.first(), model.facts.files.get(&file.path)) {
                evidence_text.push(message::file_line(&file.path, *n, line));
                locations.push(Location::image_file(entry));
            }
        }
    }
    if let Some(stage) = ctx.stage() {
        for (text, span) in &stage.runs {
            if text.lines().any(commands::listens_on_8888) {
                evidence_text.push(message::run_line(span.start));
                locations.extend(evidence::dockerfile(ctx, *span));
            }
        }
    }
    if !evidence_text.is_empty() {
        out.report(message::server_on_8888(&evidence_text)).at_all(locations);
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn jupyter_config_on_port_8888_is_flagged() {
        let image =
            ImageBuilder::good().text("/etc/jupyter/jupyter_server_config.py", "# comment 8888 port\nc.ServerApp.port = 8888\n").build();
        let found = findings(&facts(Some(image), None, None), "RUN004");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(located_at(&found[0]), ["/etc/jupyter/jupyter_server_config.py (file, layer 0, 0:0, mode 0644, 44 B)"]);
        assert!(found[0].message.contains("line 2"));
    }

    #[test]
    fn supervisord_program_on_8888_is_flagged() {
        let image = ImageBuilder::good()
            .text("/etc/supervisor/conf.d/jupyter.conf", "[program:jupyter]\ncommand=jupyter lab --ip 0.0.0.0 --port 8888\n")
            .build();
        let found = findings(&facts(Some(image), None, None), "RUN004");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["/etc/supervisor/conf.d/jupyter.conf (file, layer 0, 0:0, mode 0644, 63 B)"]);
        assert!(found[0].message.contains("/etc/supervisor/conf.d/jupyter.conf line 2"), "{}", found[0].message);
    }

    #[test]
    fn a_server_on_another_port_passes() {
        let image = ImageBuilder::good()
            .text("/etc/jupyter/jupyter_server_config.py", "c.ServerApp.port = 8890\n")
            .cmd(&["jupyter", "lab", "--port", "9999"])
            .build();
        assert!(findings(&facts(Some(image), None, None), "RUN004").is_empty());
    }
}
