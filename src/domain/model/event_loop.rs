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

use crate::domain::model::task::{Op, Outer, SimTask, Wait};
use crate::domain::model::thread_pool::{Job, ThreadPool};
use crate::domain::model::{Outcome, Prediction};
use crate::domain::modes::{Caller, RunMode};
use crate::domain::scenario::{RunOptions, Task};

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

pub(super) struct Sim {
    pub now: f64,
    seq: u64,
    ready: VecDeque<Cb>,
    timers: BinaryHeap<Reverse<Timer>>,
    pub tasks: Vec<SimTask>,
    // Semaphore(n)
    permits: u32,
    sem_waiters: VecDeque<usize>,
    pool: ThreadPool,
    /// Due times (bits) of the pool timers pending. At most one pool timer
    /// per instant: each pool update asks for a timer and one that fires for
    /// nothing asks again, so the timers must stay as few as the instants
    /// the pool is due, or every job that ends wakes every job (O(n²)).
    pool_timers: Vec<u64>,
    // The awaiting code
    pub caller: Caller,
    pub resumed: Option<(f64, bool)>,
    pub result_order: Vec<usize>,
}

/// Runs the model on `tasks` at their real durations.
pub fn simulate(tasks: &[Task], mode: RunMode, options: RunOptions) -> Prediction {
    let caller = Caller::new(mode, tasks.len(), &options);
    let limit = caller.options().limit;
    let mut sim = Sim {
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
        pool: ThreadPool::new(options.pool_size, options.gil),
        pool_timers: Vec::new(),
        caller,
        resumed: None,
        result_order: Vec::new(),
    };
    sim.start_caller();
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
                    if !self.pool.is_idle() {
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
                    self.pool.submit(job, self.now);
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
            }
            Wait::Sleep | Wait::Thread | Wait::Semaphore => {
                let was = t.waiting;
                t.gen += 1;
                t.waiting = Wait::None;
                if was == Wait::Thread {
                    // A queued job is dropped; a running thread cannot be stopped.
                    self.pool.drop_queued(task);
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
