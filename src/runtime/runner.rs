//! The real runner: performs a run on the browser's event loop, each I/O
//! wait a [`sleep_ms`] on the shared timer queue, stamping every task's
//! start and end with `performance.now()`.
//!
//! `spawn_run` returns a [`RunHandle`]; dropping it (or calling `abort`)
//! cancels the run: every pending timer is cleared and no event of that run
//! is emitted afterwards.

use std::cell::Cell;
use std::rc::Rc;

use futures::future::{join_all, AbortHandle, Abortable};
use wasm_bindgen_futures::spawn_local;

use super::clock::now_ms;
use super::timers::sleep_ms;
use crate::domain::scenario::RunMode;
use crate::domain::trace::{EventKind, RunId, TraceEvent};

/// Receives a run's events as they happen.
pub type Emit = Rc<dyn Fn(TraceEvent)>;

/// Keeps a run alive; dropping it cancels the run.
pub struct RunHandle {
    abort: AbortHandle,
    origin_ms: Rc<Cell<Option<f64>>>,
}

impl RunHandle {
    /// Milliseconds since the run started (0 before its first poll).
    pub fn elapsed_ms(&self) -> f64 {
        self.origin_ms.get().map(|o| now_ms() - o).unwrap_or(0.0)
    }

    pub fn abort(&self) {
        self.abort.abort();
    }
}

impl Drop for RunHandle {
    fn drop(&mut self) {
        self.abort.abort();
    }
}

/// Starts a run of tasks with the given effective durations.
pub fn spawn_run(durations_ms: Vec<u32>, mode: RunMode, run: RunId, emit: Emit) -> RunHandle {
    let (abort, registration) = AbortHandle::new_pair();
    let origin_ms = Rc::new(Cell::new(None));
    let origin = origin_ms.clone();
    let work = async move {
        let start = now_ms();
        origin.set(Some(start));
        let since = move || now_ms() - start;
        let send = |kind| emit(TraceEvent { run, kind });
        send(EventKind::RunStarted { mode });
        match mode {
            RunMode::Sequential => {
                for (index, &ms) in durations_ms.iter().enumerate() {
                    send(EventKind::TaskStarted {
                        index,
                        at_ms: since(),
                    });
                    sleep_ms(ms).await;
                    send(EventKind::TaskFinished {
                        index,
                        at_ms: since(),
                    });
                }
            }
            RunMode::Gather => {
                let send = &send;
                join_all(
                    durations_ms
                        .iter()
                        .enumerate()
                        .map(|(index, &ms)| async move {
                            send(EventKind::TaskStarted {
                                index,
                                at_ms: since(),
                            });
                            sleep_ms(ms).await;
                            send(EventKind::TaskFinished {
                                index,
                                at_ms: since(),
                            });
                        }),
                )
                .await;
            }
        }
        send(EventKind::RunFinished { at_ms: since() });
    };
    spawn_local(async move {
        // An aborted run simply ends: its pending timers are dropped (cleared).
        let _ = Abortable::new(work, registration).await;
    });
    RunHandle { abort, origin_ms }
}
