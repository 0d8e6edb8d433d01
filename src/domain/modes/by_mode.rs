//! [`ByMode`]: one value per run mode, indexed by the mode itself.

use std::ops::{Index, IndexMut};

use super::RunMode;

/// One value per [`RunMode`], kept in [`RunMode::ALL`] order and indexed
/// by the mode (`runs[RunMode::Gather]`), never by a number: a new mode
/// gets its place without an edit here.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ByMode<T>([T; RunMode::ALL.len()]);

// `ALL` lists the modes in declaration order, so a mode's discriminant is
// its place: checked when compiling.
const _: () = {
    let mut at = 0;
    while at < RunMode::ALL.len() {
        assert!(
            RunMode::ALL[at] as usize == at,
            "RunMode::ALL must list the modes in declaration order"
        );
        at += 1;
    }
};

impl<T> ByMode<T> {
    /// `value(mode)` for every mode.
    pub fn from_fn(value: impl FnMut(RunMode) -> T) -> Self {
        ByMode(RunMode::ALL.map(value))
    }

    /// The values, in [`RunMode::ALL`] order.
    pub fn values(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    pub fn values_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.0.iter_mut()
    }

    /// Each mode with its value, in [`RunMode::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (RunMode, &T)> {
        RunMode::ALL.into_iter().zip(&self.0)
    }
}

impl<T> Index<RunMode> for ByMode<T> {
    type Output = T;

    fn index(&self, mode: RunMode) -> &T {
        &self.0[mode as usize]
    }
}

impl<T> IndexMut<RunMode> for ByMode<T> {
    fn index_mut(&mut self, mode: RunMode) -> &mut T {
        &mut self.0[mode as usize]
    }
}
