//! A run's prediction as JSON, for the tools worker to export the run as it
//! was shown: `{"mode":"gathered","tasks":[{"start_ms":…,"end_ms":…,
//! "outcome":"ok","items_ms":[…]}],"caller":[at_ms,raised],
//! "result_order":[…],"total_ms":…}`. Times are written exactly (a trace
//! keeps µs and a CSV three decimals); unknown and absent times are left
//! out. Read by hand, like the measurement ([`super::measurement`]).

use serde_json::{Map, Number, Value};

use super::measurement::{array, each, list, object, present, OUTCOMES};
use super::read::{expected, join, read_mode, Reader};
use super::CodecError;
use crate::domain::model::{Prediction, TaskTimeline};
use crate::domain::scenario::MAX_STREAM_ITEMS;

const FIELDS: &[&str] = &["mode", "tasks", "caller", "result_order", "total_ms"];
const TASK_FIELDS: &[&str] = &["start_ms", "end_ms", "outcome", "items_ms"];

/// Compact JSON, times as they are.
pub(super) fn write_prediction(p: &Prediction) -> String {
    format!(
        "{{\"mode\":\"{}\",\"tasks\":[{}],\"caller\":[{},{}],\"result_order\":[{}],\"total_ms\":{}}}",
        p.mode.slug(),
        list(&p.tasks, write_task),
        number(p.caller_ms),
        p.caller_raised,
        list(&p.result_order, |i| i.to_string()),
        number(p.total_ms),
    )
}

fn write_task(t: &TaskTimeline) -> String {
    let mut fields = Vec::new();
    if let Some(start) = t.start_ms {
        fields.push(format!("\"start_ms\":{}", number(start)));
    }
    if let Some(end) = t.end_ms {
        fields.push(format!("\"end_ms\":{}", number(end)));
    }
    let name = OUTCOMES
        .iter()
        .find(|(o, _)| *o == t.outcome)
        .map_or("ok", |o| o.1);
    fields.push(format!("\"outcome\":\"{name}\""));
    if !t.items_ms.is_empty() {
        fields.push(format!(
            "\"items_ms\":[{}]",
            list(&t.items_ms, |&ms| number(ms))
        ));
    }
    format!("{{{}}}", fields.join(","))
}

/// A time exactly; `null` if it is not a number (never, for a prediction).
fn number(ms: f64) -> String {
    Number::from_f64(ms).map_or_else(|| "null".to_string(), |n| n.to_string())
}

/// Reads what [`write_prediction`] wrote.
pub(super) fn read_prediction(
    reader: &mut Reader,
    value: &Value,
    path: &str,
) -> Result<Prediction, CodecError> {
    let map = object(value, path, "a prediction object")?;
    reader.fields(map, path, FIELDS)?;
    let mode = read_mode(map.get("mode"), path)?;
    let tasks_path = join(path, "tasks");
    let tasks = match map.get("tasks") {
        Some(tasks) => each(tasks, &tasks_path, |task, at| read_task(reader, task, at))?,
        None => return Err(CodecError::new(tasks_path, "missing")),
    };
    let at = join(path, "caller");
    let (caller_ms, caller_raised) = match map.get("caller") {
        None => return Err(CodecError::new(at, "missing")),
        Some(value) => match array(value, &at)?.as_slice() {
            [ms, Value::Bool(raised)] => (time(ms, &format!("{at}[0]"))?, *raised),
            _ => return Err(expected(at, "[at_ms, true or false]", value)),
        },
    };
    let result_order = match present(map, "result_order") {
        None => Vec::new(),
        Some(value) => each(value, &join(path, "result_order"), |v, at| {
            v.as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| expected(at, "a task index", v))
        })?,
    };
    let total_ms = match map.get("total_ms") {
        Some(value) => time(value, &join(path, "total_ms"))?,
        None => return Err(CodecError::new(join(path, "total_ms"), "missing")),
    };
    Ok(Prediction {
        mode,
        tasks,
        caller_ms,
        caller_raised,
        result_order,
        total_ms,
    })
}

fn read_task(reader: &mut Reader, value: &Value, path: &str) -> Result<TaskTimeline, CodecError> {
    let map = object(value, path, "a task object")?;
    reader.fields(map, path, TASK_FIELDS)?;
    let outcome_path = join(path, "outcome");
    let outcome = match map.get("outcome") {
        Some(value) => OUTCOMES
            .iter()
            .find(|(_, name)| value.as_str() == Some(name))
            .map(|(o, _)| *o)
            .ok_or_else(|| {
                expected(
                    &outcome_path,
                    "one of ok, failed, cancelled, timed-out, not-run",
                    value,
                )
            })?,
        None => return Err(CodecError::new(outcome_path, "missing")),
    };
    let items_ms = match present(map, "items_ms") {
        None => Vec::new(),
        Some(value) => match value.as_array() {
            Some(items) if items.len() > MAX_STREAM_ITEMS as usize => {
                return Err(CodecError::new(
                    join(path, "items_ms"),
                    format!("a stream yields at most {MAX_STREAM_ITEMS} items"),
                ))
            }
            _ => each(value, &join(path, "items_ms"), time)?,
        },
    };
    Ok(TaskTimeline {
        start_ms: optional_time(map, "start_ms", path)?,
        end_ms: optional_time(map, "end_ms", path)?,
        outcome,
        items_ms,
    })
}

fn optional_time(
    map: &Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<Option<f64>, CodecError> {
    present(map, key)
        .map(|v| time(v, &join(path, key)))
        .transpose()
}

/// A predicted time: any finite number of ms (a long scenario's prediction
/// may reach past what a run measures).
fn time(value: &Value, path: &str) -> Result<f64, CodecError> {
    value
        .as_f64()
        .filter(|ms| ms.is_finite())
        .ok_or_else(|| expected(path, "a time in ms", value))
}
