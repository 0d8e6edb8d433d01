//! Pins the generators' output byte for byte: every run mode, a few
//! scenarios and option sets, the Python program (instrumented and plain)
//! and the Rust one. Each program is recorded as its length and an FNV-1a
//! digest in `tests/fixtures/codegen_golden.txt`, so the pin stays small.
//!
//! When a generator changes on purpose, write the programs out before and
//! after and compare them, then refresh the pins:
//! `GOLDEN_DUMP=/tmp/before cargo test --test domain_codegen_golden`
//! (likewise after), `diff -r /tmp/before /tmp/after`, then
//! `UPDATE_GOLDEN=1 cargo test --test domain_codegen_golden`.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::fmt::Write as _;
use std::path::PathBuf;

use async_playground::domain::codegen::python::python_program;
use async_playground::domain::codegen::rust::rust_program;
use async_playground::domain::scenario::{Kind, RunMode, RunOptions, Scenario, Task};
use common::{task, with_body, with_timeout};

/// Every kind, timeouts, a speed factor and labels that need escaping.
fn mixed() -> Vec<Task> {
    let fails = Kind::Fail {
        message: "bad \"news\" \\ here".to_string(),
    };
    let ticks = Kind::Stream { items: 3 };
    vec![
        task(1, "fetch data", 100, Kind::Io),
        with_timeout(task(2, "say \"hi\"", 50, fails), 80),
        task(3, "block", 20, Kind::Blocking),
        task(4, "download", 30, Kind::Offloaded { cpu: false }),
        task(5, "crunch", 30, Kind::Offloaded { cpu: true }),
        with_timeout(with_body(task(6, "ticker", 10, ticks), 5), 25),
        task(7, "print", 10, Kind::Stream { items: 2 }),
    ]
}

/// Plain waits only: no threads, no streams, no timeouts.
fn waits() -> Vec<Task> {
    vec![
        task(1, "a", 200, Kind::Io),
        task(2, "b", 300, Kind::Io),
        task(
            3,
            "c",
            100,
            Kind::Fail {
                message: "boom".to_string(),
            },
        ),
    ]
}

fn option_sets() -> [(&'static str, RunOptions); 3] {
    [
        ("default", RunOptions::default()),
        (
            "catch",
            RunOptions {
                return_exceptions: true,
                ..RunOptions::default()
            },
        ),
        (
            "all-on",
            RunOptions {
                return_exceptions: true,
                cancel_pending: true,
                limit: 2,
                pool_size: 2,
                gil: false,
            },
        ),
    ]
}

/// Every pinned program, named `scenario/options/mode.kind`.
fn programs() -> Vec<(String, String)> {
    let scenarios = [
        ("mixed", mixed(), 2.0),
        ("waits", waits(), 1.0),
        ("empty", Vec::new(), 1.0),
    ];
    let mut all = Vec::new();
    for (scenario_name, tasks, speed) in &scenarios {
        for (options_name, options) in option_sets() {
            let scenario = Scenario::new(tasks.clone(), *speed, options);
            for mode in RunMode::ALL {
                let stem = format!("{scenario_name}/{options_name}/{}", mode.slug());
                all.push((
                    format!("{stem}.instrumented.py"),
                    python_program(&scenario, mode, true),
                ));
                all.push((format!("{stem}.py"), python_program(&scenario, mode, false)));
                all.push((format!("{stem}.rs"), rust_program(&scenario, mode)));
            }
        }
    }
    all
}

/// 64-bit FNV-1a: small, stable, no dependency.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn pins_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/codegen_golden.txt")
}

#[test]
fn generated_programs_are_unchanged() {
    let programs = programs();
    if let Ok(dir) = std::env::var("GOLDEN_DUMP") {
        for (name, text) in &programs {
            let path = PathBuf::from(&dir).join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }
    let mut pins = String::new();
    for (name, text) in &programs {
        let _ = writeln!(pins, "{name} {} {:016x}", text.len(), fnv1a(text));
    }
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(pins_path(), &pins).unwrap();
        return;
    }
    let pinned =
        std::fs::read_to_string(pins_path()).expect("the pins file (UPDATE_GOLDEN=1 writes it)");
    let changed: Vec<&str> = pins
        .lines()
        .zip(pinned.lines())
        .filter(|(now, then)| now != then)
        .map(|(now, _)| now.split(' ').next().unwrap_or(now))
        .collect();
    assert!(
        changed.is_empty() && pins.lines().count() == pinned.lines().count(),
        "{} generated program(s) changed, e.g. {:?}: see this file's header",
        changed.len(),
        &changed[..changed.len().min(5)]
    );
}

#[test]
fn a_sped_up_program_gives_each_task_its_written_durations() {
    // A preset at 4x: the tutorial's 2000 ms task runs 500 ms.
    let tasks = vec![
        task(1, "download", 2000, Kind::Io),
        with_timeout(task(2, "slow", 3000, Kind::Io), 1000),
    ];
    let scenario = Scenario::new(tasks, 4.0, RunOptions::default());
    let python = python_program(&scenario, RunMode::Gather, false);
    let rust = rust_program(&scenario, RunMode::Gather);
    for (program, marker) in [(&python, "#"), (&rust, "//")] {
        for expected in [
            "The tutorial's durations, as written, are 4x these",
            "As written: 2000 ms; at speed 4x: 500 ms.",
            "As written: 3000 ms, timeout 1000 ms; at speed 4x: 750 ms, timeout 250 ms.",
        ] {
            assert!(
                program.contains(&format!("{marker} {expected}")),
                "missing {expected:?} in:\n{program}"
            );
        }
    }
    assert!(python.contains("asyncio.sleep(0.5)"), "{python}");
    // At speed 1 the durations are as written, and nothing more is said.
    let plain = Scenario::new(
        vec![task(1, "a", 2000, Kind::Io)],
        1.0,
        RunOptions::default(),
    );
    assert!(!python_program(&plain, RunMode::Gather, false).contains("As written"));
    assert!(!rust_program(&plain, RunMode::Gather).contains("As written"));
}
