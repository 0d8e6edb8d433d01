//! Export and import: a run that is over (the latest shown or any in the
//! history) saved as a Chrome trace (JSON) or CSV, and a trace file read
//! back into the history.
//!
//! Files are written by `domain::formats::export` in the tools worker
//! (`runtime::workers::tools_host`), from the run as it was shown (its
//! prediction included), and moved by `runtime::files`; this component only
//! picks the run and reports what happened.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

pub use crate::ui::shared::RunList;

use crate::domain::formats::export::MAX_IMPORT_BYTES;
use crate::domain::formats::tools::{export_request, imported_run, Op};
use crate::domain::run::events::RunId;
use crate::domain::run::stats::format_ms;
use crate::domain::run::{Run, RunStatus, SavedRun};
use crate::domain::state::selectors::sort_short;
use crate::domain::state::AppState;
use crate::runtime::files::{download_text, read_text};
use crate::runtime::workers::tools_host;

/// The runs that are over, newest first: the history, plus any latest run
/// the history has already dropped. Keyed on run ids and statuses so a
/// running run's frames do not rebuild (and re-clone) the list.
#[hook]
pub fn use_exportable_runs(state: &AppState) -> RunList {
    let over = |r: &&Rc<Run>| r.status != RunStatus::Running;
    let key: Vec<RunId> = state
        .history
        .iter()
        .chain(state.runs.values().flatten())
        .filter(over)
        .map(|r| r.id)
        .collect();
    let list = use_memo(key, |_| {
        // Shared, not copied: a run of 10,000 tasks is big.
        let mut runs: Vec<Rc<Run>> = state.history.to_vec();
        for run in state.runs.values().flatten().filter(over) {
            if !runs.iter().any(|r| r.id == run.id) {
                runs.push(run.clone());
            }
        }
        sort_short(&mut runs, |a, b| a.id > b.id);
        runs
    });
    RunList(list)
}

/// The file name for a run's export: `async-playground-gathered-7.json`.
fn file_name(run: &Run, extension: &str) -> String {
    format!(
        "async-playground-{}-{}.{extension}",
        run.mode.slug(),
        run.id.0
    )
}

/// How a run reads in the picker: "#7 Gathered, 5 tasks, 612 ms".
fn run_label(run: &Run) -> String {
    let ended = match (run.status, run.measurement.total_ms) {
        (RunStatus::Stopped, _) | (_, None) => "stopped".to_string(),
        (_, Some(total_ms)) => format_ms(total_ms),
    };
    format!(
        "#{} {}, {} task{}, {ended}",
        run.id.0,
        run.mode.label(),
        run.scenario.tasks.len(),
        if run.scenario.tasks.len() == 1 {
            ""
        } else {
            "s"
        }
    )
}

/// The panel's state, kept by the app: the runs it offers, the run picked
/// and what the last download or import did (announced politely).
#[derive(Clone)]
pub struct ExportState {
    pub runs: RunList,
    chosen: UseStateHandle<Option<RunId>>,
    status: UseStateHandle<String>,
}

#[hook]
pub fn use_export(state: &AppState) -> ExportState {
    ExportState {
        runs: use_exportable_runs(state),
        chosen: use_state(|| None),
        status: use_state(String::new),
    }
}

/// What the panel shows and whom it tells.
pub struct ExportPanelProps {
    pub export: ExportState,
    /// Adds an imported run to the history.
    pub on_import: Callback<SavedRun>,
    /// Says what went wrong (a file not saved or not read).
    pub on_notify: Callback<String>,
}

/// The panel. A view function, not a component: the app keeps its state.
pub fn export_panel(props: &ExportPanelProps) -> Html {
    let (chosen, status) = (&props.export.chosen, &props.export.status);
    let runs = props.export.runs.0.clone();
    // The picked run if it is still there, else the newest.
    let run = (*chosen)
        .and_then(|id| runs.iter().find(|r| r.id == id))
        .or_else(|| runs.first())
        .cloned();

    let on_pick = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            chosen.set(select.value().parse().ok().map(RunId));
        })
    };
    let download = |op: Op, extension: &'static str, mime: &'static str| {
        let (run, status, on_notify) = (run.clone(), status.clone(), props.on_notify.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(run) = &run else { return };
            let name = file_name(run, extension);
            let payload = export_request(run);
            let (status, on_notify) = (status.clone(), on_notify.clone());
            status.set(format!("Writing {name}…"));
            wasm_bindgen_futures::spawn_local(async move {
                let saved = match tools_host::call(op, payload).await {
                    Ok(text) => download_text(&name, mime, &text),
                    Err(why) => Err(why),
                };
                match saved {
                    Ok(()) => status.set(format!("Saved {name}.")),
                    Err(why) => {
                        status.set(String::new());
                        on_notify.emit(format!("Could not save {name}: {why}"))
                    }
                }
            });
        })
    };
    let on_import_click = Callback::from(|e: MouseEvent| {
        let button: web_sys::Element = e.target_unchecked_into();
        let input = (button.closest(".export-panel").ok().flatten())
            .and_then(|panel| panel.query_selector("#import-file").ok().flatten());
        if let Some(input) = input {
            input.unchecked_into::<web_sys::HtmlInputElement>().click();
        }
    });
    let on_file = {
        let (status, on_import, on_notify) = (
            status.clone(),
            props.on_import.clone(),
            props.on_notify.clone(),
        );
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            // Cleared so that picking the same file again fires `change`.
            input.set_value("");
            let name = file.name();
            // Checked before reading: a huge file would be read whole into memory.
            if file.size() > MAX_IMPORT_BYTES as f64 {
                on_notify.emit(format!("{name} is too large to be a playground trace."));
                return;
            }
            let (status, on_import, on_notify) =
                (status.clone(), on_import.clone(), on_notify.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let imported = match read_text(&file).await {
                    Ok(text) => match tools_host::call(Op::Import, text).await {
                        Ok(run) => imported_run(&run),
                        Err(why) => Err(why),
                    },
                    Err(why) => Err(why),
                };
                match imported {
                    Ok(saved) => {
                        let summary = format!(
                            "Imported {name}: a {} run of {} task{}, now in the history.",
                            saved.mode.label(),
                            saved.measurement.tasks.len(),
                            if saved.measurement.tasks.len() == 1 {
                                ""
                            } else {
                                "s"
                            }
                        );
                        on_import.emit(saved);
                        status.set(summary);
                    }
                    Err(why) => {
                        status.set(String::new());
                        on_notify.emit(format!("Could not import {name}: {why}"));
                    }
                }
            });
        })
    };

    let trace_help = "Chrome trace-event JSON: open it in Perfetto (ui.perfetto.dev) or chrome://tracing, or import it here later.";
    html! {
        // Pointing at the panel or tabbing into it starts the tools worker.
        <section class="export-panel" aria-labelledby="export-heading"
            onpointerenter={Callback::from(|_: PointerEvent| tools_host::warm())}
            onfocusin={Callback::from(|_: FocusEvent| tools_host::warm())}>
            <h2 id="export-heading">{ "Export and import" }</h2>
            if let Some(run) = &run {
                <div class="export-row">
                    <label for="export-run">{ "Run to export" }</label>
                    <select id="export-run" onchange={on_pick}>
                        { for runs.iter().map(|r| html! {
                            <option value={r.id.0.to_string()} selected={r.id == run.id}>{ run_label(r) }</option>
                        }) }
                    </select>
                </div>
                <div class="export-row" role="group" aria-label="Download the run">
                    <button class="btn" id="download-trace" title={trace_help}
                        aria-describedby="export-help" onclick={download(Op::Trace, "json", "application/json")}>
                        { "Download trace (JSON)" }
                    </button>
                    <button class="btn" id="download-csv"
                        title="One row per task: predicted and measured start, end and outcome"
                        onclick={download(Op::Csv, "csv", "text/csv")}>
                        { "Download CSV" }
                    </button>
                </div>
                <p id="export-help" class="hint">{ trace_help }</p>
            } else {
                <p class="hint">{ "When a run is over, download its trace or timings here." }</p>
            }
            <div class="export-row">
                <button class="btn" id="import-trace" onclick={on_import_click}
                    title="Read a trace downloaded from the playground into the history">
                    { "Import trace…" }
                </button>
                <input type="file" id="import-file" accept=".json,application/json" hidden=true
                    onchange={on_file} tabindex="-1" aria-label="Trace file to import" />
            </div>
            <p class="import-status" aria-live="polite" data-history-count={runs.len().to_string()}>{ (**status).clone() }</p>
        </section>
    }
}
