//! Rust source for a scenario: the same run written with tokio, for readers
//! who know Rust better than Python (or want to compare the two).
//!
//! [`rust_program`] writes a self-contained program: one `async fn` per
//! task, the run mode's awaiting pattern in `run()`, and the same timing
//! table the Python version prints, measured with `std::time::Instant`. The
//! runtime is tokio's `current_thread` flavour, so one thread runs every
//! task, as asyncio's event loop does; `asyncio.to_thread` becomes
//! `spawn_blocking`, whose pool is sized like the executor's `max_workers`.
//!
//! It follows [`crate::domain::codegen::python`]'s conventions: labels are user text, so
//! they are only ever emitted inside escaped string literals or sanitised
//! one-line comments, and function names come from
//! [`crate::domain::codegen::python::function_names`], made safe for Rust as well.
//! Durations are the tasks' real ones ([`Task::real`], after the speed
//! factor), in whole milliseconds; at another speed than 1 the header says
//! so and each task's comment gives its durations as written
//! ([`crate::domain::codegen::speed`]). Pure string building: no I/O, no clock.

use std::collections::HashSet;
use std::fmt::Write;

use crate::domain::codegen::lines::{blank, block, line};
use crate::domain::codegen::python::function_names;
use crate::domain::codegen::speed;
use crate::domain::modes::{ModeCode, ModeOptions};
use crate::domain::scenario::{Kind, RunMode, Scenario, Task};

/// A tokio program that runs `scenario` in `mode` and prints a timing table.
pub fn rust_program(scenario: &Scenario, mode: RunMode) -> String {
    let code = mode.code();
    let options = mode.options(&scenario.options);
    let uses = code.rust_uses(&options);
    let mut rs = String::new();
    let out = &mut rs;
    header(out, scenario, mode, &uses);
    imports(out, scenario, &uses);
    timeline(out, scenario);
    helpers(out, scenario);
    code.rust_helpers(out, &options);
    let names = rust_function_names(scenario);
    for (index, (task, name)) in scenario.tasks.iter().zip(&names).enumerate() {
        if let Some(note) = speed::task_note(task, scenario.speed) {
            line(out, 0, &format!("// {note}"));
        }
        task_function(out, index, task, name);
    }
    jobs(out, scenario, &names);
    run(out, code, &options);
    main(out, scenario);
    report(out);
    rs
}

/// What the Rust program needs beyond the common set-up, by mode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RustUses {
    /// `futures::future::join_all` (gather with `return_exceptions`).
    pub join_all: bool,
    /// `tokio::task::JoinSet`.
    pub join_set: bool,
    /// `tokio::task::JoinError` (the `error_of` or `index_of` helpers).
    pub join_error: bool,
    /// `tokio::sync::Semaphore` in an `Arc`.
    pub semaphore: bool,
}

fn has_kind(scenario: &Scenario, f: fn(&Kind) -> bool) -> bool {
    scenario.tasks.iter().any(|t| f(&t.kind))
}

fn has_stream(scenario: &Scenario) -> bool {
    has_kind(scenario, |k| matches!(k, Kind::Stream { .. }))
}

/// What the program is, and the Cargo.toml it needs.
fn header(out: &mut String, scenario: &Scenario, mode: RunMode, uses: &RustUses) {
    line(
        out,
        0,
        &format!(
            "// Async Playground: {}, in Rust with tokio (asyncio: {}).",
            mode.label(),
            mode.python()
        ),
    );
    line(
        out,
        0,
        &format!(
            "// {} task(s); durations are in ms, after the speed factor ({}x).",
            scenario.tasks.len(),
            scenario.speed
        ),
    );
    if let Some(note) = speed::header_note(scenario) {
        line(out, 0, &format!("// {note}"));
    }
    block(
        out,
        0,
        r#"
            //
            // Cargo.toml:
            // [dependencies]
            // tokio = { version = "1", features = ["full"] }
        "#,
    );
    // Streams use StreamExt; gather(return_exceptions=True) is join_all.
    if has_stream(scenario) || uses.join_all {
        line(out, 0, "// futures = \"0.3\"");
    }
    blank(out, 1);
}

fn imports(out: &mut String, scenario: &Scenario, uses: &RustUses) {
    line(out, 0, "use std::future::Future;");
    line(out, 0, "use std::pin::Pin;");
    if uses.semaphore {
        line(out, 0, "use std::sync::Arc;");
    }
    line(out, 0, "use std::sync::{Mutex, OnceLock};");
    line(out, 0, "use std::time::{Duration, Instant};");
    blank(out, 1);
    if has_stream(scenario) {
        line(out, 0, "use futures::StreamExt;");
    }
    if uses.semaphore {
        line(out, 0, "use tokio::sync::Semaphore;");
    }
    if uses.join_error {
        line(out, 0, "use tokio::task::JoinError;");
    }
    if uses.join_set {
        line(out, 0, "use tokio::task::JoinSet;");
    }
    if has_kind(scenario, |k| {
        matches!(k, Kind::Io | Kind::Fail { .. } | Kind::Stream { .. })
    }) {
        line(out, 0, "use tokio::time::sleep;");
    }
    blank(out, 1);
}

/// The labels, the clock, each task's record, and `timed`, which fills it in.
fn timeline(out: &mut String, scenario: &Scenario) {
    line(
        out,
        0,
        &format!("const LABELS: [&str; {}] = [", scenario.tasks.len()),
    );
    for task in &scenario.tasks {
        line(out, 1, &format!("{},", rust_str(&task.label)));
    }
    line(out, 0, "];");
    block(
        out,
        0,
        r#"

            /// When the run started.
            static T0: OnceLock<Instant> = OnceLock::new();

            /// Milliseconds since the run started.
            fn now_ms() -> f64 {
                T0.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
            }

            fn ms(n: u64) -> Duration {
                Duration::from_millis(n)
            }

            /// What happened to one task, filled in as the run goes.
            #[derive(Clone, Debug)]
            struct Record {
                start_ms: Option<f64>,
                end_ms: Option<f64>,
                outcome: &'static str,
                items_ms: Vec<f64>,
            }

            static TIMELINE: Mutex<Vec<Record>> = Mutex::new(Vec::new());

            /// Updates task `index`'s record. The lock is never held across an
            /// `.await`, so a std Mutex is enough.
            fn record(index: usize, update: impl FnOnce(&mut Record)) {
                let mut timeline = TIMELINE.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(r) = timeline.get_mut(index) {
                    update(r);
                }
            }

            /// A task's exception (Python: `RuntimeError(message)`), and which task raised it.
            #[derive(Debug)]
            struct TaskError {
                index: usize,
                message: String,
            }

            impl std::fmt::Display for TaskError {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    let label = LABELS.get(self.index).copied().unwrap_or("?");
                    write!(f, "{label}: {}", self.message)
                }
            }

            /// A task's result: its index (as in the Python version), or its error.
            type TaskResult = Result<usize, TaskError>;
            type Job = Pin<Box<dyn Future<Output = TaskResult> + Send>>;

            /// Records when task `index` starts and ends, and how (Python's `@timed`).
            async fn timed(index: usize, body: impl Future<Output = Result<(), String>>) -> TaskResult {
                record(index, |r| r.start_ms = Some(now_ms()));
                // Dropping this future before the body ends (an abort, a timeout) is
                // how tokio cancels a task: `ending` then records "cancelled".
                let mut ending = Ending { index, outcome: "cancelled" };
                let result = body.await;
                ending.outcome = if result.is_ok() { "ok" } else { "failed" };
                result.map(|()| index).map_err(|message| TaskError { index, message })
            }

            /// Writes a task's end time and outcome when dropped, however it ended.
            struct Ending {
                index: usize,
                outcome: &'static str,
            }

            impl Drop for Ending {
                fn drop(&mut self) {
                    let outcome = self.outcome;
                    record(self.index, |r| {
                        r.end_ms = Some(now_ms());
                        r.outcome = outcome;
                    });
                }
            }
        "#,
    );
    blank(out, 1);
}

/// The helpers the scenario's tasks use: `with_timeout`, `burn`, `stream`.
fn helpers(out: &mut String, scenario: &Scenario) {
    if scenario.tasks.iter().any(|t| t.real.timeout_ms.is_some()) {
        block(
            out,
            0,
            r#"
                /// `asyncio.wait_for(job, limit)`: `tokio::time::timeout` drops (cancels)
                /// the job when time is up, and the task counts as timed out.
                async fn with_timeout(index: usize, limit: Duration, job: impl Future<Output = TaskResult>) -> TaskResult {
                    // Bound first, so the job is dropped (and records its end) before
                    // the outcome is overwritten.
                    let result = tokio::time::timeout(limit, job).await;
                    match result {
                        Ok(result) => result,
                        Err(_elapsed) => {
                            record(index, |r| r.outcome = "timed out");
                            Err(TaskError { index, message: format!("timed out after {limit:?}") })
                        }
                    }
                }
            "#,
        );
        blank(out, 1);
    }
    if has_kind(scenario, |k| matches!(k, Kind::Offloaded { cpu: true })) {
        block(
            out,
            0,
            r#"
                /// CPU-bound work: keeps this thread busy for `time`. Rust has no GIL:
                /// on enough cores, two of these really run at once.
                fn burn(time: Duration) {
                    let deadline = Instant::now() + time;
                    while Instant::now() < deadline {
                        std::hint::spin_loop();
                    }
                }
            "#,
        );
        blank(out, 1);
    }
    if has_stream(scenario) {
        block(
            out,
            0,
            r#"
                /// An async stream: one item every `interval` (Python: an async generator).
                fn stream(count: u32, interval: Duration) -> impl futures::Stream<Item = u32> {
                    futures::stream::unfold(0, move |i| async move {
                        if i < count {
                            sleep(interval).await;
                            Some((i, i + 1))
                        } else {
                            None
                        }
                    })
                }
            "#,
        );
        blank(out, 1);
    }
}

/// One task's `async fn`, doing what its kind does.
fn task_function(out: &mut String, index: usize, task: &Task, name: &str) {
    let d = task.real.duration_ms;
    line(out, 0, &format!("/// {}", comment_text(&task.label)));
    line(
        out,
        0,
        &format!("async fn {name}() -> Result<(), String> {{"),
    );
    match &task.kind {
        Kind::Io => {
            line(
                out,
                1,
                &format!("sleep(ms({d})).await; // I/O: the runtime runs other tasks"),
            );
            line(out, 1, "Ok(())");
        }
        Kind::Fail { message } => {
            line(out, 1, &format!("sleep(ms({d})).await;"));
            line(
                out,
                1,
                &format!(
                    "Err({}.to_string()) // raise RuntimeError(…)",
                    rust_str(message)
                ),
            );
        }
        Kind::Blocking => {
            line(
                out,
                1,
                "// Blocks the runtime's only thread, as time.sleep blocks asyncio's loop:",
            );
            line(out, 1, "// no other task runs meanwhile.");
            line(out, 1, &format!("std::thread::sleep(ms({d}));"));
            line(out, 1, "Ok(())");
        }
        Kind::Offloaded { cpu } => {
            let work = if *cpu {
                format!("burn(ms({d}))")
            } else {
                format!("std::thread::sleep(ms({d}))")
            };
            line(
                out,
                1,
                "// asyncio.to_thread: the call runs on tokio's blocking pool, the loop stays free.",
            );
            line(
                out,
                1,
                &format!("tokio::task::spawn_blocking(|| {work}).await.map_err(|e| e.to_string())"),
            );
        }
        Kind::Stream { items } => {
            line(
                out,
                1,
                &format!("// async for item in stream({items}, {d} ms):"),
            );
            line(
                out,
                1,
                &format!("let mut items = std::pin::pin!(stream({items}, ms({d})));"),
            );
            line(out, 1, "while let Some(_item) = items.next().await {");
            line(
                out,
                2,
                &format!("record({index}, |r| r.items_ms.push(now_ms()));"),
            );
            if task.real.body_ms > 0 {
                let b = task.real.body_ms;
                line(
                    out,
                    2,
                    &format!("sleep(ms({b})).await; // the loop body's own work"),
                );
            }
            line(out, 1, "}");
            line(out, 1, "Ok(())");
        }
    }
    line(out, 0, "}");
    blank(out, 1);
}

/// `jobs()`: every task's future, wrapped in its timeout if any.
fn jobs(out: &mut String, scenario: &Scenario, names: &[String]) {
    block(
        out,
        0,
        r#"
            /// Every task's future, in list order. Futures are lazy: nothing runs
            /// until one is awaited or spawned.
            fn jobs() -> Vec<Job> {
                vec![
        "#,
    );
    for (index, (task, name)) in scenario.tasks.iter().zip(names).enumerate() {
        let job = format!("timed({index}, {name}())");
        match task.real.timeout_ms {
            Some(t) => line(
                out,
                2,
                &format!("Box::pin(with_timeout({index}, ms({t}), {job})),"),
            ),
            None => line(out, 2, &format!("Box::pin({job}),")),
        }
    }
    line(out, 1, "]");
    line(out, 0, "}");
    blank(out, 1);
}

/// `run()`: the common set-up, then the mode's awaiting code.
fn run(out: &mut String, code: &dyn ModeCode, options: &ModeOptions) {
    block(
        out,
        0,
        r#"
            /// The awaiting code (Python's `main()`): when it resumed, the exception
            /// it got if any, and the order the results came back in.
            async fn run() -> (f64, Option<TaskError>, Vec<usize>) {
                T0.get_or_init(Instant::now);
                *TIMELINE.lock().unwrap_or_else(|e| e.into_inner()) = LABELS
                    .iter()
                    .map(|_| Record { start_ms: None, end_ms: None, outcome: "not run", items_ms: Vec::new() })
                    .collect();
        "#,
    );
    code.rust_run(out, options);
    line(out, 1, "(caller, raised, order)");
    line(out, 0, "}");
    blank(out, 1);
}

/// `main()`: a one-thread runtime, sized for `to_thread`'s pool when a
/// task uses it.
fn main(out: &mut String, scenario: &Scenario) {
    let options = &scenario.options;
    if has_kind(scenario, |k| matches!(k, Kind::Offloaded { .. })) {
        block(
            out,
            0,
            r#"
                fn main() {
                    // One thread runs every task, as asyncio's event loop does: this is
                    // what #[tokio::main(flavor = "current_thread")] builds, written out
                    // to size the blocking pool.
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
            "#,
        );
        line(
            out,
            2,
            &format!(
                ".max_blocking_threads({}) // ThreadPoolExecutor(max_workers={}) behind to_thread",
                options.pool_size.max(1),
                options.pool_size.max(1)
            ),
        );
        block(
            out,
            0,
            r#"
                    .build()
                    .expect("could not start the tokio runtime");
                let (caller, raised, order) = runtime.block_on(run());
                report(caller, raised, order);
            }
            "#,
        );
    } else {
        block(
            out,
            0,
            r#"
                // One thread runs every task, as asyncio's event loop does.
                #[tokio::main(flavor = "current_thread")]
                async fn main() {
                    let (caller, raised, order) = run().await;
                    report(caller, raised, order);
                }
            "#,
        );
    }
}

/// `report()`: prints the timing table.
fn report(out: &mut String) {
    blank(out, 1);
    block(
        out,
        0,
        r#"
            fn show(ms: Option<f64>) -> String {
                ms.map_or_else(|| "      -".to_string(), |ms| format!("{ms:7.1}"))
            }

            /// Prints the timing table, as the Python version does.
            fn report(caller: f64, raised: Option<TaskError>, order: Vec<usize>) {
                let timeline = TIMELINE.lock().unwrap_or_else(|e| e.into_inner()).clone();
                for (label, r) in LABELS.iter().zip(&timeline) {
                    let items = match r.items_ms.len() {
                        0 => String::new(),
                        n => format!(", {n} items"),
                    };
                    println!("{label:<24} {} → {} ms  {}{items}", show(r.start_ms), show(r.end_ms), r.outcome);
                }
                let error = raised.map(|e| format!(" with an exception ({e})")).unwrap_or_default();
                println!("caller resumed at {caller:.1} ms{error}; results: {order:?}");
            }
        "#,
    );
}

/// Spawns every job (each as the expression `job`) into a JoinSet `set`.
pub(crate) fn spawn_all(out: &mut String, job: &str) {
    line(out, 1, "let mut set = JoinSet::new();");
    line(out, 1, "for job in jobs() {");
    line(out, 2, &format!("set.spawn({job});"));
    line(out, 1, "}");
}

/// After the caller resumed: lets the tasks still in `set` finish.
pub(crate) fn wait_rest(out: &mut String) {
    line(
        out,
        1,
        "// Let the others finish (dropping the JoinSet would abort them).",
    );
    line(out, 1, "while set.join_next().await.is_some() {}");
}

/// The `error_of` helper: a spawned task's exception, if it raised one.
pub(crate) fn error_of_helper(out: &mut String) {
    block(
        out,
        0,
        r#"
            /// A spawned task's exception, if it raised one.
            fn error_of(joined: Result<TaskResult, JoinError>) -> Option<TaskError> {
                match joined {
                    Ok(Err(error)) => Some(error),
                    // Ok: it succeeded. A JoinError: it was aborted (these tasks never panic).
                    _ => None,
                }
            }
        "#,
    );
    blank(out, 1);
}

/// The Rust function name of each task: [`function_names`] (unique, not a
/// Python keyword), also kept clear of Rust's keywords and of the names the
/// program itself uses.
pub fn rust_function_names(scenario: &Scenario) -> Vec<String> {
    let python = function_names(scenario);
    let mut taken: HashSet<String> = HashSet::new();
    python
        .into_iter()
        .map(|mut base| {
            if RUST_RESERVED.contains(&base.as_str()) {
                base.push_str("_task");
            }
            let mut name = base.clone();
            let mut n = 2;
            // Another task may already be called `<base>` (e.g. "fn task").
            while taken.contains(&name) {
                name = format!("{base}_{n}");
                n += 1;
            }
            taken.insert(name.clone());
            name
        })
        .collect()
}

/// Rust keywords (strict, reserved and weak), the program's own names, and
/// std or tokio names it calls unqualified.
const RUST_RESERVED: &[&str] = &[
    "as",
    "break",
    "const",
    "continue",
    "crate",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
    "async",
    "await",
    "dyn",
    "abstract",
    "become",
    "box",
    "do",
    "final",
    "gen",
    "macro",
    "override",
    "priv",
    "try",
    "typeof",
    "unsized",
    "virtual",
    "yield",
    "union",
    "raw",
    "safe",
    // The program's own names.
    "main",
    "run",
    "report",
    "show",
    "now_ms",
    "ms",
    "record",
    "timed",
    "ending",
    "with_timeout",
    "burn",
    "stream",
    "limited",
    "jobs",
    "error_of",
    "index_of",
    "labels",
    "timeline",
    "t0",
    // Names it uses unqualified.
    "sleep",
    "std",
    "tokio",
    "futures",
    "core",
    "alloc",
    "drop",
    "vec",
    "println",
    "format",
    "write",
];

/// A Rust string literal (double-quoted, escaped): user text can't end it,
/// and characters rustc rejects or a reader can't see are written as `\u{…}`.
pub fn rust_str(text: &str) -> String {
    let mut s = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '"' => s.push_str("\\\""),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            c if c.is_control() || is_bidi_control(c) => {
                let _ = write!(s, "\\u{{{:x}}}", c as u32);
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// Text safe in a `///` comment: one line, without the characters rustc
/// refuses in comments (bidirectional overrides) or can't end a line with.
fn comment_text(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// The bidirectional-text controls rustc denies in literals and comments
/// (`text_direction_codepoint_in_literal`), plus the other invisible
/// direction marks, which would make the source read differently than it runs.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}
