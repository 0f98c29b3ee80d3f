//! The bundled example: a small but real `docker save` archive (docker-archive layout, loadable
//! with `docker load`), the Dockerfile it was "built" from and an AppImageConfig — with the
//! mistakes people really make (a user in its own group 1000, the conda environment's name instead
//! of its kernel name, code under /opt/ml), so the first run shows a full report.

use std::fmt::Write as _;

pub const ARCHIVE_NAME: &str = "demo-image.tar";
pub const DOCKERFILE_NAME: &str = "Dockerfile";
pub const CONFIG_NAME: &str = "app-image-config.json";

pub const DOCKERFILE: &str = r#"# A data-science image for SageMaker Studio (the demo of sm-image-check).
FROM continuumio/miniconda3:23.10.0-1

ARG NB_USER=sagemaker-user
ARG NB_UID=1000

RUN conda create -y -n myenv python=3.11 ipykernel pandas && \
    conda clean -afy

RUN useradd -m -s /bin/bash -u ${NB_UID} ${NB_USER}

COPY train.py /opt/ml/code/train.py

ENV PATH=/opt/conda/bin:$PATH
USER ${NB_USER}
CMD ["python3"]
"#;

pub const CONFIG: &str = r#"{
  "AppImageConfigName": "data-science-config",
  "KernelGatewayImageConfig": {
    "KernelSpecs": [{"Name": "myenv", "DisplayName": "Python (myenv)"}],
    "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}
  }
}
"#;

const PYTHON_KERNEL: &str = r#"{
 "argv": ["/opt/conda/envs/myenv/bin/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
 "display_name": "Python 3 (ipykernel)",
 "language": "python"
}
"#;

enum Kind<'a> {
    Dir,
    File(&'a [u8]),
    Symlink(&'a str),
}

struct Entry<'a> {
    path: &'a str,
    kind: Kind<'a>,
    mode: u32,
    uid: u32,
    gid: u32,
}

fn dir(path: &str) -> Entry<'_> {
    Entry { path, kind: Kind::Dir, mode: 0o755, uid: 0, gid: 0 }
}
fn file<'a>(path: &'a str, content: &'a [u8], mode: u32) -> Entry<'a> {
    Entry { path, kind: Kind::File(content), mode, uid: 0, gid: 0 }
}
fn link<'a>(path: &'a str, target: &'a str) -> Entry<'a> {
    Entry { path, kind: Kind::Symlink(target), mode: 0o777, uid: 0, gid: 0 }
}
fn owned(mut e: Entry<'_>, uid: u32, gid: u32) -> Entry<'_> {
    e.uid = uid;
    e.gid = gid;
    e
}

/// A fake interpreter: enough bytes to be a file, with the ELF magic.
const ELF: &[u8] = b"\x7fELF\x02\x01\x01\x00demo interpreter\n";

fn layers() -> Vec<(String, Vec<Entry<'static>>)> {
    vec![
        (
            String::from("/bin/sh -c #(nop) ADD file:miniconda3 in / "),
            vec![
                dir("etc/"),
                file("etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n", 0o644),
                file("etc/group", b"root:x:0:\nusers:x:100:\n", 0o644),
                file(
                    "etc/os-release",
                    b"PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n",
                    0o644,
                ),
                dir("bin/"),
                file("bin/bash", ELF, 0o755),
                link("bin/sh", "bash"),
                dir("opt/"),
                dir("opt/conda/"),
                dir("opt/conda/bin/"),
                file("opt/conda/bin/python3.11", ELF, 0o755),
                link("opt/conda/bin/python3", "python3.11"),
                link("opt/conda/bin/python", "python3.11"),
                file("opt/conda/bin/conda", b"#!/opt/conda/bin/python\n", 0o755),
                dir("opt/conda/condabin/"),
                dir("opt/conda/conda-meta/"),
                file("opt/conda/conda-meta/history", b"==> 2023-11-01 <==\n", 0o644),
                dir("root/"),
            ],
        ),
        (
            String::from("RUN /bin/sh -c conda create -y -n myenv python=3.11 ipykernel pandas &&     conda clean -afy # buildkit"),
            vec![
                dir("opt/conda/envs/"),
                dir("opt/conda/envs/myenv/"),
                dir("opt/conda/envs/myenv/conda-meta/"),
                file("opt/conda/envs/myenv/conda-meta/history", b"==> 2023-11-02 <==\n+ipykernel\n", 0o644),
                dir("opt/conda/envs/myenv/bin/"),
                file("opt/conda/envs/myenv/bin/python3.11", ELF, 0o755),
                link("opt/conda/envs/myenv/bin/python", "python3.11"),
                dir("opt/conda/envs/myenv/lib/"),
                dir("opt/conda/envs/myenv/lib/python3.11/"),
                dir("opt/conda/envs/myenv/lib/python3.11/site-packages/"),
                dir("opt/conda/envs/myenv/lib/python3.11/site-packages/ipykernel/"),
                file("opt/conda/envs/myenv/lib/python3.11/site-packages/ipykernel/__init__.py", b"", 0o644),
                dir("opt/conda/envs/myenv/share/"),
                dir("opt/conda/envs/myenv/share/jupyter/"),
                dir("opt/conda/envs/myenv/share/jupyter/kernels/"),
                dir("opt/conda/envs/myenv/share/jupyter/kernels/python3/"),
                file("opt/conda/envs/myenv/share/jupyter/kernels/python3/kernel.json", PYTHON_KERNEL.as_bytes(), 0o644),
            ],
        ),
        (
            String::from("RUN |2 NB_USER=sagemaker-user NB_UID=1000 /bin/sh -c useradd -m -s /bin/bash -u ${NB_UID} ${NB_USER} # buildkit"),
            vec![
                file("etc/passwd", b"root:x:0:0:root:/root:/bin/bash\nsagemaker-user:x:1000:1000::/home/sagemaker-user:/bin/bash\n", 0o644),
                file("etc/group", b"root:x:0:\nusers:x:100:\nsagemaker-user:x:1000:\n", 0o644),
                dir("home/"),
                owned(dir("home/sagemaker-user/"), 1000, 1000),
                owned(file("home/sagemaker-user/.bashrc", b"# ~/.bashrc\n", 0o644), 1000, 1000),
                owned(file("home/sagemaker-user/.profile", b"# ~/.profile\n", 0o644), 1000, 1000),
            ],
        ),
        (
            String::from("COPY train.py /opt/ml/code/train.py # buildkit"),
            vec![dir("opt/ml/"), dir("opt/ml/code/"), file("opt/ml/code/train.py", b"import pandas as pd\nprint('training')\n", 0o644)],
        ),
    ]
}

/// The demo image as a `docker save` archive (docker-archive layout).
pub fn archive() -> Vec<u8> {
    let layers = layers();
    let mut outer = TarWriter::default();
    let mut diff_ids = Vec::new();
    let mut history = String::new();
    for (created_by, entries) in &layers {
        let mut layer = TarWriter::default();
        for e in entries {
            layer.entry(e);
        }
        let bytes = layer.finish();
        let digest = hex(&sha256(&bytes));
        outer.entry(&file(&format!("{digest}.tar"), &bytes, 0o444));
        diff_ids.push(format!("\"sha256:{digest}\""));
        let _ = write!(
            history,
            "{}{{\"created\":\"2024-01-01T00:00:00Z\",\"created_by\":{}}}",
            if history.is_empty() { "" } else { "," },
            json_string(created_by)
        );
    }
    let config = format!(
        concat!(
            "{{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-01T00:00:00Z\",",
            "\"config\":{{\"User\":\"sagemaker-user\",\"Env\":[\"PATH=/opt/conda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\"NB_USER=sagemaker-user\"],",
            "\"Cmd\":[\"python3\"],\"WorkingDir\":\"/\",\"Labels\":{{\"org.opencontainers.image.title\":\"sm-image-check demo\"}}}},",
            "\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[{}]}},\"history\":[{}]}}"
        ),
        diff_ids.join(","),
        history
    );
    let config_digest = hex(&sha256(config.as_bytes()));
    outer.entry(&file(&format!("{config_digest}.json"), config.as_bytes(), 0o444));
    let layer_names: Vec<String> =
        diff_ids.iter().map(|d| format!("\"{}.tar\"", d.trim_matches('"').trim_start_matches("sha256:"))).collect();
    let manifest = format!(
        "[{{\"Config\":\"{config_digest}.json\",\"RepoTags\":[\"localhost/sm-image-check-demo:latest\"],\"Layers\":[{}]}}]",
        layer_names.join(",")
    );
    outer.entry(&file("manifest.json", manifest.as_bytes(), 0o444));
    outer.finish()
}

fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A minimal ustar writer: enough for the demo (short names, no PAX).
#[derive(Default)]
struct TarWriter {
    out: Vec<u8>,
}

impl TarWriter {
    fn entry(&mut self, e: &Entry<'_>) {
        let mut h = [0u8; 512];
        let name = e.path.as_bytes();
        h[..name.len().min(100)].copy_from_slice(&name[..name.len().min(100)]);
        octal(&mut h[100..108], u64::from(e.mode));
        octal(&mut h[108..116], u64::from(e.uid));
        octal(&mut h[116..124], u64::from(e.gid));
        let (size, flag, target) = match e.kind {
            Kind::Dir => (0, b'5', ""),
            Kind::File(c) => (c.len(), b'0', ""),
            Kind::Symlink(t) => (0, b'2', t),
        };
        octal(&mut h[124..136], size as u64);
        octal(&mut h[136..148], 1_704_067_200); // 2024-01-01
        h[156] = flag;
        h[157..157 + target.len()].copy_from_slice(target.as_bytes());
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[148..156].copy_from_slice(b"        ");
        let sum: u64 = h.iter().map(|b| u64::from(*b)).sum();
        octal(&mut h[148..155], sum);
        h[155] = b' ';
        self.out.extend_from_slice(&h);
        if let Kind::File(content) = e.kind {
            self.out.extend_from_slice(content);
            self.out.resize(self.out.len().div_ceil(512) * 512, 0);
        }
    }

    fn finish(mut self) -> Vec<u8> {
        self.out.resize(self.out.len() + 1024, 0);
        self.out
    }
}

/// Writes `value` as zero-padded octal, NUL-terminated, filling `field`.
fn octal(field: &mut [u8], value: u64) {
    let digits = field.len() - 1;
    let text = format!("{value:0digits$o}");
    field[..digits].copy_from_slice(&text.as_bytes()[text.len() - digits..]);
    field[digits] = 0;
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// SHA-256 (FIPS 180-4), so the demo's digests are real and `docker load` accepts it.
fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
        0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
        0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
        0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
        0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
        0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];
    let mut h: [u32; 8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in message.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7].wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [t1.wrapping_add(t2), v[0], v[1], v[2], v[3].wrapping_add(t1), v[4], v[5], v[6]];
        }
        for (a, b) in h.iter_mut().zip(v) {
            *a = a.wrapping_add(b);
        }
    }
    let mut out = [0u8; 32];
    for (i, word) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&word.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_the_standard_test_vectors() {
        assert_eq!(hex(&sha256(b"")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(hex(&sha256(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn the_demo_archive_is_a_tar_that_ends_with_its_manifest() {
        let bytes = archive();
        assert_eq!(bytes.len() % 512, 0);
        assert_eq!(&bytes[257..262], b"ustar");
        assert_eq!(crate::classify(&bytes), Some(crate::InputKind::Image));
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("manifest.json"));
        assert!(text.contains("localhost/sm-image-check-demo:latest"));
    }
}
