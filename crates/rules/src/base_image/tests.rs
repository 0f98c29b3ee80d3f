//! Lookups against the table: how references are normalised, which row and pattern answer, and
//! that anything else stays unknown.

use super::*;

fn pattern(from: &str) -> Option<String> {
    lookup(from).map(|m| m.pattern)
}

#[test]
fn docker_hub_defaults_registry_library_and_tag() {
    for from in ["python:3.11-slim", "docker.io/library/python:3.11-slim", "index.docker.io/library/python:3.11-slim", "Python:3.11-slim"] {
        let found = lookup(from).unwrap_or_else(|| panic!("{from}"));
        assert_eq!(found.pattern, "python:*", "{from}");
        assert_eq!(found.row.cmd, Fact::Known(&["python3"][..]));
        assert_eq!(found.row.family, Fact::Known(Family::Debian));
    }
    let parsed = ImageReference::parse("python").unwrap();
    assert_eq!((parsed.repository.as_str(), parsed.tag.as_deref()), ("docker.io/library/python", Some("latest")));
}

#[test]
fn a_digest_is_not_a_tag_and_pins_no_tag_pattern() {
    let digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    let pinned = alloc::format!("mambaorg/micromamba:1.5.8@{digest}");
    let both = ImageReference::parse(&pinned).unwrap();
    assert_eq!((both.tag.as_deref(), both.digest), (Some("1.5.8"), Some(digest)));
    assert_eq!(pattern(&alloc::format!("mambaorg/micromamba:1.5.8@{digest}")).as_deref(), Some("mambaorg/micromamba:1.5*"));
    // A digest alone: only rows for every tag can answer.
    assert_eq!(pattern(&alloc::format!("python@{digest}")).as_deref(), Some("python:*"));
    assert_eq!(pattern(&alloc::format!("mambaorg/micromamba@{digest}")), None);
}

#[test]
fn a_registry_port_is_not_a_tag_and_other_registries_are_unknown() {
    let parsed = ImageReference::parse("registry.example:5000/team/python:3.11").unwrap();
    assert_eq!((parsed.repository.as_str(), parsed.tag.as_deref()), ("registry.example:5000/team/python", Some("3.11")));
    let untagged = ImageReference::parse("localhost:5000/python").unwrap();
    assert_eq!((untagged.repository.as_str(), untagged.tag.as_deref()), ("localhost:5000/python", Some("latest")));
    // A mirror or a private copy may be anything: no guess.
    assert_eq!(pattern("registry.example:5000/team/python:3.11"), None);
    assert_eq!(pattern("localhost:5000/python"), None);
    // AWS's public mirror of the official images is the same image.
    assert_eq!(pattern("public.ecr.aws/docker/library/python:3.12").as_deref(), Some("public.ecr.aws/docker/library/python:*"));
}

#[test]
fn platform_flags_and_stage_names_are_ignored() {
    assert_eq!(pattern("--platform=linux/amd64 python:3.11 AS build").as_deref(), Some("python:*"));
    assert_eq!(pattern("--platform=$BUILDPLATFORM ubuntu:22.04").as_deref(), Some("ubuntu:22.*"));
}

#[test]
fn unresolved_arguments_match_nothing() {
    assert!(lookup("mambaorg/micromamba:$TAG_FOR_BASE_MICROMAMBA_IMAGE").is_none());
    assert!(lookup("${BASE}").is_none());
    assert!(lookup("").is_none());
    assert!(lookup("python:").is_none());
}

#[test]
fn micromamba_user_depends_on_the_tag() {
    for from in ["mambaorg/micromamba:latest", "mambaorg/micromamba", "mambaorg/micromamba:1.5.8", "mambaorg/micromamba:2.0.5"] {
        let found = lookup(from).unwrap_or_else(|| panic!("{from}"));
        let user = found.row.user.known().unwrap();
        assert_eq!((user.name, user.uid, user.gid), ("mambauser", 57439, 57439), "{from}");
        assert!(found.row.lacks_uid(1000), "{from}: no account with uid 1000");
        assert_eq!(found.row.family, Fact::Known(Family::Debian));
        assert_eq!(found.row.entrypoint, Fact::Known(&["/usr/local/bin/_entrypoint.sh"][..]));
        assert_eq!(found.row.root_mode, Fact::Known(0o700));
    }
    // Variant tags keep the user but not the distribution.
    let variant = lookup("mambaorg/micromamba:1.5.8-alpine3.20").unwrap();
    assert_eq!(variant.pattern, "mambaorg/micromamba:1.5*-*");
    assert_eq!((variant.row.family, variant.row.user.known().map(|u| u.uid)), (Fact::Unknown, Some(57439)));
    assert!(!variant.row.lacks_uid(1000), "the accounts of a variant are unknown");
    // Before 1.5.0 the user had other ids: not in the table.
    assert!(lookup("mambaorg/micromamba:1.4.9").is_none());
    assert!(lookup("mambaorg/micromamba:0.25.1").is_none());
}

#[test]
fn sagemaker_distribution_and_jupyter_stacks_run_as_1000_100() {
    for (from, name, entrypoint) in [
        ("public.ecr.aws/sagemaker/sagemaker-distribution:latest-cpu", "sagemaker-user", &["/usr/local/bin/_entrypoint.sh"][..]),
        ("quay.io/jupyter/minimal-notebook:2024-05-27", "jovyan", &["tini", "-g", "--", "start.sh"][..]),
        ("jupyter/datascience-notebook:julia-1.5.2", "jovyan", &["tini", "-g", "--"][..]),
    ] {
        let found = lookup(from).unwrap_or_else(|| panic!("{from}"));
        let user = found.row.user.known().unwrap();
        assert_eq!((user.name, user.uid, user.gid), (name, 1000, 100), "{from}");
        assert_eq!(found.row.entrypoint, Fact::Known(entrypoint), "{from}");
        assert_eq!(found.row.entrypoint_runs_arguments, Fact::Known(true), "{from}");
        assert_eq!(found.row.group_100, Fact::Known(Some("users")));
        assert!(matches!(found.row.kernels, Kernels::Include(k) if k.iter().any(|k| k.name == "python3")), "{from}");
    }
    assert_eq!(pattern("jupyter/datascience-notebook:julia-1.5.2").as_deref(), Some("jupyter/*-notebook:*"));
    assert_eq!(pattern("quay.io/jupyter/docker-stacks-foundation"), None);
}

#[test]
fn ubuntu_from_23_04_has_a_user_with_uid_1000() {
    assert!(!lookup("ubuntu:24.04").unwrap().row.lacks_uid(1000));
    assert!(!lookup("ubuntu").unwrap().row.lacks_uid(1000));
    assert!(lookup("public.ecr.aws/ubuntu/ubuntu:20.04").unwrap().row.lacks_uid(1000));
    assert!(lookup("ubuntu:22.04").unwrap().row.lacks_uid(1000));
}

#[test]
fn amazon_linux_and_cuda_rows_know_their_family_only_so_far() {
    let al2 = lookup("public.ecr.aws/amazonlinux/amazonlinux:2").unwrap();
    assert_eq!((al2.pattern.as_str(), al2.row.family), ("public.ecr.aws/amazonlinux/amazonlinux:2", Fact::Known(Family::AmazonLinux)));
    assert_eq!(al2.row.root_mode, Fact::Unknown);
    assert!(!al2.row.lacks_uid(1000), "its accounts are unknown");
    assert_eq!(pattern("amazonlinux:2023").as_deref(), Some("amazonlinux:2023*"));
    let cuda = lookup("nvidia/cuda:11.0-base-ubuntu18.04").unwrap();
    assert_eq!((cuda.row.family, cuda.row.kernels), (Fact::Known(Family::Ubuntu), Kernels::NoneShipped));
    assert_eq!(lookup("nvidia/cuda:12.2.0-base-ubi8").unwrap().row.family, Fact::Known(Family::Rhel));
    let untold = lookup("nvidia/cuda:10.0-base").unwrap();
    assert_eq!((untold.row.family, untold.row.kernels), (Fact::Unknown, Kernels::NoneShipped));
}

#[test]
fn evidence_names_the_reference_and_the_row() {
    let found = lookup("mambaorg/micromamba:latest").unwrap();
    assert_eq!(found.assumed(), "assumed from the base image mambaorg/micromamba:latest (table row `mambaorg/micromamba:latest`)");
}

#[test]
fn every_row_is_sourced_and_reachable() {
    for (i, row) in table::BASES.iter().enumerate() {
        assert!(!row.source.is_empty() && !row.repositories.is_empty() && !row.tags.is_empty(), "row {i}");
        // Patterns are normalised names: lower case, with a registry.
        for r in row.repositories {
            assert_eq!(ImageReference::parse(r).map(|p| p.repository).as_deref(), Some(*r), "row {i}: {r}");
        }
    }
}
