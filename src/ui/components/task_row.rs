//! One editable task: label, duration, move/duplicate/remove, and its
//! problems shown right under it. The row is one Tab stop: ← → move between
//! its controls (fields first, then buttons), Home and End to the first and
//! last (a roving tabindex).

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::domain::scenario::{Field, TaskDraft, TaskId, TaskKind};

/// The problems of one row: which field and the message.
pub type RowProblems = Vec<(Field, String)>;

/// One field of a task, as the user changed it (text as typed).
#[derive(Clone, Debug, PartialEq)]
pub enum TaskEdit {
    Label(String),
    Duration(String),
    Kind(TaskKind),
    Message(String),
    Timeout(String),
    Items(String),
    Body(String),
    Move(isize),
    Duplicate,
    Remove,
}

#[derive(Properties, PartialEq)]
pub struct TaskRowProps {
    pub draft: TaskDraft,
    pub index: usize,
    pub count: usize,
    pub problems: RowProblems,
    pub on_edit: Callback<(TaskId, TaskEdit)>,
}

/// Two overlapping squares (no font has a reliable "duplicate" glyph).
fn copy_icon() -> Html {
    html! {
        <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <rect x="5" y="5" width="9" height="9" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.5" />
            <path d="M3 11V3.5C3 2.7 3.7 2 4.5 2H11" fill="none" stroke="currentColor" stroke-width="1.5" />
        </svg>
    }
}

/// The control a key moves to from control `cell` of `cells`, if the key
/// is a row move and the control does not need it (a text field keeps the
/// keys that move its caret, until the caret is at that end).
fn roving_target(e: &KeyboardEvent, cell: usize, cells: usize) -> Option<usize> {
    if e.ctrl_key() || e.meta_key() || e.alt_key() || e.shift_key() {
        return None;
    }
    let key = e.key();
    let (back, next) = match key.as_str() {
        "ArrowLeft" => (true, cell.checked_sub(1)?),
        "ArrowRight" => (false, cell + 1),
        "Home" => (true, 0),
        "End" => (false, cells - 1),
        _ => return None,
    };
    if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
        // Selection offsets count UTF-16 units.
        let len = input.value().encode_utf16().count() as u32;
        let start = input.selection_start().ok().flatten().unwrap_or(0);
        let end = input.selection_end().ok().flatten().unwrap_or(len);
        let at_end = if back { start == 0 } else { end >= len };
        if !at_end {
            return None;
        }
    }
    (next < cells && next != cell).then_some(next)
}

#[component(TaskRow)]
pub fn task_row(props: &TaskRowProps) -> Html {
    let id = props.draft.id;
    let click = |edit: TaskEdit| {
        props
            .on_edit
            .reform(move |_: MouseEvent| (id, edit.clone()))
    };
    // aria-disabled, not disabled: a button disabled while focused (moved
    // to the top) drops focus to the page.
    let moves = |delta: isize, off: bool| {
        let on_edit = props.on_edit.clone();
        Callback::from(move |_: MouseEvent| {
            if !off {
                on_edit.emit((id, TaskEdit::Move(delta)));
            }
        })
    };
    let text = |edit: fn(String) -> TaskEdit| {
        props.on_edit.reform(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            (id, edit(input.value()))
        })
    };
    let on_kind = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Some(kind) = TaskKind::from_slug(&select.value()) {
                on_edit.emit((id, TaskEdit::Kind(kind)));
            }
        })
    };
    let has = |field: Field| props.problems.iter().any(|(f, _)| *f == field);
    let kind = props.draft.kind;
    let label_bad = has(Field::Label);
    let duration_bad = has(Field::Duration);
    let n = props.index + 1;
    let (first, last) = (props.index == 0, n == props.count);
    let error_id = format!("task-{}-error", id.0);
    let described = (!props.problems.is_empty()).then(|| error_id.clone());
    // Roving tabindex: cells are numbered fields first (name, kind,
    // duration, the kind's own fields, timeout), then the four buttons.
    let extras = match kind {
        TaskKind::Fail => 1,
        TaskKind::Stream => 2,
        _ => 0,
    };
    let cells = 3 + extras + 1 + 4;
    let active = use_state_eq(|| 0usize);
    let current = (*active).min(cells - 1);
    let cell = |n: usize| n.to_string();
    let tab = |n: usize| if n == current { "0" } else { "-1" };
    let button = 3 + extras + 1;
    let onfocusin = {
        let active = active.clone();
        Callback::from(move |e: FocusEvent| {
            let at = e
                .target_dyn_into::<web_sys::Element>()
                .and_then(|t| t.get_attribute("data-cell"))
                .and_then(|c| c.parse::<usize>().ok());
            if let Some(at) = at {
                active.set(at);
            }
        })
    };
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        let Some(target) = e.target_dyn_into::<web_sys::Element>() else {
            return;
        };
        let at = target
            .get_attribute("data-cell")
            .and_then(|c| c.parse::<usize>().ok());
        let Some(next) = at.and_then(|at| roving_target(&e, at, cells)) else {
            return;
        };
        let found = target
            .closest(".task-row")
            .ok()
            .flatten()
            .and_then(|row| {
                row.query_selector(&format!("[data-cell=\"{next}\"]"))
                    .ok()
                    .flatten()
            })
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(el) = found {
            e.prevent_default();
            let _ = el.focus();
        }
    });
    html! {
        <li class={classes!("task-row", (!props.problems.is_empty()).then_some("has-error"))}
            {onfocusin} {onkeydown}>
            <span class="task-number" aria-hidden="true">{ n }</span>
            <input class={classes!("task-label", label_bad.then_some("invalid"))}
                type="text" value={props.draft.label.clone()}
                data-cell={cell(0)} tabindex={tab(0)}
                aria-label={format!("Task {n} name")}
                aria-invalid={label_bad.to_string()}
                aria-describedby={described.clone()}
                oninput={text(TaskEdit::Label)} />
            <select class="task-kind" aria-label={format!("Task {n} kind")} onchange={on_kind}
                data-cell={cell(1)} tabindex={tab(1)}>
                { for TaskKind::ALL.iter().map(|k| html! {
                    <option value={k.slug()} selected={*k == kind}>{ k.label() }</option>
                }) }
            </select>
            <span class="duration" title={if kind == TaskKind::Stream { "Interval between items" } else { "Duration" }}>
                <input class={classes!("task-duration", duration_bad.then_some("invalid"))}
                    type="text" inputmode="numeric" value={props.draft.duration_text.clone()}
                    data-cell={cell(2)} tabindex={tab(2)}
                    aria-label={format!("Task {n} duration in milliseconds")}
                    aria-invalid={duration_bad.to_string()}
                    aria-describedby={described}
                    oninput={text(TaskEdit::Duration)} />
                <span class="unit" aria-hidden="true">{ "ms" }</span>
            </span>
            <span class="row-actions">
                <button class="icon-btn move-up" aria-label={format!("Move task {n} up")} title="Move up"
                    data-cell={cell(button)} tabindex={tab(button)}
                    aria-disabled={first.then_some("true")} onclick={moves(-1, first)}>{ "↑" }</button>
                <button class="icon-btn move-down" aria-label={format!("Move task {n} down")} title="Move down"
                    data-cell={cell(button + 1)} tabindex={tab(button + 1)}
                    aria-disabled={last.then_some("true")} onclick={moves(1, last)}>{ "↓" }</button>
                <button class="icon-btn duplicate" aria-label={format!("Duplicate task {n}")} title="Duplicate"
                    data-cell={cell(button + 2)} tabindex={tab(button + 2)}
                    onclick={click(TaskEdit::Duplicate)}>{ copy_icon() }</button>
                <button class="icon-btn remove" aria-label={format!("Remove task {n}")} title="Remove"
                    data-cell={cell(button + 3)} tabindex={tab(button + 3)}
                    onclick={click(TaskEdit::Remove)}>{ "✕" }</button>
            </span>
            <span class="task-extra">
                if kind == TaskKind::Fail {
                    <label>{ "raises" }
                        <input class={classes!("task-message", has(Field::Message).then_some("invalid"))}
                            type="text" value={props.draft.message.clone()}
                            data-cell={cell(3)} tabindex={tab(3)}
                            aria-label={format!("Task {n} exception message")}
                            aria-invalid={has(Field::Message).to_string()}
                            oninput={text(TaskEdit::Message)} />
                    </label>
                }
                if kind == TaskKind::Stream {
                    <label>
                        <input class={classes!("task-items", "small", has(Field::Items).then_some("invalid"))}
                            type="text" inputmode="numeric" value={props.draft.items_text.clone()}
                            data-cell={cell(3)} tabindex={tab(3)}
                            aria-label={format!("Task {n} number of items")}
                            aria-invalid={has(Field::Items).to_string()}
                            oninput={text(TaskEdit::Items)} />
                        { "items, body" }
                    </label>
                    <label>
                        <input class={classes!("task-body", "small", has(Field::Body).then_some("invalid"))}
                            type="text" inputmode="numeric" value={props.draft.body_text.clone()}
                            data-cell={cell(4)} tabindex={tab(4)}
                            aria-label={format!("Task {n} loop body time in milliseconds")}
                            aria-invalid={has(Field::Body).to_string()}
                            oninput={text(TaskEdit::Body)} />
                        { "ms each" }
                    </label>
                }
                <label>
                    { "timeout" }
                    <input class={classes!("task-timeout", "small", has(Field::Timeout).then_some("invalid"))}
                        type="text" inputmode="numeric" placeholder="none" value={props.draft.timeout_text.clone()}
                        data-cell={cell(3 + extras)} tabindex={tab(3 + extras)}
                        aria-label={format!("Task {n} timeout in milliseconds (empty for none)")}
                        aria-invalid={has(Field::Timeout).to_string()}
                        oninput={text(TaskEdit::Timeout)} />
                    { "ms" }
                </label>
            </span>
            if !props.problems.is_empty() {
                <ul class="row-errors" id={error_id}>
                    { for props.problems.iter().map(|(_, m)| html! { <li class="error">{ m }</li> }) }
                </ul>
            }
        </li>
    }
}
