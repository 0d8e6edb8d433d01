//! The embedding protocol as an embedder meets it: page parameters, which
//! messages are acted on, and the messages posted back.

use async_playground::domain::formats::embed::*;
use async_playground::domain::run::env::{expected_lag_ms, RunEnv};
use async_playground::domain::run::events::RunId;
use async_playground::domain::scenario::RunMode;
use async_playground::domain::state::{Action, AppState, RunRequest};

#[test]
fn embed_and_origin_come_from_the_query_string() {
    assert_eq!(page_params(""), PageParams::default());
    assert!(page_params("?embed").embed);
    assert!(page_params("?x=1&embed=1").embed);
    assert!(!page_params("?embed=0").embed);
    let p = page_params("?embed&origin=https%3A%2F%2FExample.com%2F");
    assert_eq!(p.origin, EmbedOrigin::Only("https://example.com".into()));
    assert_eq!(
        page_params("?origin=https://docs.example.org:8443")
            .origin
            .target(),
        Some("https://docs.example.org:8443")
    );
    for bad in [
        "javascript:alert(1)",
        "https://a.com/path",
        "ftp://x",
        "%zz",
        "https://",
    ] {
        assert_eq!(
            page_params(&format!("?origin={bad}")).origin,
            EmbedOrigin::Invalid,
            "{bad}"
        );
    }
}

#[test]
fn an_iframe_link_carries_the_trimmed_ui_options() {
    use async_playground::domain::formats::embed_options::EditorView;
    let p = page_params("?embed&modes=sequential+gathered&controls=minimal&editor=hidden");
    assert!(p.embed);
    assert_eq!(p.options.modes, vec![RunMode::Sequential, RunMode::Gather]);
    assert!(p.options.minimal);
    assert_eq!(p.options.editor, EditorView::Hidden);
    // Percent-encoded separators, and options that are not ours.
    let p = page_params("?embed&modes=gathered%20taskgroup&theme=dark&origin=https://a.org");
    assert_eq!(p.options.modes, vec![RunMode::Gather, RunMode::TaskGroup]);
    assert_eq!(p.origin, EmbedOrigin::Only("https://a.org".into()));
    assert_eq!(page_params("?embed").options, Default::default());
}

#[test]
fn an_origin_restricts_whom_the_playground_listens_and_talks_to() {
    let only = EmbedOrigin::parse("https://example.com");
    assert!(only.accepts("https://example.com"));
    assert!(!only.accepts("https://evil.example"));
    assert!(!only.accepts("null"));
    assert_eq!(only.target(), Some("https://example.com"));
    assert!(EmbedOrigin::Any.accepts("https://anyone"));
    assert_eq!(EmbedOrigin::Any.target(), Some("*"));
    assert!(!EmbedOrigin::Invalid.accepts("https://example.com"));
    assert_eq!(EmbedOrigin::Invalid.target(), None);
}

#[test]
fn documented_messages_are_understood() {
    assert_eq!(
        parse_inbound(r#"{"type":"async-playground:run"}"#),
        Ok(Inbound::Run(None))
    );
    assert_eq!(
        parse_inbound(r#"{"type":"async-playground:run","v":1,"mode":"sequential"}"#),
        Ok(Inbound::Run(Some(RunMode::Sequential)))
    );
    assert_eq!(
        parse_inbound(r#"{"type":"async-playground:stop","v":1}"#),
        Ok(Inbound::Stop)
    );
}

#[test]
fn anything_else_is_ignored_and_never_panics() {
    for text in [
        "",
        "null",
        "42",
        "\"async-playground:run\"",
        "[]",
        "{}",
        r#"{"type":7}"#,
        r#"{"type":"other:run"}"#,
        "{\"type\":",
    ] {
        assert_eq!(parse_inbound(text), Err(Rejected::NotOurs), "{text}");
    }
    for text in [
        r#"{"type":"async-playground:run","mode":"warp"}"#,
        r#"{"type":"async-playground:run","mode":3}"#,
        r#"{"type":"async-playground:run","v":2}"#,
        r#"{"type":"async-playground:load"}"#,
        r#"{"type":"async-playground:load","scenario":5}"#,
        r#"{"type":"async-playground:load","scenario":"not json"}"#,
        r#"{"type":"async-playground:delete-everything"}"#,
    ] {
        assert!(
            matches!(parse_inbound(text), Err(Rejected::Bad(_))),
            "{text}"
        );
    }
    let huge = format!(
        r#"{{"type":"async-playground:run","pad":"{}"}}"#,
        "x".repeat(MAX_MESSAGE_CHARS)
    );
    assert_eq!(parse_inbound(&huge), Err(Rejected::NotOurs));
}

#[test]
fn the_height_message_is_whole_pixels() {
    let v: serde_json::Value = serde_json::from_str(&height_message(411.2)).unwrap();
    assert_eq!(v["type"], "async-playground:height");
    assert_eq!(v["v"], 1);
    assert_eq!(v["height"], 412.0);
    let v: serde_json::Value = serde_json::from_str(&height_message(f64::NAN)).unwrap();
    assert_eq!(v["height"], 0.0);
}

#[test]
fn a_finished_run_is_reported_task_by_task() {
    let mut state = AppState::default();
    state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
    let run = state.running().unwrap().clone();
    let mut m = run.measurement.clone();
    for i in 0..m.tasks.len() {
        m.record(
            &async_playground::domain::run::events::EventKind::TaskStarted {
                index: i,
                at_ms: 0.04,
            },
        );
    }
    m.record(&async_playground::domain::run::events::EventKind::RunFinished { at_ms: 601.26 });
    let env = RunEnv::assess(120.0, true, false, 400.0, 0.0);
    let text = result_message(run.mode, &run.scenario, &run.prediction, &m, false, env);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["type"], "async-playground:result");
    assert_eq!(v["v"], 1);
    assert_eq!(v["mode"], "gathered");
    assert_eq!(v["wall_ms"], 601.3);
    assert_eq!(v["throttled"], true);
    assert_eq!(v["hidden_ms"], 120.0);
    assert!(v["predicted_ms"].as_f64().unwrap() > 0.0);
    let tasks = v["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), run.scenario.tasks.len());
    assert_eq!(tasks[0]["label"], "fetch data 1");
    assert_eq!(tasks[0]["start_ms"], 0.0);
    assert!(tasks[0]["end_ms"].is_null());
}

#[test]
fn hidden_or_offscreen_runs_get_a_note_and_are_kept_for_insights() {
    assert_eq!(RunEnv::assess(0.0, false, false, 900.0, 0.0).note(), None);
    // A click that scrolls the playground in: a frame or two, not a story.
    assert_eq!(RunEnv::assess(30.0, true, false, 900.0, 0.0).note(), None);
    let quiet = RunEnv::assess(700.0, true, false, 53.0, 0.0);
    assert!(
        !quiet.throttled,
        "a busy machine's lateness is not throttling"
    );
    assert!(quiet.note().unwrap().contains("off-screen"));
    let throttled = RunEnv::assess(2000.0, false, true, 990.0, 0.0);
    assert!(throttled.throttled);
    assert!(throttled.note().unwrap().contains("throttled its timers"));
    // The scenario's own 900 ms blocking call explains that lateness.
    assert!(!RunEnv::assess(2000.0, false, true, 990.0, 900.0).throttled);
    assert_eq!(
        RunEnv::assess(f64::NAN, false, false, 0.0, 0.0).hidden_ms,
        0.0
    );

    let mut state = AppState::default();
    state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
    let id = state.running().unwrap().id;
    state.apply(Action::RunEnv(id, throttled));
    state.apply(Action::RunEnv(RunId(999), throttled)); // unknown run: dropped
    state.apply(Action::RunEnv(id, RunEnv::default())); // not notable: kept as was
    let scenario = state.running().unwrap().scenario.clone();
    assert_eq!(
        expected_lag_ms(&scenario),
        0.0,
        "the default scenario only waits"
    );
    assert_eq!(state.run_envs.len(), 1);
    assert_eq!(state.run_envs.get(&id), Some(&throttled));
}

#[test]
fn load_takes_a_scenario_as_an_object_or_as_text() {
    let object = r#"{"type":"async-playground:load","v":1,"scenario":{"v":1,"mode":"sequential","tasks":[{"label":"a","ms":10}]}}"#;
    let Ok(Inbound::Load(doc)) = parse_inbound(object) else {
        panic!("not loaded");
    };
    assert_eq!(doc.mode, RunMode::Sequential);
    assert_eq!(doc.drafts[0].label, "a");
    let text = r#"{"type":"async-playground:load","scenario":"{\"tasks\":[{\"ms\":20}]}"}"#;
    assert!(matches!(parse_inbound(text), Ok(Inbound::Load(_))));
    let future = r#"{"type":"async-playground:load","scenario":{"v":99,"tasks":[{}]}}"#;
    assert!(matches!(parse_inbound(future), Err(Rejected::Bad(why)) if why.contains("newer")));
}

#[test]
fn a_blocking_call_explains_its_own_loop_lag() {
    use async_playground::domain::scenario::TaskKind;
    let mut state = AppState::default();
    let id = state.drafts[0].id;
    state.apply(Action::SetKind(id, TaskKind::Blocking));
    state.apply(Action::SetDuration(id, "500".into()));
    state.apply(Action::SetSpeed("2".into()));
    let scenario = state.validation.clone().unwrap();
    assert_eq!(expected_lag_ms(&scenario), 250.0);
    assert!(!RunEnv::assess(400.0, true, false, 260.0, 250.0).throttled);
    assert!(RunEnv::assess(400.0, true, false, 900.0, 250.0).throttled);
}

#[test]
fn a_message_is_sorted_by_its_type_alone() {
    assert_eq!(kind_of(RUN), Some(MessageKind::Run));
    assert_eq!(kind_of(STOP), Some(MessageKind::Stop));
    assert_eq!(kind_of(LOAD), Some(MessageKind::Load));
    // The host's theme is for boot.js: the app neither acts nor warns.
    assert_eq!(kind_of(THEME), None);
    assert_eq!(
        kind_of("async-playground:explode"),
        Some(MessageKind::Unknown)
    );
    for other in [
        "",
        "run",
        "webpackOk",
        "ASYNC-PLAYGROUND:run",
        RESULT.trim_end_matches("result"),
    ] {
        let expected = other
            .starts_with("async-playground:")
            .then_some(MessageKind::Unknown);
        assert_eq!(kind_of(other), expected, "{other}");
    }
}

#[test]
fn a_flood_of_loads_is_read_once_and_order_between_kinds_is_kept() {
    let mut inbox = Inbox::default();
    for i in 0..10_000 {
        inbox.push(MessageKind::Load, i);
    }
    assert_eq!(inbox.take(), vec![9_999]);
    assert!(inbox.is_empty());
    // A load then a run: the run runs what was loaded.
    inbox.push(MessageKind::Load, 1);
    inbox.push(MessageKind::Load, 2);
    inbox.push(MessageKind::Run, 3);
    inbox.push(MessageKind::Run, 4);
    inbox.push(MessageKind::Stop, 5);
    assert_eq!(inbox.take(), vec![2, 4, 5]);
    // Alternating kinds cannot grow the queue without bound.
    for i in 0..1_000 {
        let kind = if i % 2 == 0 {
            MessageKind::Run
        } else {
            MessageKind::Stop
        };
        inbox.push(kind, i);
    }
    let kept = inbox.take();
    assert_eq!(kept.len(), INBOX_LEN);
    assert_eq!(kept.last(), Some(&999), "the newest message is kept");
}

/// The messages are written by hand (serde_json's writer stays out of the
/// app's wasm); they must read exactly as serde_json's `json!` wrote them.
/// (proptest is a native dev-dependency.)
#[cfg(not(target_arch = "wasm32"))]
mod written_as_serde_json_writes {
    use super::*;
    use async_playground::domain::formats::codec::{json_number, json_string};
    use proptest::prelude::*;
    use serde_json::json;

    fn reference_result(
        mode: RunMode,
        scenario: &async_playground::domain::scenario::Scenario,
        prediction: &async_playground::domain::model::Prediction,
        measurement: &async_playground::domain::run::measurement::Measurement,
        stopped: bool,
        env: RunEnv,
    ) -> String {
        let round = |ms: f64| (ms * 10.0).round() / 10.0;
        let tasks: Vec<serde_json::Value> = scenario
            .tasks
            .iter()
            .zip(&measurement.tasks)
            .map(|(task, m)| {
                json!({
                    "label": task.label,
                    "start_ms": m.start_ms.map(round),
                    "end_ms": m.end_ms.map(round),
                    "outcome": m.outcome.map(|o| o.label()),
                })
            })
            .collect();
        json!({
            "type": RESULT,
            "v": PROTOCOL_VERSION,
            "mode": mode.slug(),
            "wall_ms": measurement.total_ms.map(round),
            "predicted_ms": round(prediction.total_ms),
            "stopped": stopped,
            "hidden_ms": round(env.hidden_ms),
            "throttled": env.throttled,
            "tasks": tasks,
        })
        .to_string()
    }

    fn any_f64() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<f64>(),
            -1e12..1e12f64,
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(-0.0),
            Just(f64::MAX),
            Just(f64::MIN_POSITIVE),
        ]
    }

    proptest! {
        #[test]
        fn strings_and_numbers(text in any::<String>(), x in any_f64()) {
            prop_assert_eq!(json_string(&text), serde_json::Value::String(text.clone()).to_string());
            prop_assert_eq!(json_number(x), json!(x).to_string());
            prop_assert_eq!(
                height_message(x),
                {
                    let height = if x.is_finite() { x.max(0.0).ceil() } else { 0.0 };
                    json!({ "type": HEIGHT, "v": PROTOCOL_VERSION, "height": height }).to_string()
                }
            );
        }

        #[test]
        fn results(
            labels in prop::collection::vec("[\\x00-\\x7f\"\\\\é€😀]{0,12}", 1..5),
            times in prop::collection::vec((prop::option::of(any_f64()), prop::option::of(any_f64()), 0usize..6), 5),
            wall in prop::option::of(any_f64()),
            hidden in any_f64(),
            stopped in any::<bool>(),
            throttled in any::<bool>(),
        ) {
            use async_playground::domain::model::Outcome;
            let mut state = AppState::default();
            state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
            let run = state.running().unwrap().clone();
            let mut scenario = (*run.scenario).clone();
            scenario.tasks.truncate(labels.len());
            for (task, label) in scenario.tasks.iter_mut().zip(&labels) {
                task.label = label.clone();
            }
            let mut m = run.measurement.clone();
            for (t, (start, end, outcome)) in m.tasks.iter_mut().zip(&times) {
                t.start_ms = *start;
                t.end_ms = *end;
                t.outcome = [Outcome::Ok, Outcome::Failed, Outcome::Cancelled, Outcome::TimedOut, Outcome::NotRun]
                    .get(*outcome)
                    .copied();
            }
            m.total_ms = wall;
            let env = RunEnv { hidden_ms: hidden, throttled, ..RunEnv::default() };
            for mode in RunMode::ALL {
                prop_assert_eq!(
                    result_message(mode, &scenario, &run.prediction, &m, stopped, env),
                    reference_result(mode, &scenario, &run.prediction, &m, stopped, env)
                );
            }
        }
    }
}
