//! FS001 `reserved-path-used`: The image puts files under /opt/ml or /opt/.sagemakerinternal, which Studio reserves.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::metadata::METADATA_FILE;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

use super::{report_content, Wording, RESERVED_DIRS};

pub const RULE: Rule = Rule {
    id: "FS001",
    name: "reserved-path-used",
    section: Section::FileSystem,
    spec:
        "The /opt/.sagemakerinternal and /opt/ml directories are reserved. Any data in these directories might not be visible at runtime.",
    severity: Severity::Error,
    stage: Stage::ContainerStart,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: &[],
    summary: "The image puts files under /opt/ml or /opt/.sagemakerinternal, which Studio reserves.",
    explanation: "Studio mounts its own content over /opt/.sagemakerinternal (the KernelGateway runtime) and /opt/ml \
(app metadata), so whatever the image ships there may be invisible at runtime — code or models placed there by a \
training-style Dockerfile silently disappear.",
    fix: "Move the files elsewhere (e.g. /opt/app or /usr/local/share/<project>) and update the paths that use them.",
    explains: &[],
    examples: &[
        Example::bad().image(
            r#"studio-image
layer COPY train.py /opt/ml/code/
file /opt/ml/code/train.py 120"#,
        ),
        Example::bad().dockerfile(
            r#"FROM python:3.11
COPY model.bin /opt/ml/model/
"#,
        ),
        Example::good().image(
            r#"studio-image
dir /opt/ml"#,
        ),
        Example::good().dockerfile(
            r#"FROM python:3.11
COPY model.bin /opt/program/
"#,
        ),
    ],
    check,
};

/// What FS001 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// `files`: count and size of what is shipped; `layers`: the layers it comes from ("1 and 3").
    pub fn shipped(files: &str, dir: &str, layers: &str) -> String {
        format!("The image ships {files} under {dir} (from layer {layers}); Studio reserves {dir}, so they may not be visible at runtime.")
    }

    /// `via`: the instruction that writes (`COPY`, `RUN`…).
    pub fn written(via: &str, path: &str, dir: &str) -> String {
        format!("{via} writes {path} inside the reserved directory {dir}.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    // The metadata file is META001's.
    report_content(ctx, out, &RESERVED_DIRS, Some(METADATA_FILE), &Wording { shipped: message::shipped, written: message::written });
}

#[cfg(test)]
mod tests {
    use crate::facts::{PathWrite, WriteVia};
    use crate::testkit::*;

    #[test]
    fn code_shipped_in_opt_ml_fails_with_paths_and_layers() {
        let image = ImageBuilder::good().next_layer("COPY train.py /opt/ml/code/").file("/opt/ml/code/train.py", 120).build();
        let found = findings(&facts(Some(image), None, None), "FS001");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("layer 1"), "{}", found[0].message);
        assert!(matches!(&found[0].locations[0], crate::Location::ImageFile { path, layer: 1, .. } if path == "/opt/ml/code/train.py"));
    }

    #[test]
    fn dockerfile_copy_into_opt_ml_fails_on_its_line() {
        let df = DockerfileBuilder::from("python:3.11")
            .with("COPY model.bin /opt/ml/model/", |s, span| {
                s.writes.push(PathWrite { path: "/opt/ml/model/model.bin".into(), via: WriteVia::Copy, span })
            })
            .build();
        let found = findings(&facts(None, Some(df), None), "FS001");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["Dockerfile:2: COPY model.bin /opt/ml/model/"]);
        assert!(found[0].message.contains("COPY writes /opt/ml/model/model.bin"), "{}", found[0].message);
    }

    #[test]
    fn empty_reserved_directories_pass() {
        let image = ImageBuilder::good().dir("/opt/ml").dir("/opt/.sagemakerinternal").build();
        assert!(findings(&facts(Some(image), None, None), "FS001").is_empty());
    }
}
