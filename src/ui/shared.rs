//! Props that hold big shared data and compare by pointer. `Rc<T>`'s own
//! `==` compares the contents (for types that are only `PartialEq`), and
//! props are compared on every render, which a run asks for every animation
//! frame: a list of runs must not be walked then. The state replaces the
//! `Rc` whenever the contents change, so the same pointer means the same
//! contents.

use std::rc::Rc;

use crate::domain::run::Run;
use crate::domain::scenario::Scenario;

/// A list of runs (the history, the exportable runs).
#[derive(Clone, Debug, Default)]
pub struct RunList(pub Rc<Vec<Rc<Run>>>);

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
pub struct SharedRun(pub Rc<Run>);

impl PartialEq for SharedRun {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for SharedRun {
    type Target = Run;

    fn deref(&self) -> &Run {
        &self.0
    }
}
