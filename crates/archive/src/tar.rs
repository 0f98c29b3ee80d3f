//! A forward-only tar reader over a [`Stream`]: yields one member at a time with PAX and GNU
//! extensions already applied; the caller reads the member's data through [`TarReader::data`]
//! or leaves it, and the reader skips whatever is left (a seek when the stream allows it).

pub(crate) use crate::header::BLOCK as BLOCK_SIZE;
use crate::header::{parse_pax, EntryType, Header, HeaderProblem, Overrides, BLOCK};
use crate::stream::{read_up_to, ReadError, Stream, Window};

/// PAX and GNU long-name payloads are names and a few numbers; anything bigger is garbage.
const MAX_EXTENSION_BYTES: u64 = 1024 * 1024;

/// One member, with extensions applied.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The name as written (bytes; not yet normalised).
    pub path: Vec<u8>,
    pub link: Vec<u8>,
    pub kind: EntryType,
    /// Bytes of data that follow (0 for links, directories and devices).
    pub size: u64,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    /// Offset of the member's header in this tar stream.
    pub offset: u64,
}

/// Why reading stopped.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum TarError {
    /// The stream below failed; `offset` is where, in this tar stream.
    Read { error: ReadError, offset: u64 },
    /// The tar data ends inside a header or inside a member's data.
    Short { offset: u64 },
    /// A block where a header should be is not one.
    Header { problem: HeaderProblem, offset: u64 },
    /// A PAX or GNU extension member that cannot be understood.
    Extension { message: String, offset: u64 },
}

impl TarError {
    pub(crate) fn offset(&self) -> u64 {
        match self {
            TarError::Read { offset, .. }
            | TarError::Short { offset }
            | TarError::Header { offset, .. }
            | TarError::Extension { offset, .. } => *offset,
        }
    }
}

/// How the tar ended, when it ended without an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Ending {
    /// A zero block: the normal end.
    EndBlocks,
    /// The data ended right after a member's (padded) data, without zero blocks.
    NoEndBlocks,
    /// The data ended right after a member's data, without its padding or zero blocks
    /// (umoci 0.4.7 `insert` writes this).
    NoPadding,
}

pub(crate) struct TarReader<S> {
    stream: S,
    /// Offset of the next unread byte of the stream.
    offset: u64,
    /// Data bytes of the current member not read yet.
    remaining: u64,
    /// Padding after the current member's data.
    padding: u64,
    global: Overrides,
    ending: Option<Ending>,
}

impl<S: Stream> TarReader<S> {
    pub(crate) fn new(stream: S) -> TarReader<S> {
        TarReader { stream, offset: 0, remaining: 0, padding: 0, global: Overrides::default(), ending: None }
    }

    pub(crate) fn ending(&self) -> Option<Ending> {
        self.ending
    }

    /// The stream, for what follows the tar (a compressed stream's trailer).
    pub(crate) fn into_inner(self) -> S {
        self.stream
    }

    /// The current member's unread data.
    pub(crate) fn data(&mut self) -> Window<'_, S> {
        Window::new(&mut self.stream, &mut self.remaining)
    }

    /// Offset of the current member's next unread data byte (`offset` already counts the
    /// whole of the member's data once its header is read).
    pub(crate) fn data_offset(&self) -> u64 {
        self.offset.saturating_sub(self.remaining)
    }

    /// Skips what is left of the current member.
    async fn finish_member(&mut self) -> Result<(), TarError> {
        if self.remaining > 0 {
            let want = self.remaining;
            let got = self.stream.skip(want).await.map_err(|error| TarError::Read { error, offset: self.data_offset() })?;
            self.remaining -= got;
            if got < want {
                return Err(TarError::Short { offset: self.data_offset() });
            }
        }
        if self.padding > 0 {
            let want = self.padding;
            let got = self.stream.skip(want).await.map_err(|error| TarError::Read { error, offset: self.offset })?;
            self.offset += got;
            self.padding = 0;
            if got < want {
                self.ending = Some(Ending::NoPadding);
            }
        }
        Ok(())
    }

    /// Reads the data of an extension member (bounded) and skips its padding.
    async fn read_extension(&mut self, size: u64, offset: u64) -> Result<Vec<u8>, TarError> {
        if size > MAX_EXTENSION_BYTES {
            return Err(TarError::Extension { message: format!("an extended header of {size} bytes"), offset });
        }
        let mut data = vec![0u8; size as usize];
        let got = read_up_to(&mut self.stream, &mut data).await.map_err(|error| TarError::Read { error, offset: self.offset })?;
        self.offset += got as u64;
        if got < data.len() {
            return Err(TarError::Short { offset: self.offset });
        }
        let padding = padding_of(size);
        let skipped = self.stream.skip(padding).await.map_err(|error| TarError::Read { error, offset: self.offset })?;
        self.offset += skipped;
        if skipped < padding {
            return Err(TarError::Short { offset: self.offset });
        }
        Ok(data)
    }

    /// The next member, or `None` at the end (see [`TarReader::ending`]).
    pub(crate) async fn next_entry(&mut self) -> Result<Option<Entry>, TarError> {
        if self.ending.is_some() {
            return Ok(None);
        }
        self.finish_member().await?;
        if self.ending.is_some() {
            return Ok(None);
        }
        let mut local = Overrides::default();
        let mut long_name: Option<Vec<u8>> = None;
        let mut long_link: Option<Vec<u8>> = None;
        loop {
            let header_offset = self.offset;
            let mut block = [0u8; BLOCK];
            let n = read_up_to(&mut self.stream, &mut block).await.map_err(|error| TarError::Read { error, offset: header_offset })?;
            self.offset += n as u64;
            if n == 0 {
                self.ending = Some(Ending::NoEndBlocks);
                return Ok(None);
            }
            if n < BLOCK {
                return Err(TarError::Short { offset: header_offset });
            }
            let header = Header::new(&block);
            if header.is_zero() {
                // Spec (POSIX): the archive ends with two zero blocks; one is enough to stop.
                self.ending = Some(Ending::EndBlocks);
                return Ok(None);
            }
            header.verify().map_err(|problem| TarError::Header { problem, offset: header_offset })?;
            let header_size = header.size().map_err(|problem| TarError::Header { problem, offset: header_offset })?;
            let kind = header.entry_type();
            if kind.is_extension() {
                let data = self.read_extension(header_size, header_offset).await?;
                match kind {
                    EntryType::PaxLocal => {
                        let parsed = parse_pax(&data).map_err(|message| TarError::Extension { message, offset: header_offset })?;
                        local.merge_from(&parsed);
                    }
                    EntryType::PaxGlobal => {
                        let parsed = parse_pax(&data).map_err(|message| TarError::Extension { message, offset: header_offset })?;
                        // A global path or size would rename or resize every member: only ids carry over.
                        self.global.uid = parsed.uid.or(self.global.uid);
                        self.global.gid = parsed.gid.or(self.global.gid);
                    }
                    EntryType::GnuLongName => long_name = Some(trim_nuls(data)),
                    _ => long_link = Some(trim_nuls(data)),
                }
                continue;
            }
            let mut effective = self.global.clone();
            effective.merge_from(&local);
            let size = effective.size.unwrap_or(header_size);
            let uid = match effective.uid {
                Some(uid) => uid,
                None => header.uid().map_err(|problem| TarError::Header { problem, offset: header_offset })?,
            };
            let gid = match effective.gid {
                Some(gid) => gid,
                None => header.gid().map_err(|problem| TarError::Header { problem, offset: header_offset })?,
            };
            let mode = header.mode().map_err(|problem| TarError::Header { problem, offset: header_offset })?;
            let path = effective.path.or(long_name).unwrap_or_else(|| header.path_bytes());
            let link = effective.link.or(long_link).unwrap_or_else(|| header.link_bytes().to_vec());
            // Go's archive/tar (which wrote most of these) treats these types as header-only,
            // whatever the size field says.
            let data_size = match kind {
                EntryType::HardLink
                | EntryType::Symlink
                | EntryType::CharDevice
                | EntryType::BlockDevice
                | EntryType::Directory
                | EntryType::Fifo => 0,
                _ => size,
            };
            self.remaining = data_size;
            self.padding = padding_of(data_size);
            self.offset += data_size;
            return Ok(Some(Entry { path, link, kind, size: data_size, mode, uid, gid, offset: header_offset }));
        }
    }
}

pub(crate) fn padding_of(size: u64) -> u64 {
    (BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64
}

fn trim_nuls(mut data: Vec<u8>) -> Vec<u8> {
    while data.last() == Some(&0) {
        data.pop();
    }
    data
}
