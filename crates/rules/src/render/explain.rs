//! The error look-up's answer for a terminal (`sm-image-check explain`): the candidate rules,
//! best first, each with the message it explains, where that message is seen, the variable parts
//! read from the pasted one, and what the inputs say.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use crate::account_errors::AccountError;
use crate::explain::{Explanation, InputsSay};
use crate::report::RuleStatus;

/// What the inputs say about a rule, in words.
pub fn inputs_say(say: &InputsSay) -> String {
    match say.status {
        RuleStatus::Failed => format!("your inputs show it: {}", say.findings.join(" · ")),
        RuleStatus::Passed => String::from("your inputs pass this rule: look at the next candidate"),
        RuleStatus::NotChecked | RuleStatus::NotApplicable => {
            format!("not checked: {}", say.reason.as_deref().unwrap_or("no reason given"))
        }
    }
}

/// What is said when no rule explains a message.
pub const NOTHING_MATCHED: &str =
    "It may come from the account rather than the image (permissions, network, a name already in use), which no rule can see.";

pub fn text(explanation: &Explanation) -> String {
    let mut out = String::new();
    if explanation.candidates.is_empty() {
        match explanation.account {
            Some(account) => {
                let _ = writeln!(out, "No rule explains {:?}: {}", explanation.message, account_side(account));
            }
            None => {
                let _ = writeln!(out, "No rule explains {:?}. {NOTHING_MATCHED}", explanation.message);
            }
        }
        return out;
    }
    let _ = writeln!(out, "Rules that explain {:?}, best first:\n", explanation.message);
    for (n, c) in explanation.candidates.iter().enumerate() {
        let _ = writeln!(out, "{}. {} {} — {}", n + 1, c.rule, c.name, c.summary);
        let _ = writeln!(
            out,
            "   {} with {:?} (seen in {}); launch stage: {}",
            c.matched.strength.label(),
            c.matched.message,
            c.matched.seen_in.label(),
            c.stage.describe()
        );
        if !c.matched.captures.is_empty() {
            let parts: Vec<String> = c.matched.captures.iter().map(|(name, value)| format!("{name} = {value}")).collect();
            let _ = writeln!(out, "   read from your message: {}", parts.join(", "));
        }
        if let Some(say) = &c.inputs {
            let _ = writeln!(out, "   {}", inputs_say(say));
        }
        let _ = writeln!(out, "   `sm-image-check rules {}` prints the rule's page.", c.rule);
    }
    if let Some(account) = explanation.account {
        let _ = writeln!(out, "\nIt may also be {}", account_side(account));
    }
    out
}

/// An account-side error in words: what it is and what it means.
pub fn account_side(account: &AccountError) -> String {
    format!("an error of the account, not of the image. {}", account.meaning)
}
