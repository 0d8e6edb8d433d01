//! The CPython oracle: runs the Python program `codegen::python_program`
//! writes for each scenario of a matrix under `python3` (CPython 3.11) and
//! checks that `simulate::predict` agrees with it — starts, ends, outcomes,
//! stream items, when the caller resumed, whether it raised, result order.
//!
//! How the programs are run and compared is in `common/mod.rs`.
//! `ORACLE_ONLY=<part of a case name>` runs only the matching cases.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use async_playground::domain::codegen::python::{function_names, python_program};
use async_playground::domain::scenario::{
    default_drafts, validate, Kind, RunMode, RunOptions, Scenario, Task, DEFAULT_SPEED_TEXT,
};
use common::{
    blocking, check_all, fail, io, parses, python3, run_python, stream, task, thread_cpu,
    thread_wait, with_timeout, Case,
};

// ---- building scenarios ----------------------------------------------------

/// A group of tasks run under several modes and, where they matter, both
/// values of `return_exceptions` and of `cancel_pending`.
struct Group {
    name: &'static str,
    tasks: Vec<Task>,
    modes: Vec<RunMode>,
    base: RunOptions,
    /// Also run with `return_exceptions = true` (modes that use it).
    vary_catch: bool,
    /// Also run wait(FIRST_COMPLETED) with `cancel_pending = true`.
    vary_cancel: bool,
    alone: bool,
}

impl Group {
    fn new(name: &'static str, tasks: Vec<Task>) -> Self {
        Group {
            name,
            tasks,
            modes: RunMode::ALL.to_vec(),
            base: RunOptions::default(),
            vary_catch: false,
            vary_cancel: true,
            alone: false,
        }
    }

    fn modes(mut self, modes: &[RunMode]) -> Self {
        self.modes = modes.to_vec();
        self
    }

    fn options(mut self, f: impl FnOnce(&mut RunOptions)) -> Self {
        f(&mut self.base);
        self
    }

    fn vary_catch(mut self) -> Self {
        self.vary_catch = true;
        self
    }

    fn alone(mut self) -> Self {
        self.alone = true;
        self
    }

    fn cases(self) -> Vec<Case> {
        let mut cases = Vec::new();
        for &mode in &self.modes {
            let mut variants = vec![self.base];
            if self.vary_catch && mode.catches_errors_option() {
                variants.push(RunOptions {
                    return_exceptions: !self.base.return_exceptions,
                    ..self.base
                });
            }
            if self.vary_cancel && mode.uses_cancel_pending() {
                variants.push(RunOptions {
                    cancel_pending: !self.base.cancel_pending,
                    ..self.base
                });
            }
            for options in variants {
                let mut name = format!("{} / {}", self.name, mode.slug());
                if mode.catches_errors_option() && options.return_exceptions {
                    name.push_str(" / return_exceptions");
                }
                if mode.uses_cancel_pending() && options.cancel_pending {
                    name.push_str(" / cancel_pending");
                }
                cases.push(Case {
                    name,
                    scenario: Scenario::new(self.tasks.clone(), 1.0, options),
                    mode,
                    alone: self.alone,
                });
            }
        }
        cases
    }
}

/// The matrix. Durations are 50–300 ms and chosen so that no two timers
/// fall due at the same instant while the loop is blocked (CPython's heap
/// does not keep equal deadlines in order).
fn matrix() -> Vec<Case> {
    use RunMode::*;
    let groups = vec![
        Group::new("io", vec![io(1, 200), io(2, 100), io(3, 300), io(4, 50)]),
        Group::new(
            "fail",
            vec![io(1, 100), fail(2, 150), io(3, 250), io(4, 50)],
        )
        .vary_catch(),
        Group::new("fail first", vec![io(1, 200), fail(2, 50), io(3, 120)]).vary_catch(),
        Group::new(
            "blocking",
            vec![io(1, 100), blocking(2, 150), io(3, 50), blocking(4, 100)],
        ),
        Group::new(
            "blocking + fail",
            vec![blocking(1, 100), fail(2, 50), io(3, 180)],
        )
        .vary_catch(),
        Group::new(
            "to_thread wait",
            vec![thread_wait(1, 200), io(2, 100), thread_wait(3, 150)],
        ),
        Group::new(
            "to_thread + blocking",
            vec![thread_wait(1, 120), blocking(2, 200), io(3, 50)],
        ),
        // The tutorial's ThreadPoolExecutor(max_workers=3) with 5 downloads.
        // Only the modes that report results in list order: three threads
        // end at the same instant, and the order the loop hears of them
        // in is a race. The staggered copy covers the others.
        Group::new("pool 3", (1..=5).map(|i| thread_wait(i, 200)).collect())
            .modes(&[Sequential, Gather, CreateTask, Bounded])
            .options(|o| o.pool_size = 3),
        Group::new(
            "pool 3, staggered",
            (1..=5).map(|i| thread_wait(i, 190 + 10 * i)).collect(),
        )
        .modes(&[TaskGroup, AsCompleted, WaitFirst])
        .options(|o| o.pool_size = 3),
        Group::new(
            "pool 3, no GIL",
            (1..=5).map(|i| thread_wait(i, 200)).collect(),
        )
        .modes(&[Gather])
        .options(|o| {
            o.pool_size = 3;
            o.gil = false
        }),
        Group::new(
            "to_thread wait, no GIL",
            vec![thread_wait(1, 200), io(2, 100), thread_wait(3, 150)],
        )
        .modes(&[Gather, TaskGroup])
        .options(|o| o.gil = false),
        Group::new(
            "stream",
            vec![stream(1, 50, 4, 0), io(2, 120), stream(3, 40, 3, 30)],
        ),
        Group::new(
            "timeouts",
            vec![
                with_timeout(io(1, 300), 100),
                with_timeout(io(2, 130), 200),
                io(3, 170),
            ],
        )
        .vary_catch(),
        Group::new(
            "timeout kinds",
            vec![
                with_timeout(stream(1, 60, 5, 0), 200),
                with_timeout(thread_wait(2, 250), 120),
                with_timeout(blocking(3, 100), 50),
                io(4, 80),
            ],
        )
        .vary_catch(),
        Group::new(
            "semaphore 2",
            vec![io(1, 200), io(2, 100), io(3, 150), io(4, 250), io(5, 50)],
        )
        .modes(&[Bounded])
        .options(|o| o.limit = 2),
        Group::new(
            "semaphore 2 + fail",
            vec![io(1, 200), fail(2, 100), io(3, 150), io(4, 250), io(5, 50)],
        )
        .modes(&[Bounded])
        .options(|o| o.limit = 2)
        .vary_catch(),
        Group::new(
            "semaphore 2 + timeout",
            vec![
                io(1, 200),
                with_timeout(io(2, 300), 120),
                io(3, 150),
                blocking(4, 60),
                io(5, 50),
            ],
        )
        .modes(&[Bounded])
        .options(|o| o.limit = 2)
        .vary_catch(),
        // CPU-bound work in a thread (the GIL is on: CPython always has
        // one), beside an idle loop or one thread at a time. Not two CPU
        // threads at once, nor loop work during one: the loop must win the
        // GIL back from a burning thread (5 ms switch interval, often
        // more), and CPython does not hand it round evenly, so those runs
        // drift from the processor-sharing model by 10 to 40 ms here.
        Group::new(
            "to_thread cpu, then more",
            vec![thread_cpu(1, 100), thread_cpu(2, 150), io(3, 50)],
        )
        .modes(&[Sequential])
        .alone(),
        Group::new(
            "to_thread cpu beside io",
            vec![io(1, 150), thread_cpu(2, 100)],
        )
        .modes(&[Gather, CreateTask, TaskGroup, AsCompleted, WaitFirst])
        .alone(),
    ];
    groups.into_iter().flat_map(Group::cases).collect()
}

#[test]
fn simulator_agrees_with_cpython() {
    let only = std::env::var("ORACLE_ONLY").unwrap_or_default();
    check_all(
        matrix()
            .into_iter()
            .filter(|c| c.name.contains(&only))
            .collect(),
    );
}

// ---- codegen on its own -----------------------------------------------------

fn default_scenario() -> Scenario {
    validate(&default_drafts(), DEFAULT_SPEED_TEXT, RunOptions::default())
        .expect("the default scenario is valid")
}

#[test]
fn default_scenario_gathered_is_valid_python() {
    let program = python_program(&default_scenario(), RunMode::Gather, false);
    assert!(program.contains("asyncio.gather"), "{program}");
    assert!(program.contains("async def fetch_data_1():"), "{program}");
    assert!(program.contains("await asyncio.sleep(0.4)"), "{program}");
    assert!(
        !program.contains("json"),
        "plain programs print a table:\n{program}"
    );
    parses(&program).unwrap_or_else(|e| panic!("{e}\n{program}"));
}

#[test]
fn every_mode_and_kind_is_valid_python() {
    let tasks = vec![
        io(1, 100),
        with_timeout(fail(2, 50), 80),
        blocking(3, 20),
        thread_wait(4, 30),
        thread_cpu(5, 30),
        stream(6, 10, 3, 5),
        stream(7, 10, 2, 0),
    ];
    for mode in RunMode::ALL {
        for (catch, cancel) in [(false, false), (true, true)] {
            let scenario = Scenario::new(
                tasks.clone(),
                2.0,
                RunOptions {
                    return_exceptions: catch,
                    cancel_pending: cancel,
                    ..RunOptions::default()
                },
            );
            for instrumented in [false, true] {
                let program = python_program(&scenario, mode, instrumented);
                parses(&program).unwrap_or_else(|e| panic!("{mode:?}: {e}\n{program}"));
            }
        }
    }
}

#[test]
fn plain_program_runs_and_prints_a_table() {
    let scenario = Scenario::new(
        vec![io(1, 30), fail(2, 10)],
        1.0,
        RunOptions {
            return_exceptions: true,
            ..RunOptions::default()
        },
    );
    let program = python_program(&scenario, RunMode::Gather, false);
    let out = python3().arg("-c").arg(&program).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("fetch 1"), "{stdout}");
    assert!(stdout.contains("failed"), "{stdout}");
    assert!(stdout.contains("caller resumed at"), "{stdout}");
}

#[test]
fn labels_become_unique_identifiers() {
    let scenario = Scenario::new(
        vec![
            task(1, "Fetch data!", 10, Kind::Io),
            task(2, "fetch  data", 10, Kind::Io),
            task(3, "3rd \"quoted\" \\ task", 10, Kind::Io),
            task(4, "print", 10, Kind::Io),
            task(5, "éé", 10, Kind::Io),
            task(6, "class", 10, Kind::Io),
        ],
        1.0,
        RunOptions::default(),
    );
    assert_eq!(
        function_names(&scenario),
        vec![
            "fetch_data",
            "fetch_data_2",
            "task_3rd_quoted_task",
            "print_task",
            "task_5",
            "class_task"
        ]
    );
    let program = python_program(&scenario, RunMode::Sequential, true);
    parses(&program).unwrap_or_else(|e| panic!("{e}\n{program}"));
    let run = run_python(&program).unwrap_or_else(|e| panic!("{e}\n{program}"));
    assert_eq!(run.order, vec![0, 1, 2, 3, 4, 5]);
}

/// Writes the matrix's programs (those whose name contains `ORACLE_ONLY`)
/// to the temp directory, to run by hand:
/// `ORACLE_ONLY=stream cargo test --test oracle dump_programs -- --ignored --nocapture`.
#[test]
#[ignore]
fn dump_programs() {
    let only = std::env::var("ORACLE_ONLY").unwrap_or_default();
    for case in matrix().into_iter().filter(|c| c.name.contains(&only)) {
        let name = format!("oracle-{}.py", case.name.replace([' ', '/', ','], "_"));
        let file = std::env::temp_dir().join(name);
        std::fs::write(&file, python_program(&case.scenario, case.mode, true)).unwrap();
        println!("{}", file.display());
    }
}
