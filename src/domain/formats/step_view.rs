//! "Inside the loop": one step of the event log as the stepper shows it,
//! written by the tools worker as HTML (so the app's first-load wasm
//! carries none of it): the step's sentence; the loop, GIL and task lanes
//! shaded by state with the cursor at the step's time and, where the run
//! was measured, the measured bars under the model's; the loop's queues at
//! that moment; and the lesson program with the running line marked.
//!
//! The job names a step, or a time (a dragged cursor), and carries either a
//! scenario document or a measured run ([`step_view_request`]).

use std::fmt::Write;

use crate::domain::analysis::compare_table::escape;
use crate::domain::codegen::lesson::lesson_program;
use crate::domain::formats::codec;
use crate::domain::formats::export::ExportRun;
use crate::domain::model::log::{
    event_log, CallbackView, EventLog, GilHolder, LogStep, LoopHolder, Snapshot, Snapshots,
    StepKind, TaskState, TimerView,
};
use crate::domain::run::measured_states::{measured_bar, MeasuredBar};
use crate::domain::run::measurement::Measurement;
use crate::domain::scenario::{RunMode, Scenario};
use crate::domain::text::decimal::Fixed;
use crate::domain::text::plural;

/// Rows of task lanes drawn; the rest are counted.
pub const MAX_LANES: usize = 40;
/// Items listed per queue; the rest are counted.
const MAX_LISTED: usize = 12;
/// A timer this much past its deadline (ms) is late: below it, the
/// difference is rounding, not a busy loop.
const LATE_MS: f64 = 0.05;

/// The timers still in the heap after the step whose deadline has passed
/// (the loop was held past them), with how late each is (ms), by deadline.
pub fn overdue(snapshot: &Snapshot) -> Vec<(&TimerView, f64)> {
    snapshot
        .timers
        .iter()
        .map(|t| (t, snapshot.now_ms - t.due_ms))
        .filter(|&(_, late)| late >= LATE_MS)
        .collect()
}

/// What a step did to the timers ([`timers_note`]).
#[derive(Clone, Debug, PartialEq)]
pub struct TimersNote {
    /// Timers wait past their deadline (or fired past it).
    pub late: bool,
    pub text: String,
}

/// What the step did to the timers, in a sentence: a step that blocks
/// while timers are due says how many wait and how late; a step where
/// timers come due says whether they fire on time.
pub fn timers_note(step: &LogStep) -> Option<TimersNote> {
    let worst = |lates: &mut dyn Iterator<Item = f64>| lates.fold(0.0, f64::max);
    if let StepKind::TimersDue { timers } = &step.kind {
        let one = timers.len() == 1;
        let (it, fires, up_to) = if one {
            ("It", "fires", "")
        } else {
            ("They", "fire", "up to ")
        };
        let late_ms = worst(&mut timers.iter().map(|t| step.at_ms - t.due_ms));
        let late = late_ms >= LATE_MS;
        let text = if late {
            format!(
                "{it} {fires} {up_to}{} late: a blocking call held the loop.",
                ms(late_ms)
            )
        } else {
            format!("{it} {fires} on time: the loop was free.")
        };
        return Some(TimersNote { late, text });
    }
    let snapshot = step.snapshot.as_ref()?;
    let overdue = overdue(snapshot);
    if overdue.is_empty() {
        return None;
    }
    let (is, they_wait, up_to) = if overdue.len() == 1 {
        ("is", "it waits", "")
    } else {
        ("are", "they wait", "up to ")
    };
    let late = ms(worst(&mut overdue.iter().map(|&(_, late)| late)));
    let n = plural(overdue.len(), "timer", "timers");
    let now = ms(snapshot.now_ms);
    let text = if step.end_ms > step.at_ms {
        format!(
            "The loop is blocked while {n} {is} due: at {now} {they_wait} in the heap, {up_to}{late} late."
        )
    } else {
        format!(
            "{n} {is} overdue: at {now} {they_wait} in the heap, {up_to}{late} late, for the loop's next turn."
        )
    };
    Some(TimersNote { late: true, text })
}

/// Where the stepper's cursor is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cursor {
    Step(usize),
    /// The last step begun at or before this time (ms).
    At(f64),
}

/// The payload: the cursor (`s12` or `t250.5`), a newline, then `D` and a
/// scenario document, or `R` and a run as [`super::tools::export_request`]
/// writes it.
pub fn step_view_request(cursor: Cursor, subject: &str) -> String {
    let cursor = match cursor {
        Cursor::Step(step) => format!("s{step}"),
        // Fixed, not `{ms}`: core's float printer would be the app's only
        // user of it (about 8 KB of its wasm). Microseconds are plenty.
        Cursor::At(ms) => format!("t{}", Fixed(ms, 3)),
    };
    format!("{cursor}\n{subject}")
}

/// The answer: the step count, the step shown, its time (ms), its
/// sentence, the lesson program's HTML with the step's line marked (for
/// the Code view; its newlines written `&#10;`) and the step's HTML, one
/// per line ([`read_step_view`]).
pub fn answer_step_view(payload: &str) -> Result<String, String> {
    let (cursor, subject) = payload
        .split_once('\n')
        .ok_or("the step job names no step")?;
    let cursor = match cursor.split_at_checked(1) {
        Some(("s", n)) => Cursor::Step(n.trim().parse().map_err(|_| "a bad step number")?),
        Some(("t", ms)) => {
            let ms: f64 = crate::domain::text::decimal::parse_decimal(ms.trim())
                .filter(|ms| ms.is_finite())
                .ok_or("a bad cursor time")?;
            Cursor::At(ms)
        }
        _ => return Err("the step job names no step".to_string()),
    };
    let (kind, body) = subject
        .split_at_checked(1)
        .ok_or("the step job has no subject")?;
    let (scenario, mode, measured) = match kind {
        "D" => {
            let doc = codec::from_json(body).map_err(|e| e.to_string())?;
            let scenario = doc
                .validate()
                .map_err(|e| format!("the scenario has {} problem(s)", e.len()))?;
            (scenario, doc.mode, None)
        }
        "R" => {
            let run: ExportRun = codec::export_from_json(body).map_err(|e| e.to_string())?;
            let scenario = run
                .run
                .scenario
                .validate()
                .map_err(|e| format!("the run's scenario has {} problem(s)", e.len()))?;
            (scenario, run.run.mode, Some(run.run.measurement))
        }
        _ => return Err("the step job's subject is neither a scenario nor a run".to_string()),
    };
    let (step, view) = step_view(&scenario, mode, cursor, measured.as_ref());
    // Lines, not JSON: the app reads it without a JSON parser. The sentence
    // has no newline (the log writes none); the HTML is the rest.
    Ok(format!(
        "{}\n{step}\n{}\n{}\n{}\n{}",
        view.count,
        json_number(view.at_ms),
        view.text.replace('\n', " "),
        view.lesson,
        view.html
    ))
}

/// What [`answer_step_view`] wrote: (count, step, at_ms, sentence,
/// lesson, html).
pub type StepAnswer<'a> = (usize, usize, f64, &'a str, &'a str, &'a str);

/// Reads what [`answer_step_view`] wrote.
pub fn read_step_view(answer: &str) -> Result<StepAnswer<'_>, String> {
    let mut parts = answer.splitn(6, '\n');
    let mut next = || parts.next().ok_or("the step answer is cut short");
    let count = next()?.parse().map_err(|_| "a bad step count")?;
    let step = next()?.parse().map_err(|_| "a bad step number")?;
    let at_ms = crate::domain::text::decimal::parse_decimal(next()?).unwrap_or(0.0);
    let text = next()?;
    let lesson = next()?;
    let html = next()?;
    Ok((count, step, at_ms, text, lesson, html))
}

fn json_number(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        "0".to_string()
    }
}

/// One step, drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct StepView {
    /// Steps in the log (as kept: a very long run's log is cut).
    pub count: usize,
    pub at_ms: f64,
    /// The step's sentence, for the slider's spoken value.
    pub text: String,
    /// The lesson program, its step's line marked, as one line of HTML
    /// (newlines written `&#10;`): the Code view shows it.
    pub lesson: String,
    pub html: String,
}

/// Step `cursor` of `scenario` run in `mode`, with the measured run if any.
/// Returns the step shown (clamped to the log) and its view.
pub fn step_view(
    scenario: &Scenario,
    mode: RunMode,
    cursor: Cursor,
    measured: Option<&Measurement>,
) -> (usize, StepView) {
    // A step number is run to at once, with its snapshot; a time (or a
    // step past the end) needs the steps' times first, then a second run
    // for that step's snapshot.
    let first = event_log(
        scenario,
        mode,
        match cursor {
            Cursor::Step(step) => Snapshots::At(step),
            Cursor::At(_) => Snapshots::None,
        },
    );
    let count = first.steps.len();
    let step = match cursor {
        Cursor::Step(step) => step.min(count.saturating_sub(1)),
        Cursor::At(ms) => first.step_at(ms),
    };
    let log = if first.steps.get(step).is_some_and(|s| s.snapshot.is_some()) {
        first
    } else {
        event_log(scenario, mode, Snapshots::At(step))
    };
    let lesson = lesson_program(scenario, mode);
    let mut html = String::new();
    let at_ms = log.steps.get(step).map_or(0.0, |s| s.at_ms);
    let mut lesson_html = String::new();
    if let Some(s) = log.steps.get(step) {
        let _ = write!(
            html,
            "<p class=\"hint\">What the event loop does, callback by callback: each step is \
             one callback of one turn of the loop (<code>_run_once</code>), or the timers that \
             came due.</p>\
             <p class=\"sv-head\"><strong>Step {} of {}</strong> · loop iteration {} · at {}</p>\
             <p class=\"sv-text\">{}</p>",
            step + 1,
            count,
            s.iteration,
            ms(s.at_ms),
            escape(&s.text)
        );
        if let Some(note) = timers_note(s) {
            let _ = write!(
                html,
                "<p class=\"sv-note{}\">{}</p>",
                if note.late { " sv-late" } else { "" },
                escape(&note.text)
            );
        }
        if log.truncated {
            let _ = write!(
                html,
                "<p class=\"hint\">The log keeps the first {count} of {} steps.</p>",
                log.step_count
            );
        }
        html.push_str("<div class=\"sv-body\">");
        let late = s.snapshot.as_ref().map(overdue).unwrap_or_default();
        let bars = measured.map(|m| measured_bars(scenario, m));
        lanes(
            &mut html,
            scenario,
            &log,
            at_ms,
            &late,
            measured,
            bars.as_deref(),
        );
        html.push_str("<div class=\"sv-side\">");
        if let Some(snapshot) = &s.snapshot {
            queues(&mut html, scenario, snapshot);
        }
        if let Some(m) = measured {
            measured_now(
                &mut html,
                &log,
                m,
                bars.as_deref().unwrap_or_default(),
                at_ms,
            );
        }
        html.push_str("</div></div>");
        let line = lesson.line_of(s.place);
        code(&mut html, &lesson.text, line);
        marked_lines(&mut lesson_html, &lesson.text, line, "&#10;");
    }
    let text = log.steps.get(step).map_or(String::new(), |s| {
        let note = timers_note(s).map_or(String::new(), |n| format!(". {}", n.text));
        format!("at {}, {}{note}", ms(s.at_ms), s.text)
    });
    (
        step,
        StepView {
            count,
            at_ms,
            text,
            lesson: lesson_html,
            html,
        },
    )
}

fn ms(x: f64) -> String {
    if x.abs() >= 10_000.0 {
        format!("{} s", Fixed(x / 1000.0, 2))
    } else if x.fract() == 0.0 {
        format!("{} ms", Fixed(x, 0))
    } else {
        format!("{} ms", Fixed(x, 1))
    }
}

fn pct(x: f64, span: f64) -> String {
    let p = if span > 0.0 {
        (x / span * 100.0).clamp(0.0, 100.0)
    } else {
        0.0
    };
    format!("{}%", Fixed(p, 3))
}

fn label(scenario: &Scenario, task: usize) -> String {
    scenario
        .tasks
        .get(task)
        .map_or_else(|| format!("task {}", task + 1), |t| t.label.clone())
}

/// Each task's measured bar, shaded where the run measured its state.
fn measured_bars(scenario: &Scenario, m: &Measurement) -> Vec<Option<MeasuredBar>> {
    let end = m
        .total_ms
        .filter(|x| x.is_finite())
        .unwrap_or(m.last_event_ms);
    m.tasks
        .iter()
        .zip(&scenario.tasks)
        .map(|(measured, task)| measured_bar(task, measured, end))
        .collect()
}

/// The lanes: the loop (with a tick at the deadline of each overdue
/// timer), the GIL (when modelled), then each task's states, with the
/// measured bar under the model's and the cursor across them all.
fn lanes(
    html: &mut String,
    scenario: &Scenario,
    log: &EventLog,
    at_ms: f64,
    late: &[(&TimerView, f64)],
    measured: Option<&Measurement>,
    bars: Option<&[Option<MeasuredBar>]>,
) {
    let measured_end = measured
        .and_then(|m| m.total_ms)
        .filter(|x| x.is_finite())
        .unwrap_or(0.0);
    let span = log.prediction.total_ms.max(measured_end).max(1.0);
    let _ = write!(
        html,
        "<div class=\"sv-chart\"><div class=\"sv-lanes\" data-span-ms=\"{}\" aria-hidden=\"true\">",
        json_number(span)
    );
    // Loop lane.
    let cursor = pct(at_ms, span);
    let track =
        |html: &mut String| html.push_str("<svg class=\"sv-track\" width=\"100%\" height=\"14\">");
    let end_track = |html: &mut String| {
        let _ = write!(
            html,
            "<rect class=\"sv-cursor\" x=\"{cursor}\" width=\"2\" height=\"14\"/></svg></div>"
        );
    };
    html.push_str("<div class=\"sv-lane sv-loop\"><span class=\"sv-name\">loop</span>");
    track(html);
    for seg in &log.loop_lane {
        let (class, title) = match seg.holder {
            LoopHolder::Idle => ("idle".to_string(), "idle: waiting for timers".to_string()),
            LoopHolder::Blocking { task } => (
                "blocking".to_string(),
                format!("blocked by {}", label(scenario, task)),
            ),
        };
        bar(html, &class, seg.start_ms, seg.end_ms, span, &title);
    }
    for (timer, late_ms) in late {
        let _ = write!(
            html,
            "<rect class=\"sv-due\" x=\"{}\" width=\"3\" height=\"14\"><title>{}: {} late</title></rect>",
            pct(timer.due_ms, span),
            escape(&timer.text),
            ms(*late_ms)
        );
    }
    end_track(html);
    if !log.gil_lane.is_empty() {
        html.push_str("<div class=\"sv-lane sv-gil\"><span class=\"sv-name\">GIL</span>");
        track(html);
        for seg in &log.gil_lane {
            let title = match &seg.holder {
                GilHolder::Free => "free".to_string(),
                GilHolder::Thread { task } => {
                    format!("held by {}'s thread", label(scenario, *task))
                }
                GilHolder::TakingTurns { tasks } => {
                    format!("{} threads take turns every 5 ms", tasks.len())
                }
            };
            let class = match seg.holder {
                GilHolder::Free => "idle",
                _ => "thread",
            };
            bar(html, class, seg.start_ms, seg.end_ms, span, &title);
        }
        end_track(html);
    }
    for (task, segments) in log.segments.iter().enumerate().take(MAX_LANES) {
        let _ = write!(
            html,
            "<div class=\"sv-lane\"><span class=\"sv-name\">{}</span>",
            escape(&label(scenario, task))
        );
        let bar_of = bars.and_then(|b| b.get(task)).and_then(Option::as_ref);
        // With a run, the track is taller: the measured bar lies under the model's.
        let height = if bars.is_some() { 22 } else { 14 };
        let _ = write!(
            html,
            "<svg class=\"sv-track\" width=\"100%\" height=\"{height}\">"
        );
        for seg in segments {
            bar(
                html,
                &format!("st-{}", seg.state.slug()),
                seg.start_ms,
                seg.end_ms,
                span,
                seg.state.legend(),
            );
        }
        if let Some(b) = bar_of {
            measured_lane(html, b, span);
        }
        let _ = write!(
            html,
            "<rect class=\"sv-cursor\" x=\"{cursor}\" width=\"2\" height=\"{height}\"/></svg></div>"
        );
    }
    if log.segments.len() > MAX_LANES {
        let _ = write!(
            html,
            "<p class=\"hint\">The first {MAX_LANES} of {} tasks are drawn.</p>",
            log.segments.len()
        );
    }
    let _ = write!(
        html,
        "<p class=\"sv-axis\" aria-hidden=\"true\"><span>0 ms</span><span>{}</span></p></div>",
        ms(span)
    );
    legend(html, log, !late.is_empty(), bars);
    html.push_str("</div>");
}

/// A measured bar, 14 to 22 px down its track: plain where the run
/// measured nothing inside it, shaded by state where it did, with a mark
/// where it was cancelled.
fn measured_lane(html: &mut String, b: &MeasuredBar, span: f64) {
    let rect = |html: &mut String, class: &str, start: f64, end: f64, title: &str| {
        svg_rect(
            html,
            class,
            "y=\"14\" height=\"8\"",
            (start, end, span),
            "measured: ",
            title,
        );
    };
    rect(
        html,
        "sv-measured",
        b.start_ms,
        b.end_ms,
        "not known inside",
    );
    for seg in &b.segments {
        let class = format!("sv-mseg st-{}", seg.state.slug());
        rect(html, &class, seg.start_ms, seg.end_ms, seg.state.legend());
    }
    if b.cancelled {
        // Wide enough to see at any span: 0.8% of the chart.
        let from = (b.end_ms - span * 0.008).max(b.start_ms);
        rect(
            html,
            "sv-mseg st-cancelled",
            from,
            b.end_ms,
            "cancelled here",
        );
    }
}

fn bar(html: &mut String, class: &str, start: f64, end: f64, span: f64, title: &str) {
    if end <= start {
        return;
    }
    svg_rect(
        html,
        &format!("sv-seg {class}"),
        "height=\"11\"",
        (start, end, span),
        "",
        title,
    );
}

/// An SVG rect over `[start, end)` of a `span`-wide track (x and width in
/// %), with its `other` attributes and a tooltip `prefix` + `title`.
fn svg_rect(
    html: &mut String,
    class: &str,
    other: &str,
    (start, end, span): (f64, f64, f64),
    prefix: &str,
    title: &str,
) {
    let _ = write!(
        html,
        "<rect class=\"{class}\" x=\"{}\" width=\"{}\" {other}><title>{prefix}{}</title></rect>",
        pct(start, span),
        pct(end - start, span),
        escape(title)
    );
}

/// The shades the lanes use, in plain words, and what the measured bars
/// can and cannot show.
fn legend(html: &mut String, log: &EventLog, late: bool, bars: Option<&[Option<MeasuredBar>]>) {
    let measured = bars.unwrap_or_default().iter().flatten();
    html.push_str("<ul class=\"legend sv-legend\" aria-label=\"Shades\">");
    for state in TaskState::ALL {
        let in_model = log.segments.iter().flatten().any(|s| s.state == state);
        let in_run = measured.clone().any(|b| {
            b.segments.iter().any(|s| s.state == state)
                || (state == TaskState::Cancelled && b.cancelled)
        });
        if in_model || in_run {
            let _ = write!(
                html,
                "<li><span class=\"swatch st-{}\" aria-hidden=\"true\"></span>{}</li>",
                state.slug(),
                state.legend()
            );
        }
    }
    // The loop lane's red is the blocking task's own: name it once.
    let blocking_task = log
        .segments
        .iter()
        .flatten()
        .any(|s| s.state == TaskState::Blocking);
    if !blocking_task
        && log
            .loop_lane
            .iter()
            .any(|s| matches!(s.holder, LoopHolder::Blocking { .. }))
    {
        html.push_str(
            "<li><span class=\"swatch blocking\" aria-hidden=\"true\"></span>loop blocked</li>",
        );
    }
    if late {
        html.push_str(
            "<li><span class=\"swatch sv-due-swatch\" aria-hidden=\"true\"></span>an overdue timer's deadline</li>",
        );
    }
    if measured.clone().any(|b| b.segments.is_empty()) {
        html.push_str("<li><span class=\"swatch sv-measured-swatch\" aria-hidden=\"true\"></span>measured, state not known</li>");
    }
    html.push_str("<li><span class=\"swatch sv-cursor-swatch\" aria-hidden=\"true\"></span>this step</li></ul>");
    if bars.is_some() {
        html.push_str(
            "<p class=\"hint sv-measured-note\">Each task's lower bar is the run, shaded by what it measured: \
             when a task started and ended, when its to_thread job began and ended on a pool thread and \
             how long it held that thread (less: it took turns for the GIL), and a timer's task \
             resuming after its timer was due. Not measured: the instants a coroutine runs \
             between awaits, and the inside of a to_thread task whose job never reported back \
             (cancelled): that bar is plain.</p>",
        );
    }
}

fn list_of<T>(
    html: &mut String,
    title: &str,
    items: &[T],
    empty: &str,
    item: impl Fn(&T) -> String,
) {
    let _ = write!(html, "<h4>{title}</h4>");
    if items.is_empty() {
        let _ = write!(html, "<p class=\"sv-empty\">{empty}</p>");
        return;
    }
    html.push_str("<ol>");
    for x in items.iter().take(MAX_LISTED) {
        let _ = write!(html, "<li>{}</li>", escape(&item(x)));
    }
    html.push_str("</ol>");
    if items.len() > MAX_LISTED {
        let _ = write!(
            html,
            "<p class=\"hint\">and {} more</p>",
            items.len() - MAX_LISTED
        );
    }
}

/// The timer heap by deadline, the overdue ones marked with how late.
fn timers(html: &mut String, s: &Snapshot) {
    let overdue = overdue(s).len();
    html.push_str("<h4>Timers, by deadline</h4>");
    if s.timers.is_empty() {
        html.push_str("<p class=\"sv-empty\">none</p>");
        return;
    }
    if overdue > 0 {
        let _ = write!(
            html,
            "<p class=\"sv-overdue-count\">{} overdue at {}: the loop has not got to {}.</p>",
            plural(overdue, "timer", "timers"),
            ms(s.now_ms),
            if overdue == 1 { "it" } else { "them" }
        );
    }
    html.push_str("<ol class=\"sv-timers\">");
    for t in s.timers.iter().take(MAX_LISTED) {
        let late = s.now_ms - t.due_ms;
        if late >= LATE_MS {
            let _ = write!(
                html,
                "<li class=\"sv-overdue\">{} — overdue, {} late</li>",
                escape(&t.text),
                ms(late)
            );
        } else {
            let _ = write!(html, "<li>{}</li>", escape(&t.text));
        }
    }
    html.push_str("</ol>");
    if s.timers.len() > MAX_LISTED {
        let _ = write!(
            html,
            "<p class=\"hint\">and {} more</p>",
            s.timers.len() - MAX_LISTED
        );
    }
}

/// The loop's state right after the step.
fn queues(html: &mut String, scenario: &Scenario, s: &Snapshot) {
    html.push_str("<section class=\"sv-queues\" aria-label=\"The loop at this step\">");
    let _ = write!(
        html,
        "<h4>Running</h4><p>{}</p>",
        s.running
            .as_ref()
            .map_or("nothing: the loop is between callbacks".to_string(), |c| {
                escape(&c.text)
            })
    );
    list_of(
        html,
        "Ready queue",
        &s.ready,
        "empty",
        |c: &CallbackView| c.text.clone(),
    );
    timers(html, s);
    if !s.threads.is_empty() || !s.pool_queue.is_empty() {
        list_of(
            html,
            &format!("Threads ({} of {} busy)", s.threads.len(), s.pool_size),
            &s.threads,
            "none busy",
            |t| {
                let what = if t.cpu { "CPU work" } else { "blocking wait" };
                let gil = match s.gil_holder {
                    Some(h) if h == t.task && t.cpu => ", holds the GIL",
                    _ if t.cpu && s.gil_waiting.contains(&t.task) => ", waits for the GIL",
                    _ => "",
                };
                let orphan = if t.orphaned {
                    " (its task was cancelled)"
                } else {
                    ""
                };
                format!(
                    "{}: {what}, {} left{gil}{orphan}",
                    label(scenario, t.task),
                    ms(t.left_ms)
                )
            },
        );
        list_of(
            html,
            "Waiting for a thread",
            &s.pool_queue,
            "nobody",
            |&t| label(scenario, t),
        );
    }
    if let Some(free) = s.permits_free {
        let _ = write!(html, "<h4>Semaphore</h4><p>{free} permit(s) free</p>");
        list_of(
            html,
            "Waiting for a permit",
            &s.permit_waiters,
            "nobody",
            |&t| label(scenario, t),
        );
    }
    let _ = write!(
        html,
        "<h4>The awaiting code</h4><p>{}</p>",
        escape(&s.caller)
    );
    let counts = TaskState::ALL
        .iter()
        .filter_map(|&state| {
            let n = s.states.iter().filter(|x| **x == Some(state)).count();
            (n > 0).then(|| format!("{n} {}", state.legend()))
        })
        .collect::<Vec<_>>();
    let _ = write!(
        html,
        "<h4>Tasks</h4><p>{}{} ended.</p></section>",
        if counts.is_empty() {
            String::new()
        } else {
            format!("{}; ", escape(&counts.join("; ")))
        },
        s.ended
    );
}

/// What the measured run shows at the cursor's time, beside the model.
fn measured_now(
    html: &mut String,
    log: &EventLog,
    m: &Measurement,
    bars: &[Option<MeasuredBar>],
    at_ms: f64,
) {
    let started = |s: Option<f64>| s.is_some_and(|x| x <= at_ms);
    let model_started = log
        .prediction
        .tasks
        .iter()
        .filter(|t| started(t.start_ms))
        .count();
    let model_ended = log
        .prediction
        .tasks
        .iter()
        .filter(|t| started(t.end_ms))
        .count();
    let run_started = m.tasks.iter().filter(|t| started(t.start_ms)).count();
    let run_ended = m.tasks.iter().filter(|t| started(t.end_ms)).count();
    // The heartbeat nearest the cursor (a sample is (due time, lateness)).
    let lag = m
        .lag
        .iter()
        .filter(|(t, _)| (t - at_ms).abs() <= 20.0)
        .map(|&(_, lag)| lag)
        .fold(None, |a: Option<f64>, x| Some(a.map_or(x, |a| a.max(x))));
    let _ = write!(
        html,
        "<section class=\"sv-now\" aria-label=\"Model and run at this moment\"><h4>At {}</h4>\
         <p>Model: {model_started} started, {model_ended} ended. Run: {run_started} started, {run_ended} ended.</p>",
        ms(at_ms)
    );
    let counts = TaskState::ALL
        .iter()
        .filter_map(|&state| {
            let n = bars
                .iter()
                .flatten()
                .filter(|b| b.state_at(at_ms) == Some(state))
                .count();
            (n > 0).then(|| format!("{n} {}", state.legend()))
        })
        .collect::<Vec<_>>();
    if !counts.is_empty() {
        let _ = write!(
            html,
            "<p class=\"sv-run-states\">In the run then: {}.</p>",
            escape(&counts.join("; "))
        );
    }
    match lag {
        Some(lag) if lag >= 1.0 => {
            let _ = write!(
                html,
                "<p>The loop answered its heartbeat {} late then.</p>",
                ms(lag)
            );
        }
        _ => html.push_str("<p>The loop answered its heartbeat on time then.</p>"),
    }
    html.push_str("</section>");
}

/// The lesson program, the running line marked.
fn code(html: &mut String, text: &str, line: Option<usize>) {
    html.push_str(
        "<figure class=\"sv-code\"><figcaption>The program, as a tutorial prints it</figcaption><pre tabindex=\"0\"><code>",
    );
    marked_lines(html, text, line, "\n");
    html.push_str("</code></pre></figure>");
}

/// `text`'s lines, escaped, each followed by `newline`, line `line`
/// (1-based) marked as the running one.
fn marked_lines(html: &mut String, text: &str, line: Option<usize>, newline: &str) {
    for (i, l) in text.lines().enumerate() {
        if Some(i + 1) == line {
            let _ = write!(
                html,
                "<mark class=\"sv-line\" data-line=\"{}\" aria-current=\"true\">{}</mark>{newline}",
                i + 1,
                escape(l)
            );
        } else {
            let _ = write!(html, "{}{newline}", escape(l));
        }
    }
}
