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
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use futures::channel::{mpsc, oneshot};
use futures::future::{AbortHandle, Abortable};
use futures::StreamExt;
use wasm_bindgen_futures::spawn_local;

use super::clock::now_ms;
use super::fifo_semaphore::FifoSemaphore;
use super::timers::sleep_until;

/// CPython's `sys.getswitchinterval()`: how long a thread holds the GIL
/// before it must let a waiting one run.
pub const GIL_SLICE_MS: f64 = 5.0;

/// A job's (or a GIL slice's) run on its thread; resolves to when it
/// began and ended there.
pub type Work = Pin<Box<dyn Future<Output = Ran>>>;

/// When work ran on a thread, on the page's clock (ms), as the thread
/// reported it or as booked where no thread could say: from when its
/// thread began it (a whole CPU job under the GIL: took it and began asking
/// for the GIL) to its end, and how long of that it ran (less than the
/// span only when it took turns for the GIL).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ran {
    pub start_ms: f64,
    pub end_ms: f64,
    pub held_ms: f64,
}

impl Ran {
    /// Work that held its thread from `start_ms` to `end_ms`.
    pub fn whole(start_ms: f64, end_ms: f64) -> Ran {
        Ran {
            start_ms,
            end_ms,
            held_ms: end_ms - start_ms,
        }
    }
}

/// Work on timers from `start_ms` until `until_ms` (page clock).
pub fn on_timers(start_ms: f64, until_ms: f64) -> Work {
    Box::pin(async move {
        sleep_until(until_ms).await;
        Ran::whole(start_ms.min(until_ms), now_ms())
    })
}
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
        on_timers(start_ms.max(now_ms()), start_ms + ms)
    }
    fn wait(&self, _thread: usize, ms: f64) -> Work {
        let now = now_ms();
        on_timers(now, now + ms)
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

    /// Submits a job; the receiver resolves when it is done, with when it
    /// ran. Dropping the receiver does not stop the job.
    pub fn submit(&self, ms: f64, cpu: bool) -> oneshot::Receiver<Ran> {
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
            let ran = match (cpu, gil) {
                (true, Some(gil)) => gil.run(backend.clone(), thread, ms).await,
                (true, None) => backend.burn(thread, now_ms(), ms).await,
                (false, _) => backend.wait(thread, ms).await,
            };
            {
                let mut s = shared.borrow_mut();
                s.in_flight -= 1;
                s.free_threads.push(thread);
            }
            slots.release();
            let _ = tx.send(ran);
        };
        let (handle, registration) = AbortHandle::new_pair();
        self.shared.borrow_mut().jobs.push(handle);
        spawn_local(async move {
            let _ = Abortable::new(job, registration).await;
        });
        rx
    }
}

/// The GIL: the jobs taking turns, in turn order, and when the slice
/// last booked ends. Clones share it.
#[derive(Clone, Default)]
struct Gil(Rc<RefCell<GilState>>);

#[derive(Default)]
struct GilState {
    rotation: VecDeque<GilJob>,
    free_at_ms: f64,
    /// The booking task, while it runs.
    booking: Option<AbortHandle>,
}

/// A CPU-bound job under the GIL: its thread, its work not yet booked,
/// and where its booked slices go.
struct GilJob {
    thread: usize,
    left_ms: f64,
    slices: mpsc::UnboundedSender<Work>,
}

/// How far ahead of now GIL slices are booked: the page hands slices out
/// this long before they run, so a busy page (rendering, a slow task)
/// never leaves a thread idle waiting for its next slice. A thread that
/// starts asking for the GIL waits at most this long, where CPython's waits
/// at most one switch interval.
pub const GIL_BOOKED_AHEAD_MS: f64 = 40.0;

/// The most slices one thread has booked that have not ended: the one
/// running and those starting within [`GIL_BOOKED_AHEAD_MS`] (both ends
/// included).
pub const GIL_SLICES_IN_FLIGHT: usize = (GIL_BOOKED_AHEAD_MS / GIL_SLICE_MS) as usize + 2;

impl Gil {
    /// CPU work under the GIL, in slices of [`GIL_SLICE_MS`] taken in
    /// turns, as CPython's switch interval makes threads do: the job joins
    /// the rotation, and resolves when its last slice ends.
    fn run(&self, backend: Rc<dyn Backend>, thread: usize, ms: f64) -> impl Future<Output = Ran> {
        let taken_ms = now_ms();
        let (slices, mut booked) = mpsc::unbounded();
        if ms > 0.0 {
            let mut s = self.0.borrow_mut();
            s.rotation.push_back(GilJob {
                thread,
                left_ms: ms,
                slices,
            });
            if s.booking.is_none() {
                // A task of its own, queued behind the jobs started with
                // this one: they are all in the rotation when it books.
                let (handle, registration) = AbortHandle::new_pair();
                s.booking = Some(handle);
                let booking = Abortable::new(book_slices(self.0.clone(), backend), registration);
                spawn_local(async move {
                    let _ = booking.await;
                });
            }
        }
        async move {
            let mut job = Ran::whole(taken_ms, taken_ms);
            while let Some(slice) = booked.next().await {
                let ran = slice.await;
                job.held_ms += ran.held_ms;
                job.end_ms = job.end_ms.max(ran.end_ms);
            }
            job
        }
    }
}

/// Books the rotation's slices, one job's at a time in turn, each to start
/// when the one booked before it ends, up to [`GIL_BOOKED_AHEAD_MS`] ahead;
/// ends when no job has work left to book. Each worker starts its slice
/// then by its own clock: a hand-off costs no round trip through the page,
/// and a thread alone runs slice after slice with no gap. A slice is the
/// wall-clock interval it was booked for, as a burn without the GIL is;
/// only a page busy for longer than the horizon (a slice booked late)
/// stretches the jobs.
async fn book_slices(state: Rc<RefCell<GilState>>, backend: Rc<dyn Backend>) {
    loop {
        let free_at_ms = state.borrow().free_at_ms;
        sleep_until(free_at_ms - GIL_BOOKED_AHEAD_MS).await;
        let mut s = state.borrow_mut();
        let Some(mut job) = s.rotation.pop_front() else {
            s.booking = None;
            return;
        };
        // Its job was aborted (Stop, or the pool dropped).
        if job.slices.is_closed() {
            continue;
        }
        let this_ms = job.left_ms.min(GIL_SLICE_MS);
        job.left_ms -= this_ms;
        let start_ms = now_ms().max(s.free_at_ms);
        s.free_at_ms = start_ms + this_ms;
        let _ = job
            .slices
            .unbounded_send(backend.burn(job.thread, start_ms, this_ms));
        // A job with work left goes to the back; one without closes its
        // channel, so it ends once its slices have.
        if job.left_ms > 0.0 {
            s.rotation.push_back(job);
        }
    }
}

impl Gil {
    /// Stops booking (the pool is dropped: its jobs are aborted too).
    fn abort(&self) {
        if let Some(booking) = self.0.borrow_mut().booking.take() {
            booking.abort();
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        if let Some(gil) = &self.gil {
            gil.abort();
        }
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
