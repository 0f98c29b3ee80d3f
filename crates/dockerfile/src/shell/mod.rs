//! Shell-like text: BuildKit's word lexer (variable expansion in Dockerfile instructions) and
//! a reader of the `/bin/sh` scripts that RUN executes.

mod lex;
mod pattern;
pub mod script;

pub use lex::{is_variable_name, Env, Expanded, LexError, Lexer, Lookup, NoEnv};
pub use pattern::Pattern;
