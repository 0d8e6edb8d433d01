//! The comparison of several runs: one table row per run (wall time against
//! the model, speedup over a sequential run of the same scenario, how late
//! tasks ended, how they ended), normalized bars for a simple chart, and
//! one time axis shared by runs drawn side by side.

use crate::domain::layout::timeline::axis_span_ms;
use crate::domain::model::{Outcome, Prediction};
use crate::domain::run::measurement::Measurement;
use crate::domain::run::stats::{end_lateness_ms, percentile, speedup};
use crate::domain::scenario::{RunMode, Scenario};
use crate::domain::state::{RunStatus, RunView};

/// A run borrowed from wherever it lives (a [`RunView`], history, a test),
/// so comparison, insights and export need not clone it.
#[derive(Clone, Copy, Debug)]
pub struct RunRef<'a> {
    /// The run's number (its id), for labels like "Gathered #3"; 0 unknown.
    pub number: u64,
    pub mode: RunMode,
    pub scenario: &'a Scenario,
    pub prediction: &'a Prediction,
    pub measurement: &'a Measurement,
    pub status: RunStatus,
    /// Elapsed ms at the last frame (a running run's extent so far).
    pub now_ms: f64,
}

impl<'a> RunRef<'a> {
    /// A finished run (status `Finished`, extent its measured total).
    pub fn finished(
        mode: RunMode,
        scenario: &'a Scenario,
        prediction: &'a Prediction,
        measurement: &'a Measurement,
    ) -> Self {
        RunRef {
            number: 0,
            mode,
            scenario,
            prediction,
            measurement,
            status: RunStatus::Finished,
            now_ms: measurement.total_ms.unwrap_or(measurement.last_event_ms),
        }
    }

    /// Measured wall time: from the start to the run's end; `None` until
    /// the run has finished.
    pub fn wall_ms(&self) -> Option<f64> {
        match self.status {
            RunStatus::Finished => self.measurement.total_ms,
            RunStatus::Running | RunStatus::Stopped => None,
        }
    }

    /// How far along the time axis this run reaches, predicted or measured.
    pub fn extent_ms(&self) -> f64 {
        let measured = self
            .measurement
            .total_ms
            .unwrap_or(self.measurement.last_event_ms)
            .max(self.now_ms);
        finite_or_zero(self.prediction.total_ms).max(finite_or_zero(measured))
    }

    /// "Gathered #3", or the mode alone when the number is unknown.
    pub fn label(&self) -> String {
        if self.number == 0 {
            self.mode.label().to_string()
        } else {
            format!("{} #{}", self.mode.label(), self.number)
        }
    }
}

impl<'a> From<&'a RunView> for RunRef<'a> {
    fn from(view: &'a RunView) -> Self {
        RunRef {
            number: view.id.0,
            mode: view.mode,
            scenario: &view.scenario,
            prediction: &view.prediction,
            measurement: &view.measurement,
            status: view.status,
            now_ms: view.now_ms,
        }
    }
}

/// One row of the comparison table.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareRow {
    pub mode: RunMode,
    pub label: String,
    /// Measured wall time; `None` while running or when stopped.
    pub wall_ms: Option<f64>,
    pub predicted_ms: f64,
    /// Measured − predicted wall time: what timers and scheduling added.
    pub overhead_ms: Option<f64>,
    /// Wall time of the latest finished sequential run of the same scenario
    /// among the compared runs, divided by this run's (1.0 for that
    /// sequential run itself).
    pub speedup_vs_sequential: Option<f64>,
    /// Median and 95th percentile of the signed end lateness (measured end −
    /// predicted end) over tasks that ended. Signed, because timers only
    /// fire late: a consistently positive value is the browser's timer
    /// delay, a negative one means the model expected more than happened.
    pub lateness_p50_ms: Option<f64>,
    pub lateness_p95_ms: Option<f64>,
    pub task_count: usize,
    /// How the tasks ended, e.g. "20 ok" or "15 ok, 1 failed, 4 cancelled".
    pub outcome_summary: String,
}

/// The table rows, one per run, in the order given.
pub fn compare_rows(runs: &[RunRef]) -> Vec<CompareRow> {
    runs.iter()
        .enumerate()
        .map(|(i, run)| {
            let wall_ms = run.wall_ms();
            let baseline = sequential_baseline(runs, run.scenario);
            let speedup_vs_sequential = match baseline {
                Some(b) if b == i => wall_ms.map(|_| 1.0),
                Some(b) => runs[b]
                    .wall_ms()
                    .zip(wall_ms)
                    .and_then(|(seq, this)| speedup(seq, this)),
                None => None,
            };
            let lateness = end_lateness_ms(run.prediction, run.measurement);
            CompareRow {
                mode: run.mode,
                label: run.label(),
                wall_ms,
                predicted_ms: run.prediction.total_ms,
                overhead_ms: wall_ms.map(|w| w - run.prediction.total_ms),
                speedup_vs_sequential,
                lateness_p50_ms: percentile(&lateness, 50.0),
                lateness_p95_ms: percentile(&lateness, 95.0),
                task_count: run.scenario.tasks.len(),
                outcome_summary: outcome_summary(run),
            }
        })
        .collect()
}

/// The one rule for a speedup's baseline, used by this table, the results
/// and the insights (`state::selectors`): a sequential run of the same
/// scenario that finished with a wall time. Among several, the latest (the
/// highest number) is the baseline.
pub fn is_sequential_baseline(candidate: &RunRef, scenario: &Scenario) -> bool {
    candidate.mode == RunMode::Sequential
        && candidate.wall_ms().is_some()
        && (std::ptr::eq(candidate.scenario, scenario) || candidate.scenario == scenario)
}

/// Index of the baseline among `runs` ([`is_sequential_baseline`]; of two
/// with one number, the later given).
fn sequential_baseline(runs: &[RunRef], scenario: &Scenario) -> Option<usize> {
    runs.iter()
        .enumerate()
        .filter(|(_, r)| is_sequential_baseline(r, scenario))
        .max_by_key(|(i, r)| (r.number, *i))
        .map(|(i, _)| i)
}

/// Counts of how tasks ended, most common outcome kinds first in a fixed
/// order; tasks with no measured end are "pending" (running) or
/// "unfinished" (stopped).
pub fn outcome_summary(run: &RunRef) -> String {
    let count = |o: Outcome| {
        run.measurement
            .tasks
            .iter()
            .filter(|t| t.outcome == Some(o))
            .count()
    };
    let mut parts: Vec<String> = [
        Outcome::Ok,
        Outcome::Failed,
        Outcome::TimedOut,
        Outcome::Cancelled,
        Outcome::NotRun,
    ]
    .into_iter()
    .map(|o| (count(o), o.label()))
    .filter(|(n, _)| *n > 0)
    .map(|(n, label)| format!("{n} {label}"))
    .collect();
    let open = run
        .measurement
        .tasks
        .iter()
        .filter(|t| t.outcome.is_none())
        .count();
    if open > 0 {
        let word = match run.status {
            RunStatus::Running => "pending",
            RunStatus::Finished | RunStatus::Stopped => "unfinished",
        };
        parts.push(format!("{open} {word}"));
    }
    if parts.is_empty() {
        "no tasks".to_string()
    } else {
        parts.join(", ")
    }
}

/// One run's bars, as fractions (0..=1) of the longest time among the rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    /// `None` when the run has no measured wall time yet.
    pub measured: Option<f64>,
    pub predicted: f64,
}

/// Bars for a simple chart of measured against predicted wall times, all on
/// one scale: the longest time among every row is 1.
pub fn bar_chart(rows: &[CompareRow]) -> Vec<Bar> {
    let longest = rows
        .iter()
        .flat_map(|r| [r.wall_ms.unwrap_or(0.0), r.predicted_ms])
        .map(finite_or_zero)
        .fold(0.0, f64::max);
    let fraction = |ms: f64| {
        if longest > 0.0 {
            (finite_or_zero(ms) / longest).clamp(0.0, 1.0)
        } else {
            0.0
        }
    };
    rows.iter()
        .map(|r| Bar {
            label: r.label.clone(),
            measured: r.wall_ms.map(fraction),
            predicted: fraction(r.predicted_ms),
        })
        .collect()
}

/// One axis length for showing several runs side by side: long enough for
/// the furthest prediction or measurement, rounded up as the timeline does.
pub fn common_axis_ms<'a>(runs: impl IntoIterator<Item = RunRef<'a>>) -> f64 {
    axis_span_ms(
        runs.into_iter()
            .map(|run| run.extent_ms())
            .fold(0.0, f64::max),
    )
}

fn finite_or_zero(ms: f64) -> f64 {
    if ms.is_finite() {
        ms.max(0.0)
    } else {
        0.0
    }
}
