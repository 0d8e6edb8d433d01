//! Native tests: the event-loop model's predictions for sequential and gather.

#![cfg(not(target_arch = "wasm32"))]

use async_playground::domain::scenario::RunMode;
use async_playground::domain::simulate::predict_durations;
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
