//! The scenario a user composes: tasks (label + duration), a speed factor,
//! and the validation that turns raw editor text into a runnable scenario.
//!
//! The editor keeps raw text ([`TaskDraft`]) so a half-typed or invalid value
//! is never lost; [`validate`] is the only way to get a [`Scenario`].

pub mod doc;
pub mod presets;

use crate::domain::text::decimal::parse_decimal;
use std::fmt;

/// Longest allowed task label, in characters.
pub const MAX_LABEL_CHARS: usize = 80;
/// Longest allowed task duration: one minute.
pub const MAX_DURATION_MS: u32 = 60_000;
/// Most tasks a scenario may hold (the timeline is built to draw this many).
pub const MAX_TASKS: usize = 10_000;
/// Most real time (after the speed factor) the `blocking` tasks of one run
/// may take in all. They busy-wait the page's only thread, as `time.sleep`
/// on the loop would: nothing else runs, Stop cannot be clicked, the tab
/// is frozen. Ten seconds shows the lesson without taking the tab hostage.
pub const MAX_BLOCKING_MS_PER_RUN: u64 = 10_000;
/// Speed factor bounds: 0.1 (ten times slower) to 100 (a hundred times faster).
pub const MIN_SPEED: f64 = 0.1;
pub const MAX_SPEED: f64 = 100.0;

/// Stable identity of a task in the editor, independent of its position.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskId(pub u32);

/// How a run awaits its tasks; each mode's behaviour lives in
/// [`crate::domain::modes`].
pub use crate::domain::modes::RunMode;

/// What a task does, as the editor offers it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TaskKind {
    /// `await asyncio.sleep(d)`: an I/O wait; the loop runs others.
    #[default]
    Io,
    /// Waits d, then raises.
    Fail,
    /// `time.sleep(d)` on the loop: occupies the thread; nothing else runs.
    Blocking,
    /// `await asyncio.to_thread(time.sleep, d)`: a blocking wait in a thread.
    OffloadedWait,
    /// `await asyncio.to_thread(cpu_work, d)`: CPU-bound work in a thread.
    OffloadedCpu,
    /// `async for item in stream():` — items every d ms, a body per item.
    Stream,
}

impl TaskKind {
    pub const ALL: [TaskKind; 6] = [
        TaskKind::Io,
        TaskKind::Fail,
        TaskKind::Blocking,
        TaskKind::OffloadedWait,
        TaskKind::OffloadedCpu,
        TaskKind::Stream,
    ];

    pub fn label(self) -> &'static str {
        match self {
            TaskKind::Io => "I/O wait",
            TaskKind::Fail => "fails",
            TaskKind::Blocking => "blocks the loop",
            TaskKind::OffloadedWait => "to_thread (wait)",
            TaskKind::OffloadedCpu => "to_thread (CPU)",
            TaskKind::Stream => "async for stream",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            TaskKind::Io => "io",
            TaskKind::Fail => "fail",
            TaskKind::Blocking => "blocking",
            TaskKind::OffloadedWait => "thread-wait",
            TaskKind::OffloadedCpu => "thread-cpu",
            TaskKind::Stream => "stream",
        }
    }

    pub fn from_slug(slug: &str) -> Option<TaskKind> {
        TaskKind::ALL.into_iter().find(|k| k.slug() == slug)
    }
}

/// What a validated task does, with what its kind needs besides durations
/// (those come on two clocks, in [`Task`]). [`TaskKind`] names the same
/// cases without their data: the editor keeps every kind's text while the
/// user switches, so it needs a bare name; a validated task carries exactly
/// its kind's data.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Io,
    Fail {
        message: String,
    },
    Blocking,
    Offloaded {
        cpu: bool,
    },
    /// `items` items, one every `duration_ms`, each followed by `body_ms`
    /// of loop body.
    Stream {
        items: u32,
    },
}

impl Kind {
    /// The name the editor, the files and the labels use for this kind.
    pub fn task_kind(&self) -> TaskKind {
        match self {
            Kind::Io => TaskKind::Io,
            Kind::Fail { .. } => TaskKind::Fail,
            Kind::Blocking => TaskKind::Blocking,
            Kind::Offloaded { cpu: false } => TaskKind::OffloadedWait,
            Kind::Offloaded { cpu: true } => TaskKind::OffloadedCpu,
            Kind::Stream { .. } => TaskKind::Stream,
        }
    }
}

/// Options of a run that only some modes use.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunOptions {
    /// gather(return_exceptions=True), or a try/except around each await.
    pub return_exceptions: bool,
    /// n of `Semaphore(n)`.
    pub limit: u32,
    /// wait(FIRST_COMPLETED): cancel the tasks still pending.
    pub cancel_pending: bool,
    /// Threads of the executor behind `to_thread`.
    pub pool_size: u32,
    /// Model CPython's GIL: CPU-bound threads take turns.
    pub gil: bool,
}

/// Python's default executor size is min(32, CPUs + 4); with the 2 to 4
/// CPUs of a typical laptop or this project's machines that is 6 to 8.
pub const DEFAULT_POOL_SIZE: u32 = 6;
pub const MAX_POOL_SIZE: u32 = 32;

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            return_exceptions: false,
            limit: 3,
            cancel_pending: false,
            pool_size: DEFAULT_POOL_SIZE,
            gil: true,
        }
    }
}

/// Most tasks a `Semaphore(n)` may let through at once (more than a
/// scenario holds would mean no limit).
pub const MAX_LIMIT: u32 = MAX_TASKS as u32;

/// Threads and the Semaphore limit as typed, when that is not simply the
/// number in [`RunOptions`]: half-typed or invalid text is kept, like
/// `speed_text`, so it is never lost. `None`: the number is what was typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OptionTexts {
    /// The text of `Semaphore(n)`'s n.
    pub limit: Option<String>,
    /// The text of "Threads" (`pool_size`).
    pub pool_size: Option<String>,
}

impl OptionTexts {
    /// `text` as typed, or `None` when it is exactly how `parse` would
    /// write its (valid) number back.
    pub fn typed(text: &str, parse: fn(&str) -> Result<u32, ScenarioError>) -> Option<String> {
        match parse(text) {
            Ok(n) if n.to_string() == text => None,
            _ => Some(text.to_string()),
        }
    }

    /// The limit as the editor shows it.
    pub fn limit_text(&self, options: &RunOptions) -> String {
        self.limit
            .clone()
            .unwrap_or_else(|| options.limit.to_string())
    }

    /// Threads as the editor shows it.
    pub fn pool_size_text(&self, options: &RunOptions) -> String {
        self.pool_size
            .clone()
            .unwrap_or_else(|| options.pool_size.to_string())
    }
}

/// A task as the editor holds it: raw text, possibly invalid. `Eq` lets
/// `Rc<Vec<TaskDraft>>` compare by pointer first, so an unchanged list is
/// never walked when props are compared.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaskDraft {
    pub id: TaskId,
    pub label: String,
    pub duration_text: String,
    pub kind: TaskKind,
    /// The exception message of a failing task.
    pub message: String,
    /// `wait_for` timeout in ms; empty for none.
    pub timeout_text: String,
    /// Stream: how many items.
    pub items_text: String,
    /// Stream: how long the loop body takes per item, in ms.
    pub body_text: String,
}

impl TaskDraft {
    /// An I/O task as typed.
    pub fn io(id: TaskId, label: &str, duration_text: &str) -> Self {
        TaskDraft {
            id,
            label: label.to_string(),
            duration_text: duration_text.to_string(),
            message: "something went wrong".to_string(),
            items_text: "5".to_string(),
            body_text: "0".to_string(),
            ..TaskDraft::default()
        }
    }

    /// The editor text a validated task came from: its written durations.
    pub fn from_task(id: TaskId, task: &Task) -> Self {
        let written = task.written;
        let mut draft = TaskDraft::io(id, &task.label, &written.duration_ms.to_string());
        draft.timeout_text = written
            .timeout_ms
            .map(|t| t.to_string())
            .unwrap_or_default();
        draft.kind = task.kind.task_kind();
        match &task.kind {
            Kind::Fail { message } => draft.message = message.clone(),
            Kind::Stream { items } => {
                draft.items_text = items.to_string();
                draft.body_text = written.body_ms.to_string();
            }
            Kind::Io | Kind::Blocking | Kind::Offloaded { .. } => {}
        }
        draft
    }

    pub fn with_kind(mut self, kind: TaskKind) -> Self {
        self.kind = kind;
        self
    }
}

/// A task's durations on one clock, in whole ms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Durations {
    /// How long it waits, blocks or works; for a stream, the interval
    /// between items.
    pub duration_ms: u32,
    /// A stream's loop body, per item (0 for the other kinds).
    pub body_ms: u32,
    /// `asyncio.wait_for`'s timeout.
    pub timeout_ms: Option<u32>,
}

impl Durations {
    /// Just a duration: no loop body, no timeout.
    pub fn of(duration_ms: u32) -> Self {
        Durations {
            duration_ms,
            ..Durations::default()
        }
    }

    /// These durations at `speed`: each divided by the speed factor. The
    /// one place durations are scaled.
    pub fn at_speed(self, speed: f64) -> Self {
        Durations {
            duration_ms: scale_duration_ms(self.duration_ms, speed),
            body_ms: scale_duration_ms(self.body_ms, speed),
            timeout_ms: self.timeout_ms.map(|ms| scale_duration_ms(ms, speed)),
        }
    }
}

/// A validated task. Its durations come on two clocks, named apart.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Task {
    pub id: TaskId,
    pub label: String,
    pub kind: Kind,
    /// As the user wrote them, before the speed factor: read only where the
    /// user's own numbers are shown again (the editor's text, files, links).
    pub written: Durations,
    /// As the task really runs: `written` at the scenario's speed, set once
    /// by [`Scenario::new`]. The model, the runner, the programs and every
    /// analysis use these.
    pub real: Durations,
}

impl Task {
    /// A task with `written` durations; alone, it runs as written (speed
    /// 1) until [`Scenario::new`] puts it at its scenario's speed.
    pub fn new(id: TaskId, label: impl Into<String>, kind: Kind, written: Durations) -> Self {
        Task {
            id,
            label: label.into(),
            kind,
            written,
            real: written,
        }
    }
}

/// A validated, runnable scenario.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Scenario {
    /// The one task list: each task's real durations are already scaled.
    pub tasks: Vec<Task>,
    /// Written durations are divided by this factor to run (10 = ten times
    /// faster).
    pub speed: f64,
    pub options: RunOptions,
}

impl Scenario {
    /// A scenario of `tasks` at `speed`: every task's real durations are
    /// worked out here, once, from its written ones.
    pub fn new(mut tasks: Vec<Task>, speed: f64, options: RunOptions) -> Self {
        for task in &mut tasks {
            task.real = task.written.at_speed(speed);
        }
        Scenario {
            tasks,
            speed,
            options,
        }
    }

    /// The real time the `blocking` tasks hold the page's thread in all.
    pub fn blocking_ms(&self) -> u64 {
        self.tasks
            .iter()
            .filter(|t| t.kind == Kind::Blocking)
            .map(|t| u64::from(t.real.duration_ms))
            .sum()
    }
}

/// Divides a duration by the speed factor, rounding to the nearest ms
/// (browser timers take whole ms).
pub fn scale_duration_ms(duration_ms: u32, speed: f64) -> u32 {
    let speed = if speed.is_finite() && speed > 0.0 {
        speed
    } else {
        1.0
    };
    let scaled = (f64::from(duration_ms) / speed).round();
    // Bounded by MAX_DURATION_MS / MIN_SPEED, far below u32::MAX.
    scaled.clamp(0.0, f64::from(u32::MAX)) as u32
}

/// Which field of the scenario a problem is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Label,
    Duration,
    Message,
    Timeout,
    Items,
    Body,
}

/// One problem found by [`validate`], with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioError {
    NoTasks,
    TooManyTasks {
        count: usize,
    },
    Speed(SpeedError),
    Task {
        index: usize,
        id: TaskId,
        field: Field,
        problem: FieldProblem,
    },
    /// Threads is not a whole number from 1 to [`MAX_POOL_SIZE`].
    PoolSize {
        text: String,
    },
    /// The Semaphore limit is not a whole number from 1 to [`MAX_LIMIT`].
    Limit {
        text: String,
    },
    /// The `blocking` tasks would hold the page's thread longer than
    /// [`MAX_BLOCKING_MS_PER_RUN`] in one run (real time, after the speed
    /// factor).
    BlockingBudget {
        total_ms: u64,
    },
}

impl ScenarioError {
    /// Whether this is about how the scenario runs (its options, its
    /// budget) rather than its tasks: the run controls show these.
    pub fn is_run_level(&self) -> bool {
        matches!(
            self,
            ScenarioError::PoolSize { .. }
                | ScenarioError::Limit { .. }
                | ScenarioError::BlockingBudget { .. }
        )
    }
}

/// What is wrong with a task's field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldProblem {
    EmptyLabel,
    LabelTooLong { chars: usize },
    EmptyDuration,
    NotANumber { text: String },
    Negative,
    Fractional,
    TooLarge,
    EmptyMessage,
    ItemsOutOfRange,
    ZeroTimeout,
}

/// Most items a stream task may yield.
pub const MAX_STREAM_ITEMS: u32 = 100;

/// What is wrong with the speed factor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpeedError {
    Empty,
    NotANumber { text: String },
    OutOfRange,
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldProblem::EmptyLabel => write!(f, "Give the task a name."),
            FieldProblem::LabelTooLong { chars } => write!(
                f,
                "Name is {chars} characters long; keep it to {MAX_LABEL_CHARS}."
            ),
            FieldProblem::EmptyDuration => write!(f, "Enter a duration in milliseconds."),
            FieldProblem::NotANumber { text } => {
                write!(f, "“{}” is not a number of milliseconds.", elide(text, 20))
            }
            FieldProblem::Negative => write!(f, "A duration can't be negative."),
            FieldProblem::Fractional => write!(f, "Use whole milliseconds."),
            FieldProblem::TooLarge => write!(
                f,
                "At most {MAX_DURATION_MS} ms (one minute); use the speed factor for long tasks."
            ),
            FieldProblem::EmptyMessage => write!(f, "Give the exception a message."),
            FieldProblem::ItemsOutOfRange => {
                write!(f, "A stream yields 1 to {MAX_STREAM_ITEMS} items.")
            }
            FieldProblem::ZeroTimeout => {
                write!(
                    f,
                    "A timeout must be at least 1 ms (leave it empty for none)."
                )
            }
        }
    }
}

impl fmt::Display for SpeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpeedError::Empty => write!(f, "Enter a speed factor (1 = real time)."),
            SpeedError::NotANumber { text } => {
                write!(f, "Speed “{}” is not a number.", elide(text, 20))
            }
            SpeedError::OutOfRange => {
                // Spelt out, not `{MIN_SPEED}`: formatting an f64 would pull
                // core's float printer into the app's wasm.
                write!(f, "Speed must be between 0.1 and 100.")
            }
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::NoTasks => write!(f, "Add at least one task to run."),
            ScenarioError::TooManyTasks { count } => write!(
                f,
                "{count} tasks is more than the {MAX_TASKS} the playground can run."
            ),
            ScenarioError::Speed(e) => e.fmt(f),
            ScenarioError::Task { index, problem, .. } => {
                write!(f, "Task {}: {problem}", index + 1)
            }
            ScenarioError::PoolSize { .. } => {
                write!(f, "Threads: use a whole number from 1 to {MAX_POOL_SIZE}.")
            }
            ScenarioError::Limit { .. } => write!(
                f,
                "Semaphore limit: use a whole number from 1 to {MAX_LIMIT}."
            ),
            ScenarioError::BlockingBudget { total_ms } => write!(
                f,
                "The blocking calls take {} in all at this speed; at most {} per run. \
                 Blocking calls freeze this page while they run: lower the durations or \
                 raise the speed factor, or use to_thread.",
                seconds(*total_ms),
                seconds(MAX_BLOCKING_MS_PER_RUN)
            ),
        }
    }
}

/// Whole ms as "600 s", "10.5 s" (a tenth at most), "250 ms".
fn seconds(ms: u64) -> String {
    if ms < 1000 {
        return format!("{ms} ms");
    }
    let tenths = (ms + 50) / 100;
    match tenths % 10 {
        0 => format!("{} s", tenths / 10),
        d => format!("{}.{d} s", tenths / 10),
    }
}

/// Shortens text for quoting in a message.
fn elide(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_string()
    } else {
        let head: String = text.chars().take(max_chars).collect();
        format!("{head}…")
    }
}

/// Parses a duration typed by the user: whole, non-negative milliseconds up to
/// [`MAX_DURATION_MS`]. Surrounding spaces and a trailing "ms" are accepted.
pub fn parse_duration_ms(text: &str) -> Result<u32, FieldProblem> {
    let trimmed = text.trim();
    let number = trimmed
        .strip_suffix("ms")
        .map(str::trim_end)
        .unwrap_or(trimmed)
        .replace('_', "");
    if number.is_empty() {
        return Err(FieldProblem::EmptyDuration);
    }
    let value = parse_decimal(&number).ok_or_else(|| FieldProblem::NotANumber {
        text: trimmed.to_string(),
    })?;
    // An exponent too large for an f64 reads as infinity: out of range.
    if value < 0.0 {
        return Err(FieldProblem::Negative);
    }
    if value.is_finite() && value.fract() != 0.0 {
        return Err(FieldProblem::Fractional);
    }
    if value > f64::from(MAX_DURATION_MS) {
        return Err(FieldProblem::TooLarge);
    }
    Ok(value as u32)
}

/// Parses the speed factor; accepts "10", "10x", "×10".
pub fn parse_speed(text: &str) -> Result<f64, SpeedError> {
    let trimmed = text.trim();
    let number = trimmed
        .trim_start_matches(['×', 'x', 'X'])
        .trim_end_matches(['×', 'x', 'X'])
        .trim();
    if number.is_empty() {
        return Err(SpeedError::Empty);
    }
    let value = parse_decimal(number).ok_or_else(|| SpeedError::NotANumber {
        text: trimmed.to_string(),
    })?;
    if !value.is_finite() || !(MIN_SPEED..=MAX_SPEED).contains(&value) {
        return Err(SpeedError::OutOfRange);
    }
    Ok(value)
}

/// Parses how many tasks to generate: a whole number from 1 to [`MAX_TASKS`].
pub fn parse_task_count(text: &str) -> Result<usize, String> {
    let trimmed = text.trim().replace('_', "");
    if trimmed.is_empty() {
        return Err("Enter how many tasks to make.".to_string());
    }
    match trimmed.parse::<usize>() {
        Ok(n) if (1..=MAX_TASKS).contains(&n) => Ok(n),
        Ok(_) => Err(format!("Make between 1 and {MAX_TASKS} tasks.")),
        Err(_) if is_whole_number(&trimmed) => {
            Err(format!("Make between 1 and {MAX_TASKS} tasks."))
        }
        Err(_) => Err(format!("“{}” is not a whole number.", elide(&trimmed, 20))),
    }
}

/// Parses Threads as typed: a whole number from 1 to [`MAX_POOL_SIZE`].
pub fn parse_pool_size(text: &str) -> Result<u32, ScenarioError> {
    parse_whole(text, MAX_POOL_SIZE).ok_or_else(|| ScenarioError::PoolSize {
        text: text.to_string(),
    })
}

/// Parses the Semaphore limit as typed: a whole number from 1 to
/// [`MAX_LIMIT`].
pub fn parse_limit(text: &str) -> Result<u32, ScenarioError> {
    parse_whole(text, MAX_LIMIT).ok_or_else(|| ScenarioError::Limit {
        text: text.to_string(),
    })
}

/// A whole number from 1 to `max`, spaces around it allowed.
fn parse_whole(text: &str, max: u32) -> Option<u32> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=max).contains(n))
}

/// `[+-]digits`: a whole number, however large (too large for its type is
/// out of range, not "not a number").
fn is_whole_number(text: &str) -> bool {
    let digits = match text.as_bytes() {
        [b'-' | b'+', rest @ ..] => rest,
        all => all,
    };
    !digits.is_empty() && digits.iter().all(u8::is_ascii_digit)
}

/// Checks a label: non-blank and not too long. Returns the trimmed label.
pub fn check_label(label: &str) -> Result<String, FieldProblem> {
    check_text(label, FieldProblem::EmptyLabel)
}

/// Trimmed text that must not be blank (`when_empty`) nor longer than
/// [`MAX_LABEL_CHARS`].
fn check_text(text: &str, when_empty: FieldProblem) -> Result<String, FieldProblem> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(when_empty);
    }
    let chars = trimmed.chars().count();
    if chars > MAX_LABEL_CHARS {
        return Err(FieldProblem::LabelTooLong { chars });
    }
    Ok(trimmed.to_string())
}

/// Turns editor drafts into a runnable scenario, or lists every problem.
pub fn validate(
    drafts: &[TaskDraft],
    speed_text: &str,
    options: RunOptions,
) -> Result<Scenario, Vec<ScenarioError>> {
    let mut errors = Vec::new();
    if drafts.is_empty() {
        errors.push(ScenarioError::NoTasks);
    }
    if drafts.len() > MAX_TASKS {
        errors.push(ScenarioError::TooManyTasks {
            count: drafts.len(),
        });
    }
    let speed = parse_speed(speed_text).map_err(|e| errors.push(ScenarioError::Speed(e)));
    // Options set as numbers (a trace, a preset) get the typed text's rules.
    if !(1..=MAX_POOL_SIZE).contains(&options.pool_size) {
        errors.push(ScenarioError::PoolSize {
            text: options.pool_size.to_string(),
        });
    }
    if !(1..=MAX_LIMIT).contains(&options.limit) {
        errors.push(ScenarioError::Limit {
            text: options.limit.to_string(),
        });
    }
    let mut tasks = Vec::with_capacity(drafts.len());
    for (index, draft) in drafts.iter().enumerate() {
        let mut problem_at = |field: Field, problem: FieldProblem| {
            errors.push(ScenarioError::Task {
                index,
                id: draft.id,
                field,
                problem,
            })
        };
        let label = check_label(&draft.label).map_err(|p| problem_at(Field::Label, p));
        let duration =
            parse_duration_ms(&draft.duration_text).map_err(|p| problem_at(Field::Duration, p));
        let timeout =
            parse_timeout_ms(&draft.timeout_text).map_err(|p| problem_at(Field::Timeout, p));
        let mut body_ms = 0;
        let kind = match draft.kind {
            TaskKind::Io => Ok(Kind::Io),
            TaskKind::Blocking => Ok(Kind::Blocking),
            TaskKind::OffloadedWait => Ok(Kind::Offloaded { cpu: false }),
            TaskKind::OffloadedCpu => Ok(Kind::Offloaded { cpu: true }),
            TaskKind::Fail => check_message(&draft.message)
                .map(|message| Kind::Fail { message })
                .map_err(|p| problem_at(Field::Message, p)),
            TaskKind::Stream => {
                let items = parse_items(&draft.items_text).map_err(|p| problem_at(Field::Items, p));
                let body =
                    parse_duration_ms(&draft.body_text).map_err(|p| problem_at(Field::Body, p));
                match (items, body) {
                    (Ok(items), Ok(body)) => {
                        body_ms = body;
                        Ok(Kind::Stream { items })
                    }
                    _ => Err(()),
                }
            }
        };
        if let (Ok(label), Ok(duration_ms), Ok(timeout_ms), Ok(kind)) =
            (label, duration, timeout, kind)
        {
            let written = Durations {
                duration_ms,
                body_ms,
                timeout_ms,
            };
            tasks.push(Task::new(draft.id, label, kind, written));
        }
    }
    let Ok(speed) = speed else {
        return Err(errors);
    };
    let scenario = Scenario::new(tasks, speed, options);
    // Checked on what is valid so far, so the message comes with the others.
    let blocking_ms = scenario.blocking_ms();
    if blocking_ms > MAX_BLOCKING_MS_PER_RUN {
        errors.push(ScenarioError::BlockingBudget {
            total_ms: blocking_ms,
        });
    }
    if errors.is_empty() {
        Ok(scenario)
    } else {
        Err(errors)
    }
}

/// [`validate`] with Threads and the Semaphore limit as typed: a typed
/// text, when there is one, replaces its number in `options`.
pub fn validate_typed(
    drafts: &[TaskDraft],
    speed_text: &str,
    options: RunOptions,
    texts: &OptionTexts,
) -> Result<Scenario, Vec<ScenarioError>> {
    let mut options = options;
    let mut errors = Vec::new();
    if let Some(text) = &texts.pool_size {
        match parse_pool_size(text) {
            Ok(n) => options.pool_size = n,
            Err(e) => {
                errors.push(e);
                // Reported once: the number is not looked at again.
                options.pool_size = DEFAULT_POOL_SIZE;
            }
        }
    }
    if let Some(text) = &texts.limit {
        match parse_limit(text) {
            Ok(n) => options.limit = n,
            Err(e) => {
                errors.push(e);
                options.limit = RunOptions::default().limit;
            }
        }
    }
    match validate(drafts, speed_text, options) {
        Ok(scenario) if errors.is_empty() => Ok(scenario),
        Ok(_) => Err(errors),
        Err(more) => {
            errors.extend(more);
            Err(errors)
        }
    }
}

/// An optional `wait_for` timeout: empty means none.
pub fn parse_timeout_ms(text: &str) -> Result<Option<u32>, FieldProblem> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    match parse_duration_ms(text)? {
        0 => Err(FieldProblem::ZeroTimeout),
        ms => Ok(Some(ms)),
    }
}

/// A stream's item count: 1 to [`MAX_STREAM_ITEMS`].
pub fn parse_items(text: &str) -> Result<u32, FieldProblem> {
    let trimmed = text.trim();
    let n: u32 = trimmed.parse().map_err(|_| {
        if is_whole_number(trimmed) {
            FieldProblem::ItemsOutOfRange
        } else {
            FieldProblem::NotANumber {
                text: trimmed.to_string(),
            }
        }
    })?;
    if (1..=MAX_STREAM_ITEMS).contains(&n) {
        Ok(n)
    } else {
        Err(FieldProblem::ItemsOutOfRange)
    }
}

/// An exception message: non-blank, at most [`MAX_LABEL_CHARS`].
pub fn check_message(text: &str) -> Result<String, FieldProblem> {
    check_text(text, FieldProblem::EmptyMessage)
}

/// The default scenario: the tutorials' "fetch data 1…5".
pub fn default_drafts() -> Vec<TaskDraft> {
    [400, 250, 600, 300, 500]
        .iter()
        .enumerate()
        .map(|(i, ms)| {
            TaskDraft::io(
                TaskId(i as u32 + 1),
                &format!("fetch data {}", i + 1),
                &ms.to_string(),
            )
        })
        .collect()
}

/// The default speed factor, as editor text.
pub const DEFAULT_SPEED_TEXT: &str = "1";
