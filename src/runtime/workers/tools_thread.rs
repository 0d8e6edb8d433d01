//! Runs inside the tools worker (`src/bin/tools.rs`): answers
//! `[id, op, payload]` jobs with `[id, ok, text]` (see
//! `domain::formats::tools`). The page's side is [`super::tools_host`].

use super::serve::serve;
use crate::domain::formats::tools::{answer, Op};

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
