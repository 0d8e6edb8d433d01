//! `use_callbacks`: the app's typed `Callback`s, one per kind of change (a
//! task's fields, the scenario, how to run, Run and Stop, the history…),
//! made once for the app's life. Components take the ones they use as
//! `on_verb` props (as Yew's function_todomvc passes `ontoggle` and
//! `onremove`), never the store: a component sees only what it may change,
//! and its props stay equal from render to render, so it is skipped in the
//! renders a run makes on every animation frame. Only this file turns them
//! into `Action`s.
//!
//! Each callback costs code in the app's bundle, so a component's related
//! changes share one, as an enum of its own ([`TaskEdit`], [`ScenarioEdit`],
//! [`RunSetting`]).

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::components::run_controls::RunSetting;
use super::components::task_editor::ScenarioEdit;
use super::components::task_row::TaskEdit;
use super::store::Store;
use crate::domain::formats::codec;
use crate::domain::run::events::RunId;
use crate::domain::run::SavedRun;
use crate::domain::scenario::TaskId;
use crate::domain::state::{Action, RunRequest};

/// The app's callbacks, by what they do.
#[derive(Clone, PartialEq)]
pub struct AppCallbacks {
    // The editor.
    pub edit_task: Callback<(TaskId, TaskEdit)>,
    pub edit_scenario: Callback<ScenarioEdit>,
    // Running.
    /// How to run: the mode and its options.
    pub set_run: Callback<RunSetting>,
    pub run: Callback<RunRequest>,
    pub stop: Callback<()>,
    /// The answer to a run a link asked for: `true` runs it.
    pub answer_run: Callback<bool>,
    // History, comparison, files.
    pub toggle_compared: Callback<RunId>,
    pub forget_run: Callback<RunId>,
    pub clear_history: Callback<()>,
    pub import_run: Callback<SavedRun>,
    pub notify: Callback<String>,
    /// The URL fragment that opens the editor's scenario as it is now,
    /// built only when asked (a 10,000-task scenario makes a long one).
    pub scenario_fragment: Callback<(), String>,
}

/// A callback that dispatches `action(value)`.
fn sends<T: 'static>(
    dispatch: &UseReducerDispatcher<Store>,
    action: fn(T) -> Action,
) -> Callback<T> {
    let dispatch = dispatch.clone();
    Callback::from(move |value| dispatch.dispatch(action(value)))
}

impl AppCallbacks {
    fn new(store: &UseReducerHandle<Store>, latest: Rc<RefCell<UseReducerHandle<Store>>>) -> Self {
        let dispatch = &store.dispatcher();
        AppCallbacks {
            edit_task: sends(dispatch, |(id, edit): (TaskId, TaskEdit)| match edit {
                TaskEdit::Label(text) => Action::SetLabel(id, text),
                TaskEdit::Duration(text) => Action::SetDuration(id, text),
                TaskEdit::Kind(kind) => Action::SetKind(id, kind),
                TaskEdit::Message(text) => Action::SetMessage(id, text),
                TaskEdit::Timeout(text) => Action::SetTimeout(id, text),
                TaskEdit::Items(text) => Action::SetItems(id, text),
                TaskEdit::Body(text) => Action::SetBody(id, text),
                TaskEdit::Move(delta) => Action::MoveTask(id, delta),
                TaskEdit::Duplicate => Action::DuplicateTask(id),
                TaskEdit::Remove => Action::RemoveTask(id),
            }),
            edit_scenario: sends(dispatch, |edit| match edit {
                ScenarioEdit::AddTask => Action::AddTask,
                ScenarioEdit::Generate { count, duration_ms } => {
                    Action::Generate { count, duration_ms }
                }
                ScenarioEdit::Speed(text) => Action::SetSpeed(text),
                ScenarioEdit::Load(doc) => Action::LoadScenario(doc),
                ScenarioEdit::Reset => Action::ResetScenario,
            }),
            set_run: sends(dispatch, |setting| match setting {
                RunSetting::Mode(mode) => Action::SetMode(mode),
                RunSetting::Options(options) => Action::SetOptions(options),
                RunSetting::Limit(text) => Action::SetLimit(text),
                RunSetting::PoolSize(text) => Action::SetPoolSize(text),
                RunSetting::Guess(form) => Action::SetGuess(form),
            }),
            run: sends(dispatch, Action::Run),
            stop: sends(dispatch, |()| Action::Stop),
            answer_run: sends(dispatch, Action::AnswerRun),
            toggle_compared: sends(dispatch, Action::ToggleCompared),
            forget_run: sends(dispatch, Action::ForgetRun),
            clear_history: sends(dispatch, |()| Action::ClearHistory),
            import_run: sends(dispatch, Action::ImportRun),
            notify: sends(dispatch, Action::Notify),
            scenario_fragment: Callback::from(move |()| {
                codec::to_fragment(&latest.borrow().0.scenario_doc(), false)
            }),
        }
    }
}

/// The app's callbacks: the same ones on every render.
#[hook]
pub fn use_callbacks(store: &UseReducerHandle<Store>) -> Rc<AppCallbacks> {
    // The newest store, for callbacks that read the state when called.
    let latest = use_mut_ref(|| store.clone());
    *latest.borrow_mut() = store.clone();
    // Made on the first render, kept after.
    let made = use_mut_ref(|| Rc::new(AppCallbacks::new(store, latest.clone())));
    let made = made.borrow().clone();
    made
}
