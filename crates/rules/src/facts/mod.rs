//! Facts: what the input readers (archive, Dockerfile, AppImageConfig) observed, in a form the
//! rules can reason about. Readers fill these; rules never see bytes, files or JSON text (except
//! the few small captured files they declared a need for).

pub mod app_image_config;
pub mod dockerfile;
pub mod fs;
pub mod image;

pub use app_image_config::{
    AppImageConfigFacts, ConfigField, ConfigForm, FileSystemConfigFacts, KernelGatewayFacts, KernelSpecFacts, ShapeProblem, TagFacts,
};
pub use dockerfile::{
    CommandForm, CondaEnvCreation, ContextCopy, ContextFile, DockerfileFacts, DockerfileUser, FromFacts, KernelInstall, PackageInstall,
    PathWrite, ServiceStart, SourceLines, Span, StageFacts, Suppression, WriteVia,
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

pub use crate::vocabulary::InputKind;

impl Facts<'_> {
    pub fn has(&self, input: InputKind) -> bool {
        match input {
            InputKind::Image => self.image.is_some(),
            InputKind::Dockerfile => self.dockerfile.is_some(),
            InputKind::AppImageConfig => self.app_image_config.is_some(),
        }
    }

    pub fn present_inputs(&self) -> Vec<InputKind> {
        InputKind::ALL.into_iter().filter(|i| self.has(*i)).collect()
    }
}
