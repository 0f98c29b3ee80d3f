//! META002 `undefined-environment-variable`: The image reads SageMaker-looking environment variables that Studio Classic does not set.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::parse;
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::rules::commands::{self, RUNTIME_FILES, SERVICE_CONFIG_FILES};
use crate::rules::kernels::KERNEL_FILES;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "META002",
    name: "undefined-environment-variable",
    section: Section::Metadata,
    spec: "No additional environment variables are added to the variables defined in the image.",
    severity: Severity::Info,
    stage: Stage::Never,
    profiles: Profile::CLASSIC,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: crate::file_patterns!(RUNTIME_FILES, KERNEL_FILES),
    summary: "The image reads SageMaker-looking environment variables that Studio Classic does not set.",
    explanation: "Studio Classic adds no environment variables to those the image defines: variables such as \
SAGEMAKER_APP_TYPE or AWS_REGION that other SageMaker services (or the new Studio) provide are empty here. The app's \
identity is in /opt/ml/metadata/resource-metadata.json instead.",
    fix: "Read what you need from /opt/ml/metadata/resource-metadata.json (AppType, DomainId, UserProfileName, ResourceArn, ResourceName), or define the variable with ENV.",
    explains: &[],
    examples: &[
        Example::bad().image(r#"studio-image
text /usr/local/bin/start.sh #!/bin/bash\nLOWER=$(echo $SAGEMAKER_APP_TYPE | tr A-Z a-z)\nexec jupyter lab
entrypoint /usr/local/bin/start.sh"#),
        Example::good().image(r#"studio-image
env AWS_REGION=us-east-1
cmd /bin/sh -c echo $AWS_REGION"#),
    ],
    check,
};

/// Names that look like something SageMaker would provide.
fn sagemaker_like(name: &str) -> bool {
    name.starts_with("SAGEMAKER_")
        || name.starts_with("STUDIO_")
        || matches!(
            name,
            "AWS_REGION"
                | "AWS_DEFAULT_REGION"
                | "AWS_ACCOUNT_ID"
                | "DOMAIN_ID"
                | "USER_PROFILE_NAME"
                | "SPACE_NAME"
                | "APP_NAME"
                | "RESOURCE_NAME"
                | "APP_TYPE"
        )
}

/// Variables a Python file reads through os.environ / os.getenv.
fn python_reads(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for marker in ["environ[", "environ.get(", "getenv("] {
        let mut rest = text;
        while let Some(i) = rest.find(marker) {
            rest = &rest[i + marker.len()..];
            let quoted = rest.trim_start();
            if let Some(q) = quoted.chars().next().filter(|c| *c == '"' || *c == '\'') {
                if let Some(end) = quoted[1..].find(q) {
                    out.push(String::from(&quoted[1..1 + end]));
                }
            }
        }
    }
    out
}

/// What META002 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn start_command(command: &str) -> String {
        format!("the start command `{command}`")
    }

    pub fn kernel(name: &str) -> String {
        format!("kernel {name:?}")
    }

    /// `place`: where it is read (a path, or one of the phrases above).
    pub fn undefined(place: &str, name: &str) -> String {
        format!("{place} reads ${name}, which Studio Classic does not set and the image does not define.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let defined = |name: &str| {
        ctx.image.as_ref().is_some_and(|m| m.facts.image_config.env_var(name).is_some())
            || ctx.stage().is_some_and(|s| s.env_var(name).is_some())
    };
    // (variable, where it is read, location)
    let mut reads: Vec<(String, String, Vec<Location>)> = Vec::new();
    let mut note = |names: Vec<String>, assigned: &[String], place: String, locations: Vec<Location>| {
        for name in names {
            if sagemaker_like(&name)
                && !defined(&name)
                && !assigned.contains(&name)
                && !reads.iter().any(|(n, p, _)| *n == name && *p == place)
            {
                reads.push((name, place.clone(), locations.clone()));
            }
        }
    };
    for command in commands::declared(ctx) {
        note(parse::referenced_variables(&command.text), &[], message::start_command(&command.text), command.locations.clone());
        for script in &command.scripts {
            let text = script.file.text();
            note(
                parse::referenced_variables(text),
                &parse::assigned_variables(text),
                script.entry.path.clone(),
                alloc::vec![Location::image_file(script.entry)],
            );
        }
    }
    if let Some(model) = &ctx.image {
        for kernel in model.kernels.iter().filter(|k| !k.hidden_by_mount) {
            let Some(spec) = &kernel.spec else { continue };
            let mut text = spec.argv.join(" ");
            for (_, v) in &spec.env {
                text.push(' ');
                text.push_str(v);
            }
            note(
                parse::referenced_variables(&text),
                &[],
                message::kernel(&kernel.name),
                alloc::vec![Location::image_file(&kernel.spec_file)],
            );
        }
        for file in model.facts.captured.iter().filter(|f| SERVICE_CONFIG_FILES.iter().any(|p| p.matches(&f.path))) {
            if let Some(entry) = model.facts.files.get(&file.path) {
                note(python_reads(file.text()), &[], file.path.clone(), alloc::vec![Location::image_file(entry)]);
            }
        }
    }
    for (name, place, locations) in reads {
        out.report(message::undefined(&place, &name)).at_all(locations);
    }
}

#[cfg(test)]
mod tests {
    use super::python_reads;
    use crate::testkit::*;

    #[test]
    fn entrypoint_script_reading_sagemaker_app_type_is_noted() {
        let image = ImageBuilder::good()
            .text("/usr/local/bin/start.sh", "#!/bin/bash\nLOWER=$(echo $SAGEMAKER_APP_TYPE | tr A-Z a-z)\nexec jupyter lab\n")
            .entrypoint(&["/usr/local/bin/start.sh"])
            .build();
        // The script starts JupyterLab, so `auto` would choose that app (where Studio sets the variable).
        let found = findings_as(&facts(Some(image), None, None), "META002", crate::vocabulary::Profile::StudioClassic);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(located_at(&found[0]), ["/usr/local/bin/start.sh (file, layer 0, 0:0, mode 0755, 76 B)"]);
        assert!(found[0].message.contains("$SAGEMAKER_APP_TYPE"));
    }

    #[test]
    fn variable_defined_with_env_passes() {
        let image = ImageBuilder::good().env("AWS_REGION", "us-east-1").cmd(&["/bin/sh", "-c", "echo $AWS_REGION"]).build();
        assert!(findings(&facts(Some(image), None, None), "META002").is_empty());
    }

    #[test]
    fn python_environ_reads_are_found() {
        assert_eq!(
            python_reads("x = os.environ.get('SAGEMAKER_SPACE_NAME', '')\ny = os.getenv(\"HOME\")"),
            ["SAGEMAKER_SPACE_NAME", "HOME"]
        );
    }
}
