//! The executor behind `asyncio.to_thread`: `size` threads taking jobs in
//! arrival order, and, when the GIL is modelled, CPU-bound jobs taking turns
//! in 5 ms slices (CPython's default switch interval) while blocking waits
//! overlap freely. Where the work really happens is a [`Backend`]: Web
//! Workers in the app (`workers::pool_host`), or timers where workers cannot be
//! loaded (the browser test runner serves no worker files).
//!
//! A job keeps running when the task awaiting it is cancelled, as a Python
//! thread does; dropping the [`Pool`] (Stop, or the run's end) aborts them all.

use std::cell::RefCell;
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
    /// Occupy thread `thread` with CPU work for `ms` of wall time.
    fn burn(&self, thread: usize, ms: f64) -> Work;
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
    /// Whether jobs sent to one thread run one after another in the order
    /// sent, so a job may be sent before the one before it ends.
    fn runs_in_order(&self) -> bool {
        false
    }
}

/// Stands in for threads with timers: the loop stays free, as with real
/// threads, but no CPU is used.
pub struct TimerBackend;

impl Backend for TimerBackend {
    fn burn(&self, _thread: usize, ms: f64) -> Work {
        Box::pin(sleep_until(now_ms() + ms))
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
    gil: Option<FifoSemaphore>,
    backend: Rc<dyn Backend>,
    shared: Rc<RefCell<Shared>>,
}

impl Pool {
    pub fn new(size: usize, gil: bool, backend: Rc<dyn Backend>) -> Self {
        let size = size.max(1);
        Pool {
            slots: FifoSemaphore::new(size),
            gil: gil.then(|| FifoSemaphore::new(1)),
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
                (true, None) => backend.burn(thread, ms).await,
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

/// The longest slice a thread runs while no other thread waits for the
/// GIL. CPython's holder keeps the GIL with no hand-off until another
/// thread asks; here every slice is a message to the worker, so a lone
/// thread's slices grow (5, 10, 20 ms) to keep those messages few. A thread
/// that starts asking meanwhile waits for at most the running slice and
/// the one queued behind it.
pub const GIL_LONE_SLICE_MS: f64 = 20.0;

/// CPU work under the GIL: the thread runs slices of [`GIL_SLICE_MS`]
/// while it holds the GIL and lets a waiting thread have it after each.
/// Work done is what counts: a slice that starts late stretches the job in
/// wall time, as a GIL hand-off does. While no other thread waits, the
/// thread keeps the GIL, and a backend that runs a thread's jobs in order
/// gets the next slice before the current one ends (so the thread never
/// idles waiting for the page), with slices growing up to
/// [`GIL_LONE_SLICE_MS`].
async fn hold_gil_for(gil: &FifoSemaphore, backend: &dyn Backend, thread: usize, ms: f64) {
    let ahead_ok = backend.runs_in_order();
    let mut left = ms;
    let mut slice_ms = GIL_SLICE_MS;
    let mut slice = |left: &mut f64, alone: bool| {
        slice_ms = if alone && ahead_ok {
            (slice_ms * 2.0).min(GIL_LONE_SLICE_MS)
        } else {
            GIL_SLICE_MS
        };
        let this_ms = left.min(slice_ms);
        *left -= this_ms;
        backend.burn(thread, this_ms)
    };
    while left > 0.0 {
        gil.acquire().await;
        let mut current = slice(&mut left, false);
        // The first slice of a turn is never sent ahead of: threads that
        // started with this one have asked for the GIL by the time it ends.
        let mut pipelined = false;
        loop {
            let ahead = (pipelined && ahead_ok && left > 0.0 && !gil.has_waiters())
                .then(|| slice(&mut left, true));
            current.await;
            if let Some(next) = ahead {
                current = next;
            } else if left > 0.0 && !gil.has_waiters() {
                // Alone: no hand-off, the thread goes on holding the GIL.
                current = slice(&mut left, true);
                pipelined = true;
            } else {
                break;
            }
        }
        gil.release();
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
