//! Notes under the results for runs made while the playground was hidden
//! or off-screen: their times are the browser's throttling, not the model.

use yew::prelude::*;

use crate::domain::state::selectors::EnvNote;

#[derive(Properties, PartialEq)]
pub struct RunEnvNotesProps {
    pub notes: Vec<EnvNote>,
}

#[component(RunEnvNotes)]
pub fn run_env_notes(props: &RunEnvNotesProps) -> Html {
    if props.notes.is_empty() {
        return html! {};
    }
    html! {
        <ul class="env-notes">
            { for props.notes.iter().map(|n| html! {
                <li class="env-note" data-throttled={n.throttled.to_string()}>
                    <strong>{ n.mode_label }{ ": " }</strong>{ n.text.clone() }
                </li>
            }) }
        </ul>
    }
}
