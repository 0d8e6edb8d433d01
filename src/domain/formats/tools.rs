//! The tools worker's jobs: writing a scenario as a Python or Rust program,
//! a run as a Chrome trace or CSV, reading a trace back, Share's embed
//! snippets, the insights about a finished run, a preset's explanation,
//! the comparison's table, and the event log the stepper walks (its steps,
//! then one snapshot at a time) with the lesson program.
//!
//! A run goes to the worker as it was shown ([`export_request`]): the
//! scenario and measurement as the history keeps them, with the prediction
//! made when it ran; the worker writes them out and works nothing out again.
//!
//! Why a worker: these generators are about a tenth of the app's wasm, the
//! insights' checks and sentences another 10 KB of gzip, the presets'
//! paragraphs a few more, and no one needs them to start; the app loads them, in a worker of their
//! own, the first time the code panel opens or a file is exported or
//! imported. A job is an operation name and one text payload; the answer is
//! text or a message saying what went wrong. Only the worker calls
//! [`answer`], so the app's own wasm does not carry the generators.

use serde_json::{json, Value};

use crate::domain::analysis::compare_table::compare_html;
use crate::domain::analysis::insights::{insights, insights_html, InsightContext};
use crate::domain::codegen::lesson::lesson_program;
use crate::domain::codegen::python::python_program;
use crate::domain::codegen::rust::rust_program;
use crate::domain::formats::codec::{
    self, export_from_json, export_from_value, run_from_json, run_to_json,
};
use crate::domain::formats::embed_options::EmbedOptions;
use crate::domain::formats::export::{from_chrome_trace, to_chrome_trace, to_csv, ExportRun};
use crate::domain::formats::snippets::{self, Snippet};
use crate::domain::formats::steps::{snapshot_json, steps_json};
use crate::domain::run::events::RunId;
use crate::domain::run::{Run, RunStatus, SavedRun};
use crate::domain::scenario::doc::ScenarioDoc;
use crate::domain::scenario::presets::{
    preset_doc, presets, speed_note, steps, Change, Preset, Press, Step,
};
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
    /// Payload: what the insights look at ([`insights_request`]); answer:
    /// the findings as the panel lists them (`insights::insights_html`).
    Insights,
    /// Payload: a preset's slug; answer: what the picker shows about it
    /// ([`preset_text_from_answer`]).
    Preset,
    /// Payload: the runs to compare ([`compare_request`]); answer: the
    /// comparison's table and chart as HTML.
    Compare,
    /// Payload: a scenario document ([`program_request`]); answer: its
    /// event log's steps, segments, lanes and lesson program
    /// ([`crate::domain::formats::steps::steps_from_json`]).
    Steps,
    /// Payload: [`snapshot_request`]; answer: the loop's state after that
    /// step ([`crate::domain::formats::steps::snapshot_from_json`]).
    Snapshot,
    /// Payload: a scenario document; answer: the lesson program's text.
    Lesson,
    /// Payload: [`crate::domain::formats::step_view::step_view_request`];
    /// answer: that step drawn as HTML, with its number and time.
    StepView,
}

impl Op {
    pub const ALL: [Op; 13] = [
        Op::Python,
        Op::Rust,
        Op::Trace,
        Op::Csv,
        Op::Import,
        Op::Snippet,
        Op::Insights,
        Op::Preset,
        Op::Compare,
        Op::Steps,
        Op::Snapshot,
        Op::Lesson,
        Op::StepView,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Op::Python => "python",
            Op::Rust => "rust",
            Op::Trace => "trace",
            Op::Csv => "csv",
            Op::Import => "import",
            Op::Snippet => "snippet",
            Op::Insights => "insights",
            Op::Preset => "preset",
            Op::Compare => "compare",
            Op::Steps => "steps",
            Op::Snapshot => "snapshot",
            Op::Lesson => "lesson",
            Op::StepView => "step-view",
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

/// The payload that asks for the insights about `ctx`'s run: the run and
/// its sequential baseline as they were shown, and the page conditions.
pub fn insights_request(ctx: &InsightContext) -> String {
    let note = ctx
        .env_note
        .as_deref()
        .map_or_else(|| "null".to_string(), codec::json_string);
    let hidden_ms = codec::json_number(ctx.hidden_ms);
    format!(
        "{{\"run\":{},\"sequential\":{},\"hidden_ms\":{hidden_ms},\"throttled\":{},\"env_note\":{note}}}",
        export_request(ctx.run),
        ctx.sequential.map_or("null".to_string(), export_request),
        ctx.throttled,
    )
}

/// The payload that asks for the comparison of `runs`, in order: each run
/// as it was shown, with its id (the newest sequential run is the baseline).
pub fn compare_request(runs: &[&Run]) -> String {
    let items: Vec<String> = runs
        .iter()
        .map(|run| format!("{{\"id\":{},\"run\":{}}}", run.id.0, export_request(run)))
        .collect();
    format!("[{}]", items.join(","))
}

/// The payload that asks for the loop's state after step `step` of
/// `scenario` run in `mode`: the step number, a newline, the scenario
/// document.
pub fn snapshot_request(scenario: &Scenario, mode: RunMode, step: usize) -> String {
    format!("{step}\n{}", program_request(scenario, mode))
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
        Op::Steps | Op::Lesson => {
            let doc = codec::from_json(payload).map_err(|e| e.to_string())?;
            let scenario = valid(&doc)?;
            Ok(match op {
                Op::Steps => steps_json(&scenario, doc.mode),
                _ => lesson_program(&scenario, doc.mode).text,
            })
        }
        Op::Snapshot => {
            let (step, doc) = payload
                .split_once('\n')
                .ok_or("the snapshot job names no step")?;
            let step: usize = step
                .trim()
                .parse()
                .map_err(|_| format!("{step:?} is not a step number"))?;
            let doc = codec::from_json(doc).map_err(|e| e.to_string())?;
            let scenario = valid(&doc)?;
            snapshot_json(&scenario, doc.mode, step)
        }
        Op::StepView => crate::domain::formats::step_view::answer_step_view(payload),
        Op::Insights => answer_insights(payload),
        Op::Compare => answer_compare(payload),
        Op::Preset => presets()
            .into_iter()
            .find(|p| p.slug == payload)
            .map(|p| {
                let steps: Vec<Value> = steps(&p)
                    .into_iter()
                    .map(|step| {
                        let (mode, compare) = match step.press {
                            Press::Run(mode) => (mode, false),
                            Press::Compare(mode) => (mode, true),
                        };
                        json!({
                            "label": step.label,
                            "change": step.change.code(),
                            "mode": mode.slug(),
                            "compare": compare,
                        })
                    })
                    .collect();
                json!({
                    "explanation": p.explanation,
                    "python_idea": p.python_idea,
                    "claims": claims_json(&p),
                    "speed_note": preset_doc(p.slug).as_ref().and_then(speed_note),
                    "steps": steps,
                })
                .to_string()
            })
            .ok_or_else(|| "there is no such preset".to_string()),
    }
}

/// What the preset picker shows about a preset, besides its title.
#[derive(Clone, Debug, PartialEq)]
pub struct PresetText {
    /// What to notice, with the figures the user will see.
    pub explanation: String,
    /// The tutorial's code, in one line.
    pub python_idea: String,
    /// The runs the explanation quotes, as JSON for tests and tools
    /// reading the page: `[{"mode","change","total_ms","caller_ms"}]`,
    /// mode as its slug.
    pub claims: String,
    /// What the speed factor does to the tutorial's durations.
    pub speed_note: Option<String>,
    /// A button for each run the explanation quotes.
    pub steps: Vec<Step>,
}

/// What an [`Op::Preset`] answer holds.
pub fn preset_text_from_answer(answer: &str) -> Result<PresetText, String> {
    let value: Value =
        serde_json::from_str(answer).map_err(|_| "the preset could not be read".to_string())?;
    let field = |name: &str| {
        value
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| "the preset could not be read".to_string())
    };
    let steps = value
        .get("steps")
        .and_then(Value::as_array)
        .map(|steps| {
            steps
                .iter()
                .filter_map(|step| {
                    let mode = RunMode::from_slug(step.get("mode")?.as_str()?)?;
                    let press = if step.get("compare")?.as_bool()? {
                        Press::Compare(mode)
                    } else {
                        Press::Run(mode)
                    };
                    Some(Step {
                        label: step.get("label")?.as_str()?.to_string(),
                        change: Change::from_code(step.get("change")?.as_str()?)?,
                        press,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(PresetText {
        explanation: field("explanation")?,
        python_idea: field("python_idea")?,
        claims: field("claims")?,
        speed_note: value
            .get("speed_note")
            .and_then(Value::as_str)
            .map(str::to_string),
        steps,
    })
}

fn claims_json(preset: &Preset) -> String {
    let claims: Vec<Value> = preset
        .expect
        .claims
        .iter()
        .map(|c| {
            json!({
                "mode": c.mode.slug(),
                "change": c.change.code(),
                "total_ms": c.total_ms,
                "caller_ms": c.caller_ms,
            })
        })
        .collect();
    Value::Array(claims).to_string()
}

fn answer_insights(payload: &str) -> Result<String, String> {
    let Ok(Value::Object(mut job)) = serde_json::from_str::<Value>(payload) else {
        return Err("the insights job is not a JSON object".to_string());
    };
    let run = shown_run(job.remove("run").unwrap_or(Value::Null))?;
    let sequential = match job.remove("sequential") {
        None | Some(Value::Null) => None,
        Some(value) => Some(shown_run(value)?),
    };
    let ctx = InsightContext {
        run: &run,
        sequential: sequential.as_ref(),
        hidden_ms: job.get("hidden_ms").and_then(Value::as_f64).unwrap_or(0.0),
        throttled: job.get("throttled").and_then(Value::as_bool) == Some(true),
        env_note: job
            .get("env_note")
            .and_then(Value::as_str)
            .map(str::to_string),
    };
    Ok(insights_html(&insights(&ctx)))
}

fn answer_compare(payload: &str) -> Result<String, String> {
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(payload) else {
        return Err("the comparison job is not a JSON list".to_string());
    };
    let runs = items
        .into_iter()
        .map(|mut item| {
            let id = item.get("id").and_then(Value::as_u64).unwrap_or(0);
            let mut run = shown_run(item.get_mut("run").map(Value::take).unwrap_or_default())?;
            run.id = RunId(id);
            Ok(run)
        })
        .collect::<Result<Vec<Run>, String>>()?;
    let refs: Vec<&Run> = runs.iter().collect();
    Ok(compare_html(&refs))
}

/// A run as it was shown (its own prediction, not a new one).
fn shown_run(value: Value) -> Result<Run, String> {
    let shown = export_from_value(value).map_err(|e| format!("the run could not be read: {e}"))?;
    let scenario = valid(&shown.run.scenario)?;
    let mut run = Run::finished(
        shown.run.mode,
        scenario,
        shown.prediction,
        shown.run.measurement,
    );
    run.started_unix_ms = shown.run.started_unix_ms;
    if shown.run.stopped {
        run.status = RunStatus::Stopped;
    }
    Ok(run)
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
