//! Native tests: the event-loop model's predictions for sequential and gather.

#![cfg(not(target_arch = "wasm32"))]

use async_playground::domain::model::predict_durations;
use async_playground::domain::scenario::RunMode;
use proptest::prelude::*;

#[test]
fn sequential_runs_back_to_back() {
    let p = predict_durations(&[100, 50, 200], RunMode::Sequential);
    let starts: Vec<f64> = p.tasks.iter().map(|t| t.start_ms.unwrap()).collect();
    let ends: Vec<f64> = p.tasks.iter().map(|t| t.end_ms.unwrap()).collect();
    assert_eq!(starts, vec![0.0, 100.0, 150.0]);
    assert_eq!(ends, vec![100.0, 150.0, 350.0]);
    assert_eq!(p.total_ms, 350.0);
}

#[test]
fn gather_starts_all_at_once_and_ends_with_the_slowest() {
    let p = predict_durations(&[100, 50, 200], RunMode::Gather);
    assert!(p.tasks.iter().all(|t| t.start_ms == Some(0.0)));
    let ends: Vec<f64> = p.tasks.iter().map(|t| t.end_ms.unwrap()).collect();
    assert_eq!(ends, vec![100.0, 50.0, 200.0], "list order is kept");
    assert_eq!(p.total_ms, 200.0);
}

#[test]
fn empty_run_takes_no_time() {
    assert_eq!(predict_durations(&[], RunMode::Gather).total_ms, 0.0);
    assert_eq!(predict_durations(&[], RunMode::Sequential).total_ms, 0.0);
}

#[test]
fn ten_equal_io_tasks_gather_ten_times_faster() {
    let d = [1000u32; 10];
    let seq = predict_durations(&d, RunMode::Sequential).total_ms;
    let gat = predict_durations(&d, RunMode::Gather).total_ms;
    assert_eq!(seq / gat, 10.0);
}

proptest! {
    #[test]
    fn sequential_total_is_the_sum(d in proptest::collection::vec(0u32..60_000, 0..200)) {
        let p = predict_durations(&d, RunMode::Sequential);
        let sum: f64 = d.iter().map(|&x| f64::from(x)).sum();
        prop_assert_eq!(p.total_ms, sum);
        // Each task starts exactly when the previous one ends.
        for w in p.tasks.windows(2) {
            prop_assert_eq!(w[0].end_ms, w[1].start_ms);
        }
    }

    #[test]
    fn gather_total_is_the_max(d in proptest::collection::vec(0u32..60_000, 0..200)) {
        let p = predict_durations(&d, RunMode::Gather);
        let max = d.iter().copied().max().map(f64::from).unwrap_or(0.0);
        prop_assert_eq!(p.total_ms, max);
        for (t, &ms) in p.tasks.iter().zip(&d) {
            prop_assert_eq!(t.duration_ms(), f64::from(ms));
        }
    }

    #[test]
    fn gather_is_never_slower_than_sequential(d in proptest::collection::vec(0u32..60_000, 0..100)) {
        let seq = predict_durations(&d, RunMode::Sequential).total_ms;
        let gat = predict_durations(&d, RunMode::Gather).total_ms;
        prop_assert!(gat <= seq);
    }
}

mod modes {
    use async_playground::domain::model::{simulate, Outcome};
    use async_playground::domain::scenario::{Durations, Kind, RunMode, RunOptions, Task, TaskId};

    fn t(ms: u32, kind: Kind) -> Task {
        Task::new(TaskId(0), "", kind, Durations::of(ms))
    }
    fn io(ms: u32) -> Task {
        t(ms, Kind::Io)
    }
    fn fail(ms: u32) -> Task {
        let message = "boom".to_string();
        t(ms, Kind::Fail { message })
    }
    fn ends(p: &async_playground::domain::model::Prediction) -> Vec<Option<f64>> {
        p.tasks.iter().map(|t| t.end_ms).collect()
    }
    fn outcomes(p: &async_playground::domain::model::Prediction) -> Vec<Outcome> {
        p.tasks.iter().map(|t| t.outcome).collect()
    }
    fn opts() -> RunOptions {
        RunOptions::default()
    }

    #[test]
    fn a_blocking_call_holds_up_every_other_task() {
        let p = simulate(&[t(300, Kind::Blocking), io(100)], RunMode::Gather, opts());
        // The I/O task only starts once the loop is free again.
        assert_eq!(p.tasks[1].start_ms, Some(300.0));
        assert_eq!(ends(&p), vec![Some(300.0), Some(400.0)]);
    }

    #[test]
    fn gather_without_return_exceptions_raises_at_the_first_failure_and_siblings_go_on() {
        let p = simulate(&[io(300), fail(100), io(200)], RunMode::Gather, opts());
        assert_eq!((p.caller_ms, p.caller_raised), (100.0, true));
        assert_eq!(
            outcomes(&p),
            vec![Outcome::Ok, Outcome::Failed, Outcome::Ok]
        );
        assert_eq!(p.total_ms, 300.0);
        let caught = simulate(
            &[io(300), fail(100), io(200)],
            RunMode::Gather,
            RunOptions {
                return_exceptions: true,
                ..opts()
            },
        );
        assert_eq!((caught.caller_ms, caught.caller_raised), (300.0, false));
        assert_eq!(caught.result_order, vec![0, 1, 2]);
    }

    #[test]
    fn a_task_group_cancels_the_rest_at_the_first_failure() {
        let p = simulate(&[io(300), fail(100), io(50)], RunMode::TaskGroup, opts());
        assert_eq!(
            outcomes(&p),
            vec![Outcome::Cancelled, Outcome::Failed, Outcome::Ok]
        );
        assert_eq!(ends(&p), vec![Some(100.0), Some(100.0), Some(50.0)]);
        assert_eq!((p.caller_ms, p.caller_raised), (100.0, true));
    }

    #[test]
    fn sequential_stops_at_an_uncaught_failure() {
        let p = simulate(&[io(100), fail(50), io(100)], RunMode::Sequential, opts());
        assert_eq!(
            outcomes(&p),
            vec![Outcome::Ok, Outcome::Failed, Outcome::NotRun]
        );
        assert_eq!(p.tasks[2].start_ms, None);
        assert_eq!((p.caller_ms, p.caller_raised), (150.0, true));
    }

    #[test]
    fn semaphore_and_thread_pool_queue_in_arrival_order() {
        // The tutorial: ThreadPoolExecutor(max_workers=3), 5 tasks of 2 s.
        let tasks = vec![t(2000, Kind::Offloaded { cpu: false }); 5];
        let p = simulate(
            &tasks,
            RunMode::Gather,
            RunOptions {
                pool_size: 3,
                ..opts()
            },
        );
        assert_eq!(
            ends(&p),
            vec![
                Some(2000.0),
                Some(2000.0),
                Some(2000.0),
                Some(4000.0),
                Some(4000.0)
            ]
        );
        let bounded = simulate(
            &[io(100), io(100), io(100)],
            RunMode::Bounded,
            RunOptions { limit: 2, ..opts() },
        );
        assert_eq!(bounded.tasks[2].start_ms, Some(100.0));
        assert_eq!(bounded.total_ms, 200.0);
    }

    #[test]
    fn the_gil_makes_cpu_bound_threads_take_turns_but_not_waits() {
        let cpu = vec![t(100, Kind::Offloaded { cpu: true }); 2];
        let with_gil = simulate(&cpu, RunMode::Gather, opts());
        assert_eq!(with_gil.total_ms, 200.0);
        let without = simulate(
            &cpu,
            RunMode::Gather,
            RunOptions {
                gil: false,
                ..opts()
            },
        );
        assert_eq!(without.total_ms, 100.0);
        let waits = vec![t(100, Kind::Offloaded { cpu: false }); 2];
        assert_eq!(simulate(&waits, RunMode::Gather, opts()).total_ms, 100.0);
    }

    #[test]
    fn wait_for_times_out_and_as_completed_hands_over_in_completion_order() {
        let written = Durations {
            timeout_ms: Some(100),
            ..Durations::of(300)
        };
        let slow = Task::new(TaskId(0), "", Kind::Io, written);
        let p = simulate(&[slow, io(50)], RunMode::Gather, opts());
        assert_eq!(p.tasks[0].outcome, Outcome::TimedOut);
        assert_eq!(p.tasks[0].end_ms, Some(100.0));
        assert_eq!((p.caller_ms, p.caller_raised), (100.0, true));
        let ac = simulate(&[io(300), io(100), io(200)], RunMode::AsCompleted, opts());
        assert_eq!(ac.result_order, vec![1, 2, 0]);
    }

    #[test]
    fn wait_first_completed_returns_at_the_first_and_can_cancel_the_rest() {
        let tasks = [io(300), io(100), io(200)];
        let keep = simulate(&tasks, RunMode::WaitFirst, opts());
        assert_eq!(keep.caller_ms, 100.0);
        assert_eq!(keep.total_ms, 300.0);
        let cancel = simulate(
            &tasks,
            RunMode::WaitFirst,
            RunOptions {
                cancel_pending: true,
                ..opts()
            },
        );
        assert_eq!(
            outcomes(&cancel),
            vec![Outcome::Cancelled, Outcome::Ok, Outcome::Cancelled]
        );
        assert_eq!(cancel.total_ms, 100.0);
    }

    #[test]
    fn a_stream_yields_items_every_interval_plus_the_body() {
        let p = simulate(
            &[Task::new(
                TaskId(0),
                "",
                Kind::Stream { items: 3 },
                Durations {
                    body_ms: 20,
                    ..Durations::of(100)
                },
            )],
            RunMode::Gather,
            opts(),
        );
        assert_eq!(p.tasks[0].items_ms, vec![100.0, 220.0, 340.0]);
        assert_eq!(p.tasks[0].end_ms, Some(360.0));
    }

    #[test]
    fn a_thread_call_of_no_work_ends_at_once() {
        // No work means no time passes: the call ends in the same instant,
        // without waiting for a clock that will not move.
        for gil in [true, false] {
            let p = simulate(
                &[
                    t(0, Kind::Offloaded { cpu: true }),
                    t(20, Kind::Offloaded { cpu: true }),
                    t(0, Kind::Offloaded { cpu: false }),
                ],
                RunMode::Gather,
                RunOptions {
                    pool_size: 1,
                    gil,
                    ..opts()
                },
            );
            assert_eq!(ends(&p), vec![Some(0.0), Some(20.0), Some(20.0)]);
        }
    }

    #[test]
    fn create_task_starts_tasks_at_creation() {
        let p = simulate(&[io(100), io(300)], RunMode::CreateTask, opts());
        assert_eq!(p.tasks[1].start_ms, Some(0.0));
        assert_eq!(p.caller_ms, 300.0);
        assert_eq!(p.result_order, vec![0, 1]);
    }
}

/// Predicts `json`'s scenario under every mode on another thread; `None`
/// if that takes longer than `limit` (a hang fails the test, not the suite).
fn predict_within(
    json: &str,
    limit: std::time::Duration,
) -> Option<Vec<async_playground::domain::model::Prediction>> {
    use async_playground::domain::formats::codec::from_json;
    use async_playground::domain::model::predict;
    let scenario = from_json(json).unwrap().validate().unwrap();
    let (done, result) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let all = RunMode::ALL
            .iter()
            .map(|&m| predict(&scenario, m))
            .collect();
        let _ = done.send(all);
    });
    result.recv_timeout(limit).ok()
}

#[test]
fn a_thread_job_with_no_work_ends_at_once() {
    use async_playground::domain::model::Outcome;
    // Once an endless loop: a 0 ms job never left the pool and its timer
    // fired again at the same instant forever (a frozen tab from a link).
    for kind in ["thread-wait", "thread-cpu"] {
        let json = format!(
            r#"{{"tasks":[{{"kind":"{kind}","ms":0}},{{"kind":"{kind}","ms":0,"timeout_ms":100}},{{"ms":10}}]}}"#
        );
        let all = predict_within(&json, std::time::Duration::from_secs(20))
            .unwrap_or_else(|| panic!("predicting {json} did not end"));
        for p in all {
            assert_eq!(p.tasks[0].end_ms, Some(0.0), "{:?} {kind}", p.mode);
            assert_eq!(p.tasks[0].outcome, Outcome::Ok);
        }
    }
}

#[test]
fn ten_thousand_thread_jobs_predict_in_linear_time() {
    // Predicting is linear in the jobs: the pool keeps at most one timer per
    // instant it is due, so a job that ends wakes no stale timers, and
    // 10,000 jobs predict in well under a second per mode.
    for kind in ["thread-cpu", "thread-wait"] {
        let json = format!(
            r#"{{"speed":100,"options":{{"pool_size":32}},"tasks":[{{"kind":"{kind}","ms":60000,"repeat":10000}}]}}"#
        );
        assert!(
            predict_within(&json, std::time::Duration::from_secs(15)).is_some(),
            "{kind}: seven predictions of 10,000 jobs took over 15 s"
        );
    }
}
