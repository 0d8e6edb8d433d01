//! Notes under the results for runs made while the playground was hidden
//! or off-screen: their times are the browser's throttling, not the model.

use yew::prelude::*;

use crate::domain::run::events::RunId;

use crate::domain::state::AppState;

/// One run's note.
#[derive(Clone, PartialEq)]
pub struct EnvNote {
    pub mode_label: &'static str,
    pub text: String,
    pub throttled: bool,
}

/// Notes for the runs shown now, in mode order.
/// Notes for the runs shown, except `covered` (whose insights say it).
pub fn env_notes(state: &AppState, covered: Option<RunId>) -> Vec<EnvNote> {
    state
        .runs
        .iter()
        .flatten()
        .filter(|run| Some(run.id) != covered)
        .filter_map(|run| {
            let env = state.run_envs.get(&run.id)?;
            Some(EnvNote {
                mode_label: run.mode.label(),
                text: env.note()?,
                throttled: env.throttled,
            })
        })
        .collect()
}

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
