//! The session policy: where a playground's scenario comes from when it
//! opens, when its autosave is written, and how the history of two tabs
//! sharing one autosave is merged. Pure: the UI hook reads storage and the
//! address, runs the debounce timer and performs what this decides.
//!
//! - **Opening**, in priority: a shared link (URL fragment), else an
//!   embed's own scenario, else the autosave, else the defaults; with a
//!   message for whatever could not be read. Embeds and framed pages keep
//!   no autosave and never read the user's.
//! - **Reading never destroys**: nothing is written until the user changes
//!   something (an edit, a finished run, a forgotten run). A saved state
//!   that could not be read in full is copied aside ([`backup_key`]) and
//!   offered for download before anything could overwrite it.
//! - **A shared link** never overwrites the user's own scenario by itself:
//!   until it is edited, writes carry the user's own scenario (and any new
//!   runs); the first edit makes it theirs.
//! - **Two tabs**: runs have an identity ([`RunKey`]). Before writing,
//!   storage is read again; if another tab wrote since, the histories are
//!   merged three-way against what was last seen (runs added there are
//!   taken, runs removed there are removed here, this tab's own are kept).
//!   The scenario is per-tab editing: the last edit wins.
//! - **Size**: the autosave is capped ([`DEFAULT_SAVED_MAX_CHARS`]); on a
//!   full quota the cap is halved, dropping the oldest runs, and the user is
//!   told once.

use std::rc::Rc;

use crate::domain::formats::codec::{
    self, read_saved, CodecError, SavedState, DEFAULT_SAVED_MAX_CHARS,
};
use crate::domain::run::Run;
use crate::domain::run::SavedRun;
use crate::domain::scenario::doc::ScenarioDoc;
use crate::domain::scenario::{OptionTexts, RunMode, RunOptions, TaskDraft};
use crate::domain::state::autorun::Asker;
use crate::domain::state::guess::Tally;
use crate::domain::state::{Action, AppState, RunRequest, MAX_HISTORY};

/// Longest fragment read as a link; longer ones are refused unread.
pub const MAX_LINK_CHARS: usize = 256 * 1024;

/// Where an unreadable saved state is copied aside.
pub fn backup_key(key: &str) -> String {
    format!("{key}:backup")
}

/// What the storage held under the autosave key.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stored<'a> {
    Empty,
    Text(&'a str),
    /// Storage cannot be used here; why, in words.
    Unavailable(&'a str),
}

/// What a playground is opened with.
#[derive(Clone, Debug, Default)]
pub struct Opening<'a> {
    /// What the autosave held; `None`: this playground keeps no autosave.
    pub autosave: Option<Stored<'a>>,
    /// The embed's own scenario.
    pub initial: Option<ScenarioDoc>,
    /// The address's fragment, when this playground opens links.
    pub link: Option<&'a str>,
    /// A message to show at start.
    pub start_notice: Option<String>,
}

/// A run's identity, the same in every tab and after a reload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunKey {
    /// Its wall-clock start (bits of the f64 ms) and mode.
    Started(u64, RunMode),
    /// A run with no known start (older saves): its content.
    Content(u64),
}

/// The identity of a saved run.
pub fn run_key(run: &SavedRun) -> RunKey {
    if run.started_unix_ms > 0.0 {
        RunKey::Started(run.started_unix_ms.to_bits(), run.mode)
    } else {
        RunKey::Content(fingerprint(&codec::run_to_json(run)))
    }
}

/// The identity of a run the state holds.
pub fn held_run_key(run: &Run) -> RunKey {
    if run.started_unix_ms > 0.0 {
        RunKey::Started(run.started_unix_ms.to_bits(), run.mode)
    } else {
        run_key(&run.to_saved())
    }
}

fn history_keys(state: &AppState) -> Vec<RunKey> {
    state.history.iter().map(|r| held_run_key(r)).collect()
}

/// FNV-1a: a stable hash, the same in every tab and build.
fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// How many runs a saved-state text holds. `"started_unix_ms":` with its
/// quotes is a field of runs only; inside a string a quote is escaped.
pub fn runs_in(text: &str) -> usize {
    const FIELD: &[u8] = b"\"started_unix_ms\":";
    // A plain scan: `str::matches` would pull a substring searcher into
    // the app's bundle for this one call.
    text.as_bytes()
        .windows(FIELD.len())
        .filter(|w| *w == FIELD)
        .count()
}

/// Whether two key lists hold the same runs (order aside).
fn same_runs(a: &[RunKey], b: &[RunKey]) -> bool {
    a.len() == b.len() && a.iter().all(|k| b.contains(k))
}

/// What a three-way merge of histories decides, against `base` (the
/// history in storage as this tab last saw it).
#[derive(Clone, Debug, PartialEq)]
pub struct Merge {
    /// Runs another tab added: take them.
    pub add: Vec<SavedRun>,
    /// Runs another tab removed (forgot, cleared or trimmed): drop them.
    pub forget: Vec<RunKey>,
}

/// Merges `theirs` (storage now) into `ours` against `base`. Runs this tab
/// has but storage never had are kept; nothing is dropped unless another
/// tab removed it.
pub fn merge(ours: &[RunKey], base: &[RunKey], theirs: &[SavedRun]) -> Merge {
    let their_keys: Vec<RunKey> = theirs.iter().map(run_key).collect();
    let add = theirs
        .iter()
        .zip(&their_keys)
        .filter(|(_, k)| !ours.contains(k) && !base.contains(k))
        .map(|(run, _)| run.clone())
        .collect();
    let forget = ours
        .iter()
        .filter(|k| base.contains(k) && !their_keys.contains(k))
        .copied()
        .collect();
    Merge { add, forget }
}

/// Inserts `run` after the last run not known to start later (the order
/// `AppState` keeps its history in), then drops the oldest beyond `limit`.
pub fn insert_by_start(history: &mut Vec<SavedRun>, run: SavedRun, limit: usize) {
    let start = run.started_unix_ms;
    let at = history
        .iter()
        .rposition(|r| r.started_unix_ms <= start || start == 0.0)
        .map_or(0, |i| i + 1);
    history.insert(at, run);
    let excess = history.len().saturating_sub(limit);
    history.drain(..excess);
}

/// The parts of the state the autosave writes; a change is an edit.
#[derive(Clone, Debug, PartialEq)]
pub struct DocKey {
    drafts: Rc<Vec<TaskDraft>>,
    speed_text: String,
    mode: RunMode,
    options: RunOptions,
    option_texts: OptionTexts,
    title: String,
}

impl DocKey {
    pub fn of(state: &AppState) -> Self {
        DocKey {
            drafts: state.drafts.clone(),
            speed_text: state.speed_text.clone(),
            mode: state.mode,
            options: state.options,
            option_texts: state.option_texts.clone(),
            title: state.title.clone(),
        }
    }
}

/// A saved state that could not be read in full, kept aside.
#[derive(Clone, Debug, PartialEq)]
pub struct Backup {
    /// The saved text exactly as it was.
    pub text: Rc<str>,
    /// What could not be read, for the user.
    problem: String,
    /// Whether the copy under [`backup_key`] is in place.
    kept: Option<Result<(), String>>,
}

impl Backup {
    /// What the notice says.
    pub fn note(&self) -> String {
        let kept = match &self.kept {
            Some(Err(e)) => {
                format!(
                    " Keeping a copy in this browser failed ({e}): download it before you edit."
                )
            }
            _ => " A copy of it is kept in this browser, and you can download it.".to_string(),
        };
        format!("{}{kept}", self.problem)
    }
}

/// What the UI shows about the session.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionView {
    /// A shared link's scenario is shown, unedited: the banner is up.
    pub shared: bool,
    /// The user has an own saved scenario to go back to.
    pub can_restore: bool,
    /// A saved state was kept aside: what to say (with a download button).
    pub backup_note: Option<String>,
}

/// When to write after a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Save {
    Nothing,
    /// After the debounce (an edit: more keystrokes may follow).
    Soon,
    /// At once (a run ended or was forgotten: keep it even if the tab closes).
    Now,
}

/// What a change of the state means for the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    pub save: Save,
    /// The shared link's scenario was edited and is the user's now: the
    /// fragment should leave the address bar.
    pub link_taken: bool,
}

/// One write, planned: perform `backup` (if any), then write `text`, then
/// dispatch `actions` and report the outcome back ([`Session::wrote`],
/// [`Session::retry_smaller`], [`Session::failed`]).
#[derive(Clone, Debug)]
pub struct WritePlan {
    /// A saved state another tab wrote that cannot be read: copy it aside
    /// before overwriting it.
    pub backup: Option<Rc<str>>,
    pub text: String,
    /// Bring this tab's history in line with the merge.
    pub actions: Vec<Action>,
    saved: SavedState,
    keys: Vec<RunKey>,
}

/// The session's state: see the module header.
#[derive(Clone, Debug)]
pub struct Session {
    autosave: bool,
    /// The shared link's scenario while unedited.
    link: Option<DocKey>,
    banner: bool,
    /// The user's own saved scenario (the latest storage holds).
    own: Option<ScenarioDoc>,
    /// The editor's scenario as opened or last written.
    doc: DocKey,
    /// This tab's history as opened, last written or merged.
    synced: Vec<RunKey>,
    /// The guess tally as opened, last written or merged…
    tally_synced: Tally,
    /// …and as storage held it then: the merge base for another tab's.
    tally_base: Tally,
    /// The history in storage as last read or written: the merge base.
    base: Vec<RunKey>,
    /// Fingerprint of the storage text as last read or written.
    seen: Option<u64>,
    backup: Option<Backup>,
    cap_chars: usize,
    told_trim: bool,
    told_failed: bool,
    told_other_tab: bool,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn busy(state: &AppState) -> bool {
    // Writing while a run goes would block the loop for as long as
    // serialising takes, and that delay would show in the timings.
    state.is_running() || !state.queued.is_empty()
}

impl Session {
    /// Opens a playground: its first state, and the session around it.
    pub fn open(opening: Opening) -> (AppState, Session) {
        let mut state = AppState::default();
        let mut notices: Vec<String> = Vec::new();
        let (mut own, mut base, mut seen, mut backup) = (None, Vec::new(), None, None);
        let mut tally = Tally::default();
        let mut autosave = opening.autosave.is_some();
        match opening.autosave {
            None | Some(Stored::Empty) => {}
            Some(Stored::Unavailable(why)) => {
                autosave = false;
                notices.push(format!(
                    "Autosave is off: {why}. The playground works, but nothing is kept after a reload."
                ));
            }
            Some(Stored::Text(text)) => {
                seen = Some(fingerprint(text));
                match read_saved(text) {
                    Ok(read) => {
                        let (left_out_runs, ignored) = (read.runs_left_out(), read.fields_ignored());
                        let saved = read.state;
                        base = saved.history.iter().map(run_key).collect();
                        tally = saved.guesses;
                        state.apply(Action::SetTally(tally));
                        state.apply(Action::LoadScenario(saved.scenario.clone()));
                        let offered = saved.history.len();
                        state.apply(Action::LoadHistory(saved.history));
                        // Runs that fail today's checks are left out too.
                        state.notice = None;
                        // Runs the codec left out, and runs that fail
                        // today's checks: both would be lost by a write.
                        let runs = offered - state.history.len() + left_out_runs;
                        if runs > 0 {
                            let why = read
                                .left_out
                                .iter()
                                .find(|e| e.reason != codec::IGNORED_FIELD)
                                .map_or(String::new(), |e| format!(" ({e})"));
                            let what = plural(runs, "saved run was", "saved runs were");
                            backup = Some(Backup {
                                text: text.into(),
                                problem: format!(
                                    "Part of your saved work could not be read{why}: {what} left out."
                                ),
                                kept: None,
                            });
                        } else if ignored > 0 {
                            // A newer build's extra fields: read the rest, and
                            // keep the original aside (a write drops them).
                            backup = Some(Backup {
                                text: text.into(),
                                problem: "Your saved work came from a newer version of the playground; what this version does not know was ignored.".to_string(),
                                kept: None,
                            });
                        }
                        own = Some(saved.scenario);
                    }
                    Err(e) => {
                        backup = Some(Backup {
                            text: text.into(),
                            problem: format!(
                                "Your saved scenario could not be read ({e}), so the default one is shown."
                            ),
                            kept: None,
                        })
                    }
                }
            }
        }
        if let Some(doc) = opening.initial {
            state.apply(Action::LoadScenario(doc));
        }
        let kept = if own.is_some() {
            "Your own scenario is shown instead."
        } else {
            "The default scenario is shown instead."
        };
        let mut link = None;
        match opening.link.map(|f| (f.len(), codec::from_fragment(f))) {
            Some((chars, _)) if chars > MAX_LINK_CHARS => notices.push(format!(
                "This link is too long to open ({chars} characters; at most {MAX_LINK_CHARS}). {kept}"
            )),
            Some((_, Ok(Some(request)))) => {
                let mode = request.doc.mode;
                state.apply(Action::LoadScenario(request.doc));
                if autosave {
                    link = Some(DocKey::of(&state));
                }
                if request.run {
                    state.apply(Action::AutoRun(RunRequest::Only(mode), Asker::Link));
                    notices.extend(state.notice.take());
                }
            }
            Some((_, Err(e))) => notices.push(format!("This link could not be opened: {e}. {kept}")),
            None | Some((_, Ok(None))) => {}
        }
        notices.extend(opening.start_notice);
        if !notices.is_empty() {
            state.apply(Action::Notify(notices.join(" ")));
        }
        let session = Session {
            autosave,
            banner: link.is_some(),
            link,
            own,
            doc: DocKey::of(&state),
            synced: history_keys(&state),
            base,
            tally_synced: tally,
            tally_base: tally,
            seen,
            backup,
            cap_chars: DEFAULT_SAVED_MAX_CHARS,
            told_trim: false,
            told_failed: false,
            told_other_tab: false,
        };
        (state, session)
    }

    pub fn view(&self) -> SessionView {
        SessionView {
            shared: self.banner,
            can_restore: self.own.is_some(),
            backup_note: self.backup.as_ref().map(Backup::note),
        }
    }

    /// The saved text to copy aside, if the one read could not be read in
    /// full and `existing` (what the backup key holds) is not that text.
    pub fn backup_to_keep(&self, existing: Option<&str>) -> Option<Rc<str>> {
        let backup = self.backup.as_ref()?;
        (existing != Some(&*backup.text)).then(|| backup.text.clone())
    }

    /// Whether the copy aside is in place (`Err`: why not).
    pub fn backup_kept(&mut self, result: Result<(), String>) {
        if let Some(backup) = &mut self.backup {
            backup.kept = Some(result);
        }
    }

    /// The saved text kept aside, for the download button.
    pub fn backup_text(&self) -> Option<Rc<str>> {
        self.backup.as_ref().map(|b| b.text.clone())
    }

    /// Hides the backup notice (the copy stays under [`backup_key`]).
    pub fn dismiss_backup(&mut self) {
        self.backup = None;
    }

    /// Hides the shared-link banner (the link's scenario stays unsaved
    /// until edited).
    pub fn dismiss(&mut self) {
        self.banner = false;
    }

    /// Brings the user's own scenario back in place of a link's.
    pub fn restore(&mut self) -> Action {
        self.link = None;
        self.banner = false;
        match &self.own {
            Some(doc) => Action::LoadScenario(doc.clone()),
            None => Action::ResetScenario,
        }
    }

    /// Called whenever the scenario, the history or the busy state changed.
    pub fn changed(&mut self, state: &AppState) -> Change {
        let doc = DocKey::of(state);
        let link_taken = self.link.as_ref().is_some_and(|l| *l != doc);
        if link_taken {
            self.link = None;
            self.banner = false;
        }
        let save = if !self.autosave || busy(state) {
            Save::Nothing
        } else if !same_runs(&history_keys(state), &self.synced) || state.tally != self.tally_synced
        {
            Save::Now
        } else if doc != self.doc {
            Save::Soon
        } else {
            Save::Nothing
        };
        Change { save, link_taken }
    }

    /// Plans writing `state`, given what the storage holds now (another tab
    /// may have written since this one last looked).
    pub fn plan_write(&mut self, state: &AppState, stored: Stored) -> WritePlan {
        let mut history = state.saved_history();
        let mut keys = history_keys(state);
        let mut actions = Vec::new();
        let mut backup = None;
        let mut guesses = state.tally;
        let theirs = match stored {
            Stored::Text(text) if Some(fingerprint(text)) != self.seen => Some(text),
            _ => None,
        };
        if let Some(text) = theirs {
            match read_saved(text) {
                Ok(read) => {
                    if !read.left_out.is_empty() {
                        backup = Some(self.keep_aside(text, &read.left_out[0]));
                    }
                    let merge = merge(&keys, &self.base, &read.state.history);
                    actions = self.merge_actions(state, &merge, read.state.scenario);
                    let mut merged: Vec<SavedRun> = history
                        .into_iter()
                        .zip(&keys)
                        .filter(|(_, k)| !merge.forget.contains(k))
                        .map(|(run, _)| run)
                        .collect();
                    for run in merge.add {
                        insert_by_start(&mut merged, run, MAX_HISTORY);
                    }
                    keys = merged.iter().map(run_key).collect();
                    history = merged;
                    self.base = read.state.history.iter().map(run_key).collect();
                    guesses = state.tally.merged(read.state.guesses, self.tally_base);
                    if guesses != state.tally {
                        actions.push(Action::SetTally(guesses));
                    }
                }
                Err(e) => backup = Some(self.keep_aside(text, &e)),
            }
        }
        let scenario = match (&self.link, &self.own) {
            // An unedited link is not the user's: keep their own.
            (Some(_), Some(own)) => own.clone(),
            (Some(_), None) => AppState::default().scenario_doc(),
            (None, _) => state.scenario_doc(),
        };
        let saved = SavedState {
            scenario,
            history,
            guesses,
        };
        self.doc = DocKey::of(state);
        self.synced = keys.clone();
        self.tally_synced = guesses;
        WritePlan {
            backup,
            text: codec::to_saved_capped(&saved, self.cap_chars),
            actions,
            saved,
            keys,
        }
    }

    /// A saved state another tab wrote that this one cannot read in full:
    /// noted, and returned to be copied aside before it is overwritten.
    fn keep_aside(&mut self, text: &str, e: &CodecError) -> Rc<str> {
        let text: Rc<str> = text.into();
        self.backup = Some(Backup {
            text: text.clone(),
            problem: format!(
                "Another tab saved work this playground could not read in full ({e})."
            ),
            kept: None,
        });
        text
    }

    /// The actions that apply a merge to this tab's state, and the note
    /// that another tab is open (once).
    fn merge_actions(
        &mut self,
        state: &AppState,
        merge: &Merge,
        scenario: ScenarioDoc,
    ) -> Vec<Action> {
        let mut actions: Vec<Action> = state
            .history
            .iter()
            .filter(|r| merge.forget.contains(&held_run_key(r)))
            .map(|r| Action::ForgetRun(r.id))
            .collect();
        if !merge.add.is_empty() {
            actions.push(Action::LoadHistory(merge.add.clone()));
        }
        if self.link.is_some() {
            // The own scenario to restore is the latest one saved.
            self.own = Some(scenario);
        }
        if !self.told_other_tab {
            self.told_other_tab = true;
            actions.push(Action::Notify(
                "This playground is open in another tab too. Runs from both tabs are kept in the history; the scenario saved is the one edited last."
                    .to_string(),
            ));
        }
        actions
    }

    /// The write succeeded; a note if runs had to be left out (once).
    pub fn wrote(&mut self, plan: &WritePlan) -> Option<String> {
        let kept = runs_in(&plan.text);
        let total = plan.saved.history.len();
        self.seen = Some(fingerprint(&plan.text));
        self.tally_base = plan.saved.guesses;
        self.base = plan.keys[plan.keys.len().saturating_sub(kept)..].to_vec();
        self.told_failed = false;
        if kept >= total || self.told_trim {
            return None;
        }
        self.told_trim = true;
        let why = if self.cap_chars < DEFAULT_SAVED_MAX_CHARS {
            "the browser's storage for this site is full"
        } else {
            "the autosave is capped at 1.5 million characters"
        };
        Some(format!(
            "The autosave keeps only the newest {kept} of {total} runs: {why}. The older ones stay in this tab until it is closed; export them to keep them."
        ))
    }

    /// Storage is full: makes the plan smaller by halving the cap (dropping
    /// the oldest runs). `false`: there is no run left to drop.
    pub fn retry_smaller(&mut self, plan: &mut WritePlan) -> bool {
        if runs_in(&plan.text) == 0 {
            return false;
        }
        self.cap_chars = plan.text.len() / 2;
        plan.text = codec::to_saved_capped(&plan.saved, self.cap_chars);
        true
    }

    /// The write failed for good: the note to show (once in a row).
    pub fn failed(&mut self, why: &str) -> Option<String> {
        (!std::mem::replace(&mut self.told_failed, true)).then(|| {
            format!(
                "Autosave failed: {why}. The playground keeps working; your changes are not kept after a reload."
            )
        })
    }

    /// Another tab wrote `stored`: its new runs are merged in live (its
    /// removals too). Nothing happens while a run goes, or if the text
    /// cannot be read in full: the next write merges it (and keeps it).
    pub fn other_tab_wrote(&mut self, state: &AppState, stored: Stored) -> Vec<Action> {
        let Stored::Text(text) = stored else {
            return Vec::new();
        };
        let fp = Some(fingerprint(text));
        if !self.autosave || busy(state) || fp == self.seen {
            return Vec::new();
        }
        let Ok(read) = read_saved(text) else {
            return Vec::new();
        };
        if read.runs_left_out() > 0 {
            return Vec::new();
        }
        let merge = merge(&history_keys(state), &self.base, &read.state.history);
        let mut actions = self.merge_actions(state, &merge, read.state.scenario);
        self.base = read.state.history.iter().map(run_key).collect();
        let guesses = state.tally.merged(read.state.guesses, self.tally_base);
        if guesses != state.tally {
            actions.push(Action::SetTally(guesses));
        }
        self.tally_base = read.state.guesses;
        self.tally_synced = guesses;
        // In step with storage: a write follows only if this tab has runs
        // storage lacks.
        self.synced = self.base.clone();
        self.seen = fp;
        actions
    }
}
