//! A run's measurement in the autosave, written and read by hand:
//! `{"tasks":[{"start_ms":…,"end_ms":…,"outcome":"ok","items_ms":[…],
//! "thread":[start_ms,end_ms,held_ms]}],
//! "caller":[at_ms,raised],"result_order":[…],"lag":[[at_ms,lag_ms]],
//! "total_ms":…,"last_event_ms":…}`. Empty and absent parts are left out.
//!
//! Why not serde derive: its generated visitors cost several KB of wasm for
//! three small shapes, and errors here name the path like the rest of the
//! codec does. The task timelines, the caller and the result order are
//! shared with the prediction's JSON ([`super::prediction`]), which keeps
//! its times on a [`Clock`] of its own.

use serde_json::{Map, Number, Value};

use super::read::{expected, join, Reader};
use super::CodecError;
use crate::domain::model::Outcome;
use crate::domain::run::measurement::{is_measured_time, MeasuredTask, Measurement, ThreadSpan};
use crate::domain::scenario::MAX_STREAM_ITEMS;

const FIELDS: &[&str] = &[
    "tasks",
    "caller",
    "result_order",
    "lag",
    "total_ms",
    "last_event_ms",
];
const TASK_FIELDS: &[&str] = &["start_ms", "end_ms", "outcome", "items_ms", "thread"];
/// Outcomes by stable names, not Rust variant names.
pub(super) const OUTCOMES: [(Outcome, &str); 5] = [
    (Outcome::Ok, "ok"),
    (Outcome::Failed, "failed"),
    (Outcome::Cancelled, "cancelled"),
    (Outcome::TimedOut, "timed-out"),
    (Outcome::NotRun, "not-run"),
];

/// How times are written and read: a measurement's are rounded to 0.01 ms
/// (to keep the autosave small) and must lie within what a run measures.
#[derive(Clone, Copy)]
pub(super) struct Clock {
    pub write: fn(f64) -> String,
    pub read: fn(&Value, &str) -> Result<f64, CodecError>,
}

const MEASURED: Clock = Clock {
    write: number,
    read: ms_at,
};

/// Compact JSON, times rounded to 0.01 ms to keep the text small.
pub(super) fn write_measurement(m: &Measurement) -> String {
    let tasks = list(&m.tasks, |t| {
        let thread = t.thread.map(|s| [s.start_ms, s.end_ms, s.held_ms]);
        let thread = thread.as_ref().map_or(&[][..], |t| &t[..]);
        write_task(
            t.start_ms,
            t.end_ms,
            t.outcome,
            [&t.items_ms, thread],
            MEASURED,
        )
    });
    let mut fields = vec![format!("\"tasks\":[{tasks}]")];
    if let Some(caller) = m.caller {
        fields.push(write_caller(caller, MEASURED));
    }
    if !m.result_order.is_empty() {
        let order = list(&m.result_order, |i| i.to_string());
        fields.push(format!("\"result_order\":[{order}]"));
    }
    if !m.lag.is_empty() {
        let lag = list(&m.lag, |&(at, lag)| {
            format!("[{},{}]", number(at), number(lag))
        });
        fields.push(format!("\"lag\":[{lag}]"));
    }
    if let Some(total) = m.total_ms {
        fields.push(format!("\"total_ms\":{}", number(total)));
    }
    fields.push(format!("\"last_event_ms\":{}", number(m.last_event_ms)));
    format!("{{{}}}", fields.join(","))
}

/// One task's timeline: `{"start_ms":…,"end_ms":…,"outcome":…,"items_ms":[…],
/// "thread":[…]}` (`times`: the item times, then the thread span).
pub(super) fn write_task(
    start_ms: Option<f64>,
    end_ms: Option<f64>,
    outcome: Option<Outcome>,
    times: [&[f64]; 2],
    clock: Clock,
) -> String {
    let mut fields = Vec::new();
    if let Some(start) = start_ms {
        fields.push(format!("\"start_ms\":{}", (clock.write)(start)));
    }
    if let Some(end) = end_ms {
        fields.push(format!("\"end_ms\":{}", (clock.write)(end)));
    }
    if let Some(outcome) = outcome {
        let name = OUTCOMES
            .iter()
            .find(|(o, _)| *o == outcome)
            .map_or("ok", |o| o.1);
        fields.push(format!("\"outcome\":\"{name}\""));
    }
    for (key, times) in ["items_ms", "thread"].into_iter().zip(times) {
        if !times.is_empty() {
            fields.push(format!(
                "\"{key}\":[{}]",
                list(times, |&ms| (clock.write)(ms))
            ));
        }
    }
    format!("{{{}}}", fields.join(","))
}

/// `"caller":[at_ms,raised]`.
pub(super) fn write_caller((at_ms, raised): (f64, bool), clock: Clock) -> String {
    format!("\"caller\":[{},{raised}]", (clock.write)(at_ms))
}

pub(super) fn list<T>(items: &[T], write: impl Fn(&T) -> String) -> String {
    items.iter().map(write).collect::<Vec<_>>().join(",")
}

/// Rounded to 0.01 ms; a non-finite time (never recorded in practice) is 0.
pub(super) fn round(ms: f64) -> f64 {
    if ms.is_finite() {
        (ms * 100.0).round() / 100.0
    } else {
        0.0
    }
}

fn number(ms: f64) -> String {
    Number::from_f64(round(ms)).map_or_else(|| "0".to_string(), |n| n.to_string())
}

/// Reads what [`write_measurement`] wrote; unknown fields are refused or
/// ignored as `reader` says.
pub(super) fn read_measurement(
    reader: &mut Reader,
    value: &Value,
    path: &str,
) -> Result<Measurement, CodecError> {
    let map = object(value, path, "a measurement object")?;
    reader.fields(map, path, FIELDS)?;
    let tasks_path = join(path, "tasks");
    let tasks = match map.get("tasks") {
        Some(tasks) => each(tasks, &tasks_path, |task, at| {
            read_task(reader, task, at, MEASURED)
        })?,
        None => return Err(CodecError::new(tasks_path, "missing")),
    };
    let caller = present(map, "caller")
        .map(|value| read_caller(value, &join(path, "caller"), MEASURED))
        .transpose()?;
    let result_order = read_result_order(map, path)?;
    let lag = match present(map, "lag") {
        None => Vec::new(),
        Some(value) => each(value, &join(path, "lag"), ms_pair)?,
    };
    Ok(Measurement {
        tasks,
        caller,
        result_order,
        lag,
        total_ms: optional_ms(map, "total_ms", path)?,
        last_event_ms: optional_ms(map, "last_event_ms", path)?.unwrap_or(0.0),
    })
}

/// Reads what [`write_task`] wrote.
pub(super) fn read_task(
    reader: &mut Reader,
    value: &Value,
    path: &str,
    clock: Clock,
) -> Result<MeasuredTask, CodecError> {
    let map = object(value, path, "a task object")?;
    reader.fields(map, path, TASK_FIELDS)?;
    let outcome = match present(map, "outcome") {
        None => None,
        Some(value) => Some(
            OUTCOMES
                .iter()
                .find(|(_, name)| value.as_str() == Some(name))
                .map(|(o, _)| *o)
                .ok_or_else(|| {
                    expected(
                        join(path, "outcome"),
                        "one of ok, failed, cancelled, timed-out, not-run",
                        value,
                    )
                })?,
        ),
    };
    let items_ms = match present(map, "items_ms") {
        None => Vec::new(),
        // A stream yields at most MAX_STREAM_ITEMS: more is no run's.
        Some(value) => match value.as_array() {
            Some(items) if items.len() > MAX_STREAM_ITEMS as usize => {
                return Err(CodecError::new(
                    join(path, "items_ms"),
                    format!(
                        "{} item times; a stream yields at most {MAX_STREAM_ITEMS}",
                        items.len()
                    ),
                ))
            }
            _ => each(value, &join(path, "items_ms"), clock.read)?,
        },
    };
    let time = |key: &str| present(map, key).map(|v| (clock.read)(v, &join(path, key)));
    let thread = match present(map, "thread") {
        None => None,
        Some(v) => {
            let at = join(path, "thread");
            match array(v, &at)?.as_slice() {
                [a, b, c] => Some(ThreadSpan {
                    start_ms: (clock.read)(a, &at)?,
                    end_ms: (clock.read)(b, &at)?,
                    held_ms: (clock.read)(c, &at)?,
                }),
                _ => return Err(expected(at, "[start_ms, end_ms, held_ms]", v)),
            }
        }
    };
    Ok(MeasuredTask {
        start_ms: time("start_ms").transpose()?,
        end_ms: time("end_ms").transpose()?,
        outcome,
        items_ms,
        thread,
    })
}

/// Reads what [`write_caller`] wrote (the value at `path`).
pub(super) fn read_caller(
    value: &Value,
    path: &str,
    clock: Clock,
) -> Result<(f64, bool), CodecError> {
    match array(value, path)?.as_slice() {
        [ms, Value::Bool(raised)] => Ok(((clock.read)(ms, &format!("{path}[0]"))?, *raised)),
        _ => Err(expected(path, "[at_ms, true or false]", value)),
    }
}

/// The object's `result_order`: task indices (none when absent).
pub(super) fn read_result_order(
    map: &Map<String, Value>,
    path: &str,
) -> Result<Vec<usize>, CodecError> {
    match present(map, "result_order") {
        None => Ok(Vec::new()),
        Some(value) => each(value, &join(path, "result_order"), |v, at| {
            v.as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| expected(at, "a task index", v))
        }),
    }
}

/// A field's value, with `null` read as absent (as serde's `Option` does).
pub(super) fn present<'v>(map: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    map.get(key).filter(|v| !v.is_null())
}

fn optional_ms(map: &Map<String, Value>, key: &str, path: &str) -> Result<Option<f64>, CodecError> {
    present(map, key)
        .map(|v| ms_at(v, &join(path, key)))
        .transpose()
}

/// A time in ms, within what a run can measure
/// ([`crate::domain::run::measurement::MAX_MEASURED_MS`]).
fn ms_at(value: &Value, path: &str) -> Result<f64, CodecError> {
    value
        .as_f64()
        .filter(|&ms| is_measured_time(ms))
        // Written out: formatting an f64 would pull in core's float code.
        .ok_or_else(|| expected(path, "a time in ms (at most 1e10 either way)", value))
}

fn ms_pair(value: &Value, path: &str) -> Result<(f64, f64), CodecError> {
    match array(value, path)?.as_slice() {
        [a, b] => Ok((ms_at(a, path)?, ms_at(b, path)?)),
        _ => Err(expected(path, "[at_ms, lag_ms]", value)),
    }
}

pub(super) fn object<'v>(
    value: &'v Value,
    path: &str,
    what: &str,
) -> Result<&'v Map<String, Value>, CodecError> {
    value.as_object().ok_or_else(|| expected(path, what, value))
}

/// Reads every item of a list, each at `path[i]`.
pub(super) fn each<T>(
    value: &Value,
    path: &str,
    mut read: impl FnMut(&Value, &str) -> Result<T, CodecError>,
) -> Result<Vec<T>, CodecError> {
    array(value, path)?
        .iter()
        .enumerate()
        .map(|(i, item)| read(item, &format!("{path}[{i}]")))
        .collect()
}

pub(super) fn array<'v>(value: &'v Value, path: &str) -> Result<&'v Vec<Value>, CodecError> {
    value
        .as_array()
        .ok_or_else(|| expected(path, "a list [...]", value))
}
