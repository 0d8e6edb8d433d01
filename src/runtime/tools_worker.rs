//! Inside the tools worker: answers `[id, op, payload]` jobs with
//! `[id, ok, text]` (see `domain::tools`). It posts "ready" once its
//! handler is installed, because messages sent before that would be lost.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::domain::tools::{answer, Op};

pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let job = js_sys::Array::from(&e.data());
        let id = job.get(0);
        let op = job.get(1).as_string().and_then(|name| Op::from_name(&name));
        let payload = job.get(2).as_string().unwrap_or_default();
        let reply = match op {
            Some(op) => answer(op, &payload),
            None => Err("the tools worker got a job it does not know".to_string()),
        };
        let (ok, text) = match reply {
            Ok(text) => (true, text),
            Err(why) => (false, why),
        };
        let _ = reply_scope.post_message(&js_sys::Array::of3(&id, &ok.into(), &text.into()));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}
