//! The simulator's observer: while [`super::event_loop::Sim`] runs with a
//! recorder, its hooks report each callback, what it did, each task's state
//! changes and the pool's threads; the recorder turns them into the
//! [`super::log`] types. Without one (a prediction) every hook is skipped.

use crate::domain::model::event_loop::{Cb, Observe, Sim};
use crate::domain::model::log::{
    CallbackView, GilHolder, GilSegment, LogStep, LoopHolder, LoopSegment, Place, Segment,
    Snapshot, Snapshots, StepKind, TaskPlace, TaskState, ThreadView, TimerView,
};
use crate::domain::model::task::{Op, Wait};
use crate::domain::model::thread_pool::PoolEvent;
use crate::domain::modes::RunMode;
use crate::domain::text::plural;

pub(super) struct Recorder {
    labels: Vec<String>,
    mode: RunMode,
    snapshots: Snapshots,
    max_steps: usize,
    gil_on: bool,
    pub steps: Vec<LogStep>,
    pub step_count: usize,
    iteration: u32,
    // The step under way.
    cur_at: f64,
    cur_kind: Option<StepKind>,
    header: String,
    notes: Vec<String>,
    created_now: Vec<usize>,
    taken_now: usize,
    place: Place,
    // Task states.
    current: Vec<Option<(TaskState, f64)>>,
    ended: Vec<bool>,
    pub segments: Vec<Vec<Segment>>,
    pub created_ms: Vec<Option<f64>>,
    thread_gen: Vec<Option<u64>>,
    // Lanes.
    blocks: Vec<LoopSegment>,
    cpu_running: Vec<(usize, u64)>,
    gil_lane: Vec<GilSegment>,
    gil_since: f64,
}

/// A duration or instant in ms, as a sentence says it.
pub(super) fn ms(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{r:.0} ms")
    } else {
        format!("{r:.1} ms")
    }
}

/// A duration in seconds as Python writes it: 250 → `0.25`.
fn secs(v: f64) -> String {
    let s = (v / 1000.0 * 1e6).round() / 1e6;
    format!("{s}")
}

impl Recorder {
    pub fn new(
        labels: Vec<String>,
        mode: RunMode,
        snapshots: Snapshots,
        max_steps: usize,
        gil_on: bool,
    ) -> Self {
        let n = labels.len();
        Recorder {
            labels,
            mode,
            snapshots,
            max_steps,
            gil_on,
            steps: Vec::new(),
            step_count: 0,
            iteration: 0,
            cur_at: 0.0,
            cur_kind: None,
            header: String::new(),
            notes: Vec::new(),
            created_now: Vec::new(),
            taken_now: 0,
            place: Place::Loop,
            current: vec![None; n],
            ended: vec![false; n],
            segments: vec![Vec::new(); n],
            created_ms: vec![None; n],
            thread_gen: vec![None; n],
            blocks: Vec::new(),
            cpu_running: Vec::new(),
            gil_lane: Vec::new(),
            gil_since: 0.0,
        }
    }

    fn label(&self, task: usize) -> &str {
        self.labels.get(task).map_or("?", String::as_str)
    }

    // ---- steps ---------------------------------------------------------------

    pub fn main_starts(&mut self) {
        self.begin(
            0.0,
            StepKind::MainStarts,
            "main() starts".into(),
            Place::Caller,
        );
    }

    pub fn next_iteration(&mut self) {
        self.iteration = self.iteration.saturating_add(1);
    }

    /// The timers that came due this iteration (the pool's own timers are
    /// the model's bookkeeping, not asyncio's, and are left out).
    pub fn timers_due<O: Observe>(&mut self, now: f64, due: Vec<TimerView>, sim: &Sim<O>) {
        if due.is_empty() {
            return;
        }
        if self.full() {
            self.step_count += 1;
            return;
        }
        let text = if due.len() == 1 {
            format!("timer due: {}", due[0].text)
        } else {
            format!(
                "{} due: {}",
                plural(due.len(), "timer", "timers"),
                list(due.iter().map(|t| t.text.clone()))
            )
        };
        self.begin(now, StepKind::TimersDue { timers: due }, text, Place::Loop);
        self.end(sim);
    }

    /// A callback is about to run.
    pub fn callback<O: Observe>(&mut self, cb: Cb, sim: &Sim<O>) {
        if self.full() {
            self.begin(sim.now, StepKind::MainStarts, String::new(), Place::Loop);
            return;
        }
        let view = self.callback_view(&cb);
        let (header, place) = self.header(&cb, sim);
        self.begin(
            sim.now,
            StepKind::Callback { callback: view },
            header,
            place,
        );
    }

    fn begin(&mut self, at: f64, kind: StepKind, header: String, place: Place) {
        self.cur_at = at;
        self.cur_kind = Some(kind);
        self.header = header;
        self.place = place;
        self.notes.clear();
        self.created_now.clear();
        self.taken_now = 0;
    }

    /// Adds what the step did; worked out only while the log keeps steps.
    pub fn note(&mut self, text: impl FnOnce() -> String) {
        if self.cur_kind.is_some() && !self.full() {
            self.notes.push(text());
        }
    }

    /// The log holds all the steps it may: later ones are only counted.
    pub fn full(&self) -> bool {
        self.steps.len() >= self.max_steps
    }

    pub fn created(&mut self, task: usize, now: f64) {
        if let Some(c) = self.created_ms.get_mut(task) {
            if c.is_none() {
                *c = Some(now);
            }
        }
        self.created_now.push(task);
        self.state(task, TaskState::Ready, now);
    }

    pub fn took(&mut self) {
        self.taken_now += 1;
    }

    /// The step ends: it joins the log (with its snapshot, if asked for).
    pub fn end<O: Observe>(&mut self, sim: &Sim<O>) {
        let Some(kind) = self.cur_kind.take() else {
            return;
        };
        let index = self.step_count;
        self.step_count += 1;
        if self.steps.len() >= self.max_steps {
            return;
        }
        let mut parts = vec![std::mem::take(&mut self.header)];
        if !self.created_now.is_empty() {
            let names = if self.created_now.len() <= 3 {
                list(self.created_now.iter().map(|&t| self.label(t).to_string()))
            } else {
                plural(self.created_now.len(), "task", "tasks")
            };
            parts.push(format!("creates {names}"));
        }
        if self.taken_now > 0 {
            parts.push(format!(
                "takes {}",
                plural(self.taken_now, "result", "results")
            ));
        }
        parts.append(&mut self.notes);
        let place = match self.place {
            Place::Task { task, at: _ } => Place::Task {
                task,
                at: task_place(sim, task),
            },
            other => other,
        };
        let snapshot = match self.snapshots {
            Snapshots::All => true,
            Snapshots::At(i) => i == index,
            Snapshots::None => false,
        };
        let running = match &kind {
            StepKind::Callback { callback } => Some(callback.clone()),
            _ => None,
        };
        self.steps.push(LogStep {
            iteration: self.iteration,
            at_ms: self.cur_at,
            end_ms: sim.now,
            text: parts.join("; "),
            kind,
            place,
            snapshot: snapshot.then(|| self.snapshot(sim, running)),
        });
    }

    fn header<O: Observe>(&self, cb: &Cb, sim: &Sim<O>) -> (String, Place) {
        let task_at = |task: usize| Place::Task {
            task,
            at: TaskPlace::Done,
        };
        match *cb {
            Cb::Step { task, cancel } => {
                let l = self.label(task);
                let t = &sim.tasks[task];
                let text = if t.done {
                    format!("{l} is already done: nothing to do")
                } else if cancel || t.cancel_requested {
                    format!("{l}: CancelledError is thrown in at its await")
                } else if t.pc == 0 {
                    format!("{l} starts")
                } else {
                    format!("{l} resumes")
                };
                (text, task_at(task))
            }
            Cb::SleepDone { task, gen } => {
                let l = self.label(task);
                let t = &sim.tasks[task];
                let text = if t.gen == gen && t.waiting == Wait::Sleep && !t.done {
                    format!(
                        "{l}'s sleep is over: its future is done, so its next step is scheduled"
                    )
                } else {
                    format!("a stale timer of {l}: nothing to do")
                };
                (text, task_at(task))
            }
            Cb::ThreadDone { task, gen } => {
                let l = self.label(task);
                let t = &sim.tasks[task];
                let text = if t.gen == gen && t.waiting == Wait::Thread && !t.done {
                    format!(
                        "{l}'s thread is done (call_soon_threadsafe): its next step is scheduled"
                    )
                } else {
                    format!("{l}'s thread is done, but {l} no longer waits for it: nothing to do")
                };
                (text, task_at(task))
            }
            Cb::Timeout { task } => (
                format!("wait_for's timeout for {} fires", self.label(task)),
                task_at(task),
            ),
            Cb::BodyDone { task } => (
                format!(
                    "{}'s body is done: wait_for's done-callback wakes it",
                    self.label(task)
                ),
                task_at(task),
            ),
            Cb::Outer { task } => (
                format!("wait_for({}) resumes", self.label(task)),
                task_at(task),
            ),
            Cb::Notify { task } => {
                let c = &sim.caller;
                (
                    format!(
                        "{}'s done-callback for {}: {} of {} done",
                        self.mode.in_a_sentence(),
                        self.label(task),
                        // The header is written before the callback runs.
                        c.notified_count() + 1,
                        c.task_count()
                    ),
                    Place::Caller,
                )
            }
            Cb::Resume { raised } => (
                if raised {
                    "main() resumes with the exception".to_string()
                } else {
                    "main() resumes".to_string()
                },
                Place::Caller,
            ),
            Cb::Pool { .. } => ("the pool's threads move on".to_string(), Place::Loop),
        }
    }

    fn callback_view(&self, cb: &Cb) -> CallbackView {
        let (task, text) = match *cb {
            Cb::Step { task, cancel } => (
                Some(task),
                if cancel {
                    format!("{}: Task.__step (CancelledError)", self.label(task))
                } else {
                    format!("{}: Task.__step", self.label(task))
                },
            ),
            Cb::SleepDone { task, .. } => (
                Some(task),
                format!("{}: sleep's future set_result", self.label(task)),
            ),
            Cb::ThreadDone { task, .. } => (
                Some(task),
                format!("{}: to_thread's future set_result", self.label(task)),
            ),
            Cb::Timeout { task } => (
                Some(task),
                format!("{}: wait_for's timeout", self.label(task)),
            ),
            Cb::BodyDone { task } => (
                Some(task),
                format!("{}: wait_for's done-callback", self.label(task)),
            ),
            Cb::Outer { task } => (Some(task), format!("wait_for({}): step", self.label(task))),
            Cb::Notify { task } => (
                Some(task),
                format!(
                    "{}'s done-callback for {}",
                    self.mode.in_a_sentence(),
                    self.label(task)
                ),
            ),
            Cb::Resume { .. } => (None, "main(): Task.__step".to_string()),
            Cb::Pool { .. } => (None, "the pool".to_string()),
        };
        CallbackView { task, text }
    }

    pub fn timer_view(&self, due_ms: f64, cb: &Cb) -> Option<TimerView> {
        let (task, text) = match *cb {
            Cb::SleepDone { task, .. } => (task, format!("{}'s sleep", self.label(task))),
            Cb::Timeout { task } => (task, format!("wait_for's timeout for {}", self.label(task))),
            _ => return None,
        };
        Some(TimerView {
            due_ms,
            task: Some(task),
            text: format!("{text} (due at {})", ms(due_ms)),
        })
    }

    fn snapshot<O: Observe>(&self, sim: &Sim<O>, running: Option<CallbackView>) -> Snapshot {
        let overdue: std::collections::HashSet<usize> = sim
            .timers
            .iter()
            .filter_map(|t| match t.0.cb {
                Cb::SleepDone { task, gen }
                    if t.0.when <= sim.now && sim.tasks[task].gen == gen =>
                {
                    Some(task)
                }
                _ => None,
            })
            .collect();
        let mut timers: Vec<_> = sim
            .timers
            .iter()
            .filter_map(|t| self.timer_view(t.0.when, &t.0.cb).map(|v| (t.0.seq, v)))
            .collect();
        timers.sort_by(|a, b| a.1.due_ms.total_cmp(&b.1.due_ms).then(a.0.cmp(&b.0)));
        let pool = sim.pool.at(sim.now);
        let threads: Vec<ThreadView> = pool
            .running()
            .iter()
            .map(|j| ThreadView {
                task: j.task,
                cpu: j.cpu,
                left_ms: j.left_ms,
                orphaned: sim.tasks[j.task].gen != j.gen,
            })
            .collect();
        let cpu: Vec<usize> = threads.iter().filter(|t| t.cpu).map(|t| t.task).collect();
        let (gil_holder, gil_waiting) = if pool.gil() && !cpu.is_empty() {
            let turn = (sim.now / crate::domain::model::log::GIL_SWITCH_MS).floor();
            let at = if turn.is_finite() {
                (turn as u64 % cpu.len() as u64) as usize
            } else {
                0
            };
            let holder = cpu[at];
            (
                Some(holder),
                cpu.iter().copied().filter(|&t| t != holder).collect(),
            )
        } else {
            (None, Vec::new())
        };
        let sharing = gil_holder.is_some() && !gil_waiting.is_empty();
        let thread_state = |task: usize| {
            let gen = sim.tasks[task].gen;
            if let Some(job) = pool
                .running()
                .iter()
                .find(|j| j.task == task && j.gen == gen)
            {
                if job.cpu && sharing {
                    TaskState::WaitingForGil
                } else {
                    TaskState::InThread
                }
            } else if pool.queued().any(|j| j.task == task && j.gen == gen) {
                TaskState::QueuedForThread
            } else {
                TaskState::Ready
            }
        };
        let limit = sim.caller.options().limit;
        let ended = self.ended.iter().filter(|&&e| e).count();
        Snapshot {
            now_ms: sim.now,
            running,
            ready: sim
                .ready
                .iter()
                .filter(|cb| !matches!(cb, Cb::Pool { .. }))
                .map(|cb| self.callback_view(cb))
                .collect(),
            timers: timers.into_iter().map(|(_, v)| v).collect(),
            threads,
            pool_queue: pool.queued().map(|j| j.task).collect(),
            pool_size: pool.size(),
            gil_holder,
            gil_waiting,
            permits_free: limit.map(|_| sim.permits),
            permit_waiters: sim
                .sem_waiters
                .iter()
                .copied()
                .filter(|&t| sim.tasks[t].waiting == Wait::Semaphore && !sim.tasks[t].done)
                .collect(),
            caller: self.caller_text(sim),
            caller_resumed_ms: sim.resumed.map(|(t, _)| t),
            // A sleeper whose timer is overdue (the loop was busy) is
            // ready from its deadline, as its segments say.
            states: self
                .current
                .iter()
                .zip(&self.ended)
                .enumerate()
                .map(|(task, (c, &e))| match c {
                    _ if e => None,
                    Some((TaskState::Awaiting, _)) if overdue.contains(&task) => {
                        Some(TaskState::Ready)
                    }
                    // The pool runs ahead of what the loop has heard: its
                    // state at this instant is the played-forward pool's.
                    Some((
                        TaskState::QueuedForThread | TaskState::InThread | TaskState::WaitingForGil,
                        _,
                    )) => Some(thread_state(task)),
                    c => c.map(|(s, _)| s),
                })
                .collect(),
            ended,
        }
    }

    fn caller_text<O: Observe>(&self, sim: &Sim<O>) -> String {
        let c = &sim.caller;
        if let Some((at, raised)) = sim.resumed {
            return format!(
                "main() resumed at {}{}",
                ms(at),
                if raised { " with an exception" } else { "" }
            );
        }
        if self.mode == RunMode::Sequential {
            if let Some(&task) = c.pending_tasks().first() {
                return format!("await {}()", self.label(task));
            }
        }
        format!(
            "{} — {} of {} done",
            self.mode.python(),
            c.settled_count(),
            c.task_count()
        )
    }

    // ---- task states -------------------------------------------------------

    /// Task `task` is in `state` from `at`.
    pub fn state(&mut self, task: usize, state: TaskState, at: f64) {
        if self.ended.get(task).copied().unwrap_or(true) {
            return;
        }
        match self.current[task] {
            None => self.current[task] = Some((state, at)),
            Some((cur, since)) => {
                if cur == state {
                    return;
                }
                let at = at.max(since);
                if at > since {
                    self.segments[task].push(Segment {
                        start_ms: since,
                        end_ms: at,
                        state: cur,
                    });
                }
                self.current[task] = Some((state, at));
            }
        }
    }

    /// The body begins: a segment boundary falls here.
    pub fn body_begins(&mut self, task: usize, at: f64) {
        if let Some(Some((cur, since))) = self.current.get(task).copied() {
            if at > since {
                self.segments[task].push(Segment {
                    start_ms: since,
                    end_ms: at,
                    state: cur,
                });
            }
        }
        self.current[task] = Some((TaskState::Running, at));
    }

    pub fn task_ends(&mut self, task: usize, at: f64) {
        if self.ended.get(task).copied().unwrap_or(true) {
            return;
        }
        if let Some((cur, since)) = self.current[task] {
            if at > since {
                self.segments[task].push(Segment {
                    start_ms: since,
                    end_ms: at,
                    state: cur,
                });
            }
        }
        self.ended[task] = true;
        self.thread_gen[task] = None;
    }

    pub fn blocks(&mut self, task: usize, from: f64, to: f64) {
        if to > from {
            self.blocks.push(LoopSegment {
                start_ms: from,
                end_ms: to,
                holder: LoopHolder::Blocking { task },
            });
        }
    }

    pub fn submitted(&mut self, task: usize, gen: u64, now: f64) {
        self.thread_gen[task] = Some(gen);
        self.state(task, TaskState::QueuedForThread, now);
    }

    /// The task no longer waits for its thread (cancelled).
    pub fn let_go_of_thread(&mut self, task: usize) {
        if let Some(g) = self.thread_gen.get_mut(task) {
            *g = None;
        }
    }

    pub fn pool_events(&mut self, events: Vec<PoolEvent>) {
        for e in events {
            let (task, gen) = (e.job.task, e.job.gen);
            let current = self.thread_gen.get(task).copied().flatten() == Some(gen);
            if e.job.cpu {
                self.gil_change(e.at_ms);
                if e.started {
                    self.cpu_running.push((task, gen));
                } else {
                    self.cpu_running.retain(|&r| r != (task, gen));
                }
            }
            if current {
                if e.started {
                    self.state(task, TaskState::InThread, e.at_ms);
                } else {
                    self.thread_gen[task] = None;
                    self.state(task, TaskState::Ready, e.at_ms);
                }
            }
            if e.job.cpu && self.gil_on {
                let sharing = self.cpu_running.len() > 1;
                let running = self.cpu_running.clone();
                for (t, g) in running {
                    if self.thread_gen[t] == Some(g) {
                        let s = if sharing {
                            TaskState::WaitingForGil
                        } else {
                            TaskState::InThread
                        };
                        self.state(t, s, e.at_ms);
                    }
                }
            }
        }
    }

    fn gil_holder(&self) -> GilHolder {
        match self.cpu_running.as_slice() {
            [] => GilHolder::Free,
            [(task, _)] => GilHolder::Thread { task: *task },
            many => GilHolder::TakingTurns {
                tasks: many.iter().map(|&(t, _)| t).collect(),
            },
        }
    }

    fn gil_change(&mut self, at: f64) {
        if !self.gil_on {
            return;
        }
        let at = at.max(self.gil_since);
        if at > self.gil_since {
            let holder = self.gil_holder();
            match self.gil_lane.last_mut() {
                Some(last) if last.holder == holder && last.end_ms == self.gil_since => {
                    last.end_ms = at
                }
                _ => self.gil_lane.push(GilSegment {
                    start_ms: self.gil_since,
                    end_ms: at,
                    holder,
                }),
            }
        }
        self.gil_since = at;
    }

    // ---- the end ---------------------------------------------------------------

    /// The lanes, closed at `total_ms` (the GIL lane at its last thread).
    pub fn lanes(
        &mut self,
        total_ms: f64,
        pool_end_ms: f64,
    ) -> (Vec<LoopSegment>, Vec<GilSegment>) {
        let mut lane = Vec::new();
        let mut at = 0.0;
        for b in &self.blocks {
            if b.start_ms > at {
                lane.push(LoopSegment {
                    start_ms: at,
                    end_ms: b.start_ms,
                    holder: LoopHolder::Idle,
                });
            }
            lane.push(*b);
            at = b.end_ms;
        }
        if total_ms > at {
            lane.push(LoopSegment {
                start_ms: at,
                end_ms: total_ms,
                holder: LoopHolder::Idle,
            });
        }
        self.gil_change(pool_end_ms);
        // A lane of only a free GIL says nothing.
        if self.gil_lane.iter().all(|s| s.holder == GilHolder::Free) {
            self.gil_lane.clear();
        }
        (lane, std::mem::take(&mut self.gil_lane))
    }
}

/// Where task `task`'s coroutine is after its step: the op it waits at.
fn task_place<O: Observe>(sim: &Sim<O>, task: usize) -> TaskPlace {
    let t = &sim.tasks[task];
    if t.done {
        return match t.ops.get(t.pc.saturating_sub(1)) {
            Some(Op::Raise) => TaskPlace::Raise,
            _ => TaskPlace::Done,
        };
    }
    match t.ops.get(t.pc.saturating_sub(1)) {
        Some(Op::Acquire) => TaskPlace::Acquire,
        Some(Op::WaitFor) => TaskPlace::WaitFor,
        Some(Op::Sleep(_)) | Some(Op::Item) | Some(Op::Begin) => TaskPlace::Sleep,
        Some(Op::Block(_)) => TaskPlace::Block,
        Some(Op::Thread { .. }) => TaskPlace::Thread,
        Some(Op::Raise) => TaskPlace::Raise,
        None => TaskPlace::Done,
    }
}

/// "a, b and c".
fn list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The sentences the simulator's hooks note.
pub(super) mod say {
    use super::{ms, secs};

    pub fn sleeps(d: f64, due: f64) -> String {
        if d <= 0.0 {
            "awaits sleep(0): straight back in the ready queue".to_string()
        } else {
            format!("awaits sleep({}) → timer due at {}", secs(d), ms(due))
        }
    }

    pub fn blocks(d: f64, from: f64) -> String {
        format!(
            "blocks the loop: time.sleep({}) from {} to {}; nothing else runs",
            secs(d),
            ms(from),
            ms(from + d)
        )
    }

    pub fn to_thread(d: f64, cpu: bool, queued: bool) -> String {
        let what = if cpu { "cpu_work" } else { "time.sleep" };
        let then = if queued {
            "queued: every pool thread is busy"
        } else {
            "a pool thread starts it"
        };
        format!("awaits to_thread({what}, {}) → {then}", secs(d))
    }

    pub fn wait_for(due: f64) -> String {
        format!(
            "wait_for starts its timeout (due at {}) and a task for the body",
            ms(due)
        )
    }
}
