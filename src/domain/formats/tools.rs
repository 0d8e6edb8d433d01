//! The tools worker's jobs: writing a scenario as a Python or Rust program,
//! a run as a Chrome trace or CSV, reading a trace back, and Share's embed
//! snippets.
//!
//! A run goes to the worker as it was shown ([`export_request`]): the
//! scenario and measurement as the history keeps them, with the prediction
//! made when it ran; the worker writes them out and works nothing out again.
//!
//! Why a worker: these generators are about a tenth of the app's wasm and
//! no one needs them to start; the app loads them, in a worker of their
//! own, the first time the code panel opens or a file is exported or
//! imported. A job is an operation name and one text payload; the answer is
//! text or a message saying what went wrong. Only the worker calls
//! [`answer`], so the app's own wasm does not carry the generators.

use crate::domain::codegen::python::python_program;
use crate::domain::codegen::rust::rust_program;
use crate::domain::formats::codec::{self, export_from_json, run_from_json, run_to_json};
use crate::domain::formats::embed_options::EmbedOptions;
use crate::domain::formats::export::{from_chrome_trace, to_chrome_trace, to_csv, ExportRun};
use crate::domain::formats::snippets::{self, Snippet};
use crate::domain::run::{Run, SavedRun};
use crate::domain::scenario::doc::ScenarioDoc;
use crate::domain::scenario::{RunMode, Scenario};

/// The jobs, by wire name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Payload: a scenario document (JSON format v1, with its mode).
    Python,
    /// Payload: a scenario document.
    Rust,
    /// Payload: a run to export ([`export_request`]).
    Trace,
    /// Payload: a run to export.
    Csv,
    /// Payload: a trace file's text; answer: the run it holds.
    Import,
    /// Payload: [`snippet_request`]; answer: the text to paste.
    Snippet,
}

impl Op {
    pub const ALL: [Op; 6] = [
        Op::Python,
        Op::Rust,
        Op::Trace,
        Op::Csv,
        Op::Import,
        Op::Snippet,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Op::Python => "python",
            Op::Rust => "rust",
            Op::Trace => "trace",
            Op::Csv => "csv",
            Op::Import => "import",
            Op::Snippet => "snippet",
        }
    }

    pub fn from_name(name: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| op.name() == name)
    }
}

/// The payload that asks for `scenario`'s program under its mode.
pub fn program_request(scenario: &Scenario, mode: RunMode) -> String {
    codec::to_json(&ScenarioDoc::from_scenario(scenario, mode))
}

/// The payload that asks for one of Share's snippets: its slug, the full
/// app's address, the embed options as link parameters, then the scenario
/// as a share link's fragment ([`codec::to_fragment`]), one per line. The
/// snippet and options come as the panel names them, so the app's wasm
/// carries none of the writers.
pub fn snippet_request(snippet: &str, app_url: &str, options: &str, fragment: &str) -> String {
    format!("{snippet}\n{app_url}\n{options}\n{fragment}")
}

/// The payload that asks for a run's trace or CSV: the run as it was.
pub fn export_request(run: &Run) -> String {
    codec::export_to_json(&run.to_saved(), &run.prediction)
}

/// What the worker does with a job.
pub fn answer(op: Op, payload: &str) -> Result<String, String> {
    match op {
        Op::Python | Op::Rust => {
            let doc = codec::from_json(payload).map_err(|e| e.to_string())?;
            let scenario = valid(&doc)?;
            Ok(match op {
                Op::Python => python_program(&scenario, doc.mode, false),
                _ => rust_program(&scenario, doc.mode),
            })
        }
        Op::Trace => Ok(to_chrome_trace(&read_export(payload)?)),
        Op::Csv => Ok(to_csv(&read_export(payload)?)),
        Op::Import => from_chrome_trace(payload)
            .map(|run| run_to_json(&run))
            .map_err(|e| e.to_string()),
        Op::Snippet => {
            let mut lines = payload.splitn(4, '\n');
            let (slug, app_url, query) = (
                lines.next().unwrap_or_default(),
                lines.next().unwrap_or_default(),
                lines.next().unwrap_or_default(),
            );
            let doc = codec::from_fragment(lines.next().unwrap_or_default())
                .map_err(|e| e.to_string())?
                .ok_or("the request holds no scenario")?
                .doc;
            let snippet = Snippet::ALL
                .into_iter()
                .find(|s| s.slug() == slug)
                .ok_or_else(|| format!("no snippet called {slug:?}"))?;
            let mut options = EmbedOptions::default();
            for pair in query.split('&') {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                options.set(key, &value.replace('+', " "));
            }
            Ok(snippets::write(snippet, &doc, &options, app_url))
        }
    }
}

/// The run an [`Op::Import`] answer holds.
pub fn imported_run(answer: &str) -> Result<SavedRun, String> {
    run_from_json(answer).map_err(|e| e.to_string())
}

fn read_export(payload: &str) -> Result<ExportRun, String> {
    export_from_json(payload).map_err(|e| format!("the run could not be read: {e}"))
}

fn valid(doc: &ScenarioDoc) -> Result<Scenario, String> {
    doc.validate()
        .map_err(|errors| format!("the scenario has {} problem(s)", errors.len()))
}
