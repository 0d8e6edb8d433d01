//! The results table: per run, predicted and measured time for the awaiting
//! code and for everything, overhead, outcomes, the worst loop lag, and the
//! speedup over awaiting one after another.

use yew::prelude::*;

use crate::domain::run::stats::{format_ms, format_speedup, versus};
use crate::domain::run::{Run, RunStatus};
use crate::domain::scenario::RunMode;
use crate::domain::text::decimal::fixed;
use crate::ui::shared::SharedRun;

/// One run's row.
#[derive(Clone, PartialEq)]
pub struct ResultRow {
    pub run: SharedRun,
    /// The tasks were edited after this run.
    pub stale: bool,
    /// (measured, predicted) speedup over the sequential run.
    pub speedup: Option<(f64, f64)>,
}

/// What the table shows.
pub struct ResultsProps {
    pub runs: Vec<ResultRow>,
    /// (mode, measured, predicted) of the latest comparison.
    pub headline: Option<(RunMode, f64, f64)>,
    /// Three or more modes of one scenario, fastest first (mode, wall ms).
    pub ranking: Vec<(RunMode, f64)>,
    /// Scroll a new verdict into view (not inside an embed, where the
    /// page around it is the author's).
    pub reveal: bool,
    /// While a run is going on, its status ("Running Gathered…"): the one
    /// live region says it instead of the verdict, which comes once the
    /// last run of the request ends.
    pub status: AttrValue,
}

/// "3 ok, 1 failed, 1 cancelled" (shared with the comparison table).
fn outcome_summary(run: &Run) -> String {
    crate::domain::analysis::compare::outcome_summary(run)
}

/// The table, drawn: a hook, not a component (a component is several KB
/// of wasm).
#[hook]
pub fn use_results(props: &ResultsProps) -> Html {
    let verdict_ref = use_node_ref();
    {
        // A new verdict (a run just ended) is brought into view if it is
        // off-screen; one already visible stays where it is.
        let verdict_ref = verdict_ref.clone();
        // Not while a run is going on: the region holds its status then.
        let reveal = props.reveal && props.status.is_empty();
        let key = props
            .headline
            .filter(|_| reveal)
            .map(|(mode, measured, _)| (mode, measured.to_bits()));
        use_effect_with(key, move |key| {
            let element = verdict_ref.cast::<web_sys::Element>();
            if let (true, Some(_), Some(element)) = (reveal, key, element) {
                let rect = element.get_bounding_client_rect();
                let height = web_sys::window()
                    .and_then(|w| w.inner_height().ok())
                    .and_then(|h| h.as_f64())
                    .unwrap_or(f64::INFINITY);
                if rect.top() < 0.0 || rect.bottom() > height {
                    element.scroll_into_view_with_bool(rect.top() < 0.0);
                }
            }
        });
    }
    // The live region is there before anything is put in it (a region
    // that appears with its text is not read out by every screen reader).
    let live = |content: Html| {
        html! {
            <div class="verdict" role="status" aria-live="polite" ref={verdict_ref.clone()}>{ content }</div>
        }
    };
    let shown = !props.runs.is_empty();
    let rows: Html = props
        .runs
        .iter()
        .map(|row| {
            let run = &row.run;
            let stats = run.stats();
            let measured = match (run.status, stats) {
                (_, Some(s)) => format_ms(s.wall_ms),
                (RunStatus::Running, None) => "running…".to_string(),
                _ => "stopped".to_string(),
            };
            let overhead = stats
                .map(|s| format!("+{}", format_ms(s.overhead_ms.max(0.0))))
                .unwrap_or_default();
            let caller = match run.measurement.caller {
                Some((at, raised)) => format!(
                    "{}{}",
                    format_ms(at),
                    if raised { " (raised)" } else { "" }
                ),
                None => "—".to_string(),
            };
            let predicted_caller = format!(
                "{}{}",
                format_ms(run.prediction.caller_ms),
                if run.prediction.caller_raised { " (raised)" } else { "" }
            );
            let speedup = row
                .speedup
                .map(|(m, _)| format_speedup(m))
                .unwrap_or_default();
            html! {
                <tr class={classes!("result-row", format!("mode-{}", run.mode.slug()))}
                    data-run-id={run.id.0.to_string()}
                    data-wall-ms={stats.map(|s| fixed(s.wall_ms, 3))}
                    data-predicted-ms={fixed(run.prediction.total_ms, 3)}
                    data-max-lag-ms={fixed(run.measurement.max_lag_ms(), 3)}>
                    <th scope="row">
                        { run.mode.label() }
                        <span class="outcomes">{ outcome_summary(run) }</span>
                        if row.stale { <span class="stale" title="The tasks were edited after this run">{ "edited since" }</span> }
                    </th>
                    <td class="caller">{ caller }<span class="sub">{ predicted_caller }</span></td>
                    <td class="measured">{ measured }<span class="sub">{ format_ms(run.prediction.total_ms) }</span></td>
                    <td class="overhead">{ overhead }</td>
                    <td class="lag">{ format_ms(run.measurement.max_lag_ms()) }</td>
                    <td class="speedup-cell">{ speedup }</td>
                </tr>
            }
        })
        .collect();
    let busy = !props.status.is_empty();
    let verdict = props.headline.filter(|_| !busy).map(|(mode, speedup, predicted)| {
        let (factor, then) = versus(speedup);
        let model = match versus(predicted) {
            (_, "") => "the same".to_string(),
            (factor, "slower than") => format!("{factor} slower"),
            (factor, _) => factor,
        };
        let ranking = (!props.ranking.is_empty()).then(|| {
            props
                .ranking
                .iter()
                .map(|(mode, ms)| format!("{} {}", mode.label(), format_ms(*ms)))
                .collect::<Vec<_>>()
                .join(" · ")
        });
        html! {
            <>
                <p class="speedup" id="speedup">
                    { format!("{} was ", mode.label()) }
                    <strong class="speedup-value" data-speedup={fixed(speedup, 4)}>{ factor }</strong>
                    { format!(" {then}{}sequential", if then.is_empty() { "" } else { " " }) }
                    { format!(" (the model predicts {model}).") }
                </p>
                if let Some(ranking) = ranking {
                    <p class="ranking">{ format!("Fastest first: {ranking}.") }</p>
                }
                <p class="explain">
                    { "While one task waits for I/O, the event loop runs the others: awaited together, the waits overlap; awaited one after another, they add up. A call that blocks the loop overlaps with nothing." }
                </p>
            </>
        }
    });
    html! {
        // One tree with or without runs: the live region stays the same node.
        <div class="results">
            if shown { <h2>{ "Results" }</h2> }
            // The verdict first, and the only part read out when it changes
            // (the table changes on every frame of a run): the run's status
            // while it runs, then the verdict.
            { live(if busy {
                html! { <p class="run-status visually-hidden">{ props.status.clone() }</p> }
            } else {
                verdict.unwrap_or_default()
            }) }
            if shown {
            <div class="table-scroll-x" tabindex="0" role="region" aria-label="Results table">
            <table class="results-table">
                <thead>
                    <tr>
                        <th scope="col">{ "Mode" }</th>
                        <th scope="col" title="When the awaiting code resumed; predicted below">{ "await returned" }</th>
                        <th scope="col" title="Until every task was done; predicted below">{ "All done" }</th>
                        <th scope="col" title="Measured minus predicted: timer and scheduling delay">{ "Overhead" }</th>
                        <th scope="col" title="The latest the event loop answered a 10 ms heartbeat">{ "Max loop lag" }</th>
                        <th scope="col" title="Sequential time divided by this run's time">{ "vs sequential" }</th>
                    </tr>
                </thead>
                <tbody>{ rows }</tbody>
            </table>
            </div>
            <p class="explain columns">
                { "await returned: when the awaiting code (gather, the for loop, the TaskGroup…) got its results and went on; All done: when the last task ended, which can be later (tasks left running after a failure, or after wait FIRST_COMPLETED). " }
                { "Overhead: how much later than the model the run ended (browser timers fire a little late, never early). Max loop lag: the latest the event loop answered a 10 ms heartbeat; drawing this page shows up there too, not only tasks that block." }
            </p>
            }
        </div>
    }
}
