//! `use_session`: where a playground's scenario comes from and where it
//! goes. At start: an embed's own scenario, or a shared link (URL
//! fragment), or the autosaved state, or the defaults — with a message when
//! something could not be read. Afterwards: autosave, debounced.
//!
//! A shared link never overwrites the user's autosaved scenario by itself:
//! while the link's scenario is shown unedited, autosave waits and a banner
//! offers the user's own scenario back. The first edit makes the link's
//! scenario theirs (autosaved; the fragment leaves the address bar).

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use super::props::AppProps;
use super::store::Store;
use crate::domain::codec::{self, SavedState};
use crate::domain::scenario::{OptionTexts, RunMode, RunOptions, TaskDraft};
use crate::domain::state::{Action, AppState, RunRequest};
use crate::domain::trace::RunId;
use crate::runtime::{location, storage};

/// Quiet time after the last edit before the scenario is written.
pub const AUTOSAVE_DEBOUNCE_MS: u32 = 300;
/// Longest fragment read as a link; longer ones are refused unread.
pub const MAX_LINK_CHARS: usize = 256 * 1024;

/// What the UI needs to show about the session.
#[derive(Clone, PartialEq)]
pub struct SessionHandle {
    /// A shared scenario is shown and the user's own is kept aside.
    pub shared: bool,
    /// The user has an autosaved scenario to go back to.
    pub can_restore: bool,
    /// Loads the user's own scenario back.
    pub restore: Callback<()>,
    /// Hides the banner (the shared scenario stays).
    pub dismiss: Callback<()>,
}

/// What start-up found.
struct Startup {
    state: AppState,
    /// A link's scenario is shown over the user's saved one.
    shared: bool,
    saved: Option<SavedState>,
}

fn startup(props: &AppProps) -> Startup {
    let mut state = AppState::default();
    let mut notices: Vec<String> = Vec::new();
    let mut saved = None;
    if let Some(key) = &props.autosave_key {
        match storage::load(key) {
            Ok(Some(text)) => match codec::from_saved(&text) {
                Ok(s) => saved = Some(s),
                Err(e) => notices.push(format!(
                    "Your saved scenario could not be read ({e}), so the default one is shown; it will be replaced when you edit."
                )),
            },
            Ok(None) => {}
            Err(e) => notices.push(format!(
                "Autosave is off: {e}. The playground works, but nothing is kept after a reload."
            )),
        }
    }
    if let Some(saved) = &saved {
        state.apply(Action::LoadScenario(saved.scenario.clone()));
        state.apply(Action::LoadHistory(saved.history.clone()));
        notices.extend(state.notice.take());
    }
    let mut shared = false;
    if let Some(doc) = &props.initial {
        state.apply(Action::LoadScenario(doc.as_ref().clone()));
    }
    if props.read_link {
        let fragment = location::fragment();
        if fragment.len() > MAX_LINK_CHARS {
            notices.push(format!(
                "This link is too long to open ({} characters; at most {MAX_LINK_CHARS}). {}",
                fragment.len(),
                kept(props)
            ));
        } else {
            match codec::from_fragment(&fragment) {
                Ok(Some(link)) => {
                    let mode = link.doc.mode;
                    state.apply(Action::LoadScenario(link.doc));
                    shared = props.autosave_key.is_some();
                    if link.run {
                        state.apply(Action::Run(RunRequest::Only(mode)));
                        notices.extend(state.notice.take());
                    }
                }
                Ok(None) => {}
                Err(e) => notices.push(format!(
                    "This link could not be opened: {e}. {}",
                    kept(props)
                )),
            }
        }
    }
    if let Some(text) = &props.start_notice {
        notices.push(text.to_string());
    }
    if !notices.is_empty() {
        state.apply(Action::Notify(notices.join(" ")));
    }
    Startup {
        state,
        shared,
        saved,
    }
}

fn kept(props: &AppProps) -> &'static str {
    if props.autosave_key.is_some() {
        "Your own scenario is shown instead."
    } else {
        "The default scenario is shown instead."
    }
}

/// The parts of the state autosave writes; a change means an edit.
#[derive(Clone, PartialEq)]
struct DocKey {
    drafts: Rc<Vec<TaskDraft>>,
    speed_text: String,
    mode: RunMode,
    options: RunOptions,
    option_texts: OptionTexts,
    title: String,
}

fn doc_key(state: &AppState) -> DocKey {
    DocKey {
        drafts: state.drafts.clone(),
        speed_text: state.speed_text.clone(),
        mode: state.mode,
        options: state.options,
        option_texts: state.option_texts.clone(),
        title: state.title.clone(),
    }
}

/// Writes the scenario and history; a failure is told once per session.
fn write(
    key: &str,
    state: &AppState,
    warned: &Rc<RefCell<bool>>,
    dispatch: &UseReducerDispatcher<Store>,
) {
    let text = codec::to_saved(&SavedState {
        scenario: state.scenario_doc(),
        history: state.saved_history(),
    });
    match storage::save(key, &text) {
        Ok(()) => *warned.borrow_mut() = false,
        Err(e) => {
            if !warned.replace(true) {
                dispatch.dispatch(Action::Notify(format!(
                    "Autosave failed: {e}. The playground keeps working; your changes are not kept after a reload."
                )));
            }
        }
    }
}

#[hook]
pub fn use_session(props: &AppProps) -> (UseReducerHandle<Store>, SessionHandle) {
    // Start-up reads storage and the address once, before the first render,
    // so nothing is ever drawn (or autosaved) from the wrong scenario.
    let first = {
        let props = props.clone();
        use_memo((), move |_| startup(&props))
    };
    let store = {
        let state = first.state.clone();
        use_reducer(move || Store(state))
    };
    let shared = use_state(|| first.shared);
    let saved = use_mut_ref(|| first.saved.clone());
    // The scenario as the link opened it, to tell the user's first edit.
    let link_doc = use_mut_ref(|| first.shared.then(|| doc_key(&first.state)));
    let timer = use_mut_ref(|| None::<Timeout>);
    let warned = use_mut_ref(|| false);
    let last_history = use_mut_ref(|| None::<(usize, Option<RunId>)>);

    {
        let state = &store.0;
        // Busy: a run is going or queued. Writing then would block the loop
        // for as long as serialising the history takes, and that delay
        // would show up in the very timings being measured.
        let busy = state.is_running() || !state.queued.is_empty();
        let key = (
            doc_key(state),
            (state.history.len(), state.history.last().map(|r| r.id)),
            busy,
        );
        let store = store.clone();
        let autosave_key = props.autosave_key.clone();
        let shared = shared.clone();
        let link_doc = link_doc.clone();
        use_effect_with(key, move |(doc, history, busy)| {
            if *busy {
                // Saved when the runs are over (the history changes then).
                timer.borrow_mut().take();
                return;
            }
            let history_changed = last_history
                .replace(Some(*history))
                .is_some_and(|h| h != *history);
            let edited_link = link_doc.borrow().as_ref().is_some_and(|l| l != doc);
            if edited_link {
                // The shared scenario became the user's: save it from now on.
                *link_doc.borrow_mut() = None;
                shared.set(false);
                location::clear_fragment();
            }
            let waiting_for_edit = link_doc.borrow().is_some();
            if let (Some(key), false) = (autosave_key, waiting_for_edit) {
                let dispatch = store.dispatcher();
                if history_changed {
                    // A run just ended: keep it even if the tab closes now.
                    timer.borrow_mut().take();
                    write(&key, &store.0, &warned, &dispatch);
                } else {
                    let store = store.clone();
                    let warned = warned.clone();
                    *timer.borrow_mut() = Some(Timeout::new(AUTOSAVE_DEBOUNCE_MS, move || {
                        write(&key, &store.0, &warned, &dispatch);
                    }));
                }
            }
        });
    }

    let restore = {
        let dispatch = store.dispatcher();
        let (shared, saved, link_doc) = (shared.clone(), saved.clone(), link_doc.clone());
        Callback::from(move |()| {
            *link_doc.borrow_mut() = None;
            shared.set(false);
            location::clear_fragment();
            match saved.borrow().as_ref() {
                Some(s) => dispatch.dispatch(Action::LoadScenario(s.scenario.clone())),
                None => dispatch.dispatch(Action::ResetScenario),
            }
        })
    };
    let dismiss = {
        let shared = shared.clone();
        Callback::from(move |()| shared.set(false))
    };
    let can_restore = saved.borrow().is_some();
    (
        store,
        SessionHandle {
            shared: *shared,
            can_restore,
            restore,
            dismiss,
        },
    )
}
