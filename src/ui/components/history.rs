//! "Run history": every finished or stopped run of this session (and, with
//! autosave, of earlier ones), newest first. Ticking runs puts them side by
//! side in the comparison below.

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::ui::focus::focus_first;
use crate::ui::shared::RunList;

use crate::domain::run::events::RunId;
use crate::domain::run::stats::format_ms;
use crate::domain::run::{Run, RunStatus};

/// What the history shows and whom it tells.
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

/// After Forget (`row`, counted from the top) or Clear (`None`), once the
/// list has been drawn again: focus goes to a neighbour's Forget or to
/// Run, never to the page. A task later, the list is drawn.
fn refocus(row: Option<usize>) {
    Timeout::new(0, move || {
        let mut targets: Vec<String> = row
            .map(|row| {
                vec![
                    format!(".history-run:nth-child({}) .remove", row + 1),
                    ".history-run:last-child .remove".to_string(),
                ]
            })
            .unwrap_or_default();
        targets.push("#run".to_string());
        focus_first(None, &targets);
    })
    .forget();
}

/// The history. A view function, not a component: it keeps no state.
pub fn history(props: &HistoryProps) -> Html {
    if props.runs.0.is_empty() {
        return html! {};
    }
    let rows: Html = props
        .runs
        .0
        .iter()
        .rev()
        .enumerate()
        .map(|(row, run)| {
            let id = run.id;
            let name = run_name(run);
            let picked = props.compared.contains(&id);
            let toggle = props.on_toggle.reform(move |_: Event| id);
            let forget = {
                let on_forget = props.on_forget.clone();
                Callback::from(move |_: MouseEvent| {
                    on_forget.emit(id);
                    refocus(Some(row));
                })
            };
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
    let clear = {
        let on_clear = props.on_clear.clone();
        Callback::from(move |_: MouseEvent| {
            on_clear.emit(());
            refocus(None);
        })
    };
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
