//! Dockerfile reader of sm-image-check.
#![no_std]
extern crate alloc;

pub mod shell;
pub mod syntax;

pub use syntax::{parse, Dockerfile, Instruction, ParseError};

/// The parse tree of `text` in the format of BuildKit's `parser/testfiles/*/result`.
pub fn dump(text: &str) -> Result<alloc::string::String, ParseError> {
    parse(text).map(|file| file.dump())
}
