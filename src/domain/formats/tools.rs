//! The tools worker's jobs: writing a scenario as a Python or Rust program,
//! a run as a Chrome trace or CSV, reading a trace back, and Share's embed
//! snippets.
//!
//! Why a worker: these generators are about a tenth of the app's wasm and
//! no one needs them to start; the app loads them, in a worker of their
//! own, the first time the code panel opens or a file is exported or
//! imported. A job is an operation name and one text payload; the answer is
//! text or a message saying what went wrong. Only the worker calls
//! [`answer`], so the app's own wasm does not carry the generators.

use crate::domain::codegen::python::python_program;
use crate::domain::codegen::rust::rust_program;
use crate::domain::formats::codec::{self, run_from_json, run_to_json};
use crate::domain::formats::embed_options::EmbedOptions;
use crate::domain::formats::export::{
    from_chrome_trace, saved_run_to_chrome_trace, to_csv, ExportRun,
};
use crate::domain::formats::snippets::{self, Snippet};
use crate::domain::model::predict;
use crate::domain::scenario::doc::{SavedRun, ScenarioDoc};
use crate::domain::scenario::{RunMode, Scenario};

/// The jobs, by wire name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Payload: a scenario document (JSON format v1, with its mode).
    Python,
    /// Payload: a scenario document.
    Rust,
    /// Payload: a run ([`codec::run_to_json`]).
    Trace,
    /// Payload: a run.
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
/// (JSON), one per line. The snippet and options come as the panel names
/// them, so the app's wasm carries none of the writers.
pub fn snippet_request(snippet: &str, app_url: &str, options: &str, doc: &ScenarioDoc) -> String {
    format!("{snippet}\n{app_url}\n{options}\n{}", codec::to_json(doc))
}

/// The payload that asks for a run's trace or CSV.
pub fn run_request(run: &SavedRun) -> String {
    run_to_json(run)
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
        Op::Trace => Ok(saved_run_to_chrome_trace(&read_run(payload)?)),
        Op::Csv => {
            let run = read_run(payload)?;
            let scenario = valid(&run.scenario)?;
            let prediction = predict(&scenario, run.mode);
            let export = ExportRun {
                stopped: run.stopped,
                started_unix_ms: run.started_unix_ms,
                title: &run.scenario.title,
                ..ExportRun::new(run.mode, &scenario, &prediction, &run.measurement)
            };
            Ok(to_csv(&export))
        }
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
            let doc =
                codec::from_json(lines.next().unwrap_or_default()).map_err(|e| e.to_string())?;
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

fn read_run(payload: &str) -> Result<SavedRun, String> {
    run_from_json(payload).map_err(|e| format!("the run could not be read: {e}"))
}

fn valid(doc: &ScenarioDoc) -> Result<Scenario, String> {
    doc.validate()
        .map_err(|errors| format!("the scenario has {} problem(s)", errors.len()))
}
