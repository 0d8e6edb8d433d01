//! What the model saw, moment by moment: each task's state over time
//! ([`Segment`]), who held the loop's thread and the GIL ([`LoopSegment`],
//! [`GilSegment`]), and the event log a stepper walks ([`LogStep`], with a
//! [`Snapshot`] of the loop's queues).
//!
//! [`event_log`] runs the same simulator as [`super::predict`] with its
//! recorder on (off, the recorder is `None` and costs nothing), so the log
//! cannot drift from the prediction. It is worked out on demand (the tools
//! worker's `steps` and `snapshot` jobs), never on every edit.

use crate::domain::model::event_loop::simulate_recorded;
use crate::domain::model::Prediction;
use crate::domain::scenario::{RunMode, Scenario};

/// What a task is doing during a [`Segment`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TaskState {
    /// In the ready queue: created or woken, waiting for the loop to run
    /// its next step (behind other callbacks, or behind a blocking call).
    Ready,
    /// Running on the loop, holding the thread. The model charges no time
    /// to Python code between awaits, so this lasts an instant.
    Running,
    /// Suspended at `await`: waiting for a timer or for a result.
    Awaiting,
    /// A blocking call on the loop (`time.sleep`, CPU work): nothing else runs.
    Blocking,
    /// Waiting for a `Semaphore` permit.
    QueuedForPermit,
    /// Its `to_thread` call waits for a free thread of the pool.
    QueuedForThread,
    /// Its `to_thread` call runs in a thread (with the GIL, or needing none).
    InThread,
    /// Its `to_thread` call is CPU work in a thread taking turns for the
    /// GIL with other CPU-bound threads: it runs only part of the time.
    WaitingForGil,
    /// Cancelled: `CancelledError` is on its way in; it ends at its next step.
    Cancelled,
}

impl TaskState {
    pub const ALL: [TaskState; 9] = [
        TaskState::Ready,
        TaskState::Running,
        TaskState::Awaiting,
        TaskState::Blocking,
        TaskState::QueuedForPermit,
        TaskState::QueuedForThread,
        TaskState::InThread,
        TaskState::WaitingForGil,
        TaskState::Cancelled,
    ];

    /// A stable, CSS-safe name (also the wire name).
    pub fn slug(self) -> &'static str {
        match self {
            TaskState::Ready => "ready",
            TaskState::Running => "running",
            TaskState::Awaiting => "awaiting",
            TaskState::Blocking => "blocking",
            TaskState::QueuedForPermit => "queued-permit",
            TaskState::QueuedForThread => "queued-thread",
            TaskState::InThread => "thread",
            TaskState::WaitingForGil => "gil-wait",
            TaskState::Cancelled => "cancelled",
        }
    }

    pub fn from_slug(slug: &str) -> Option<TaskState> {
        TaskState::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// What the legend says about this shade, in plain words.
    pub fn legend(self) -> &'static str {
        match self {
            TaskState::Ready => "ready, waiting for the loop to get to it",
            TaskState::Running => "running on the loop (holding the thread)",
            TaskState::Awaiting => "suspended at await (waiting for a timer or a result)",
            TaskState::Blocking => "blocking the loop",
            TaskState::QueuedForPermit => "queued for a Semaphore permit",
            TaskState::QueuedForThread => "queued for a pool thread",
            TaskState::InThread => "running in a thread",
            TaskState::WaitingForGil => "in a thread, taking turns for the GIL",
            TaskState::Cancelled => "cancelled",
        }
    }
}

/// A task in one state over `[start_ms, end_ms)`, `start_ms < end_ms`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    pub start_ms: f64,
    pub end_ms: f64,
    pub state: TaskState,
}

/// Who holds the loop's thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoopHolder {
    /// Waiting in `select` for the next timer or thread.
    Idle,
    /// Task `i`'s blocking call: nothing else runs, due timers pile up.
    Blocking { task: usize },
}

/// The loop lane: `[start_ms, end_ms)` held by `holder`. The lane tiles
/// `[0, total_ms]`. Task bodies and the awaiting code hold the thread only
/// for instants in the model (the log's steps), so they have no segments.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LoopSegment {
    pub start_ms: f64,
    pub end_ms: f64,
    pub holder: LoopHolder,
}

/// Who holds the GIL among the pool's CPU-bound threads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GilHolder {
    /// No CPU-bound thread runs.
    Free,
    /// Task `i`'s thread holds it alone.
    Thread { task: usize },
    /// These tasks' threads take turns (CPython switches every 5 ms); see
    /// [`gil_turn`] for which one holds it at an instant.
    TakingTurns { tasks: Vec<usize> },
}

/// The GIL lane (only with the GIL modelled): tiles `[0, end of the last
/// thread]`.
#[derive(Clone, Debug, PartialEq)]
pub struct GilSegment {
    pub start_ms: f64,
    pub end_ms: f64,
    pub holder: GilHolder,
}

/// CPython's switch interval: how long a thread keeps the GIL when others
/// want it.
pub const GIL_SWITCH_MS: f64 = 5.0;

/// Which of threads taking turns holds the GIL at `at_ms`: the model
/// shares the CPU evenly, drawn as 5 ms turns in list order from the
/// segment's start.
pub fn gil_turn(segment: &GilSegment, at_ms: f64) -> Option<usize> {
    match &segment.holder {
        GilHolder::Free => None,
        GilHolder::Thread { task } => Some(*task),
        GilHolder::TakingTurns { tasks } if !tasks.is_empty() => {
            let turn = ((at_ms - segment.start_ms).max(0.0) / GIL_SWITCH_MS).floor();
            let at = if turn.is_finite() {
                (turn as u64 % tasks.len() as u64) as usize
            } else {
                0
            };
            tasks.get(at).copied()
        }
        GilHolder::TakingTurns { .. } => None,
    }
}

/// Where the code is at a step: the line the lesson program highlights.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// The loop itself (timers falling due): no line of the program.
    Loop,
    /// `main()`'s awaiting code.
    Caller,
    /// Task `task`'s coroutine, at `at`.
    Task { task: usize, at: TaskPlace },
}

/// Where in its coroutine a task is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskPlace {
    /// `async with sem` (waiting for, or taking, a permit).
    Acquire,
    /// `asyncio.wait_for(…)` wrapping the body.
    WaitFor,
    /// `await asyncio.sleep(…)` (an I/O wait, a failing task's wait, a
    /// stream's next item or its loop body).
    Sleep,
    /// `time.sleep(…)` on the loop.
    Block,
    /// `await asyncio.to_thread(…)`.
    Thread,
    /// The `raise`.
    Raise,
    /// The coroutine returned (or was cancelled).
    Done,
}

/// A callback in the ready queue, or the one running.
#[derive(Clone, Debug, PartialEq)]
pub struct CallbackView {
    /// The task it concerns, if one.
    pub task: Option<usize>,
    /// What it is, in plain words ("fetch 2: Task.__step").
    pub text: String,
}

/// A timer in the loop's heap.
#[derive(Clone, Debug, PartialEq)]
pub struct TimerView {
    pub due_ms: f64,
    pub task: Option<usize>,
    pub text: String,
}

/// A thread of the pool and the job it runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ThreadView {
    pub task: usize,
    /// CPU-bound (needs the GIL) rather than a blocking wait.
    pub cpu: bool,
    /// Work left, in ms of one CPU (or of waiting).
    pub left_ms: f64,
    /// The job's task was cancelled: the thread runs on, unheard.
    pub orphaned: bool,
}

/// The loop's state right after a step.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub now_ms: f64,
    /// The callback this step ran (`None` for a timers-due step).
    pub running: Option<CallbackView>,
    /// The ready queue, in order.
    pub ready: Vec<CallbackView>,
    /// The timer heap, sorted by deadline.
    pub timers: Vec<TimerView>,
    /// The pool's busy threads, and its queue (tasks, FIFO).
    pub threads: Vec<ThreadView>,
    pub pool_queue: Vec<usize>,
    pub pool_size: usize,
    /// The GIL holder among the threads (`None`: no CPU thread runs, or
    /// the GIL is not modelled), and the threads waiting for it.
    pub gil_holder: Option<usize>,
    pub gil_waiting: Vec<usize>,
    /// `Semaphore(n)`: free permits and the waiters, FIFO (`None`: no limit).
    pub permits_free: Option<u32>,
    pub permit_waiters: Vec<usize>,
    /// What the awaiting code is waiting for, in plain words.
    pub caller: String,
    /// When the awaiting code resumed, if it has.
    pub caller_resumed_ms: Option<f64>,
    /// Each task's state at this instant (`None`: not created, or ended).
    pub states: Vec<Option<TaskState>>,
    /// Tasks ended so far.
    pub ended: usize,
}

/// What a step of the log is.
#[derive(Clone, Debug, PartialEq)]
pub enum StepKind {
    /// `main()` starts (before the loop's first iteration).
    MainStarts,
    /// The iteration's timers came due (moved to the ready queue).
    TimersDue { timers: Vec<TimerView> },
    /// One callback ran.
    Callback { callback: CallbackView },
}

/// One step of the event log.
#[derive(Clone, Debug, PartialEq)]
pub struct LogStep {
    /// The `_run_once` iteration (0: before the first).
    pub iteration: u32,
    /// When the step began and ended (later only across a blocking call).
    pub at_ms: f64,
    pub end_ms: f64,
    pub kind: StepKind,
    /// What it did, in a plain sentence.
    pub text: String,
    pub place: Place,
    /// The loop's state after the step, where asked for ([`Snapshots`]).
    pub snapshot: Option<Snapshot>,
}

/// Which steps carry a [`Snapshot`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Snapshots {
    None,
    All,
    /// Only the step at this index (the stepper asks for one at a time).
    At(usize),
}

/// The log holds at most this many steps; a longer run is cut
/// ([`EventLog::truncated`]) but its segments and lanes are whole.
pub const MAX_LOG_STEPS: usize = 20_000;

/// Everything the stepper and the shaded bars need.
#[derive(Clone, Debug, PartialEq)]
pub struct EventLog {
    pub prediction: Prediction,
    pub steps: Vec<LogStep>,
    /// Steps were left off after [`MAX_LOG_STEPS`].
    pub truncated: bool,
    /// How many steps the whole run has (counting those left off).
    pub step_count: usize,
    /// Each task's states, tiling `[created, end_ms]`: the bar's part
    /// tiles `[start_ms, end_ms]` exactly (a boundary falls on `start_ms`);
    /// before it the task is `Ready` or queued. Empty for a task never
    /// created.
    pub segments: Vec<Vec<Segment>>,
    /// When each task was created (`None`: never).
    pub created_ms: Vec<Option<f64>>,
    pub loop_lane: Vec<LoopSegment>,
    /// Empty unless the GIL is modelled and a CPU-bound thread ran.
    pub gil_lane: Vec<GilSegment>,
}

impl EventLog {
    /// The segments of task `i` within its bar `[start_ms, end_ms]`.
    pub fn bar_segments(&self, task: usize) -> Vec<Segment> {
        let Some(start) = self.prediction.tasks.get(task).and_then(|t| t.start_ms) else {
            return Vec::new();
        };
        self.segments
            .get(task)
            .map(|s| s.iter().filter(|s| s.start_ms >= start).copied().collect())
            .unwrap_or_default()
    }

    /// The index of the last step that began at or before `at_ms` (the
    /// step a scrubbed cursor shows).
    pub fn step_at(&self, at_ms: f64) -> usize {
        self.steps
            .partition_point(|s| s.at_ms <= at_ms)
            .saturating_sub(1)
    }
}

/// The event log of `scenario` run in `mode`, with snapshots as asked.
pub fn event_log(scenario: &Scenario, mode: RunMode, snapshots: Snapshots) -> EventLog {
    simulate_recorded(scenario, mode, snapshots, MAX_LOG_STEPS)
}

/// [`event_log`] keeping at most `max_steps` steps.
pub fn event_log_bounded(
    scenario: &Scenario,
    mode: RunMode,
    snapshots: Snapshots,
    max_steps: usize,
) -> EventLog {
    simulate_recorded(scenario, mode, snapshots, max_steps)
}
