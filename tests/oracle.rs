//! The CPython oracle: runs the Python program `codegen::python_program`
//! writes for each scenario of a matrix under `python3` (CPython 3.11) and
//! checks that `simulate::predict` agrees with it — starts, ends, outcomes,
//! stream items, when the caller resumed, whether it raised, result order.
//!
//! Programs run in batches of [`PARALLEL`]: each starts up behind a gate
//! (its imports are the CPU-heavy part), then the batch is let go a few ms
//! apart, so one program's start-up never delays another's timers. Real
//! timings are still noisy, so each check allows [`TOLERANCE_MS`], and a
//! case that disagrees is re-run alone (up to [`RETRIES`] times) before it
//! counts as a failure. Cases with CPU-bound threads run one at a time:
//! they measure CPU time, which a busy machine would stretch.
//! `ORACLE_ONLY=<part of a case name>` runs only the matching cases.
#![cfg(not(target_arch = "wasm32"))]

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write as _};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::OnceLock;

use async_playground::domain::codegen::{function_names, python_program};
use async_playground::domain::scenario::{
    default_drafts, validate, Kind, RunMode, RunOptions, Scenario, Task, TaskId, DEFAULT_SPEED_TEXT,
};
use async_playground::domain::simulate::{predict, Prediction};
use serde::Deserialize;

const TOLERANCE_MS: f64 = 15.0;
/// Python programs run at once (they mostly sleep; start-up is CPU-bound).
const PARALLEL: usize = 8;
/// Between letting two programs of a batch go.
const GO_APART_MS: u64 = 7;
/// Extra attempts, alone, for a case that disagreed.
const RETRIES: usize = 2;

// ---- what the instrumented program prints --------------------------------

#[derive(Debug, Deserialize)]
struct PyRun {
    tasks: Vec<PyTask>,
    caller: f64,
    raised: bool,
    order: Vec<usize>,
}

#[derive(Debug, Deserialize)]
struct PyTask {
    start: Option<f64>,
    end: Option<f64>,
    outcome: String,
    items: Vec<f64>,
}

// ---- building scenarios ----------------------------------------------------

fn task(i: u32, label: &str, ms: u32, kind: Kind) -> Task {
    Task {
        id: TaskId(i),
        label: label.to_string(),
        duration_ms: ms,
        kind,
        timeout_ms: None,
    }
}

fn io(i: u32, ms: u32) -> Task {
    task(i, &format!("fetch {i}"), ms, Kind::Io)
}

fn fail(i: u32, ms: u32) -> Task {
    task(
        i,
        &format!("flaky {i}"),
        ms,
        Kind::Fail {
            message: format!("task {i} failed"),
        },
    )
}

fn blocking(i: u32, ms: u32) -> Task {
    task(i, &format!("block {i}"), ms, Kind::Blocking)
}

fn thread_wait(i: u32, ms: u32) -> Task {
    task(
        i,
        &format!("download {i}"),
        ms,
        Kind::Offloaded { cpu: false },
    )
}

fn thread_cpu(i: u32, ms: u32) -> Task {
    task(i, &format!("crunch {i}"), ms, Kind::Offloaded { cpu: true })
}

fn stream(i: u32, interval_ms: u32, items: u32, body_ms: u32) -> Task {
    task(
        i,
        &format!("stream {i}"),
        interval_ms,
        Kind::Stream { items, body_ms },
    )
}

fn with_timeout(mut t: Task, ms: u32) -> Task {
    t.timeout_ms = Some(ms);
    t
}

struct Case {
    name: String,
    scenario: Scenario,
    mode: RunMode,
    /// Runs alone: CPU-bound threads measure the CPU.
    alone: bool,
}

/// A group of tasks run under several modes and, where they matter, both
/// values of `return_exceptions` and of `cancel_pending`.
struct Group {
    name: &'static str,
    tasks: Vec<Task>,
    modes: Vec<RunMode>,
    base: RunOptions,
    /// Also run with `return_exceptions = true` (modes that use it).
    vary_catch: bool,
    /// Also run wait(FIRST_COMPLETED) with `cancel_pending = true`.
    vary_cancel: bool,
    alone: bool,
}

impl Group {
    fn new(name: &'static str, tasks: Vec<Task>) -> Self {
        Group {
            name,
            tasks,
            modes: RunMode::ALL.to_vec(),
            base: RunOptions::default(),
            vary_catch: false,
            vary_cancel: true,
            alone: false,
        }
    }

    fn modes(mut self, modes: &[RunMode]) -> Self {
        self.modes = modes.to_vec();
        self
    }

    fn options(mut self, f: impl FnOnce(&mut RunOptions)) -> Self {
        f(&mut self.base);
        self
    }

    fn vary_catch(mut self) -> Self {
        self.vary_catch = true;
        self
    }

    fn alone(mut self) -> Self {
        self.alone = true;
        self
    }

    fn cases(self) -> Vec<Case> {
        let mut cases = Vec::new();
        for &mode in &self.modes {
            let mut variants = vec![self.base];
            if self.vary_catch && mode.catches_errors_option() {
                variants.push(RunOptions {
                    return_exceptions: !self.base.return_exceptions,
                    ..self.base
                });
            }
            if self.vary_cancel && mode == RunMode::WaitFirst {
                variants.push(RunOptions {
                    cancel_pending: !self.base.cancel_pending,
                    ..self.base
                });
            }
            for options in variants {
                let mut name = format!("{} / {}", self.name, mode.slug());
                if mode.catches_errors_option() && options.return_exceptions {
                    name.push_str(" / return_exceptions");
                }
                if mode == RunMode::WaitFirst && options.cancel_pending {
                    name.push_str(" / cancel_pending");
                }
                cases.push(Case {
                    name,
                    scenario: Scenario {
                        tasks: self.tasks.clone(),
                        speed: 1.0,
                        options,
                    },
                    mode,
                    alone: self.alone,
                });
            }
        }
        cases
    }
}

/// The matrix. Durations are 50–300 ms and chosen so that no two timers
/// fall due at the same instant while the loop is blocked (CPython's heap
/// does not keep equal deadlines in order).
fn matrix() -> Vec<Case> {
    use RunMode::*;
    let groups = vec![
        Group::new("io", vec![io(1, 200), io(2, 100), io(3, 300), io(4, 50)]),
        Group::new(
            "fail",
            vec![io(1, 100), fail(2, 150), io(3, 250), io(4, 50)],
        )
        .vary_catch(),
        Group::new("fail first", vec![io(1, 200), fail(2, 50), io(3, 120)]).vary_catch(),
        Group::new(
            "blocking",
            vec![io(1, 100), blocking(2, 150), io(3, 50), blocking(4, 100)],
        ),
        Group::new(
            "blocking + fail",
            vec![blocking(1, 100), fail(2, 50), io(3, 180)],
        )
        .vary_catch(),
        Group::new(
            "to_thread wait",
            vec![thread_wait(1, 200), io(2, 100), thread_wait(3, 150)],
        ),
        Group::new(
            "to_thread + blocking",
            vec![thread_wait(1, 120), blocking(2, 200), io(3, 50)],
        ),
        // The tutorial's ThreadPoolExecutor(max_workers=3) with 5 downloads.
        // Only the modes that report results in list order: three threads
        // end at the same instant, and the order the loop hears of them
        // in is a race. The staggered copy covers the others.
        Group::new("pool 3", (1..=5).map(|i| thread_wait(i, 200)).collect())
            .modes(&[Sequential, Gather, CreateTask, Bounded])
            .options(|o| o.pool_size = 3),
        Group::new(
            "pool 3, staggered",
            (1..=5).map(|i| thread_wait(i, 190 + 10 * i)).collect(),
        )
        .modes(&[TaskGroup, AsCompleted, WaitFirst])
        .options(|o| o.pool_size = 3),
        Group::new(
            "pool 3, no GIL",
            (1..=5).map(|i| thread_wait(i, 200)).collect(),
        )
        .modes(&[Gather])
        .options(|o| {
            o.pool_size = 3;
            o.gil = false
        }),
        Group::new(
            "to_thread wait, no GIL",
            vec![thread_wait(1, 200), io(2, 100), thread_wait(3, 150)],
        )
        .modes(&[Gather, TaskGroup])
        .options(|o| o.gil = false),
        Group::new(
            "stream",
            vec![stream(1, 50, 4, 0), io(2, 120), stream(3, 40, 3, 30)],
        ),
        Group::new(
            "timeouts",
            vec![
                with_timeout(io(1, 300), 100),
                with_timeout(io(2, 130), 200),
                io(3, 170),
            ],
        )
        .vary_catch(),
        Group::new(
            "timeout kinds",
            vec![
                with_timeout(stream(1, 60, 5, 0), 200),
                with_timeout(thread_wait(2, 250), 120),
                with_timeout(blocking(3, 100), 50),
                io(4, 80),
            ],
        )
        .vary_catch(),
        Group::new(
            "semaphore 2",
            vec![io(1, 200), io(2, 100), io(3, 150), io(4, 250), io(5, 50)],
        )
        .modes(&[Bounded])
        .options(|o| o.limit = 2),
        Group::new(
            "semaphore 2 + fail",
            vec![io(1, 200), fail(2, 100), io(3, 150), io(4, 250), io(5, 50)],
        )
        .modes(&[Bounded])
        .options(|o| o.limit = 2)
        .vary_catch(),
        Group::new(
            "semaphore 2 + timeout",
            vec![
                io(1, 200),
                with_timeout(io(2, 300), 120),
                io(3, 150),
                blocking(4, 60),
                io(5, 50),
            ],
        )
        .modes(&[Bounded])
        .options(|o| o.limit = 2)
        .vary_catch(),
        // CPU-bound work in a thread (the GIL is on: CPython always has
        // one), beside an idle loop or one thread at a time. Not two CPU
        // threads at once, nor loop work during one: the loop must win the
        // GIL back from a burning thread (5 ms switch interval, often
        // more), and CPython does not hand it round evenly, so those runs
        // drift from the processor-sharing model by 10 to 40 ms here.
        Group::new(
            "to_thread cpu, then more",
            vec![thread_cpu(1, 100), thread_cpu(2, 150), io(3, 50)],
        )
        .modes(&[Sequential])
        .alone(),
        Group::new(
            "to_thread cpu beside io",
            vec![io(1, 150), thread_cpu(2, 100)],
        )
        .modes(&[Gather, CreateTask, TaskGroup, AsCompleted, WaitFirst])
        .alone(),
    ];
    groups.into_iter().flat_map(Group::cases).collect()
}

// ---- running Python -----------------------------------------------------

/// The interpreter `python3` on PATH runs, found once: a version manager's
/// shim (pyenv's is a shell script) would add 100 ms of CPU to every run.
fn interpreter() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| {
        let out = Command::new("python3")
            .args(["-c", "import sys; print(sys.executable)"])
            .output()
            .unwrap_or_else(|e| panic!("the CPython oracle needs python3 (3.11) on PATH: {e}"));
        assert!(
            out.status.success(),
            "`python3` failed ({}): the CPython oracle needs python3 (3.11) on PATH\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if path.is_empty() {
            "python3".to_string()
        } else {
            path
        }
    })
}

/// `python3 -S`: the programs need only the standard library, and skipping
/// `site` (and the .pth files it runs) keeps start-up short.
fn python3() -> Command {
    let mut command = Command::new(interpreter());
    command.arg("-S");
    command
}

fn require_python() {
    let out = python3()
        .args(["-c", "import sys; print(sys.version_info >= (3, 11))"])
        .output()
        .unwrap_or_else(|e| panic!("the CPython oracle needs python3 (3.11) on PATH: {e}"));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "True",
        "the CPython oracle needs python3 3.11 or later (TaskGroup) on PATH"
    );
}

/// Runs before each program: does the imports (the CPU-bound part of
/// start-up), says it is ready, and waits for the go on stdin.
const GATE: &str = "import sys, asyncio, concurrent.futures, functools, json, time
print('ready', flush=True)
sys.stdin.readline()
exec(compile(sys.argv[1], '<scenario>', 'exec'), {'__name__': '__main__'})
";

/// A program that has started up and waits at the gate.
struct Ready {
    child: Child,
    stdout: BufReader<ChildStdout>,
}

fn start(program: &str) -> Result<Ready, String> {
    let mut child = python3()
        .arg("-c")
        .arg(GATE)
        .arg(program)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start python3: {e}"))?;
    let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
    Ok(Ready { child, stdout })
}

fn wait_ready(ready: &mut Ready) -> Result<(), String> {
    let mut line = String::new();
    ready
        .stdout
        .read_line(&mut line)
        .map_err(|e| format!("reading python3: {e}"))?;
    if line.trim() == "ready" {
        Ok(())
    } else {
        Err(format!("python3 did not start: {line}"))
    }
}

fn collect(mut ready: Ready) -> Result<PyRun, String> {
    let mut stdout = String::new();
    let _ = ready.stdout.read_to_string(&mut stdout);
    let mut stderr = String::new();
    if let Some(mut e) = ready.child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    let status = ready
        .child
        .wait()
        .map_err(|e| format!("waiting for python3: {e}"))?;
    if !status.success() {
        return Err(format!(
            "python3 exited with {status}\nstdout:\n{stdout}\nstderr:\n{stderr}"
        ));
    }
    let json_line = stdout.lines().last().unwrap_or("");
    serde_json::from_str(json_line).map_err(|e| format!("bad JSON from python3 ({e}):\n{stdout}"))
}

/// Runs programs side by side: all start up first, then all are let go at
/// once, so one's CPU-bound start-up never delays another's timers.
fn run_batch(programs: &[String]) -> Vec<Result<PyRun, String>> {
    let mut started: Vec<Result<Ready, String>> = programs.iter().map(|p| start(p)).collect();
    for r in &mut started {
        if let Ok(ready) = r {
            if let Err(e) = wait_ready(ready) {
                let _ = ready.child.kill();
                *r = Err(e);
            }
        }
    }
    for ready in started.iter_mut().flatten() {
        if let Some(mut stdin) = ready.child.stdin.take() {
            let _ = stdin.write_all(b"go\n");
        }
        // A little apart, so that their timers do not all fall due at once.
        std::thread::sleep(std::time::Duration::from_millis(GO_APART_MS));
    }
    started.into_iter().map(|r| r.and_then(collect)).collect()
}

fn run_python(program: &str) -> Result<PyRun, String> {
    run_batch(&[program.to_string()])
        .pop()
        .expect("one program, one result")
}

// ---- comparing ------------------------------------------------------------

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= TOLERANCE_MS
}

fn close_opt(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => close(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// Every way the real run differs from the prediction.
fn differences(p: &Prediction, py: &PyRun) -> Vec<String> {
    let mut diffs = Vec::new();
    if p.tasks.len() != py.tasks.len() {
        diffs.push(format!(
            "{} tasks predicted, {} in Python",
            p.tasks.len(),
            py.tasks.len()
        ));
        return diffs;
    }
    for (i, (s, r)) in p.tasks.iter().zip(&py.tasks).enumerate() {
        if !close_opt(s.start_ms, r.start) {
            diffs.push(format!(
                "task {i}: start {:?} predicted, {:?} real",
                s.start_ms, r.start
            ));
        }
        if !close_opt(s.end_ms, r.end) {
            diffs.push(format!(
                "task {i}: end {:?} predicted, {:?} real",
                s.end_ms, r.end
            ));
        }
        if s.outcome.label() != r.outcome {
            diffs.push(format!(
                "task {i}: outcome {:?} predicted, {:?} real",
                s.outcome.label(),
                r.outcome
            ));
        }
        if s.items_ms.len() != r.items.len() {
            diffs.push(format!(
                "task {i}: {} items predicted, {} real",
                s.items_ms.len(),
                r.items.len()
            ));
        } else if let Some(k) = (0..r.items.len()).find(|&k| !close(s.items_ms[k], r.items[k])) {
            diffs.push(format!(
                "task {i}: item {k} at {:.1} predicted, {:.1} real",
                s.items_ms[k], r.items[k]
            ));
        }
    }
    if !close(p.caller_ms, py.caller) {
        diffs.push(format!(
            "caller resumed at {:.1} predicted, {:.1} real",
            p.caller_ms, py.caller
        ));
    }
    if p.caller_raised != py.raised {
        diffs.push(format!(
            "caller raised: {} predicted, {} real",
            p.caller_raised, py.raised
        ));
    }
    if p.result_order != py.order {
        diffs.push(format!(
            "result order {:?} predicted, {:?} real",
            p.result_order, py.order
        ));
    }
    diffs
}

fn ms(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.1}"))
}

fn items(v: &[f64]) -> String {
    let parts: Vec<String> = v.iter().map(|x| format!("{x:.0}")).collect();
    format!("[{}]", parts.join(" "))
}

/// Both timelines side by side.
fn timelines(case: &Case, p: &Prediction, py: &PyRun) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "  {:<3} {:<16} {:>8} {:>8} {:<10} | {:>8} {:>8} {:<10}",
        "#", "task", "p.start", "p.end", "p.outcome", "py.start", "py.end", "py.outcome"
    );
    for (i, (task, (a, b))) in case
        .scenario
        .tasks
        .iter()
        .zip(p.tasks.iter().zip(&py.tasks))
        .enumerate()
    {
        let _ = writeln!(
            s,
            "  {:<3} {:<16} {:>8} {:>8} {:<10} | {:>8} {:>8} {:<10}",
            i,
            task.label,
            ms(a.start_ms),
            ms(a.end_ms),
            a.outcome.label(),
            ms(b.start),
            ms(b.end),
            b.outcome
        );
        if !a.items_ms.is_empty() || !b.items.is_empty() {
            let _ = writeln!(
                s,
                "      items predicted {} | real {}",
                items(&a.items_ms),
                items(&b.items)
            );
        }
    }
    let _ = writeln!(
        s,
        "  caller: predicted {:.1} raised={} order={:?} | real {:.1} raised={} order={:?}",
        p.caller_ms, p.caller_raised, p.result_order, py.caller, py.raised, py.order
    );
    s
}

struct Verdict {
    /// How many runs it took to agree (0: never did).
    agreed_on: usize,
    report: String,
    /// The first difference of the first attempt, when it was re-run.
    first_difference: String,
}

/// Compares a run of the case's program with the prediction.
fn judge(case: &Case, run: Result<PyRun, String>) -> Result<(), String> {
    let prediction = predict(&case.scenario, case.mode);
    let py = run?;
    let diffs = differences(&prediction, &py);
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "  - {}\n{}",
            diffs.join("\n  - "),
            timelines(case, &prediction, &py)
        ))
    }
}

fn check_once(case: &Case) -> Result<(), String> {
    judge(
        case,
        run_python(&python_program(&case.scenario, case.mode, true)),
    )
}

fn failure_report(case: &Case, attempts: &[String]) -> String {
    let program = python_program(&case.scenario, case.mode, true);
    let mut s = format!("=== {} ===\n", case.name);
    let _ = writeln!(s, "scenario: {:?}", case.scenario);
    for (n, a) in attempts.iter().enumerate() {
        let _ = writeln!(s, "attempt {}:\n{a}", n + 1);
    }
    let _ = writeln!(s, "program:\n{program}");
    s
}

/// Runs the cases in batches of `parallel`; retries a disagreement alone.
fn run_cases(cases: &[Case], parallel: usize) -> Vec<Verdict> {
    let mut first = Vec::with_capacity(cases.len());
    for batch in cases.chunks(parallel.max(1)) {
        let programs: Vec<String> = batch
            .iter()
            .map(|c| python_program(&c.scenario, c.mode, true))
            .collect();
        for (case, run) in batch.iter().zip(run_batch(&programs)) {
            first.push(Some(judge(case, run)));
        }
    }
    cases
        .iter()
        .zip(first)
        .map(|(case, result)| {
            let mut attempts = Vec::new();
            let mut result = result.expect("every case ran");
            while let Err(e) = result {
                attempts.push(e);
                if attempts.len() > RETRIES {
                    return Verdict {
                        agreed_on: 0,
                        report: failure_report(case, &attempts),
                        first_difference: String::new(),
                    };
                }
                result = check_once(case);
            }
            Verdict {
                agreed_on: attempts.len() + 1,
                report: String::new(),
                first_difference: attempts
                    .first()
                    .and_then(|a| a.lines().next())
                    .unwrap_or("")
                    .trim_start_matches("  - ")
                    .to_string(),
            }
        })
        .collect()
}

#[test]
fn simulator_agrees_with_cpython() {
    require_python();
    let only = std::env::var("ORACLE_ONLY").unwrap_or_default();
    let cases: Vec<Case> = matrix()
        .into_iter()
        .filter(|c| c.name.contains(&only))
        .collect();
    let (alone, shared): (Vec<Case>, Vec<Case>) = cases.into_iter().partition(|c| c.alone);
    let mut verdicts = run_cases(&shared, PARALLEL);
    verdicts.extend(run_cases(&alone, 1));
    let all: Vec<&Case> = shared.iter().chain(&alone).collect();
    let failed: Vec<&Verdict> = verdicts.iter().filter(|v| v.agreed_on == 0).collect();
    let retried: Vec<String> = all
        .iter()
        .zip(&verdicts)
        .filter(|(_, v)| v.agreed_on > 1)
        .map(|(c, v)| {
            format!(
                "{} (run {}; first: {})",
                c.name, v.agreed_on, v.first_difference
            )
        })
        .collect();
    println!(
        "CPython oracle: {} of {} cases agree, {} of them only on a re-run:",
        all.len() - failed.len(),
        all.len(),
        retried.len()
    );
    for r in &retried {
        println!("  {r}");
    }
    if !failed.is_empty() {
        let mut report = String::new();
        for v in &failed {
            report.push_str(&v.report);
        }
        let names: Vec<&str> = all
            .iter()
            .zip(&verdicts)
            .filter(|(_, v)| v.agreed_on == 0)
            .map(|(c, _)| c.name.as_str())
            .collect();
        panic!(
            "{report}\nthe simulator disagrees with CPython in {} of {} cases: {names:#?}",
            failed.len(),
            all.len()
        );
    }
}

// ---- codegen on its own -----------------------------------------------------

fn default_scenario() -> Scenario {
    validate(&default_drafts(), DEFAULT_SPEED_TEXT, RunOptions::default())
        .expect("the default scenario is valid")
}

/// Whether python3 can parse the program (`ast.parse`, nothing runs).
fn parses(program: &str) -> Result<(), String> {
    let mut child = python3()
        .arg("-c")
        .arg("import ast, sys; ast.parse(sys.stdin.read())")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CPython oracle needs python3 (3.11) on PATH");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(program.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn default_scenario_gathered_is_valid_python() {
    let program = python_program(&default_scenario(), RunMode::Gather, false);
    assert!(program.contains("asyncio.gather"), "{program}");
    assert!(program.contains("async def fetch_data_1():"), "{program}");
    assert!(program.contains("await asyncio.sleep(0.4)"), "{program}");
    assert!(
        !program.contains("json"),
        "plain programs print a table:\n{program}"
    );
    parses(&program).unwrap_or_else(|e| panic!("{e}\n{program}"));
}

#[test]
fn every_mode_and_kind_is_valid_python() {
    let tasks = vec![
        io(1, 100),
        with_timeout(fail(2, 50), 80),
        blocking(3, 20),
        thread_wait(4, 30),
        thread_cpu(5, 30),
        stream(6, 10, 3, 5),
        stream(7, 10, 2, 0),
    ];
    for mode in RunMode::ALL {
        for (catch, cancel) in [(false, false), (true, true)] {
            let scenario = Scenario {
                tasks: tasks.clone(),
                speed: 2.0,
                options: RunOptions {
                    return_exceptions: catch,
                    cancel_pending: cancel,
                    ..RunOptions::default()
                },
            };
            for instrumented in [false, true] {
                let program = python_program(&scenario, mode, instrumented);
                parses(&program).unwrap_or_else(|e| panic!("{mode:?}: {e}\n{program}"));
            }
        }
    }
}

#[test]
fn plain_program_runs_and_prints_a_table() {
    let scenario = Scenario {
        tasks: vec![io(1, 30), fail(2, 10)],
        speed: 1.0,
        options: RunOptions {
            return_exceptions: true,
            ..RunOptions::default()
        },
    };
    let program = python_program(&scenario, RunMode::Gather, false);
    let out = python3().arg("-c").arg(&program).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("fetch 1"), "{stdout}");
    assert!(stdout.contains("failed"), "{stdout}");
    assert!(stdout.contains("caller resumed at"), "{stdout}");
}

#[test]
fn labels_become_unique_identifiers() {
    let scenario = Scenario {
        tasks: vec![
            task(1, "Fetch data!", 10, Kind::Io),
            task(2, "fetch  data", 10, Kind::Io),
            task(3, "3rd \"quoted\" \\ task", 10, Kind::Io),
            task(4, "print", 10, Kind::Io),
            task(5, "éé", 10, Kind::Io),
            task(6, "class", 10, Kind::Io),
        ],
        speed: 1.0,
        options: RunOptions::default(),
    };
    assert_eq!(
        function_names(&scenario),
        vec![
            "fetch_data",
            "fetch_data_2",
            "task_3rd_quoted_task",
            "print_task",
            "task_5",
            "class_task"
        ]
    );
    let program = python_program(&scenario, RunMode::Sequential, true);
    parses(&program).unwrap_or_else(|e| panic!("{e}\n{program}"));
    let run = run_python(&program).unwrap_or_else(|e| panic!("{e}\n{program}"));
    assert_eq!(run.order, vec![0, 1, 2, 3, 4, 5]);
}

/// Writes the matrix's programs (those whose name contains `ORACLE_ONLY`)
/// to the temp directory, to run by hand:
/// `ORACLE_ONLY=stream cargo test --test oracle dump_programs -- --ignored --nocapture`.
#[test]
#[ignore]
fn dump_programs() {
    let only = std::env::var("ORACLE_ONLY").unwrap_or_default();
    for case in matrix().into_iter().filter(|c| c.name.contains(&only)) {
        let name = format!("oracle-{}.py", case.name.replace([' ', '/', ','], "_"));
        let file = std::env::temp_dir().join(name);
        std::fs::write(&file, python_program(&case.scenario, case.mode, true)).unwrap();
        println!("{}", file.display());
    }
}
