//! "Run history": every finished or stopped run of this session (and, with
//! autosave, of earlier ones), newest first. Ticking runs puts them side by
//! side in the comparison below.

use yew::prelude::*;

use crate::ui::focus::focus_first;
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
    // After Forget or Clear, once the list has changed: the row's position
    // (None for Clear), so focus goes to a neighbour's Forget or to Run,
    // never to the page.
    let refocus = use_mut_ref(|| None::<(usize, Option<usize>)>);
    {
        let (refocus, count) = (refocus.clone(), props.runs.0.len());
        use_effect(move || {
            let due = matches!(*refocus.borrow(), Some((before, _)) if before != count);
            if let Some((_, row)) = due.then(|| refocus.take()).flatten() {
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
            }
        });
    }
    if props.runs.0.is_empty() {
        return html! {};
    }
    let count = props.runs.0.len();
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
                let (on_forget, refocus) = (props.on_forget.clone(), refocus.clone());
                Callback::from(move |_: MouseEvent| {
                    *refocus.borrow_mut() = Some((count, Some(row)));
                    on_forget.emit(id);
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
        let (on_clear, refocus) = (props.on_clear.clone(), refocus.clone());
        Callback::from(move |_: MouseEvent| {
            *refocus.borrow_mut() = Some((count, None));
            on_clear.emit(());
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
