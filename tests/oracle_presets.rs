//! The tutorial presets under CPython: every run a preset's explanation
//! talks about (its claims: a mode, after the change the text asks for) is
//! generated as Python, run by `python3` and compared with the simulator;
//! the human-readable program the code view shows runs once per preset;
//! and that program is Python 3.10 compatible except where it says so.
//! Durations are the presets' real ones (after their speed factor), so
//! the whole file runs in about 10 s.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::process::Stdio;

use async_playground::domain::codegen::python::python_program;
use async_playground::domain::model::predict;
use async_playground::domain::scenario::presets::{preset_doc, presets, Change};
use async_playground::domain::scenario::{
    validate, Durations, Kind, RunMode, RunOptions, Scenario, Task, TaskId,
};
use common::{check_all_in_batches, parses, parses_as_3_10, python3, require_python, Case};

/// A preset's scenario after a change, validated.
fn scenario_of(slug: &str, change: Change) -> Scenario {
    let doc = change.apply(&preset_doc(slug).expect("a preset's scenario"));
    validate(&doc.drafts, &doc.speed_text, doc.options).expect("presets validate")
}

#[test]
fn preset_claims_agree_with_cpython() {
    let mut cases: Vec<Case> = presets()
        .iter()
        .flat_map(|preset| {
            preset
                .expect
                .claims
                .iter()
                // Twenty sleeps in turn: CPython wakes each 1 to 2 ms late
                // and the lateness adds up past the tolerance (5040 ms for
                // 5000). The model leaves that out on purpose (the UI shows
                // it as overhead), and the sum of the sleeps needs no oracle.
                .filter(|claim| {
                    !(claim.mode == RunMode::Sequential && preset.slug == "twenty-fetches")
                })
                .map(move |claim| Case {
                    name: format!(
                        "{} / {} / {:?}",
                        preset.slug,
                        claim.mode.slug(),
                        claim.change
                    ),
                    scenario: scenario_of(preset.slug, claim.change),
                    mode: claim.mode,
                    alone: false,
                })
        })
        .collect();
    // Longest first, so each batch's programs take about as long as each
    // other and the batches add up to little more than the longest run.
    cases.sort_by(|a, b| {
        let total = |c: &Case| predict(&c.scenario, c.mode).total_ms;
        total(b).total_cmp(&total(a))
    });
    // Four at a time: the presets' runs are long (up to 2.5 s), so a batch
    // of them shares the CPU with its own wake-ups for longer than the
    // matrix's short cases do.
    check_all_in_batches(cases, 4);
}

/// The program the code view shows (not instrumented) runs, exits 0 and
/// prints a row per task and the caller's line.
#[test]
fn every_preset_program_runs_and_prints_its_table() {
    require_python();
    let runs: Vec<_> = presets()
        .iter()
        .map(|preset| {
            let doc = preset_doc(preset.slug).expect("a preset's scenario");
            let scenario = scenario_of(preset.slug, Change::None);
            let program = python_program(&scenario, doc.mode, false);
            // All at once: they mostly sleep.
            let child = python3()
                .arg("-c")
                .arg(&program)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("python3");
            (preset.slug, scenario, program, child)
        })
        .collect();
    for (slug, scenario, program, child) in runs {
        let out = child.wait_with_output().expect("python3 ran");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{slug}: {}\n{stdout}\n{}\n{program}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), scenario.tasks.len() + 1, "{slug}:\n{stdout}");
        for (line, task) in lines.iter().zip(&scenario.tasks) {
            assert!(line.starts_with(&task.label), "{slug}: {line:?}");
        }
        assert!(
            lines
                .last()
                .is_some_and(|l| l.starts_with("caller resumed at")),
            "{slug}:\n{stdout}"
        );
    }
}

fn task(i: u32, ms: u32, kind: Kind, timeout_ms: Option<u32>) -> Task {
    let written = Durations {
        timeout_ms,
        ..Durations::of(ms)
    };
    Task::new(TaskId(i), format!("task {i}"), kind, written)
}

/// The code view's program uses `time.perf_counter()`, no 3.11-only API
/// (`asyncio.timeout`), and 3.11-only syntax (`except*`) only in TaskGroup
/// mode, which says so in a comment.
#[test]
fn the_code_view_is_python_3_10_compatible() {
    require_python();
    let every_kind = vec![
        task(1, 100, Kind::Io, None),
        task(
            2,
            50,
            Kind::Fail {
                message: "boom".to_string(),
            },
            Some(80),
        ),
        task(3, 20, Kind::Blocking, None),
        task(4, 30, Kind::Offloaded { cpu: false }, None),
        task(5, 30, Kind::Offloaded { cpu: true }, None),
        Task::new(
            TaskId(6),
            "task 6",
            Kind::Stream { items: 3 },
            Durations {
                duration_ms: 10,
                body_ms: 5,
                timeout_ms: Some(200),
            },
        ),
    ];
    let mut programs: Vec<(String, RunMode, String)> = Vec::new();
    for mode in RunMode::ALL {
        for (catch, cancel) in [(false, false), (true, true)] {
            let options = RunOptions {
                return_exceptions: catch,
                cancel_pending: cancel,
                ..RunOptions::default()
            };
            let scenario = Scenario::new(every_kind.clone(), 2.0, options);
            let name = format!("{mode:?} catch={catch}");
            programs.push((name, mode, python_program(&scenario, mode, false)));
        }
    }
    for preset in presets() {
        let doc = preset_doc(preset.slug).expect("a preset's scenario");
        let scenario = scenario_of(preset.slug, Change::None);
        let program = python_program(&scenario, doc.mode, false);
        programs.push((preset.slug.to_string(), doc.mode, program));
    }
    for (name, mode, program) in programs {
        assert!(program.contains("time.perf_counter()"), "{name}");
        assert!(!program.contains("asyncio.timeout("), "{name}: 3.11+");
        parses(&program).unwrap_or_else(|e| panic!("{name}: {e}\n{program}"));
        if mode == RunMode::TaskGroup {
            assert!(program.contains("# Needs Python 3.11+"), "{name}");
            assert!(
                parses_as_3_10(&program).is_err(),
                "{name}: TaskGroup's except* is 3.11 syntax; has the check gone blind?"
            );
        } else {
            assert!(!program.contains("3.11"), "{name}: no 3.11 note needed");
            parses_as_3_10(&program).unwrap_or_else(|e| panic!("{name}: {e}\n{program}"));
        }
    }
}
