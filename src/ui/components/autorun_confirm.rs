//! The question asked before a heavy run that a link or the embedding page
//! asked for (see `domain::state::autorun`): run it, or not now. A plain function,
//! not a component: it has no state of its own.

use yew::prelude::*;

use crate::domain::state::autorun::PendingRun;

/// The question, and a `Callback` taking the answer (`true` runs it).
pub fn autorun_confirm(pending: &PendingRun, on_answer: &Callback<bool>) -> Html {
    let answer = |yes: bool| on_answer.reform(move |_: MouseEvent| yes);
    html! {
        <div class="autorun-confirm" role="group" aria-labelledby="autorun-question">
            <p id="autorun-question">{ pending.question() }</p>
            <button class="btn primary" id="autorun-yes" onclick={answer(true)}>{ "Run it" }</button>
            <button class="btn" id="autorun-no" onclick={answer(false)}>{ "Not now" }</button>
        </div>
    }
}
