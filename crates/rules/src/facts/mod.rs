//! Facts: what the input readers (archive, Dockerfile, AppImageConfig) observed, in a form the
//! rules can reason about. Readers fill these; rules never see bytes, files or JSON text (except
//! the few small captured files they declared a need for).

pub mod config;
pub mod dockerfile;
pub mod fs;
pub mod image;

pub use config::{
    AppImageConfigFacts, ConfigField, ConfigForm, FileSystemConfigFacts, KernelGatewayFacts, KernelSpecFacts, ShapeProblem, TagFacts,
};
pub use dockerfile::{
    CommandForm, CondaEnvCreation, DockerfileFacts, DockerfileUser, FromFacts, KernelInstall, PackageInstall, PathWrite, ServiceStart,
    SourceLines, Span, StageFacts, Suppression, WriteVia,
};
pub use fs::{FileEntry, FileKind, FileSystem};
pub use image::{CapturedFile, HistoryEntry, ImageConfig, ImageFacts, ImageSource, LayerFacts};

use alloc::borrow::Cow;
use alloc::vec::Vec;

/// Everything known about one check: any combination of the three inputs. The image's facts may
/// be borrowed: an archive read once is checked again with every edit of the other inputs
/// (the page) without copying its file system.
#[derive(Debug, Clone, Default)]
pub struct Facts<'a> {
    pub image: Option<Cow<'a, ImageFacts>>,
    pub dockerfile: Option<DockerfileFacts>,
    pub app_image_config: Option<AppImageConfigFacts>,
}

/// The three kinds of input a rule can need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Input {
    /// A `docker save` (or compatible) archive.
    Image,
    /// The Dockerfile the image was built from.
    Dockerfile,
    /// The AppImageConfig JSON (CreateAppImageConfig input or DescribeAppImageConfig output).
    AppImageConfig,
}

impl Input {
    pub const fn label(self) -> &'static str {
        match self {
            Input::Image => "image archive",
            Input::Dockerfile => "Dockerfile",
            Input::AppImageConfig => "AppImageConfig",
        }
    }
}

impl Facts<'_> {
    pub fn has(&self, input: Input) -> bool {
        match input {
            Input::Image => self.image.is_some(),
            Input::Dockerfile => self.dockerfile.is_some(),
            Input::AppImageConfig => self.app_image_config.is_some(),
        }
    }

    pub fn present_inputs(&self) -> Vec<Input> {
        [Input::Image, Input::Dockerfile, Input::AppImageConfig].into_iter().filter(|i| self.has(*i)).collect()
    }
}
