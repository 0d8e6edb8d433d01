//! The scenario a user composes: tasks (label + duration), a speed factor,
//! and the validation that turns raw editor text into a runnable scenario.
//!
//! The editor keeps raw text ([`TaskDraft`]) so a half-typed or invalid value
//! is never lost; [`validate`] is the only way to get a [`Scenario`].

use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest allowed task label, in characters.
pub const MAX_LABEL_CHARS: usize = 80;
/// Longest allowed task duration: one minute.
pub const MAX_DURATION_MS: u32 = 60_000;
/// Most tasks a scenario may hold (the timeline is built to draw this many).
pub const MAX_TASKS: usize = 10_000;
/// Speed factor bounds: 0.1 (ten times slower) to 100 (a hundred times faster).
pub const MIN_SPEED: f64 = 0.1;
pub const MAX_SPEED: f64 = 100.0;

/// Stable identity of a task in the editor, independent of its position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TaskId(pub u32);

/// How a run awaits its tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RunMode {
    /// `for t in tasks: await t()` — each starts when the previous ends.
    Sequential,
    /// `await asyncio.gather(*tasks)` / `join_all` — all start together.
    Gather,
}

impl RunMode {
    pub const ALL: [RunMode; 2] = [RunMode::Sequential, RunMode::Gather];

    /// Short human name, as used on buttons and in tables.
    pub fn label(self) -> &'static str {
        match self {
            RunMode::Sequential => "Sequential",
            RunMode::Gather => "Gathered",
        }
    }

    /// The Python spelling of the mode, for teaching.
    pub fn python(self) -> &'static str {
        match self {
            RunMode::Sequential => "for t in tasks: await t()",
            RunMode::Gather => "await asyncio.gather(*tasks)",
        }
    }
}

/// A task as the editor holds it: raw text, possibly invalid. `Eq` lets
/// `Rc<Vec<TaskDraft>>` compare by pointer first, so an unchanged list is
/// never walked when props are compared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskDraft {
    pub id: TaskId,
    pub label: String,
    pub duration_text: String,
}

/// A validated task: a simulated I/O wait (`await asyncio.sleep(d)`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub label: String,
    /// Duration as written by the user, before the speed factor.
    pub duration_ms: u32,
}

/// A validated, runnable scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub tasks: Vec<Task>,
    /// Durations are divided by this factor when run (10 = ten times faster).
    pub speed: f64,
}

impl Scenario {
    /// The duration a task really waits, after the speed factor, in whole ms
    /// (browser timers take whole milliseconds).
    pub fn effective_ms(&self, task: &Task) -> u32 {
        scale_duration_ms(task.duration_ms, self.speed)
    }

    /// Effective durations of all tasks, in list order.
    pub fn effective_durations_ms(&self) -> Vec<u32> {
        self.tasks.iter().map(|t| self.effective_ms(t)).collect()
    }
}

/// Divides a duration by the speed factor, rounding to the nearest ms.
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
}

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
                write!(f, "Speed must be between {MIN_SPEED} and {MAX_SPEED}.")
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
        }
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
    let value: f64 = number.parse().map_err(|_| FieldProblem::NotANumber {
        text: trimmed.to_string(),
    })?;
    if !value.is_finite() {
        return Err(FieldProblem::NotANumber {
            text: trimmed.to_string(),
        });
    }
    if value < 0.0 {
        return Err(FieldProblem::Negative);
    }
    if value.fract() != 0.0 {
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
    let value: f64 = number.parse().map_err(|_| SpeedError::NotANumber {
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
        Err(_) if trimmed.starts_with('-') => Err(format!("Make between 1 and {MAX_TASKS} tasks.")),
        Err(_) => Err(format!("“{}” is not a whole number.", elide(&trimmed, 20))),
    }
}

/// Checks a label: non-blank and not too long. Returns the trimmed label.
pub fn check_label(label: &str) -> Result<String, FieldProblem> {
    let trimmed = label.trim();
    if trimmed.is_empty() {
        return Err(FieldProblem::EmptyLabel);
    }
    let chars = trimmed.chars().count();
    if chars > MAX_LABEL_CHARS {
        return Err(FieldProblem::LabelTooLong { chars });
    }
    Ok(trimmed.to_string())
}

/// Turns editor drafts into a runnable scenario, or lists every problem.
pub fn validate(drafts: &[TaskDraft], speed_text: &str) -> Result<Scenario, Vec<ScenarioError>> {
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
    let mut tasks = Vec::with_capacity(drafts.len());
    for (index, draft) in drafts.iter().enumerate() {
        let label = check_label(&draft.label).map_err(|problem| {
            errors.push(ScenarioError::Task {
                index,
                id: draft.id,
                field: Field::Label,
                problem,
            })
        });
        let duration = parse_duration_ms(&draft.duration_text).map_err(|problem| {
            errors.push(ScenarioError::Task {
                index,
                id: draft.id,
                field: Field::Duration,
                problem,
            })
        });
        if let (Ok(label), Ok(duration_ms)) = (label, duration) {
            tasks.push(Task {
                id: draft.id,
                label,
                duration_ms,
            });
        }
    }
    match speed {
        Ok(speed) if errors.is_empty() => Ok(Scenario { tasks, speed }),
        _ => Err(errors),
    }
}

/// The default scenario: the tutorials' "fetch data 1…5".
pub fn default_drafts() -> Vec<TaskDraft> {
    [400, 250, 600, 300, 500]
        .iter()
        .enumerate()
        .map(|(i, ms)| TaskDraft {
            id: TaskId(i as u32 + 1),
            label: format!("fetch data {}", i + 1),
            duration_text: ms.to_string(),
        })
        .collect()
}

/// The default speed factor, as editor text.
pub const DEFAULT_SPEED_TEXT: &str = "1";
