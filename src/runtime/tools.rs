//! The app's side of the tools worker (see `domain::tools`): started on the
//! first job, shared by every playground on the page (it keeps no state),
//! and answered in order by job id. Jobs sent before the worker says
//! "ready" wait for it; if it cannot start or dies, every waiting job gets
//! an error instead of hanging.
//!
//! Tests, which serve no worker files, answer jobs in the page instead
//! ([`answer_in_page`]); the app never does, so its wasm stays without the
//! generators.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use crate::domain::formats::tools::Op;

/// Where trunk puts the tools worker's loader (relative to the page's base).
pub const LOADER: &str = "./tools_loader.js";

type Reply = Result<String, String>;
type Answerer = fn(Op, &str) -> Reply;

enum State {
    Loading(Vec<js_sys::Array>),
    Ready,
    Failed(String),
}

struct Conn {
    worker: Worker,
    state: State,
    waiting: Vec<(u32, oneshot::Sender<Reply>)>,
    _handlers: Handlers,
}

/// The worker's message and error handlers, kept alive with it.
type Handlers = (
    Closure<dyn FnMut(MessageEvent)>,
    Closure<dyn FnMut(web_sys::Event)>,
);

#[derive(Default)]
struct Tools {
    loader: Option<String>,
    conn: Option<Rc<RefCell<Conn>>>,
    in_page: Option<Answerer>,
    next_id: u32,
}

thread_local! {
    static TOOLS: RefCell<Tools> = RefCell::default();
}

/// Where to load the worker from (an in-page playground's base differs
/// from the page's). The first playground's choice wins.
pub fn set_loader(url: &str) {
    TOOLS.with(|t| {
        let mut t = t.borrow_mut();
        if t.loader.is_none() {
            t.loader = Some(url.to_string());
        }
    });
}

/// Answers jobs in this page with `answer` (for tests).
pub fn answer_in_page(answer: Answerer) {
    TOOLS.with(|t| t.borrow_mut().in_page = Some(answer));
}

/// Starts loading the worker ahead of a job (when the user points at the
/// code panel or the export buttons), so the first answer comes sooner.
pub fn warm() {
    TOOLS.with(|t| {
        let mut t = t.borrow_mut();
        if t.in_page.is_none() {
            // A worker that cannot start says so when a job asks.
            let _ = t.conn();
        }
    });
}

impl Tools {
    /// The worker connection, started on first use.
    fn conn(&mut self) -> Result<Rc<RefCell<Conn>>, String> {
        if let Some(conn) = &self.conn {
            return Ok(conn.clone());
        }
        let loader = self.loader.clone().unwrap_or_else(|| LOADER.to_string());
        let conn = connect(&loader)?;
        self.conn = Some(conn.clone());
        Ok(conn)
    }
}

/// Runs one job in the tools worker.
pub async fn call(op: Op, payload: String) -> Reply {
    let receiver = TOOLS.with(|t| {
        let mut t = t.borrow_mut();
        if let Some(answer) = t.in_page {
            return Err(answer(op, &payload));
        }
        t.next_id = t.next_id.wrapping_add(1);
        let id = t.next_id;
        let conn = t.conn().map_err(Err)?;
        let (sender, receiver) = oneshot::channel();
        let mut c = conn.borrow_mut();
        let job = js_sys::Array::of3(&id.into(), &op.name().into(), &payload.into());
        match &mut c.state {
            State::Failed(why) => return Err(Err(why.clone())),
            State::Loading(queued) => queued.push(job),
            State::Ready => {
                if c.worker.post_message(&job).is_err() {
                    return Err(Err("the job could not be sent to the tools worker".into()));
                }
            }
        }
        c.waiting.push((id, sender));
        Ok(receiver)
    });
    match receiver {
        Ok(receiver) => receiver
            .await
            .unwrap_or_else(|_| Err("the tools worker stopped".to_string())),
        // Answered at once: in the page, or the worker is unusable.
        Err(reply) => reply,
    }
}

fn connect(loader: &str) -> Result<Rc<RefCell<Conn>>, String> {
    let worker = Worker::new(loader)
        .map_err(|_| "the code and file tools could not be started".to_string())?;
    let conn = Rc::new_cyclic(|weak: &std::rc::Weak<RefCell<Conn>>| {
        let on_message = {
            let weak = weak.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                if let Some(conn) = weak.upgrade() {
                    on_message(&conn, e.data());
                }
            })
        };
        let on_error = {
            let weak = weak.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
                // Quietly: the waiting jobs report it where the user looks.
                e.prevent_default();
                if let Some(conn) = weak.upgrade() {
                    fail(&conn, "the code and file tools stopped with an error");
                }
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        RefCell::new(Conn {
            worker,
            state: State::Loading(Vec::new()),
            waiting: Vec::new(),
            _handlers: (on_message, on_error),
        })
    });
    Ok(conn)
}

fn on_message(conn: &Rc<RefCell<Conn>>, data: JsValue) {
    let mut c = conn.borrow_mut();
    if data.as_string().as_deref() == Some("ready") {
        if let State::Loading(queued) = std::mem::replace(&mut c.state, State::Ready) {
            for job in queued {
                let _ = c.worker.post_message(&job);
            }
        }
        return;
    }
    let reply = js_sys::Array::from(&data);
    let id = reply.get(0).as_f64().unwrap_or(-1.0) as u32;
    let ok = reply.get(1).as_bool().unwrap_or(false);
    let text = reply.get(2).as_string().unwrap_or_default();
    if let Some(at) = c.waiting.iter().position(|(waiting, _)| *waiting == id) {
        let (_, sender) = c.waiting.swap_remove(at);
        let _ = sender.send(if ok { Ok(text) } else { Err(text) });
    }
}

fn fail(conn: &Rc<RefCell<Conn>>, why: &str) {
    let waiting = {
        let mut c = conn.borrow_mut();
        c.state = State::Failed(why.to_string());
        std::mem::take(&mut c.waiting)
    };
    for (_, sender) in waiting {
        let _ = sender.send(Err(why.to_string()));
    }
}
