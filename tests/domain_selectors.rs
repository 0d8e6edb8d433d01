//! Native tests: the selectors, what the view shows that is worked out from
//! the state (the latest run, its sequential baseline, speedups, the
//! threads to start, the insights' subject and the page-condition notes).

#![cfg(not(target_arch = "wasm32"))]

mod runs;

use async_playground::domain::analysis::compare::compare_rows;
use async_playground::domain::layout::timeline::axis_span_ms;
use async_playground::domain::model::Outcome;
use async_playground::domain::run::env::RunEnv;
use async_playground::domain::run::events::EventKind;
use async_playground::domain::run::{Run, RunStatus};
use async_playground::domain::scenario::{RunMode, TaskId, TaskKind};
use async_playground::domain::state::selectors::{
    env_notes, headline, insight_subject, latest_finished, ranking, run_progress,
    sequential_baseline, speedup_vs_sequential, threads_needed, timeline_axis_ms,
};
use async_playground::domain::state::{Action, AppState, RunRequest};
use runs::{ev, finish_running_run};

/// Runs `request` to the end, each run `late_ms` late.
fn run_all(state: &mut AppState, request: RunRequest, late_ms: f64) {
    state.apply(Action::Run(request));
    while state.is_running() {
        finish_running_run(state, late_ms);
    }
}

/// A tab hidden this long makes a note (100 ms is the threshold).
fn hidden(ms: f64) -> RunEnv {
    RunEnv::assess(ms, false, true, 0.0, 0.0)
}

#[test]
fn nothing_is_selected_before_anything_ran() {
    let state = AppState::default();
    assert!(latest_finished(&state).is_none());
    assert!(insight_subject(&state).is_none());
    assert_eq!(headline(&state), None);
    assert_eq!(run_progress(&state), None);
    assert!(env_notes(&state, None).is_empty());
    assert_eq!(timeline_axis_ms(&state), axis_span_ms(0.0));
}

#[test]
fn the_latest_finished_run_is_the_newest_one_that_finished() {
    let mut state = AppState::default();
    run_all(&mut state, RunRequest::Compare(RunMode::Gather), 1.0);
    assert_eq!(latest_finished(&state).unwrap().mode, RunMode::Gather);
    // A run going on, or stopped, is not "finished".
    state.apply(Action::Run(RunRequest::Only(RunMode::TaskGroup)));
    assert_eq!(latest_finished(&state).unwrap().mode, RunMode::Gather);
    state.apply(Action::Stop);
    assert_eq!(latest_finished(&state).unwrap().mode, RunMode::Gather);
    run_all(&mut state, RunRequest::Only(RunMode::Sequential), 1.0);
    assert_eq!(latest_finished(&state).unwrap().mode, RunMode::Sequential);
}

#[test]
fn the_baseline_is_a_finished_sequential_run_of_the_same_scenario_never_the_run_itself() {
    let mut state = AppState::default();
    run_all(&mut state, RunRequest::Compare(RunMode::Gather), 1.0);
    let seq = state.run_of(RunMode::Sequential).unwrap();
    let gathered = state.run_of(RunMode::Gather).unwrap();
    assert_eq!(sequential_baseline(&state, gathered).unwrap().id, seq.id);
    assert!(sequential_baseline(&state, seq).is_none(), "not its own");

    // Edited since: the sequential run is of another scenario.
    state.apply(Action::SetDuration(TaskId(1), "100".into()));
    run_all(&mut state, RunRequest::Only(RunMode::Gather), 1.0);
    let gathered = state.run_of(RunMode::Gather).unwrap();
    assert!(sequential_baseline(&state, gathered).is_none());
    assert_eq!(speedup_vs_sequential(&state, RunMode::Gather), None);

    // A stopped sequential run has no wall time to compare.
    state.apply(Action::Run(RunRequest::Only(RunMode::Sequential)));
    state.apply(Action::Stop);
    let gathered = state.run_of(RunMode::Gather).unwrap();
    assert!(sequential_baseline(&state, gathered).is_none());
}

#[test]
fn speedups_follow_the_comparison_tables_rule() {
    let mut state = AppState::default();
    run_all(&mut state, RunRequest::CompareAll, 2.0);
    // Default: 400+250+600+300+500 = 2050 sequential, 600 gathered.
    let (measured, predicted) = speedup_vs_sequential(&state, RunMode::Gather).unwrap();
    assert_eq!(predicted, 2050.0 / 600.0);
    assert!((measured - 2052.0 / 602.0).abs() < 1e-9);
    assert_eq!(speedup_vs_sequential(&state, RunMode::Sequential), None);

    // The results and the comparison table agree for every mode.
    let shown: Vec<&Run> = RunMode::ALL
        .iter()
        .filter_map(|&m| state.run_of(m))
        .collect();
    for (run, row) in shown.iter().zip(compare_rows(&shown)) {
        let ours = speedup_vs_sequential(&state, run.mode).map(|(m, _)| m);
        match run.mode {
            RunMode::Sequential => assert_eq!(row.speedup_vs_sequential, Some(1.0)),
            _ => assert_eq!(ours, row.speedup_vs_sequential, "{:?}", run.mode),
        }
    }
}

#[test]
fn the_headline_is_the_newest_run_that_has_a_baseline() {
    let mut state = AppState::default();
    run_all(&mut state, RunRequest::Only(RunMode::Sequential), 0.0);
    assert_eq!(headline(&state), None, "sequential alone compares nothing");
    run_all(&mut state, RunRequest::Only(RunMode::Gather), 0.0);
    run_all(&mut state, RunRequest::Only(RunMode::TaskGroup), 0.0);
    let (mode, measured, predicted) = headline(&state).unwrap();
    assert_eq!(mode, RunMode::TaskGroup);
    assert_eq!(measured, predicted);
    // The newest has no baseline: no headline, not an older run's.
    state.apply(Action::SetDuration(TaskId(1), "100".into()));
    run_all(&mut state, RunRequest::Only(RunMode::Gather), 0.0);
    assert_eq!(headline(&state), None);
}

#[test]
fn threads_are_needed_only_for_a_valid_scenario_with_a_task_in_a_thread() {
    let mut state = AppState::default();
    assert_eq!(threads_needed(&state), 0);
    state.apply(Action::SetKind(TaskId(2), TaskKind::OffloadedCpu));
    state.apply(Action::SetPoolSize("5".into()));
    assert_eq!(threads_needed(&state), 5);
    state.apply(Action::SetKind(TaskId(2), TaskKind::OffloadedWait));
    assert_eq!(threads_needed(&state), 5);
    state.apply(Action::SetDuration(TaskId(1), "soon".into()));
    assert_eq!(
        threads_needed(&state),
        0,
        "an invalid scenario runs nothing"
    );
}

#[test]
fn the_timeline_axis_covers_every_run_shown() {
    let mut state = AppState::default();
    run_all(&mut state, RunRequest::Compare(RunMode::Gather), 30.0);
    let axis = timeline_axis_ms(&state);
    assert_eq!(axis, axis_span_ms(2080.0), "the sequential run is longest");
    assert!(axis >= 2080.0);
}

#[test]
fn progress_counts_the_running_runs_finished_tasks() {
    let mut state = AppState::default();
    state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
    let id = state.running().unwrap().id;
    assert_eq!(run_progress(&state), Some((RunMode::Gather, 0, 5)));
    state.apply(Action::RunProgress {
        events: vec![
            ev(
                id,
                EventKind::TaskFinished {
                    index: 1,
                    at_ms: 250.0,
                    outcome: Outcome::Ok,
                },
            ),
            ev(
                id,
                EventKind::TaskFinished {
                    index: 3,
                    at_ms: 300.0,
                    outcome: Outcome::Ok,
                },
            ),
        ],
        now_ms: Some(310.0),
    });
    assert_eq!(run_progress(&state), Some((RunMode::Gather, 2, 5)));
    state.apply(Action::Stop);
    assert_eq!(run_progress(&state), None);
}

#[test]
fn the_insights_subject_is_the_latest_run_with_its_baseline_and_notable_conditions() {
    let mut state = AppState::default();
    run_all(&mut state, RunRequest::Only(RunMode::Gather), 1.0);
    let alone = insight_subject(&state).unwrap();
    assert_eq!(alone.run.mode, RunMode::Gather);
    assert!(alone.sequential.is_none());
    assert!(alone.context().sequential.is_none());
    let alone_key = alone.key();

    run_all(&mut state, RunRequest::Compare(RunMode::Gather), 1.0);
    let subject = insight_subject(&state).unwrap();
    let seq = state.run_of(RunMode::Sequential).unwrap();
    assert_eq!(subject.sequential.map(|s| s.id), Some(seq.id));
    assert_ne!(subject.key(), alone_key, "a new run, a new baseline");
    let ctx = subject.context();
    assert_eq!(ctx.sequential.unwrap().mode, RunMode::Sequential);
    assert_eq!(
        (ctx.hidden_ms, ctx.throttled, ctx.env_note.is_none()),
        (0.0, false, true)
    );

    // A moment off-screen is not worth a note, and not recorded.
    let run = subject.run.id;
    state.apply(Action::RunEnv(run, hidden(30.0)));
    assert!(insight_subject(&state)
        .unwrap()
        .context()
        .env_note
        .is_none());
    // A long one is, and changes the key.
    let before = insight_subject(&state).unwrap().key();
    state.apply(Action::RunEnv(run, hidden(1500.0)));
    let subject = insight_subject(&state).unwrap();
    assert_ne!(subject.key(), before);
    let ctx = subject.context();
    assert_eq!(ctx.hidden_ms, 1500.0);
    assert!(ctx.env_note.unwrap().contains("hidden tab"));
}

#[test]
fn env_notes_cover_the_runs_shown_except_the_one_the_insights_speak_for() {
    let mut state = AppState::default();
    run_all(&mut state, RunRequest::Compare(RunMode::Gather), 1.0);
    let seq = state.run_of(RunMode::Sequential).unwrap().id;
    let gathered = state.run_of(RunMode::Gather).unwrap().id;
    state.apply(Action::RunEnv(seq, hidden(800.0)));
    state.apply(Action::RunEnv(gathered, hidden(900.0)));
    let all = env_notes(&state, None);
    assert_eq!(
        all.iter().map(|n| n.mode_label).collect::<Vec<_>>(),
        [RunMode::Sequential.label(), RunMode::Gather.label()],
        "in mode order"
    );
    let covered = insight_subject(&state).map(|s| s.run.id);
    assert_eq!(covered, Some(gathered));
    let rest = env_notes(&state, covered);
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].mode_label, RunMode::Sequential.label());
    assert!(rest[0].text.contains("800 ms"));
    assert_eq!(
        state.run_of(RunMode::Sequential).unwrap().status,
        RunStatus::Finished
    );
}

#[test]
fn compare_all_heads_with_the_fastest_mode_and_ranks_them_all() {
    let mut state = AppState::default();
    run_all(&mut state, RunRequest::CompareAll, 2.0);
    let (mode, measured, _) = headline(&state).unwrap();
    let ranked = ranking(&state, headline(&state).map(|h| h.0));
    assert_eq!(ranked.len(), RunMode::ALL.len(), "{ranked:?}");
    assert!(ranked.windows(2).all(|w| w[0].1 <= w[1].1), "fastest first");
    // The headline is the fastest non-sequential mode, not the last to run.
    let fastest = ranked
        .iter()
        .find(|(m, _)| *m != RunMode::Sequential)
        .unwrap();
    assert_eq!(
        speedup_vs_sequential(&state, fastest.0).unwrap().0,
        measured,
        "{mode:?}"
    );
    assert_eq!(ranked.last().unwrap().0, RunMode::Sequential);
}

#[test]
fn one_comparison_has_no_ranking_and_heads_with_its_mode() {
    let mut state = AppState::default();
    run_all(&mut state, RunRequest::Compare(RunMode::TaskGroup), 1.0);
    assert_eq!(headline(&state).unwrap().0, RunMode::TaskGroup);
    assert!(ranking(&state, headline(&state).map(|h| h.0)).is_empty());
}

#[test]
fn a_speedup_reads_as_faster_as_fast_or_slower_never_one_point_zero_times_faster() {
    use async_playground::domain::run::stats::versus;
    assert_eq!(versus(10.0), ("10×".to_string(), "faster than"));
    assert_eq!(versus(3.42), ("3.4×".to_string(), "faster than"));
    assert_eq!(versus(1.02), ("as fast as".to_string(), ""));
    assert_eq!(versus(0.98), ("as fast as".to_string(), ""));
    assert_eq!(versus(0.5), ("2.0×".to_string(), "slower than"));
    assert_eq!(versus(f64::NAN).1, "");
    assert_eq!(versus(0.0).1, "");
}

#[test]
fn of_modes_that_tie_the_ranking_puts_the_headlines_first() {
    let mut state = AppState::default();
    // Every run exactly as predicted: the concurrent modes tie.
    run_all(&mut state, RunRequest::CompareAll, 0.0);
    let (mode, _, _) = headline(&state).unwrap();
    assert_eq!(ranking(&state, headline(&state).map(|h| h.0))[0].0, mode);
}

#[test]
fn sort_short_orders_and_keeps_equals_in_place() {
    use async_playground::domain::state::selectors::sort_short;
    let mut list = vec![(3, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (3, 'e'), (0, 'f')];
    sort_short(&mut list, |a, b| a.0 < b.0);
    assert_eq!(
        list,
        vec![(0, 'f'), (1, 'b'), (1, 'd'), (2, 'c'), (3, 'a'), (3, 'e')]
    );
    let mut empty: Vec<u8> = Vec::new();
    sort_short(&mut empty, |a, b| a < b);
    assert!(empty.is_empty());
}
