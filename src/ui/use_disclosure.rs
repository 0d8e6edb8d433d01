//! `use_disclosure`: whether a `<details>` is open, for panels that build
//! their content only while open (big tables, code, extra timelines).

use yew::prelude::*;

/// The open state and the `ontoggle` handler to put on the `<details>`.
#[hook]
pub fn use_disclosure(initially_open: bool) -> (bool, Callback<Event>) {
    let open = use_state(|| initially_open);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let details: web_sys::HtmlDetailsElement = e.target_unchecked_into();
            open.set(details.open());
        })
    };
    (*open, ontoggle)
}
