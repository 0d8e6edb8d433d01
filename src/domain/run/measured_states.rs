//! A measured bar shaded by state: what the run itself measured about a
//! task, in the model's [`TaskState`]s, and nothing it did not measure.
//!
//! What the runtime measures: when each task's body started and ended and
//! how it ended; when its `to_thread` job began on a pool thread, ended
//! there, and how much of that it held the thread ([`ThreadSpan`]). With
//! the task's kind and its real durations that says:
//! - an I/O or failing task is suspended at `await` on a timer set for its
//!   duration; past that time, it was ready and waiting for the loop;
//! - a stream is suspended at `await` (its items are the points between);
//! - a blocking call blocks the loop from start to end;
//! - a `to_thread` task is queued for a pool thread until its job began on
//!   one, then runs in the thread (taking turns for the GIL where the job
//!   held its thread for less than it was there), then waits for the loop
//!   to hand it the result;
//! - a cancelled (or timed-out) task ends at the cancel: a mark at its end.
//!
//! Not measured, so never drawn: the instants a coroutine runs on the loop
//! between awaits, and the inside of a `to_thread` task whose job did not
//! end (cancelled, or a run saved before jobs were timed): its bar is plain.

use crate::domain::model::log::{Segment, TaskState};
use crate::domain::model::Outcome;
use crate::domain::run::measurement::MeasuredTask;
use crate::domain::scenario::{Kind, Task};

/// A time in a thread not held (the GIL taken by other threads) shorter
/// than this is not called taking turns: CPython's switch interval, and
/// about what the page takes to hand a thread its first slice.
pub const GIL_TURNS_MIN_MS: f64 = 5.0;
/// A timer's task resumed later than its timer was due by less than this is
/// drawn as on time (timers fire a little late even on a free loop); a job
/// begun, or its result taken, this soon was not waiting either.
pub const LATE_MIN_MS: f64 = 1.0;

/// A task's measured bar.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MeasuredBar {
    /// The bar `[start_ms, end_ms]`, tiled by `segments` where they are
    /// known; empty where nothing inside it was measured (drawn plain).
    pub start_ms: f64,
    pub end_ms: f64,
    pub segments: Vec<Segment>,
    /// It was cancelled (or timed out) at `end_ms`.
    pub cancelled: bool,
}

impl MeasuredBar {
    /// The measured state at `at_ms` (`None`: outside the bar, or not known).
    pub fn state_at(&self, at_ms: f64) -> Option<TaskState> {
        self.segments
            .iter()
            .find(|s| s.start_ms <= at_ms && at_ms < s.end_ms)
            .map(|s| s.state)
    }
}

/// `measured`'s bar for `task`; a bar still open at the end ends at
/// `run_end_ms`. `None` when the task never started or its times make no
/// bar (not finite, or ending before they start).
pub fn measured_bar(task: &Task, measured: &MeasuredTask, run_end_ms: f64) -> Option<MeasuredBar> {
    let start = measured.start_ms?;
    let end = measured.end_ms.unwrap_or(run_end_ms);
    if !(start.is_finite() && end.is_finite() && end > start) {
        return None;
    }
    let mut bar = MeasuredBar {
        start_ms: start,
        end_ms: end,
        segments: Vec::new(),
        cancelled: matches!(
            measured.outcome,
            Some(Outcome::Cancelled | Outcome::TimedOut)
        ),
    };
    let mut push = |from: f64, to: f64, state: TaskState| {
        let (from, to) = (from.clamp(start, end), to.clamp(start, end));
        if to > from {
            bar.segments.push(Segment {
                start_ms: from,
                end_ms: to,
                state,
            });
        }
    };
    match task.kind {
        Kind::Io | Kind::Fail { .. } => {
            // Its timer was set when it started, for its duration.
            let due = start + f64::from(task.real.duration_ms);
            let due = if end - due >= LATE_MIN_MS { due } else { end };
            push(start, due, TaskState::Awaiting);
            push(due, end, TaskState::Ready);
        }
        Kind::Stream { .. } => push(start, end, TaskState::Awaiting),
        Kind::Blocking => push(start, end, TaskState::Blocking),
        Kind::Offloaded { .. } => {
            let Some(thread) = measured.thread.filter(|t| {
                t.start_ms.is_finite() && t.end_ms.is_finite() && t.held_ms.is_finite()
            }) else {
                return Some(bar);
            };
            let (from, to) = (thread.start_ms.max(start), thread.end_ms.min(end));
            // A job begun within a moment of its await was not queued: that
            // moment is the message reaching its thread.
            let from = if from - start < LATE_MIN_MS {
                start
            } else {
                from
            };
            // A result taken within a moment of its job's end was not waiting.
            let to = if end - to < LATE_MIN_MS { end } else { to };
            let in_thread = if to - from - thread.held_ms >= GIL_TURNS_MIN_MS {
                TaskState::WaitingForGil
            } else {
                TaskState::InThread
            };
            push(start, from, TaskState::QueuedForThread);
            push(from, to, in_thread);
            push(to.max(from), end, TaskState::Ready);
        }
    }
    Some(bar)
}
