//! Work the page does later, at the browser's pace: [`AnimationFrameLoop`]
//! calls back once per animation frame until dropped (a run's events reach
//! the state once per frame), and [`next_task`] runs work once the current
//! task is done.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_render::{request_animation_frame, AnimationFrame};
use gloo_timers::callback::Timeout;

/// Calls `f` in a task of its own after the current one (cancelled if the
/// returned handle is dropped first), so the browser can handle input and
/// paint in between.
pub fn next_task(f: impl FnOnce() + 'static) -> Timeout {
    Timeout::new(0, f)
}

/// Calls `on_frame` every animation frame while alive.
pub struct AnimationFrameLoop {
    slot: Rc<RefCell<Option<AnimationFrame>>>,
}

impl AnimationFrameLoop {
    pub fn start(on_frame: impl FnMut() + 'static) -> Self {
        let slot = Rc::new(RefCell::new(None));
        schedule(slot.clone(), Rc::new(RefCell::new(on_frame)));
        AnimationFrameLoop { slot }
    }
}

fn schedule(slot: Rc<RefCell<Option<AnimationFrame>>>, on_frame: Rc<RefCell<dyn FnMut()>>) {
    let next_slot = slot.clone();
    let frame = request_animation_frame(move |_timestamp_ms| {
        (on_frame.borrow_mut())();
        // Re-arm only if not dropped meanwhile (the slot is emptied on drop).
        if next_slot.borrow().is_some() {
            schedule(next_slot, on_frame);
        }
    });
    *slot.borrow_mut() = Some(frame);
}

impl Drop for AnimationFrameLoop {
    fn drop(&mut self) {
        // Dropping the pending AnimationFrame cancels it and breaks the cycle.
        self.slot.borrow_mut().take();
    }
}
