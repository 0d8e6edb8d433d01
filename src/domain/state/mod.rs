//! The app's whole state machine, pure: `AppState::apply(Action)`.
//!
//! The UI wraps this in a three-line `Reducible` adapter. Side effects are
//! derived from the state, not returned: while [`AppState::running`] names a
//! run, the UI keeps a runner for that run id alive; when it changes, the old
//! runner is dropped (cancelling its timers) and a new one is started.
//! What the view shows that is worked out from the state (the latest run,
//! speedups, insights' subject) is in [`selectors`].

pub mod autorun;
pub mod guess;
pub mod selectors;
pub mod session;

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::domain::model::predict;
use crate::domain::modes::ByMode;
use crate::domain::run::env::RunEnv;
use crate::domain::run::events::{EventKind, RunId, TraceEvent};
use crate::domain::run::measurement::Measurement;
use crate::domain::run::{same_scenario, Run, RunStatus, SavedRun};
use crate::domain::scenario::doc::ScenarioDoc;
use crate::domain::scenario::{
    default_drafts, parse_limit, parse_pool_size, validate_typed, OptionTexts, RunMode, RunOptions,
    Scenario, ScenarioError, TaskDraft, TaskId, TaskKind, DEFAULT_SPEED_TEXT, MAX_TASKS,
};
use autorun::{Asker, PendingRun};
use guess::{GuessForm, MadeGuess, Tally};

/// What the user asked to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunRequest {
    Only(RunMode),
    /// Sequential, then the given mode (gathered if that is sequential too),
    /// then the speedup between them.
    Compare(RunMode),
    /// The same scenario under every mode, one after another.
    CompareAll,
}

/// What stops the scenario from running that is not about one task: shown
/// by the run controls (see [`AppState::run_problems`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunProblems {
    pub limit: Option<String>,
    pub pool_size: Option<String>,
    /// The rest (the blocking budget).
    pub run: Vec<String>,
}

/// How many runs the history keeps (oldest dropped first).
pub const MAX_HISTORY: usize = 30;

/// Everything the user changes or starts.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    AddTask,
    RemoveTask(TaskId),
    DuplicateTask(TaskId),
    /// Moves a task one place up (`-1`) or down (`1`).
    MoveTask(TaskId, isize),
    SetLabel(TaskId, String),
    SetDuration(TaskId, String),
    SetKind(TaskId, TaskKind),
    SetMessage(TaskId, String),
    SetTimeout(TaskId, String),
    SetItems(TaskId, String),
    SetBody(TaskId, String),
    SetSpeed(String),
    /// The mode the Run button uses.
    SetMode(RunMode),
    /// Mode options. A number that differs from the current one replaces
    /// what was typed for it; out of range, it is reported, not clamped.
    SetOptions(RunOptions),
    /// The Semaphore limit as typed.
    SetLimit(String),
    /// Threads as typed.
    SetPoolSize(String),
    /// Replaces the task list with `count` tasks of `duration_ms` each.
    Generate {
        count: usize,
        duration_ms: u32,
    },
    /// Restores the default scenario (runs are kept).
    ResetScenario,
    Run(RunRequest),
    /// A run asked for by a link or the embedding page: heavy ones wait
    /// for the user's answer ([`AppState::pending_run`]).
    AutoRun(RunRequest, Asker),
    /// The user's answer to the pending run: run it, or not.
    AnswerRun(bool),
    Stop,
    /// Replaces the editor's scenario (a link, a preset, an embed, autosave).
    LoadScenario(ScenarioDoc),
    /// Adds saved or imported runs to the history (newest last).
    LoadHistory(Vec<SavedRun>),
    /// Adds an imported run to the history and shows it (alone) in the
    /// comparison view.
    ImportRun(SavedRun),
    /// Adds or removes a history run from the side-by-side comparison.
    ToggleCompared(RunId),
    /// Removes one run from the history.
    ForgetRun(RunId),
    ClearHistory,
    /// Shows a message (a bad link, a failed import, a saved state reset).
    Notify(String),
    DismissNotice,
    /// What the page was like during a run (hidden, off-screen, throttled).
    RunEnv(RunId, RunEnv),
    /// "Guess before you run": the form as the user left it.
    SetGuess(GuessForm),
    /// The tally of guesses, merged with another tab's.
    SetTally(Tally),
    /// What the running run did since the last update: its events (the UI
    /// hands them over once per animation frame), and its elapsed time then
    /// (`None`: the update is not a frame's, e.g. the run's last event).
    RunProgress {
        events: Vec<TraceEvent>,
        now_ms: Option<f64>,
    },
}

/// The app's state. Fields are read by the UI; change it only via `apply`.
#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    /// The editor's tasks as typed (shared so unchanged lists compare cheaply).
    pub drafts: Rc<Vec<TaskDraft>>,
    pub speed_text: String,
    /// `validate(drafts, speed_text)`, kept in step with every edit.
    pub validation: Result<Rc<Scenario>, Vec<ScenarioError>>,
    /// The mode the Run button uses.
    pub mode: RunMode,
    /// The options; Threads and the limit hold their last valid numbers
    /// while `option_texts` holds text that is not valid.
    pub options: RunOptions,
    /// Threads and the Semaphore limit as typed (see [`OptionTexts`]).
    pub option_texts: OptionTexts,
    /// Latest run of each mode. Shared: progress changes only the running
    /// run (copy-on-write), so the UI can tell an unchanged run by its
    /// pointer instead of walking 10,000 tasks.
    pub runs: ByMode<Option<Rc<Run>>>,
    /// Modes still to run for a Compare in progress.
    pub queued: Vec<RunMode>,
    /// A message about the last request that could not be carried out.
    pub notice: Option<String>,
    /// The scenario's title (from a preset, link or embed); empty if none.
    pub title: String,
    /// Finished and stopped runs, oldest first, at most [`MAX_HISTORY`];
    /// shared so the every-frame render compares it by pointer.
    pub history: Rc<Vec<Rc<Run>>>,
    /// History runs picked for the side-by-side comparison, in pick order.
    pub compared: Vec<RunId>,
    /// Runs of the Compare in progress join the comparison as they end.
    auto_compare: bool,
    /// Page conditions observed during runs (kept only for notable runs
    /// still shown or in history): see [`RunEnv`].
    pub run_envs: BTreeMap<RunId, RunEnv>,
    /// A heavy run a link or the embedding page asked for, until the user
    /// answers; any change to the scenario withdraws it.
    pub pending_run: Option<PendingRun>,
    /// "Guess before you run", as typed.
    pub guess: GuessForm,
    /// The last guess made, and its score once its run finished.
    pub guessed: Option<MadeGuess>,
    /// Guesses so far (kept with the autosave).
    pub tally: Tally,
    next_task_id: u32,
    next_run_id: u64,
}

impl Default for AppState {
    fn default() -> Self {
        AppState::with_drafts(default_drafts(), DEFAULT_SPEED_TEXT.to_string())
    }
}

impl AppState {
    pub fn with_drafts(drafts: Vec<TaskDraft>, speed_text: String) -> Self {
        let next_task_id = drafts.iter().map(|d| d.id.0).max().unwrap_or(0) + 1;
        let mut state = AppState {
            drafts: Rc::new(drafts),
            speed_text,
            validation: Err(Vec::new()),
            mode: RunMode::Gather,
            options: RunOptions::default(),
            option_texts: OptionTexts::default(),
            runs: Default::default(),
            queued: Vec::new(),
            notice: None,
            title: String::new(),
            history: Rc::default(),
            compared: Vec::new(),
            auto_compare: false,
            run_envs: BTreeMap::new(),
            pending_run: None,
            guess: GuessForm::default(),
            guessed: None,
            tally: Tally::default(),
            next_task_id,
            next_run_id: 1,
        };
        state.revalidate();
        state
    }

    /// The run in flight, if any.
    pub fn running(&self) -> Option<&Run> {
        self.runs
            .values()
            .flatten()
            .find(|r| r.status == RunStatus::Running)
            .map(|r| &**r)
    }

    pub fn run_of(&self, mode: RunMode) -> Option<&Run> {
        self.runs[mode].as_deref()
    }

    pub fn is_running(&self) -> bool {
        self.running().is_some()
    }

    /// Problems found in the editor's current text (empty when valid).
    pub fn errors(&self) -> &[ScenarioError] {
        match &self.validation {
            Ok(_) => &[],
            Err(errors) => errors,
        }
    }

    /// The messages the run controls show, from [`ScenarioError::is_run_level`]
    /// problems: next to the limit, next to Threads, and above Run.
    pub fn run_problems(&self) -> RunProblems {
        let mut found = RunProblems::default();
        for error in self.errors() {
            let message = error.to_string();
            match error {
                ScenarioError::Limit { .. } => found.limit = Some(message),
                ScenarioError::PoolSize { .. } => found.pool_size = Some(message),
                _ if error.is_run_level() => found.run.push(message),
                _ => {}
            }
        }
        found
    }

    /// Whether a run was made with a scenario other than the editor's now.
    pub fn is_stale(&self, run: &Run) -> bool {
        match &self.validation {
            Ok(current) => !same_scenario(current, &run.scenario),
            Err(_) => true,
        }
    }

    pub fn apply(&mut self, action: Action) {
        match action {
            Action::AddTask => self.add_task(),
            Action::RemoveTask(id) => self.edit(|drafts| drafts.retain(|d| d.id != id)),
            Action::DuplicateTask(id) => self.duplicate_task(id),
            Action::MoveTask(id, delta) => self.edit(|drafts| {
                if let Some(from) = drafts.iter().position(|d| d.id == id) {
                    let to = from as isize + delta;
                    if (0..drafts.len() as isize).contains(&to) {
                        drafts.swap(from, to as usize);
                    }
                }
            }),
            Action::SetLabel(id, text) => self.edit_draft(id, |d| d.label = text),
            Action::SetDuration(id, text) => self.edit_draft(id, |d| d.duration_text = text),
            Action::SetKind(id, kind) => self.edit_draft(id, |d| d.kind = kind),
            Action::SetMessage(id, text) => self.edit_draft(id, |d| d.message = text),
            Action::SetTimeout(id, text) => self.edit_draft(id, |d| d.timeout_text = text),
            Action::SetItems(id, text) => self.edit_draft(id, |d| d.items_text = text),
            Action::SetBody(id, text) => self.edit_draft(id, |d| d.body_text = text),
            Action::SetSpeed(text) => {
                self.speed_text = text;
                self.revalidate();
            }
            Action::SetMode(mode) => self.mode = mode,
            Action::SetOptions(options) => {
                if options.limit != self.options.limit {
                    self.option_texts.limit = None;
                }
                if options.pool_size != self.options.pool_size {
                    self.option_texts.pool_size = None;
                }
                self.options = options;
                self.revalidate();
            }
            Action::SetLimit(text) => {
                if let Ok(n) = parse_limit(&text) {
                    self.options.limit = n;
                }
                self.option_texts.limit = OptionTexts::typed(&text, parse_limit);
                self.revalidate();
            }
            Action::SetPoolSize(text) => {
                if let Ok(n) = parse_pool_size(&text) {
                    self.options.pool_size = n;
                }
                self.option_texts.pool_size = OptionTexts::typed(&text, parse_pool_size);
                self.revalidate();
            }
            Action::Generate { count, duration_ms } => self.generate(count, duration_ms),
            Action::ResetScenario => {
                self.title.clear();
                self.mode = RunMode::Gather;
                self.options = RunOptions::default();
                self.option_texts = OptionTexts::default();
                self.drafts = Rc::new(default_drafts());
                self.speed_text = DEFAULT_SPEED_TEXT.to_string();
                self.next_task_id = self.next_task_id.max(self.drafts.len() as u32 + 1);
                self.revalidate();
            }
            Action::Run(request) => self.request_run(request),
            Action::AutoRun(request, asker) => match &self.validation {
                Ok(scenario) if !self.is_running() => {
                    let cost = autorun::cost(scenario, request);
                    if cost.is_heavy() {
                        self.pending_run = Some(PendingRun {
                            request,
                            asker,
                            cost,
                        });
                    } else {
                        self.request_run(request);
                    }
                }
                // Refused with the usual message.
                _ => self.request_run(request),
            },
            Action::AnswerRun(yes) => {
                if let (Some(pending), true) = (self.pending_run.take(), yes) {
                    self.request_run(pending.request);
                }
            }
            Action::Stop => self.stop(),
            Action::RunProgress { events, now_ms } => self.progress(events, now_ms),
            Action::LoadScenario(doc) => self.load_scenario(doc),
            Action::LoadHistory(runs) => self.load_history(runs, false),
            Action::ImportRun(run) => {
                let before = self.history.last().map(|r| r.id);
                // Last, whenever it ran: it is what the user just opened.
                self.load_history(vec![run], true);
                let added = self
                    .history
                    .last()
                    .map(|r| r.id)
                    .filter(|&id| Some(id) != before);
                if let Some(id) = added {
                    self.compared = vec![id];
                }
            }
            Action::ToggleCompared(id) => {
                if let Some(at) = self.compared.iter().position(|&c| c == id) {
                    self.compared.remove(at);
                } else if self.history.iter().any(|r| r.id == id) {
                    self.compared.push(id);
                }
            }
            Action::ForgetRun(id) => {
                Rc::make_mut(&mut self.history).retain(|r| r.id != id);
                self.compared.retain(|&c| c != id);
            }
            Action::ClearHistory => {
                self.history = Rc::default();
                self.compared.clear();
            }
            Action::Notify(text) => self.notice = Some(text),
            Action::DismissNotice => self.notice = None,
            Action::RunEnv(id, env) => self.record_env(id, env),
            Action::SetGuess(form) => self.guess = form,
            Action::SetTally(tally) => self.tally = tally.sane(),
        }
    }

    /// The editor's scenario as a shareable document.
    pub fn scenario_doc(&self) -> ScenarioDoc {
        ScenarioDoc {
            title: self.title.clone(),
            drafts: self.drafts.as_ref().clone(),
            speed_text: self.speed_text.clone(),
            mode: self.mode,
            options: self.options,
            option_texts: self.option_texts.clone(),
        }
    }

    /// The history as saved runs (for autosave and export).
    pub fn saved_history(&self) -> Vec<SavedRun> {
        self.history.iter().map(|r| r.to_saved()).collect()
    }

    fn record_env(&mut self, id: RunId, env: RunEnv) {
        let known = |id: RunId, s: &AppState| {
            s.history.iter().any(|r| r.id == id) || s.runs.values().flatten().any(|r| r.id == id)
        };
        // Only runs still on screen or in history: the map stays small.
        let stale: Vec<RunId> = self
            .run_envs
            .keys()
            .copied()
            .filter(|&k| !known(k, self))
            .collect();
        for k in stale {
            self.run_envs.remove(&k);
        }
        if env.is_notable() && known(id, self) {
            self.run_envs.insert(id, env);
        }
    }

    fn load_scenario(&mut self, doc: ScenarioDoc) {
        let first = self.next_task_id;
        let count = doc.drafts.len().min(MAX_TASKS);
        self.next_task_id += count as u32;
        let drafts = doc
            .drafts
            .into_iter()
            .take(count)
            .enumerate()
            .map(|(i, draft)| TaskDraft {
                id: TaskId(first + i as u32),
                ..draft
            })
            .collect();
        self.drafts = Rc::new(drafts);
        self.speed_text = doc.speed_text;
        self.mode = doc.mode;
        self.title = doc.title;
        self.notice = None;
        self.options = doc.options;
        self.option_texts = doc.option_texts;
        self.revalidate();
    }

    fn load_history(&mut self, runs: Vec<SavedRun>, last: bool) {
        let mut skipped = 0;
        for saved in runs {
            // The id is taken only by a run that loads.
            let Some(run) = Run::from_saved(saved, RunId(self.next_run_id)) else {
                skipped += 1;
                continue;
            };
            self.next_run_id += 1;
            self.remember(Rc::new(run), last);
        }
        if skipped > 0 {
            self.notice = Some(format!(
                "{skipped} saved run{} could not be read and {} left out.",
                if skipped == 1 { "" } else { "s" },
                if skipped == 1 { "was" } else { "were" }
            ));
        }
    }

    /// Adds a run that is over to the history, dropping the oldest: `last`,
    /// or else in order of start time (a run of another tab may have started
    /// before this tab's newest).
    fn remember(&mut self, run: Rc<Run>, last: bool) {
        if self.auto_compare {
            self.compared.push(run.id);
            self.auto_compare = !self.queued.is_empty();
        }
        let history = Rc::make_mut(&mut self.history);
        // After the last run not known to start later (unknown starts: 0).
        let start = run.started_unix_ms;
        let at = match last {
            true => history.len(),
            false => history
                .iter()
                .rposition(|r| r.started_unix_ms <= start || start == 0.0)
                .map_or(0, |i| i + 1),
        };
        history.insert(at, run);
        if history.len() > MAX_HISTORY {
            let dropped = history.remove(0).id;
            self.compared.retain(|&c| c != dropped);
        }
    }

    fn fresh_run_id(&mut self) -> RunId {
        let id = RunId(self.next_run_id);
        self.next_run_id += 1;
        id
    }

    fn add_task(&mut self) {
        if self.drafts.len() >= MAX_TASKS {
            self.notice = Some(format!("The playground runs at most {MAX_TASKS} tasks."));
            return;
        }
        let id = self.fresh_task_id();
        let number = self.drafts.len() + 1;
        self.edit(|drafts| drafts.push(TaskDraft::io(id, &format!("task {number}"), "300")));
    }

    fn generate(&mut self, count: usize, duration_ms: u32) {
        let count = count.min(MAX_TASKS);
        let first = self.next_task_id;
        self.next_task_id += count as u32;
        let drafts = (0..count)
            .map(|i| {
                TaskDraft::io(
                    TaskId(first + i as u32),
                    &format!("fetch {}", i + 1),
                    &duration_ms.to_string(),
                )
            })
            .collect();
        self.edit(|all| *all = drafts);
    }

    fn duplicate_task(&mut self, id: TaskId) {
        if self.drafts.len() >= MAX_TASKS {
            self.notice = Some(format!("The playground runs at most {MAX_TASKS} tasks."));
            return;
        }
        let new_id = self.fresh_task_id();
        self.edit(|drafts| {
            if let Some(at) = drafts.iter().position(|d| d.id == id) {
                let mut copy = drafts[at].clone();
                copy.id = new_id;
                drafts.insert(at + 1, copy);
            }
        });
    }

    fn fresh_task_id(&mut self) -> TaskId {
        let id = TaskId(self.next_task_id);
        self.next_task_id += 1;
        id
    }

    fn edit(&mut self, change: impl FnOnce(&mut Vec<TaskDraft>)) {
        change(Rc::make_mut(&mut self.drafts));
        self.notice = None;
        self.revalidate();
    }

    fn edit_draft(&mut self, id: TaskId, change: impl FnOnce(&mut TaskDraft)) {
        self.edit(|drafts| {
            if let Some(d) = drafts.iter_mut().find(|d| d.id == id) {
                change(d);
            }
        });
    }

    fn revalidate(&mut self) {
        self.pending_run = None;
        self.validation = validate_typed(
            &self.drafts,
            &self.speed_text,
            self.options,
            &self.option_texts,
        )
        .map(Rc::new);
    }

    fn request_run(&mut self, request: RunRequest) {
        if self.is_running() {
            // Not re-entered: the run in flight goes on; Stop cancels it.
            self.notice = Some("A run is in progress: stop it first.".to_string());
            return;
        }
        let Ok(scenario) = self.validation.clone() else {
            let count = self.errors().len();
            self.notice = Some(format!(
                "Fix the {count} problem{} marked above to run.",
                if count == 1 { "" } else { "s" }
            ));
            return;
        };
        if self.guess.on {
            match self.guess.total_ms() {
                Ok(total_ms) => {
                    self.guessed = Some(MadeGuess {
                        mode: guess::guessed_mode(request, self.mode),
                        total_ms,
                        pick: self
                            .guess
                            .pick
                            .and_then(|id| scenario.tasks.iter().position(|t| t.id == id)),
                        from_run: self.next_run_id,
                        scored: None,
                    })
                }
                Err(why) => {
                    self.notice = Some(why);
                    return;
                }
            }
        } else {
            self.guessed = None;
        }
        self.notice = None;
        self.pending_run = None;
        let modes = autorun::modes(request);
        // A comparison replaces earlier results so what is shown compares.
        // Its runs are also picked for the side-by-side comparison.
        self.auto_compare = !matches!(request, RunRequest::Only(_));
        if self.auto_compare {
            self.runs = Default::default();
            self.compared.clear();
        }
        self.queued = modes;
        self.start_next(scenario);
    }

    fn start_next(&mut self, scenario: Rc<Scenario>) {
        if self.queued.is_empty() {
            return;
        }
        let mode = self.queued.remove(0);
        let id = self.fresh_run_id();
        let prediction = Rc::new(predict(&scenario, mode));
        self.runs[mode] = Some(Rc::new(Run {
            id,
            mode,
            measurement: Measurement::new(scenario.tasks.len()),
            scenario,
            prediction,
            status: RunStatus::Running,
            now_ms: 0.0,
            started_unix_ms: 0.0,
            waiting_for_threads: None,
        }));
    }

    fn stop(&mut self) {
        self.pending_run = None;
        self.queued.clear();
        let mut stopped = Vec::new();
        for run in self.runs.values_mut().flatten() {
            if run.status == RunStatus::Running {
                Rc::make_mut(run).status = RunStatus::Stopped;
                stopped.push(run.clone());
            }
        }
        for run in stopped {
            self.remember(run, false);
        }
    }

    fn progress(&mut self, events: Vec<TraceEvent>, now_ms: Option<f64>) {
        let Some(mode) = self.running().map(|r| r.mode) else {
            return; // Nothing running: every event is from a stopped run.
        };
        let mut finished = false;
        let mut on_timers = 0;
        if let Some(run) = self.runs[mode].as_mut() {
            // Copies the running run if the UI still holds the last update's.
            let run = Rc::make_mut(run);
            for event in events.iter().filter(|e| e.run == run.id) {
                if let EventKind::RunStarted {
                    started_unix_ms, ..
                } = event.kind
                {
                    // The first stamp is the run's identity: it never changes.
                    if run.started_unix_ms == 0.0 {
                        run.started_unix_ms = started_unix_ms;
                    }
                }
                run.measurement.record(&event.kind);
                match event.kind {
                    EventKind::WaitingForThreads { threads } => {
                        run.waiting_for_threads = Some(threads);
                    }
                    EventKind::RunStarted { .. } => run.waiting_for_threads = None,
                    EventKind::ThreadsOnTimers { threads } => on_timers = threads,
                    EventKind::RunFinished { .. } => finished = true,
                    _ => {}
                }
            }
            if let Some(now) = now_ms {
                run.now_ms = run.now_ms.max(now);
            }
            if finished {
                run.status = RunStatus::Finished;
                run.now_ms = run.measurement.total_ms.unwrap_or(run.now_ms);
            }
        }
        if on_timers > 0 {
            self.notice = Some(threads_on_timers_notice(on_timers));
        }
        if finished {
            if let Some(run) = self.runs[mode].clone() {
                let scored = self
                    .guessed
                    .as_mut()
                    .and_then(|g| g.score(&run).then(|| g.counted()));
                if let Some(counted) = scored {
                    self.tally = self.tally.plus(counted);
                    self.guess.total_text.clear();
                    self.guess.pick = None;
                }
                self.remember(run, false);
            }
            if let Some(scenario) = self.runs[mode].as_ref().map(|r| r.scenario.clone()) {
                self.start_next(scenario);
            }
        }
    }
}

/// Why this run's `to_thread` calls did not use real threads.
fn threads_on_timers_notice(threads: usize) -> String {
    let (count, them) = if threads == 1 {
        ("1 worker thread".to_string(), "it")
    } else {
        (format!("{threads} worker threads"), "them")
    };
    format!(
        "{count} could not start here; timers stood in for {them}: the loop stays free as \
         with threads, but no CPU work is really done."
    )
}
