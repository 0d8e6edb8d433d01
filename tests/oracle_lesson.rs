//! The lesson programs (`codegen::lesson`) under `python3`: each runs as
//! written and says when `main()`'s await returned (and, when tasks outlive
//! it, when all were done); those agree with the model's `caller_ms` and
//! `total_ms` within the CPython oracle's tolerance. Also: every log step's
//! line is a line of the program, and the programs stay short.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use async_playground::domain::codegen::lesson::lesson_program;
use async_playground::domain::model::log::{event_log, Place, Snapshots};
use async_playground::domain::model::predict;
use async_playground::domain::scenario::presets::{preset_doc, presets};
use async_playground::domain::scenario::{Kind, RunMode, RunOptions, Scenario, Task};
use common::{
    blocking, fail, io, mode_variants, parses, require_python, run_batch_text, stream, task,
    thread_wait, with_timeout, PARALLEL, RETRIES, TOLERANCE_MS,
};

/// Kind mixes (durations apart, as the oracle's, so that no two timers
/// fall due together while the loop is blocked). CPU-bound threads are
/// left to the oracle, which measures the CPU share python3 gets.
fn groups() -> Vec<(&'static str, Vec<Task>, RunOptions)> {
    let o = RunOptions::default();
    vec![
        ("empty", Vec::new(), o),
        ("io", vec![io(1, 200), io(2, 100), io(3, 300), io(4, 50)], o),
        ("same io", (1..=6).map(|i| io(i, 150)).collect(), o),
        ("fail", vec![io(1, 100), fail(2, 150), io(3, 250)], o),
        (
            "blocking",
            vec![io(1, 100), blocking(2, 150), io(3, 50), blocking(4, 100)],
            o,
        ),
        (
            "threads",
            vec![thread_wait(1, 200), io(2, 100), thread_wait(3, 150)],
            RunOptions { pool_size: 2, ..o },
        ),
        ("streams", vec![stream(1, 60, 2, 20), io(2, 130)], o),
        (
            "timeouts",
            vec![with_timeout(io(1, 300), 120), io(2, 60)],
            o,
        ),
    ]
}

struct Case {
    name: String,
    scenario: Scenario,
    mode: RunMode,
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for (name, tasks, base) in groups() {
        for mode in RunMode::ALL {
            let mut variants = vec![base];
            if mode.catches_errors_option()
                && tasks.iter().any(|t| matches!(t.kind, Kind::Fail { .. }))
            {
                variants.push(RunOptions {
                    return_exceptions: true,
                    ..base
                });
            }
            if mode.uses_cancel_pending() {
                variants.push(RunOptions {
                    cancel_pending: true,
                    ..base
                });
            }
            for options in variants {
                cases.push(Case {
                    name: format!(
                        "{name} / {}{}{}",
                        mode.slug(),
                        if options.return_exceptions {
                            " / catch"
                        } else {
                            ""
                        },
                        if options.cancel_pending {
                            " / cancel"
                        } else {
                            ""
                        }
                    ),
                    scenario: Scenario::new(tasks.clone(), 1.0, options),
                    mode,
                });
            }
        }
    }
    cases
}

/// The ms a line "… after N ms" says, for each such line.
fn afters(stdout: &str) -> Vec<(String, f64)> {
    stdout
        .lines()
        .filter_map(|l| {
            let (what, rest) = l.split_once(" after ")?;
            let ms = rest.strip_suffix(" ms")?.parse().ok()?;
            Some((what.to_string(), ms))
        })
        .collect()
}

fn judge(case: &Case, run: Result<String, String>) -> Result<(), String> {
    let out = run?;
    let p = predict(&case.scenario, case.mode);
    let said = afters(&out);
    let resumed = said
        .iter()
        .find(|(w, _)| w == "main() resumed")
        .ok_or(format!("no resume time in:\n{out}"))?
        .1;
    // The program prints whole ms.
    let tolerance = TOLERANCE_MS + 0.5;
    if (resumed - p.caller_ms).abs() > tolerance {
        return Err(format!(
            "main() resumed after {resumed} ms; the model says {}",
            p.caller_ms
        ));
    }
    if let Some((_, all)) = said.iter().find(|(w, _)| w == "all done") {
        if (all - p.total_ms).abs() > tolerance {
            return Err(format!(
                "all done after {all} ms; the model says {}",
                p.total_ms
            ));
        }
    } else if (p.total_ms - p.caller_ms).abs() > tolerance {
        return Err(format!(
            "tasks outlive main()'s await ({} → {} ms) but the program does not wait for them",
            p.caller_ms, p.total_ms
        ));
    }
    Ok(())
}

#[test]
fn lesson_programs_run_in_python3_and_agree_with_the_model() {
    require_python();
    let cases = cases();
    let mut failures = Vec::new();
    for batch in cases.chunks(PARALLEL) {
        let programs: Vec<String> = batch
            .iter()
            .map(|c| lesson_program(&c.scenario, c.mode).text)
            .collect();
        for ((case, run), program) in batch.iter().zip(run_batch_text(&programs)).zip(&programs) {
            let mut result = judge(case, run);
            let mut attempts = 0;
            while result.is_err() && attempts < RETRIES {
                attempts += 1;
                let again = run_batch_text(std::slice::from_ref(program)).pop();
                result = judge(case, again.unwrap_or(Err("no run".into())));
            }
            if let Err(e) = result {
                failures.push(format!("=== {} ===\n{e}\nprogram:\n{program}", case.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n{} of {} lesson programs disagree with the model",
        failures.join("\n"),
        failures.len(),
        cases.len()
    );
}

#[test]
fn lesson_programs_are_short_and_every_step_has_a_line_of_them() {
    let mut all: Vec<(String, Scenario, RunMode)> = cases()
        .into_iter()
        .map(|c| (c.name, c.scenario, c.mode))
        .collect();
    let cpu = vec![
        task(1, "crunch", 100, Kind::Offloaded { cpu: true }),
        io(2, 50),
    ];
    for mode in RunMode::ALL {
        all.push((
            format!("cpu / {}", mode.slug()),
            Scenario::new(cpu.clone(), 1.0, RunOptions::default()),
            mode,
        ));
    }
    for p in presets() {
        let s = preset_doc(p.slug)
            .and_then(|d| d.validate().ok())
            .expect("a preset is valid");
        for mode in RunMode::ALL {
            all.push((
                format!("preset {} / {}", p.slug, mode.slug()),
                s.clone(),
                mode,
            ));
        }
    }
    for (name, s, mode) in &all {
        let lesson = lesson_program(s, *mode);
        let kinds = {
            let mut k: Vec<_> = s.tasks.iter().map(|t| t.kind.task_kind()).collect();
            k.sort_by_key(|k| k.slug());
            k.dedup();
            k.len()
        };
        let lines = lesson.line_count();
        assert!(
            lines <= 26 + 6 * kinds,
            "{name}: {lines} lines\n{}",
            lesson.text
        );
        let raises = s
            .tasks
            .iter()
            .any(|t| matches!(t.kind, Kind::Fail { .. }) || t.real.timeout_ms.is_some());
        // Streams and CPU work need a helper function of their own.
        let helpers = s
            .tasks
            .iter()
            .any(|t| matches!(t.kind, Kind::Stream { .. } | Kind::Offloaded { cpu: true }));
        if kinds <= 2 && !raises && !helpers {
            assert!(lines <= 25, "{name}: {lines} lines\n{}", lesson.text);
        }
        let text: Vec<&str> = lesson.text.lines().collect();
        let log = event_log(s, *mode, Snapshots::None);
        for step in &log.steps {
            let line = lesson.line_of(step.place);
            match step.place {
                Place::Loop => assert_eq!(line, None),
                _ => {
                    let at = line.unwrap_or_else(|| panic!("{name}: no line for {:?}", step.place));
                    assert!(at >= 1 && at <= text.len(), "{name}: line {at}");
                    assert!(!text[at - 1].trim().is_empty(), "{name}: blank line {at}");
                }
            }
        }
    }
}

#[test]
fn lesson_programs_parse_for_every_mode_and_option() {
    require_python();
    let mut tasks: Vec<Task> = groups().into_iter().flat_map(|(_, t, _)| t).collect();
    tasks.push(task(99, "crunch", 10, Kind::Offloaded { cpu: true }));
    for (mode, catch, cancel, options) in mode_variants(RunOptions::default()) {
        let s = Scenario::new(tasks.clone(), 1.0, options);
        let lesson = lesson_program(&s, mode);
        if let Err(e) = parses(&lesson.text) {
            panic!(
                "{mode:?} catch {catch} cancel {cancel}: {e}\n{}",
                lesson.text
            );
        }
    }
}

#[test]
fn the_gather_lesson_reads_like_the_tutorial() {
    let s = Scenario::new(
        vec![io(1, 200), blocking(2, 100)],
        1.0,
        RunOptions::default(),
    );
    let lesson = lesson_program(&s, RunMode::Gather);
    let expected = "\
import asyncio
import time

async def fetch(seconds):
    await asyncio.sleep(seconds)  # I/O: the loop runs others

async def blocking(seconds):
    time.sleep(seconds)  # blocks the loop: nothing else runs

async def main():
    jobs = [fetch(0.2), blocking(0.1)]
    start = time.perf_counter()
    results = await asyncio.gather(*jobs)
    print(f\"main() resumed after {(time.perf_counter() - start) * 1000:.0f} ms\")

asyncio.run(main())
";
    assert_eq!(lesson.text, expected);
    assert_eq!(lesson.await_line, 13);
    let log = event_log(&s, RunMode::Gather, Snapshots::None);
    let lines: Vec<Option<usize>> = log
        .steps
        .iter()
        .map(|st| lesson.line_of(st.place))
        .collect();
    // main starts at its await; fetch 1 at its sleep; block 2 at its return.
    assert_eq!(lines[0], Some(13));
    assert_eq!(lines[1], Some(5));
    assert_eq!(lines[2], Some(8));
}
