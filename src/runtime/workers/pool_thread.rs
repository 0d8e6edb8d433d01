//! Runs inside a pool worker (`src/bin/worker.rs`): one thread of the
//! `to_thread` pool. It answers `[id, kind, ms]` jobs one at a time:
//! [`BURN`] burns the CPU for `ms` (a busy loop, like Python code holding
//! the thread), [`WAIT`] waits `ms` (like `time.sleep` in a thread), then
//! it posts `id` back. The page's side is [`super::pool_host`].

use gloo_timers::callback::Timeout;

use super::serve::serve;
use super::{BURN, WAIT};

pub fn start() {
    serve(|data, scope| {
        let job = js_sys::Array::from(&data);
        let id = job.get(0);
        let kind = job.get(1).as_f64().map_or(BURN, |k| k as u32);
        let ms = job.get(2).as_f64().unwrap_or(0.0).max(0.0);
        let scope = scope.clone();
        if kind == WAIT {
            Timeout::new(ms.ceil() as u32, move || {
                let _ = scope.post_message(&id);
            })
            .forget();
        } else {
            // One Performance object for the whole loop: a getter per turn
            // allocates, and the garbage collector then runs between jobs,
            // stretching every GIL slice by a millisecond or more.
            let Some(performance) = scope.performance() else {
                let _ = scope.post_message(&id);
                return;
            };
            let end = performance.now() + ms;
            while performance.now() < end {}
            let _ = scope.post_message(&id);
        }
    });
}
