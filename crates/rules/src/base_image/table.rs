//! The table of base images: one row per image and tag pattern, first match wins (so variant
//! tags come before a row's catch-all). Each row names its source in a comment and in `source`,
//! and lists in `unverified` what the sources did not confirm; a fact nobody confirmed is
//! `Fact::Unknown`. To add a base: read its Dockerfile (or documentation), fill what it states,
//! leave the rest unknown, and add a lookup test in `tests.rs`.

use super::Fact::{Known, Unknown};
use super::{Account, BaseImage, BaseKernel, Family, Kernels};

const ROOT: Account = Account { name: "root", uid: 0, gid: 0, home: "/root" };
const NOBODY: Account = Account { name: "nobody", uid: 65534, gid: 65534, home: "/nonexistent" };
/// Debian's default `PATH`, which Debian and Ubuntu images set.
const DEBIAN_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// shadow-utils (Debian's `passwd` package, required in every Debian and Ubuntu image).
const SHADOW_TOOLS: &[&str] = &["useradd", "groupadd", "usermod", "groupmod"];
const NO_COMMAND: &[&str] = &[];
const CONDA_KERNELS: &str = "/opt/conda/share/jupyter/kernels";
const DEBIAN_GROUP_100: &str = "group 100 `users` (base-passwd's master group file)";

const MAMBA_USER: Account = Account { name: "mambauser", uid: 57439, gid: 57439, home: "/home/mambauser" };
const SAGEMAKER_USER: Account = Account { name: "sagemaker-user", uid: 1000, gid: 100, home: "/home/sagemaker-user" };
const JOVYAN: Account = Account { name: "jovyan", uid: 1000, gid: 100, home: "/home/jovyan" };
const UBUNTU_USER: Account = Account { name: "ubuntu", uid: 1000, gid: 1000, home: "/home/ubuntu" };

/// What is known of an image that ships no Jupyter, and nothing else.
const NO_JUPYTER: BaseImage = BaseImage {
    repositories: &[],
    tags: &[],
    family: Unknown,
    user: Unknown,
    accounts: Unknown,
    group_100: Unknown,
    entrypoint: Unknown,
    entrypoint_runs_arguments: Unknown,
    cmd: Unknown,
    kernels: Kernels::NoneShipped,
    conda_prefix: Unknown,
    path: Unknown,
    root_mode: Unknown,
    user_tools: Unknown,
    source: "",
    unverified: "everything but the absence of Jupyter kernels",
};

/// A Debian image as it comes: root, Debian's accounts and PATH, no Jupyter, no conda.
const DEBIAN_AS_ROOT: BaseImage = BaseImage {
    repositories: &[],
    tags: &[],
    family: Known(Family::Debian),
    user: Known(ROOT),
    accounts: Known(&[ROOT, NOBODY]),
    group_100: Known(Some("users")),
    entrypoint: Known(NO_COMMAND),
    entrypoint_runs_arguments: Known(true),
    cmd: Unknown,
    kernels: Kernels::NoneShipped,
    conda_prefix: Known(None),
    path: Known(DEBIAN_PATH),
    root_mode: Known(0o700),
    user_tools: Known(SHADOW_TOOLS),
    source: "",
    unverified: "",
};

/// Amazon Linux as AWS's Studio samples use it: root, group 100 (they `useradd --gid 100`), no
/// Jupyter, no conda.
const AMAZON_LINUX: BaseImage = BaseImage {
    repositories: &["docker.io/library/amazonlinux", "public.ecr.aws/amazonlinux/amazonlinux", "public.ecr.aws/docker/library/amazonlinux"],
    family: Known(Family::AmazonLinux),
    user: Known(ROOT),
    group_100: Known(Some("users")),
    entrypoint: Known(NO_COMMAND),
    entrypoint_runs_arguments: Known(true),
    conda_prefix: Known(None),
    ..NO_JUPYTER
};

const UBUNTU: &[&str] = &["docker.io/library/ubuntu", "public.ecr.aws/ubuntu/ubuntu", "public.ecr.aws/docker/library/ubuntu"];
const NVIDIA_CUDA: &[&str] = &["docker.io/nvidia/cuda", "nvcr.io/nvidia/cuda"];
const MICROMAMBA: &[&str] = &["docker.io/mambaorg/micromamba", "ghcr.io/mamba-org/micromamba"];
const MICROMAMBA_SOURCE: &str = "mamba-org/micromamba-docker: debian.Dockerfile (ARG MAMBA_USER=mambauser, MAMBA_USER_ID/GID=57439, \
MAMBA_ROOT_PREFIX=/opt/conda, USER $MAMBA_USER, ENTRYPOINT [\"/usr/local/bin/_entrypoint.sh\"], CMD [\"/bin/bash\"], base debian:12-slim); \
_entrypoint.sh ends in `exec \"$@\"`; CHANGELOG 2023-08-24 (1.5.0: all images use UID/GID 57439, `latest` on bookworm-slim), \
2021-12-08 (the prefix's bin is not put on PATH)";

pub static BASES: &[BaseImage] = &[
    // aws/sagemaker-distribution template/v1/Dockerfile and template/v3/Dockerfile: FROM
    // mambaorg/micromamba, `usermod`/`groupmod` turn mambauser into sagemaker-user 1000:100,
    // USER $MAMBA_USER, no ENTRYPOINT/CMD (micromamba's hold), kernels moved or patched in
    // /opt/conda/share/jupyter/kernels.
    BaseImage {
        repositories: &["public.ecr.aws/sagemaker/sagemaker-distribution"],
        tags: &["*"],
        family: Known(Family::Debian),
        user: Known(SAGEMAKER_USER),
        accounts: Known(&[ROOT, SAGEMAKER_USER, NOBODY]),
        group_100: Known(Some("users")),
        entrypoint: Known(&["/usr/local/bin/_entrypoint.sh"]),
        entrypoint_runs_arguments: Known(true),
        cmd: Known(&["/bin/bash"]),
        kernels: Kernels::Include(&[
            BaseKernel { name: "python3", dir: CONDA_KERNELS },
            BaseKernel { name: "glue_pyspark", dir: CONDA_KERNELS },
            BaseKernel { name: "glue_spark", dir: CONDA_KERNELS },
            BaseKernel { name: "pysparkkernel", dir: CONDA_KERNELS },
            BaseKernel { name: "sparkkernel", dir: CONDA_KERNELS },
        ]),
        conda_prefix: Known(Some("/opt/conda")),
        path: Unknown,
        root_mode: Known(0o700),
        user_tools: Known(&["useradd", "groupadd", "usermod", "groupmod", "sudo"]),
        source: "aws/sagemaker-distribution template/v1/Dockerfile, template/v3/Dockerfile (FROM mambaorg/micromamba; usermod/groupmod \
to sagemaker-user 1000:100; no ENTRYPOINT/CMD of its own; glue and sparkmagic kernels in /opt/conda/share/jupyter/kernels)",
        unverified: "v0 tags; the micromamba tag it builds on is a build argument (Debian assumed from micromamba's default tags, with \
Debian's /root 0700 and group 100 `users`); PATH differs by major version (v1 puts /opt/conda/bin first, v3 \
/etc/sagemaker-inference-server)",
    },
    // micromamba variants on other bases (-alpine…, -jammy, -noble, -cuda…): same user, other
    // distributions. Only the user is the same across them.
    BaseImage {
        repositories: MICROMAMBA,
        tags: &["1.5*-*", "2*-*", "latest-*"],
        family: Unknown,
        user: Known(MAMBA_USER),
        accounts: Unknown,
        group_100: Unknown,
        entrypoint: Known(&["/usr/local/bin/_entrypoint.sh"]),
        entrypoint_runs_arguments: Known(true),
        cmd: Known(&["/bin/bash"]),
        kernels: Kernels::NoneShipped,
        conda_prefix: Known(Some("/opt/conda")),
        path: Unknown,
        root_mode: Unknown,
        user_tools: Unknown,
        source: MICROMAMBA_SOURCE,
        unverified: "the distribution of each variant tag (alpine, ubuntu, cuda) and its accounts",
    },
    // micromamba's default tags since 1.5.0: Debian bookworm-slim.
    BaseImage {
        repositories: MICROMAMBA,
        tags: &["latest", "1.5*", "2*"],
        family: Known(Family::Debian),
        user: Known(MAMBA_USER),
        accounts: Known(&[ROOT, MAMBA_USER, NOBODY]),
        group_100: Known(Some("users")),
        entrypoint: Known(&["/usr/local/bin/_entrypoint.sh"]),
        entrypoint_runs_arguments: Known(true),
        cmd: Known(&["/bin/bash"]),
        kernels: Kernels::NoneShipped,
        conda_prefix: Known(Some("/opt/conda")),
        path: Known(DEBIAN_PATH),
        root_mode: Known(0o700),
        user_tools: Known(SHADOW_TOOLS),
        source: MICROMAMBA_SOURCE,
        unverified: DEBIAN_GROUP_100,
    },
    // jupyter/docker-stacks images/docker-stacks-foundation/Dockerfile (NB_USER jovyan, NB_UID
    // 1000, NB_GID 100, CONDA_DIR /opt/conda, PATH ${CONDA_DIR}/bin:…, ENTRYPOINT tini -g --
    // start.sh, ROOT_CONTAINER ubuntu) and images/base-notebook/Dockerfile (CMD
    // start-notebook.py; installs jupyterlab and notebook, which bring ipykernel's python3).
    BaseImage {
        repositories: &["quay.io/jupyter/*-notebook"],
        tags: &["*"],
        family: Known(Family::Ubuntu),
        user: Known(JOVYAN),
        accounts: Known(&[ROOT, JOVYAN, NOBODY]),
        group_100: Known(Some("users")),
        entrypoint: Known(&["tini", "-g", "--", "start.sh"]),
        entrypoint_runs_arguments: Known(true),
        cmd: Known(&["start-notebook.py"]),
        kernels: Kernels::Include(&[BaseKernel { name: "python3", dir: CONDA_KERNELS }]),
        conda_prefix: Known(Some("/opt/conda")),
        path: Known("/opt/conda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
        root_mode: Known(0o700),
        user_tools: Known(SHADOW_TOOLS),
        source: "jupyter/docker-stacks images/docker-stacks-foundation/Dockerfile, its start.sh (ends in `exec \"${cmd[@]}\"`) and \
images/base-notebook/Dockerfile",
        unverified: "tags on Ubuntu 24.04, whose `ubuntu` account (uid 1000) the stack must remove to create jovyan; the kernels \
beyond python3 (r-notebook adds ir, datascience-notebook ir and julia)",
    },
    // The same stacks on Docker Hub (updated until 2023): the Dockerfiles of that time had
    // ENTRYPOINT ["tini", "-g", "--"] and CMD ["start-notebook.sh"].
    BaseImage {
        repositories: &["docker.io/jupyter/*-notebook"],
        tags: &["*"],
        family: Known(Family::Ubuntu),
        user: Known(JOVYAN),
        accounts: Known(&[ROOT, JOVYAN, NOBODY]),
        group_100: Known(Some("users")),
        entrypoint: Known(&["tini", "-g", "--"]),
        entrypoint_runs_arguments: Known(true),
        cmd: Known(&["start-notebook.sh"]),
        kernels: Kernels::Include(&[BaseKernel { name: "python3", dir: CONDA_KERNELS }]),
        conda_prefix: Known(Some("/opt/conda")),
        path: Known("/opt/conda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
        root_mode: Known(0o700),
        user_tools: Known(SHADOW_TOOLS),
        source: "jupyter/docker-stacks base-notebook/Dockerfile of the Docker Hub era (ENTRYPOINT [\"tini\", \"-g\", \"--\"], \
CMD [\"start-notebook.sh\"]); the image docs: jovyan uid 1000 in group users (gid 100), /opt/conda",
        unverified: "the last Docker Hub tags (2023) may already have `start.sh` in the ENTRYPOINT and CMD start-notebook.py (both \
hand over to their arguments); the kernels beyond python3",
    },
    // docker-library/python 3.12/slim-bookworm/Dockerfile (FROM debian:bookworm-slim, ENV PATH
    // /usr/local/bin:$PATH, CMD ["python3"], no USER) and its alpine3.x variants.
    BaseImage {
        repositories: &["docker.io/library/python", "public.ecr.aws/docker/library/python"],
        tags: &["*alpine*", "*windowsservercore*", "*nanoserver*"],
        source: "docker-library/python: the alpine and Windows variants (not Debian); no Jupyter installed",
        ..NO_JUPYTER
    },
    BaseImage {
        repositories: &["docker.io/library/python", "public.ecr.aws/docker/library/python"],
        tags: &["*"],
        cmd: Known(&["python3"]),
        path: Known("/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
        source: "docker-library/python 3.12/slim-bookworm/Dockerfile (FROM debian:bookworm-slim; ENV PATH /usr/local/bin:$PATH; \
CMD [\"python3\"]; no USER, so root)",
        unverified: "Debian's /root 0700 and group 100 `users` (base-files, base-passwd); tags before Python 3 may differ",
        ..DEBIAN_AS_ROOT
    },
    // Ubuntu 23.04 and later add an `ubuntu` account with uid/gid 1000 (jupyterhub/repo2docker
    // #1346 lists 24.04's /etc/passwd: root, system accounts, nobody 65534, ubuntu 1000:1000).
    BaseImage {
        repositories: UBUNTU,
        tags: &[
            "latest",
            "rolling",
            "devel",
            "23.*",
            "24.*",
            "25.*",
            "26.*",
            "lunar*",
            "mantic*",
            "noble*",
            "oracular*",
            "plucky*",
            "questing*",
        ],
        family: Known(Family::Ubuntu),
        accounts: Known(&[ROOT, NOBODY, UBUNTU_USER]),
        cmd: Known(&["/bin/bash"]),
        source: "jupyterhub/repo2docker#1346 (ubuntu:24.04's /etc/passwd, default user root); Launchpad cloud-images bug 2005129 \
(the `ubuntu` account since 23.04)",
        unverified: "CMD [\"/bin/bash\"]; /root 0700 and group 100 `users` (base-files, base-passwd)",
        ..DEBIAN_AS_ROOT
    },
    BaseImage {
        repositories: UBUNTU,
        tags: &["16.*", "18.*", "20.*", "22.*", "xenial*", "bionic*", "focal*", "jammy*"],
        family: Known(Family::Ubuntu),
        cmd: Known(&["/bin/bash"]),
        source: "jupyterhub/repo2docker#1346 (Ubuntu 22.04 and earlier have no account with uid 1000); Debian base-passwd README",
        unverified: "CMD [\"/bin/bash\"]; /root 0700 and group 100 `users` (base-files, base-passwd)",
        ..DEBIAN_AS_ROOT
    },
    BaseImage {
        repositories: &["docker.io/library/debian", "public.ecr.aws/debian/debian", "public.ecr.aws/docker/library/debian"],
        tags: &["*"],
        cmd: Known(&["bash"]),
        source: "Debian base-passwd README (the static accounts; nobody 65534); the debian image under docker-library/python and \
mamba-org/micromamba-docker",
        unverified: "CMD [\"bash\"]; /root 0700 (base-files) and group 100 `users` (base-passwd's master group file)",
        ..DEBIAN_AS_ROOT
    },
    // Amazon Linux: AWS's own Studio samples (awsdocs-classic-al2-sample, …al2023-sample) run
    // `useradd --gid 100` on it, so group 100 exists; amazonlinux/container-images#28 (2019,
    // 2023): no `adduser`, but `useradd` is in /usr/sbin on Amazon Linux 2.
    BaseImage {
        tags: &["2", "2.*"],
        user_tools: Known(SHADOW_TOOLS),
        source: "amazonlinux/container-images#28 (useradd in /usr/sbin, no adduser); AWS's Studio Classic sample on amazonlinux:2 \
(useradd --gid 100)",
        unverified: "CMD (believed [\"/bin/bash\"]); the accounts; the mode of /root (0550 in the RHEL family's filesystem package)",
        ..AMAZON_LINUX
    },
    BaseImage {
        tags: &["2023*", "latest"],
        source: "AWS's JupyterLab sample on amazonlinux:2023 (installs shadow-utils, then useradd --gid 100)",
        unverified: "CMD; the accounts; the mode of /root; whether useradd is there before shadow-utils is installed",
        ..AMAZON_LINUX
    },
    // nvidia/cuda: the distribution is in the tag (…-ubuntu22.04, …-ubi8, …-rockylinux9).
    BaseImage {
        repositories: NVIDIA_CUDA,
        tags: &["*ubuntu*"],
        family: Known(Family::Ubuntu),
        source: "nvidia/cuda tags: the distribution named in the tag",
        ..NO_JUPYTER
    },
    BaseImage {
        repositories: NVIDIA_CUDA,
        tags: &["*ubi*", "*rockylinux*", "*centos*"],
        family: Known(Family::Rhel),
        source: "nvidia/cuda tags: the distribution named in the tag",
        ..NO_JUPYTER
    },
    // Older tags without a distribution (`10.0-base`) were Ubuntu-based; not confirmed here.
    BaseImage { repositories: NVIDIA_CUDA, tags: &["*"], source: "nvidia/cuda: CUDA images install no Jupyter", ..NO_JUPYTER },
    // pytorch/pytorch Dockerfile, stage `official`: conda copied to /opt/conda, ENV PATH with
    // /opt/conda/bin, no USER; BASE_IMAGE ubuntu:22.04 by default (CUDA tags build on NVIDIA's).
    BaseImage {
        repositories: &["docker.io/pytorch/pytorch"],
        tags: &["*"],
        family: Known(Family::Ubuntu),
        user: Known(ROOT),
        accounts: Unknown,
        group_100: Known(Some("users")),
        entrypoint: Unknown,
        entrypoint_runs_arguments: Unknown,
        cmd: Unknown,
        kernels: Kernels::Unknown,
        conda_prefix: Known(Some("/opt/conda")),
        path: Unknown,
        root_mode: Known(0o700),
        user_tools: Known(SHADOW_TOOLS),
        source:
            "pytorch/pytorch Dockerfile (stage `official`: BASE_IMAGE ubuntu:22.04, /opt/conda, ENV PATH /opt/conda/bin:$PATH, no USER)",
        unverified: "the ENTRYPOINT/CMD and PATH of the CUDA base each tag is built on; whether ipython's requirements bring ipykernel; \
/root 0700 and group 100 `users` (Ubuntu's base-files, base-passwd)",
    },
    // Images the checker has long known to ship no Jupyter kernel; nothing else about them is
    // in the table.
    BaseImage {
        repositories: &["docker.io/continuumio/miniconda3"],
        tags: &["*"],
        source: "continuumio/miniconda3: Miniconda's base environment has no ipykernel",
        ..NO_JUPYTER
    },
    BaseImage {
        repositories: &[
            "docker.io/library/centos",
            "docker.io/library/rockylinux",
            "docker.io/library/almalinux",
            "docker.io/library/fedora",
            "docker.io/library/alpine",
            "docker.io/library/busybox",
            "docker.io/library/buildpack-deps",
            "docker.io/library/node",
            "docker.io/library/openjdk",
            "docker.io/library/eclipse-temurin",
            "docker.io/library/golang",
            "docker.io/library/r-base",
        ],
        tags: &["*"],
        source: "Docker Official Images of operating systems and language runtimes: none installs Jupyter",
        ..NO_JUPYTER
    },
];
