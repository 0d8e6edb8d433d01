//! `use_callbacks`: one typed `Callback` per thing a user can do, made once
//! for the app's life. Components take the ones they use as `on_verb` props
//! (as Yew's function_todomvc passes `ontoggle` and `onremove`), never the
//! store: a component sees what it may change, and its props stay equal
//! from render to render, so it is skipped in the renders a run makes on
//! every animation frame. Only this file turns them into `Action`s.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::components::task_row::TaskEdit;
use super::store::Store;
use crate::domain::formats::codec;
use crate::domain::run::events::RunId;
use crate::domain::scenario::doc::{SavedRun, ScenarioDoc};
use crate::domain::scenario::{RunMode, RunOptions, TaskId};
use crate::domain::state::{Action, RunRequest};

/// The app's callbacks, by what they do.
#[derive(Clone, PartialEq)]
pub struct AppCallbacks {
    // The editor.
    pub add_task: Callback<()>,
    pub remove_task: Callback<TaskId>,
    pub duplicate_task: Callback<TaskId>,
    /// One place up (`-1`) or down (`1`).
    pub move_task: Callback<(TaskId, isize)>,
    pub edit_task: Callback<(TaskId, TaskEdit)>,
    /// Replaces the tasks with `(count, duration_ms)` I/O tasks.
    pub generate: Callback<(usize, u32)>,
    pub set_speed: Callback<String>,
    pub reset_scenario: Callback<()>,
    pub load_scenario: Callback<ScenarioDoc>,
    // Running.
    pub set_mode: Callback<RunMode>,
    pub set_options: Callback<RunOptions>,
    /// The Semaphore limit as typed.
    pub set_limit: Callback<String>,
    /// Threads as typed.
    pub set_pool_size: Callback<String>,
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
            add_task: sends(dispatch, |()| Action::AddTask),
            remove_task: sends(dispatch, Action::RemoveTask),
            duplicate_task: sends(dispatch, Action::DuplicateTask),
            move_task: sends(dispatch, |(id, delta)| Action::MoveTask(id, delta)),
            edit_task: sends(dispatch, |(id, edit): (TaskId, TaskEdit)| match edit {
                TaskEdit::Label(text) => Action::SetLabel(id, text),
                TaskEdit::Duration(text) => Action::SetDuration(id, text),
                TaskEdit::Kind(kind) => Action::SetKind(id, kind),
                TaskEdit::Message(text) => Action::SetMessage(id, text),
                TaskEdit::Timeout(text) => Action::SetTimeout(id, text),
                TaskEdit::Items(text) => Action::SetItems(id, text),
                TaskEdit::Body(text) => Action::SetBody(id, text),
            }),
            generate: sends(dispatch, |(count, duration_ms)| Action::Generate {
                count,
                duration_ms,
            }),
            set_speed: sends(dispatch, Action::SetSpeed),
            reset_scenario: sends(dispatch, |()| Action::ResetScenario),
            load_scenario: sends(dispatch, Action::LoadScenario),
            set_mode: sends(dispatch, Action::SetMode),
            set_options: sends(dispatch, Action::SetOptions),
            set_limit: sends(dispatch, Action::SetLimit),
            set_pool_size: sends(dispatch, Action::SetPoolSize),
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
    let store = store.clone();
    use_memo((), move |_| AppCallbacks::new(&store, latest))
}
