//! Native tests: the tools worker's jobs (domain::formats::tools) give what
//! the generators and exporters give when called directly, a run travels to
//! the worker as it was (its prediction included), and bad payloads get
//! messages, not panics.

#![cfg(not(target_arch = "wasm32"))]

use async_playground::domain::analysis::compare_table::{compare_html, escape};
use async_playground::domain::analysis::insights::{
    insights, insights_html, Insight, InsightContext, Severity,
};
use async_playground::domain::codegen::python::python_program;
use async_playground::domain::codegen::rust::rust_program;
use async_playground::domain::formats::codec::{export_from_json, to_json};
use async_playground::domain::formats::export::{to_chrome_trace, to_csv, ExportRun, CSV_HEADER};
use async_playground::domain::formats::tools::{
    answer, compare_request, export_request, imported_run, insights_request,
    preset_text_from_answer, program_request, Op,
};
use async_playground::domain::model::predict;
use async_playground::domain::run::events::RunId;
use async_playground::domain::run::measurement::{MeasuredTask, Measurement};
use async_playground::domain::run::{Run, RunStatus};
use async_playground::domain::scenario::doc::ScenarioDoc;
use async_playground::domain::scenario::presets::{presets, MENU};
use async_playground::domain::scenario::{
    validate, RunMode, RunOptions, Scenario, TaskDraft, TaskId, TaskKind,
};

fn scenario() -> Scenario {
    let mut fail = TaskDraft::io(TaskId(2), "boom", "100").with_kind(TaskKind::Fail);
    fail.message = "it broke".into();
    let drafts = vec![
        TaskDraft::io(TaskId(1), "fetch, \"one\"", "250"),
        fail,
        TaskDraft::io(TaskId(3), "parse", "40").with_kind(TaskKind::Blocking),
    ];
    let options = RunOptions {
        return_exceptions: true,
        ..RunOptions::default()
    };
    validate(&drafts, "2", options).unwrap()
}

fn run(mode: RunMode) -> Run {
    let s = scenario();
    let p = predict(&s, mode);
    let mut m = Measurement::new(p.tasks.len());
    for (mt, pt) in m.tasks.iter_mut().zip(&p.tasks) {
        *mt = MeasuredTask {
            start_ms: pt.start_ms.map(|t| t + 0.25),
            end_ms: pt.end_ms.map(|t| t + 1.5),
            outcome: Some(pt.outcome),
            items_ms: Vec::new(),
            thread: None,
        };
    }
    m.total_ms = Some(p.total_ms + 2.0);
    m.last_event_ms = p.total_ms + 2.0;
    let mut run = Run::finished(mode, s, p, m);
    run.started_unix_ms = 1_700_000_000_000.25;
    run
}

#[test]
fn every_op_has_a_wire_name_that_reads_back() {
    for op in Op::ALL {
        assert_eq!(Op::from_name(op.name()), Some(op));
    }
    assert_eq!(Op::from_name("delete-everything"), None);
}

#[test]
fn programs_are_the_generators_own_for_every_mode() {
    let s = scenario();
    for mode in RunMode::ALL {
        let payload = program_request(&s, mode);
        assert_eq!(
            answer(Op::Python, &payload),
            Ok(python_program(&s, mode, false)),
            "{mode:?}"
        );
        assert_eq!(
            answer(Op::Rust, &payload),
            Ok(rust_program(&s, mode)),
            "{mode:?}"
        );
    }
}

#[test]
fn a_trace_is_the_exporters_and_imports_back_to_the_run() {
    let run = run(RunMode::Gather);
    let payload = export_request(&run);
    let trace = answer(Op::Trace, &payload).unwrap();
    // The wire rounds measured times to 0.01 ms, as the history does.
    assert_eq!(trace, to_chrome_trace(&ExportRun::of(&run)));
    let back = imported_run(&answer(Op::Import, &trace).unwrap()).unwrap();
    assert_eq!(back.mode, RunMode::Gather);
    assert_eq!(back.measurement.tasks, run.measurement.tasks);
    assert_eq!(back.started_unix_ms, run.started_unix_ms);
    assert_eq!(back.scenario, run.to_saved().scenario);
}

#[test]
fn a_run_reaches_the_worker_as_it_was() {
    let mut run = run(RunMode::TaskGroup);
    // A prediction the scenario would not give again: the worker keeps it.
    let mut odd = (*run.prediction).clone();
    odd.caller_ms += 1.0 / 3.0;
    odd.tasks[0].end_ms = Some(123.456_789);
    run.prediction = odd.into();
    let sent = export_from_json(&export_request(&run)).expect("the worker reads it");
    assert_eq!(sent, ExportRun::of(&run));
    assert_eq!(
        answer(Op::Csv, &export_request(&run)),
        Ok(to_csv(&ExportRun::of(&run)))
    );
}

#[test]
fn a_csv_has_the_header_and_a_row_per_task() {
    let csv = answer(Op::Csv, &export_request(&run(RunMode::Sequential))).unwrap();
    assert!(csv.starts_with(CSV_HEADER), "{csv}");
    assert_eq!(csv.matches("\r\n").count(), 1 + 3, "{csv}");
    assert!(csv.contains("\"fetch, \"\"one\"\"\""), "{csv}");
}

#[test]
fn bad_payloads_get_messages() {
    let import = answer(Op::Import, "not a trace").unwrap_err();
    assert!(!import.is_empty());
    let trace = answer(Op::Trace, "{}").unwrap_err();
    assert!(trace.starts_with("the run could not be read"), "{trace}");
    let mut short = export_request(&run(RunMode::Gather));
    short = short.replacen("{\"start_ms\"", "{\"x\":1,\"start_ms\"", 1);
    assert!(
        answer(Op::Csv, &short).is_err(),
        "unknown fields are refused"
    );
    let mut payload: serde_json::Value =
        serde_json::from_str(&export_request(&run(RunMode::Gather))).unwrap();
    payload["prediction"]["tasks"].as_array_mut().unwrap().pop();
    let mismatch = answer(Op::Trace, &payload.to_string()).unwrap_err();
    assert!(mismatch.contains("prediction.tasks"), "{mismatch}");
    let mut doc = ScenarioDoc::from_scenario(&scenario(), RunMode::Gather);
    doc.drafts[0].duration_text = "soon".into();
    let program = answer(Op::Python, &to_json(&doc)).unwrap_err();
    assert!(program.starts_with("tasks[0].ms"), "{program}");
    assert!(answer(Op::Rust, "garbage").is_err());
}

#[test]
fn share_snippets_are_written_by_the_tools_worker_with_their_options() {
    use async_playground::domain::formats::codec::to_fragment;
    use async_playground::domain::formats::embed_options::EmbedOptions;
    use async_playground::domain::formats::snippets::{write, Snippet};
    use async_playground::domain::formats::tools::snippet_request;
    let doc = ScenarioDoc::from_scenario(&scenario(), RunMode::TaskGroup);
    let app = "https://example.org/playground/";
    let mut options = EmbedOptions::default();
    options.set("modes", "sequential taskgroup");
    options.set("controls", "minimal");
    for snippet in Snippet::ALL {
        let fragment = to_fragment(&doc, false);
        let payload = snippet_request(snippet.slug(), app, &options.query(), &fragment);
        assert_eq!(
            answer(Op::Snippet, &payload),
            Ok(write(snippet, &doc, &options, app)),
            "{snippet:?}"
        );
    }
    let bad = snippet_request("poster", app, "", &to_fragment(&doc, false));
    assert!(answer(Op::Snippet, &bad).is_err());
    assert!(answer(Op::Snippet, "markdown\nx\n\ns1=!!!").is_err());
    assert!(answer(Op::Snippet, "markdown\nx\n\n").is_err());
    assert!(answer(Op::Snippet, "").is_err());
}

#[test]
fn the_worker_finds_the_insights_found_in_place() {
    let sequential = run(RunMode::Sequential);
    let mut gathered = run(RunMode::Gather);
    // A stopped run with a blocking call reported late: findings of its own.
    gathered.status = RunStatus::Stopped;
    let mut ctx = InsightContext::new(&gathered);
    ctx.sequential = Some(&sequential);
    ctx.hidden_ms = 1234.5;
    ctx.throttled = true;
    ctx.env_note = Some("the tab was \"hidden\"\nfor a while".into());
    let found = insights(&ctx);
    assert!(!found.is_empty());
    let reply = answer(Op::Insights, &insights_request(&ctx)).unwrap();
    assert_eq!(reply, insights_html(&found));
    assert_eq!(reply.matches("<li class=\"insight").count(), found.len());
    // Alone, in a visible tab, and finished.
    let done = run(RunMode::Gather);
    let alone = InsightContext::new(&done);
    let reply = answer(Op::Insights, &insights_request(&alone)).unwrap();
    assert_eq!(reply, insights_html(&insights(&alone)));
}

#[test]
fn bad_insights_jobs_get_messages_and_findings_are_escaped() {
    for job in ["", "garbage", "[]", "{}", "{\"run\":null}", "{\"run\":{}}"] {
        assert!(answer(Op::Insights, job).is_err(), "{job}");
    }
    assert_eq!(insights_html(&[]), "");
    let hostile = Insight {
        severity: Severity::Warn,
        kind: "x\"><script>".to_string(),
        text: "task 'a<b>' & more".to_string(),
        claim: async_playground::domain::analysis::insights::Claim::Measured,
    };
    let html = insights_html(&[hostile]);
    assert!(
        !html.contains("<script>") && !html.contains("<b>"),
        "{html}"
    );
    assert!(
        html.contains("visually-hidden\">Warning: </span>"),
        "{html}"
    );
}

#[test]
fn the_worker_explains_every_preset_on_the_menu() {
    let all = presets();
    assert_eq!(all.len(), MENU.len());
    for (preset, (slug, title)) in all.iter().zip(MENU) {
        assert_eq!((preset.slug, preset.title), (slug, title));
        let text = preset_text_from_answer(&answer(Op::Preset, slug).unwrap()).unwrap();
        assert_eq!(text.explanation, preset.explanation);
        assert_eq!(text.python_idea, preset.python_idea);
        let claims: serde_json::Value = serde_json::from_str(&text.claims).unwrap();
        assert_eq!(claims.as_array().unwrap().len(), preset.expect.claims.len());
        for (json, claim) in claims.as_array().unwrap().iter().zip(&preset.expect.claims) {
            assert_eq!(json["mode"], claim.mode.slug());
            assert_eq!(json["total_ms"], claim.total_ms);
        }
    }
    assert!(answer(Op::Preset, "no-such-preset").is_err());
    assert!(preset_text_from_answer("{\"explanation\":1}").is_err());
}

#[test]
fn the_worker_writes_the_comparison_table_of_the_runs_as_shown() {
    let mut sequential = run(RunMode::Sequential);
    sequential.id = RunId(3);
    let mut gathered = run(RunMode::Gather);
    gathered.id = RunId(4);
    gathered.status = RunStatus::Stopped;
    let runs = [&gathered, &sequential];
    let html = answer(Op::Compare, &compare_request(&runs)).unwrap();
    assert_eq!(html, compare_html(&runs));
    assert_eq!(html.matches("<tr data-mode=").count(), 2, "{html}");
    assert_eq!(html.matches("class=\"chart-row\"").count(), 2, "{html}");
    assert!(
        html.contains("<th scope=\"row\">Sequential #3</th>"),
        "{html}"
    );
    assert!(html.contains("1.0×"), "the baseline against itself: {html}");
    assert!(html.contains("data-wall-ms=\""), "{html}");
    assert!(!html.contains("w-NaN"));
    assert_eq!(compare_html(&[]).matches("<tr data-mode=").count(), 0);
}

#[test]
fn comparison_text_is_escaped_and_bad_jobs_get_messages() {
    assert_eq!(
        escape("<img src=x onerror='a'> & \"b\""),
        "&lt;img src=x onerror=&#39;a&#39;&gt; &amp; &quot;b&quot;"
    );
    for job in ["", "{}", "[1]", "[{\"id\":1}]", "[{\"id\":1,\"run\":{}}]"] {
        assert!(answer(Op::Compare, job).is_err(), "{job}");
    }
    assert_eq!(answer(Op::Compare, "[]"), Ok(compare_html(&[])));
}

#[test]
fn the_task_table_has_a_row_per_task_with_its_numbers_and_escaped_labels() {
    use async_playground::domain::analysis::task_table::task_table_html;
    let done = run(RunMode::Gather);
    let html = task_table_html(&done);
    assert_eq!(
        html.matches("<tr data-predicted-end-ms=").count(),
        3,
        "{html}"
    );
    assert!(html.contains("fetch, &quot;one&quot;"), "{html}");
    assert!(html.contains("data-measured-outcome="), "{html}");
    assert!(
        html.contains("+1.5 ms"),
        "each task ends 1.5 ms late: {html}"
    );
    assert!(!html.contains("First "), "{html}");
}

#[test]
fn the_event_log_jobs_are_the_direct_calls_and_read_back() {
    use async_playground::domain::codegen::lesson::lesson_program;
    use async_playground::domain::formats::steps::{
        snapshot_from_json, snapshot_json, steps_from_json, steps_json, steps_view,
    };
    use async_playground::domain::formats::tools::snapshot_request;
    use async_playground::domain::model::log::{event_log, Snapshots};
    let s = scenario();
    for mode in RunMode::ALL {
        let payload = program_request(&s, mode);
        let steps = answer(Op::Steps, &payload).unwrap();
        assert_eq!(steps, steps_json(&s, mode), "{mode:?}");
        assert_eq!(
            answer(Op::Lesson, &payload),
            Ok(lesson_program(&s, mode).text)
        );
        // What the app reads back is the log itself.
        let log = event_log(&s, mode, Snapshots::All);
        let view = steps_from_json(&steps).unwrap();
        assert_eq!(
            view,
            steps_view(&log, &lesson_program(&s, mode)),
            "{mode:?}"
        );
        assert_eq!(view.steps.len(), log.steps.len());
        for (k, step) in log.steps.iter().enumerate() {
            let job = answer(Op::Snapshot, &snapshot_request(&s, mode, k)).unwrap();
            assert_eq!(Ok(job.clone()), snapshot_json(&s, mode, k));
            assert_eq!(
                snapshot_from_json(&job).as_ref(),
                Ok(step.snapshot.as_ref().unwrap()),
                "{mode:?} step {k}"
            );
        }
        let past = snapshot_request(&s, mode, log.steps.len());
        assert!(answer(Op::Snapshot, &past).is_err());
    }
}

#[test]
fn bad_event_log_jobs_get_messages() {
    use async_playground::domain::formats::steps::{snapshot_from_json, steps_from_json};
    for job in ["", "{}", "not json", "[1]"] {
        assert!(answer(Op::Steps, job).is_err(), "{job}");
        assert!(answer(Op::Lesson, job).is_err(), "{job}");
        assert!(answer(Op::Snapshot, job).is_err(), "{job}");
    }
    let doc = program_request(&scenario(), RunMode::Gather);
    for step in ["x", "-1", "99999999999999999999999", ""] {
        assert!(
            answer(Op::Snapshot, &format!("{step}\n{doc}")).is_err(),
            "{step}"
        );
    }
    for text in ["", "{}", "[]", "{\"steps\":[[1]]}", "null"] {
        assert!(steps_from_json(text).is_err(), "{text}");
        assert!(snapshot_from_json(text).is_err(), "{text}");
    }
}
