//! The awaiting code as a small state machine: what it knows (which tasks
//! it started, which have settled and how, what it took) and the [`Step`]s
//! it asks for. A mode's policy ([`Mode`]) decides the steps; the
//! simulator carries them out in its model of the loop and the runner with
//! real tasks, so both follow one policy.
//!
//! A driver tells the caller two things about each task, as asyncio has
//! them: [`Caller::on_settled`] when the task the caller holds is done, and
//! [`Caller::on_done`] when its done callback reaches the awaiting code
//! (in the simulator a callback later; other tasks may settle meanwhile).

use crate::domain::model::Outcome;
use crate::domain::modes::{Mode, ModeOptions, RunMode};
use crate::domain::scenario::RunOptions;

/// What the awaiting code does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Create task `i`: it runs from the loop's next turn (under a limit,
    /// once it has a permit).
    Start(usize),
    /// The awaiting code received task `i`'s result or exception.
    Take(usize),
    /// Cancel every task started and not settled yet.
    CancelPending,
    /// The awaiting code resumes, one turn of the loop later, with an
    /// exception if `raised`. Asked for at most once.
    Resume { raised: bool },
}

/// Where a task is, as the awaiting code knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TaskState {
    NotStarted,
    Started,
    Settled(Outcome),
}

/// The awaiting code of one run.
pub struct Caller {
    policy: &'static dyn Mode,
    options: ModeOptions,
    tasks: Vec<TaskState>,
    started: usize,
    settled: usize,
    /// Done callbacks that reached the awaiting code: gather and TaskGroup
    /// finish at the last of them, not when the last task settled (other
    /// callbacks may run between).
    notified: usize,
    taken: usize,
    resuming: bool,
    exception_seen: bool,
    steps: Vec<Step>,
}

impl Caller {
    pub fn new(mode: RunMode, task_count: usize, options: &RunOptions) -> Self {
        Caller {
            policy: mode.behaviour(),
            options: mode.options(options),
            tasks: vec![TaskState::NotStarted; task_count],
            started: 0,
            settled: 0,
            notified: 0,
            taken: 0,
            resuming: false,
            exception_seen: false,
            steps: Vec::new(),
        }
    }

    // ---- what the drivers call ---------------------------------------------

    /// The awaiting code's first steps. With no tasks it simply resumes.
    pub fn begin(&mut self) -> Vec<Step> {
        if self.tasks.is_empty() {
            self.resume(false);
        } else {
            let policy = self.policy;
            policy.start(self);
        }
        self.take_steps()
    }

    /// The task the caller holds is done, with this outcome.
    pub fn on_settled(&mut self, task: usize, outcome: Outcome) {
        if let Some(state) = self.tasks.get_mut(task) {
            if !matches!(state, TaskState::Settled(_)) {
                *state = TaskState::Settled(outcome);
                self.settled += 1;
            }
        }
    }

    /// The tasks started and not settled yet, in list order: what
    /// [`Step::CancelPending`] cancels.
    pub fn pending_tasks(&self) -> Vec<usize> {
        (0..self.tasks.len())
            .filter(|&task| self.tasks[task] == TaskState::Started)
            .collect()
    }

    /// `task`'s done callback reached the awaiting code.
    pub fn on_done(&mut self, task: usize) -> Vec<Step> {
        if self.outcome(task).is_some() {
            self.notified += 1;
        }
        let policy = self.policy;
        policy.on_done(self, task);
        self.take_steps()
    }

    /// The awaiting code resumed.
    pub fn on_resumed(&mut self) -> Vec<Step> {
        let policy = self.policy;
        policy.on_resumed(self);
        self.take_steps()
    }

    /// The options as the mode reads them.
    pub fn options(&self) -> &ModeOptions {
        &self.options
    }

    fn take_steps(&mut self) -> Vec<Step> {
        std::mem::take(&mut self.steps)
    }

    // ---- what the policies read ----------------------------------------------

    pub fn task_count(&self) -> usize {
        self.tasks.len()
    }

    /// How `task` settled, if it has.
    pub fn outcome(&self, task: usize) -> Option<Outcome> {
        match self.tasks.get(task) {
            Some(TaskState::Settled(outcome)) => Some(*outcome),
            _ => None,
        }
    }

    /// Whether `task` settled with an exception (it failed or timed out).
    pub fn raised(&self, task: usize) -> bool {
        matches!(
            self.outcome(task),
            Some(Outcome::Failed | Outcome::TimedOut)
        )
    }

    /// Whether an exception comes back as a result instead.
    pub fn catches(&self) -> bool {
        self.options.catch
    }

    /// How many tasks have settled so far.
    pub fn settled_count(&self) -> usize {
        self.settled
    }

    /// How many settled tasks' done callbacks have reached the awaiting
    /// code.
    pub fn notified_count(&self) -> usize {
        self.notified
    }

    /// Every task started has settled and its done callback has run.
    pub fn all_notified(&self) -> bool {
        self.notified == self.started
    }

    /// How many results the awaiting code has taken.
    pub fn taken(&self) -> usize {
        self.taken
    }

    /// The awaiting code has asked to resume: what it does is decided.
    pub fn decided(&self) -> bool {
        self.resuming
    }

    /// Records that an exception reached the awaiting code; true the first
    /// time.
    pub fn first_exception(&mut self) -> bool {
        !std::mem::replace(&mut self.exception_seen, true)
    }

    /// Whether an exception reached the awaiting code.
    pub fn exception_seen(&self) -> bool {
        self.exception_seen
    }

    // ---- the steps the policies ask for --------------------------------------

    pub fn start_task(&mut self, task: usize) {
        if let Some(state @ TaskState::NotStarted) = self.tasks.get_mut(task) {
            *state = TaskState::Started;
            self.started += 1;
        }
        self.steps.push(Step::Start(task));
    }

    pub fn take(&mut self, task: usize) {
        self.taken += 1;
        self.steps.push(Step::Take(task));
    }

    pub fn cancel_pending(&mut self) {
        self.steps.push(Step::CancelPending);
    }

    /// Resumes the awaiting code; only the first call counts.
    pub fn resume(&mut self, raised: bool) {
        if !self.resuming {
            self.resuming = true;
            self.steps.push(Step::Resume { raised });
        }
    }
}
