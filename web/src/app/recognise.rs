//! Tells a dropped file's kind from its first bytes (`smic_engine::classify`), never its name, and
//! reads the small text inputs. Runs on the main thread with the asynchronous `Blob` API, so the
//! page stays responsive even while the worker is busy with an archive.

use js_sys::Uint8Array;
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

use smic_engine::{classify, InputKind, SNIFF_BYTES};

use super::state::Recognised;
use crate::protocol::TextInput;

/// Dockerfiles and AppImageConfigs are small; anything bigger is not one of them.
const LARGEST_TEXT_INPUT: f64 = 4.0 * 1024.0 * 1024.0;

pub async fn recognise(files: Vec<File>) -> Vec<Recognised> {
    let mut out = Vec::with_capacity(files.len());
    for file in files {
        out.push(recognise_one(file).await);
    }
    out
}

async fn recognise_one(file: File) -> Recognised {
    let name = file.name();
    let head = match read(&file, SNIFF_BYTES as f64).await {
        Ok(bytes) => bytes,
        Err(why) => return Recognised::Unknown { name, why },
    };
    let kind = classify(&head);
    match kind {
        Some(InputKind::Image) => Recognised::Archive(file),
        Some(kind @ (InputKind::Dockerfile | InputKind::AppImageConfig)) => {
            if file.size() > LARGEST_TEXT_INPUT {
                return Recognised::Unknown {
                    name,
                    why: format!("{:.1} MB is too large for a Dockerfile or an AppImageConfig", file.size() / 1e6),
                };
            }
            let text = match read(&file, file.size()).await {
                // Bytes as given (a BOM stays, as the CLI sees it); invalid UTF-8 is replaced.
                Ok(bytes) => String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
                Err(why) => return Recognised::Unknown { name, why },
            };
            let input = TextInput { name, text };
            if kind == InputKind::Dockerfile {
                Recognised::Dockerfile(input)
            } else {
                Recognised::Config(input)
            }
        }
        None => Recognised::Unknown {
            name,
            why: String::from("not an image archive (tar, gzip or zstd), a Dockerfile or an AppImageConfig JSON, by its content"),
        },
    }
}

async fn read(file: &File, len: f64) -> Result<Vec<u8>, String> {
    let unreadable = |e: wasm_bindgen::JsValue| format!("cannot read it: {}", crate::js_error::describe(&e));
    let slice = file.slice_with_f64_and_f64(0.0, len).map_err(unreadable)?;
    let buffer = JsFuture::from(slice.array_buffer()).await.map_err(unreadable)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}
