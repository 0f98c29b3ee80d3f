//! Messages about the inputs themselves (a file that is none of the three, an archive replaced).

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub notices: Vec<String>,
    pub on_dismiss: Callback<()>,
}

#[function_component(Notices)]
pub fn notices(props: &Props) -> Html {
    if props.notices.is_empty() {
        return html! {};
    }
    let on_dismiss = props.on_dismiss.clone();
    html! {
        <div class="banner banner-notice" role="status">
            <ul>{ for props.notices.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul>
            <button type="button" class="link-button" onclick={Callback::from(move |_: MouseEvent| on_dismiss.emit(()))}>{ "Dismiss" }</button>
        </div>
    }
}
