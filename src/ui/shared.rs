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
pub struct RunList(pub Rc<Vec<Rc<RunView>>>);

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

/// One run. The state changes a run only by copy-on-write
/// (`Rc::make_mut`), so the same pointer means the same run, unchanged.
#[derive(Clone, Debug)]
pub struct SharedRun(pub Rc<RunView>);

impl PartialEq for SharedRun {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for SharedRun {
    type Target = RunView;

    fn deref(&self) -> &RunView {
        &self.0
    }
}
