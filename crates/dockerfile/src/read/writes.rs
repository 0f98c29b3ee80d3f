//! The paths a stage writes, as COPY, ADD and RUN add them and `rm`/`mv` take them away: the
//! stage's list of [`PathWrite`]s in instruction order, and a sorted index of it so that a
//! removal finds what it removes without a scan.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use smic_rules::facts::PathWrite;

/// The paths written so far, sorted, so that `rm`/`mv` find what they remove without a scan.
#[derive(Debug, Clone, Default)]
pub struct WriteIndex(BTreeMap<String, u32>);

impl WriteIndex {
    pub fn add(&mut self, path: &str) {
        *self.0.entry(path.to_string()).or_insert(0) += 1;
    }

    /// Adds `write` to `writes` unless its instruction already wrote that path. Writes come in
    /// instruction order: duplicates can only be among the instruction's own.
    pub fn record(&mut self, writes: &mut Vec<PathWrite>, write: PathWrite) {
        if !writes.iter().rev().take_while(|w| w.span == write.span).any(|w| w.path == write.path) {
            self.add(&write.path);
            writes.push(write);
        }
    }

    pub fn any_starting_with(&self, prefix: &str) -> bool {
        self.0
            .range::<str, _>((core::ops::Bound::Included(prefix), core::ops::Bound::Unbounded))
            .next()
            .is_some_and(|(k, _)| k.starts_with(prefix))
    }

    pub fn rebuild(&mut self, writes: &[PathWrite]) {
        self.0.clear();
        for w in writes {
            self.add(&w.path);
        }
    }
}
