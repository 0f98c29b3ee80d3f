//! The catalog: every rule, in the order of the specification's sections. A rule's ID is never
//! reused; removing a rule leaves a gap.

use crate::rule::Rule;
use crate::rules::*;

pub static RULES: &[&Rule] = &[];

/// Looks a rule up by ID or name (case-insensitive).
pub fn rule_by_key(key: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.matches_key(key))
}
