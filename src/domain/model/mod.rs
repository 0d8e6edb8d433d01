//! The event-loop model: predicts when each task starts and ends, how it
//! ends, and when the awaiting code resumes, for every run mode, as CPython
//! 3.11's asyncio would run it. `tests/oracle.rs` checks it against
//! `python3`.
//!
//! - `prediction`: what comes out (timelines) and the entry points.
//! - [`event_loop`]: the loop: ready queue, timers, `_run_once`, task
//!   steps, cancelling, `Semaphore`, `wait_for`.
//! - [`task`]: a task's coroutine as steps, and what it waits on.
//! - [`thread_pool`]: `to_thread`'s pool, with the GIL's processor sharing.
//! - [`caller`]: the awaiting code, carrying out the mode's policy
//!   ([`crate::domain::modes`]).
//! - [`log`]: the event log and each task's states over time, recorded
//!   from the same run of the model (`recorder`).
//! - [`timer_heap`]: the timer queue the runtime shares.

mod caller;
mod event_loop;
pub mod log;
mod prediction;
mod recorder;
mod task;
mod thread_pool;
pub mod timer_heap;

pub use event_loop::simulate;
pub use log::{event_log, EventLog};
pub use prediction::*;
