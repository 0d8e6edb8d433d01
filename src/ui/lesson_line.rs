//! The lesson program as the stepper ("Inside the loop") shows it, its
//! step's line marked, handed to the Code view's "Python, short" tab
//! without re-rendering the page: the app makes one [`LessonLine`] and
//! gives it to both; the stepper sets it while it shows a step, the Code
//! view listens. Both show the editor's scenario in the chosen mode (the
//! stepper's run is that mode's run of the same tasks), so it is the same
//! program. The tools worker writes the marked copy
//! (`formats::step_view`): the app carries no code to mark a line.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

/// The marked program, and who listens.
type Shared = (Option<AttrValue>, Option<Callback<()>>);

/// Clones share it; equal when shared.
#[derive(Clone, Default)]
pub struct LessonLine(Rc<RefCell<Shared>>);

impl PartialEq for LessonLine {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl LessonLine {
    /// The marked program the stepper shows (`None`: no step shown);
    /// tells the listener.
    pub fn set(&self, marked: Option<AttrValue>) {
        let listener = {
            let mut inner = self.0.borrow_mut();
            if marked.is_none() && inner.0.is_none() {
                return;
            }
            inner.0 = marked;
            inner.1.clone()
        };
        if let Some(listener) = listener {
            listener.emit(());
        }
    }

    pub fn get(&self) -> Option<AttrValue> {
        self.0.borrow().0.clone()
    }

    /// Calls `listener` (one at a time; `None`: nobody) on every change.
    pub fn listen(&self, listener: Option<Callback<()>>) {
        self.0.borrow_mut().1 = listener;
    }
}
