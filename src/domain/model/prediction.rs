//! What the model takes and gives: a task reduced to what the loop needs
//! ([`TaskSpec`]), and the predicted life of each task and of the awaiting
//! code ([`Prediction`]). [`predict`] is the entry point for a scenario.

use crate::domain::model::simulate;
use crate::domain::scenario::{Kind, RunMode, RunOptions, Scenario};

/// How a task ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    Ok,
    Failed,
    Cancelled,
    TimedOut,
    /// Never started: a sequential run stopped at an earlier failure.
    NotRun,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Failed => "failed",
            Outcome::Cancelled => "cancelled",
            Outcome::TimedOut => "timed out",
            Outcome::NotRun => "not run",
        }
    }
}

/// One task's predicted life, in ms from the run's start.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskTimeline {
    /// When its body began (`None`: cancelled before it ran, or not run).
    pub start_ms: Option<f64>,
    pub end_ms: Option<f64>,
    pub outcome: Outcome,
    /// When each stream item arrived.
    pub items_ms: Vec<f64>,
}

impl TaskTimeline {
    pub fn duration_ms(&self) -> f64 {
        match (self.start_ms, self.end_ms) {
            (Some(s), Some(e)) => e - s,
            _ => 0.0,
        }
    }
}

/// The predicted timeline of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    pub mode: RunMode,
    pub tasks: Vec<TaskTimeline>,
    /// When the awaiting code resumed (gather returned, the first result of
    /// wait() arrived, the last as_completed result was taken…).
    pub caller_ms: f64,
    /// Whether it resumed with an exception.
    pub caller_raised: bool,
    /// Task indices in the order the caller received their results.
    pub result_order: Vec<usize>,
    /// When everything (caller and every task) was done.
    pub total_ms: f64,
}

/// Predicts a run of a validated scenario (its tasks' real durations).
pub fn predict(scenario: &Scenario, mode: RunMode) -> Prediction {
    simulate(&task_specs(scenario), mode, scenario.options)
}

/// The scenario's tasks as the model and the runner need them: their real
/// durations.
pub fn task_specs(scenario: &Scenario) -> Vec<TaskSpec> {
    scenario
        .tasks
        .iter()
        .map(|t| TaskSpec {
            duration_ms: t.real.duration_ms,
            kind: match &t.kind {
                Kind::Io => SpecKind::Io,
                Kind::Fail { .. } => SpecKind::Fail,
                Kind::Blocking => SpecKind::Blocking,
                Kind::Offloaded { cpu } => SpecKind::Offloaded { cpu: *cpu },
                Kind::Stream { items } => SpecKind::Stream {
                    items: *items,
                    body_ms: t.real.body_ms,
                },
            },
            timeout_ms: t.real.timeout_ms,
        })
        .collect()
}

/// Predicts a run of plain I/O tasks with the given durations.
pub fn predict_durations(durations_ms: &[u32], mode: RunMode) -> Prediction {
    let specs: Vec<TaskSpec> = durations_ms
        .iter()
        .map(|&d| TaskSpec {
            duration_ms: d,
            kind: SpecKind::Io,
            timeout_ms: None,
        })
        .collect();
    simulate(&specs, mode, RunOptions::default())
}

/// A task reduced to what the model needs (durations already scaled).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TaskSpec {
    pub duration_ms: u32,
    pub kind: SpecKind,
    pub timeout_ms: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SpecKind {
    Io,
    Fail,
    Blocking,
    Offloaded { cpu: bool },
    Stream { items: u32, body_ms: u32 },
}
