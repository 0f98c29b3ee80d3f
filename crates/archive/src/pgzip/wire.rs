//! Chunk jobs and results as bytes, for runners that post them between Web Workers: a few
//! little-endian integers and the inflated symbols. Reading bad bytes gives `None` (a job) or a
//! failed result, never a panic.

use super::{Buffers, Chunk, ChunkJob, ChunkResult, Outcome};

const JOB_TAG: &[u8; 4] = b"PGJ1";
const DECODED_TAG: u8 = 1;
const FAILED_TAG: u8 = 2;
/// `None` of an optional offset.
const NONE: u64 = u64::MAX;

/// Reads little-endian integers from the front of a byte slice.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        Some(head)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1)?.first().copied()
    }
}

fn optional(value: u64) -> Option<u64> {
    (value != NONE).then_some(value)
}

impl ChunkJob {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = JOB_TAG.to_vec();
        let fields = [
            self.range.start,
            self.range.end,
            self.start_bit.unwrap_or(NONE),
            self.next_start.unwrap_or(NONE),
            self.search_bytes,
            self.max_output,
        ];
        for field in fields {
            out.extend_from_slice(&field.to_le_bytes());
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<ChunkJob> {
        let mut r = Reader(bytes);
        if r.take(JOB_TAG.len())? != JOB_TAG {
            return None;
        }
        let (start, end) = (r.u64()?, r.u64()?);
        let job = ChunkJob {
            range: start..end,
            start_bit: optional(r.u64()?),
            next_start: optional(r.u64()?),
            search_bytes: r.u64()?,
            max_output: r.u64()?,
        };
        r.0.is_empty().then_some(job)
    }
}

impl ChunkResult {
    pub fn to_bytes(&self) -> Vec<u8> {
        let (head, plain) = self.to_parts();
        [head.as_slice(), plain].concat()
    }

    /// The byte form in two parts, to be put one after the other (so a runner can copy the
    /// large second part straight to where it sends it): the tag, the positions and the symbols;
    /// then the chunk's plain bytes.
    pub fn to_parts(&self) -> (Vec<u8>, &[u8]) {
        match &self.0 {
            Outcome::Decoded(chunk) => {
                let mut out = Vec::with_capacity(30 + chunk.marked.len() * 2);
                out.push(DECODED_TAG);
                out.extend_from_slice(&chunk.start_bit.to_le_bytes());
                out.extend_from_slice(&chunk.end_bit.to_le_bytes());
                out.push(u8::from(chunk.member_end));
                out.extend_from_slice(&chunk.plain_crc.to_le_bytes());
                out.extend_from_slice(&(chunk.marked.len() as u64).to_le_bytes());
                for symbol in &chunk.marked {
                    out.extend_from_slice(&symbol.to_le_bytes());
                }
                (out, chunk.plain())
            }
            Outcome::Failed(reason) => {
                let mut out = vec![FAILED_TAG];
                out.extend_from_slice(reason.as_bytes());
                (out, &[])
            }
        }
    }

    pub fn from_bytes(bytes: &[u8]) -> ChunkResult {
        ChunkResult::from_vec(bytes.to_vec())
    }

    /// [`ChunkResult::from_bytes`] keeping `bytes` as the chunk's memory (its plain bytes are
    /// not copied again).
    pub fn from_vec(bytes: Vec<u8>) -> ChunkResult {
        let mut r = Reader(&bytes);
        match r.u8() {
            Some(DECODED_TAG) => match read_chunk(&mut r) {
                Some(mut chunk) => {
                    chunk.plain_range = bytes.len() - r.0.len()..bytes.len();
                    chunk.plain = bytes;
                    ChunkResult(Outcome::Decoded(chunk))
                }
                None => ChunkResult::failed("a chunk result cut short"),
            },
            Some(FAILED_TAG) => ChunkResult(Outcome::Failed(String::from_utf8_lossy(r.0).into_owned())),
            _ => ChunkResult::failed("not a chunk result"),
        }
    }

    /// Gives the chunk's memory to `buffers` once its byte form is sent.
    pub fn recycle(self, buffers: &Buffers) {
        if let Outcome::Decoded(chunk) = self.0 {
            buffers.give_bytes(chunk.plain);
            buffers.give_symbols(chunk.marked);
        }
    }
}

/// The chunk's fields before its plain bytes (left empty: they are the rest of the reader).
fn read_chunk(r: &mut Reader<'_>) -> Option<Chunk> {
    let (start_bit, end_bit) = (r.u64()?, r.u64()?);
    let member_end = match r.u8()? {
        0 => false,
        1 => true,
        _ => return None,
    };
    let plain_crc = u32::from_le_bytes(r.take(4)?.try_into().ok()?);
    let count = usize::try_from(r.u64()?).ok()?;
    let marked = r.take(count.checked_mul(2)?)?.chunks_exact(2).map(|p| u16::from_le_bytes([p[0], p[1]])).collect();
    Some(Chunk { start_bit, end_bit, member_end, marked, plain: Vec::new(), plain_range: 0..0, plain_crc })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_and_results_come_back_as_they_went() {
        let job = ChunkJob { range: 10..5000, start_bit: None, next_start: Some(2000), search_bytes: 1000, max_output: 1 << 30 };
        assert_eq!(ChunkJob::from_bytes(&job.to_bytes()), Some(job.clone()));
        let exact = ChunkJob { start_bit: Some(3), next_start: None, ..job };
        assert_eq!(ChunkJob::from_bytes(&exact.to_bytes()), Some(exact));
        let chunk = Chunk {
            start_bit: 83,
            end_bit: 9000,
            member_end: true,
            marked: vec![1, 300, 33023],
            plain: b"..tail..".to_vec(),
            plain_range: 2..6,
            plain_crc: crc32fast::hash(b"tail"),
        };
        let result = ChunkResult(Outcome::Decoded(chunk));
        assert_eq!(ChunkResult::from_bytes(&result.to_bytes()), result);
        let failed = ChunkResult::failed("worker died");
        assert_eq!(ChunkResult::from_bytes(&failed.to_bytes()), failed);
    }

    #[test]
    fn bad_bytes_are_no_job_and_a_failed_result() {
        let job = ChunkJob { range: 0..1, start_bit: Some(0), next_start: None, search_bytes: 1, max_output: 1 };
        let bytes = job.to_bytes();
        for cut in 0..bytes.len() {
            assert_eq!(ChunkJob::from_bytes(&bytes[..cut]), None);
        }
        let chunk =
            Chunk { start_bit: 1, end_bit: 2, member_end: false, marked: vec![7; 9], plain: vec![], plain_range: 0..0, plain_crc: 0 };
        let bytes = ChunkResult(Outcome::Decoded(chunk)).to_bytes();
        for cut in 0..bytes.len() - 1 {
            assert!(matches!(ChunkResult::from_bytes(&bytes[..cut]).0, Outcome::Failed(_)), "cut at {cut}");
        }
    }
}
