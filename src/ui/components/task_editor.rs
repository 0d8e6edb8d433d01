//! The task list editor: rows of label + duration, add/reset, speed factor,
//! and inline messages for every problem. Long lists are paged: every row
//! on the page costs paint time in every animation frame of a run (each
//! text input is its own paint layer), which makes timers fire late.

use std::rc::Rc;

use yew::prelude::*;

use super::task_generator::task_generator;
use super::task_row::{RowProblems, TaskEdit, TaskRow};
use crate::domain::scenario::doc::ScenarioDoc;
use crate::domain::scenario::{ScenarioError, TaskDraft, TaskId};
use crate::ui::focus::focus_first;

/// Rows on one page of the editor.
pub const ROWS_PER_PAGE: usize = 25;

/// A change to the scenario as a whole (a change to one task is a
/// [`TaskEdit`]).
#[derive(Clone, Debug, PartialEq)]
pub enum ScenarioEdit {
    /// One more I/O task at the end.
    AddTask,
    /// `count` I/O tasks of `duration_ms` each, in place of the list.
    Generate { count: usize, duration_ms: u32 },
    /// The speed factor as typed.
    Speed(String),
    /// Another scenario (a preset).
    Load(ScenarioDoc),
    /// The example scenario again.
    Reset,
}

/// What the editor shows and whom it tells.
pub struct TaskEditorProps {
    pub drafts: Rc<Vec<TaskDraft>>,
    pub errors: Vec<ScenarioError>,
    pub speed_text: String,
    pub on_scenario: Callback<ScenarioEdit>,
    pub on_edit: Callback<(TaskId, TaskEdit)>,
}

/// Where focus goes once a row's change is in the list: the button pressed
/// is gone (removed) or was moved with its row, and focus must not fall to
/// the page. `row` counts from the top of the page shown.
#[derive(Clone, Copy)]
struct Refocus {
    row: usize,
    button: &'static str,
}

impl Refocus {
    /// After `edit` of the task at `row`; `None` if focus stays put.
    fn after(edit: &TaskEdit, row: usize) -> Option<Refocus> {
        let (row, button) = match edit {
            // The next row slides into its place (else the one before).
            TaskEdit::Remove => (row, "remove"),
            TaskEdit::Move(delta) => (
                row.checked_add_signed(*delta)?,
                if *delta < 0 { "move-up" } else { "move-down" },
            ),
            TaskEdit::Duplicate => (row, "duplicate"),
            _ => return None,
        };
        Some(Refocus { row, button })
    }

    /// Focuses the button, or the last row's, or Add task.
    fn apply(self, root: &web_sys::Element) {
        let Refocus { row, button } = self;
        let candidates = [
            format!(".task-row:nth-child({}) .{button}", row + 1),
            format!(".task-row:last-child .{button}"),
            "#add-task".to_string(),
        ];
        focus_first(Some(root), &candidates);
    }
}

/// The editor, drawn: a hook, not a component (a component is several KB
/// of wasm).
#[hook]
pub fn use_task_editor(props: &TaskEditorProps) -> Html {
    let page = use_state(|| 0usize);
    // The task generator's message.
    let generator_error = use_state(|| None::<String>);
    let root = use_node_ref();
    // The list and the page's first index as last rendered (read by the
    // one row callback, which must not change on every render).
    let shown = use_mut_ref(|| (props.drafts.clone(), 0usize));
    // A refocus waiting for the list it applies to (not the one clicked in).
    let refocus = use_mut_ref(|| None::<(*const Vec<TaskDraft>, Refocus)>);
    let count = props.drafts.len();
    let pages = count.div_ceil(ROWS_PER_PAGE).max(1);
    // Removing tasks can leave the remembered page past the end.
    let current = (*page).min(pages - 1);
    let first = current * ROWS_PER_PAGE;
    let on_page = (first + ROWS_PER_PAGE).min(count) - first;
    *shown.borrow_mut() = (props.drafts.clone(), first);
    let on_edit = {
        let (shown, refocus) = (shown.clone(), refocus.clone());
        use_callback(
            props.on_edit.clone(),
            move |(id, edit): (TaskId, TaskEdit), on_edit| {
                let (drafts, first) = &*shown.borrow();
                let row = drafts
                    .iter()
                    .position(|d| d.id == id)
                    .and_then(|i| i.checked_sub(*first));
                *refocus.borrow_mut() = row
                    .and_then(|row| Refocus::after(&edit, row))
                    .map(|r| (Rc::as_ptr(drafts), r));
                on_edit.emit((id, edit));
            },
        )
    };
    {
        let (root, refocus, drafts) = (root.clone(), refocus.clone(), Rc::as_ptr(&props.drafts));
        use_effect(move || {
            let due = matches!(*refocus.borrow(), Some((before, _)) if before != drafts);
            if due {
                if let (Some((_, r)), Some(root)) =
                    (refocus.take(), root.cast::<web_sys::Element>())
                {
                    r.apply(&root);
                }
            }
        });
    }

    // Each row's problems on this page; which tasks elsewhere have some.
    let mut row_problems: Vec<RowProblems> = vec![Vec::new(); on_page];
    let mut elsewhere = vec![false; count];
    let mut general = Vec::new();
    let mut speed_error = None;
    for error in &props.errors {
        match error {
            ScenarioError::Task {
                index,
                field,
                problem,
                ..
            } => match index
                .checked_sub(first)
                .and_then(|at| row_problems.get_mut(at))
            {
                Some(row) => row.push((*field, problem.to_string())),
                None => {
                    if let Some(flag) = elsewhere.get_mut(*index) {
                        *flag = true;
                    }
                }
            },
            ScenarioError::Speed(e) => speed_error = Some(e.to_string()),
            // Shown by the run controls, next to their fields.
            other if other.is_run_level() => {}
            other => general.push(other.to_string()),
        }
    }
    let hidden_problems = elsewhere.iter().filter(|&&has| has).count();

    let rows: Html = props
        .drafts
        .iter()
        .enumerate()
        .skip(first)
        .zip(row_problems)
        .map(|((index, draft), problems)| {
            html! {
                <TaskRow
                    key={draft.id.0}
                    draft={draft.clone()}
                    {index}
                    {count}
                    {problems}
                    on_edit={on_edit.clone()}
                />
            }
        })
        .collect();
    // aria-disabled, not disabled: the button pressed to reach the first or
    // last page stays focused instead of dropping focus to the page.
    let go = |to: usize, off: bool| {
        let page = page.clone();
        Callback::from(move |_: MouseEvent| {
            if !off {
                page.set(to);
            }
        })
    };

    let on_add = props
        .on_scenario
        .reform(|_: MouseEvent| ScenarioEdit::AddTask);
    let on_reset = props
        .on_scenario
        .reform(|_: MouseEvent| ScenarioEdit::Reset);
    let on_speed = props.on_scenario.reform(|e: InputEvent| {
        ScenarioEdit::Speed(
            e.target_unchecked_into::<web_sys::HtmlInputElement>()
                .value(),
        )
    });

    html! {
        <div class="task-editor" ref={root}>
            <h2 id="tasks-heading">{ "Tasks" }</h2>
            <p class="hint">{ "Each task is simulated work of a kind: an I/O wait like " }<code>{ "await asyncio.sleep(d)" }</code>{ ", a failure, a blocking call, a call sent to a thread, or a stream. By keyboard, Tab goes from task to task, and ← → (Home, End) within one." }</p>
            // Once for every row (a "?" in each row would be read out and
            // take a 44 px line on a phone, per task).
            <details class="help help-timeout">
                <summary class="help-link">{ "What does a task's timeout do?" }</summary>
                <p class="help-text">
                    <code>{ "asyncio.wait_for(task, timeout)" }</code>
                    { ": the task is cancelled if it is not done within this many ms, and the await raises TimeoutError. Empty: no timeout." }
                </p>
            </details>
            <ol class="task-list" start={(first + 1).to_string()}>{ rows }</ol>
            if pages > 1 {
                <nav class="pager" aria-label="Task pages">
                    <button class="btn" id="page-prev" aria-disabled={(current == 0).then_some("true")}
                        onclick={go(current.saturating_sub(1), current == 0)}>{ "‹ Previous" }</button>
                    <span class="page-info">
                        { format!("Tasks {}–{} of {count}", first + 1, (first + ROWS_PER_PAGE).min(count)) }
                    </span>
                    <button class="btn" id="page-next" aria-disabled={(current + 1 >= pages).then_some("true")}
                        onclick={go(current + 1, current + 1 >= pages)}>{ "Next ›" }</button>
                </nav>
                if hidden_problems > 0 {
                    <p class="error">{ format!("{hidden_problems} task(s) on other pages have problems.") }</p>
                }
            }
            { for general.iter().map(|m| html! { <p class="error" role="alert">{ m }</p> }) }
            <div class="editor-actions">
                <button class="btn" id="add-task" onclick={on_add}>{ "Add task" }</button>
                <button class="btn" id="reset-tasks" onclick={on_reset}>{ "Reset to example" }</button>
            </div>
            { task_generator(&props.on_scenario, &generator_error) }
            <div class="speed">
                <label for="speed-input">{ "Speed factor" }</label>
                <input id="speed-input" class={classes!("speed-input", speed_error.is_some().then_some("invalid"))}
                    type="text" inputmode="decimal" value={props.speed_text.clone()}
                    aria-invalid={speed_error.is_some().to_string()}
                    aria-describedby="speed-help"
                    oninput={on_speed} />
                <span id="speed-help" class="hint">
                    { "Durations are divided by this: 10 runs a 3000 ms task in 300 ms." }
                </span>
                if let Some(message) = speed_error {
                    <p class="error" role="alert">{ message }</p>
                }
            </div>
        </div>
    }
}
