//! Native tests: what "What happened" says is never false. Over every run
//! mode × a matrix of task mixes (I/O only, CPU-bound threads with and
//! without the GIL, `to_thread` waits in a small pool, blocking calls,
//! mixes, failures caught and not, timeouts, streams, a Semaphore), each
//! insight's [`Claim`] is checked against the run's prediction, no two
//! insights contradict each other, and every task that blocked the loop is
//! named.

#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use async_playground::domain::analysis::insights::{
    insights, Claim, Insight, InsightContext, Why, CHECKS, MIN_BLOCK_MS,
};
use async_playground::domain::model::{predict, Outcome, Prediction};
use async_playground::domain::run::measurement::{MeasuredTask, Measurement};
use async_playground::domain::run::Run;
use async_playground::domain::scenario::{
    validate, Kind, RunMode, RunOptions, Scenario, Task, TaskDraft, TaskId, TaskKind,
};

/// (label, ms, kind, timeout text, stream items)
type Spec = (&'static str, u32, TaskKind, &'static str, &'static str);

fn t(label: &'static str, ms: u32, kind: TaskKind) -> Spec {
    (label, ms, kind, "", "5")
}

fn scenario(tasks: &[Spec], options: RunOptions) -> Scenario {
    let drafts: Vec<TaskDraft> = tasks
        .iter()
        .enumerate()
        .map(|(i, (label, ms, kind, timeout, items))| {
            let mut d =
                TaskDraft::io(TaskId(i as u32 + 1), label, &ms.to_string()).with_kind(*kind);
            d.timeout_text = timeout.to_string();
            d.items_text = items.to_string();
            if *kind == TaskKind::Stream && label.contains("body") {
                d.body_text = "20".to_string();
            }
            d
        })
        .collect();
    validate(&drafts, "1", options).expect("valid scenario")
}

fn options(gil: bool, pool_size: u32, limit: u32, catch: bool) -> RunOptions {
    RunOptions {
        return_exceptions: catch,
        limit,
        pool_size,
        gil,
        ..RunOptions::default()
    }
}

/// Every mix of the matrix, named.
fn mixes() -> Vec<(&'static str, Scenario)> {
    use TaskKind::*;
    let plain = options(true, 6, 2, false);
    vec![
        (
            "I/O only",
            scenario(
                &[
                    t("a", 200, Io),
                    t("b", 600, Io),
                    t("c", 400, Io),
                    t("d", 300, Io),
                ],
                plain,
            ),
        ),
        (
            "CPU threads, GIL on",
            scenario(
                &[
                    t("x", 500, OffloadedCpu),
                    t("y", 500, OffloadedCpu),
                    t("z", 500, OffloadedCpu),
                ],
                plain,
            ),
        ),
        (
            "CPU threads, GIL off",
            scenario(
                &[
                    t("x", 500, OffloadedCpu),
                    t("y", 500, OffloadedCpu),
                    t("z", 500, OffloadedCpu),
                ],
                options(false, 6, 2, false),
            ),
        ),
        (
            "to_thread waits, pool 3",
            scenario(&[t("w", 200, OffloadedWait); 5], options(true, 3, 2, false)),
        ),
        (
            "blocking only",
            scenario(
                &[
                    t("h1", 300, Blocking),
                    t("h2", 200, Blocking),
                    t("h3", 100, Blocking),
                ],
                plain,
            ),
        ),
        (
            "two waits and a blocking call",
            scenario(
                &[t("a", 600, Io), t("b", 400, Io), t("parse", 300, Blocking)],
                plain,
            ),
        ),
        (
            "seven blocking calls",
            scenario(&[t("b", 30, Blocking); 7], plain),
        ),
        (
            "CPU threads and waits, GIL on",
            scenario(
                &[
                    t("x", 300, OffloadedCpu),
                    t("y", 300, OffloadedCpu),
                    t("a", 400, Io),
                    t("b", 200, Io),
                ],
                plain,
            ),
        ),
        (
            "CPU threads and waits, GIL off",
            scenario(
                &[
                    t("x", 300, OffloadedCpu),
                    t("y", 300, OffloadedCpu),
                    t("a", 400, Io),
                    t("b", 200, Io),
                ],
                options(false, 6, 2, false),
            ),
        ),
        (
            "a failure",
            scenario(
                &[t("a", 300, Io), t("boom", 100, Fail), t("c", 500, Io)],
                plain,
            ),
        ),
        (
            "a failure, caught",
            scenario(
                &[t("a", 300, Io), t("boom", 100, Fail), t("c", 500, Io)],
                options(true, 6, 2, true),
            ),
        ),
        (
            "a timeout",
            scenario(
                &[
                    ("slow", 500, Io, "200", "5"),
                    t("b", 300, Io),
                    t("c", 100, Io),
                ],
                plain,
            ),
        ),
        (
            "streams",
            scenario(
                &[
                    ("s", 50, Stream, "", "5"),
                    ("s body", 40, Stream, "", "3"),
                    t("a", 200, Io),
                ],
                plain,
            ),
        ),
        (
            "blocking and a CPU thread",
            scenario(
                &[
                    t("parse", 400, Blocking),
                    t("x", 300, OffloadedCpu),
                    t("a", 300, Io),
                ],
                plain,
            ),
        ),
    ]
}

/// A measurement exactly as the model predicts.
fn measured_as_predicted(p: &Prediction) -> Measurement {
    let mut m = Measurement::new(p.tasks.len());
    for (mt, pt) in m.tasks.iter_mut().zip(&p.tasks) {
        *mt = MeasuredTask {
            start_ms: pt.start_ms,
            end_ms: pt.end_ms,
            outcome: Some(pt.outcome),
            items_ms: pt.items_ms.clone(),
            thread: None,
        };
    }
    m.caller = Some((p.caller_ms, p.caller_raised));
    m.result_order = p.result_order.clone();
    m.total_ms = Some(p.total_ms);
    m.last_event_ms = p.total_ms;
    m
}

fn finished(mode: RunMode, s: &Rc<Scenario>) -> Run {
    let p = predict(s, mode);
    let m = measured_as_predicted(&p);
    Run::finished(mode, s.clone(), p, m)
}

fn only_waits(task: &Task) -> bool {
    match task.kind {
        Kind::Io | Kind::Fail { .. } | Kind::Offloaded { cpu: false } => true,
        Kind::Stream { .. } => task.real.body_ms == 0,
        Kind::Blocking | Kind::Offloaded { cpu: true } => false,
    }
}

fn length_ms(run: &Run, i: usize) -> f64 {
    run.prediction.tasks[i].duration_ms()
}

/// Whether two of the tasks `pick` selects run at overlapping times.
fn two_overlap(run: &Run, pick: impl Fn(&Task) -> bool) -> bool {
    let spans: Vec<(f64, f64)> = run
        .scenario
        .tasks
        .iter()
        .zip(&run.prediction.tasks)
        .filter(|(task, _)| pick(task))
        .filter_map(|(_, p)| Some((p.start_ms?, p.end_ms?)))
        .collect();
    spans
        .iter()
        .enumerate()
        .any(|(i, a)| spans[i + 1..].iter().any(|b| a.0 < b.1 && b.0 < a.1))
}

/// Whether a task `a` picks runs at the same time as another that `b` picks.
fn two_overlap_with(run: &Run, a: impl Fn(&Task) -> bool, b: impl Fn(&Task) -> bool) -> bool {
    let span = |i: usize| {
        let p = &run.prediction.tasks[i];
        Some((p.start_ms?, p.end_ms?))
    };
    let n = run.scenario.tasks.len();
    (0..n).any(|i| {
        (0..n).any(|j| {
            i != j
                && a(&run.scenario.tasks[i])
                && b(&run.scenario.tasks[j])
                && matches!((span(i), span(j)), (Some(x), Some(y)) if x.0 < y.1 && y.0 < x.1)
        })
    })
}

/// Whether `claim` holds for `run` (and its sequential baseline `seq`).
fn holds(run: &Run, seq: &Run, claim: &Claim) -> Result<(), String> {
    let s = &run.scenario;
    let p = &run.prediction;
    let ensure = |ok: bool, why: &str| if ok { Ok(()) } else { Err(why.to_string()) };
    match claim {
        Claim::Measured => Ok(()),
        Claim::Blocked { tasks } => {
            let expected: Vec<usize> = (0..s.tasks.len())
                .filter(|&i| s.tasks[i].kind == Kind::Blocking && length_ms(run, i) >= MIN_BLOCK_MS)
                .map(|i| i + 1)
                .collect();
            ensure(
                *tasks == expected,
                &format!("blocked {tasks:?}, model {expected:?}"),
            )
        }
        Claim::Speedup { factor, why } => {
            let real = seq.wall_ms().unwrap() / run.wall_ms().unwrap();
            ensure(
                (factor - real).abs() < 1e-9,
                "the factor is not the runs' ratio",
            )?;
            // The work itself, as written at the scenario's speed.
            let sum_of = |pick: &dyn Fn(&Task) -> bool| -> f64 {
                s.tasks
                    .iter()
                    .filter(|t| pick(t))
                    .map(|t| f64::from(t.real.duration_ms))
                    .sum()
            };
            match why {
                Why::CutShort => ensure(
                    p.caller_raised || seq.prediction.caller_raised,
                    "no run was cut short",
                ),
                Why::BlockingSerial => {
                    let blocking = sum_of(&|t| t.kind == Kind::Blocking);
                    ensure(
                        blocking > 0.0 && p.total_ms >= blocking - 1e-6,
                        "blocking work overlapped",
                    )
                }
                Why::GilSerial => {
                    let cpu = sum_of(&|t| t.kind == Kind::Offloaded { cpu: true });
                    ensure(s.options.gil && cpu > 0.0, "no GIL or no CPU threads")?;
                    ensure(p.total_ms >= cpu * 0.99, "GIL-bound work overlapped")
                }
                Why::ThreadsParallel => {
                    ensure(!s.options.gil, "the GIL was on")?;
                    ensure(
                        two_overlap(run, |t| t.kind == Kind::Offloaded { cpu: true }),
                        "no two CPU threads ran at once",
                    )
                }
                Why::IoBound => {
                    ensure(s.tasks.iter().all(only_waits), "not every task only waits")?;
                    ensure(two_overlap(run, only_waits), "no waits overlapped")
                }
                Why::OffloadedWaits => {
                    ensure(s.tasks.iter().all(only_waits), "not every task only waits")?;
                    ensure(two_overlap(run, only_waits), "no waits overlapped")
                }
                Why::Mixed => {
                    ensure(!s.tasks.iter().all(only_waits), "every task only waits")?;
                    let beside =
                        |t: &Task| only_waits(t) || t.kind == Kind::Offloaded { cpu: true };
                    ensure(
                        two_overlap_with(run, beside, |_| true),
                        "no wait or thread ran beside another task",
                    )?;
                    let blocking = sum_of(&|t| t.kind == Kind::Blocking);
                    ensure(p.total_ms >= blocking - 1e-6, "blocking calls overlapped")
                }
                Why::LittleOverlap => ensure(*factor < 1.2, "it was much faster"),
            }
        }
        Claim::Overlapped { longest_ms, sum_ms } => {
            let lengths: Vec<f64> = (0..s.tasks.len()).map(|i| length_ms(run, i)).collect();
            ensure(run.mode != RunMode::Sequential, "a sequential run")?;
            ensure(
                *longest_ms == lengths.iter().copied().fold(0.0, f64::max),
                "not the longest",
            )?;
            ensure(
                (*sum_ms - lengths.iter().sum::<f64>()).abs() < 1e-6,
                "not the sum",
            )?;
            ensure(
                p.total_ms >= *longest_ms - 1e-6 && p.total_ms <= longest_ms * 1.05 + 1.0,
                &format!("took {} ms, not about the longest {longest_ms}", p.total_ms),
            )
        }
        Claim::Summed { total_ms } => {
            ensure(run.mode == RunMode::Sequential, "not sequential")?;
            let sum: f64 = (0..s.tasks.len()).map(|i| length_ms(run, i)).sum();
            ensure(
                (total_ms - sum).abs() <= 1.0,
                &format!("{total_ms} is not the sum {sum}"),
            )
        }
        Claim::GilShared { threads } => {
            let cpu = s
                .tasks
                .iter()
                .filter(|t| t.kind == Kind::Offloaded { cpu: true })
                .count();
            ensure(s.options.gil && *threads == cpu, "not the GIL's threads")?;
            ensure(
                two_overlap(run, |t| t.kind == Kind::Offloaded { cpu: true }),
                "they never ran at once",
            )
        }
        Claim::WaitedForThread {
            tasks,
            pool,
            longest_wait_ms,
        } => {
            let waits: Vec<f64> = tasks
                .iter()
                .map(|&n| length_ms(run, n - 1) - f64::from(s.tasks[n - 1].real.duration_ms))
                .collect();
            ensure(
                waits.iter().copied().fold(0.0, f64::max) == *longest_wait_ms,
                "not the longest wait",
            )?;
            ensure(*pool == s.options.pool_size as usize, "another pool size")?;
            for &n in tasks {
                let i = n - 1;
                ensure(
                    matches!(s.tasks[i].kind, Kind::Offloaded { .. }),
                    "not a thread job",
                )?;
                // It is submitted when its coroutine starts; queued, it
                // ends later than its own work would.
                let work = f64::from(s.tasks[i].real.duration_ms);
                ensure(
                    length_ms(run, i) > work + 1e-6,
                    &format!("task {n} found a free thread"),
                )?;
            }
            Ok(())
        }
        Claim::WaitedForPermit {
            tasks,
            limit,
            longest_wait_ms,
        } => {
            let latest = tasks
                .iter()
                .filter_map(|&n| p.tasks[n - 1].start_ms)
                .fold(0.0, f64::max);
            ensure(latest == *longest_wait_ms, "not the longest wait")?;
            ensure(
                run.mode.uses_limit() && *limit == s.options.limit as usize,
                "no such Semaphore",
            )?;
            let first_end = p.tasks[..*limit]
                .iter()
                .filter_map(|t| t.end_ms)
                .fold(f64::INFINITY, f64::min);
            for &n in tasks {
                let start = p.tasks[n - 1].start_ms.unwrap_or(f64::INFINITY);
                ensure(
                    start >= first_end - 1e-6,
                    &format!("task {n} had a permit at once"),
                )?;
            }
            Ok(())
        }
        Claim::Raised { task, caught } => {
            ensure(
                p.tasks[task - 1].outcome == Outcome::Failed,
                "that task did not raise",
            )?;
            ensure(
                *caught == run.mode.options(&s.options).catch,
                "caught is wrong",
            )
        }
        Claim::TimedOut { tasks } => {
            let expected: Vec<usize> = (0..s.tasks.len())
                .filter(|&i| p.tasks[i].outcome == Outcome::TimedOut)
                .map(|i| i + 1)
                .collect();
            ensure(*tasks == expected, "other tasks timed out")
        }
    }
}

/// Pairs of claims that cannot both be true of one run.
fn contradiction(a: &Claim, b: &Claim) -> bool {
    use Claim::*;
    let all_wait = |c: &Claim| {
        matches!(
            c,
            Speedup {
                why: Why::IoBound | Why::OffloadedWaits,
                ..
            }
        )
    };
    (all_wait(a) && matches!(b, Blocked { .. } | GilShared { .. }))
        || matches!((a, b), (Overlapped { .. }, Summed { .. }))
        || matches!(
            (a, b),
            (
                Speedup {
                    why: Why::ThreadsParallel,
                    ..
                },
                GilShared { .. }
            )
        )
}

fn every_finding(ctx: &InsightContext) -> Vec<Insight> {
    CHECKS.iter().flat_map(|check| check(ctx)).collect()
}

#[test]
fn every_insight_holds_for_every_mode_and_mix() {
    let mut checked = 0;
    for (mix, s) in mixes() {
        let s = Rc::new(s);
        let seq = finished(RunMode::Sequential, &s);
        for mode in RunMode::ALL {
            let run = finished(mode, &s);
            let mut ctx = InsightContext::new(&run);
            ctx.sequential = Some(&seq);
            let found = every_finding(&ctx);
            for insight in &found {
                if let Err(why) = holds(&run, &seq, &insight.claim) {
                    panic!("{mix}, {mode:?}: \"{}\" is false: {why}", insight.text);
                }
                checked += 1;
            }
            for a in &found {
                for b in &found {
                    assert!(
                        !contradiction(&a.claim, &b.claim),
                        "{mix}, {mode:?}: \"{}\" contradicts \"{}\"",
                        a.text,
                        b.text
                    );
                }
            }
            // Every task that blocked the loop is named, in what is shown.
            let blocked: Vec<usize> = (0..s.tasks.len())
                .filter(|&i| {
                    s.tasks[i].kind == Kind::Blocking && length_ms(&run, i) >= MIN_BLOCK_MS
                })
                .map(|i| i + 1)
                .collect();
            if !blocked.is_empty() {
                let shown = insights(&ctx);
                assert!(
                    shown.iter().any(|i| i.claim
                        == Claim::Blocked {
                            tasks: blocked.clone()
                        }),
                    "{mix}, {mode:?}: blocking tasks {blocked:?} not all named: {shown:?}"
                );
            }
        }
    }
    assert!(checked > 100, "only {checked} insights checked");
}

fn texts(mode: RunMode, s: Scenario, with_sequential: bool) -> Vec<String> {
    let s = Rc::new(s);
    let seq = finished(RunMode::Sequential, &s);
    let run = finished(mode, &s);
    let mut ctx = InsightContext::new(&run);
    if with_sequential {
        ctx.sequential = Some(&seq);
    }
    insights(&ctx).into_iter().map(|i| i.text).collect()
}

#[test]
fn cpu_threads_without_the_gil_are_credited_to_parallel_threads_not_io() {
    let s = &mixes()[2].1;
    let found = texts(RunMode::Gather, s.clone(), true);
    let speedup = found.iter().find(|t| t.contains("faster")).unwrap();
    assert!(speedup.contains("ran in parallel"), "{speedup}");
    assert!(!found.iter().any(|t| t.contains("I/O-bound")), "{found:?}");
}

#[test]
fn waits_and_a_blocking_call_say_the_blocking_did_not_overlap() {
    let s = &mixes()[5].1;
    let found = texts(RunMode::Gather, s.clone(), true);
    assert!(
        found
            .iter()
            .any(|t| t.starts_with("task 3 'parse' blocked the loop")),
        "{found:?}"
    );
    assert!(!found.iter().any(|t| t.contains("I/O-bound")), "{found:?}");
    assert!(
        found.iter().any(|t| t.contains(
            "the waits ran alongside the other tasks, but the blocking call held the loop"
        )),
        "{found:?}"
    );
}

#[test]
fn three_blocking_calls_are_all_named() {
    let s = &mixes()[4].1;
    let found = texts(RunMode::Gather, s.clone(), false);
    assert!(
        found[0].starts_with("tasks 1–3 blocked the loop, 600 ms in all, one after another (the longest: task 1 'h1', 300 ms)"),
        "{found:?}"
    );
}

#[test]
fn a_gathered_run_alone_says_it_took_the_longest_wait_not_the_sum() {
    let s = &mixes()[0].1;
    let found = texts(RunMode::Gather, s.clone(), false);
    assert!(
        found.contains(
            &"the waits overlapped: gather took about its longest wait (600 ms), not the sum of the waits (1.5 s)"
                .to_string()
        ),
        "{found:?}"
    );
    let found = texts(RunMode::Sequential, s.clone(), false);
    assert!(
        found.iter().any(|t| t.contains("sum of durations (1.5 s)")),
        "{found:?}"
    );
}

#[test]
fn no_run_is_called_one_point_zero_times_faster() {
    for (mix, s) in mixes() {
        for mode in RunMode::ALL {
            for text in texts(mode, s.clone(), true) {
                assert!(!text.contains("1.0× faster"), "{mix}, {mode:?}: {text}");
            }
        }
    }
}

#[test]
fn a_caught_failure_names_the_modes_own_way_of_catching() {
    let s = &mixes()[10].1;
    let gather = texts(RunMode::Gather, s.clone(), false);
    assert!(
        gather
            .iter()
            .any(|t| t.contains("was caught (return_exceptions=True)")),
        "{gather:?}"
    );
    let each = texts(RunMode::CreateTask, s.clone(), false);
    assert!(
        each.iter()
            .any(|t| t.contains("was caught (try/except around each await)")),
        "{each:?}"
    );
}
