//! A run as a file: Chrome trace-event JSON (opens in Perfetto and
//! chrome://tracing, and reads back in), and CSV for spreadsheets.
//!
//! The trace has one track per task (pid 1, tid = index + 1) with the task
//! as a complete event (`X`), stream items as instant events (`i`), the
//! loop lag as a counter (`C`), the caller's resumption and the run's end on
//! a "caller" track (tid 0), and the prediction as a second process (pid 2)
//! so both can be seen together. The scenario itself travels in
//! `metadata.async_playground`, which is what import rebuilds it from.
//!
//! A run is exported as it was shown ([`ExportRun`]): its scenario as the
//! editor text it came from, its measurement, and its prediction as it was
//! made, never worked out again. Import reads back a [`SavedRun`]; the
//! history predicts it again when it loads it.

use serde_json::{json, Map, Value};

use crate::domain::model::{Outcome, Prediction};
use crate::domain::run::measurement::{is_measured_time, Measurement, MAX_UNIX_MS};
use crate::domain::run::{Run, SavedRun};
use crate::domain::scenario::doc::ScenarioDoc;
use crate::domain::scenario::{
    OptionTexts, RunMode, RunOptions, TaskDraft, TaskId, TaskKind, MAX_STREAM_ITEMS,
};
use crate::domain::text::decimal::fixed;

/// Version of the `async_playground` metadata block.
pub const TRACE_FORMAT_VERSION: u64 = 1;
/// Largest trace text import reads, in bytes.
pub const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;
/// Most trace events import reads.
pub const MAX_IMPORT_EVENTS: usize = 2_000_000;

const MEASURED_PID: u64 = 1;
const PREDICTED_PID: u64 = 2;
const CALLER_TID: u64 = 0;
const LAG_COUNTER: &str = "loop lag (ms)";
const CALLER_RESUMED: &str = "caller resumed";
const RUN_FINISHED: &str = "run finished";
const STREAM_ITEM: &str = "item";

/// A run to export, as it was shown: the run as the history keeps it (its
/// scenario as editor text, its measurement) and the prediction made when
/// it ran.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportRun {
    pub run: SavedRun,
    pub prediction: Prediction,
}

impl ExportRun {
    /// `run` as it was shown.
    pub fn of(run: &Run) -> Self {
        ExportRun {
            run: run.to_saved(),
            prediction: (*run.prediction).clone(),
        }
    }
}

/// Why a trace could not be imported; the message is shown as is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub message: String,
}

impl ImportError {
    fn new(message: impl Into<String>) -> Self {
        ImportError {
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ImportError {}

// ---- export ---------------------------------------------------------------

/// The run as Trace Event Format JSON (object form).
pub fn to_chrome_trace(export: &ExportRun) -> String {
    let run = &export.run;
    write_trace(
        &run.scenario,
        run.mode,
        &run.measurement,
        &export.prediction,
        run.stopped,
        run.started_unix_ms,
    )
}

/// ms → µs, rounded to whole µs (the trace's unit).
fn us(ms: f64) -> f64 {
    let v = (ms * 1000.0).round();
    if v.is_finite() {
        v
    } else {
        0.0
    }
}

fn finite(ms: f64) -> Value {
    if ms.is_finite() {
        json!(ms)
    } else {
        Value::Null
    }
}

fn outcome_slug(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Ok => "ok",
        Outcome::Failed => "failed",
        Outcome::Cancelled => "cancelled",
        Outcome::TimedOut => "timed-out",
        Outcome::NotRun => "not-run",
    }
}

fn outcome_from_slug(slug: &str) -> Option<Outcome> {
    [
        Outcome::Ok,
        Outcome::Failed,
        Outcome::Cancelled,
        Outcome::TimedOut,
        Outcome::NotRun,
    ]
    .into_iter()
    .find(|o| outcome_slug(*o) == slug)
}

fn metadata_event(name: &str, pid: u64, tid: u64, args: Value) -> Value {
    json!({"name": name, "ph": "M", "ts": 0, "pid": pid, "tid": tid, "args": args})
}

fn write_trace(
    doc: &ScenarioDoc,
    mode: RunMode,
    m: &Measurement,
    p: &Prediction,
    stopped: bool,
    started_unix_ms: f64,
) -> String {
    let mut events: Vec<Value> = Vec::new();
    events.push(metadata_event(
        "process_name",
        MEASURED_PID,
        CALLER_TID,
        json!({"name": "measured"}),
    ));
    events.push(metadata_event(
        "process_sort_index",
        MEASURED_PID,
        CALLER_TID,
        json!({"sort_index": 1}),
    ));
    events.push(metadata_event(
        "thread_name",
        MEASURED_PID,
        CALLER_TID,
        json!({"name": "caller"}),
    ));
    for (i, draft) in doc.drafts.iter().enumerate() {
        let tid = i as u64 + 1;
        events.push(metadata_event(
            "thread_name",
            MEASURED_PID,
            tid,
            json!({"name": draft.label}),
        ));
        events.push(metadata_event(
            "thread_sort_index",
            MEASURED_PID,
            tid,
            json!({"sort_index": tid}),
        ));
    }
    let end_of_trace_ms = m.total_ms.unwrap_or(m.last_event_ms);
    for (i, (draft, task)) in doc.drafts.iter().zip(&m.tasks).enumerate() {
        let tid = i as u64 + 1;
        let predicted = p.tasks.get(i);
        let (ts_ms, dur_ms) = match (task.start_ms, task.end_ms) {
            (Some(s), Some(e)) => (s, (e - s).max(0.0)),
            // Ended without starting (cancelled before it ran): a point.
            (None, Some(e)) => (e, 0.0),
            // Still running when the trace ends.
            (Some(s), None) => (s, (end_of_trace_ms - s).max(0.0)),
            (None, None) => continue,
        };
        events.push(json!({
            "name": draft.label,
            "cat": "task",
            "ph": "X",
            "ts": us(ts_ms),
            "dur": us(ts_ms + dur_ms) - us(ts_ms),
            "pid": MEASURED_PID,
            "tid": tid,
            "args": {
                "index": i,
                "kind": draft.kind.slug(),
                "outcome": task.outcome.map(outcome_slug).unwrap_or("unfinished"),
                "started": task.start_ms.is_some(),
                "finished": task.end_ms.is_some(),
                "predicted_start_ms": predicted.and_then(|p| p.start_ms).map(finite),
                "predicted_end_ms": predicted.and_then(|p| p.end_ms).map(finite),
            },
        }));
        for (k, &at) in task.items_ms.iter().enumerate() {
            events.push(json!({
                "name": STREAM_ITEM, "cat": "stream", "ph": "i", "s": "t",
                "ts": us(at), "pid": MEASURED_PID, "tid": tid,
                "args": {"index": i, "item": k + 1},
            }));
        }
    }
    for &(at, lag) in &m.lag {
        events.push(json!({
            "name": LAG_COUNTER, "cat": "loop", "ph": "C", "ts": us(at),
            "pid": MEASURED_PID, "tid": CALLER_TID, "args": {"lag": finite(lag)},
        }));
    }
    if let Some((at, raised)) = m.caller {
        events.push(json!({
            "name": CALLER_RESUMED, "cat": "caller", "ph": "i", "s": "t", "ts": us(at),
            "pid": MEASURED_PID, "tid": CALLER_TID, "args": {"raised": raised},
        }));
    }
    if let Some(total) = m.total_ms {
        events.push(json!({
            "name": RUN_FINISHED, "cat": "caller", "ph": "i", "s": "t", "ts": us(total),
            "pid": MEASURED_PID, "tid": CALLER_TID, "args": {},
        }));
    }
    events.push(metadata_event(
        "process_name",
        PREDICTED_PID,
        CALLER_TID,
        json!({"name": "prediction"}),
    ));
    events.push(metadata_event(
        "process_sort_index",
        PREDICTED_PID,
        CALLER_TID,
        json!({"sort_index": 2}),
    ));
    for (i, (draft, t)) in doc.drafts.iter().zip(&p.tasks).enumerate() {
        let tid = i as u64 + 1;
        events.push(metadata_event(
            "thread_name",
            PREDICTED_PID,
            tid,
            json!({"name": draft.label}),
        ));
        if let (Some(s), Some(e)) = (t.start_ms, t.end_ms) {
            events.push(json!({
                "name": draft.label, "cat": "prediction", "ph": "X",
                "ts": us(s), "dur": us(e) - us(s), "pid": PREDICTED_PID, "tid": tid,
                "args": {"index": i, "outcome": outcome_slug(t.outcome)},
            }));
        }
    }
    events.push(json!({
        "name": CALLER_RESUMED, "cat": "prediction", "ph": "i", "s": "p",
        "ts": us(p.caller_ms), "pid": PREDICTED_PID, "tid": CALLER_TID,
        "args": {"raised": p.caller_raised},
    }));
    let metadata = json!({
        "async_playground": {
            "version": TRACE_FORMAT_VERSION,
            "mode": mode.slug(),
            "speed": doc.speed_text,
            "options": {
                "return_exceptions": doc.options.return_exceptions,
                "limit": doc.options.limit,
                "cancel_pending": doc.options.cancel_pending,
                "pool_size": doc.options.pool_size,
                "gil": doc.options.gil,
            },
            "tasks": doc.drafts.iter().map(|d| json!({
                "kind": d.kind.slug(),
                "label": d.label,
                "duration_text": d.duration_text,
                "message": d.message,
                "timeout_text": d.timeout_text,
                "items_text": d.items_text,
                "body_text": d.body_text,
            })).collect::<Vec<_>>(),
            "result_order": m.result_order,
            "stopped": stopped,
            "started_unix_ms": finite(started_unix_ms),
        }
    });
    let trace = json!({
        "traceEvents": events,
        "displayTimeUnit": "ms",
        "metadata": metadata,
    });
    trace.to_string()
}

// ---- import ---------------------------------------------------------------

/// Reads a trace exported by [`to_chrome_trace`] back into a run: the
/// scenario from the metadata, the measurement from the events. Traces of
/// earlier builds read too (their `title` becomes the scenario's).
pub fn from_chrome_trace(text: &str) -> Result<SavedRun, ImportError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::new(format!(
            "the file is {} MB; traces up to {} MB can be imported",
            text.len() / (1024 * 1024),
            MAX_IMPORT_BYTES / (1024 * 1024)
        )));
    }
    let root: Value = serde_json::from_str(text)
        .map_err(|e| ImportError::new(format!("this isn't a trace file (not valid JSON: {e})")))?;
    let Some(root) = root.as_object() else {
        return Err(ImportError::new(
            "this trace wasn't exported by Async Playground: it is a bare event list, without the metadata that holds the scenario",
        ));
    };
    let events = root
        .get("traceEvents")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            ImportError::new("this isn't a trace file: it has no \"traceEvents\" list")
        })?;
    if events.len() > MAX_IMPORT_EVENTS {
        return Err(ImportError::new(format!(
            "the trace has {} events; at most {MAX_IMPORT_EVENTS} can be imported",
            events.len()
        )));
    }
    let meta = root
        .get("metadata")
        .and_then(|m| m.get("async_playground"))
        .and_then(Value::as_object)
        .ok_or_else(|| {
            ImportError::new(
                "this trace wasn't exported by Async Playground: it has no \"async_playground\" metadata to rebuild the scenario from",
            )
        })?;
    let (doc, result_order, stopped, started_unix_ms) = read_metadata(meta)?;
    let measurement = read_events(events, doc.drafts.len(), result_order)?;
    Ok(SavedRun {
        mode: doc.mode,
        scenario: doc,
        measurement,
        stopped,
        started_unix_ms,
    })
}

fn bad(path: &str, reason: &str) -> ImportError {
    ImportError::new(format!(
        "the trace's Async Playground metadata is damaged: {path} {reason}"
    ))
}

fn text_field(obj: &Map<String, Value>, key: &str, path: &str) -> Result<String, ImportError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(bad(&format!("{path}.{key}"), "is not text")),
    }
}

type Metadata = (ScenarioDoc, Vec<usize>, bool, f64);

fn read_metadata(meta: &Map<String, Value>) -> Result<Metadata, ImportError> {
    let version = meta
        .get("version")
        .and_then(Value::as_u64)
        .ok_or_else(|| bad("version", "is missing"))?;
    if version > TRACE_FORMAT_VERSION {
        return Err(ImportError::new(format!(
            "this trace was exported by a newer Async Playground (format {version}; this one reads up to {TRACE_FORMAT_VERSION})"
        )));
    }
    let mode_slug = text_field(meta, "mode", "")?;
    let mode = RunMode::from_slug(&mode_slug)
        .ok_or_else(|| bad("mode", &format!("\"{mode_slug}\" is not a run mode")))?;
    let defaults = RunOptions::default();
    let options = match meta.get("options") {
        Some(Value::Object(o)) => {
            let flag = |k: &str, d: bool| o.get(k).and_then(Value::as_bool).unwrap_or(d);
            let count = |k: &str, d: u32| {
                o.get(k)
                    .and_then(Value::as_u64)
                    .map(|v| v.min(u64::from(u32::MAX)) as u32)
                    .unwrap_or(d)
            };
            RunOptions {
                return_exceptions: flag("return_exceptions", defaults.return_exceptions),
                limit: count("limit", defaults.limit),
                cancel_pending: flag("cancel_pending", defaults.cancel_pending),
                pool_size: count("pool_size", defaults.pool_size),
                gil: flag("gil", defaults.gil),
            }
        }
        _ => defaults,
    };
    let tasks = meta
        .get("tasks")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("tasks", "is missing"))?;
    if tasks.len() > crate::domain::scenario::MAX_TASKS {
        return Err(bad("tasks", "has more tasks than the playground runs"));
    }
    let mut drafts = Vec::with_capacity(tasks.len());
    for (i, t) in tasks.iter().enumerate() {
        let path = format!("tasks[{i}]");
        let t = t
            .as_object()
            .ok_or_else(|| bad(&path, "is not an object"))?;
        let kind_slug = text_field(t, "kind", &path)?;
        let kind = TaskKind::from_slug(&kind_slug)
            .ok_or_else(|| bad(&path, &format!("has an unknown kind \"{kind_slug}\"")))?;
        drafts.push(TaskDraft {
            id: TaskId(i as u32 + 1),
            label: text_field(t, "label", &path)?,
            duration_text: text_field(t, "duration_text", &path)?,
            kind,
            message: text_field(t, "message", &path)?,
            timeout_text: text_field(t, "timeout_text", &path)?,
            items_text: text_field(t, "items_text", &path)?,
            body_text: text_field(t, "body_text", &path)?,
        });
    }
    let result_order = meta
        .get("result_order")
        .and_then(Value::as_array)
        .map(|order| {
            order
                .iter()
                .filter_map(Value::as_u64)
                .filter(|&i| (i as usize) < drafts.len())
                .take(drafts.len())
                .map(|i| i as usize)
                .collect()
        })
        .unwrap_or_default();
    let stopped = meta
        .get("stopped")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let started_unix_ms = meta
        .get("started_unix_ms")
        .and_then(Value::as_f64)
        .unwrap_or(0.0);
    if started_unix_ms.abs() > MAX_UNIX_MS {
        return Err(bad("started_unix_ms", "is out of range"));
    }
    let doc = ScenarioDoc {
        title: text_field(meta, "title", "")?,
        drafts,
        speed_text: text_field(meta, "speed", "")?,
        mode,
        options,
        option_texts: OptionTexts::default(),
    };
    Ok((doc, result_order, stopped, started_unix_ms))
}

/// The measurement from the measured process's events. Events that aren't
/// ours (other pids, unknown names, tracks outside the task list) are
/// skipped, not refused: a trace edited in another tool still opens. A time
/// no run could have measured is refused: it would only poison the layout.
fn read_events(
    events: &[Value],
    task_count: usize,
    result_order: Vec<usize>,
) -> Result<Measurement, ImportError> {
    let mut m = Measurement::new(task_count);
    m.result_order = result_order;
    let mut last_ms: f64 = 0.0;
    for (at, e) in events.iter().enumerate() {
        let Some(e) = e.as_object() else { continue };
        if e.get("pid").and_then(Value::as_u64) != Some(MEASURED_PID) {
            continue;
        }
        let ph = e.get("ph").and_then(Value::as_str).unwrap_or("");
        let name = e.get("name").and_then(Value::as_str).unwrap_or("");
        let Some(ts_ms) = e.get("ts").and_then(Value::as_f64).map(|us| us / 1000.0) else {
            continue;
        };
        let time = |ms: f64, field: &str| {
            if is_measured_time(ms) {
                Ok(ms)
            } else {
                Err(ImportError::new(format!(
                    "the trace's traceEvents[{at}].{field} is out of range for a run \
                     (at most 1e10 ms, about 115 days)"
                )))
            }
        };
        let tid = e.get("tid").and_then(Value::as_u64).unwrap_or(u64::MAX);
        let args = e.get("args").and_then(Value::as_object);
        let arg = |k: &str| args.and_then(|a| a.get(k));
        let task = (1..=task_count as u64)
            .contains(&tid)
            .then(|| (tid - 1) as usize);
        match (ph, task) {
            ("X", Some(i)) => {
                let ts_ms = time(ts_ms, "ts")?;
                let dur_ms = e.get("dur").and_then(Value::as_f64).unwrap_or(0.0) / 1000.0;
                let end_ms = time(ts_ms + time(dur_ms, "dur")?, "dur")?;
                let started = arg("started").and_then(Value::as_bool).unwrap_or(true);
                let finished = arg("finished").and_then(Value::as_bool).unwrap_or(true);
                let t = &mut m.tasks[i];
                if started {
                    t.start_ms = Some(ts_ms);
                    last_ms = last_ms.max(ts_ms);
                }
                if finished {
                    t.end_ms = Some(end_ms);
                    t.outcome = arg("outcome")
                        .and_then(Value::as_str)
                        .and_then(outcome_from_slug);
                    last_ms = last_ms.max(end_ms);
                }
            }
            ("i", Some(i)) if name == STREAM_ITEM => {
                let ts_ms = time(ts_ms, "ts")?;
                if m.tasks[i].items_ms.len() >= MAX_STREAM_ITEMS as usize {
                    return Err(ImportError::new(format!(
                        "the trace's task {} has more stream items than a stream yields \
                         (at most {MAX_STREAM_ITEMS})",
                        i + 1
                    )));
                }
                m.tasks[i].items_ms.push(ts_ms);
                last_ms = last_ms.max(ts_ms);
            }
            ("C", _) if name == LAG_COUNTER => {
                if let Some(lag) = arg("lag").and_then(Value::as_f64) {
                    m.lag.push((time(ts_ms, "ts")?, time(lag, "args.lag")?));
                    last_ms = last_ms.max(ts_ms);
                }
            }
            ("i", None) if name == CALLER_RESUMED => {
                let ts_ms = time(ts_ms, "ts")?;
                let raised = arg("raised").and_then(Value::as_bool).unwrap_or(false);
                m.caller.get_or_insert((ts_ms, raised));
                last_ms = last_ms.max(ts_ms);
            }
            ("i", None) if name == RUN_FINISHED => {
                let ts_ms = time(ts_ms, "ts")?;
                m.total_ms = Some(ts_ms);
                last_ms = last_ms.max(ts_ms);
            }
            _ => {}
        }
    }
    for t in &mut m.tasks {
        t.items_ms.sort_by(f64::total_cmp);
    }
    m.last_event_ms = last_ms;
    Ok(m)
}

// ---- CSV ------------------------------------------------------------------

/// The header row of [`to_csv`].
pub const CSV_HEADER: &str = "index,label,kind,predicted_start_ms,predicted_end_ms,measured_start_ms,measured_end_ms,lateness_ms,outcome";

/// One row per task (RFC 4180, CRLF line ends). `index` counts from 0 as
/// the task list does; times are ms with 3 decimals, empty when unknown;
/// `lateness_ms` is measured end − predicted end; `outcome` is the measured
/// one. Text cells are guarded against formula injection.
pub fn to_csv(export: &ExportRun) -> String {
    let num = |v: Option<f64>| match v {
        Some(v) if v.is_finite() => fixed(v, 3),
        _ => String::new(),
    };
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for (i, task) in export.run.scenario.drafts.iter().enumerate() {
        let p = export.prediction.tasks.get(i);
        let m = export.run.measurement.tasks.get(i);
        let p_start = p.and_then(|p| p.start_ms);
        let p_end = p.and_then(|p| p.end_ms);
        let m_start = m.and_then(|m| m.start_ms);
        let m_end = m.and_then(|m| m.end_ms);
        let outcome = m.and_then(|m| m.outcome).map(Outcome::label).unwrap_or("");
        let cells = [
            i.to_string(),
            csv_text(&task.label),
            csv_text(task.kind.slug()),
            num(p_start),
            num(p_end),
            num(m_start),
            num(m_end),
            num(m_end.zip(p_end).map(|(m, p)| m - p)),
            csv_text(outcome),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A text cell: a leading `= + - @` (or tab / CR, which some spreadsheets
/// skip before reading a formula) gets a `'` so it is never run as a
/// formula; then RFC 4180 quoting when it holds a comma, quote or line end.
pub fn csv_text(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}
