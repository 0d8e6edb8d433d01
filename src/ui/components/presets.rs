//! The preset picker: loads a scenario from the asyncio tutorials into the
//! editor and shows what to notice about it.
//!
//! Which preset is loaded is read from the state's title, not kept here:
//! the explanation stays while the editor holds that preset's scenario
//! (edits included, since the numbers invite changes), and goes when
//! another scenario (a reset, a link) replaces it. The explanation comes
//! from the tools worker (`domain::formats::tools`, `Op::Preset`): it is
//! shown once the answer for the preset on screen arrives.

use std::rc::Rc;

use yew::prelude::*;

use super::task_editor::ScenarioEdit;
use crate::domain::formats::tools::{preset_text_from_answer, Op, PresetText};
use crate::domain::scenario::presets::{preset_doc, Change, Press, MENU};
use crate::domain::state::RunRequest;
use crate::runtime::workers::tools_host;

/// What the picker shows and whom it tells.
pub struct PresetsProps {
    /// The scenario's title (`AppState::title`).
    pub title: String,
    /// Takes [`ScenarioEdit::Load`] with the picked preset's scenario.
    pub on_scenario: Callback<ScenarioEdit>,
    /// A step's button runs what the explanation quotes.
    pub on_run: Callback<RunRequest>,
    /// False in an embed: nothing is drawn, nothing asked of the worker.
    pub shown: bool,
}

/// The picker, drawn: a hook, not a component (a component is several KB
/// of wasm).
#[hook]
pub fn use_presets(props: &PresetsProps) -> Html {
    let current = MENU
        .iter()
        .find(|(_, title)| props.shown && !props.title.is_empty() && *title == props.title);
    let onchange = {
        let on_scenario = props.on_scenario.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Some(doc) = preset_doc(&select.value()) {
                on_scenario.emit(ScenarioEdit::Load(doc));
            }
        })
    };
    let selected_slug = current.map(|(slug, _)| *slug).unwrap_or("");
    // The explanation of the preset on screen, with the slug it is about.
    let text = use_state(|| None::<(&'static str, Rc<Result<PresetText, String>>)>);
    // `selected` on an <option> is only the default: once the user has
    // picked, the select keeps its own value, so a reset or a link that
    // replaces the preset must set the value itself.
    let select_ref = use_node_ref();
    {
        let (text, select_ref) = (text.setter(), select_ref.clone());
        // One effect for both: each effect is code in the wasm.
        use_effect_with(selected_slug, move |&slug| {
            if let Some(select) = select_ref.cast::<web_sys::HtmlSelectElement>() {
                select.set_value(slug);
            }
            if !slug.is_empty() {
                wasm_bindgen_futures::spawn_local(async move {
                    let reply = tools_host::call(Op::Preset, slug.to_string()).await;
                    let read = reply.and_then(|answer| preset_text_from_answer(&answer));
                    text.set(Some((slug, Rc::new(read))));
                });
            }
        });
    }
    let explained = match (current, &*text) {
        (Some(&(slug, title)), Some((about, read))) if *about == slug => {
            Some((slug, title, read.clone()))
        }
        _ => None,
    };
    if !props.shown {
        return html! {};
    }
    html! {
        <div class="presets">
            <div class="preset-row">
                <label for="preset-select">{ "Start from a tutorial" }</label>
                <select id="preset-select" ref={select_ref} {onchange} aria-describedby="preset-help">
                    <option value="" selected={selected_slug.is_empty()}>{ "Choose a preset…" }</option>
                    { for MENU.iter().map(|&(slug, title)| html! {
                        <option value={slug} selected={slug == selected_slug}>{ title }</option>
                    }) }
                </select>
            </div>
            <p id="preset-help" class="hint">
                { "Replaces the tasks with a scenario from the Python asyncio tutorials, with what to look for." }
            </p>
            <div class="preset-explain-slot" aria-live="polite">
                if let Some((slug, title, read)) = explained {
                    <section class="preset-explain" data-preset={slug}
                        data-claims={read.as_ref().as_ref().ok().map(|t| t.claims.clone())}
                        aria-labelledby="preset-title">
                        <h3 id="preset-title">{ title }</h3>
                        { match &*read {
                            Ok(t) => html! { <>
                                <p>{ t.explanation.clone() }</p>
                                if let Some(note) = &t.speed_note {
                                    <p class="speed-note">{ note.clone() }</p>
                                }
                                <code class="python-line">{ t.python_idea.clone() }</code>
                                <div class="preset-steps" role="group" aria-label="Try it">
                                    { for t.steps.iter().cloned().enumerate().map(|(i, step)| {
                                        let (on_scenario, on_run) =
                                            (props.on_scenario.clone(), props.on_run.clone());
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
                                                { step.label.clone() }
                                            </button>
                                        }
                                    }) }
                                </div>
                            </> },
                            Err(why) => html! {
                                <p class="error">{ format!("The explanation could not be loaded: {why}") }</p>
                            },
                        } }
                    </section>
                }
            </div>
        </div>
    }
}
