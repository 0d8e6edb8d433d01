//! Side-by-side comparison of the runs ticked in the history: their
//! timelines on one time axis, a table (wall time, prediction, overhead,
//! speedup, lateness p50/p95, outcomes) and a bar chart of wall times.
//! The table and chart are written by the tools worker
//! (`domain::analysis::compare_table`, `Op::Compare`) and shown once its
//! answer for the runs on screen arrives.

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::shared::{RunList, SharedRun};

use crate::ui::use_disclosure::use_disclosure;
use crate::ui::use_zoom::use_zoom;

use crate::domain::analysis::compare::common_axis_ms;
use crate::domain::formats::tools::{compare_request, Op};
use crate::domain::layout::timeline::ZoomWindow;
use crate::domain::run::events::RunId;
use crate::domain::run::Run;
use crate::runtime::workers::tools_host;
use crate::ui::components::history::run_name;
use crate::ui::components::timeline::Timeline;

/// The whole history and the picked ids: both compare cheaply (pointer,
/// short list), so the every-frame render of a live run skips this view.
pub struct CompareViewProps {
    pub history: RunList,
    pub compared: Vec<RunId>,
}

/// The comparison, drawn: a hook, not a component (a component is several
/// KB of wasm). Its state lives in the caller, which draws it where it
/// likes.
#[hook]
pub fn use_compare_view(props: &CompareViewProps) -> Html {
    // Closed at first: the live timelines above usually show the same runs,
    // and painting them twice is wasted work.
    let (open, ontoggle) = use_disclosure(false);
    // Its own zoom: the comparison has its own time axis.
    let (zoom, on_zoom) = use_zoom();
    // The table's job, made again only when the history or the ticks
    // change (both compare cheaply), not on every frame of a live run.
    let job = use_memo(
        (props.history.clone(), props.compared.clone()),
        |(history, compared)| {
            let refs: Vec<&Run> = compared
                .iter()
                .filter_map(|id| history.0.iter().find(|r| r.id == *id))
                .map(|r| &**r)
                .collect();
            (!refs.is_empty()).then(|| compare_request(&refs))
        },
    );
    // The newest job's answer (an older one may come later), by job number.
    let asked = use_mut_ref(|| 0u64);
    let table = use_state(|| None::<(u64, Result<AttrValue, String>)>);
    {
        let (asked, table) = (asked.clone(), table.setter());
        use_effect_with(job, move |job| {
            *asked.borrow_mut() += 1;
            if let Some(payload) = (**job).clone() {
                let this_job = *asked.borrow();
                wasm_bindgen_futures::spawn_local(async move {
                    let reply = tools_host::call(Op::Compare, payload).await;
                    if *asked.borrow() == this_job {
                        table.set(Some((this_job, reply.map(AttrValue::from))));
                    }
                });
            }
        });
    }
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
    let span_ms = common_axis_ms(runs.iter().map(|r| &***r));
    let table = match &*table {
        Some((job, Ok(markup))) if *job == *asked.borrow() => {
            Html::from_html_unchecked(markup.clone())
        }
        Some((job, Err(why))) if *job == *asked.borrow() => html! {
            <p class="error">{ format!("The comparison table could not be worked out: {why}") }</p>
        },
        _ => html! {},
    };
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
            { table }
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
