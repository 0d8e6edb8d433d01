//! `use_settled`: false for a component's first render, true from the task
//! after it. The app renders its editor and run controls first and the
//! panels below them (history, export, comparison, code view) one task
//! later, so the page answers input sooner after load.

use yew::prelude::*;

use crate::runtime::schedule::next_task;

#[hook]
pub fn use_settled() -> bool {
    let settled = use_state(|| false);
    {
        let settled = settled.clone();
        use_effect_with((), move |_| {
            let pending = next_task(move || settled.set(true));
            // Unmounted first: dropping the timeout cancels it.
            move || drop(pending)
        });
    }
    *settled
}
