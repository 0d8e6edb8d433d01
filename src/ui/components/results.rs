//! The results table: predicted and measured totals per mode, overhead, and
//! the speedup of gathering over awaiting one after another.

use yew::prelude::*;

use crate::domain::state::{RunStatus, RunView};
use crate::domain::stats::{format_ms, format_speedup};

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    /// Each run with whether the scenario was edited since.
    pub runs: Vec<(RunView, bool)>,
    pub measured_speedup: Option<f64>,
    pub predicted_speedup: Option<f64>,
}

#[component(Results)]
pub fn results(props: &ResultsProps) -> Html {
    if props.runs.is_empty() {
        return html! {};
    }
    let rows: Html = props
        .runs
        .iter()
        .map(|(run, stale)| {
            let stats = run.stats();
            let measured = match (run.status, stats) {
                (_, Some(s)) => format_ms(s.wall_ms),
                (RunStatus::Running, None) => "running…".to_string(),
                _ => "stopped".to_string(),
            };
            let overhead = stats
                .map(|s| format!("+{}", format_ms(s.overhead_ms.max(0.0))))
                .unwrap_or_default();
            html! {
                <tr class={classes!("result-row", format!("mode-{}", run.mode.label().to_lowercase()))}
                    data-wall-ms={stats.map(|s| s.wall_ms.to_string())}
                    data-predicted-ms={run.prediction.total_ms.to_string()}>
                    <th scope="row">
                        { run.mode.label() }
                        <code class="python">{ run.mode.python() }</code>
                        if *stale { <span class="stale" title="The tasks were edited after this run">{ "edited since" }</span> }
                    </th>
                    <td class="predicted">{ format_ms(run.prediction.total_ms) }</td>
                    <td class="measured">{ measured }</td>
                    <td class="overhead">{ overhead }</td>
                </tr>
            }
        })
        .collect();
    html! {
        <div class="results" aria-live="polite">
            <h2>{ "Results" }</h2>
            <table class="results-table">
                <thead>
                    <tr>
                        <th scope="col">{ "Mode" }</th>
                        <th scope="col">{ "Predicted" }</th>
                        <th scope="col">{ "Measured" }</th>
                        <th scope="col" title="Measured minus predicted: timer and scheduling delay">{ "Overhead" }</th>
                    </tr>
                </thead>
                <tbody>{ rows }</tbody>
            </table>
            if let Some(speedup) = props.measured_speedup {
                <p class="speedup" id="speedup">
                    { "Gathered was " }
                    <strong class="speedup-value" data-speedup={format!("{speedup:.4}")}>{ format_speedup(speedup) }</strong>
                    { " faster than sequential" }
                    if let Some(p) = props.predicted_speedup {
                        { format!(" (the model predicts {}).", format_speedup(p)) }
                    }
                </p>
                <p class="explain">
                    { "While one task waits for I/O, the event loop runs the others: gathered, the waits overlap and the total is the longest task; awaited one after another, it is the sum." }
                </p>
            }
        </div>
    }
}
