//! Parse + read facts + check a generated 5,000-line Dockerfile (budget: under 5 ms natively,
//! release build). `cargo bench -p smic-dockerfile --bench read`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use smic_dockerfile::{read, ReadOptions};
use smic_rules::facts::Facts;
use smic_rules::{check, Options};

/// A realistic mix: ARGs, multi-line RUNs with users and packages, COPYs, ENVs, heredocs.
fn generate(lines: usize) -> String {
    let mut text =
        String::from("# syntax=docker/dockerfile:1\nARG BASE=python:3.11\nFROM ${BASE} AS build\nARG NB_UID=1000\nARG NB_GID=100\n");
    let mut i = 0;
    while text.lines().count() < lines {
        match i % 8 {
            0 => text.push_str(&format!("RUN apt-get update && \\\n    apt-get install -y --no-install-recommends pkg{i}a pkg{i}b \\\n    pkg{i}c && \\\n    rm -rf /var/lib/apt/lists/*\n")),
            1 => text.push_str(&format!("ENV VAR{i}=/opt/v{i} PATH=/opt/v{i}/bin:$PATH\n")),
            2 => text.push_str(&format!("COPY --chown=${{NB_UID}}:${{NB_GID}} src{i}/ /opt/app/src{i}/\n")),
            3 => text.push_str(&format!("RUN pip install --no-cache-dir 'lib{i}>=1.0' other{i} && \\\n    python -m ipykernel install --sys-prefix --name k{i}\n")),
            4 => text.push_str(&format!("# a comment about step {i}\nWORKDIR /opt/w{i}\n")),
            5 => text.push_str(&format!("RUN <<EOF\nset -e\nmkdir -p /data/d{i}\necho {i} > /data/d{i}/f\nEOF\n")),
            6 => text.push_str(&format!("RUN conda create -y -n env{i} python=3.11 ipykernel && \\\n    conda run -n env{i} pip install x{i}\n")),
            _ => text.push_str(&format!("LABEL step{i}=\"value {i}\"\nEXPOSE {}\n", 9000 + i % 100)),
        }
        i += 1;
    }
    text.push_str("RUN useradd -m -N -u ${NB_UID} -s /bin/bash sagemaker-user\nUSER ${NB_UID}\n");
    text
}

fn time(label: &str, runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    samples.sort();
    let median = samples[samples.len() / 2];
    println!("{label:<40} median {:>9.3} ms   min {:>9.3} ms   ({runs} runs)", median.as_secs_f64() * 1e3, samples[0].as_secs_f64() * 1e3);
    median
}

fn main() {
    let text = generate(5_000);
    let lines = text.lines().count();
    let parsed = smic_dockerfile::parse(&text).map(|f| f.instructions).unwrap_or_default();
    let runs = parsed.iter().filter(|i| i.kind() == "run").count();
    println!("generated Dockerfile: {lines} lines, {} bytes, {} instructions ({runs} RUN)", text.len(), parsed.len());
    let options = ReadOptions::default();
    time("parse (BuildKit AST)", 200, || {
        black_box(smic_dockerfile::parse(black_box(&text)).map(|f| f.instructions.len()).unwrap_or(0));
    });
    time("parse + read facts", 200, || {
        black_box(read("Dockerfile", black_box(text.as_bytes()), &options).map(|r| r.facts.stage_count).unwrap_or(0));
    });
    let total = time("parse + read facts + smic_rules::check", 200, || {
        let reading = read("Dockerfile", black_box(text.as_bytes()), &options).map(Some).unwrap_or(None);
        if let Some(reading) = reading {
            let facts = Facts { dockerfile: Some(reading.facts), ..Facts::default() };
            black_box(check(&facts, reading.errors, &Options::default()).findings.len());
        }
    });
    let budget = Duration::from_millis(5);
    println!("budget 5 ms: {}", if total <= budget { "met" } else { "MISSED" });
}
