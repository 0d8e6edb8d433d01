//! "Inside the loop": step through the event loop's log of the run on
//! screen (or of the editor's scenario before a run), one callback at a
//! time. The tools worker works out and draws each step
//! (`domain::formats::step_view`, [`Op::StepView`]); this panel holds the
//! cursor: First, Back, Forward, Last, a slider (arrow keys, Home, End,
//! Page Up/Down) and dragging across the lanes.
//!
//! Nothing is asked of the worker until the panel is opened. While a step
//! is shown, the lesson program with its line marked goes to the Code view
//! ([`LessonLine`]).

use yew::prelude::*;

use crate::domain::formats::step_view::{read_step_view, step_view_request, Cursor};
use crate::domain::formats::tools::{export_request, program_request, Op};
use crate::domain::scenario::RunMode;
use crate::domain::text::decimal::parse_decimal;
use crate::runtime::workers::tools_host;
use crate::ui::lesson_line::LessonLine;
use crate::ui::shared::{SharedRun, SharedScenario};
use crate::ui::use_disclosure::use_disclosure;

#[derive(Properties, PartialEq)]
pub struct StepperProps {
    /// The editor's scenario (stepped before any run), if valid.
    pub scenario: Option<SharedScenario>,
    pub mode: RunMode,
    /// The finished run of these tasks in `mode`, if any: its measured bars
    /// are drawn under the model's.
    pub run: Option<SharedRun>,
    /// Where the shown step's marked lesson program goes.
    pub lesson_line: LessonLine,
}

/// One step as the worker drew it.
#[derive(Clone, PartialEq, Default)]
struct Shown {
    count: usize,
    step: usize,
    text: String,
    html: AttrValue,
    /// The lesson program, the step's line marked (for the Code view).
    lesson: AttrValue,
}

fn read_answer(answer: &str) -> Result<Shown, String> {
    let (count, step, _, text, lesson, html) = read_step_view(answer)?;
    Ok(Shown {
        count,
        step,
        text: text.to_string(),
        lesson: AttrValue::from(lesson.to_string()),
        html: AttrValue::from(html.to_string()),
    })
}

/// The stepper's buttons: id, label, where it goes from (step, count), and
/// whether it goes forward (off at the last step) or back (off at the first).
/// One button markup for the four keeps the bundle small.
type Go = fn(usize, usize) -> usize;
const BUTTONS: [(&str, &str, Go, bool); 4] = [
    ("step-first", "« First", |_, _| 0, false),
    ("step-back", "‹ Back", |s, _| s.saturating_sub(1), false),
    ("step-forward", "Forward ›", |s, _| s + 1, true),
    ("step-last", "Last »", |_, n| n.saturating_sub(1), true),
];

#[component(Stepper)]
pub fn stepper(props: &StepperProps) -> Html {
    let (open, ontoggle) = use_disclosure(false);
    let shown = use_state(|| None::<Result<Shown, String>>);
    // Only the newest request's answer is shown (a drag asks many times).
    let asked = use_mut_ref(|| 0u64);
    // The job's subject: the run as measured, or the editor's scenario.
    let subject = {
        let (scenario, run, mode) = (props.scenario.clone(), props.run.clone(), props.mode);
        use_memo(
            (scenario, run, mode, open),
            |(scenario, run, mode, open)| {
                if !*open {
                    return None;
                }
                match (run, scenario) {
                    (Some(run), _) => Some(format!("R{}", export_request(run))),
                    (None, Some(s)) => Some(format!("D{}", program_request(&s.0, *mode))),
                    (None, None) => None,
                }
            },
        )
    };
    let ask = {
        let (shown, asked, subject) = (shown.setter(), asked.clone(), subject.clone());
        let lesson_line = props.lesson_line.clone();
        Callback::from(move |cursor: Cursor| {
            let Some(subject) = (*subject).clone() else {
                return;
            };
            let ticket = *asked.borrow() + 1;
            *asked.borrow_mut() = ticket;
            let (shown, asked, lesson_line) = (shown.clone(), asked.clone(), lesson_line.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let reply =
                    tools_host::call(Op::StepView, step_view_request(cursor, &subject)).await;
                if *asked.borrow() == ticket {
                    let answer = reply.and_then(|a| read_answer(&a));
                    lesson_line.set(answer.as_ref().ok().map(|s| s.lesson.clone()));
                    shown.set(Some(answer));
                }
            });
        })
    };
    let current = match &*shown {
        Some(Ok(s)) => Some(s.clone()),
        _ => None,
    };
    let step = current.as_ref().map_or(0, |s| s.step);
    // No step shown (closed, or a new subject on its way): no line marked.
    if !open {
        props.lesson_line.set(None);
    }
    // A new subject (a new run, an edit) starts again at its first step.
    {
        let (ask, lesson_line) = (ask.clone(), props.lesson_line.clone());
        use_effect_with(subject.clone(), move |subject| {
            lesson_line.set(None);
            if subject.is_some() {
                ask.emit(Cursor::Step(0));
            }
        });
    }
    let go = |to: Go| {
        let (ask, count) = (ask.clone(), current.as_ref().map_or(0, |s| s.count));
        Callback::from(move |_: MouseEvent| ask.emit(Cursor::Step(to(step, count))))
    };
    let on_slider = ask.reform(|e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        Cursor::Step(input.value().parse().unwrap_or(0))
    });
    // Dragging (or clicking) across the lanes moves the cursor to that time.
    let on_drag = {
        let ask = ask.clone();
        Callback::from(move |e: PointerEvent| {
            if e.buttons() & 1 == 0 {
                return;
            }
            let target: web_sys::Element = e.target_unchecked_into();
            let Ok(Some(lanes)) = target.closest(".sv-lanes") else {
                return;
            };
            // Every lane's track spans the same times.
            let Ok(Some(track)) = lanes.query_selector(".sv-track") else {
                return;
            };
            let span_ms: f64 = lanes
                .get_attribute("data-span-ms")
                .and_then(|s| parse_decimal(&s))
                .unwrap_or(0.0);
            let rect = track.get_bounding_client_rect();
            if rect.width() > 0.0 && span_ms > 0.0 {
                let x = ((f64::from(e.client_x()) - rect.left()) / rect.width()).clamp(0.0, 1.0);
                e.prevent_default();
                ask.emit(Cursor::At(x * span_ms));
            }
        })
    };
    let about = match (&props.run, &props.scenario) {
        (Some(run), _) => format!(
            "The model of {}, with the run's measured bars.",
            run.label()
        ),
        (None, Some(_)) => format!("The model of a {} run of these tasks.", props.mode.label()),
        (None, None) => "Nothing to step through: fix the tasks' problems first.".to_string(),
    };
    let off = |at_end: bool| at_end.then_some("true");
    let last = current.as_ref().map_or(0, |s| s.count.saturating_sub(1));
    html! {
        <details class="stepper" {open} {ontoggle}>
            <summary><h3>{ "Inside the loop: step through" }</h3></summary>
            if open {
                <p class="hint">{ about }</p>
                <div class="stepper-controls" role="group" aria-label="Step through the loop">
                    { for BUTTONS.iter().map(|&(id, label, to, ahead)| {
                        let at_end = if ahead { step >= last } else { step == 0 };
                        html! { <button type="button" class="btn small" {id} aria-disabled={off(at_end)} onclick={go(to)}>{ label }</button> }
                    }) }
                    <input type="range" id="step-slider" min="0" max={last.to_string()} value={step.to_string()}
                        aria-label="Step" aria-valuetext={current.as_ref().map(|s| format!("Step {} of {}: {}", s.step + 1, s.count, s.text))}
                        oninput={on_slider} />
                </div>
                <p class="visually-hidden" aria-live="polite">{ current.as_ref().map(|s| s.text.clone()).unwrap_or_default() }</p>
                <div class="stepper-view" onpointerdown={on_drag.clone()} onpointermove={on_drag}>
                    { match &*shown {
                        Some(Ok(s)) => Html::from_html_unchecked(s.html.clone()),
                        Some(Err(why)) => html! { <p class="error">{ format!("The steps could not be worked out: {why}") }</p> },
                        None => html! { <p class="hint">{ "Working out the steps…" }</p> },
                    } }
                </div>
            }
        </details>
    }
}
