//! The live timeline of one run: a canvas with one lane per task, the
//! prediction as a dashed ghost and the measurement as a filled bar.
//! Painting a canvas keeps 1,000+ tasks smooth (no per-bar DOM nodes).

use gloo_events::EventListener;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::domain::state::{RunStatus, RunView};
use crate::domain::stats::format_ms;
use crate::ui::components::task_table::TaskTable;
use crate::ui::timeline_paint::paint;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub run: RunView,
    /// The shared axis length, so several timelines compare by eye.
    pub span_ms: f64,
    pub stale: bool,
}

#[component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let canvas = use_node_ref();
    // Bumped on window resize so the canvas repaints at its new width.
    let resize_tick = use_state(|| 0u32);
    {
        let resize_tick = resize_tick.clone();
        use_effect_with((), move |_| {
            let window = web_sys::window();
            let listener = window.map(|w| {
                EventListener::new(&w, "resize", move |_| resize_tick.set(*resize_tick + 1))
            });
            move || drop(listener)
        });
    }
    {
        let canvas = canvas.clone();
        let run = props.run.clone();
        let span_ms = props.span_ms;
        use_effect(move || {
            if let Some(el) = canvas.cast::<HtmlCanvasElement>() {
                paint(&el, &run, span_ms);
            }
        });
    }
    let run = &props.run;
    let status = match run.status {
        RunStatus::Running => format!("running, {}", format_ms(run.now_ms)),
        RunStatus::Finished => format!(
            "{} measured, {} predicted",
            format_ms(run.measurement.total_ms.unwrap_or(0.0)),
            format_ms(run.prediction.total_ms)
        ),
        RunStatus::Stopped => "stopped".to_string(),
    };
    let title = run.mode.label();
    let description = format!(
        "{title} run of {} tasks: {status}.",
        run.measurement.tasks.len()
    );
    html! {
        <figure class={classes!("timeline", format!("timeline-{}", title.to_lowercase()))}
            data-status={format!("{:?}", run.status).to_lowercase()}>
            <figcaption>
                <span class="timeline-title">{ title }</span>
                <span class="timeline-status">{ status }</span>
                if props.stale { <span class="stale">{ "edited since" }</span> }
            </figcaption>
            <canvas ref={canvas} class="timeline-canvas" role="img"
                aria-label={description} />
            <TaskTable run={props.run.clone()} />
        </figure>
    }
}
