//! Runs in the page: the [`Backend`] that runs pool jobs in real Web
//! Workers ([`super::pool_thread`]), one worker per pool thread, so CPU work really leaves the main thread. Workers are
//! started ahead of time ([`WorkerBackend::prewarm`]) because a worker takes
//! a moment to load its wasm, and a run waits for its threads
//! ([`Backend::ready`]) before its clock starts. Jobs sent before a worker
//! says "ready" wait for it; a worker runs its jobs one after another.
//!
//! Every job is answered. A worker is given up on when it cannot be
//! started, reports an error, is not ready within [`Limits::load_ms`], or
//! is [`Limits::grace_ms`] late with an answer: it is terminated and the
//! rest of each of its jobs runs on timers (the loop stays free, as with a
//! thread). A thread given up on gets a fresh worker on a later use, at
//! most once per [`Limits::retry_ms`].
//!
//! Each playground owns its [`WorkerBackend`] (its own workers): several
//! playgrounds on one page must not share threads, and Stop in one replaces
//! only its own busy workers, never another playground's.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::task::{Poll, Waker};

use futures::channel::oneshot;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use super::{BURN, READY, WAIT};
use crate::runtime::clock::{now_ms, time_origin_ms};
use crate::runtime::patience::{deadline, Deadline};
use crate::runtime::thread_pool::{on_timers, Backend, Ran, Ready, Work};
use crate::runtime::timers::sleep_until;

/// Where trunk puts the worker's loader (relative to the page's base).
pub const LOADER: &str = "./worker_loader.js";

/// How long the page waits on a worker before giving up on it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// A worker not ready this long after it was started is given up on.
    pub load_ms: u32,
    /// A worker this late with an answer is given up on.
    pub grace_ms: u32,
    /// A thread given up on gets no fresh worker sooner than this.
    pub retry_ms: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            load_ms: 5_000,
            grace_ms: 5_000,
            retry_ms: 1_000,
        }
    }
}

#[derive(PartialEq)]
enum Health {
    Loading,
    Ready,
    Failed,
}

/// One job given to a thread.
struct Job {
    id: u32,
    kind: u32,
    ms: f64,
    /// When the job is to start (page clock), unless its thread is busy.
    start_ms: f64,
    /// When the job should be done, after the jobs sent before it.
    due_ms: f64,
    /// Answered when the worker is done (with when it ran, as it says) or
    /// given up on; in the second case the job's future first waits on
    /// timers until `rest_until_ms`.
    reply: oneshot::Sender<Ran>,
    rest_until_ms: Rc<Cell<f64>>,
}

/// The worker's message and error handlers, kept alive with it.
type Handlers = (
    Closure<dyn FnMut(MessageEvent)>,
    Closure<dyn FnMut(web_sys::Event)>,
);

struct Thread {
    /// Tells this thread's current worker from the ones it replaced.
    serial: u64,
    health: Health,
    /// When it was given up on (see [`Limits::retry_ms`]).
    failed_at_ms: f64,
    jobs: Vec<Job>,
    worker: Option<(Worker, Handlers)>,
    /// When the last job sent should be done.
    busy_until_ms: f64,
    /// Gives the worker up if it is not ready, or has not answered, in time.
    watch: Option<Deadline>,
}

impl Thread {
    /// When a job booked for `start_ms` .. `start_ms + ms` should be done:
    /// then, or when the jobs sent before it are, counted as sent.
    fn book(&mut self, start_ms: f64, ms: f64) -> f64 {
        self.busy_until_ms = self.busy_until_ms.max(start_ms + ms);
        self.busy_until_ms
    }

    /// Stops the worker; events it already queued find no handler.
    fn retire(&mut self) {
        if let Some((worker, _)) = self.worker.take() {
            worker.set_onmessage(None);
            worker.set_onerror(None);
            worker.terminate();
        }
        self.watch = None;
    }
}

struct Inner {
    /// URL of the worker loader script.
    loader: String,
    limits: Limits,
    threads: Vec<Thread>,
    /// Woken whenever a thread stops loading.
    settled: Vec<Waker>,
    next_id: u32,
    next_serial: u64,
}

/// One playground's workers; the same set is shared by all its runs.
/// Cloning gives another handle to the same workers.
#[derive(Clone)]
pub struct WorkerBackend {
    inner: Rc<RefCell<Inner>>,
}

impl PartialEq for WorkerBackend {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Default for WorkerBackend {
    fn default() -> Self {
        WorkerBackend::new(LOADER)
    }
}

impl WorkerBackend {
    /// A new, empty set of workers loaded from `loader` (a URL).
    pub fn new(loader: &str) -> Self {
        WorkerBackend::with_limits(loader, Limits::default())
    }

    /// The same, with other patience.
    pub fn with_limits(loader: &str, limits: Limits) -> Self {
        WorkerBackend {
            inner: Rc::new(RefCell::new(Inner {
                loader: loader.to_string(),
                limits,
                threads: Vec::new(),
                settled: Vec::new(),
                next_id: 0,
                next_serial: 0,
            })),
        }
    }

    /// Where workers started from now on load from (running ones stay).
    pub fn set_loader(&self, loader: &str) {
        self.inner.borrow_mut().loader = loader.to_string();
    }

    /// Makes sure the first `threads` threads have a worker that is
    /// loading or ready, restarting ones given up on (see [`Limits`]).
    pub fn prewarm(&self, threads: usize) {
        for index in 0..threads {
            start_if_due(&self.inner, index);
        }
    }
}

impl Drop for Inner {
    /// The playground is gone (an unmounted embed): its workers go too.
    fn drop(&mut self) {
        self.threads.iter_mut().for_each(Thread::retire);
    }
}

/// Gives thread `index` a worker that starts loading if it is new or was
/// given up on long enough ago.
fn start_if_due(inner: &Rc<RefCell<Inner>>, index: usize) {
    let i = inner.borrow();
    let retry_ms = f64::from(i.limits.retry_ms);
    let due = match i.threads.get(index) {
        None => true,
        Some(t) => t.health == Health::Failed && now_ms() - t.failed_at_ms >= retry_ms,
    };
    if due {
        drop(i);
        start(inner, index);
    }
}

/// Starts a worker for thread `index` (added if new), marking the thread
/// failed if the worker cannot even be constructed.
fn start(inner: &Rc<RefCell<Inner>>, index: usize) {
    let mut i = inner.borrow_mut();
    i.next_serial += 1;
    let serial = i.next_serial;
    let load_ms = f64::from(i.limits.load_ms);
    let weak = Rc::downgrade(inner);
    let worker = Worker::new(&i.loader).ok().map(|worker| {
        let on_message = {
            let weak = weak.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                if let Some(inner) = weak.upgrade() {
                    on_message(&inner, index, serial, e.data());
                }
            })
        };
        let on_error = {
            let weak = weak.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
                // Handled here: the jobs finish on timers.
                e.prevent_default();
                if let Some(inner) = weak.upgrade() {
                    give_up(&inner, index, serial);
                }
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        (worker, (on_message, on_error))
    });
    let thread = Thread {
        serial,
        health: if worker.is_some() {
            Health::Loading
        } else {
            Health::Failed
        },
        failed_at_ms: now_ms(),
        jobs: Vec::new(),
        watch: worker
            .is_some()
            .then(|| watch(weak, index, serial, load_ms)),
        worker,
        busy_until_ms: 0.0,
    };
    match i.threads.get_mut(index) {
        Some(old) => {
            old.retire();
            *old = thread;
        }
        None => i.threads.push(thread),
    }
}

/// Gives thread `index`'s worker `serial` up unless, `after_ms` from now,
/// it has said "ready" and answered every job.
fn watch(inner: Weak<RefCell<Inner>>, index: usize, serial: u64, after_ms: f64) -> Deadline {
    deadline(after_ms, move || {
        let Some(inner) = inner.upgrade() else { return };
        let late = inner.borrow().threads.get(index).is_some_and(|t| {
            t.serial == serial && (t.health == Health::Loading || !t.jobs.is_empty())
        });
        if late {
            give_up(&inner, index, serial);
        }
    })
}

/// Re-arms the watch for the thread's last job, or drops it when idle.
fn rewatch(inner: &Rc<RefCell<Inner>>, t: &mut Thread, index: usize, grace_ms: u32) {
    t.watch = (!t.jobs.is_empty()).then(|| {
        let after_ms = t.busy_until_ms - now_ms() + f64::from(grace_ms);
        watch(Rc::downgrade(inner), index, t.serial, after_ms)
    });
}

/// Posts `job` to the thread's worker.
fn post(t: &mut Thread, job: &mut Job) -> bool {
    let Some((worker, _)) = &t.worker else {
        return false;
    };
    // Never in the past (jobs held while the worker loaded start now), and
    // on the Unix epoch's scale: the worker's clock has another origin.
    job.start_ms = job.start_ms.max(now_ms());
    let start = time_origin_ms() + job.start_ms;
    let message = js_sys::Array::of4(
        &job.id.into(),
        &job.kind.into(),
        &job.ms.into(),
        &start.into(),
    );
    if worker.post_message(&message).is_err() {
        return false;
    }
    job.due_ms = t.book(job.start_ms, job.ms);
    true
}

fn on_message(inner: &Rc<RefCell<Inner>>, index: usize, serial: u64, data: JsValue) {
    let mut i = inner.borrow_mut();
    let grace_ms = i.limits.grace_ms;
    let Some(t) = i.threads.get_mut(index).filter(|t| t.serial == serial) else {
        return;
    };
    if data.as_string().as_deref() == Some(READY) {
        if t.health != Health::Loading {
            return;
        }
        t.health = Health::Ready;
        // The queued jobs start now, one after another.
        t.busy_until_ms = 0.0;
        let mut jobs = std::mem::take(&mut t.jobs);
        let sent = jobs.iter_mut().all(|job| post(t, job));
        t.jobs = jobs;
        rewatch(inner, t, index, grace_ms);
        drop(i);
        if !sent {
            give_up(inner, index, serial);
        }
        wake_settled(inner);
        return;
    }
    // `[id, start, end]`, the times in ms since the Unix epoch, or a bare
    // id (a worker that does not time its jobs).
    let answer = js_sys::Array::is_array(&data).then(|| js_sys::Array::from(&data));
    let id = answer.as_ref().map_or(data, |a| a.get(0));
    let id = id.as_f64().unwrap_or(-1.0) as u32;
    let Some(at) = t.jobs.iter().position(|j| j.id == id) else {
        return;
    };
    let job = t.jobs.remove(at);
    rewatch(inner, t, index, grace_ms);
    drop(i);
    // No times (NaN): the job is timed as booked.
    let origin = time_origin_ms();
    let time = |at| {
        answer
            .as_ref()
            .and_then(|a| a.get(at).as_f64())
            .unwrap_or(f64::NAN)
            - origin
    };
    let _ = job.reply.send(Ran::whole(time(1), time(2)));
}

/// Gives thread `index`'s worker `serial` up: it is terminated and the
/// rest of each of its jobs runs on timers.
fn give_up(inner: &Rc<RefCell<Inner>>, index: usize, serial: u64) {
    let jobs = {
        let mut i = inner.borrow_mut();
        let Some(t) = i.threads.get_mut(index).filter(|t| t.serial == serial) else {
            return;
        };
        t.health = Health::Failed;
        t.failed_at_ms = now_ms();
        t.retire();
        std::mem::take(&mut t.jobs)
    };
    for job in jobs {
        job.rest_until_ms.set(job.due_ms);
        let _ = job.reply.send(Ran::whole(f64::NAN, f64::NAN));
    }
    wake_settled(inner);
}

/// How many of the first `threads` threads run on timers, once none of
/// them is loading.
fn settled(i: &Inner, threads: usize) -> Option<usize> {
    let mut failed = 0;
    for t in i.threads.iter().take(threads) {
        match t.health {
            Health::Loading => return None,
            Health::Ready => {}
            Health::Failed => failed += 1,
        }
    }
    Some(failed)
}

fn wake_settled(inner: &Rc<RefCell<Inner>>) {
    let wakers = std::mem::take(&mut inner.borrow_mut().settled);
    wakers.into_iter().for_each(Waker::wake);
}

fn request(backend: &WorkerBackend, thread: usize, kind: u32, start_ms: f64, ms: f64) -> Work {
    let inner = &backend.inner;
    // New threads start here; failed ones wait for the next run's `ready`.
    while inner.borrow().threads.len() <= thread {
        let index = inner.borrow().threads.len();
        start(inner, index);
    }
    let (reply, answer) = oneshot::channel();
    let rest_until_ms = Rc::new(Cell::new(0.0));
    let mut i = inner.borrow_mut();
    i.next_id = i.next_id.wrapping_add(1);
    let mut job = Job {
        id: i.next_id,
        kind,
        ms,
        start_ms,
        due_ms: 0.0,
        reply,
        rest_until_ms: rest_until_ms.clone(),
    };
    let grace_ms = i.limits.grace_ms;
    let booked_ms = now_ms().max(start_ms);
    let Some(t) = i.threads.get_mut(thread) else {
        return on_timers(booked_ms, booked_ms + ms);
    };
    let taken = match t.health {
        // Counted from now; booked again when posted.
        Health::Loading => {
            job.due_ms = t.book(start_ms, ms);
            true
        }
        Health::Ready => post(t, &mut job),
        Health::Failed => false,
    };
    if !taken {
        // On timers, after the thread's earlier jobs.
        let until_ms = t.book(start_ms, ms);
        return on_timers((until_ms - ms).max(booked_ms), until_ms);
    }
    t.jobs.push(job);
    if t.health == Health::Ready {
        rewatch(inner, t, thread, grace_ms);
    }
    Box::pin(async move {
        let said = answer.await.ok().filter(|r| r.start_ms <= r.end_ms);
        sleep_until(rest_until_ms.get()).await;
        // A worker given up on says nothing: the job ran as booked.
        said.unwrap_or_else(|| Ran::whole(booked_ms, now_ms()))
    })
}

impl Backend for WorkerBackend {
    fn burn(&self, thread: usize, start_ms: f64, ms: f64) -> Work {
        request(self, thread, BURN, start_ms, ms)
    }

    fn wait(&self, thread: usize, ms: f64) -> Work {
        request(self, thread, WAIT, now_ms(), ms)
    }

    /// Ready once none of the first `threads` threads is loading; the
    /// output is how many of them run their jobs on timers.
    fn ready(&self, threads: usize) -> Result<usize, Ready> {
        self.prewarm(threads);
        if let Some(on_timers) = settled(&self.inner.borrow(), threads) {
            return Ok(on_timers);
        }
        let inner = Rc::downgrade(&self.inner);
        Err(Box::pin(std::future::poll_fn(move |cx| {
            let Some(inner) = inner.upgrade() else {
                return Poll::Ready(0);
            };
            let mut i = inner.borrow_mut();
            match settled(&i, threads) {
                Some(on_timers) => Poll::Ready(on_timers),
                None => {
                    i.settled.push(cx.waker().clone());
                    Poll::Pending
                }
            }
        })))
    }

    /// Stop: a busy worker cannot be interrupted, so it is replaced (its
    /// jobs' answers are no longer awaited).
    fn abort_all(&self) {
        let busy: Vec<usize> = (self.inner.borrow().threads.iter().enumerate())
            .filter(|(_, t)| !t.jobs.is_empty())
            .map(|(index, _)| index)
            .collect();
        for index in busy {
            start(&self.inner, index);
        }
        wake_settled(&self.inner);
    }
}
