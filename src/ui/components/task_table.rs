//! "Task timings": the exact numbers behind a timeline, as a table. It is
//! the accessible alternative to the canvas and is only built while open,
//! so a 10,000-task run costs nothing until asked for.

use yew::prelude::*;

use crate::ui::use_disclosure::use_disclosure;

use crate::domain::run::stats::format_ms;
use crate::domain::text::decimal::{fixed, Fixed};
use crate::ui::shared::SharedRun;

/// Rows shown at most; the rest are counted.
const MAX_ROWS: usize = 1_000;

#[derive(Properties, PartialEq)]
pub struct TaskTableProps {
    pub run: SharedRun,
}

#[component(TaskTable)]
pub fn task_table(props: &TaskTableProps) -> Html {
    let (open, ontoggle) = use_disclosure(false);
    let run = &props.run;
    let cell = |ms: Option<f64>| ms.map(format_ms).unwrap_or_else(|| "—".to_string());
    let rows = || -> Html {
        run.prediction
            .tasks
            .iter()
            .zip(&run.measurement.tasks)
            .zip(&run.scenario.tasks)
            .take(MAX_ROWS)
            .enumerate()
            .map(|(i, ((p, m), task))| {
                let late = m.end_ms.zip(p.end_ms).map(|(m, p)| m - p);
                let measured_outcome = m.outcome.map(|o| o.label()).unwrap_or("—");
                html! {
                    <tr data-predicted-end-ms={p.end_ms.map(|v| fixed(v, 3))}
                        data-measured-end-ms={m.end_ms.map(|v| fixed(v, 3))}
                        data-predicted-outcome={p.outcome.label()}
                        data-measured-outcome={m.outcome.map(|o| o.label())}>
                        <td>{ i + 1 }</td>
                        <th scope="row">{ &task.label }</th>
                        <td>{ cell(p.start_ms) }</td>
                        <td>{ cell(p.end_ms) }</td>
                        <td>{ p.outcome.label() }</td>
                        <td>{ cell(m.start_ms) }</td>
                        <td>{ cell(m.end_ms) }</td>
                        <td>{ measured_outcome }</td>
                        <td>{ late.map(|l| format!("{}{} ms", if l >= 0.0 { "+" } else { "" }, Fixed(l, 1))).unwrap_or_default() }</td>
                    </tr>
                }
            })
            .collect()
    };
    let count = run.prediction.tasks.len();
    html! {
        <details class="task-table" {ontoggle}>
            <summary>{ "Task timings" }</summary>
            if open {
                // Focusable and named: a keyboard can scroll it.
                <div class="table-scroll" tabindex="0" role="region"
                    aria-label={format!("Task timings, {}", run.mode.label())}>
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">{ "#" }</th>
                                <th scope="col">{ "Task" }</th>
                                <th scope="col">{ "Predicted start" }</th>
                                <th scope="col">{ "Predicted end" }</th>
                                <th scope="col">{ "Predicted outcome" }</th>
                                <th scope="col">{ "Measured start" }</th>
                                <th scope="col">{ "Measured end" }</th>
                                <th scope="col">{ "Outcome" }</th>
                                <th scope="col" title="Measured end minus predicted end">{ "Late by" }</th>
                            </tr>
                        </thead>
                        <tbody>{ rows() }</tbody>
                    </table>
                </div>
                if count > MAX_ROWS {
                    <p class="hint">{ format!("First {MAX_ROWS} of {count} tasks.") }</p>
                }
            }
        </details>
    }
}
