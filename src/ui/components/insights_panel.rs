//! "What happened": the insights computed from the latest finished run, as
//! short sentences (warnings first).

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::analysis::insights::{Insight, Severity};

#[derive(Properties, PartialEq)]
pub struct InsightsPanelProps {
    /// Which run they are about ("gather #4").
    pub about: AttrValue,
    pub items: Rc<Vec<Insight>>,
}

#[component(InsightsPanel)]
pub fn insights_panel(props: &InsightsPanelProps) -> Html {
    if props.items.is_empty() {
        return html! {};
    }
    let items: Html = props
        .items
        .iter()
        .map(|i| {
            let warn = i.severity == Severity::Warn;
            html! {
                <li class={classes!("insight", warn.then_some("warn"))} data-kind={i.kind.clone()}>
                    <span class="insight-mark" aria-hidden="true">{ if warn { "!" } else { "i" } }</span>
                    if warn { <span class="visually-hidden">{ "Warning: " }</span> }
                    { &i.text }
                </li>
            }
        })
        .collect();
    html! {
        <section class="insights" aria-labelledby="insights-heading">
            <h2 id="insights-heading">{ "What happened" }
                <span class="insights-about">{ format!(" — {}", props.about) }</span></h2>
            <ul>{ items }</ul>
        </section>
    }
}
