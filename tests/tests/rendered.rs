//! Snapshots of what users read: the report rendered for a terminal and as Markdown, for a
//! hand-built image with typical mistakes. Review changes with `cargo insta review` (or read the
//! `.snap.new` files) — a changed message is a changed product.

use smic_rules::facts::{CommandForm, KernelInstall};
use smic_rules::render;
use smic_rules::testkit::*;

fn typical_mistakes() -> smic_rules::Report {
    let image = ImageBuilder::good()
        .text("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nsagemaker-user:x:1000:1000::/home/sagemaker-user:/bin/bash\n")
        .dir("/usr/lib/python3/dist-packages/ipykernel")
        .dir("/opt/conda/conda-meta")
        .dir("/opt/conda/condabin")
        .dir("/opt/conda/envs/myenv/conda-meta")
        .text("/opt/conda/envs/myenv/share/jupyter/kernels/python3/kernel.json", PYTHON3_KERNEL)
        .next_layer("COPY train.py /opt/ml/code/train.py # buildkit")
        .file("/opt/ml/code/train.py", 2048)
        .cmd(&["python3"])
        .build();
    let dockerfile = DockerfileBuilder::from("continuumio/miniconda3")
        .with("RUN python -m ipykernel install --user --name myenv", |s, span| {
            s.kernel_installs.push(KernelInstall { name: "myenv".into(), user: true, span, ..Default::default() })
        })
        .with("CMD [\"python3\"]", |s, span| s.cmd = Some((CommandForm::Exec(vec!["python3".into()]), span)))
        .build();
    smic_rules::check(&facts(Some(image), Some(dockerfile), Some(app_image_config_with_kernel("myenv"))), vec![], &Default::default())
}

#[test]
fn terminal_report_of_typical_mistakes() {
    insta::assert_snapshot!(render::text::render(&typical_mistakes(), false));
}

#[test]
fn markdown_report_of_typical_mistakes() {
    insta::assert_snapshot!(render::markdown::render(&typical_mistakes()));
}

/// A Dockerfile alone, with mistakes the rules can patch: each finding shows its patch, and the
/// Markdown its diff and the combined one.
fn patchable_mistakes() -> smic_rules::Report {
    let dockerfile = "FROM python:3.11\nEXPOSE 8888\nRUN useradd -m -u 1000 sagemaker-user\n\
RUN pip install ipykernel && python -m ipykernel install --user\nUSER sagemaker-user\n";
    smic_engine::check(&smic_engine::Request {
        dockerfile: Some(smic_engine::NamedBytes { name: "Dockerfile", bytes: dockerfile.as_bytes() }),
        ..Default::default()
    })
}

#[test]
fn terminal_report_of_patchable_mistakes() {
    insta::assert_snapshot!(render::text::render(&patchable_mistakes(), false));
}

#[test]
fn markdown_report_of_patchable_mistakes() {
    insta::assert_snapshot!(render::markdown::render(&patchable_mistakes()));
}
