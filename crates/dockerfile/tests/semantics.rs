//! How a Dockerfile's instructions and RUN commands become facts, one situation per test.

use smic_dockerfile::{read, ReadOptions};
use smic_rules::facts::{DockerfileFacts, StageFacts, WriteVia};

fn facts(text: &str) -> DockerfileFacts {
    read("Dockerfile", text.as_bytes(), &ReadOptions::default()).expect("readable").facts
}

fn stage(text: &str) -> StageFacts {
    facts(text).final_stage.expect("a final stage")
}

fn ids(text: &str) -> (Option<u64>, Option<u64>) {
    let s = stage(text);
    let u = s.user.expect("USER");
    (u.uid, u.gid)
}

#[test]
fn useradd_with_uid_only_gets_its_own_group_with_the_same_id() {
    assert_eq!(ids("FROM debian\nRUN useradd -m -u 1000 sam\nUSER sam\n"), (Some(1000), Some(1000)));
    let s = stage("FROM debian\nRUN useradd -m -u 1000 sam\nUSER sam\n");
    assert!(s.user.unwrap().gid_reason.unwrap().contains("USERGROUPS_ENAB"));
}

#[test]
fn useradd_spellings_all_count() {
    for cmd in [
        "useradd --uid=1000 --gid=100 sam",
        "useradd --uid 1000 --gid users sam",
        "useradd -u1000 -g100 sam",
        "useradd -mNu 1000 sam",
        "useradd --no-user-group --uid 1000 sam",
        "useradd --non-unique -u 1000 -N sam",
        "useradd --create-home --uid=1000 --no-user-group sam",
    ] {
        assert_eq!(ids(&format!("FROM debian\nRUN {cmd}\nUSER sam\n")), (Some(1000), Some(100)), "{cmd}");
    }
}

#[test]
fn groupadd_then_useradd_with_the_group_name() {
    assert_eq!(ids("FROM debian\nRUN groupadd -g 2000 team && useradd -u 1500 -g team sam\nUSER 1500\n"), (Some(1500), Some(2000)));
}

#[test]
fn debian_adduser_makes_a_user_group_unless_told_otherwise() {
    assert_eq!(ids("FROM debian\nRUN adduser --disabled-password --gecos '' --uid 1000 sam\nUSER sam\n"), (Some(1000), Some(1000)));
    assert_eq!(ids("FROM debian\nRUN adduser --uid 1000 --gid 100 sam\nUSER sam\n"), (Some(1000), Some(100)));
    assert_eq!(ids("FROM debian\nRUN adduser --uid 1000 --ingroup users sam\nUSER sam\n"), (Some(1000), Some(100)));
}

#[test]
fn busybox_adduser_short_options() {
    assert_eq!(ids("FROM alpine\nRUN adduser -D -u 1000 sam\nUSER sam\n"), (Some(1000), Some(1000)));
    assert_eq!(ids("FROM alpine\nRUN addgroup -g 100 grp && adduser -D -u 1000 -G grp sam\nUSER sam\n"), (Some(1000), Some(100)));
}

#[test]
fn usermod_and_groupmod_change_an_existing_user() {
    let text = "FROM debian\nRUN useradd -u 1001 sam\nRUN usermod -u 1000 sam && groupmod -g 100 sam\nUSER sam\n";
    let s = stage(text);
    let u = s.user.unwrap();
    assert_eq!((u.uid, u.gid), (Some(1000), Some(100)));
    assert_eq!(u.created_at.map(|s| s.start), Some(3));
}

#[test]
fn numeric_user_without_an_account_leaves_the_gid_to_the_base_image() {
    let u = stage("FROM python:3.11\nUSER 1000\n").user.unwrap();
    assert_eq!((u.uid, u.gid, u.name), (Some(1000), None, None));
    let u = stage("FROM python:3.11\nUSER 1000:100\n").user.unwrap();
    assert_eq!((u.uid, u.gid), (Some(1000), Some(100)));
    let u = stage("FROM python:3.11\nUSER root\n").user.unwrap();
    assert_eq!((u.uid, u.gid), (Some(0), Some(0)));
}

#[test]
fn user_from_an_arg_without_value_is_unknown_and_reported() {
    let f = facts("FROM debian\nARG UID\nUSER ${UID}\n");
    let u = f.final_stage.unwrap().user.unwrap();
    assert_eq!((u.value.as_str(), u.uid), ("${UID}", None));
    assert_eq!(f.unresolved_args.iter().map(|(n, s)| (n.as_str(), s.start)).collect::<Vec<_>>(), vec![("UID", 3)]);
    let given =
        read("D", b"FROM debian\nARG UID\nUSER ${UID}\n", &ReadOptions { build_args: vec![("UID".into(), "1000".into())], target: None })
            .unwrap();
    assert_eq!(given.facts.final_stage.unwrap().user.unwrap().uid, Some(1000));
}

#[test]
fn ids_above_65535_are_recorded() {
    let s = stage("FROM debian\nRUN groupadd -g 70000 big && useradd -u 100000 -g big sam\n");
    assert_eq!(s.high_ids.iter().map(|(id, _)| *id).collect::<Vec<_>>(), vec![70000, 100000]);
}

#[test]
fn arg_before_from_and_global_values_in_stages() {
    let f = facts("ARG BASE=python\nARG V=3.11\nFROM ${BASE}:${V}-slim AS app\nARG V\nENV PYV=$V\n");
    let s = f.final_stage.unwrap();
    assert_eq!(s.from.image, "python:3.11-slim");
    assert_eq!(s.name.as_deref(), Some("app"));
    assert_eq!(s.env_var("PYV"), Some("3.11"));
}

#[test]
fn expansion_modifiers_work_like_buildkit() {
    let s =
        stage("FROM a\nARG V=1.2.3\nARG EMPTY=\nENV A=${V%.*} B=${V#*.} C=${V/./-} D=${EMPTY:-dflt} E=${V:+set} F=${V%%.*} G=${NOPE:-x}\n");
    // NOPE may come from the base image: kept as written, not guessed.
    for (k, v) in [("A", "1.2"), ("B", "2.3"), ("C", "1-2.3"), ("D", "dflt"), ("E", "set"), ("F", "1"), ("G", "${NOPE:-x}")] {
        assert_eq!(s.env_var(k), Some(v), "{k}");
    }
}

#[test]
fn last_stage_is_the_image_unless_a_target_is_named() {
    let text = b"FROM python AS build\nUSER 1\nFROM build AS final\nEXPOSE 8888\nFROM alpine AS other\nUSER 2\n";
    let last = read("D", text, &ReadOptions::default()).unwrap().facts;
    assert_eq!(last.stage_count, 3);
    assert_eq!(last.final_stage.as_ref().unwrap().user.as_ref().unwrap().uid, Some(2));
    let target = read("D", text, &ReadOptions { build_args: vec![], target: Some("final".into()) }).unwrap().facts;
    let s = target.final_stage.unwrap();
    // A stage built FROM another keeps its USER.
    assert_eq!(s.user.unwrap().uid, Some(1));
    assert!(s.from.is_stage);
    assert_eq!(s.expose.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(), vec!["8888"]);
}

#[test]
fn a_chain_of_stages_leads_back_to_its_base_image() {
    let text = "ARG BASE=mambaorg/micromamba:1.5.8\nFROM --platform=linux/amd64 $BASE AS env\nFROM env AS app\nFROM app\nUSER 1000\n";
    let s = stage(text);
    assert!(s.from.is_stage);
    let (image, span) = s.from.base_image().expect("the chain starts at an image");
    assert_eq!((image, span.start), ("mambaorg/micromamba:1.5.8", 2));
    let direct = stage("FROM python:3.11\n");
    assert_eq!(direct.from.base_image().map(|(i, s)| (i, s.start)), Some(("python:3.11", 1)));
}

#[test]
fn platform_flag_is_recorded() {
    let s = stage("FROM --platform=linux/arm64 python:3.11\n");
    assert_eq!(s.from.platform.as_deref(), Some("linux/arm64"));
}

#[test]
fn copy_destinations_resolve_against_workdir() {
    let s = stage("FROM a\nWORKDIR /home/sagemaker-user\nCOPY nb.ipynb data/ ./\nCOPY --chown=1000:100 x.txt /opt/ml/\nADD a.tgz sub/dir\nWORKDIR rel\nCOPY y .\n");
    let w: Vec<(String, WriteVia)> = s.writes.iter().map(|w| (w.path.clone(), w.via)).collect();
    assert_eq!(
        w,
        vec![
            ("/home/sagemaker-user/nb.ipynb".to_string(), WriteVia::Copy),
            ("/home/sagemaker-user".to_string(), WriteVia::Copy),
            ("/opt/ml/x.txt".to_string(), WriteVia::Copy),
            ("/home/sagemaker-user/sub/dir".to_string(), WriteVia::Add),
            ("/home/sagemaker-user/rel/y".to_string(), WriteVia::Copy),
        ]
    );
    assert_eq!(s.workdir.as_deref(), Some("/home/sagemaker-user/rel"));
    assert_eq!(s.workdir_span.map(|span| span.start), Some(6), "the last WORKDIR is the evidence");
}

#[test]
fn run_writes_by_every_common_means() {
    let s = stage(concat!(
        "FROM a\nWORKDIR /w\n",
        "RUN mkdir -p /opt/ml/x /tmp/y && touch f && echo hi > /etc/motd && echo x | tee -a /var/log/a.log\n",
        "RUN cp a b /dest/ && mv one /two && ln -s /usr/bin/python3 /usr/local/bin/python && chown -R 1000:100 /home/u\n",
        "RUN git clone https://github.com/x/repo.git && tar -xzf a.tgz -C /opt/tools && pip install --target /opt/pylib x\n",
        "RUN cd /srv && mkdir data && conda create -y -p /opt/envs/e python=3.11\n",
    ));
    let paths: Vec<&str> = s.writes.iter().map(|w| w.path.as_str()).collect();
    for want in [
        "/opt/ml/x",
        "/tmp/y",
        "/w/f",
        "/etc/motd",
        "/var/log/a.log",
        "/dest/a",
        "/dest/b",
        "/two",
        "/usr/local/bin/python",
        "/home/u",
        "/w/repo",
        "/opt/tools",
        "/opt/pylib",
        "/srv/data",
        "/opt/envs/e",
    ] {
        assert!(paths.contains(&want), "missing {want} in {paths:?}");
    }
}

#[test]
fn kernels_are_named_as_jupyter_names_them() {
    let s = stage(concat!(
        "FROM a\nUSER root\n",
        "RUN python3 -m ipykernel install --user --name MyEnv --display-name \"My Env\"\n",
        "RUN python -m ipykernel install --prefix=/opt/conda --name=second\n",
        "RUN jupyter kernelspec install /tmp/kernels/Julia-1.9 --sys-prefix\n",
        "RUN /opt/conda/envs/x/bin/python -m ipykernel install --sys-prefix\n",
    ));
    let names: Vec<&str> = s.kernel_installs.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(names, vec!["myenv", "second", "julia-1.9", "python3"]);
    assert_eq!(s.kernel_installs[0].display_name.as_deref(), Some("My Env"));
    assert!(s.kernel_installs[0].user);
    assert_eq!(s.kernel_installs[1].prefix.as_deref(), Some("/opt/conda"));
    assert!(s.writes.iter().any(|w| w.path == "/root/.local/share/jupyter/kernels/myenv"));
}

#[test]
fn conda_envs_know_whether_they_got_ipykernel() {
    let s = stage(concat!(
        "FROM continuumio/miniconda3\n",
        "RUN conda create -y -n withk python=3.11 ipykernel\n",
        "RUN conda create -y -n later python=3.11 && conda install -y -n later ipykernel\n",
        "RUN mamba create -y -n viarun python && conda run -n viarun pip install ipykernel\n",
        "RUN micromamba create -y -n bare python\n",
        "RUN conda env create -f environment.yml\n",
        "RUN conda create -n act python -y && . activate act && pip install ipykernel\n",
    ));
    let envs: Vec<(&str, bool)> = s.conda_envs.iter().map(|e| (e.name.as_str(), e.with_ipykernel)).collect();
    assert_eq!(envs, vec![("withk", true), ("later", true), ("viarun", true), ("bare", false), ("", false), ("act", true)]);
    // ipykernel inside a named environment is not the image's python3 kernel.
    assert!(!s.packages.iter().any(|p| p.package == "ipykernel"));
}

#[test]
fn every_package_manager_records_its_packages() {
    let s = stage(concat!(
        "FROM a\n",
        "RUN apt-get update && apt-get install -y --no-install-recommends cuda-drivers=535.1 nvidia-driver-535\n",
        "RUN yum install -y kmod-nvidia && dnf -y install x && microdnf install y && apk add --no-cache z\n",
        "RUN pip3 install 'ipykernel>=6' numpy[all]==1.0 -r req.txt && python -m pip install --user boto3\n",
        "RUN conda install -y -c conda-forge conda-forge::scipy=1.11 && mamba install -y jupyterlab\n",
    ));
    let got: Vec<String> = s.packages.iter().map(|p| format!("{}:{}", p.manager, p.package)).collect();
    assert_eq!(
        got,
        vec![
            "apt:cuda-drivers",
            "apt:nvidia-driver-535",
            "yum:kmod-nvidia",
            "dnf:x",
            "microdnf:y",
            "apk:z",
            "pip:ipykernel",
            "pip:numpy",
            "pip:boto3",
            "conda:scipy",
            "mamba:jupyterlab"
        ]
    );
}

#[test]
fn nvidia_run_installers_and_services_are_recorded() {
    let s = stage(concat!(
        "FROM a\n",
        "RUN sh NVIDIA-Linux-x86_64-535.54.run --silent && ./cuda_12.2.0_535.54.03_linux.run --silent --toolkit\n",
        "RUN service ssh start && systemctl enable cron.service && /usr/sbin/sshd && supervisord -c /etc/s.conf\n",
    ));
    assert_eq!(s.driver_installers.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(), vec!["NVIDIA-Linux-x86_64-535.54.run"]);
    assert_eq!(s.services.iter().map(|x| x.service.as_str()).collect::<Vec<_>>(), vec!["ssh", "cron", "sshd", "supervisord"]);
}

#[test]
fn heredoc_scripts_are_read_as_scripts() {
    let s = stage("FROM a\nRUN <<EOF\nset -e\nuseradd -u 1000 -N sam\npip install ipykernel\nEOF\nRUN cat <<EOF > /etc/conf.d/x\nuseradd -u 5 nope\nEOF\nUSER sam\n");
    let u = s.user.as_ref().unwrap();
    assert_eq!((u.uid, u.gid), (Some(1000), Some(100)));
    assert!(s.packages.iter().any(|p| p.package == "ipykernel"));
    assert!(s.writes.iter().any(|w| w.path == "/etc/conf.d/x"));
    assert_eq!(s.runs.len(), 2);
    assert!(s.runs[0].0.contains("useradd -u 1000 -N sam"));
}

#[test]
fn exec_form_run_is_not_expanded() {
    let s = stage("FROM a\nARG D=/opt/x\nRUN [\"mkdir\", \"-p\", \"$D\", \"/opt/y\"]\nRUN [\"sh\", \"-c\", \"mkdir $D\"]\n");
    let paths: Vec<&str> = s.writes.iter().map(|w| w.path.as_str()).collect();
    assert_eq!(paths, vec!["/opt/y", "/opt/x"]);
}

#[test]
fn entrypoint_cmd_and_expose_are_kept_as_written() {
    let s = stage("FROM a\nENV P=8888\nEXPOSE $P 9000/tcp\nENTRYPOINT [\"tini\", \"--\"]\nCMD jupyter lab --port $P\n");
    assert_eq!(s.expose.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(), vec!["8888", "9000/tcp"]);
    assert!(s.entrypoint.is_some());
    assert_eq!(s.cmd.unwrap().0.text(), "jupyter lab --port $P");
}

#[test]
fn onbuild_triggers_do_not_run_in_this_build() {
    let s = stage("FROM a\nONBUILD RUN useradd -u 1 x\nONBUILD USER x\n");
    assert!(s.user.is_none());
    assert!(s.runs.is_empty());
}

#[test]
fn removed_and_moved_paths_are_no_longer_written() {
    let s = stage(
        "FROM a\nWORKDIR /w\nRUN mkdir -p /opt/ml/tmp /keep && touch /w/a /w/b\nRUN rm -rf /opt/ml/tmp && rm -f * && mv /keep /moved\n",
    );
    let paths: Vec<&str> = s.writes.iter().map(|w| w.path.as_str()).collect();
    assert_eq!(paths, vec!["/moved"]);
}
