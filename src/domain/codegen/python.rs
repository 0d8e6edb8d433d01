//! Python source for a scenario: the asyncio program the playground imitates.
//!
//! [`python_program`] writes a runnable Python 3.10+ program (3.11+ for
//! `TaskGroup`) that does what the simulator models: one `async def` per
//! task, the run mode's awaiting pattern in `main()` (written by the mode,
//! [`crate::domain::modes::ModeCode::python_main`]), and a timeline of when
//! each task started and ended, measured with `time.perf_counter()`. A reader
//! can paste it into a file and run it; `tests/oracle.rs` runs the
//! instrumented form under `python3` and checks the simulator against it.
//!
//! Durations are the tasks' real ones ([`Task::real`], after the speed
//! factor), in seconds; at another speed than 1 the header says so and
//! each task's comment gives its durations as written ([`speed`]). Pure
//! string building: no I/O, no clock.

use std::collections::HashSet;
use std::fmt::Write;

use crate::domain::codegen::lines::{blank, block, line};
use crate::domain::codegen::speed;
use crate::domain::modes::{ModeCode, ModeOptions};
use crate::domain::scenario::{Kind, RunMode, Scenario, Task};

/// A runnable asyncio program for `scenario` run in `mode`.
///
/// When `instrumented`, its only output is one line of JSON at exit:
/// `{"tasks":[{"start","end","outcome","items"}…],"caller","raised","order"}`
/// with times in ms since `main()` began (the shape `tests/oracle.rs`
/// reads); otherwise it prints a small human-readable table.
pub fn python_program(scenario: &Scenario, mode: RunMode, instrumented: bool) -> String {
    let code = mode.code();
    let options = mode.options(&scenario.options);
    let mut py = String::new();
    let out = &mut py;
    header(out, scenario, mode);
    imports(out, instrumented);
    timeline(out, scenario);
    helpers(out, scenario);
    let names = function_names(scenario);
    for (index, (task, name)) in scenario.tasks.iter().zip(&names).enumerate() {
        if let Some(note) = speed::task_note(task, scenario.speed) {
            line(out, 0, &format!("# {note}"));
        }
        task_function(out, index, task, name);
    }
    jobs(out, scenario, &names);
    // A task can be cancelled before its body runs only by the awaiting
    // code (a TaskGroup's abort, wait()'s caller cancelling what is pending).
    if code.may_cancel_unstarted(&options) {
        note_cancelled(out);
    }
    main(out, scenario, code, &options);
    entry_point(out, instrumented);
    py
}

/// What the program is: the mode and the scenario's size and speed.
fn header(out: &mut String, scenario: &Scenario, mode: RunMode) {
    line(
        out,
        0,
        &format!("# Async Playground: {} — {}", mode.label(), mode.python()),
    );
    line(
        out,
        0,
        &format!(
            "# {} task(s); durations are in seconds, after the speed factor ({}x).",
            scenario.tasks.len(),
            scenario.speed
        ),
    );
    if let Some(note) = speed::header_note(scenario) {
        line(out, 0, &format!("# {note}"));
    }
    if let Some(note) = mode.code().python_note() {
        line(out, 0, note);
    }
}

fn imports(out: &mut String, instrumented: bool) {
    block(
        out,
        0,
        r#"
            import asyncio
            import concurrent.futures
            import functools
        "#,
    );
    if instrumented {
        line(out, 0, "import json");
    }
}

/// The clock, the labels, and the `@timed` decorator that fills in each
/// task's record.
fn timeline(out: &mut String, scenario: &Scenario) {
    block(
        out,
        0,
        r#"
            import time


            t0 = time.perf_counter()  # reset when main() starts


            def now_ms():
                """Milliseconds since main() started."""
                return (time.perf_counter() - t0) * 1000


            LABELS = [
        "#,
    );
    for task in &scenario.tasks {
        line(out, 1, &format!("{},", py_str(&task.label)));
    }
    block(
        out,
        0,
        r#"
            ]
            # What happened to each task, filled in as the run goes.
            timeline = [
                {"start": None, "end": None, "outcome": "not run", "items": []}
                for _ in LABELS
            ]


            def timed(index):
                """Decorator: records when task `index` starts and ends, and how."""
                def decorate(body):
                    @functools.wraps(body)
                    async def task():
                        record = timeline[index]
                        record["start"] = now_ms()
                        try:
                            await body()
                            record["outcome"] = "ok"
                            return index
                        except asyncio.CancelledError:
                            record["outcome"] = "cancelled"
                            raise
                        except Exception as exc:
                            record["outcome"] = "failed"
                            exc.task_index = index  # tells the caller which task failed
                            raise
                        finally:
                            record["end"] = now_ms()
                    task.index = index
                    return task
                return decorate
        "#,
    );
    blank(out, 2);
}

/// The helpers the scenario's tasks use: `with_timeout`, `burn`, `stream`.
fn helpers(out: &mut String, scenario: &Scenario) {
    let any = |f: fn(&Task) -> bool| scenario.tasks.iter().any(f);
    if any(|t| t.real.timeout_ms.is_some()) {
        block(
            out,
            0,
            r#"
                def with_timeout(seconds, job):
                    """`asyncio.wait_for(job(), seconds)`, recording a timeout as such."""
                    async def run():
                        try:
                            return await asyncio.wait_for(job(), seconds)
                        except asyncio.TimeoutError as exc:
                            # The task itself saw CancelledError; keep its end time.
                            timeline[job.index]["outcome"] = "timed out"
                            exc.task_index = job.index
                            raise
                    return run
            "#,
        );
        blank(out, 2);
    }
    if any(|t| matches!(t.kind, Kind::Offloaded { cpu: true })) {
        block(
            out,
            0,
            r#"
                def burn(seconds):
                    """CPU-bound work: keeps this thread busy for `seconds` of its CPU time."""
                    deadline = time.thread_time() + seconds
                    while time.thread_time() < deadline:
                        pass
            "#,
        );
        blank(out, 2);
    }
    if any(|t| matches!(t.kind, Kind::Stream { .. })) {
        block(
            out,
            0,
            r#"
                async def stream(count, interval):
                    """An async generator: one item every `interval` seconds."""
                    for i in range(count):
                        await asyncio.sleep(interval)
                        yield i
            "#,
        );
        blank(out, 2);
    }
}

/// One task's `async def`, doing what its kind does.
fn task_function(out: &mut String, index: usize, task: &Task, name: &str) {
    let d = seconds(task.real.duration_ms);
    line(out, 0, &format!("@timed({index})"));
    line(out, 0, &format!("async def {name}():"));
    line(
        out,
        1,
        &format!("\"\"\"{}\"\"\"", docstring_text(&task.label)),
    );
    match &task.kind {
        Kind::Io => line(
            out,
            1,
            &format!("await asyncio.sleep({d})  # I/O: the loop runs others"),
        ),
        Kind::Fail { message } => {
            line(out, 1, &format!("await asyncio.sleep({d})"));
            line(out, 1, &format!("raise RuntimeError({})", py_str(message)));
        }
        Kind::Blocking => line(
            out,
            1,
            &format!("time.sleep({d})  # blocks the event loop: nothing else runs"),
        ),
        Kind::Offloaded { cpu: false } => line(
            out,
            1,
            &format!("await asyncio.to_thread(time.sleep, {d})  # a blocking wait, in a thread"),
        ),
        Kind::Offloaded { cpu: true } => line(
            out,
            1,
            &format!("await asyncio.to_thread(burn, {d})  # CPU work, in a thread (GIL!)"),
        ),
        Kind::Stream { items } => {
            line(out, 1, &format!("async for item in stream({items}, {d}):"));
            line(
                out,
                2,
                &format!("timeline[{index}][\"items\"].append(now_ms())"),
            );
            if task.real.body_ms > 0 {
                let b = seconds(task.real.body_ms);
                line(
                    out,
                    2,
                    &format!("await asyncio.sleep({b})  # the loop body's own work"),
                );
            }
        }
    }
    blank(out, 2);
}

/// `JOBS`: each task's coroutine function, wrapped in its timeout if any.
fn jobs(out: &mut String, scenario: &Scenario, names: &[String]) {
    line(out, 0, "# The coroutine functions to run, in list order.");
    line(out, 0, "JOBS = [");
    for (task, name) in scenario.tasks.iter().zip(names) {
        match task.real.timeout_ms {
            Some(t) => line(out, 1, &format!("with_timeout({}, {name}),", seconds(t))),
            None => line(out, 1, &format!("{name},")),
        }
    }
    line(out, 0, "]");
    blank(out, 2);
}

fn note_cancelled(out: &mut String) {
    block(
        out,
        0,
        r#"
            def note_cancelled(index):
                """Done callback: a task cancelled before its body ran still ends."""
                def callback(task):
                    record = timeline[index]
                    if task.cancelled() and record["start"] is None:
                        record["outcome"] = "cancelled"
                        record["end"] = now_ms()
                return callback
        "#,
    );
    blank(out, 2);
}

/// `main()`: the common set-up, then the mode's awaiting code.
fn main(out: &mut String, scenario: &Scenario, code: &dyn ModeCode, options: &ModeOptions) {
    block(
        out,
        0,
        r#"
            async def main():
                global t0
                t0 = time.perf_counter()
                loop = asyncio.get_running_loop()
        "#,
    );
    line(
        out,
        1,
        &format!(
            "loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers={}))",
            scenario.options.pool_size.max(1)
        ),
    );
    block(
        out,
        1,
        r#"
            raised = False  # did the awaiting code get an exception?
            order = []  # task indices, in the order their results came back
        "#,
    );
    code.python_main(out, options);
    line(out, 1, "return caller, raised, order");
    blank(out, 2);
}

/// Runs `main()` and prints the JSON record, or the table.
fn entry_point(out: &mut String, instrumented: bool) {
    if instrumented {
        block(
            out,
            0,
            r#"
                caller, raised, order = asyncio.run(main())
                print(json.dumps({"tasks": timeline, "caller": caller, "raised": raised, "order": order}))
            "#,
        );
    } else {
        block(
            out,
            0,
            r#"
                def show(ms):
                    return "      -" if ms is None else f"{ms:7.1f}"


                caller, raised, order = asyncio.run(main())
                for label, record in zip(LABELS, timeline):
                    print(f"{label:<24} {show(record['start'])} → {show(record['end'])} ms  {record['outcome']}")
                print(f"caller resumed at {caller:.1f} ms{' with an exception' if raised else ''}; results: {order}")
            "#,
        );
    }
}

/// Creates a task for every job: `ts`.
pub(crate) fn create_all(out: &mut String) {
    line(out, 1, "ts = [asyncio.create_task(job()) for job in JOBS]");
}

/// After the caller resumed: lets the tasks still running finish.
pub(crate) fn wait_rest(out: &mut String) {
    block(
        out,
        1,
        r#"
            # Let the others finish (asyncio.run would cancel them).
            pending = [t for t in ts if not t.done()]
            if pending:
                await asyncio.wait(pending)
        "#,
    );
}

/// The Python function name of each task: its label as an identifier,
/// unique, and never a keyword or a name the program itself uses.
pub fn function_names(scenario: &Scenario) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::new();
    scenario
        .tasks
        .iter()
        .enumerate()
        .map(|(i, task)| {
            let mut base = identifier(&task.label);
            if base.is_empty() {
                base = format!("task_{}", i + 1);
            } else if base.starts_with(|c: char| c.is_ascii_digit()) {
                base = format!("task_{base}");
            }
            if RESERVED.contains(&base.as_str()) {
                base.push_str("_task");
            }
            let mut name = base.clone();
            let mut n = 2;
            while taken.contains(&name) {
                name = format!("{base}_{n}");
                n += 1;
            }
            taken.insert(name.clone());
            name
        })
        .collect()
}

/// Lower-case ASCII letters, digits and single underscores.
fn identifier(label: &str) -> String {
    let mut id = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('_') {
            id.push('_');
        }
    }
    id.trim_matches('_').to_string()
}

/// Python keywords, the program's own names, and builtins it calls: a task
/// named like one of these would shadow it.
const RESERVED: &[&str] = &[
    // Keywords (and soft keywords).
    "false",
    "none",
    "true",
    "and",
    "as",
    "assert",
    "async",
    "await",
    "break",
    "class",
    "continue",
    "def",
    "del",
    "elif",
    "else",
    "except",
    "finally",
    "for",
    "from",
    "global",
    "if",
    "import",
    "in",
    "is",
    "lambda",
    "nonlocal",
    "not",
    "or",
    "pass",
    "raise",
    "return",
    "try",
    "while",
    "with",
    "yield",
    "match",
    "case",
    "type",
    // The program's module-level names.
    "asyncio",
    "concurrent",
    "functools",
    "json",
    "time",
    "t0",
    "now_ms",
    "labels",
    "timeline",
    "timed",
    "with_timeout",
    "burn",
    "stream",
    "jobs",
    "note_cancelled",
    "main",
    "show",
    "caller",
    "raised",
    "order",
    "record",
    "label",
    // Builtins it uses.
    "print",
    "range",
    "len",
    "list",
    "sorted",
    "zip",
    "enumerate",
    "exception",
    "runtimeerror",
    "timeouterror",
    "exceptiongroup",
];

/// Seconds from whole ms, as a short Python literal: 250 → `0.25`.
pub(super) fn seconds(ms: u32) -> String {
    let whole = ms / 1000;
    let frac = ms % 1000;
    if frac == 0 {
        return whole.to_string();
    }
    let digits = format!("{frac:03}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// A Python string literal (double-quoted, escaped).
pub(super) fn py_str(text: &str) -> String {
    let mut s = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '"' => s.push_str("\\\""),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(s, "\\u{:04x}", c as u32);
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// A label made safe inside a `"""docstring"""`: one line, no quotes run.
fn docstring_text(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c.is_control() || c == '"' || c == '\\' {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .trim()
        .to_string()
}
