//! An image reference as `FROM` writes it, normalised the way Docker resolves it: a first path
//! component with a `.` or `:` (or `localhost`) is a registry, anything else is on Docker Hub,
//! where a one-component name lives under `library/`; the tag defaults to `latest` unless the
//! reference pins a digest.

use alloc::format;
use alloc::string::String;

const DOCKER_HUB: &str = "docker.io";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageReference<'a> {
    /// The reference as written (without flags or `AS name`).
    pub written: &'a str,
    /// Registry and path, lower-cased (`docker.io/library/python`, `registry:5000/team/app`).
    pub repository: String,
    /// The tag (`latest` when neither a tag nor a digest is given; `None` for a digest alone).
    pub tag: Option<String>,
    /// `sha256:…` when the reference pins a digest.
    pub digest: Option<&'a str>,
}

impl<'a> ImageReference<'a> {
    /// Reads a `FROM` argument. `None` for an empty or unresolved (`$ARG`) reference.
    pub fn parse(from: &'a str) -> Option<ImageReference<'a>> {
        let written = from.split_whitespace().find(|w| !w.starts_with("--"))?;
        if written.contains('$') {
            return None;
        }
        let (name, digest) = match written.split_once('@') {
            Some((name, digest)) => (name, Some(digest)),
            None => (written, None),
        };
        // A `:` after the last `/` starts the tag; one before it is a registry's port.
        let (name, tag) = match name.rfind(':') {
            Some(at) if !name[at..].contains('/') => (&name[..at], Some(&name[at + 1..])),
            _ => (name, None),
        };
        if name.is_empty() || tag.is_some_and(str::is_empty) {
            return None;
        }
        let name = name.to_lowercase();
        let (registry, path) = match name.split_once('/') {
            Some((first, rest)) if first.contains('.') || first.contains(':') || first == "localhost" => (first, rest),
            _ => (DOCKER_HUB, name.as_str()),
        };
        let registry = match registry {
            "index.docker.io" | "registry-1.docker.io" => DOCKER_HUB,
            other => other,
        };
        let repository = if registry == DOCKER_HUB && !path.contains('/') {
            format!("{DOCKER_HUB}/library/{path}")
        } else {
            format!("{registry}/{path}")
        };
        let tag = match (tag, digest) {
            (Some(tag), _) => Some(String::from(tag)),
            (None, None) => Some(String::from("latest")),
            (None, Some(_)) => None,
        };
        Some(ImageReference { written, repository, tag, digest })
    }
}

/// A normalised repository as users write it (`python`, `jupyter/*-notebook`).
pub fn short_repository(repository: &str) -> &str {
    repository.strip_prefix("docker.io/library/").or_else(|| repository.strip_prefix("docker.io/")).unwrap_or(repository)
}
