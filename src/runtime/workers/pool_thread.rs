//! Runs inside a pool worker (`src/bin/worker.rs`): one thread of the
//! `to_thread` pool. It answers `[id, kind, ms, start]` jobs one at a time,
//! in the order sent: [`BURN`] burns the CPU (a busy loop, like Python code
//! holding the thread), [`WAIT`] waits (like `time.sleep` in a thread),
//! from `start` (ms since the Unix epoch on the performance clock) until
//! `start + ms`, then it posts `[id, began, ended]` back: when the job
//! really ran, on the same scale. The times are the wall-clock
//! interval the page booked: the page sends the next GIL slice ahead, and
//! the worker starts it on time without waiting to hear from the page; a
//! job the worker reaches late still ends on time (as a busy loop on the
//! wall clock does when the system lets it run less). The page's side is
//! [`super::pool_host`].

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsValue;
use web_sys::{DedicatedWorkerGlobalScope, Performance};

use super::serve::serve;
use super::{BURN, WAIT};

/// Before a job's start, the worker sleeps on a timer until this close to
/// it and busy-waits the rest: worker timers can fire a millisecond late.
const SPIN_MS: f64 = 1.5;

struct Job {
    id: JsValue,
    kind: u32,
    ms: f64,
    /// On this worker's clock.
    start_ms: f64,
}

impl Job {
    fn end_ms(&self) -> f64 {
        self.start_ms + self.ms
    }
}

struct Queue {
    jobs: VecDeque<Job>,
    /// A job is under way (or its start awaited): later ones wait.
    busy: bool,
    scope: DedicatedWorkerGlobalScope,
    /// One Performance object for the worker's life: a getter per turn
    /// allocates, and the garbage collector then runs between jobs,
    /// stretching every GIL slice by a millisecond or more.
    performance: Option<Performance>,
}

pub fn start() {
    let mut queue: Option<Rc<RefCell<Queue>>> = None;
    serve(move |data, scope| {
        let queue = queue.get_or_insert_with(|| {
            Rc::new(RefCell::new(Queue {
                jobs: VecDeque::new(),
                busy: false,
                scope: scope.clone(),
                performance: scope.performance(),
            }))
        });
        let job = js_sys::Array::from(&data);
        let origin = queue
            .borrow()
            .performance
            .as_ref()
            .map_or(0.0, Performance::time_origin);
        let start_ms = job.get(3).as_f64().map_or(0.0, |at| at - origin);
        queue.borrow_mut().jobs.push_back(Job {
            id: job.get(0),
            kind: job.get(1).as_f64().map_or(BURN, |k| k as u32),
            ms: job.get(2).as_f64().unwrap_or(0.0).max(0.0),
            start_ms,
        });
        if !queue.borrow().busy {
            next(queue.clone());
        }
    });
}

/// Runs the queue's jobs in order until it is empty or a job's start is
/// awaited on a timer (which calls this again).
fn next(queue: Rc<RefCell<Queue>>) {
    loop {
        let mut q = queue.borrow_mut();
        let Some(job) = q.jobs.pop_front() else {
            q.busy = false;
            return;
        };
        q.busy = true;
        let now = q.performance.as_ref().map_or(0.0, Performance::now);
        let origin = q.performance.as_ref().map_or(0.0, Performance::time_origin);
        // A job reached late starts now (and still ends on time).
        let began = origin + now.max(job.start_ms);
        let sleep_ms = (job.start_ms - now - SPIN_MS).floor();
        if sleep_ms >= 1.0 {
            q.jobs.push_front(job);
            drop(q);
            let queue = queue.clone();
            Timeout::new(sleep_ms.min(f64::from(i32::MAX)) as u32, move || {
                next(queue)
            })
            .forget();
            return;
        }
        if job.kind == WAIT {
            let scope = q.scope.clone();
            let performance = q.performance.clone();
            drop(q);
            let queue = queue.clone();
            let left_ms = (job.end_ms() - now).ceil().clamp(0.0, f64::from(i32::MAX));
            Timeout::new(left_ms as u32, move || {
                let ended = origin + performance.as_ref().map_or(0.0, Performance::now);
                let _ = scope.post_message(&answer(&job.id, began, ended));
                next(queue);
            })
            .forget();
            return;
        }
        let Some(performance) = q.performance.clone() else {
            // No clock: the page books the times itself.
            let _ = q.scope.post_message(&answer(&job.id, f64::NAN, f64::NAN));
            continue;
        };
        let end_ms = job.end_ms();
        let mut ended = performance.now();
        while ended < end_ms {
            ended = performance.now();
        }
        let _ = q
            .scope
            .post_message(&answer(&job.id, began, origin + ended.max(now)));
    }
}

/// `[id, began, ended]`.
fn answer(id: &JsValue, began: f64, ended: f64) -> js_sys::Array {
    js_sys::Array::of3(id, &began.into(), &ended.into())
}
