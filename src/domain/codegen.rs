//! Python source for a scenario: the asyncio program the playground imitates.
//!
//! [`python_program`] writes a runnable Python 3.10+ program (3.11+ for
//! `TaskGroup`) that does what the simulator models: one `async def` per
//! task, the run mode's awaiting pattern in `main()`, and a timeline of when
//! each task started and ended, measured with `time.perf_counter()`. A reader
//! can paste it into a file and run it; `tests/oracle.rs` runs the
//! instrumented form under `python3` and checks the simulator against it.
//!
//! Durations are the scenario's effective ones (after the speed factor), in
//! seconds. Pure string building: no I/O, no clock.

use std::collections::HashSet;
use std::fmt::Write;

use super::scenario::{Kind, RunMode, Scenario};

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
    line(out, 0, "import asyncio");
    line(out, 0, "import concurrent.futures");
    line(out, 0, "import functools");
    if instrumented {
        line(out, 0, "import json");
    }
    line(out, 0, "import time");
    blank(out, 2);

    line(
        out,
        0,
        "t0 = time.perf_counter()  # reset when main() starts",
    );
    blank(out, 2);
    line(out, 0, "def now_ms():");
    line(out, 1, "\"\"\"Milliseconds since main() started.\"\"\"");
    line(out, 1, "return (time.perf_counter() - t0) * 1000");
    blank(out, 2);

    line(out, 0, "LABELS = [");
    for task in &scenario.tasks {
        line(out, 1, &format!("{},", py_str(&task.label)));
    }
    line(out, 0, "]");
    line(
        out,
        0,
        "# What happened to each task, filled in as the run goes.",
    );
    line(out, 0, "timeline = [");
    line(
        out,
        1,
        "{\"start\": None, \"end\": None, \"outcome\": \"not run\", \"items\": []}",
    );
    line(out, 1, "for _ in LABELS");
    line(out, 0, "]");
    blank(out, 2);

    line(out, 0, "def timed(index):");
    line(
        out,
        1,
        "\"\"\"Decorator: records when task `index` starts and ends, and how.\"\"\"",
    );
    line(out, 1, "def decorate(body):");
    line(out, 2, "@functools.wraps(body)");
    line(out, 2, "async def task():");
    line(out, 3, "record = timeline[index]");
    line(out, 3, "record[\"start\"] = now_ms()");
    line(out, 3, "try:");
    line(out, 4, "await body()");
    line(out, 4, "record[\"outcome\"] = \"ok\"");
    line(out, 4, "return index");
    line(out, 3, "except asyncio.CancelledError:");
    line(out, 4, "record[\"outcome\"] = \"cancelled\"");
    line(out, 4, "raise");
    line(out, 3, "except Exception as exc:");
    line(out, 4, "record[\"outcome\"] = \"failed\"");
    line(
        out,
        4,
        "exc.task_index = index  # tells the caller which task failed",
    );
    line(out, 4, "raise");
    line(out, 3, "finally:");
    line(out, 4, "record[\"end\"] = now_ms()");
    line(out, 2, "task.index = index");
    line(out, 2, "return task");
    line(out, 1, "return decorate");
    blank(out, 2);

    if has_timeout {
        line(out, 0, "def with_timeout(seconds, job):");
        line(
            out,
            1,
            "\"\"\"`asyncio.wait_for(job(), seconds)`, recording a timeout as such.\"\"\"",
        );
        line(out, 1, "async def run():");
        line(out, 2, "try:");
        line(out, 3, "return await asyncio.wait_for(job(), seconds)");
        line(out, 2, "except asyncio.TimeoutError as exc:");
        line(
            out,
            3,
            "# The task itself saw CancelledError; keep its end time.",
        );
        line(out, 3, "timeline[job.index][\"outcome\"] = \"timed out\"");
        line(out, 3, "exc.task_index = job.index");
        line(out, 3, "raise");
        line(out, 1, "return run");
        blank(out, 2);
    }
    if has_cpu {
        line(out, 0, "def burn(seconds):");
        line(
            out,
            1,
            "\"\"\"CPU-bound work: keeps this thread busy for `seconds` of its CPU time.\"\"\"",
        );
        line(out, 1, "deadline = time.thread_time() + seconds");
        line(out, 1, "while time.thread_time() < deadline:");
        line(out, 2, "pass");
        blank(out, 2);
    }
    if has_stream {
        line(out, 0, "async def stream(count, interval):");
        line(
            out,
            1,
            "\"\"\"An async generator: one item every `interval` seconds.\"\"\"",
        );
        line(out, 1, "for i in range(count):");
        line(out, 2, "await asyncio.sleep(interval)");
        line(out, 2, "yield i");
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
        line(out, 0, "def note_cancelled(index):");
        line(
            out,
            1,
            "\"\"\"Done callback: a task cancelled before its body ran still ends.\"\"\"",
        );
        line(out, 1, "def callback(task):");
        line(out, 2, "record = timeline[index]");
        line(out, 2, "if task.cancelled() and record[\"start\"] is None:");
        line(out, 3, "record[\"outcome\"] = \"cancelled\"");
        line(out, 3, "record[\"end\"] = now_ms()");
        line(out, 1, "return callback");
        blank(out, 2);
    }

    line(out, 0, "async def main():");
    line(out, 1, "global t0");
    line(out, 1, "t0 = time.perf_counter()");
    line(out, 1, "loop = asyncio.get_running_loop()");
    line(
        out,
        1,
        &format!(
            "loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers={}))",
            options.pool_size.max(1)
        ),
    );
    line(
        out,
        1,
        "raised = False  # did the awaiting code get an exception?",
    );
    line(
        out,
        1,
        "order = []  # task indices, in the order their results came back",
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
        line(out, 0, "caller, raised, order = asyncio.run(main())");
        line(
            out,
            0,
            "print(json.dumps({\"tasks\": timeline, \"caller\": caller, \"raised\": raised, \"order\": order}))",
        );
    } else {
        line(out, 0, "def show(ms):");
        line(
            out,
            1,
            "return \"      -\" if ms is None else f\"{ms:7.1f}\"",
        );
        blank(out, 2);
        line(out, 0, "caller, raised, order = asyncio.run(main())");
        line(out, 0, "for label, record in zip(LABELS, timeline):");
        line(
            out,
            1,
            "print(f\"{label:<24} {show(record['start'])} → {show(record['end'])} ms  {record['outcome']}\")",
        );
        line(
            out,
            0,
            "print(f\"caller resumed at {caller:.1f} ms{' with an exception' if raised else ''}; results: {order}\")",
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
        line(
            out,
            1,
            "# Let the others finish (asyncio.run would cancel them).",
        );
        line(out, 1, "pending = [t for t in ts if not t.done()]");
        line(out, 1, "if pending:");
        line(out, 2, "await asyncio.wait(pending)");
    };
    match mode {
        RunMode::Sequential => {
            if catch {
                line(out, 1, "for i, job in enumerate(JOBS):");
                line(out, 2, "order.append(i)");
                line(out, 2, "try:");
                line(out, 3, "await job()");
                line(out, 2, "except Exception:");
                line(out, 3, "pass  # caught; go on with the next task");
            } else {
                line(out, 1, "try:");
                line(out, 2, "for i, job in enumerate(JOBS):");
                line(out, 3, "order.append(i)");
                line(out, 3, "await job()");
                line(out, 1, "except Exception:");
                line(out, 2, "raised = True  # the tasks after it never run");
            }
            line(out, 1, "caller = now_ms()");
        }
        RunMode::Gather | RunMode::Bounded => {
            if mode == RunMode::Bounded {
                line(out, 1, &format!("sem = asyncio.Semaphore({limit})"));
                blank(out, 1);
                line(out, 1, "async def limited(job):");
                line(out, 2, "async with sem:  # at most this many at once");
                line(out, 3, "return await job()");
                blank(out, 1);
                line(
                    out,
                    1,
                    "ts = [asyncio.create_task(limited(job)) for job in JOBS]",
                );
            } else {
                create_all(out);
            }
            let in_order = "order = list(range(len(results)))  # gather keeps list order";
            if catch {
                line(
                    out,
                    1,
                    "results = await asyncio.gather(*ts, return_exceptions=True)",
                );
                line(out, 1, in_order);
            } else {
                line(out, 1, "try:");
                line(out, 2, "results = await asyncio.gather(*ts)");
                line(out, 2, in_order);
                line(out, 1, "except Exception:");
                line(out, 2, "raised = True  # the first exception, at once");
            }
            line(out, 1, "caller = now_ms()");
            wait_rest(out);
        }
        RunMode::CreateTask => {
            create_all(out);
            if catch {
                line(out, 1, "for i, t in enumerate(ts):");
                line(out, 2, "order.append(i)");
                line(out, 2, "try:");
                line(out, 3, "await t");
                line(out, 2, "except Exception:");
                line(out, 3, "pass");
            } else {
                line(out, 1, "try:");
                line(out, 2, "for i, t in enumerate(ts):");
                line(out, 3, "order.append(i)");
                line(out, 3, "await t");
                line(out, 1, "except Exception:");
                line(out, 2, "raised = True");
            }
            line(out, 1, "caller = now_ms()");
            wait_rest(out);
        }
        RunMode::TaskGroup => {
            line(out, 1, "try:");
            line(out, 2, "async with asyncio.TaskGroup() as tg:");
            line(out, 3, "for i, job in enumerate(JOBS):");
            line(
                out,
                4,
                "tg.create_task(job()).add_done_callback(note_cancelled(i))",
            );
            line(out, 1, "except* Exception:");
            line(
                out,
                2,
                "raised = True  # the first failure cancelled the rest",
            );
            line(out, 1, "caller = now_ms()");
            line(
                out,
                1,
                "# The tasks that succeeded, in the order they finished.",
            );
            line(
                out,
                1,
                "succeeded = [i for i, r in enumerate(timeline) if r[\"outcome\"] == \"ok\"]",
            );
            line(
                out,
                1,
                "order = sorted(succeeded, key=lambda i: timeline[i][\"end\"])",
            );
        }
        RunMode::AsCompleted => {
            create_all(out);
            if catch {
                line(out, 1, "for next_done in asyncio.as_completed(ts):");
                line(out, 2, "try:");
                line(out, 3, "i = await next_done  # each task returns its index");
                line(out, 2, "except Exception as exc:");
                line(out, 3, "i = exc.task_index");
                line(out, 2, "order.append(i)");
            } else {
                line(out, 1, "try:");
                line(out, 2, "for next_done in asyncio.as_completed(ts):");
                line(
                    out,
                    3,
                    "order.append(await next_done)  # each task returns its index",
                );
                line(out, 1, "except Exception as exc:");
                line(out, 2, "order.append(exc.task_index)");
                line(out, 2, "raised = True");
            }
            line(out, 1, "caller = now_ms()");
            wait_rest(out);
        }
        RunMode::WaitFirst => {
            create_all(out);
            if cancel_pending {
                line(out, 1, "for i, t in enumerate(ts):");
                line(out, 2, "t.add_done_callback(note_cancelled(i))");
            }
            line(
                out,
                1,
                "done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_COMPLETED)",
            );
            line(out, 1, "caller = now_ms()");
            line(out, 1, "order = sorted(ts.index(t) for t in done)");
            if cancel_pending {
                line(out, 1, "for t in pending:");
                line(out, 2, "t.cancel()");
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
fn line(out: &mut String, depth: usize, text: &str) {
    for _ in 0..depth {
        out.push_str("    ");
    }
    out.push_str(text);
    out.push('\n');
}

fn blank(out: &mut String, count: usize) {
    for _ in 0..count {
        out.push('\n');
    }
}
