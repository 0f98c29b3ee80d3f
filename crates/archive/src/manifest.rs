//! The small JSON documents of an archive: Docker's `manifest.json` (keys matched without regard
//! to case, as Go's decoder does, so jib's lower-case keys work), the OCI `index.json` and the
//! manifests and indexes it points to, and the image config. Parsed as loose JSON values: a field
//! of an unexpected type is ignored rather than failing the whole document.

use serde_json::{Map, Value};
use smic_rules::facts::{HistoryEntry, ImageConfig};

/// A member of the archive referred to by a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LayerRef {
    /// Member path (normalised, relative).
    pub member: String,
    /// Digest as named by the manifest, when it names one.
    pub digest: Option<String>,
}

/// One image the archive holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidate {
    /// The name shown for it: its first tag, else its config digest.
    pub display: String,
    /// The first tag, if any.
    pub reference: Option<String>,
    /// Everything `image_ref` may match: tags, config digest, manifest digest.
    pub names: Vec<String>,
    pub config: LayerRef,
    pub layers: Vec<LayerRef>,
}

/// A problem with the index documents themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexProblem {
    pub member: String,
    pub message: String,
}

fn get_ci<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    object.get(key).or_else(|| object.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
}

fn string_list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}

/// `blobs/<alg>/<hex>`, the OCI layout's home for a digest.
pub(crate) fn blob_path(digest: &str) -> Option<String> {
    let (algorithm, hex) = digest.split_once(':')?;
    if algorithm.is_empty() || hex.is_empty() || hex.contains('/') || algorithm.contains('/') {
        return None;
    }
    Some(format!("blobs/{algorithm}/{hex}"))
}

/// A digest recoverable from a member name: `blobs/sha256/<hex>`, `<hex>.tar[.gz|.zst]`,
/// `sha256:<hex>` (go-containerregistry names configs so).
pub(crate) fn digest_from_member(member: &str) -> Option<String> {
    let mut parts = member.split('/');
    if let (Some("blobs"), Some(algorithm), Some(hex), None) = (parts.next(), parts.next(), parts.next(), parts.next()) {
        return is_hex(hex).then(|| format!("{algorithm}:{hex}"));
    }
    if let Some(hex) = member.strip_prefix("sha256:") {
        return is_hex(hex).then(|| member.to_string());
    }
    let stem = [".tar.gz", ".tar.zst", ".tar", ".json"].iter().find_map(|ext| member.strip_suffix(ext))?;
    (is_hex(stem) && stem.len() == 64).then(|| format!("sha256:{stem}"))
}

fn is_hex(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Member paths as the reader keys them: no `./` or `/` in front, `.`/`..` applied.
pub(crate) fn member_key(raw: &str) -> String {
    let normalised = smic_rules::facts::fs::normalize(raw);
    normalised.trim_start_matches('/').to_string()
}

/// Images listed by Docker's `manifest.json`: `[{Config, RepoTags, Layers}]`.
pub(crate) fn docker_candidates(manifest: &Value) -> Result<Vec<Candidate>, String> {
    let entries = manifest.as_array().ok_or("manifest.json is not a JSON array")?;
    let mut out = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let object = entry.as_object().ok_or_else(|| format!("manifest.json entry {i} is not an object"))?;
        let config = get_ci(object, "Config").and_then(Value::as_str).ok_or_else(|| format!("manifest.json entry {i} has no Config"))?;
        let config_member = member_key(config);
        let tags = string_list(get_ci(object, "RepoTags"));
        let layers = string_list(get_ci(object, "Layers"))
            .iter()
            .map(|l| {
                let member = member_key(l);
                LayerRef { digest: digest_from_member(&member), member }
            })
            .collect();
        let config_digest = digest_from_member(&config_member);
        let display = tags.first().cloned().or_else(|| config_digest.clone()).unwrap_or_else(|| config_member.clone());
        let mut names = tags.clone();
        names.extend(config_digest.clone());
        out.push(Candidate {
            display,
            reference: tags.first().cloned(),
            names,
            config: LayerRef { member: config_member, digest: config_digest },
            layers,
        });
    }
    Ok(out)
}

/// How deep image indexes may nest before we call it a loop.
const MAX_INDEX_DEPTH: usize = 8;

/// Images listed by an OCI `index.json`, following nested indexes. `blob` returns a JSON blob of
/// the archive by digest. Attestation manifests and platforms `unknown/unknown` are not images.
pub(crate) fn oci_candidates(index: &Value, blob: &dyn Fn(&str) -> Option<Value>, problems: &mut Vec<IndexProblem>) -> Vec<Candidate> {
    let mut out = Vec::new();
    let descriptors = match index.get("manifests") {
        Some(Value::Array(d)) => d.as_slice(),
        _ => &[],
    };
    for descriptor in descriptors {
        let names = descriptor_names(descriptor);
        if let Some(candidate) = resolve_descriptor(descriptor, &names, blob, problems, 0) {
            out.push(candidate);
        }
    }
    out
}

fn descriptor_names(descriptor: &Value) -> Vec<String> {
    let annotations = descriptor.get("annotations");
    let mut names = Vec::new();
    // containerd writes the full reference here; the OCI annotation is often just the tag.
    for key in ["io.containerd.image.name", "org.opencontainers.image.ref.name"] {
        if let Some(name) = annotations.and_then(|a| a.get(key)).and_then(Value::as_str) {
            if !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }
    names
}

fn is_attestation(descriptor: &Value) -> bool {
    let annotated = descriptor
        .get("annotations")
        .and_then(|a| a.get("vnd.docker.reference.type"))
        .and_then(Value::as_str)
        .is_some_and(|t| t == "attestation-manifest");
    let platform = descriptor.get("platform");
    let unknown = platform.and_then(|p| p.get("os")).and_then(Value::as_str) == Some("unknown");
    annotated || unknown
}

/// linux/amd64 first (Studio runs x86-64 instances), then other platforms in index order.
fn platform_rank(descriptor: &Value) -> u8 {
    let platform = descriptor.get("platform");
    let os = platform.and_then(|p| p.get("os")).and_then(Value::as_str);
    let arch = platform.and_then(|p| p.get("architecture")).and_then(Value::as_str);
    match (os, arch) {
        (Some("linux"), Some("amd64")) => 0,
        (None, None) => 1,
        _ => 2,
    }
}

fn resolve_descriptor(
    descriptor: &Value,
    names: &[String],
    blob: &dyn Fn(&str) -> Option<Value>,
    problems: &mut Vec<IndexProblem>,
    depth: usize,
) -> Option<Candidate> {
    if is_attestation(descriptor) {
        return None;
    }
    let digest = descriptor.get("digest").and_then(Value::as_str)?;
    let member = blob_path(digest).unwrap_or_else(|| digest.to_string());
    let Some(document) = blob(digest) else {
        problems.push(IndexProblem {
            member: member.clone(),
            message: format!("the index names manifest {digest}, which is not in the archive"),
        });
        return None;
    };
    if let Some(Value::Array(children)) = document.get("manifests") {
        if depth >= MAX_INDEX_DEPTH {
            problems.push(IndexProblem { member, message: "image indexes nest too deeply (a loop?)".into() });
            return None;
        }
        let mut order: Vec<&Value> = children.iter().filter(|c| !is_attestation(c)).collect();
        order.sort_by_key(|c| platform_rank(c));
        // Docker with the containerd store exports only the platforms present locally: take the
        // best platform whose manifest is actually in the archive.
        for child in order {
            let child_digest = child.get("digest").and_then(Value::as_str).unwrap_or("");
            if blob(child_digest).is_none() {
                continue;
            }
            let mut child_names = names.to_vec();
            for name in descriptor_names(child) {
                if !child_names.contains(&name) {
                    child_names.push(name);
                }
            }
            if let Some(candidate) = resolve_descriptor(child, &child_names, blob, problems, depth + 1) {
                return Some(candidate);
            }
        }
        problems.push(IndexProblem { member, message: format!("the image index {digest} has no manifest for an image in the archive") });
        return None;
    }
    let config_digest = document.get("config").and_then(|c| c.get("digest")).and_then(Value::as_str);
    let Some(config_digest) = config_digest else {
        problems.push(IndexProblem { member, message: format!("the manifest {digest} has no config descriptor") });
        return None;
    };
    let layers = match document.get("layers") {
        Some(Value::Array(layers)) => layers
            .iter()
            .filter_map(|l| l.get("digest").and_then(Value::as_str))
            .map(|d| LayerRef { member: blob_path(d).unwrap_or_else(|| d.to_string()), digest: Some(d.to_string()) })
            .collect(),
        _ => Vec::new(),
    };
    let mut all_names = names.to_vec();
    all_names.push(config_digest.to_string());
    all_names.push(digest.to_string());
    let reference = names.first().cloned();
    Some(Candidate {
        display: reference.clone().unwrap_or_else(|| config_digest.to_string()),
        reference,
        names: all_names,
        config: LayerRef {
            member: blob_path(config_digest).unwrap_or_else(|| config_digest.to_string()),
            digest: Some(config_digest.to_string()),
        },
        layers,
    })
}

/// A reference in the form people type it: `docker.io/library/` dropped, `:latest` added.
pub(crate) fn canonical_reference(reference: &str) -> String {
    let mut r = reference.trim();
    for prefix in ["docker.io/library/", "index.docker.io/library/", "docker.io/", "index.docker.io/", "localhost/"] {
        if let Some(rest) = r.strip_prefix(prefix) {
            r = rest;
            break;
        }
    }
    let last_segment = r.rsplit('/').next().unwrap_or(r);
    if r.contains('@') || last_segment.contains(':') || r.starts_with("sha256:") {
        r.to_string()
    } else {
        format!("{r}:latest")
    }
}

/// Whether the user's `wanted` names this candidate (a tag in any spelling, or a digest or
/// unambiguous digest prefix of at least 12 hex digits).
pub(crate) fn candidate_matches(candidate: &Candidate, wanted: &str) -> bool {
    let wanted_canonical = canonical_reference(wanted);
    candidate.names.iter().any(|name| {
        if canonical_reference(name) == wanted_canonical {
            return true;
        }
        let hex = name.split_once(':').map_or(name.as_str(), |(_, h)| h);
        let wanted_hex = wanted.trim().strip_prefix("sha256:").unwrap_or(wanted.trim());
        wanted_hex.len() >= 12 && is_hex(wanted_hex) && hex.starts_with(wanted_hex)
    })
}

/// The parts of the image config the rules use, plus `rootfs.diff_ids`.
pub(crate) fn image_config(document: &Value) -> (ImageConfig, Vec<String>) {
    let empty = Map::new();
    let top = document.as_object().unwrap_or(&empty);
    let inner = get_ci(top, "config").and_then(Value::as_object).unwrap_or(&empty);
    let text = |object: &Map<String, Value>, key: &str| get_ci(object, key).and_then(Value::as_str).unwrap_or("").to_string();
    let command = |key: &str| match get_ci(inner, key) {
        Some(Value::Array(_)) => Some(string_list(get_ci(inner, key))),
        // A string here is a shell-form command some writers store unsplit.
        Some(Value::String(s)) => Some(vec![s.clone()]),
        _ => None,
    };
    let env = string_list(get_ci(inner, "Env"))
        .into_iter()
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (pair, String::new()),
        })
        .collect();
    let mut exposed_ports: Vec<String> = match get_ci(inner, "ExposedPorts") {
        Some(Value::Object(ports)) => ports.keys().cloned().collect(),
        _ => Vec::new(),
    };
    exposed_ports.sort();
    let labels = match get_ci(inner, "Labels") {
        Some(Value::Object(labels)) => labels.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string())).collect(),
        _ => Vec::new(),
    };
    let history = match get_ci(top, "history") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|h| HistoryEntry {
                created_by: h.get("created_by").and_then(Value::as_str).unwrap_or("").to_string(),
                empty_layer: h.get("empty_layer").and_then(Value::as_bool).unwrap_or(false),
            })
            .collect(),
        _ => Vec::new(),
    };
    let diff_ids = get_ci(top, "rootfs").and_then(Value::as_object).map(|r| string_list(get_ci(r, "diff_ids"))).unwrap_or_default();
    let variant = get_ci(top, "variant").and_then(Value::as_str).map(str::to_string);
    let config = ImageConfig {
        user: text(inner, "User"),
        env,
        entrypoint: command("Entrypoint"),
        cmd: command("Cmd"),
        exposed_ports,
        working_dir: text(inner, "WorkingDir"),
        os: text(top, "os"),
        architecture: text(top, "architecture"),
        variant,
        labels,
        history,
    };
    (config, diff_ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lower_case_manifest_keys_are_read_like_docker_does() {
        let m = json!([{"config": "config.json", "repoTags": ["a:1"], "layers": ["x.tar.gz"]}]);
        let c = docker_candidates(&m).unwrap();
        assert_eq!(c[0].config.member, "config.json");
        assert_eq!(c[0].reference.as_deref(), Some("a:1"));
        assert_eq!(c[0].layers[0].member, "x.tar.gz");
    }

    #[test]
    fn references_match_in_the_spellings_people_use() {
        assert_eq!(canonical_reference("docker.io/library/foo"), "foo:latest");
        assert_eq!(canonical_reference("foo:1"), "foo:1");
        assert_eq!(canonical_reference("localhost:5000/foo"), "localhost:5000/foo:latest");
        let c = Candidate {
            display: "x".into(),
            reference: None,
            names: vec!["docker.io/library/sagemaker:latest".into(), "sha256:0123456789abcdef0123".into()],
            config: LayerRef { member: String::new(), digest: None },
            layers: vec![],
        };
        assert!(candidate_matches(&c, "sagemaker"));
        assert!(candidate_matches(&c, "0123456789abcd"));
        assert!(!candidate_matches(&c, "0123"));
        assert!(!candidate_matches(&c, "other"));
    }

    #[test]
    fn member_names_yield_digests() {
        assert_eq!(digest_from_member("blobs/sha256/abc").as_deref(), Some("sha256:abc"));
        let hex = "a".repeat(64);
        assert_eq!(digest_from_member(&format!("{hex}.tar.gz")), Some(format!("sha256:{hex}")));
        assert_eq!(digest_from_member("abc/layer.tar"), None);
    }

    #[test]
    fn attestation_manifests_are_not_images() {
        let index = json!({"manifests": [
            {"digest": "sha256:att", "platform": {"os": "unknown", "architecture": "unknown"}},
            {"digest": "sha256:img", "platform": {"os": "linux", "architecture": "amd64"}}
        ]});
        let blob = |d: &str| match d {
            "sha256:img" => Some(json!({"config": {"digest": "sha256:cfg"}, "layers": [{"digest": "sha256:l1"}]})),
            _ => None,
        };
        let mut problems = Vec::new();
        let c = oci_candidates(&index, &blob, &mut problems);
        assert_eq!(c.len(), 1);
        assert!(problems.is_empty());
        assert_eq!(c[0].layers[0].member, "blobs/sha256/l1");
    }
}
