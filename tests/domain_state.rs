//! Native tests: the app's state machine, told as stories of what a user does.

#![cfg(not(target_arch = "wasm32"))]

mod runs;

use async_playground::domain::model::Outcome;
use async_playground::domain::run::events::{EventKind, RunId};
use async_playground::domain::run::RunStatus;
use async_playground::domain::scenario::{RunMode, TaskId};
use async_playground::domain::state::{selectors, Action, AppState, RunRequest, MAX_HISTORY};
use runs::{ev, finish_running_run};

#[test]
fn compare_runs_sequential_then_gathered_and_reports_speedup() {
    let mut state = AppState::default();
    state.apply(Action::Run(RunRequest::Compare(RunMode::Gather)));
    assert_eq!(state.running().unwrap().mode, RunMode::Sequential);
    finish_running_run(&mut state, 2.0);
    assert_eq!(state.running().unwrap().mode, RunMode::Gather);
    finish_running_run(&mut state, 1.0);
    assert!(!state.is_running());
    // Default: 400+250+600+300+500 = 2050 sequential, 600 gathered.
    assert_eq!(
        selectors::headline(&state).map(|(_, _, p)| p),
        Some(2050.0 / 600.0)
    );
    let measured = selectors::headline(&state).unwrap().1;
    assert!((measured - 2052.0 / 601.0).abs() < 1e-9);
    let seq = state.run_of(RunMode::Sequential).unwrap().stats().unwrap();
    assert_eq!(seq.wall_ms, 2052.0);
    assert_eq!(seq.predicted_ms, 2050.0);
    assert_eq!(seq.overhead_ms, 2.0);
}

#[test]
fn run_is_not_reentered_while_one_is_going() {
    let mut state = AppState::default();
    state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
    let first = state.running().unwrap().id;
    state.apply(Action::Run(RunRequest::Only(RunMode::Sequential)));
    assert_eq!(state.running().unwrap().id, first);
    assert!(state.run_of(RunMode::Sequential).is_none());
    assert!(state.notice.as_deref().unwrap().contains("stop it first"));
}

#[test]
fn stop_cancels_the_run_and_late_events_are_ignored() {
    let mut state = AppState::default();
    state.apply(Action::Run(RunRequest::Compare(RunMode::Gather)));
    let id = state.running().unwrap().id;
    state.apply(Action::Stop);
    assert!(!state.is_running());
    assert!(
        state.queued.is_empty(),
        "the compare's second run is dropped"
    );
    let before = state.clone();
    state.apply(Action::RunProgress {
        events: vec![ev(
            id,
            EventKind::TaskFinished {
                index: 0,
                at_ms: 5.0,
                outcome: Outcome::Ok,
            },
        )],
        now_ms: Some(5.0),
    });
    assert_eq!(state, before);
    assert_eq!(
        state.run_of(RunMode::Sequential).unwrap().status,
        RunStatus::Stopped
    );
}

#[test]
fn events_from_a_superseded_run_are_dropped() {
    let mut state = AppState::default();
    state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
    let old = state.running().unwrap().id;
    state.apply(Action::Stop);
    state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
    let new = state.running().unwrap().id;
    assert_ne!(old, new);
    state.apply(Action::RunProgress {
        events: vec![ev(
            old,
            EventKind::TaskStarted {
                index: 0,
                at_ms: 1.0,
            },
        )],
        now_ms: None,
    });
    assert_eq!(state.running().unwrap().measurement.tasks[0].start_ms, None);
}

#[test]
fn invalid_scenario_does_not_run_and_says_why() {
    let mut state = AppState::default();
    state.apply(Action::SetDuration(TaskId(2), "-3".into()));
    state.apply(Action::SetLabel(TaskId(3), "".into()));
    state.apply(Action::Run(RunRequest::Compare(RunMode::Gather)));
    assert!(!state.is_running());
    assert_eq!(state.errors().len(), 2);
    assert_eq!(
        state.notice.as_deref(),
        Some("Fix the 2 problems marked above to run.")
    );
    // The user's text is kept as typed.
    assert_eq!(state.drafts[1].duration_text, "-3");
}

#[test]
fn editing_adds_duplicates_moves_and_removes_tasks() {
    let mut state = AppState::default();
    state.apply(Action::AddTask);
    assert_eq!(state.drafts.len(), 6);
    let added = state.drafts[5].id;
    assert!(state.drafts.iter().filter(|d| d.id == added).count() == 1);
    state.apply(Action::DuplicateTask(TaskId(1)));
    assert_eq!(state.drafts[1].label, "fetch data 1");
    assert_ne!(state.drafts[1].id, TaskId(1));
    state.apply(Action::MoveTask(TaskId(1), 1));
    assert_eq!(state.drafts[1].id, TaskId(1));
    state.apply(Action::MoveTask(TaskId(1), -5));
    assert_eq!(
        state.drafts[1].id,
        TaskId(1),
        "out-of-range moves do nothing"
    );
    state.apply(Action::RemoveTask(TaskId(1)));
    assert!(state.drafts.iter().all(|d| d.id != TaskId(1)));
    for d in state.drafts.clone().iter() {
        state.apply(Action::RemoveTask(d.id));
    }
    assert_eq!(
        state.errors()[0].to_string(),
        "Add at least one task to run."
    );
    state.apply(Action::ResetScenario);
    assert_eq!(state.drafts.len(), 5);
    assert!(state.errors().is_empty());
}

#[test]
fn editing_after_a_run_marks_it_stale() {
    let mut state = AppState::default();
    state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
    finish_running_run(&mut state, 0.0);
    let run = state.run_of(RunMode::Gather).unwrap().clone();
    assert!(!state.is_stale(&run));
    state.apply(Action::SetDuration(TaskId(1), "999".into()));
    assert!(state.is_stale(&run));
}

#[test]
fn speed_factor_scales_the_prediction() {
    let mut state = AppState::default();
    state.apply(Action::SetSpeed("10".into()));
    state.apply(Action::Run(RunRequest::Only(RunMode::Sequential)));
    assert_eq!(state.running().unwrap().prediction.total_ms, 205.0);
}

#[test]
fn generate_replaces_the_list_with_fresh_ids() {
    let mut state = AppState::default();
    state.apply(Action::Generate {
        count: 1000,
        duration_ms: 100,
    });
    assert_eq!(state.drafts.len(), 1000);
    assert!(state.errors().is_empty());
    let mut ids: Vec<_> = state.drafts.iter().map(|d| d.id).collect();
    ids.dedup();
    assert_eq!(ids.len(), 1000);
    assert!(ids.iter().all(|id| id.0 > 5), "ids are never reused");
    state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
    assert_eq!(state.running().unwrap().prediction.total_ms, 100.0);
}

#[test]
fn compare_with_a_mode_runs_sequential_first_and_compare_all_runs_every_mode() {
    let mut state = AppState::default();
    state.apply(Action::Run(RunRequest::Compare(RunMode::AsCompleted)));
    assert_eq!(state.running().unwrap().mode, RunMode::Sequential);
    finish_running_run(&mut state, 0.0);
    assert_eq!(state.running().unwrap().mode, RunMode::AsCompleted);
    finish_running_run(&mut state, 0.0);
    let (mode, measured, predicted) = selectors::headline(&state).unwrap();
    assert_eq!(mode, RunMode::AsCompleted);
    assert_eq!(measured, predicted);

    state.apply(Action::Run(RunRequest::CompareAll));
    let mut seen = Vec::new();
    while let Some(run) = state.running() {
        seen.push(run.mode);
        finish_running_run(&mut state, 0.0);
    }
    assert_eq!(seen, RunMode::ALL.to_vec());
    assert!(state.runs.values().all(Option::is_some));
}

#[test]
fn options_out_of_range_are_reported_not_clamped_and_change_the_prediction() {
    use async_playground::domain::scenario::{RunOptions, ScenarioError};
    let mut state = AppState::default();
    state.apply(Action::SetOptions(RunOptions {
        limit: 0,
        pool_size: 1000,
        ..RunOptions::default()
    }));
    assert_eq!(
        state.errors(),
        &[
            ScenarioError::PoolSize {
                text: "1000".into()
            },
            ScenarioError::Limit { text: "0".into() },
        ]
    );
    state.apply(Action::Run(RunRequest::Only(RunMode::Bounded)));
    assert!(!state.is_running());
    state.apply(Action::SetLimit("1".into()));
    state.apply(Action::SetPoolSize("4".into()));
    assert_eq!((state.options.limit, state.options.pool_size), (1, 4));
    state.apply(Action::Run(RunRequest::Only(RunMode::Bounded)));
    // Semaphore(1): the tasks run one at a time, like sequential.
    assert_eq!(state.running().unwrap().prediction.total_ms, 2050.0);
}

#[test]
fn typed_threads_and_limit_are_kept_and_checked_like_task_fields() {
    use async_playground::domain::formats::codec::{
        from_fragment, from_saved, to_saved, SavedState,
    };
    use async_playground::domain::scenario::ScenarioError;
    for text in ["-5", "1000", "", "4.5", "abc", "99999999999", "0"] {
        let mut state = AppState::default();
        state.apply(Action::SetPoolSize(text.into()));
        assert_eq!(state.option_texts.pool_size_text(&state.options), text);
        assert_eq!(
            state.errors(),
            &[ScenarioError::PoolSize { text: text.into() }]
        );
        assert_eq!(
            state.errors()[0].to_string(),
            "Threads: use a whole number from 1 to 32."
        );
        state.apply(Action::Run(RunRequest::CompareAll));
        assert!(!state.is_running(), "{text}");
        assert!(state
            .notice
            .as_deref()
            .unwrap()
            .contains("Fix the 1 problem"));
    }
    for text in ["-5", "0", "10001", "3x"] {
        let mut state = AppState::default();
        state.apply(Action::SetLimit(text.into()));
        assert_eq!(state.option_texts.limit_text(&state.options), text);
        assert_eq!(
            state.errors()[0].to_string(),
            "Semaphore limit: use a whole number from 1 to 10000."
        );
        state.apply(Action::Run(RunRequest::Only(RunMode::Bounded)));
        assert!(!state.is_running(), "{text}");
    }

    let mut state = AppState::default();
    state.apply(Action::SetPoolSize("-5".into()));
    state.apply(Action::SetLimit("1000".into()));
    assert_eq!(state.options.limit, 1000, "a valid limit takes effect");
    // Ticking a box sends the options with the same numbers: the text stays.
    let mut ticked = state.options;
    ticked.gil = false;
    state.apply(Action::SetOptions(ticked));
    assert_eq!(state.option_texts.pool_size.as_deref(), Some("-5"));
    assert!(!state.options.gil);
    // The autosave keeps what was typed; a link refuses it with the path.
    let saved = to_saved(&SavedState {
        scenario: state.scenario_doc(),
        history: vec![],
        guesses: Default::default(),
    });
    let mut reloaded = AppState::default();
    reloaded.apply(Action::LoadScenario(from_saved(&saved).unwrap().scenario));
    assert_eq!(reloaded.option_texts, state.option_texts);
    assert_eq!(reloaded.options.limit, 1000);
    assert_eq!(reloaded.errors(), state.errors());
    let link = from_fragment(r#"#j={"options":{"pool_size":-5},"tasks":[{}]}"#).unwrap_err();
    assert_eq!(link.path, "options.pool_size");
    // Fixing the text clears the problem.
    state.apply(Action::SetPoolSize(" 4".into()));
    assert_eq!(state.options.pool_size, 4);
    assert!(state.validation.is_ok());
    state.apply(Action::SetPoolSize("4".into()));
    assert_eq!(state.option_texts.pool_size, None);
    state.apply(Action::ResetScenario);
    assert_eq!(state.option_texts, Default::default());
}

#[test]
fn finished_and_stopped_runs_enter_the_history_and_can_be_compared() {
    let mut state = AppState::default();
    state.apply(Action::Run(RunRequest::Compare(RunMode::Gather)));
    finish_running_run(&mut state, 1.0);
    finish_running_run(&mut state, 1.0);
    state.apply(Action::Run(RunRequest::Only(RunMode::TaskGroup)));
    state.apply(Action::Stop);
    let modes: Vec<_> = state.history.iter().map(|r| (r.mode, r.status)).collect();
    assert_eq!(
        modes,
        vec![
            (RunMode::Sequential, RunStatus::Finished),
            (RunMode::Gather, RunStatus::Finished),
            (RunMode::TaskGroup, RunStatus::Stopped),
        ]
    );
    let ids: Vec<_> = state.history.iter().map(|r| r.id).collect();
    // A Compare's runs are picked for comparison as they end; a plain run isn't.
    assert_eq!(state.compared, vec![ids[0], ids[1]]);
    state.apply(Action::ToggleCompared(ids[1]));
    state.apply(Action::ToggleCompared(ids[2]));
    state.apply(Action::ToggleCompared(RunId(999))); // not in history: ignored
    assert_eq!(state.compared, vec![ids[0], ids[2]]);
    state.apply(Action::ForgetRun(ids[0]));
    assert_eq!(state.compared, vec![ids[2]]);
    assert_eq!(state.history.len(), 2);
    state.apply(Action::ClearHistory);
    assert!(state.history.is_empty() && state.compared.is_empty());
}

#[test]
fn the_history_keeps_the_newest_runs() {
    let mut state = AppState::default();
    for _ in 0..(MAX_HISTORY + 3) {
        state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
        finish_running_run(&mut state, 0.0);
    }
    assert_eq!(state.history.len(), MAX_HISTORY);
    let first = state.history[0].id;
    assert!(state.history.iter().all(|r| r.id >= first));
}

#[test]
fn a_loaded_scenario_replaces_the_editor_and_saved_runs_come_back() {
    let mut state = AppState::default();
    state.apply(Action::Run(RunRequest::Only(RunMode::Sequential)));
    finish_running_run(&mut state, 2.0);
    let saved = state.saved_history();
    let mut doc = state.scenario_doc();
    doc.title = "two fetches".to_string();
    doc.drafts.truncate(2);
    doc.mode = RunMode::AsCompleted;

    let mut other = AppState::default();
    other.apply(Action::LoadScenario(doc.clone()));
    assert_eq!(other.title, "two fetches");
    assert_eq!(other.mode, RunMode::AsCompleted);
    assert_eq!(other.drafts.len(), 2);
    assert!(other.validation.is_ok());
    let mut again = other.scenario_doc();
    // Ids are renumbered on load; everything else is kept.
    for (a, b) in again.drafts.iter_mut().zip(&doc.drafts) {
        a.id = b.id;
    }
    assert_eq!(again, doc);

    other.apply(Action::LoadHistory(saved.clone()));
    assert_eq!(other.history.len(), 1);
    let run = &other.history[0];
    assert_eq!(run.status, RunStatus::Finished);
    assert_eq!(run.measurement, saved[0].measurement);
    assert_eq!(*run.scenario, *state.history[0].scenario);

    // A saved run whose measurement doesn't fit its scenario is left out.
    let mut broken = saved[0].clone();
    broken.measurement.tasks.pop();
    other.apply(Action::LoadHistory(vec![broken]));
    assert_eq!(other.history.len(), 1);
    assert!(other
        .notice
        .as_deref()
        .unwrap_or("")
        .contains("1 saved run"));
}

#[test]
fn an_imported_run_joins_the_history_and_is_shown() {
    let mut state = AppState::default();
    state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
    finish_running_run(&mut state, 1.0);
    let saved = state.saved_history().remove(0);
    state.apply(Action::ImportRun(saved.clone()));
    assert_eq!(state.history.len(), 2);
    assert_eq!(state.compared, vec![state.history[1].id]);
    // An unreadable one changes nothing but says so.
    let mut broken = saved;
    broken.measurement.tasks.clear();
    state.apply(Action::ImportRun(broken));
    assert_eq!(state.history.len(), 2);
    assert_eq!(state.compared, vec![state.history[1].id]);
    assert!(state.notice.is_some());
}

#[test]
fn a_link_over_the_blocking_budget_opens_but_does_not_run() {
    use async_playground::domain::formats::codec::from_fragment;
    use async_playground::domain::scenario::ScenarioError;
    let link = r#"#j={"speed":0.1,"tasks":[{"kind":"blocking","ms":60000}]}&run"#;
    let request = from_fragment(link)
        .expect("the link opens: its fields are all valid")
        .expect("a scenario");
    assert!(request.run);
    let mut state = AppState::default();
    state.apply(Action::LoadScenario(request.doc));
    state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
    assert!(!state.is_running(), "a 600 s freeze is never started");
    assert_eq!(
        state.errors(),
        &[ScenarioError::BlockingBudget { total_ms: 600_000 }]
    );
    assert!(state
        .notice
        .as_deref()
        .unwrap()
        .contains("Fix the 1 problem"));
    // The user's scenario is kept: raising the speed makes it runnable.
    state.apply(Action::SetSpeed("10".into()));
    assert!(state.validation.is_ok());
}

#[test]
fn an_embed_load_over_the_blocking_budget_is_accepted_and_explained() {
    use async_playground::domain::formats::embed::{parse_inbound, Inbound};
    let message = r#"{"type":"async-playground:load","v":1,
        "scenario":{"speed":0.1,"tasks":[{"kind":"blocking","ms":60000}]}}"#;
    let Ok(Inbound::Load(doc)) = parse_inbound(message) else {
        panic!("the embed loads it");
    };
    let mut state = AppState::default();
    state.apply(Action::LoadScenario(doc));
    state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
    assert!(!state.is_running());
    assert!(state.errors()[0]
        .to_string()
        .contains("at most 10 s per run"));
}

#[test]
fn run_problems_say_what_the_run_controls_show() {
    let mut state = AppState::default();
    assert_eq!(state.run_problems(), Default::default());
    state.apply(Action::SetPoolSize("0".into()));
    state.apply(Action::SetLimit("x".into()));
    state.apply(Action::SetSpeed("0.1".into()));
    state.apply(Action::SetKind(
        state.drafts[0].id,
        async_playground::domain::scenario::TaskKind::Blocking,
    ));
    state.apply(Action::SetDuration(state.drafts[0].id, "60000".into()));
    let found = state.run_problems();
    assert_eq!(
        found.pool_size.as_deref(),
        Some("Threads: use a whole number from 1 to 32.")
    );
    assert_eq!(
        found.limit.as_deref(),
        Some("Semaphore limit: use a whole number from 1 to 10000.")
    );
    assert_eq!(found.run.len(), 1);
    assert!(found.run[0].contains("600 s"), "{:?}", found.run);
}

#[test]
fn history_is_kept_in_order_of_start_and_an_import_goes_last() {
    let mut state = AppState::default();
    let run_started_at = |state: &mut AppState, unix_ms: f64| {
        state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
        let run = state.running().unwrap().clone();
        state.apply(Action::RunProgress {
            events: vec![ev(
                run.id,
                EventKind::RunStarted {
                    mode: run.mode,
                    started_unix_ms: unix_ms,
                },
            )],
            now_ms: None,
        });
        finish_running_run(state, 0.0);
    };
    run_started_at(&mut state, 1_000.0);
    run_started_at(&mut state, 3_000.0);
    let starts = |s: &AppState| {
        s.history
            .iter()
            .map(|r| r.started_unix_ms)
            .collect::<Vec<_>>()
    };
    assert_eq!(starts(&state), vec![1_000.0, 3_000.0]);
    assert_eq!(
        state.saved_history()[1].started_unix_ms,
        3_000.0,
        "saved with its start"
    );
    // A run of another tab that started in between goes in between.
    let mut between = state.saved_history()[0].clone();
    between.started_unix_ms = 2_000.0;
    state.apply(Action::LoadHistory(vec![between.clone()]));
    assert_eq!(starts(&state), vec![1_000.0, 2_000.0, 3_000.0]);
    // An imported run goes last, whenever it ran, and is shown.
    between.started_unix_ms = 500.0;
    state.apply(Action::ImportRun(between));
    assert_eq!(starts(&state), vec![1_000.0, 2_000.0, 3_000.0, 500.0]);
    assert_eq!(state.compared, vec![state.history[3].id]);
}

#[test]
fn a_run_waiting_for_its_threads_says_so_until_its_clock_starts() {
    let mut state = AppState::default();
    state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
    let id = state.running().unwrap().id;
    assert_eq!(state.running().unwrap().waiting_for_threads, None);
    state.apply(Action::RunProgress {
        events: vec![ev(id, EventKind::WaitingForThreads { threads: 3 })],
        now_ms: Some(0.0),
    });
    assert_eq!(state.running().unwrap().waiting_for_threads, Some(3));
    assert_eq!(state.running().unwrap().measurement.last_event_ms, 0.0);
    state.apply(Action::RunProgress {
        events: vec![ev(
            id,
            EventKind::RunStarted {
                mode: RunMode::Gather,
                started_unix_ms: 0.0,
            },
        )],
        now_ms: Some(0.0),
    });
    assert_eq!(state.running().unwrap().waiting_for_threads, None);
    assert_eq!(state.notice, None);
}

#[test]
fn threads_standing_in_with_timers_are_explained() {
    let mut state = AppState::default();
    state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
    let id = state.running().unwrap().id;
    state.apply(Action::RunProgress {
        events: vec![
            ev(
                id,
                EventKind::RunStarted {
                    mode: RunMode::Gather,
                    started_unix_ms: 0.0,
                },
            ),
            ev(id, EventKind::ThreadsOnTimers { threads: 2 }),
        ],
        now_ms: Some(0.0),
    });
    let notice = state.notice.clone().unwrap();
    assert!(
        notice.starts_with("2 worker threads could not start"),
        "{notice}"
    );
    assert!(notice.contains("timers"), "{notice}");
    // The run goes on and ends as usual.
    finish_running_run(&mut state, 0.0);
    assert!(!state.is_running());
}

#[test]
fn run_statuses_have_the_slugs_pages_and_tests_select_on() {
    assert_eq!(RunStatus::Running.slug(), "running");
    assert_eq!(RunStatus::Finished.slug(), "finished");
    assert_eq!(RunStatus::Stopped.slug(), "stopped");
}
