//! The lesson form of a scenario: the short program a tutorial would print
//! (one `async def` per kind of task, `main()` with the mode's awaiting
//! code, `asyncio.run`), about 10–25 lines (one blank line between
//! definitions keeps it on a screen), with the line each step of the
//! event log is at ([`Lesson::line_of`]) so the stepper can highlight it.
//!
//! It runs as written in `python3` and prints when `main()`'s await
//! returned (and, when tasks outlive it, when all were done);
//! `tests/oracle_lesson.rs` checks those against the model. The
//! instrumented program beside it is [`super::python`].

use crate::domain::codegen::lines::{blank, line};
use crate::domain::codegen::python::{py_str, seconds};
use crate::domain::model::log::{Place, TaskPlace};
use crate::domain::scenario::{Kind, RunMode, Scenario, Task, TaskKind};

/// The lesson program and where each task's steps are in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    pub text: String,
    /// `main()`'s awaiting line (1-based).
    pub await_line: usize,
    /// The line creating the jobs (where `wait_for` wraps a body).
    pub jobs_line: usize,
    /// `async with sem` (a `Semaphore` only).
    pub acquire_line: Option<usize>,
    kinds: Vec<(TaskKind, KindLines)>,
    task_kinds: Vec<TaskKind>,
}

/// The lines of one kind's `async def`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct KindLines {
    /// Its await (or blocking call, or the `async for`).
    wait: usize,
    raise: Option<usize>,
    /// Its last line (where it returns).
    last: usize,
}

impl Lesson {
    /// The line (1-based) a step at `place` highlights, if any.
    pub fn line_of(&self, place: Place) -> Option<usize> {
        match place {
            Place::Loop => None,
            Place::Caller => Some(self.await_line),
            Place::Task { task, at } => {
                let kind = *self.task_kinds.get(task)?;
                let lines = self.kinds.iter().find(|(k, _)| *k == kind)?.1;
                match at {
                    TaskPlace::Acquire => self.acquire_line,
                    TaskPlace::WaitFor => Some(self.jobs_line),
                    TaskPlace::Sleep | TaskPlace::Block | TaskPlace::Thread => Some(lines.wait),
                    TaskPlace::Raise => lines.raise.or(Some(lines.last)),
                    TaskPlace::Done => Some(lines.last),
                }
            }
        }
    }

    /// How many lines it has.
    pub fn line_count(&self) -> usize {
        self.text.lines().count()
    }
}

/// The function each kind is written as.
fn function(kind: TaskKind) -> &'static str {
    match kind {
        TaskKind::Io => "fetch",
        TaskKind::Fail => "flaky",
        TaskKind::Blocking => "blocking",
        TaskKind::OffloadedWait => "download",
        TaskKind::OffloadedCpu => "crunch",
        TaskKind::Stream => "stream",
    }
}

/// The lesson program for `scenario` run in `mode`.
pub fn lesson_program(scenario: &Scenario, mode: RunMode) -> Lesson {
    let options = mode.options(&scenario.options);
    let tasks = &scenario.tasks;
    let mut kinds: Vec<TaskKind> = Vec::new();
    for t in tasks {
        let k = t.kind.task_kind();
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    let threads = kinds
        .iter()
        .any(|k| matches!(k, TaskKind::OffloadedWait | TaskKind::OffloadedCpu));
    let may_raise = tasks
        .iter()
        .any(|t| matches!(t.kind, Kind::Fail { .. }) || t.real.timeout_ms.is_some());

    let mut w = Writer {
        cancel_pending: options.cancel_pending,
        ..Writer::default()
    };
    w.line(0, "import asyncio");
    w.line(0, "import time");
    if threads {
        w.line(0, "from concurrent.futures import ThreadPoolExecutor");
    }
    let mut kind_lines = Vec::new();
    for &kind in &kinds {
        w.blank(1);
        kind_lines.push((kind, kind_function(&mut w, kind)));
    }
    w.blank(1);
    w.line(0, "async def main():");
    if threads {
        w.line(
            1,
            &format!(
                "asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor({}))",
                scenario.options.pool_size.max(1)
            ),
        );
    }
    let jobs_line = w.line(1, &format!("jobs = {}", jobs(tasks)));
    w.line(1, "start = time.perf_counter()");
    let guard = may_raise && !options.catch;
    let (await_line, acquire_line) = awaiting(
        &mut w,
        mode,
        options.catch,
        guard,
        options.limit,
        tasks.is_empty(),
    );
    w.line(
        1,
        "print(f\"main() resumed after {(time.perf_counter() - start) * 1000:.0f} ms\")",
    );
    let outlived = match mode {
        RunMode::Sequential | RunMode::TaskGroup => false,
        RunMode::WaitFirst => true,
        _ => guard,
    };
    if outlived {
        w.line(
            1,
            "rest = asyncio.all_tasks() - {asyncio.current_task()}  # let them finish",
        );
        w.line(1, "await asyncio.gather(*rest, return_exceptions=True)");
        w.line(
            1,
            "print(f\"all done after {(time.perf_counter() - start) * 1000:.0f} ms\")",
        );
    }
    w.blank(1);
    w.line(0, "asyncio.run(main())");
    Lesson {
        text: w.out,
        await_line,
        jobs_line,
        acquire_line,
        kinds: kind_lines,
        task_kinds: tasks.iter().map(|t| t.kind.task_kind()).collect(),
    }
}

/// Writes a kind's function(s); returns its lines.
fn kind_function(w: &mut Writer, kind: TaskKind) -> KindLines {
    let mut l = KindLines::default();
    match kind {
        TaskKind::Io => {
            w.line(0, "async def fetch(seconds):");
            l.wait = w.line(
                1,
                "await asyncio.sleep(seconds)  # I/O: the loop runs others",
            );
        }
        TaskKind::Fail => {
            w.line(0, "async def flaky(seconds, message):");
            l.wait = w.line(1, "await asyncio.sleep(seconds)");
            l.raise = Some(w.line(1, "raise RuntimeError(message)"));
        }
        TaskKind::Blocking => {
            w.line(0, "async def blocking(seconds):");
            l.wait = w.line(
                1,
                "time.sleep(seconds)  # blocks the loop: nothing else runs",
            );
        }
        TaskKind::OffloadedWait => {
            w.line(0, "async def download(seconds):");
            l.wait = w.line(
                1,
                "await asyncio.to_thread(time.sleep, seconds)  # waits in a thread",
            );
        }
        TaskKind::OffloadedCpu => {
            w.line(0, "def burn(seconds):");
            w.line(
                1,
                "end = time.thread_time() + seconds  # CPU time, not wall time",
            );
            w.line(1, "while time.thread_time() < end:");
            w.line(2, "pass");
            w.blank(1);
            w.line(0, "async def crunch(seconds):");
            l.wait = w.line(
                1,
                "await asyncio.to_thread(burn, seconds)  # CPU work in a thread (GIL!)",
            );
        }
        TaskKind::Stream => {
            w.line(0, "async def ticks(count, seconds):");
            w.line(1, "for i in range(count):");
            w.line(2, "await asyncio.sleep(seconds)");
            w.line(2, "yield i");
            w.blank(1);
            w.line(0, "async def stream(count, seconds, body):");
            l.wait = w.line(1, "async for item in ticks(count, seconds):");
            w.line(2, "if body:");
            w.line(3, "await asyncio.sleep(body)  # the loop body's own work");
        }
    }
    l.last = w.count;
    l
}

/// One job's call: `fetch(0.25)`, wrapped in `wait_for` if it has a timeout.
fn job(t: &Task) -> String {
    let d = seconds(t.real.duration_ms);
    let call = match &t.kind {
        Kind::Fail { message } => format!("flaky({d}, {})", py_str(message)),
        Kind::Stream { items } => {
            format!("stream({items}, {d}, {})", seconds(t.real.body_ms))
        }
        other => format!("{}({d})", function(other.task_kind())),
    };
    match t.real.timeout_ms {
        Some(limit) => format!("asyncio.wait_for({call}, {})", seconds(limit)),
        None => call,
    }
}

/// The jobs list: a comprehension when every job is the same.
fn jobs(tasks: &[Task]) -> String {
    let calls: Vec<String> = tasks.iter().map(job).collect();
    match calls.first() {
        Some(first) if calls.len() > 3 && calls.iter().all(|c| c == first) => {
            format!("[{first} for _ in range({})]", calls.len())
        }
        _ => format!("[{}]", calls.join(", ")),
    }
}

/// `main()`'s awaiting code; returns its await line and `async with`'s.
fn awaiting(
    w: &mut Writer,
    mode: RunMode,
    catch: bool,
    guard: bool,
    limit: Option<u32>,
    empty: bool,
) -> (usize, Option<usize>) {
    let mut acquire = None;
    let depth = if guard { 2 } else { 1 };
    let gather = if catch {
        "await asyncio.gather(*jobs, return_exceptions=True)"
    } else {
        "await asyncio.gather(*jobs)"
    };
    let created = "tasks = [asyncio.create_task(job) for job in jobs]";
    // Set-up before the try.
    match mode {
        RunMode::Bounded => {
            w.line(
                1,
                &format!("sem = asyncio.Semaphore({})", limit.unwrap_or(1)),
            );
            w.line(1, "async def limited(job):");
            acquire = Some(w.line(2, "async with sem:  # at most this many at once"));
            w.line(3, "return await job");
        }
        RunMode::CreateTask | RunMode::AsCompleted | RunMode::WaitFirst => {
            w.line(1, created);
        }
        _ => {}
    }
    if guard {
        w.line(1, "try:");
    }
    let await_line = match mode {
        RunMode::Sequential | RunMode::CreateTask => {
            let each = if mode == RunMode::Sequential {
                ("for job in jobs:", "await job")
            } else {
                ("for task in tasks:", "await task")
            };
            w.line(depth, each.0);
            if catch {
                w.line(depth + 1, "try:");
                let at = w.line(depth + 2, each.1);
                w.line(depth + 1, "except Exception as exc:");
                w.line(depth + 2, "print(f\"caught {exc!r}\")");
                at
            } else {
                w.line(depth + 1, each.1)
            }
        }
        RunMode::Gather => w.line(depth, &format!("results = {gather}")),
        RunMode::Bounded => w.line(
            depth,
            &format!(
                "results = await asyncio.gather(*(limited(job) for job in jobs){})",
                if catch {
                    ", return_exceptions=True"
                } else {
                    ""
                }
            ),
        ),
        RunMode::TaskGroup => {
            let at = w.line(depth, "async with asyncio.TaskGroup() as tg:");
            w.line(depth + 1, "for job in jobs:");
            w.line(depth + 2, "tg.create_task(job)");
            at
        }
        RunMode::AsCompleted => {
            w.line(depth, "for next_done in asyncio.as_completed(tasks):");
            if catch {
                w.line(depth + 1, "try:");
                let at = w.line(depth + 2, "await next_done");
                w.line(depth + 1, "except Exception as exc:");
                w.line(depth + 2, "print(f\"caught {exc!r}\")");
                at
            } else {
                w.line(depth + 1, "await next_done")
            }
        }
        RunMode::WaitFirst => {
            let at = if empty {
                // asyncio.wait() refuses an empty set.
                w.line(depth, "done, pending = set(), set()  # nothing to wait for")
            } else {
                w.line(
                    depth,
                    "done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)",
                )
            };
            if w.cancel_pending {
                w.line(depth, "for task in pending:");
                w.line(depth + 1, "task.cancel()");
            }
            at
        }
    };
    if guard {
        let except = if mode == RunMode::TaskGroup {
            "except* Exception as group:"
        } else {
            "except Exception as exc:"
        };
        w.line(1, except);
        w.line(
            2,
            if mode == RunMode::TaskGroup {
                "print(f\"raised {group.exceptions!r}\")"
            } else {
                "print(f\"raised {exc!r}\")"
            },
        );
    }
    (await_line, acquire)
}

#[derive(Default)]
struct Writer {
    out: String,
    count: usize,
    /// wait(): cancel the pending tasks after it returns.
    cancel_pending: bool,
}

impl Writer {
    /// Writes a line; returns its number (1-based).
    fn line(&mut self, depth: usize, text: &str) -> usize {
        line(&mut self.out, depth, text);
        self.count += 1;
        self.count
    }

    fn blank(&mut self, n: usize) {
        blank(&mut self.out, n);
        self.count += n;
    }
}
