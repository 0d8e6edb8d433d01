//! The tokio program `codegen_rust::rust_program` writes: every mode uses
//! its construct, user text stays inside escaped literals, the source is
//! balanced, and function names are Rust identifiers. An ignored test
//! builds and runs the programs with cargo (offline, from the local
//! registry cache):
//! `cargo test --test domain_codegen_rust -- --ignored --nocapture`.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use async_playground::domain::codegen::rust::{rust_function_names, rust_program, rust_str};
use async_playground::domain::scenario::presets::{preset_doc, presets};
use async_playground::domain::scenario::{validate, Kind, RunMode, RunOptions, Scenario};
use common::{task, with_body, with_timeout};

/// Every kind, a timeout, and labels that try to break out of literals.
fn mixed(options: RunOptions) -> Scenario {
    let failing = task(
        2,
        "say \"hi\"",
        50,
        Kind::Fail {
            message: "bad \"news\" \\ here\n\"#; panic!(); //".to_string(),
        },
    );
    let tasks = vec![
        task(1, "fetch data", 100, Kind::Io),
        with_timeout(failing, 80),
        task(3, "back\\slash \"# r#\"", 20, Kind::Blocking),
        task(4, "new\nline */ /* }", 30, Kind::Offloaded { cpu: false }),
        task(5, "crunch {x}", 30, Kind::Offloaded { cpu: true }),
        with_body(
            task(
                6,
                "ticker \u{202e}evil\u{2066}",
                10,
                Kind::Stream { items: 3 },
            ),
            5,
        ),
        task(7, "fn", 10, Kind::Stream { items: 2 }),
    ];
    Scenario::new(tasks, 2.0, options)
}

/// The option variants each mode is checked with: as loaded, and with
/// `return_exceptions` and `cancel_pending` both on.
fn variants() -> [RunOptions; 2] {
    [
        RunOptions::default(),
        RunOptions {
            return_exceptions: true,
            cancel_pending: true,
            pool_size: 2,
            limit: 2,
            ..RunOptions::default()
        },
    ]
}

/// The source read as rustc's lexer would, just enough to check it: string
/// literals (decoded) and whether (), [] and {} balance outside literals
/// and `//` comments.
struct Lexed {
    strings: Vec<String>,
    balanced: Result<(), String>,
}

fn lex(source: &str) -> Lexed {
    let mut strings = Vec::new();
    let mut stack: Vec<char> = Vec::new();
    let mut balanced = Ok(());
    let mut chars = source.chars().peekable();
    let mut line_no = 1;
    while let Some(c) = chars.next() {
        match c {
            '\n' => line_no += 1,
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        line_no += 1;
                        break;
                    }
                }
            }
            '"' => {
                let mut s = String::new();
                let mut closed = false;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\\' => match chars.next() {
                            Some('n') => s.push('\n'),
                            Some('r') => s.push('\r'),
                            Some('t') => s.push('\t'),
                            Some('\\') => s.push('\\'),
                            Some('"') => s.push('"'),
                            Some('u') => {
                                assert_eq!(chars.next(), Some('{'), "line {line_no}");
                                let hex: String =
                                    chars.by_ref().take_while(|&c| c != '}').collect();
                                let code = u32::from_str_radix(&hex, 16).expect("hex escape");
                                s.push(char::from_u32(code).expect("a char"));
                            }
                            other => panic!("line {line_no}: unknown escape {other:?}"),
                        },
                        '\n' => {
                            line_no += 1;
                            s.push('\n');
                        }
                        c => s.push(c),
                    }
                }
                assert!(closed, "unterminated string literal from line {line_no}");
                strings.push(s);
            }
            '(' | '[' | '{' => stack.push(c),
            ')' | ']' | '}' => {
                let want = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if stack.pop() != Some(want) && balanced.is_ok() {
                    balanced = Err(format!("unbalanced {c:?} on line {line_no}"));
                }
            }
            _ => {}
        }
    }
    if !stack.is_empty() && balanced.is_ok() {
        balanced = Err(format!("unclosed {stack:?}"));
    }
    Lexed { strings, balanced }
}

#[test]
fn every_mode_uses_its_construct() {
    use RunMode::*;
    for options in variants() {
        let scenario = mixed(options);
        let catch = options.return_exceptions;
        for mode in RunMode::ALL {
            let program = rust_program(&scenario, mode);
            let has = |needle: &str| program.contains(needle);
            // Common to all.
            for needle in [
                "// Cargo.toml:",
                "tokio = { version = \"1\", features = [\"full\"] }",
                "Builder::new_current_thread()",
                ".max_blocking_threads(",
                "tokio::time::sleep",
                "tokio::task::spawn_blocking(|| std::thread::sleep(ms(15)))",
                "tokio::task::spawn_blocking(|| burn(ms(15)))",
                "std::thread::sleep(ms(10));",
                "tokio::time::timeout(limit, job)",
                "Box::pin(with_timeout(1, ms(40), timed(1, say_hi())))",
                "let mut items = std::pin::pin!(stream(3, ms(5)));",
                "while let Some(_item) = items.next().await {",
                "sleep(ms(3)).await; // the loop body's own work",
                "Instant::now",
                "println!(",
                "async fn fn_task()",
            ] {
                assert!(has(needle), "{mode:?}: no {needle:?}\n{program}");
            }
            assert!(
                has(&format!(".max_blocking_threads({})", options.pool_size)),
                "{program}"
            );
            let expected: &[&str] = match (mode, catch) {
                (Sequential, _) => &["for (i, job) in jobs().into_iter().enumerate()"],
                (Gather, true) => &["futures::future::join_all(jobs())"],
                (Gather, false) => &["JoinSet::new()", "error_of(joined)"],
                (CreateTask, _) => &["map(tokio::spawn)", "handle.await"],
                (TaskGroup, _) => &["set.abort_all();", "JoinSet::new()"],
                (Bounded, true) => &[
                    "Semaphore::new(2)",
                    "acquire_owned()",
                    "join_all(jobs().into_iter().map(|job| limited(sem.clone(), job)))",
                ],
                (Bounded, false) => &["Semaphore::new(3)", "set.spawn(limited(sem.clone(), job));"],
                (AsCompleted, _) => &["set.join_next().await", "order.push(error.index)"],
                (WaitFirst, false) => &["set.try_join_next()"],
                (WaitFirst, true) => &["set.try_join_next()", "set.abort_all();"],
            };
            for needle in expected {
                assert!(
                    has(needle),
                    "{mode:?} catch={catch}: no {needle:?}\n{program}"
                );
            }
            assert!(has("futures = \"0.3\""), "streams need futures: {mode:?}");
            if mode == WaitFirst && !catch {
                assert!(!has("abort_all"), "{program}");
            }
        }
    }
}

#[test]
fn a_scenario_without_threads_uses_the_tokio_main_attribute() {
    let scenario = Scenario::new(
        vec![task(1, "a", 200, Kind::Io), task(2, "b", 300, Kind::Io)],
        4.0,
        RunOptions::default(),
    );
    let program = rust_program(&scenario, RunMode::Gather);
    assert!(program.contains("#[tokio::main(flavor = \"current_thread\")]"));
    assert!(program.contains("async fn a() -> Result<(), String> {\n    sleep(ms(50)).await;"));
    assert!(
        !program.contains("futures"),
        "no stream, no join_all:\n{program}"
    );
    assert!(!program.contains("spawn_blocking"));
    assert!(!program.contains("with_timeout"));
    assert!(!program.contains("burn"));
    let lexed = lex(&program);
    assert_eq!(lexed.balanced, Ok(()));
}

#[test]
fn labels_and_messages_stay_inside_escaped_literals() {
    for mode in RunMode::ALL {
        let scenario = mixed(RunOptions::default());
        let program = rust_program(&scenario, mode);
        let lexed = lex(&program);
        assert_eq!(lexed.balanced, Ok(()), "{mode:?}\n{program}");
        for task in &scenario.tasks {
            assert!(
                lexed.strings.contains(&task.label),
                "{mode:?}: {:?} is not a literal of its own",
                task.label
            );
            if let Kind::Fail { message } = &task.kind {
                assert!(lexed.strings.contains(message), "{message:?}");
            }
        }
        // Nothing rustc refuses in source: bidi controls only as escapes.
        assert!(
            !program.contains('\u{202e}') && !program.contains('\u{2066}'),
            "{program}"
        );
        // A label's newline never reaches a comment.
        assert!(program.contains("/// new line */ /* }\n"), "{program}");
        assert!(program.contains("/// ticker  evil\n"), "{program}");
    }
}

#[test]
fn rust_str_escapes() {
    assert_eq!(rust_str("plain"), "\"plain\"");
    assert_eq!(rust_str("a\"b"), "\"a\\\"b\"");
    assert_eq!(rust_str("a\\b"), "\"a\\\\b\"");
    assert_eq!(rust_str("a\nb\r\t"), "\"a\\nb\\r\\t\"");
    assert_eq!(rust_str("\"#"), "\"\\\"#\"");
    assert_eq!(rust_str("\u{7}\u{202e}é"), "\"\\u{7}\\u{202e}é\"");
}

#[test]
fn function_names_are_rust_identifiers() {
    let labels = [
        "fn",
        "fn task",
        "main",
        "sleep",
        "run",
        "type",
        "self",
        "Fetch data!",
        "3rd",
        "éé",
        "",
        "async",
        "gen",
    ];
    let scenario = Scenario::new(
        labels
            .iter()
            .enumerate()
            .map(|(i, l)| task(i as u32 + 1, l, 10, Kind::Io))
            .collect(),
        1.0,
        RunOptions::default(),
    );
    let names = rust_function_names(&scenario);
    assert_eq!(
        names,
        vec![
            "fn_task",
            "fn_task_2",
            "main_task",
            "sleep_task",
            "run_task",
            "type_task",
            "self_task",
            "fetch_data",
            "task_3rd",
            "task_10",
            "task_11",
            "async_task",
            "gen_task"
        ]
    );
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), names.len());
    for name in &names {
        assert!(name.starts_with(|c: char| c.is_ascii_lowercase()));
        assert!(name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'));
    }
}

#[test]
fn an_empty_scenario_still_writes_a_program() {
    let scenario = Scenario::new(Vec::new(), 1.0, RunOptions::default());
    for mode in RunMode::ALL {
        let program = rust_program(&scenario, mode);
        assert!(program.contains("const LABELS: [&str; 0] = ["));
        assert_eq!(lex(&program).balanced, Ok(()));
    }
}

// ---- building and running with cargo ------------------------------------

/// Every program the ignored test builds: the mixed scenario in every mode
/// and variant, and every preset in its own mode.
fn programs() -> Vec<(String, String, usize)> {
    let mut all = Vec::new();
    for (v, options) in variants().into_iter().enumerate() {
        for mode in RunMode::ALL {
            let name = format!("mixed_{}_{v}", mode.slug().replace('-', "_"));
            let scenario = mixed(options);
            all.push((name, rust_program(&scenario, mode), scenario.tasks.len()));
        }
    }
    for preset in presets() {
        let doc = preset_doc(preset.slug).expect("a preset's scenario");
        let scenario = validate(&doc.drafts, &doc.speed_text, doc.options).expect("valid");
        let name = format!("preset_{}", preset.slug.replace('-', "_"));
        all.push((
            name,
            rust_program(&scenario, doc.mode),
            scenario.tasks.len(),
        ));
    }
    all
}

/// Writes the programs as binaries of a scratch cargo project, builds them
/// offline with warnings denied, runs each and checks its table.
#[test]
#[ignore]
fn generated_programs_build_and_run_with_tokio() {
    use std::process::Command;
    let dir = std::env::temp_dir().join("async-playground-codegen-rust");
    let bin = dir.join("src").join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"generated\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [dependencies]\ntokio = { version = \"=1.44.2\", features = [\"full\"] }\nfutures = \"=0.3.31\"\n\n\
         [workspace]\n",
    )
    .unwrap();
    // The programs ask for tokio 1 and futures 0.3; these exact versions
    // (and the lock file made fresh) build from what this machine's registry
    // cache holds. Elsewhere, loosen them.
    let _ = std::fs::remove_file(dir.join("Cargo.lock"));
    let programs = programs();
    for (name, program, _) in &programs {
        std::fs::write(bin.join(format!("{name}.rs")), program).unwrap();
    }
    let build = Command::new(env!("CARGO"))
        .args(["build", "--offline", "--bins", "--quiet"])
        .current_dir(&dir)
        .env("RUSTFLAGS", "-D warnings")
        .status()
        .expect("cargo");
    assert!(build.success(), "the generated programs did not build");
    for (name, _, tasks) in &programs {
        let out = Command::new(dir.join("target").join("debug").join(name))
            .output()
            .expect("run");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{name}: {}\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        println!("{name}:\n{stdout}");
        // A row per task (a label may hold a newline, so count the arrows).
        assert_eq!(
            stdout.matches('→').count(),
            *tasks,
            "{name}: a row per task"
        );
        assert!(stdout.contains("caller resumed at"), "{name}");
    }
}
