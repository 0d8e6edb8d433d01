//! The event-loop model: predicts when each task starts and ends, how it
//! ends, and when the awaiting code resumes, for every run mode.
//!
//! It is a small discrete-event copy of CPython 3.11's asyncio loop, not a
//! formula: a FIFO ready queue of callbacks, a heap of timers, and
//! `_run_once` iterations (move due timers to the ready queue, then run the
//! callbacks that were ready when the iteration began). Awaiting costs no
//! time; only blocking calls on the loop advance the clock while a callback
//! runs, so the order of callbacks matters exactly where CPython's does.
//! Threads (`to_thread`) run beside the loop in a pool of `pool_size`; with
//! the GIL on, CPU-bound threads share one CPU (processor sharing, which
//! CPython's 5 ms switch interval approximates). A task with a timeout is
//! modelled as `asyncio.wait_for` runs it: an outer coroutine that starts
//! the timer and a task for the body, which begins one iteration later and
//! whose end reaches the outer one two callbacks later. `tests/oracle.rs`
//! checks the model against `python3`.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use super::scenario::{Kind, RunMode, RunOptions, Scenario};

/// How a task ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    Ok,
    Failed,
    Cancelled,
    TimedOut,
    /// Never started: a sequential run stopped at an earlier failure.
    NotRun,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Failed => "failed",
            Outcome::Cancelled => "cancelled",
            Outcome::TimedOut => "timed out",
            Outcome::NotRun => "not run",
        }
    }
}

/// One task's predicted life, in ms from the run's start.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskTimeline {
    /// When its body began (`None`: cancelled before it ran, or not run).
    pub start_ms: Option<f64>,
    pub end_ms: Option<f64>,
    pub outcome: Outcome,
    /// When each stream item arrived.
    pub items_ms: Vec<f64>,
}

impl TaskTimeline {
    pub fn duration_ms(&self) -> f64 {
        match (self.start_ms, self.end_ms) {
            (Some(s), Some(e)) => e - s,
            _ => 0.0,
        }
    }
}

/// The predicted timeline of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    pub mode: RunMode,
    pub tasks: Vec<TaskTimeline>,
    /// When the awaiting code resumed (gather returned, the first result of
    /// wait() arrived, the last as_completed result was taken…).
    pub caller_ms: f64,
    /// Whether it resumed with an exception.
    pub caller_raised: bool,
    /// Task indices in the order the caller received their results.
    pub result_order: Vec<usize>,
    /// When everything (caller and every task) was done.
    pub total_ms: f64,
}

/// Predicts a run of a validated scenario (durations after the speed factor).
pub fn predict(scenario: &Scenario, mode: RunMode) -> Prediction {
    simulate(&task_specs(scenario), mode, scenario.options)
}

/// The scenario's tasks as the model and the runner need them: every
/// duration already divided by the speed factor.
pub fn task_specs(scenario: &Scenario) -> Vec<TaskSpec> {
    scenario
        .tasks
        .iter()
        .map(|t| TaskSpec {
            duration_ms: scenario.scaled(t.duration_ms),
            kind: match &t.kind {
                Kind::Io => SpecKind::Io,
                Kind::Fail { .. } => SpecKind::Fail,
                Kind::Blocking => SpecKind::Blocking,
                Kind::Offloaded { cpu } => SpecKind::Offloaded { cpu: *cpu },
                Kind::Stream { items, body_ms } => SpecKind::Stream {
                    items: *items,
                    body_ms: scenario.scaled(*body_ms),
                },
            },
            timeout_ms: t.timeout_ms.map(|ms| scenario.scaled(ms)),
        })
        .collect()
}

/// Predicts a run of plain I/O tasks with the given durations.
pub fn predict_durations(durations_ms: &[u32], mode: RunMode) -> Prediction {
    let specs: Vec<TaskSpec> = durations_ms
        .iter()
        .map(|&d| TaskSpec {
            duration_ms: d,
            kind: SpecKind::Io,
            timeout_ms: None,
        })
        .collect();
    simulate(&specs, mode, RunOptions::default())
}

/// A task reduced to what the model needs (durations already scaled).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TaskSpec {
    pub duration_ms: u32,
    pub kind: SpecKind,
    pub timeout_ms: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SpecKind {
    Io,
    Fail,
    Blocking,
    Offloaded { cpu: bool },
    Stream { items: u32, body_ms: u32 },
}

/// One step of a task's coroutine.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    /// `async with sem` (Bounded mode only).
    Acquire,
    /// `asyncio.wait_for(body(), timeout)`: start the timer, run the body
    /// as a task of its own (its first step is one iteration later).
    WaitFor,
    /// The body begins: the start is recorded here.
    Begin,
    Sleep(f64),
    Block(f64),
    Thread {
        ms: f64,
        cpu: bool,
    },
    Item,
    Raise,
}

fn ops_of(spec: &TaskSpec, bounded: bool) -> Vec<Op> {
    let d = f64::from(spec.duration_ms);
    let mut ops = Vec::new();
    if bounded {
        ops.push(Op::Acquire);
    }
    if spec.timeout_ms.is_some() {
        ops.push(Op::WaitFor);
    }
    ops.push(Op::Begin);
    match spec.kind {
        SpecKind::Io => ops.push(Op::Sleep(d)),
        SpecKind::Fail => ops.extend([Op::Sleep(d), Op::Raise]),
        SpecKind::Blocking => ops.push(Op::Block(d)),
        SpecKind::Offloaded { cpu } => ops.push(Op::Thread { ms: d, cpu }),
        SpecKind::Stream { items, body_ms } => {
            for _ in 0..items {
                ops.extend([Op::Sleep(d), Op::Item]);
                if body_ms > 0 {
                    ops.push(Op::Sleep(f64::from(body_ms)));
                }
            }
        }
    }
    ops
}

/// A callback in the ready queue or behind a timer.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Cb {
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
struct Timer {
    when: f64,
    seq: u64,
    cb: Cb,
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

#[derive(Clone, Copy, Debug, PartialEq)]
enum Wait {
    None,
    Sleep,
    Thread,
    Semaphore,
}

/// Where `asyncio.wait_for`'s own coroutine is (tasks with a timeout).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Outer {
    /// No timeout, or wait_for has not run yet: the task is its own outer.
    None,
    /// Awaiting its waiter: released by the timeout or by the body ending.
    Waiting,
    /// The waiter is released; its step is scheduled.
    Woken,
    /// It cancelled the body (`_cancel_and_wait`) and waits for it to end.
    Cancelling,
    Done,
}

#[derive(Clone, Debug)]
struct SimTask {
    ops: Vec<Op>,
    pc: usize,
    created: bool,
    done: bool,
    waiting: Wait,
    /// Bumped whenever a pending wake-up becomes stale.
    gen: u64,
    cancel_requested: bool,
    /// wait_for's state; `outer_cancelled`: the caller cancelled it.
    outer: Outer,
    outer_cancelled: bool,
    /// The result reached the task the caller holds (the body's task, or
    /// wait_for's): from here the awaiting code can see it.
    settled: bool,
    holds_permit: bool,
    timeout_ms: Option<f64>,
    timeline: TaskTimeline,
}

/// A job in the thread pool.
#[derive(Clone, Copy, Debug)]
struct Job {
    task: usize,
    gen: u64,
    cpu: bool,
    /// Work left, in ms of one CPU (or of waiting).
    left_ms: f64,
}

struct Sim {
    now: f64,
    seq: u64,
    ready: VecDeque<Cb>,
    timers: BinaryHeap<Reverse<Timer>>,
    tasks: Vec<SimTask>,
    mode: RunMode,
    options: RunOptions,
    // Semaphore(n)
    permits: u32,
    sem_waiters: VecDeque<usize>,
    // Thread pool
    queued_jobs: VecDeque<Job>,
    running_jobs: Vec<Job>,
    jobs_since_ms: f64,
    finished_jobs: Vec<Job>,
    /// Due times (bits) of the pool timers pending: one is enough per
    /// instant. Each pool update asks for a timer, and one firing for
    /// nothing asks again, so without this 10,000 jobs kept 10,000 timers
    /// alive and every job that ended woke them all (O(n²)). A few are
    /// pending at a time (one per change of the pool's pace), so a list.
    pool_timers: Vec<u64>,
    // The awaiting code
    next_awaited: usize,
    resumed: Option<(f64, bool)>,
    caller_decided: bool,
    failed_seen: bool,
    result_order: Vec<usize>,
    /// Tasks created and not yet settled: kept as a count so "all done?"
    /// is O(1) (asked after every task; a scan made 10,000 tasks O(n²)).
    unsettled: usize,
}

/// Runs the model.
pub fn simulate(specs: &[TaskSpec], mode: RunMode, options: RunOptions) -> Prediction {
    let bounded = mode == RunMode::Bounded;
    let tasks = specs
        .iter()
        .map(|s| SimTask {
            ops: ops_of(s, bounded),
            pc: 0,
            created: false,
            done: false,
            waiting: Wait::None,
            gen: 0,
            cancel_requested: false,
            outer: Outer::None,
            outer_cancelled: false,
            settled: false,
            holds_permit: false,
            timeout_ms: s.timeout_ms.map(f64::from),
            timeline: TaskTimeline {
                start_ms: None,
                end_ms: None,
                outcome: Outcome::NotRun,
                items_ms: Vec::new(),
            },
        })
        .collect();
    let mut sim = Sim {
        now: 0.0,
        seq: 0,
        ready: VecDeque::new(),
        timers: BinaryHeap::new(),
        tasks,
        mode,
        options,
        permits: options.limit.max(1),
        sem_waiters: VecDeque::new(),
        queued_jobs: VecDeque::new(),
        running_jobs: Vec::new(),
        jobs_since_ms: 0.0,
        finished_jobs: Vec::new(),
        pool_timers: Vec::new(),
        next_awaited: 0,
        resumed: None,
        caller_decided: false,
        failed_seen: false,
        result_order: Vec::new(),
        unsettled: 0,
    };
    sim.start();
    sim.run();
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

impl Sim {
    fn call_soon(&mut self, cb: Cb) {
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

    fn create_task(&mut self, task: usize) {
        let t = &mut self.tasks[task];
        if !t.created && !t.settled {
            self.unsettled += 1;
        }
        t.created = true;
        self.call_soon(Cb::Step {
            task,
            cancel: false,
        });
    }

    /// The awaiting code's first step: create what the mode creates.
    fn start(&mut self) {
        if self.tasks.is_empty() {
            self.resumed = Some((0.0, false));
            return;
        }
        match self.mode {
            RunMode::Sequential => self.create_task(0),
            _ => {
                for i in 0..self.tasks.len() {
                    self.create_task(i);
                }
            }
        }
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
            while let Some(Reverse(t)) = self.timers.peek().copied() {
                if t.when > self.now {
                    break;
                }
                self.timers.pop();
                self.ready.push_back(t.cb);
            }
            let ntodo = self.ready.len();
            for _ in 0..ntodo {
                if let Some(cb) = self.ready.pop_front() {
                    self.dispatch(cb);
                }
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
            Cb::Notify { task } => self.on_done(task),
            Cb::Resume { raised } => {
                if self.resumed.is_none() {
                    self.resumed = Some((self.now, raised));
                    if self.mode == RunMode::WaitFirst {
                        self.wait_first_resumed();
                    }
                }
            }
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
                    } else {
                        self.tasks[task].waiting = Wait::Semaphore;
                        self.sem_waiters.push_back(task);
                        return;
                    }
                }
                Op::WaitFor => {
                    let limit = self.tasks[task].timeout_ms.unwrap_or(0.0);
                    self.tasks[task].outer = Outer::Waiting;
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
                }
                Op::Sleep(ms) => {
                    let t = &mut self.tasks[task];
                    t.waiting = Wait::Sleep;
                    t.gen += 1;
                    let gen = t.gen;
                    if ms <= 0.0 {
                        // asyncio.sleep(0) yields once: straight back in line.
                        self.call_soon(Cb::SleepDone { task, gen });
                    } else {
                        self.call_at(self.now + ms, Cb::SleepDone { task, gen });
                    }
                    return;
                }
                Op::Block(ms) => {
                    self.now += ms;
                    // Threads ran on meanwhile. One that ended queued its
                    // callback then (call_soon_threadsafe), ahead of what
                    // this step schedules from here on.
                    if !self.running_jobs.is_empty() || !self.queued_jobs.is_empty() {
                        self.update_pool();
                    }
                }
                Op::Item => {
                    let now = self.now;
                    self.tasks[task].timeline.items_ms.push(now);
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
                    self.advance_pool_to(self.now);
                    self.queued_jobs.push_back(job);
                    self.update_pool();
                    return;
                }
                Op::Raise => {
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
        let t = &mut self.tasks[task];
        if t.created && !t.settled {
            self.unsettled -= 1;
        }
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
    fn cancel(&mut self, task: usize) {
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
            }
            Wait::Sleep | Wait::Thread | Wait::Semaphore => {
                let was = t.waiting;
                t.gen += 1;
                t.waiting = Wait::None;
                if was == Wait::Thread {
                    // A queued job is dropped; a running thread cannot be stopped.
                    self.queued_jobs.retain(|j| j.task != task);
                }
                if was == Wait::Semaphore {
                    self.sem_waiters.retain(|&w| w != task);
                }
                self.call_soon(Cb::Step { task, cancel: true });
            }
        }
    }

    fn all_done(&self) -> bool {
        self.unsettled == 0
    }

    fn decide(&mut self, raised: bool) {
        if !self.caller_decided {
            self.caller_decided = true;
            self.call_soon(Cb::Resume { raised });
        }
    }

    /// A task is done: what the awaiting code does about it.
    fn on_done(&mut self, task: usize) {
        let outcome = self.tasks[task].timeline.outcome;
        let failed = matches!(outcome, Outcome::Failed | Outcome::TimedOut);
        let catch = self.options.return_exceptions;
        match self.mode {
            RunMode::Sequential => {
                self.result_order.push(task);
                if failed && !catch {
                    self.decide(true);
                } else if task + 1 < self.tasks.len() {
                    self.create_task(task + 1);
                } else {
                    self.decide(false);
                }
            }
            RunMode::CreateTask => {
                if self.caller_decided {
                    // It raised: the later tasks' results are never awaited.
                    return;
                }
                // The caller awaits the tasks in list order.
                while self.next_awaited < self.tasks.len() && self.tasks[self.next_awaited].settled
                {
                    let i = self.next_awaited;
                    self.next_awaited += 1;
                    self.result_order.push(i);
                    let f = matches!(
                        self.tasks[i].timeline.outcome,
                        Outcome::Failed | Outcome::TimedOut
                    );
                    if f && !catch {
                        self.decide(true);
                        return;
                    }
                }
                if self.next_awaited == self.tasks.len() {
                    self.decide(false);
                }
            }
            RunMode::Gather | RunMode::Bounded => {
                if failed && !catch && !self.failed_seen {
                    self.failed_seen = true;
                    self.decide(true);
                }
                if self.all_done() {
                    if !self.caller_decided {
                        self.result_order = (0..self.tasks.len()).collect();
                    }
                    self.decide(false);
                }
            }
            RunMode::TaskGroup => {
                if failed && !self.failed_seen {
                    self.failed_seen = true;
                    for other in 0..self.tasks.len() {
                        if other != task {
                            self.cancel(other);
                        }
                    }
                }
                if !failed && outcome == Outcome::Ok {
                    self.result_order.push(task);
                }
                if self.all_done() {
                    let raised = self.failed_seen;
                    self.decide(raised);
                }
            }
            RunMode::AsCompleted => {
                if self.caller_decided {
                    return;
                }
                self.result_order.push(task);
                if failed && !catch {
                    self.decide(true);
                } else if self.result_order.len() == self.tasks.len() {
                    self.decide(false);
                }
            }
            RunMode::WaitFirst => {
                // The first done callback releases wait()'s waiter; what is
                // done is decided when the caller resumes.
                self.decide(false);
            }
        }
    }

    /// wait(FIRST_COMPLETED) returned: `done` is every task finished by
    /// now, not only the first; then the caller may cancel the rest.
    fn wait_first_resumed(&mut self) {
        self.result_order = (0..self.tasks.len())
            .filter(|&i| self.tasks[i].settled)
            .collect();
        if self.options.cancel_pending {
            for task in 0..self.tasks.len() {
                self.cancel(task);
            }
        }
    }

    // ---- the thread pool ----------------------------------------------------

    /// How many CPU-bound jobs share the one GIL right now.
    fn gil_sharers(&self) -> f64 {
        if !self.options.gil {
            return 1.0;
        }
        self.running_jobs.iter().filter(|j| j.cpu).count().max(1) as f64
    }

    fn rate(&self, job: &Job) -> f64 {
        if job.cpu {
            1.0 / self.gil_sharers()
        } else {
            1.0
        }
    }

    fn fill_slots(&mut self) {
        while self.running_jobs.len() < self.options.pool_size.max(1) as usize {
            match self.queued_jobs.pop_front() {
                Some(job) => self.running_jobs.push(job),
                None => break,
            }
        }
    }

    /// Time until the next running job completes at the current rates.
    fn next_completion_ms(&self) -> f64 {
        self.running_jobs
            .iter()
            .map(|j| j.left_ms / self.rate(j))
            .fold(f64::INFINITY, f64::min)
    }

    /// Plays the pool forward to `until`. Threads do not wait for the loop:
    /// a job that ends while the loop is blocked frees its thread at once,
    /// and the next queued job starts then, not when the loop notices.
    fn advance_pool_to(&mut self, until: f64) {
        loop {
            self.fill_slots();
            // A job with no work left (0 ms) ends as it starts; its thread
            // takes the next job at once.
            if self.collect_finished_jobs() > 0 {
                continue;
            }
            let remaining = until - self.jobs_since_ms;
            if remaining <= 0.0 {
                break;
            }
            let step = remaining.min(self.next_completion_ms());
            let sharers = self.gil_sharers();
            for job in &mut self.running_jobs {
                let rate = if job.cpu { 1.0 / sharers } else { 1.0 };
                job.left_ms = (job.left_ms - step * rate).max(0.0);
            }
            self.jobs_since_ms += step;
            self.collect_finished_jobs();
            if step >= remaining {
                break;
            }
        }
        self.jobs_since_ms = self.jobs_since_ms.max(until);
    }

    /// Moves the running jobs with no work left to `finished_jobs`; how many.
    fn collect_finished_jobs(&mut self) -> usize {
        let before = self.finished_jobs.len();
        let finished = &mut self.finished_jobs;
        self.running_jobs.retain(|j| {
            let done = j.left_ms <= 1e-9;
            if done {
                finished.push(*j);
            }
            !done
        });
        self.finished_jobs.len() - before
    }

    /// Hands finished jobs to the loop and sets a timer for the next one.
    fn update_pool(&mut self) {
        self.advance_pool_to(self.now);
        self.fill_slots();
        for job in std::mem::take(&mut self.finished_jobs) {
            self.call_soon(Cb::ThreadDone {
                task: job.task,
                gen: job.gen,
            });
        }
        let next = self.next_completion_ms();
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
