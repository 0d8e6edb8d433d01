//! Native tests: the plain-language insights fire on clear evidence, with
//! the right numbers, and stay quiet otherwise.

#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use async_playground::domain::analysis::insights::{
    check_accuracy, check_blocking, check_clamped_timers, check_exceptions, check_gil,
    check_hidden, check_pool, check_semaphore, check_sequential, check_speedup,
    format_task_numbers, insights, Insight, InsightContext, Severity, MAX_INSIGHTS,
};
use async_playground::domain::model::{predict, Prediction};
use async_playground::domain::run::measurement::{MeasuredTask, Measurement};
use async_playground::domain::run::Run;
use async_playground::domain::scenario::{
    validate, RunMode, RunOptions, Scenario, TaskDraft, TaskId, TaskKind,
};

fn draft(i: u32, label: &str, ms: u32, kind: TaskKind) -> TaskDraft {
    TaskDraft::io(TaskId(i), label, &ms.to_string()).with_kind(kind)
}

fn scenario(tasks: &[(&str, u32, TaskKind)], options: RunOptions) -> Scenario {
    let drafts: Vec<TaskDraft> = tasks
        .iter()
        .enumerate()
        .map(|(i, (l, ms, k))| draft(i as u32 + 1, l, *ms, *k))
        .collect();
    validate(&drafts, "1", options).expect("valid scenario")
}

fn io(labels_ms: &[u32]) -> Scenario {
    let tasks: Vec<(String, u32, TaskKind)> = labels_ms
        .iter()
        .enumerate()
        .map(|(i, &ms)| (format!("fetch {}", i + 1), ms, TaskKind::Io))
        .collect();
    let refs: Vec<(&str, u32, TaskKind)> =
        tasks.iter().map(|(l, m, k)| (l.as_str(), *m, *k)).collect();
    scenario(&refs, RunOptions::default())
}

/// A finished run of `s` in `mode`.
fn run(mode: RunMode, s: &Scenario, p: &Prediction, m: &Measurement) -> Run {
    Run::finished(mode, s.clone(), p.clone(), m.clone())
}

/// A measurement equal to the prediction, every time shifted by `late_ms`.
fn measured_as_predicted(p: &Prediction, late_ms: f64) -> Measurement {
    let mut m = Measurement::new(p.tasks.len());
    for (mt, pt) in m.tasks.iter_mut().zip(&p.tasks) {
        *mt = MeasuredTask {
            start_ms: pt.start_ms.map(|s| s + late_ms),
            end_ms: pt.end_ms.map(|e| e + late_ms),
            outcome: Some(pt.outcome),
            items_ms: pt.items_ms.iter().map(|t| t + late_ms).collect(),
            thread: None,
        };
    }
    m.caller = Some((p.caller_ms + late_ms, p.caller_raised));
    m.result_order = p.result_order.clone();
    m.total_ms = Some(p.total_ms + late_ms);
    m.last_event_ms = p.total_ms + late_ms;
    m
}

fn kinds(found: &[async_playground::domain::analysis::insights::Insight]) -> Vec<&str> {
    found.iter().map(|i| i.kind.as_str()).collect()
}

#[test]
fn blocking_task_reports_its_length_late_timers_and_lag() {
    // gather: 'parse' blocks 800 ms at the start; four 10 ms timers were due
    // inside the block and fired only after it.
    let s = scenario(
        &[
            ("parse", 800, TaskKind::Blocking),
            ("a", 10, TaskKind::Io),
            ("b", 10, TaskKind::Io),
            ("c", 10, TaskKind::Io),
            ("d", 10, TaskKind::Io),
        ],
        RunOptions::default(),
    );
    let p = predict(&s, RunMode::Gather);
    let mut m = measured_as_predicted(&p, 0.0);
    // The measured runtime started every task at 0 and the timers fired at 800.
    for t in &mut m.tasks[1..] {
        t.start_ms = Some(0.0);
        t.end_ms = Some(800.0);
    }
    m.lag = vec![(100.0, 2.0), (805.0, 795.0), (900.0, 1.0)];
    let found = check_blocking(&InsightContext::new(&run(RunMode::Gather, &s, &p, &m)));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity, Severity::Warn);
    assert_eq!(
        found[0].text,
        "task 1 'parse' blocked the loop for 800 ms; 4 timers fired late (up to 790 ms); the loop lag peaked at 795 ms"
    );
}

#[test]
fn blocking_is_quiet_without_blocking_tasks_or_for_tiny_blocks() {
    let s = io(&[100, 200]);
    let p = predict(&s, RunMode::Gather);
    let m = measured_as_predicted(&p, 1.0);
    assert!(check_blocking(&InsightContext::new(&run(RunMode::Gather, &s, &p, &m))).is_empty());

    let s = scenario(
        &[("tiny", 5, TaskKind::Blocking), ("a", 50, TaskKind::Io)],
        RunOptions::default(),
    );
    let p = predict(&s, RunMode::Gather);
    let m = measured_as_predicted(&p, 0.0);
    assert!(check_blocking(&InsightContext::new(&run(RunMode::Gather, &s, &p, &m))).is_empty());
}

#[test]
fn blocking_alone_says_nothing_else_could_run() {
    let s = scenario(&[("hash", 300, TaskKind::Blocking)], RunOptions::default());
    let p = predict(&s, RunMode::Gather);
    let m = measured_as_predicted(&p, 0.0);
    let found = check_blocking(&InsightContext::new(&run(RunMode::Gather, &s, &p, &m)));
    assert_eq!(
        found[0].text,
        "task 1 'hash' blocked the loop for 300 ms: nothing else could run meanwhile"
    );
}

/// A run of `s` in `mode` and a sequential run of the same scenario.
fn with_sequential(
    mode: RunMode,
    s: &Scenario,
    p: &Prediction,
    m: &Measurement,
    sp: &Prediction,
    sm: &Measurement,
) -> [Run; 2] {
    let s = Rc::new(s.clone());
    [
        Run::finished(mode, s.clone(), p.clone(), m.clone()),
        Run::finished(RunMode::Sequential, s, sp.clone(), sm.clone()),
    ]
}

/// The speedup insight for the first run against the second.
fn speedup(runs: &[Run; 2]) -> Vec<Insight> {
    check_speedup(&context(runs))
}

/// The context of the first run, with the second as its sequential run.
fn context(runs: &[Run; 2]) -> InsightContext<'_> {
    let mut ctx = InsightContext::new(&runs[0]);
    ctx.sequential = Some(&runs[1]);
    ctx
}

/// The speedup insight for `mode` against sequential, both measured exactly
/// as predicted.
fn speedup_on_time(
    s: &Scenario,
    mode: RunMode,
) -> Vec<async_playground::domain::analysis::insights::Insight> {
    let (p, sp) = (predict(s, mode), predict(s, RunMode::Sequential));
    let (m, sm) = (
        measured_as_predicted(&p, 0.0),
        measured_as_predicted(&sp, 0.0),
    );
    speedup(&with_sequential(mode, s, &p, &m, &sp, &sm))
}

#[test]
fn speedup_of_io_tasks_explains_overlapping_waits() {
    let s = io(&[1000; 10]);
    let (p, sp) = (
        predict(&s, RunMode::Gather),
        predict(&s, RunMode::Sequential),
    );
    let m = measured_as_predicted(&p, 40.0); // 1040 ms
    let sm = measured_as_predicted(&sp, 0.0); // 10000 ms
    let found = speedup(&with_sequential(RunMode::Gather, &s, &p, &m, &sp, &sm));
    assert_eq!(
        found[0].text,
        "gather was 9.6× faster than sequential: the tasks were I/O-bound, so their waits overlapped"
    );
}

#[test]
fn speedup_with_blocking_work_says_only() {
    let s = scenario(
        &[("hash", 1000, TaskKind::Blocking), ("a", 100, TaskKind::Io)],
        RunOptions::default(),
    );
    let (p, sp) = (
        predict(&s, RunMode::Gather),
        predict(&s, RunMode::Sequential),
    );
    let m = measured_as_predicted(&p, 0.0);
    let mut sm = measured_as_predicted(&sp, 0.0);
    sm.total_ms = Some(p.total_ms * 1.1);
    let found = speedup(&with_sequential(RunMode::Gather, &s, &p, &m, &sp, &sm));
    assert_eq!(
        found[0].text,
        "only 1.1× faster than sequential: 'hash' blocks the loop, and blocking work doesn't overlap"
    );
}

#[test]
fn speedup_with_to_thread_credits_the_worker_threads() {
    let s = scenario(
        &[
            ("read a", 500, TaskKind::OffloadedWait),
            ("read b", 500, TaskKind::OffloadedWait),
        ],
        RunOptions::default(),
    );
    let found = speedup_on_time(&s, RunMode::Gather);
    assert!(
        found[0].text.starts_with("gather was 2.0× faster"),
        "{}",
        found[0].text
    );
    assert!(found[0]
        .text
        .contains("to_thread moved the blocking calls to worker threads"));
}

#[test]
fn speedup_is_quiet_without_a_sequential_run_or_for_another_scenario() {
    let s = io(&[100, 100]);
    let p = predict(&s, RunMode::Gather);
    let m = measured_as_predicted(&p, 0.0);
    assert!(check_speedup(&InsightContext::new(&run(RunMode::Gather, &s, &p, &m))).is_empty());
    let other = io(&[100, 300]);
    let sp = predict(&other, RunMode::Sequential);
    let sm = measured_as_predicted(&sp, 0.0);
    let (gathered, sequential) = (
        run(RunMode::Gather, &s, &p, &m),
        run(RunMode::Sequential, &other, &sp, &sm),
    );
    let mut ctx = InsightContext::new(&gathered);
    ctx.sequential = Some(&sequential);
    assert!(check_speedup(&ctx).is_empty());
}

#[test]
fn gil_note_for_overlapping_cpu_threads() {
    let s = scenario(
        &[
            ("crunch 1", 1000, TaskKind::OffloadedCpu),
            ("crunch 2", 1000, TaskKind::OffloadedCpu),
            ("crunch 3", 1000, TaskKind::OffloadedCpu),
        ],
        RunOptions::default(),
    );
    let p = predict(&s, RunMode::Gather);
    let m = measured_as_predicted(&p, 0.0);
    let found = check_gil(&InsightContext::new(&run(RunMode::Gather, &s, &p, &m)));
    assert_eq!(
        found[0].text,
        "CPU-bound threads take turns holding the GIL, so 3 threads of 1.0 s took ~3.0 s"
    );
    // Sequentially they never overlap; without the GIL they don't take turns.
    let p = predict(&s, RunMode::Sequential);
    let m = measured_as_predicted(&p, 0.0);
    assert!(check_gil(&InsightContext::new(&run(RunMode::Sequential, &s, &p, &m))).is_empty());
    let mut no_gil = s.clone();
    no_gil.options.gil = false;
    let p = predict(&no_gil, RunMode::Gather);
    let m = measured_as_predicted(&p, 0.0);
    assert!(check_gil(&InsightContext::new(&run(RunMode::Gather, &no_gil, &p, &m))).is_empty());
}

#[test]
fn pool_smaller_than_the_offloaded_tasks_names_who_waited() {
    let options = RunOptions {
        pool_size: 3,
        ..RunOptions::default()
    };
    let tasks: Vec<(&str, u32, TaskKind)> = ["r1", "r2", "r3", "r4", "r5"]
        .iter()
        .map(|l| (*l, 200, TaskKind::OffloadedWait))
        .collect();
    let s = scenario(&tasks, options);
    let p = predict(&s, RunMode::Gather);
    let m = measured_as_predicted(&p, 0.0);
    let found = check_pool(&InsightContext::new(&run(RunMode::Gather, &s, &p, &m)));
    assert_eq!(
        found[0].text,
        "only 3 worker threads: tasks 4–5 waited for a free thread, up to 200 ms (like ThreadPoolExecutor(max_workers=3))"
    );
    // A big enough pool: nobody waited.
    let s = scenario(
        &tasks,
        RunOptions {
            pool_size: 5,
            ..options
        },
    );
    let p = predict(&s, RunMode::Gather);
    let m = measured_as_predicted(&p, 0.0);
    assert!(check_pool(&InsightContext::new(&run(RunMode::Gather, &s, &p, &m))).is_empty());
}

#[test]
fn semaphore_limit_names_who_waited_for_a_permit() {
    let mut s = io(&[100; 10]);
    s.options.limit = 3;
    let p = predict(&s, RunMode::Bounded);
    let m = measured_as_predicted(&p, 0.0);
    let found = check_semaphore(&InsightContext::new(&run(RunMode::Bounded, &s, &p, &m)));
    assert_eq!(
        found[0].text,
        "Semaphore(3) let 3 run at once: tasks 4–10 waited for a permit, up to 300 ms"
    );
    let p = predict(&s, RunMode::Gather);
    assert!(check_semaphore(&InsightContext::new(&run(RunMode::Gather, &s, &p, &m))).is_empty());
}

fn failing() -> Scenario {
    let mut fail = draft(2, "flaky", 100, TaskKind::Fail);
    fail.message = "boom".into();
    let drafts = vec![
        draft(1, "a", 300, TaskKind::Io),
        fail,
        draft(3, "c", 300, TaskKind::Io),
        draft(4, "d", 300, TaskKind::Io),
        draft(5, "e", 300, TaskKind::Io),
    ];
    validate(&drafts, "1", RunOptions::default()).unwrap()
}

#[test]
fn gather_failure_says_the_others_kept_running() {
    let s = failing();
    let p = predict(&s, RunMode::Gather);
    let m = measured_as_predicted(&p, 0.0);
    let found = check_exceptions(&InsightContext::new(&run(RunMode::Gather, &s, &p, &m)));
    assert_eq!(
        found[0].text,
        "gather raised 'boom' from task 2 at 100 ms; the other tasks kept running (gather doesn't cancel them)"
    );
}

#[test]
fn taskgroup_failure_counts_the_cancelled() {
    let s = failing();
    let p = predict(&s, RunMode::TaskGroup);
    let m = measured_as_predicted(&p, 0.0);
    let found = check_exceptions(&InsightContext::new(&run(RunMode::TaskGroup, &s, &p, &m)));
    assert!(
        found[0]
            .text
            .starts_with("TaskGroup cancelled 4 tasks when 'boom' failed (task 2)"),
        "{}",
        found[0].text
    );
}

#[test]
fn timeout_is_named_with_its_limit() {
    let mut slow = draft(1, "slow", 2000, TaskKind::Io);
    slow.timeout_text = "500".into();
    let s = validate(
        &[slow, draft(2, "ok", 100, TaskKind::Io)],
        "1",
        RunOptions::default(),
    )
    .unwrap();
    let p = predict(&s, RunMode::Gather);
    let m = measured_as_predicted(&p, 0.0);
    let found = check_exceptions(&InsightContext::new(&run(RunMode::Gather, &s, &p, &m)));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, "timeout");
    assert_eq!(
        found[0].text,
        "'slow' hit its 500 ms wait_for timeout and was cancelled"
    );
}

#[test]
fn exceptions_quiet_when_all_ok() {
    let s = io(&[100, 200]);
    let p = predict(&s, RunMode::TaskGroup);
    let m = measured_as_predicted(&p, 0.0);
    assert!(
        check_exceptions(&InsightContext::new(&run(RunMode::TaskGroup, &s, &p, &m))).is_empty()
    );
}

#[test]
fn accuracy_reports_the_p95_distance_from_the_model() {
    let s = io(&[100, 200, 300, 400]);
    let p = predict(&s, RunMode::Gather);
    let m = measured_as_predicted(&p, 2.0);
    let found = check_accuracy(&InsightContext::new(&run(RunMode::Gather, &s, &p, &m)));
    assert_eq!(
        found[0].text,
        "measured times were within 2.0 ms of the model (p95 over 4 tasks; median 2.0 ms)"
    );
}

/// Sequential 0 ms sleeps, each measured `took_ms` long.
fn chain_of_zero_sleeps(took_ms: &[f64]) -> (Scenario, Prediction, Measurement) {
    let s = io(&vec![0; took_ms.len()]);
    let p = predict(&s, RunMode::Sequential);
    let mut m = Measurement::new(took_ms.len());
    let mut at = 0.0;
    for (t, took) in m.tasks.iter_mut().zip(took_ms) {
        t.start_ms = Some(at);
        at += took;
        t.end_ms = Some(at);
        t.outcome = Some(async_playground::domain::model::Outcome::Ok);
    }
    m.total_ms = Some(at);
    (s, p, m)
}

#[test]
fn clamped_timers_fire_on_a_clear_4_ms_pattern() {
    let (s, p, m) =
        chain_of_zero_sleeps(&[0.3, 0.5, 1.0, 1.2, 4.1, 4.2, 4.0, 4.3, 4.1, 4.2, 4.6, 4.1]);
    let found = check_clamped_timers(&InsightContext::new(&run(RunMode::Sequential, &s, &p, &m)));
    assert_eq!(
        found[0].text,
        "timers fired ~4 ms late: the browser clamps nested timers to 4 ms (8 of 12 short sleeps took 4–6 ms)"
    );
}

#[test]
fn clamped_timers_quiet_on_fast_or_scattered_timers() {
    let (s, p, m) = chain_of_zero_sleeps(&[0.3, 0.5, 1.0, 1.2, 0.8, 0.7]);
    assert!(
        check_clamped_timers(&InsightContext::new(&run(RunMode::Sequential, &s, &p, &m)))
            .is_empty()
    );
    // Two 4 ms timers among many fast ones are not a pattern.
    let (s, p, m) = chain_of_zero_sleeps(&[0.3, 4.1, 1.0, 1.2, 4.0, 0.7, 9.0, 0.2]);
    assert!(
        check_clamped_timers(&InsightContext::new(&run(RunMode::Sequential, &s, &p, &m)))
            .is_empty()
    );
    // Long sleeps running 4 ms late are not the clamp.
    let s = io(&[100, 100, 100, 100]);
    let p = predict(&s, RunMode::Sequential);
    let m = measured_as_predicted(&p, 4.0);
    assert!(
        check_clamped_timers(&InsightContext::new(&run(RunMode::Sequential, &s, &p, &m)))
            .is_empty()
    );
}

#[test]
fn hidden_tab_warns_with_how_long() {
    let s = io(&[100]);
    let p = predict(&s, RunMode::Gather);
    let m = measured_as_predicted(&p, 0.0);
    let gathered = run(RunMode::Gather, &s, &p, &m);
    let mut ctx = InsightContext::new(&gathered);
    assert!(check_hidden(&ctx).is_empty());
    ctx.hidden_ms = 3200.0;
    let found = check_hidden(&ctx);
    assert_eq!(found[0].severity, Severity::Warn);
    assert_eq!(
        found[0].text,
        "the tab was hidden for 3.2 s of this run: browsers throttle timers in background tabs, so these timings are slower than real"
    );
    ctx.hidden_ms = 0.0;
    ctx.throttled = true;
    assert_eq!(check_hidden(&ctx)[0].kind, "hidden-tab");
}

#[test]
fn sequential_io_run_explains_the_sum() {
    let s = io(&[400, 600, 1000]);
    let p = predict(&s, RunMode::Sequential);
    let m = measured_as_predicted(&p, 0.0);
    let found = check_sequential(&InsightContext::new(&run(RunMode::Sequential, &s, &p, &m)));
    assert_eq!(
        found[0].text,
        "each await waited for the previous one: total = sum of durations (2.0 s); gather would overlap the waits and take about 1.0 s"
    );
    let p = predict(&s, RunMode::Gather);
    assert!(check_sequential(&InsightContext::new(&run(RunMode::Gather, &s, &p, &m))).is_empty());
}

#[test]
fn insights_are_ordered_and_capped() {
    let s = failing();
    let (p, sp) = (
        predict(&s, RunMode::Gather),
        predict(&s, RunMode::Sequential),
    );
    let (m, sm) = (
        measured_as_predicted(&p, 1.0),
        measured_as_predicted(&sp, 0.0),
    );
    let runs = with_sequential(RunMode::Gather, &s, &p, &m, &sp, &sm);
    let mut ctx = context(&runs);
    ctx.hidden_ms = 500.0;
    let found = insights(&ctx);
    assert!(found.len() <= MAX_INSIGHTS);
    assert_eq!(
        kinds(&found),
        vec!["hidden-tab", "exception", "speedup", "accuracy"]
    );
}

#[test]
fn task_numbers_read_naturally() {
    assert_eq!(format_task_numbers(&[4]), "task 4");
    assert_eq!(format_task_numbers(&[5, 4]), "tasks 4–5");
    assert_eq!(
        format_task_numbers(&[2, 4, 6, 7, 8, 9]),
        "tasks 2, 4 and 6–9"
    );
}

#[test]
fn speedup_of_a_run_cut_short_by_an_exception_is_not_credited_to_overlap() {
    let s = scenario(
        &[
            ("a", 2000, TaskKind::Io),
            ("boom", 1000, TaskKind::Fail),
            ("c", 3000, TaskKind::Io),
        ],
        RunOptions::default(),
    );
    assert!(
        predict(&s, RunMode::TaskGroup).caller_raised,
        "the group raised"
    );
    let found = speedup_on_time(&s, RunMode::TaskGroup);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].text.starts_with(
            "TaskGroup ended 3.0× sooner than sequential, but an exception cut a run short"
        ),
        "{}",
        found[0].text
    );
    assert!(!found[0].text.contains("overlapped:"));
}
