//! The event-loop model: predicts when each task starts and ends.
//!
//! Times are in ms from the run's start. The model follows CPython asyncio:
//! a sequential run awaits each task after the previous one ends; a gather
//! starts every task at once (in list order) and ends with the slowest.

use super::scenario::{RunMode, Scenario};

/// One task's predicted interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    pub start_ms: f64,
    pub end_ms: f64,
}

impl Interval {
    pub fn duration_ms(&self) -> f64 {
        self.end_ms - self.start_ms
    }
}

/// The predicted timeline of a run: one interval per task, in list order.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    pub mode: RunMode,
    pub tasks: Vec<Interval>,
    /// When the run as a whole completes.
    pub total_ms: f64,
}

/// Predicts a run of tasks with the given effective durations.
pub fn predict_durations(durations_ms: &[u32], mode: RunMode) -> Prediction {
    let mut tasks = Vec::with_capacity(durations_ms.len());
    match mode {
        RunMode::Sequential => {
            let mut now_ms = 0.0;
            for &d in durations_ms {
                let end_ms = now_ms + f64::from(d);
                tasks.push(Interval {
                    start_ms: now_ms,
                    end_ms,
                });
                now_ms = end_ms;
            }
        }
        RunMode::Gather => {
            tasks.extend(durations_ms.iter().map(|&d| Interval {
                start_ms: 0.0,
                end_ms: f64::from(d),
            }));
        }
    }
    let total_ms = tasks.iter().map(|t| t.end_ms).fold(0.0, f64::max);
    Prediction {
        mode,
        tasks,
        total_ms,
    }
}

/// Predicts a run of a validated scenario (durations after the speed factor).
pub fn predict(scenario: &Scenario, mode: RunMode) -> Prediction {
    predict_durations(&scenario.effective_durations_ms(), mode)
}
