//! The live timeline of one run: stacked canvases with one lane per task,
//! the prediction as a dashed ghost and the measurement as a filled bar.
//! Canvas painting keeps 1,000+ tasks smooth (no per-bar DOM nodes), and
//! the painter only draws what changed since the last frame.
//!
//! Hovering a lane, or focusing the timeline and moving with the arrow
//! keys, shows that task's exact numbers; dragging across it (or `+`/`-`)
//! zooms every timeline to a time range.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use web_sys::{HtmlCanvasElement, HtmlElement};
use yew::prelude::*;

use crate::domain::analysis::task_detail::task_detail;
use crate::domain::layout::canvas::CanvasLayout;
use crate::domain::layout::lanes::lane_for_key;
use crate::domain::layout::timeline::{Drag, ZoomStep, ZoomWindow};
use crate::domain::run::stats::format_ms;
use crate::domain::run::RunStatus;
use crate::domain::text::decimal::{fixed, Fixed};
use crate::ui::components::task_table::TaskTable;
use crate::ui::shared::SharedRun;
use crate::ui::timeline_paint::{Layers, Painter};

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub run: SharedRun,
    /// The shared axis length, so several timelines compare by eye.
    pub span_ms: f64,
    /// The zoomed window shared by every timeline (`None`: everything).
    #[prop_or_default]
    pub zoom: Option<ZoomWindow>,
    #[prop_or_default]
    pub on_zoom: Callback<Option<ZoomWindow>>,
    pub stale: bool,
    /// Shown in the caption instead of the mode's name (history runs).
    #[prop_or_default]
    pub title: Option<AttrValue>,
}

/// Which task's card is shown and where the pointer is (CSS px in the stack).
#[derive(Clone, Copy, PartialEq)]
struct Focus {
    lane: usize,
    x_px: f64,
    /// Set by the keyboard: the card stays until the focus leaves.
    keyboard: bool,
}

#[component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let stack = use_node_ref();
    let (back, bars, front) = (use_node_ref(), use_node_ref(), use_node_ref());
    let painter: Rc<RefCell<Painter>> = use_mut_ref(Painter::default);
    // The theme changed (app.css transitions the back canvas's `color`):
    // repaint everything with the colours read afresh.
    let repaint = use_force_update();
    let on_theme = {
        let painter = painter.clone();
        Callback::from(move |_: TransitionEvent| {
            painter.borrow_mut().invalidate();
            repaint.force_update();
        })
    };
    let focus = use_state(|| None::<Focus>);
    let (card_ref, selection_ref) = (use_node_ref(), use_node_ref());
    let drag = use_state(|| None::<Drag>);
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
    let window = props
        .zoom
        .map(|z| (z.from_ms, z.span_ms()))
        .unwrap_or((0.0, props.span_ms));
    {
        let run = props.run.clone();
        let width = *width_px;
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
                    painter.borrow_mut().paint(&layers, &run.0, window, width);
                }
            }
        });
    }
    let run = &props.run;
    let tasks = run.prediction.tasks.len();
    let layout = CanvasLayout::new(tasks, window, *width_px);
    let scale = layout.scale;
    let full_ms = props.span_ms;

    let onmousemove = {
        let (focus, drag) = (focus.clone(), drag.clone());
        Callback::from(move |e: MouseEvent| {
            let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
            if let Some(d) = *drag {
                drag.set(Some(d.to(x)));
            }
            let next = layout.lane_at(y).map(|lane| Focus {
                lane,
                x_px: x,
                keyboard: false,
            });
            if *focus != next {
                focus.set(next);
            }
        })
    };
    let onmouseleave = {
        let (focus, drag) = (focus.clone(), drag.clone());
        Callback::from(move |_: MouseEvent| {
            if !focus.is_some_and(|f| f.keyboard) {
                focus.set(None);
            }
            drag.set(None);
        })
    };
    let onmousedown = {
        let drag = drag.clone();
        Callback::from(move |e: MouseEvent| {
            if e.button() == 0 {
                drag.set(Some(Drag::at(f64::from(e.offset_x()))));
            }
        })
    };
    let onmouseup = {
        let (drag, on_zoom) = (drag.clone(), props.on_zoom.clone());
        Callback::from(move |e: MouseEvent| {
            let to = f64::from(e.offset_x());
            if let Some(window) = drag.and_then(|d| d.to(to).window(&scale, full_ms)) {
                on_zoom.emit(Some(window));
            }
            drag.set(None);
        })
    };
    let onkeydown = {
        let (focus, on_zoom, zoom) = (focus.clone(), props.on_zoom.clone(), props.zoom);
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            let lane = lane_for_key(focus.map(|f| f.lane), &key, tasks);
            let zoomed = ZoomStep::for_key(&key).and_then(|step| step.apply(zoom, full_ms));
            if let Some(lane) = lane {
                e.prevent_default();
                focus.set(Some(Focus {
                    lane,
                    x_px: 0.0,
                    keyboard: true,
                }));
            } else if let Some(z) = zoomed {
                e.prevent_default();
                on_zoom.emit(z);
            }
        })
    };
    let onblur = {
        let focus = focus.clone();
        Callback::from(move |_: FocusEvent| focus.set(None))
    };

    let status = match run.status {
        // Tenths of a second: text that changes every frame would make the
        // browser lay out and repaint the page every frame, delaying the
        // run's own timers; the bars show the exact time.
        RunStatus::Running => format!(
            "running, {} s",
            Fixed((run.now_ms / 100.0).floor() / 10.0, 1)
        ),
        RunStatus::Finished => format!(
            "{} measured, {} predicted",
            format_ms(run.measurement.total_ms.unwrap_or(0.0)),
            format_ms(run.prediction.total_ms)
        ),
        RunStatus::Stopped => "stopped".to_string(),
    };
    let title: AttrValue = props
        .title
        .clone()
        .unwrap_or_else(|| AttrValue::from(run.mode.label()));
    let description = format!(
        "{title} run of {tasks} tasks: {status}. Up and down arrows read each task, plus and minus zoom; the Task timings table below lists every time."
    );
    let detail = focus.and_then(|f| {
        task_detail(&run.scenario, &run.prediction, &run.measurement, f.lane).map(|d| (f, d))
    });
    let card = detail.as_ref().map(|(f, d)| {
        let pointer_x_px = (!f.keyboard).then_some(f.x_px);
        let start_ms = run.prediction.tasks.get(f.lane).and_then(|t| t.start_ms);
        let anchor = layout.card_anchor(f.lane, pointer_x_px, start_ms);
        let rows: Html = d
            .lines
            .iter()
            .map(|(name, value)| html! { <><dt>{ *name }</dt><dd>{ value }</dd></> })
            .collect();
        html! {
            <div class={classes!("task-card", anchor.flip.then_some("flip"))}
                data-left={fixed(anchor.left, 0)} data-top={fixed(anchor.top, 0)}
                ref={card_ref.clone()} aria-hidden="true">
                <strong>{ &d.title }</strong>
                <dl>{ rows }</dl>
            </div>
        }
    });
    let selection = drag.and_then(|d| d.selection_px());
    let zoom_note = props
        .zoom
        .map(|z| format!("zoomed to {}–{}", format_ms(z.from_ms), format_ms(z.to_ms)));
    // Positions go through the CSSOM: the CSP forbids style attributes.
    {
        let (card_ref, selection_ref) = (card_ref.clone(), selection_ref.clone());
        use_effect(move || {
            for (node, props) in [
                (&card_ref, ["left", "top"]),
                (&selection_ref, ["left", "width"]),
            ] {
                if let Some(el) = node.cast::<HtmlElement>() {
                    for prop in props {
                        if let Some(v) = el.get_attribute(&format!("data-{prop}")) {
                            let _ = el.style().set_property(prop, &format!("{v}px"));
                        }
                    }
                }
            }
        });
    }
    html! {
        <figure class={classes!("timeline", format!("timeline-{}", run.mode.slug()))}
            data-status={run.status.slug()}>
            <figcaption>
                <span class="timeline-title">{ title.clone() }</span>
                <span class="timeline-status">{ status }</span>
                if props.stale { <span class="stale">{ "edited since" }</span> }
                if let Some(note) = zoom_note { <span class="zoom-note">{ note }</span> }
            </figcaption>
            // An application, not an image: screen readers pass it the
            // arrow keys it reads the tasks with.
            <div class="timeline-stack" ref={stack} role="application" aria-roledescription="timeline" tabindex="0"
                data-plot-px={fixed(layout.scale.width_px, 0)}
                aria-label={description}
                {onmousemove} {onmouseleave} {onmousedown} {onmouseup} {onkeydown} {onblur}>
                <canvas ref={back} class="timeline-canvas layer-back" ontransitionend={on_theme} />
                <canvas ref={bars} class="timeline-canvas layer-bars" />
                <canvas ref={front} class="timeline-canvas layer-front" />
                if let Some((x, w)) = selection {
                    <div class="zoom-selection" ref={selection_ref.clone()}
                        data-left={fixed(x, 0)} data-width={fixed(w, 0)} />
                }
                { card.unwrap_or_default() }
            </div>
            <p class="visually-hidden" aria-live="polite">
                { detail.as_ref().filter(|(f, _)| f.keyboard).map(|(_, d)| d.sentence()).unwrap_or_default() }
            </p>
            <TaskTable run={props.run.clone()} />
        </figure>
    }
}
