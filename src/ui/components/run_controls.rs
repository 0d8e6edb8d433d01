//! Choosing how to run (the asyncio pattern and its options), the run
//! buttons, Stop, and the run's status.

use yew::prelude::*;

use crate::domain::formats::embed_options::EmbedOptions;
use crate::domain::scenario::{RunMode, RunOptions};
use crate::domain::state::guess::GuessForm;
use crate::domain::state::{RunProblems, RunRequest};

/// How to run, as the user sets it.
#[derive(Clone, Debug, PartialEq)]
pub enum RunSetting {
    Mode(RunMode),
    /// The options, one of them changed.
    Options(RunOptions),
    /// The Semaphore limit as typed.
    Limit(String),
    /// Threads as typed.
    PoolSize(String),
    /// "Guess before you run", as the user left it.
    Guess(GuessForm),
}

/// What the controls show and whom they tell.
pub struct RunControlsProps {
    pub mode: RunMode,
    pub options: RunOptions,
    /// The Semaphore limit as typed.
    pub limit_text: AttrValue,
    /// Threads as typed.
    pub pool_size_text: AttrValue,
    /// The problems shown here, next to their field or above Run.
    pub problems: RunProblems,
    /// The running mode with finished and total task counts.
    pub running: Option<(RunMode, usize, usize)>,
    /// While the run waits for this many worker threads to load.
    pub starting_threads: Option<usize>,
    pub queued: Vec<RunMode>,
    pub valid: bool,
    pub notice: Option<String>,
    pub on_setting: Callback<RunSetting>,
    pub on_run: Callback<RunRequest>,
    pub on_stop: Callback<()>,
    /// An embed's trimmed UI: the modes offered, minimal controls.
    pub trim: EmbedOptions,
    /// Whether a task runs in a thread (minimal controls show the pool's
    /// controls only then).
    pub uses_threads: bool,
}

fn checked(e: &Event) -> bool {
    e.target_unchecked_into::<web_sys::HtmlInputElement>()
        .checked()
}

/// A "?" that opens a short explanation on click or tap (a `<details>`:
/// its expanded state is announced, and it needs no state of its own).
pub fn help(topic: &'static str, about: &'static str, text: &'static str) -> Html {
    html! {
        <details class={classes!("help", format!("help-{topic}"))}>
            <summary class="help-toggle" aria-label={format!("About {about}")}>{ "?" }</summary>
            <p class="help-text">{ text }</p>
        </details>
    }
}

/// The run's status and its progress, both empty when no run is going on.
/// The status changes once per mode (the results' live region reads it
/// out); the per-task progress changes every frame and is never live.
pub fn run_status(
    running: Option<(RunMode, usize, usize)>,
    starting_threads: Option<usize>,
    queued: &[RunMode],
) -> (String, String) {
    match (running, starting_threads) {
        (Some(_), Some(threads)) => (
            format!(
                "Starting {threads} worker thread{}…",
                if threads == 1 { "" } else { "s" }
            ),
            String::new(),
        ),
        (Some((mode, done, total)), None) => {
            let next = match queued.first() {
                Some(next) => format!(", {} next", next.label()),
                None => String::new(),
            };
            (
                format!("Running {}{next}…", mode.label()),
                format!("{done} of {total} tasks done"),
            )
        }
        (None, _) => (String::new(), String::new()),
    }
}

/// The controls. A view function, not a component: they keep no state.
pub fn run_controls(props: &RunControlsProps) -> Html {
    let busy = props.running.is_some();
    // The buttons are aria-disabled, not disabled: a disabled button loses
    // focus (to the page), so they stay focusable and ignore clicks instead.
    let disabled = busy || !props.valid;
    let run = |request: RunRequest| {
        let on_run = props.on_run.clone();
        Callback::from(move |_: MouseEvent| {
            if !disabled {
                on_run.emit(request);
            }
        })
    };
    let stop = {
        let on_stop = props.on_stop.clone();
        Callback::from(move |_: MouseEvent| {
            if busy {
                on_stop.emit(());
            }
        })
    };
    let on_mode = {
        let on_setting = props.on_setting.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Some(mode) = RunMode::from_slug(&select.value()) {
                on_setting.emit(RunSetting::Mode(mode));
            }
        })
    };
    // Each option control sends the whole options value with one field changed.
    let option = |change: fn(&mut RunOptions, &Event)| {
        let options = props.options;
        props.on_setting.reform(move |e: Event| {
            let mut next = options;
            change(&mut next, &e);
            RunSetting::Options(next)
        })
    };
    let typed = |setting: fn(String) -> RunSetting| {
        props.on_setting.reform(move |e: InputEvent| {
            setting(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    let RunProblems {
        limit: limit_error,
        pool_size: pool_error,
        run: run_errors,
    } = &props.problems;
    let (status, progress) = run_status(props.running, props.starting_threads, &props.queued);
    let off = |disabled: bool| disabled.then_some("true");
    let mode = props.mode;
    let o = props.options;
    let trim = &props.trim;
    let threads = trim.shows_threads(props.uses_threads);
    html! {
        <div class="run-controls">
            <h2 id="run-heading">{ "Run" }</h2>
            <div class="mode-row">
                <label for="mode-select">{ "Await the tasks with" }</label>
                <select id="mode-select" onchange={on_mode}>
                    { for trim.selectable(mode).into_iter().map(|m| html! {
                        <option value={m.slug()} selected={m == mode}>{ m.label() }</option>
                    }) }
                </select>
            </div>
            <code class="python-line">{ mode.python() }</code>
            <div class="options" role="group" aria-label="Options">
                if let Some(catch_label) = mode.catch_option() {
                    <label class="check">
                        <input type="checkbox" id="opt-return-exceptions" checked={o.return_exceptions}
                            onchange={option(|o, e| o.return_exceptions = checked(e))} />
                        { catch_label }
                    </label>
                }
                // Shown while invalid in any mode: "Compare all" runs it too.
                if mode.uses_limit() || limit_error.is_some() {
                    <label class="num">
                        { "Semaphore(n), n =" }
                        <input type="number" id="opt-limit" min="1" max="10000"
                            value={props.limit_text.clone()}
                            aria-invalid={limit_error.is_some().to_string()}
                            aria-describedby={limit_error.is_some().then_some("opt-limit-error")}
                            oninput={typed(RunSetting::Limit)} />
                    </label>
                    if let Some(message) = limit_error {
                        <p class="option-error error" id="opt-limit-error" role="alert">{ message }</p>
                    }
                }
                if mode.uses_cancel_pending() {
                    <label class="check">
                        <input type="checkbox" id="opt-cancel-pending" checked={o.cancel_pending}
                            onchange={option(|o, e| o.cancel_pending = checked(e))} />
                        { "then cancel the pending tasks" }
                    </label>
                }
                if threads || pool_error.is_some() {
                    <label class="num">
                        { "Threads" }
                        <input type="number" id="opt-pool" min="1" max="32"
                            value={props.pool_size_text.clone()}
                            aria-invalid={pool_error.is_some().to_string()}
                            aria-describedby={pool_error.is_some().then_some("opt-pool-error")}
                            oninput={typed(RunSetting::PoolSize)} />
                    </label>
                    { help("threads", "Threads", "asyncio.to_thread hands calls to a ThreadPoolExecutor(max_workers=n): at most n run at once, the rest wait for a free thread. Here each thread is a Web Worker.") }
                    if let Some(message) = pool_error {
                        <p class="option-error error" id="opt-pool-error" role="alert">{ message }</p>
                    }
                    <label class="check">
                        <input type="checkbox" id="opt-gil" checked={o.gil}
                            onchange={option(|o, e| o.gil = checked(e))} />
                        { "GIL" }
                    </label>
                    { help("gil", "the GIL", "CPython's global interpreter lock: CPU-bound threads take turns instead of running in parallel; blocking waits such as time.sleep still overlap. Untick it for free-threaded Python.") }
                }
            </div>
            { for run_errors.iter().map(|m| html! { <p class="error run-error" role="alert">{ m }</p> }) }
            <div class="buttons" role="group" aria-label="Run the tasks">
                <button class="btn primary" id="run" aria-disabled={off(disabled)} onclick={run(RunRequest::Only(mode))}>
                    { format!("Run {}", mode.label()) }
                </button>
                if trim.offers_compare(mode) {
                    <button class="btn" id="run-compare" aria-disabled={off(disabled)}
                        title="Run sequentially, then this way, and compare"
                        onclick={run(RunRequest::Compare(mode))}>
                        { if mode == RunMode::Sequential { "Compare with gathered".to_string() } else { "Compare with sequential".to_string() } }
                    </button>
                }
                if trim.offers_compare_all() {
                    <button class="btn" id="run-all" aria-disabled={off(disabled)}
                        title="Run the same tasks under every mode, one after another"
                        onclick={run(RunRequest::CompareAll)}>
                        { "Compare all modes" }
                    </button>
                }
                <button class="btn danger" id="run-stop" aria-disabled={off(!busy)} onclick={stop}>
                    { "Stop" }
                </button>
            </div>
            <p class="status">
                // Not live: the results' one live region reads the status.
                <span class="run-state">{ status }</span>
                { " " }<span class="progress">{ progress }</span>
            </p>
            if let Some(notice) = &props.notice {
                <p class="notice" role="alert">{ notice }</p>
            }
        </div>
    }
}
