//! "What happened": the insights computed from the latest finished run, as
//! short sentences (warnings first), listed as the tools worker marked them
//! up (`domain::analysis::insights::insights_html`).

use yew::prelude::*;

/// The panel about the run `about` names ("gather #4"), listing `items`
/// (nothing when they are empty). A view function, not a component: it
/// keeps no state.
pub fn insights_panel(about: &str, items: &AttrValue) -> Html {
    if items.is_empty() {
        return html! {};
    }
    html! {
        <section class="insights" aria-labelledby="insights-heading">
            <h2 id="insights-heading">{ "What happened" }
                <span class="insights-about">{ format!(" — {about}") }</span></h2>
            <ul>{ Html::from_html_unchecked(items.clone()) }</ul>
        </section>
    }
}
