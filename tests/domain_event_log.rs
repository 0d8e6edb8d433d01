//! Native tests: the event log and each task's states
//! (`domain::model::log`), for every mode and kind mix and for generated
//! scenarios: the log is recorded from the same run as the prediction
//! (they are equal), each step's queues agree with the prediction, the
//! segments tile each task's life, the lanes never have two holders, and
//! the last step is where the prediction ends.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use async_playground::domain::model::log::{
    event_log, event_log_bounded, gil_turn, EventLog, GilHolder, LoopHolder, Place, Snapshots,
    StepKind, TaskPlace, TaskState,
};
use async_playground::domain::model::{predict, Outcome};
use async_playground::domain::scenario::{
    Kind, RunMode, RunOptions, Scenario, Task, MAX_DURATION_MS, MAX_POOL_SIZE, MAX_STREAM_ITEMS,
};
use common::{
    blocking, fail, io, mode_variants, options_within, stream, task, thread_cpu, thread_wait,
    with_body, with_timeout,
};
use proptest::prelude::*;

// ---- scenarios -----------------------------------------------------------------

/// Kind mixes, each with the options that matter to it.
fn groups() -> Vec<(&'static str, Vec<Task>, RunOptions)> {
    let o = RunOptions::default();
    vec![
        ("io", vec![io(1, 200), io(2, 100), io(3, 300), io(4, 50)], o),
        ("fail", vec![io(1, 100), fail(2, 150), io(3, 250)], o),
        ("fail first", vec![io(1, 200), fail(2, 50), io(3, 120)], o),
        (
            "blocking",
            vec![io(1, 100), blocking(2, 150), io(3, 50), blocking(4, 100)],
            o,
        ),
        (
            "blocking + fail",
            vec![blocking(1, 100), fail(2, 50), io(3, 180)],
            o,
        ),
        (
            "threads",
            vec![thread_wait(1, 200), io(2, 100), thread_wait(3, 150)],
            o,
        ),
        (
            "pool 3",
            (1..=5).map(|i| thread_wait(i, 200)).collect(),
            RunOptions { pool_size: 3, ..o },
        ),
        (
            "cpu under the GIL",
            vec![
                thread_cpu(1, 100),
                thread_cpu(2, 60),
                io(3, 50),
                blocking(4, 30),
            ],
            o,
        ),
        (
            "cpu, no GIL, pool 1",
            vec![thread_cpu(1, 100), thread_cpu(2, 60), thread_wait(3, 20)],
            RunOptions {
                gil: false,
                pool_size: 1,
                ..o
            },
        ),
        (
            "streams",
            vec![stream(1, 40, 3, 10), stream(2, 30, 2, 0), io(3, 70)],
            o,
        ),
        (
            "timeouts",
            vec![
                with_timeout(io(1, 300), 100),
                with_timeout(io(2, 50), 100),
                with_timeout(thread_wait(3, 200), 80),
                with_timeout(blocking(4, 120), 60),
                with_timeout(fail(5, 30), 100),
            ],
            o,
        ),
        (
            "limit 1",
            vec![io(1, 100), blocking(2, 50), thread_cpu(3, 40), fail(4, 10)],
            RunOptions { limit: 1, ..o },
        ),
        (
            "everything",
            vec![
                io(1, 120),
                fail(2, 60),
                blocking(3, 40),
                thread_wait(4, 90),
                thread_cpu(5, 70),
                thread_cpu(6, 30),
                stream(7, 25, 3, 5),
                with_timeout(io(8, 200), 50),
                io(9, 0),
                blocking(10, 0),
            ],
            RunOptions {
                pool_size: 2,
                limit: 2,
                ..o
            },
        ),
    ]
}

/// Every mode, with `return_exceptions` and `cancel_pending` both ways.
fn cases() -> Vec<(String, Scenario, RunMode)> {
    let mut cases = Vec::new();
    for (name, tasks, base) in groups() {
        for (mode, catch, cancel, options) in mode_variants(base) {
            let label = format!("{name} / {} / catch {catch} / cancel {cancel}", mode.slug());
            cases.push((label, Scenario::new(tasks.clone(), 1.0, options), mode));
        }
    }
    cases
}

// ---- the checks ------------------------------------------------------------------

const EPS: f64 = 1e-6;

/// Every invariant of a log; the first broken one, as a message.
fn check(s: &Scenario, mode: RunMode, log: &EventLog) -> Result<(), String> {
    let p = &log.prediction;
    if *p != predict(s, mode) {
        return Err("the log's prediction differs from predict()".into());
    }
    check_segments(s, log)?;
    check_lanes(s, log)?;
    check_steps(s, log)?;
    Ok(())
}

fn check_segments(s: &Scenario, log: &EventLog) -> Result<(), String> {
    let p = &log.prediction;
    for (i, (segs, t)) in log.segments.iter().zip(&p.tasks).enumerate() {
        let created = log.created_ms[i];
        let Some(created) = created else {
            if !segs.is_empty() || t.start_ms.is_some() {
                return Err(format!("task {i} never created but has a life"));
            }
            continue;
        };
        let end = t
            .end_ms
            .ok_or(format!("task {i} was created and never ended"))?;
        for w in segs.windows(2) {
            if w[0].end_ms != w[1].start_ms {
                return Err(format!("task {i}: a gap or overlap in {segs:?}"));
            }
        }
        for seg in segs {
            if seg.start_ms >= seg.end_ms {
                return Err(format!("task {i}: an empty segment {seg:?}"));
            }
        }
        match (segs.first(), segs.last()) {
            (Some(first), Some(last)) => {
                if first.start_ms != created || last.end_ms != end {
                    return Err(format!(
                        "task {i}: segments {segs:?} do not tile [{created}, {end}]"
                    ));
                }
            }
            _ => {
                if created != end {
                    return Err(format!("task {i}: no segments over [{created}, {end}]"));
                }
            }
        }
        if let Some(start) = t.start_ms {
            if start < end && !segs.iter().any(|g| g.start_ms == start) {
                return Err(format!(
                    "task {i}: no boundary at its start {start}: {segs:?}"
                ));
            }
            for g in segs.iter().filter(|g| g.end_ms <= start) {
                if !matches!(g.state, TaskState::Ready | TaskState::QueuedForPermit) {
                    return Err(format!("task {i}: {:?} before its start", g.state));
                }
            }
            let bar = log.bar_segments(i);
            let covered: f64 = bar.iter().map(|g| g.end_ms - g.start_ms).sum();
            if (covered - (end - start)).abs() > EPS {
                return Err(format!(
                    "task {i}: its bar's segments cover {covered}, not {}",
                    end - start
                ));
            }
        }
        // Each state fits the task's kind.
        let kind = &s.tasks[i].kind;
        for g in segs {
            let fits = match g.state {
                TaskState::Blocking => *kind == Kind::Blocking,
                TaskState::QueuedForThread | TaskState::InThread | TaskState::WaitingForGil => {
                    matches!(kind, Kind::Offloaded { .. })
                }
                _ => true,
            };
            let gil_ok = g.state != TaskState::WaitingForGil
                || (s.options.gil && *kind == Kind::Offloaded { cpu: true });
            if !fits || !gil_ok {
                return Err(format!("task {i} ({kind:?}) was {:?}", g.state));
            }
        }
        if *kind == Kind::Blocking && t.start_ms.is_some() && t.outcome != Outcome::Cancelled {
            let blocked: f64 = segs
                .iter()
                .filter(|g| g.state == TaskState::Blocking)
                .map(|g| g.end_ms - g.start_ms)
                .sum();
            if (blocked - f64::from(s.tasks[i].real.duration_ms)).abs() > EPS {
                return Err(format!("task {i} blocked {blocked} ms"));
            }
        }
    }
    Ok(())
}

fn check_lanes(s: &Scenario, log: &EventLog) -> Result<(), String> {
    let p = &log.prediction;
    let lane = &log.loop_lane;
    let mut at = 0.0;
    for g in lane {
        if g.start_ms != at || g.end_ms <= g.start_ms {
            return Err(format!("the loop lane does not tile: {lane:?}"));
        }
        at = g.end_ms;
    }
    if p.total_ms > 0.0 && at != p.total_ms {
        return Err(format!("the loop lane ends at {at}, not {}", p.total_ms));
    }
    // A task's blocking shade is exactly its share of the loop lane.
    for g in lane {
        if let LoopHolder::Blocking { task } = g.holder {
            let fits = log.segments[task].iter().any(|t| {
                t.state == TaskState::Blocking && t.start_ms <= g.start_ms && t.end_ms >= g.end_ms
            });
            let ended_early = p.tasks[task].end_ms.is_some_and(|e| e < g.end_ms);
            if !fits && !ended_early {
                return Err(format!("loop lane {g:?} is not task {task}'s blocking"));
            }
        }
    }
    if !s.options.gil && !log.gil_lane.is_empty() {
        return Err("a GIL lane without the GIL".into());
    }
    let mut at = 0.0;
    for g in &log.gil_lane {
        if g.start_ms != at || g.end_ms <= g.start_ms {
            return Err(format!("the GIL lane does not tile: {:?}", log.gil_lane));
        }
        at = g.end_ms;
        if let GilHolder::TakingTurns { tasks } = &g.holder {
            if tasks.len() < 2 {
                return Err(format!("taking turns alone: {g:?}"));
            }
            let mid = (g.start_ms + g.end_ms) / 2.0;
            if !gil_turn(g, mid).is_some_and(|t| tasks.contains(&t)) {
                return Err(format!("gil_turn outside {g:?}"));
            }
        }
    }
    Ok(())
}

fn check_steps(s: &Scenario, log: &EventLog) -> Result<(), String> {
    let p = &log.prediction;
    let n = p.tasks.len();
    if log.steps.is_empty() {
        return Err("no steps".into());
    }
    if log.truncated || log.step_count != log.steps.len() {
        return Err("cut short".into());
    }
    let mut last_change_ms = 0.0f64;
    let (mut ended, mut resumed) = (0, None);
    for (k, w) in log.steps.windows(2).enumerate() {
        if w[1].at_ms < w[0].end_ms - EPS || w[1].iteration < w[0].iteration {
            return Err(format!("step {} goes back in time", k + 1));
        }
    }
    for (k, step) in log.steps.iter().enumerate() {
        if step.end_ms < step.at_ms || step.text.is_empty() {
            return Err(format!("step {k}: {step:?}"));
        }
        if let Place::Task { task, .. } = step.place {
            if task >= n {
                return Err(format!("step {k} is at task {task} of {n}"));
            }
        }
        let Some(snap) = &step.snapshot else {
            return Err(format!("step {k} has no snapshot"));
        };
        let now = snap.now_ms;
        if now != step.end_ms {
            return Err(format!(
                "step {k}: snapshot at {now}, step ends {}",
                step.end_ms
            ));
        }
        let within = |task: usize| {
            log.created_ms[task].is_some_and(|c| c <= now + EPS)
                && p.tasks[task].end_ms.is_some_and(|e| now <= e + EPS)
        };
        // Running and ready task steps: between creation and end.
        if let StepKind::Callback { callback } = &step.kind {
            if callback.text.ends_with("Task.__step") {
                if let Some(task) = callback.task {
                    let began = log.created_ms[task].is_some_and(|c| c <= step.at_ms + EPS);
                    if !began {
                        return Err(format!("step {k}: task {task} runs before it was created"));
                    }
                }
            }
        }
        for cb in &snap.ready {
            if let (Some(task), true) = (cb.task, cb.text.ends_with("Task.__step")) {
                if !log.created_ms[task].is_some_and(|c| c <= now + EPS) {
                    return Err(format!(
                        "step {k}: {} is ready before its creation",
                        cb.text
                    ));
                }
            }
        }
        for (task, state) in snap.states.iter().enumerate() {
            let Some(state) = state else { continue };
            if !within(task) {
                return Err(format!(
                    "step {k}: task {task} is {state:?} outside its life"
                ));
            }
            let ok = match state {
                TaskState::Awaiting => {
                    snap.timers
                        .iter()
                        .any(|t| t.task == Some(task) && t.due_ms >= now - EPS)
                        || snap.ready.iter().any(|c| c.task == Some(task))
                }
                TaskState::Blocking => false,
                TaskState::InThread | TaskState::WaitingForGil => {
                    snap.threads.iter().any(|t| t.task == task && !t.orphaned)
                }
                TaskState::QueuedForThread => snap.pool_queue.contains(&task),
                TaskState::QueuedForPermit => snap.permit_waiters.contains(&task),
                TaskState::Ready | TaskState::Cancelled => {
                    snap.ready.iter().any(|c| c.task == Some(task))
                        || snap.threads.iter().any(|t| t.task == task)
                        || p.tasks[task].end_ms == Some(now)
                        || snap.timers.iter().any(|t| t.task == Some(task))
                        // Its thread ended; the loop hears of it next.
                        || matches!(s.tasks[task].kind, Kind::Offloaded { .. })
                }
                TaskState::Running => false,
            };
            if !ok {
                return Err(format!("step {k} ({}): task {task} is {state:?} but the queues say otherwise: {snap:#?}", step.text));
            }
        }
        for w in snap.timers.windows(2) {
            if w[0].due_ms > w[1].due_ms {
                return Err(format!("step {k}: the timer heap is not sorted"));
            }
        }
        if snap.threads.len() > snap.pool_size
            || snap.pool_size != s.options.pool_size.max(1) as usize
        {
            return Err(format!(
                "step {k}: {} threads of {}",
                snap.threads.len(),
                snap.pool_size
            ));
        }
        if !snap.pool_queue.is_empty() && snap.threads.len() < snap.pool_size {
            return Err(format!("step {k}: a queue while a thread is free"));
        }
        match snap.gil_holder {
            Some(h) => {
                if !s.options.gil || snap.gil_waiting.contains(&h) {
                    return Err(format!(
                        "step {k}: GIL holder {h}, waiting {:?}",
                        snap.gil_waiting
                    ));
                }
                let cpu = snap.threads.iter().filter(|t| t.cpu).count();
                if snap.gil_waiting.len() + 1 != cpu {
                    return Err(format!("step {k}: the GIL's {cpu} threads"));
                }
            }
            None => {
                if !snap.gil_waiting.is_empty() {
                    return Err(format!("step {k}: waiting for a GIL no one holds"));
                }
            }
        }
        if let (Some(free), Some(limit)) = (snap.permits_free, mode_limit(s, log)) {
            if free > limit {
                return Err(format!("step {k}: {free} permits free of {limit}"));
            }
            if free > 0 && !snap.permit_waiters.is_empty() {
                return Err(format!("step {k}: waiters while a permit is free"));
            }
        }
        if snap.ended != ended || snap.caller_resumed_ms != resumed {
            last_change_ms = last_change_ms.max(step.end_ms);
            ended = snap.ended;
            resumed = snap.caller_resumed_ms;
        }
    }
    let last = log
        .steps
        .last()
        .and_then(|s| s.snapshot.as_ref())
        .expect("checked");
    let ends = p.tasks.iter().filter(|t| t.end_ms.is_some()).count();
    if last.ended != ends {
        return Err(format!(
            "the last step has {} ended, the prediction {ends}",
            last.ended
        ));
    }
    if last.caller_resumed_ms != Some(p.caller_ms) {
        return Err(format!(
            "the last step has the caller resumed at {:?}, the prediction {}",
            last.caller_resumed_ms, p.caller_ms
        ));
    }
    if (last_change_ms - p.total_ms).abs() > EPS {
        return Err(format!(
            "the last change is at {last_change_ms}, the total {}",
            p.total_ms
        ));
    }
    if last.states.iter().any(Option::is_some) {
        return Err("a task is still alive at the last step".into());
    }
    Ok(())
}

fn mode_limit(s: &Scenario, log: &EventLog) -> Option<u32> {
    log.prediction.mode.options(&s.options).limit
}

// ---- the tests -----------------------------------------------------------------

#[test]
fn every_mode_and_kind_mix_gives_a_consistent_log() {
    let mut failures = Vec::new();
    for (name, s, mode) in cases() {
        let log = event_log(&s, mode, Snapshots::All);
        if let Err(e) = check(&s, mode, &log) {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_snapshot_asked_for_alone_is_the_one_in_the_full_log() {
    for (name, s, mode) in cases().into_iter().step_by(7) {
        let full = event_log(&s, mode, Snapshots::All);
        for at in [0, full.steps.len() / 2, full.steps.len() - 1] {
            let one = event_log(&s, mode, Snapshots::At(at));
            assert_eq!(one.steps[at], full.steps[at], "{name}, step {at}");
            assert!(one
                .steps
                .iter()
                .enumerate()
                .all(|(k, st)| (k == at) == st.snapshot.is_some()));
        }
    }
}

#[test]
fn the_blocking_preset_stalls_the_loop_while_timers_pile_up() {
    let s = Scenario::new(
        vec![blocking(1, 300), io(2, 100), io(3, 150), io(4, 200)],
        1.0,
        RunOptions::default(),
    );
    let log = event_log(&s, RunMode::Gather, Snapshots::All);
    // The loop is held by the blocking call for its 300 ms.
    assert_eq!(log.loop_lane[0].holder, LoopHolder::Blocking { task: 0 });
    assert_eq!(log.loop_lane[0].end_ms, 300.0);
    // The others only start once it lets go.
    let first_step = |i: usize| {
        log.steps
            .iter()
            .position(|st| st.text.starts_with(&format!("fetch {} starts", i + 1)))
            .unwrap()
    };
    assert!(log.steps[first_step(1)].at_ms >= 300.0);
    assert_eq!(log.segments[1][0].state, TaskState::Ready);
    assert_eq!(log.segments[1][0].end_ms, 300.0);
    let blocked = log
        .steps
        .iter()
        .find(|st| st.text.contains("blocks the loop"))
        .unwrap();
    assert!(
        blocked.text.contains("time.sleep(0.3) from 0 ms to 300 ms"),
        "{}",
        blocked.text
    );
    // The same with to_thread: the loop stays free.
    let s = Scenario::new(
        vec![thread_wait(1, 300), io(2, 100), io(3, 150), io(4, 200)],
        1.0,
        RunOptions::default(),
    );
    let log = event_log(&s, RunMode::Gather, Snapshots::All);
    assert!(log.loop_lane.iter().all(|g| g.holder == LoopHolder::Idle));
    assert_eq!(log.prediction.tasks[1].start_ms, Some(0.0));
    assert!(log.segments[0]
        .iter()
        .any(|g| g.state == TaskState::InThread));
}

#[test]
fn sentences_say_what_a_callback_did() {
    let s = Scenario::new(
        vec![io(1, 250), io(2, 100), io(3, 100), io(4, 100), io(5, 100)],
        1.0,
        RunOptions::default(),
    );
    let log = event_log(&s, RunMode::Gather, Snapshots::None);
    let texts: Vec<&str> = log.steps.iter().map(|s| s.text.as_str()).collect();
    assert!(
        texts.contains(&"fetch 1 starts; awaits sleep(0.25) → timer due at 250 ms"),
        "{texts:#?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("gather's done-callback for fetch 4: 3 of 5 done")),
        "{texts:#?}"
    );
    // gather counts its done callbacks, as CPython's `nfinished`: main()
    // is woken at the last one, not when the last task ended.
    let wakes: Vec<&&str> = texts
        .iter()
        .filter(|t| t.contains("main() will resume"))
        .collect();
    assert_eq!(wakes.len(), 1, "{texts:#?}");
    assert!(
        wakes[0].starts_with("gather's done-callback for fetch 1: 5 of 5 done; takes 5 results"),
        "{texts:#?}"
    );
    assert!(
        texts.iter().any(|t| t.starts_with("4 timers due")),
        "{texts:#?}"
    );
    assert_eq!(*texts.last().unwrap(), "main() resumes");
    // Steps at a task point at its await.
    let at = log
        .steps
        .iter()
        .find(|s| s.text.starts_with("fetch 2 starts"))
        .unwrap()
        .place;
    assert_eq!(
        at,
        Place::Task {
            task: 1,
            at: TaskPlace::Sleep
        }
    );
}

#[test]
fn a_semaphore_queue_is_shaded_before_the_start() {
    let s = Scenario::new(
        vec![io(1, 100), io(2, 100), io(3, 100)],
        1.0,
        RunOptions {
            limit: 1,
            ..RunOptions::default()
        },
    );
    let log = event_log(&s, RunMode::Bounded, Snapshots::All);
    assert_eq!(log.prediction.tasks[2].start_ms, Some(200.0));
    let queued: Vec<_> = log.segments[2]
        .iter()
        .filter(|g| g.state == TaskState::QueuedForPermit)
        .collect();
    assert_eq!(queued.len(), 1);
    assert_eq!((queued[0].start_ms, queued[0].end_ms), (0.0, 200.0));
    assert!(log
        .bar_segments(2)
        .iter()
        .all(|g| g.state == TaskState::Awaiting));
}

#[test]
fn cpu_threads_take_turns_for_the_gil() {
    let s = Scenario::new(
        vec![thread_cpu(1, 100), thread_cpu(2, 100)],
        1.0,
        RunOptions::default(),
    );
    let log = event_log(&s, RunMode::Gather, Snapshots::All);
    assert_eq!(log.prediction.total_ms, 200.0);
    assert!(log
        .bar_segments(0)
        .iter()
        .all(|g| g.state == TaskState::WaitingForGil));
    assert_eq!(log.gil_lane.len(), 1);
    assert_eq!(
        log.gil_lane[0].holder,
        GilHolder::TakingTurns { tasks: vec![0, 1] }
    );
    assert_eq!(gil_turn(&log.gil_lane[0], 2.0), Some(0));
    assert_eq!(gil_turn(&log.gil_lane[0], 7.0), Some(1));
    let s = Scenario::new(
        s.tasks.clone(),
        1.0,
        RunOptions {
            gil: false,
            ..RunOptions::default()
        },
    );
    let log = event_log(&s, RunMode::Gather, Snapshots::None);
    assert!(log.gil_lane.is_empty());
    assert!(log
        .bar_segments(0)
        .iter()
        .all(|g| g.state == TaskState::InThread));
}

#[test]
fn a_thousand_tasks_make_a_log_of_reasonable_size() {
    let tasks: Vec<Task> = (1..=1000).map(|i| io(i, 100 + i % 300)).collect();
    let s = Scenario::new(tasks, 1.0, RunOptions::default());
    let log = event_log(&s, RunMode::Gather, Snapshots::None);
    assert!(!log.truncated);
    assert!(log.steps.len() < 6_000, "{} steps", log.steps.len());
    let segments: usize = log.segments.iter().map(Vec::len).sum();
    assert!(segments <= 3_000, "{segments} segments");
    // Past the cap the log is cut, never unbounded.
    let cut = event_log_bounded(&s, RunMode::Gather, Snapshots::None, 100);
    assert!(cut.truncated && cut.steps.len() == 100 && cut.step_count == log.step_count);
    assert_eq!(cut.segments, log.segments);
}

#[test]
fn an_empty_scenario_has_a_log() {
    let s = Scenario::new(Vec::new(), 1.0, RunOptions::default());
    for mode in RunMode::ALL {
        let log = event_log(&s, mode, Snapshots::All);
        check(&s, mode, &log).unwrap();
    }
}

// ---- generated scenarios ---------------------------------------------------------

fn any_task() -> impl Strategy<Value = Task> {
    let ms = prop_oneof![Just(0u32), 0u32..400, Just(MAX_DURATION_MS)];
    let kind = prop_oneof![
        Just(Kind::Io),
        Just(Kind::Fail {
            message: "boom".into()
        }),
        Just(Kind::Blocking),
        Just(Kind::Offloaded { cpu: false }),
        Just(Kind::Offloaded { cpu: true }),
        prop_oneof![0u32..4, Just(MAX_STREAM_ITEMS)].prop_map(|items| Kind::Stream { items }),
    ];
    let timeout = prop_oneof![3 => Just(None), 1 => (0u32..500).prop_map(Some), 1 => Just(Some(MAX_DURATION_MS))];
    let body = prop_oneof![Just(0u32), 0u32..50];
    (ms, kind, timeout, body).prop_map(|(ms, kind, timeout, body)| {
        let t = with_body(task(1, "t", ms, kind), body);
        match timeout {
            Some(limit) => with_timeout(t, limit),
            None => t,
        }
    })
}

fn any_options() -> impl Strategy<Value = RunOptions> {
    options_within(
        prop_oneof![Just(1u32), 1u32..5, Just(10_000)],
        prop_oneof![Just(1u32), 1u32..8, Just(MAX_POOL_SIZE)],
    )
}

fn any_mode() -> impl Strategy<Value = RunMode> {
    proptest::sample::select(RunMode::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn generated_scenarios_give_consistent_logs(
        tasks in proptest::collection::vec(any_task(), 0..14),
        options in any_options(),
        mode in any_mode(),
    ) {
        let s = Scenario::new(tasks, 1.0, options);
        let log = event_log(&s, mode, Snapshots::All);
        if let Err(e) = check(&s, mode, &log) {
            return Err(TestCaseError::fail(format!("{e}\nscenario: {s:?}\nmode: {mode:?}")));
        }
        // Every step's line is a line of the lesson program.
        let lesson = async_playground::domain::codegen::lesson::lesson_program(&s, mode);
        let lines = lesson.line_count();
        for step in &log.steps {
            if let Some(at) = lesson.line_of(step.place) {
                prop_assert!(at >= 1 && at <= lines, "line {} of {}", at, lines);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    /// Big scenarios (up to the editor's 10,000 tasks): no panic, the
    /// prediction is unchanged, the log stays bounded and its segments tile.
    #[test]
    fn big_scenarios_stay_bounded(
        task in any_task(),
        count in prop_oneof![Just(10_000usize), 500usize..3_000],
        options in any_options(),
        mode in any_mode(),
    ) {
        let tasks = vec![task; count];
        let s = Scenario::new(tasks, 1.0, options);
        let log = event_log(&s, mode, Snapshots::At(0));
        prop_assert!(log.steps.len() <= async_playground::domain::model::log::MAX_LOG_STEPS);
        prop_assert_eq!(&log.prediction, &predict(&s, mode));
        if let Err(e) = check_segments(&s, &log).and_then(|()| check_lanes(&s, &log)) {
            return Err(TestCaseError::fail(e));
        }
    }
}

#[test]
fn the_steps_answer_for_a_thousand_tasks_is_small() {
    use async_playground::domain::formats::steps::{snapshot_json, steps_json};
    let tasks: Vec<Task> = (1..=1000)
        .map(|i| match i % 4 {
            0 => blocking(i, 1),
            1 => thread_wait(i, 100 + i % 50),
            _ => io(i, 100 + i % 300),
        })
        .collect();
    let s = Scenario::new(tasks, 1.0, RunOptions::default());
    let started = std::time::Instant::now();
    let json = steps_json(&s, RunMode::Gather);
    assert!(json.len() < 1_500_000, "{} bytes", json.len());
    let snap = snapshot_json(&s, RunMode::Gather, 2_000).unwrap();
    assert!(snap.len() < 200_000, "{} bytes", snap.len());
    println!(
        "1,000 tasks: steps {} KB, a snapshot {} KB, in {:?}",
        json.len() / 1024,
        snap.len() / 1024,
        started.elapsed()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The app's readers of the worker's answers never panic, whatever text
    /// comes back (a truncated, corrupted or hostile message).
    #[test]
    fn the_answer_readers_never_panic(text in ".{0,200}", cut in 0usize..4000, flip in any::<u8>()) {
        use async_playground::domain::formats::steps::{snapshot_from_json, snapshot_json, steps_from_json, steps_json};
        let _ = steps_from_json(&text);
        let _ = snapshot_from_json(&text);
        let s = Scenario::new(vec![io(1, 100), thread_cpu(2, 50), blocking(3, 20)], 1.0, RunOptions { limit: 1, ..RunOptions::default() });
        for good in [steps_json(&s, RunMode::Bounded), snapshot_json(&s, RunMode::Bounded, 3).unwrap()] {
            let mut bytes = good.into_bytes();
            let at = cut % bytes.len();
            bytes[at] = flip;
            let bad = String::from_utf8_lossy(&bytes).into_owned();
            let _ = steps_from_json(&bad);
            let _ = snapshot_from_json(&bad);
            let short = String::from_utf8_lossy(&bytes[..bytes.len().min(cut)]).into_owned();
            let _ = steps_from_json(&short);
            let _ = snapshot_from_json(&short);
        }
    }
}
