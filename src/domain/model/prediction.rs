//! What the model gives: the predicted life of each task and of the
//! awaiting code ([`Prediction`]). It takes a scenario's tasks at their real
//! durations ([`crate::domain::scenario::Task::real`]); [`predict`] is the
//! entry point for a scenario.

use crate::domain::model::simulate;
use crate::domain::scenario::{Durations, Kind, RunMode, RunOptions, Scenario, Task, TaskId};

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
    simulate(&scenario.tasks, mode, scenario.options)
}

/// Predicts a run of plain I/O tasks with the given durations.
pub fn predict_durations(durations_ms: &[u32], mode: RunMode) -> Prediction {
    let tasks: Vec<Task> = durations_ms
        .iter()
        .zip(1..)
        .map(|(&ms, id)| Task::new(TaskId(id), "", Kind::Io, Durations::of(ms)))
        .collect();
    simulate(&tasks, mode, RunOptions::default())
}
