//! RUN016 `jupyter-server-settings`: The Jupyter Server the start command launches is not set up as the JupyterLab app needs.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::report::{Findings, Location};
use crate::rule::{Example, Rule};
use crate::rules::commands::{self, RUNTIME_FILES};
use crate::rules::evidence;
use crate::rules::studio_errors;
use crate::start_command::jupyter_settings::{self, SetBy, Setting, Settings};
use crate::start_command::{Launch, Server};
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "RUN016",
    name: "jupyter-server-settings",
    section: Section::RunningTheImage,
    spec: super::SPEC_JUPYTERLAB_SERVER,
    severity: Severity::Error,
    stage: Stage::ServerStart,
    profiles: Profile::JUPYTERLAB_APP,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: RUNTIME_FILES,
    summary: "The Jupyter Server the start command launches is not bound to 0.0.0.0:8888 under /jupyterlab/default without token, password or origin checks.",
    explanation: "Studio reaches the JupyterLab app through its proxy at `/jupyterlab/default` on port 8888 and checks \
`/jupyterlab/default/api/status`. A server that listens on localhost (Jupyter's default), on another port or under \
another base URL never answers, and one that asks for a token or password, or refuses Studio's origin, cannot be used: \
the space hangs while starting. Settings are read from the launch's options in every spelling traitlets accepts \
(`--ServerApp.x=v`, `--ServerApp.x v`, `--NotebookApp.x`, `--ip`, `--port`) and from the config files the image ships on \
Jupyter's config path (`jupyter_server_config.py`/`.json`, `jupyter_server_config.d/`); the command line wins. SageMaker \
Distribution's `/$SAGEMAKER_APP_TYPE_LOWERCASE/default` is the right base URL. A config under `/home/sagemaker-user` \
is hidden by the space's volume.",
    fix: "Launch it with `--ServerApp.ip=0.0.0.0 --ServerApp.port=8888 --ServerApp.base_url=/jupyterlab/default --ServerApp.token='' --ServerApp.password='' --ServerApp.allow_origin='*'`.",
    explains: &[studio_errors::INTERNAL_FAILURE, studio_errors::INTERNAL_ERROR, studio_errors::SPACE_PENDING],
    examples: &[
        Example::bad().dockerfile("FROM python:3.11\nRUN pip install 'jupyterlab>=4,<5'\nCMD jupyter lab --ip 0.0.0.0 --port 8888\n"),
        Example::bad().image(
            "studio-image\ntext /etc/jupyter/jupyter_server_config.py c.ServerApp.token = 'secret'\nentrypoint jupyter-lab\ncmd --ServerApp.ip=0.0.0.0 --ServerApp.base_url=/jupyterlab/default --ServerApp.allow_origin=*",
        ),
        Example::good().dockerfile(
            "FROM python:3.11\nRUN pip install 'jupyterlab>=4,<5'\nCMD jupyter lab --ip 0.0.0.0 --port 8888 --ServerApp.base_url=\"/jupyterlab/default\" --ServerApp.token='' --ServerApp.allow_origin='*'\n",
        ),
        Example::good().image(
            "studio-image\ntext /etc/jupyter/jupyter_server_config.py c.ServerApp.token = ''\\nc.ServerApp.allow_origin = '*'\nentrypoint jupyter-lab\ncmd --ServerApp.ip=0.0.0.0 --ServerApp.base_url=/jupyterlab/default",
        ),
    ],
    check,
};

/// What RUN016 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn set(setting: &str, value: &str, by: &str) -> String {
        format!("{setting} is {value:?} ({by})")
    }

    pub fn unset(setting: &str, default: &str) -> String {
        format!("{setting} is not set ({default})")
    }

    pub fn option(option: &str, at: &str) -> String {
        format!("`{option}`, {at}")
    }

    pub fn file(path: &str, line: Option<u32>) -> String {
        match line {
            Some(n) => format!("{path} line {n}"),
            None => String::from(path),
        }
    }

    pub fn hidden(files: &[String]) -> String {
        format!(" {} on the space's home volume, which hides it in the app.", crate::text::and_list(files))
    }

    /// `at`: where the launch is; `problems`: each setting that is wrong.
    pub fn wrong(command: &str, at: &str, problems: &[String]) -> String {
        format!("The Jupyter Server launched by `{command}` ({at}) will not work in Studio: {}.", crate::text::and_list(problems))
    }
}

/// Spec: base URL `jupyterlab/default`; SageMaker Distribution spells it through the app type.
fn base_url_ok(value: &str) -> bool {
    let v = value.trim_matches('/');
    v == "jupyterlab/default" || v == "$SAGEMAKER_APP_TYPE_LOWERCASE/default" || v == "${SAGEMAKER_APP_TYPE_LOWERCASE}/default"
}

/// What is wrong with one setting (None: fine, or an expression this check cannot evaluate).
fn problem(ctx: &Context<'_>, settings: &Settings, setting: Setting) -> Option<String> {
    let Some(value) = settings.get(setting) else {
        let default = match setting {
            Setting::Ip => "Jupyter listens on localhost only",
            Setting::BaseUrl => "Jupyter serves under /",
            Setting::Token => "Jupyter generates a token",
            Setting::AllowOrigin => "Jupyter refuses other origins",
            Setting::Port | Setting::Password => return None,
        };
        return Some(message::unset(setting.label(), default));
    };
    let text = value.text.as_deref()?;
    let ok = match setting {
        // Spec: "host … at 0.0.0.0"; `*` and an empty ip also bind every interface.
        Setting::Ip => matches!(text, "0.0.0.0" | "*" | ""),
        Setting::Port => text == "8888",
        Setting::BaseUrl => base_url_ok(text),
        Setting::Token | Setting::Password => text.is_empty(),
        Setting::AllowOrigin => text == "*",
    };
    if ok {
        return None;
    }
    let by = match &value.set_by {
        SetBy::CommandLine { option, origin } => message::option(option, &commands::origin_text(ctx, origin)),
        SetBy::ConfigFile { path, line } => message::file(path, *line),
    };
    Some(message::set(setting.label(), text, &by))
}

fn judge(ctx: &Context<'_>, launch: &Launch) -> Option<(Vec<String>, Settings)> {
    if launch.distribution_entrypoint.is_some() {
        return None;
    }
    let (image, path_dirs, home) = match &ctx.image {
        Some(m) => (Some(m.facts), m.path_dirs.as_slice(), m.home.as_deref()),
        None => (None, &[][..], None),
    };
    let context = ctx.dockerfile().map(|d| d.context_files.as_slice()).unwrap_or(&[]);
    let settings = jupyter_settings::settings(launch, (image, context), path_dirs, home, &ctx.mount_path);
    let problems: Vec<String> = Setting::ALL.into_iter().filter_map(|s| problem(ctx, &settings, s)).collect();
    (!problems.is_empty()).then_some((problems, settings))
}

/// A config file in the image, or the COPY that puts it there from the build context.
fn config_location(ctx: &Context<'_>, path: &str) -> Option<Location> {
    if let Some(image) = ctx.image_facts() {
        return image.files.get(path).map(Location::image_file);
    }
    let copied = ctx.dockerfile()?.context_files.iter().rev().find(|f| f.path == path)?;
    evidence::dockerfile(ctx, copied.span)
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    for (launch, (problems, settings)) in ctx.start.failing_launches(Server::Jupyter, |l| judge(ctx, l)) {
        let at = launch.argv.first().map(|w| commands::origin_text(ctx, &w.origin)).unwrap_or_default();
        let mut text = message::wrong(&launch.text(), &at, &problems);
        if !settings.hidden_files.is_empty() {
            text.push_str(&message::hidden(&settings.hidden_files));
        }
        let mut locations = commands::locations(ctx, &launch.argv);
        for (_, value) in &settings.values {
            if let SetBy::ConfigFile { path, .. } = &value.set_by {
                if let Some(l) = config_location(ctx, path).filter(|l| !locations.contains(l)) {
                    locations.push(l);
                }
            }
        }
        out.report(text).at_all(locations);
    }
}

#[cfg(test)]
mod tests {
    use crate::facts::CommandForm;
    use crate::testkit::*;
    use crate::vocabulary::Profile;
    use alloc::string::String;
    use alloc::vec::Vec;

    fn cmd(text: &str) -> crate::facts::Facts<'static> {
        let form = CommandForm::Shell(text.into());
        facts(None, Some(DockerfileBuilder::from("python:3.11").with("CMD …", |s, span| s.cmd = Some((form, span))).build()), None)
    }

    fn messages(f: &crate::facts::Facts<'_>) -> Vec<String> {
        findings_as(f, "RUN016", Profile::JupyterLab).into_iter().map(|f| f.message).collect()
    }

    const GOOD: &str = "jupyter lab --ip 0.0.0.0 --port 8888 --ServerApp.base_url=\"/jupyterlab/default\" --ServerApp.token='' --ServerApp.allow_origin='*'";

    #[test]
    fn the_documented_command_passes_in_every_spelling() {
        assert!(messages(&cmd(GOOD)).is_empty());
        let spaced = "jupyter-lab --NotebookApp.ip 0.0.0.0 --ServerApp.port 8888 --ServerApp.base_url /jupyterlab/default/ --IdentityProvider.token \"\" --NotebookApp.allow_origin '*'";
        assert!(messages(&cmd(spaced)).is_empty(), "{:?}", messages(&cmd(spaced)));
        assert!(messages(&cmd("python -m jupyterlab --ServerApp.ip=* --ServerApp.base_url=/$SAGEMAKER_APP_TYPE_LOWERCASE/default --ServerApp.token= --ServerApp.allow_origin=*")).is_empty());
    }

    #[test]
    fn each_wrong_setting_is_named_with_where_it_was_set() {
        let found = messages(&cmd(
            "jupyter lab --ip 127.0.0.1 --port 8889 --ServerApp.base_url=/lab --ServerApp.token=abc --ServerApp.allow_origin='*'",
        ));
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("ServerApp.ip is \"127.0.0.1\" (`--ip=127.0.0.1`, Dockerfile line 2)"), "{}", found[0]);
        assert!(found[0].contains("ServerApp.port is \"8889\""), "{}", found[0]);
        assert!(found[0].contains("ServerApp.base_url is \"/lab\""), "{}", found[0]);
        assert!(found[0].contains("ServerApp.token is \"abc\""), "{}", found[0]);
    }

    #[test]
    fn jupyters_defaults_are_findings() {
        let found = messages(&cmd("jupyter lab"));
        assert_eq!(found.len(), 1);
        for unset in
            ["ServerApp.ip is not set", "ServerApp.base_url is not set", "ServerApp.token is not set", "ServerApp.allow_origin is not set"]
        {
            assert!(found[0].contains(unset), "{unset}: {}", found[0]);
        }
    }

    #[test]
    fn config_files_count_and_the_command_line_wins() {
        let image = ImageBuilder::good()
            .text("/etc/jupyter/jupyter_server_config.py", "c.ServerApp.ip = '0.0.0.0'\nc.ServerApp.token = 'x'\n")
            .text(
                "/usr/local/etc/jupyter/jupyter_server_config.d/auth.json",
                "{\"ServerApp\": {\"allow_origin\": \"*\", \"base_url\": \"/jupyterlab/default\"}}",
            )
            .entrypoint(&["jupyter-lab"])
            .cmd(&["--ServerApp.token="])
            .build();
        assert!(findings_as(&facts(Some(image), None, None), "RUN016", Profile::JupyterLab).is_empty());
        let image = ImageBuilder::good()
            .text("/etc/jupyter/jupyter_server_config.py", "c.ServerApp.ip = '0.0.0.0'\nc.ServerApp.token = 'x'\nc.ServerApp.allow_origin = '*'\nc.ServerApp.base_url = '/jupyterlab/default'\n")
            .entrypoint(&["jupyter-lab"])
            .build();
        let found = findings_as(&facts(Some(image), None, None), "RUN016", Profile::JupyterLab);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("ServerApp.token is \"x\" (/etc/jupyter/jupyter_server_config.py line 2)"),
            "{}",
            found[0].message
        );
        assert!(located_at(&found[0]).iter().any(|l| l.starts_with("/etc/jupyter/jupyter_server_config.py")));
    }

    #[test]
    fn a_config_the_dockerfile_copies_from_the_build_context_counts() {
        let config = "c.ServerApp.token = 'secret'\n";
        let mut df = DockerfileBuilder::from("python:3.11")
            .with("COPY jupyter_server_config.py /etc/jupyter/", |_, _| {})
            .with("CMD …", |s, span| s.cmd = Some((CommandForm::Shell(GOOD.replace(" --ServerApp.token=''", "")), span)))
            .build();
        df.context_files.push(crate::facts::ContextFile {
            source: "jupyter_server_config.py".into(),
            path: "/etc/jupyter/jupyter_server_config.py".into(),
            span: crate::facts::Span::line(2),
            content: config.as_bytes().to_vec(),
        });
        let found = findings_as(&facts(None, Some(df), None), "RUN016", Profile::JupyterLab);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("ServerApp.token is \"secret\" (/etc/jupyter/jupyter_server_config.py line 1)"),
            "{}",
            found[0].message
        );
        assert_eq!(located_at(&found[0]), ["Dockerfile:3: CMD …", "Dockerfile:2: COPY jupyter_server_config.py /etc/jupyter/"]);
    }

    #[test]
    fn a_config_in_the_home_volume_is_hidden() {
        let image = ImageBuilder::good()
            .text("/home/sagemaker-user/.jupyter/jupyter_server_config.py", "c.ServerApp.token = ''\nc.ServerApp.allow_origin = '*'\n")
            .entrypoint(&["jupyter-lab", "--ServerApp.ip=0.0.0.0", "--ServerApp.base_url=/jupyterlab/default"])
            .env("HOME", "/home/sagemaker-user")
            .build();
        let found = findings_as(&facts(Some(image), None, None), "RUN016", Profile::JupyterLab);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .message
                .ends_with("/home/sagemaker-user/.jupyter/jupyter_server_config.py on the space's home volume, which hides it in the app."),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_branch_that_gets_it_right_is_enough() {
        let script = "#!/bin/bash\nif [ -n \"$SAGEMAKER_APP_TYPE_LOWERCASE\" ]; then\n  jupyter lab --ip 0.0.0.0 --ServerApp.base_url=\"/$SAGEMAKER_APP_TYPE_LOWERCASE/default\" --ServerApp.token='' --ServerApp.allow_origin='*'\nelse\n  jupyter lab --ip 0.0.0.0\nfi\n";
        let image = ImageBuilder::good().text("/usr/local/bin/start-jupyter-server", script).entrypoint(&["start-jupyter-server"]).build();
        assert!(findings_as(&facts(Some(image), None, None), "RUN016", Profile::JupyterLab).is_empty());
    }
}
