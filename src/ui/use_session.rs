//! `use_session`: performs what `domain::state::session` decides. It reads the
//! storage and the address once when the playground opens, copies an
//! unreadable saved state aside, writes the autosave after the debounce (or
//! at once when a run ended), and listens for other tabs' writes.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use yew::prelude::*;

use super::props::AppProps;
use super::store::Store;
use crate::domain::state::session::{
    backup_key, DocKey, Opening, Save, Session, SessionView, Stored,
};
use crate::domain::state::{Action, AppState};
use crate::runtime::storage::{self, StorageError};
use crate::runtime::{files, location};

/// Quiet time after the last edit before the scenario is written.
pub const AUTOSAVE_DEBOUNCE_MS: u32 = 300;

/// What the UI needs to show about the session, and its buttons.
#[derive(Clone, PartialEq)]
pub struct SessionHandle {
    pub view: SessionView,
    /// Loads the user's own scenario back.
    pub restore: Callback<()>,
    /// Hides the shared-link banner (the shared scenario stays).
    pub dismiss: Callback<()>,
    /// Downloads the saved state that was kept aside.
    pub download_backup: Callback<()>,
    /// Hides the backup notice (the copy stays in storage).
    pub dismiss_backup: Callback<()>,
}

/// The storage's answer as the session takes it.
fn stored<'a>(loaded: &'a Result<Option<String>, StorageError>, why: &'a mut String) -> Stored<'a> {
    match loaded {
        Ok(Some(text)) => Stored::Text(text),
        Ok(None) => Stored::Empty,
        Err(e) => {
            *why = e.to_string();
            Stored::Unavailable(why)
        }
    }
}

/// Copies the saved state the session holds aside, unless that very text
/// is there already.
fn keep_backup(key: &str, session: &mut Session) {
    let key = backup_key(key);
    let existing = storage::load(&key).ok().flatten();
    let result = match session.backup_to_keep(existing.as_deref()) {
        Some(text) => storage::save(&key, &text).map_err(|e| e.to_string()),
        None => Ok(()),
    };
    session.backup_kept(result);
}

fn open(props: &AppProps) -> (AppState, Session) {
    let key = props.autosave_key.as_deref();
    let loaded = key.map(storage::load);
    let mut why = String::new();
    let fragment = props.read_link.then(location::fragment);
    let (state, mut session) = Session::open(Opening {
        autosave: loaded.as_ref().map(|l| stored(l, &mut why)),
        initial: props.initial.as_deref().cloned(),
        link: fragment.as_deref(),
        start_notice: props.start_notice.as_ref().map(|s| s.to_string()),
    });
    if let Some(key) = key {
        // Before anything could overwrite it.
        keep_backup(key, &mut session);
    }
    (state, session)
}

/// Everything a write or a storage event needs, outliving renders.
#[derive(Clone)]
struct Io {
    key: AttrValue,
    session: Rc<RefCell<Session>>,
    /// The newest store handle (its state is the newest).
    latest: Rc<RefCell<UseReducerHandle<Store>>>,
    /// Re-renders after the session changed.
    refresh: UseForceUpdateHandle,
}

impl Io {
    fn dispatch(&self, actions: Vec<Action>) {
        let store = self.latest.borrow().clone();
        for action in actions {
            store.dispatch(action);
        }
        self.refresh.force_update();
    }

    /// Reads storage again (another tab may have written), merges, writes.
    fn write(&self) {
        let store = self.latest.borrow().clone();
        let loaded = storage::load(&self.key);
        let mut why = String::new();
        let mut session = self.session.borrow_mut();
        let mut plan = session.plan_write(&store.0, stored(&loaded, &mut why));
        if plan.backup.take().is_some() {
            keep_backup(&self.key, &mut session);
        }
        let mut actions = std::mem::take(&mut plan.actions);
        let note = loop {
            match storage::save(&self.key, &plan.text) {
                Ok(()) => break session.wrote(&plan),
                Err(StorageError::Full) if session.retry_smaller(&mut plan) => {}
                Err(e) => break session.failed(&e.to_string()),
            }
        };
        drop(session);
        actions.extend(note.map(Action::Notify));
        self.dispatch(actions);
    }

    /// Another tab changed the autosave.
    fn other_tab_wrote(&self) {
        let store = self.latest.borrow().clone();
        let loaded = storage::load(&self.key);
        let mut why = String::new();
        let actions = self
            .session
            .borrow_mut()
            .other_tab_wrote(&store.0, stored(&loaded, &mut why));
        if !actions.is_empty() {
            self.dispatch(actions);
        }
    }
}

#[hook]
pub fn use_session(props: &AppProps) -> (UseReducerHandle<Store>, SessionHandle) {
    // Opening reads storage and the address once, before the first render,
    // so nothing is ever drawn (or autosaved) from the wrong scenario.
    let first = {
        let props = props.clone();
        use_memo((), move |_| {
            let (state, session) = open(&props);
            (state, Rc::new(RefCell::new(session)))
        })
    };
    let store = {
        let state = first.0.clone();
        use_reducer(move || Store(state))
    };
    let session = first.1.clone();
    let refresh = use_force_update();
    let latest = use_mut_ref(|| store.clone());
    *latest.borrow_mut() = store.clone();
    let io = props.autosave_key.clone().map(|key| Io {
        key,
        session: session.clone(),
        latest: latest.clone(),
        refresh: refresh.clone(),
    });
    // The debounce timer, and the `storage` listener: runs another tab
    // finishes (or forgets) show up here as they happen. Both end with the
    // playground.
    let timer = use_mut_ref(|| (None::<Timeout>, None::<EventListener>));

    {
        let state = &store.0;
        let busy = state.is_running() || !state.queued.is_empty();
        let runs: Vec<_> = state.history.iter().map(|r| r.id).collect();
        let (session, refresh, store) = (session.clone(), refresh.clone(), store.clone());
        use_effect_with((DocKey::of(state), runs, busy), move |_| {
            let change = session.borrow_mut().changed(&store.0);
            if change.link_taken {
                location::clear_fragment();
                refresh.force_update();
            }
            let (timer, listener) = &mut *timer.borrow_mut();
            *timer = None;
            let Some(io) = io else {
                return;
            };
            if listener.is_none() {
                let io = io.clone();
                *listener = storage::watch(move || io.other_tab_wrote());
            }
            match change.save {
                Save::Soon => *timer = Some(Timeout::new(AUTOSAVE_DEBOUNCE_MS, move || io.write())),
                Save::Now => io.write(),
                Save::Nothing => {}
            }
        });
    }

    let handle = {
        let act = |change: fn(&mut Session) -> Option<Action>| {
            let (session, refresh, dispatch) =
                (session.clone(), refresh.clone(), store.dispatcher());
            Callback::from(move |()| {
                let action = change(&mut session.borrow_mut());
                refresh.force_update();
                if let Some(action) = action {
                    dispatch.dispatch(action);
                }
            })
        };
        let download_backup = {
            let (session, dispatch) = (session.clone(), store.dispatcher());
            Callback::from(move |()| {
                let Some(text) = session.borrow().backup_text() else {
                    return;
                };
                let name = "async-playground-saved-state.json";
                if let Err(e) = files::download_text(name, "application/json", &text) {
                    dispatch.dispatch(Action::Notify(format!("The download failed: {e}")));
                }
            })
        };
        SessionHandle {
            view: session.borrow().view(),
            restore: act(|s| {
                location::clear_fragment();
                Some(s.restore())
            }),
            dismiss: act(|s| {
                s.dismiss();
                None
            }),
            download_backup,
            dismiss_backup: act(|s| {
                s.dismiss_backup();
                None
            }),
        }
    };
    (store, handle)
}
