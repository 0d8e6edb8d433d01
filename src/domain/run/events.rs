//! Events of a real run. The runtime stamps them with times it reads from the
//! clock; the domain only receives them. Every event carries its run's id so
//! events from a stopped or superseded run can be recognised and dropped.

use crate::domain::model::Outcome;
use crate::domain::scenario::RunMode;

/// Identifies one run; a new id is issued for every run started.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RunId(pub u64);

/// What happened, with the time in ms since the run started.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EventKind {
    /// The run waits for its `threads` worker threads to load; its clock
    /// starts (with `RunStarted`) once they can take jobs.
    WaitingForThreads {
        threads: usize,
    },
    /// `threads` of the run's worker threads could not start: their jobs
    /// run on timers (the loop stays free, but no CPU work is done).
    ThreadsOnTimers {
        threads: usize,
    },
    RunStarted {
        mode: RunMode,
        /// Wall-clock start, ms since the Unix epoch: with the mode, the
        /// run's identity across tabs and reloads (see `domain::state::session`).
        started_unix_ms: f64,
    },
    TaskStarted {
        index: usize,
        at_ms: f64,
    },
    TaskFinished {
        index: usize,
        at_ms: f64,
        outcome: Outcome,
    },
    /// Task `index`'s `to_thread` job ran on a pool thread from `start_ms`
    /// (when its thread began it; a CPU job under the GIL: when its thread
    /// took it and began asking for the GIL) to `end_ms`, and held the
    /// thread's CPU (or waited, for a blocking wait) for `held_ms` of that:
    /// less only when it took turns for the GIL. Sent when the job ends.
    ThreadRan {
        index: usize,
        start_ms: f64,
        end_ms: f64,
        held_ms: f64,
    },
    /// A stream task received an item.
    StreamItem {
        index: usize,
        at_ms: f64,
    },
    /// The awaiting code received this task's result (or exception).
    ResultTaken {
        index: usize,
    },
    /// The awaiting code resumed (with an exception if `raised`).
    CallerResumed {
        at_ms: f64,
        raised: bool,
    },
    /// The loop answered a heartbeat `lag_ms` later than asked.
    LoopLag {
        at_ms: f64,
        lag_ms: f64,
    },
    RunFinished {
        at_ms: f64,
    },
}

/// One event of one run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TraceEvent {
    pub run: RunId,
    pub kind: EventKind,
}
