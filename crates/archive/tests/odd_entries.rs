//! Entries `docker load` refuses or Linux cannot hold, each reported beside the facts (not
//! fatal) naming the layer and the entry, while the check goes on: names that climb out of the
//! root (kept, clamped), paths longer than PATH_MAX (left out), hard links to files that are not
//! there yet.

mod common;

use common::builder::{archive, dir, file, Compress, Image, Item, Layout};
use common::{inspect_bytes, messages, options};
use smic_archive::Inspection;

fn image(layers: Vec<Vec<Item>>) -> Image {
    Image { tag: Some("odd:1"), user: "root", entrypoint: vec!["sh"], layers }
}

fn base() -> Vec<Item> {
    vec![dir("/etc"), file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")]
}

fn inspect(layers: Vec<Vec<Item>>) -> Inspection {
    inspect_bytes(&archive(&image(layers), Layout::DockerArchive, Compress::None), &options())
}

fn hard_link(path: String, target: &'static str) -> Item {
    Item::HardLink { path: Box::leak(path.into_boxed_str()), target }
}

/// Replaces a name of the same length in an uncompressed archive and fixes its header's checksum
/// (the tar crate refuses to write `..`). Every tar header of an uncompressed docker-archive,
/// the layers' included, starts at a multiple of 512.
fn rename(archive: &mut [u8], from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let at = archive.windows(from.len()).position(|w| w == from.as_bytes()).expect("the name is in the archive");
    archive[at..at + to.len()].copy_from_slice(to.as_bytes());
    let header = &mut archive[at - at % 512..][..512];
    header[148..156].fill(b' ');
    let sum: u32 = header.iter().map(|b| u32::from(*b)).sum();
    header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
}

#[test]
fn a_name_climbing_out_of_the_root_is_reported_and_kept_inside_it() {
    let mut layer = base();
    layer.push(file("/zz/zz/zz/zz/tmp/escaped", "x"));
    layer.push(Item::HardLink { path: "/etc/hostname", target: "zz/zz/etc/passwd" });
    let mut bytes = archive(&image(vec![layer]), Layout::DockerArchive, Compress::None);
    rename(&mut bytes, "zz/zz/zz/zz/tmp/escaped", "../../../../tmp/escaped");
    rename(&mut bytes, "zz/zz/etc/passwd", "../../etc/passwd");
    let inspection = inspect_bytes(&bytes, &options());
    let said = messages(&inspection);
    assert_eq!(said.len(), 2, "{said:?}");
    assert!(inspection.errors.iter().all(|e| !e.fatal));
    let (at, message) = said[0].split_once(" | ").unwrap();
    assert!(at.starts_with("entry ") && at.ends_with(" inside the layer, file /tmp/escaped"), "{at}");
    assert_eq!(
        message,
        "Layer 0 has an entry named ../../../../tmp/escaped, which climbs out of the layer's root. Docker's classic loader \
         refuses such a layer; containerd keeps the entry inside the root, and so does this check: it is checked as /tmp/escaped."
    );
    assert!(said[1].ends_with("file /etc/hostname | Layer 0 has a hard link /etc/hostname to ../../etc/passwd, which climbs out of the layer's root. Docker's classic loader refuses such a layer; containerd keeps the target inside the root, and so does this check."), "{}", said[1]);
    let facts = inspection.facts.as_ref().expect("facts");
    assert!(facts.files.get("/tmp/escaped").is_some(), "kept, clamped into the root");
    assert_eq!(facts.files.get("/etc/hostname").and_then(|e| e.link_target.as_deref()), Some("/etc/passwd"));
}

#[test]
fn a_path_longer_than_path_max_is_reported_and_left_out() {
    // 4096 bytes is the most Linux takes; one more and extraction fails with ENAMETOOLONG.
    let deep = "/".to_string() + &"d/".repeat(2047);
    let (at_limit, over) = (format!("{deep}f"), format!("{deep}fg"));
    assert_eq!((at_limit.len(), over.len()), (4096, 4097));
    let mut layer = base();
    layer.push(file(&over, "too deep"));
    layer.push(file(&at_limit, "deep"));
    layer.push(file("/etc/motd", "after"));
    let inspection = inspect(vec![layer]);
    let said = messages(&inspection);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(!inspection.errors[0].fatal);
    let short = format!("{}…{}", &over[..40], &over[over.len() - 40..]);
    let (at, message) = said[0].split_once(" | ").unwrap();
    assert!(at.ends_with(&format!(" inside the layer, file {short}")), "{at}");
    assert_eq!(
        message,
        format!(
            "Layer 0 has an entry whose path is 4097 bytes long ({short}), but Linux allows at most 4096 bytes (PATH_MAX): \
             extracting the layer (`docker load`, a container runtime) fails on it. The entry is left out of the checks."
        )
    );
    let files = &inspection.facts.as_ref().expect("facts").files;
    assert!(files.get(&over).is_none());
    assert!(files.get(&at_limit).is_some() && files.get("/etc/motd").is_some(), "the entries after it are read");
}

#[test]
fn a_hard_link_to_a_file_not_yet_there_is_reported() {
    let lower = base();
    let upper = vec![
        Item::HardLink { path: "/h/to-lower", target: "/etc/passwd" },
        file("/h/b", "b"),
        Item::HardLink { path: "/h/to-earlier", target: "/h/b" },
        Item::HardLink { path: "/h/a", target: "/h/c" },
        file("/h/c", "c"),
        Item::HardLink { path: "/h/self", target: "/h/self" },
        Item::HardLink { path: "/h/nowhere", target: "does/not/exist" },
        Item::Symlink { path: "/h/symlink", target: "/does/not/exist" },
    ];
    let inspection = inspect(vec![lower, upper]);
    let said = messages(&inspection);
    let wrong = |path: &str, target: &str| {
        format!(
            "Layer 1 has a hard link {path} to {target}, which is neither earlier in the layer nor in a lower layer: `docker load` \
             fails on it (the target must be extracted first). Symbolic links may point anywhere; hard links may not."
        )
    };
    let got: Vec<&str> = said.iter().map(|s| s.split_once(" | ").unwrap().1).collect();
    assert_eq!(got, [wrong("/h/a", "/h/c"), wrong("/h/self", "/h/self"), wrong("/h/nowhere", "/does/not/exist")]);
    assert!(said.iter().all(|s| s.starts_with("entry ") && s.contains(".tar at offset ")), "{said:?}");
    assert!(inspection.errors.iter().all(|e| !e.fatal));
    assert!(inspection.facts.as_ref().expect("facts").files.get("/h/a").is_some());
}

#[test]
fn only_the_first_twenty_odd_entries_are_listed_then_counted() {
    let mut layer = base();
    layer.extend((0..25).map(|i| hard_link(format!("/h/{i:02}"), "/nowhere")));
    let inspection = inspect(vec![layer]);
    let said = messages(&inspection);
    assert_eq!(said.len(), 21, "{said:?}");
    assert!(said[19].contains("hard link /h/19 to /nowhere"));
    assert_eq!(
        said[20],
        "- | 5 more entries like the ones above (paths too long, names climbing out of the root, hard links to files not \
         there) are not listed."
    );
}
