//! Short plain-language findings about a run, as a teacher would point them
//! out: what blocked the loop, why gather was (or wasn't) faster, what the
//! thread pool or semaphore held back, what an exception did, and whether
//! the timings can be trusted.
//!
//! Each finding comes from a small check (`fn(&InsightContext) ->
//! Vec<Insight>`, as tokio-console's lints); [`CHECKS`] lists them in order
//! of importance and [`insights`] runs them all. Checks are conservative:
//! they speak only when the evidence is clear.

use crate::domain::analysis::compare_table::escape;
use crate::domain::model::{predict, Outcome, TaskTimeline};
use crate::domain::modes::Failure;
use crate::domain::run::measurement::MeasuredTask;
use crate::domain::run::stats::{end_lateness_ms, percentile, speedup};
use crate::domain::run::{same_scenario, Run, RunStatus};
use crate::domain::scenario::{Kind, RunMode, Scenario, Task};
use crate::domain::text::decimal::Fixed;
use crate::domain::text::plural;

/// Most insights shown for one run.
pub const MAX_INSIGHTS: usize = 6;
/// A timer is "late" when it fired this much after it was due. Browsers
/// fire timers a few ms late anyway; this is well above that noise.
pub const LATE_TOLERANCE_MS: f64 = 20.0;
/// Blocking shorter than this is not worth a remark.
pub const MIN_BLOCK_MS: f64 = 20.0;
/// Loop lag worth explaining when no task runs on the loop.
pub const PAGE_LAG_NOTE_MS: f64 = 10.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Severity {
    Info,
    /// Something went wrong or the timings are distorted.
    Warn,
}

/// One finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Insight {
    pub severity: Severity,
    /// Stable id, for tests and CSS (`blocking`, `speedup`, `gil`, …).
    pub kind: String,
    /// What the UI shows.
    pub text: String,
    /// What the text asserts, in facts a test can check against the
    /// run's prediction (`tests/domain_insight_claims.rs`).
    pub claim: Claim,
}

/// What an insight asserts. Task numbers are 1-based, as the text says them.
#[derive(Clone, Debug, PartialEq)]
pub enum Claim {
    /// About the page or the measurement (a hidden tab, clamped timers,
    /// accuracy, loop lag), not about the model.
    Measured,
    /// Exactly these tasks blocked the loop for at least [`MIN_BLOCK_MS`].
    Blocked { tasks: Vec<usize> },
    /// The run was `factor` times as fast as the sequential one, for `why`.
    Speedup { factor: f64, why: Why },
    /// A concurrent run of waits took about its longest wait, not the sum.
    Overlapped { longest_ms: f64, sum_ms: f64 },
    /// A sequential run of waits took the sum of its waits.
    Summed { total_ms: f64 },
    /// This many CPU-bound threads ran at once and shared the GIL.
    GilShared { threads: usize },
    /// These tasks waited for one of `pool` worker threads, the longest
    /// for `longest_wait_ms`.
    WaitedForThread {
        tasks: Vec<usize>,
        pool: usize,
        longest_wait_ms: f64,
    },
    /// These tasks waited for one of `limit` Semaphore permits, the longest
    /// for `longest_wait_ms`.
    WaitedForPermit {
        tasks: Vec<usize>,
        limit: usize,
        longest_wait_ms: f64,
    },
    /// This task raised first; `caught` when it came back as a value.
    Raised { task: usize, caught: bool },
    /// These tasks hit their `wait_for` timeout.
    TimedOut { tasks: Vec<usize> },
}

/// Why a run was as fast as it was against sequential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// An exception ended one of the runs early.
    CutShort,
    /// Most of the work blocks the loop, which nothing overlaps.
    BlockingSerial,
    /// Most of the work is CPU-bound threads under the GIL.
    GilSerial,
    /// CPU-bound threads with the GIL off ran at the same time.
    ThreadsParallel,
    /// Every task only waits, and the waits overlapped.
    IoBound,
    /// `to_thread` waits overlapped in the pool.
    OffloadedWaits,
    /// A mix: waits and threads ran beside the other tasks; blocking calls
    /// (and GIL-bound threads) each ran one at a time.
    Mixed,
    /// Hardly faster, or slower.
    LittleOverlap,
}

/// What the checks look at: the run, optionally a sequential run of the same
/// scenario, and what the runtime observed about the page meanwhile.
#[derive(Clone, Debug)]
pub struct InsightContext<'a> {
    pub run: &'a Run,
    /// A finished sequential run of the same scenario, for the speedup.
    pub sequential: Option<&'a Run>,
    /// How long the tab was hidden during the run, in ms.
    pub hidden_ms: f64,
    /// The page was offscreen or in a background iframe (throttled timers).
    pub throttled: bool,
    /// The runtime's own sentence about where the page was (off-screen,
    /// hidden tab) when it has one; it is more precise than the two above.
    pub env_note: Option<String>,
}

impl<'a> InsightContext<'a> {
    /// A run alone: no comparison, a visible tab.
    pub fn new(run: &'a Run) -> Self {
        InsightContext {
            run,
            sequential: None,
            hidden_ms: 0.0,
            throttled: false,
            env_note: None,
        }
    }

    fn scenario(&self) -> &'a Scenario {
        &self.run.scenario
    }

    fn finished(&self) -> bool {
        self.run.status == RunStatus::Finished
    }

    /// Each task with its prediction and measurement.
    fn tasks(&self) -> impl Iterator<Item = TaskView<'a>> + 'a {
        let run = self.run;
        run.scenario
            .tasks
            .iter()
            .enumerate()
            .filter_map(move |(index, task)| {
                Some(TaskView {
                    index,
                    task,
                    real_ms: f64::from(task.real.duration_ms),
                    predicted: run.prediction.tasks.get(index)?,
                    measured: run.measurement.tasks.get(index)?,
                })
            })
    }
}

#[derive(Clone, Copy)]
struct TaskView<'a> {
    index: usize,
    task: &'a Task,
    /// Its real duration (after the speed factor).
    real_ms: f64,
    predicted: &'a TaskTimeline,
    measured: &'a MeasuredTask,
}

impl TaskView<'_> {
    /// How long the task itself takes, by the model: from its start to its
    /// end (a stream's items and bodies included), else its duration.
    fn length_ms(&self) -> f64 {
        match (self.predicted.start_ms, self.predicted.end_ms) {
            (Some(s), Some(e)) if e >= s => e - s,
            _ => self.real_ms,
        }
    }
    /// Measured start, else predicted.
    fn start_ms(&self) -> Option<f64> {
        self.measured.start_ms.or(self.predicted.start_ms)
    }
    fn end_ms(&self) -> Option<f64> {
        self.measured.end_ms.or(self.predicted.end_ms)
    }
    fn outcome(&self) -> Outcome {
        self.measured.outcome.unwrap_or(self.predicted.outcome)
    }
    /// "task 3 'parse'"
    fn name(&self) -> String {
        format!("task {} '{}'", self.index + 1, self.task.label)
    }
    /// One `asyncio.sleep` timer's due time and when it fired, if this task
    /// is a single timer (I/O, or a failure after its wait).
    fn timer(&self) -> Option<(f64, f64)> {
        match self.task.kind {
            Kind::Io | Kind::Fail { .. } => {}
            _ => return None,
        }
        if self.outcome() != self.predicted.outcome {
            return None;
        }
        let start = self.measured.start_ms?;
        let end = self.measured.end_ms?;
        Some((start + self.real_ms, end))
    }
}

/// A time in ms ordered by `total_cmp`, for heaps.
#[derive(Clone, Copy, PartialEq)]
struct Ms(f64);

impl Eq for Ms {}

impl PartialOrd for Ms {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ms {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// A check: findings about a run (usually none or one).
pub type Check = fn(&InsightContext) -> Vec<Insight>;

/// Every check, most important first.
pub const CHECKS: &[Check] = &[
    check_hidden,
    check_blocking,
    check_exceptions,
    check_speedup,
    check_overlapped,
    check_gil,
    check_pool,
    check_semaphore,
    check_sequential,
    check_page_lag,
    check_clamped_timers,
    check_accuracy,
];

/// Runs every check; findings in [`CHECKS`] order, at most [`MAX_INSIGHTS`].
pub fn insights(ctx: &InsightContext) -> Vec<Insight> {
    let mut found: Vec<Insight> = CHECKS.iter().flat_map(|check| check(ctx)).collect();
    found.truncate(MAX_INSIGHTS);
    found
}

/// The findings as the panel lists them: `<li>` items, warnings marked for
/// eyes and for screen readers; empty when there are none.
pub fn insights_html(found: &[Insight]) -> String {
    found
        .iter()
        .map(|i| {
            let warn = i.severity == Severity::Warn;
            format!(
                "<li class=\"insight{}\" data-kind=\"{}\"><span class=\"insight-mark\" aria-hidden=\"true\">{}</span>{}{}</li>",
                if warn { " warn" } else { "" },
                escape(&i.kind),
                if warn { "!" } else { "i" },
                if warn { "<span class=\"visually-hidden\">Warning: </span>" } else { "" },
                escape(&i.text),
            )
        })
        .collect()
}

fn info(kind: &'static str, text: String, claim: Claim) -> Vec<Insight> {
    vec![Insight {
        severity: Severity::Info,
        kind: kind.to_string(),
        text,
        claim,
    }]
}

fn warn(kind: &'static str, text: String, claim: Claim) -> Vec<Insight> {
    vec![Insight {
        severity: Severity::Warn,
        kind: kind.to_string(),
        text,
        claim,
    }]
}

/// A task that only waits (for a timer, or a thread's sleep): nothing of
/// it runs on the loop or holds the GIL.
fn only_waits(task: &Task) -> bool {
    match task.kind {
        Kind::Io | Kind::Fail { .. } | Kind::Offloaded { cpu: false } => true,
        Kind::Stream { .. } => task.real.body_ms == 0,
        Kind::Blocking | Kind::Offloaded { cpu: true } => false,
    }
}

/// "800 ms", "12.5 ms", "3.2 s".
pub fn format_duration(ms: f64) -> String {
    if !ms.is_finite() {
        "—".to_string()
    } else if ms.abs() >= 1000.0 {
        format!("{} s", Fixed(ms / 1000.0, 1))
    } else if ms.abs() >= 10.0 {
        format!("{} ms", Fixed(ms, 0))
    } else {
        format!("{} ms", Fixed(ms, 1))
    }
}

/// "task 4", "tasks 4–5", "tasks 2, 4 and 6–9" (1-based numbers, sorted).
pub fn format_task_numbers(numbers: &[usize]) -> String {
    let mut sorted = numbers.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j + 1] == sorted[j] + 1 {
            j += 1;
        }
        runs.push(if j > i {
            format!("{}–{}", sorted[i], sorted[j])
        } else {
            sorted[i].to_string()
        });
        i = j + 1;
    }
    let noun = if sorted.len() == 1 { "task" } else { "tasks" };
    let list = match runs.len() {
        0 => String::new(),
        1 => runs[0].clone(),
        n if n > 4 => format!("{}, … and {}", runs[..3].join(", "), runs[n - 1]),
        n => format!("{} and {}", runs[..n - 1].join(", "), runs[n - 1]),
    };
    format!("{noun} {list}")
}

// ---- the checks ---------------------------------------------------------

/// A hidden or offscreen page: browsers throttle its timers (to once a
/// second or slower), so nothing measured means much.
pub fn check_hidden(ctx: &InsightContext) -> Vec<Insight> {
    if let Some(note) = &ctx.env_note {
        return warn("hidden-tab", note.clone(), Claim::Measured);
    }
    let hidden = ctx.hidden_ms.is_finite() && ctx.hidden_ms > 0.0;
    let consequence =
        "browsers throttle timers in background tabs, so these timings are slower than real";
    if hidden {
        warn(
            "hidden-tab",
            format!(
                "the tab was hidden for {} of this run: {consequence}",
                format_duration(ctx.hidden_ms)
            ),
            Claim::Measured,
        )
    } else if ctx.throttled {
        warn(
            "hidden-tab",
            "the page was offscreen or in a background frame during this run: browsers throttle its timers, so these timings are slower than real".to_string(),
            Claim::Measured,
        )
    } else {
        Vec::new()
    }
}

/// The longest blocking call on the loop, the timers it made late, and the
/// heartbeat lag it caused. Lateness is measured against each timer's own
/// due time (its start + its duration), not the model: the model already
/// knows a blocking call delays everything, so its predictions are late too.
pub fn check_blocking(ctx: &InsightContext) -> Vec<Insight> {
    let blocks: Vec<(TaskView, f64, f64)> = ctx
        .tasks()
        .filter(|t| t.task.kind == Kind::Blocking)
        .filter_map(|t| Some((t, t.start_ms()?, t.end_ms()?)))
        .filter(|(_, s, e)| e - s >= MIN_BLOCK_MS)
        .collect();
    let Some(&(longest, from_ms, to_ms)) = blocks
        .iter()
        .max_by(|a, b| (a.2 - a.1).total_cmp(&(b.2 - b.1)))
    else {
        return Vec::new();
    };
    let blocked_ms = to_ms - from_ms;
    // Timers due while the loop was blocked that fired only after it.
    let late: Vec<f64> = ctx
        .tasks()
        .filter(|t| t.index != longest.index)
        .filter_map(|t| t.timer())
        .filter(|&(due, fired)| due >= from_ms && due < to_ms && fired - due > LATE_TOLERANCE_MS)
        .map(|(due, fired)| fired - due)
        .collect();
    let peak_lag_ms = ctx
        .run
        .measurement
        .lag
        .iter()
        .filter(|&&(at, _)| at >= from_ms && at <= to_ms + LATE_TOLERANCE_MS)
        .map(|&(_, lag)| lag)
        .fold(0.0, f64::max);
    let mut numbers: Vec<usize> = blocks.iter().map(|(t, _, _)| t.index + 1).collect();
    numbers.sort_unstable();
    let mut text = if blocks.len() == 1 {
        format!(
            "{} blocked the loop for {}",
            longest.name(),
            format_duration(blocked_ms)
        )
    } else {
        let total: f64 = blocks.iter().map(|(_, s, e)| e - s).sum();
        // Every blocking task is named; a long list is counted too.
        let who = if numbers.len() > 5 {
            format!(
                "{} tasks ({})",
                numbers.len(),
                format_task_numbers(&numbers)
            )
        } else {
            format_task_numbers(&numbers)
        };
        format!(
            "{who} blocked the loop, {} in all, one after another (the longest: {}, {})",
            format_duration(total),
            longest.name(),
            format_duration(blocked_ms)
        )
    };
    if !late.is_empty() {
        let worst = late.iter().copied().fold(0.0, f64::max);
        text.push_str(&format!(
            "; {} fired late (up to {})",
            plural(late.len(), "timer", "timers"),
            format_duration(worst)
        ));
    }
    if peak_lag_ms > LATE_TOLERANCE_MS {
        text.push_str(&format!(
            "; the loop lag peaked at {}",
            format_duration(peak_lag_ms)
        ));
    }
    if late.is_empty() && peak_lag_ms <= LATE_TOLERANCE_MS {
        text.push_str(": nothing else could run meanwhile");
    }
    warn("blocking", text, Claim::Blocked { tasks: numbers })
}

/// What failures did to the run: who raised what, and what it did to the
/// other tasks; and which tasks hit their `wait_for` timeout.
pub fn check_exceptions(ctx: &InsightContext) -> Vec<Insight> {
    let mut found = Vec::new();
    let failures: Vec<TaskView> = ctx
        .tasks()
        .filter(|t| t.outcome() == Outcome::Failed)
        .collect();
    let first = failures
        .iter()
        .min_by(|a, b| {
            a.end_ms()
                .unwrap_or(f64::INFINITY)
                .total_cmp(&b.end_ms().unwrap_or(f64::INFINITY))
        })
        .copied();
    if let Some(f) = first {
        let message = match &f.task.kind {
            Kind::Fail { message } => message.as_str(),
            _ => "an exception",
        };
        let at_ms = ctx
            .run
            .measurement
            .caller
            .filter(|c| c.1)
            .map(|c| c.0)
            .or(f.end_ms())
            .unwrap_or(0.0);
        let at = format_duration(at_ms);
        let n = f.index + 1;
        let caught = ctx.run.mode.options(&ctx.scenario().options).catch;
        let cancelled = ctx
            .tasks()
            .filter(|t| t.index != f.index && t.outcome() == Outcome::Cancelled)
            .count();
        let text = if caught {
            // The catching code is the mode's own: gather's flag, or a
            // try/except around each await.
            let how = ctx.run.mode.catch_option().unwrap_or("caught");
            format!("'{message}' from task {n} was caught ({how}): the other results came back too")
        } else {
            ctx.run.mode.behaviour().explain_failure(&Failure {
                message,
                task_number: n,
                at: &at,
                cancelled,
                never_ran: ctx
                    .tasks()
                    .filter(|t| t.outcome() == Outcome::NotRun)
                    .count(),
            })
        };
        found.push(Insight {
            severity: Severity::Info,
            kind: "exception".to_string(),
            text,
            claim: Claim::Raised { task: n, caught },
        });
    }
    let timeouts: Vec<TaskView> = ctx
        .tasks()
        .filter(|t| t.outcome() == Outcome::TimedOut)
        .collect();
    if let Some(t) = timeouts.first() {
        let limit = t
            .task
            .real
            .timeout_ms
            .map(|ms| format_duration(f64::from(ms)))
            .unwrap_or_default();
        let mut text = format!(
            "'{}' hit its {limit} wait_for timeout and was cancelled",
            t.task.label
        );
        if timeouts.len() > 1 {
            text.push_str(&format!(
                " ({} more timed out)",
                plural(timeouts.len() - 1, "task", "tasks")
            ));
        }
        let mut tasks: Vec<usize> = timeouts.iter().map(|t| t.index + 1).collect();
        tasks.sort_unstable();
        found.push(Insight {
            severity: Severity::Info,
            kind: "timeout".to_string(),
            text,
            claim: Claim::TimedOut { tasks },
        });
    }
    found
}

/// How much faster than the sequential run, and why: waits overlap, blocking
/// work doesn't.
pub fn check_speedup(ctx: &InsightContext) -> Vec<Insight> {
    let Some(seq) = ctx.sequential else {
        return Vec::new();
    };
    if ctx.run.mode == RunMode::Sequential
        || seq.mode != RunMode::Sequential
        || !ctx.finished()
        || !same_scenario(&seq.scenario, &ctx.run.scenario)
    {
        return Vec::new();
    }
    let (Some(seq_ms), Some(wall_ms)) = (seq.wall_ms(), ctx.run.wall_ms()) else {
        return Vec::new();
    };
    let Some(factor) = speedup(seq_ms, wall_ms) else {
        return Vec::new();
    };
    let name = ctx.run.mode.in_a_sentence();
    let fx = format!("{}×", Fixed(factor, 1));
    let claim = |why: Why| Claim::Speedup { factor, why };
    // A run cut short by an exception is not faster because its waits
    // overlapped: it stopped sooner. Say that instead of crediting overlap.
    let raised = |run: &Run| run.measurement.caller.is_some_and(|(_, raised)| raised);
    if raised(ctx.run) || raised(seq) {
        let than = if factor >= 1.0 {
            format!("ended {fx} sooner than")
        } else {
            "ended no sooner than".to_string()
        };
        return info(
            "speedup",
            format!(
                "{name} {than} sequential, but an exception cut a run short: this compares when the error surfaced, not how well the waits overlapped"
            ),
            claim(Why::CutShort),
        );
    }
    let weight = |pick: &dyn Fn(&Task) -> bool| -> f64 {
        ctx.tasks()
            .filter(|t| pick(t.task))
            .map(|t| t.length_ms())
            .sum()
    };
    let total = weight(&|_| true);
    let blocking_ms = weight(&|t| t.kind == Kind::Blocking);
    let cpu_ms = weight(&|t| t.kind == Kind::Offloaded { cpu: true });
    let gil = ctx.scenario().options.gil;
    let waits = ctx.tasks().filter(|t| only_waits(t.task)).count();
    let all_wait = waits == ctx.scenario().tasks.len();
    let offloaded_waits = ctx
        .tasks()
        .filter(|t| t.task.kind == Kind::Offloaded { cpu: false })
        .count();
    // "only 1.3× faster", "no faster", "slower (0.8×)": never "1.0× faster".
    let only = if factor < 0.95 {
        format!("slower than sequential ({fx})")
    } else if factor <= 1.05 {
        "no faster than sequential".to_string()
    } else {
        format!("only {fx} faster than sequential")
    };
    let (text, why) = if total > 0.0 && blocking_ms / total >= 0.5 {
        let longest = ctx
            .tasks()
            .filter(|t| t.task.kind == Kind::Blocking)
            .max_by(|a, b| a.length_ms().total_cmp(&b.length_ms()))
            .map(|t| t.task.label.clone())
            .unwrap_or_default();
        (
            format!("{only}: '{longest}' blocks the loop, and blocking work doesn't overlap"),
            Why::BlockingSerial,
        )
    } else if gil && total > 0.0 && cpu_ms / total >= 0.5 {
        (
            format!("{only}: CPU-bound threads share the GIL, so their work doesn't overlap"),
            Why::GilSerial,
        )
    } else if factor < 1.2 {
        let how = if factor < 0.95 {
            format!("{name} was slower than sequential ({fx})")
        } else if factor <= 1.05 {
            format!("{name} was as fast as sequential")
        } else {
            format!("{name} was only a little faster than sequential ({fx})")
        };
        (
            format!("{how}: little of the work could overlap"),
            Why::LittleOverlap,
        )
    } else if !gil && total > 0.0 && cpu_ms / total >= 0.5 {
        (
            format!("{name} was {fx} faster than sequential: with the GIL off, the CPU-bound threads ran in parallel"),
            Why::ThreadsParallel,
        )
    } else if all_wait && offloaded_waits > 0 {
        (
            format!("{name} was {fx} faster than sequential: to_thread moved the blocking calls to worker threads, so the waits overlapped"),
            Why::OffloadedWaits,
        )
    } else if all_wait {
        (
            format!("{name} was {fx} faster than sequential: the tasks were I/O-bound, so their waits overlapped"),
            Why::IoBound,
        )
    } else {
        // A mix: the waits and threads ran beside other work, which the
        // blocking calls (one at a time on the loop) and GIL-bound threads
        // (one at a time) cannot.
        let threads = cpu_ms > 0.0;
        let moved = match (waits > 0, threads) {
            (true, true) => "the waits and the threads",
            (false, true) => "the threads",
            _ => "the waits",
        };
        let mut held = Vec::new();
        match ctx
            .tasks()
            .filter(|t| t.task.kind == Kind::Blocking)
            .count()
        {
            0 => {}
            1 => held.push("the blocking call held the loop"),
            _ => held.push("the blocking calls held the loop one at a time"),
        }
        let gil_threads = ctx
            .tasks()
            .filter(|t| t.task.kind == Kind::Offloaded { cpu: true })
            .count();
        if gil && gil_threads > 1 {
            held.push("the CPU-bound threads took turns holding the GIL");
        }
        let text = if held.is_empty() {
            format!("{name} was {fx} faster than sequential: {moved} ran alongside the other tasks")
        } else {
            format!(
                "{name} was {fx} faster than sequential: {moved} ran alongside the other tasks, but {}",
                held.join(" and ")
            )
        };
        (text, Why::Mixed)
    };
    info("speedup", text, claim(why))
}

/// CPU-bound threads that overlapped in time, with the GIL on, took turns.
pub fn check_gil(ctx: &InsightContext) -> Vec<Insight> {
    if !ctx.scenario().options.gil {
        return Vec::new();
    }
    let cpu: Vec<TaskView> = ctx
        .tasks()
        .filter(|t| t.task.kind == Kind::Offloaded { cpu: true })
        .collect();
    // Only threads the model has running at the same time share the GIL:
    // in start order, one starts before an earlier one has ended.
    let mut spans: Vec<(f64, f64)> = cpu
        .iter()
        .filter_map(|t| Some((t.predicted.start_ms?, t.predicted.end_ms?)))
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut latest_end = f64::NEG_INFINITY;
    let mut overlapping = false;
    for (start, end) in spans {
        if start < latest_end {
            overlapping = true;
            break;
        }
        latest_end = latest_end.max(end);
    }
    if cpu.len() < 2 || !overlapping {
        return Vec::new();
    }
    let (lo, hi) = cpu.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), t| {
        (lo.min(t.real_ms), hi.max(t.real_ms))
    });
    let each = if hi - lo < 0.5 {
        format_duration(hi)
    } else {
        format!("{}–{}", format_duration(lo), format_duration(hi))
    };
    let first_start = cpu
        .iter()
        .filter_map(|t| t.start_ms())
        .fold(f64::INFINITY, f64::min);
    let last_end = cpu.iter().filter_map(|t| t.end_ms()).fold(0.0, f64::max);
    let took = if last_end > first_start {
        last_end - first_start
    } else {
        0.0
    };
    info(
        "gil",
        format!(
            "CPU-bound threads take turns holding the GIL, so {} threads of {each} took ~{}",
            cpu.len(),
            format_duration(took)
        ),
        Claim::GilShared { threads: cpu.len() },
    )
}

/// More offloaded tasks than worker threads: which ones queued. A job
/// queued when, as it was submitted, `pool_size` earlier jobs were still
/// running (by the model's times).
pub fn check_pool(ctx: &InsightContext) -> Vec<Insight> {
    let pool = ctx.scenario().options.pool_size.max(1) as usize;
    let mut offloaded: Vec<(usize, f64, f64)> = ctx
        .tasks()
        .filter(|t| matches!(t.task.kind, Kind::Offloaded { .. }))
        .filter_map(|t| Some((t.index, t.predicted.start_ms?, t.predicted.end_ms?)))
        .collect();
    if offloaded.len() <= pool {
        return Vec::new();
    }
    offloaded.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    // In start order, the earlier jobs still running when each starts: a
    // min-heap of their ends.
    let mut running: std::collections::BinaryHeap<std::cmp::Reverse<Ms>> =
        std::collections::BinaryHeap::new();
    let mut waited = Vec::new();
    for &(index, start, end) in &offloaded {
        while running.peek().is_some_and(|r| r.0 .0 <= start) {
            running.pop();
        }
        if running.len() >= pool {
            waited.push(index + 1);
        }
        running.push(std::cmp::Reverse(Ms(end)));
    }
    if waited.is_empty() {
        return Vec::new();
    }
    // A queued job ends later than its own work: the difference is its wait.
    let mut was_waiting = vec![false; ctx.scenario().tasks.len()];
    for &n in &waited {
        was_waiting[n - 1] = true;
    }
    let longest_wait_ms = ctx
        .tasks()
        .filter(|t| was_waiting[t.index])
        .map(|t| t.length_ms() - t.real_ms)
        .fold(0.0, f64::max);
    info(
        "pool",
        format!(
            "only {}: {} waited for a free thread, up to {} (like ThreadPoolExecutor(max_workers={pool}))",
            plural(pool, "worker thread", "worker threads"),
            format_task_numbers(&waited),
            format_duration(longest_wait_ms)
        ),
        Claim::WaitedForThread {
            tasks: waited,
            pool,
            longest_wait_ms,
        },
    )
}

/// `Semaphore(n)` with more than n tasks: every task after the first n
/// (they acquire in list order) waited for a permit.
pub fn check_semaphore(ctx: &InsightContext) -> Vec<Insight> {
    let limit = ctx.scenario().options.limit.max(1) as usize;
    let n = ctx.scenario().tasks.len();
    if !ctx.run.mode.uses_limit() || n <= limit {
        return Vec::new();
    }
    let waited: Vec<usize> = (limit + 1..=n).collect();
    // They all asked at the start; each got its permit when its body began.
    let longest_wait_ms = ctx
        .tasks()
        .filter(|t| t.index >= limit)
        .filter_map(|t| t.predicted.start_ms)
        .fold(0.0, f64::max);
    info(
        "semaphore",
        format!(
            "Semaphore({limit}) let {limit} run at once: {} waited for a permit, up to {}",
            format_task_numbers(&waited),
            format_duration(longest_wait_ms)
        ),
        Claim::WaitedForPermit {
            tasks: waited,
            limit,
            longest_wait_ms,
        },
    )
}

/// A sequential run of waits: each await waited for the previous one.
pub fn check_sequential(ctx: &InsightContext) -> Vec<Insight> {
    let tasks = &ctx.scenario().tasks;
    let waits_only = tasks.iter().all(only_waits);
    if ctx.run.mode != RunMode::Sequential
        || !ctx.finished()
        || tasks.len() < 2
        || !waits_only
        || !all_ok(ctx)
    {
        return Vec::new();
    }
    let total_ms = ctx.run.prediction.total_ms;
    let gathered = predict(ctx.scenario(), RunMode::Gather).total_ms;
    let mut text = format!(
        "each await waited for the previous one: total = sum of durations ({})",
        format_duration(total_ms)
    );
    if gathered < total_ms * 0.8 {
        text.push_str(&format!(
            "; gather would overlap the waits and take about {}",
            format_duration(gathered)
        ));
    }
    info("sequential", text, Claim::Summed { total_ms })
}

/// Whether the model has every task end normally and the caller resume
/// without an exception: only then is a total the sum or the longest.
fn all_ok(ctx: &InsightContext) -> bool {
    let p = &ctx.run.prediction;
    !p.caller_raised && p.tasks.iter().all(|t| t.outcome == Outcome::Ok)
}

/// A concurrent run of waits, alone: it took about its longest wait, not
/// the sum of its waits. This is the lesson of gather, so it is said even
/// without a sequential run to compare with.
pub fn check_overlapped(ctx: &InsightContext) -> Vec<Insight> {
    let tasks = &ctx.scenario().tasks;
    if ctx.run.mode == RunMode::Sequential
        || !ctx.finished()
        || tasks.len() < 2
        || !tasks.iter().all(only_waits)
        || !all_ok(ctx)
    {
        return Vec::new();
    }
    let lengths: Vec<f64> = ctx.tasks().map(|t| t.length_ms()).collect();
    let longest_ms = lengths.iter().copied().fold(0.0, f64::max);
    let sum_ms: f64 = lengths.iter().sum();
    let total_ms = ctx.run.prediction.total_ms;
    // Only when the model says the waits all overlapped (no pool or
    // Semaphore queue made them take turns) and that saved something.
    if total_ms > longest_ms * 1.05 + 1.0 || sum_ms < longest_ms * 1.2 {
        return Vec::new();
    }
    info(
        "overlapped",
        format!(
            "the waits overlapped: {} took about its longest wait ({}), not the sum of the waits ({})",
            ctx.run.mode.in_a_sentence(),
            format_duration(longest_ms),
            format_duration(sum_ms)
        ),
        Claim::Overlapped { longest_ms, sum_ms },
    )
}

/// Loop lag when nothing of the scenario ran on the loop: the heartbeat
/// was late because of the page itself (rendering, the browser's own
/// timers), which the results column does not say.
pub fn check_page_lag(ctx: &InsightContext) -> Vec<Insight> {
    let loop_work = ctx.scenario().tasks.iter().any(|t| {
        t.kind == Kind::Blocking || (matches!(t.kind, Kind::Stream { .. }) && t.real.body_ms > 0)
    });
    let lag_ms = ctx.run.measurement.max_lag_ms();
    if loop_work || !ctx.finished() || !lag_ms.is_finite() || lag_ms < PAGE_LAG_NOTE_MS {
        return Vec::new();
    }
    info(
        "page-lag",
        format!(
            "no task blocked the loop, yet its 10 ms heartbeat ran up to {} late: that is the page's own work (drawing this page, the browser's housekeeping), which shares the one thread with the loop",
            format_duration(lag_ms)
        ),
        Claim::Measured,
    )
}

/// Short sleeps that took about 4 ms: the HTML spec clamps nested timers
/// (5 levels deep and more) to at least 4 ms. Fires only when at least 3
/// sleeps asked for under 4 ms and most of them took 3.5–6 ms.
pub fn check_clamped_timers(ctx: &InsightContext) -> Vec<Insight> {
    // (asked, took) for every single timer we can identify.
    let mut timers: Vec<(f64, f64)> = ctx
        .tasks()
        .filter_map(|t| {
            let (due, fired) = t.timer()?;
            let start = t.measured.start_ms?;
            Some((due - start, fired - start))
        })
        .collect();
    for t in ctx.tasks() {
        // A stream with no body: one timer per item, each from the last.
        if matches!(t.task.kind, Kind::Stream { .. }) && t.task.real.body_ms == 0 {
            if let Some(start) = t.measured.start_ms {
                let mut from = start;
                for &at in &t.measured.items_ms {
                    timers.push((t.real_ms, at - from));
                    from = at;
                }
            }
        }
    }
    let short: Vec<f64> = timers
        .iter()
        .filter(|(asked, _)| *asked < 4.0)
        .map(|&(_, took)| took)
        .collect();
    let clamped = short
        .iter()
        .filter(|&&took| (3.5..=6.0).contains(&took))
        .count();
    if clamped < 3 || (clamped as f64) < 0.6 * short.len() as f64 {
        return Vec::new();
    }
    info(
        "clamped-timers",
        format!(
            "timers fired ~4 ms late: the browser clamps nested timers to 4 ms ({clamped} of {} short sleeps took 4–6 ms)",
            short.len()
        ),
        Claim::Measured,
    )
}

/// How close the measurement came to the model: p95 of |measured end −
/// predicted end| over tasks that ended.
pub fn check_accuracy(ctx: &InsightContext) -> Vec<Insight> {
    if !ctx.finished() {
        return Vec::new();
    }
    let off: Vec<f64> = end_lateness_ms(&ctx.run.prediction, &ctx.run.measurement)
        .into_iter()
        .map(f64::abs)
        .collect();
    let (Some(p50), Some(p95)) = (percentile(&off, 50.0), percentile(&off, 95.0)) else {
        return Vec::new();
    };
    let text = format!(
        "measured times were within {} of the model (p95 over {}; median {})",
        format_duration(p95),
        plural(off.len(), "task", "tasks"),
        format_duration(p50)
    );
    info("accuracy", text, Claim::Measured)
}
