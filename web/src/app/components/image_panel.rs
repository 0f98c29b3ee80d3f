//! The image at a glance: who it runs as, for which platform, how big against Studio's limit,
//! which kernels Studio will find, and the layers that make it.

use std::rc::Rc;

use yew::prelude::*;

use crate::display::{bytes, percent};
use smic_rules::Report;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The panel renders nothing for a report without an image.
    pub report: Rc<Report>,
}

#[function_component(ImagePanel)]
pub fn image_panel(props: &Props) -> Html {
    let Some(image) = &props.report.image else {
        return html! {};
    };
    let user = match (&image.user_name, image.uid, image.gid) {
        (name, Some(uid), Some(gid)) => format!("{} (uid {uid}, gid {gid})", name.clone().unwrap_or_else(|| image.user.clone())),
        (name, uid, _) => format!(
            "{}{}",
            name.clone().unwrap_or_else(|| if image.user.is_empty() { "root (no User set)".into() } else { image.user.clone() }),
            uid.map(|u| format!(" (uid {u}, gid unknown)")).unwrap_or_default()
        ),
    };
    let share = percent(image.size_bytes, image.size_limit_bytes);
    html! {
        <section class="image-panel" aria-labelledby="image-heading">
            <h3 id="image-heading">{ "The image" }</h3>
            <dl class="facts-list">
                if let Some(input) = &props.report.inputs.image {
                    <dt>{ "Archive" }</dt>
                    <dd><span class="file-name">{ input.file_name.clone() }</span>{ format!(" — {}, {}", input.layout, bytes(input.archive_bytes)) }</dd>
                    if let Some(reference) = &input.reference {
                        <dt>{ "Image" }</dt><dd><code>{ reference.clone() }</code></dd>
                    }
                }
                <dt>{ "Runs as" }</dt><dd id="image-user">{ user }</dd>
                <dt>{ "Platform" }</dt><dd id="image-platform">{ format!("{}/{}", image.os, image.architecture) }</dd>
                <dt>{ "Files" }</dt><dd>{ image.file_count.to_string() }</dd>
                <dt><label for="image-size">{ "Size" }</label></dt>
                <dd>
                    <meter id="image-size" min="0" max={image.size_limit_bytes.to_string()} low={(image.size_limit_bytes / 10 * 8).to_string()}
                        high={(image.size_limit_bytes / 10 * 8).to_string()} value={image.size_bytes.to_string()}>{ format!("{share:.1} %") }</meter>
                    <span class="meter-text">{ format!("{} of Studio's {} limit ({share:.1} %)", bytes(image.size_bytes), bytes(image.size_limit_bytes)) }</span>
                </dd>
            </dl>
            <h4>{ "Kernels Studio will find" }</h4>
            if image.kernels.is_empty() {
                <p class="empty">{ "None." }</p>
            } else {
                <div class="table-scroll">
                    <table class="kernels">
                        <thead><tr><th scope="col">{ "Name (for KernelSpecs)" }</th><th scope="col">{ "Display name" }</th><th scope="col">{ "Language" }</th><th scope="col">{ "Spec directory" }</th><th scope="col">{ "Layer" }</th><th scope="col">{ "Found via" }</th></tr></thead>
                        <tbody>
                            { for image.kernels.iter().map(|k| html! {
                                <tr>
                                    <td><code>{ k.name.clone() }</code>{ if k.aliases.is_empty() { String::new() } else { format!(" (also {})", k.aliases.join(", ")) } }</td>
                                    <td>{ k.display_name.clone().unwrap_or_default() }</td>
                                    <td>{ k.language.clone().unwrap_or_default() }</td>
                                    <td><code class="path">{ k.path.clone() }</code>{ if k.hidden_by_mount { " — hidden by the home mount" } else { "" } }</td>
                                    <td>{ k.layer.to_string() }</td>
                                    <td>{ k.found_via.clone() }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
            <h4>{ format!("Layers ({})", image.layers.len()) }</h4>
            <div class="table-scroll">
                <table class="layers">
                    <thead><tr><th scope="col">{ "#" }</th><th scope="col">{ "Size" }</th><th scope="col">{ "In archive" }</th><th scope="col">{ "Entries" }</th><th scope="col">{ "Created by" }</th></tr></thead>
                    <tbody>
                        { for image.layers.iter().map(|l| html! {
                            <tr>
                                <td>{ l.index.to_string() }</td>
                                <td class="num">{ bytes(l.size_bytes) }</td>
                                <td class="num">{ format!("{} ({})", bytes(l.blob_bytes), l.compression) }</td>
                                <td class="num">{ l.entry_count.to_string() }</td>
                                <td><code class="created-by">{ l.created_by.clone().unwrap_or_else(|| "—".into()) }</code></td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
