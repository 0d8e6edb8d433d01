//! "Run history": every finished or stopped run of this session (and, with
//! autosave, of earlier ones), newest first. Ticking runs puts them side by
//! side in the comparison below.

use yew::prelude::*;

use crate::ui::shared::RunList;

use crate::domain::run::events::RunId;
use crate::domain::run::stats::format_ms;
use crate::domain::run::{Run, RunStatus};

#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    pub runs: RunList,
    pub compared: Vec<RunId>,
    /// Adds the run to the comparison, or takes it out.
    pub on_toggle: Callback<RunId>,
    pub on_forget: Callback<RunId>,
    pub on_clear: Callback<()>,
}

/// "gather #12": how a history run is named everywhere.
pub fn run_name(run: &Run) -> String {
    run.label()
}

#[component(History)]
pub fn history(props: &HistoryProps) -> Html {
    if props.runs.0.is_empty() {
        return html! {};
    }
    let rows: Html = props
        .runs
        .0
        .iter()
        .rev()
        .map(|run| {
            let id = run.id;
            let name = run_name(run);
            let picked = props.compared.contains(&id);
            let toggle = props.on_toggle.reform(move |_: Event| id);
            let forget = props.on_forget.reform(move |_: MouseEvent| id);
            let wall = match (run.status, run.measurement.total_ms) {
                (RunStatus::Finished, Some(ms)) => format_ms(ms),
                _ => "stopped".to_string(),
            };
            let check_id = format!("compare-run-{}", id.0);
            html! {
                <li key={id.0} class={classes!("history-run", picked.then_some("picked"))}
                    data-run-id={id.0.to_string()} data-mode={run.mode.slug()}>
                    <input type="checkbox" id={check_id.clone()} checked={picked} onchange={toggle} />
                    <label for={check_id}>
                        <span class="history-name">{ &name }</span>
                        <span class="history-facts">
                            { format!("{} tasks · {wall} measured · {} predicted",
                                run.measurement.tasks.len(), format_ms(run.prediction.total_ms)) }
                        </span>
                    </label>
                    <button type="button" class="icon-btn remove" onclick={forget}
                        aria-label={format!("Forget {name}")} title="Forget this run">{ "×" }</button>
                </li>
            }
        })
        .collect();
    let clear = props.on_clear.reform(|_: MouseEvent| ());
    let hint = match props.compared.len() {
        0 => "Tick a run to see it below, or two or more to compare them side by side.",
        1 => "Shown below; tick another to compare.",
        _ => "Compared below.",
    };
    html! {
        <details class="history" open=true>
            <summary>{ format!("Run history ({})", props.runs.0.len()) }</summary>
            <p class="hint">{ hint }</p>
            <ul class="history-list">{ rows }</ul>
            <button type="button" class="btn link" onclick={clear}>{ "Clear history" }</button>
        </details>
    }
}
