//! Build-time variables of one scope (the global ARGs before the first FROM, or a stage) as
//! BuildKit resolves them: ENV wins over ARG, an ARG takes a build argument over its default,
//! and a value the reader cannot know stays unknown.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};

use crate::shell::{is_variable_name, Env, Lookup};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Known(String),
    /// Declared without a value and not given as a build argument, or derived from such.
    Unknown,
}

/// ARGs BuildKit defines for every build, with values that depend on the machine.
pub const PLATFORM_ARGS: &[&str] =
    &["TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT"];

#[derive(Debug, Clone, Default)]
pub struct Vars {
    pub args: BTreeMap<String, Value>,
    pub env: BTreeMap<String, Value>,
    /// What a name nobody declared means: `true` inside a stage (the base image may set it),
    /// `false` for FROM lines, where BuildKit knows only the global ARGs.
    pub undeclared_unknown: bool,
}

impl Vars {
    pub fn set_arg(&mut self, name: &str, value: Value) {
        self.args.insert(name.to_string(), value);
    }

    pub fn set_env(&mut self, name: &str, value: Value) {
        self.env.insert(name.to_string(), value);
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.env.get(name).or_else(|| self.args.get(name))
    }
}

impl Env for Vars {
    fn lookup(&self, name: &str) -> Lookup<'_> {
        match self.get(name) {
            Some(Value::Known(v)) => Lookup::Value(v),
            Some(Value::Unknown) => Lookup::Unknown,
            None if self.undeclared_unknown && is_variable_name(name) => Lookup::Unknown,
            None => Lookup::Unset,
        }
    }
}
