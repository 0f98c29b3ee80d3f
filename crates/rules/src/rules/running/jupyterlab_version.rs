//! RUN018 `jupyterlab-version`: The environment whose `jupyter` the image finds has no JupyterLab 4 or later.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;

use crate::context::Context;
use crate::facts::fs::{join, parent};
use crate::facts::FileSystem;
use crate::report::{Findings, Location};
use crate::rule::{Example, Rule};
use crate::start_command::Server;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "RUN018",
    name: "jupyterlab-version",
    section: Section::RunningTheImage,
    spec: "The JupyterLab custom-image sample installs `jupyterlab>=4.0.0,<5.0.0` (`python3 -m pip install … 'jupyterlab>=4.0.0,<5.0.0'`); \
the pages state no minimum, so an older or missing JupyterLab is a warning.",
    severity: Severity::Warning,
    stage: Stage::ServerStart,
    profiles: Profile::JUPYTERLAB_APP,
    requires: &[&[InputKind::Image]],
    needs_files: &[],
    summary: "The environment whose `jupyter` is first on the image's PATH has no JupyterLab, or one older than 4.",
    explanation: "The new Studio's JupyterLab app and its extensions are built for JupyterLab 4 (AWS's sample pins \
`jupyterlab>=4.0.0,<5`, SageMaker Distribution ships 4). The version that runs is the one installed in the environment \
of the `jupyter` the start command finds first on PATH — a JupyterLab installed into another environment is not the \
one that starts. The version is read from that environment's `jupyterlab-X.Y.Z.dist-info`.",
    fix: "Install JupyterLab 4 into the environment whose `jupyter` is on PATH: `pip install 'jupyterlab>=4,<5'` (or `micromamba install -n base 'jupyterlab>=4,<5'`).",
    explains: &[],
    examples: &[
        Example::bad().image("studio-image\nfile /usr/local/bin/jupyter 100\ndir /usr/local/lib/python3.11/site-packages/jupyterlab-3.6.7.dist-info"),
        Example::good().image("studio-image\nfile /usr/local/bin/jupyter 100\ndir /usr/local/lib/python3.11/site-packages/jupyterlab-4.2.5.dist-info"),
    ],
    check,
};

/// What RUN018 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn no_jupyter(path: &str) -> String {
        format!("No `jupyter` is on the image's PATH ({path}), so the JupyterLab app's server cannot start from it.")
    }

    pub fn not_installed(jupyter: &str, prefix: &str) -> String {
        format!("No JupyterLab is installed in {prefix}, the environment of `{jupyter}` (the `jupyter` first on PATH).")
    }

    pub fn too_old(version: &str, jupyter: &str, prefix: &str) -> String {
        format!("JupyterLab {version} is installed in {prefix} (the environment of `{jupyter}`); the JupyterLab app needs JupyterLab 4 or later.")
    }
}

/// The `jupyterlab-X.Y.Z.dist-info` directory of an environment, and its version.
fn installed_jupyterlab(files: &FileSystem, prefix: &str) -> Option<(String, String)> {
    for lib in ["lib", "lib64"] {
        for python in files.children(&join(prefix, lib)).filter(|e| e.name().starts_with("python")) {
            for packages in ["site-packages", "dist-packages"] {
                let dir = join(&python.path, packages);
                let found = files.children(&dir).find_map(|e| {
                    let version = e.name().strip_prefix("jupyterlab-")?.strip_suffix(".dist-info")?;
                    Some((e.path.clone(), String::from(version)))
                });
                if found.is_some() {
                    return found;
                }
            }
        }
    }
    None
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(model) = &ctx.image else {
        return;
    };
    // The program of a Jupyter launch given by path, else `jupyter` on PATH.
    let launched = ctx.start.launches_of(Server::Jupyter).into_iter().find_map(|l| l.argv.first().filter(|w| w.text.starts_with('/')));
    let found = launched.and_then(|w| model.which(&w.text)).or_else(|| model.which("jupyter"));
    let Some((jupyter, real)) = found else {
        out.report(message::no_jupyter(&model.path_dirs.join(":")));
        return;
    };
    let prefix = parent(parent(&real));
    let entry = model.facts.files.get(&real).map(Location::image_file);
    match installed_jupyterlab(&model.facts.files, prefix) {
        None => {
            out.report(message::not_installed(&jupyter, prefix)).at_all(entry);
        }
        Some((dist_info, version)) => {
            let major: Option<u32> = version.split('.').next().and_then(|m| m.parse().ok());
            if major.is_some_and(|m| m < 4) {
                let dist = model.facts.files.get(&dist_info).map(Location::image_file);
                out.report(message::too_old(&version, &jupyter, prefix)).at_all(dist).at_all(entry);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use crate::vocabulary::Profile;
    use alloc::vec::Vec;

    fn found(image: ImageBuilder) -> Vec<crate::Finding> {
        findings_as(&facts(Some(image.build()), None, None), "RUN018", Profile::JupyterLab)
    }

    #[test]
    fn jupyterlab_3_in_the_path_environment_is_too_old() {
        let f = found(
            ImageBuilder::good()
                .file("/usr/local/bin/jupyter", 100)
                .dir("/usr/local/lib/python3.11/site-packages/jupyterlab-3.6.7.dist-info"),
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].message, "JupyterLab 3.6.7 is installed in /usr/local (the environment of `/usr/local/bin/jupyter`); the JupyterLab app needs JupyterLab 4 or later.");
    }

    #[test]
    fn jupyterlab_in_another_environment_does_not_count() {
        let f = found(
            ImageBuilder::good()
                .env("PATH", "/opt/conda/bin:/usr/local/bin:/usr/bin:/bin")
                .file("/opt/conda/bin/jupyter", 100)
                .dir("/opt/conda/envs/lab/lib/python3.11/site-packages/jupyterlab-4.2.5.dist-info"),
        );
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].message,
            "No JupyterLab is installed in /opt/conda, the environment of `/opt/conda/bin/jupyter` (the `jupyter` first on PATH)."
        );
    }

    #[test]
    fn jupyterlab_4_passes_and_no_jupyter_is_named() {
        assert!(found(
            ImageBuilder::good()
                .file("/opt/conda/bin/jupyter", 1)
                .env("PATH", "/opt/conda/bin:/usr/bin")
                .dir("/opt/conda/lib/python3.12/site-packages/jupyterlab-4.0.0.dist-info")
        )
        .is_empty());
        let f = found(ImageBuilder::good());
        assert_eq!(f.len(), 1);
        assert!(f[0].message.starts_with("No `jupyter` is on the image's PATH"), "{}", f[0].message);
    }
}
