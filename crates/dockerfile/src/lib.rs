//! Dockerfile reader (see issue 3).
#![no_std]
extern crate alloc;
