//! The autosave: `{"v":1,"scenario":{…},"history":[{…}]}`.
//!
//! Scenarios are stored in the JSON scenario format, read leniently (editor
//! text is kept as typed, even if invalid). Measurements are written by
//! [`super::measurement`], with times rounded to 0.01 ms.

use serde_json::{Number, Value};

use super::measurement::{read_measurement, round, write_measurement};
use super::prediction::{read_prediction, write_prediction};
use super::read::{expected, join, parse_text, read_doc, read_version, Reader, IGNORED_FIELD};
use super::write::{write_doc, Layout};
use super::{CodecError, SavedState};
use crate::domain::formats::export::ExportRun;
use crate::domain::model::Prediction;
use crate::domain::run::measurement::MAX_UNIX_MS;
use crate::domain::run::SavedRun;
use crate::domain::state::guess::Tally;

/// The current version of the saved-state envelope and measurements.
pub const SAVED_VERSION: u32 = 1;
/// A cap well inside localStorage's ~5 MB (shared with other keys).
pub const DEFAULT_SAVED_MAX_CHARS: usize = 1_500_000;

const STATE_FIELDS: &[&str] = &["v", "scenario", "guesses", "history"];
const TALLY_FIELDS: &[&str] = &["made", "close", "picked", "picked_right"];
const RUN_FIELDS: &[&str] = &[
    "mode",
    "stopped",
    "started_unix_ms",
    "scenario",
    "measurement",
];

/// Autosaved state as JSON (versioned).
pub fn to_saved(state: &SavedState) -> String {
    to_saved_capped(state, usize::MAX)
}

/// Like [`to_saved`], dropping the oldest runs until the text is at most
/// `max_chars` long (counted in UTF-8 bytes, never fewer than the UTF-16
/// units localStorage counts). The scenario itself is always kept, even if
/// it alone is over the cap.
pub fn to_saved_capped(state: &SavedState, max_chars: usize) -> String {
    let scenario = write_doc(&state.scenario, Layout::Compact);
    let guesses = write_tally(state.guesses);
    let envelope = |history: &str| {
        format!(
            "{{\"v\":{SAVED_VERSION},\"scenario\":{scenario}{guesses},\"history\":[{history}]}}"
        )
    };
    let runs: Vec<String> = state.history.iter().map(write_run).collect();
    let mut budget = max_chars.saturating_sub(envelope("").len());
    // Keep the newest runs that fit, walking back from the newest.
    let mut keep_from = runs.len();
    for (index, run) in runs.iter().enumerate().rev() {
        let comma = usize::from(keep_from < runs.len());
        let cost = run.len() + comma;
        if cost > budget {
            break;
        }
        budget -= cost;
        keep_from = index;
    }
    envelope(&runs.get(keep_from..).unwrap_or_default().join(","))
}

/// Reads autosaved state, migrating older versions; what could not be read
/// is left out (see [`read_saved`]). Any damage is an error, never a panic.
pub fn from_saved(text: &str) -> Result<SavedState, CodecError> {
    read_saved(text).map(|read| read.state)
}

/// What reading the autosave found: the state, and what had to be left out.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedRead {
    pub state: SavedState,
    /// Each unknown field ignored and each saved run left out, in the order
    /// met, with its path (`history[3].measurement.foo`).
    pub left_out: Vec<CodecError>,
}

/// Why a saved run was left out; the reason follows.
const RUN_LEFT_OUT: &str = "this saved run could not be read and was left out: ";

impl SavedRead {
    /// How many saved runs were left out.
    pub fn runs_left_out(&self) -> usize {
        self.left_out
            .iter()
            .filter(|e| e.reason.starts_with(RUN_LEFT_OUT))
            .count()
    }

    /// How many unknown fields were ignored.
    pub fn fields_ignored(&self) -> usize {
        self.left_out
            .iter()
            .filter(|e| e.reason == IGNORED_FIELD)
            .count()
    }
}

/// Reads autosaved state, migrating older versions. A state written by a
/// newer build is read as far as it can be: unknown fields anywhere are
/// ignored, and a run (or a history) that cannot be read is left out; each
/// is listed in [`SavedRead::left_out`]. `Err` only when nothing usable can
/// be read: not JSON, a newer envelope version, no readable scenario.
pub fn read_saved(text: &str) -> Result<SavedRead, CodecError> {
    let value = parse_text(text).map_err(|e| {
        CodecError::new(e.path, format!("the saved state is damaged: {}", e.reason))
    })?;
    let Value::Object(map) = value else {
        return Err(expected("", "a saved-state object", &value));
    };
    let version = read_version(&map, "")?;
    let Value::Object(mut map) = migrate_saved(version, Value::Object(map))? else {
        return Err(CodecError::new("", "migration lost the saved state"));
    };
    // One budget for every scenario in the state (see MAX_REPEAT_BYTES).
    let reader = &mut Reader::tolerant();
    reader.fields(&map, "", STATE_FIELDS)?;
    let scenario = match map.remove("scenario") {
        Some(value) => read_doc(reader, value, "scenario")?,
        None => return Err(CodecError::new("scenario", "missing")),
    };
    let history = match map.remove("history") {
        None => Vec::new(),
        Some(Value::Array(runs)) => {
            let mut history = Vec::new();
            for (index, run) in runs.into_iter().enumerate() {
                let noted = reader.noted();
                match read_run(reader, run, &format!("history[{index}]")) {
                    Ok(run) => history.push(run),
                    Err(e) => {
                        // What was noted inside a run left out goes with it.
                        reader.forget_since(noted);
                        let reason = format!("{RUN_LEFT_OUT}{}", e.reason);
                        reader.note(CodecError::new(e.path, reason));
                    }
                }
            }
            history
        }
        Some(other) => {
            let e = expected("history", "a list of runs [...]", &other);
            let reason = format!(
                "the saved history could not be read and was left out: {}",
                e.reason
            );
            reader.note(CodecError::new(e.path, reason));
            Vec::new()
        }
    };
    let guesses = match map.remove("guesses") {
        None => Tally::default(),
        Some(value) => read_tally(reader, value).unwrap_or_else(|e| {
            let reason = format!(
                "the guess tally could not be read and starts again: {}",
                e.reason
            );
            reader.note(CodecError::new(e.path, reason));
            Tally::default()
        }),
    };
    Ok(SavedRead {
        state: SavedState {
            scenario,
            history,
            guesses,
        },
        left_out: reader.take_left_out(),
    })
}

/// `,"guesses":{…}` after the scenario, or nothing before the first guess
/// (so a state without guesses reads the same in older builds).
fn write_tally(tally: Tally) -> String {
    if tally == Tally::default() {
        return String::new();
    }
    format!(
        ",\"guesses\":{{\"made\":{},\"close\":{},\"picked\":{},\"picked_right\":{}}}",
        tally.made, tally.close, tally.picked, tally.picked_right
    )
}

fn read_tally(reader: &mut Reader, value: Value) -> Result<Tally, CodecError> {
    let Value::Object(map) = value else {
        return Err(expected("guesses", "an object of counts {...}", &value));
    };
    reader.fields(&map, "guesses", TALLY_FIELDS)?;
    let count = |key: &str| -> Result<u32, CodecError> {
        match map.get(key) {
            None => Ok(0),
            Some(v) => v
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| expected(join("guesses", key), "a whole number of guesses", v)),
        }
    };
    Ok(Tally {
        made: count("made")?,
        close: count("close")?,
        picked: count("picked")?,
        picked_right: count("picked_right")?,
    }
    .sane())
}

/// Brings saved state of `version` up to [`SAVED_VERSION`] (one step per
/// old version, as [`super::migrate`] does for scenarios).
pub fn migrate_saved(version: u32, value: Value) -> Result<Value, CodecError> {
    match version {
        SAVED_VERSION => Ok(value),
        newer => Err(CodecError::new(
            "v",
            format!(
                "saved state version {newer} is not one this playground understands \
                 ({SAVED_VERSION})"
            ),
        )),
    }
}

/// One run alone, as it sits in the saved state's history (the tools
/// worker's wire format for a run).
pub fn run_to_json(run: &SavedRun) -> String {
    write_run(run)
}

/// Reads what [`run_to_json`] wrote.
pub fn run_from_json(text: &str) -> Result<SavedRun, CodecError> {
    let value = parse_text(text)?;
    read_run(&mut Reader::lenient(), value, "")
}

const EXPORT_FIELDS: &[&str] = &["run", "prediction"];

/// A run to export, as the tools worker gets it: the run as saved, with the
/// prediction it was shown with (`{"run":{…},"prediction":{…}}`).
pub fn export_to_json(run: &SavedRun, prediction: &Prediction) -> String {
    format!(
        "{{\"run\":{},\"prediction\":{}}}",
        write_run(run),
        write_prediction(prediction)
    )
}

/// Reads what [`export_to_json`] wrote. The prediction must have a task for
/// each of the run's.
pub fn export_from_json(text: &str) -> Result<ExportRun, CodecError> {
    export_from_value(parse_text(text)?)
}

/// Reads what [`export_to_json`] wrote, already parsed (a run inside a
/// larger job).
pub fn export_from_value(value: Value) -> Result<ExportRun, CodecError> {
    let Value::Object(mut map) = value else {
        return Err(CodecError::new("", "expected a run to export"));
    };
    let reader = &mut Reader::lenient();
    reader.fields(&map, "", EXPORT_FIELDS)?;
    let prediction = match map.get("prediction") {
        Some(value) => read_prediction(reader, value, "prediction")?,
        None => return Err(CodecError::new("prediction", "missing")),
    };
    let run = match map.remove("run") {
        Some(value) => read_run(reader, value, "run")?,
        None => return Err(CodecError::new("run", "missing")),
    };
    if prediction.tasks.len() != run.measurement.tasks.len() {
        return Err(CodecError::new(
            "prediction.tasks",
            "does not have a task for each of the run's",
        ));
    }
    Ok(ExportRun { run, prediction })
}

fn write_run(run: &SavedRun) -> String {
    let measurement = write_measurement(&run.measurement);
    format!(
        "{{\"mode\":\"{}\",\"stopped\":{},\"started_unix_ms\":{},\"scenario\":{},\"measurement\":{}}}",
        run.mode.slug(),
        run.stopped,
        Number::from_f64(round(run.started_unix_ms)).map_or("0".to_string(), |n| n.to_string()),
        write_doc(&run.scenario, Layout::Compact),
        measurement,
    )
}

fn read_run(reader: &mut Reader, value: Value, path: &str) -> Result<SavedRun, CodecError> {
    let Value::Object(mut map) = value else {
        return Err(expected(path, "a run object", &value));
    };
    reader.fields(&map, path, RUN_FIELDS)?;
    let mode = super::read::read_mode(map.get("mode"), path)?;
    let stopped = match map.get("stopped") {
        None => false,
        Some(value) => value
            .as_bool()
            .ok_or_else(|| expected(join(path, "stopped"), "true or false", value))?,
    };
    let started_unix_ms = match map.get("started_unix_ms") {
        None => 0.0,
        Some(value) => value
            .as_f64()
            .filter(|ms| ms.abs() <= MAX_UNIX_MS)
            .ok_or_else(|| {
                expected(
                    join(path, "started_unix_ms"),
                    "a time in ms since 1970 (0 for unknown)",
                    value,
                )
            })?,
    };
    let scenario = match map.remove("scenario") {
        Some(value) => read_doc(reader, value, &join(path, "scenario"))?,
        None => return Err(CodecError::new(join(path, "scenario"), "missing")),
    };
    let measurement = match map.remove("measurement") {
        Some(value) => read_measurement(reader, &value, &join(path, "measurement"))?,
        None => return Err(CodecError::new(join(path, "measurement"), "missing")),
    };
    Ok(SavedRun {
        mode,
        scenario,
        measurement,
        stopped,
        started_unix_ms,
    })
}
