//! Side-by-side comparison of the runs ticked in the history: their
//! timelines on one time axis, a table (wall time, prediction, overhead,
//! speedup, lateness p50/p95, outcomes) and a bar chart of wall times.

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::shared::{RunList, SharedRun};

use crate::ui::use_disclosure::use_disclosure;

use crate::domain::analysis::compare::{bar_chart, common_axis_ms, compare_rows};
use crate::domain::layout::timeline::ZoomWindow;
use crate::domain::run::events::RunId;
use crate::domain::run::stats::{format_ms, format_speedup};
use crate::domain::run::Run;
use crate::domain::text::decimal::fixed;
use crate::ui::components::history::run_name;
use crate::ui::components::timeline::Timeline;

/// The whole history and the picked ids: both compare cheaply (pointer,
/// short list), so the every-frame render of a live run skips this view.
#[derive(Properties, PartialEq)]
pub struct CompareViewProps {
    pub history: RunList,
    pub compared: Vec<RunId>,
}

/// A bar's width as a whole percentage class (`w-0`…`w-100`): the CSP
/// forbids style attributes, and a hundred classes are cheap.
fn width_class(fraction: f64) -> String {
    format!("w-{}", (fraction.clamp(0.0, 1.0) * 100.0).round() as u32)
}

#[component(CompareView)]
pub fn compare_view(props: &CompareViewProps) -> Html {
    // Closed at first: the live timelines above usually show the same runs,
    // and painting them twice is wasted work.
    let (open, ontoggle) = use_disclosure(false);
    // Its own zoom: the comparison has its own time axis.
    let zoom = use_state(|| None::<ZoomWindow>);
    // One callback for the component's life: a new one every render would
    // make every timeline re-render (and re-lay out its bars) every frame.
    let on_zoom = {
        let setter = zoom.setter();
        use_callback((), move |z: Option<ZoomWindow>, _| setter.set(z))
    };
    let runs: Vec<&Rc<Run>> = props
        .compared
        .iter()
        .filter_map(|id| props.history.0.iter().find(|r| r.id == *id))
        .collect();
    if runs.is_empty() {
        return html! {};
    }
    // One run picked (an imported trace, say): show it, timeline open.
    let single = runs.len() == 1;
    let refs: Vec<&Run> = runs.iter().map(|r| &***r).collect();
    let rows = compare_rows(&refs);
    let bars = bar_chart(&rows);
    let span_ms = common_axis_ms(refs.iter().copied());
    let ms = |v: Option<f64>| v.map(format_ms).unwrap_or_else(|| "—".to_string());
    let signed = |v: Option<f64>| {
        v.map(|v| format!("{}{}", if v >= 0.0 { "+" } else { "−" }, format_ms(v.abs())))
            .unwrap_or_else(|| "—".to_string())
    };
    let table_rows: Html = rows
        .iter()
        .map(|r| {
            html! {
                <tr data-mode={r.mode.slug()} data-wall-ms={r.wall_ms.map(|v| fixed(v, 2))}>
                    <th scope="row">{ &r.label }</th>
                    <td>{ ms(r.wall_ms) }</td>
                    <td>{ format_ms(r.predicted_ms) }</td>
                    <td>{ signed(r.overhead_ms) }</td>
                    <td>{ r.speedup_vs_sequential.map(format_speedup).unwrap_or_else(|| "—".into()) }</td>
                    <td>{ signed(r.lateness_p50_ms) }</td>
                    <td>{ signed(r.lateness_p95_ms) }</td>
                    <td>{ &r.outcome_summary }</td>
                </tr>
            }
        })
        .collect();
    let chart: Html = bars
        .iter()
        .zip(&rows)
        .map(|(bar, row)| {
            html! {
                <div class="chart-row">
                    <span class="chart-label">{ &bar.label }</span>
                    <span class="chart-bars">
                        <span class={classes!("chart-bar", "measured", width_class(bar.measured.unwrap_or(0.0)))}></span>
                        <span class={classes!("chart-bar", "predicted", width_class(bar.predicted))}></span>
                    </span>
                    <span class="chart-value">{ format!("{} / {}", ms(row.wall_ms), format_ms(row.predicted_ms)) }</span>
                </div>
            }
        })
        .collect();
    let span_zoom = zoom.map(|z| ZoomWindow::clamped(z.from_ms, z.to_ms, span_ms));
    let timelines: Html = runs
        .iter()
        .map(|run| {
            html! {
                <Timeline key={run.id.0} run={SharedRun(Rc::clone(run))} {span_ms} stale={false}
                    title={AttrValue::from(run_name(run))}
                    zoom={span_zoom} on_zoom={on_zoom.clone()} />
            }
        })
        .collect();
    html! {
        <section class="compare" aria-labelledby="compare-heading">
            <h2 id="compare-heading">{ if single {
                format!("Run {}", run_name(runs[0]))
            } else {
                format!("Comparing {} runs", runs.len())
            } }</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label="The runs compared">
                <table class="compare-table">
                    <thead>
                        <tr>
                            <th scope="col">{ "Run" }</th>
                            <th scope="col">{ "Wall" }</th>
                            <th scope="col">{ "Predicted" }</th>
                            <th scope="col" title="Measured wall time minus predicted">{ "Overhead" }</th>
                            <th scope="col" title="Against a sequential run of the same tasks among these">{ "Speedup" }</th>
                            <th scope="col" title="Median of measured end minus predicted end, over tasks">{ "Late p50" }</th>
                            <th scope="col" title="95th percentile of measured end minus predicted end">{ "Late p95" }</th>
                            <th scope="col">{ "Outcomes" }</th>
                        </tr>
                    </thead>
                    <tbody>{ table_rows }</tbody>
                </table>
            </div>
            <figure class="chart" aria-label="Wall time per run: measured (filled) and predicted (outline)">
                { chart }
            </figure>
            if single {
                <div class="timelines">{ timelines }</div>
            } else {
                <details class="compare-timelines" open={open} ontoggle={ontoggle}>
                    <summary>{ format!("Their timelines on one axis ({})", runs.len()) }</summary>
                    if open { <div class="timelines">{ timelines }</div> }
                </details>
            }
        </section>
    }
}
