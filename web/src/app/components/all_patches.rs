//! Every finding's patch in one diff of the Dockerfile: what `check --format patch` prints.

use std::rc::Rc;

use yew::prelude::*;

use super::patch_diff::PatchDiff;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: Rc<smic_rules::Report>,
}

#[function_component(AllPatches)]
pub fn all_patches(props: &Props) -> Html {
    let Some(patch) = &props.report.patch else { return html! {} };
    html! {
        <section id="all-patches" class="all-patches" aria-labelledby="all-patches-heading">
            <h3 id="all-patches-heading">{ "Patch the Dockerfile" }</h3>
            <p class="hint">
                { "Apply with " }<code>{ "patch -p0" }</code>{ " or " }<code>{ "git apply -p0" }</code>
                { " next to the Dockerfile; " }<code>{ "sm-image-check check --format patch" }</code>{ " prints the same diff." }
            </p>
            <PatchDiff patch={patch.clone()} title="All patches in one" />
        </section>
    }
}
