//! "Make N tasks of D ms": replaces the list in one step, e.g. the
//! tutorials' 20 fetches, or 1,000 tasks to see the loop at scale.

use yew::prelude::*;

use crate::domain::scenario::{parse_duration_ms, parse_task_count};

#[derive(Properties, PartialEq)]
pub struct TaskGeneratorProps {
    /// Replaces the tasks with `(count, duration_ms)` tasks.
    pub on_generate: Callback<(usize, u32)>,
}

#[component(TaskGenerator)]
pub fn task_generator(props: &TaskGeneratorProps) -> Html {
    let count = use_state(|| "20".to_string());
    let duration = use_state(|| "1000".to_string());
    let error = use_state(|| None::<String>);
    let on_count = {
        let count = count.clone();
        Callback::from(move |e: InputEvent| {
            count.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    let on_duration = {
        let duration = duration.clone();
        Callback::from(move |e: InputEvent| {
            duration.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    let on_make = {
        let (count, duration, error) = (count.clone(), duration.clone(), error.clone());
        let on_generate = props.on_generate.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let parsed_count = parse_task_count(&count);
            let parsed_ms = parse_duration_ms(&duration).map_err(|p| p.to_string());
            match (parsed_count, parsed_ms) {
                (Ok(count), Ok(duration_ms)) => {
                    error.set(None);
                    on_generate.emit((count, duration_ms));
                }
                (Err(m), _) | (_, Err(m)) => error.set(Some(m)),
            }
        })
    };
    html! {
        <form class="generator" onsubmit={on_make} aria-label="Make many tasks">
            <label for="gen-count">{ "Make" }</label>
            <input id="gen-count" type="text" inputmode="numeric" value={(*count).clone()} aria-label="How many tasks to make"
                aria-invalid={error.is_some().to_string()} oninput={on_count} />
            <label for="gen-duration">{ "tasks of" }</label>
            <input id="gen-duration" type="text" inputmode="numeric" value={(*duration).clone()} aria-label="Duration of each made task, in ms"
                aria-invalid={error.is_some().to_string()} oninput={on_duration} />
            <span class="unit">{ "ms" }</span>
            <button class="btn" id="gen-make" type="submit">{ "Replace tasks" }</button>
            if let Some(message) = &*error {
                <p class="error" role="alert">{ message }</p>
            }
        </form>
    }
}
