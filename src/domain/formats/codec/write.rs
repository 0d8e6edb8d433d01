//! Writes the JSON scenario format: defaults omitted, editor text kept
//! exactly, runs of numbered copies collapsed into `"repeat"`.

use serde_json::{Number, Value};

use super::{default_label, DEFAULT_MS, FORMAT_VERSION};
use crate::domain::scenario::doc::ScenarioDoc;
use crate::domain::scenario::{
    OptionTexts, RunMode, RunOptions, TaskDraft, TaskId, TaskKind, DEFAULT_SPEED_TEXT,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Layout {
    /// One field per line, one task per line: for people.
    Pretty,
    /// No whitespace: for links and the autosave.
    Compact,
}

/// The scenario as human-writable JSON (pretty, defaults omitted).
pub fn to_json(doc: &ScenarioDoc) -> String {
    write_doc(doc, Layout::Pretty)
}

pub(super) fn write_doc(doc: &ScenarioDoc, layout: Layout) -> String {
    let mut fields = vec![("v", FORMAT_VERSION.to_string())];
    if !doc.title.is_empty() {
        fields.push(("title", json_string(&doc.title)));
    }
    if doc.mode != RunMode::Gather {
        fields.push(("mode", json_string(doc.mode.slug())));
    }
    if doc.speed_text != DEFAULT_SPEED_TEXT {
        fields.push(("speed", number_or_string(&doc.speed_text)));
    }
    let options = option_fields(&doc.options, &doc.option_texts);
    if !options.is_empty() {
        fields.push(("options", inline(&options, layout)));
    }
    let tasks: Vec<String> = task_entries(&doc.drafts)
        .iter()
        .map(|task| inline(task, layout))
        .collect();
    let tasks = match layout {
        Layout::Pretty if !tasks.is_empty() => format!("[\n    {}\n  ]", tasks.join(",\n    ")),
        _ => format!("[{}]", tasks.join(",")),
    };
    fields.push(("tasks", tasks));
    match layout {
        Layout::Pretty => {
            let lines: Vec<String> = fields
                .iter()
                .map(|(key, value)| format!("  \"{key}\": {value}"))
                .collect();
            format!("{{\n{}\n}}", lines.join(",\n"))
        }
        Layout::Compact => inline(&fields, layout),
    }
}

type Fields = Vec<(&'static str, String)>;

/// `{"a": 1, "b": 2}` on one line (values are already JSON).
fn inline(fields: &[(&str, String)], layout: Layout) -> String {
    let (colon, comma) = match layout {
        Layout::Pretty => (": ", ", "),
        Layout::Compact => (":", ","),
    };
    let parts: Vec<String> = fields
        .iter()
        .map(|(key, value)| format!("\"{key}\"{colon}{value}"))
        .collect();
    format!("{{{}}}", parts.join(comma))
}

/// `text` as a JSON string, escaped as serde_json escapes it: `"`, `\\` and
/// the control characters, nothing else. Written by hand: serde_json's
/// writer would bring its whole serializer into the app's wasm.
pub fn json_string(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                let byte = u32::from(c) as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX[byte >> 4]));
                out.push(char::from(HEX[byte & 0xf]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON number as serde_json writes `x` (`2.0`, `0.1`), or `null` when
/// `x` is not finite (what `json!` makes of it).
pub fn json_number(x: f64) -> String {
    Number::from_f64(x).map_or_else(|| "null".to_string(), |n| n.to_string())
}

/// Editor text as a JSON number when that number reads back as the very same
/// text (`300`, `2.5`), else as a string (`"300 ms"`), so text round-trips.
fn number_or_string(text: &str) -> String {
    // Read as a Value, not a Number: Number's own reader brings serde's
    // type-mismatch messages, and with them core's float printing.
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Number(number)) if number.to_string() == text => text.to_string(),
        _ => json_string(text),
    }
}

/// The options that differ from the defaults; Threads and the limit as
/// typed when that is not simply their number.
fn option_fields(options: &RunOptions, texts: &OptionTexts) -> Fields {
    let default = RunOptions::default();
    let mut fields = Fields::new();
    if options.return_exceptions != default.return_exceptions {
        fields.push(("return_exceptions", options.return_exceptions.to_string()));
    }
    match &texts.limit {
        Some(text) => fields.push(("limit", number_or_string(text))),
        None if options.limit != default.limit => fields.push(("limit", options.limit.to_string())),
        None => {}
    }
    if options.cancel_pending != default.cancel_pending {
        fields.push(("cancel_pending", options.cancel_pending.to_string()));
    }
    match &texts.pool_size {
        Some(text) => fields.push(("pool_size", number_or_string(text))),
        None if options.pool_size != default.pool_size => {
            fields.push(("pool_size", options.pool_size.to_string()))
        }
        None => {}
    }
    if options.gil != default.gil {
        fields.push(("gil", options.gil.to_string()));
    }
    fields
}

/// A task's fields other than its label. Fields the kind does not use are
/// written too when they differ from the default, so nothing typed is lost.
fn task_fields(draft: &TaskDraft) -> Fields {
    let template = TaskDraft::io(TaskId(0), "", DEFAULT_MS);
    let mut fields = vec![("ms", number_or_string(&draft.duration_text))];
    if draft.kind != TaskKind::Io {
        fields.push(("kind", json_string(draft.kind.slug())));
    }
    if draft.message != template.message {
        fields.push(("message", json_string(&draft.message)));
    }
    if !draft.timeout_text.is_empty() {
        fields.push(("timeout_ms", number_or_string(&draft.timeout_text)));
    }
    if draft.items_text != template.items_text {
        fields.push(("items", number_or_string(&draft.items_text)));
    }
    if draft.body_text != template.body_text {
        fields.push(("body_ms", number_or_string(&draft.body_text)));
    }
    fields
}

/// One entry per task, except that runs of equal tasks labelled `X 1`…`X n`
/// (or all default labels) become one `"repeat": n` entry: a generated
/// "20 fetches" is one line, not twenty.
fn task_entries(drafts: &[TaskDraft]) -> Vec<Fields> {
    let fields: Vec<Fields> = drafts.iter().map(task_fields).collect();
    let mut entries = Vec::new();
    let mut start = 0;
    while let (Some(first), Some(first_fields)) = (drafts.get(start), fields.get(start)) {
        let same_fields = |i: usize| fields.get(i) == Some(first_fields);
        let label_at = |i: usize| drafts.get(i).map(|d| d.label.as_str());
        let (label, count) = if first.label == default_label(start + 1) {
            let mut count = 1;
            while same_fields(start + count)
                && label_at(start + count) == Some(&default_label(start + count + 1))
            {
                count += 1;
            }
            (None, count)
        } else if let Some(prefix) = first.label.strip_suffix(" 1") {
            let mut count = 1;
            while same_fields(start + count)
                && label_at(start + count) == Some(&format!("{prefix} {}", count + 1))
            {
                count += 1;
            }
            let label = if count > 1 { prefix } else { &first.label };
            (Some(label), count)
        } else {
            (Some(first.label.as_str()), 1)
        };
        let mut entry = Fields::new();
        if let Some(label) = label {
            entry.push(("label", json_string(label)));
        }
        entry.extend(first_fields.iter().cloned());
        if count > 1 {
            entry.push(("repeat", count.to_string()));
        }
        entries.push(entry);
        start += count;
    }
    entries
}
