//! A dropped `File`, read from the worker with `FileReaderSync` through a [`ReadAhead`] window.

use js_sys::Uint8Array;
use web_sys::{File, FileReaderSync};

use crate::read_ahead::ReadAhead;

/// Reads `file.slice(offset, offset + len)` into the window.
type Fetch = Box<dyn FnMut(u64, usize, &mut Vec<u8>) -> Result<(), String>>;

/// `ReadAhead` over a `File`.
pub fn open(file: File) -> Result<ReadAhead<Fetch>, String> {
    let reader = FileReaderSync::new().map_err(|e| format!("this browser cannot read files in a worker: {e:?}"))?;
    let len = file.size().max(0.0) as u64;
    Ok(ReadAhead::new(
        len,
        Box::new(move |offset, want, window: &mut Vec<u8>| {
            let end = offset.saturating_add(want as u64);
            let slice = file
                .slice_with_f64_and_f64(offset as f64, end as f64)
                .map_err(|e| format!("cannot slice the file at byte {offset}: {e:?}"))?;
            let buffer = reader
                .read_as_array_buffer(&slice)
                .map_err(|e| format!("cannot read the file at byte {offset} (was it moved or changed?): {e:?}"))?;
            let bytes = Uint8Array::new(&buffer);
            window.resize(bytes.length() as usize, 0);
            bytes.copy_to(window);
            Ok(())
        }),
    ))
}
