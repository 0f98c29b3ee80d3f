//! The page's title and one-paragraph introduction (left out in embed mode).

use yew::prelude::*;

#[function_component(Header)]
pub fn header() -> Html {
    html! {
        <header class="header">
            <h1>{ "Will SageMaker Studio run this image?" }</h1>
            <p class="intro">
                { "Checks a custom image for Amazon SageMaker Studio Classic (KernelGateway apps) against AWS's custom image specifications: drop the image's " }
                <code>{ "docker save" }</code>
                { " archive, its Dockerfile and its AppImageConfig — any of them, in any combination. " }
                <strong>{ "Nothing is uploaded" }</strong>
                { ": your browser reads the files on this machine." }
            </p>
        </header>
    }
}
