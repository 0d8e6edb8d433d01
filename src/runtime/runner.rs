//! The real runner: performs a run on the browser's event loop, in any run
//! mode, and stamps what happens with `performance.now()`.
//!
//! Each task kind does for real what its Python counterpart does: an I/O
//! wait is a [`sleep_ms`] on the shared timer queue; a blocking call
//! busy-waits on the main thread, so every timer due meanwhile fires late;
//! an offloaded call runs in the [`Pool`]; a stream yields items on timers.
//! The awaiting code follows the mode's policy ([`Caller`]), as the
//! simulator does; cancelling a task is dropping its future, at the moment
//! the policy cancels it. A heartbeat every [`HEARTBEAT_MS`] measures how late the loop
//! answers. `spawn_run` returns a [`RunHandle`]; dropping it cancels the run:
//! every timer is cleared, every pool job aborted, and no event of that run
//! is emitted afterwards.

use std::cell::Cell;
use std::collections::VecDeque;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::future::{select, AbortHandle, Abortable, Either};
use futures::stream::{FuturesUnordered, StreamExt};
use wasm_bindgen_futures::spawn_local;

use super::clock::{now_ms, unix_now_ms};
use super::thread_pool::{Backend, Pool};
use super::timers::{sleep_ms, sleep_until};
use crate::domain::model::Outcome;
use crate::domain::modes::{Caller, Step};
use crate::domain::run::events::{EventKind, RunId, TraceEvent};
use crate::domain::scenario::{Kind, RunMode, Scenario};

/// How often the heartbeat asks the loop for a turn.
pub const HEARTBEAT_MS: u32 = 10;

/// Receives a run's events as they happen.
pub type Emit = Rc<dyn Fn(TraceEvent)>;

/// What a run needs besides its scenario.
pub struct RunSetup {
    pub mode: RunMode,
    pub run: RunId,
    pub emit: Emit,
    pub backend: Rc<dyn Backend>,
}

/// Keeps a run alive; dropping it cancels the run.
pub struct RunHandle {
    abort: AbortHandle,
    origin_ms: Rc<Cell<Option<f64>>>,
    stopped: Rc<Cell<bool>>,
}

impl RunHandle {
    /// Milliseconds since the run started (0 before its first poll).
    pub fn elapsed_ms(&self) -> f64 {
        self.origin_ms.get().map(|o| now_ms() - o).unwrap_or(0.0)
    }

    /// Cancels the run. Called from inside the run (from its `emit`), it
    /// also takes effect before the run's next step: no blocking call
    /// starts and no event is emitted after it.
    pub fn abort(&self) {
        self.stopped.set(true);
        self.abort.abort();
    }
}

impl Drop for RunHandle {
    fn drop(&mut self) {
        self.abort();
    }
}

/// Shared by every task of a run.
struct Ctx {
    origin_ms: f64,
    run: RunId,
    emit: Emit,
    pool: Pool,
    /// When the heartbeat's current timer is due (absolute ms).
    beat_due_ms: Cell<Option<f64>>,
    /// Set by the handle: an abort only takes effect when the run is next
    /// polled, and a chain of blocking calls runs within one poll.
    stopped: Rc<Cell<bool>>,
}

impl Ctx {
    fn since(&self) -> f64 {
        now_ms() - self.origin_ms
    }

    fn send(&self, kind: EventKind) {
        if self.stopped.get() {
            return;
        }
        (self.emit)(TraceEvent {
            run: self.run,
            kind,
        });
    }
}

/// Starts a run of `scenario`'s tasks, at their real durations.
pub fn spawn_run(scenario: Rc<Scenario>, setup: RunSetup) -> RunHandle {
    let (abort, registration) = AbortHandle::new_pair();
    let origin_ms = Rc::new(Cell::new(None));
    let origin = origin_ms.clone();
    let stopped = Rc::new(Cell::new(false));
    let stopped_here = stopped.clone();
    let RunSetup {
        mode,
        run,
        emit,
        backend,
    } = setup;
    let options = scenario.options;
    let threads = threads_needed(&scenario);
    let work = async move {
        // The clock starts when the run's threads can start: a worker
        // still loading would make the first run of a page look slow.
        let on_timers = match backend.ready(threads) {
            Ok(on_timers) => on_timers,
            Err(ready) => {
                emit(TraceEvent {
                    run,
                    kind: EventKind::WaitingForThreads { threads },
                });
                ready.await
            }
        };
        let start = now_ms();
        origin.set(Some(start));
        let pool = Pool::new(options.pool_size as usize, options.gil, backend);
        let ctx = Rc::new(Ctx {
            origin_ms: start,
            run,
            emit,
            pool,
            beat_due_ms: Cell::new(None),
            stopped: stopped_here,
        });
        ctx.send(EventKind::RunStarted {
            mode,
            started_unix_ms: unix_now_ms(),
        });
        if on_timers > 0 {
            ctx.send(EventKind::ThreadsOnTimers { threads: on_timers });
        }
        let main = Box::pin(drive(ctx.clone(), scenario, mode));
        let beat = Box::pin(heartbeat(ctx.clone()));
        // The heartbeat is polled first, so its first timer is set before
        // any task can block the loop; it stops when the last task is done.
        let _ = select(beat, main).await;
        // A run whose tasks block the loop to the end never lets the
        // heartbeat run: its overdue beat is the lag the loop had.
        let now = now_ms();
        if let Some(due) = ctx.beat_due_ms.get().filter(|&due| now > due) {
            ctx.send(EventKind::LoopLag {
                at_ms: now - ctx.origin_ms,
                lag_ms: now - due,
            });
        }
        ctx.send(EventKind::RunFinished { at_ms: ctx.since() });
    };
    spawn_local(async move {
        // An aborted run simply ends: dropping it clears its timers, and
        // dropping its pool aborts the pool's jobs.
        let _ = Abortable::new(work, registration).await;
    });
    RunHandle {
        abort,
        origin_ms,
        stopped,
    }
}

/// How many pool threads the run will use: one per offloaded task, at most
/// the pool's size (the pool hands out threads from the first).
fn threads_needed(scenario: &Scenario) -> usize {
    let offloaded = scenario
        .tasks
        .iter()
        .filter(|t| matches!(t.kind, Kind::Offloaded { .. }))
        .count();
    offloaded.min((scenario.options.pool_size as usize).max(1))
}

async fn heartbeat(ctx: Rc<Ctx>) {
    loop {
        let due = now_ms() + f64::from(HEARTBEAT_MS);
        ctx.beat_due_ms.set(Some(due));
        sleep_until(due).await;
        let answered = now_ms();
        ctx.send(EventKind::LoopLag {
            at_ms: answered - ctx.origin_ms,
            lag_ms: answered - due,
        });
    }
}

/// The awaiting code. What it does is the mode's policy ([`Caller`]);
/// this carries its steps out with real tasks: each runs as a [`Tracked`]
/// future in `running`, and under a limit (`Semaphore(n)`) a started task
/// waits in `queued` until a place is free. Dropping a task cancels it.
async fn drive(ctx: Rc<Ctx>, scenario: Rc<Scenario>, mode: RunMode) {
    let mut caller = Caller::new(mode, scenario.tasks.len(), &scenario.options);
    let limit = caller.options().limit.map_or(usize::MAX, |n| n as usize);
    let track = |i: usize| Tracked::new(ctx.clone(), i, scenario.clone());
    let mut running: FuturesUnordered<Tracked> = FuturesUnordered::new();
    let mut queued: VecDeque<usize> = VecDeque::new();
    let mut steps = caller.begin();
    // Set once the caller asked to resume: it does after the tasks that are
    // ready now had their turn, as asyncio runs the callbacks already in
    // its ready queue first.
    let mut resuming: Option<bool> = None;
    loop {
        while !steps.is_empty() {
            for step in std::mem::take(&mut steps) {
                match step {
                    Step::Start(i) if running.len() < limit => running.push(track(i)),
                    Step::Start(i) => queued.push_back(i),
                    Step::Take(index) => ctx.send(EventKind::ResultTaken { index }),
                    Step::CancelPending => {
                        // Dropping a task cancels it; it reports so itself.
                        running.clear();
                        for index in queued.drain(..) {
                            ctx.send(EventKind::TaskFinished {
                                index,
                                at_ms: ctx.since(),
                                outcome: Outcome::Cancelled,
                            });
                        }
                        let cancelled = caller.pending_tasks();
                        for &i in &cancelled {
                            caller.on_settled(i, Outcome::Cancelled);
                        }
                        for i in cancelled {
                            steps.extend(caller.on_done(i));
                        }
                    }
                    Step::Resume { raised } => resuming = Some(raised),
                }
            }
        }
        let Some(next) = next_ended(&mut running, resuming.is_some()).await else {
            if let Some(raised) = resuming.take() {
                ctx.send(EventKind::CallerResumed {
                    at_ms: ctx.since(),
                    raised,
                });
                steps = caller.on_resumed();
                continue;
            }
            break;
        };
        let (i, outcome) = next;
        // Its place is free: the first task in line takes it.
        if let Some(first) = queued.pop_front() {
            running.push(track(first));
        }
        caller.on_settled(i, outcome);
        steps = caller.on_done(i);
    }
}

/// The next task to end (`None`: none left); with `ready_only`, only one
/// that has ended already (`None`: none has).
fn next_ended(
    running: &mut FuturesUnordered<Tracked>,
    ready_only: bool,
) -> impl Future<Output = Option<(usize, Outcome)>> + '_ {
    poll_fn(move |cx| match running.poll_next_unpin(cx) {
        Poll::Pending if ready_only => Poll::Ready(None),
        other => other,
    })
}

/// A task as the awaiting code holds it. Dropping it before it is done is
/// cancelling it: it reports "cancelled" (or "timed out") at that moment,
/// even if it never started.
struct Tracked {
    ctx: Rc<Ctx>,
    index: usize,
    timed_out: Rc<Cell<bool>>,
    done: bool,
    body: Pin<Box<dyn Future<Output = Outcome>>>,
}

impl Tracked {
    fn new(ctx: Rc<Ctx>, index: usize, scenario: Rc<Scenario>) -> Self {
        let timed_out = Rc::new(Cell::new(false));
        let body = Box::pin(with_timeout(
            ctx.clone(),
            index,
            scenario,
            timed_out.clone(),
        ));
        Tracked {
            ctx,
            index,
            timed_out,
            done: false,
            body,
        }
    }
}

impl Tracked {
    fn finish(&mut self, outcome: Outcome) {
        self.done = true;
        self.ctx.send(EventKind::TaskFinished {
            index: self.index,
            at_ms: self.ctx.since(),
            outcome,
        });
    }
}

impl Future for Tracked {
    type Output = (usize, Outcome);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.body.as_mut().poll(cx) {
            Poll::Ready(outcome) => {
                self.finish(outcome);
                Poll::Ready((self.index, outcome))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if !self.done {
            let outcome = if self.timed_out.get() {
                Outcome::TimedOut
            } else {
                Outcome::Cancelled
            };
            self.finish(outcome);
        }
    }
}

/// `asyncio.wait_for(task(), timeout)`: the clock starts with the body.
async fn with_timeout(
    ctx: Rc<Ctx>,
    index: usize,
    scenario: Rc<Scenario>,
    timed_out: Rc<Cell<bool>>,
) -> Outcome {
    let Some(limit_ms) = scenario.tasks[index].real.timeout_ms else {
        return body(ctx, index, scenario).await;
    };
    let deadline = now_ms() + f64::from(limit_ms);
    let work = Box::pin(body(ctx, index, scenario));
    match select(work, sleep_until(deadline)).await {
        Either::Left((outcome, _)) => outcome,
        Either::Right((_, work)) => {
            timed_out.set(true);
            drop(work);
            Outcome::TimedOut
        }
    }
}

/// What task `index` does, by kind, at its real durations.
async fn body(ctx: Rc<Ctx>, index: usize, scenario: Rc<Scenario>) -> Outcome {
    ctx.send(EventKind::TaskStarted {
        index,
        at_ms: ctx.since(),
    });
    let task = &scenario.tasks[index];
    let d = task.real.duration_ms;
    match task.kind {
        Kind::Io => {
            sleep_ms(d).await;
            Outcome::Ok
        }
        Kind::Fail { .. } => {
            sleep_ms(d).await;
            Outcome::Failed
        }
        Kind::Blocking => {
            if ctx.stopped.get() {
                // Stopped by the task before it (within this poll): the
                // run is over, and the page must not freeze for it.
                std::future::pending::<()>().await;
            }
            // `time.sleep(d)` on the loop: the main thread does nothing else.
            let end = now_ms() + f64::from(d);
            while now_ms() < end {}
            Outcome::Ok
        }
        Kind::Offloaded { cpu } => {
            // A cancelled await leaves the job running, as a thread would.
            if let Ok(ran) = ctx.pool.submit(f64::from(d), cpu).await {
                ctx.send(EventKind::ThreadRan {
                    index,
                    start_ms: ran.start_ms - ctx.origin_ms,
                    end_ms: ran.end_ms - ctx.origin_ms,
                    held_ms: ran.held_ms,
                });
            }
            Outcome::Ok
        }
        Kind::Stream { items } => {
            let body_ms = task.real.body_ms;
            for _ in 0..items {
                sleep_ms(d).await;
                ctx.send(EventKind::StreamItem {
                    index,
                    at_ms: ctx.since(),
                });
                if body_ms > 0 {
                    sleep_ms(body_ms).await;
                }
            }
            Outcome::Ok
        }
    }
}
