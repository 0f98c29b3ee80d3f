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

// The vocabulary and the facts (what the readers observed).
pub mod facts;
pub mod text;
pub mod vocabulary;
// Models of what Studio will see, derived from the facts.
pub mod base_image;
pub mod context;
pub mod distribution;
pub mod json_error;
pub mod kernel_discovery;
pub mod kernel_json;
pub mod launch;
pub mod parse;
pub mod patch;
pub mod path_lookup;
pub mod profile_choice;
pub mod start_command;
pub mod user;
// Readers of the small inputs the core parses itself.
pub mod app_image_config;
pub mod image_description;
// The report, what a rule is, the rules and their catalog.
pub mod catalog;
pub mod report;
pub mod rule;
pub mod rules;
// What the catalog drives: capture, the check, rendering, the suggested AppImageConfig, test builders.
pub mod account_errors;
pub mod capture;
pub mod check;
pub mod explain;
pub mod render;
pub mod suggest;
pub mod testkit;

pub use check::{check, Options};
pub use facts::Facts;
pub use profile_choice::ProfileChoice;
pub use report::{ChosenProfile, Finding, Findings, InputError, Location, Report};
pub use rule::{Example, ExampleKind, Rule};
pub use vocabulary::{InputKind, Profile, Section, Severity};
