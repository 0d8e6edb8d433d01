//! Native tests: the stepper's view of one step (`formats::step_view`),
//! as the tools worker writes it: every step of every preset under every
//! mode draws, the cursor and the running line follow the step, a dragged
//! time finds its step, and the blocking preset shows the loop stalled
//! where its `to_thread` variant keeps it free.

#![cfg(not(target_arch = "wasm32"))]

use async_playground::domain::formats::codec;
use async_playground::domain::formats::step_view::{
    answer_step_view, overdue, read_step_view, step_view, step_view_request, timers_note, Cursor,
};
use async_playground::domain::formats::tools::{answer, export_request, Op};
use async_playground::domain::model::log::{event_log, Snapshots, StepKind};
use async_playground::domain::model::predict;
use async_playground::domain::run::measurement::Measurement;
use async_playground::domain::run::Run;
use async_playground::domain::scenario::doc::ScenarioDoc;
use async_playground::domain::scenario::presets::{preset_doc, Change, MENU};
use async_playground::domain::scenario::{RunMode, Scenario, TaskKind};

fn scenario(doc: &ScenarioDoc) -> Scenario {
    doc.validate().expect("a valid preset")
}

#[test]
fn every_step_of_every_preset_under_every_mode_draws() {
    for (slug, _) in MENU {
        let doc = preset_doc(slug).unwrap();
        let scenario = scenario(&doc);
        for mode in RunMode::ALL {
            let count = event_log(&scenario, mode, Snapshots::None).steps.len();
            assert!(count > 0, "{slug} {mode:?}");
            for step in [0, count / 3, count / 2, count - 1, count + 5] {
                let (shown, view) = step_view(&scenario, mode, Cursor::Step(step), None);
                assert_eq!(shown, step.min(count - 1));
                assert_eq!(view.count, count);
                assert!(
                    view.html
                        .contains(&format!("Step {} of {count}", shown + 1)),
                    "{slug} {mode:?} {step}"
                );
                assert!(view.html.contains("sv-cursor"));
                assert!(
                    view.html.contains("<h4>Ready queue</h4>"),
                    "{slug} {mode:?}"
                );
                assert!(view.html.matches("<mark").count() <= 1);
            }
        }
    }
}

#[test]
fn a_dragged_time_finds_the_last_step_begun_by_then() {
    let doc = preset_doc("two-tasks").unwrap();
    let scenario = scenario(&doc);
    let log = event_log(&scenario, RunMode::Gather, Snapshots::None);
    for (i, step) in log.steps.iter().enumerate() {
        let (shown, view) = step_view(&scenario, RunMode::Gather, Cursor::At(step.at_ms), None);
        assert!(
            shown >= i || log.steps[shown].at_ms == step.at_ms,
            "step {i}"
        );
        assert_eq!(view.at_ms, step.at_ms);
    }
    let (shown, _) = step_view(&scenario, RunMode::Gather, Cursor::At(-5.0), None);
    assert_eq!(shown, 0);
    let (shown, _) = step_view(&scenario, RunMode::Gather, Cursor::At(1e12), None);
    assert_eq!(shown, log.steps.len() - 1);
}

#[test]
fn the_blocking_preset_stalls_the_loop_and_its_to_thread_variant_keeps_it_free() {
    let doc = preset_doc("blocking-vs-to-thread").unwrap();
    let blocking = scenario(&doc);
    let count = event_log(&blocking, RunMode::Gather, Snapshots::None)
        .steps
        .len();
    let views: Vec<String> = (0..count)
        .map(|s| {
            step_view(&blocking, RunMode::Gather, Cursor::Step(s), None)
                .1
                .html
        })
        .collect();
    assert!(
        views[0].contains("sv-seg blocking"),
        "the loop lane shows the stall"
    );
    assert!(
        views[0].contains("st-blocking"),
        "a task bar shaded as blocking"
    );
    let threaded = scenario(&Change::Offload.apply(&doc));
    let count = event_log(&threaded, RunMode::Gather, Snapshots::None)
        .steps
        .len();
    let views: Vec<String> = (0..count)
        .map(|s| {
            step_view(&threaded, RunMode::Gather, Cursor::Step(s), None)
                .1
                .html
        })
        .collect();
    assert!(
        !views[0].contains("sv-seg blocking"),
        "to_thread: the loop is never blocked"
    );
    assert!(
        views.iter().any(|v| v.contains("Threads (3 of")),
        "threads at work"
    );
    assert!(views.iter().any(|v| v.contains("st-thread")));
}

#[test]
fn the_worker_job_reads_a_scenario_or_a_measured_run_and_refuses_garbage() {
    let doc = preset_doc("two-tasks").unwrap();
    let s = scenario(&doc);
    let from_doc = answer(
        Op::StepView,
        &step_view_request(Cursor::Step(2), &format!("D{}", codec::to_json(&doc))),
    )
    .unwrap();
    let (count, step, _, text, lesson, html) = read_step_view(&from_doc).unwrap();
    // The lesson for the Code view: one line, the step's line marked.
    assert!(
        !lesson.contains('\n') && lesson.contains("&#10;"),
        "{lesson}"
    );
    assert_eq!(
        lesson.matches("<mark class=\"sv-line\"").count(),
        1,
        "{lesson}"
    );
    assert!(lesson.contains("aria-current=\"true\""), "{lesson}");
    assert_eq!(step, 2);
    assert!(count > 2);
    assert!(text.starts_with("at "), "{text}");
    assert!(html.contains("Step 3 of"));
    // A finished run: the measured bars and the moment's counts come along.
    let prediction = predict(&s, RunMode::Gather);
    let mut measurement = Measurement::new(s.tasks.len());
    for (m, p) in measurement.tasks.iter_mut().zip(&prediction.tasks) {
        m.start_ms = p.start_ms;
        m.end_ms = p.end_ms.map(|e| e + 2.0);
    }
    measurement.total_ms = Some(prediction.total_ms + 2.0);
    measurement.lag = vec![(250.0, 12.0)];
    let run = Run::finished(RunMode::Gather, s.clone(), prediction, measurement);
    let from_run = answer(
        Op::StepView,
        &step_view_request(Cursor::At(250.0), &format!("R{}", export_request(&run))),
    )
    .unwrap();
    let (_, _, at_ms, _, _, html) = read_step_view(&from_run).unwrap();
    assert!(at_ms <= 250.0);
    assert!(html.contains("sv-measured"), "{html}");
    assert!(html.contains("Run: "), "{html}");
    // A dragged cursor's time goes as fixed decimals (to the microsecond)
    // and is read back.
    let request = step_view_request(Cursor::At(250.1234567), "D{}");
    assert!(request.starts_with("t250.123\n"), "{request}");
    let (_, _, at_ms, _, _, _) = read_step_view(
        &answer(
            Op::StepView,
            &step_view_request(Cursor::At(249.9996), &format!("R{}", export_request(&run))),
        )
        .unwrap(),
    )
    .unwrap();
    assert!(at_ms <= 250.0);
    for bad in [
        "",
        "s1",
        "x\nD{}",
        "s1\nD{",
        "s1\nQ{}",
        "t1e999\nD{}",
        "s99999999999999999999\nD{}",
    ] {
        assert!(answer_step_view(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn the_answer_reader_never_panics() {
    for text in [
        "",
        "\n",
        "3\n",
        "3\n1\n",
        "3\n1\nx\n",
        "x\n1\n0\ns\nh",
        "3\n9\n1e999\ns\n<p>",
    ] {
        let _ = read_step_view(text);
    }
    assert!(read_step_view("3\n1\n250\nat 250 ms, x\nx&#10;y\n<p>a\nb</p>").is_ok());
}

/// Each step of `scenario` gathered, drawn: (sentence, html).
fn gathered_views(scenario: &Scenario) -> Vec<(String, String)> {
    let count = event_log(scenario, RunMode::Gather, Snapshots::None)
        .steps
        .len();
    (0..count)
        .map(|s| {
            let view = step_view(scenario, RunMode::Gather, Cursor::Step(s), None).1;
            (view.text, view.html)
        })
        .collect()
}

fn step_saying<'a>(views: &'a [(String, String)], words: &str) -> &'a (String, String) {
    views
        .iter()
        .find(|(text, _)| text.contains(words))
        .unwrap_or_else(|| panic!("no step says {words:?}"))
}

#[test]
fn timers_due_while_a_blocking_call_holds_the_loop_pile_up_overdue() {
    let doc = preset_doc("blocking-vs-to-thread").unwrap();
    let views = gathered_views(&scenario(&doc));
    // The sleeps' timers (100, 200, 300 ms) are set before the first
    // download blocks from 0 to 500 ms: after it they are all overdue.
    let (text, html) = step_saying(&views, "requests.get 1 starts");
    assert!(
        text.ends_with(
            "The loop is blocked while 3 timers are due: at 500 ms they wait in the heap, up to 400 ms late."
        ),
        "{text}"
    );
    assert!(
        html.contains("<p class=\"sv-note sv-late\">The loop is blocked while 3 timers are due")
    );
    assert!(html.contains("3 timers overdue at 500 ms"), "{html}");
    for (timer, late) in [(1, 400), (2, 300), (3, 200)] {
        let due = timer * 100;
        // (the HTML escapes the apostrophe)
        let item = format!(
            "<li class=\"sv-overdue\">ping {timer}&#39;s sleep (due at {due} ms) — overdue, {late} ms late</li>"
        );
        assert!(html.contains(&item), "ping {timer}: {html}");
    }
    assert_eq!(
        html.matches("class=\"sv-due\"").count(),
        3,
        "a tick per overdue deadline on the loop lane"
    );
    assert!(html.contains("an overdue timer's deadline"));
    // They pile up: each download makes them later.
    let (text, _) = step_saying(&views, "requests.get 2 starts");
    assert!(
        text.contains("3 timers are due: at 1000 ms they wait in the heap, up to 900 ms late."),
        "{text}"
    );
    let (text, _) = step_saying(&views, "requests.get 3 starts");
    assert!(text.contains("up to 1400 ms late."), "{text}");
    // The loop gets to them when the last download lets go.
    let (text, html) = step_saying(&views, "3 timers due:");
    assert!(text.starts_with("at 1500 ms, "), "{text}");
    assert!(
        text.ends_with("They fire up to 1400 ms late: a blocking call held the loop."),
        "{text}"
    );
    assert!(!html.contains("sv-overdue"), "the heap is empty again");
    // Before the block, the timers are in the heap but not due.
    let (text, html) = step_saying(&views, "ping 3 starts");
    assert!(
        !text.contains("overdue") && !text.contains("blocked"),
        "{text}"
    );
    assert!(!html.contains("sv-overdue") && !html.contains("sv-due"));

    // The downloads in threads: the loop stays free, every timer fires on time.
    let threaded = Change::Offload.apply(&doc);
    let views = gathered_views(&scenario(&threaded));
    let mut fired = 0;
    for (text, html) in &views {
        assert!(
            !text.contains("late") && !text.contains("overdue"),
            "{text}"
        );
        assert!(!html.contains("sv-overdue") && !html.contains("class=\"sv-due\""));
        if text.contains("timer due:") {
            fired += 1;
            assert!(
                text.ends_with("It fires on time: the loop was free."),
                "{text}"
            );
        }
    }
    assert_eq!(fired, 3, "three timers, each in its own turn of the loop");
}

#[test]
fn one_overdue_timer_is_named_in_the_singular() {
    let doc = codec::from_json(
        r#"{"v":1,"mode":"gathered","tasks":[{"label":"nap","ms":100},{"label":"hog","ms":500,"kind":"blocking"}]}"#,
    )
    .unwrap();
    let views = gathered_views(&scenario(&doc));
    let (text, _) = step_saying(&views, "hog starts");
    assert!(
        text.ends_with("The loop is blocked while 1 timer is due: at 500 ms it waits in the heap, 400 ms late."),
        "{text}"
    );
    let (text, _) = step_saying(&views, "timer due: nap");
    assert!(
        text.ends_with("It fires 400 ms late: a blocking call held the loop."),
        "{text}"
    );
}

#[test]
fn a_loop_that_never_blocks_has_no_overdue_timers() {
    for (slug, _) in MENU {
        let doc = preset_doc(slug).unwrap();
        let scenario = scenario(&doc);
        let blocks = scenario
            .tasks
            .iter()
            .any(|t| t.kind.task_kind() == TaskKind::Blocking);
        for mode in RunMode::ALL {
            let log = event_log(&scenario, mode, Snapshots::All);
            for step in &log.steps {
                let snapshot = step.snapshot.as_ref().unwrap();
                let late = overdue(snapshot);
                let note = timers_note(step);
                if let Some(note) = &note {
                    assert_eq!(note.late, note.text.contains("late"), "{}", note.text);
                }
                let note = note.map(|n| n.text).unwrap_or_default();
                for (timer, late_ms) in &late {
                    assert!(timer.due_ms < snapshot.now_ms && *late_ms > 0.0);
                }
                if !blocks {
                    assert!(late.is_empty(), "{slug} {mode:?}: {}", step.text);
                    assert!(!note.contains("late"), "{slug} {mode:?}: {note}");
                }
                if matches!(step.kind, StepKind::TimersDue { .. }) {
                    assert!(note.contains("on time") || note.contains("late"), "{note}");
                }
            }
        }
    }
}
