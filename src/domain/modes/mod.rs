//! The run modes: the asyncio patterns that await the tasks. Each mode has
//! one file here holding everything about it: its names, which options it
//! reads, its caller policy (what the awaiting code does as tasks finish,
//! see [`caller`]), how it explains a failure, and the awaiting code both
//! generators write.
//!
//! The simulator ([`crate::domain::model`]), the runner
//! (`runtime::runner`) and the generators ([`crate::domain::codegen::python`])
//! consult a mode through two traits and never match on one: [`Mode`]
//! (names, options, policy, sentences: the app's side) and [`ModeCode`]
//! (the program text, needed only by the on-demand tools worker; a
//! separate trait so its code stays out of the app's bundle).
//!
//! Adding a mode: a file here implementing both traits; a variant of
//! [`RunMode`], its place in [`RunMode::ALL`] and its arm in
//! [`RunMode::behaviour`] and [`RunMode::code`]. Then its tests: its policy
//! step by step in `tests/domain_modes.rs`; the simulator's, the CPython
//! oracle's, the browser runner's and the generators' golden tests take
//! every mode in `ALL` (refresh the golden pins with `UPDATE_GOLDEN=1`).

mod as_completed;
pub mod by_mode;
pub mod caller;
mod create_task;
mod gather;
mod semaphore;
mod sequential;
mod task_group;
mod wait_first;

pub use by_mode::ByMode;
pub use caller::{Caller, Step};

use crate::domain::codegen::rust::RustUses;
use crate::domain::scenario::RunOptions;

/// How a run awaits its tasks: the asyncio patterns the tutorials teach.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RunMode {
    /// `for t in tasks: await t()` — each starts when the previous ends.
    Sequential,
    /// `await asyncio.gather(*tasks)` — all start together, results in order.
    Gather,
    /// `ts = [create_task(t()) ...]` now, then `await` each in order later.
    CreateTask,
    /// `async with TaskGroup() as tg:` — the first failure cancels the rest.
    TaskGroup,
    /// gather under `Semaphore(n)` — at most n run at once, the rest queue.
    Bounded,
    /// `for c in as_completed(tasks): await c` — results in completion order.
    AsCompleted,
    /// `await wait(tasks, return_when=FIRST_COMPLETED)`.
    WaitFirst,
}

impl RunMode {
    /// Every mode, in the order the UI lists them.
    pub const ALL: [RunMode; 7] = [
        RunMode::Sequential,
        RunMode::Gather,
        RunMode::CreateTask,
        RunMode::TaskGroup,
        RunMode::Bounded,
        RunMode::AsCompleted,
        RunMode::WaitFirst,
    ];

    /// The mode's names, options and caller policy.
    pub fn behaviour(self) -> &'static dyn Mode {
        match self {
            RunMode::Sequential => &sequential::Sequential,
            RunMode::Gather => &gather::Gather,
            RunMode::CreateTask => &create_task::CreateTask,
            RunMode::TaskGroup => &task_group::TaskGroup,
            RunMode::Bounded => &semaphore::Bounded,
            RunMode::AsCompleted => &as_completed::AsCompleted,
            RunMode::WaitFirst => &wait_first::WaitFirst,
        }
    }

    /// The mode's awaiting code, as the generators write it.
    pub fn code(self) -> &'static dyn ModeCode {
        match self {
            RunMode::Sequential => &sequential::Sequential,
            RunMode::Gather => &gather::Gather,
            RunMode::CreateTask => &create_task::CreateTask,
            RunMode::TaskGroup => &task_group::TaskGroup,
            RunMode::Bounded => &semaphore::Bounded,
            RunMode::AsCompleted => &as_completed::AsCompleted,
            RunMode::WaitFirst => &wait_first::WaitFirst,
        }
    }

    fn info(self) -> &'static ModeInfo {
        self.behaviour().info()
    }

    /// Short human name, as used on buttons and in tables.
    pub fn label(self) -> &'static str {
        self.info().label
    }

    /// A stable, CSS- and URL-safe name.
    pub fn slug(self) -> &'static str {
        self.info().slug
    }

    pub fn from_slug(slug: &str) -> Option<RunMode> {
        RunMode::ALL.into_iter().find(|m| m.slug() == slug)
    }

    /// The Python spelling of the mode, for teaching.
    pub fn python(self) -> &'static str {
        self.info().python
    }

    /// How the mode is said in a sentence ("gather", "awaiting in turn").
    pub fn in_a_sentence(self) -> &'static str {
        self.info().in_a_sentence
    }

    /// Whether `return_exceptions` (or a try/except per await) applies.
    pub fn catches_errors_option(self) -> bool {
        self.info().catch_option.is_some()
    }

    /// How the mode spells catching exceptions, if it can.
    pub fn catch_option(self) -> Option<&'static str> {
        self.info().catch_option
    }

    /// Whether `Semaphore(n)`'s n applies.
    pub fn uses_limit(self) -> bool {
        self.info().uses_limit
    }

    /// Whether "then cancel the pending tasks" applies.
    pub fn uses_cancel_pending(self) -> bool {
        self.info().uses_cancel_pending
    }

    /// The run's options as this mode reads them: one it lacks is off.
    pub fn options(self, options: &RunOptions) -> ModeOptions {
        let info = self.info();
        ModeOptions {
            catch: options.return_exceptions && info.catch_option.is_some(),
            limit: info.uses_limit.then(|| options.limit.max(1)),
            cancel_pending: options.cancel_pending && info.uses_cancel_pending,
        }
    }
}

/// What a mode is called and which options it has: plain data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModeInfo {
    /// Short human name, as used on buttons and in tables.
    pub label: &'static str,
    /// A stable, CSS- and URL-safe name (saved in links: never change one).
    pub slug: &'static str,
    /// The Python spelling of the mode, for teaching.
    pub python: &'static str,
    /// How the mode is said in a sentence.
    pub in_a_sentence: &'static str,
    /// How the mode turns exceptions into results, as the option reads
    /// (`return_exceptions=True`, a try/except per await); `None`: it can't.
    pub catch_option: Option<&'static str>,
    /// `Semaphore(n)`: at most n tasks run at once.
    pub uses_limit: bool,
    /// The caller may cancel the tasks still pending when it resumes.
    pub uses_cancel_pending: bool,
}

/// The run's options as a mode reads them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModeOptions {
    /// An exception comes back as a result instead of being raised.
    pub catch: bool,
    /// At most this many tasks run at once (`Semaphore(n)`), if any limit.
    pub limit: Option<u32>,
    /// The caller cancels what is still pending when it resumes.
    pub cancel_pending: bool,
}

/// What the first failure of a run looked like, for a mode to explain.
#[derive(Clone, Copy, Debug)]
pub struct Failure<'a> {
    /// The exception's message.
    pub message: &'a str,
    /// The failed task's number (1-based, as the UI shows it).
    pub task_number: usize,
    /// When the exception reached the caller (or the task ended), formatted.
    pub at: &'a str,
    /// How many other tasks ended cancelled.
    pub cancelled: usize,
    /// How many tasks never ran.
    pub never_ran: usize,
}

/// A mode's names, options and caller policy: what the app needs.
///
/// The policy is a small state machine over a [`Caller`]: the simulator
/// and the runner report each task's end to it and carry out the
/// [`Step`]s it asks for, each in its own world.
pub trait Mode {
    fn info(&self) -> &'static ModeInfo;

    /// The awaiting code's first steps (there is at least one task). Most
    /// modes create every task at once.
    fn start(&self, c: &mut Caller) {
        for task in 0..c.task_count() {
            c.start_task(task);
        }
    }

    /// `task`'s done callback reached the awaiting code.
    fn on_done(&self, c: &mut Caller, task: usize);

    /// The awaiting code resumed (one turn of the loop after it asked to).
    fn on_resumed(&self, _c: &mut Caller) {}

    /// A sentence on what the run's first uncaught failure did.
    fn explain_failure(&self, f: &Failure) -> String;
}

/// A mode's awaiting code in the generated programs. Each writer follows
/// its program's conventions (`crate::domain::codegen::python`,
/// `crate::domain::codegen::rust`).
pub trait ModeCode {
    /// A comment line for the Python program's header (a version it needs).
    fn python_note(&self) -> Option<&'static str> {
        None
    }

    /// Whether the awaiting code may cancel a task before its body runs
    /// (the Python program then records when such a task ended).
    fn may_cancel_unstarted(&self, _o: &ModeOptions) -> bool {
        false
    }

    /// `main()`'s awaiting code, after the common set-up; it leaves
    /// `caller`, `raised` and `order` set.
    fn python_main(&self, out: &mut String, o: &ModeOptions);

    /// The imports the Rust program needs for this mode.
    fn rust_uses(&self, o: &ModeOptions) -> RustUses;

    /// Helper functions of the Rust program this mode needs.
    fn rust_helpers(&self, _out: &mut String, _o: &ModeOptions) {}

    /// `run()`'s awaiting code, after the common set-up; it leaves
    /// `caller`, `raised` and `order` bound.
    fn rust_run(&self, out: &mut String, o: &ModeOptions);
}
