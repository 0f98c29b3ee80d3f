//! Dockerfiles read by the real reader, checked without an archive: the final stage's base image
//! (through ARG defaults, `--platform` and `FROM stage` chains) is matched to the table of base
//! images, and the findings built on it say so; an unresolved or unknown base leaves them unjudged.

use smic_dockerfile::{read, ReadOptions};
use smic_rules::facts::Facts;
use smic_rules::{check, Finding, Location, Options, Report};

fn report(dockerfile: &str) -> Report {
    let reading = read("Dockerfile", dockerfile.as_bytes(), &ReadOptions::default()).unwrap();
    check(&Facts { dockerfile: Some(reading.facts), ..Facts::default() }, reading.errors, &Options::default())
}

fn finding<'a>(report: &'a Report, rule: &str) -> Option<&'a Finding> {
    report.findings.iter().find(|f| f.rule == rule)
}

fn lines(finding: &Finding) -> Vec<u32> {
    finding.locations.iter().filter_map(|l| if let Location::Dockerfile { line, .. } = l { Some(*line) } else { None }).collect()
}

#[test]
fn a_chain_of_stages_built_on_a_known_base_inherits_its_facts() {
    let r =
        report("ARG TAG=1.5.8\nFROM --platform=linux/amd64 mambaorg/micromamba:$TAG AS env\nRUN echo build\nFROM env AS app\nUSER 1000\n");
    let uid005 = finding(&r, "UID005").expect("UID005");
    assert!(
        uid005.message.contains("assumed from the base image mambaorg/micromamba:1.5.8 (table row `mambaorg/micromamba:1.5*`)"),
        "{}",
        uid005.message
    );
    assert_eq!(lines(uid005), [5, 2], "the USER line, then the FROM that names the base image");
}

#[test]
fn an_unresolved_or_unknown_base_assumes_nothing() {
    for dockerfile in
        ["ARG TAG\nFROM mambaorg/micromamba:$TAG\nUSER 1000\n", "FROM registry.example:5000/mambaorg/micromamba:1.5.8\nUSER 1000\n"]
    {
        let r = report(dockerfile);
        assert!(r.findings.iter().all(|f| !f.message.contains("assumed from the base image")), "{dockerfile}: {:?}", r.findings);
        assert!(finding(&r, "UID005").is_none(), "{dockerfile}");
    }
}

#[test]
fn a_stage_without_user_runs_as_the_base_images_user() {
    // Docker Hub's python runs as root: in JupyterLab that is reported, as assumed.
    let r = report("FROM docker.io/library/python:3.11-slim\nRUN pip install jupyterlab\nCMD jupyter lab --ip 0.0.0.0 --port 8888\n");
    let uid001 = finding(&r, "UID001").expect("UID001");
    assert!(
        uid001.message.starts_with("The base image's user root (assumed from the base image docker.io/library/python:3.11-slim"),
        "{}",
        uid001.message
    );
    assert_eq!(lines(uid001), [1]);
}
