//! What the user gave the page to check: the image archive (and which image of it), the
//! Dockerfile, the AppImageConfig, the build args and the target stage, and a dropped file as
//! recognised by its content.

use web_sys::File;

use crate::protocol::{ImageSpec, TextInput};

/// The image archive to check: a dropped file or the bundled demo.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageInput {
    pub spec: ImageSpec,
    /// The dropped file (posted to the worker with each check); `None` for the demo.
    pub file: Option<File>,
}

impl ImageInput {
    pub fn name(&self) -> &str {
        match &self.spec {
            ImageSpec::File { name, .. } => name,
            ImageSpec::Demo => smic_engine::demo::ARCHIVE_NAME,
        }
    }
}

/// The image input with what the user said about it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImageSlot {
    pub archive: Option<ImageInput>,
    /// The image to check in a multi-image archive (`None`: the first).
    pub reference: Option<String>,
    /// The user cancelled reading the archive (or it crashed the worker): checks leave it out
    /// until asked again.
    pub paused: bool,
}

impl ImageSlot {
    /// The image as the next check should see it (none while paused).
    pub fn to_check(&self) -> Option<&ImageInput> {
        self.archive.as_ref().filter(|_| !self.paused)
    }

    /// A new archive (or none): any earlier choice of image and any pause go with the old one.
    pub fn replace(&mut self, archive: Option<ImageInput>) {
        *self = ImageSlot { archive, reference: None, paused: false };
    }
}

/// The inputs the user can type or paste.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextInputs {
    pub dockerfile: Option<TextInput>,
    pub config: Option<TextInput>,
    /// The "Build args" field as typed (`crate::build_args` reads it).
    pub build_args: String,
    /// The "Target stage" field as typed (see `target`).
    pub target: String,
}

impl TextInputs {
    /// The `--target` stage for the Dockerfile: `None` (the last stage) when the field is blank.
    pub fn target(&self) -> Option<String> {
        Some(self.target.trim()).filter(|t| !t.is_empty()).map(str::to_string)
    }
}

/// An edited text input keeps its name; an emptied one is removed.
pub(super) fn edited(old: Option<TextInput>, text: String, default_name: &str) -> Option<TextInput> {
    if text.trim().is_empty() {
        return None;
    }
    let name = old.map(|o| o.name).unwrap_or_else(|| default_name.to_string());
    Some(TextInput { name, text })
}

/// A file from a drop or the file picker, recognised by its content.
#[derive(Debug, Clone, PartialEq)]
pub enum Recognised {
    Archive(File),
    Dockerfile(TextInput),
    Config(TextInput),
    /// Not one of the three inputs: the file name and why.
    Unknown {
        name: String,
        why: String,
    },
}
