//! The distribution family a Dockerfile's final stage builds on (Debian/Ubuntu, RHEL/Amazon
//! Linux, Alpine, or a micromamba image), which decides the commands that create or change a
//! user. Read from the table of base images ([`crate::base_image`]) when it knows the stage's base,
//! else from the `FROM` image's name, else from the package manager the stage's RUN lines use.
//! [`family`] is the one entry point.

use crate::base_image;
use crate::facts::StageFacts;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Debian, Ubuntu and their derivatives: shadow-utils, group 100 `users`.
    Debian,
    /// RHEL, Amazon Linux, CentOS, Fedora and their rebuilds: shadow-utils, group 100 `users`.
    Rhel,
    /// Alpine: busybox `adduser`/`addgroup`, group 100 `users`.
    Alpine,
    /// `mambaorg/micromamba` (Debian inside) whose user is `mambauser`: renamed, not recreated.
    Micromamba,
}

impl Family {
    pub const fn label(self) -> &'static str {
        match self {
            Family::Debian => "Debian/Ubuntu",
            Family::Rhel => "RHEL/Amazon Linux",
            Family::Alpine => "Alpine",
            Family::Micromamba => "micromamba",
        }
    }
}

/// The family of the final stage: the table of base images first, then its base image's name,
/// then its package manager.
pub fn family(stage: &StageFacts) -> Option<Family> {
    let image = if stage.from.is_stage { None } else { from_image_name(&stage.from.image) };
    from_table(stage).or(image).or_else(|| from_package_manager(stage))
}

/// By the row of the table of base images the stage is built on (following `FROM stage`
/// chains); a row whose user is `mambauser` is a micromamba image whatever it is built on.
fn from_table(stage: &StageFacts) -> Option<Family> {
    let row = crate::base_image::of_stage(stage)?.row;
    if row.user.known().is_some_and(|u| u.name == "mambauser") {
        return Some(Family::Micromamba);
    }
    Some(match row.family.known()? {
        base_image::Family::Debian | base_image::Family::Ubuntu => Family::Debian,
        base_image::Family::AmazonLinux | base_image::Family::Rhel => Family::Rhel,
        base_image::Family::Alpine => Family::Alpine,
    })
}

/// By the repository name of an image reference (`python:3.11-alpine`, `amazonlinux:2023`).
fn from_image_name(image: &str) -> Option<Family> {
    let reference = image.to_ascii_lowercase();
    let contains = |names: &[&str]| names.iter().any(|n| reference.contains(n));
    if contains(&["micromamba"]) {
        Some(Family::Micromamba)
    } else if contains(&["alpine"]) {
        Some(Family::Alpine)
    } else if contains(&["amazonlinux", "centos", "rhel", "ubi8", "ubi9", "fedora", "rockylinux", "almalinux", "oraclelinux"]) {
        Some(Family::Rhel)
    } else if contains(&["debian", "ubuntu", "python", "buildpack-deps", "jupyter/", "quay.io/jupyter", "continuumio", "nvidia/cuda"]) {
        Some(Family::Debian)
    } else {
        None
    }
}

fn from_package_manager(stage: &StageFacts) -> Option<Family> {
    stage.packages.iter().find_map(|p| match p.manager.as_str() {
        "apt" | "apt-get" => Some(Family::Debian),
        "yum" | "dnf" | "microdnf" | "tdnf" => Some(Family::Rhel),
        "apk" => Some(Family::Alpine),
        "micromamba" => Some(Family::Micromamba),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::{family, Family};
    use crate::facts::{FromFacts, PackageInstall, StageFacts};

    fn stage(image: &str, managers: &[&str]) -> StageFacts {
        StageFacts {
            from: FromFacts { image: image.into(), ..Default::default() },
            packages: managers.iter().map(|m| PackageInstall { manager: (*m).into(), ..Default::default() }).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn the_base_image_name_decides_first() {
        assert_eq!(family(&stage("python:3.11-alpine", &["apt"])), Some(Family::Alpine));
        assert_eq!(family(&stage("mambaorg/micromamba:1.5", &["apt"])), Some(Family::Micromamba));
        assert_eq!(family(&stage("public.ecr.aws/amazonlinux/amazonlinux:2023", &[])), Some(Family::Rhel));
        assert_eq!(family(&stage("ubuntu:22.04", &[])), Some(Family::Debian));
    }

    #[test]
    fn the_table_of_base_images_decides_before_the_name() {
        // Bases whose names the heuristics do not know.
        assert_eq!(family(&stage("pytorch/pytorch:2.2.0-cuda12.1-cudnn8-runtime", &["pip"])), Some(Family::Debian));
        assert_eq!(family(&stage("public.ecr.aws/sagemaker/sagemaker-distribution:latest-cpu", &["dnf"])), Some(Family::Debian));
        assert_eq!(family(&stage("mambaorg/micromamba:1.5-alpine", &[])), Some(Family::Micromamba));
        // A stage built on an earlier one: the image that chain starts from.
        let mut chained = stage("builder", &[]);
        chained.from.is_stage = true;
        chained.from.chain_base = Some(("amazonlinux:2023".into(), crate::facts::Span::line(1)));
        assert_eq!(family(&chained), Some(Family::Rhel));
    }

    #[test]
    fn else_the_package_manager_the_stage_uses() {
        assert_eq!(family(&stage("my-registry/base:1", &["pip", "dnf"])), Some(Family::Rhel));
        assert_eq!(family(&stage("my-registry/base:1", &["apt"])), Some(Family::Debian));
        assert_eq!(family(&stage("my-registry/base:1", &["apk"])), Some(Family::Alpine));
        assert_eq!(family(&stage("my-registry/base:1", &["pip"])), None);
    }
}
