//! Run buttons (sequential, gathered, compare), Stop, and the run's status.

use yew::prelude::*;

use crate::domain::scenario::RunMode;
use crate::domain::state::{Action, RunRequest};
use crate::ui::store::Store;

#[derive(Properties, PartialEq)]
pub struct RunControlsProps {
    /// The running mode with finished and total task counts.
    pub running: Option<(RunMode, usize, usize)>,
    pub queued: Vec<RunMode>,
    pub valid: bool,
    pub notice: Option<String>,
    pub dispatch: UseReducerDispatcher<Store>,
}

#[component(RunControls)]
pub fn run_controls(props: &RunControlsProps) -> Html {
    let busy = props.running.is_some();
    let run = |request: RunRequest| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Run(request)))
    };
    let stop = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Stop))
    };
    // Announced once per mode change; the per-task count is not live, so
    // screen readers are not flooded every frame.
    let (status, progress) = match props.running {
        Some((mode, done, total)) => {
            let next = if props.queued.is_empty() {
                ""
            } else {
                ", gathered next"
            };
            (
                format!("Running {}{next}…", mode.label().to_lowercase()),
                format!("{done} of {total} tasks done"),
            )
        }
        None => (String::new(), String::new()),
    };
    let disabled = busy || !props.valid;
    html! {
        <div class="run-controls">
            <h2 id="run-heading">{ "Run" }</h2>
            <div class="buttons" role="group" aria-label="Run the tasks">
                <button class="btn" id="run-sequential" disabled={disabled}
                    title={RunMode::Sequential.python()}
                    onclick={run(RunRequest::Only(RunMode::Sequential))}>
                    { "Run sequential" }
                </button>
                <button class="btn" id="run-gathered" disabled={disabled}
                    title={RunMode::Gather.python()}
                    onclick={run(RunRequest::Only(RunMode::Gather))}>
                    { "Run gathered" }
                </button>
                <button class="btn primary" id="run-compare" disabled={disabled}
                    title="Run sequential, then gathered, and compare"
                    onclick={run(RunRequest::Compare)}>
                    { "Compare" }
                </button>
                <button class="btn danger" id="run-stop" disabled={!busy} onclick={stop}>
                    { "Stop" }
                </button>
            </div>
            <p class="status">
                <span role="status">{ status }</span>
                { " " }<span class="progress">{ progress }</span>
            </p>
            if let Some(notice) = &props.notice {
                <p class="notice" role="alert">{ notice }</p>
            }
        </div>
    }
}
