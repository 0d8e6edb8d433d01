//! The comparison of several runs: one table row per run (wall time against
//! the model, speedup over a sequential run of the same scenario, how late
//! tasks ended, how they ended), normalized bars for a simple chart, and
//! one time axis shared by runs drawn side by side.

use std::rc::Rc;

use crate::domain::layout::timeline::axis_span_ms;
use crate::domain::model::Outcome;
use crate::domain::run::stats::{end_lateness_ms, percentile, speedup};
use crate::domain::run::{same_scenario, Run, RunStatus};
use crate::domain::scenario::{RunMode, Scenario};

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
pub fn compare_rows(runs: &[&Run]) -> Vec<CompareRow> {
    runs.iter()
        .enumerate()
        .map(|(i, run)| {
            let wall_ms = run.wall_ms();
            let baseline = sequential_baseline(runs, &run.scenario);
            let speedup_vs_sequential = match baseline {
                Some(b) if b == i => wall_ms.map(|_| 1.0),
                Some(b) => runs[b]
                    .wall_ms()
                    .zip(wall_ms)
                    .and_then(|(seq, this)| speedup(seq, this)),
                None => None,
            };
            let lateness = end_lateness_ms(&run.prediction, &run.measurement);
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
/// highest id) is the baseline.
pub fn is_sequential_baseline(candidate: &Run, scenario: &Rc<Scenario>) -> bool {
    candidate.mode == RunMode::Sequential
        && candidate.wall_ms().is_some()
        && same_scenario(&candidate.scenario, scenario)
}

/// Index of the baseline among `runs` ([`is_sequential_baseline`]; of two
/// with one id, the later given).
fn sequential_baseline(runs: &[&Run], scenario: &Rc<Scenario>) -> Option<usize> {
    runs.iter()
        .enumerate()
        .filter(|(_, r)| is_sequential_baseline(r, scenario))
        .max_by_key(|(i, r)| (r.id, *i))
        .map(|(i, _)| i)
}

/// Counts of how tasks ended, most common outcome kinds first in a fixed
/// order; tasks with no measured end are "pending" (running) or
/// "unfinished" (stopped).
pub fn outcome_summary(run: &Run) -> String {
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
pub fn common_axis_ms<'a>(runs: impl IntoIterator<Item = &'a Run>) -> f64 {
    axis_span_ms(runs.into_iter().map(Run::extent_ms).fold(0.0, f64::max))
}

fn finite_or_zero(ms: f64) -> f64 {
    if ms.is_finite() {
        ms.max(0.0)
    } else {
        0.0
    }
}
