//! Runs asked for by someone other than the user at the keyboard — a link
//! with `&run`, or the page around an embed — and when they need the user's
//! consent first: a run is *heavy* when it would freeze the page's thread
//! for [`HEAVY_BLOCKING_MS`] or more in all, or last [`HEAVY_TOTAL_MS`] or
//! more. Light runs start at once.

use crate::domain::model::predict;
use crate::domain::scenario::{Kind, RunMode, Scenario};
use crate::domain::state::RunRequest;
use crate::domain::text::decimal::Fixed;

/// Blocking work on the page's own thread, in all, that needs consent.
pub const HEAVY_BLOCKING_MS: u64 = 1_000;
/// A predicted length, in all, that needs consent.
pub const HEAVY_TOTAL_MS: f64 = 30_000.0;

/// Who asked for the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Asker {
    /// The link the page was opened with (`&run`).
    Link,
    /// The page that embeds the playground (its `run` message).
    Parent,
}

/// What a requested run would cost, as the model predicts it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cost {
    /// Blocking calls on the page's thread, in all (after the speed factor).
    pub blocking_ms: u64,
    /// Predicted length of every run requested, in all.
    pub total_ms: f64,
}

impl Cost {
    pub fn is_heavy(&self) -> bool {
        self.blocking_ms >= HEAVY_BLOCKING_MS || self.total_ms >= HEAVY_TOTAL_MS
    }
}

/// The modes a request runs, in order (as `AppState` queues them).
pub fn modes(request: RunRequest) -> Vec<RunMode> {
    match request {
        RunRequest::Only(mode) => vec![mode],
        RunRequest::Compare(RunMode::Sequential) => vec![RunMode::Sequential, RunMode::Gather],
        RunRequest::Compare(mode) => vec![RunMode::Sequential, mode],
        RunRequest::CompareAll => RunMode::ALL.to_vec(),
    }
}

/// The predicted cost of `request` on `scenario`. A blocking call that the
/// model starts runs to its end (nothing can interrupt it), so its whole
/// duration counts.
pub fn cost(scenario: &Scenario, request: RunRequest) -> Cost {
    let mut cost = Cost {
        blocking_ms: 0,
        total_ms: 0.0,
    };
    for mode in modes(request) {
        let prediction = predict(scenario, mode);
        cost.total_ms += prediction.total_ms;
        cost.blocking_ms += scenario
            .tasks
            .iter()
            .zip(&prediction.tasks)
            .filter(|(task, timeline)| task.kind == Kind::Blocking && timeline.start_ms.is_some())
            .map(|(task, _)| u64::from(task.real.duration_ms))
            .sum::<u64>();
    }
    cost
}

/// A heavy run waiting for the user's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingRun {
    pub request: RunRequest,
    pub asker: Asker,
    pub cost: Cost,
}

impl PendingRun {
    /// The question shown above the Run buttons.
    pub fn question(&self) -> String {
        let who = match self.asker {
            Asker::Link => "This link asks to run these tasks now.",
            Asker::Parent => "The page around this playground asks to run these tasks now.",
        };
        let Cost {
            blocking_ms,
            total_ms,
        } = self.cost;
        let mut text = format!("{who} The run would take about {}", seconds(total_ms));
        if blocking_ms >= HEAVY_BLOCKING_MS {
            text += &format!(
                " and freeze this page for {} in all: nothing on it responds meanwhile, not even Stop",
                seconds(blocking_ms as f64)
            );
        }
        text + "."
    }
}

/// A duration for a sentence: `2.5 s`, `45 s`, `10 min`.
fn seconds(ms: f64) -> String {
    let s = ms / 1000.0;
    if s < 10.0 {
        format!("{} s", Fixed(s, 1))
    } else if s < 120.0 {
        format!("{} s", Fixed(s, 0))
    } else {
        format!("{} min", Fixed(s / 60.0, 0))
    }
}
