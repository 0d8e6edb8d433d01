//! Python source for a scenario: the asyncio program the playground imitates.
//!
//! [`python_program`] writes a runnable Python 3.10+ program (3.11+ for
//! `TaskGroup`) that does what the simulator models: one `async def` per
//! task, the run mode's awaiting pattern in `main()`, and a timeline of when
//! each task started and ended, measured with `time.perf_counter()`. A reader
//! can paste it into a file and run it; `tests/oracle.rs` runs the
//! instrumented form under `python3` and checks the simulator against it.
//!
//! Fixed stretches of Python are written as text with [`block`], laid out as
//! they will read in the program; [`line`] writes the lines that interpolate
//! a value or depend on a condition.
//!
//! Durations are the scenario's effective ones (after the speed factor), in
//! seconds. Pure string building: no I/O, no clock.

use std::collections::HashSet;
use std::fmt::Write;

use crate::domain::scenario::{Kind, RunMode, Scenario};

/// A runnable asyncio program for `scenario` run in `mode`.
///
/// When `instrumented`, its only output is one line of JSON at exit:
/// `{"tasks":[{"start","end","outcome","items"}…],"caller","raised","order"}`
/// with times in ms since `main()` began (the shape `tests/oracle.rs`
/// reads); otherwise it prints a small human-readable table.
pub fn python_program(scenario: &Scenario, mode: RunMode, instrumented: bool) -> String {
    let names = function_names(scenario);
    let options = scenario.options;
    let catch = options.return_exceptions && mode.catches_errors_option();
    let has_stream = scenario
        .tasks
        .iter()
        .any(|t| matches!(t.kind, Kind::Stream { .. }));
    let has_cpu = scenario
        .tasks
        .iter()
        .any(|t| matches!(t.kind, Kind::Offloaded { cpu: true }));
    let has_timeout = scenario.tasks.iter().any(|t| t.timeout_ms.is_some());
    // A task can be cancelled before its body runs only by a TaskGroup's
    // abort or by wait()'s caller cancelling what is pending.
    let may_cancel_unstarted =
        mode == RunMode::TaskGroup || (mode == RunMode::WaitFirst && options.cancel_pending);

    let mut py = String::new();
    let out = &mut py;
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
    if mode == RunMode::TaskGroup {
        line(out, 0, "# Needs Python 3.11+ (asyncio.TaskGroup, except*).");
    }
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

    if has_timeout {
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
    if has_cpu {
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
    if has_stream {
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

    for (index, (task, name)) in scenario.tasks.iter().zip(&names).enumerate() {
        let d = seconds(scenario.scaled(task.duration_ms));
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
                &format!(
                    "await asyncio.to_thread(time.sleep, {d})  # a blocking wait, in a thread"
                ),
            ),
            Kind::Offloaded { cpu: true } => line(
                out,
                1,
                &format!("await asyncio.to_thread(burn, {d})  # CPU work, in a thread (GIL!)"),
            ),
            Kind::Stream { items, body_ms } => {
                line(out, 1, &format!("async for item in stream({items}, {d}):"));
                line(
                    out,
                    2,
                    &format!("timeline[{index}][\"items\"].append(now_ms())"),
                );
                if *body_ms > 0 {
                    let b = seconds(scenario.scaled(*body_ms));
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

    line(out, 0, "# The coroutine functions to run, in list order.");
    line(out, 0, "JOBS = [");
    for (task, name) in scenario.tasks.iter().zip(&names) {
        match task.timeout_ms {
            Some(t) => line(
                out,
                1,
                &format!("with_timeout({}, {name}),", seconds(scenario.scaled(t))),
            ),
            None => line(out, 1, &format!("{name},")),
        }
    }
    line(out, 0, "]");
    blank(out, 2);

    if may_cancel_unstarted {
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
            options.pool_size.max(1)
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
    main_body(
        out,
        mode,
        catch,
        options.limit.max(1),
        options.cancel_pending,
    );
    line(out, 1, "return caller, raised, order");
    blank(out, 2);

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
    py
}

/// `main()`'s awaiting code for a mode, after the common set-up.
fn main_body(out: &mut String, mode: RunMode, catch: bool, limit: u32, cancel_pending: bool) {
    let create_all = |out: &mut String| {
        line(out, 1, "ts = [asyncio.create_task(job()) for job in JOBS]");
    };
    let wait_rest = |out: &mut String| {
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
    };
    match mode {
        RunMode::Sequential => {
            if catch {
                block(
                    out,
                    1,
                    r#"
                        for i, job in enumerate(JOBS):
                            order.append(i)
                            try:
                                await job()
                            except Exception:
                                pass  # caught; go on with the next task
                    "#,
                );
            } else {
                block(
                    out,
                    1,
                    r#"
                        try:
                            for i, job in enumerate(JOBS):
                                order.append(i)
                                await job()
                        except Exception:
                            raised = True  # the tasks after it never run
                    "#,
                );
            }
            line(out, 1, "caller = now_ms()");
        }
        RunMode::Gather | RunMode::Bounded => {
            if mode == RunMode::Bounded {
                line(out, 1, &format!("sem = asyncio.Semaphore({limit})"));
                blank(out, 1);
                block(
                    out,
                    1,
                    r#"
                        async def limited(job):
                            async with sem:  # at most this many at once
                                return await job()

                        ts = [asyncio.create_task(limited(job)) for job in JOBS]
                    "#,
                );
            } else {
                create_all(out);
            }
            if catch {
                block(
                    out,
                    1,
                    r#"
                        results = await asyncio.gather(*ts, return_exceptions=True)
                        order = list(range(len(results)))  # gather keeps list order
                    "#,
                );
            } else {
                block(
                    out,
                    1,
                    r#"
                        try:
                            results = await asyncio.gather(*ts)
                            order = list(range(len(results)))  # gather keeps list order
                        except Exception:
                            raised = True  # the first exception, at once
                    "#,
                );
            }
            line(out, 1, "caller = now_ms()");
            wait_rest(out);
        }
        RunMode::CreateTask => {
            create_all(out);
            if catch {
                block(
                    out,
                    1,
                    r#"
                        for i, t in enumerate(ts):
                            order.append(i)
                            try:
                                await t
                            except Exception:
                                pass
                    "#,
                );
            } else {
                block(
                    out,
                    1,
                    r#"
                        try:
                            for i, t in enumerate(ts):
                                order.append(i)
                                await t
                        except Exception:
                            raised = True
                    "#,
                );
            }
            line(out, 1, "caller = now_ms()");
            wait_rest(out);
        }
        RunMode::TaskGroup => {
            block(
                out,
                1,
                r#"
                    try:
                        async with asyncio.TaskGroup() as tg:
                            for i, job in enumerate(JOBS):
                                tg.create_task(job()).add_done_callback(note_cancelled(i))
                    except* Exception:
                        raised = True  # the first failure cancelled the rest
                    caller = now_ms()
                    # The tasks that succeeded, in the order they finished.
                    succeeded = [i for i, r in enumerate(timeline) if r["outcome"] == "ok"]
                    order = sorted(succeeded, key=lambda i: timeline[i]["end"])
                "#,
            );
        }
        RunMode::AsCompleted => {
            create_all(out);
            if catch {
                block(
                    out,
                    1,
                    r#"
                        for next_done in asyncio.as_completed(ts):
                            try:
                                i = await next_done  # each task returns its index
                            except Exception as exc:
                                i = exc.task_index
                            order.append(i)
                    "#,
                );
            } else {
                block(
                    out,
                    1,
                    r#"
                        try:
                            for next_done in asyncio.as_completed(ts):
                                order.append(await next_done)  # each task returns its index
                        except Exception as exc:
                            order.append(exc.task_index)
                            raised = True
                    "#,
                );
            }
            line(out, 1, "caller = now_ms()");
            wait_rest(out);
        }
        RunMode::WaitFirst => {
            create_all(out);
            if cancel_pending {
                block(
                    out,
                    1,
                    r#"
                        for i, t in enumerate(ts):
                            t.add_done_callback(note_cancelled(i))
                    "#,
                );
            }
            block(
                out,
                1,
                r#"
                    done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_COMPLETED)
                    caller = now_ms()
                    order = sorted(ts.index(t) for t in done)
                "#,
            );
            if cancel_pending {
                block(
                    out,
                    1,
                    r#"
                        for t in pending:
                            t.cancel()
                    "#,
                );
            }
            wait_rest(out);
        }
    }
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
fn seconds(ms: u32) -> String {
    let whole = ms / 1000;
    let frac = ms % 1000;
    if frac == 0 {
        return whole.to_string();
    }
    let digits = format!("{frac:03}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// A Python string literal (double-quoted, escaped).
fn py_str(text: &str) -> String {
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

/// Appends one line at an indentation depth of 4 spaces per level.
pub(super) fn line(out: &mut String, depth: usize, text: &str) {
    for _ in 0..depth {
        out.push_str("    ");
    }
    out.push_str(text);
    out.push('\n');
}

/// Appends a fixed run of Python lines, written as text laid out the way
/// the Python reads, each line `depth` levels deeper.
///
/// Convention: `text` is a raw string literal whose content starts on the
/// line after `r#"` (that first newline is dropped) and whose closing `"#`
/// sits on a line of its own (that last, whitespace-only line is dropped).
/// The least indentation (spaces) among the non-blank lines is the margin and
/// is removed, so the literal can be indented to match the Rust around it;
/// what remains is each line's Python indentation within the block. Each
/// line is then written as [`line`] writes it; an empty line is written as
/// a bare newline, as [`blank`] does.
pub(super) fn block(out: &mut String, depth: usize, text: &str) {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let mut lines: Vec<&str> = text.split('\n').collect();
    if lines.last().is_some_and(|last| last.trim().is_empty()) {
        lines.pop();
    }
    let margin = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    for text in lines {
        if text.trim().is_empty() {
            blank(out, 1);
        } else {
            line(out, depth, &text[margin..]);
        }
    }
}

/// Appends `count` empty lines (no indentation).
pub(super) fn blank(out: &mut String, count: usize) {
    for _ in 0..count {
        out.push('\n');
    }
}
