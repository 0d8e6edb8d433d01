//! The "Code" panel: the editor's scenario, under the chosen mode, as a
//! program to run outside the playground (Python asyncio or Rust), with a
//! Copy button. Tabs follow the ARIA tabs pattern (arrow keys, Home, End).
//!
//! The program is written by the tools worker (`runtime::workers::tools_host`), only
//! while the panel is open and only when the scenario or mode changes (not
//! on every animation frame of a run), and a long program is shown cut
//! short: the browser lays out a 10,000-line `<pre>` slowly, while Copy
//! still copies all of it.
//!
//! While "Inside the loop" shows a step of the same program, the "Python,
//! short" tab shows the stepper's copy of it, the step's line marked
//! ([`LessonLine`]); the stylesheet snaps the code box's scroll to that
//! line, so it stays in view without moving the page.

use std::rc::Rc;

use yew::prelude::*;

pub use crate::ui::shared::SharedScenario;

use crate::ui::lesson_line::LessonLine;
use crate::ui::use_disclosure::use_disclosure;

use crate::domain::formats::tools::{program_request, Op};
use crate::domain::scenario::RunMode;
use crate::runtime::clipboard::{copy_text, select_contents};
use crate::runtime::workers::tools_host;

/// Lines shown at most. A 10,000-task program has about 80,000 lines.
/// Measured in headless Chromium here, putting a program's text into the
/// `<pre>` and laying it out took 8 ms for 400 lines, 174 ms for 10,000 and
/// 1.6 s for 80,000 (a frozen tab), so the panel shows the start.
pub const MAX_SHOWN_LINES: usize = 400;

/// A validated scenario, compared by pointer: the state swaps in a new `Rc`
/// on every edit, so pointer equality means "unchanged" without walking
/// every task on every frame.

#[derive(Properties, PartialEq)]
pub struct CodeViewProps {
    /// The editor's scenario, or `None` while it has problems.
    pub scenario: Option<SharedScenario>,
    /// How many problems the editor shows (when `scenario` is `None`).
    pub error_count: usize,
    pub mode: RunMode,
    /// The line the stepper is at.
    pub lesson_line: LessonLine,
}

/// The languages offered, in tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lang {
    Python,
    /// The short program a tutorial prints (the one "Inside the loop"
    /// steps through).
    Lesson,
    Rust,
}

impl Lang {
    const ALL: [Lang; 3] = [Lang::Python, Lang::Lesson, Lang::Rust];

    fn label(self) -> &'static str {
        match self {
            Lang::Python => "Python",
            Lang::Lesson => "Python, short",
            Lang::Rust => "Rust",
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Lang::Python => "python",
            Lang::Lesson => "lesson",
            Lang::Rust => "rust",
        }
    }

    /// How to run the program, under the tabs.
    fn how_to_run(self) -> Html {
        match self {
            Lang::Python => html! {
                <>
                    { "Python 3.10+ (TaskGroup needs 3.11). Save as demo.py and run " }
                    <code>{ "python3 demo.py" }</code>
                    { ": it prints the same timing table the playground predicts." }
                </>
            },
            Lang::Lesson => html! {
                { "The same tasks as a tutorial prints them, without the timing code: save as lesson.py and run python3 lesson.py. “Inside the loop” steps through this program line by line, and marks here the line its step is at." }
            },
            Lang::Rust => html! {
                <>
                    { "The same run with tokio on one thread, as asyncio's loop. " }
                    <code>{ "cargo new demo" }</code>
                    { ", add the dependencies listed at the top to Cargo.toml, paste this into src/main.rs and " }
                    <code>{ "cargo run --release" }</code>
                    { ": it prints the same timing table." }
                </>
            },
        }
    }

    fn op(self) -> Op {
        match self {
            Lang::Python => Op::Python,
            Lang::Lesson => Op::Lesson,
            Lang::Rust => Op::Rust,
        }
    }
}

/// The program for the current scenario, mode and language.
#[derive(Clone, PartialEq)]
enum Program {
    None,
    Writing,
    /// In this language (the tab may have changed since).
    Written(Rc<String>, Lang),
    Failed(String),
}

/// The first `max_lines` lines of `code`, and how many lines it has.
fn head(code: &str, max_lines: usize) -> (&str, usize) {
    let total = code.lines().count();
    let end = code
        .match_indices('\n')
        .nth(max_lines.saturating_sub(1))
        .map_or(code.len(), |(at, _)| at);
    (&code[..end], total)
}

#[component(CodeView)]
pub fn code_view(props: &CodeViewProps) -> Html {
    let (open, ontoggle) = use_disclosure(false);
    let lang = use_state(|| Lang::Python);
    // What the last Copy did, announced through the live region.
    let copy_status = use_state(String::new);
    // One per tab: the type ties the count to `Lang::ALL` (hooks cannot be
    // called in a loop).
    let tab_refs: [NodeRef; Lang::ALL.len()] = [use_node_ref(), use_node_ref(), use_node_ref()];
    let pre = use_node_ref();
    // The stepper moved: render again (this panel only).
    let update = use_force_update();
    props
        .lesson_line
        .listen(Some(Callback::from(move |_| update.force_update())));

    let source = if open { props.scenario.clone() } else { None };
    let program = use_state(|| Program::None);
    // Only the newest job's answer is shown (an older one may come later).
    let job = use_mut_ref(|| 0u64);
    {
        let (program, job) = (program.clone(), job.clone());
        use_effect_with((source, props.mode, *lang), move |(source, mode, lang)| {
            *job.borrow_mut() += 1;
            match source {
                None => program.set(Program::None),
                Some(scenario) => {
                    program.set(Program::Writing);
                    let (this_job, lang) = (*job.borrow(), *lang);
                    let op = lang.op();
                    let payload = program_request(&scenario.0, *mode);
                    wasm_bindgen_futures::spawn_local(async move {
                        let reply = tools_host::call(op, payload).await;
                        if *job.borrow() == this_job {
                            program.set(match reply {
                                Ok(text) => Program::Written(Rc::new(text), lang),
                                Err(why) => Program::Failed(why),
                            });
                        }
                    });
                }
            }
        });
    }
    let code: Option<Rc<String>> = match &*program {
        Program::Written(text, _) => Some(text.clone()),
        _ => None,
    };

    let select = |to: Lang| {
        let (lang, copy_status) = (lang.clone(), copy_status.clone());
        Callback::from(move |_: MouseEvent| {
            lang.set(to);
            copy_status.set(String::new());
        })
    };
    // Arrow keys move along the tabs (wrapping), Home/End jump to the ends;
    // the newly chosen tab takes the focus, as the ARIA tabs pattern asks.
    let onkeydown = {
        let (lang, copy_status, tab_refs) = (lang.clone(), copy_status.clone(), tab_refs.clone());
        Callback::from(move |e: KeyboardEvent| {
            let at = Lang::ALL.iter().position(|l| *l == *lang).unwrap_or(0);
            let count = Lang::ALL.len();
            let to = match e.key().as_str() {
                "ArrowRight" | "ArrowDown" => (at + 1) % count,
                "ArrowLeft" | "ArrowUp" => (at + count - 1) % count,
                "Home" => 0,
                "End" => count - 1,
                _ => return,
            };
            e.prevent_default();
            lang.set(Lang::ALL[to]);
            copy_status.set(String::new());
            if let Some(tab) = tab_refs[to].cast::<web_sys::HtmlElement>() {
                // Focus can only fail on a detached element: nothing to do.
                let _ = tab.focus();
            }
        })
    };
    let on_copy = {
        let (code, copy_status, pre) = (code.clone(), copy_status.clone(), pre.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(text) = code.as_deref().cloned() else {
                return;
            };
            let (copy_status, pre) = (copy_status.clone(), pre.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match copy_text(&text).await {
                    Ok(()) => copy_status.set("Copied".to_string()),
                    Err(why) => {
                        // Leave the user a way: the shown code, selected.
                        if let Some(el) = pre.cast::<web_sys::Element>() {
                            select_contents(&el);
                        }
                        copy_status.set(format!(
                            "Could not copy ({why}): the code is selected, press Ctrl+C."
                        ));
                    }
                }
            });
        })
    };

    let current = *lang;
    // The stepper's marked copy of this program, if it shows a step.
    let marked = match &*program {
        Program::Written(_, Lang::Lesson) if current == Lang::Lesson => props.lesson_line.get(),
        _ => None,
    };
    let body = match (code.as_deref(), &props.scenario) {
        (Some(code), _) => {
            let (shown, total_lines) = head(code, MAX_SHOWN_LINES);
            html! {
                <>
                    <div class="code-toolbar">
                        <button class="btn" id="code-copy" onclick={on_copy}
                            aria-describedby="code-copy-status">
                            { format!("Copy {}", current.label()) }
                        </button>
                        <span id="code-copy-status" class="copy-status" aria-live="polite">
                            { (*copy_status).clone() }
                        </span>
                    </div>
                    <pre class="code" ref={pre} tabindex="0"
                        aria-label={format!("{} program", current.label())}
                        data-lines={total_lines.to_string()}><code>
                        if let Some(marked) = marked {
                            { Html::from_html_unchecked(marked) }
                        } else {
                            { shown }
                        }
                        </code></pre>
                    if total_lines > MAX_SHOWN_LINES {
                        <p class="hint code-cut">
                            { format!("Showing the first {MAX_SHOWN_LINES} of {total_lines} lines; Copy copies the whole program.") }
                        </p>
                    }
                </>
            }
        }
        (None, None) => html! {
            <p class="error code-invalid">
                { format!(
                    "Fix the {} problem{} in the tasks to see the code.",
                    props.error_count,
                    if props.error_count == 1 { "" } else { "s" }
                ) }
            </p>
        },
        (None, Some(_)) => match &*program {
            Program::Failed(why) => html! {
                <p class="error code-failed">{ format!("The program could not be written: {why}.") }</p>
            },
            // Closed, or opening: the worker is writing it.
            _ if open => {
                html! { <p class="hint code-writing" aria-live="polite">{ "Writing the program…" }</p> }
            }
            _ => html! {},
        },
    };

    html! {
        <details class="code-view" open={open} {ontoggle}>
            <summary onpointerenter={Callback::from(|_: PointerEvent| tools_host::warm())}
                onfocus={Callback::from(|_: FocusEvent| tools_host::warm())}>
                <h2 id="code-heading">{ "Code" }</h2>
                <span class="summary-hint">{ "the tasks as a Python or Rust program" }</span>
            </summary>
            if open {
                <div class="tabs" role="tablist" aria-label="Language">
                    { for Lang::ALL.iter().enumerate().map(|(i, &l)| {
                        let selected = l == current;
                        html! {
                            <button type="button" role="tab" class="tab"
                                id={format!("code-tab-{}", l.slug())}
                                ref={tab_refs[i].clone()}
                                aria-selected={selected.to_string()}
                                aria-controls="code-panel"
                                tabindex={if selected { "0" } else { "-1" }}
                                onclick={select(l)}
                                onkeydown={onkeydown.clone()}>
                                { l.label() }
                            </button>
                        }
                    }) }
                </div>
                <div class="tab-panel" role="tabpanel" id="code-panel"
                    aria-labelledby={format!("code-tab-{}", current.slug())}>
                    <p class="hint">{ current.how_to_run() }</p>
                    { body }
                </div>
            }
        </details>
    }
}
