//! A run's measured timeline, filled in from trace events as they arrive.

use crate::domain::model::Outcome;
use crate::domain::run::events::EventKind;

/// The furthest a measured time may lie from its run's start, in ms (about
/// 115 days): beyond any real run, and small enough that layout and tick
/// arithmetic keep sub-millisecond precision. Readers of saved runs and
/// traces refuse times outside ±this: they would only be poison.
pub const MAX_MEASURED_MS: f64 = 1e10;
/// The furthest a wall-clock time may lie from the Unix epoch, in ms (the
/// range of JavaScript's `Date`).
pub const MAX_UNIX_MS: f64 = 8.64e15;

/// Whether `ms` is a time a real run could have measured.
pub fn is_measured_time(ms: f64) -> bool {
    ms.abs() <= MAX_MEASURED_MS
}

/// What was measured for one task: times in ms since the run started.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MeasuredTask {
    pub start_ms: Option<f64>,
    pub end_ms: Option<f64>,
    pub outcome: Option<Outcome>,
    pub items_ms: Vec<f64>,
    /// Its `to_thread` job on a pool thread, if it ran to the end.
    pub thread: Option<ThreadSpan>,
}

/// When a task's job ran on a pool thread (ms since the run started), and
/// how long of that it held the thread's CPU or wait.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ThreadSpan {
    pub start_ms: f64,
    pub end_ms: f64,
    pub held_ms: f64,
}

/// The measured side of a run, task by task in list order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Measurement {
    pub tasks: Vec<MeasuredTask>,
    /// When the awaiting code resumed, and whether it raised.
    pub caller: Option<(f64, bool)>,
    /// Task indices in the order their results reached the caller.
    pub result_order: Vec<usize>,
    /// Heartbeat lateness samples: (time, lag), both in ms.
    pub lag: Vec<(f64, f64)>,
    /// Set when the run as a whole is over.
    pub total_ms: Option<f64>,
    /// Latest event time seen, to draw a stopped run's extent.
    pub last_event_ms: f64,
}

impl Measurement {
    pub fn new(task_count: usize) -> Self {
        Measurement {
            tasks: vec![MeasuredTask::default(); task_count],
            ..Measurement::default()
        }
    }

    /// Records one event. Events naming a task outside the list are ignored.
    pub fn record(&mut self, kind: &EventKind) {
        match *kind {
            EventKind::RunStarted { .. }
            | EventKind::WaitingForThreads { .. }
            | EventKind::ThreadsOnTimers { .. } => {}
            EventKind::TaskStarted { index, at_ms } => {
                if let Some(t) = self.tasks.get_mut(index) {
                    t.start_ms = Some(at_ms);
                    self.last_event_ms = self.last_event_ms.max(at_ms);
                }
            }
            EventKind::TaskFinished {
                index,
                at_ms,
                outcome,
            } => {
                if let Some(t) = self.tasks.get_mut(index) {
                    t.end_ms = Some(at_ms);
                    t.outcome = Some(outcome);
                    self.last_event_ms = self.last_event_ms.max(at_ms);
                }
            }
            EventKind::ThreadRan {
                index,
                start_ms,
                end_ms,
                held_ms,
            } => {
                if let Some(t) = self.tasks.get_mut(index) {
                    t.thread = Some(ThreadSpan {
                        start_ms,
                        end_ms,
                        held_ms,
                    });
                }
            }
            EventKind::StreamItem { index, at_ms } => {
                if let Some(t) = self.tasks.get_mut(index) {
                    t.items_ms.push(at_ms);
                    self.last_event_ms = self.last_event_ms.max(at_ms);
                }
            }
            EventKind::ResultTaken { index } => self.result_order.push(index),
            EventKind::CallerResumed { at_ms, raised } => {
                self.caller.get_or_insert((at_ms, raised));
                self.last_event_ms = self.last_event_ms.max(at_ms);
            }
            EventKind::LoopLag { at_ms, lag_ms } => {
                self.lag.push((at_ms, lag_ms));
                self.last_event_ms = self.last_event_ms.max(at_ms);
            }
            EventKind::RunFinished { at_ms } => {
                self.total_ms = Some(at_ms);
                self.last_event_ms = self.last_event_ms.max(at_ms);
            }
        }
    }

    pub fn finished_count(&self) -> usize {
        self.tasks.iter().filter(|t| t.end_ms.is_some()).count()
    }

    /// The largest heartbeat lateness seen, in ms.
    pub fn max_lag_ms(&self) -> f64 {
        self.lag.iter().map(|&(_, l)| l).fold(0.0, f64::max)
    }
}
