//! Native tests: each run mode's caller policy, step by step, as the
//! simulator and the runner both drive it, and what every mode promises
//! whatever order its tasks end in.

#![cfg(not(target_arch = "wasm32"))]

use async_playground::domain::model::Outcome;
use async_playground::domain::modes::{Caller, Failure, Step};
use async_playground::domain::scenario::{RunMode, RunOptions};
use proptest::prelude::*;
use Step::{CancelPending, Resume, Start, Take};

fn caller(mode: RunMode, n: usize, options: RunOptions) -> Caller {
    Caller::new(mode, n, &options)
}

fn catching() -> RunOptions {
    RunOptions {
        return_exceptions: true,
        ..RunOptions::default()
    }
}

/// The task settles and its done callback reaches the caller at once.
fn ends(c: &mut Caller, task: usize, outcome: Outcome) -> Vec<Step> {
    c.on_settled(task, outcome);
    c.on_done(task)
}

#[test]
fn with_no_tasks_every_mode_simply_resumes() {
    for mode in RunMode::ALL {
        let mut c = caller(mode, 0, RunOptions::default());
        assert_eq!(c.begin(), vec![Resume { raised: false }], "{mode:?}");
    }
}

#[test]
fn sequential_starts_each_task_when_the_previous_one_is_done() {
    let mut c = caller(RunMode::Sequential, 3, RunOptions::default());
    assert_eq!(c.begin(), vec![Start(0)]);
    assert_eq!(ends(&mut c, 0, Outcome::Ok), vec![Take(0), Start(1)]);
    assert_eq!(
        ends(&mut c, 1, Outcome::Failed),
        vec![Take(1), Resume { raised: true }],
        "an uncaught failure stops the loop"
    );
    let mut caught = caller(RunMode::Sequential, 2, catching());
    caught.begin();
    assert_eq!(
        ends(&mut caught, 0, Outcome::TimedOut),
        vec![Take(0), Start(1)]
    );
    assert_eq!(
        ends(&mut caught, 1, Outcome::Ok),
        vec![Take(1), Resume { raised: false }]
    );
}

#[test]
fn gather_raises_at_the_first_failure_and_returns_in_list_order() {
    let mut c = caller(RunMode::Gather, 3, RunOptions::default());
    assert_eq!(c.begin(), vec![Start(0), Start(1), Start(2)]);
    assert_eq!(ends(&mut c, 2, Outcome::Ok), vec![]);
    assert_eq!(
        ends(&mut c, 1, Outcome::Failed),
        vec![Resume { raised: true }]
    );
    assert_eq!(ends(&mut c, 0, Outcome::Ok), vec![], "the others run on");
    let mut caught = caller(RunMode::Gather, 2, catching());
    caught.begin();
    assert_eq!(ends(&mut caught, 1, Outcome::Failed), vec![]);
    assert_eq!(
        ends(&mut caught, 0, Outcome::Ok),
        vec![Take(0), Take(1), Resume { raised: false }]
    );
}

#[test]
fn gather_is_done_when_its_last_done_callback_ran_not_when_the_last_task_settled() {
    // Two tasks settle in one turn: CPython's gather counts its done
    // callbacks (`nfinished += 1` in `_done_callback`) and sets its result
    // at the last one, so the first callback does not finish it.
    let mut c = caller(RunMode::Gather, 2, RunOptions::default());
    c.begin();
    c.on_settled(0, Outcome::Ok);
    c.on_settled(1, Outcome::Ok);
    assert_eq!(c.on_done(0), vec![]);
    assert_eq!(
        c.on_done(1),
        vec![Take(0), Take(1), Resume { raised: false }]
    );
    // TaskGroup's `_on_task_done` likewise wakes `__aexit__` at the last.
    let mut g = caller(RunMode::TaskGroup, 2, RunOptions::default());
    g.begin();
    g.on_settled(0, Outcome::Ok);
    g.on_settled(1, Outcome::Ok);
    assert_eq!(g.on_done(0), vec![Take(0)]);
    assert_eq!(g.on_done(1), vec![Take(1), Resume { raised: false }]);
}

#[test]
fn create_task_awaits_in_list_order_whatever_order_tasks_end_in() {
    let mut c = caller(RunMode::CreateTask, 3, RunOptions::default());
    assert_eq!(c.begin(), vec![Start(0), Start(1), Start(2)]);
    assert_eq!(
        ends(&mut c, 2, Outcome::Ok),
        vec![],
        "task 0 is awaited first"
    );
    assert_eq!(ends(&mut c, 0, Outcome::Ok), vec![Take(0)]);
    assert_eq!(
        ends(&mut c, 1, Outcome::Failed),
        vec![Take(1), Resume { raised: true }],
        "task 2's result is never awaited"
    );
}

#[test]
fn a_task_group_cancels_the_rest_at_the_first_failure_and_raises_when_all_ended() {
    let mut c = caller(RunMode::TaskGroup, 3, catching());
    assert!(!c.options().catch, "a TaskGroup has no return_exceptions");
    c.begin();
    assert_eq!(ends(&mut c, 2, Outcome::Ok), vec![Take(2)]);
    assert_eq!(ends(&mut c, 1, Outcome::Failed), vec![CancelPending]);
    assert_eq!(
        ends(&mut c, 0, Outcome::Cancelled),
        vec![Resume { raised: true }]
    );
}

#[test]
fn as_completed_hands_results_over_in_completion_order() {
    let mut c = caller(RunMode::AsCompleted, 3, RunOptions::default());
    c.begin();
    assert_eq!(ends(&mut c, 2, Outcome::Ok), vec![Take(2)]);
    assert_eq!(ends(&mut c, 0, Outcome::Ok), vec![Take(0)]);
    assert_eq!(
        ends(&mut c, 1, Outcome::Ok),
        vec![Take(1), Resume { raised: false }]
    );
    let mut raising = caller(RunMode::AsCompleted, 2, RunOptions::default());
    raising.begin();
    assert_eq!(
        ends(&mut raising, 1, Outcome::Failed),
        vec![Take(1), Resume { raised: true }]
    );
    assert_eq!(ends(&mut raising, 0, Outcome::Ok), vec![]);
}

#[test]
fn wait_first_completed_takes_what_is_done_when_it_resumes_then_may_cancel_the_rest() {
    for cancel_pending in [false, true] {
        let options = RunOptions {
            cancel_pending,
            ..RunOptions::default()
        };
        let mut c = caller(RunMode::WaitFirst, 3, options);
        c.begin();
        assert_eq!(
            ends(&mut c, 1, Outcome::Failed),
            vec![Resume { raised: false }]
        );
        // Another task ends before the caller's turn comes.
        assert_eq!(ends(&mut c, 2, Outcome::Ok), vec![]);
        let mut expected = vec![Take(1), Take(2)];
        if cancel_pending {
            expected.push(CancelPending);
        }
        assert_eq!(c.on_resumed(), expected);
    }
}

#[test]
fn options_apply_only_where_the_mode_has_them() {
    let all_on = RunOptions {
        return_exceptions: true,
        cancel_pending: true,
        limit: 0,
        ..RunOptions::default()
    };
    for mode in RunMode::ALL {
        let o = mode.options(&all_on);
        assert_eq!(o.catch, mode.catch_option().is_some(), "{mode:?}");
        assert_eq!(o.cancel_pending, mode.uses_cancel_pending(), "{mode:?}");
        assert_eq!(o.limit, mode.uses_limit().then_some(1), "{mode:?}: n ≥ 1");
    }
    assert_eq!(
        RunMode::ALL.map(|m| m.catch_option()),
        [
            Some("try/except around each await"),
            Some("return_exceptions=True"),
            Some("try/except around each await"),
            None,
            Some("return_exceptions=True"),
            Some("try/except around each await"),
            None,
        ]
    );
}

#[test]
fn every_mode_has_its_own_names() {
    let mut slugs: Vec<&str> = RunMode::ALL.iter().map(|m| m.slug()).collect();
    slugs.sort_unstable();
    slugs.dedup();
    assert_eq!(slugs.len(), RunMode::ALL.len());
    for mode in RunMode::ALL {
        for name in [mode.label(), mode.in_a_sentence(), mode.python()] {
            assert!(!name.is_empty(), "{mode:?}");
        }
    }
}

fn outcome() -> impl Strategy<Value = Outcome> {
    prop::sample::select(vec![
        Outcome::Ok,
        Outcome::Failed,
        Outcome::TimedOut,
        Outcome::Cancelled,
    ])
}

/// Plays a run: started tasks end in the order `picks` chooses among them,
/// with `outcomes`; CancelPending ends every started task still running.
fn play(mode: RunMode, outcomes: &[Outcome], picks: &[usize], options: RunOptions) -> Vec<Step> {
    let n = outcomes.len();
    let mut c = caller(mode, n, options);
    let mut log = Vec::new();
    let mut running: Vec<usize> = Vec::new();
    let mut pending = c.begin();
    let mut picks = picks.iter().cycle();
    loop {
        for step in std::mem::take(&mut pending) {
            log.push(step);
            match step {
                Start(i) => running.push(i),
                CancelPending => {
                    for i in std::mem::take(&mut running) {
                        c.on_settled(i, Outcome::Cancelled);
                        pending.extend(c.on_done(i));
                    }
                }
                Resume { .. } => pending.extend(c.on_resumed()),
                Take(_) => {}
            }
        }
        if !pending.is_empty() {
            continue;
        }
        if running.is_empty() {
            break;
        }
        let i = running.remove(picks.next().copied().unwrap_or(0) % running.len());
        pending = ends(&mut c, i, outcomes[i]);
    }
    log
}

proptest! {
    #[test]
    fn every_mode_resumes_once_and_starts_and_takes_each_task_at_most_once(
        outcomes in proptest::collection::vec(outcome(), 0..12),
        picks in proptest::collection::vec(0usize..12, 1..12),
        catch in any::<bool>(),
        cancel_pending in any::<bool>(),
    ) {
        let options = RunOptions { return_exceptions: catch, cancel_pending, ..RunOptions::default() };
        for mode in RunMode::ALL {
            let log = play(mode, &outcomes, &picks, options);
            let resumes = log.iter().filter(|s| matches!(s, Resume { .. })).count();
            prop_assert_eq!(resumes, 1, "{:?}: {:?}", mode, log);
            for kind in [0, 1] {
                let mut seen: Vec<usize> = log.iter().filter_map(|s| match (kind, s) {
                    (0, Start(i)) | (1, Take(i)) => Some(*i),
                    _ => None,
                }).collect();
                let count = seen.len();
                seen.sort_unstable();
                seen.dedup();
                prop_assert_eq!(seen.len(), count, "{:?}: {:?}", mode, log);
                prop_assert!(seen.iter().all(|&i| i < outcomes.len()));
            }
        }
    }
}

#[test]
fn each_mode_explains_a_failure_in_its_own_words() {
    let f = Failure {
        message: "boom {at} {n}",
        task_number: 2,
        at: "150 ms",
        cancelled: 1,
        never_ran: 3,
    };
    let texts = RunMode::ALL.map(|m| m.behaviour().explain_failure(&f));
    assert_eq!(
        texts,
        [
            "task 2 raised 'boom {at} {n}' at 150 ms: the loop over the tasks stopped there, so 3 later tasks never ran",
            "gather raised 'boom {at} {n}' from task 2 at 150 ms; the other tasks kept running (gather doesn't cancel them)",
            "awaiting task 2 raised 'boom {at} {n}' at 150 ms; the tasks already created kept running in the background",
            "TaskGroup cancelled 1 task when 'boom {at} {n}' failed (task 2), then raised it in an ExceptionGroup",
            "gather raised 'boom {at} {n}' from task 2 at 150 ms; the other tasks kept running (gather doesn't cancel them)",
            "as_completed handed over task 2's 'boom {at} {n}' at 150 ms, which raised; the other tasks kept running",
            "task 2 failed with 'boom {at} {n}': wait() doesn't raise, the exception stays in the done task until its result is asked for",
        ],
        "a message is the user's text, kept as it is"
    );
}

#[test]
fn by_mode_holds_one_value_per_mode_found_by_the_mode() {
    use async_playground::domain::modes::ByMode;
    let mut slugs = ByMode::from_fn(|mode| mode.slug().to_string());
    for mode in RunMode::ALL {
        assert_eq!(slugs[mode], mode.slug());
    }
    slugs[RunMode::Bounded] = "changed".into();
    let order: Vec<RunMode> = slugs.iter().map(|(mode, _)| mode).collect();
    assert_eq!(order, RunMode::ALL.to_vec(), "in RunMode::ALL order");
    assert_eq!(
        slugs.values().filter(|s| *s == "changed").count(),
        1,
        "one place per mode"
    );
    assert_eq!(slugs[RunMode::Bounded], "changed");
    assert!(ByMode::<Option<u8>>::default()
        .values()
        .all(Option::is_none));
}
