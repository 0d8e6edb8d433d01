//! Native tests: the comparison table, its bars and the shared time axis.

#![cfg(not(target_arch = "wasm32"))]

use async_playground::domain::analysis::compare::{bar_chart, common_axis_ms, compare_rows};
use async_playground::domain::model::{predict, Outcome, Prediction};
use async_playground::domain::run::events::RunId;
use async_playground::domain::run::measurement::Measurement;
use async_playground::domain::run::stats::percentile;
use async_playground::domain::run::{Run, RunStatus};
use async_playground::domain::scenario::{RunMode, RunOptions, Scenario, TaskDraft, TaskId};

fn io(ms: &[u32]) -> Scenario {
    let drafts: Vec<TaskDraft> = ms
        .iter()
        .enumerate()
        .map(|(i, d)| TaskDraft::io(TaskId(i as u32 + 1), &format!("t{i}"), &d.to_string()))
        .collect();
    async_playground::domain::scenario::validate(&drafts, "1", RunOptions::default()).unwrap()
}

/// A finished run of `s` in `mode`.
fn run(mode: RunMode, s: &Scenario, p: &Prediction, m: &Measurement) -> Run {
    Run::finished(mode, s.clone(), p.clone(), m.clone())
}

/// The prediction, each task ending `late_ms[i]` later, the run `tail_ms`
/// after the last.
fn measured(p: &Prediction, late_ms: &[f64]) -> Measurement {
    let mut m = Measurement::new(p.tasks.len());
    for ((mt, pt), late) in m.tasks.iter_mut().zip(&p.tasks).zip(late_ms) {
        mt.start_ms = pt.start_ms;
        mt.end_ms = pt.end_ms.map(|e| e + late);
        mt.outcome = Some(pt.outcome);
    }
    let end = m.tasks.iter().filter_map(|t| t.end_ms).fold(0.0, f64::max);
    m.total_ms = Some(end);
    m.last_event_ms = end;
    m
}

#[test]
fn rows_hold_wall_overhead_speedup_and_lateness() {
    let s = io(&[100, 200, 300, 400]);
    let (sp, gp) = (
        predict(&s, RunMode::Sequential),
        predict(&s, RunMode::Gather),
    );
    let sm = measured(&sp, &[1.0, 1.0, 1.0, 10.0]); // 1010 ms
    let gm = measured(&gp, &[1.0, 2.0, 3.0, 1.0]); // 401 ms
    let mut seq = run(RunMode::Sequential, &s, &sp, &sm);
    seq.id = RunId(1);
    let mut gat = run(RunMode::Gather, &s, &gp, &gm);
    gat.id = RunId(2);
    let rows = compare_rows(&[&seq, &gat]);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].label, "Sequential #1");
    assert_eq!(rows[0].speedup_vs_sequential, Some(1.0));
    assert_eq!(rows[1].label, "Gathered #2");
    assert_eq!(rows[1].wall_ms, Some(401.0));
    assert_eq!(rows[1].predicted_ms, 400.0);
    assert_eq!(rows[1].overhead_ms, Some(1.0));
    let speedup = rows[1].speedup_vs_sequential.unwrap();
    assert!((speedup - 1010.0 / 401.0).abs() < 1e-9);
    assert_eq!(rows[1].lateness_p50_ms, Some(1.5));
    assert!((rows[1].lateness_p95_ms.unwrap() - 2.85).abs() < 1e-9);
    assert_eq!(rows[1].task_count, 4);
    assert_eq!(rows[1].outcome_summary, "4 ok");
}

#[test]
fn no_speedup_against_another_scenario_or_an_unfinished_run() {
    let a = io(&[100, 200]);
    let b = io(&[100, 300]);
    let (sp, gp) = (
        predict(&b, RunMode::Sequential),
        predict(&a, RunMode::Gather),
    );
    let (sm, gm) = (measured(&sp, &[0.0; 2]), measured(&gp, &[0.0; 2]));
    let rows = compare_rows(&[
        &run(RunMode::Sequential, &b, &sp, &sm),
        &run(RunMode::Gather, &a, &gp, &gm),
    ]);
    assert_eq!(rows[1].speedup_vs_sequential, None);

    let sp = predict(&a, RunMode::Sequential);
    let sm = measured(&sp, &[0.0; 2]);
    let mut running = run(RunMode::Gather, &a, &gp, &gm);
    running.status = RunStatus::Running;
    let rows = compare_rows(&[&run(RunMode::Sequential, &a, &sp, &sm), &running]);
    assert_eq!(rows[1].wall_ms, None);
    assert_eq!(rows[1].overhead_ms, None);
    assert_eq!(rows[1].speedup_vs_sequential, None);
}

#[test]
fn outcome_summary_counts_each_outcome_and_open_tasks() {
    let s = io(&[100, 100, 100, 100, 100, 100]);
    let p = predict(&s, RunMode::TaskGroup);
    let mut m = measured(&p, &[0.0; 6]);
    m.tasks[1].outcome = Some(Outcome::Failed);
    for t in &mut m.tasks[2..] {
        t.outcome = Some(Outcome::Cancelled);
    }
    let rows = compare_rows(&[&run(RunMode::TaskGroup, &s, &p, &m)]);
    assert_eq!(rows[0].outcome_summary, "1 ok, 1 failed, 4 cancelled");

    let mut m = Measurement::new(6);
    m.tasks[0].outcome = Some(Outcome::Ok);
    let mut stopped = run(RunMode::TaskGroup, &s, &p, &m);
    stopped.status = RunStatus::Stopped;
    let rows = compare_rows(&[&stopped]);
    assert_eq!(rows[0].outcome_summary, "1 ok, 5 unfinished");
    assert_eq!(rows[0].lateness_p50_ms, None);
}

#[test]
fn bars_share_one_scale() {
    let s = io(&[100, 200, 300, 400]);
    let (sp, gp) = (
        predict(&s, RunMode::Sequential),
        predict(&s, RunMode::Gather),
    );
    let sm = measured(&sp, &[0.0, 0.0, 0.0, 0.0]);
    let gm = measured(&gp, &[0.0, 0.0, 0.0, 100.0]);
    let rows = compare_rows(&[
        &run(RunMode::Sequential, &s, &sp, &sm),
        &run(RunMode::Gather, &s, &gp, &gm),
    ]);
    let bars = bar_chart(&rows);
    assert_eq!(bars[0].measured, Some(1.0));
    assert_eq!(bars[0].predicted, 1.0);
    assert_eq!(bars[1].measured, Some(0.5));
    assert_eq!(bars[1].predicted, 0.4);
    assert!(bar_chart(&[]).is_empty());
}

#[test]
fn common_axis_covers_the_longest_run() {
    let s = io(&[100, 200, 300, 400]);
    let (sp, gp) = (
        predict(&s, RunMode::Sequential),
        predict(&s, RunMode::Gather),
    );
    let (sm, gm) = (measured(&sp, &[0.0; 4]), measured(&gp, &[0.0; 4]));
    let runs = [
        run(RunMode::Gather, &s, &gp, &gm),
        run(RunMode::Sequential, &s, &sp, &sm),
    ];
    let axis = common_axis_ms([&runs[0], &runs[1]]);
    assert!((1000.0..1200.0).contains(&axis), "{axis}");
    assert_eq!(common_axis_ms([]), 1.0);
}

#[test]
fn percentile_interpolates_and_ignores_non_finite() {
    assert_eq!(percentile(&[], 50.0), None);
    assert_eq!(percentile(&[f64::NAN], 50.0), None);
    assert_eq!(percentile(&[3.0, 1.0, 2.0], 50.0), Some(2.0));
    assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 50.0), Some(2.5));
    assert_eq!(percentile(&[1.0, 2.0, f64::INFINITY], 100.0), Some(2.0));
    assert_eq!(percentile(&[5.0], 95.0), Some(5.0));
}
