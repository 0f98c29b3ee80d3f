//! `assemble` from plain values: archives described member by member, no tar bytes.

use serde_json::json;
use smic_rules::facts::FileKind;

use super::*;
use crate::error::Corruption;
use crate::layer::LayerEntry;
use crate::sniff::Content;
use crate::stream::ReadError;

const CONFIG_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const CONFIG_B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const LAYER_1: &str = "1111111111111111111111111111111111111111111111111111111111111111";
const LAYER_2: &str = "2222222222222222222222222222222222222222222222222222222222222222";

/// A layer summary holding regular files.
fn layer(paths: &[&str]) -> LayerSummary {
    let mut summary = LayerSummary::default();
    for path in paths {
        let span = summary.push_name(path);
        let link = summary.push_name("");
        summary.entries.push(LayerEntry { path: span, link, kind: FileKind::Regular, mode: 0o644, size: 10, uid: 0, gid: 0 });
        summary.entry_count += 1;
        summary.size_bytes += 10;
    }
    summary.ending = Some(Ending::EndBlocks);
    summary
}

fn layer_member(summary: LayerSummary) -> Member {
    Member::Layer { summary: Box::new(summary), blob_bytes: 2048, compression: Compression::None, offset: 1536 }
}

fn json_member(value: serde_json::Value) -> Member {
    Member::Json(value.to_string().into_bytes())
}

fn config(user: &str) -> Member {
    json_member(json!({"config": {"User": user}, "rootfs": {"diff_ids": []}, "history": []}))
}

fn complete(members: Vec<(&str, Member)>) -> ArchiveContents {
    let mut contents = ArchiveContents::new();
    contents.end = WalkEnd::Complete { ending: Some(Ending::EndBlocks), damaged_compression: None };
    contents.member_count = members.len() as u64;
    for (index, (name, member)) in members.into_iter().enumerate() {
        contents.last_member = Some((name.to_string(), index as u64 * 1024));
        contents.top_level.insert(name.split('/').next().unwrap_or(name).to_string());
        contents.members.insert(name.to_string(), member);
    }
    contents
}

/// `docker save a:1 b:2` with the Docker ≤ 24 flat names: two images, one layer each.
fn two_images() -> ArchiveContents {
    complete(vec![
        (
            "manifest.json",
            json_member(json!([
                {"Config": format!("{CONFIG_A}.json"), "RepoTags": ["a:1"], "Layers": [format!("{LAYER_1}.tar")]},
                {"Config": format!("{CONFIG_B}.json"), "RepoTags": ["b:2"], "Layers": [format!("{LAYER_2}.tar")]},
            ])),
        ),
        (&format!("{CONFIG_A}.json"), config("root")),
        (&format!("{CONFIG_B}.json"), config("1000")),
        (&format!("{LAYER_1}.tar"), layer_member(layer(&["/etc/a"]))),
        (&format!("{LAYER_2}.tar"), layer_member(layer(&["/etc/b"]))),
    ])
}

fn messages(outcome: &Outcome) -> Vec<String> {
    outcome.errors.iter().map(|e| format!("{} | {}", e.at.as_deref().unwrap_or("-"), e.message)).collect()
}

#[test]
fn the_image_named_is_chosen_and_the_layout_named() {
    let outcome = assemble(two_images(), Some("b:2"), "images.tar");
    assert_eq!(messages(&outcome), Vec::<String>::new());
    assert_eq!(outcome.images, ["a:1", "b:2"]);
    let facts = outcome.facts.expect("facts");
    assert_eq!(facts.source.layout, "docker-archive");
    assert_eq!(facts.source.reference.as_deref(), Some("b:2"));
    assert_eq!(facts.source.file_name, "images.tar");
    assert_eq!(facts.image_config.user, "1000");
    assert!(facts.files.get("/etc/b").is_some() && facts.files.get("/etc/a").is_none());
    assert_eq!(facts.layers.len(), 1);
    assert_eq!(facts.layers[0].digest.as_deref(), Some(format!("sha256:{LAYER_2}").as_str()));
}

#[test]
fn an_image_the_archive_does_not_hold_is_refused_with_the_list() {
    let outcome = assemble(two_images(), Some("c"), "images.tar");
    assert!(outcome.facts.is_none());
    assert_eq!(messages(&outcome), ["- | The archive holds no image named \"c\"; it holds: a:1, b:2."]);
    assert!(outcome.errors[0].fatal);
}

#[test]
fn a_layer_the_manifest_names_but_the_archive_lacks_is_an_error_and_the_rest_is_read() {
    let mut contents = two_images();
    contents.members.remove(&format!("{LAYER_1}.tar"));
    let outcome = assemble(contents, None, "images.tar");
    assert_eq!(
        messages(&outcome),
        [format!("entry {LAYER_1}.tar | The manifest names layer 0 as {LAYER_1}.tar, which is not in the archive.")]
    );
    assert!(!outcome.errors[0].fatal, "the config is still checked");
    assert_eq!(outcome.facts.map(|f| f.image_config.user), Some("root".to_string()));
}

#[test]
fn a_layer_whose_gzip_trailer_disagrees_names_the_layer() {
    let mut contents = two_images();
    let mut damaged = layer(&["/etc/a"]);
    let error = TarError::Read { error: ReadError::Corrupt(Corruption::GzipChecksum { stored: 1, computed: 2 }), offset: 2048 };
    damaged.problem = Some(crate::layer::LayerProblem { offset: 2048, entry: None, error });
    contents.members.insert(format!("{LAYER_1}.tar"), layer_member(damaged));
    let outcome = assemble(contents, None, "images.tar");
    assert_eq!(
        messages(&outcome),
        [format!(
            "entry {LAYER_1}.tar at offset 1536, offset 2048 inside the layer | Layer 0 could not be read to the end: its compressed \
             data is corrupt: the CRC-32 of the inflated data is 00000002 but the gzip trailer says 00000001. The checks use the 1 \
             entries read before that point."
        )]
    );
    assert!(outcome.facts.is_some());
}

#[test]
fn a_symlinked_legacy_layer_is_followed_and_the_layout_is_docker_legacy() {
    let contents = complete(vec![
        ("manifest.json", json_member(json!([{"Config": "c.json", "RepoTags": ["x:1"], "Layers": ["v1a/layer.tar", "v1b/layer.tar"]}]))),
        ("c.json", config("root")),
        ("v1a/layer.tar", layer_member(layer(&["/etc/passwd"]))),
        ("v1b/layer.tar", Member::Link("v1a/layer.tar".into())),
    ]);
    let mut contents = contents;
    contents.compression = Compression::Gzip;
    let outcome = assemble(contents, None, "x.tar.gz");
    assert_eq!(messages(&outcome), Vec::<String>::new());
    let facts = outcome.facts.expect("facts");
    assert_eq!(facts.source.layout, "gzip+docker-legacy");
    assert_eq!(facts.layers.iter().map(|l| l.entry_count).collect::<Vec<_>>(), [1, 1]);
}

#[test]
fn manifest_and_index_without_docker_marks_is_containerd() {
    let mut contents = two_images();
    contents.members.insert("index.json".into(), json_member(json!({"schemaVersion": 2, "manifests": []})));
    let outcome = assemble(contents, None, "images.tar");
    assert_eq!(outcome.facts.map(|f| f.source.layout), Some("containerd".to_string()));
}

#[test]
fn a_flat_root_file_system_is_called_a_docker_export() {
    let mut contents = complete(vec![("etc/passwd", Member::Other { what: "neither a tar nor JSON" }), ("usr/bin/sh", Member::Empty)]);
    contents.end = WalkEnd::Complete { ending: Some(Ending::NoEndBlocks), damaged_compression: None };
    let outcome = assemble(contents, None, "rootfs.tar");
    let all = messages(&outcome);
    assert_eq!(all.len(), 2, "{all:?}");
    assert!(all[0].contains("what `docker export` writes"), "{all:?}");
    assert_eq!(all[1], "- | The archive ends without the end-of-archive marker after entry usr/bin/sh: it is probably truncated.");
    assert!(outcome.errors[0].fatal && !outcome.errors[1].fatal, "warnings stay warnings");
}

#[test]
fn a_file_that_is_not_a_tar_says_what_it_looks_like() {
    let mut contents = ArchiveContents::new();
    let error = TarError::Header { problem: crate::header::HeaderProblem::Checksum { stored: None, computed: 1 }, offset: 0 };
    contents.end = WalkEnd::Tar { error, head: Content::Dockerfile };
    let outcome = assemble(contents, None, "Dockerfile");
    assert_eq!(
        messages(&outcome),
        ["offset 0 | This is not an image archive: it looks like a Dockerfile (give it as the Dockerfile input; the image archive \
          comes from `docker save`). Give the file written by `docker save IMAGE -o image.tar` (or `podman save`)."]
    );
}

#[test]
fn a_corrupt_header_after_members_says_where_in_the_decompressed_archive() {
    let mut contents = ArchiveContents::new();
    contents.compression = Compression::Zstd;
    contents.member_count = 3;
    contents.last_member = Some(("manifest.json".into(), 4096));
    contents.end = WalkEnd::Tar { error: TarError::Short { offset: 5120 }, head: Content::Compressed(Compression::Zstd) };
    let outcome = assemble(contents, None, "a.tar.zst");
    assert_eq!(
        outcome.errors[0].at.as_deref(),
        Some("offset 5120 of the decompressed archive, after entry manifest.json (header at offset 4096)")
    );
    assert!(outcome.errors[0].message.contains("the file is truncated"));
}

#[test]
fn a_cancelled_reading_says_so_and_reads_nothing() {
    let mut contents = two_images();
    contents.end = WalkEnd::Read { error: ReadError::Cancelled, member: Some(("x.tar".into(), 512)) };
    contents.cancelled = true;
    let outcome = assemble(contents, None, "images.tar");
    assert!(outcome.facts.is_none() && outcome.images.is_empty());
    assert_eq!(
        messages(&outcome),
        [
            "entry x.tar at offset 512 | The inspection was cancelled.",
            "- | The inspection was cancelled before the archive was read to the end."
        ]
    );
}

#[test]
fn xz_is_refused_with_the_command_that_fixes_it() {
    let mut contents = ArchiveContents::new();
    contents.end = WalkEnd::Unsupported(Compression::Xz);
    let outcome = assemble(contents, None, "image.tar.xz");
    assert!(outcome.errors[0].message.contains("(`xz -d image.tar.xz`)"), "{:?}", outcome.errors);
}

#[test]
fn a_config_too_large_to_keep_is_there_but_too_large_and_the_layers_are_still_read() {
    let mut contents = two_images();
    contents.members.insert(format!("{CONFIG_A}.json"), Member::LargeJson { bytes: 50 << 20 });
    let outcome = assemble(contents, None, "images.tar");
    assert_eq!(
        messages(&outcome),
        [format!(
            "entry {CONFIG_A}.json | The manifest names the image config {CONFIG_A}.json, which is in the archive but too large to \
             read: 52428800 bytes, over the limit of 16 MiB (an image config is a few KB, a few hundred with a long history)."
        )]
    );
    assert!(!outcome.errors[0].fatal);
    assert!(outcome.facts.is_some_and(|f| f.files.get("/etc/a").is_some()));
}

#[test]
fn odd_entries_of_all_layers_are_listed_up_to_twenty_then_counted() {
    let odd_layer = |first: usize| {
        let mut summary = layer(&["/etc/a"]);
        for i in first..first + 15 {
            summary.odd.push(crate::layer::OddEntry {
                offset: 512 * i as u64,
                path: format!("/x/{i}"),
                odd: Odd::Escapes(format!("../x/{i}")),
            });
        }
        summary.odd_total = 17;
        summary
    };
    let manifest = json!([{"Config": format!("{CONFIG_A}.json"), "Layers": [format!("{LAYER_1}.tar"), format!("{LAYER_2}.tar")]}]);
    let contents = complete(vec![
        ("manifest.json", json_member(manifest)),
        (&format!("{CONFIG_A}.json"), config("root")),
        (&format!("{LAYER_1}.tar"), layer_member(odd_layer(0))),
        (&format!("{LAYER_2}.tar"), layer_member(odd_layer(15))),
    ]);
    let said = messages(&assemble(contents, None, "images.tar"));
    assert_eq!(said.len(), 21, "{said:?}");
    assert!(said[0].starts_with(&format!(
        "entry {LAYER_1}.tar at offset 1536, offset 0 inside the layer, file /x/0 | Layer 0 has an entry named ../x/0"
    )));
    assert!(said[19].contains("Layer 1 has an entry named ../x/19,"), "{}", said[19]);
    // 2 unlisted in layer 0, 2 in layer 1, and layer 1's last 10 over the image's 20.
    assert!(said[20].starts_with("- | 14 more entries like the ones above"), "{}", said[20]);
}
