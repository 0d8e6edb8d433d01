//! Reads the JSON scenario format by walking a `serde_json::Value`, so that
//! every error names the path to its field.

use serde_json::error::Category;
use serde_json::{Map, Value};

use super::{default_label, CodecError, DEFAULT_MS, FORMAT_VERSION};
use crate::domain::scenario::doc::ScenarioDoc;
use crate::domain::scenario::{
    check_label, check_message, parse_duration_ms, parse_items, parse_limit, parse_pool_size,
    parse_speed, parse_timeout_ms, FieldProblem, OptionTexts, RunMode, RunOptions, ScenarioError,
    TaskDraft, TaskId, TaskKind, DEFAULT_SPEED_TEXT, MAX_DURATION_MS, MAX_LABEL_CHARS, MAX_LIMIT,
    MAX_POOL_SIZE, MAX_STREAM_ITEMS, MAX_TASKS,
};

const DOC_FIELDS: &[&str] = &["v", "title", "mode", "speed", "options", "tasks"];
const TASK_FIELDS: &[&str] = &[
    "label",
    "ms",
    "kind",
    "message",
    "timeout_ms",
    "items",
    "body_ms",
    "repeat",
];
const OPTION_FIELDS: &[&str] = &[
    "return_exceptions",
    "limit",
    "cancel_pending",
    "pool_size",
    "gil",
];

/// Most bytes one read may create by copying `repeat` entries: a few bytes
/// of input must not turn into gigabytes (ten thousand copies of a long
/// unchecked field, or many saved runs each repeating). Real scenarios use
/// well under 1 MB.
pub const MAX_REPEAT_BYTES: usize = 16 << 20;

/// How one read goes: whether values are checked the way `validate()` does
/// (links, JSON) or editor text is kept as it is (autosave), whether unknown
/// fields are refused or ignored, and what is left of the `repeat` budget,
/// shared by every scenario in the read.
pub(super) struct Reader {
    strict: bool,
    repeat_bytes_left: usize,
    /// `Some`: unknown fields are tolerated (the autosave of a newer build)
    /// and each is listed here, with what else the read left out.
    left_out: Option<Vec<CodecError>>,
}

/// Why an unknown field in the autosave was passed over.
pub const IGNORED_FIELD: &str = "unknown field, ignored (saved by a newer version?)";

impl Reader {
    pub(super) fn strict() -> Self {
        Reader {
            strict: true,
            repeat_bytes_left: MAX_REPEAT_BYTES,
            left_out: None,
        }
    }

    pub(super) fn lenient() -> Self {
        Reader {
            strict: false,
            ..Reader::strict()
        }
    }

    /// Lenient, and unknown fields are ignored and listed, not refused.
    pub(super) fn tolerant() -> Self {
        Reader {
            left_out: Some(Vec::new()),
            ..Reader::lenient()
        }
    }

    /// Checks `map`'s fields against `known`: the first unknown one is an
    /// error, or (tolerant) each is noted and skipped.
    pub(super) fn fields(
        &mut self,
        map: &Map<String, Value>,
        path: &str,
        known: &[&str],
    ) -> Result<(), CodecError> {
        let Some(left_out) = &mut self.left_out else {
            return check_fields(map, path, known);
        };
        let unknown = map.keys().filter(|key| !known.contains(&key.as_str()));
        left_out.extend(unknown.map(|key| CodecError::new(key_path(path, key), IGNORED_FIELD)));
        Ok(())
    }

    /// Notes something left out (tolerant reads only; others refuse it).
    pub(super) fn note(&mut self, error: CodecError) {
        if let Some(left_out) = &mut self.left_out {
            left_out.push(error);
        }
    }

    /// How many notes there are so far.
    pub(super) fn noted(&self) -> usize {
        self.left_out.as_ref().map_or(0, Vec::len)
    }

    /// Drops the notes after the first `count`.
    pub(super) fn forget_since(&mut self, count: usize) {
        if let Some(left_out) = &mut self.left_out {
            left_out.truncate(count);
        }
    }

    /// The notes, in the order they were made.
    pub(super) fn take_left_out(&mut self) -> Vec<CodecError> {
        self.left_out.take().unwrap_or_default()
    }
}

/// Reads the JSON scenario format (any supported version). Strict: the
/// scenario must pass `validate()`; the error names the first bad field.
pub fn from_json(text: &str) -> Result<ScenarioDoc, CodecError> {
    from_json_value(parse_text(text)?)
}

/// [`from_json`] for JSON already parsed (an embed message's scenario):
/// writing it out and parsing it again could move a float by an ulp.
pub fn from_json_value(value: Value) -> Result<ScenarioDoc, CodecError> {
    read_doc(&mut Reader::strict(), value, "")
}

/// Brings a scenario written in format `version` up to [`FORMAT_VERSION`],
/// before it is read. Each old version gets a step here (`v1_to_v2`, …),
/// applied in turn, so that old links keep opening after the format changes.
pub fn migrate(version: u32, value: Value) -> Result<Value, CodecError> {
    match version {
        FORMAT_VERSION => Ok(value),
        0 => Err(CodecError::new(
            "v",
            "format version 0 does not exist; the first is 1",
        )),
        newer => Err(CodecError::new(
            "v",
            format!(
                "format version {newer} is newer than this playground understands ({FORMAT_VERSION})"
            ),
        )),
    }
}

/// Parses JSON text; a cut-off text gets its own plain message.
pub(super) fn parse_text(text: &str) -> Result<Value, CodecError> {
    serde_json::from_str(text).map_err(|e| {
        let reason = match e.classify() {
            Category::Eof => format!(
                "the JSON ends early (line {}, column {}); was it cut off?",
                e.line(),
                e.column()
            ),
            _ => format!("not valid JSON: {e}"),
        };
        CodecError::new("", reason)
    })
}

/// The path of any key: plain names as they are (`history[0].foo`), others
/// quoted (`scenario."a.b"`, `""`), so no key reads as another path or as
/// the whole document.
fn key_path(path: &str, key: &str) -> String {
    let plain = !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if plain {
        join(path, key)
    } else {
        join(path, &format!("\"{key}\""))
    }
}

pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// An error from a nested reader, re-rooted at `path`.
pub(super) fn prefixed(path: &str, error: CodecError) -> CodecError {
    match (path.is_empty(), error.path.is_empty()) {
        (true, _) => error,
        (false, true) => CodecError::new(path, error.reason),
        (false, false) => CodecError::new(join(path, &error.path), error.reason),
    }
}

/// A value quoted for a message, shortened if long.
pub(super) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.chars().count() > 30 => {
            format!("\"{}…\"", s.chars().take(30).collect::<String>())
        }
        Value::String(s) => format!("\"{s}\""),
        Value::Array(_) => "a list [...]".to_string(),
        Value::Object(_) => "an object {...}".to_string(),
    }
}

pub(super) fn expected(path: impl Into<String>, what: &str, got: &Value) -> CodecError {
    CodecError::new(path, format!("expected {what}, got {}", describe(got)))
}

/// Refuses the first field not in `known` (catches typos like `duraton`).
pub(super) fn check_fields(
    map: &Map<String, Value>,
    path: &str,
    known: &[&str],
) -> Result<(), CodecError> {
    match map.keys().find(|key| !known.contains(&key.as_str())) {
        None => Ok(()),
        Some(key) => Err(CodecError::new(
            path,
            format!(
                "unknown field {}; known fields: {}",
                describe(&Value::String(key.clone())),
                known.join(", ")
            ),
        )),
    }
}

/// The `v` field: absent means 1 (the first format had no other).
pub(super) fn read_version(map: &Map<String, Value>, path: &str) -> Result<u32, CodecError> {
    match map.get("v") {
        None => Ok(1),
        Some(Value::Number(n)) if n.as_u64().is_some() => Ok(n
            .as_u64()
            .map_or(u32::MAX, |v| u32::try_from(v).unwrap_or(u32::MAX))),
        Some(other) => Err(expected(join(path, "v"), "a format version like 1", other)),
    }
}

pub(super) fn read_doc(
    reader: &mut Reader,
    value: Value,
    path: &str,
) -> Result<ScenarioDoc, CodecError> {
    let what = "a scenario object like {\"tasks\": [{\"ms\": 300}]}";
    let Value::Object(map) = value else {
        return Err(expected(path, what, &value));
    };
    let version = read_version(&map, path)?;
    let Value::Object(mut map) =
        migrate(version, Value::Object(map)).map_err(|e| prefixed(path, e))?
    else {
        return Err(CodecError::new(path, "migration lost the scenario object"));
    };
    reader.fields(&map, path, DOC_FIELDS)?;
    let title = match map.remove("title") {
        None => String::new(),
        Some(Value::String(title)) => title,
        Some(other) => return Err(expected(join(path, "title"), "a title in quotes", &other)),
    };
    let mode = read_mode(map.get("mode"), path)?;
    let speed_text = match map.get("speed") {
        None => DEFAULT_SPEED_TEXT.to_string(),
        Some(value) => read_number_text(
            value,
            &join(path, "speed"),
            // Spelt out: formatting an f64 pulls in core's float printer.
            "a speed factor from 0.1 to 100",
            reader.strict.then_some(is_speed),
        )?,
    };
    let (options, option_texts) = match map.get("options") {
        None => (RunOptions::default(), OptionTexts::default()),
        Some(value) => read_options(reader, value, &join(path, "options"))?,
    };
    let tasks_path = join(path, "tasks");
    let Some(tasks) = map.get("tasks") else {
        return Err(CodecError::new(
            tasks_path,
            "missing: list the tasks, e.g. \"tasks\": [{\"ms\": 300}]",
        ));
    };
    let drafts = read_tasks(reader, tasks, &tasks_path)?;
    Ok(ScenarioDoc {
        title,
        drafts,
        speed_text,
        mode,
        options,
        option_texts,
    })
}

/// A slug from `choices`.
pub(super) fn read_choice<'v>(
    value: &'v Value,
    path: &str,
    name: &str,
    choices: &[&str],
) -> Result<&'v str, CodecError> {
    match value {
        Value::String(s) if choices.contains(&s.as_str()) => Ok(s),
        other => Err(CodecError::new(
            path,
            format!(
                "unknown {name} {}; one of: {}",
                describe(other),
                choices.join(", ")
            ),
        )),
    }
}

/// A number or a string, kept as editor text; `valid` (strict reading only)
/// applies the same rule as `validate()`.
fn read_number_text(
    value: &Value,
    path: &str,
    what: &str,
    valid: Option<fn(&str) -> bool>,
) -> Result<String, CodecError> {
    let text = match value {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        other => return Err(expected(path, what, other)),
    };
    match valid {
        Some(valid) if !valid(&text) => Err(expected(path, what, value)),
        _ => Ok(text),
    }
}

fn read_whole(value: &Value, path: &str, min: u64, max: u64) -> Result<u64, CodecError> {
    match value.as_u64() {
        Some(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(expected(
            path,
            &format!("a whole number from {min} to {max}"),
            value,
        )),
    }
}

fn read_bool(value: &Value, path: &str) -> Result<bool, CodecError> {
    value
        .as_bool()
        .ok_or_else(|| expected(path, "true or false", value))
}

fn read_options(
    reader: &mut Reader,
    value: &Value,
    path: &str,
) -> Result<(RunOptions, OptionTexts), CodecError> {
    let Value::Object(map) = value else {
        return Err(expected(
            path,
            "an options object like {\"limit\": 3}",
            value,
        ));
    };
    reader.fields(map, path, OPTION_FIELDS)?;
    let mut options = RunOptions::default();
    let mut texts = OptionTexts::default();
    for (key, value) in map {
        let at = join(path, key);
        match key.as_str() {
            "return_exceptions" => options.return_exceptions = read_bool(value, &at)?,
            "cancel_pending" => options.cancel_pending = read_bool(value, &at)?,
            "gil" => options.gil = read_bool(value, &at)?,
            "limit" => {
                let (n, text) = read_count(reader, value, &at, parse_limit, MAX_LIMIT)?;
                (options.limit, texts.limit) = (n.unwrap_or(options.limit), text);
            }
            "pool_size" => {
                let (n, text) = read_count(reader, value, &at, parse_pool_size, MAX_POOL_SIZE)?;
                (options.pool_size, texts.pool_size) = (n.unwrap_or(options.pool_size), text);
            }
            _ => {}
        }
    }
    Ok((options, texts))
}

/// A whole number from 1 to `max`. Strict: nothing else. Lenient: any
/// number or text, kept as typed when it is not valid (its number is then
/// `None`), as the editor keeps it.
fn read_count(
    reader: &Reader,
    value: &Value,
    path: &str,
    parse: fn(&str) -> Result<u32, ScenarioError>,
    max: u32,
) -> Result<(Option<u32>, Option<String>), CodecError> {
    if reader.strict {
        // Fits: max is a u32.
        return Ok((
            Some(read_whole(value, path, 1, u64::from(max))? as u32),
            None,
        ));
    }
    let text = match value {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        other => {
            return Err(expected(
                path,
                &format!("a whole number from 1 to {max}"),
                other,
            ))
        }
    };
    Ok((parse(&text).ok(), OptionTexts::typed(&text, parse)))
}

fn read_tasks(
    reader: &mut Reader,
    value: &Value,
    path: &str,
) -> Result<Vec<TaskDraft>, CodecError> {
    let Value::Array(items) = value else {
        return Err(expected(path, "a list of tasks [...]", value));
    };
    if reader.strict && items.is_empty() {
        return Err(CodecError::new(path, "a scenario needs at least one task"));
    }
    let mut drafts = Vec::new();
    for (index, item) in items.iter().enumerate() {
        read_task(reader, item, &format!("{path}[{index}]"), &mut drafts)?;
    }
    Ok(drafts)
}

fn is_speed(text: &str) -> bool {
    parse_speed(text).is_ok()
}

fn is_duration(text: &str) -> bool {
    parse_duration_ms(text).is_ok()
}

fn is_timeout(text: &str) -> bool {
    parse_timeout_ms(text).is_ok()
}

fn is_items(text: &str) -> bool {
    parse_items(text).is_ok()
}

/// What went wrong with a label or message, in the codec's words.
fn text_reason(name: &str, problem: FieldProblem) -> String {
    match problem {
        FieldProblem::LabelTooLong { chars } => {
            format!("the {name} is {chars} characters long; at most {MAX_LABEL_CHARS}")
        }
        _ => format!("the {name} can't be blank"),
    }
}

/// Reads one task entry and appends its draft(s) (`repeat` makes copies).
fn read_task(
    reader: &mut Reader,
    value: &Value,
    path: &str,
    drafts: &mut Vec<TaskDraft>,
) -> Result<(), CodecError> {
    let Value::Object(map) = value else {
        return Err(expected(path, "a task object like {\"ms\": 300}", value));
    };
    reader.fields(map, path, TASK_FIELDS)?;
    let kind = match map.get("kind") {
        None => TaskKind::Io,
        Some(value) => {
            let slugs = TaskKind::ALL.map(|k| k.slug());
            let slug = read_choice(value, &join(path, "kind"), "kind", &slugs)?;
            TaskKind::from_slug(slug).unwrap_or_default()
        }
    };
    let strict = reader.strict;
    // Fields the kind does not use are checked only for type, as validate()
    // ignores them too.
    let stream = strict && kind == TaskKind::Stream;
    let template = TaskDraft::io(TaskId(0), "", DEFAULT_MS);
    let ms_what = format!("a whole number of milliseconds from 0 to {MAX_DURATION_MS}");
    let number = |key: &str, default: &str, what: &str, valid: Option<fn(&str) -> bool>| {
        map.get(key).map_or(Ok(default.to_string()), |value| {
            read_number_text(value, &join(path, key), what, valid)
        })
    };
    let duration_text = number("ms", DEFAULT_MS, &ms_what, strict.then_some(is_duration))?;
    let timeout_text = number(
        "timeout_ms",
        "",
        &format!("a timeout of 1 to {MAX_DURATION_MS} ms (leave it out for none)"),
        strict.then_some(is_timeout),
    )?;
    let items_text = number(
        "items",
        &template.items_text,
        &format!("a whole number of items from 1 to {MAX_STREAM_ITEMS}"),
        stream.then_some(is_items),
    )?;
    let body_text = number(
        "body_ms",
        &template.body_text,
        &ms_what,
        stream.then_some(is_duration),
    )?;
    let message = match map.get("message") {
        None => template.message,
        Some(Value::String(message)) => message.clone(),
        Some(other) => {
            return Err(expected(
                join(path, "message"),
                "a message in quotes",
                other,
            ))
        }
    };
    if strict && kind == TaskKind::Fail {
        check_message(&message)
            .map_err(|p| CodecError::new(join(path, "message"), text_reason("message", p)))?;
    }
    let label = match map.get("label") {
        None => None,
        Some(Value::String(label)) => Some(label.as_str()),
        Some(other) => return Err(expected(join(path, "label"), "a label in quotes", other)),
    };
    let repeat = match map.get("repeat") {
        None => None,
        Some(value) => {
            Some(read_whole(value, &join(path, "repeat"), 1, MAX_TASKS as u64)? as usize)
        }
    };
    let total = drafts.len().saturating_add(repeat.unwrap_or(1));
    if total > MAX_TASKS {
        let at = if repeat.is_some() {
            join(path, "repeat")
        } else {
            path.to_string()
        };
        return Err(CodecError::new(
            at,
            format!("this makes {total} tasks; a scenario holds at most {MAX_TASKS}"),
        ));
    }
    // Copies beyond the first are what input does not pay for.
    let text_bytes = [
        label.map_or(0, str::len),
        duration_text.len(),
        message.len(),
        timeout_text.len(),
        items_text.len(),
        body_text.len(),
    ]
    .iter()
    .sum::<usize>()
        + std::mem::size_of::<TaskDraft>();
    let copies_bytes = text_bytes.saturating_mul(repeat.unwrap_or(1) - 1);
    match reader.repeat_bytes_left.checked_sub(copies_bytes) {
        Some(left) => reader.repeat_bytes_left = left,
        None => {
            return Err(CodecError::new(
                join(path, "repeat"),
                format!(
                    "repeating makes the scenario too large (over {} MB of text)",
                    MAX_REPEAT_BYTES >> 20
                ),
            ))
        }
    }
    for copy in 1..=repeat.unwrap_or(1) {
        let position = drafts.len() + 1;
        let label = match (label, repeat) {
            (Some(label), Some(_)) => format!("{label} {copy}"),
            (Some(label), None) => label.to_string(),
            (None, _) => default_label(position),
        };
        if strict {
            check_label(&label)
                .map_err(|p| CodecError::new(join(path, "label"), text_reason("label", p)))?;
        }
        drafts.push(TaskDraft {
            // At most MAX_TASKS, so it fits.
            id: TaskId(position as u32),
            label,
            duration_text: duration_text.clone(),
            kind,
            message: message.clone(),
            timeout_text: timeout_text.clone(),
            items_text: items_text.clone(),
            body_text: body_text.clone(),
        });
    }
    Ok(())
}

/// The `mode` field of the object at `path` (gathered when absent).
pub(super) fn read_mode(value: Option<&Value>, path: &str) -> Result<RunMode, CodecError> {
    match value {
        None => Ok(RunMode::Gather),
        Some(value) => {
            let slugs = RunMode::ALL.map(|m| m.slug());
            let slug = read_choice(value, &join(path, "mode"), "mode", &slugs)?;
            Ok(RunMode::from_slug(slug).unwrap_or(RunMode::Gather))
        }
    }
}
