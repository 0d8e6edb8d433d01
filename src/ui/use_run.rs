//! `use_run`: keeps a real runner alive for the state's running run.
//!
//! Events are buffered and handed to the state ([`Action::RunProgress`]) once
//! per animation frame: one re-render per frame, however many tasks
//! finished in it. The run's last event is handed over at once, so results
//! land even if animation frames stall (e.g. in a hidden tab), and so is a
//! wait for worker threads.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::store::Store;
use crate::domain::run::events::{EventKind, TraceEvent};
use crate::domain::state::Action;
use crate::runtime::runner::{spawn_run, Emit, RunSetup};
use crate::runtime::schedule::AnimationFrameLoop;
use crate::runtime::workers::pool_host::WorkerBackend;

#[hook]
pub fn use_run(store: &UseReducerHandle<Store>, backend: &WorkerBackend) {
    let backend = backend.clone();
    let running = store
        .0
        .running()
        .map(|r| (r.id, r.mode, r.scenario.clone()));
    let dispatcher = store.dispatcher();
    // Keyed on the run id alone: comparing the scenario too would walk every
    // task on every animation frame. A run id never changes its scenario.
    use_effect_with(running.as_ref().map(|r| r.0), move |_| {
        let guard = running.as_ref().map(|(id, mode, scenario)| {
            let buffer: Rc<RefCell<Vec<TraceEvent>>> = Rc::default();
            let emit: Emit = {
                let buffer = buffer.clone();
                let dispatcher = dispatcher.clone();
                Rc::new(move |event: TraceEvent| {
                    // The last event, and the wait for threads (said at
                    // once, before an animation frame shows the run as running).
                    let last = matches!(
                        event.kind,
                        EventKind::RunFinished { .. } | EventKind::WaitingForThreads { .. }
                    );
                    buffer.borrow_mut().push(event);
                    if last {
                        let events = buffer.take();
                        dispatcher.dispatch(Action::RunProgress {
                            events,
                            now_ms: None,
                        });
                    }
                })
            };
            let handle = Rc::new(spawn_run(
                scenario.clone(),
                RunSetup {
                    mode: *mode,
                    run: *id,
                    emit,
                    backend: Rc::new(backend.clone()),
                },
            ));
            let run = handle.clone();
            let frames = AnimationFrameLoop::start(move || {
                let events = buffer.take();
                dispatcher.dispatch(Action::RunProgress {
                    events,
                    now_ms: Some(run.elapsed_ms()),
                });
            });
            (frames, handle)
        });
        // Dropping the guard stops the animation frame loop and aborts the run.
        move || drop(guard)
    });
}
