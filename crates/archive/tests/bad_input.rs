//! Input that is not a usable image archive: each case has its own message and says where.

mod common;

use common::builder::{archive, dir, file, gzip, gzip_at_level, layer_tar, Compress, Image, Layout};
use common::{inspect_bytes, inspect_waiting, messages, options};
use smic_archive::{inspect, Control, Inspection, SliceSource};

fn image() -> Image {
    Image {
        tag: Some("bad:1"),
        user: "root",
        entrypoint: vec!["sh"],
        layers: vec![
            vec![dir("/etc"), file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"), file("/big", &"x".repeat(100_000))],
            vec![file("/etc/motd", "hi\n")],
        ],
    }
}

fn only_error(inspection: &Inspection) -> &smic_rules::InputError {
    assert_eq!(inspection.errors.len(), 1, "{:?}", messages(inspection));
    &inspection.errors[0]
}

fn assert_refused(bytes: &[u8], message_part: &str) -> Inspection {
    let inspection = inspect_bytes(bytes, &options());
    assert!(inspection.facts.is_none());
    let e = only_error(&inspection);
    assert!(e.fatal);
    assert!(e.message.contains(message_part), "{:?} does not contain {message_part:?}", e.message);
    inspection
}

/// Byte offset of the member `name` in an uncompressed outer tar.
fn member_offset(archive: &[u8], name: &str) -> usize {
    let mut a = tar::Archive::new(archive);
    for entry in a.entries().unwrap() {
        let entry = entry.unwrap();
        if entry.path().unwrap().to_str() == Some(name) {
            return entry.raw_header_position() as usize;
        }
    }
    panic!("no member {name}");
}

/// Copies an outer tar member by member, letting `change` edit each one's header and data.
fn rewrite(archive: &[u8], mut change: impl FnMut(&str, &mut tar::Header, &mut Vec<u8>)) -> Vec<u8> {
    let mut a = tar::Archive::new(archive);
    let mut b = tar::Builder::new(Vec::new());
    for e in a.entries().unwrap() {
        let mut e = e.unwrap();
        let name = e.path().unwrap().to_str().unwrap().to_string();
        let mut h = e.header().clone();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut data).unwrap();
        change(&name, &mut h, &mut data);
        h.set_cksum();
        b.append(&h, data.as_slice()).unwrap();
    }
    b.into_inner().unwrap()
}

/// Copies an outer tar, letting `change` edit the first member whose name ends with `suffix`.
fn rewrite_first(archive: &[u8], suffix: &str, mut change: impl FnMut(&mut tar::Header, &mut Vec<u8>)) -> Vec<u8> {
    let mut done = false;
    rewrite(archive, |name, h, data| {
        if name.ends_with(suffix) && !done {
            done = true;
            change(h, data);
        }
    })
}

#[test]
fn a_dockerfile_is_not_an_archive() {
    let i = assert_refused(b"FROM python:3.11-slim\nRUN pip install jupyterlab\n", "it looks like a Dockerfile");
    assert_eq!(i.errors[0].at.as_deref(), Some("offset 0"));
}

#[test]
fn an_app_image_config_is_not_an_archive() {
    assert_refused(br#"{"AppImageConfigName": "x", "KernelGatewayImageConfig": {}}"#, "an AppImageConfig JSON document");
}

#[test]
fn a_zip_and_an_empty_file_are_named_as_such() {
    assert_refused(b"PK\x03\x04\x14\x00\x00\x00rest of a zip file", "a zip file");
    assert_refused(b"", "the file is empty");
    assert_refused(&gzip(b"just some gzipped text, not a tar"), "gzip-compressed data that is not a tar archive");
}

#[test]
fn xz_and_bzip2_archives_are_refused_with_the_fix() {
    let i = assert_refused(b"\xfd7zXZ\x00\x00\x04rest", "compressed with xz");
    assert!(i.errors[0].message.contains("xz -d"));
    assert_refused(b"BZh91AY&SY rest", "compressed with bzip2");
}

#[test]
fn a_truncated_download_says_where_it_ends() {
    let bytes = archive(&image(), Layout::DockerArchive, Compress::None);
    let cut = &bytes[..bytes.len() / 2];
    let i = assert_refused(cut, "the file is truncated");
    let at = i.errors[0].at.as_deref().unwrap();
    assert!(at.starts_with("entry ") && at.contains(".tar at offset "), "{at}");
    // The same cut in a gzip-compressed archive.
    let compressed = gzip(&bytes);
    let i = assert_refused(&compressed[..compressed.len() / 2], "");
    assert!(i.errors[0].message.contains("corrupt") || i.errors[0].message.contains("truncated"), "{:?}", i.errors);
}

#[test]
fn a_cut_exactly_between_members_is_reported_as_probably_truncated() {
    let bytes = archive(&image(), Layout::DockerArchive, Compress::None);
    let end = member_offset(&bytes, "manifest.json");
    let inspection = inspect_bytes(&bytes[..end], &options());
    assert!(inspection.facts.is_none());
    let all = messages(&inspection).join("\n");
    assert!(all.contains("probably truncated"), "{all}");
    assert!(all.contains("neither manifest.json nor index.json"), "{all}");
}

#[test]
fn a_corrupt_header_is_reported_with_its_offset() {
    let mut bytes = archive(&image(), Layout::DockerArchive, Compress::None);
    let at = member_offset(&bytes, "manifest.json");
    bytes[at + 3] ^= 0x20;
    let i = assert_refused(&bytes, "A tar header is corrupt: its checksum is");
    assert!(i.errors[0].at.as_deref().unwrap().starts_with(&format!("offset {at}, after entry ")), "{:?}", i.errors[0].at);
}

#[test]
fn docker_export_output_is_recognised() {
    let rootfs = layer_tar(
        &[dir("/etc"), file("/etc/passwd", "root:x:0:0::/root:/bin/sh\n"), dir("/usr"), dir("/bin"), file("/.dockerenv", "")],
        false,
    );
    assert_refused(&rootfs, "docker export");
}

#[test]
fn a_tar_of_something_else_is_not_an_image() {
    let other = layer_tar(&[file("/notes.txt", "hello"), file("/data.csv", "a,b\n")], false);
    assert_refused(&other, "neither manifest.json nor index.json");
}

#[test]
fn a_missing_layer_is_an_error_but_the_rest_is_read() {
    let bytes = archive(&image(), Layout::Legacy, Compress::None);
    // Rename layer 1's member so the manifest points at nothing.
    let manifest: serde_json::Value = {
        let mut a = tar::Archive::new(&bytes[..]);
        let mut m = None;
        for e in a.entries().unwrap() {
            let mut e = e.unwrap();
            if e.path().unwrap().to_str() == Some("manifest.json") {
                let mut s = String::new();
                std::io::Read::read_to_string(&mut e, &mut s).unwrap();
                m = Some(serde_json::from_str(&s).unwrap());
            }
        }
        m.unwrap()
    };
    let missing = manifest[0]["Layers"][1].as_str().unwrap().to_string();
    let bytes = rewrite(&bytes, |name, h, _| {
        if name == missing {
            h.set_path("lost+found/layer.tar").unwrap();
        }
    });
    let inspection = inspect_bytes(&bytes, &options());
    let facts = inspection.facts.as_ref().expect("facts from the layers that are there");
    assert_eq!(facts.layers.len(), 2);
    assert!(facts.files.get("/etc/passwd").is_some());
    assert!(facts.files.get("/etc/motd").is_none());
    let e = only_error(&inspection);
    assert!(!e.fatal);
    assert_eq!(e.message, format!("The manifest names layer 1 as {missing}, which is not in the archive."));
    assert_eq!(e.at.as_deref(), Some(format!("entry {missing}").as_str()));
}

#[test]
fn a_config_too_large_to_read_is_said_to_be_there_and_too_large() {
    let bytes = archive(&image(), Layout::DockerArchive, Compress::None);
    let mut config = None;
    let bytes = rewrite(&bytes, |name, h, data| {
        if name.ends_with(".json") && name != "manifest.json" {
            *data =
                serde_json::json!({"config": {"User": "root", "Env": [format!("X={}", "x".repeat(17 << 20))]}}).to_string().into_bytes();
            h.set_size(data.len() as u64);
            config = Some((name.to_string(), data.len()));
        }
    });
    let (name, size) = config.expect("a config member");
    let inspection = inspect_bytes(&bytes, &options());
    let e = only_error(&inspection);
    assert!(!e.fatal, "the layers are still checked");
    assert_eq!(
        e.message,
        format!(
            "The manifest names the image config {name}, which is in the archive but too large to read: {size} bytes, over the \
             limit of 16 MiB (an image config is a few KB, a few hundred with a long history)."
        )
    );
    assert!(inspection.facts.as_ref().is_some_and(|f| f.files.get("/etc/passwd").is_some()));
}

#[test]
fn a_corrupt_gzip_layer_keeps_what_was_read_before_it() {
    let bytes = archive(&image(), Layout::Ggcr, Compress::Gzip);
    let bytes = rewrite_first(&bytes, ".tar.gz", |_, data| {
        // Damage the deflate data past the first few entries (how far a decoder gets into the
        // damage before it stops differs: zlib-rs stops a few bytes earlier than miniz_oxide).
        let n = data.len();
        for byte in &mut data[n * 3 / 4..n - 8] {
            *byte = 0xff;
        }
    });
    let inspection = inspect_bytes(&bytes, &options());
    let facts = inspection.facts.as_ref().unwrap();
    assert!(facts.files.get("/etc/passwd").is_some(), "entries before the damage are kept");
    assert!(facts.files.get("/etc/motd").is_some(), "the next layer is read");
    let e = only_error(&inspection);
    assert!(!e.fatal);
    assert!(e.message.starts_with("Layer 0 could not be read to the end: its compressed data is corrupt"), "{}", e.message);
    assert!(e.at.as_deref().unwrap().contains("inside the layer"), "{:?}", e.at);
    // Delivered a few bytes at a time, the same entries are kept and the same error is found.
    let waited = inspect_waiting(&bytes, &options());
    assert_eq!(waited.facts, inspection.facts);
    assert_eq!(waited.errors, inspection.errors);
}

#[test]
fn a_gzip_layer_changed_where_deflate_cannot_tell_fails_its_checksum() {
    let bytes = archive(&image(), Layout::Ggcr, Compress::Gzip);
    let bytes = rewrite_first(&bytes, ".tar.gz", |h, data| {
        let tar = miniz_oxide::inflate::decompress_to_vec(&data[10..data.len() - 8]).unwrap();
        let mut stored = gzip_at_level(&tar, 0);
        // One byte of /big's data, which deflate's stored blocks carry as it is.
        let at = stored.windows(1000).position(|w| w.iter().all(|b| *b == b'x')).unwrap() + 500;
        stored[at] = b'y';
        *data = stored;
        h.set_size(data.len() as u64);
    });
    let inspection = inspect_bytes(&bytes, &options());
    let facts = inspection.facts.as_ref().unwrap();
    assert!(facts.files.get("/big").is_some() && facts.files.get("/etc/motd").is_some());
    let e = only_error(&inspection);
    assert!(!e.fatal);
    assert!(
        e.message.starts_with("Layer 0 could not be read to the end: its compressed data is corrupt: the CRC-32 of the inflated data is "),
        "{}",
        e.message
    );
    assert!(e.message.ends_with(". The checks use the 3 entries read before that point."), "{}", e.message);
    assert!(e.at.as_deref().unwrap().contains("inside the layer"), "{:?}", e.at);
    assert_eq!(inspect_waiting(&bytes, &options()).errors, inspection.errors);
}

#[test]
fn a_gzip_layer_whose_trailer_gives_the_wrong_length_is_reported() {
    let bytes = archive(&image(), Layout::Ggcr, Compress::Gzip);
    let bytes = rewrite_first(&bytes, ".tar.gz", |_, data| {
        let isize_at = data.len() - 4;
        data[isize_at] ^= 1;
    });
    let inspection = inspect_bytes(&bytes, &options());
    let e = only_error(&inspection);
    assert!(
        e.message.starts_with("Layer 0 could not be read to the end: its compressed data is corrupt: the data inflates to "),
        "{}",
        e.message
    );
}

#[test]
fn a_whole_archive_gzip_checksum_mismatch_is_reported_and_the_image_still_checked() {
    let mut bytes = gzip(&archive(&image(), Layout::DockerArchive, Compress::None));
    let crc_at = bytes.len() - 8;
    bytes[crc_at] ^= 0x40;
    let inspection = inspect_bytes(&bytes, &options());
    assert!(inspection.facts.is_some());
    let e = only_error(&inspection);
    assert!(!e.fatal);
    assert!(e.message.starts_with("The archive's compressed data is corrupt: the CRC-32 of the inflated data is "), "{}", e.message);
    assert!(e.at.as_deref().unwrap().contains(" of the decompressed archive, after entry "), "{:?}", e.at);
}

#[test]
fn a_layer_cut_inside_its_own_tar_is_reported_for_that_layer() {
    let mut image = image();
    image.layers[0].push(file("/zz-last", "last file"));
    let bytes = archive(&image, Layout::Ggcr, Compress::None);
    // Rebuild with layer 0's tar cut in the middle of /big's data, the outer tar intact.
    let bytes = rewrite_first(&bytes, ".tar", |h, data| {
        data.truncate(50_000);
        h.set_size(data.len() as u64);
    });
    let inspection = inspect_bytes(&bytes, &options());
    let facts = inspection.facts.as_ref().unwrap();
    assert!(facts.files.get("/etc/passwd").is_some());
    assert!(facts.files.get("/zz-last").is_none());
    let e = only_error(&inspection);
    assert_eq!(
        e.message,
        "Layer 0 could not be read to the end: its tar data ends in the middle of an entry. The checks use the 3 entries read before that point."
    );
}

#[test]
fn the_progress_callback_can_cancel() {
    let bytes = archive(&image(), Layout::DockerArchive, Compress::None);
    let mut calls = 0;
    let inspection = inspect(&mut SliceSource::new(&bytes), "x.tar", &options(), &mut |_| {
        calls += 1;
        Control::Cancel
    });
    assert!(inspection.cancelled);
    assert!(inspection.facts.is_none());
    assert!(inspection.errors.iter().any(|e| e.fatal && e.message.contains("cancelled")), "{:?}", messages(&inspection));
    assert!(calls >= 1);
}

#[test]
fn progress_reaches_the_end() {
    let bytes = archive(&image(), Layout::DockerArchive, Compress::None);
    let mut last = None;
    let inspection = inspect(&mut SliceSource::new(&bytes), "x.tar", &options(), &mut |p| {
        last = Some(p);
        Control::Continue
    });
    assert!(inspection.facts.is_some());
    let last = last.unwrap();
    assert!(last.done);
    assert_eq!(last.total, Some(bytes.len() as u64));
    assert_eq!(last.position, bytes.len() as u64);
    assert_eq!(last.bytes_read + last.bytes_skipped, bytes.len() as u64);
}
