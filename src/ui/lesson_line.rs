//! The line of the lesson program the stepper ("Inside the loop") is at,
//! handed to the Code view's "Python, short" tab without re-rendering the
//! page: the app makes one [`LessonLine`] and gives it to both; the
//! stepper sets it while it shows a step, the Code view listens.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

/// A step's line (1-based) in the lesson program of `program`: the
/// scenario document the program was written from
/// (`formats::tools::program_request`), so a tab showing another
/// scenario's program marks nothing.
#[derive(Clone, PartialEq)]
pub struct Running {
    pub program: Rc<str>,
    pub line: usize,
}

#[derive(Default)]
struct Inner {
    at: Option<Running>,
    listener: Option<Callback<()>>,
}

/// Clones share it; equal when shared.
#[derive(Clone, Default)]
pub struct LessonLine(Rc<RefCell<Inner>>);

impl PartialEq for LessonLine {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl LessonLine {
    /// Where the stepper is (`None`: no step shown); tells the listener
    /// if that changed.
    pub fn set(&self, at: Option<Running>) {
        let listener = {
            let mut inner = self.0.borrow_mut();
            if inner.at == at {
                return;
            }
            inner.at = at;
            inner.listener.clone()
        };
        if let Some(listener) = listener {
            listener.emit(());
        }
    }

    /// The line, if the stepper shows a step of `program`'s lesson.
    pub fn line_in(&self, program: &str) -> Option<usize> {
        let inner = self.0.borrow();
        let at = inner.at.as_ref()?;
        (*at.program == *program).then_some(at.line)
    }

    /// Calls `listener` (one at a time; `None`: nobody) on every change.
    pub fn listen(&self, listener: Option<Callback<()>>) {
        self.0.borrow_mut().listener = listener;
    }
}

/// The line of the data-line mark the step view draws
/// (`formats::step_view`), if the step is at one.
pub fn line_of_step_html(html: &str) -> Option<usize> {
    let at = html.find("data-line=\"")? + "data-line=\"".len();
    let rest = html.get(at..)?;
    rest.get(..rest.find('"')?)?.parse().ok()
}
