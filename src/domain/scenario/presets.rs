//! Ready-made scenarios from the Python asyncio tutorials: each one maps a
//! tutorial's example onto the playground's task kinds, run modes and
//! options, with a paragraph saying what to notice and the numbers the
//! user will see.
//!
//! The numbers in an explanation are promises about the simulator, so each
//! preset also lists them as [`Claim`]s (`tests/domain_presets.rs` checks
//! both the claims against `simulate::predict` and the text against the
//! claims). Durations keep the tutorials' proportions, with a speed factor
//! so a run is short enough to watch; the real-time figures are in the text.

use crate::domain::scenario::doc::ScenarioDoc;
use crate::domain::scenario::{OptionTexts, RunMode, RunOptions, TaskDraft, TaskId, TaskKind};

/// One tutorial scenario, as the preset picker shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    /// Stable, URL-safe name (`preset_doc` takes it).
    pub slug: &'static str,
    pub title: &'static str,
    /// One paragraph: what to notice, with the figures the user will see.
    pub explanation: &'static str,
    /// The tutorial's code, in one line.
    pub python_idea: &'static str,
    /// The explanation's figures, as the simulator must reproduce them.
    pub expect: Expectation,
}

/// What a preset's explanation promises.
#[derive(Clone, Debug, PartialEq)]
pub struct Expectation {
    /// Predicted timings, one per run the explanation talks about.
    pub claims: Vec<Claim>,
    /// Speedups the text quotes, as (slower, faster) indices into `claims`:
    /// the slower run's total divided by the faster one's.
    pub speedups: Vec<(usize, usize)>,
}

/// A run the explanation quotes: a mode, after an optional change the text
/// asks the user to make, and its predicted figures (after the speed factor).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Claim {
    pub mode: RunMode,
    pub change: Change,
    /// "All done": when the last task (or the caller) finished, in ms.
    pub total_ms: u32,
    /// "await returned", when the text quotes it, in ms.
    pub caller_ms: Option<u32>,
}

/// A change the explanation invites the user to make before a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// The preset as loaded.
    None,
    /// Tick or untick `return_exceptions=True` / "try/except around each await".
    ReturnExceptions(bool),
    /// Set "Threads" (the executor's `max_workers`).
    PoolSize(u32),
    /// Hand every blocking call to a thread: "blocks the loop" tasks become
    /// "to_thread (wait)" (`asyncio.to_thread(requests.get, url)`).
    Offload,
}

impl Change {
    /// The preset's document after the change.
    pub fn apply(self, doc: &ScenarioDoc) -> ScenarioDoc {
        let mut doc = doc.clone();
        match self {
            Change::None => {}
            Change::ReturnExceptions(on) => doc.options.return_exceptions = on,
            Change::PoolSize(n) => doc.options.pool_size = n,
            Change::Offload => {
                for draft in &mut doc.drafts {
                    if draft.kind == TaskKind::Blocking {
                        draft.kind = TaskKind::OffloadedWait;
                    }
                }
            }
        }
        doc
    }
}

const fn claim(mode: RunMode, total_ms: u32) -> Claim {
    Claim {
        mode,
        change: Change::None,
        total_ms,
        caller_ms: None,
    }
}

/// The presets' names, in [`presets`] order: what the picker lists and
/// [`preset_doc`] loads (the rest of a preset, its explanation, is only read
/// where it is shown, by the tools worker).
pub const MENU: [(&str, &str); 8] = [
    ("two-tasks", "task1 (2 s) and task2 (3 s), gathered"),
    (
        "twenty-fetches",
        "20 fetches: gather vs a for loop (the 10× claim)",
    ),
    (
        "create-task",
        "fetch_data and print_numbers with create_task",
    ),
    ("might-fail", "might_fail, caught"),
    (
        "thread-pool",
        "ThreadPoolExecutor(max_workers=3) with 5 tasks of 2 s",
    ),
    (
        "blocking-vs-to-thread",
        "Blocking requests.get vs asyncio.to_thread",
    ),
    ("async-for-stream", "async for over a stream"),
    ("taskgroup-failure", "A TaskGroup where one task fails"),
];

/// The question a preset asks before its run ("Guess before you run"), in
/// the durations as the run shows them (after the speed factor).
pub fn question(slug: &str) -> Option<&'static str> {
    Some(match slug {
        "two-tasks" => "task1 waits 500 ms and task2 750 ms. How long will gathering them take?",
        "twenty-fetches" => "How long will 20 gathered fetches take?",
        "create-task" => "How long until fetch_data and print_numbers are both done?",
        "might-fail" => "One of three gathered tasks raises. How long until everything is done?",
        "thread-pool" => "Five 500 ms blocking calls share 3 threads. How long will they take?",
        "blocking-vs-to-thread" => {
            "Three sleeps and three 500 ms blocking calls, gathered: how long will the run take?"
        }
        "async-for-stream" => "How long until the stream and the other work are both done?",
        "taskgroup-failure" => {
            "One task in the TaskGroup fails. How long until the TaskGroup is over?"
        }
        _ => return None,
    })
}

/// The presets, in the order the tutorials teach them.
pub fn presets() -> Vec<Preset> {
    use RunMode::*;
    vec![
        Preset {
            slug: MENU[0].0,
            title: MENU[0].1,
            explanation: "The tutorial's two coroutines sleep 2 s and 3 s; here they run at \
                speed 4, so 500 ms and 750 ms. Awaited one after the other they add up: \
                1250 ms (5 s in real time). Gathered, both wait at once and the run takes \
                as long as the longer one: 750 ms (3 s in real time), 1.7× faster. Press \
                \"Compare with sequential\" to see both.",
            python_idea: "await asyncio.gather(task1(), task2())",
            expect: Expectation {
                claims: vec![claim(Sequential, 1250), claim(Gather, 750)],
                speedups: vec![(0, 1)],
            },
        },
        Preset {
            slug: MENU[1].0,
            title: MENU[1].1,
            explanation: "Twenty simulated downloads of 100 ms to 500 ms, in real time. A for \
                loop awaits them one by one: 5000 ms, the sum of them all. gather() starts \
                them together, so the waits overlap and the run takes as long as the slowest \
                fetch: 500 ms, 10× faster. The speedup is the sum divided by the longest: \
                make one fetch slower and watch it shrink.",
            python_idea: "await asyncio.gather(*(fetch(url) for url in urls))",
            expect: Expectation {
                claims: vec![claim(Sequential, 5000), claim(Gather, 500)],
                speedups: vec![(0, 1)],
            },
        },
        Preset {
            slug: MENU[2].0,
            title: MENU[2].1,
            explanation: "fetch_data sleeps 2 s while print_numbers prints a number every \
                0.25 s, ten times; at speed 2 that is 1000 ms, and a number every 125 ms. \
                create_task() schedules both at once, so the numbers keep coming while \
                fetch_data waits, and the run ends with the last number at 1250 ms (2.5 s in \
                real time). Awaited in turn they take 2250 ms (4.5 s in real time): \
                create_task is 1.8× faster.",
            python_idea: "t1 = asyncio.create_task(fetch_data()); t2 = asyncio.create_task(print_numbers()); await t1; await t2",
            expect: Expectation {
                claims: vec![claim(Sequential, 2250), claim(CreateTask, 1250)],
                speedups: vec![(0, 1)],
            },
        },
        Preset {
            slug: MENU[3].0,
            title: MENU[3].1,
            explanation: "might_fail raises after 1.5 s (375 ms at speed 4), between two \
                fetches of 250 ms and 500 ms. The playground models the tutorial's \
                try/except as catching the exception where it is awaited: with \
                return_exceptions=True, gather hands it back as a result and returns once \
                the slowest fetch is done, at 500 ms. Untick return_exceptions=True and gather \
                raises at 375 ms instead, as soon as might_fail fails, but the other fetch is \
                not cancelled: it still ends at 500 ms. In Sequential mode, \"try/except \
                around each await\" lets the loop go on to the next task: 1125 ms in all.",
            python_idea: "try: await might_fail() … except RuntimeError as e: print(f\"caught {e}\")",
            expect: Expectation {
                claims: vec![
                    Claim {
                        mode: Gather,
                        change: Change::None,
                        total_ms: 500,
                        caller_ms: Some(500),
                    },
                    Claim {
                        mode: Gather,
                        change: Change::ReturnExceptions(false),
                        total_ms: 500,
                        caller_ms: Some(375),
                    },
                    claim(Sequential, 1125),
                ],
                speedups: vec![],
            },
        },
        Preset {
            slug: MENU[4].0,
            title: MENU[4].1,
            explanation: "Five blocking 2 s calls handed to a pool of 3 threads, at speed 4 \
                (500 ms each). Three start at once; the other two wait for a free thread, so \
                gathered the run takes two rounds: 1000 ms (4 s in real time), against \
                2500 ms (10 s in real time) one after another, 2.5× faster. Set Threads to 5 \
                and all five overlap: 500 ms.",
            python_idea: "await asyncio.gather(*(loop.run_in_executor(pool, blocking_task) for _ in range(5)))",
            expect: Expectation {
                claims: vec![
                    claim(Sequential, 2500),
                    claim(Gather, 1000),
                    Claim {
                        mode: Gather,
                        change: Change::PoolSize(5),
                        total_ms: 500,
                        caller_ms: None,
                    },
                ],
                speedups: vec![(0, 1)],
            },
        },
        Preset {
            slug: MENU[5].0,
            title: MENU[5].1,
            explanation: "Three short I/O waits (await asyncio.sleep: 100 ms, 200 ms and \
                300 ms) gathered with three downloads that call requests.get, 1 s each, at \
                speed 2 (500 ms), as the asyncio docs gather asyncio.sleep with a blocking \
                call. requests.get blocks the event loop: the downloads run one after \
                another and the run takes 1500 ms (3 s in real time). The sleeps' timers \
                come due while the first download holds the loop and wait, overdue, until \
                the last one lets go: open \"Inside the loop\" and step to watch them pile \
                up. Now switch the downloads to \"to_thread (wait)\" \
                (asyncio.to_thread(requests.get, url)) and run again: they wait in threads, \
                the loop stays free, every sleep ends on time, and the run takes 500 ms \
                (1 s in real time), 3.0× faster.",
            python_idea: "await asyncio.to_thread(requests.get, url)  # not requests.get(url)",
            expect: Expectation {
                claims: vec![
                    claim(Gather, 1500),
                    Claim {
                        mode: Gather,
                        change: Change::Offload,
                        total_ms: 500,
                        caller_ms: None,
                    },
                ],
                speedups: vec![(0, 1)],
            },
        },
        Preset {
            slug: MENU[6].0,
            title: MENU[6].1,
            explanation: "An async generator yields an item every second, five times; beside \
                it, another task does 3 s of I/O. At speed 4 the items arrive every 250 ms and \
                the other task takes 750 ms. Each `async for` step awaits, so the loop runs the \
                other task between items: gathered, everything is done when the fifth item \
                arrives at 1250 ms (5 s in real time). Awaited in turn: 2000 ms, 1.6× slower.",
            python_idea: "async for item in ticker(): print(item)",
            expect: Expectation {
                claims: vec![claim(Sequential, 2000), claim(Gather, 1250)],
                speedups: vec![(0, 1)],
            },
        },
        Preset {
            slug: MENU[7].0,
            title: MENU[7].1,
            explanation: "Three fetches of 2 s, 1 s and 3 s (speed 4: 500 ms, 250 ms and \
                750 ms); the 1 s one fails. In a TaskGroup the failure cancels the other two \
                at once, and `async with` raises an ExceptionGroup at 250 ms: the run is over \
                at 250 ms. Switch to Gathered to compare: gather raises at 250 ms too, but \
                leaves the others running until 750 ms. TaskGroup needs Python 3.11+.",
            python_idea: "async with asyncio.TaskGroup() as tg: tg.create_task(fetch(...))  # except* RuntimeError",
            expect: Expectation {
                claims: vec![
                    Claim {
                        mode: TaskGroup,
                        change: Change::None,
                        total_ms: 250,
                        caller_ms: Some(250),
                    },
                    Claim {
                        mode: Gather,
                        change: Change::None,
                        total_ms: 750,
                        caller_ms: Some(250),
                    },
                ],
                speedups: vec![],
            },
        },
    ]
}

/// The preset's scenario as the editor loads it; `None` for an unknown slug.
pub fn preset_doc(slug: &str) -> Option<ScenarioDoc> {
    let (_, title) = MENU.iter().find(|(s, _)| *s == slug)?;
    let io = |label: &str, ms: u32| (label.to_string(), ms, TaskKind::Io);
    let options = RunOptions::default();
    let (tasks, speed_text, mode, options) = match slug {
        "two-tasks" => (
            vec![io("task1", 2000), io("task2", 3000)],
            "4",
            RunMode::Gather,
            options,
        ),
        "twenty-fetches" => (
            TWENTY_FETCHES_MS
                .iter()
                .enumerate()
                .map(|(i, &ms)| io(&format!("fetch url {}", i + 1), ms))
                .collect(),
            "1",
            RunMode::Gather,
            options,
        ),
        "create-task" => (
            vec![
                io("fetch_data", 2000),
                ("print_numbers".to_string(), 250, TaskKind::Stream),
            ],
            "2",
            RunMode::CreateTask,
            options,
        ),
        "might-fail" => (
            vec![
                io("fetch user", 1000),
                ("might_fail".to_string(), 1500, TaskKind::Fail),
                io("fetch orders", 2000),
            ],
            "4",
            RunMode::Gather,
            RunOptions {
                return_exceptions: true,
                ..options
            },
        ),
        "thread-pool" => (
            (1..=5)
                .map(|i| (format!("blocking task {i}"), 2000, TaskKind::OffloadedWait))
                .collect(),
            "4",
            RunMode::Gather,
            RunOptions {
                pool_size: 3,
                ..options
            },
        ),
        // The sleeps first: their timers are set before the loop blocks.
        "blocking-vs-to-thread" => (
            vec![
                io("ping 1", 200),
                io("ping 2", 400),
                io("ping 3", 600),
                ("requests.get 1".to_string(), 1000, TaskKind::Blocking),
                ("requests.get 2".to_string(), 1000, TaskKind::Blocking),
                ("requests.get 3".to_string(), 1000, TaskKind::Blocking),
            ],
            "2",
            RunMode::Gather,
            options,
        ),
        "async-for-stream" => (
            vec![
                ("async for ticker".to_string(), 1000, TaskKind::Stream),
                io("other work", 3000),
            ],
            "4",
            RunMode::Gather,
            options,
        ),
        "taskgroup-failure" => (
            vec![
                io("fetch users", 2000),
                ("fetch orders".to_string(), 1000, TaskKind::Fail),
                io("fetch prices", 3000),
            ],
            "4",
            RunMode::TaskGroup,
            options,
        ),
        _ => return None,
    };
    let drafts = tasks
        .into_iter()
        .enumerate()
        .map(|(i, (label, ms, kind))| {
            let mut draft =
                TaskDraft::io(TaskId(i as u32 + 1), &label, &ms.to_string()).with_kind(kind);
            match (slug, kind) {
                // print_numbers: ten numbers, one every 0.25 s.
                ("create-task", TaskKind::Stream) => draft.items_text = "10".to_string(),
                // The tutorial's async generator: five items, one a second.
                (_, TaskKind::Stream) => draft.items_text = "5".to_string(),
                ("might-fail", TaskKind::Fail) => draft.message = "Something went wrong".into(),
                ("taskgroup-failure", TaskKind::Fail) => {
                    draft.message = "orders service is down".into()
                }
                _ => {}
            }
            draft
        })
        .collect();
    Some(ScenarioDoc {
        title: title.to_string(),
        drafts,
        speed_text: speed_text.to_string(),
        mode,
        options,
        option_texts: OptionTexts::default(),
    })
}

/// The twenty fetches, in ms: 100 to 500, summing to ten times the longest,
/// which is the tutorial's "10× faster".
const TWENTY_FETCHES_MS: [u32; 20] = [
    300, 150, 450, 200, 500, 250, 350, 100, 400, 250, 300, 150, 200, 250, 250, 100, 200, 200, 250,
    150,
];

/// What a step of a preset asks the user to press.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Press {
    /// Run one mode.
    Run(RunMode),
    /// Run sequential, then this mode, and compare.
    Compare(RunMode),
}

/// One thing to try with a preset: a change to make (or none) and the run
/// to press, as one button.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub label: String,
    pub change: Change,
    pub press: Press,
}

/// The runs a preset's explanation quotes, as buttons: each change it
/// suggests, with the run that shows its effect; a mode quoted with
/// sequential becomes a comparison.
pub fn steps(preset: &Preset) -> Vec<Step> {
    let claims = &preset.expect.claims;
    let mut steps: Vec<Step> = Vec::new();
    for claim in claims {
        if claim.mode == RunMode::Sequential
            && claims
                .iter()
                .any(|c| c.change == claim.change && c.mode != RunMode::Sequential)
        {
            // Shown by the comparison of the other mode.
            continue;
        }
        let with_sequential = claim.mode != RunMode::Sequential
            && claims
                .iter()
                .any(|c| c.change == claim.change && c.mode == RunMode::Sequential);
        let press = if with_sequential {
            Press::Compare(claim.mode)
        } else {
            Press::Run(claim.mode)
        };
        let run = match press {
            Press::Compare(mode) => format!("compare {} with sequential", mode.label()),
            Press::Run(mode) => format!("run {}", mode.label()),
        };
        let label = match claim.change {
            Change::None => capitalized(&run),
            change => format!("{}, then {run}", change.label(claim.mode)),
        };
        if !steps
            .iter()
            .any(|s| s.change == claim.change && s.press == press)
        {
            steps.push(Step {
                label,
                change: claim.change,
                press,
            });
        }
    }
    steps
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Change {
    /// The change as a short code (`none`, `return-exceptions:false`,
    /// `pool:5`, `offload`), as the page and the tools worker's
    /// answers carry it.
    pub fn code(self) -> String {
        match self {
            Change::None => "none".to_string(),
            Change::ReturnExceptions(on) => format!("return-exceptions:{on}"),
            Change::PoolSize(n) => format!("pool:{n}"),
            Change::Offload => "offload".to_string(),
        }
    }

    /// Reads [`Change::code`].
    pub fn from_code(code: &str) -> Option<Change> {
        match code.split_once(':') {
            None if code == "none" => Some(Change::None),
            None if code == "offload" => Some(Change::Offload),
            Some(("return-exceptions", on)) => on.parse().ok().map(Change::ReturnExceptions),
            Some(("pool", n)) => n.parse().ok().map(Change::PoolSize),
            _ => None,
        }
    }

    /// "Set Threads to 5", as a button says it.
    pub fn label(self, mode: RunMode) -> String {
        let catching = mode.catch_option().unwrap_or("return_exceptions=True");
        match self {
            Change::None => String::new(),
            Change::ReturnExceptions(true) => format!("Tick {catching}"),
            Change::ReturnExceptions(false) => format!("Untick {catching}"),
            Change::PoolSize(n) => format!("Set Threads to {n}"),
            Change::Offload => "Switch the blocking calls to to_thread (wait)".to_string(),
        }
    }
}

/// What a preset's speed factor does to its durations, said where the
/// preset is shown: `None` at speed 1.
pub fn speed_note(doc: &ScenarioDoc) -> Option<String> {
    let speed: f64 = crate::domain::text::decimal::parse_decimal(doc.speed_text.trim())?;
    if (speed - 1.0).abs() < 1e-9 || !speed.is_finite() || speed <= 0.0 {
        return None;
    }
    let example = doc
        .drafts
        .first()
        .and_then(|d| crate::domain::text::decimal::parse_decimal(d.duration_text.trim()))
        .filter(|ms| ms.is_finite() && *ms > 0.0);
    let factor = format!("×{}", crate::domain::scenario::doc::format_speed(speed));
    Some(match example {
        Some(ms) => format!(
            "Runs at speed {factor}: the tasks keep the tutorial's durations and run that much faster (the first, written as {} ms, takes {} ms).",
            crate::domain::text::decimal::Fixed(ms, 0),
            crate::domain::text::decimal::Fixed(ms / speed, 0)
        ),
        None => format!("Runs at speed {factor}: every duration runs that much faster than written."),
    })
}
