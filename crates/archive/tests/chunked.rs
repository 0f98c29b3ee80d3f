//! The page's way to inflate large gzip members on several cores: `inspect_async_chunked` with
//! a `ChunkRunner` that, like a pool of Web Workers, gets each job as bytes, reads the job's
//! byte range of the archive itself and answers with the result as bytes. With chunks small
//! enough that the fixtures' gzip members are cut into many, the inspection must equal the
//! single pass — or say that it gave up, which it must not do on good archives.

mod common;

use common::builder::{archive, dir, file, Compress, Image, Layout};
use common::{fixture, inspect_bytes, options, real_archives};

use smic_archive::pgzip::{decode_chunk, ChunkJob, ChunkResult, ChunkRunner, GzipChunking, PendingChunk};
use smic_archive::testkit::WaitingSource;
use smic_archive::{block_on, inspect_async_chunked, Control, InspectOptions, Inspection};

/// The archive's bytes, and how many jobs were submitted.
struct Pool(Vec<u8>, std::cell::Cell<usize>);

impl ChunkRunner for Pool {
    fn submit(&self, job: ChunkJob) -> PendingChunk<'_> {
        self.1.set(self.1.get() + 1);
        let posted = job.to_bytes();
        let result = match ChunkJob::from_bytes(&posted) {
            Some(job) => {
                let bytes = self.0.get(job.range.start as usize..job.range.end as usize).unwrap_or(&[]);
                decode_chunk(&job, bytes).to_bytes()
            }
            None => ChunkResult::failed("a job that does not read").to_bytes(),
        };
        Box::pin(async move { ChunkResult::from_bytes(&result) })
    }
}

/// The inspection with gzip members in chunks (`None`: it gave up), and the number of chunks.
fn chunked(bytes: &[u8], chunk_bytes: u64) -> (Option<Inspection>, usize) {
    let options = InspectOptions { gzip_chunking: Some(GzipChunking { chunk_bytes, min_chunks: 1, layer_readers: 1 }), ..options() };
    let pool = Pool(bytes.to_vec(), Default::default());
    let mut source = WaitingSource::new(bytes);
    let inspection = block_on(inspect_async_chunked(&mut source, "test.tar", &options, &mut |_| Control::Continue, &pool, 3));
    (inspection, pool.1.get())
}

fn assert_same(one: &Inspection, many: &Inspection, what: &str) {
    assert_eq!(many.facts, one.facts, "{what}");
    assert_eq!(many.errors, one.errors, "{what}");
    assert_eq!(many.images, one.images, "{what}");
}

#[test]
fn every_real_archive_reads_the_same_with_gzip_members_in_chunks() {
    for name in real_archives() {
        let bytes = std::fs::read(fixture(&name)).unwrap();
        let one = inspect_bytes(&bytes, &options());
        for chunk_bytes in [1024, 8192] {
            let many = chunked(&bytes, chunk_bytes).0.unwrap_or_else(|| panic!("{name}: the chunked reading gave up"));
            assert_same(&one, &many, &format!("{name}, chunks of {chunk_bytes}"));
        }
    }
}

#[test]
fn layers_of_an_uncompressed_archive_read_the_same_in_chunks_even_damaged() {
    let text: String = (0..30_000).map(|i| format!("line {i} of a big file\n")).collect();
    let image = Image {
        tag: Some("chunked:1"),
        user: "1000:100",
        entrypoint: vec!["jupyter-lab"],
        layers: vec![vec![dir("/etc"), file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"), file("/big", &text)]],
    };
    for layout in [Layout::OciArchive, Layout::Docker25] {
        let bytes = archive(&image, layout, Compress::Gzip);
        let one = inspect_bytes(&bytes, &options());
        assert!(one.facts.is_some(), "{:?}", one.errors);
        let (many, jobs) = chunked(&bytes, 2048);
        let many = many.unwrap_or_else(|| panic!("{layout:?}: the chunked reading gave up"));
        assert_same(&one, &many, &format!("{layout:?}"));
        assert!(jobs >= 5, "{layout:?}: {jobs} chunks");
        // Damaged: the same inspection, or a request to read it again sequentially.
        for step in 1..12 {
            let mut damaged = bytes.clone();
            let at = bytes.len() * step / 12;
            damaged[at] ^= 0x55;
            if let (Some(many), _) = chunked(&damaged, 2048) {
                assert_same(&inspect_bytes(&damaged, &options()), &many, &format!("{layout:?} damaged at {at}"));
            }
        }
    }
}
