//! Which image of a multi-image archive to check.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub images: Vec<String>,
    pub current: Option<String>,
    pub on_choose: Callback<String>,
}

#[function_component(ImageChoice)]
pub fn image_choice(props: &Props) -> Html {
    let on_change = {
        let on_choose = props.on_choose.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            on_choose.emit(select.value());
        })
    };
    html! {
        <div class="image-choice">
            <label for="image-ref">{ format!("This archive holds {} images. Check:", props.images.len()) }</label>
            <select id="image-ref" onchange={on_change}>
                { for props.images.iter().map(|image| html! {
                    <option value={image.clone()} selected={props.current.as_deref() == Some(image.as_str())}>{ image.clone() }</option>
                }) }
            </select>
        </div>
    }
}
