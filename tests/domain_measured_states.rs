//! Native tests: a measured bar shaded by the states the run measured
//! (`run::measured_states`), from the events the runner sends, and only
//! those: a `to_thread` task queued until its job began on a thread, in
//! the thread, taking turns for the GIL when it held its thread for less
//! than it was there; a blocking call; a timer's wait, late past its due
//! time; a cancel; and a plain bar where nothing inside was measured.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use async_playground::domain::formats::codec;
use async_playground::domain::formats::step_view::{step_view, Cursor};
use async_playground::domain::model::log::TaskState;
use async_playground::domain::model::{predict, Outcome};
use async_playground::domain::run::events::EventKind;
use async_playground::domain::run::measured_states::{measured_bar, MeasuredBar};
use async_playground::domain::run::measurement::{MeasuredTask, Measurement, ThreadSpan};
use async_playground::domain::run::Run;
use async_playground::domain::scenario::presets::preset_doc;
use async_playground::domain::scenario::{RunMode, RunOptions, Scenario, Task};
use common::{blocking, io, stream, thread_cpu, thread_wait};
use proptest::prelude::*;

fn states(bar: &MeasuredBar) -> Vec<(f64, f64, TaskState)> {
    bar.segments
        .iter()
        .map(|s| (s.start_ms, s.end_ms, s.state))
        .collect()
}

/// A task's measurement from the events the runner would send.
fn measured(events: &[EventKind]) -> MeasuredTask {
    let mut m = Measurement::new(1);
    for e in events {
        m.record(e);
    }
    m.tasks.remove(0)
}

fn started(at_ms: f64) -> EventKind {
    EventKind::TaskStarted { index: 0, at_ms }
}

fn finished(at_ms: f64, outcome: Outcome) -> EventKind {
    EventKind::TaskFinished {
        index: 0,
        at_ms,
        outcome,
    }
}

fn thread_ran(start_ms: f64, end_ms: f64, held_ms: f64) -> EventKind {
    EventKind::ThreadRan {
        index: 0,
        start_ms,
        end_ms,
        held_ms,
    }
}

#[test]
fn a_to_thread_task_is_queued_until_its_job_began_on_a_thread() {
    // The fourth of four 300 ms jobs on three threads: it waits for the
    // first thread to be free, runs 300 ms there, and its result is taken
    // 2 ms after the job ends.
    let m = measured(&[
        started(0.5),
        thread_ran(301.0, 601.0, 300.0),
        finished(603.0, Outcome::Ok),
    ]);
    let bar = measured_bar(&thread_wait(3, 300), &m, 700.0).unwrap();
    assert_eq!(
        states(&bar),
        vec![
            (0.5, 301.0, TaskState::QueuedForThread),
            (301.0, 601.0, TaskState::InThread),
            (601.0, 603.0, TaskState::Ready),
        ]
    );
    assert!(!bar.cancelled);
    assert_eq!(bar.state_at(100.0), Some(TaskState::QueuedForThread));
    assert_eq!(bar.state_at(400.0), Some(TaskState::InThread));
    assert_eq!(bar.state_at(603.0), None);
}

#[test]
fn a_job_begun_and_taken_within_a_moment_was_not_waiting() {
    let m = measured(&[
        started(1.0),
        thread_ran(1.3, 301.3, 300.0),
        finished(301.6, Outcome::Ok),
    ]);
    let bar = measured_bar(&thread_wait(0, 300), &m, 400.0).unwrap();
    assert_eq!(states(&bar), vec![(1.0, 301.6, TaskState::InThread)]);
}

#[test]
fn cpu_work_that_held_its_thread_for_less_than_it_was_there_took_turns_for_the_gil() {
    // Two 100 ms CPU jobs under the GIL: each is in its thread ~200 ms.
    let m = measured(&[
        started(0.0),
        thread_ran(0.2, 200.4, 100.0),
        finished(201.0, Outcome::Ok),
    ]);
    let bar = measured_bar(&thread_cpu(0, 100), &m, 300.0).unwrap();
    assert_eq!(states(&bar), vec![(0.0, 201.0, TaskState::WaitingForGil)]);
    // Alone, it held the thread throughout (a slice's hand-off is no turn).
    let m = measured(&[
        started(0.0),
        thread_ran(0.2, 101.2, 100.0),
        finished(101.5, Outcome::Ok),
    ]);
    let bar = measured_bar(&thread_cpu(0, 100), &m, 300.0).unwrap();
    assert_eq!(bar.state_at(50.0), Some(TaskState::InThread));
}

#[test]
fn a_to_thread_task_whose_job_did_not_report_is_a_plain_bar() {
    // Cancelled while its thread ran: the job's end was never heard.
    let m = measured(&[started(0.0), finished(150.0, Outcome::Cancelled)]);
    let bar = measured_bar(&thread_wait(0, 300), &m, 400.0).unwrap();
    assert!(bar.segments.is_empty(), "{bar:?}");
    assert!(bar.cancelled);
    assert_eq!((bar.start_ms, bar.end_ms), (0.0, 150.0));
}

#[test]
fn a_blocking_call_blocks_the_loop_from_start_to_end() {
    let m = measured(&[started(2.0), finished(302.0, Outcome::Ok)]);
    let bar = measured_bar(&blocking(0, 300), &m, 400.0).unwrap();
    assert_eq!(states(&bar), vec![(2.0, 302.0, TaskState::Blocking)]);
}

#[test]
fn an_io_wait_is_suspended_at_await_then_ready_when_its_timer_fired_late() {
    // On time: suspended throughout.
    let m = measured(&[started(0.0), finished(250.4, Outcome::Ok)]);
    let bar = measured_bar(&io(0, 250), &m, 400.0).unwrap();
    assert_eq!(states(&bar), vec![(0.0, 250.4, TaskState::Awaiting)]);
    // Its timer was due at 250 ms; a blocking call held the loop to 400.
    let m = measured(&[started(0.0), finished(400.0, Outcome::Ok)]);
    let bar = measured_bar(&io(0, 250), &m, 400.0).unwrap();
    assert_eq!(
        states(&bar),
        vec![
            (0.0, 250.0, TaskState::Awaiting),
            (250.0, 400.0, TaskState::Ready),
        ]
    );
    let m = measured(&[started(0.0), finished(600.0, Outcome::Ok)]);
    let bar = measured_bar(&stream(0, 100, 5, 20), &m, 700.0).unwrap();
    assert_eq!(states(&bar), vec![(0.0, 600.0, TaskState::Awaiting)]);
}

#[test]
fn a_cancelled_wait_ends_at_the_cancel_with_a_cancelled_mark() {
    let m = measured(&[started(0.0), finished(100.0, Outcome::Cancelled)]);
    let bar = measured_bar(&io(0, 250), &m, 400.0).unwrap();
    assert_eq!(states(&bar), vec![(0.0, 100.0, TaskState::Awaiting)]);
    assert!(bar.cancelled);
    let m = measured(&[started(0.0), finished(100.0, Outcome::TimedOut)]);
    assert!(measured_bar(&io(0, 250), &m, 400.0).unwrap().cancelled);
}

#[test]
fn no_bar_without_a_start_and_a_stopped_run_draws_to_its_end() {
    let never = measured(&[finished(5.0, Outcome::Cancelled)]);
    assert_eq!(measured_bar(&io(0, 250), &never, 400.0), None);
    let open = measured(&[started(10.0)]);
    let bar = measured_bar(&blocking(0, 300), &open, 120.0).unwrap();
    assert_eq!(states(&bar), vec![(10.0, 120.0, TaskState::Blocking)]);
    assert_eq!(measured_bar(&blocking(0, 300), &open, 5.0), None);
}

#[test]
fn the_thread_span_survives_the_autosave_and_the_export() {
    let scenario = preset_doc("two-tasks").unwrap().validate().unwrap();
    let prediction = predict(&scenario, RunMode::Gather);
    let mut m = Measurement::new(scenario.tasks.len());
    for e in [
        started(0.0),
        thread_ran(301.0, 601.25, 300.0),
        finished(603.0, Outcome::Ok),
    ] {
        m.record(&e);
    }
    let run = Run::finished(RunMode::Gather, scenario, prediction, m).to_saved();
    let text = codec::run_to_json(&run);
    let at = text
        .find("\"thread\":[")
        .expect("the thread span is written")
        + 9;
    let span = &text[at..=at + text[at..].find(']').unwrap()];
    let back = codec::run_from_json(&text).unwrap().measurement;
    assert_eq!(
        back.tasks[0].thread,
        Some(ThreadSpan {
            start_ms: 301.0,
            end_ms: 601.25,
            held_ms: 300.0
        })
    );
    assert_eq!(back.tasks[1].thread, None);
    for bad in ["[1,2]", "\"soon\"", "[1,2,1e300]"] {
        let text = text.replace(span, bad);
        assert!(codec::run_from_json(&text).is_err(), "{bad}");
    }
}

#[test]
fn the_step_view_shades_a_to_thread_run_with_more_tasks_than_threads() {
    // Five 300 ms jobs on three threads, gathered: the last two queue. The
    // cursor at 150 ms shows the last step begun by then (at 0 ms).
    let scenario = Scenario::new(
        (0..5).map(|i| thread_wait(i, 300)).collect(),
        1.0,
        RunOptions {
            pool_size: 3,
            ..RunOptions::default()
        },
    );
    let mut m = Measurement::new(5);
    for i in 0..5 {
        let began = if i < 3 { 0.0 } else { 300.6 };
        for e in [
            EventKind::TaskStarted {
                index: i,
                at_ms: 0.0,
            },
            EventKind::ThreadRan {
                index: i,
                start_ms: began,
                end_ms: began + 300.0,
                held_ms: 300.0,
            },
            EventKind::TaskFinished {
                index: i,
                at_ms: began + 301.0,
                outcome: Outcome::Ok,
            },
        ] {
            m.record(&e);
        }
    }
    m.total_ms = Some(602.0);
    let (_, view) = step_view(&scenario, RunMode::Gather, Cursor::At(150.0), Some(&m));
    let html = view.html;
    assert_eq!(
        html.matches("sv-mseg st-queued-thread").count(),
        2,
        "{html}"
    );
    assert_eq!(html.matches("sv-mseg st-thread").count(), 5, "{html}");
    assert!(
        html.contains("In the run then: 2 queued for a pool thread; 3 running in a thread."),
        "{html}"
    );
    assert!(html.contains("sv-measured-note"), "{html}");
    assert!(html.contains("Not measured:"), "{html}");
    // Before a run, no measured bars and no note.
    let (_, view) = step_view(&scenario, RunMode::Gather, Cursor::At(150.0), None);
    assert!(!view.html.contains("sv-mseg"));
    assert!(!view.html.contains("sv-measured-note"));
}

fn any_task() -> impl Strategy<Value = Task> {
    (0u32..5, 0u32..100_000).prop_map(|(k, ms)| match k {
        0 => io(0, ms),
        1 => blocking(0, ms),
        2 => thread_wait(0, ms),
        3 => thread_cpu(0, ms),
        _ => stream(0, ms, 3, 1),
    })
}

fn any_ms() -> impl Strategy<Value = f64> {
    prop_oneof![
        -1e10..1e10f64,
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(0.0),
        -5.0..500.0f64
    ]
}

proptest! {
    /// Whatever the times, the segments tile part of the bar in order,
    /// within it, and none is empty.
    #[test]
    fn segments_lie_in_order_within_the_bar(
        task in any_task(),
        start in proptest::option::of(any_ms()),
        end in proptest::option::of(any_ms()),
        thread in proptest::option::of((any_ms(), any_ms(), any_ms())),
        run_end in any_ms(),
    ) {
        let m = MeasuredTask {
            start_ms: start,
            end_ms: end,
            outcome: Some(Outcome::Ok),
            items_ms: Vec::new(),
            thread: thread.map(|(a, b, c)| ThreadSpan { start_ms: a, end_ms: b, held_ms: c }),
        };
        if let Some(bar) = measured_bar(&task, &m, run_end) {
            prop_assert!(bar.start_ms < bar.end_ms);
            let mut at = bar.start_ms;
            for s in &bar.segments {
                prop_assert!(s.start_ms >= at && s.start_ms < s.end_ms && s.end_ms <= bar.end_ms, "{:?}", bar);
                at = s.end_ms;
            }
        }
    }
}
