//! The thread pool behind `asyncio.to_thread`: `size` threads take jobs
//! from a FIFO queue and run beside the loop. With the GIL on, CPU-bound
//! jobs share one CPU (processor sharing, which CPython's 5 ms switch
//! interval approximates); a blocking wait releases the GIL and runs at
//! full speed. Threads do not wait for the loop: the pool is played
//! forward to any instant the loop asks about.

use std::collections::VecDeque;

/// A job in the thread pool.
#[derive(Clone, Copy, Debug)]
pub(super) struct Job {
    pub task: usize,
    /// The task's wake-up generation when it was submitted.
    pub gen: u64,
    pub cpu: bool,
    /// Work left, in ms of one CPU (or of waiting).
    pub left_ms: f64,
}

/// A change in the pool, kept only while the recorder is on.
#[derive(Clone, Copy, Debug)]
pub(super) struct PoolEvent {
    pub at_ms: f64,
    pub job: Job,
    /// Took a thread (else: ended).
    pub started: bool,
}

/// Where the pool reports its changes: `()` drops them (a prediction: the
/// calls compile away), a `Vec` keeps them for the recorder.
pub(super) trait PoolLog {
    fn push(&mut self, event: PoolEvent);
}

impl PoolLog for () {
    #[inline(always)]
    fn push(&mut self, _event: PoolEvent) {}
}

impl PoolLog for Vec<PoolEvent> {
    fn push(&mut self, event: PoolEvent) {
        Vec::push(self, event);
    }
}

pub(super) struct ThreadPool<L: PoolLog = ()> {
    size: usize,
    gil: bool,
    queued: VecDeque<Job>,
    running: Vec<Job>,
    /// The instant the running jobs' progress was worked out for.
    since_ms: f64,
    /// Jobs that ended and the loop has not heard of yet, in order.
    finished: Vec<Job>,
    /// Jobs taking and leaving threads, for the recorder.
    pub events: L,
}

impl<L: PoolLog> ThreadPool<L> {
    pub fn new(size: u32, gil: bool, events: L) -> Self {
        ThreadPool {
            size: size.max(1) as usize,
            gil,
            queued: VecDeque::new(),
            running: Vec::new(),
            since_ms: 0.0,
            finished: Vec::new(),
            events,
        }
    }

    /// No job is running or queued.
    pub fn is_idle(&self) -> bool {
        self.running.is_empty() && self.queued.is_empty()
    }

    /// A job joins the queue at `now_ms`.
    pub fn submit(&mut self, job: Job, now_ms: f64) {
        self.advance_to(now_ms);
        self.queued.push_back(job);
    }

    /// A cancelled task's queued job is dropped; a running thread cannot be
    /// stopped.
    pub fn drop_queued(&mut self, task: usize) {
        self.queued.retain(|j| j.task != task);
    }

    /// Plays the pool forward to `now_ms` and hands over the jobs that
    /// ended by then, in the order they ended.
    pub fn catch_up(&mut self, now_ms: f64) -> Vec<Job> {
        self.advance_to(now_ms);
        self.fill_slots();
        std::mem::take(&mut self.finished)
    }

    /// How many CPU-bound jobs share the one GIL right now.
    fn gil_sharers(&self) -> f64 {
        if !self.gil {
            return 1.0;
        }
        self.running.iter().filter(|j| j.cpu).count().max(1) as f64
    }

    fn rate(&self, job: &Job) -> f64 {
        if job.cpu {
            1.0 / self.gil_sharers()
        } else {
            1.0
        }
    }

    fn fill_slots(&mut self) {
        while self.running.len() < self.size {
            match self.queued.pop_front() {
                Some(job) => {
                    self.events.push(PoolEvent {
                        at_ms: self.since_ms,
                        job,
                        started: true,
                    });
                    self.running.push(job)
                }
                None => break,
            }
        }
    }

    pub fn size(&self) -> usize {
        self.size
    }

    pub fn gil(&self) -> bool {
        self.gil
    }

    /// The jobs running, in the order they took their threads.
    pub fn running(&self) -> &[Job] {
        &self.running
    }

    /// The jobs waiting for a thread, FIFO.
    pub fn queued(&self) -> impl Iterator<Item = &Job> {
        self.queued.iter()
    }

    /// The pool as it is at `now_ms`, without handing anything over.
    pub fn at(&self, now_ms: f64) -> ThreadPool {
        let mut pool = ThreadPool {
            size: self.size,
            gil: self.gil,
            queued: self.queued.clone(),
            running: self.running.clone(),
            since_ms: self.since_ms,
            finished: self.finished.clone(),
            events: (),
        };
        pool.advance_to(now_ms);
        pool.fill_slots();
        pool
    }

    /// Time until the next running job completes at the current rates.
    pub fn next_completion_ms(&self) -> f64 {
        self.running
            .iter()
            .map(|j| j.left_ms / self.rate(j))
            .fold(f64::INFINITY, f64::min)
    }

    /// Plays the pool forward to `until`. A job that ends while the loop is
    /// blocked frees its thread at once, and the next queued job starts
    /// then, not when the loop notices.
    fn advance_to(&mut self, until: f64) {
        loop {
            self.fill_slots();
            // A job with no work (a zero-length call) ends as it starts,
            // even when no time passes.
            if self.retire_done() {
                continue;
            }
            let remaining = until - self.since_ms;
            if remaining <= 0.0 {
                break;
            }
            let step = remaining.min(self.next_completion_ms());
            let sharers = self.gil_sharers();
            for job in &mut self.running {
                let rate = if job.cpu { 1.0 / sharers } else { 1.0 };
                job.left_ms = (job.left_ms - step * rate).max(0.0);
            }
            self.since_ms += step;
            self.retire_done();
            if step >= remaining {
                break;
            }
        }
        self.since_ms = self.since_ms.max(until);
    }

    /// Moves the running jobs with no work left to `finished`; true if any.
    fn retire_done(&mut self) -> bool {
        let before = self.finished.len();
        let finished = &mut self.finished;
        let events = &mut self.events;
        let at_ms = self.since_ms;
        self.running.retain(|j| {
            let done = j.left_ms <= 1e-9;
            if done {
                finished.push(*j);
                events.push(PoolEvent {
                    at_ms,
                    job: *j,
                    started: false,
                });
            }
            !done
        });
        self.finished.len() > before
    }
}
