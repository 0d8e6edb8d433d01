//! Native tests: runs that a link or the embedding page asks for. Light
//! ones start at once; heavy ones wait for the user's answer.

#![cfg(not(target_arch = "wasm32"))]

use async_playground::domain::formats::codec;
use async_playground::domain::scenario::RunMode;
use async_playground::domain::state::autorun::{cost, Asker, HEAVY_BLOCKING_MS, HEAVY_TOTAL_MS};
use async_playground::domain::state::{Action, AppState, RunRequest};

fn state_of(json: &str) -> AppState {
    let mut state = AppState::default();
    state.apply(Action::LoadScenario(codec::from_json(json).unwrap()));
    state
}

fn gather() -> RunRequest {
    RunRequest::Only(RunMode::Gather)
}

#[test]
fn the_default_scenario_runs_at_once_when_the_page_asks() {
    let mut state = AppState::default();
    state.apply(Action::AutoRun(gather(), Asker::Parent));
    assert!(state.is_running());
    assert_eq!(state.pending_run, None);
}

#[test]
fn a_second_of_blocking_work_asks_first_and_says_for_how_long() {
    let mut state = state_of(
        r#"{"v":1,"tasks":[{"label":"a","kind":"blocking","ms":600},{"label":"b","kind":"blocking","ms":600}]}"#,
    );
    state.apply(Action::AutoRun(gather(), Asker::Parent));
    assert!(!state.is_running(), "nothing froze the page");
    let pending = state.pending_run.clone().expect("asks first");
    assert_eq!(pending.cost.blocking_ms, 1_200);
    assert_eq!(
        pending.question(),
        "The page around this playground asks to run these tasks now. The run would take about \
         1.2 s and freeze this page for 1.2 s in all: nothing on it responds meanwhile, not even Stop."
    );
    state.apply(Action::AnswerRun(true));
    assert!(state.is_running());
    assert_eq!(state.pending_run, None);
}

#[test]
fn a_long_run_asks_first_even_without_blocking_work() {
    let mut state = state_of(r#"{"v":1,"speed":0.5,"tasks":[{"label":"slow","ms":20000}]}"#);
    state.apply(Action::AutoRun(gather(), Asker::Link));
    let pending = state.pending_run.clone().expect("asks first");
    assert_eq!(pending.cost.blocking_ms, 0);
    assert!(pending.cost.total_ms >= HEAVY_TOTAL_MS);
    let question = pending.question();
    assert!(question.starts_with("This link asks"), "{question}");
    assert!(question.contains("about 40 s."), "{question}");
    assert!(!question.contains("freeze"), "{question}");
    state.apply(Action::AnswerRun(false));
    assert!(!state.is_running());
    assert_eq!(state.pending_run, None);
}

#[test]
fn just_below_the_thresholds_runs_at_once() {
    let ms = HEAVY_BLOCKING_MS - 1;
    let mut state = state_of(&format!(
        r#"{{"v":1,"tasks":[{{"label":"a","kind":"blocking","ms":{ms}}},{{"label":"b","ms":29000}}]}}"#
    ));
    state.apply(Action::AutoRun(
        RunRequest::Only(RunMode::Sequential),
        Asker::Link,
    ));
    assert!(state.is_running(), "{:?}", state.pending_run);
}

#[test]
fn an_edit_a_manual_run_or_stop_withdraws_the_question() {
    let heavy = r#"{"v":1,"tasks":[{"label":"a","kind":"blocking","ms":3000}]}"#;
    let mut state = state_of(heavy);
    state.apply(Action::AutoRun(gather(), Asker::Parent));
    state.apply(Action::SetSpeed("2".into()));
    assert_eq!(
        state.pending_run, None,
        "the question was about other tasks"
    );
    state.apply(Action::AnswerRun(true));
    assert!(!state.is_running(), "a stale yes runs nothing");

    let mut state = state_of(heavy);
    state.apply(Action::AutoRun(gather(), Asker::Parent));
    state.apply(Action::Stop);
    assert_eq!(state.pending_run, None);

    let mut state = state_of(heavy);
    state.apply(Action::AutoRun(gather(), Asker::Parent));
    state.apply(Action::Run(RunRequest::Only(RunMode::Sequential)));
    assert_eq!(state.pending_run, None);
    assert!(state.is_running(), "the user's own click runs");
}

#[test]
fn an_invalid_or_busy_playground_answers_as_a_click_would() {
    let mut state = AppState::default();
    state.apply(Action::SetSpeed("fast".into()));
    state.apply(Action::AutoRun(gather(), Asker::Parent));
    assert_eq!(state.pending_run, None);
    assert!(state.notice.as_deref().unwrap().starts_with("Fix the"));

    let mut state = AppState::default();
    state.apply(Action::Run(gather()));
    state.apply(Action::AutoRun(gather(), Asker::Parent));
    assert_eq!(
        state.notice.as_deref(),
        Some("A run is in progress: stop it first.")
    );
}

#[test]
fn a_comparison_costs_every_run_it_makes() {
    let state = state_of(r#"{"v":1,"tasks":[{"label":"a","kind":"blocking","ms":400}]}"#);
    let scenario = state.validation.clone().unwrap();
    let one = cost(&scenario, gather());
    let all = cost(&scenario, RunRequest::CompareAll);
    assert_eq!(one.blocking_ms, 400);
    assert!(!one.is_heavy());
    assert_eq!(all.blocking_ms, 400 * RunMode::ALL.len() as u64);
    assert!(all.is_heavy());
}
