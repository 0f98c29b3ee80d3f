//! STOP001 `background-service-not-stopped`: The image starts background services, which get no signal when Studio stops the app.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::rules::commands::{self, RUNTIME_FILES, SERVICE_CONFIG_FILES};
use crate::rules::evidence;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "STOP001",
    name: "background-service-not-stopped",
    section: Section::StoppingTheImage,
    spec: "The DeleteApp API issues the equivalent of a docker stop command. Other processes in the container won't get the SIGKILL/SIGTERM signals.",
    severity: Severity::Warning,
    stage: Stage::Never,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: RUNTIME_FILES,
    summary: "The image starts background services, which get no signal when Studio stops the app.",
    explanation: "DeleteApp stops the container's main process only. Services the image starts on the side — supervisord \
programs, cron, sshd, anything launched with `&` or `nohup` — never receive SIGTERM, so they cannot flush data or \
release resources; and in Studio Classic an ENTRYPOINT that starts them does not run at all.",
    fix: "Do not rely on background services in a KernelGateway image; if one is truly needed, make it safe to be killed without warning (no unflushed state, no locks).",
    explains: &[],
    examples: &[
        Example::bad().image(r#"studio-image
entrypoint /usr/bin/supervisord -n"#),
        Example::good().image(r#"studio-image
cmd python3"#),
    ],
    check,
};

/// What STOP001 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn start_command(command: &str) -> String {
        format!("The start command `{command}`")
    }

    pub fn script_line(path: &str, line: u32, text: &str) -> String {
        format!("{path} (line {line}: `{text}`)")
    }

    pub fn supervisord_programs(programs: &[String]) -> String {
        format!("the supervisord programs {}", crate::text::and_list(programs))
    }

    pub fn dockerfile_command(command: &str) -> String {
        format!("`{command}`")
    }

    /// `how`: what starts it (one of the phrases above).
    pub fn not_stopped(how: &str, service: &str) -> String {
        format!("{how} starts {service}, which gets no SIGTERM/SIGKILL when Studio deletes the app.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    // (service, what starts it, where)
    let mut found: Vec<(String, String, Vec<Location>)> = Vec::new();
    let mut report = |service: String, how: String, locations: Vec<Location>| found.push((service, how, locations));
    for command in commands::declared(ctx) {
        if let Some(service) = command.words.iter().find_map(|w| commands::started_service(w)) {
            report(service, message::start_command(&command.text), command.locations.clone());
        }
        for script in &command.scripts {
            for (n, line) in commands::matching_lines(script.file.text(), |l| commands::started_service(l).is_some()) {
                if let Some(service) = commands::started_service(&line) {
                    report(service, message::script_line(&script.entry.path, n, &line), alloc::vec![Location::image_file(script.entry)]);
                }
            }
        }
    }
    if let Some(model) = &ctx.image {
        for file in model.facts.captured.iter().filter(|f| SERVICE_CONFIG_FILES.iter().take(3).any(|p| p.matches(&f.path))) {
            let programs: Vec<String> = file
                .text()
                .lines()
                .filter_map(|l| l.trim().strip_prefix("[program:").and_then(|r| r.strip_suffix(']')).map(String::from))
                .collect();
            if let (false, Some(entry)) = (programs.is_empty(), model.facts.files.get(&file.path)) {
                report(message::supervisord_programs(&programs), file.path.clone(), alloc::vec![Location::image_file(entry)]);
            }
        }
    }
    if let Some(stage) = ctx.stage() {
        for service in &stage.services {
            if found.iter().any(|(s, _, _)| *s == service.service) {
                continue;
            }
            let locations = evidence::dockerfile(ctx, service.span).into_iter().collect();
            found.push((service.service.clone(), message::dockerfile_command(&service.command), locations));
        }
    }
    for (service, how, locations) in found {
        out.report(message::not_stopped(&how, &service)).at_all(locations);
    }
}

#[cfg(test)]
mod tests {
    use crate::facts::ServiceStart;
    use crate::testkit::*;

    #[test]
    fn supervisord_started_by_the_entrypoint_is_flagged() {
        let image = ImageBuilder::good().entrypoint(&["/usr/bin/supervisord", "-n"]).build();
        let found = findings(&facts(Some(image), None, None), "STOP001");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["image config Entrypoint = \"/usr/bin/supervisord -n\""]);
        assert!(found[0].message.contains("supervisord"));
    }

    #[test]
    fn cron_started_in_an_entrypoint_script_is_flagged_with_its_line() {
        let image = ImageBuilder::good()
            .text("/usr/local/bin/entrypoint.sh", "#!/bin/sh\nservice cron start\nexec \"$@\"\n")
            .entrypoint(&["/usr/local/bin/entrypoint.sh"])
            .build();
        let found = findings(&facts(Some(image), None, None), "STOP001");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(located_at(&found[0]), ["/usr/local/bin/entrypoint.sh (file, layer 0, 0:0, mode 0755, 39 B)"]);
        assert!(found[0].message.contains("line 2"));
    }

    #[test]
    fn sshd_enabled_in_the_dockerfile_is_flagged() {
        let df = DockerfileBuilder::from("ubuntu:22.04")
            .with("RUN systemctl enable ssh", |s, span| {
                s.services.push(ServiceStart { service: "ssh".into(), command: "systemctl enable ssh".into(), span })
            })
            .build();
        let found = findings(&facts(None, Some(df), None), "STOP001");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["Dockerfile:2: RUN systemctl enable ssh"]);
        assert!(found[0].message.contains("`systemctl enable ssh` starts ssh"), "{}", found[0].message);
    }

    #[test]
    fn an_image_without_services_passes() {
        let image = ImageBuilder::good().cmd(&["python3"]).build();
        assert!(findings(&facts(Some(image), None, None), "STOP001").is_empty());
    }
}
