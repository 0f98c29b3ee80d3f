//! Which Studio app the image is checked for. `auto` reads it from what the inputs say about the
//! app: the AppImageConfig's app block first (it is what Studio attaches the image with), then
//! the start command (the new Studio's apps run it, so it names their server), else Studio
//! Classic, the specification this tool started from. The reason is kept in words for the report.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::facts::Facts;
use crate::report::ChosenProfile;
use crate::start_command::{self, words_text, Origin, Server};
use crate::vocabulary::Profile;

/// The reason of a profile fixed by `--profile` (the CLI) or the profile selector (the page): the
/// same words from both, as their reports are the same.
pub const CHOSEN_BY_THE_USER: &str = "chosen with --profile (or the page's profile selector)";

/// How the profile is chosen: from the inputs, or fixed by the user (`--profile`, the page's
/// selector; the page sends it to its worker as JSON).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ProfileChoice {
    #[default]
    Auto,
    Fixed(Profile),
}

impl ProfileChoice {
    /// Reads `--profile` values: a profile id or `auto`.
    pub fn parse(text: &str) -> Option<ProfileChoice> {
        match text {
            "auto" => Some(ProfileChoice::Auto),
            other => Profile::parse(other).map(ProfileChoice::Fixed),
        }
    }

    /// The `--profile` value: `auto` or the profile's id.
    pub const fn id(self) -> &'static str {
        match self {
            ProfileChoice::Auto => "auto",
            ProfileChoice::Fixed(profile) => profile.id(),
        }
    }
}

pub fn choose(facts: &Facts<'_>, choice: ProfileChoice) -> ChosenProfile {
    if let ProfileChoice::Fixed(id) = choice {
        return ChosenProfile { id, reason: String::from(CHOSEN_BY_THE_USER) };
    }
    from_app_image_config(facts).or_else(|| from_start_command(facts)).unwrap_or_else(|| ChosenProfile {
        id: Profile::StudioClassic,
        reason: String::from("the default: no AppImageConfig block or start command names an app"),
    })
}

fn from_app_image_config(facts: &Facts<'_>) -> Option<ChosenProfile> {
    let config = facts.app_image_config.as_ref()?;
    let blocks: Vec<(Profile, &str)> = [
        (config.kernel_gateway.is_some(), Profile::StudioClassic, "KernelGatewayImageConfig"),
        (config.jupyter_lab.is_some(), Profile::JupyterLab, "JupyterLabAppImageConfig"),
        (config.code_editor.is_some(), Profile::CodeEditor, "CodeEditorAppImageConfig"),
    ]
    .into_iter()
    .filter(|(present, _, _)| *present)
    .map(|(_, profile, key)| (profile, key))
    .collect();
    let (id, key) = *blocks.first()?;
    let reason = match blocks.len() {
        1 => format!("from the AppImageConfig's {key}"),
        n => format!("from the AppImageConfig's {key} (the first of its {n} app blocks)"),
    };
    Some(ChosenProfile { id, reason })
}

/// The first server the image's own start command launches ([`start_command`], without any
/// ContainerConfig: that belongs to an app block, read above).
fn from_start_command(facts: &Facts<'_>) -> Option<ChosenProfile> {
    let start = start_command::read(facts, Profile::StudioClassic);
    let launch = start.launches.first()?;
    let id = match launch.server {
        Server::Jupyter => Profile::JupyterLab,
        Server::CodeEditor => Profile::CodeEditor,
    };
    let program_words = launch.args_at.min(2);
    let mut shown = words_text(launch.argv.get(..program_words).unwrap_or(&[]));
    if launch.argv.len() > program_words {
        shown.push_str(" …");
    }
    let at = match launch.argv.first().map(|w| &w.origin) {
        Some(Origin::ImageConfig(_)) => {
            let mut fields: Vec<&str> = Vec::new();
            for w in &start.argv {
                if let Origin::ImageConfig(field) = w.origin {
                    if !fields.contains(&field) {
                        fields.push(field);
                    }
                }
            }
            format!("image config {}", fields.join(" + "))
        }
        Some(Origin::ImageFile { path, line }) => format!("{path} line {line}"),
        Some(Origin::BaseImage { assumed, .. }) => assumed.clone(),
        _ => {
            let mut lines: Vec<String> = Vec::new();
            for w in &start.argv {
                if let Origin::Dockerfile(span) = w.origin {
                    let line = format!("{}", span.start);
                    if !lines.contains(&line) {
                        lines.push(line);
                    }
                }
            }
            match lines.as_slice() {
                [one] => format!("Dockerfile line {one}"),
                several => format!("Dockerfile lines {}", several.join(" and ")),
            }
        }
    };
    Some(ChosenProfile { id, reason: format!("from the start command `{shown}` ({at})") })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::CommandForm;
    use crate::testkit::*;

    fn dockerfile(cmd: &str) -> crate::facts::DockerfileFacts {
        let form = CommandForm::Shell(String::from(cmd));
        DockerfileBuilder::from("python:3.11").with(&format!("CMD {cmd}"), |s, span| s.cmd = Some((form, span))).build()
    }

    #[test]
    fn without_hints_it_is_studio_classic() {
        let chosen = choose(&facts(None, Some(dockerfile("python app.py")), None), ProfileChoice::Auto);
        assert_eq!(chosen.id, Profile::StudioClassic);
        assert_eq!(chosen.reason, "the default: no AppImageConfig block or start command names an app");
    }

    #[test]
    fn each_app_block_names_its_profile() {
        for (json, id, key) in [
            (r#"{"AppImageConfigName": "x", "JupyterLabAppImageConfig": {}}"#, Profile::JupyterLab, "JupyterLabAppImageConfig"),
            (r#"{"AppImageConfigName": "x", "CodeEditorAppImageConfig": {}}"#, Profile::CodeEditor, "CodeEditorAppImageConfig"),
            (
                r#"{"AppImageConfigName": "x", "KernelGatewayImageConfig": {"KernelSpecs": []}}"#,
                Profile::StudioClassic,
                "KernelGatewayImageConfig",
            ),
        ] {
            let chosen = choose(&facts(None, None, Some(app_image_config(json))), ProfileChoice::Auto);
            assert_eq!((chosen.id, chosen.reason), (id, format!("from the AppImageConfig's {key}")));
        }
    }

    #[test]
    fn the_start_command_names_the_app() {
        for (cmd, id, shown) in [
            ("jupyter lab --ip 0.0.0.0 --port 8888", Profile::JupyterLab, "jupyter lab …"),
            ("/opt/conda/bin/jupyter-server", Profile::JupyterLab, "/opt/conda/bin/jupyter-server"),
            ("jupyter server --port 8888", Profile::JupyterLab, "jupyter server …"),
            ("micromamba activate base; sagemaker-code-editor --host 0.0.0.0", Profile::CodeEditor, "sagemaker-code-editor …"),
            ("entrypoint-code-editor", Profile::CodeEditor, "entrypoint-code-editor"),
        ] {
            let chosen = choose(&facts(None, Some(dockerfile(cmd)), None), ProfileChoice::Auto);
            assert_eq!((chosen.id, chosen.reason), (id, format!("from the start command `{shown}` (Dockerfile line 2)")));
        }
        // `jupyter notebook` is the classic Notebook server, not the new Studio's JupyterLab.
        assert_eq!(choose(&facts(None, Some(dockerfile("jupyter notebook")), None), ProfileChoice::Auto).id, Profile::StudioClassic);
    }

    #[test]
    fn the_image_config_command_comes_before_the_dockerfile() {
        let image = ImageBuilder::good().entrypoint(&["jupyter-lab"]).cmd(&["--ServerApp.port=8888"]).build();
        let chosen = choose(&facts(Some(image), Some(dockerfile("sagemaker-code-editor")), None), ProfileChoice::Auto);
        assert_eq!(chosen.id, Profile::JupyterLab);
        assert_eq!(chosen.reason, "from the start command `jupyter-lab …` (image config Entrypoint + Cmd)");
    }

    #[test]
    fn the_app_image_config_comes_before_the_start_command_and_the_flag_before_both() {
        let config = || Some(app_image_config(r#"{"AppImageConfigName": "x", "CodeEditorAppImageConfig": {}}"#));
        let both = facts(None, Some(dockerfile("jupyter lab")), config());
        assert_eq!(choose(&both, ProfileChoice::Auto).id, Profile::CodeEditor);
        let fixed = choose(&both, ProfileChoice::Fixed(Profile::StudioClassic));
        assert_eq!((fixed.id, fixed.reason.as_str()), (Profile::StudioClassic, CHOSEN_BY_THE_USER));
    }

    #[test]
    fn several_app_blocks_take_the_first_and_say_so() {
        let c = app_image_config(
            r#"{"AppImageConfigName": "x", "KernelGatewayImageConfig": {"KernelSpecs": []}, "JupyterLabAppImageConfig": {}}"#,
        );
        let chosen = choose(&facts(None, None, Some(c)), ProfileChoice::Auto);
        assert_eq!(chosen.id, Profile::StudioClassic);
        assert_eq!(chosen.reason, "from the AppImageConfig's KernelGatewayImageConfig (the first of its 2 app blocks)");
    }

    #[test]
    fn profile_flags_read_back() {
        assert_eq!(ProfileChoice::parse("auto"), Some(ProfileChoice::Auto));
        assert_eq!(ProfileChoice::parse("code-editor"), Some(ProfileChoice::Fixed(Profile::CodeEditor)));
        assert_eq!(ProfileChoice::parse("classic"), None);
        for choice in [ProfileChoice::Auto].into_iter().chain(Profile::ALL.map(ProfileChoice::Fixed)) {
            assert_eq!(ProfileChoice::parse(choice.id()), Some(choice));
        }
    }
}
