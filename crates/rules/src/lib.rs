//! The rule core of sm-image-check.
//!
//! Contract: facts in, a [`Report`] out. The crate is `#![no_std]` + `alloc` and does no I/O: the
//! readers of image archives, Dockerfiles and AppImageConfig JSON fill [`facts::Facts`]; this crate
//! derives what Studio will see (the user it runs as, the kernels it discovers, what the home
//! mount hides), runs every rule of the [`catalog`] and renders the result. Every rule is declared
//! once (see [`rule::Rule`]); the catalog, SARIF rules, rule pages and README table come from it.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod app_image_config;
pub mod capture;
pub mod catalog;
pub mod check;
pub mod context;
pub mod facts;
pub mod parse;
pub mod render;
pub mod report;
pub mod rule;
pub mod rules;
pub mod testkit;
pub mod text;

pub use check::{check, Options};
pub use facts::Facts;
pub use report::{Finding, InputError, Location, Report};
pub use rule::{Rule, Section, Severity};
