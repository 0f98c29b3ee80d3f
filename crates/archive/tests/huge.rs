//! Sizes beyond the ustar limit, read from a virtual archive whose bulk is zeros (never held in
//! memory): a 9 GiB file (GNU base-256 size) in a 9 GiB layer (PAX size) must be sought over.

use smic_archive::{inspect, Control, InspectOptions, RandomAccessSource, SourceError};

const NINE_GIB: u64 = 9 << 30;

/// A sparse byte string: zeros everywhere except at the given offsets.
struct Sparse {
    len: u64,
    pieces: Vec<(u64, Vec<u8>)>,
}

impl Sparse {
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> usize {
        let n = buf.len().min((self.len - offset.min(self.len)) as usize);
        buf[..n].fill(0);
        let end = offset + n as u64;
        for (start, bytes) in &self.pieces {
            let piece_end = start + bytes.len() as u64;
            if *start < end && piece_end > offset {
                let from = offset.max(*start);
                let to = end.min(piece_end);
                buf[(from - offset) as usize..(to - offset) as usize]
                    .copy_from_slice(&bytes[(from - start) as usize..(to - start) as usize]);
            }
        }
        n
    }
}

fn header(path: &str, size: u64, gnu: bool) -> Vec<u8> {
    let mut h = if gnu { tar::Header::new_gnu() } else { tar::Header::new_ustar() };
    h.set_path(path).unwrap();
    h.set_size(size);
    h.set_mode(0o644);
    h.set_cksum();
    h.as_bytes().to_vec()
}

fn block(content: &[u8]) -> Vec<u8> {
    let mut b = content.to_vec();
    b.resize(content.len().div_ceil(512) * 512, 0);
    b
}

#[test]
fn a_nine_gib_file_in_a_nine_gib_layer_is_sought_over() {
    let passwd = b"root:x:0:0::/root:/bin/sh\nsagemaker-user:x:1000:100::/home/sagemaker-user:/bin/bash\n";
    // The layer: big.bin (9 GiB, base-256 size), then /etc/passwd, then the end blocks.
    let layer_len = 512 + NINE_GIB + 512 + 512 + 1024;
    // Outer: a PAX header carrying the layer's size, the layer's own header, the layer.
    let mut pax = tar::Builder::new(Vec::new());
    pax.append_pax_extensions([("size", layer_len.to_string().as_bytes())]).unwrap();
    let mut head = pax.into_inner().unwrap();
    // `into_inner` ends the archive with two zero blocks; this one goes on.
    head.truncate(head.len() - 1024);
    head.extend(header("layer.tar", layer_len, false));
    let layer_start = head.len() as u64;
    let mut tail = tar::Builder::new(Vec::new());
    let config = br#"{"architecture":"amd64","os":"linux","config":{"User":"1000:100"},"history":[{"created_by":"ADD big"}]}"#;
    let manifest = br#"[{"Config":"config.json","RepoTags":["huge:1"],"Layers":["layer.tar"]}]"#;
    for (name, data) in [("config.json", &config[..]), ("manifest.json", &manifest[..])] {
        let mut h = tar::Header::new_ustar();
        h.set_path(name).unwrap();
        h.set_size(data.len() as u64);
        h.set_cksum();
        tail.append(&h, data).unwrap();
    }
    let tail = tail.into_inner().unwrap();
    let tail_start = layer_start + layer_len;
    let mut passwd_piece = header("etc/passwd", passwd.len() as u64, true);
    passwd_piece.extend(block(passwd));
    let sparse = Sparse {
        len: tail_start + tail.len() as u64,
        pieces: vec![
            (0, head),
            (layer_start, header("big.bin", NINE_GIB, true)),
            (layer_start + 512 + NINE_GIB, passwd_piece),
            (tail_start, tail),
        ],
    };
    let total = sparse.len;
    let mut source = RandomAccessSource::new(total, |offset, buf: &mut [u8]| Ok::<usize, SourceError>(sparse.read_at(offset, buf)));
    let options = InspectOptions { image_ref: None, capture: Some(|p| (p == "/etc/passwd").then_some(1024)), gzip_chunking: None };
    let inspection = inspect(&mut source, "huge.tar", &options, &mut |_| Control::Continue);
    let facts = inspection
        .facts
        .as_ref()
        .unwrap_or_else(|| panic!("{:?} read {} skipped {}", inspection.errors, inspection.bytes_read, inspection.bytes_skipped));
    assert!(inspection.errors.is_empty(), "{:?}", inspection.errors);
    assert_eq!(facts.files.get("/big.bin").map(|e| e.size), Some(NINE_GIB));
    assert_eq!(facts.layers[0].blob_bytes, layer_len);
    assert_eq!(facts.layers[0].size_bytes, NINE_GIB + passwd.len() as u64);
    assert!(facts.captured("/etc/passwd").unwrap().text().contains("sagemaker-user:x:1000:100"));
    assert_eq!(facts.source.archive_bytes, total);
    // The 9 GiB were jumped over: the first 256 KiB buffer and a few KiB after the seek.
    assert!(inspection.bytes_read < 300 * 1024, "read {}", inspection.bytes_read);
    assert_eq!(inspection.bytes_read + inspection.bytes_skipped, total);
}
