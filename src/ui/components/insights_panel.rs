//! "What happened": the insights computed from the latest finished run, as
//! short sentences (warnings first), listed as the tools worker marked them
//! up (`domain::analysis::insights::insights_html`).

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct InsightsPanelProps {
    /// Which run they are about ("gather #4").
    pub about: AttrValue,
    /// The list items; empty when there is nothing to say.
    pub items: AttrValue,
}

#[component(InsightsPanel)]
pub fn insights_panel(props: &InsightsPanelProps) -> Html {
    if props.items.is_empty() {
        return html! {};
    }
    html! {
        <section class="insights" aria-labelledby="insights-heading">
            <h2 id="insights-heading">{ "What happened" }
                <span class="insights-about">{ format!(" — {}", props.about) }</span></h2>
            <ul>{ Html::from_html_unchecked(props.items.clone()) }</ul>
        </section>
    }
}
