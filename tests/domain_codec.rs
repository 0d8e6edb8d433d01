//! Native tests: the scenario JSON format, share links and the autosave read
//! what they write, name the path of every problem, and never panic.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use async_playground::domain::formats::codec::*;
use async_playground::domain::model::Outcome;
use async_playground::domain::run::measurement::{MeasuredTask, Measurement, ThreadSpan};
use async_playground::domain::run::SavedRun;
use async_playground::domain::scenario::doc::ScenarioDoc;
use async_playground::domain::scenario::{
    parse_limit, parse_pool_size, validate, OptionTexts, RunMode, RunOptions, ScenarioError,
    TaskDraft, TaskId, TaskKind, MAX_POOL_SIZE, MAX_TASKS,
};
use async_playground::domain::state::guess::Tally;
use common::options_within;
use proptest::prelude::*;

// ------------------------------------------------------------- helpers

fn io(id: u32, label: &str, ms: &str) -> TaskDraft {
    TaskDraft::io(TaskId(id), label, ms)
}

fn doc(drafts: Vec<TaskDraft>) -> ScenarioDoc {
    ScenarioDoc {
        title: String::new(),
        drafts,
        speed_text: "1".into(),
        mode: RunMode::Gather,
        options: RunOptions::default(),
        option_texts: OptionTexts::default(),
    }
}

/// The README example: every kind and option.
fn readme_doc() -> ScenarioDoc {
    let mut boom = io(2, "boom", "100").with_kind(TaskKind::Fail);
    boom.message = "timeout".into();
    let mut ticks = io(4, "ticks", "100").with_kind(TaskKind::Stream);
    ticks.items_text = "5".into();
    ticks.body_text = "10".into();
    let mut slow = io(5, "slow", "2000");
    slow.timeout_text = "500".into();
    ScenarioDoc {
        title: "mixed kinds".into(),
        drafts: vec![
            io(1, "fetch 1", "300"),
            boom,
            io(3, "hash", "800").with_kind(TaskKind::OffloadedCpu),
            ticks,
            slow,
            io(6, "sleep in thread", "400").with_kind(TaskKind::OffloadedWait),
            io(7, "time.sleep", "200").with_kind(TaskKind::Blocking),
            io(8, "fetch 2", "250"),
        ],
        speed_text: "2".into(),
        mode: RunMode::TaskGroup,
        options: RunOptions {
            return_exceptions: true,
            limit: 3,
            cancel_pending: false,
            pool_size: 4,
            gil: false,
        },
        option_texts: OptionTexts::default(),
    }
}

const README_JSON: &str = r#"{"v": 1, "title": "mixed kinds", "mode": "taskgroup", "speed": 2,
 "options": {"return_exceptions": true, "pool_size": 4, "gil": false},
 "tasks": [
   {"label": "fetch 1", "ms": 300},
   {"label": "boom", "ms": 100, "kind": "fail", "message": "timeout"},
   {"label": "hash", "ms": 800, "kind": "thread-cpu"},
   {"label": "ticks", "ms": 100, "kind": "stream", "items": 5, "body_ms": 10},
   {"label": "slow", "ms": 2000, "timeout_ms": 500},
   {"label": "sleep in thread", "ms": 400, "kind": "thread-wait"},
   {"label": "time.sleep", "ms": 200, "kind": "blocking"},
   {"label": "fetch 2", "ms": "250"}
 ]}"#;

fn fetches(n: u32, ms: &str) -> ScenarioDoc {
    let mut d = doc((1..=n).map(|i| io(i, &format!("fetch {i}"), ms)).collect());
    d.title = format!("{n} fetches");
    d
}

fn err(path: &str, reason: &str) -> CodecError {
    CodecError {
        path: path.into(),
        reason: reason.into(),
    }
}

/// Asserts `result` failed at `path` with a reason containing `reason`.
fn assert_fails<T: std::fmt::Debug>(result: Result<T, CodecError>, path: &str, reason: &str) {
    match result {
        Err(e) => {
            assert_eq!(e.path, path, "path of {e}");
            assert!(e.reason.contains(reason), "{e:?} should say {reason:?}");
        }
        Ok(v) => panic!("expected an error at {path:?}, got {v:?}"),
    }
}

// ------------------------------------------------------------- JSON format

#[test]
fn readme_example_reads() {
    assert_eq!(from_json(README_JSON), Ok(readme_doc()));
}

#[test]
fn documented_example_reads() {
    let page = include_str!("../docs/scenario-format.md");
    let example = page
        .split("```json\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a json block in docs/scenario-format.md");
    let d = from_json(example).unwrap();
    assert_eq!(d.drafts.len(), 7);
    assert_eq!(d.drafts[2].label, "fetch 3");
    assert_eq!(d.drafts[5].kind, TaskKind::Stream);
    assert_eq!(
        from_json(r#"{"tasks": [{}]}"#).unwrap().drafts[0].label,
        "task 1"
    );
}

#[test]
fn every_field_but_tasks_has_a_default() {
    let d = from_json(r#"{"tasks": [{}, {"label": "b"}]}"#).unwrap();
    assert_eq!(d, doc(vec![io(1, "task 1", "300"), io(2, "b", "300")]));
}

#[test]
fn repeat_makes_numbered_copies() {
    let d = from_json(r#"{"tasks": [{"label": "fetch", "ms": 50, "repeat": 3}, {"repeat": 2}]}"#)
        .unwrap();
    let labels: Vec<&str> = d.drafts.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(
        labels,
        ["fetch 1", "fetch 2", "fetch 3", "task 4", "task 5"]
    );
    let ids: Vec<u32> = d.drafts.iter().map(|t| t.id.0).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(d.drafts[2].duration_text, "50");
}

#[test]
fn to_json_is_pretty_and_omits_defaults() {
    let mut d = doc(vec![io(1, "a", "300"), io(2, "task 2", "1_000 ms")]);
    d.drafts[1].kind = TaskKind::Blocking;
    assert_eq!(
        to_json(&d),
        "{\n  \"v\": 1,\n  \"tasks\": [\n    {\"label\": \"a\", \"ms\": 300},\n    \
         {\"ms\": \"1_000 ms\", \"kind\": \"blocking\"}\n  ]\n}"
    );
    assert_eq!(from_json(&to_json(&d)), Ok(d));
}

#[test]
fn generated_tasks_collapse_into_repeat() {
    let d = fetches(20, "300");
    let json = to_json(&d);
    assert!(
        json.contains(r#"{"label": "fetch", "ms": 300, "repeat": 20}"#),
        "{json}"
    );
    assert_eq!(from_json(&json), Ok(d));
}

#[test]
fn readme_doc_round_trips_and_ids_are_renumbered() {
    let d = readme_doc();
    assert_eq!(from_json(&to_json(&d)), Ok(d.clone()));
    let mut shuffled = d.clone();
    for (i, t) in shuffled.drafts.iter_mut().enumerate() {
        t.id = TaskId(100 - i as u32);
    }
    assert_eq!(from_json(&to_json(&shuffled)), Ok(d));
}

#[test]
fn fields_a_kind_does_not_use_are_kept_unchecked() {
    // validate() ignores them, so the codec does too: switching the kind back
    // in the editor shows them as typed.
    let d = from_json(r#"{"tasks": [{"items": 0, "message": " ", "body_ms": "x"}]}"#).unwrap();
    assert_eq!(d.drafts[0].items_text, "0");
    assert_eq!(d.drafts[0].body_text, "x");
    assert!(validate(&d.drafts, &d.speed_text, d.options).is_ok());
    assert_eq!(from_json(&to_json(&d)), Ok(d));
}

#[test]
fn json_errors_name_the_field() {
    let task = |fields: &str| format!(r#"{{"tasks": [{{{fields}}}]}}"#);
    let cases: Vec<(String, &str, &str)> = vec![
        ("[]".into(), "", "expected a scenario object"),
        ("{\"tasks\": [".into(), "", "the JSON ends early"),
        ("{\"tasks\": [}".into(), "", "not valid JSON"),
        (
            r#"{"v": 7, "tasks": []}"#.into(),
            "v",
            "format version 7 is newer than this playground understands (1)",
        ),
        (r#"{"v": 0, "tasks": []}"#.into(), "v", "does not exist"),
        (
            r#"{"v": "1", "tasks": []}"#.into(),
            "v",
            "expected a format version like 1, got \"1\"",
        ),
        (
            r#"{"titel": "x", "tasks": []}"#.into(),
            "",
            "unknown field \"titel\"; known fields: v, title,",
        ),
        (
            r#"{"title": 5, "tasks": []}"#.into(),
            "title",
            "expected a title",
        ),
        (
            r#"{"mode": "gather", "tasks": []}"#.into(),
            "mode",
            "unknown mode \"gather\"; one of: sequential, gathered, create-task,",
        ),
        (
            r#"{"speed": 0, "tasks": [{}]}"#.into(),
            "speed",
            "expected a speed factor from 0.1 to 100, got 0",
        ),
        (
            r#"{"options": {"limit": 0}, "tasks": [{}]}"#.into(),
            "options.limit",
            "expected a whole number from 1 to 10000, got 0",
        ),
        (
            r#"{"options": {"pool_size": 33}, "tasks": [{}]}"#.into(),
            "options.pool_size",
            "from 1 to 32",
        ),
        (
            r#"{"options": {"gil": "yes"}, "tasks": [{}]}"#.into(),
            "options.gil",
            "expected true or false, got \"yes\"",
        ),
        (
            r#"{"options": {"pool": 3}, "tasks": [{}]}"#.into(),
            "options",
            "unknown field \"pool\"",
        ),
        (r#"{"title": "x"}"#.into(), "tasks", "missing"),
        (r#"{"tasks": []}"#.into(), "tasks", "at least one task"),
        (
            r#"{"tasks": "x"}"#.into(),
            "tasks",
            "expected a list of tasks",
        ),
        (
            r#"{"tasks": [3]}"#.into(),
            "tasks[0]",
            "expected a task object",
        ),
        (
            task(r#""ms": "abc""#),
            "tasks[0].ms",
            "expected a whole number of milliseconds from 0 to 60000, got \"abc\"",
        ),
        (task(r#""ms": 60001"#), "tasks[0].ms", "got 60001"),
        (task(r#""ms": -1"#), "tasks[0].ms", "got -1"),
        (task(r#""ms": 2.5"#), "tasks[0].ms", "got 2.5"),
        (task(r#""ms": true"#), "tasks[0].ms", "got true"),
        (
            task(r#""kind": "cpu""#),
            "tasks[0].kind",
            "unknown kind \"cpu\"; one of: io, fail, blocking, thread-wait, thread-cpu, stream",
        ),
        (
            task(r#""duraton": 5"#),
            "tasks[0]",
            "unknown field \"duraton\"; known fields: label, ms,",
        ),
        (
            task(r#""label": """#),
            "tasks[0].label",
            "the label can't be blank",
        ),
        (
            task(&format!(r#""label": "{}""#, "x".repeat(81))),
            "tasks[0].label",
            "the label is 81 characters long; at most 80",
        ),
        (task(r#""label": 1"#), "tasks[0].label", "expected a label"),
        (
            task(r#""kind": "fail", "message": "  ""#),
            "tasks[0].message",
            "the message can't be blank",
        ),
        (
            task(r#""kind": "stream", "items": 0"#),
            "tasks[0].items",
            "expected a whole number of items from 1 to 100, got 0",
        ),
        (
            task(r#""kind": "stream", "body_ms": "x""#),
            "tasks[0].body_ms",
            "got \"x\"",
        ),
        (task(r#""items": []"#), "tasks[0].items", "got a list"),
        (
            task(r#""timeout_ms": 0"#),
            "tasks[0].timeout_ms",
            "expected a timeout of 1 to 60000 ms (leave it out for none), got 0",
        ),
        (
            task(r#""timeout_ms": null"#),
            "tasks[0].timeout_ms",
            "got null",
        ),
        (
            task(r#""repeat": 0"#),
            "tasks[0].repeat",
            "expected a whole number from 1 to 10000",
        ),
        (
            r#"{"tasks": [{"repeat": 10000}, {"repeat": 2}]}"#.into(),
            "tasks[1].repeat",
            "this makes 10002 tasks; a scenario holds at most 10000",
        ),
        (
            r#"{"tasks": [{"repeat": 10000}, {}]}"#.into(),
            "tasks[1]",
            "this makes 10001 tasks",
        ),
        (
            task(&format!(r#""label": "{}", "repeat": 12"#, "x".repeat(78))),
            "tasks[0].label",
            "81 characters",
        ),
    ];
    for (json, path, reason) in cases {
        assert_fails(from_json(&json), path, reason);
    }
}

#[test]
fn repeat_cannot_blow_up_memory() {
    // An I/O task's `items` is not checked (validate() ignores it), so ten
    // thousand copies of 64 KB would be 640 MB: refused before copying.
    let junk = "x".repeat(64 * 1024);
    let json = format!(r#"{{"tasks": [{{"items": "{junk}", "repeat": 10000}}]}}"#);
    assert_fails(from_json(&json), "tasks[0].repeat", "too large");
    // The budget is per read, so many saved runs cannot add up either.
    let run = format!(
        r#"{{"scenario": {{"tasks": [{{"items": "{}", "repeat": 10000}}]}}, "measurement": {{"tasks": []}}}}"#,
        "x".repeat(300)
    );
    let runs = vec![run; 10].join(",");
    let saved = format!(r#"{{"v":1,"scenario":{{"tasks":[]}},"history":[{runs}]}}"#);
    let read = read_saved(&saved).expect("the runs that fit are read");
    assert!(read.state.history.len() < 10);
    assert_eq!(read.runs_left_out() + read.state.history.len(), 10);
    let e = read.left_out.last().unwrap();
    assert!(e.path.ends_with("tasks[0].repeat"), "{e}");
    assert!(
        e.reason.contains("too large"),
        "{e} (budget {MAX_REPEAT_BYTES})"
    );
}

#[test]
fn long_values_are_elided_in_messages() {
    let e = from_json(&format!(
        r#"{{"tasks": [{{"ms": "{}"}}]}}"#,
        "9".repeat(500)
    ))
    .unwrap_err();
    assert!(e.reason.chars().count() < 120, "{e}");
}

#[test]
fn errors_display_as_path_and_reason() {
    assert_eq!(err("tasks[2].ms", "bad").to_string(), "tasks[2].ms: bad");
    assert_eq!(err("", "bad").to_string(), "bad");
}

#[test]
fn migrate_keeps_the_current_version_and_refuses_newer_ones() {
    let value = serde_json::json!({"tasks": []});
    assert_eq!(migrate(FORMAT_VERSION, value.clone()), Ok(value.clone()));
    assert_fails(migrate(2, value), "v", "newer");
}

// ------------------------------------------------------------- links

#[test]
fn link_round_trips_with_and_without_hash_and_run() {
    let d = readme_doc();
    let fragment = to_fragment(&d, false);
    assert!(fragment.starts_with("s1="), "{fragment}");
    let plain = from_fragment(&fragment).unwrap().unwrap();
    assert_eq!((plain.doc, plain.run), (d.clone(), false));
    let hashed = from_fragment(&format!("#{}", to_fragment(&d, true)))
        .unwrap()
        .unwrap();
    assert_eq!((hashed.doc, hashed.run), (d, true));
}

#[test]
fn link_is_url_safe_and_short_for_generated_tasks() {
    let fragment = to_fragment(&fetches(20, "300"), true);
    assert!(fragment
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_=&".contains(&b)));
    assert!(fragment.len() < 120, "{} chars: {fragment}", fragment.len());
}

#[test]
fn other_fragments_are_not_scenarios() {
    for fragment in [
        "", "#", "#results", "#run", "#s1", "#s", "#sx=abc", "#a=b&c",
    ] {
        assert_eq!(from_fragment(fragment), Ok(None), "{fragment:?}");
    }
}

#[test]
fn hand_written_json_links_work() {
    let expected = doc(vec![io(1, "task 1", "300")]);
    let encoded = "#j=%7B%22tasks%22%3A%5B%7B%22ms%22%3A300%7D%5D%7D&run";
    let link = from_fragment(encoded).unwrap().unwrap();
    assert_eq!((link.doc, link.run), (expected.clone(), true));
    let raw = from_fragment(r#"#j={"tasks":[{"ms":300}]}"#)
        .unwrap()
        .unwrap();
    assert_eq!(raw.doc, expected);
    assert_fails(
        from_fragment("#j=%7G"),
        "",
        "not followed by two hex digits",
    );
    assert_fails(from_fragment("#j=%"), "", "not followed by two hex digits");
    assert_fails(from_fragment("#j=%FF"), "", "not UTF-8");
}

#[test]
fn broken_links_say_what_is_wrong() {
    let good = to_fragment(&readme_doc(), false);
    // Cut so that the base64 length is impossible, or the JSON ends early.
    let cut = |keep: usize| good.get(..keep).unwrap().to_string();
    let impossible = (40..good.len()).find(|&n| (n - 3) % 4 == 1).unwrap();
    assert_fails(from_fragment(&cut(impossible)), "", "incomplete");
    let ends_early = (40..good.len()).find(|&n| (n - 3) % 4 == 0).unwrap();
    assert_fails(from_fragment(&cut(ends_early)), "", "the JSON ends early");
    let garbled = good.replacen('A', "*", 1);
    assert_fails(from_fragment(&garbled), "", "unexpected character '*'");
    assert_fails(from_fragment("#s1="), "", "holds no scenario");
    assert_fails(from_fragment("#s1=aGVsbG8"), "", "not valid JSON");
    assert_fails(from_fragment("#s1=__8"), "", "not text");
    assert_fails(
        from_fragment("#s2=abcd"),
        "",
        "newer version of the playground",
    );
    assert_fails(from_fragment("#s99999999999=abcd"), "", "newer version");
    assert_fails(from_fragment("#s0=abcd"), "", "unknown link format");
    let huge = format!("s1={}", "A".repeat(MAX_FRAGMENT_CHARS));
    assert_fails(from_fragment(&huge), "", "too long");
    // A link is as strict as the JSON format.
    let bad = to_fragment(&doc(vec![io(1, "a", "lots")]), false);
    assert_fails(from_fragment(&bad), "tasks[0].ms", "got \"lots\"");
    let empty = to_fragment(&doc(vec![]), false);
    assert_fails(from_fragment(&empty), "tasks", "at least one task");
}

/// The documents behind `tests/fixtures/links_v1.txt`, in file order.
fn fixture_docs() -> Vec<(ScenarioDoc, bool)> {
    let mut odd = doc(vec![io(1, "  spaced  ", "300 ms"), io(2, "x", "1_000")]);
    odd.speed_text = "2.5".into();
    odd.drafts[1].timeout_text = " 250 ".into();
    odd.mode = RunMode::Sequential;
    let mut quoted = doc(vec![io(1, "say \"hi\" \\ ✓ 日本", "5")]);
    quoted.title = "Quotes, \"escapes\" & ünïcode".into();
    quoted.mode = RunMode::WaitFirst;
    quoted.options.cancel_pending = true;
    let mut bounded = fetches(20, "300");
    bounded.mode = RunMode::Bounded;
    bounded.options.limit = 5;
    let mut hand_written = fetches(3, "120");
    hand_written.title = String::new();
    hand_written.mode = RunMode::AsCompleted;
    vec![
        (readme_doc(), false),
        (bounded, true),
        (odd, false),
        (quoted, true),
        (doc(vec![io(1, "task 1", "300")]), false),
        (hand_written, true),
    ]
}

fn fixture_links() -> Vec<String> {
    let text = include_str!("fixtures/links_v1.txt");
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .map(str::to_string)
        .collect()
}

#[test]
fn links_from_older_releases_keep_opening() {
    let links = fixture_links();
    let docs = fixture_docs();
    assert_eq!(links.len(), docs.len());
    for (link, (doc, run)) in links.iter().zip(docs) {
        let request = from_fragment(link).unwrap_or_else(|e| panic!("{link}: {e}"));
        assert_eq!(request, Some(LinkRequest { doc, run }), "{link}");
    }
}

/// Prints fixture lines for new docs: `cargo test --test domain_codec --
/// --ignored --nocapture print_fixture_links`. Append, never rewrite: old
/// lines are the promise that old links work.
#[test]
#[ignore]
fn print_fixture_links() {
    for (doc, run) in fixture_docs() {
        println!("// {}\n{}", doc.title, to_fragment(&doc, run));
    }
}

// ------------------------------------------------------------- saved state

fn run_of(scenario: ScenarioDoc, started_unix_ms: f64) -> SavedRun {
    SavedRun {
        mode: RunMode::Sequential,
        measurement: Measurement {
            tasks: vec![
                MeasuredTask {
                    start_ms: Some(0.0),
                    end_ms: Some(412.25),
                    outcome: Some(Outcome::TimedOut),
                    items_ms: vec![1.5, 3.0],
                    thread: None,
                },
                MeasuredTask::default(),
            ],
            caller: Some((413.0, true)),
            result_order: vec![1, 0],
            lag: vec![(16.0, 0.25), (32.0, 4.5)],
            total_ms: Some(414.75),
            last_event_ms: 414.75,
        },
        scenario,
        stopped: true,
        started_unix_ms,
    }
}

fn saved_example() -> SavedState {
    let mut half_typed = doc(vec![io(1, "", "12a"), io(2, "ok", "99999")]);
    half_typed.speed_text = "".into();
    SavedState {
        scenario: half_typed,
        history: vec![
            run_of(readme_doc(), 1_700_000_000_000.0),
            run_of(fetches(3, "50"), 1_700_000_001_000.0),
            run_of(doc(vec![]), 1_700_000_002_000.0),
        ],
        guesses: Tally {
            made: 4,
            close: 2,
            picked: 3,
            picked_right: 1,
        },
    }
}

#[test]
fn saved_state_round_trips_half_typed_text() {
    let state = saved_example();
    let text = to_saved(&state);
    assert!(text.starts_with(r#"{"v":1,"#), "{text}");
    assert_eq!(from_saved(&text), Ok(state));
}

#[test]
fn saved_times_are_rounded_to_hundredths() {
    let mut state = saved_example();
    state.history[0].measurement.tasks[0].end_ms = Some(412.123_456);
    state.history[0].measurement.lag = vec![(1.0 / 3.0, f64::NAN)];
    let back = from_saved(&to_saved(&state)).unwrap();
    let m = &back.history[0].measurement;
    assert_eq!(m.tasks[0].end_ms, Some(412.12));
    assert_eq!(m.lag, vec![(0.33, 0.0)]);
}

#[test]
fn capped_save_drops_the_oldest_runs_first() {
    let state = saved_example();
    let full = to_saved(&state);
    assert_eq!(to_saved_capped(&state, full.len()), full);
    let back = from_saved(&to_saved_capped(&state, full.len() - 1)).unwrap();
    assert_eq!(back.history, state.history[1..].to_vec());
    let bare = from_saved(&to_saved_capped(&state, 10)).unwrap();
    assert_eq!((bare.scenario, bare.history), (state.scenario, vec![]));
}

#[test]
fn damaged_saved_state_is_an_error() {
    let good = to_saved(&saved_example());
    assert_fails(read_saved(""), "", "the saved state is damaged");
    assert_fails(from_saved(""), "", "the saved state is damaged");
    assert_fails(read_saved(&good[..good.len() / 2]), "", "damaged");
    assert_fails(read_saved("null"), "", "expected a saved-state object");
    assert_fails(
        read_saved(&good.replacen(r#""v":1"#, r#""v":2"#, 1)),
        "v",
        "saved state version 2",
    );
    assert_fails(read_saved(r#"{"v":1}"#), "scenario", "missing");
    assert_fails(
        read_saved(r#"{"v":1,"scenario":[]}"#),
        "scenario",
        "expected a scenario object",
    );
}

/// What `read_saved` left out, as `path: reason` lines.
fn left_out(text: &str) -> (SavedRead, Vec<String>) {
    let read = read_saved(text).expect("readable");
    let lines = read.left_out.iter().map(ToString::to_string).collect();
    (read, lines)
}

#[test]
fn a_saved_run_that_cannot_be_read_is_left_out_and_reported() {
    let state = saved_example();
    let good = to_saved(&state);
    let (read, lines) = left_out(&good);
    assert_eq!((read.state, lines.len()), (state.clone(), 0));
    for (damage, path, reason) in [
        (
            good.replacen("timed-out", "exploded", 1),
            "history[0].measurement.tasks[0].outcome",
            "expected one of ok, failed, cancelled, timed-out, not-run",
        ),
        (
            good.replacen(r#""result_order":[1"#, r#""result_order":[-1"#, 1),
            "history[0].measurement.result_order[0]",
            "expected a task index",
        ),
        (
            good.replacen(r#""end_ms":412.25"#, r#""end_ms":"soon""#, 1),
            "history[0].measurement.tasks[0].end_ms",
            "expected a time in ms",
        ),
        (
            good.replacen(r#""mode":"sequential""#, r#""mode":"x""#, 1),
            "history[0].mode",
            "unknown mode",
        ),
    ] {
        let read = read_saved(&damage).expect("the other runs load");
        assert_eq!(read.state.scenario, state.scenario);
        assert_eq!(read.state.history, state.history[1..].to_vec(), "{path}");
        assert_eq!(read.left_out.len(), 1, "{:?}", read.left_out);
        assert_eq!(read.left_out[0].path, path);
        assert!(
            read.left_out[0].reason.contains(reason),
            "{}",
            read.left_out[0]
        );
        assert!(
            read.left_out[0].reason.contains("left out"),
            "{}",
            read.left_out[0]
        );
        assert_eq!((read.runs_left_out(), read.fields_ignored()), (1, 0));
        // The plain reader gives the same state.
        assert_eq!(from_saved(&damage), Ok(read.state));
    }
    // A history that is not a list is left out; the scenario still loads.
    let (read, lines) = left_out(r#"{"v":1,"scenario":{"tasks":[]},"history":{}}"#);
    assert_eq!(read.state.history, vec![]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("history: "), "{lines:?}");
}

#[test]
fn unknown_fields_from_a_newer_build_are_ignored_and_reported() {
    let state = saved_example();
    let good = to_saved(&state);
    // One unknown field at every level a newer build could add one.
    let newer = good
        .replacen(r#"{"v":1,"#, r#"{"v":1,"synced":true,"#, 1)
        .replacen(r#""scenario":{"v":1,"#, r#""scenario":{"v":1,"seed":7,"#, 1)
        .replacen(r#""lag":["#, r#""lagg":0,"lag":["#, 1)
        .replacen(r#"{"start_ms":0.0,"#, r#"{"start_ms":0.0,"cpu_ms":3,"#, 1)
        .replacen(r#""stopped":true,"#, r#""stopped":true,"tab":"b","#, 1)
        .replacen(
            r#""return_exceptions":true"#,
            r#""return_exceptions":true,"eager":true"#,
            1,
        )
        .replacen(
            r#"{"label":"fetch 1","#,
            r#"{"label":"fetch 1","retries":2,"#,
            1,
        );
    let (read, mut lines) = left_out(&newer);
    assert_eq!(read.state, state, "nothing is lost");
    lines.sort();
    let paths: Vec<&str> = lines.iter().map(|l| l.split(':').next().unwrap()).collect();
    assert_eq!(
        paths,
        vec![
            "history[0].measurement.lagg",
            "history[0].measurement.tasks[0].cpu_ms",
            "history[0].scenario.options.eager",
            "history[0].scenario.tasks[0].retries",
            "history[0].tab",
            "scenario.seed",
            "synced",
        ]
    );
    assert!(lines.iter().all(|l| l.contains("ignored")), "{lines:?}");
    assert_eq!((read.runs_left_out(), read.fields_ignored()), (0, 7));
    // Links and hand-written JSON stay strict.
    assert_fails(
        from_json(r#"{"seed":7,"tasks":[{}]}"#),
        "",
        "unknown field \"seed\"",
    );
}

#[test]
fn saved_measurements_read_null_as_absent() {
    let good = to_saved(&saved_example());
    let with_null = good.replacen(r#","outcome":"timed-out""#, r#","outcome":null"#, 1);
    assert_ne!(with_null, good);
    let state = from_saved(&with_null).expect("null reads as absent");
    let tasks = &state.history[0].measurement.tasks;
    assert!(tasks.iter().any(|t| t.outcome.is_none()), "{tasks:?}");
    assert_fails(
        from_saved(r#"{"v":1,"scenario":{"v":9,"tasks":[]}}"#),
        "scenario.v",
        "format version 9 is newer",
    );
}

// ------------------------------------------------------------- properties

/// Editor text that `validate()` accepts for a duration, in varied spellings.
fn duration_text() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..=60_000).prop_map(|ms| ms.to_string()),
        (0u32..=60_000).prop_map(|ms| format!(" {ms} ms")),
        (1u32..=60).prop_map(|s| format!("{s}_000")),
        (0u32..=600).prop_map(|ms| format!("{ms}.0")),
    ]
}

/// Any draft that validates (fields its kind ignores may hold anything).
fn valid_draft() -> impl Strategy<Value = TaskDraft> {
    (
        "[a-zA-Z0-9\"\\\\é✓ ]{0,12}[a-z]",
        duration_text(),
        prop::sample::select(TaskKind::ALL.to_vec()),
        "[a-z\"]{1,10}",
        prop_oneof![
            Just(String::new()),
            (1u32..=60_000).prop_map(|t| t.to_string())
        ],
        (1u32..=100).prop_map(|n| n.to_string()),
        duration_text(),
    )
        .prop_map(
            |(label, duration_text, kind, message, timeout_text, items_text, body_text)| {
                TaskDraft {
                    id: TaskId(0),
                    label,
                    duration_text,
                    kind,
                    message,
                    timeout_text,
                    items_text,
                    body_text,
                }
            },
        )
}

/// Drafts, sometimes in runs of numbered copies (what `repeat` collapses).
fn numbered(drafts: Vec<(TaskDraft, usize, bool)>) -> Vec<TaskDraft> {
    let mut out: Vec<TaskDraft> = Vec::new();
    for (draft, copies, default_labels) in drafts {
        for copy in 1..=copies {
            let mut d = draft.clone();
            if default_labels {
                d.label = format!("task {}", out.len() + 1);
            } else if copies > 1 {
                d.label = format!("{} {copy}", draft.label);
            }
            d.id = TaskId(out.len() as u32 + 1);
            out.push(d);
        }
    }
    out
}

fn options() -> impl Strategy<Value = RunOptions> {
    options_within(1u32..=MAX_TASKS as u32, 1u32..=MAX_POOL_SIZE)
}

fn valid_doc() -> impl Strategy<Value = ScenarioDoc> {
    (
        ".{0,20}",
        prop::collection::vec((valid_draft(), 1usize..4, any::<bool>()), 1..8),
        prop_oneof![
            Just("1".to_string()),
            (1u32..=1000).prop_map(|s| format!("{}", f64::from(s) / 10.0)),
            Just("10x".to_string()),
        ],
        prop::sample::select(RunMode::ALL.to_vec()),
        options(),
    )
        .prop_map(|(title, drafts, speed_text, mode, options)| ScenarioDoc {
            title,
            drafts: numbered(drafts),
            speed_text,
            mode,
            options,
            option_texts: OptionTexts::default(),
        })
}

/// Any doc the editor can hold, however half-typed.
fn any_doc() -> impl Strategy<Value = ScenarioDoc> {
    let draft = (
        ".{0,8}",
        ".{0,6}",
        prop::sample::select(TaskKind::ALL.to_vec()),
        ".{0,6}",
        ".{0,4}",
        ".{0,4}",
        ".{0,4}",
    )
        .prop_map(
            |(label, duration_text, kind, message, timeout_text, items_text, body_text)| {
                TaskDraft {
                    id: TaskId(0),
                    label,
                    duration_text,
                    kind,
                    message,
                    timeout_text,
                    items_text,
                    body_text,
                }
            },
        );
    // Threads and the limit as typed: anything, or their number.
    let typed = |parse: fn(&str) -> Result<u32, ScenarioError>| {
        prop::option::of(prop_oneof![".{0,4}", "-?[0-9]{1,6}"])
            .prop_map(move |text| text.and_then(|t| OptionTexts::typed(&t, parse)))
    };
    (
        ".{0,8}",
        prop::collection::vec((draft, 1usize..3, any::<bool>()), 0..5),
        ".{0,5}",
        prop::sample::select(RunMode::ALL.to_vec()),
        options(),
        (typed(parse_limit), typed(parse_pool_size)),
    )
        .prop_map(
            |(title, drafts, speed_text, mode, options, (limit, pool_size))| ScenarioDoc {
                title,
                drafts: numbered(drafts),
                speed_text,
                mode,
                // What was typed decides the number; invalid text leaves the default.
                options: RunOptions {
                    limit: limit
                        .as_deref()
                        .map_or(options.limit, |t| parse_limit(t).unwrap_or(3)),
                    pool_size: pool_size
                        .as_deref()
                        .map_or(options.pool_size, |t| parse_pool_size(t).unwrap_or(6)),
                    ..options
                },
                option_texts: OptionTexts { limit, pool_size },
            },
        )
}

fn hundredths() -> impl Strategy<Value = f64> {
    (-1_000_000i64..100_000_000).prop_map(|n| n as f64 / 100.0)
}

fn measurement() -> impl Strategy<Value = Measurement> {
    let task = (
        prop::option::of(hundredths()),
        prop::option::of(hundredths()),
        prop::option::of(prop::sample::select(vec![
            Outcome::Ok,
            Outcome::Failed,
            Outcome::Cancelled,
            Outcome::TimedOut,
            Outcome::NotRun,
        ])),
        prop::collection::vec(hundredths(), 0..3),
        prop::option::of((hundredths(), hundredths(), hundredths())),
    )
        .prop_map(
            |(start_ms, end_ms, outcome, items_ms, thread)| MeasuredTask {
                start_ms,
                end_ms,
                outcome,
                items_ms,
                thread: thread.map(|(start_ms, end_ms, held_ms)| ThreadSpan {
                    start_ms,
                    end_ms,
                    held_ms,
                }),
            },
        );
    (
        prop::collection::vec(task, 0..4),
        prop::option::of((hundredths(), any::<bool>())),
        prop::collection::vec(0usize..10, 0..4),
        prop::collection::vec((hundredths(), hundredths()), 0..4),
        prop::option::of(hundredths()),
        hundredths(),
    )
        .prop_map(
            |(tasks, caller, result_order, lag, total_ms, last_event_ms)| Measurement {
                tasks,
                caller,
                result_order,
                lag,
                total_ms,
                last_event_ms,
            },
        )
}

fn saved_state() -> impl Strategy<Value = SavedState> {
    let run = (
        prop::sample::select(RunMode::ALL.to_vec()),
        any_doc(),
        measurement(),
        any::<bool>(),
        hundredths(),
    )
        .prop_map(
            |(mode, scenario, measurement, stopped, started_unix_ms)| SavedRun {
                mode,
                scenario,
                measurement,
                stopped,
                started_unix_ms,
            },
        );
    // Counts anywhere in u32, parts made consistent as the reader makes them.
    let tally = (any::<u32>(), any::<u32>(), any::<u32>(), any::<u32>()).prop_map(
        |(made, close, picked, picked_right)| {
            Tally {
                made,
                close,
                picked,
                picked_right,
            }
            .sane()
        },
    );
    (any_doc(), prop::collection::vec(run, 0..3), tally).prop_map(|(scenario, history, guesses)| {
        SavedState {
            scenario,
            history,
            guesses,
        }
    })
}

/// Text that looks enough like a scenario to get past the first checks.
fn json_ish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"v\"",
            "\"tasks\"",
            "\"ms\"",
            "\"kind\"",
            "\"repeat\"",
            "\"label\"",
            "\"options\"",
            "\"limit\"",
            "\"items\"",
            "\"stream\"",
            "\"fail\"",
            "\"scenario\"",
            "\"history\"",
            "\"measurement\"",
            "1",
            "-1",
            "0",
            "1e9",
            "10000",
            "2.5",
            "true",
            "null",
            "\"\"",
            "\"x\"",
        ]),
        0..40,
    )
    .prop_map(|tokens| tokens.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn readers_never_panic(text in ".{0,200}") {
        let _ = from_json(&text);
        let _ = from_saved(&text);
        let _ = from_fragment(&text);
        let _ = from_fragment(&format!("#s1={text}"));
        let _ = from_fragment(&format!("#j={text}"));
    }

    #[test]
    fn readers_never_panic_on_json_ish_text(text in json_ish()) {
        let _ = from_json(&text);
        let _ = from_saved(&text);
        let _ = from_saved(&format!(r#"{{"v":1,"scenario":{text}}}"#));
        let _ = from_fragment(&format!("#j={text}"));
    }

    #[test]
    fn damaged_links_never_panic(d in valid_doc(), at in any::<prop::sample::Index>(), c in any::<char>()) {
        let mut fragment: Vec<char> = to_fragment(&d, true).chars().collect();
        let i = at.index(fragment.len());
        fragment[i] = c;
        let _ = from_fragment(&fragment.iter().collect::<String>());
        fragment.truncate(i);
        let _ = from_fragment(&fragment.iter().collect::<String>());
    }

    #[test]
    fn valid_docs_round_trip_through_json_and_links(d in valid_doc(), run in any::<bool>()) {
        // Valid fields; a run over the blocking budget still opens (and
        // says why it cannot run).
        let over_budget = |e: &Vec<ScenarioError>| {
            e.iter().all(|e| matches!(e, ScenarioError::BlockingBudget { .. }))
        };
        prop_assert!(validate(&d.drafts, &d.speed_text, d.options).map_or_else(|e| over_budget(&e), |_| true));
        prop_assert_eq!(from_json(&to_json(&d)), Ok(d.clone()));
        let link = from_fragment(&to_fragment(&d, run));
        prop_assert_eq!(link, Ok(Some(LinkRequest { doc: d, run })));
    }

    #[test]
    fn saved_state_round_trips(state in saved_state()) {
        prop_assert_eq!(from_saved(&to_saved(&state)), Ok(state));
    }

    /// What the history and exports keep of a run's scenario (its editor
    /// text, written back from the validated scenario) validates to the very
    /// same scenario, whatever speed was typed.
    #[test]
    fn a_scenario_written_back_as_text_is_the_same_scenario(
        d in valid_doc(),
        micro in 100_000u64..=100_000_000,
    ) {
        let mut d = d;
        d.speed_text = format!("{}.{:06}", micro / 1_000_000, micro % 1_000_000);
        if let Ok(scenario) = d.validate() {
            let written = ScenarioDoc::from_scenario(&scenario, d.mode);
            prop_assert_eq!(written.validate(), Ok(scenario));
        }
    }
}

#[test]
fn every_json_example_in_the_readme_reads() {
    let readme = include_str!("../README.md");
    let examples: Vec<&str> = readme
        .split("```json\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .collect();
    assert!(!examples.is_empty(), "the README shows the format");
    for example in examples {
        let doc = from_json(example).unwrap_or_else(|e| panic!("{e}\n{example}"));
        assert!(!doc.drafts.is_empty());
    }
}

#[test]
fn extreme_exponents_are_out_of_range_in_every_reader() {
    // Once a stack overflow (a blank page) from a link, an embed or the autosave.
    assert_fails(
        from_fragment(r#"#j={"tasks":[{"ms":"1e2147483647"}]}"#),
        "tasks[0].ms",
        "expected a whole number of milliseconds from 0 to 60000",
    );
    assert_fails(
        from_json(r#"{"speed":"1e-2147483648","tasks":[{}]}"#),
        "speed",
        "expected a speed factor from 0.1 to 100",
    );
    let saved = from_saved(
        r#"{"v":1,"scenario":{"tasks":[{"ms":"0.1e-2147483647"},{"ms":"1e2147483647"}]}}"#,
    )
    .expect("the autosave keeps what was typed");
    let d = &saved.scenario;
    let errors = validate(&d.drafts, &d.speed_text, d.options).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].to_string().contains("At most 60000 ms"),
        "{}",
        errors[0]
    );
}

#[test]
fn poisoned_saved_times_are_refused() {
    // Saved times drive the timeline's layout; 1e308 ms is no run.
    let good = run_to_json(&saved_example().history[0]);
    assert!(run_from_json(&good).is_ok());
    assert_fails(
        run_from_json(&good.replacen(r#""end_ms":412.25"#, r#""end_ms":1e308"#, 1)),
        "measurement.tasks[0].end_ms",
        "expected a time in ms",
    );
    assert_fails(
        run_from_json(&good.replacen(r#""lag":[["#, r#""lag":[[-1e300,1],["#, 1)),
        "measurement.lag[0]",
        "expected a time in ms",
    );
    let started = good.find("\"started_unix_ms\":").unwrap();
    let poisoned = format!(
        "{}\"started_unix_ms\":1e300,{}",
        &good[..started],
        &good[started..].split_once(',').unwrap().1
    );
    assert_fails(
        run_from_json(&poisoned),
        "started_unix_ms",
        "expected a time",
    );
}

#[test]
fn more_item_times_than_a_stream_yields_are_refused() {
    let good = run_to_json(&saved_example().history[0]);
    let many = vec!["1"; 101].join(",");
    assert_fails(
        run_from_json(&good.replacen(
            r#""items_ms":[1.5,3.0]"#,
            &format!(r#""items_ms":[{many}]"#),
            1,
        )),
        "measurement.tasks[0].items_ms",
        "at most 100",
    );
}

#[test]
fn odd_unknown_keys_get_a_path_of_their_own() {
    let read = read_saved(r#"{"scenario":{"tasks":[{}],"a.b":1},"":2}"#).unwrap();
    let paths: Vec<&str> = read.left_out.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, vec![r#""""#, r#"scenario."a.b""#]);
}
