//! Shared by the fuzz suites: a wasm-sized, time-limited sandbox for each
//! case, and generators that reach the extremes on their own (exponents
//! over the whole i32/i64 range, subnormals, deep nesting, huge strings,
//! unknown fields at every level, valid documents mutated at random).
//!
//! Documents are built as JSON *text*: a `serde_json::Value` cannot hold
//! `1e2147483647`, and building hundreds of nested levels as text keeps the
//! test itself from recursing.

#![allow(dead_code)] // Each suite uses its own part.

use std::sync::mpsc;
use std::time::Duration;

use proptest::prelude::*;

/// The stack a wasm build gets (Rust's default for wasm32): a reader that
/// recurses on its input overflows here as it would blank the page.
pub const WASM_STACK_BYTES: usize = 1 << 20;
/// Longest one case may take, however busy the machine: a loop that steps
/// by a value would take years, not seconds.
pub const CASE_LIMIT: Duration = Duration::from_secs(30);

/// Runs `work` on a thread with a wasm-sized stack and fails the case if it
/// panics or takes longer than [`CASE_LIMIT`]. A stack overflow aborts the
/// test binary, which fails the suite.
pub fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, result) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(WASM_STACK_BYTES)
        .spawn(move || {
            let _ = done.send(work());
        })
        .expect("a thread");
    match result.recv_timeout(CASE_LIMIT) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("took longer than {CASE_LIMIT:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("panicked (see above)"),
    }
}

/// Runs `cases` cases of the strategy `make` builds through `test`, with
/// shrinking, on a thread with a big stack: the generators of these nested
/// documents recurse deeply in a debug build (the readers under test run
/// in [`bounded`], on a wasm-sized stack).
pub fn fuzz<S, F>(cases: u32, make: fn() -> S, test: F)
where
    S: Strategy + 'static,
    S::Value: 'static,
    F: Fn(S::Value) + Send + 'static,
{
    let outcome = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let config = proptest::test_runner::Config {
                cases,
                failure_persistence: None,
                // A failing case is reported, not minimised for minutes:
                // each try of a slow case can take up to CASE_LIMIT.
                max_shrink_time: 60_000,
                ..proptest::test_runner::Config::default()
            };
            let mut runner = proptest::test_runner::TestRunner::new(config);
            runner
                .run(&make(), |value| {
                    test(value);
                    Ok(())
                })
                .map_err(|e| e.to_string())
        })
        .expect("a thread")
        .join()
        .expect("the fuzz runner");
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

// ---- numbers ----------------------------------------------------------------

/// An exponent as written: anywhere in i32 and i64, beyond i64, and the
/// edges of what an f64 holds.
pub fn exponent() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i32>().prop_map(|e| e.to_string()),
        any::<i64>().prop_map(|e| e.to_string()),
        (-400i32..400).prop_map(|e| e.to_string()),
        prop::sample::select(vec![
            i64::from(i32::MAX),
            i64::from(i32::MIN),
            i64::MAX,
            i64::MIN,
            22,
            23,
            -22,
            -23,
            308,
            309,
            310,
            -323,
            -324,
            -345,
            -346,
        ])
        .prop_map(|e| e.to_string()),
        ("[+-]?", "[0-9]{19,40}").prop_map(|(sign, digits)| format!("{sign}{digits}")),
        (0u32..1000).prop_map(|e| format!("+{e}")),
    ]
}

/// A number as someone might type it or a file might hold it.
pub fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (
            "[+-]?",
            "[0-9]{0,25}",
            prop::option::of("[0-9]{0,25}"),
            prop::option::of((prop::sample::select(vec!["e", "E"]), exponent())),
        )
            .prop_map(|(sign, whole, fraction, exp)| {
                let mut text = format!("{sign}{whole}");
                if let Some(f) = fraction {
                    text.push('.');
                    text.push_str(&f);
                }
                if let Some((e, x)) = exp {
                    text.push_str(e);
                    text.push_str(&x);
                }
                text
            }),
        1 => any::<f64>().prop_map(|v| v.to_string()),
        1 => any::<f64>().prop_map(|v| format!("{v:e}")),
        1 => any::<u64>().prop_map(|v| v.to_string()),
        1 => any::<i64>().prop_map(|v| v.to_string()),
        1 => ("[0-9]{300,3000}", prop::option::of(exponent()))
            .prop_map(|(digits, e)| e.map_or(digits.clone(), |e| format!("{digits}e{e}"))),
        1 => ".{0,12}",
    ]
}

/// Any f64, with the edges named: NaN, infinities, subnormals, MAX.
pub fn extreme_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => any::<f64>(),
        2 => prop::sample::select(vec![
            0.0,
            -0.0,
            5e-324,
            -5e-324,
            1e-310,
            f64::MIN_POSITIVE,
            1e15,
            1e17,
            1e300,
            f64::MAX,
            -f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            9.2e18,
        ]),
        2 => -1e12..1e12f64,
    ]
}

// ---- JSON as text ---------------------------------------------------------

/// A JSON number as written in a file, exponent anywhere.
pub fn json_number() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (
            "-?",
            "0|[1-9][0-9]{0,24}",
            prop::option::of("[0-9]{1,25}"),
            prop::option::of((prop::sample::select(vec!["e", "E", "e+", "e-"]), "[0-9]{1,22}")),
        )
            .prop_map(|(sign, whole, fraction, exp)| {
                let mut text = format!("{sign}{whole}");
                if let Some(f) = fraction {
                    text.push('.');
                    text.push_str(&f);
                }
                if let Some((e, x)) = exp {
                    text.push_str(e);
                    text.push_str(&x);
                }
                text
            }),
        1 => prop::sample::select(vec![
            "1e2147483647", "-1e2147483647", "1e-2147483648", "1e9223372036854775807",
            "1e400", "-1e400", "1e-400", "1e308", "1.7976931348623157e308", "4.9e-324",
            "18446744073709551615", "18446744073709551616", "-9223372036854775808", "0", "-0",
            "300", "1", "3", "6", "10000", "60000", "1e10", "1e11",
        ])
        .prop_map(str::to_string),
        1 => (-1_000_000i64..100_000_000).prop_map(|n| (n as f64 / 100.0).to_string()),
    ]
}

/// `text` as a JSON string literal.
pub fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

/// Slugs and names the readers know, so documents get past the first checks.
const WORDS: &[&str] = &[
    "io",
    "fail",
    "blocking",
    "thread-wait",
    "thread-cpu",
    "stream",
    "sequential",
    "gathered",
    "create-task",
    "taskgroup",
    "semaphore",
    "as-completed",
    "wait-first",
    "ok",
    "failed",
    "cancelled",
    "timed-out",
    "not-run",
    "",
    " ",
    "x",
    "task 1",
    "300 ms",
    "10x",
];

/// Any JSON scalar (or empty container), numbers at the extremes, numbers
/// as text, and now and then something huge.
pub fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => json_number(),
        3 => number_text().prop_map(|t| quoted(&t)),
        2 => prop::sample::select(WORDS.to_vec()).prop_map(quoted),
        1 => prop::sample::select(vec!["null", "true", "false", "[]", "{}", "\"\""]).prop_map(str::to_string),
        1 => ".{0,20}".prop_map(|t| quoted(&t)),
        1 => (0usize..700, any::<bool>()).prop_map(|(depth, array)| nested("1", depth, array)),
    ]
}

/// `inner` wrapped `depth` times in `[…]` or `{"a":…}`.
pub fn nested(inner: &str, depth: usize, array: bool) -> String {
    if array {
        format!("{}{inner}{}", "[".repeat(depth), "]".repeat(depth))
    } else {
        format!("{}{inner}{}", "{\"a\":".repeat(depth), "}".repeat(depth))
    }
}

/// Fields a newer build might add (or a typo): now and then, so that
/// the strict readers still see whole documents they accept.
pub fn unknown_fields() -> impl Strategy<Value = Vec<(String, String)>> {
    prop_oneof![
        15 => Just(Vec::new()),
        1 => prop::collection::vec(("[a-z_]{1,10}|.{0,6}", leaf()), 1..3),
    ]
}

/// `{"k":v,…}` from fields whose values are JSON text already.
pub fn object(fields: Vec<(String, String)>) -> String {
    let parts: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}:{v}", quoted(k)))
        .collect();
    format!("{{{}}}", parts.join(","))
}

/// A known field: mostly a sane value, now and then any leaf, and
/// sometimes left out. (Mostly sane, so that whole documents get through
/// and what reads them is fed on; the leaves bring the extremes.)
fn field(
    key: &'static str,
    sane: BoxedStrategy<String>,
) -> impl Strategy<Value = Option<(String, String)>> {
    prop::option::weighted(0.7, prop_oneof![40 => sane, 1 => leaf()])
        .prop_map(move |v| v.map(|v| (key.to_string(), v)))
}

fn fields_of(known: Vec<BoxedStrategy<Option<(String, String)>>>) -> impl Strategy<Value = String> {
    (known, unknown_fields())
        .prop_map(|(known, unknown)| object(known.into_iter().flatten().chain(unknown).collect()))
}

fn sane_ms() -> BoxedStrategy<String> {
    prop_oneof![
        12 => (0u32..=600).prop_map(|n| n.to_string()),
        4 => prop::sample::select(vec!["0", "1", "60000"]).prop_map(str::to_string),
        1 => json_number(),
        1 => number_text().prop_map(|t| quoted(&t)),
    ]
    .boxed()
}

fn word(words: &'static [&'static str]) -> BoxedStrategy<String> {
    prop::sample::select(words.to_vec())
        .prop_map(quoted)
        .boxed()
}

/// A task entry of the scenario format.
pub fn task_json() -> impl Strategy<Value = String> {
    fields_of(vec![
        field("label", ".{0,10}".prop_map(|t| quoted(&t)).boxed()).boxed(),
        field("ms", sane_ms()).boxed(),
        field(
            "kind",
            word(&[
                "io",
                "fail",
                "blocking",
                "thread-wait",
                "thread-cpu",
                "stream",
            ]),
        )
        .boxed(),
        field("message", ".{0,10}".prop_map(|t| quoted(&t)).boxed()).boxed(),
        field("timeout_ms", sane_ms()).boxed(),
        field("items", (1u32..=8).prop_map(|n| n.to_string()).boxed()).boxed(),
        field("body_ms", sane_ms()).boxed(),
        field(
            "repeat",
            prop_oneof![
                8 => (1u32..4).prop_map(|n| n.to_string()),
                1 => Just("10000".to_string()),
                1 => json_number(),
            ]
            .boxed(),
        )
        .boxed(),
    ])
}

/// A scenario in the JSON format, with everything optional and anything
/// anywhere.
pub fn scenario_json() -> impl Strategy<Value = String> {
    let options = fields_of(vec![
        field(
            "return_exceptions",
            prop::sample::select(vec!["true", "false"])
                .prop_map(str::to_string)
                .boxed(),
        )
        .boxed(),
        field("limit", (1u32..5).prop_map(|n| n.to_string()).boxed()).boxed(),
        field("cancel_pending", Just("true".to_string()).boxed()).boxed(),
        field("pool_size", (1u32..5).prop_map(|n| n.to_string()).boxed()).boxed(),
        field("gil", Just("false".to_string()).boxed()).boxed(),
    ]);
    let tasks = prop_oneof![
        12 => prop::collection::vec(task_json(), 1..6).prop_map(|t| format!("[{}]", t.join(","))),
        1 => leaf(),
    ];
    fields_of(vec![
        field("v", Just("1".to_string()).boxed()).boxed(),
        field("title", ".{0,10}".prop_map(|t| quoted(&t)).boxed()).boxed(),
        field(
            "mode",
            word(&[
                "sequential",
                "gathered",
                "create-task",
                "taskgroup",
                "semaphore",
                "as-completed",
                "wait-first",
            ]),
        )
        .boxed(),
        field(
            "speed",
            prop_oneof![
                10 => Just("10".to_string()),
                1 => json_number(),
                1 => number_text().prop_map(|t| quoted(&t)),
            ]
            .boxed(),
        )
        .boxed(),
        field("options", options.boxed()).boxed(),
        prop::option::weighted(0.95, tasks)
            .prop_map(|t| t.map(|t| ("tasks".to_string(), t)))
            .boxed(),
    ])
}

/// A measurement as the autosave holds it.
pub fn measurement_json() -> impl Strategy<Value = String> {
    let time = || prop_oneof![15 => (0u32..100_000).prop_map(|n| (f64::from(n) / 100.0).to_string()), 1 => json_number()];
    let task = fields_of(vec![
        field("start_ms", time().boxed()).boxed(),
        field("end_ms", time().boxed()).boxed(),
        field(
            "outcome",
            word(&["ok", "failed", "cancelled", "timed-out", "not-run"]),
        )
        .boxed(),
        field(
            "items_ms",
            prop::collection::vec(time(), 0..3)
                .prop_map(|t| format!("[{}]", t.join(",")))
                .boxed(),
        )
        .boxed(),
    ]);
    fields_of(vec![
        prop::option::weighted(
            0.95,
            prop::collection::vec(task, 0..6).prop_map(|t| format!("[{}]", t.join(","))),
        )
        .prop_map(|t| t.map(|t| ("tasks".to_string(), t)))
        .boxed(),
        field(
            "caller",
            (time(), any::<bool>())
                .prop_map(|(t, b)| format!("[{t},{b}]"))
                .boxed(),
        )
        .boxed(),
        field(
            "result_order",
            prop::collection::vec(0u32..8, 0..4)
                .prop_map(|v| format!("{v:?}"))
                .boxed(),
        )
        .boxed(),
        field(
            "lag",
            prop::collection::vec((time(), time()), 0..3)
                .prop_map(|v| {
                    let pairs: Vec<String> = v.iter().map(|(a, b)| format!("[{a},{b}]")).collect();
                    format!("[{}]", pairs.join(","))
                })
                .boxed(),
        )
        .boxed(),
        field("total_ms", time().boxed()).boxed(),
        field("last_event_ms", time().boxed()).boxed(),
    ])
}

/// One history run of the autosave.
pub fn run_json() -> impl Strategy<Value = String> {
    fields_of(vec![
        field(
            "mode",
            word(&["sequential", "gathered", "semaphore", "taskgroup"]),
        )
        .boxed(),
        field("stopped", Just("true".to_string()).boxed()).boxed(),
        field(
            "started_unix_ms",
            prop_oneof![
                8 => (0u64..2_000_000_000_000).prop_map(|n| n.to_string()),
                1 => json_number(),
            ]
            .boxed(),
        )
        .boxed(),
        prop::option::weighted(0.95, scenario_json())
            .prop_map(|t| t.map(|t| ("scenario".to_string(), t)))
            .boxed(),
        prop::option::weighted(0.95, measurement_json())
            .prop_map(|t| t.map(|t| ("measurement".to_string(), t)))
            .boxed(),
    ])
}

/// A whole autosave.
pub fn saved_json() -> impl Strategy<Value = String> {
    fields_of(vec![
        field("v", Just("1".to_string()).boxed()).boxed(),
        prop::option::weighted(0.95, scenario_json())
            .prop_map(|t| t.map(|t| ("scenario".to_string(), t)))
            .boxed(),
        field(
            "history",
            prop::collection::vec(run_json(), 0..4)
                .prop_map(|r| format!("[{}]", r.join(",")))
                .boxed(),
        )
        .boxed(),
    ])
}

// ---- mutation ---------------------------------------------------------------

/// Bits of JSON a damaged or hostile document might hold.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "null",
    "true",
    "-",
    "e",
    "E",
    ".",
    "0",
    "1e2147483647",
    "-1e2147483647",
    "1e-2147483648",
    "\"1e999999999999\"",
    "1e308",
    "\"x\":1,",
    "\"unknown\":{},",
    "[[[[[[[[",
    "]]]]]]]]",
    "\u{0}",
    "é",
    "\u{FFFF}",
];

/// One edit: at a position (a fraction of the length), delete some bytes,
/// or insert a token.
#[derive(Clone, Debug)]
pub enum Edit {
    Delete { at: f64, len: usize },
    Insert { at: f64, token: &'static str },
    InsertLeaf { at: f64, leaf: String },
}

pub fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (0.0..1.0f64, 1usize..6).prop_map(|(at, len)| Edit::Delete { at, len }),
        (0.0..1.0f64, prop::sample::select(TOKENS.to_vec()))
            .prop_map(|(at, token)| Edit::Insert { at, token }),
        (0.0..1.0f64, leaf()).prop_map(|(at, leaf)| Edit::InsertLeaf { at, leaf }),
    ];
    prop::collection::vec(edit, 1..5)
}

/// `text` with `edits` applied (on character boundaries).
pub fn mutate(text: &str, edits: &[Edit]) -> String {
    let mut text = text.to_string();
    let boundary = |text: &str, at: f64| {
        let mut i = ((text.len() as f64) * at) as usize;
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    for edit in edits {
        match edit {
            Edit::Delete { at, len } => {
                let from = boundary(&text, *at);
                let mut to = (from + len).min(text.len());
                while !text.is_char_boundary(to) {
                    to += 1;
                }
                text.replace_range(from..to, "");
            }
            Edit::Insert { at, token } => {
                let i = boundary(&text, *at);
                text.insert_str(i, token);
            }
            Edit::InsertLeaf { at, leaf } => {
                let i = boundary(&text, *at);
                text.insert_str(i, leaf);
            }
        }
    }
    text
}

/// Replaces the value of the `nth` occurrence (wrapping) of `"key":` in a
/// compact JSON text by `value`: a structural mutation that keeps the
/// document well formed, so it reaches the reader's checks.
pub fn replace_value(text: &str, key: &str, nth: usize, value: &str) -> String {
    let needle = format!("{}:", quoted(key));
    let starts: Vec<usize> = text.match_indices(&needle).map(|(i, _)| i).collect();
    if starts.is_empty() {
        return text.to_string();
    }
    let start = starts[nth % starts.len()] + needle.len();
    let end = value_end(text, start);
    format!("{}{value}{}", &text[..start], &text[end..])
}

/// Where the JSON value starting at `start` ends.
fn value_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => {
                    in_string = false;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth == 0 => return i,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                b',' if depth == 0 => return i,
                _ => {}
            }
        }
        i += 1;
    }
    bytes.len()
}

/// Structural mutations: (key, which occurrence, new value).
pub fn replacements(
    keys: &'static [&'static str],
) -> impl Strategy<Value = Vec<(&'static str, usize, String)>> {
    prop::collection::vec(
        (prop::sample::select(keys.to_vec()), 0usize..50, leaf()),
        1..4,
    )
}

// ---- links ------------------------------------------------------------------

/// `%XX` for everything but unreserved characters.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.extend([
                '%',
                HEX[usize::from(b >> 4)] as char,
                HEX[usize::from(b & 15)] as char,
            ]);
        }
    }
    out
}

/// base64url without padding, as `#s1=` links carry.
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}
