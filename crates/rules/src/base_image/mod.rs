//! Widely used base images and what each brings that rules need when only a Dockerfile is given:
//! its default user and ids, the accounts it has, its ENTRYPOINT/CMD, kernels, conda prefix, PATH,
//! the mode of `/root`, its distribution family and the user-creation tools it ships.
//!
//! The knowledge is data ([`table::BASES`]), one sourced row per base and tag pattern; a fact the
//! sources did not confirm is [`Fact::Unknown`], never a guess. [`lookup`] matches a `FROM`
//! reference (registry, `docker.io/library/` defaults, tag, digest, `--platform`) against it;
//! a reference that matches no row leaves every fact unknown. The archive, when given, always
//! wins: [`crate::context::Context`] consults the table only without one.

mod reference;
pub mod table;

use alloc::format;
use alloc::string::String;

pub use reference::ImageReference;

use crate::vocabulary::glob_matches;

/// A fact of a base image: confirmed by the row's source, or not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fact<T> {
    Known(T),
    Unknown,
}

impl<T: Copy> Fact<T> {
    pub fn known(&self) -> Option<T> {
        match self {
            Fact::Known(value) => Some(*value),
            Fact::Unknown => None,
        }
    }
}

/// The distribution an image is built on: which package manager, user tools and defaults it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Debian,
    Ubuntu,
    /// Amazon Linux 2 / 2023 (RHEL-like: `yum`/`dnf`, shadow-utils).
    AmazonLinux,
    /// Red Hat Enterprise Linux and its rebuilds (UBI, Rocky Linux).
    Rhel,
    Alpine,
}

impl Family {
    pub const fn label(self) -> &'static str {
        match self {
            Family::Debian => "debian",
            Family::Ubuntu => "ubuntu",
            Family::AmazonLinux => "amazon-linux",
            Family::Rhel => "rhel",
            Family::Alpine => "alpine",
        }
    }

    /// Debian and Ubuntu (and images built on them, such as micromamba's default tags).
    pub const fn is_debian_based(self) -> bool {
        matches!(self, Family::Debian | Family::Ubuntu)
    }
}

/// A passwd account of a base image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Account {
    pub name: &'static str,
    pub uid: u64,
    /// Primary group.
    pub gid: u64,
    pub home: &'static str,
}

/// A Jupyter kernel spec a base image ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BaseKernel {
    /// The kernel's name (its directory's name).
    pub name: &'static str,
    /// The `share/jupyter/kernels` directory it is in.
    pub dir: &'static str,
}

/// The Jupyter kernels a base image ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernels {
    /// The image ships no kernel spec at all.
    NoneShipped,
    /// The image ships at least these (some tags add more).
    Include(&'static [BaseKernel]),
    Unknown,
}

/// One row of the table: a repository (or a few names for the same image) and tag patterns,
/// with what images that match them bring.
#[derive(Debug, Clone, Copy)]
pub struct BaseImage {
    /// Normalised repositories (`docker.io/library/python`); `*` matches within a path segment.
    pub repositories: &'static [&'static str],
    /// Tag globs (`*`, `1.5*`); a reference by digest alone matches only `*`.
    pub tags: &'static [&'static str],
    pub family: Fact<Family>,
    /// The user the image runs as (config `User`).
    pub user: Fact<Account>,
    /// Every account with uid 0 or ≥ 1000 (system accounts between are not listed).
    pub accounts: Fact<&'static [Account]>,
    /// The name of group 100 (`users`), `None` when the image has no group 100.
    pub group_100: Fact<Option<&'static str>>,
    /// ENTRYPOINT (exec form; empty: none).
    pub entrypoint: Fact<&'static [&'static str]>,
    /// Whether the ENTRYPOINT ends by running its arguments (`exec "$@"`, `tini --`), so a CMD
    /// given to it still starts; `true` when there is no ENTRYPOINT.
    pub entrypoint_runs_arguments: Fact<bool>,
    /// CMD (exec form; empty: none).
    pub cmd: Fact<&'static [&'static str]>,
    pub kernels: Kernels,
    /// The conda prefix (`None`: the image has no conda).
    pub conda_prefix: Fact<Option<&'static str>>,
    /// `PATH` as the image sets it.
    pub path: Fact<&'static str>,
    /// Permission bits of `/root` (owner and group root).
    pub root_mode: Fact<u32>,
    /// Commands that create or change accounts, present without installing anything.
    pub user_tools: Fact<&'static [&'static str]>,
    /// Where the facts come from: the base's Dockerfile or documentation.
    pub source: &'static str,
    /// What the sources did not confirm ("" when everything known was confirmed).
    pub unverified: &'static str,
}

impl BaseImage {
    pub fn account_by_uid(&self, uid: u64) -> Option<Account> {
        self.accounts.known()?.iter().find(|a| a.uid == uid).copied()
    }

    pub fn account_by_name(&self, name: &str) -> Option<Account> {
        self.accounts.known()?.iter().find(|a| a.name == name).copied()
    }

    /// Whether the image has no account with this uid: only certain for 0 and ids ≥ 1000, the
    /// range the row lists completely.
    pub fn lacks_uid(&self, uid: u64) -> bool {
        (uid == 0 || uid >= 1000) && self.accounts.known().is_some_and(|all| !all.iter().any(|a| a.uid == uid))
    }
}

/// A `FROM` reference matched to a row of the table.
#[derive(Debug, Clone)]
pub struct BaseMatch {
    pub row: &'static BaseImage,
    /// The reference as the Dockerfile writes it (after ARG expansion).
    pub reference: String,
    /// The row's pattern that matched (`mambaorg/micromamba:latest`).
    pub pattern: String,
}

impl BaseMatch {
    /// "assumed from the base image X (table row `P`)": how evidence says a fact came from here.
    pub fn assumed(&self) -> String {
        format!("assumed from the base image {} (table row `{}`)", self.reference, self.pattern)
    }
}

/// The row for a `FROM` argument (`--platform=…` flags and `AS name` are ignored). `None` when
/// the reference is unresolved (`$ARG`), names no known base, or its tag matches no pattern.
pub fn lookup(from: &str) -> Option<BaseMatch> {
    let reference = ImageReference::parse(from)?;
    table::BASES.iter().find_map(|row| {
        let repository = row.repositories.iter().find(|r| glob_matches(r, &reference.repository))?;
        let tag = row.tags.iter().find(|t| match &reference.tag {
            Some(tag) => glob_matches(t, tag),
            None => **t == "*",
        })?;
        // The row's pattern as users write image references (`mambaorg/micromamba:1.5*`).
        let pattern = format!("{}:{tag}", reference::short_repository(repository));
        Some(BaseMatch { row, reference: String::from(reference.written), pattern })
    })
}

/// The row for the image a Dockerfile stage is ultimately built on (following `FROM stage`
/// chains). Rules consult it only without an archive ([`crate::context::Context::base`]).
pub fn of_stage(stage: &crate::facts::StageFacts) -> Option<BaseMatch> {
    stage.from.base_image().and_then(|(reference, _)| lookup(reference))
}

#[cfg(test)]
mod tests;
