//! A run's prediction as JSON, for the tools worker to export the run as it
//! was shown: `{"mode":"gathered","tasks":[{"start_ms":…,"end_ms":…,
//! "outcome":"ok","items_ms":[…]}],"caller":[at_ms,raised],
//! "result_order":[…],"total_ms":…}`. The parts are the measurement's
//! ([`super::measurement`]), on a clock of exact times: a trace keeps µs and
//! a CSV three decimals, and a long scenario's prediction may reach past
//! what a run measures.

use serde_json::{Number, Value};

use super::measurement::{
    each, list, object, read_caller, read_result_order, read_task, write_caller, write_task, Clock,
};
use super::read::{expected, join, read_mode, Reader};
use super::CodecError;
use crate::domain::model::{Prediction, TaskTimeline};

const FIELDS: &[&str] = &["mode", "tasks", "caller", "result_order", "total_ms"];

const EXACT: Clock = Clock {
    write: number,
    read: time,
};

/// Compact JSON, times as they are.
pub(super) fn write_prediction(p: &Prediction) -> String {
    let tasks = list(&p.tasks, |t| {
        write_task(
            t.start_ms,
            t.end_ms,
            Some(t.outcome),
            [&t.items_ms, &[]],
            EXACT,
        )
    });
    format!(
        "{{\"mode\":\"{}\",\"tasks\":[{tasks}],{},\"result_order\":[{}],\"total_ms\":{}}}",
        p.mode.slug(),
        write_caller((p.caller_ms, p.caller_raised), EXACT),
        list(&p.result_order, |i| i.to_string()),
        number(p.total_ms),
    )
}

/// Reads what [`write_prediction`] wrote.
pub(super) fn read_prediction(
    reader: &mut Reader,
    value: &Value,
    path: &str,
) -> Result<Prediction, CodecError> {
    let map = object(value, path, "a prediction object")?;
    reader.fields(map, path, FIELDS)?;
    let field = |key: &str| {
        map.get(key)
            .ok_or_else(|| CodecError::new(join(path, key), "missing"))
    };
    let tasks_path = join(path, "tasks");
    let tasks = each(field("tasks")?, &tasks_path, |task, at| {
        let t = read_task(reader, task, at, EXACT)?;
        let outcome = t
            .outcome
            .ok_or_else(|| CodecError::new(join(at, "outcome"), "missing"))?;
        Ok(TaskTimeline {
            start_ms: t.start_ms,
            end_ms: t.end_ms,
            outcome,
            items_ms: t.items_ms,
        })
    })?;
    let (caller_ms, caller_raised) = read_caller(field("caller")?, &join(path, "caller"), EXACT)?;
    Ok(Prediction {
        mode: read_mode(map.get("mode"), path)?,
        tasks,
        caller_ms,
        caller_raised,
        result_order: read_result_order(map, path)?,
        total_ms: time(field("total_ms")?, &join(path, "total_ms"))?,
    })
}

/// A time exactly; `null` if it is not a number (never, for a prediction).
fn number(ms: f64) -> String {
    Number::from_f64(ms).map_or_else(|| "null".to_string(), |n| n.to_string())
}

/// A predicted time: any finite number of ms.
fn time(value: &Value, path: &str) -> Result<f64, CodecError> {
    value
        .as_f64()
        .filter(|ms| ms.is_finite())
        .ok_or_else(|| expected(path, "a time in ms", value))
}
