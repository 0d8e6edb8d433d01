//! The live timeline of one run: stacked canvases with one lane per task,
//! the prediction as a dashed ghost and the measurement as a filled bar.
//! Canvas painting keeps 1,000+ tasks smooth (no per-bar DOM nodes), and
//! the painter only draws what changed since the last frame.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use web_sys::{HtmlCanvasElement, HtmlElement};
use yew::prelude::*;

use crate::domain::state::{RunStatus, RunView};
use crate::domain::stats::format_ms;
use crate::ui::components::task_table::TaskTable;
use crate::ui::timeline_paint::{Layers, Painter};

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub run: RunView,
    /// The shared axis length, so several timelines compare by eye.
    pub span_ms: f64,
    pub stale: bool,
}

#[component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let stack = use_node_ref();
    let (back, bars, front) = (use_node_ref(), use_node_ref(), use_node_ref());
    let painter: Rc<RefCell<Painter>> = use_mut_ref(Painter::default);
    // The stack's width, read on mount and on resize only: reading it every
    // frame would force a layout every frame.
    let width_px = use_state(|| 0.0f64);
    {
        let (stack, width_px) = (stack.clone(), width_px.clone());
        use_effect_with((), move |_| {
            let measure = move || {
                if let Some(el) = stack.cast::<HtmlElement>() {
                    width_px.set(f64::from(el.client_width()));
                }
            };
            measure();
            let listener =
                web_sys::window().map(|w| EventListener::new(&w, "resize", move |_| measure()));
            move || drop(listener)
        });
    }
    {
        let run = props.run.clone();
        let (span_ms, width) = (props.span_ms, *width_px);
        let refs = (back.clone(), bars.clone(), front.clone());
        use_effect(move || {
            let layers = (
                refs.0.cast::<HtmlCanvasElement>(),
                refs.1.cast::<HtmlCanvasElement>(),
                refs.2.cast::<HtmlCanvasElement>(),
            );
            if let (Some(back), Some(bars), Some(front)) = layers {
                if width > 0.0 {
                    let layers = Layers { back, bars, front };
                    painter.borrow_mut().paint(&layers, &run, span_ms, width);
                }
            }
        });
    }
    let run = &props.run;
    let status = match run.status {
        // Tenths of a second: text that changes every frame would make the
        // browser lay out and repaint the page every frame, delaying the
        // run's own timers; the bars show the exact time.
        RunStatus::Running => format!("running, {:.1} s", (run.now_ms / 100.0).floor() / 10.0),
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
        <figure class={classes!("timeline", format!("timeline-{}", run.mode.slug()))}
            data-status={format!("{:?}", run.status).to_lowercase()}>
            <figcaption>
                <span class="timeline-title">{ title }</span>
                <span class="timeline-status">{ status }</span>
                if props.stale { <span class="stale">{ "edited since" }</span> }
            </figcaption>
            <div class="timeline-stack" ref={stack} role="img" aria-label={description}>
                <canvas ref={back} class="timeline-canvas layer-back" />
                <canvas ref={bars} class="timeline-canvas layer-bars" />
                <canvas ref={front} class="timeline-canvas layer-front" />
            </div>
            <TaskTable run={props.run.clone()} />
        </figure>
    }
}
