//! `sleep_ms`: the runner's timer, driven like asyncio's loop drives its
//! own. Every pending sleep sits in one [`TimerHeap`]; a single browser
//! timer is armed for the earliest deadline, and when it fires every sleep
//! that is due wakes at once. A sleep never completes before its deadline
//! (checked against `performance.now()`), and dropping it cancels it.
//!
//! The browser timer is (re)armed from a MessageChannel message, not from
//! inside a timer callback: browsers clamp a timer set by a timer callback
//! nested five deep to at least 4 ms, and a chain of sleeps (or the run's
//! heartbeat) would otherwise make every short wait 4 ms late. asyncio's
//! loop has no such clamp, so the model has none either.
//!
//! `setTimeout` counts whole milliseconds, so the timer is armed for the
//! whole milliseconds left (it may wake a fraction early) and the last
//! fraction is waited out with message hops, each a task of its own that
//! lets input and rendering in. Sleeps set a few microseconds apart (the
//! tasks of one gather) then end together, as plain `setTimeout`s do,
//! instead of one timer later.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageChannel, MessageEvent};

use super::clock::now_ms;
use crate::domain::model::timer_heap::{TimerHeap, TimerKey};

#[derive(Default)]
struct Driver {
    heap: TimerHeap<Waker>,
    /// The browser timer and the deadline it was armed for.
    armed: Option<(f64, Timeout)>,
    /// A message to re-arm is on its way.
    arm_requested: bool,
    channel: Option<Channel>,
}

/// The channel whose messages re-arm the timer outside any timer callback.
struct Channel {
    port: web_sys::MessagePort,
    _keep: (MessageChannel, Closure<dyn FnMut(MessageEvent)>),
}

fn channel() -> Option<Channel> {
    let channel = MessageChannel::new().ok()?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|_| {
        let due = DRIVER.with(|d| {
            let mut d = d.borrow_mut();
            d.arm_requested = false;
            let due = d.heap.pop_due(now_ms());
            d.arm();
            due
        });
        wake_all(due);
    });
    channel
        .port1()
        .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    Some(Channel {
        port: channel.port2(),
        _keep: (channel, on_message),
    })
}

thread_local! {
    static DRIVER: RefCell<Driver> = RefCell::default();
}

impl Driver {
    /// Asks for the timer to be re-armed from a fresh task (see the module
    /// note); arms at once where there is no MessageChannel.
    fn request_arm(&mut self) {
        if !self.post_hop() {
            self.arm();
        }
    }

    /// Posts the message that re-arms (one at a time); false where there is
    /// no MessageChannel.
    fn post_hop(&mut self) -> bool {
        if self.arm_requested {
            return true;
        }
        if self.channel.is_none() {
            self.channel = channel();
        }
        self.arm_requested = self
            .channel
            .as_ref()
            .is_some_and(|c| c.port.post_message(&JsValue::NULL).is_ok());
        self.arm_requested
    }

    /// Arms the browser timer for the earliest deadline (or disarms it);
    /// under a millisecond away, a message hop checks again instead.
    fn arm(&mut self) {
        let Some(next) = self.heap.next_deadline_ms() else {
            self.armed = None;
            return;
        };
        let left_ms = next - now_ms();
        // The hop's handler pops what is due when it arrives.
        if left_ms < 1.0 && self.post_hop() {
            self.armed = None;
            return;
        }
        if !matches!(&self.armed, Some((at, _)) if *at == next) {
            // Whole ms, rounded down: the hops above wait out the rest
            // (without hops, round up: a timer must not fire early twice).
            let whole_ms = if self.channel.is_some() {
                left_ms.floor()
            } else {
                left_ms.ceil()
            };
            let delay_ms = whole_ms.clamp(0.0, f64::from(i32::MAX)) as u32;
            self.armed = Some((next, Timeout::new(delay_ms, fire)));
        }
    }
}

/// The browser timer's callback: wake everything due, re-arm for the rest.
fn fire() {
    let due = DRIVER.with(|d| {
        let mut d = d.borrow_mut();
        d.armed = None;
        let due = d.heap.pop_due(now_ms());
        d.request_arm();
        due
    });
    wake_all(due);
}

/// Wakes sleeps outside the driver's borrow: waking may poll other futures
/// that sleep.
fn wake_all(due: Vec<Waker>) {
    for waker in due {
        waker.wake();
    }
}

/// A future that completes `ms` milliseconds after it is created.
pub struct Sleep {
    deadline_ms: f64,
    key: Option<TimerKey>,
}

/// Sleeps `ms` milliseconds on the shared timer queue.
pub fn sleep_ms(ms: u32) -> Sleep {
    sleep_until(now_ms() + f64::from(ms))
}

/// Sleeps until `performance.now()` reaches `deadline_ms`.
pub fn sleep_until(deadline_ms: f64) -> Sleep {
    Sleep {
        deadline_ms,
        key: None,
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if now_ms() >= self.deadline_ms {
            if let Some(key) = self.key.take() {
                DRIVER.with(|d| d.borrow_mut().heap.remove(key));
            }
            return Poll::Ready(());
        }
        let deadline_ms = self.deadline_ms;
        let key = self.key;
        let new_key = DRIVER.with(|d| {
            let mut d = d.borrow_mut();
            let key = match key.and_then(|k| d.heap.get_mut(k).map(|w| (k, w))) {
                Some((k, waker)) => {
                    waker.clone_from(cx.waker());
                    k
                }
                None => d.heap.insert(deadline_ms, cx.waker().clone()),
            };
            d.request_arm();
            key
        });
        self.key = Some(new_key);
        Poll::Pending
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            // `try_with`: during thread-local teardown there is nothing to do.
            let _ = DRIVER.try_with(|d| {
                let mut d = d.borrow_mut();
                d.heap.remove(key);
                d.request_arm();
            });
        }
    }
}

/// How many sleeps are pending (for tests: a cancelled run leaves none).
pub fn pending_sleeps() -> usize {
    DRIVER.with(|d| d.borrow().heap.len())
}
