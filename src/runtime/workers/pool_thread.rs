//! Inside a Web Worker: one pool thread. It answers `[id, kind, ms]` jobs
//! one at a time: kind 0 burns the CPU for `ms` (a busy loop, like Python
//! code holding the thread), kind 1 waits `ms` (like `time.sleep` in a
//! thread), then it posts `id` back. It posts "ready" once its handler is
//! installed, because messages sent before that would be lost.

use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// Job kinds on the wire.
pub const BURN: u32 = 0;
pub const WAIT: u32 = 1;

pub fn start() {
    serve(|data, scope| {
        let job = js_sys::Array::from(&data);
        let id = job.get(0);
        let kind = job.get(1).as_f64().unwrap_or(0.0) as u32;
        let ms = job.get(2).as_f64().unwrap_or(0.0).max(0.0);
        let scope = scope.clone();
        if kind == WAIT {
            Timeout::new(ms.ceil() as u32, move || {
                let _ = scope.post_message(&id);
            })
            .forget();
        } else {
            let now = || scope.performance().map(|p| p.now()).unwrap_or(0.0);
            let end = now() + ms;
            while now() < end {}
            let _ = scope.post_message(&id);
        }
    });
}

/// Inside a worker: hands every message's data to `on_job` (with the scope
/// to answer on) for the worker's life, then posts "ready".
pub(crate) fn serve(mut on_job: impl FnMut(JsValue, &DedicatedWorkerGlobalScope) + 'static) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        on_job(e.data(), &reply_scope)
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}
