//! One piece of evidence: the Dockerfile line with its text, the file in the image with its
//! layer, owner and mode, the config field, the AppImageConfig field by JSON pointer. Everything
//! from the user's files is shown as text, never as markup.

use yew::prelude::*;

use crate::display::bytes;
use smic_rules::facts::FileKind;
use smic_rules::Location;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub location: Location,
}

fn kind(label: &'static str) -> Html {
    html! { <span class="evidence-kind">{ label }</span> }
}

#[function_component(Evidence)]
pub fn evidence(props: &Props) -> Html {
    match &props.location {
        Location::Dockerfile { file, line, end_line, text } => {
            let lines = if end_line > line { format!("lines {line}–{end_line}") } else { format!("line {line}") };
            html! {
                <li class="evidence-dockerfile">
                    { kind("Dockerfile") }
                    <span class="file-name">{ file.clone() }</span>{ format!(", {lines}: ") }
                    <code class="source-line">{ text.clone() }</code>
                </li>
            }
        }
        Location::ImageFile { path, layer, file_type, size, mode, uid, gid, link_target } => html! {
            <li class="evidence-image-file">
                { kind("Image file") }
                <code class="path">{ path.clone() }</code>
                { link_target.as_ref().map(|t| html! { <>{ " → " }<code class="path">{ t.clone() }</code></> }).unwrap_or_default() }
                <span class="facts">
                    { format!("{}, layer {layer}, owner {uid}:{gid}, mode {mode}", file_type.id()) }
                    { if *file_type == FileKind::Regular { format!(", {}", bytes(*size)) } else { String::new() } }
                </span>
            </li>
        },
        Location::ImageTree { path, bytes: total, files } => html! {
            <li class="evidence-image-tree">
                { kind("Image directory") }
                <code class="path">{ format!("{path}/") }</code>
                <span class="facts">{ format!("{} in {files} files", bytes(*total)) }</span>
            </li>
        },
        Location::ImageConfig { field, value } => html! {
            <li class="evidence-image-config">
                { kind("Image config") }
                <code>{ field.clone() }</code>{ " = " }<code>{ format!("{value:?}") }</code>
            </li>
        },
        Location::ImageLayer { layer, digest, size_bytes, created_by } => html! {
            <li class="evidence-image-layer">
                { kind("Layer") }
                { format!("{layer} ({})", bytes(*size_bytes)) }
                { created_by.as_ref().map(|c| html! { <>{ ", created by " }<code class="created-by">{ c.clone() }</code></> }).unwrap_or_default() }
                { digest.as_ref().map(|d| html! { <span class="digest">{ format!(" {d}") }</span> }).unwrap_or_default() }
            </li>
        },
        Location::AppImageConfig { file, pointer, value } => html! {
            <li class="evidence-config">
                { kind("AppImageConfig") }
                <span class="file-name">{ file.clone() }</span>{ " " }
                <code class="pointer">{ if pointer.is_empty() { String::from("(whole document)") } else { pointer.clone() } }</code>
                { value.as_ref().map(|v| html! { <>{ " = " }<code>{ v.clone() }</code></> }).unwrap_or_default() }
            </li>
        },
    }
}
