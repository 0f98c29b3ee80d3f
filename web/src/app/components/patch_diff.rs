//! A Dockerfile patch: what it changes, its unified diff (added and removed lines marked by
//! their sign, and coloured), and a button that copies the diff.

use smic_rules::patch::Patch;
use yew::prelude::*;

use super::copy_button::CopyButton;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub patch: Patch,
    /// The heading before the description ("Patch", "All patches in one").
    pub title: AttrValue,
}

/// The class of a diff line, by its first character.
fn line_class(line: &str) -> &'static str {
    if line.starts_with("+++") || line.starts_with("---") {
        "diff-file"
    } else if line.starts_with("@@") {
        "diff-hunk"
    } else if line.starts_with('+') {
        "diff-added"
    } else if line.starts_with('-') {
        "diff-removed"
    } else {
        "diff-context"
    }
}

#[function_component(PatchDiff)]
pub fn patch_diff(props: &Props) -> Html {
    let patch = &props.patch;
    html! {
        <div class="patch">
            <div class="patch-header">
                <p class="patch-description"><strong>{ format!("{}: ", props.title) }</strong>{ patch.description.clone() }</p>
                <CopyButton text={patch.diff.clone()} label="Copy the diff" />
            </div>
            <pre class="diff" aria-label={format!("Unified diff of {}", patch.file)}><code>
                { for patch.diff.lines().map(|line| html! { <span class={line_class(line)}>{ format!("{line}\n") }</span> }) }
            </code></pre>
        </div>
    }
}
