//! Inside the tools worker: answers `[id, op, payload]` jobs with
//! `[id, ok, text]` (see `domain::formats::tools`). It posts "ready" once its
//! handler is installed, because messages sent before that would be lost.

use crate::domain::formats::tools::{answer, Op};

use super::pool_thread::serve;

pub fn start() {
    serve(|data, scope| {
        let job = js_sys::Array::from(&data);
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
        let _ = scope.post_message(&js_sys::Array::of3(&id, &ok.into(), &text.into()));
    });
}
