//! The preset picker: loads a scenario from the asyncio tutorials into the
//! editor and shows what to notice about it.
//!
//! Which preset is loaded is read from the state's title, not kept here:
//! the explanation stays while the editor holds that preset's scenario
//! (edits included, since the numbers invite changes), and goes when
//! another scenario (a reset, a link) replaces it.

use yew::prelude::*;

use super::task_editor::ScenarioEdit;
use crate::domain::scenario::presets::{
    preset_doc, presets, speed_note, steps, Change, Preset, Press,
};
use crate::domain::state::RunRequest;

#[derive(Properties, PartialEq)]
pub struct PresetsProps {
    /// The scenario's title (`AppState::title`).
    pub title: String,
    /// Takes [`ScenarioEdit::Load`] with the picked preset's scenario.
    pub on_scenario: Callback<ScenarioEdit>,
    /// A step's button runs what the explanation quotes.
    pub on_run: Callback<RunRequest>,
}

/// The runs an explanation quotes, as JSON for tests and tools reading the
/// page: `[{"mode","change","total_ms","caller_ms"}]`, mode as its slug.
fn claims_json(preset: &Preset) -> String {
    let claims: Vec<serde_json::Value> = preset
        .expect
        .claims
        .iter()
        .map(|c| {
            let change = match c.change {
                Change::None => "none".to_string(),
                Change::ReturnExceptions(on) => format!("return-exceptions:{on}"),
                Change::PoolSize(n) => format!("pool:{n}"),
                Change::AllKinds(kind) => format!("kind:{}", kind.slug()),
            };
            serde_json::json!({
                "mode": c.mode.slug(),
                "change": change,
                "total_ms": c.total_ms,
                "caller_ms": c.caller_ms,
            })
        })
        .collect();
    serde_json::Value::Array(claims).to_string()
}

#[component(Presets)]
pub fn presets_picker(props: &PresetsProps) -> Html {
    // A handful of static entries: cheap to rebuild on each render.
    let all = presets();
    let current = all
        .iter()
        .find(|p| !props.title.is_empty() && p.title == props.title);
    let onchange = {
        let on_scenario = props.on_scenario.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Some(doc) = preset_doc(&select.value()) {
                on_scenario.emit(ScenarioEdit::Load(doc));
            }
        })
    };
    let selected_slug = current.map(|p| p.slug).unwrap_or("");
    // `selected` on an <option> is only the default: once the user has
    // picked, the select keeps its own value, so a reset or a link that
    // replaces the preset must set the value itself.
    let select_ref = use_node_ref();
    {
        let select_ref = select_ref.clone();
        use_effect_with(selected_slug, move |slug| {
            if let Some(select) = select_ref.cast::<web_sys::HtmlSelectElement>() {
                select.set_value(slug);
            }
        });
    }
    html! {
        <div class="presets">
            <div class="preset-row">
                <label for="preset-select">{ "Start from a tutorial" }</label>
                <select id="preset-select" ref={select_ref} {onchange} aria-describedby="preset-help">
                    <option value="" selected={selected_slug.is_empty()}>{ "Choose a preset…" }</option>
                    { for all.iter().map(|p| html! {
                        <option value={p.slug} selected={p.slug == selected_slug}>{ p.title }</option>
                    }) }
                </select>
            </div>
            <p id="preset-help" class="hint">
                { "Replaces the tasks with a scenario from the Python asyncio tutorials, with what to look for." }
            </p>
            <div class="preset-explain-slot" aria-live="polite">
                if let Some(p) = current {
                    <section class="preset-explain" data-preset={p.slug}
                        data-claims={claims_json(p)} aria-labelledby="preset-title">
                        <h3 id="preset-title">{ p.title }</h3>
                        <p>{ p.explanation }</p>
                        if let Some(note) = preset_doc(p.slug).as_ref().and_then(speed_note) {
                            <p class="speed-note">{ note }</p>
                        }
                        <code class="python-line">{ p.python_idea }</code>
                        <div class="preset-steps" role="group" aria-label="Try it">
                            { for steps(p).into_iter().enumerate().map(|(i, step)| {
                                let (slug, on_scenario, on_run) =
                                    (p.slug, props.on_scenario.clone(), props.on_run.clone());
                                let onclick = Callback::from(move |_: MouseEvent| {
                                    if step.change != Change::None {
                                        if let Some(doc) = preset_doc(slug) {
                                            on_scenario.emit(ScenarioEdit::Load(step.change.apply(&doc)));
                                        }
                                    }
                                    on_run.emit(match step.press {
                                        Press::Run(mode) => RunRequest::Only(mode),
                                        Press::Compare(mode) => RunRequest::Compare(mode),
                                    });
                                });
                                html! {
                                    <button type="button" class="btn preset-step" data-step={i.to_string()} {onclick}>
                                        { &step.label }
                                    </button>
                                }
                            }) }
                        </div>
                    </section>
                }
            </div>
        </div>
    }
}
