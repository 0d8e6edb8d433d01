//! "Guess before you run": the form above the timelines (the total time,
//! and optionally which task finishes first), and what the run said about
//! the guess, under the results. Scoring and the sentence are the domain's
//! (`domain::state::guess`); this only shows them.

use yew::prelude::*;

use super::run_controls::RunSetting;
use crate::domain::scenario::{TaskDraft, TaskId};
use crate::domain::state::guess::{feedback, GuessForm, MadeGuess, Tally};

/// Above this many tasks the "first to finish" list is not offered.
const MAX_PICKS: usize = 50;

/// The form: `question` gives the preset's question, or the mode's (asked
/// only while the form is open: the app renders every frame of a run);
/// `on_setting` takes [`RunSetting::Guess`]. Plain functions, not
/// components: a component costs its own copy of Yew's lifecycle code in
/// the bundle.
pub fn guess_panel(
    form: &GuessForm,
    question: impl FnOnce() -> String,
    drafts: &[TaskDraft],
    on_setting: &Callback<RunSetting>,
) -> Html {
    let change = |edit: fn(&mut GuessForm, String)| {
        let form = form.clone();
        on_setting.reform(move |e: Event| {
            let target: web_sys::HtmlInputElement = e.target_unchecked_into();
            let mut next = form.clone();
            edit(
                &mut next,
                if target.type_() == "checkbox" {
                    target.checked().to_string()
                } else {
                    target.value()
                },
            );
            RunSetting::Guess(next)
        })
    };
    // As typed, so Ctrl+Enter in the field runs with the guess.
    let on_total = {
        let form = form.clone();
        on_setting.reform(move |e: InputEvent| {
            let target: web_sys::HtmlInputElement = e.target_unchecked_into();
            RunSetting::Guess(GuessForm {
                total_text: target.value(),
                ..form.clone()
            })
        })
    };
    let error = (form.on && !form.total_text.trim().is_empty())
        .then(|| form.total_ms().err())
        .flatten();
    html! {
        <div class="guess">
            <label class="check">
                <input type="checkbox" id="guess-on" checked={form.on}
                    onchange={change(|f, v| f.on = v == "true")} />
                { "Guess before you run" }
            </label>
            if form.on {
                <fieldset class="guess-form">
                    <legend>{ question() }</legend>
                    <label class="num">
                        { "Total time (ms)" }
                        <input type="text" id="guess-total" inputmode="decimal" autocomplete="off"
                            value={form.total_text.clone()}
                            aria-invalid={error.is_some().to_string()}
                            aria-describedby={error.is_some().then_some("guess-error")}
                            oninput={on_total} />
                    </label>
                    if drafts.len() <= MAX_PICKS {
                        <label class="num">
                            { "First to finish" }
                            <select id="guess-first" onchange={change(|f, v| f.pick = v.parse().ok().map(TaskId))}>
                                <option value="" selected={form.pick.is_none()}>{ "(no guess)" }</option>
                                { for drafts.iter().map(|d| html! {
                                    <option value={d.id.0.to_string()} selected={form.pick == Some(d.id)}>{ d.label.clone() }</option>
                                }) }
                            </select>
                        </label>
                    }
                    if let Some(message) = error {
                        <p class="option-error error" id="guess-error">{ message }</p>
                    }
                    <p class="hint">{ "Then run: your guess is set beside the model and the measurement." }</p>
                </fieldset>
            }
        </div>
    }
}

/// What the run said about the guess, and the tally so far.
pub fn guess_result(guessed: &MadeGuess, tally: Tally) -> Html {
    html! {
        <section class="guess-result" aria-labelledby="guess-result-heading">
            <h3 id="guess-result-heading">{ "Your guess" }</h3>
            { for feedback(guessed).into_iter().map(|line| html! { <p>{ line }</p> }) }
            if let Some(summary) = tally.summary() {
                <p class="hint guess-tally">{ summary }</p>
            }
        </section>
    }
}
