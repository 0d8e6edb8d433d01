//! Fuzz: every reader of outside text (scenario JSON, links `#s1=` and
//! `#j=`, the autosave, a saved run, a Chrome trace, an embed message).
//! Property: no panic, no stack overflow, bounded time, and either `Ok` or
//! an error that says where. What a reader accepts is then fed on, as the
//! app would: validated, predicted, laid out, explained, exported and read
//! back; none of that may panic or hang either.
//!
//! Generators build documents as text (see `fuzz/mod.rs`) and reach the
//! extremes on their own; each case runs on a wasm-sized stack with a time
//! limit.

#![cfg(not(target_arch = "wasm32"))]

mod fuzz;

use std::rc::Rc;
use std::sync::OnceLock;

use async_playground::domain::analysis::compare::{
    bar_chart, common_axis_ms, compare_rows, outcome_summary,
};
use async_playground::domain::analysis::insights::{insights, InsightContext};
use async_playground::domain::analysis::task_detail::task_detail;
use async_playground::domain::codegen::python::python_program;
use async_playground::domain::codegen::rust::rust_program;
use async_playground::domain::formats::codec::{
    export_from_json, from_fragment, from_json, from_saved, read_saved, run_from_json, run_to_json,
    to_fragment, to_json, to_saved, CodecError, SavedState,
};
use async_playground::domain::formats::embed::{parse_inbound, result_message, Inbound};
use async_playground::domain::formats::export::{
    from_chrome_trace, to_chrome_trace, to_csv, ExportRun, MAX_IMPORT_BYTES,
};
use async_playground::domain::formats::tools::export_request;
use async_playground::domain::layout::lanes::layout_bars;
use async_playground::domain::layout::timeline::{
    axis_span_ms, ticks_in_ms, TimeScale, ZoomWindow,
};
use async_playground::domain::model::{predict, Prediction};
use async_playground::domain::run::env::RunEnv;
use async_playground::domain::run::events::{EventKind, RunId, TraceEvent};
use async_playground::domain::run::measurement::Measurement;
use async_playground::domain::run::stats::run_stats;
use async_playground::domain::run::{Run, SavedRun};
use async_playground::domain::scenario::doc::ScenarioDoc;
use async_playground::domain::scenario::presets::{preset_doc, presets};
use async_playground::domain::scenario::{RunMode, Scenario};
use async_playground::domain::state::{Action, AppState, RunRequest};
use fuzz::*;
use proptest::prelude::*;

// ---- the properties -------------------------------------------------------

/// An error says where: its path starts at a field the reader knows (or
/// is empty, for the text as a whole).
fn check_error(e: &CodecError, roots: &[&str]) {
    assert!(!e.reason.is_empty(), "{e:?}");
    let root = e.path.split(['.', '[']).next().unwrap_or("");
    assert!(
        e.path.is_empty() || roots.contains(&root),
        "unexpected path {:?} ({e})",
        e.path
    );
}

const SCENARIO_ROOTS: &[&str] = &["v", "title", "mode", "speed", "options", "tasks"];

/// Reads `text` as a scenario in every way the app can be handed one:
/// each reader that takes it reads the same scenario, which is then fed on.
fn read_scenario_everywhere(text: &str) {
    let json = from_json(text);
    if let Err(e) = &json {
        check_error(e, SCENARIO_ROOTS);
    }
    let same = |doc: Result<ScenarioDoc, CodecError>| match doc {
        Ok(doc) => assert_eq!(Ok(&doc), json.as_ref(), "{text}"),
        Err(e) => {
            check_error(&e, SCENARIO_ROOTS);
            let too_long = e.reason.contains("the link is too long");
            assert!(json.is_err() || too_long, "{e}: {text}");
        }
    };
    // Longer links are refused unread (MAX_FRAGMENT_CHARS): once is enough.
    if text.len() < 100_000 {
        let link =
            |fragment: String| from_fragment(&fragment).map(|r| r.expect("a scenario link").doc);
        same(link(format!("#j={}", percent_encode(text))));
        same(link(format!("s1={}&run", base64url(text.as_bytes()))));
    }
    // Unencoded, `&`, `%` and `#` in the text change what the link says.
    match from_fragment(&format!("#j={text}&run")) {
        Ok(_) => {}
        Err(e) => check_error(&e, SCENARIO_ROOTS),
    }
    let message = |scenario: String| {
        parse_inbound(&format!(
            r#"{{"type":"async-playground:load","v":1,"scenario":{scenario}}}"#
        ))
    };
    match message(quoted(text)) {
        Ok(Inbound::Load(doc)) => assert_eq!(Ok(&doc), json.as_ref()),
        other => assert!(json.is_err() || text.len() > 400_000, "{other:?}"),
    }
    if let Ok(Inbound::Load(doc)) = message(text.to_string()) {
        assert_eq!(Ok(&doc), json.as_ref());
    }
    if let Ok(doc) = &json {
        use_doc(doc);
    }
}

/// What the app does with a scenario it was handed.
fn use_doc(doc: &ScenarioDoc) {
    // Written out and read back: the autosave keeps it exactly; the strict
    // readers take it or say why.
    let state = SavedState {
        scenario: doc.clone(),
        history: vec![],
        guesses: Default::default(),
    };
    let back = read_saved(&to_saved(&state)).expect("the autosave reads what it wrote");
    assert_eq!(back.state.scenario, *doc);
    assert!(back.left_out.is_empty(), "{:?}", back.left_out);
    if let Err(e) = from_json(&to_json(doc)) {
        check_error(&e, SCENARIO_ROOTS);
    }
    if let Err(e) = from_fragment(&to_fragment(doc, true)) {
        check_error(&e, SCENARIO_ROOTS);
    }
    let mut app = AppState::default();
    app.apply(Action::LoadScenario(doc.clone()));
    if let Ok(scenario) = doc.validate() {
        use_scenario(&scenario, doc.mode);
        play_a_run(&mut app);
    }
}

/// Predicts, lays out, explains and exports a valid scenario.
fn use_scenario(scenario: &Scenario, mode: RunMode) {
    let small = scenario.tasks.len() <= 200;
    let shared = Rc::new(scenario.clone());
    for m in RunMode::ALL {
        let prediction = predict(scenario, m);
        // The prediction as if measured: the figures the UI shows.
        let mut measured = Measurement::new(scenario.tasks.len());
        for (t, p) in measured.tasks.iter_mut().zip(&prediction.tasks) {
            t.start_ms = p.start_ms;
            t.end_ms = p.end_ms;
            t.outcome = Some(p.outcome);
            t.items_ms = p.items_ms.clone();
        }
        measured.total_ms = Some(prediction.total_ms);
        measured.last_event_ms = prediction.total_ms;
        let run = Run::finished(m, shared.clone(), prediction, measured);
        use_run(&run);
        if m == mode && small {
            let export = ExportRun::of(&run);
            let trace = to_chrome_trace(&export);
            let back = from_chrome_trace(&trace).expect("an exported trace imports");
            assert_eq!(back.measurement.tasks.len(), scenario.tasks.len());
            let _ = to_csv(&export);
            let _ = result_message(
                m,
                scenario,
                &run.prediction,
                &run.measurement,
                false,
                RunEnv::default(),
            );
            let _ = python_program(scenario, m, false);
            let _ = python_program(scenario, m, true);
            let _ = rust_program(scenario, m);
        }
    }
}

/// Layout, insights, comparison and task cards of one run.
fn use_run(run: &Run) {
    let _ = insights(&InsightContext::new(run));
    let _ = run_stats(&run.prediction, &run.measurement);
    let rows = compare_rows(&[run, run]);
    let _ = bar_chart(&rows);
    let _ = outcome_summary(run);
    let full = common_axis_ms([run]);
    let scale = TimeScale::new(full, 120.0, 800.0);
    let _ = layout_bars(&run.prediction, &run.measurement, Some(run.now_ms), &scale);
    assert!(ticks_in_ms(scale.start_ms, scale.end_ms(), 9).len() <= 21);
    let zoom = ZoomWindow::clamped(full * 0.25, full * 0.5, full);
    let zoomed = TimeScale::window(zoom.from_ms, zoom.span_ms(), 120.0, 800.0);
    let _ = layout_bars(&run.prediction, &run.measurement, None, &zoomed);
    assert!(ticks_in_ms(zoomed.start_ms, zoomed.end_ms(), 9).len() <= 21);
    for index in 0..run.scenario.tasks.len().min(3) {
        if let Some(card) = task_detail(&run.scenario, &run.prediction, &run.measurement, index) {
            let _ = card.sentence();
        }
    }
}

/// Runs the editor's scenario through the state machine, with the
/// prediction's events as the measurement, and uses what the history keeps.
fn play_a_run(app: &mut AppState) {
    record_a_run(app);
    for view in app.history.iter() {
        use_saved_run(&view.to_saved());
    }
}

/// Runs the editor's scenario as the model predicts it, into the history.
fn record_a_run(app: &mut AppState) {
    app.apply(Action::Run(RunRequest::Only(app.mode)));
    let Some(run) = app.running().cloned() else {
        return;
    };
    let mut events = Vec::new();
    for (index, t) in run.prediction.tasks.iter().enumerate() {
        if let Some(at_ms) = t.start_ms {
            events.push(EventKind::TaskStarted { index, at_ms });
        }
        if let Some(at_ms) = t.end_ms {
            events.push(EventKind::TaskFinished {
                index,
                at_ms,
                outcome: t.outcome,
            });
        }
    }
    events.push(EventKind::RunFinished {
        at_ms: run.prediction.total_ms,
    });
    let events = events
        .into_iter()
        .map(|kind| TraceEvent { run: run.id, kind })
        .collect();
    app.apply(Action::RunProgress {
        events,
        now_ms: Some(run.prediction.total_ms),
    });
}

/// `a` is `b` read back from JSON: equal but for the last bit of a time.
/// serde_json's float reader (without its `float_roundtrip` feature, which
/// the bundle doesn't carry) may land one ULP off the shortest text ryu wrote.
fn assert_same_times(a: &Prediction, b: &Prediction) {
    let close =
        |x: f64, y: f64| x == y || (x - y).abs() <= 4.0 * f64::EPSILON * x.abs().max(y.abs());
    let close_opt = |x: Option<f64>, y: Option<f64>| match (x, y) {
        (Some(x), Some(y)) => close(x, y),
        (x, y) => x == y,
    };
    assert_eq!(a.mode, b.mode);
    assert_eq!(a.caller_raised, b.caller_raised);
    assert_eq!(a.result_order, b.result_order);
    assert!(
        close(a.caller_ms, b.caller_ms) && close(a.total_ms, b.total_ms),
        "{a:?}\n{b:?}"
    );
    assert_eq!(a.tasks.len(), b.tasks.len());
    for (x, y) in a.tasks.iter().zip(&b.tasks) {
        assert_eq!(x.outcome, y.outcome);
        assert!(
            close_opt(x.start_ms, y.start_ms) && close_opt(x.end_ms, y.end_ms),
            "{x:?}\n{y:?}"
        );
        assert_eq!(x.items_ms.len(), y.items_ms.len());
        assert!(
            x.items_ms
                .iter()
                .zip(&y.items_ms)
                .all(|(&p, &q)| close(p, q)),
            "{x:?}\n{y:?}"
        );
    }
}

/// What the app does with a run it read (the autosave's history, an
/// imported trace): shows it, explains it, exports it and reads it back.
fn use_saved_run(run: &SavedRun) {
    let again = run_from_json(&run_to_json(run)).expect("the app reads what the worker sent");
    assert_eq!(again.measurement.tasks.len(), run.measurement.tasks.len());
    let mut app = AppState::default();
    app.apply(Action::ImportRun(run.clone()));
    let views: Vec<_> = app.history.iter().map(Rc::clone).collect();
    for view in &views {
        use_run(view);
        let sent = export_from_json(&export_request(view))
            .expect("the tools worker reads what it was sent");
        assert_same_times(&sent.prediction, &view.prediction);
        let trace = to_chrome_trace(&sent);
        match from_chrome_trace(&trace) {
            Ok(back) => assert_eq!(back.measurement.tasks.len(), view.scenario.tasks.len()),
            // A run can export more than import takes (see the report on
            // MAX_IMPORT_BYTES); it must say so, not fail otherwise.
            Err(e) => assert!(trace.len() > MAX_IMPORT_BYTES, "{e}"),
        }
        if view.scenario.tasks.len() <= 200 {
            let _ = to_csv(&sent);
        }
    }
    let _ = axis_span_ms(run.measurement.last_event_ms);
}

/// Reads `text` as an autosave and uses what it finds.
fn read_saved_state(text: &str) {
    match read_saved(text) {
        Ok(read) => {
            for e in &read.left_out {
                assert!(!e.path.is_empty(), "left out without a path: {e:?}");
            }
            assert_eq!(from_saved(text), Ok(read.state.clone()));
            let mut app = AppState::default();
            app.apply(Action::LoadScenario(read.state.scenario.clone()));
            app.apply(Action::LoadHistory(read.state.history.clone()));
            for run in &read.state.history {
                use_saved_run(run);
            }
            use_doc(&read.state.scenario);
            // What the app saves next reads back whole.
            let next = to_saved(&SavedState {
                scenario: app.scenario_doc(),
                history: app.saved_history(),
                guesses: app.tally,
            });
            assert!(read_saved(&next).unwrap().left_out.is_empty());
        }
        Err(e) => {
            check_error(&e, &["v", "scenario"]);
            assert!(from_saved(text).is_err());
        }
    }
}

fn read_run(text: &str) {
    match run_from_json(text) {
        Ok(run) => use_saved_run(&run),
        Err(e) => check_error(
            &e,
            &[
                "mode",
                "stopped",
                "started_unix_ms",
                "scenario",
                "measurement",
            ],
        ),
    }
}

fn read_trace(text: &str) {
    match from_chrome_trace(text) {
        Ok(run) => use_saved_run(&run),
        Err(e) => assert!(!e.message.is_empty()),
    }
}

fn read_message(text: &str) {
    match parse_inbound(text) {
        Ok(Inbound::Load(doc)) => use_doc(&doc),
        Ok(_) => {}
        Err(_) => {}
    }
}

// ---- valid documents to mutate --------------------------------------------

/// Every preset's scenario as compact JSON.
fn valid_doc_texts() -> &'static [String] {
    static TEXTS: OnceLock<Vec<String>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        presets()
            .iter()
            .filter_map(|p| preset_doc(p.slug))
            .map(|doc| to_json(&doc).replace('\n', ""))
            .collect()
    })
}

/// A run of each preset (the prediction as measured).
fn valid_runs() -> &'static [SavedRun] {
    static RUNS: OnceLock<Vec<SavedRun>> = OnceLock::new();
    RUNS.get_or_init(|| {
        let mut runs = Vec::new();
        for preset in presets() {
            let Some(doc) = preset_doc(preset.slug) else {
                continue;
            };
            let mut app = AppState::default();
            app.apply(Action::LoadScenario(doc));
            app.apply(Action::SetSpeed("50".into()));
            record_a_run(&mut app);
            runs.extend(app.saved_history());
        }
        runs
    })
}

/// An autosave with a scenario and a history of every preset's run.
fn valid_state_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        to_saved(&SavedState {
            scenario: preset_doc(presets()[0].slug).expect("a preset"),
            history: valid_runs().to_vec(),
            guesses: Default::default(),
        })
    })
}

fn valid_trace_text(index: usize) -> String {
    let runs = valid_runs();
    let saved = runs[index % runs.len()].clone();
    let run = Run::from_saved(saved, RunId(1)).expect("a preset's run loads");
    to_chrome_trace(&ExportRun::of(&run))
}

const SCENARIO_KEYS: &[&str] = &[
    "v",
    "title",
    "mode",
    "speed",
    "options",
    "tasks",
    "label",
    "ms",
    "kind",
    "message",
    "timeout_ms",
    "items",
    "body_ms",
    "repeat",
    "limit",
    "pool_size",
    "gil",
];
const SAVED_KEYS: &[&str] = &[
    "v",
    "scenario",
    "history",
    "mode",
    "stopped",
    "started_unix_ms",
    "measurement",
    "tasks",
    "start_ms",
    "end_ms",
    "outcome",
    "items_ms",
    "caller",
    "result_order",
    "lag",
    "total_ms",
    "last_event_ms",
    "ms",
    "kind",
    "speed",
    "options",
    "pool_size",
    "limit",
    "repeat",
];
const TRACE_KEYS: &[&str] = &[
    "traceEvents",
    "ts",
    "dur",
    "pid",
    "tid",
    "ph",
    "name",
    "args",
    "lag",
    "started",
    "finished",
    "outcome",
    "metadata",
    "async_playground",
    "version",
    "mode",
    "speed",
    "options",
    "limit",
    "pool_size",
    "tasks",
    "duration_text",
    "items_text",
    "kind",
    "result_order",
    "started_unix_ms",
    "stopped",
];

// ---- the suites -------------------------------------------------------------

#[test]
fn scenario_json_and_links() {
    fuzz(200, scenario_json, |text| {
        bounded(move || read_scenario_everywhere(&text))
    });
}

#[test]
fn scenario_json_mutated() {
    fuzz(
        200,
        || (scenario_json(), edits()),
        |(text, edits)| bounded(move || read_scenario_everywhere(&mutate(&text, &edits))),
    );
}

#[test]
fn presets_mutated() {
    fuzz(
        200,
        || {
            (
                any::<prop::sample::Index>(),
                replacements(SCENARIO_KEYS),
                prop::option::of(edits()),
            )
        },
        |(which, changes, edits)| {
            bounded(move || {
                let texts = valid_doc_texts();
                let mut text = texts[which.index(texts.len())].clone();
                for (key, nth, value) in &changes {
                    text = replace_value(&text, key, *nth, value);
                }
                if let Some(edits) = edits {
                    text = mutate(&text, &edits);
                }
                read_scenario_everywhere(&text);
            })
        },
    );
}

#[test]
fn saved_states() {
    fuzz(200, saved_json, |text| {
        bounded(move || read_saved_state(&text))
    });
}

#[test]
fn saved_states_mutated() {
    fuzz(
        200,
        || (replacements(SAVED_KEYS), prop::option::of(edits())),
        |(changes, edits)| {
            bounded(move || {
                let mut text = valid_state_text().to_string();
                for (key, nth, value) in &changes {
                    text = replace_value(&text, key, *nth, value);
                }
                if let Some(edits) = edits {
                    text = mutate(&text, &edits);
                }
                read_saved_state(&text);
            })
        },
    );
}

#[test]
fn runs() {
    fuzz(
        200,
        || (run_json(), prop::option::of(edits())),
        |(text, edits)| {
            bounded(move || {
                let text = match edits {
                    Some(edits) => mutate(&text, &edits),
                    None => text,
                };
                read_run(&text);
            })
        },
    );
}

#[test]
fn traces_mutated() {
    fuzz(
        64,
        || {
            (
                0usize..32,
                replacements(TRACE_KEYS),
                // The scenario's numbers travel as editor text.
                prop::collection::vec(
                    (
                        prop::sample::select(vec!["speed", "duration_text", "timeout_text"]),
                        0usize..20,
                        number_text().prop_map(|t| quoted(&t)),
                    ),
                    0..2,
                ),
                prop::option::of(edits()),
            )
        },
        |(which, changes, numbers, edits)| {
            bounded(move || {
                let mut text = valid_trace_text(which);
                for (key, nth, value) in changes.iter().chain(&numbers) {
                    text = replace_value(&text, key, *nth, value);
                }
                if let Some(edits) = edits {
                    text = mutate(&text, &edits);
                }
                read_trace(&text);
            })
        },
    );
}

#[test]
fn embed_messages() {
    fuzz(
        200,
        || {
            (
                prop_oneof![
                    3 => Just(quoted("async-playground:load")),
                    2 => prop::sample::select(vec!["run", "stop", "height", "result", "x"])
                        .prop_map(|k| quoted(&format!("async-playground:{k}"))),
                    1 => leaf(),
                ],
                prop_oneof![4 => Just("1".to_string()), 1 => leaf()],
                prop::option::of(leaf()),
                prop::option::of(prop_oneof![
                    3 => scenario_json(),
                    2 => scenario_json().prop_map(|s| quoted(&s)),
                    // Numbers as a tutorial page might send them.
                    2 => (
                        number_text(),
                        prop_oneof![3 => Just("10".to_string()), 1 => json_number()],
                    )
                        .prop_map(|(ms, speed)| {
                        format!(r#"{{"speed":{speed},"tasks":[{{"ms":{}}}]}}"#, quoted(&ms))
                    }),
                    1 => leaf()
                ]),
                unknown_fields(),
                prop::option::of(edits()),
            )
        },
        |(kind, v, mode, scenario, unknown, edits)| {
            bounded(move || {
                let mut fields = vec![("type".to_string(), kind), ("v".to_string(), v)];
                fields.extend(mode.map(|m| ("mode".to_string(), m)));
                fields.extend(scenario.map(|s| ("scenario".to_string(), s)));
                fields.extend(unknown);
                let text = object(fields);
                read_message(&text);
                if let Some(edits) = edits {
                    read_message(&mutate(&text, &edits));
                }
            })
        },
    );
}

/// Huge inputs: a few cases, each megabytes.
#[test]
fn huge_strings_and_deep_nesting() {
    fuzz(
        3,
        || {
            (
                prop::sample::select(vec![1usize << 20, 2 << 20]),
                prop::sample::select(vec![127usize, 128, 129, 300, 5000]),
            )
        },
        |(big, depth)| bounded(move || huge_inputs(big, depth)),
    );
}

fn huge_inputs(big: usize, depth: usize) {
    let long = "x".repeat(big);
    let digits = "9".repeat(big);
    let docs = [
        format!(r#"{{"tasks":[{{"label":"{long}"}}]}}"#),
        format!(r#"{{"tasks":[{{"ms":"{digits}"}}]}}"#),
        format!(r#"{{"tasks":[{{"ms":{digits}}}]}}"#),
        format!(r#"{{"tasks":[{{"ms":"1e-{digits}"}}]}}"#),
        format!(r#"{{"tasks":[{{"ms":"0.{digits}e{digits}"}}]}}"#),
        format!(r#"{{"{long}":1,"tasks":[{{}}]}}"#),
        format!(r#"{{"tasks":[{{"items":"{long}","repeat":10000}}]}}"#),
        format!(r#"{{"tasks":{}}}"#, nested("{}", depth, true)),
        format!(r#"{{"tasks":[{{"ms":{}}}]}}"#, nested("1", depth, false)),
        nested(r#"{"tasks":[{}]}"#, depth, true),
    ];
    // Megabytes through every reader; what they accept is only validated
    // here (the other suites feed normal sizes on through everything).
    let validate = |doc: &ScenarioDoc| {
        let _ = doc.validate();
    };
    for doc in &docs {
        if let Ok(d) = from_json(doc) {
            validate(&d);
        }
        if let Ok(Some(link)) = from_fragment(&format!("#j={doc}&run")) {
            validate(&link.doc);
        }
        if let Ok(Inbound::Load(d)) = parse_inbound(&format!(
            r#"{{"type":"async-playground:load","scenario":{doc}}}"#
        )) {
            validate(&d);
        }
        for saved in [
            format!(r#"{{"v":1,"scenario":{doc},"history":[]}}"#),
            format!(
                r#"{{"v":1,"scenario":{{"tasks":[]}},"history":[{{"scenario":{doc},"measurement":{{"tasks":[]}}}}]}}"#
            ),
        ] {
            if let Ok(read) = read_saved(&saved) {
                validate(&read.state.scenario);
                read.state
                    .history
                    .iter()
                    .for_each(|r| validate(&r.scenario));
            }
        }
        if let Ok(run) = run_from_json(&format!(
            r#"{{"scenario":{doc},"measurement":{{"tasks":[]}}}}"#
        )) {
            validate(&run.scenario);
        }
    }
    let times = format!(
        r#"{{"tasks":[{{"start_ms":0,"items_ms":[{}]}}]}}"#,
        vec!["1e10"; big / 8].join(",")
    );
    // A megabyte of item times: no stream yields that many.
    let run = run_from_json(&format!(
        r#"{{"scenario":{{"tasks":[{{}}]}},"measurement":{times}}}"#
    ));
    assert_eq!(run.unwrap_err().path, "measurement.tasks[0].items_ms");
    read_trace(&format!(
        r#"{{"traceEvents":{},"metadata":{{}}}}"#,
        nested("{}", depth, true)
    ));
    read_trace(&format!(
        r#"{{"traceEvents":[],"metadata":{{"async_playground":{{"version":1,"mode":"gathered","tasks":[],"title":"{long}"}}}}}}"#
    ));
}
