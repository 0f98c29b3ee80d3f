//! Writes one image description as an archive in any layout `formats.md` documents, with the
//! entry order each real writer uses, so the reader can be checked on every layout from a single
//! source of truth.

use serde_json::{json, Value};

/// One entry of a layer.
#[derive(Clone, Debug)]
pub enum Item {
    Dir {
        path: &'static str,
        uid: u64,
        gid: u64,
        mode: u32,
    },
    File {
        path: String,
        content: Vec<u8>,
        uid: u64,
        gid: u64,
        mode: u32,
    },
    Symlink {
        path: &'static str,
        target: &'static str,
    },
    HardLink {
        path: &'static str,
        target: &'static str,
    },
    /// `.wh.<name>` for `path`.
    Whiteout {
        path: &'static str,
    },
    /// `.wh..wh..opq` in `dir`.
    Opaque {
        dir: &'static str,
    },
}

pub fn file(path: &str, content: &str) -> Item {
    Item::File { path: path.into(), content: content.as_bytes().to_vec(), uid: 0, gid: 0, mode: 0o644 }
}

pub fn dir(path: &'static str) -> Item {
    Item::Dir { path, uid: 0, gid: 0, mode: 0o755 }
}

#[derive(Clone, Debug)]
pub struct Image {
    pub tag: Option<&'static str>,
    pub layers: Vec<Vec<Item>>,
    pub user: &'static str,
    pub entrypoint: Vec<&'static str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compress {
    None,
    Gzip,
    Zstd,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Legacy,
    Docker25,
    Containerd,
    DockerArchive,
    OciArchive,
    Ggcr,
    Jib,
}

/// A stable fake digest: 64 hex digits from two FNV-1a passes (the reader never verifies
/// digests; it only needs them to be consistent and to sort like real ones).
pub fn digest_hex(data: &[u8]) -> String {
    let mut out = String::new();
    for seed in [0xcbf29ce484222325u64, 0x84222325cbf29ce4, 0x1234_5678_9abc_def0, 0x0fed_cba9_8765_4321] {
        let mut h = seed;
        for b in data {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x100000001b3);
        }
        out.push_str(&format!("{h:016x}"));
    }
    out
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    gzip_at_level(data, 6)
}

/// One gzip member at a deflate `level` (0: stored blocks, which carry the data as it is).
pub fn gzip_at_level(data: &[u8], level: u8) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    out.extend(miniz_oxide::deflate::compress_to_vec(data, level));
    out.extend(crc32fast::hash(data).to_le_bytes());
    out.extend((data.len() as u32).to_le_bytes());
    out
}

pub fn zstd(data: &[u8]) -> Vec<u8> {
    structured_zstd::encoding::compress_to_vec(data, structured_zstd::encoding::CompressionLevel::Fastest)
}

pub fn compress(data: &[u8], how: Compress) -> Vec<u8> {
    match how {
        Compress::None => data.to_vec(),
        Compress::Gzip => gzip(data),
        Compress::Zstd => zstd(data),
    }
}

fn header(kind: tar::EntryType, size: u64, mode: u32, uid: u64, gid: u64) -> tar::Header {
    let mut h = tar::Header::new_ustar();
    h.set_entry_type(kind);
    h.set_size(size);
    h.set_mode(mode);
    h.set_uid(uid.min(0o7777777));
    h.set_gid(gid.min(0o7777777));
    h.set_mtime(1_700_000_000);
    h
}

/// Ids that do not fit the ustar field, and paths longer than 100 bytes, go in PAX records as
/// Go's archive/tar writes them.
fn append(builder: &mut tar::Builder<Vec<u8>>, path: &str, link: Option<&str>, h: &mut tar::Header, data: &[u8], uid: u64, gid: u64) {
    let mut pax: Vec<(&str, Vec<u8>)> = Vec::new();
    if path.len() > 99 {
        pax.push(("path", path.as_bytes().to_vec()));
    }
    if uid > 0o7777777 {
        pax.push(("uid", uid.to_string().into_bytes()));
    }
    if gid > 0o7777777 {
        pax.push(("gid", gid.to_string().into_bytes()));
    }
    if !pax.is_empty() {
        builder.append_pax_extensions(pax.iter().map(|(k, v)| (*k, v.as_slice()))).unwrap();
    }
    let short = if path.len() > 99 { &path[..99] } else { path };
    h.set_path(short).unwrap();
    if let Some(link) = link {
        h.set_link_name(link).unwrap();
    }
    h.set_cksum();
    builder.append(h, data).unwrap();
}

/// The layer tar, with `./`-prefixed names in odd layers (bazel, some buildkit outputs).
pub fn layer_tar(items: &[Item], dot_prefix: bool) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let name = |p: &str| {
        let p = p.trim_start_matches('/');
        if dot_prefix {
            format!("./{p}")
        } else {
            p.to_string()
        }
    };
    for item in items {
        match item {
            Item::Dir { path, uid, gid, mode } => {
                let mut h = header(tar::EntryType::Directory, 0, *mode, *uid, *gid);
                append(&mut b, &(name(path) + "/"), None, &mut h, &[], *uid, *gid);
            }
            Item::File { path, content, uid, gid, mode } => {
                let mut h = header(tar::EntryType::Regular, content.len() as u64, *mode, *uid, *gid);
                append(&mut b, &name(path), None, &mut h, content, *uid, *gid);
            }
            Item::Symlink { path, target } => {
                let mut h = header(tar::EntryType::Symlink, 0, 0o777, 0, 0);
                append(&mut b, &name(path), Some(target), &mut h, &[], 0, 0);
            }
            Item::HardLink { path, target } => {
                let mut h = header(tar::EntryType::Link, 0, 0o644, 0, 0);
                append(&mut b, &name(path), Some(&name(target)), &mut h, &[], 0, 0);
            }
            Item::Whiteout { path } => {
                let (parent, base) = path.rsplit_once('/').unwrap();
                let mut h = header(tar::EntryType::Regular, 0, 0o644, 0, 0);
                append(&mut b, &name(&format!("{parent}/.wh.{base}")), None, &mut h, &[], 0, 0);
            }
            Item::Opaque { dir } => {
                let mut h = header(tar::EntryType::Regular, 0, 0o644, 0, 0);
                append(&mut b, &name(&format!("{dir}/.wh..wh..opq")), None, &mut h, &[], 0, 0);
            }
        }
    }
    b.into_inner().unwrap()
}

fn config_json(image: &Image, diff_ids: &[String]) -> Vec<u8> {
    let history: Vec<Value> = (0..image.layers.len())
        .flat_map(|i| {
            [json!({"created_by": format!("RUN step {i}")}), json!({"created_by": format!("ENV marker={i}"), "empty_layer": true})]
        })
        .collect();
    serde_json::to_vec(&json!({
        "architecture": "amd64",
        "os": "linux",
        "config": {
            "User": image.user,
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "SHELL=/bin/bash"],
            "Entrypoint": image.entrypoint,
            "WorkingDir": "/home/sagemaker-user",
            "ExposedPorts": {"8888/tcp": {}},
            "Labels": {"team": "ml"}
        },
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history
    }))
    .unwrap()
}

/// An outer-tar member.
struct Member {
    name: String,
    data: Vec<u8>,
    symlink: Option<String>,
}

fn member(name: impl Into<String>, data: Vec<u8>) -> Member {
    Member { name: name.into(), data, symlink: None }
}

fn outer_tar(members: Vec<Member>) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for m in members {
        let mut h = tar::Header::new_ustar();
        match &m.symlink {
            Some(target) => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_size(0);
                h.set_link_name(target).unwrap();
            }
            None => {
                h.set_entry_type(tar::EntryType::Regular);
                h.set_size(m.data.len() as u64);
            }
        }
        h.set_mode(0o444);
        h.set_path(&m.name).unwrap();
        h.set_cksum();
        b.append(&h, m.data.as_slice()).unwrap();
    }
    b.into_inner().unwrap()
}

fn sorted(mut members: Vec<Member>) -> Vec<Member> {
    members.sort_by(|a, b| a.name.cmp(&b.name));
    members
}

/// The archive for `image` in `layout`, layers compressed with `layers` where the layout allows.
pub fn archive(image: &Image, layout: Layout, layers: Compress) -> Vec<u8> {
    let tars: Vec<Vec<u8>> = image.layers.iter().enumerate().map(|(i, l)| layer_tar(l, i % 2 == 1)).collect();
    let diff_ids: Vec<String> = tars.iter().map(|t| format!("sha256:{}", digest_hex(t))).collect();
    let config = config_json(image, &diff_ids);
    let config_hex = digest_hex(&config);
    let tag = image.tag.map(str::to_string);
    let repo_tags: Value = match &tag {
        Some(t) => json!([t]),
        None => Value::Null,
    };
    let blobs: Vec<Vec<u8>> = tars.iter().map(|t| compress(t, layers)).collect();
    let blob_hex: Vec<String> = blobs.iter().map(|b| digest_hex(b)).collect();
    let media = match layers {
        Compress::None => "application/vnd.oci.image.layer.v1.tar",
        Compress::Gzip => "application/vnd.oci.image.layer.v1.tar+gzip",
        Compress::Zstd => "application/vnd.oci.image.layer.v1.tar+zstd",
    };
    let oci_manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": format!("sha256:{config_hex}"), "size": config.len()},
        "layers": blobs.iter().zip(&blob_hex).map(|(b, h)| json!({"mediaType": media, "digest": format!("sha256:{h}"), "size": b.len()})).collect::<Vec<_>>()
    }))
    .unwrap();
    let manifest_hex = digest_hex(&oci_manifest);
    let annotations = match &tag {
        Some(t) => {
            json!({"io.containerd.image.name": format!("docker.io/library/{t}"), "org.opencontainers.image.ref.name": t.rsplit(':').next().unwrap()})
        }
        None => json!({}),
    };
    let v1_ids: Vec<String> = (0..tars.len()).map(|i| digest_hex(format!("v1 {i} {config_hex}").as_bytes())).collect();
    let repositories = |tag: &Option<String>| match tag {
        Some(t) => {
            let (repo, version) = t.rsplit_once(':').unwrap();
            serde_json::to_vec(&json!({ repo: { version: v1_ids.last().unwrap() } })).unwrap()
        }
        None => b"{}".to_vec(),
    };
    let members = match layout {
        Layout::Legacy => {
            let mut m = Vec::new();
            for (i, t) in tars.iter().enumerate() {
                m.push(member(format!("{}/VERSION", v1_ids[i]), b"1.0".to_vec()));
                m.push(member(format!("{}/json", v1_ids[i]), serde_json::to_vec(&json!({"id": v1_ids[i]})).unwrap()));
                m.push(member(format!("{}/layer.tar", v1_ids[i]), t.clone()));
            }
            m.push(member(format!("{config_hex}.json"), config.clone()));
            let layers: Vec<String> = v1_ids.iter().map(|id| format!("{id}/layer.tar")).collect();
            m.push(member(
                "manifest.json",
                serde_json::to_vec(&json!([{"Config": format!("{config_hex}.json"), "RepoTags": repo_tags, "Layers": layers}])).unwrap(),
            ));
            m.push(member("repositories", repositories(&tag)));
            sorted(m)
        }
        Layout::Docker25 | Layout::Containerd | Layout::OciArchive => {
            let mut m = Vec::new();
            for (b, h) in blobs.iter().zip(&blob_hex) {
                m.push(member(format!("blobs/sha256/{h}"), b.clone()));
            }
            m.push(member(format!("blobs/sha256/{config_hex}"), config.clone()));
            m.push(member(format!("blobs/sha256/{manifest_hex}"), oci_manifest.clone()));
            let manifest_descriptor = json!({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": format!("sha256:{manifest_hex}"), "size": oci_manifest.len(), "platform": {"os": "linux", "architecture": "amd64"}});
            let index = if layout == Layout::Containerd {
                // A multi-platform index as BuildKit pushes it: an arm64 manifest and an
                // attestation whose blobs were not exported, then ours.
                let image_index = serde_json::to_vec(&json!({
                    "schemaVersion": 2,
                    "mediaType": "application/vnd.oci.image.index.v1+json",
                    "manifests": [
                        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": format!("sha256:{}", "a".repeat(64)), "size": 10, "platform": {"os": "linux", "architecture": "arm64"}},
                        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": format!("sha256:{}", "b".repeat(64)), "size": 10, "platform": {"os": "unknown", "architecture": "unknown"}, "annotations": {"vnd.docker.reference.type": "attestation-manifest"}},
                        manifest_descriptor
                    ]
                }))
                .unwrap();
                let index_hex = digest_hex(&image_index);
                m.push(member(format!("blobs/sha256/{index_hex}"), image_index.clone()));
                json!({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.index.v1+json", "digest": format!("sha256:{index_hex}"), "size": image_index.len(), "annotations": annotations}]})
            } else {
                let mut d = manifest_descriptor;
                d["annotations"] = annotations;
                json!({"schemaVersion": 2, "manifests": [d]})
            };
            m.push(member("index.json", serde_json::to_vec(&index).unwrap()));
            m.push(member("oci-layout", br#"{"imageLayoutVersion": "1.0.0"}"#.to_vec()));
            if layout != Layout::OciArchive {
                let layers: Vec<String> = blob_hex.iter().map(|h| format!("blobs/sha256/{h}")).collect();
                let sources: serde_json::Map<String, Value> = blob_hex
                    .iter()
                    .map(|h| (format!("sha256:{h}"), json!({"mediaType": media, "digest": format!("sha256:{h}")})))
                    .collect();
                let mut entry = json!({"Config": format!("blobs/sha256/{config_hex}"), "RepoTags": repo_tags, "Layers": layers});
                if layout == Layout::Docker25 {
                    entry["LayerSources"] = Value::Object(sources);
                }
                m.push(member("manifest.json", serde_json::to_vec(&json!([entry])).unwrap()));
            }
            if layout == Layout::Docker25 {
                m.push(member("repositories", repositories(&tag)));
            }
            sorted(m)
        }
        Layout::DockerArchive => {
            // containers/image streams: layers first, config, legacy dirs with symlinks, manifest last.
            let mut m = Vec::new();
            let names: Vec<String> = diff_ids.iter().map(|d| format!("{}.tar", &d[7..])).collect();
            for (t, n) in tars.iter().zip(&names) {
                m.push(member(n.clone(), t.clone()));
            }
            m.push(member(format!("{config_hex}.json"), config.clone()));
            for (i, n) in names.iter().enumerate() {
                m.push(Member { name: format!("{}/layer.tar", v1_ids[i]), data: Vec::new(), symlink: Some(format!("../{n}")) });
                m.push(member(format!("{}/VERSION", v1_ids[i]), b"1.0".to_vec()));
                m.push(member(format!("{}/json", v1_ids[i]), b"{}".to_vec()));
            }
            m.push(member(
                "manifest.json",
                serde_json::to_vec(&json!([{"Config": format!("{config_hex}.json"), "RepoTags": repo_tags, "Layers": names}])).unwrap(),
            ));
            m.push(member("repositories", repositories(&tag)));
            m
        }
        Layout::Ggcr | Layout::Jib => {
            let ext = match layers {
                Compress::None => ".tar",
                Compress::Gzip => ".tar.gz",
                Compress::Zstd => ".tar.zst",
            };
            let names: Vec<String> = blob_hex.iter().map(|h| format!("{h}{ext}")).collect();
            let mut m = Vec::new();
            let config_name = if layout == Layout::Ggcr { format!("sha256:{config_hex}") } else { "config.json".to_string() };
            if layout == Layout::Ggcr {
                m.push(member(config_name.clone(), config.clone()));
            }
            for (b, n) in blobs.iter().zip(&names) {
                m.push(member(n.clone(), b.clone()));
            }
            let manifest = if layout == Layout::Jib {
                m.push(member(config_name.clone(), config.clone()));
                json!([{"config": config_name, "repoTags": repo_tags, "layers": names}])
            } else {
                json!([{"Config": config_name, "RepoTags": repo_tags, "Layers": names}])
            };
            m.push(member("manifest.json", serde_json::to_vec(&manifest).unwrap()));
            m
        }
    };
    outer_tar(members)
}
