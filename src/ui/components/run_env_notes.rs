//! Notes under the results for runs made while the playground was hidden
//! or off-screen: their times are the browser's throttling, not the model.

use yew::prelude::*;

use crate::domain::state::selectors::EnvNote;

/// The notes, if any. A view function, not a component: it keeps no state.
pub fn run_env_notes(notes: &[EnvNote]) -> Html {
    if notes.is_empty() {
        return html! {};
    }
    html! {
        <ul class="env-notes">
            { for notes.iter().map(|n| html! {
                <li class="env-note" data-throttled={n.throttled.to_string()}>
                    <strong>{ n.mode_label }{ ": " }</strong>{ n.text.clone() }
                </li>
            }) }
        </ul>
    }
}
