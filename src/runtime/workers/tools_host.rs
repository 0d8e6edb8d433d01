//! Runs in the page: the app's side of the tools worker
//! ([`super::tools_thread`], jobs in `domain::formats::tools`). Started on the
//! first job, shared by every playground on the page (it keeps no state),
//! and answered in order by job id. Jobs sent before the worker says
//! "ready" wait for it. Every job is answered: if the worker cannot start,
//! is not ready within [`LOAD_MS`] or dies, every waiting job gets an
//! error, and the next job starts a fresh worker.
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

use super::READY;
use crate::domain::formats::tools::Op;
use crate::runtime::patience::{deadline, Deadline};

/// Where trunk puts the tools worker's loader (relative to the page's base).
pub const LOADER: &str = "./tools_loader.js";

/// A tools worker not ready this long after it was started is given up on.
pub const LOAD_MS: u32 = 10_000;

type Reply = Result<String, String>;
type Answerer = fn(Op, &str) -> Reply;

enum State {
    Loading(Vec<js_sys::Array>),
    Ready,
    Failed,
}

struct Conn {
    worker: Worker,
    state: State,
    waiting: Vec<(u32, oneshot::Sender<Reply>)>,
    load_watch: Option<Deadline>,
    _handlers: Handlers,
}

/// The worker's message and error handlers, kept alive with it.
type Handlers = (
    Closure<dyn FnMut(MessageEvent)>,
    Closure<dyn FnMut(web_sys::Event)>,
);

impl Drop for Conn {
    /// A worker no one will ask again stops, and its events find no handler.
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// A tools worker loaded from one URL; [`call`] uses the page's.
#[derive(Clone)]
pub struct ToolsWorker(Rc<RefCell<Tools>>);

struct Tools {
    loader: String,
    load_ms: u32,
    conn: Option<Rc<RefCell<Conn>>>,
    next_id: u32,
}

#[derive(Default)]
struct Page {
    loader: Option<String>,
    worker: Option<ToolsWorker>,
    in_page: Option<Answerer>,
}

thread_local! {
    static PAGE: RefCell<Page> = RefCell::default();
}

/// Where to load the worker from (an in-page playground's base differs
/// from the page's). The first playground's choice wins.
pub fn set_loader(url: &str) {
    PAGE.with(|p| {
        let mut p = p.borrow_mut();
        if p.loader.is_none() {
            p.loader = Some(url.to_string());
        }
    });
}

/// Answers jobs in this page with `answer` (for tests).
pub fn answer_in_page(answer: Answerer) {
    PAGE.with(|p| p.borrow_mut().in_page = Some(answer));
}

/// The page's tools worker (none while jobs are answered in the page).
fn page_worker() -> Result<ToolsWorker, Answerer> {
    PAGE.with(|p| {
        let mut p = p.borrow_mut();
        if let Some(answer) = p.in_page {
            return Err(answer);
        }
        let loader = p.loader.clone().unwrap_or_else(|| LOADER.to_string());
        Ok(p.worker
            .get_or_insert_with(|| ToolsWorker::new(&loader, LOAD_MS))
            .clone())
    })
}

/// Starts loading the worker ahead of a job (when the user points at the
/// code panel or the export buttons), so the first answer comes sooner.
pub fn warm() {
    if let Ok(worker) = page_worker() {
        worker.warm();
    }
}

/// Runs one job in the page's tools worker.
pub async fn call(op: Op, payload: String) -> Reply {
    match page_worker() {
        Ok(worker) => worker.call(op, payload).await,
        Err(answer) => answer(op, &payload),
    }
}

impl ToolsWorker {
    /// A worker loaded from `loader` when first needed, given up on if not
    /// ready within `load_ms`.
    pub fn new(loader: &str, load_ms: u32) -> Self {
        ToolsWorker(Rc::new(RefCell::new(Tools {
            loader: loader.to_string(),
            load_ms,
            conn: None,
            next_id: 0,
        })))
    }

    /// Starts loading the worker now.
    pub fn warm(&self) {
        // A worker that cannot start says so when a job asks.
        let _ = self.0.borrow_mut().conn();
    }

    /// Runs one job; a worker that failed before is replaced first.
    pub async fn call(&self, op: Op, payload: String) -> Reply {
        let receiver = {
            let mut t = self.0.borrow_mut();
            t.next_id = t.next_id.wrapping_add(1);
            let id = t.next_id;
            let conn = match t.conn() {
                Ok(conn) => conn,
                Err(why) => return Err(why),
            };
            let mut c = conn.borrow_mut();
            let job = js_sys::Array::of3(&id.into(), &op.name().into(), &payload.into());
            match &mut c.state {
                State::Failed => return Err(STOPPED.to_string()),
                State::Loading(queued) => queued.push(job),
                State::Ready => {
                    if c.worker.post_message(&job).is_err() {
                        return Err("the job could not be sent to the tools worker".into());
                    }
                }
            }
            let (sender, receiver) = oneshot::channel();
            c.waiting.push((id, sender));
            receiver
        };
        receiver.await.unwrap_or_else(|_| Err(STOPPED.to_string()))
    }
}

const STOPPED: &str = "the code and file tools stopped with an error";

impl Tools {
    /// The worker connection: started on first use, and again after a
    /// failure.
    fn conn(&mut self) -> Result<Rc<RefCell<Conn>>, String> {
        if let Some(conn) = &self.conn {
            if !matches!(conn.borrow().state, State::Failed) {
                return Ok(conn.clone());
            }
        }
        let conn = connect(&self.loader, self.load_ms)?;
        self.conn = Some(conn.clone());
        Ok(conn)
    }
}

fn connect(loader: &str, load_ms: u32) -> Result<Rc<RefCell<Conn>>, String> {
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
                    fail(&conn, STOPPED);
                }
            })
        };
        let load_watch = {
            let weak = weak.clone();
            deadline(f64::from(load_ms), move || {
                let Some(conn) = weak.upgrade() else { return };
                let loading = matches!(conn.borrow().state, State::Loading(_));
                if loading {
                    fail(&conn, "the code and file tools did not start in time");
                }
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        RefCell::new(Conn {
            worker,
            state: State::Loading(Vec::new()),
            waiting: Vec::new(),
            load_watch: Some(load_watch),
            _handlers: (on_message, on_error),
        })
    });
    Ok(conn)
}

fn on_message(conn: &Rc<RefCell<Conn>>, data: JsValue) {
    if data.as_string().as_deref() == Some(READY) {
        let sent = {
            let mut c = conn.borrow_mut();
            let State::Loading(queued) = std::mem::replace(&mut c.state, State::Ready) else {
                // Already given up on: stays failed.
                c.state = State::Failed;
                return;
            };
            c.load_watch = None;
            queued.iter().all(|job| c.worker.post_message(job).is_ok())
        };
        if !sent {
            fail(conn, "the job could not be sent to the tools worker");
        }
        return;
    }
    let reply = js_sys::Array::from(&data);
    let id = reply.get(0).as_f64().unwrap_or(-1.0) as u32;
    let ok = reply.get(1).as_bool().unwrap_or(false);
    let text = reply.get(2).as_string().unwrap_or_default();
    let sender = {
        let mut c = conn.borrow_mut();
        c.waiting
            .iter()
            .position(|(waiting, _)| *waiting == id)
            .map(|at| c.waiting.swap_remove(at).1)
    };
    if let Some(sender) = sender {
        let _ = sender.send(if ok { Ok(text) } else { Err(text) });
    }
}

/// Gives the worker up: it is stopped, every waiting job gets `why`, and
/// the next job starts a fresh worker.
fn fail(conn: &Rc<RefCell<Conn>>, why: &str) {
    let waiting = {
        let mut c = conn.borrow_mut();
        c.state = State::Failed;
        c.load_watch = None;
        c.worker.set_onmessage(None);
        c.worker.set_onerror(None);
        c.worker.terminate();
        std::mem::take(&mut c.waiting)
    };
    for (_, sender) in waiting {
        let _ = sender.send(Err(why.to_string()));
    }
}
