//! Props that hold big shared data and compare by pointer. `Rc<T>`'s own
//! `==` compares the contents (for types that are only `PartialEq`), so a
//! history of 10,000-task runs passed as `Rc<Vec<RunView>>` was walked on
//! every animation frame of a run. These compare the pointer: the state
//! replaces the `Rc` whenever the contents change.

use std::rc::Rc;

use crate::domain::scenario::Scenario;
use crate::domain::state::RunView;

/// A list of runs (the history, the exportable runs).
#[derive(Clone, Debug, Default)]
pub struct RunList(pub Rc<Vec<RunView>>);

impl PartialEq for RunList {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The editor's validated scenario (replaced on every edit).
#[derive(Clone, Debug)]
pub struct SharedScenario(pub Rc<Scenario>);

impl PartialEq for SharedScenario {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
