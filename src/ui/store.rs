//! The `Reducible` adapter around the pure state machine.

use std::rc::Rc;

use yew::Reducible;

use crate::domain::state::{Action, AppState};

/// `AppState` as a Yew reducer.
#[derive(Clone, Debug, Default)]
pub struct Store(pub AppState);

/// The same store only if it is the very same value: every action makes a
/// new one. Comparing the contents (as a derived `==` would, whenever a
/// handle is passed as a prop) walks every task of every run, every frame.
impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        next.0.apply(action);
        Rc::new(next)
    }
}
