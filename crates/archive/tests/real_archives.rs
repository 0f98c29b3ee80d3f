//! Every archive in tests/data/archives/real/, written by real tools.

mod common;

use common::{fixture, inspect_file, inspect_fixture, messages, options, text};
use smic_archive::InspectOptions;
use smic_rules::facts::{FileKind, ImageFacts};

fn facts(inspection: &smic_archive::Inspection) -> &ImageFacts {
    inspection.facts.as_ref().unwrap_or_else(|| panic!("no facts: {:?}", messages(inspection)))
}

/// The tiny SageMaker image (README of the fixtures): the same facts whatever tool wrote it.
fn assert_tiny_image(name: &str, layout: &str, compression: &str) {
    let inspection = inspect_fixture(name);
    let f = facts(&inspection);
    assert_eq!(f.source.layout, layout, "{name}");
    assert_eq!(f.layers.len(), 2, "{name}");
    assert!(f.layers.iter().all(|l| l.compression == compression), "{name}: {:?}", f.layers);
    assert_eq!(f.layers[0].created_by.as_deref(), Some("tiny base"));
    assert_eq!(f.layers[1].created_by.as_deref(), Some("tiny app"));
    assert_eq!(f.image_config.user, "1000:100");
    assert_eq!(f.image_config.working_dir, "/home/sagemaker-user");
    assert_eq!(f.image_config.entrypoint.as_deref(), Some(&["jupyter-lab".to_string()][..]));
    assert_eq!(f.image_config.env_var("PATH"), Some("/usr/local/bin:/usr/bin:/bin"));
    let passwd = text(&inspection, "/etc/passwd").expect("passwd captured");
    assert!(passwd.contains("sagemaker-user:x:1000:100:"), "{passwd}");
    assert!(text(&inspection, "/etc/group").unwrap().contains("users:x:100:"));
    let kernel = text(&inspection, "/usr/local/share/jupyter/kernels/python3/kernel.json").expect("kernel.json captured");
    assert!(kernel.contains("ipykernel_launcher"));
    // Layer 1 overwrote /etc/motd and whited out /usr/share/doc/removed-later.
    assert_eq!(text(&inspection, "/etc/motd").as_deref(), Some("new motd\n"));
    assert_eq!(f.captured("/etc/motd").unwrap().layer, 1);
    assert!(f.files.get("/usr/share/doc/removed-later").is_none(), "{name}: whiteout not applied");
    assert!(f.files.get("/usr/share/doc/removed-later/README").is_none());
    assert!(f.files.get("/usr/share/doc").is_some());
    let home = f.files.get("/home/sagemaker-user").unwrap();
    assert_eq!((home.uid, home.gid, home.kind), (1000, 100, FileKind::Directory));
    let link = f.files.get("/home/sagemaker-user/model-link").unwrap();
    assert_eq!(link.kind, FileKind::Symlink);
    assert_eq!(link.link_target.as_deref(), Some("/opt/ml/model/model.bin"));
    assert_eq!(f.files.resolve("/home/sagemaker-user/model-link").unwrap().0, "/opt/ml/model/model.bin");
    assert_eq!(f.files.get("/opt/ml/model/model.bin").unwrap().layer, 1);
    assert_eq!(f.uids_seen, [0, 1000]);
    assert_eq!(f.gids_seen, [0, 100]);
    // 267 bytes of files in layer 0, 17 in layer 1 (`new motd\n` + `weights\n`).
    assert_eq!((f.layers[0].size_bytes, f.layers[1].size_bytes, f.size_bytes()), (267, 17, 284));
    assert!(f.layers.iter().all(|l| l.digest.as_deref().is_some_and(|d| d.starts_with("sha256:"))));
    assert!(inspection.errors.is_empty(), "{name}: {:?}", messages(&inspection));
}

#[test]
fn podman_docker_archive_with_layers_first() {
    assert_tiny_image("sagemaker-real-tiny.docker.tar", "docker-archive", "none");
}

#[test]
fn docker_save_piped_through_gzip() {
    assert_tiny_image("sagemaker-real-tiny.docker.tar.gz", "gzip+docker-archive", "none");
}

#[test]
fn oci_archive_with_gzip_layers_in_digest_order() {
    assert_tiny_image("sagemaker-real-tiny.oci.tar", "oci-archive", "gzip");
}

#[test]
fn oci_archive_with_zstd_layers_second_layer_first() {
    assert_tiny_image("sagemaker-real-tiny.oci-zstd.tar", "oci-archive", "zstd");
}

#[test]
fn containerd_export_with_gzip_blobs() {
    assert_tiny_image("sagemaker-real-tiny.containerd.tar", "containerd", "gzip");
}

#[test]
fn containerd_export_of_two_images_lists_both_and_picks_by_reference() {
    let inspection = inspect_fixture("sagemaker-real-tiny.containerd-multi.tar");
    assert_eq!(inspection.images.len(), 2, "{:?}", inspection.images);
    let f = facts(&inspection);
    assert_eq!(f.source.images_in_archive, inspection.images);
    assert!(f.layers.iter().all(|l| l.compression == "gzip"));
    let options = InspectOptions { image_ref: Some("sagemaker-real-tiny:zstd".into()), ..options() };
    let zstd = inspect_file(&fixture("sagemaker-real-tiny.containerd-multi.tar"), &options);
    let f = facts(&zstd);
    assert!(f.source.reference.as_deref().unwrap().ends_with(":zstd"));
    assert!(f.layers.iter().all(|l| l.compression == "zstd"), "{:?}", f.layers);
    assert_eq!(text(&zstd, "/etc/motd").as_deref(), Some("new motd\n"));
}

#[test]
fn an_unknown_reference_is_refused_with_the_list_of_images() {
    let options = InspectOptions { image_ref: Some("nope:1".into()), ..options() };
    let inspection = inspect_file(&fixture("sagemaker-real-tiny.containerd-multi.tar"), &options);
    assert!(inspection.facts.is_none());
    let e = &inspection.errors[0];
    assert!(e.fatal);
    assert!(e.message.contains("\"nope:1\"") && e.message.contains("sagemaker-real-tiny:zstd"), "{}", e.message);
}

#[test]
fn umoci_layer_without_end_blocks_is_read_with_a_warning() {
    let inspection = inspect_fixture("umoci-insert-truncated-layer.docker.tar");
    let f = facts(&inspection);
    assert_eq!(f.layers.len(), 2);
    assert_eq!(f.layers[0].entry_count, 23);
    assert!(text(&inspection, "/etc/passwd").unwrap().contains("sagemaker-user:x:1000:100:"));
    assert_eq!(text(&inspection, "/etc/motd").as_deref(), Some("new motd\n"));
    assert_eq!(inspection.errors.len(), 1, "{:?}", messages(&inspection));
    let warning = &inspection.errors[0];
    assert!(!warning.fatal);
    assert!(warning.message.starts_with("Layer 0 ends without the tar end-of-archive blocks"), "{}", warning.message);
    assert!(warning
        .at
        .as_deref()
        .unwrap()
        .starts_with("entry a6361daeb22d311beea29b97e8e0d7a707af41503ab2219a4389a72f0bdfe4c8.tar at offset 512"));
}

#[test]
fn pre_1_10_docker_archive_is_refused_as_too_old() {
    let inspection = inspect_fixture("moby-emptyLayer.tar");
    assert!(inspection.facts.is_none());
    assert_eq!(inspection.errors.len(), 1);
    let e = &inspection.errors[0];
    assert!(e.fatal);
    assert_eq!(
        e.message,
        "This archive was written by Docker older than 1.10 (it has `repositories` and per-layer `json` files but no \
         manifest.json): that format is too old to check. Load it and save it again with a current Docker \
         (`docker load -i OLD.tar && docker save IMAGE -o image.tar`)."
    );
}

#[test]
fn docker_18_legacy_save_with_fourteen_layers_and_whiteouts() {
    let inspection = inspect_fixture("dive-test-docker-image.tar");
    let f = facts(&inspection);
    assert_eq!(f.source.layout, "docker-legacy");
    assert_eq!(f.source.reference.as_deref(), Some("dive-test:latest"));
    assert_eq!(f.layers.len(), 14);
    assert_eq!(f.layers[9].created_by.as_deref(), Some("/bin/sh -c rm -rf /root/example/"));
    // Layer 9 deleted /root/example (`root/.wh.example`), and with it everything below.
    assert!(f.files.get("/root/example").is_none());
    assert!(f.files.under("/root/example").is_empty());
    assert!(f.files.get("/root/saved.txt").is_some());
    assert!(f.files.get("/somefile.txt").is_some());
    assert!(text(&inspection, "/etc/passwd").unwrap().starts_with("root:x:0:0:"));
    assert_eq!(f.image_config.architecture, "amd64");
    // Files were skipped, not read: more than half of the archive was never touched.
    assert!(inspection.bytes_skipped > inspection.bytes_read, "read {} skipped {}", inspection.bytes_read, inspection.bytes_skipped);
}

#[test]
fn kaniko_tarball_with_colon_config_name_and_gzip_layers() {
    let kaniko = inspect_fixture("dive-test-kaniko-image.tar");
    let f = facts(&kaniko);
    assert_eq!(f.source.layout, "tarball");
    assert_eq!(f.layers.len(), 14);
    assert!(f.layers.iter().all(|l| l.compression == "gzip"));
    assert!(f.files.get("/root/example").is_none());
    assert!(f.files.get("/root/saved.txt").is_some());
    assert_eq!(f.layers[1].created_by.as_deref(), Some("ADD README.md /somefile.txt"));
}

#[test]
fn jib_tarball_with_lower_case_manifest_keys() {
    let inspection = inspect_fixture("jib-jib-image.tar");
    let f = facts(&inspection);
    assert_eq!(f.source.layout, "tarball");
    assert_eq!(f.source.reference.as_deref(), Some("extraction.test:latest"));
    assert_eq!(f.layers.len(), 2);
    assert_eq!(f.image_config.entrypoint.as_ref().unwrap()[0], "java");
    assert!(f.files.iter().any(|e| e.path.starts_with("/app/")));
}

#[test]
fn docker_25_untagged_save_with_null_index_uses_manifest_json() {
    let inspection = inspect_fixture("ggcr-hello-world-v25.tar");
    let f = facts(&inspection);
    assert_eq!(f.source.layout, "docker-oci");
    assert_eq!(f.source.reference, None);
    assert_eq!(inspection.images, ["sha256:ee301c921b8aadc002973b2e0c3da17d701dcd994b606769a7e6eaa100b81d44"]);
    assert_eq!(f.image_config.architecture, "arm64");
    assert_eq!(f.files.get("/hello").map(|e| e.size), Some(9136));
}

#[test]
fn bazel_layers_with_dot_slash_names_gnu_headers_and_an_empty_layer() {
    let inspection = inspect_fixture("ggcr-mutate-whiteout_image.tar");
    let f = facts(&inspection);
    assert_eq!(f.layers.len(), 3);
    // `./.wh.foo.txt` in layer 1 removes layer 0's ./foo.txt.
    assert!(f.files.get("/foo.txt").is_none());
    assert_eq!(f.files.get("/bar.txt").map(|e| e.size), Some(4));
    // Layer 2 is a tar of zero blocks only.
    assert_eq!((f.layers[2].entry_count, f.layers[2].blob_bytes), (0, 10240));
    assert!(f.files.get("/").is_some());
}

#[test]
fn legacy_multi_image_archive_with_a_symlinked_duplicate_layer() {
    let first = inspect_fixture("ggcr-test_link.tar");
    assert_eq!(first.images, ["bazel/v1/tarball:test_image_1", "bazel/v1/tarball:test_image_3"]);
    assert_eq!(facts(&first).layers.len(), 1);
    let options = InspectOptions { image_ref: Some("bazel/v1/tarball:test_image_3".into()), ..options() };
    let third = inspect_file(&fixture("ggcr-test_link.tar"), &options);
    let f = facts(&third);
    assert_eq!(f.source.reference.as_deref(), Some("bazel/v1/tarball:test_image_3"));
    assert_eq!(f.layers.len(), 2);
    // b159…/layer.tar -> ../6e77…/layer.tar: the same layer as test_image_1's only one.
    assert_eq!(f.layers[0].entry_count, facts(&first).layers[0].entry_count);
    assert_eq!(f.layers[0].blob_bytes, 10240);
}

#[test]
fn docker_1_10_archive_with_the_config_first() {
    let inspection = inspect_fixture("containers-image-almostempty.tar");
    let f = facts(&inspection);
    assert_eq!(f.source.layout, "docker-legacy");
    assert_eq!(f.source.reference.as_deref(), Some("emptyimage:latest"));
    assert_eq!(f.layers.len(), 1);
    assert_eq!(f.layers[0].entry_count, 1);
}

#[test]
fn alpine_saved_and_gzipped_has_no_sagemaker_user() {
    let inspection = inspect_fixture("trivy-alpine-310.tar.gz");
    let f = facts(&inspection);
    assert_eq!(f.source.layout, "gzip+docker-legacy");
    assert_eq!(f.layers.len(), 1);
    assert_eq!(f.layers[0].entry_count, 482);
    let passwd = text(&inspection, "/etc/passwd").unwrap();
    assert!(passwd.starts_with("root:x:0:0:"));
    assert!(!passwd.contains(":1000:"));
    // The archive is compressed as a whole: nothing can be skipped.
    assert_eq!(inspection.bytes_read, 2707725);
    assert_eq!(f.source.archive_bytes, 2707725);
}

#[test]
fn oci_archives_with_each_layer_compression() {
    for (name, compression) in [
        ("dive-test-oci-gzip-image.tar", "gzip"),
        ("dive-test-oci-zstd-image.tar", "zstd"),
        ("dive-test-oci-uncompressed-image.tar", "none"),
    ] {
        let inspection = inspect_fixture(name);
        let f = facts(&inspection);
        assert_eq!(f.source.layout, "oci-archive");
        assert_eq!(f.layers.len(), 1);
        assert_eq!(f.layers[0].compression, compression);
        assert_eq!(f.files.get("/README.md").map(|e| e.size), Some(11189), "{name}");
        assert_eq!(f.image_config.architecture, "arm64");
    }
}

#[test]
fn oci_index_without_media_type_named_by_ref_annotation() {
    let inspection = inspect_fixture("stereoscope-valid-oci.tar");
    let f = facts(&inspection);
    assert_eq!(f.source.reference.as_deref(), Some("sample:latest"));
    assert_eq!(f.layers[0].compression, "gzip");
}
