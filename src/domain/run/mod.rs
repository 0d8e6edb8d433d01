//! A run: what was run, predicted and measured ([`Run`], the app's record
//! of it, and [`SavedRun`], the same run as the history keeps it), the
//! [`events`] the runner emits, the [`measurement`] built from them (and
//! its bars shaded by state, [`measured_states`]),
//! [`stats`] against the prediction, and the page conditions
//! ([`env`](mod@env)) it ran under.

pub mod env;
pub mod events;
pub mod measured_states;
pub mod measurement;
pub mod stats;

use std::rc::Rc;

use crate::domain::model::{predict, Prediction};
use crate::domain::scenario::doc::ScenarioDoc;
use crate::domain::scenario::{RunMode, Scenario};
use events::RunId;
use measurement::Measurement;
use stats::{run_stats, RunStats};

/// Where a run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunStatus {
    Running,
    Finished,
    Stopped,
}

impl RunStatus {
    /// How pages and tests name it (`data-status="finished"`).
    pub fn slug(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Finished => "finished",
            RunStatus::Stopped => "stopped",
        }
    }
}

/// One run: what was run, what was predicted, what was measured. Runs are
/// read where they live (the state, the history), by reference.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// Its number in this tab (0: a run made of parts, with no number).
    pub id: RunId,
    pub mode: RunMode,
    /// Shared by every run of the same editor text.
    pub scenario: Rc<Scenario>,
    pub prediction: Rc<Prediction>,
    pub measurement: Measurement,
    pub status: RunStatus,
    /// Elapsed ms at the last frame, for bars that are still growing.
    pub now_ms: f64,
    /// Wall-clock start, ms since the Unix epoch (0: unknown, e.g. stopped
    /// before its first event): with the mode, the run's identity.
    pub started_unix_ms: f64,
    /// While the run waits for this many worker threads to load (its
    /// clock has not started yet).
    pub waiting_for_threads: Option<usize>,
}

impl Run {
    /// A finished run made of its parts, with no number.
    pub fn finished(
        mode: RunMode,
        scenario: impl Into<Rc<Scenario>>,
        prediction: impl Into<Rc<Prediction>>,
        measurement: Measurement,
    ) -> Self {
        Run {
            id: RunId(0),
            mode,
            scenario: scenario.into(),
            prediction: prediction.into(),
            now_ms: measurement.total_ms.unwrap_or(measurement.last_event_ms),
            measurement,
            status: RunStatus::Finished,
            started_unix_ms: 0.0,
            waiting_for_threads: None,
        }
    }

    /// A run the history kept, as run `id`: its scenario validated and
    /// predicted again. `None` when that scenario is not valid, or its task
    /// count is not the measurement's.
    pub fn from_saved(saved: SavedRun, id: RunId) -> Option<Self> {
        let scenario = saved.scenario.validate().ok()?;
        if saved.measurement.tasks.len() != scenario.tasks.len() {
            return None;
        }
        let prediction = predict(&scenario, saved.mode);
        Some(Run {
            id,
            status: if saved.stopped {
                RunStatus::Stopped
            } else {
                RunStatus::Finished
            },
            started_unix_ms: saved.started_unix_ms,
            ..Run::finished(saved.mode, scenario, prediction, saved.measurement)
        })
    }

    /// The run as the history keeps it.
    pub fn to_saved(&self) -> SavedRun {
        SavedRun {
            mode: self.mode,
            scenario: ScenarioDoc::from_scenario(&self.scenario, self.mode),
            measurement: self.measurement.clone(),
            stopped: self.status == RunStatus::Stopped,
            started_unix_ms: self.started_unix_ms,
        }
    }

    pub fn stats(&self) -> Option<RunStats> {
        run_stats(&self.prediction, &self.measurement)
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

    /// "Gathered #3", or the mode alone for a run with no number.
    pub fn label(&self) -> String {
        if self.id.0 == 0 {
            self.mode.label().to_string()
        } else {
            format!("{} #{}", self.mode.label(), self.id.0)
        }
    }
}

fn finite_or_zero(ms: f64) -> f64 {
    if ms.is_finite() {
        ms.max(0.0)
    } else {
        0.0
    }
}

/// Whether two runs' scenarios are equal. Runs of an unedited scenario share
/// one `Rc`, so the pointer answers first, without walking every task.
pub fn same_scenario(a: &Rc<Scenario>, b: &Rc<Scenario>) -> bool {
    Rc::ptr_eq(a, b) || a == b
}

/// One run as kept in history (across reloads) or read from a trace: its
/// scenario as the editor text it came from. The prediction is not kept:
/// [`Run::from_saved`] works it out again.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedRun {
    pub mode: RunMode,
    pub scenario: ScenarioDoc,
    pub measurement: Measurement,
    /// The run was stopped before it finished.
    pub stopped: bool,
    /// Wall-clock time the run started, ms since the Unix epoch (0 unknown).
    pub started_unix_ms: f64,
}
