//! "Make N tasks of D ms": replaces the list in one step, e.g. the
//! tutorials' 20 fetches, or 1,000 tasks to see the loop at scale.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::task_editor::ScenarioEdit;
use crate::domain::scenario::{parse_duration_ms, parse_task_count};

/// The form; `error` is its message (kept by the editor). A view function,
/// not a component: the inputs are read when the form is sent, so typing
/// re-renders nothing.
pub fn task_generator(
    on_scenario: &Callback<ScenarioEdit>,
    error: &UseStateHandle<Option<String>>,
) -> Html {
    let on_make = {
        let (error, on_scenario) = (error.clone(), on_scenario.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let form: web_sys::Element = e.target_unchecked_into();
            let text = |id: &str| {
                (form.query_selector(id).ok().flatten())
                    .map(|input| input.unchecked_into::<web_sys::HtmlInputElement>().value())
                    .unwrap_or_default()
            };
            let parsed_count = parse_task_count(&text("#gen-count"));
            let parsed_ms = parse_duration_ms(&text("#gen-duration")).map_err(|p| p.to_string());
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
                aria-invalid={error.is_some().to_string()} />
            <label for="gen-duration">{ "tasks of" }</label>
            <input id="gen-duration" type="text" inputmode="numeric" value="1000" aria-label="Duration of each made task, in ms"
                aria-invalid={error.is_some().to_string()} />
            <span class="unit">{ "ms" }</span>
            <button class="btn" id="gen-make" type="submit">{ "Replace tasks" }</button>
            if let Some(message) = &**error {
                <p class="error" role="alert">{ message }</p>
            }
        </form>
    }
}
