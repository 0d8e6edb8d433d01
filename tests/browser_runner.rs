//! Browser tests: the real runner on the browser's event loop, checked
//! against the simulator with tolerances (timers fire late, never early).

#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use async_playground::domain::model::predict_durations;
use async_playground::domain::model::Outcome;
use async_playground::domain::run::events::{EventKind, RunId, TraceEvent};
use async_playground::domain::run::measurement::Measurement;
use async_playground::domain::scenario::{
    Durations, Kind, RunMode, RunOptions, Scenario, Task, TaskId,
};
use async_playground::runtime::runner::{spawn_run, RunHandle, RunSetup};
use async_playground::runtime::thread_pool::TimerBackend;
use async_playground::runtime::timers::{pending_sleeps, sleep_ms};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The runner's sleeps complete only once `performance.now()` has passed
/// their deadline, and start and end are read from that same clock, so
/// "never early" holds exactly: no slack.
const CLOCK_SLACK_MS: f64 = 0.0;

type Log = Rc<RefCell<Vec<TraceEvent>>>;

fn io(durations_ms: &[u32]) -> Vec<Task> {
    durations_ms.iter().map(|&d| spec(d, Kind::Io)).collect()
}

/// A task of `kind` that takes `duration_ms` (run at speed 1).
fn spec(duration_ms: u32, kind: Kind) -> Task {
    timed(kind, Durations::of(duration_ms))
}

fn timed(kind: Kind, durations: Durations) -> Task {
    Task::new(TaskId(0), "", kind, durations)
}

fn fails() -> Kind {
    Kind::Fail {
        message: "boom".into(),
    }
}

fn start(durations_ms: &[u32], mode: RunMode, run: RunId) -> (RunHandle, Log) {
    start_specs(io(durations_ms), mode, run)
}

fn start_specs(tasks: Vec<Task>, mode: RunMode, run: RunId) -> (RunHandle, Log) {
    start_with(tasks, mode, RunOptions::default(), run)
}

fn start_with(
    tasks: Vec<Task>,
    mode: RunMode,
    options: RunOptions,
    run: RunId,
) -> (RunHandle, Log) {
    let log: Log = Rc::default();
    let sink = log.clone();
    let handle = spawn_run(
        Rc::new(Scenario::new(tasks, 1.0, options)),
        RunSetup {
            mode,
            run,
            emit: Rc::new(move |e| sink.borrow_mut().push(e)),
            backend: Rc::new(TimerBackend),
        },
    );
    (handle, log)
}

/// Runs to the end (polling every 5 ms, up to `limit_ms`) and returns
/// what was measured.
async fn measure(tasks: Vec<Task>, mode: RunMode, limit_ms: u32) -> Measurement {
    measure_with(tasks, mode, RunOptions::default(), limit_ms).await
}

async fn measure_with(
    tasks: Vec<Task>,
    mode: RunMode,
    options: RunOptions,
    limit_ms: u32,
) -> Measurement {
    let n = tasks.len();
    let (_handle, log) = start_with(tasks, mode, options, RunId(1));
    let mut waited = 0;
    while !finished(&log) && waited < limit_ms {
        TimeoutFuture::new(5).await;
        waited += 5;
    }
    assert!(finished(&log), "run did not finish within {limit_ms} ms");
    let mut m = Measurement::new(n);
    for e in log.borrow().iter() {
        m.record(&e.kind);
    }
    m
}

fn finished(log: &Log) -> bool {
    log.borrow()
        .iter()
        .any(|e| matches!(e.kind, EventKind::RunFinished { .. }))
}

/// Waits (polling every 5 ms) until the run finishes, up to `limit_ms`.
async fn run_to_end(durations_ms: &[u32], mode: RunMode, limit_ms: u32) -> Measurement {
    measure(io(durations_ms), mode, limit_ms).await
}

fn assert_never_early(durations_ms: &[u32], mode: RunMode, m: &Measurement) {
    let p = predict_durations(durations_ms, mode);
    for (i, (pt, mt)) in p.tasks.iter().zip(&m.tasks).enumerate() {
        let start = mt.start_ms.expect("task started");
        let end = mt.end_ms.expect("task finished");
        let predicted_end = pt.end_ms.expect("predicted to finish");
        assert!(
            end - start >= pt.duration_ms() - CLOCK_SLACK_MS,
            "task {i} waited {:.2} ms, less than its {} ms",
            end - start,
            pt.duration_ms()
        );
        assert!(
            end >= predicted_end - CLOCK_SLACK_MS,
            "task {i} ended at {end:.2} ms, before the predicted {predicted_end} ms"
        );
    }
    let total = m.total_ms.unwrap();
    assert!(total >= p.total_ms - CLOCK_SLACK_MS);
}

#[wasm_bindgen_test]
async fn gathered_ten_50ms_tasks_overlap() {
    let d = [50u32; 10];
    let m = run_to_end(&d, RunMode::Gather, 2_000).await;
    let total = m.total_ms.unwrap();
    assert!(total >= 50.0 - CLOCK_SLACK_MS, "gather took {total:.1} ms");
    assert!(
        total < 500.0,
        "gather took {total:.1} ms: tasks did not overlap"
    );
    for t in &m.tasks {
        assert!(
            t.start_ms.unwrap() < 20.0,
            "all gathered tasks start at once"
        );
    }
    assert_never_early(&d, RunMode::Gather, &m);
}

#[wasm_bindgen_test]
async fn sequential_five_20ms_tasks_run_back_to_back() {
    let d = [20u32; 5];
    let m = run_to_end(&d, RunMode::Sequential, 2_000).await;
    let total = m.total_ms.unwrap();
    assert!(
        total >= 100.0 - CLOCK_SLACK_MS,
        "sequential took {total:.1} ms"
    );
    for w in m.tasks.windows(2) {
        assert!(w[1].start_ms.unwrap() >= w[0].end_ms.unwrap());
    }
    assert_never_early(&d, RunMode::Sequential, &m);
}

#[wasm_bindgen_test]
async fn gather_keeps_list_order_in_events_for_equal_durations() {
    let d = [30u32, 10, 20];
    let (_handle, log) = start(&d, RunMode::Gather, RunId(3));
    let mut waited = 0;
    while !finished(&log) && waited < 2_000 {
        TimeoutFuture::new(5).await;
        waited += 5;
    }
    assert!(finished(&log), "run did not finish");
    // The 10 ms task ends first, the 30 ms task last: in the events'
    // order, which holds even when a late timer wakes all three at once
    // (their times are then equal at the clock's 0.1 ms resolution).
    let order: Vec<usize> = log
        .borrow()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::TaskFinished { index, .. } => Some(index),
            _ => None,
        })
        .collect();
    assert_eq!(order, vec![1, 2, 0]);
    let mut m = Measurement::new(3);
    log.borrow().iter().for_each(|e| m.record(&e.kind));
    let ends: Vec<f64> = m.tasks.iter().map(|t| t.end_ms.unwrap()).collect();
    assert!(ends[1] <= ends[2] && ends[2] <= ends[0], "{ends:?}");
}

#[wasm_bindgen_test]
async fn dropping_the_handle_cancels_every_timer() {
    let (handle, log) = start(&[100u32; 5], RunMode::Gather, RunId(7));
    TimeoutFuture::new(20).await;
    let started = log
        .borrow()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::TaskStarted { .. }))
        .count();
    assert_eq!(started, 5);
    assert_eq!(pending_sleeps(), 5 + 1, "five tasks and the heartbeat");
    drop(handle);
    TimeoutFuture::new(0).await;
    assert_eq!(pending_sleeps(), 0, "every timer is cancelled");
    let before = log.borrow().len();
    TimeoutFuture::new(200).await;
    assert_eq!(log.borrow().len(), before, "no events after cancellation");
    assert!(!finished(&log));
}

#[wasm_bindgen_test]
async fn sleeps_never_end_early_and_share_one_timer_queue() {
    let start = async_playground::runtime::clock::now_ms();
    let (a, b, c) = futures::join!(sleep_ms(30), sleep_ms(10), sleep_ms(20));
    let _ = (a, b, c);
    let waited = async_playground::runtime::clock::now_ms() - start;
    assert!(waited >= 30.0, "waited {waited:.2} ms");
    assert!(waited < 300.0, "waited {waited:.2} ms");
    assert_eq!(pending_sleeps(), 0);
}

#[wasm_bindgen_test]
async fn a_blocking_call_delays_a_10ms_timer_by_its_duration() {
    let m = measure(
        vec![spec(200, Kind::Blocking), spec(10, Kind::Io)],
        RunMode::Gather,
        3_000,
    )
    .await;
    // The 10 ms task was due at ~10 ms but the loop was busy until ~200 ms.
    let io_end = m.tasks[1].end_ms.unwrap();
    assert!(io_end >= 200.0, "the 10 ms timer ended at {io_end:.1} ms");
    assert!(
        m.max_lag_ms() >= 150.0,
        "the heartbeat saw {:.1} ms of lag",
        m.max_lag_ms()
    );
}

#[wasm_bindgen_test]
async fn blocking_to_the_end_still_shows_as_loop_lag() {
    // Nothing but blocking work: the heartbeat never gets a turn before the
    // run ends, and its overdue beat is reported then.
    let m = measure(
        vec![spec(150, Kind::Blocking), spec(150, Kind::Blocking)],
        RunMode::Gather,
        3_000,
    )
    .await;
    assert!(
        m.max_lag_ms() >= 250.0,
        "the heartbeat saw {:.1} ms of lag",
        m.max_lag_ms()
    );
}

#[wasm_bindgen_test]
async fn an_offloaded_call_leaves_the_loop_free() {
    let m = measure(
        vec![
            spec(200, Kind::Offloaded { cpu: false }),
            spec(10, Kind::Io),
        ],
        RunMode::Gather,
        3_000,
    )
    .await;
    let io_end = m.tasks[1].end_ms.unwrap();
    assert!(io_end < 100.0, "the 10 ms timer ended at {io_end:.1} ms");
    assert!(m.max_lag_ms() < 100.0, "lag {:.1} ms", m.max_lag_ms());
    assert!(m.tasks[0].end_ms.unwrap() >= 200.0);
}

#[wasm_bindgen_test]
async fn outcomes_match_the_model_in_a_task_group_with_a_timeout() {
    let slow = timed(
        Kind::Io,
        Durations {
            timeout_ms: Some(50),
            ..Durations::of(300)
        },
    );
    let tasks = vec![spec(100, Kind::Io), slow, spec(200, Kind::Io)];
    let predicted = async_playground::domain::model::simulate(
        &tasks,
        RunMode::TaskGroup,
        RunOptions::default(),
    );
    let m = measure(tasks, RunMode::TaskGroup, 3_000).await;
    let outcomes: Vec<Option<Outcome>> = m.tasks.iter().map(|t| t.outcome).collect();
    let expected: Vec<Option<Outcome>> = predicted.tasks.iter().map(|t| Some(t.outcome)).collect();
    assert_eq!(outcomes, expected);
    assert_eq!(
        expected,
        vec![
            Some(Outcome::Cancelled),
            Some(Outcome::TimedOut),
            Some(Outcome::Cancelled)
        ]
    );
    assert_eq!(m.caller.map(|c| c.1), Some(true), "the group raised");
}

#[wasm_bindgen_test]
async fn stop_during_any_mode_cancels_every_timer_and_job() {
    for mode in RunMode::ALL {
        let tasks = vec![
            spec(300, Kind::Io),
            spec(300, Kind::Offloaded { cpu: true }),
            timed(
                Kind::Stream { items: 3 },
                Durations {
                    body_ms: 10,
                    ..Durations::of(100)
                },
            ),
        ];
        let (handle, log) = start_specs(tasks, mode, RunId(9));
        TimeoutFuture::new(30).await;
        drop(handle);
        TimeoutFuture::new(0).await;
        assert_eq!(pending_sleeps(), 0, "{mode:?}: every timer is cancelled");
        let before = log.borrow().len();
        TimeoutFuture::new(400).await;
        assert_eq!(log.borrow().len(), before, "{mode:?}: nothing after Stop");
    }
}

#[wasm_bindgen_test]
async fn every_mode_follows_the_model_s_caller_policy() {
    // 50 ms apart: a late timer does not change which task ends first.
    let tasks = vec![spec(150, Kind::Io), spec(50, fails()), spec(100, Kind::Io)];
    let variants = [
        RunOptions::default(),
        RunOptions {
            return_exceptions: true,
            cancel_pending: true,
            limit: 2,
            ..RunOptions::default()
        },
    ];
    for options in variants {
        for mode in RunMode::ALL {
            let predicted = async_playground::domain::model::simulate(&tasks, mode, options);
            let m = measure_with(tasks.clone(), mode, options, 3_000).await;
            let outcomes: Vec<Option<Outcome>> = m.tasks.iter().map(|t| t.outcome).collect();
            let expected: Vec<Option<Outcome>> = predicted
                .tasks
                .iter()
                .map(|t| Some(t.outcome).filter(|&o| o != Outcome::NotRun))
                .collect();
            let case = format!("{mode:?} {options:?}");
            assert_eq!(outcomes, expected, "{case}");
            assert_eq!(m.result_order, predicted.result_order, "{case}");
            let (caller_ms, raised) = m.caller.expect("the caller resumed");
            assert_eq!(raised, predicted.caller_raised, "{case}");
            assert!(
                caller_ms >= predicted.caller_ms - CLOCK_SLACK_MS,
                "{case}: resumed at {caller_ms:.1} ms, before the predicted {}",
                predicted.caller_ms
            );
        }
    }
}

fn started_tasks(log: &Log) -> Vec<usize> {
    log.borrow()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::TaskStarted { index, .. } => Some(index),
            _ => None,
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_stopped_run_starts_no_further_blocking_call() {
    // Stop while an I/O task waits: the blocking call after it never runs,
    // so the loop stays free.
    let tasks = vec![spec(30, Kind::Io), spec(300, Kind::Blocking)];
    let (handle, log) = start_specs(tasks, RunMode::Sequential, RunId(11));
    TimeoutFuture::new(10).await;
    drop(handle);
    let before = async_playground::runtime::clock::now_ms();
    TimeoutFuture::new(100).await;
    let waited = async_playground::runtime::clock::now_ms() - before;
    assert!(waited < 250.0, "a 100 ms timer took {waited:.1} ms");
    assert_eq!(started_tasks(&log), vec![0]);
}

#[wasm_bindgen_test]
async fn a_run_stopped_between_two_blocking_calls_does_not_start_the_second() {
    // Back-to-back blocking calls run in one turn of the loop, so nothing
    // from outside can stop them in between; a stop asked for as the first
    // ends (here by the run's own event) still keeps the next from starting.
    let holder: Rc<RefCell<Option<RunHandle>>> = Rc::default();
    let log: Log = Rc::default();
    let (stopper, sink) = (holder.clone(), log.clone());
    let tasks = vec![spec(100, Kind::Blocking); 3];
    let handle = spawn_run(
        Rc::new(Scenario::new(tasks, 1.0, RunOptions::default())),
        RunSetup {
            mode: RunMode::Sequential,
            run: RunId(12),
            emit: Rc::new(move |e: TraceEvent| {
                sink.borrow_mut().push(e);
                if matches!(e.kind, EventKind::TaskFinished { index: 0, .. }) {
                    if let Some(handle) = stopper.borrow().as_ref() {
                        handle.abort();
                    }
                }
            }),
            backend: Rc::new(TimerBackend),
        },
    );
    *holder.borrow_mut() = Some(handle);
    let before = async_playground::runtime::clock::now_ms();
    TimeoutFuture::new(0).await;
    let blocked = async_playground::runtime::clock::now_ms() - before;
    assert!(blocked >= 100.0, "the first call blocked {blocked:.1} ms");
    assert!(
        blocked < 200.0,
        "blocked {blocked:.1} ms: a call started after the stop"
    );
    assert_eq!(started_tasks(&log), vec![0]);
    let events = log.borrow().len();
    TimeoutFuture::new(50).await;
    assert_eq!(log.borrow().len(), events, "nothing after the stop");
    assert_eq!(pending_sleeps(), 0);
}
