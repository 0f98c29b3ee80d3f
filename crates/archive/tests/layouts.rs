//! One image description, written in every layout and compression the world produces: the same
//! facts must come out of each.

mod common;

use common::builder::{archive, dir, file, gzip, zstd, Compress, Image, Item, Layout};
use common::{inspect_bytes, inspect_stream, inspect_waiting, messages, options, text};
use smic_rules::facts::{FileKind, ImageFacts};

const LONG_PATH: &str =
    "/opt/conda/lib/python3.11/site-packages/some_vendor_package_with_a_long_name/submodule/deeply/nested/module_file.py";

fn image() -> Image {
    let passwd = "root:x:0:0:root:/root:/bin/bash\nsagemaker-user:x:1000:100::/home/sagemaker-user:/bin/bash\n";
    let kernel = r#"{"argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "Python 3"}"#;
    Image {
        tag: Some("studio-image:1.0"),
        user: "1000:100",
        entrypoint: vec!["jupyter-lab"],
        layers: vec![
            vec![
                dir("/etc"),
                file("/etc/passwd", passwd),
                file("/etc/group", "root:x:0:\nusers:x:100:\n"),
                file("/etc/motd", "old motd\n"),
                dir("/home"),
                Item::Dir { path: "/home/sagemaker-user", uid: 1000, gid: 100, mode: 0o750 },
                dir("/usr"),
                dir("/usr/bin"),
                Item::File { path: "/usr/bin/python3.11".into(), content: vec![0x7f; 3000], uid: 0, gid: 0, mode: 0o755 },
                Item::HardLink { path: "/usr/bin/python3", target: "/usr/bin/python3.11" },
                dir("/usr/share"),
                dir("/usr/share/doc"),
                dir("/usr/share/doc/pkg"),
                file("/usr/share/doc/pkg/README", "docs"),
                file("/usr/local/share/jupyter/kernels/python3/kernel.json", kernel),
                dir("/opt"),
                dir("/opt/app"),
                dir("/opt/app/cache"),
                file("/opt/app/cache/a.txt", "a"),
                file("/opt/app/cache/b.txt", "b"),
                dir("/data"),
                file("/data/f", "f"),
                Item::File { path: LONG_PATH.into(), content: b"print(1)\n".to_vec(), uid: 70000, gid: 70000, mode: 0o644 },
            ],
            vec![
                Item::Whiteout { path: "/usr/share/doc/pkg" },
                Item::Opaque { dir: "/opt/app/cache" },
                file("/opt/app/cache/c.txt", "c"),
                file("/etc/motd", "new motd\n"),
                Item::Symlink { path: "/home/sagemaker-user/py", target: "/usr/bin/python3" },
                file("/srv/data/x/y.txt", "no parent directories were written for me"),
            ],
            vec![Item::Whiteout { path: "/etc/group" }, file("/data", "a file where a directory was")],
        ],
    }
}

/// The facts every layout must agree on: everything but where the bytes sat in the archive.
fn comparable(facts: &ImageFacts) -> ImageFacts {
    let mut f = facts.clone();
    f.source = Default::default();
    for layer in &mut f.layers {
        layer.digest = None;
        layer.compression = String::new();
        layer.blob_bytes = 0;
    }
    f
}

fn read(bytes: &[u8]) -> ImageFacts {
    let inspection = inspect_bytes(bytes, &options());
    assert!(inspection.errors.is_empty(), "{:?}", messages(&inspection));
    inspection.facts.unwrap()
}

fn variants() -> Vec<(Layout, Compress, &'static str)> {
    vec![
        (Layout::Legacy, Compress::None, "docker-legacy"),
        (Layout::Docker25, Compress::None, "docker-oci"),
        (Layout::Containerd, Compress::Gzip, "containerd"),
        (Layout::Containerd, Compress::Zstd, "containerd"),
        (Layout::Containerd, Compress::None, "containerd"),
        (Layout::DockerArchive, Compress::None, "docker-archive"),
        (Layout::OciArchive, Compress::Gzip, "oci-archive"),
        (Layout::OciArchive, Compress::Zstd, "oci-archive"),
        (Layout::OciArchive, Compress::None, "oci-archive"),
        (Layout::Ggcr, Compress::Gzip, "tarball"),
        (Layout::Ggcr, Compress::Zstd, "tarball"),
        (Layout::Ggcr, Compress::None, "tarball"),
        (Layout::Jib, Compress::Gzip, "tarball"),
    ]
}

#[test]
fn the_same_facts_come_out_of_every_layout_and_compression() {
    let image = image();
    let baseline = read(&archive(&image, Layout::Legacy, Compress::None));
    for (layout, compression, name) in variants() {
        let bytes = archive(&image, layout, compression);
        let facts = read(&bytes);
        assert_eq!(facts.source.layout, name, "{layout:?} {compression:?}");
        let expected = match compression {
            Compress::None => "none",
            Compress::Gzip => "gzip",
            Compress::Zstd => "zstd",
        };
        assert!(facts.layers.iter().all(|l| l.compression == expected), "{layout:?}: {:?}", facts.layers);
        assert!(facts.layers.iter().all(|l| l.digest.is_some()), "{layout:?}: {:?}", facts.layers);
        assert_eq!(comparable(&facts), comparable(&baseline), "{layout:?} {compression:?}");
        // The whole archive compressed, as `docker save | gzip` and `| zstd` give it.
        for (outer, prefix) in [(gzip(&bytes), "gzip+"), (zstd(&bytes), "zstd+")] {
            let facts = read(&outer);
            assert_eq!(facts.source.layout, format!("{prefix}{name}"));
            assert_eq!(comparable(&facts), comparable(&baseline), "{prefix}{layout:?} {compression:?}");
            // Delivered a few bytes at a time, with waits: the sniff still sees the magic.
            let waited = inspect_waiting(&outer, &options());
            assert_eq!(waited.facts.as_ref().map(comparable), Some(comparable(&baseline)), "waiting {prefix}{layout:?} {compression:?}");
        }
        // A pipe: nothing can be skipped, the result is the same.
        let piped = inspect_stream(&bytes, &options());
        assert_eq!(piped.bytes_skipped, 0);
        assert_eq!(comparable(piped.facts.as_ref().unwrap()), comparable(&baseline));
    }
}

#[test]
fn the_merged_file_system_follows_whiteouts_opaque_dirs_and_replacements() {
    let inspection = inspect_bytes(&archive(&image(), Layout::Docker25, Compress::None), &options());
    let f = inspection.facts.as_ref().unwrap();
    let paths: Vec<&str> = f.files.iter().map(|e| e.path.as_str()).collect();
    // Whiteout of a directory removes it and everything below it.
    assert!(!paths.iter().any(|p| p.starts_with("/usr/share/doc/pkg")), "{paths:?}");
    assert!(paths.contains(&"/usr/share/doc"));
    // Opaque directory: lower children hidden, the directory and the new child stay.
    assert!(f.files.get("/opt/app/cache/a.txt").is_none());
    assert!(f.files.get("/opt/app/cache/b.txt").is_none());
    assert_eq!(f.files.get("/opt/app/cache/c.txt").unwrap().layer, 1);
    assert_eq!(f.files.get("/opt/app/cache").unwrap().layer, 0);
    // A file replacing a directory removes the directory's subtree.
    assert_eq!(f.files.get("/data").unwrap().kind, FileKind::Regular);
    assert!(f.files.get("/data/f").is_none());
    // Parents nobody wrote exist, owned by root, from the layer that needed them.
    let parent = f.files.get("/srv/data/x").unwrap();
    assert_eq!((parent.kind, parent.uid, parent.layer), (FileKind::Directory, 0, 1));
    // Hard link and symlink resolution.
    let hard = f.files.get("/usr/bin/python3").unwrap();
    assert_eq!((hard.kind, hard.link_target.as_deref()), (FileKind::HardLink, Some("/usr/bin/python3.11")));
    assert_eq!(f.files.resolve("/home/sagemaker-user/py").unwrap().0, "/usr/bin/python3.11");
    // Long names through PAX, uid above 65535 seen and kept even though the file survives.
    let long = f.files.get(LONG_PATH).unwrap();
    assert_eq!((long.uid, long.gid), (70000, 70000));
    assert_eq!(f.high_id_entries_total, 1);
    assert_eq!(f.high_id_entries[0].path, LONG_PATH);
    assert_eq!(f.uids_seen, [0, 1000, 70000]);
    assert_eq!(f.gids_seen, [0, 100, 70000]);
    // Captures follow the merge: /etc/group deleted in layer 2, /etc/motd replaced in layer 1.
    assert!(f.captured("/etc/group").is_none());
    assert_eq!(text(&inspection, "/etc/motd").as_deref(), Some("new motd\n"));
    assert!(text(&inspection, "/etc/passwd").unwrap().contains("sagemaker-user:x:1000:100"));
    assert!(text(&inspection, "/usr/local/share/jupyter/kernels/python3/kernel.json").unwrap().contains("ipykernel"));
    // Layer sizes count regular-file bytes only, like `docker image ls`.
    let file_bytes: usize = image().layers[0].iter().map(|i| if let Item::File { content, .. } = i { content.len() } else { 0 }).sum();
    assert_eq!(f.layers[0].size_bytes, file_bytes as u64);
    assert_eq!(f.layers[0].entry_count, image().layers[0].len() as u64);
}

#[test]
fn config_and_history_are_read() {
    let f = read(&archive(&image(), Layout::OciArchive, Compress::Gzip));
    // containerd's full name wins over the OCI ref-name annotation (often just the tag).
    assert_eq!(f.source.reference.as_deref(), Some("docker.io/library/studio-image:1.0"));
    assert_eq!(f.image_config.user, "1000:100");
    assert_eq!(f.image_config.entrypoint.as_deref(), Some(&["jupyter-lab".to_string()][..]));
    assert_eq!(f.image_config.exposed_ports, ["8888/tcp"]);
    assert_eq!(f.image_config.labels, [("team".to_string(), "ml".to_string())]);
    assert_eq!(f.image_config.env_var("SHELL"), Some("/bin/bash"));
    assert_eq!((f.image_config.os.as_str(), f.image_config.architecture.as_str()), ("linux", "amd64"));
    assert_eq!(f.image_config.history.len(), 6);
    // created_by comes from the non-empty history entries only.
    let created: Vec<&str> = f.layers.iter().map(|l| l.created_by.as_deref().unwrap()).collect();
    assert_eq!(created, ["RUN step 0", "RUN step 1", "RUN step 2"]);
}

#[test]
fn an_untagged_image_is_named_by_its_config_digest() {
    let mut image = image();
    image.tag = None;
    for layout in [Layout::Legacy, Layout::DockerArchive, Layout::OciArchive] {
        let inspection = inspect_bytes(&archive(&image, layout, Compress::None), &options());
        assert_eq!(inspection.images.len(), 1);
        assert!(inspection.images[0].starts_with("sha256:"), "{layout:?}: {:?}", inspection.images);
        assert_eq!(inspection.facts.unwrap().source.reference, None);
    }
}
