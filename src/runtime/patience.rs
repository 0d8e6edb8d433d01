//! A deadline for an answer from a worker that forgives the page for being
//! busy: while a blocking task holds the main thread, a worker's answer may
//! sit in the queue behind it, next to the deadline's own timer. A deadline
//! that fires more than [`LATE_MS`] late therefore looks again [`LATE_MS`]
//! later, after what queued meanwhile, and gives up only when it fires on
//! time. Dropping it cancels it.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;

use super::clock::now_ms;

/// Lateness that means the page was busy rather than the worker slow.
pub const LATE_MS: f64 = 50.0;

/// A pending deadline; dropping it cancels it.
pub struct Deadline {
    _timer: Rc<RefCell<Option<Timeout>>>,
}

/// Calls `expired` `after_ms` from now (or later, see the module note).
pub fn deadline(after_ms: f64, expired: impl FnOnce() + 'static) -> Deadline {
    let timer = Rc::new(RefCell::new(None));
    arm(Rc::downgrade(&timer), after_ms, Box::new(expired));
    Deadline { _timer: timer }
}

fn arm(slot: Weak<RefCell<Option<Timeout>>>, after_ms: f64, expired: Box<dyn FnOnce()>) {
    let Some(strong) = slot.upgrade() else {
        return;
    };
    let due_ms = now_ms() + after_ms;
    let delay_ms = after_ms.ceil().clamp(0.0, f64::from(i32::MAX)) as u32;
    let timeout = after(
        delay_ms,
        Box::new(move || {
            if now_ms() - due_ms > LATE_MS {
                arm(slot, LATE_MS, expired);
            } else {
                expired();
            }
        }),
    );
    *strong.borrow_mut() = Some(timeout);
}

/// `Timeout::new` for boxed callbacks: every caller shares one closure
/// type, and so one copy of its JS glue in the wasm.
pub fn after(delay_ms: u32, f: Box<dyn FnOnce()>) -> Timeout {
    Timeout::new(delay_ms, f)
}
