//! "Make N tasks of D ms": replaces the list in one step, e.g. the
//! tutorials' 20 fetches, or 1,000 tasks to see the loop at scale.

use yew::prelude::*;

use super::task_editor::ScenarioEdit;
use crate::domain::scenario::{parse_duration_ms, parse_task_count};

#[derive(Properties, PartialEq)]
pub struct TaskGeneratorProps {
    /// Takes [`ScenarioEdit::Generate`].
    pub on_scenario: Callback<ScenarioEdit>,
}

#[component(TaskGenerator)]
pub fn task_generator(props: &TaskGeneratorProps) -> Html {
    // Read when the form is sent: typing re-renders nothing.
    let (count, duration) = (use_node_ref(), use_node_ref());
    let error = use_state(|| None::<String>);
    let on_make = {
        let (count, duration, error) = (count.clone(), duration.clone(), error.clone());
        let on_scenario = props.on_scenario.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = |input: &NodeRef| {
                (input.cast::<web_sys::HtmlInputElement>())
                    .map(|input| input.value())
                    .unwrap_or_default()
            };
            let parsed_count = parse_task_count(&text(&count));
            let parsed_ms = parse_duration_ms(&text(&duration)).map_err(|p| p.to_string());
            match (parsed_count, parsed_ms) {
                (Ok(count), Ok(duration_ms)) => {
                    error.set(None);
                    on_scenario.emit(ScenarioEdit::Generate { count, duration_ms });
                }
                (Err(m), _) | (_, Err(m)) => error.set(Some(m)),
            }
        })
    };
    html! {
        <form class="generator" onsubmit={on_make} aria-label="Make many tasks">
            <label for="gen-count">{ "Make" }</label>
            <input id="gen-count" type="text" inputmode="numeric" value="20" aria-label="How many tasks to make"
                aria-invalid={error.is_some().to_string()} ref={count} />
            <label for="gen-duration">{ "tasks of" }</label>
            <input id="gen-duration" type="text" inputmode="numeric" value="1000" aria-label="Duration of each made task, in ms"
                aria-invalid={error.is_some().to_string()} ref={duration} />
            <span class="unit">{ "ms" }</span>
            <button class="btn" id="gen-make" type="submit">{ "Replace tasks" }</button>
            if let Some(message) = &*error {
                <p class="error" role="alert">{ message }</p>
            }
        </form>
    }
}
