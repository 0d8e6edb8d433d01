//! The executor behind `asyncio.to_thread`: `size` threads taking jobs in
//! arrival order, and, when the GIL is modelled, CPU-bound jobs taking turns
//! in 5 ms slices (CPython's default switch interval) while blocking waits
//! overlap freely. Where the work really happens is a [`Backend`]: Web
//! Workers in the app (`workers::pool_host`), or timers where workers cannot be
//! loaded (the browser test runner serves no worker files).
//!
//! A job keeps running when the task awaiting it is cancelled, as a Python
//! thread does; dropping the [`Pool`] (Stop, or the run's end) aborts them all.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use futures::channel::oneshot;
use futures::future::{AbortHandle, Abortable};
use wasm_bindgen_futures::spawn_local;

use super::clock::now_ms;
use super::fifo_semaphore::FifoSemaphore;
use super::timers::sleep_until;

/// CPython's `sys.getswitchinterval()`: how long a thread holds the GIL
/// before it must let a waiting one run.
pub const GIL_SLICE_MS: f64 = 5.0;

pub type Work = Pin<Box<dyn Future<Output = ()>>>;
/// Resolves to how many of the threads asked for run their jobs on timers
/// (their workers could not start).
pub type Ready = Pin<Box<dyn Future<Output = usize>>>;

/// Where a pool thread's work runs.
pub trait Backend {
    /// Occupy thread `thread` with CPU work from `start_ms` (the page's
    /// clock, now or later) to `start_ms + ms`, or until the thread's jobs
    /// sent before this one end if that is later. A start in the future
    /// lets a job be sent ahead of its turn.
    fn burn(&self, thread: usize, start_ms: f64, ms: f64) -> Work;
    /// Block thread `thread` in a wait (like `time.sleep`) for `ms`.
    fn wait(&self, thread: usize, ms: f64) -> Work;
    /// Whether the first `threads` threads can start a job at once (a
    /// run's clock starts then, not while its workers still load): `Ok`
    /// with how many of them stand in with timers, or what to await first.
    fn ready(&self, _threads: usize) -> Result<usize, Ready> {
        Ok(0)
    }
    /// Called when the pool is dropped with jobs in flight.
    fn abort_all(&self) {}
}

/// Stands in for threads with timers: the loop stays free, as with real
/// threads, but no CPU is used.
pub struct TimerBackend;

impl Backend for TimerBackend {
    fn burn(&self, _thread: usize, start_ms: f64, ms: f64) -> Work {
        Box::pin(sleep_until(start_ms + ms))
    }
    fn wait(&self, _thread: usize, ms: f64) -> Work {
        Box::pin(sleep_until(now_ms() + ms))
    }
}

struct Shared {
    free_threads: Vec<usize>,
    jobs: Vec<AbortHandle>,
    in_flight: usize,
}

/// A run's executor.
pub struct Pool {
    slots: FifoSemaphore,
    gil: Option<Gil>,
    backend: Rc<dyn Backend>,
    shared: Rc<RefCell<Shared>>,
}

impl Pool {
    pub fn new(size: usize, gil: bool, backend: Rc<dyn Backend>) -> Self {
        let size = size.max(1);
        Pool {
            slots: FifoSemaphore::new(size),
            gil: gil.then(Gil::default),
            backend,
            shared: Rc::new(RefCell::new(Shared {
                free_threads: (0..size).rev().collect(),
                jobs: Vec::new(),
                in_flight: 0,
            })),
        }
    }

    /// Submits a job; the receiver resolves when it is done. Dropping the
    /// receiver does not stop the job.
    pub fn submit(&self, ms: f64, cpu: bool) -> oneshot::Receiver<()> {
        let (tx, rx) = oneshot::channel();
        let (slots, gil, backend, shared) = (
            self.slots.clone(),
            self.gil.clone().filter(|_| cpu),
            self.backend.clone(),
            self.shared.clone(),
        );
        let job = async move {
            slots.acquire().await;
            let thread = {
                let mut s = shared.borrow_mut();
                s.in_flight += 1;
                s.free_threads.pop().unwrap_or(0)
            };
            match (cpu, gil) {
                (true, Some(gil)) => hold_gil_for(&gil, &*backend, thread, ms).await,
                (true, None) => backend.burn(thread, now_ms(), ms).await,
                (false, _) => backend.wait(thread, ms).await,
            }
            {
                let mut s = shared.borrow_mut();
                s.in_flight -= 1;
                s.free_threads.push(thread);
            }
            slots.release();
            let _ = tx.send(());
        };
        let (handle, registration) = AbortHandle::new_pair();
        self.shared.borrow_mut().jobs.push(handle);
        spawn_local(async move {
            let _ = Abortable::new(job, registration).await;
        });
        rx
    }
}

/// The GIL: whose turn it is, and when the slice last handed out ends.
#[derive(Clone)]
struct Gil {
    turn: FifoSemaphore,
    free_at_ms: Rc<Cell<f64>>,
}

impl Default for Gil {
    fn default() -> Self {
        Gil {
            turn: FifoSemaphore::new(1),
            free_at_ms: Rc::new(Cell::new(0.0)),
        }
    }
}

/// How far ahead of now GIL slices are booked: the page hands slices out
/// this long before they run, so a busy page (rendering, a slow task)
/// never leaves a thread idle waiting for its next slice. A thread that
/// starts asking for the GIL waits at most this long, where CPython's waits
/// at most one switch interval.
pub const GIL_BOOKED_AHEAD_MS: f64 = 40.0;

/// The most slices one thread has sent and not yet seen end: those that
/// fit in [`GIL_BOOKED_AHEAD_MS`] and the one running.
pub const GIL_SLICES_IN_FLIGHT: usize = (GIL_BOOKED_AHEAD_MS / GIL_SLICE_MS) as usize + 1;

/// CPU work under the GIL, in slices of [`GIL_SLICE_MS`] taken in turns
/// (first come, first served), as CPython's switch interval makes threads
/// do. Each slice is booked to start when the slice booked before it (any
/// thread's) ends, up to [`GIL_BOOKED_AHEAD_MS`] ahead, and its worker
/// starts it then by its own clock: a hand-off costs no round trip
/// through the page, and a thread alone runs slice after slice with no
/// gap. A slice is the wall-clock interval it was booked for, as a burn
/// without the GIL is; only a slice the page books late (it was busy for
/// longer than the booking horizon) stretches the job.
async fn hold_gil_for(gil: &Gil, backend: &dyn Backend, thread: usize, ms: f64) {
    let mut left = ms;
    let mut sent: VecDeque<Work> = VecDeque::new();
    while left > 0.0 {
        if sent.len() >= GIL_SLICES_IN_FLIGHT {
            if let Some(oldest) = sent.pop_front() {
                oldest.await;
            }
        }
        gil.turn.acquire().await;
        sleep_until(gil.free_at_ms.get() - GIL_BOOKED_AHEAD_MS).await;
        let this_ms = left.min(GIL_SLICE_MS);
        left -= this_ms;
        let start_ms = now_ms().max(gil.free_at_ms.get());
        gil.free_at_ms.set(start_ms + this_ms);
        sent.push_back(backend.burn(thread, start_ms, this_ms));
        gil.turn.release();
        if sent.len() == 1 {
            // After its first turn a job waits a task before asking again,
            // so that threads started in the same task as it get their
            // first turns (booked back to back) before its second. Later
            // turns are asked for at once: a page that fell behind books up
            // to the horizon in one go.
            sleep_until(now_ms() + 0.01).await;
        }
    }
    for slice in sent {
        slice.await;
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        let busy = {
            let s = self.shared.borrow();
            for job in &s.jobs {
                job.abort();
            }
            s.in_flight > 0
        };
        if busy {
            self.backend.abort_all();
        }
    }
}
