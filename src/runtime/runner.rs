//! The real runner: performs a run on the browser's event loop, in any run
//! mode, and stamps what happens with `performance.now()`.
//!
//! Each task kind does for real what its Python counterpart does: an I/O
//! wait is a [`sleep_ms`] on the shared timer queue; a blocking call
//! busy-waits on the main thread, so every timer due meanwhile fires late;
//! an offloaded call runs in the [`Pool`]; a stream yields items on timers.
//! Cancelling a task is dropping its future, at the moment asyncio would
//! cancel it. A heartbeat every [`HEARTBEAT_MS`] measures how late the loop
//! answers. `spawn_run` returns a [`RunHandle`]; dropping it cancels the run:
//! every timer is cleared, every pool job aborted, and no event of that run
//! is emitted afterwards.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::future::{select, AbortHandle, Abortable, Either};
use futures::stream::{FuturesUnordered, StreamExt};
use wasm_bindgen_futures::spawn_local;

use super::clock::{now_ms, unix_now_ms};
use super::pool::{Backend, Pool};
use super::timers::{sleep_ms, sleep_until};
use crate::domain::scenario::{RunMode, RunOptions};
use crate::domain::simulate::{Outcome, SpecKind, TaskSpec};
use crate::domain::trace::{EventKind, RunId, TraceEvent};

/// How often the heartbeat asks the loop for a turn.
pub const HEARTBEAT_MS: u32 = 10;

/// Receives a run's events as they happen.
pub type Emit = Rc<dyn Fn(TraceEvent)>;

/// What a run needs besides its tasks.
pub struct RunSetup {
    pub mode: RunMode,
    pub options: RunOptions,
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

/// Starts a run of `tasks` (durations already scaled).
pub fn spawn_run(tasks: Vec<TaskSpec>, setup: RunSetup) -> RunHandle {
    let (abort, registration) = AbortHandle::new_pair();
    let origin_ms = Rc::new(Cell::new(None));
    let origin = origin_ms.clone();
    let stopped = Rc::new(Cell::new(false));
    let stopped_here = stopped.clone();
    let RunSetup {
        mode,
        options,
        run,
        emit,
        backend,
    } = setup;
    let threads = threads_needed(&tasks, options);
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
        let main = Box::pin(drive(ctx.clone(), tasks, mode, options));
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
fn threads_needed(tasks: &[TaskSpec], options: RunOptions) -> usize {
    let offloaded = tasks
        .iter()
        .filter(|t| matches!(t.kind, SpecKind::Offloaded { .. }))
        .count();
    offloaded.min((options.pool_size as usize).max(1))
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

fn failed(outcome: Outcome) -> bool {
    matches!(outcome, Outcome::Failed | Outcome::TimedOut)
}

/// The awaiting code of each mode.
async fn drive(ctx: Rc<Ctx>, tasks: Vec<TaskSpec>, mode: RunMode, options: RunOptions) {
    let n = tasks.len();
    let catch = options.return_exceptions;
    let make = |i: usize| Tracked::new(ctx.clone(), i, tasks[i]);
    let caller = |raised: bool| {
        ctx.send(EventKind::CallerResumed {
            at_ms: ctx.since(),
            raised,
        })
    };
    let taken = |index: usize| ctx.send(EventKind::ResultTaken { index });
    match mode {
        RunMode::Sequential => {
            for i in 0..n {
                let outcome = make(i).await.1;
                taken(i);
                if failed(outcome) && !catch {
                    caller(true);
                    return;
                }
            }
            caller(false);
        }
        RunMode::Gather | RunMode::Bounded => {
            // Semaphore(n) behaves like starting the next queued task
            // whenever one finishes: FIFO, at the same instant.
            let limit = if mode == RunMode::Bounded {
                (options.limit as usize).max(1)
            } else {
                n
            };
            let mut running: FuturesUnordered<Tracked> = (0..n.min(limit)).map(make).collect();
            let mut next = n.min(limit);
            let mut raised = false;
            while let Some((_, outcome)) = running.next().await {
                if next < n {
                    running.push(make(next));
                    next += 1;
                }
                if failed(outcome) && !catch && !raised {
                    raised = true;
                    caller(true);
                }
            }
            if !raised {
                (0..n).for_each(taken);
                caller(false);
            }
        }
        RunMode::CreateTask => {
            let mut running: FuturesUnordered<Tracked> = (0..n).map(make).collect();
            let mut outcomes = vec![None; n];
            let mut next_awaited = 0;
            let mut decided = false;
            while let Some((i, outcome)) = running.next().await {
                outcomes[i] = Some(outcome);
                // The caller awaits the tasks in list order.
                while !decided && next_awaited < n {
                    let Some(o) = outcomes[next_awaited] else {
                        break;
                    };
                    taken(next_awaited);
                    next_awaited += 1;
                    if failed(o) && !catch {
                        decided = true;
                        caller(true);
                    }
                }
                if !decided && next_awaited == n {
                    decided = true;
                    caller(false);
                }
            }
        }
        RunMode::TaskGroup => {
            let mut running: FuturesUnordered<Tracked> = (0..n).map(make).collect();
            let mut raised = false;
            while let Some((i, outcome)) = running.next().await {
                if failed(outcome) {
                    raised = true;
                    // The group cancels every task still running.
                    running.clear();
                } else if outcome == Outcome::Ok {
                    taken(i);
                }
            }
            caller(raised);
        }
        RunMode::AsCompleted => {
            let mut running: FuturesUnordered<Tracked> = (0..n).map(make).collect();
            let mut decided = false;
            let mut received = 0;
            while let Some((i, outcome)) = running.next().await {
                if decided {
                    continue;
                }
                taken(i);
                received += 1;
                if failed(outcome) && !catch {
                    decided = true;
                    caller(true);
                } else if received == n {
                    decided = true;
                    caller(false);
                }
            }
        }
        RunMode::WaitFirst => {
            let mut running: FuturesUnordered<Tracked> = (0..n).map(make).collect();
            let mut decided = false;
            while let Some((i, _)) = running.next().await {
                if !decided {
                    decided = true;
                    taken(i);
                    caller(false);
                    if options.cancel_pending {
                        running.clear();
                    }
                }
            }
        }
    }
    if n == 0 {
        caller(false);
    }
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
    fn new(ctx: Rc<Ctx>, index: usize, spec: TaskSpec) -> Self {
        let timed_out = Rc::new(Cell::new(false));
        let body = Box::pin(with_timeout(ctx.clone(), index, spec, timed_out.clone()));
        Tracked {
            ctx,
            index,
            timed_out,
            done: false,
            body,
        }
    }
}

impl Future for Tracked {
    type Output = (usize, Outcome);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.body.as_mut().poll(cx) {
            Poll::Ready(outcome) => {
                self.done = true;
                let at_ms = self.ctx.since();
                self.ctx.send(EventKind::TaskFinished {
                    index: self.index,
                    at_ms,
                    outcome,
                });
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
            self.ctx.send(EventKind::TaskFinished {
                index: self.index,
                at_ms: self.ctx.since(),
                outcome,
            });
        }
    }
}

/// `asyncio.wait_for(task(), timeout)`: the clock starts with the body.
async fn with_timeout(
    ctx: Rc<Ctx>,
    index: usize,
    spec: TaskSpec,
    timed_out: Rc<Cell<bool>>,
) -> Outcome {
    let Some(limit_ms) = spec.timeout_ms else {
        return body(ctx, index, spec).await;
    };
    let deadline = now_ms() + f64::from(limit_ms);
    let work = Box::pin(body(ctx, index, spec));
    match select(work, sleep_until(deadline)).await {
        Either::Left((outcome, _)) => outcome,
        Either::Right((_, work)) => {
            timed_out.set(true);
            drop(work);
            Outcome::TimedOut
        }
    }
}

/// What the task does, by kind.
async fn body(ctx: Rc<Ctx>, index: usize, spec: TaskSpec) -> Outcome {
    ctx.send(EventKind::TaskStarted {
        index,
        at_ms: ctx.since(),
    });
    let d = spec.duration_ms;
    match spec.kind {
        SpecKind::Io => {
            sleep_ms(d).await;
            Outcome::Ok
        }
        SpecKind::Fail => {
            sleep_ms(d).await;
            Outcome::Failed
        }
        SpecKind::Blocking => {
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
        SpecKind::Offloaded { cpu } => {
            // A cancelled await leaves the job running, as a thread would.
            let _ = ctx.pool.submit(f64::from(d), cpu).await;
            Outcome::Ok
        }
        SpecKind::Stream { items, body_ms } => {
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
