//! Native tests: Chrome trace export is valid Trace Event Format, reads back
//! into the same run, and import never panics; CSV quoting and guards.

#![cfg(not(target_arch = "wasm32"))]

use async_playground::domain::formats::export::{
    csv_text, from_chrome_trace, to_chrome_trace, to_csv, ExportRun, CSV_HEADER,
};
use async_playground::domain::model::{predict, Outcome, Prediction};
use async_playground::domain::run::measurement::{MeasuredTask, Measurement};
use async_playground::domain::run::{Run, SavedRun};
use async_playground::domain::scenario::doc::ScenarioDoc;
use async_playground::domain::scenario::{
    validate, RunMode, RunOptions, Scenario, TaskDraft, TaskId, TaskKind,
};
use proptest::prelude::*;
use serde_json::Value;

fn scenario() -> Scenario {
    let mut fail = TaskDraft::io(TaskId(2), "boom, \"really\"", "100").with_kind(TaskKind::Fail);
    fail.message = "it broke".into();
    let mut stream = TaskDraft::io(TaskId(3), "ticks", "20").with_kind(TaskKind::Stream);
    stream.items_text = "3".into();
    stream.body_text = "5".into();
    let mut slow = TaskDraft::io(TaskId(4), "slow", "900");
    slow.timeout_text = "300".into();
    let drafts = vec![
        TaskDraft::io(TaskId(1), "fetch 1", "250"),
        fail,
        stream,
        slow,
        TaskDraft::io(TaskId(5), "parse", "40").with_kind(TaskKind::Blocking),
        TaskDraft::io(TaskId(6), "read", "60").with_kind(TaskKind::OffloadedWait),
    ];
    let options = RunOptions {
        return_exceptions: true,
        pool_size: 4,
        ..RunOptions::default()
    };
    validate(&drafts, "2", options).unwrap()
}

/// The prediction with odd sub-ms lateness, lag samples and a caller.
fn measurement(p: &Prediction) -> Measurement {
    let mut m = Measurement::new(p.tasks.len());
    for (i, (mt, pt)) in m.tasks.iter_mut().zip(&p.tasks).enumerate() {
        let late = 0.123 * i as f64 + 0.4567;
        *mt = MeasuredTask {
            start_ms: pt.start_ms.map(|s| s + 0.25),
            end_ms: pt.end_ms.map(|e| e + late),
            outcome: Some(pt.outcome),
            items_ms: pt.items_ms.iter().map(|t| t + 0.5).collect(),
            thread: None,
        };
    }
    m.caller = Some((p.caller_ms + 1.5, p.caller_raised));
    m.result_order = p.result_order.clone();
    m.lag = vec![(10.0, 0.8), (60.25, 40.5), (120.0, 1.25)];
    m.total_ms = Some(p.total_ms + 2.0);
    m.last_event_ms = p.total_ms + 2.0;
    m
}

/// A finished run of `s` in `mode`, as export gets it.
fn export(mode: RunMode, s: &Scenario, p: &Prediction, m: &Measurement) -> ExportRun {
    ExportRun::of(&Run::finished(mode, s.clone(), p.clone(), m.clone()))
}

fn trace() -> (Scenario, Prediction, Measurement, String) {
    let s = scenario();
    let p = predict(&s, RunMode::Gather);
    let m = measurement(&p);
    let mut run = export(RunMode::Gather, &s, &p, &m);
    run.run.started_unix_ms = 1_700_000_000_000.0;
    let text = to_chrome_trace(&run);
    (s, p, m, text)
}

#[test]
fn trace_is_valid_trace_event_json() {
    let (s, _, _, text) = trace();
    let v: Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(v["displayTimeUnit"], "ms");
    let events = v["traceEvents"].as_array().expect("traceEvents");
    for e in events {
        let ph = e["ph"].as_str().expect("ph");
        assert!(e["name"].is_string(), "{e}");
        assert!(e["pid"].is_u64() && e["tid"].is_u64(), "{e}");
        assert!(e["ts"].is_number(), "{e}");
        match ph {
            "X" => assert!(e["dur"].as_f64().unwrap() >= 0.0, "{e}"),
            "i" => assert!(matches!(e["s"].as_str(), Some("t" | "p" | "g")), "{e}"),
            "C" => assert!(e["args"]
                .as_object()
                .unwrap()
                .values()
                .all(Value::is_number)),
            "M" => assert!(e["args"].is_object()),
            other => panic!("unexpected ph {other}"),
        }
    }
    let names: Vec<(u64, String)> = events
        .iter()
        .filter(|e| e["ph"] == "M" && e["name"] == "thread_name" && e["pid"] == 1)
        .map(|e| {
            (
                e["tid"].as_u64().unwrap(),
                e["args"]["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (i, task) in s.tasks.iter().enumerate() {
        let tid = i as u64 + 1;
        let named: Vec<_> = names.iter().filter(|(t, _)| *t == tid).collect();
        assert_eq!(named.len(), 1, "one thread_name for task {i}");
        assert_eq!(named[0].1, task.label);
    }
    assert!(names.iter().any(|(t, n)| *t == 0 && n == "caller"));
    let x = events
        .iter()
        .find(|e| e["ph"] == "X" && e["pid"] == 1 && e["tid"] == 1)
        .unwrap();
    assert_eq!(x["args"]["kind"], "io");
    assert_eq!(x["args"]["outcome"], "ok");
    assert!(x["args"]["predicted_end_ms"].is_number());
    assert!(events
        .iter()
        .any(|e| e["ph"] == "C" && e["name"] == "loop lag (ms)"));
    assert!(
        events.iter().any(|e| e["ph"] == "X" && e["pid"] == 2),
        "prediction process"
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| e["ph"] == "i" && e["name"] == "item")
            .count(),
        3
    );
    assert_eq!(v["metadata"]["async_playground"]["version"], 1);
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 0.0005,
        (None, None) => true,
        _ => false,
    }
}

#[test]
fn export_then_import_round_trips() {
    let (s, _, m, text) = trace();
    let run: SavedRun = from_chrome_trace(&text).expect("imports");
    let doc = ScenarioDoc::from_scenario(&s, RunMode::Gather);
    assert_eq!(run.scenario, doc);
    assert_eq!(run.mode, RunMode::Gather);
    assert!(!run.stopped);
    assert_eq!(run.started_unix_ms, 1_700_000_000_000.0);
    let back = &run.measurement;
    assert_eq!(back.tasks.len(), m.tasks.len());
    for (a, b) in back.tasks.iter().zip(&m.tasks) {
        assert!(close(a.start_ms, b.start_ms), "{a:?} vs {b:?}");
        assert!(close(a.end_ms, b.end_ms), "{a:?} vs {b:?}");
        assert_eq!(a.outcome, b.outcome);
        assert_eq!(a.items_ms.len(), b.items_ms.len());
        for (x, y) in a.items_ms.iter().zip(&b.items_ms) {
            assert!((x - y).abs() <= 0.0005);
        }
    }
    assert_eq!(back.result_order, m.result_order);
    assert_eq!(back.lag, m.lag);
    assert!(close(back.caller.map(|c| c.0), m.caller.map(|c| c.0)));
    assert_eq!(back.caller.map(|c| c.1), m.caller.map(|c| c.1));
    assert!(close(back.total_ms, m.total_ms));
    assert!((back.last_event_ms - m.last_event_ms).abs() <= 0.0005);
    // The scenario validates back to the one exported.
    let again = validate(
        &run.scenario.drafts,
        &run.scenario.speed_text,
        run.scenario.options,
    );
    assert_eq!(again.unwrap(), s);
}

#[test]
fn a_stopped_run_round_trips_its_unfinished_tasks() {
    let s = scenario();
    let p = predict(&s, RunMode::TaskGroup);
    let mut m = Measurement::new(s.tasks.len());
    m.tasks[0].start_ms = Some(0.0);
    m.tasks[1].end_ms = Some(3.0); // cancelled before it started
    m.tasks[1].outcome = Some(async_playground::domain::model::Outcome::Cancelled);
    m.last_event_ms = 50.0;
    let run = SavedRun {
        mode: RunMode::TaskGroup,
        scenario: ScenarioDoc::from_scenario(&s, RunMode::TaskGroup),
        measurement: m.clone(),
        stopped: true,
        started_unix_ms: 0.0,
    };
    let back = from_chrome_trace(&to_chrome_trace(&ExportRun { run, prediction: p })).unwrap();
    assert!(back.stopped);
    assert_eq!(back.measurement.tasks[0].start_ms, Some(0.0));
    assert_eq!(back.measurement.tasks[0].end_ms, None);
    assert_eq!(back.measurement.tasks[1].start_ms, None);
    assert_eq!(back.measurement.tasks[1].end_ms, Some(3.0));
    assert_eq!(back.measurement.tasks[1].outcome, m.tasks[1].outcome);
    assert_eq!(back.measurement.tasks[2], MeasuredTask::default());
    assert_eq!(back.measurement.total_ms, None);
}

#[test]
fn import_explains_what_is_wrong() {
    let err = |t: &str| from_chrome_trace(t).unwrap_err().message;
    assert!(err("").contains("not valid JSON"));
    assert!(err("[1,2]").contains("wasn't exported by Async Playground"));
    assert!(err("{}").contains("traceEvents"));
    let foreign = r#"{"traceEvents":[{"name":"x","ph":"X","ts":0,"dur":5,"pid":1,"tid":1}]}"#;
    assert!(err(foreign).starts_with("this trace wasn't exported by Async Playground"));
    let (_, _, _, text) = trace();
    assert!(err(&text[..text.len() / 2]).contains("not valid JSON"));
    let newer = text.replace("\"version\":1", "\"version\":99");
    assert!(err(&newer).contains("newer"));
    let bad_mode = text.replace("\"mode\":\"gathered\"", "\"mode\":\"warp\"");
    assert!(err(&bad_mode).contains("mode"));
    let huge = " ".repeat(21 * 1024 * 1024);
    assert!(err(&huge).contains("MB"));
}

proptest! {
    #[test]
    fn import_never_panics_on_arbitrary_text(text in ".{0,400}") {
        let _ = from_chrome_trace(&text);
    }

    #[test]
    fn import_never_panics_on_mangled_traces(cut in 0usize..4000, byte in 0u8..128) {
        let (_, _, _, text) = trace();
        let mut bytes = text.into_bytes();
        let at = cut % bytes.len();
        bytes[at] = byte;
        if let Ok(mangled) = String::from_utf8(bytes) {
            let _ = from_chrome_trace(&mangled);
            let _ = from_chrome_trace(&mangled[..at]);
        }
    }
}

#[test]
fn csv_has_a_row_per_task_with_quoting() {
    let (s, p, m, _) = trace();
    let csv = to_csv(&export(RunMode::Gather, &s, &p, &m));
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines[0], CSV_HEADER);
    assert_eq!(
        lines.len(),
        s.tasks.len() + 2,
        "header, rows, trailing empty"
    );
    assert!(
        lines[1].starts_with("0,fetch 1,io,0.000,125.000,0.250,125.457,0.457,ok"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("1,\"boom, \"\"really\"\"\",fail,"),
        "{}",
        lines[2]
    );
}

#[test]
fn csv_text_quotes_and_guards_formulas() {
    assert_eq!(csv_text("plain"), "plain");
    assert_eq!(csv_text("a,b"), "\"a,b\"");
    assert_eq!(csv_text("say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_eq!(csv_text("two\nlines"), "\"two\nlines\"");
    assert_eq!(csv_text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    assert_eq!(csv_text("+1"), "'+1");
    assert_eq!(csv_text("-cmd"), "'-cmd");
    assert_eq!(csv_text("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(csv_text("\tx"), "'\tx");
    assert_eq!(csv_text("a=b"), "a=b");
}

#[test]
fn poisoned_times_are_refused_not_drawn() {
    // Times from a trace drive the timeline's layout; 1e300 ms is no run.
    let (_, _, _, text) = trace();
    let poison = |edit: &dyn Fn(&mut Value)| {
        let mut value: Value = serde_json::from_str(&text).unwrap();
        edit(&mut value);
        from_chrome_trace(&value.to_string())
    };
    let first_task = |v: &mut Value| -> usize {
        v["traceEvents"]
            .as_array()
            .unwrap()
            .iter()
            .position(|e| e["ph"] == "X" && e["pid"] == 1)
            .unwrap()
    };
    for (field, value) in [("ts", 1e300), ("dur", 1e300), ("ts", -1e300)] {
        let err = poison(&|v| {
            let i = first_task(v);
            v["traceEvents"][i][field] = serde_json::json!(value);
        })
        .unwrap_err();
        assert!(
            err.message.contains("out of range"),
            "{field}={value}: {err}"
        );
        assert!(err.message.contains("traceEvents["), "{err}");
    }
    let err = poison(&|v| {
        v["metadata"]["async_playground"]["started_unix_ms"] = serde_json::json!(1e300)
    })
    .unwrap_err();
    assert!(err.message.contains("started_unix_ms"), "{err}");
    // Sane but odd times still import.
    assert!(poison(&|v| {
        let i = first_task(v);
        v["traceEvents"][i]["ts"] = serde_json::json!(5e9);
    })
    .is_ok());
}

/// A trace exported by an earlier build (`tests/fixtures/trace_v1.json`,
/// format 1, with the `title` earlier builds wrote) still imports as it was.
#[test]
fn an_old_trace_still_imports() {
    let run = from_chrome_trace(include_str!("fixtures/trace_v1.json")).expect("imports");
    assert_eq!(run.mode, RunMode::Gather);
    assert!(!run.stopped);
    assert_eq!(run.started_unix_ms, 1_700_000_000_000.0);
    let doc = &run.scenario;
    assert_eq!(doc.title, "an old trace");
    assert_eq!(doc.speed_text, "2");
    assert_eq!(doc.options.pool_size, 4);
    assert!(doc.options.return_exceptions);
    let kinds: Vec<TaskKind> = doc.drafts.iter().map(|d| d.kind).collect();
    use TaskKind::*;
    assert_eq!(kinds, [Io, Fail, Stream, Io, Blocking]);
    assert_eq!(doc.drafts[1].label, "boom, \"really\"");
    assert_eq!(doc.drafts[1].message, "it broke");
    assert_eq!(doc.drafts[3].timeout_text, "300");
    let scenario = doc.validate().expect("the scenario is valid");
    assert_eq!(scenario.tasks.len(), 5);
    let m = &run.measurement;
    assert_eq!(m.tasks[0].start_ms, Some(0.25));
    assert_eq!(m.tasks[0].end_ms, Some(125.5));
    assert_eq!(m.tasks[2].items_ms, [20.5, 33.5, 46.5]);
    assert_eq!(m.tasks[3].outcome, Some(Outcome::TimedOut));
    assert_eq!(m.lag, [(10.0, 0.75), (60.25, 40.5)]);
    assert_eq!(m.caller, Some((151.5, false)));
    assert_eq!(m.result_order, [0, 1, 2, 3, 4]);
    assert_eq!(m.total_ms, Some(152.0));
}

/// The trace and the CSV show the prediction the run was shown with, as it
/// was: export never works it out again.
#[test]
fn the_prediction_is_exported_as_it_was() {
    let s = scenario();
    let mut p = predict(&s, RunMode::Gather);
    for t in &mut p.tasks {
        t.start_ms = t.start_ms.map(|ms| ms + 7.0);
        t.end_ms = t.end_ms.map(|ms| ms + 7.0);
    }
    p.caller_ms += 7.0;
    let m = measurement(&p);
    let run = export(RunMode::Gather, &s, &p, &m);
    let v: Value = serde_json::from_str(&to_chrome_trace(&run)).unwrap();
    let first = v["traceEvents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["ph"] == "X" && e["pid"] == 2 && e["tid"] == 1)
        .expect("the predicted first task");
    assert_eq!(first["ts"], 7000.0);
    assert_eq!(first["dur"], 125_000.0);
    let csv = to_csv(&run);
    let row = csv.split("\r\n").nth(1).unwrap();
    assert!(row.starts_with("0,fetch 1,io,7.000,132.000,"), "{row}");
}

/// An export's file has no title (a run has none) and the run's own start.
#[test]
fn a_trace_carries_the_run_s_start_and_no_title() {
    let (_, _, _, text) = trace();
    let v: Value = serde_json::from_str(&text).unwrap();
    let meta = &v["metadata"]["async_playground"];
    assert_eq!(meta["started_unix_ms"], 1_700_000_000_000.0);
    assert!(meta.get("title").is_none(), "{meta}");
}

/// A speed of more than three decimals is written as it is, so the trace's
/// scenario runs at the run's own speed when imported.
#[test]
fn an_odd_speed_survives_export_and_import() {
    let drafts = vec![TaskDraft::io(TaskId(1), "a", "1000")];
    let s = validate(&drafts, "1.23456", RunOptions::default()).unwrap();
    let p = predict(&s, RunMode::Gather);
    let m = measurement(&p);
    let back = from_chrome_trace(&to_chrome_trace(&export(RunMode::Gather, &s, &p, &m))).unwrap();
    assert_eq!(back.scenario.speed_text, "1.23456");
    assert_eq!(back.scenario.validate(), Ok(s));
}
