//! The [`Backend`] that runs pool jobs in real Web Workers, one worker per
//! pool thread, so CPU work really leaves the main thread. Workers are
//! started ahead of time ([`prewarm`]) because a worker takes a moment to
//! load its wasm; jobs sent before it says "ready" wait for it. A worker
//! that cannot load (e.g. where no worker files are served) hands its jobs
//! to timers instead, so a run never hangs.
//!
//! Each playground owns its [`WorkerBackend`] (its own workers): several
//! playgrounds on one page must not share threads, and Stop in one replaces
//! only its own busy workers, never another playground's.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use futures::channel::oneshot;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use super::pool::{Backend, TimerBackend, Work};
use super::worker_thread::{BURN, WAIT};

/// Where trunk puts the worker's loader (relative to the page's base).
pub const LOADER: &str = "./worker_loader.js";

enum Health {
    Loading,
    Ready,
    Failed,
}

struct Thread {
    worker: Worker,
    health: Health,
    /// Jobs sent before the worker was ready.
    queued: Vec<js_sys::Array>,
    /// Jobs in flight on this worker, by id.
    in_flight: Vec<u32>,
    _handlers: Handlers,
}

/// The worker's message and error handlers, kept alive with it.
type Handlers = (
    Closure<dyn FnMut(MessageEvent)>,
    Closure<dyn FnMut(web_sys::Event)>,
);

struct Inner {
    /// URL of the worker loader script.
    loader: String,
    threads: Vec<Thread>,
    waiting: HashMap<u32, oneshot::Sender<()>>,
    next_id: u32,
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
        WorkerBackend {
            inner: Rc::new(RefCell::new(Inner {
                loader: loader.to_string(),
                threads: Vec::new(),
                waiting: HashMap::new(),
                next_id: 0,
            })),
        }
    }

    /// Makes sure at least `threads` workers are started.
    pub fn prewarm(&self, threads: usize) {
        let inner = &self.inner;
        while inner.borrow().threads.len() < threads {
            let index = inner.borrow().threads.len();
            match spawn(inner, index) {
                Some(thread) => inner.borrow_mut().threads.push(thread),
                None => break,
            }
        }
    }
}

impl Drop for Inner {
    /// The playground is gone (an unmounted embed): its workers go too.
    fn drop(&mut self) {
        for t in &self.threads {
            t.worker.terminate();
        }
    }
}

fn spawn(inner: &Rc<RefCell<Inner>>, index: usize) -> Option<Thread> {
    let loader = inner.borrow().loader.clone();
    let worker = Worker::new(&loader).ok()?;
    let on_message = {
        let inner = Rc::downgrade(inner);
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(inner) = inner.upgrade() else { return };
            let data = e.data();
            if data.as_string().as_deref() == Some("ready") {
                let queued = {
                    let mut i = inner.borrow_mut();
                    let t = &mut i.threads[index];
                    t.health = Health::Ready;
                    std::mem::take(&mut t.queued)
                };
                let i = inner.borrow();
                for job in queued {
                    let _ = i.threads[index].worker.post_message(&job);
                }
                return;
            }
            let id = data.as_f64().unwrap_or(-1.0) as u32;
            let sender = {
                let mut i = inner.borrow_mut();
                i.threads[index].in_flight.retain(|&j| j != id);
                i.waiting.remove(&id)
            };
            if let Some(tx) = sender {
                let _ = tx.send(());
            }
        })
    };
    let on_error = {
        let inner = Rc::downgrade(inner);
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            let Some(inner) = inner.upgrade() else { return };
            fail_over(&inner, index);
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Some(Thread {
        worker,
        health: Health::Loading,
        queued: Vec::new(),
        in_flight: Vec::new(),
        _handlers: (on_message, on_error),
    })
}

/// A worker that failed to load: its waiting jobs finish on timers.
fn fail_over(inner: &Rc<RefCell<Inner>>, index: usize) {
    let jobs = {
        let mut i = inner.borrow_mut();
        let t = &mut i.threads[index];
        t.health = Health::Failed;
        t.in_flight.clear();
        std::mem::take(&mut t.queued)
    };
    for job in jobs {
        let id = job.get(0).as_f64().unwrap_or(-1.0) as u32;
        let ms = job.get(2).as_f64().unwrap_or(0.0);
        let Some(tx) = inner.borrow_mut().waiting.remove(&id) else {
            continue;
        };
        wasm_bindgen_futures::spawn_local(async move {
            TimerBackend.wait(0, ms).await;
            let _ = tx.send(());
        });
    }
}

fn request(backend: &WorkerBackend, thread: usize, kind: u32, ms: f64) -> Work {
    backend.prewarm(thread + 1);
    let (tx, rx) = oneshot::channel();
    // A closure so `return` leaves only the attempt to send.
    let sent = (|| {
        let mut i = backend.inner.borrow_mut();
        let id = i.next_id;
        i.next_id = i.next_id.wrapping_add(1);
        let Some(t) = i.threads.get_mut(thread) else {
            return false;
        };
        let job = js_sys::Array::of3(&id.into(), &kind.into(), &ms.into());
        match t.health {
            Health::Failed => return false,
            Health::Loading => t.queued.push(job),
            Health::Ready => {
                if t.worker.post_message(&job).is_err() {
                    return false;
                }
            }
        }
        t.in_flight.push(id);
        i.waiting.insert(id, tx);
        true
    })();
    if !sent {
        return TimerBackend.wait(thread, ms);
    }
    Box::pin(async move {
        let _ = rx.await;
    })
}

impl Backend for WorkerBackend {
    fn burn(&self, thread: usize, ms: f64) -> Work {
        request(self, thread, BURN, ms)
    }

    fn wait(&self, thread: usize, ms: f64) -> Work {
        request(self, thread, WAIT, ms)
    }

    /// Stop: a busy worker cannot be interrupted, so it is replaced.
    fn abort_all(&self) {
        let inner = &self.inner;
        let busy: Vec<usize> = inner
            .borrow()
            .threads
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.in_flight.is_empty() || !t.queued.is_empty())
            .map(|(i, _)| i)
            .collect();
        for index in busy {
            let fresh = spawn(inner, index);
            let mut i = inner.borrow_mut();
            let old = &mut i.threads[index];
            old.worker.terminate();
            for id in std::mem::take(&mut old.in_flight) {
                i.waiting.remove(&id);
            }
            if let Some(fresh) = fresh {
                i.threads[index] = fresh;
            }
        }
    }
}
