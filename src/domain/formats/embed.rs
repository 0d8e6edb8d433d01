//! The embedding protocol, pure: which page parameters turn on embed mode,
//! which `postMessage` messages an embedded playground accepts (shape and
//! origin checked), and the messages it posts to the page around it.
//!
//! Messages are JSON-shaped objects with a `type` starting with
//! `async-playground:` and `v: 1`. The runtime reads only `type` first
//! ([`kind_of`]), refuses payloads over [`MAX_MESSAGE_CHARS`] unwritten,
//! queues the rest in an [`Inbox`] that collapses floods, and only then
//! turns each message into JSON text (`JSON.stringify`) for
//! [`parse_inbound`], so every check is tested natively. Anything that is
//! not exactly a documented message is ignored.

use serde_json::Value;

use crate::domain::formats::codec::{self, json_number, json_string, CodecError};
use crate::domain::formats::embed_options::EmbedOptions;
use crate::domain::model::Prediction;
use crate::domain::run::env::RunEnv;
use crate::domain::run::measurement::Measurement;
use crate::domain::scenario::doc::ScenarioDoc;
use crate::domain::scenario::{RunMode, Scenario};

/// Version of the message protocol (`"v": 1`).
pub const PROTOCOL_VERSION: u64 = 1;
/// Largest message text looked at; bigger ones are ignored unread.
pub const MAX_MESSAGE_CHARS: usize = 512 * 1024;

pub const RUN: &str = "async-playground:run";
pub const STOP: &str = "async-playground:stop";
pub const LOAD: &str = "async-playground:load";
pub const RESULT: &str = "async-playground:result";
pub const HEIGHT: &str = "async-playground:height";
/// The DOM event embed.js sends an in-page playground's commands with
/// (`detail`: the same JSON text as an iframe's messages).
pub const COMMAND: &str = "async-playground:command";
/// The host page's theme for an iframe, read by boot.js, not by the app.
pub const THEME: &str = "async-playground:theme";

/// What the page's query string asks of the app.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageParams {
    /// `?embed`: compact layout for an iframe, no autosave.
    pub embed: bool,
    /// `?origin=…`: the only origin messages are taken from and posted to.
    pub origin: EmbedOrigin,
    /// `?modes=…&controls=…&editor=…`: what the embed shows.
    pub options: EmbedOptions,
}

/// Whom an embedded playground talks to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum EmbedOrigin {
    /// No `origin` given: post to `"*"` (results are not secret), act on any
    /// origin's messages, but only on well-shaped ones.
    #[default]
    Any,
    /// Only this origin (`https://example.com`).
    Only(String),
    /// An `origin` parameter that is not an origin: talk to no one rather
    /// than guess.
    Invalid,
}

impl EmbedOrigin {
    /// Whether a message from `origin` may be acted on.
    pub fn accepts(&self, origin: &str) -> bool {
        match self {
            EmbedOrigin::Any => true,
            EmbedOrigin::Only(expected) => expected == origin,
            EmbedOrigin::Invalid => false,
        }
    }

    /// The `targetOrigin` for `postMessage`; `None`: post nothing.
    pub fn target(&self) -> Option<&str> {
        match self {
            EmbedOrigin::Any => Some("*"),
            EmbedOrigin::Only(origin) => Some(origin),
            EmbedOrigin::Invalid => None,
        }
    }

    /// Reads an origin as written in a parameter or data attribute.
    pub fn parse(text: &str) -> Self {
        let text = text.trim().trim_end_matches('/');
        let Some((scheme, host)) = text.split_once("://") else {
            return EmbedOrigin::Invalid;
        };
        let scheme_ok = scheme == "https" || scheme == "http";
        let host_ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        if scheme_ok && host_ok {
            EmbedOrigin::Only(format!("{scheme}://{}", host.to_ascii_lowercase()))
        } else {
            EmbedOrigin::Invalid
        }
    }
}

/// Reads `?embed`, `?origin=` and the [`EmbedOptions`] from a query
/// string (with or without `?`).
pub fn page_params(query: &str) -> PageParams {
    let mut params = PageParams::default();
    for pair in query.trim_start_matches('?').split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "embed" => params.embed = !matches!(value, "0" | "false"),
            "origin" => params.origin = EmbedOrigin::parse(&percent_decode(value)),
            _ => {
                params.options.set(key, &percent_decode(value));
            }
        }
    }
    params
}

/// Decodes `%XX` escapes (and `+` as a space); bad escapes are kept as typed.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Which of our messages a `type` names, read before anything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    Run,
    Stop,
    Load,
    /// Ours, but no message we know (it gets a console warning).
    Unknown,
}

/// The kind of message a `type` names; `None`: not one of ours.
pub fn kind_of(type_text: &str) -> Option<MessageKind> {
    match type_text {
        RUN => Some(MessageKind::Run),
        STOP => Some(MessageKind::Stop),
        LOAD => Some(MessageKind::Load),
        // boot.js's, never looked at by the app.
        THEME => None,
        t if t.starts_with("async-playground:") => Some(MessageKind::Unknown),
        _ => None,
    }
}

/// How many messages wait for their turn at most.
pub const INBOX_LEN: usize = 8;

/// The parent's messages waiting for their turn. A burst collapses: a
/// message of the same kind as the one queued last replaces it (of a
/// flood of `load`s only the last is read), order between kinds is kept,
/// and at most [`INBOX_LEN`] wait (the oldest go first).
#[derive(Debug)]
pub struct Inbox<T> {
    kinds: Vec<MessageKind>,
    messages: Vec<T>,
}

impl<T> Default for Inbox<T> {
    fn default() -> Self {
        Inbox {
            kinds: Vec::new(),
            messages: Vec::new(),
        }
    }
}

impl<T> Inbox<T> {
    pub fn push(&mut self, kind: MessageKind, message: T) {
        if self.kinds.last() == Some(&kind) {
            self.messages.pop();
        } else {
            if self.kinds.len() == INBOX_LEN {
                self.kinds.remove(0);
                self.messages.remove(0);
            }
            self.kinds.push(kind);
        }
        self.messages.push(message);
    }

    /// The waiting messages, oldest first, leaving the inbox empty.
    pub fn take(&mut self) -> Vec<T> {
        self.kinds.clear();
        std::mem::take(&mut self.messages)
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }
}

/// A message the embedding page sent, once checked.
#[derive(Clone, Debug, PartialEq)]
pub enum Inbound {
    /// Run in this mode, or in the scenario's own mode.
    Run(Option<RunMode>),
    Stop,
    /// Replace the scenario.
    Load(ScenarioDoc),
}

/// Why a message that names our protocol was still not acted on.
#[derive(Clone, Debug, PartialEq)]
pub enum Rejected {
    /// Not one of ours at all (another library's message): ignore silently.
    NotOurs,
    /// Ours, but malformed: worth a console warning for the embedder.
    Bad(String),
}

/// Checks a message's JSON text and says what it asks for.
pub fn parse_inbound(text: &str) -> Result<Inbound, Rejected> {
    if text.len() > MAX_MESSAGE_CHARS {
        return Err(Rejected::NotOurs);
    }
    let value: Value = serde_json::from_str(text).map_err(|_| Rejected::NotOurs)?;
    let Some(object) = value.as_object() else {
        return Err(Rejected::NotOurs);
    };
    let Some(kind) = object.get("type").and_then(Value::as_str) else {
        return Err(Rejected::NotOurs);
    };
    if !kind.starts_with("async-playground:") {
        return Err(Rejected::NotOurs);
    }
    match object.get("v") {
        None => {}
        Some(v) if v.as_u64() == Some(PROTOCOL_VERSION) => {}
        Some(_) => return Err(Rejected::Bad(format!("{kind}: unsupported version"))),
    }
    match kind {
        RUN => match object.get("mode") {
            None | Some(Value::Null) => Ok(Inbound::Run(None)),
            Some(Value::String(slug)) => RunMode::from_slug(slug)
                .map(|m| Inbound::Run(Some(m)))
                .ok_or_else(|| Rejected::Bad(format!("{RUN}: unknown mode"))),
            Some(_) => Err(Rejected::Bad(format!("{RUN}: mode must be a string"))),
        },
        STOP => Ok(Inbound::Stop),
        LOAD => {
            let read = match object.get("scenario") {
                Some(Value::String(json)) => codec::from_json(json),
                Some(v @ Value::Object(_)) => codec::from_json_value(v.clone()),
                _ => {
                    return Err(Rejected::Bad(format!(
                        "{LOAD}: scenario must be a JSON object or text"
                    )))
                }
            };
            read.map(Inbound::Load)
                .map_err(|e: CodecError| Rejected::Bad(format!("{LOAD}: {e}")))
        }
        _ => Err(Rejected::Bad(format!("{kind}: unknown message"))),
    }
}

/// `{type: "async-playground:height", v: 1, height}` (CSS pixels).
pub fn height_message(height_px: f64) -> String {
    let height = if height_px.is_finite() {
        height_px.max(0.0).ceil()
    } else {
        0.0
    };
    // Keys in serde_json's order (sorted), as `json!` wrote them.
    format!(
        "{{\"height\":{},\"type\":{},\"v\":{PROTOCOL_VERSION}}}",
        json_number(height),
        json_string(HEIGHT)
    )
}

/// `{type: "async-playground:result", v: 1, mode, wall_ms, predicted_ms,
/// stopped, hidden_ms, throttled, tasks: [{label, start_ms, end_ms, outcome}]}`.
/// Times are ms since the run started, rounded to 0.1 ms; a task that never
/// started or ended has `null` there.
pub fn result_message(
    mode: RunMode,
    scenario: &Scenario,
    prediction: &Prediction,
    measurement: &Measurement,
    stopped: bool,
    env: RunEnv,
) -> String {
    let round = |ms: f64| (ms * 10.0).round() / 10.0;
    let ms = |ms: Option<f64>| ms.map_or_else(|| "null".to_string(), |ms| json_number(round(ms)));
    // Written by hand, keys sorted as serde_json's `json!` wrote them: its
    // serializer would be in the app's wasm for these two messages alone.
    let tasks: Vec<String> = scenario
        .tasks
        .iter()
        .zip(&measurement.tasks)
        .map(|(task, m)| {
            format!(
                "{{\"end_ms\":{},\"label\":{},\"outcome\":{},\"start_ms\":{}}}",
                ms(m.end_ms),
                json_string(&task.label),
                m.outcome
                    .map_or_else(|| "null".to_string(), |o| json_string(o.label())),
                ms(m.start_ms),
            )
        })
        .collect();
    format!(
        "{{\"hidden_ms\":{},\"mode\":{},\"predicted_ms\":{},\"stopped\":{stopped},\"tasks\":[{}],\"throttled\":{},\"type\":{},\"v\":{PROTOCOL_VERSION},\"wall_ms\":{}}}",
        json_number(round(env.hidden_ms)),
        json_string(mode.slug()),
        json_number(round(prediction.total_ms)),
        tasks.join(","),
        env.throttled,
        json_string(RESULT),
        ms(measurement.total_ms),
    )
}
