//! The loop: a small discrete-event copy of CPython 3.11's asyncio loop,
//! not a formula. A FIFO ready queue of callbacks, a heap of timers, and
//! `_run_once` iterations (move due timers to the ready queue, then run the
//! callbacks that were ready when the iteration began). Awaiting costs no
//! time; only blocking calls on the loop advance the clock while a callback
//! runs, so the order of callbacks matters exactly where CPython's does.
//!
//! Here are the loop itself, each task's steps (`Task.__step`), cancelling,
//! `asyncio.Semaphore`, and `asyncio.wait_for`, modelled as CPython runs it:
//! an outer coroutine that starts the timer and a task for the body, which
//! begins one iteration later and whose end reaches the outer one two
//! callbacks later. The thread pool is in [`super::thread_pool`], the
//! awaiting code in [`super::caller`].

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use crate::domain::model::log::{EventLog, Snapshots, TaskState};
use crate::domain::model::recorder::{say, Recorder};
use crate::domain::model::task::{Op, Outer, SimTask, Wait};
use crate::domain::model::thread_pool::{Job, PoolEvent, PoolLog, ThreadPool};
use crate::domain::model::{Outcome, Prediction};
use crate::domain::modes::{Caller, RunMode};
use crate::domain::scenario::{RunOptions, Scenario, Task};

/// A callback in the ready queue or behind a timer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Cb {
    /// Run the task's next step (`Task.__step`), or throw CancelledError.
    Step { task: usize, cancel: bool },
    /// A sleep's timer: resolves the future, which wakes the task.
    SleepDone { task: usize, gen: u64 },
    /// A thread finished (call_soon_threadsafe): wakes the task.
    ThreadDone { task: usize, gen: u64 },
    /// A wait_for timeout (`_release_waiter` on the timer).
    Timeout { task: usize },
    /// The body ended: wait_for's done callback releases its waiter.
    BodyDone { task: usize },
    /// wait_for's own step, once its waiter is released (or cancelled).
    Outer { task: usize },
    /// A task's done callback reaching the awaiting code's machinery.
    Notify { task: usize },
    /// The awaiting code resumes.
    Resume { raised: bool },
    /// Re-examine the thread pool (a thread's time slice ended); the time
    /// it was due, to keep [`Sim::pool_timers`].
    Pool { due_ms: f64 },
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Timer {
    pub when: f64,
    pub seq: u64,
    pub cb: Cb,
}

impl Eq for Timer {}
impl Ord for Timer {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.when
            .total_cmp(&other.when)
            .then(self.seq.cmp(&other.seq))
    }
}
impl PartialOrd for Timer {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The simulator's observer slot: `()` for a prediction, where every hook
/// is a constant `None` and compiles away (the app's wasm carries no
/// recorder), or [`Recorded`] for the event log.
pub(super) trait Observe {
    /// Where the thread pool reports its changes.
    type Log: PoolLog + Default;
    /// The pool's changes since the last call.
    fn drain(log: &mut Self::Log) -> Vec<PoolEvent>;
    fn on(&self) -> bool;
    fn get(&mut self) -> Option<&mut Recorder>;
    fn take(&mut self) -> Option<Box<Recorder>>;
    fn put(&mut self, rec: Box<Recorder>);
}

impl Observe for () {
    type Log = ();
    #[inline(always)]
    fn drain(_log: &mut ()) -> Vec<PoolEvent> {
        Vec::new()
    }
    #[inline(always)]
    fn on(&self) -> bool {
        false
    }
    #[inline(always)]
    fn get(&mut self) -> Option<&mut Recorder> {
        None
    }
    #[inline(always)]
    fn take(&mut self) -> Option<Box<Recorder>> {
        None
    }
    #[inline(always)]
    fn put(&mut self, _rec: Box<Recorder>) {}
}

/// The recorder's slot while the event log is recorded.
pub(super) type Recorded = Option<Box<Recorder>>;

impl Observe for Recorded {
    type Log = Vec<PoolEvent>;
    fn drain(log: &mut Vec<PoolEvent>) -> Vec<PoolEvent> {
        std::mem::take(log)
    }
    fn on(&self) -> bool {
        self.is_some()
    }
    fn get(&mut self) -> Option<&mut Recorder> {
        self.as_deref_mut()
    }
    fn take(&mut self) -> Option<Box<Recorder>> {
        Option::take(self)
    }
    fn put(&mut self, rec: Box<Recorder>) {
        *self = Some(rec);
    }
}

pub(super) struct Sim<O: Observe = ()> {
    pub now: f64,
    seq: u64,
    pub ready: VecDeque<Cb>,
    pub timers: BinaryHeap<Reverse<Timer>>,
    pub tasks: Vec<SimTask>,
    // Semaphore(n)
    pub permits: u32,
    pub sem_waiters: VecDeque<usize>,
    pub pool: ThreadPool<O::Log>,
    /// Due times (bits) of the pool timers pending. At most one pool timer
    /// per instant: each pool update asks for a timer and one that fires for
    /// nothing asks again, so the timers must stay as few as the instants
    /// the pool is due, or every job that ends wakes every job (O(n²)).
    pool_timers: Vec<u64>,
    // The awaiting code
    pub caller: Caller,
    pub resumed: Option<(f64, bool)>,
    pub result_order: Vec<usize>,
    /// The observer behind the event log; `None` for a plain prediction.
    rec: O,
    /// The last instant a thread took or left the pool (recorder on).
    pool_idle_ms: f64,
}

/// Runs the model on `tasks` at their real durations.
pub fn simulate(tasks: &[Task], mode: RunMode, options: RunOptions) -> Prediction {
    let mut sim = Sim::new(tasks, mode, options, ());
    sim.start_caller();
    sim.run();
    sim.prediction(mode)
}

/// Runs the model with its recorder on: the prediction and the event log.
pub(super) fn simulate_recorded(
    scenario: &Scenario,
    mode: RunMode,
    snapshots: Snapshots,
    max_steps: usize,
) -> EventLog {
    let tasks = &scenario.tasks;
    let options = scenario.options;
    let mut sim: Sim<Recorded> = Sim::new(tasks, mode, options, None);
    let labels = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if t.label.trim().is_empty() {
                format!("task {}", i + 1)
            } else {
                t.label.clone()
            }
        })
        .collect();
    let mut rec = Recorder::new(labels, mode, snapshots, max_steps, options.gil);
    rec.main_starts();
    sim.rec.put(Box::new(rec));
    sim.start_caller();
    sim.with_rec(|r, sim| r.end(sim));
    sim.run();
    let pool_end_ms = sim.pool_idle_ms;
    let mut rec = sim.rec.take().expect("the recorder is on");
    let prediction = sim.prediction(mode);
    let (loop_lane, gil_lane) = rec.lanes(prediction.total_ms, pool_end_ms);
    EventLog {
        prediction,
        truncated: rec.step_count > rec.steps.len(),
        step_count: rec.step_count,
        steps: rec.steps,
        segments: rec.segments,
        created_ms: rec.created_ms,
        loop_lane,
        gil_lane,
    }
}

impl<O: Observe> Sim<O> {
    fn new(tasks: &[Task], mode: RunMode, options: RunOptions, rec: O) -> Self {
        let caller = Caller::new(mode, tasks.len(), &options);
        let limit = caller.options().limit;
        let sim = Sim {
            now: 0.0,
            seq: 0,
            ready: VecDeque::new(),
            timers: BinaryHeap::new(),
            tasks: tasks
                .iter()
                .map(|t| SimTask::new(t, limit.is_some()))
                .collect(),
            // Without a limit no task acquires a permit.
            permits: limit.unwrap_or(0),
            sem_waiters: VecDeque::new(),
            pool: ThreadPool::new(options.pool_size, options.gil, O::Log::default()),
            pool_timers: Vec::new(),
            caller,
            resumed: None,
            result_order: Vec::new(),
            rec,
            pool_idle_ms: 0.0,
        };
        sim
    }

    fn prediction(self, mode: RunMode) -> Prediction {
        let sim = self;
        let total_ms = sim
            .tasks
            .iter()
            .filter_map(|t| t.timeline.end_ms)
            .chain(sim.resumed.map(|(t, _)| t))
            .fold(0.0, f64::max);
        let (caller_ms, caller_raised) = sim.resumed.unwrap_or((total_ms, false));
        Prediction {
            mode,
            tasks: sim.tasks.into_iter().map(|t| t.timeline).collect(),
            caller_ms,
            caller_raised,
            result_order: sim.result_order,
            total_ms,
        }
    }

    /// Runs `f` with the recorder, if it is on.
    pub(super) fn with_rec(&mut self, f: impl FnOnce(&mut Recorder, &Sim<O>)) {
        if let Some(mut rec) = self.rec.take() {
            f(&mut rec, self);
            self.rec.put(rec);
        }
    }

    /// The recorder, if it is on.
    pub(super) fn rec(&mut self) -> Option<&mut Recorder> {
        self.rec.get()
    }

    /// Hands the pool's changes to the recorder.
    fn drain_pool(&mut self) {
        if !self.rec.on() {
            return;
        }
        let events = O::drain(&mut self.pool.events);
        if let Some(last) = events.last() {
            self.pool_idle_ms = self.pool_idle_ms.max(last.at_ms);
        }
        if let Some(rec) = self.rec.get() {
            rec.pool_events(events);
        }
    }

    pub(super) fn call_soon(&mut self, cb: Cb) {
        self.ready.push_back(cb);
    }

    fn call_at(&mut self, when: f64, cb: Cb) {
        self.seq += 1;
        self.timers.push(Reverse(Timer {
            when,
            seq: self.seq,
            cb,
        }));
    }

    pub(super) fn create_task(&mut self, task: usize) {
        let now = self.now;
        if let Some(r) = self.rec() {
            r.created(task, now);
        }
        self.call_soon(Cb::Step {
            task,
            cancel: false,
        });
    }

    /// `_run_once` until nothing is left to do.
    fn run(&mut self) {
        loop {
            if self.ready.is_empty() {
                match self.timers.peek() {
                    Some(Reverse(t)) => self.now = self.now.max(t.when),
                    None => break,
                }
            }
            let mut due = Vec::new();
            while let Some(Reverse(t)) = self.timers.peek().copied() {
                if t.when > self.now {
                    break;
                }
                self.timers.pop();
                self.ready.push_back(t.cb);
                if self.rec.on() {
                    self.timer_fired(&t, &mut due);
                }
            }
            let now = self.now;
            self.with_rec(|r, sim| {
                r.next_iteration();
                r.timers_due(now, due, sim);
            });
            let ntodo = self.ready.len();
            for _ in 0..ntodo {
                if let Some(cb) = self.ready.pop_front() {
                    let logged = self.rec.on() && !matches!(cb, Cb::Pool { .. });
                    if logged {
                        self.with_rec(|r, sim| r.callback(cb, sim));
                    }
                    self.dispatch(cb);
                    if logged {
                        self.with_rec(|r, sim| r.end(sim));
                    }
                }
            }
        }
    }

    /// A timer came due (recorder on): a sleep's task is ready from its
    /// deadline, even when the loop gets to it later.
    fn timer_fired(&mut self, t: &Timer, due: &mut Vec<crate::domain::model::log::TimerView>) {
        let Some(rec) = self.rec.get() else {
            return;
        };
        if rec.full() {
            // Only counted: no sentence needed.
            if matches!(t.cb, Cb::SleepDone { .. } | Cb::Timeout { .. }) {
                due.push(crate::domain::model::log::TimerView {
                    due_ms: t.when,
                    task: None,
                    text: String::new(),
                });
            }
        } else if let Some(view) = rec.timer_view(t.when, &t.cb) {
            due.push(view);
        }
        if let Cb::SleepDone { task, gen } = t.cb {
            let st = &self.tasks[task];
            if st.gen == gen && st.waiting == Wait::Sleep && !st.done {
                rec.state(task, TaskState::Ready, t.when);
            }
        }
    }

    fn dispatch(&mut self, cb: Cb) {
        match cb {
            Cb::Step { task, cancel } => self.step(task, cancel),
            Cb::SleepDone { task, gen } => self.wake(task, gen, Wait::Sleep),
            Cb::ThreadDone { task, gen } => self.wake(task, gen, Wait::Thread),
            Cb::Timeout { task } | Cb::BodyDone { task } => {
                // Either releases the waiter, once; while wait_for is
                // cancelling the body, the body's end releases the second
                // waiter (`_cancel_and_wait`).
                let t = &mut self.tasks[task];
                match (t.outer, cb) {
                    (Outer::Waiting, _) => {
                        t.outer = Outer::Woken;
                        self.call_soon(Cb::Outer { task });
                    }
                    (Outer::Cancelling, Cb::BodyDone { .. }) => {
                        self.call_soon(Cb::Outer { task });
                    }
                    _ => {}
                }
            }
            Cb::Outer { task } => self.outer_step(task),
            Cb::Notify { task } => self.notify_caller(task),
            Cb::Resume { raised } => self.resume_caller(raised),
            Cb::Pool { due_ms } => {
                let due = due_ms.to_bits();
                if let Some(at) = self.pool_timers.iter().position(|&t| t == due) {
                    self.pool_timers.swap_remove(at);
                }
                self.update_pool();
            }
        }
    }

    /// The awaited future is done: schedule the task's next step. From here
    /// until that step runs, a cancel() only marks the task (`_must_cancel`).
    fn wake(&mut self, task: usize, gen: u64, on: Wait) {
        let t = &mut self.tasks[task];
        if t.gen == gen && t.waiting == on && !t.done {
            t.waiting = Wait::None;
            let now = self.now;
            if let Some(r) = self.rec() {
                r.state(task, TaskState::Ready, now);
            }
            self.call_soon(Cb::Step {
                task,
                cancel: false,
            });
        }
    }

    /// `Task.__step`: run ops until the coroutine suspends or ends.
    fn step(&mut self, task: usize, cancel: bool) {
        if self.tasks[task].done {
            return;
        }
        self.tasks[task].waiting = Wait::None;
        if cancel || self.tasks[task].cancel_requested {
            self.finish(task, Outcome::Cancelled);
            return;
        }
        let now = self.now;
        if let Some(r) = self.rec() {
            r.state(task, TaskState::Running, now);
        }
        loop {
            let t = &mut self.tasks[task];
            let Some(op) = t.ops.get(t.pc).copied() else {
                self.finish(task, Outcome::Ok);
                return;
            };
            t.pc += 1;
            match op {
                Op::Acquire => {
                    if self.permits > 0 {
                        self.permits -= 1;
                        self.tasks[task].holds_permit = true;
                        let left = self.permits;
                        if let Some(r) = self.rec() {
                            r.note(|| format!("takes a Semaphore permit ({left} left)"));
                        }
                    } else {
                        self.tasks[task].waiting = Wait::Semaphore;
                        self.sem_waiters.push_back(task);
                        let (now, queued) = (self.now, self.sem_waiters.len());
                        if let Some(r) = self.rec() {
                            r.note(|| {
                                format!("waits for a Semaphore permit ({queued} in the queue)")
                            });
                            r.state(task, TaskState::QueuedForPermit, now);
                        }
                        return;
                    }
                }
                Op::WaitFor => {
                    let limit = self.tasks[task].timeout_ms.unwrap_or(0.0);
                    self.tasks[task].outer = Outer::Waiting;
                    let now = self.now;
                    if let Some(r) = self.rec() {
                        r.note(|| say::wait_for(now + limit));
                        r.state(task, TaskState::Ready, now);
                    }
                    self.call_at(self.now + limit, Cb::Timeout { task });
                    // The body's task is created now and steps next iteration.
                    self.call_soon(Cb::Step {
                        task,
                        cancel: false,
                    });
                    return;
                }
                Op::Begin => {
                    self.tasks[task].timeline.start_ms = Some(self.now);
                    let (now, later) = (self.now, self.tasks[task].pc > 1);
                    if let Some(r) = self.rec() {
                        if later {
                            r.note(|| "its body begins".to_string());
                        }
                        r.body_begins(task, now);
                    }
                }
                Op::Sleep(ms) => {
                    let t = &mut self.tasks[task];
                    t.waiting = Wait::Sleep;
                    t.gen += 1;
                    let gen = t.gen;
                    let now = self.now;
                    if let Some(r) = self.rec() {
                        r.note(|| say::sleeps(ms, now + ms));
                        r.state(task, TaskState::Awaiting, now);
                    }
                    if ms <= 0.0 {
                        // asyncio.sleep(0) yields once: straight back in line.
                        self.call_soon(Cb::SleepDone { task, gen });
                    } else {
                        self.call_at(self.now + ms, Cb::SleepDone { task, gen });
                    }
                    return;
                }
                Op::Block(ms) => {
                    let from = self.now;
                    if let Some(r) = self.rec() {
                        r.note(|| say::blocks(ms, from));
                        r.state(task, TaskState::Blocking, from);
                        r.blocks(task, from, from + ms);
                    }
                    self.now += ms;
                    // Threads ran on meanwhile. One that ended queued its
                    // callback then (call_soon_threadsafe), ahead of what
                    // this step schedules from here on.
                    if !self.pool.is_idle() {
                        self.update_pool();
                    }
                    let now = self.now;
                    if let Some(r) = self.rec() {
                        r.state(task, TaskState::Running, now);
                    }
                }
                Op::Item => {
                    let now = self.now;
                    self.tasks[task].timeline.items_ms.push(now);
                    let n = self.tasks[task].timeline.items_ms.len();
                    if let Some(r) = self.rec() {
                        r.note(|| format!("gets item {n} of its stream"));
                    }
                }
                Op::Thread { ms, cpu } => {
                    let t = &mut self.tasks[task];
                    t.waiting = Wait::Thread;
                    t.gen += 1;
                    let job = Job {
                        task,
                        gen: t.gen,
                        cpu,
                        left_ms: ms,
                    };
                    let (gen, now) = (job.gen, self.now);
                    self.pool.submit(job, self.now);
                    if let Some(r) = self.rec.get() {
                        r.submitted(task, gen, now);
                    }
                    self.update_pool();
                    if self.rec.on() {
                        let queued = self.pool.queued().any(|j| j.task == task && j.gen == gen);
                        if let Some(r) = self.rec.get() {
                            r.note(|| say::to_thread(ms, cpu, queued));
                        }
                    }
                    return;
                }
                Op::Raise => {
                    if let Some(r) = self.rec() {
                        r.note(|| "raises RuntimeError".to_string());
                    }
                    self.finish(task, Outcome::Failed);
                    return;
                }
            }
        }
    }

    /// The body ends (or the task is cancelled before it ran).
    fn finish(&mut self, task: usize, outcome: Outcome) {
        let now = self.now;
        let t = &mut self.tasks[task];
        t.done = true;
        t.gen += 1;
        t.timeline.end_ms = Some(now);
        t.timeline.outcome = outcome;
        if let Some(r) = self.rec.get() {
            r.note(|| match outcome {
                Outcome::Ok => "returns: done".to_string(),
                Outcome::Cancelled => "ends cancelled".to_string(),
                _ => "ends with the exception".to_string(),
            });
            r.task_ends(task, now);
        }
        let t = &mut self.tasks[task];
        if t.outer == Outer::None {
            self.settle(task);
        } else {
            // wait_for hears of it through a done callback.
            self.call_soon(Cb::BodyDone { task });
        }
    }

    /// The task the caller holds is done: `async with sem` exits, and its
    /// done callbacks (the awaiting code's machinery) run next iteration.
    fn settle(&mut self, task: usize) {
        self.caller
            .on_settled(task, self.tasks[task].timeline.outcome);
        let t = &mut self.tasks[task];
        t.settled = true;
        if t.outer != Outer::None {
            t.outer = Outer::Done;
        }
        if t.holds_permit {
            t.holds_permit = false;
            self.release();
        }
        self.call_soon(Cb::Notify { task });
    }

    /// wait_for's step after its waiter was released (3.11): if the body is
    /// done, return its result, even when the timeout fired meanwhile;
    /// otherwise cancel the body, wait for it, and raise `TimeoutError`
    /// (`CancelledError` if wait_for itself was cancelled).
    fn outer_step(&mut self, task: usize) {
        let t = &mut self.tasks[task];
        if t.outer == Outer::Done {
            return;
        }
        if t.done {
            if t.outer == Outer::Cancelling
                && t.timeline.outcome == Outcome::Cancelled
                && !t.outer_cancelled
            {
                // The body saw CancelledError; keep its end time.
                t.timeline.outcome = Outcome::TimedOut;
            }
            self.settle(task);
        } else if t.outer == Outer::Woken {
            t.outer = Outer::Cancelling;
            if let Some(r) = self.rec.get() {
                r.note(|| "the body is not done: wait_for cancels it".to_string());
            }
            self.cancel_body(task);
        }
    }

    /// `Semaphore.release`: wake the first waiter (FIFO), which takes the permit.
    fn release(&mut self) {
        while let Some(next) = self.sem_waiters.pop_front() {
            if self.tasks[next].done || self.tasks[next].waiting != Wait::Semaphore {
                continue;
            }
            self.tasks[next].holds_permit = true;
            self.tasks[next].waiting = Wait::None;
            let now = self.now;
            if let Some(r) = self.rec.get() {
                r.note(|| format!("the permit goes to the next in line (task {})", next + 1));
                r.state(next, TaskState::Ready, now);
            }
            self.call_soon(Cb::Step {
                task: next,
                cancel: false,
            });
            return;
        }
        self.permits += 1;
    }

    /// `Task.cancel()` on the task the caller holds: wait_for's, if it
    /// has started, else the body's own.
    pub(super) fn cancel(&mut self, task: usize) {
        let t = &mut self.tasks[task];
        if t.settled {
            return;
        }
        match t.outer {
            Outer::None => self.cancel_body(task),
            Outer::Waiting => {
                // Cancelling its waiter schedules its step.
                t.outer_cancelled = true;
                t.outer = Outer::Woken;
                self.call_soon(Cb::Outer { task });
            }
            // Its step is scheduled (`_must_cancel`), or it is already
            // cancelling the body: it will raise CancelledError.
            Outer::Woken | Outer::Cancelling => t.outer_cancelled = true,
            Outer::Done => {}
        }
    }

    /// `Task.cancel()` on the body's task.
    fn cancel_body(&mut self, task: usize) {
        let t = &mut self.tasks[task];
        if t.done {
            return;
        }
        match t.waiting {
            Wait::None => {
                // Not started yet, or already scheduled: it ends at its next step.
                t.cancel_requested = true;
                let now = self.now;
                if let Some(r) = self.rec.get() {
                    r.state(task, TaskState::Cancelled, now);
                }
            }
            Wait::Sleep | Wait::Thread | Wait::Semaphore => {
                let was = t.waiting;
                t.gen += 1;
                t.waiting = Wait::None;
                if was == Wait::Thread {
                    // A queued job is dropped; a running thread cannot be stopped.
                    self.pool.drop_queued(task);
                }
                let now = self.now;
                if let Some(r) = self.rec.get() {
                    r.let_go_of_thread(task);
                    r.state(task, TaskState::Cancelled, now);
                }
                if was == Wait::Semaphore {
                    self.sem_waiters.retain(|&w| w != task);
                }
                self.call_soon(Cb::Step { task, cancel: true });
            }
        }
    }

    /// Hands finished jobs to the loop and sets a timer for the next one.
    fn update_pool(&mut self) {
        for job in self.pool.catch_up(self.now) {
            self.call_soon(Cb::ThreadDone {
                task: job.task,
                gen: job.gen,
            });
        }
        self.drain_pool();
        let next = self.pool.next_completion_ms();
        if next.is_finite() {
            // A timer already due then does what this one would.
            let due_ms = self.now + next;
            if !self.pool_timers.contains(&due_ms.to_bits()) {
                self.pool_timers.push(due_ms.to_bits());
                self.call_at(due_ms, Cb::Pool { due_ms });
            }
        }
    }
}
