//! The error look-up: a message pasted from Studio or CloudWatch in, the rules that explain it
//! out, ranked, each with what the loaded inputs say about it. Rules declare the messages they
//! explain (`Rule::explains`, written once in `rules/studio_errors.rs`) with `{name}` for each
//! variable part; a pasted message matches one
//!
//! - **exactly** when every fixed part of the declared message appears in it in order (the
//!   variable parts — kernel names, ARNs, paths, uids — taken from between them),
//! - **by phrase** when it shares a run of at least three words with it, or is itself a
//!   fragment of it (`InternalFailure`),
//! - **by keywords** when it shares enough significant words with it,
//!
//! after both are normalised (case, quotes, brackets, punctuation around words, whitespace).
//! [`rank`] works on any list of rules' messages (the page feeds it its rule pages' data);
//! [`explain`] ranks the catalog's rules and adds each one's status in a report.

use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;

use crate::account_errors::{AccountError, ACCOUNT_ERRORS};
use crate::catalog::RULES;
use crate::report::{Report, RuleStatus};
use crate::rule::SeenIn;
use crate::vocabulary::Stage;

/// How closely a pasted message matches a declared one, strongest last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strength {
    Keywords,
    Phrase,
    Exact,
}

impl Strength {
    pub const fn label(self) -> &'static str {
        match self {
            Strength::Exact => "exact match",
            Strength::Phrase => "same phrase",
            Strength::Keywords => "same keywords",
        }
    }
}

/// A declared message a pasted one matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match<'a> {
    pub rule: &'a str,
    /// The declared message, `{name}` for its variable parts.
    pub message: &'a str,
    pub seen_in: SeenIn,
    pub strength: Strength,
    /// Within a strength, the higher the closer (words in common).
    pub score: u32,
    /// The variable parts read from the pasted message (`kernel` = `myenv`), for exact matches.
    pub captures: Vec<(String, String)>,
}

/// Ranks rules for a pasted `message`: each rule's best match, strongest first, then by score,
/// then in the order given. `rules` yields each rule's ID and the messages it declares.
pub fn rank<'a, M>(message: &str, rules: impl IntoIterator<Item = (&'a str, M)>) -> Vec<Match<'a>>
where
    M: IntoIterator<Item = (&'a str, SeenIn)>,
{
    let pasted = words(message);
    let mut found: Vec<Match<'a>> = Vec::new();
    if pasted.is_empty() {
        return found;
    }
    for (rule, messages) in rules {
        let mut best: Option<Match<'a>> = None;
        for (declared, seen_in) in messages {
            if let Some(m) = compare(&pasted, rule, declared, seen_in) {
                if best.as_ref().is_none_or(|b| (m.strength, m.score) > (b.strength, b.score)) {
                    best = Some(m);
                }
            }
        }
        found.extend(best);
    }
    found.sort_by_key(|m| core::cmp::Reverse((m.strength, m.score)));
    found
}

/// What the loaded inputs say about one candidate rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputsSay {
    /// `failed` (the rule fired), `passed`, `not-checked` (an input is missing), `not-applicable`.
    pub status: RuleStatus,
    /// For `not-checked` and `not-applicable`: why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The messages of its findings.
    pub findings: Vec<String>,
}

/// What `report` says about rule `id`, if the report knows the rule.
pub fn inputs_say(report: &Report, id: &str) -> Option<InputsSay> {
    let outcome = report.rules.iter().find(|r| r.id == id)?;
    Some(InputsSay {
        status: outcome.status,
        reason: outcome.reason.clone(),
        findings: report.findings.iter().filter(|f| f.rule == id).map(|f| f.message.clone()).collect(),
    })
}

/// One rule that may explain the pasted message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub rule: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
    pub stage: Stage,
    #[serde(flatten)]
    pub matched: Match<'static>,
    /// What the inputs say; absent when no input was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inputs: Option<InputsSay>,
}

/// The look-up's answer: the pasted message and the ranked rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub message: String,
    pub candidates: Vec<Candidate>,
    /// When the message is an error of the account (permissions, a name in use) rather than of
    /// the image: what it means.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<&'static AccountError>,
}

impl Explanation {
    /// The answer as JSON (pretty-printed, trailing newline), what `explain --format json` prints.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_else(|e| alloc::format!("{{\"error\": \"{e}\"}}"));
        text.push('\n');
        text
    }
}

/// Ranks the catalog's rules for `message`; with a report of the user's inputs, says for each
/// what those inputs say.
pub fn explain(message: &str, report: Option<&Report>) -> Explanation {
    let ranked = rank(message, RULES.iter().map(|r| (r.id, r.explains.iter().map(|m| (m.text, m.seen_in)))));
    let candidates = ranked
        .into_iter()
        .filter_map(|matched| {
            let rule = RULES.iter().find(|r| r.id == matched.rule)?;
            let inputs = report.and_then(|r| inputs_say(r, rule.id));
            Some(Candidate { rule: rule.id, name: rule.name, summary: rule.summary, stage: rule.stage, matched, inputs })
        })
        .collect();
    Explanation { message: String::from(message.trim()), candidates, account: account_side(message) }
}

/// The account-side error a pasted message is (by the same matching as the rules' messages, at
/// least a shared phrase: shared keywords alone are too weak to say an error is not the image's).
pub fn account_side(message: &str) -> Option<&'static AccountError> {
    let ranked = rank(message, ACCOUNT_ERRORS.iter().map(|e| (e.message, [(e.message, SeenIn::Studio)])));
    let best = ranked.first().filter(|m| m.strength >= Strength::Phrase)?;
    ACCOUNT_ERRORS.iter().find(|e| e.message == best.rule)
}

/// Words that say nothing about which error it is.
const FILLER: &[&str] = &[
    "the", "a", "an", "of", "in", "on", "to", "is", "are", "and", "or", "with", "for", "your", "you", "it", "be", "that", "this", "not",
    "does", "have", "has", "as", "at", "by", "from", "same", "either", "any",
];

/// The message as lower-case words: quotes and brackets dropped, punctuation around words
/// trimmed, ellipses gone (a user's "…" stands for what they left out).
fn words(text: &str) -> Vec<String> {
    let mut cleaned = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\'' | '"' | '`' | '‘' | '’' | '“' | '”' | '[' | ']' | '(' | ')' | '<' | '>' | '…' => cleaned.push(' '),
            c => cleaned.extend(c.to_lowercase()),
        }
    }
    cleaned
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| matches!(c, '.' | ',' | ':' | ';' | '!' | '?' | '-')))
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

fn significant(word: &str) -> bool {
    word.chars().count() >= 3 && !FILLER.contains(&word)
}

/// A declared message as its fixed parts (each a list of words) and the names of the variable
/// parts between them.
fn parts(declared: &str) -> (Vec<Vec<String>>, Vec<String>) {
    let mut fixed = Vec::new();
    let mut names = Vec::new();
    let mut rest = declared;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        fixed.push(words(&rest[..open]));
        names.push(String::from(&rest[open + 1..open + close]));
        rest = &rest[open + close + 1..];
    }
    fixed.push(words(rest));
    (fixed, names)
}

fn compare<'a>(pasted: &[String], rule: &'a str, declared: &'a str, seen_in: SeenIn) -> Option<Match<'a>> {
    let (fixed, names) = parts(declared);
    let all: Vec<String> = fixed.iter().flatten().cloned().collect();
    let found = |strength, score, captures| Some(Match { rule, message: declared, seen_in, strength, score, captures });
    if let Some((captures, matched)) = exact(pasted, &fixed, &names) {
        return found(Strength::Exact, matched as u32, captures);
    }
    let run = longest_common_run(pasted, &all);
    let fragment = run == pasted.len() && pasted.iter().any(|w| significant(w));
    if run >= 3 || fragment {
        return found(Strength::Phrase, run as u32, Vec::new());
    }
    let mut shared: Vec<&String> = all.iter().filter(|w| significant(w) && pasted.contains(w)).collect();
    shared.sort();
    shared.dedup();
    // Two significant words in common, or a third of a long message's.
    let mut declared_significant: Vec<&String> = all.iter().filter(|w| significant(w)).collect();
    declared_significant.sort();
    declared_significant.dedup();
    let needed = declared_significant.len().min(2.max(declared_significant.len().div_ceil(3)));
    if needed > 0 && shared.len() >= needed {
        return found(Strength::Keywords, shared.len() as u32, Vec::new());
    }
    None
}

/// Every fixed part in order, each variable part whatever lies between: the captured values,
/// and how many fixed words matched. A paste that stops early (a truncated message) still
/// matches when at least [`TRUNCATED_ENOUGH`] fixed words came before the cut.
fn exact(pasted: &[String], fixed: &[Vec<String>], names: &[String]) -> Option<(Vec<(String, String)>, usize)> {
    let mut at = 0;
    let mut matched = 0;
    let mut gap_start: Option<usize> = None;
    let mut captures = Vec::new();
    for (i, part) in fixed.iter().enumerate() {
        let found = if part.is_empty() {
            Some(if i + 1 == fixed.len() && gap_start.is_some() { pasted.len() } else { at })
        } else {
            pasted.get(at..).and_then(|rest| rest.windows(part.len()).position(|w| w == part.as_slice())).map(|p| at + p)
        };
        let truncated = found.is_none();
        let start = match found {
            Some(start) => start,
            None if matched >= TRUNCATED_ENOUGH => pasted.len(),
            None => return None,
        };
        if let (Some(from), Some(name)) = (gap_start, i.checked_sub(1).and_then(|n| names.get(n))) {
            captures.push((name.clone(), pasted.get(from..start)?.join(" ")));
        }
        if truncated {
            break;
        }
        matched += part.len();
        at = start + part.len();
        gap_start = Some(at);
    }
    // A message that is only variable parts matches nothing.
    (matched > 0).then_some((captures, matched))
}

/// Fixed words that make a truncated paste still an exact match.
const TRUNCATED_ENOUGH: usize = 6;

/// The length of the longest run of words the two share.
fn longest_common_run(a: &[String], b: &[String]) -> usize {
    let mut best = 0;
    for i in 0..a.len() {
        for j in 0..b.len() {
            let n = a[i..].iter().zip(&b[j..]).take_while(|(x, y)| x == y).count();
            best = best.max(n);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::studio_errors::*;

    fn ids(message: &str) -> Vec<&'static str> {
        explain(message, None).candidates.iter().map(|c| c.rule).collect()
    }

    #[test]
    fn a_full_kernel_not_found_message_matches_exactly_and_reads_the_kernel_name() {
        let found = explain(
            "Kernel with name [myenv] does not exist in image [arn:aws:sagemaker:us-east-1:123:image/conda-test-kernel] on the \
KernelGateway App [datascience-1-0-ml-t3-medium-abc]. To make the kernel available, either update your AppImageConfig to \
have same kernel name as available in the image or update your SageMaker Image.",
            None,
        );
        let first = &found.candidates[0];
        assert_eq!(first.matched.strength, Strength::Exact);
        assert_eq!(first.matched.captures[0], (String::from("kernel"), String::from("myenv")));
        assert!(first.matched.captures[1].1.starts_with("arn:aws:sagemaker"), "{:?}", first.matched.captures);
        let exact: Vec<&str> = found.candidates.iter().filter(|c| c.matched.strength == Strength::Exact).map(|c| c.rule).collect();
        assert!(exact.contains(&"KERN004") && exact.contains(&"HOME001"), "{exact:?}");
    }

    #[test]
    fn case_quotes_and_whitespace_do_not_matter() {
        let a = ids("EXEC /usr/bin/python3:   exec   format error");
        let b = ids("“exec `/opt/.sagemakerinternal/conda/kgw_variant`: exec format error.”");
        assert_eq!(a, b);
        assert_eq!(a.first(), Some(&"RUN005"));
        assert!(a.contains(&"RUN006"));
    }

    #[test]
    fn an_exact_match_ranks_above_a_phrase_and_a_phrase_above_keywords() {
        let found = explain("Failed to launch app [arn:aws:sagemaker:app/d-1/user/KernelGateway/x]. InternalFailure", None);
        let strengths: Vec<Strength> = found.candidates.iter().map(|c| c.matched.strength).collect();
        assert!(strengths.windows(2).all(|w| w[0] >= w[1]), "{strengths:?}");
        assert_eq!(found.candidates[0].matched.message, LAUNCH_FAILED.text, "the longer exact message first");

        let ranked = rank(
            "kernel with name x does not exist",
            [
                ("KEYWORDS", alloc::vec![("name of the kernel that does exist", SeenIn::Studio)]),
                ("PHRASE", alloc::vec![(KERNEL_NOT_FOUND.text, SeenIn::Studio)]),
                ("EXACT", alloc::vec![("kernel with name {k} does not exist", SeenIn::Studio)]),
            ],
        );
        let order: Vec<(&str, Strength)> = ranked.iter().map(|m| (m.rule, m.strength)).collect();
        assert_eq!(order, [("EXACT", Strength::Exact), ("PHRASE", Strength::Phrase), ("KEYWORDS", Strength::Keywords)]);
    }

    #[test]
    fn a_fragment_of_a_message_matches_by_phrase_and_a_lone_filler_word_matches_nothing() {
        let found = explain("InternalFailure", None);
        assert!(found.candidates.iter().any(|c| c.rule == "RUN009" && c.matched.strength == Strength::Phrase));
        assert!(explain("the", None).candidates.is_empty());
        assert!(explain("   ", None).candidates.is_empty());
        assert!(explain("{kernel}", None).candidates.is_empty());
    }

    #[test]
    fn keywords_find_a_described_state() {
        let found = ids("my space is stuck in pending");
        assert!(found.contains(&"RUN014") && found.contains(&"SIZE001"), "{found:?}");
    }

    #[test]
    fn account_side_errors_are_explained_by_no_image_rule() {
        assert!(ids("The ID or Name specified is already in use").is_empty());
        assert!(ids("\"ImageVersionStatus\": \"CREATED_FAILED\"").is_empty());
    }

    #[test]
    fn with_a_report_each_candidate_says_what_the_inputs_say() {
        let facts = crate::testkit::facts(Some(crate::testkit::ImageBuilder::good().architecture("arm64").build()), None, None);
        let report = crate::check(&facts, Vec::new(), &crate::Options::default());
        let found = explain("exec /bin/sh: exec format error", Some(&report));
        let run005 = found.candidates.iter().find(|c| c.rule == "RUN005").and_then(|c| c.inputs.clone());
        let run005 = run005.expect("RUN005 is a candidate with a status");
        assert_eq!(run005.status, RuleStatus::Failed);
        assert!(run005.findings[0].contains("arm64"), "{:?}", run005.findings);
        let run006 = found.candidates.iter().find(|c| c.rule == "RUN006").and_then(|c| c.inputs.clone());
        assert_eq!(run006.map(|s| s.status), Some(RuleStatus::NotChecked), "RUN006 reads the Dockerfile only");
    }

    #[test]
    fn each_quoted_account_error_is_recognised() {
        for (pasted, starts) in [
            (r#""ImageVersionStatus": "CREATED_FAILED""#, "SageMaker could not create the image version"),
            ("The Image with ImageName my-image already exists", "A SageMaker Image of that name"),
            ("Image arn:aws:sagemaker:us-east-1:1:image/x is in an invalid state", "The SageMaker Image is in a state"),
            ("ResourceInUse: The ID or Name specified is already in use", "A resource of that name"),
        ] {
            let found = account_side(pasted).map(|e| e.meaning);
            assert!(found.is_some_and(|m| m.starts_with(starts)), "{pasted}: {found:?}");
        }
    }

    #[test]
    fn an_image_error_is_not_taken_for_an_account_error() {
        assert_eq!(account_side("exec /opt/.sagemakerinternal/conda/kgw_variant: exec format error."), None);
        assert_eq!(account_side("Kernel with name [myenv] does not exist in image"), None);
        assert_eq!(account_side(""), None);
    }
}
