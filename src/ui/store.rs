//! The `Reducible` adapter around the pure state machine.

use std::rc::Rc;

use yew::Reducible;

use crate::domain::state::{Action, AppState};

/// `AppState` as a Yew reducer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Store(pub AppState);

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        next.0.apply(action);
        Rc::new(next)
    }
}
