//! Runs inside a worker (both kinds): the message loop. Every job message
//! goes to one handler for the worker's life; [`READY`] is posted once the
//! handler is installed, because messages sent before that would be lost.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::READY;

/// Inside a worker: hands every message's data to `on_job` (with the scope
/// to answer on) for the worker's life, then posts [`READY`].
pub(crate) fn serve(mut on_job: impl FnMut(JsValue, &DedicatedWorkerGlobalScope) + 'static) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        on_job(e.data(), &reply_scope)
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str(READY));
}
