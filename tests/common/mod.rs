//! Helpers shared by the tests of the generated programs and of the model:
//! building tasks ([`task`]) and run options ([`options_within`],
//! [`mode_variants`]), and for the CPython oracle (`oracle.rs`, `oracle_presets.rs`)
//! running the programs `codegen::python_program` writes under `python3`
//! (CPython 3.11) and comparing what they print with `model::predict`.
//!
//! Programs run in batches of [`PARALLEL`]: each starts up behind a gate
//! (its imports are the CPU-heavy part), then the batch is let go a few ms
//! apart, so one program's start-up never delays another's timers. Real
//! timings are still noisy, so each check allows [`TOLERANCE_MS`], and a
//! case that disagrees is re-run alone (up to [`RETRIES`] times) before it
//! counts as a failure. Cases with CPU-bound threads run one at a time:
//! they measure CPU time, which a busy machine would stretch.
// Each test crate uses its own part of these.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write as _};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::OnceLock;

use async_playground::domain::codegen::python::python_program;
use async_playground::domain::model::{predict, Prediction};
use async_playground::domain::scenario::{
    Durations, Kind, RunMode, RunOptions, Scenario, Task, TaskId,
};
use proptest::prelude::*;
use serde::Deserialize;

// ---- building tasks ----------------------------------------------------------

/// A task as validation would make it, without a timeout; its durations
/// are as written until `Scenario::new` puts it at a speed.
pub fn task(i: u32, label: &str, ms: u32, kind: Kind) -> Task {
    Task::new(TaskId(i), label, kind, Durations::of(ms))
}

/// The task run under `asyncio.wait_for(…, ms)`.
pub fn with_timeout(t: Task, ms: u32) -> Task {
    let written = Durations {
        timeout_ms: Some(ms),
        ..t.written
    };
    Task::new(t.id, t.label, t.kind, written)
}

/// A stream task whose loop body takes `ms` per item.
pub fn with_body(t: Task, ms: u32) -> Task {
    let written = Durations {
        body_ms: ms,
        ..t.written
    };
    Task::new(t.id, t.label, t.kind, written)
}

/// The kinds, labelled as the generated programs' tests expect them.
pub fn io(i: u32, ms: u32) -> Task {
    task(i, &format!("fetch {i}"), ms, Kind::Io)
}

pub fn fail(i: u32, ms: u32) -> Task {
    let message = format!("task {i} failed");
    task(i, &format!("flaky {i}"), ms, Kind::Fail { message })
}

pub fn blocking(i: u32, ms: u32) -> Task {
    task(i, &format!("block {i}"), ms, Kind::Blocking)
}

pub fn thread_wait(i: u32, ms: u32) -> Task {
    task(
        i,
        &format!("download {i}"),
        ms,
        Kind::Offloaded { cpu: false },
    )
}

pub fn thread_cpu(i: u32, ms: u32) -> Task {
    task(i, &format!("crunch {i}"), ms, Kind::Offloaded { cpu: true })
}

/// A stream of `items`, one every `interval_ms`, with a loop body of `body_ms`.
pub fn stream(i: u32, interval_ms: u32, items: u32, body_ms: u32) -> Task {
    let stream = task(
        i,
        &format!("stream {i}"),
        interval_ms,
        Kind::Stream { items },
    );
    with_body(stream, body_ms)
}

pub const TOLERANCE_MS: f64 = 15.0;
/// Python programs run at once (they mostly sleep; start-up is CPU-bound).
pub const PARALLEL: usize = 8;
/// Between letting two programs of a batch go.
pub const GO_APART_MS: u64 = 7;
/// Extra attempts, alone, for a case that disagreed.
pub const RETRIES: usize = 2;

// ---- what the instrumented program prints --------------------------------

#[derive(Debug, Deserialize)]
pub struct PyRun {
    pub tasks: Vec<PyTask>,
    pub caller: f64,
    pub raised: bool,
    pub order: Vec<usize>,
}

#[derive(Debug, Deserialize)]
pub struct PyTask {
    pub start: Option<f64>,
    pub end: Option<f64>,
    pub outcome: String,
    pub items: Vec<f64>,
}

// ---- one case ------------------------------------------------------------

/// A scenario run in one mode, by python3 and by the simulator.
pub struct Case {
    pub name: String,
    pub scenario: Scenario,
    pub mode: RunMode,
    /// Runs alone: CPU-bound threads measure the CPU.
    pub alone: bool,
}

// ---- running Python -----------------------------------------------------

/// The interpreter `python3` on PATH runs, found once: a version manager's
/// shim (pyenv's is a shell script) would add 100 ms of CPU to every run.
pub fn interpreter() -> &'static str {
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
pub fn python3() -> Command {
    let mut command = Command::new(interpreter());
    command.arg("-S");
    command
}

pub fn require_python() {
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
pub const GATE: &str = "import sys, asyncio, concurrent.futures, functools, json, time
print('ready', flush=True)
sys.stdin.readline()
exec(compile(sys.argv[1], '<scenario>', 'exec'), {'__name__': '__main__'})
";

/// A program that has started up and waits at the gate.
pub struct Ready {
    child: Child,
    stdout: BufReader<ChildStdout>,
}

pub fn start(program: &str) -> Result<Ready, String> {
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

pub fn wait_ready(ready: &mut Ready) -> Result<(), String> {
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

/// What a program printed, once it exited successfully.
pub fn collect_text(mut ready: Ready) -> Result<String, String> {
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
    if status.success() {
        Ok(stdout)
    } else {
        Err(format!(
            "python3 exited with {status}\nstdout:\n{stdout}\nstderr:\n{stderr}"
        ))
    }
}

/// [`run_batch`] for programs whose output is text, not the JSON record.
pub fn run_batch_text(programs: &[String]) -> Vec<Result<String, String>> {
    let started = start_batch(programs);
    started
        .into_iter()
        .map(|r| r.and_then(collect_text))
        .collect()
}

pub fn collect(ready: Ready) -> Result<PyRun, String> {
    let stdout = collect_text(ready)?;
    let json_line = stdout.lines().last().unwrap_or("");
    serde_json::from_str(json_line).map_err(|e| format!("bad JSON from python3 ({e}):\n{stdout}"))
}

/// Runs programs side by side: all start up first, then all are let go at
/// once, so one's CPU-bound start-up never delays another's timers.
pub fn run_batch(programs: &[String]) -> Vec<Result<PyRun, String>> {
    let started = start_batch(programs);
    started.into_iter().map(|r| r.and_then(collect)).collect()
}

/// Starts every program, waits until each is ready behind its gate, then
/// lets them go a little apart (so their timers do not all fall due at once).
fn start_batch(programs: &[String]) -> Vec<Result<Ready, String>> {
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
        std::thread::sleep(std::time::Duration::from_millis(GO_APART_MS));
    }
    started
}

pub fn run_python(program: &str) -> Result<PyRun, String> {
    run_batch(&[program.to_string()])
        .pop()
        .expect("one program, one result")
}

// ---- run options ----------------------------------------------------------------

/// Any options, with the Semaphore limit and the pool size drawn from
/// `limit` and `pool_size`.
pub fn options_within(
    limit: impl Strategy<Value = u32>,
    pool_size: impl Strategy<Value = u32>,
) -> impl Strategy<Value = RunOptions> {
    (
        any::<bool>(),
        limit,
        any::<bool>(),
        pool_size,
        any::<bool>(),
    )
        .prop_map(
            |(return_exceptions, limit, cancel_pending, pool_size, gil)| RunOptions {
                return_exceptions,
                limit,
                cancel_pending,
                pool_size,
                gil,
            },
        )
}

/// Every mode with `base`, `return_exceptions` and `cancel_pending` both
/// ways: (mode, catch, cancel, options).
pub fn mode_variants(base: RunOptions) -> Vec<(RunMode, bool, bool, RunOptions)> {
    let mut out = Vec::new();
    for mode in RunMode::ALL {
        for catch in [false, true] {
            for cancel in [false, true] {
                let options = RunOptions {
                    return_exceptions: catch,
                    cancel_pending: cancel,
                    ..base
                };
                out.push((mode, catch, cancel, options));
            }
        }
    }
    out
}

// ---- comparing ------------------------------------------------------------

pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= TOLERANCE_MS
}

pub fn close_opt(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => close(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// Every way the real run differs from the prediction.
pub fn differences(p: &Prediction, py: &PyRun) -> Vec<String> {
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

pub fn ms(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.1}"))
}

pub fn items(v: &[f64]) -> String {
    let parts: Vec<String> = v.iter().map(|x| format!("{x:.0}")).collect();
    format!("[{}]", parts.join(" "))
}

/// Both timelines side by side.
pub fn timelines(case: &Case, p: &Prediction, py: &PyRun) -> String {
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

pub struct Verdict {
    /// How many runs it took to agree (0: never did).
    pub agreed_on: usize,
    /// It never agreed, but it burns CPU time in threads and python3 got
    /// too little of a CPU to run it as written (see [`cpu_share`]).
    pub starved: Option<f64>,
    pub report: String,
    /// The first difference of the first attempt, when it was re-run.
    pub first_difference: String,
}

/// Compares a run of the case's program with the prediction.
pub fn judge(case: &Case, run: Result<PyRun, String>) -> Result<(), String> {
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

pub fn check_once(case: &Case) -> Result<(), String> {
    judge(
        case,
        run_python(&python_program(&case.scenario, case.mode, true)),
    )
}

pub fn failure_report(case: &Case, attempts: &[String]) -> String {
    let program = python_program(&case.scenario, case.mode, true);
    let mut s = format!("=== {} ===\n", case.name);
    let _ = writeln!(s, "scenario: {:?}", case.scenario);
    for (n, a) in attempts.iter().enumerate() {
        let _ = writeln!(s, "attempt {}:\n{a}", n + 1);
    }
    let _ = writeln!(s, "program:\n{program}");
    s
}

/// Below this share of a CPU, CPU-bound work cannot keep to its times.
pub const MIN_CPU_SHARE: f64 = 0.85;

/// How much of a CPU a python3 thread gets now: CPU time over wall time of
/// a 300 ms busy loop. A loaded machine (other builds, other tests) gives
/// it less, and then `burn(seconds)` of CPU time takes longer in wall time.
pub fn cpu_share() -> f64 {
    let out = python3()
        .arg("-c")
        .arg(
            "import time\nw=time.perf_counter(); c=time.thread_time()\n\
             while time.thread_time()-c<0.3: pass\n\
             print((time.thread_time()-c)/(time.perf_counter()-w))",
        )
        .output();
    out.ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1.0)
}

/// For a case that burns CPU time in threads: the CPU share python3 got
/// if it was too little for its times to be checked, over a few tries
/// a second apart (a passing spike of load is waited out and re-checked).
fn starved(case: &Case) -> Option<f64> {
    let burns = case
        .scenario
        .tasks
        .iter()
        .any(|t| t.kind == Kind::Offloaded { cpu: true });
    if !burns {
        return None;
    }
    for _ in 0..3 {
        let share = cpu_share();
        if share >= MIN_CPU_SHARE {
            return None;
        }
        std::thread::sleep(std::time::Duration::from_secs(1));
        if check_once(case).is_ok() {
            return None;
        }
    }
    Some(cpu_share())
}

/// Runs the cases in batches of `parallel`; retries a disagreement alone.
pub fn run_cases(cases: &[Case], parallel: usize) -> Vec<Verdict> {
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
                        starved: starved(case),
                        report: failure_report(case, &attempts),
                        first_difference: String::new(),
                    };
                }
                result = check_once(case);
            }
            Verdict {
                agreed_on: attempts.len() + 1,
                starved: None,
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

/// Runs the cases (those with `alone` one at a time, the rest in batches),
/// prints which needed a re-run, and panics with a report of every case
/// where the simulator and CPython disagree.
pub fn check_all(cases: Vec<Case>) {
    check_all_in_batches(cases, PARALLEL);
}

/// [`check_all`], `parallel` programs at a time.
pub fn check_all_in_batches(cases: Vec<Case>, parallel: usize) {
    require_python();
    let (alone, shared): (Vec<Case>, Vec<Case>) = cases.into_iter().partition(|c| c.alone);
    let mut verdicts = run_cases(&shared, parallel);
    verdicts.extend(run_cases(&alone, 1));
    let all: Vec<&Case> = shared.iter().chain(&alone).collect();
    // A case that never agreed because python3 had too little CPU is said,
    // not failed: its times are not the program's but the machine's.
    for (case, v) in all.iter().zip(&verdicts) {
        if let (0, Some(share)) = (v.agreed_on, v.starved) {
            println!(
                "  not checkable now: {} (python3 got {:.0} % of a CPU; CPU-bound work needs {:.0} %)",
                case.name,
                share * 100.0,
                MIN_CPU_SHARE * 100.0
            );
        }
    }
    let failed: Vec<&Verdict> = verdicts
        .iter()
        .filter(|v| v.agreed_on == 0 && v.starved.is_none())
        .collect();
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
            .filter(|(_, v)| v.agreed_on == 0 && v.starved.is_none())
            .map(|(c, _)| c.name.as_str())
            .collect();
        panic!(
            "{report}\nthe simulator disagrees with CPython in {} of {} cases: {names:#?}",
            failed.len(),
            all.len()
        );
    }
}

// ---- parsing ---------------------------------------------------------------

/// Whether python3 can parse the program (`ast.parse`, nothing runs).
pub fn parses(program: &str) -> Result<(), String> {
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

/// Whether the Python 3.10 grammar accepts the program (`ast.parse` with
/// `feature_version=(3, 10)`: 3.11-only syntax such as `except*` fails).
pub fn parses_as_3_10(program: &str) -> Result<(), String> {
    let mut child = python3()
        .arg("-c")
        .arg("import ast, sys; ast.parse(sys.stdin.read(), feature_version=(3, 10))")
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
