//! The root component: lays out editor, controls, timelines and results.

use yew::prelude::*;

use super::components::autorun_confirm::autorun_confirm;
use super::components::code_view::{CodeView, SharedScenario};
use super::components::compare_view::{use_compare_view, CompareViewProps};
use super::components::export_panel::{export_panel, use_export, ExportPanelProps};
use super::components::guess::{guess_panel, guess_result};
use super::components::history::{history, run_name, HistoryProps};
use super::components::insights_panel::insights_panel;
use super::components::presets::{use_presets, PresetsProps};
use super::components::results::{use_results, ResultRow, ResultsProps};
use super::components::run_controls::{run_controls, run_status, RunControlsProps};
use super::components::run_env_notes::run_env_notes;
use super::components::session_banner::session_banner;
use super::components::share_button::{use_share_button, ShareButtonProps};
use super::components::stepper::Stepper;
use super::components::task_editor::{use_task_editor, TaskEditorProps};
use super::components::timeline::Timeline;
use super::focus::focus_first;
use super::lesson_line::LessonLine;
use super::props::AppProps;
use super::use_callbacks::use_callbacks;
use super::use_embed::use_embed;
use super::use_insights::use_insights;
use super::use_run::use_run;
use super::use_session::use_session;
use super::use_settled::use_settled;
use super::use_zoom::use_zoom;
use crate::domain::formats::embed_options::EditorView;
use crate::domain::formats::tools::insights_request;
use crate::domain::layout::timeline::{ZoomStep, ZoomWindow};
use crate::domain::run::RunStatus;
use crate::domain::state::selectors::{self, InsightSubject};
use crate::domain::state::RunRequest;
use crate::ui::shared::{RunList, SharedRun};

/// Zoom buttons for the timelines (dragging across one zooms too). A view
/// function, not a component: it keeps no state.
fn zoom_bar(
    zoom: Option<ZoomWindow>,
    span_ms: f64,
    on_zoom: &Callback<Option<ZoomWindow>>,
) -> Html {
    let step = |step: ZoomStep| {
        let on_zoom = on_zoom.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(next) = step.apply(zoom, span_ms) {
                on_zoom.emit(next);
            }
        })
    };
    html! {
        <div class="zoom-bar" role="group" aria-label="Timeline zoom">
            <button type="button" class="btn small" onclick={step(ZoomStep::In)} aria-label="Zoom in">{ "+" }</button>
            <button type="button" class="btn small" onclick={step(ZoomStep::Out)} aria-disabled={zoom.is_none().then_some("true")} aria-label="Zoom out">{ "−" }</button>
            <button type="button" class="btn small" onclick={step(ZoomStep::ShowAll)} aria-disabled={zoom.is_none().then_some("true")}>{ "Show all" }</button>
            <span class="hint">{ "Drag across a timeline to zoom. Hover a bar, or focus a timeline and use ↑ ↓, for exact times; “Task timings” under each timeline lists them all." }</span>
        </div>
    }
}

/// What the timeline's marks mean. Static markup, kept as text: as a Yew
/// view it would be code in the wasm.
const LEGEND: &str = "<ul class=\"legend\" aria-label=\"Timeline legend\">\
    <li><span class=\"swatch ghost\" aria-hidden=\"true\"></span>predicted</li>\
    <li><span class=\"swatch running\" aria-hidden=\"true\"></span>running</li>\
    <li><span class=\"swatch done\" aria-hidden=\"true\"></span>ok</li>\
    <li><span class=\"swatch failed\" aria-hidden=\"true\"></span>failed</li>\
    <li><span class=\"swatch cancelled\" aria-hidden=\"true\"></span>cancelled</li>\
    <li><span class=\"swatch timeout\" aria-hidden=\"true\"></span>timed out</li>\
    <li><span class=\"swatch caller\" aria-hidden=\"true\"></span>await returned</li>\
    <li><span class=\"swatch end\" aria-hidden=\"true\"></span>…predicted</li>\
    <li><span class=\"swatch lag\" aria-hidden=\"true\"></span>loop lag (late heartbeats)</li>\
    </ul>";

#[component(App)]
pub fn app(props: &AppProps) -> Html {
    // Scenario from embed, link or autosave; autosave (see use_session).
    let (store, session) = use_session(props);
    // Panels below the editor and controls wait one task (see use_settled).
    let settled = use_settled();
    // Each playground its own workers: Stop here must not touch another's.
    // And its line of the lesson program the stepper is at, for the Code
    // view (handed over without a page render).
    let backend_and_line = {
        let loader = props.worker_loader.clone();
        use_memo((), move |_| {
            let backend = match loader {
                Some(url) => crate::runtime::workers::pool_host::WorkerBackend::new(&url),
                None => crate::runtime::workers::pool_host::WorkerBackend::default(),
            };
            (backend, LessonLine::default())
        })
    };
    let (backend, lesson_line) = (backend_and_line.0.clone(), backend_and_line.1.clone());
    use_run(&store, &backend);
    // Where the tools worker is, for the code view and export (loaded when
    // first needed). Told on every render, not in an effect (each effect is
    // code in the wasm): the first playground's choice wins anyway.
    if let Some(url) = &props.tools_loader {
        crate::runtime::workers::tools_host::set_loader(url);
    }
    let root = use_node_ref();
    use_embed(
        &store,
        &root,
        props.parent.clone(),
        props.embed && props.parent.is_none(),
    );
    let app_url = props
        .app_url
        .clone()
        .unwrap_or_else(|| crate::runtime::location::page_without_query().into());
    let state = &store.0;
    let export = use_export(state);
    // Start the pool's workers while the user edits, not when Run is
    // clicked: a worker takes a moment to load.
    use_effect_with(selectors::threads_needed(state), move |&n| {
        if n > 0 {
            backend.prewarm(n);
        }
    });
    let on = use_callbacks(&store);
    let (zoom, on_zoom) = use_zoom();

    let span_ms = selectors::timeline_axis_ms(state);
    // Worked out once per render: the results show it and rank by it.
    let headline = selectors::headline(state);
    let results = use_results(&ResultsProps {
        runs: (state.runs.values().flatten().cloned())
            .map(|r| {
                let stale = state.is_stale(&r);
                let speedup = selectors::speedup_vs_sequential(state, r.mode);
                ResultRow {
                    run: SharedRun(r),
                    stale,
                    speedup,
                }
            })
            .collect(),
        headline,
        ranking: selectors::ranking(state, headline.map(|(mode, _, _)| mode)),
        reveal: !props.embed && !props.framed,
        status: run_status(
            selectors::run_progress(state),
            state.running().and_then(|r| r.waiting_for_threads),
            &state.queued,
        )
        .0
        .into(),
    });
    let task_editor = use_task_editor(&TaskEditorProps {
        drafts: state.drafts.clone(),
        errors: state.errors().to_vec(),
        speed_text: state.speed_text.clone(),
        on_scenario: on.edit_scenario.clone(),
        on_edit: on.edit_task.clone(),
    });
    let presets = use_presets(&PresetsProps {
        title: state.title.clone(),
        on_scenario: on.edit_scenario.clone(),
        on_run: on.run.clone(),
        shown: !props.embed,
    });
    // A window kept from a longer run is pulled inside this axis.
    let main_zoom = zoom.map(|z| ZoomWindow::clamped(z.from_ms, z.to_ms, span_ms));

    // Asked for once per subject, not on every render of a run.
    let subject = selectors::insight_subject(state);
    let insight_key = subject.as_ref().map(InsightSubject::key);
    let insight_job = use_memo(insight_key, |_| {
        subject.map(|s| insights_request(&s.context()))
    });
    let insight_items = use_insights(insight_key, insight_job);
    let latest = subject.map(|s| s.run);

    // In `RunMode::ALL` order.
    let timelines: Html = state
        .runs
        .values()
        .flatten()
        .map(|run| {
            let stale = state.is_stale(run);
            html! { <Timeline key={run.mode.label()} run={SharedRun(run.clone())} {span_ms} {stale}
            zoom={main_zoom} on_zoom={on_zoom.clone()} /> }
        })
        .collect();

    let editor = html! {
        <>
            { presets }
            { task_editor }
            if settled {
                <CodeView scenario={state.validation.as_ref().ok().cloned().map(SharedScenario)}
                    error_count={state.errors().len()} mode={state.mode}
                    lesson_line={lesson_line.clone()} />
            }
        </>
    };
    let framed_note = props.framed.then(|| {
        html! {
            <p class="framed-note" role="status">
                { "Opened inside another page: your work here is not saved. " }
                <a id="open-full" href={app_url.clone()} target="_blank" rel="noopener">{ "Open the full playground ↗" }</a>
            </p>
        }
    });
    let autorun =
        (state.pending_run.as_ref()).map(|pending| autorun_confirm(pending, &on.answer_run));
    let share = use_share_button(&ShareButtonProps {
        scenario_fragment: on.scenario_fragment.clone(),
        app_url,
        embed: props.embed,
        mode: state.mode,
    });
    let compare = use_compare_view(&CompareViewProps {
        history: RunList(state.history.clone()),
        compared: state.compared.clone(),
    });

    // Ctrl+Enter (Cmd+Enter) anywhere in the playground runs the mode chosen.
    let onkeydown = {
        let (run, mode) = (on.run.clone(), state.mode);
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) && !e.repeat() {
                e.prevent_default();
                run.emit(RunRequest::Only(mode));
            }
        })
    };
    // Not a fragment link: the fragment holds shared scenarios.
    let skip = {
        let root = root.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            if let Some(root) = root.cast::<web_sys::Element>() {
                focus_first(Some(&root), &["#run".to_string()]);
            }
        })
    };

    html! {
        <div class={classes!("app", props.embed.then_some("embed"))} ref={root} {onkeydown}>
            if !props.embed {
                <a class="skip-link" href="#run-heading" onclick={skip}>{ "Skip to Run" }</a>
            }
            if props.embed {
                if !state.title.is_empty() { <h2 class="embed-title">{ state.title.clone() }</h2> }
            } else {
                <header class="app-header">
                    <div class="title-row"><h1>{ "Async Playground" }</h1>{ share.clone() }</div>
                    <p class="tagline">
                        { "Compose simulated I/O tasks, await them one after another or gather them, and compare what the event loop really does with what the model predicts." }
                    </p>
                    { for framed_note }
                    { session_banner(&session) }
                </header>
            }
            <main class="layout">
                if props.embed {
                    // Compact: the editor is one click away, closed at first
                    // (or open, or not there: the embed's `editor` option).
                    if props.trim.editor != EditorView::Hidden {
                        <details class="panel editor-panel collapsible" open={props.trim.editor == EditorView::Open}>
                            <summary>{ "Edit the tasks" }</summary>
                            { editor }
                        </details>
                    }
                } else {
                    <section class="panel editor-panel" aria-labelledby="tasks-heading">{ editor }</section>
                }
                <section class="panel run-panel" aria-labelledby="run-heading">
                    { for autorun }
                    { run_controls(&RunControlsProps {
                        mode: state.mode,
                        options: state.options,
                        limit_text: state.option_texts.limit_text(&state.options).into(),
                        pool_size_text: state.option_texts.pool_size_text(&state.options).into(),
                        problems: state.run_problems(),
                        running: selectors::run_progress(state),
                        starting_threads: state.running().and_then(|r| r.waiting_for_threads),
                        queued: state.queued.clone(),
                        valid: state.validation.is_ok(),
                        notice: state.notice.clone(),
                        on_setting: on.set_run.clone(),
                        on_run: on.run.clone(),
                        on_stop: on.stop.clone(),
                        trim: props.trim.clone(),
                        uses_threads: selectors::threads_needed(state) > 0,
                    }) }
                    if !props.embed {
                        { guess_panel(&state.guess, || selectors::guess_question(state), &state.drafts, &on.set_run) }
                    }
                    <div class="timelines" id="live">
                        { if state.runs.values().all(Option::is_none) {
                            html! { <p class="empty-hint">{ "Run the tasks to see their timeline here: one row per task, the dashed outline is the prediction, the filled bar is what was measured." }</p> }
                        } else { html! { <>
                            { zoom_bar(main_zoom, span_ms, &on_zoom) }
                            { timelines }{ Html::from_html_unchecked(AttrValue::Static(LEGEND)) }</> } } }
                    </div>
                    { results }
                    if let Some(guessed) = selectors::guess_shown(state) {
                        { guess_result(guessed, state.tally) }
                    }
                    { run_env_notes(&selectors::env_notes(state, latest.map(|r| r.id))) }
                    if let Some(run) = latest {
                        { insights_panel(&run_name(run), &insight_items) }
                    }
                    if !props.embed && settled {
                        <Stepper scenario={state.validation.as_ref().ok().cloned().map(SharedScenario)}
                            mode={state.mode}
                            run={state.runs[state.mode].clone()
                                .filter(|r| r.status == RunStatus::Finished && !state.is_stale(r))
                                .map(SharedRun)}
                            {lesson_line} />
                    }
                    if props.embed { <p class="embed-footer">{ share }</p> } else if settled {
                        { history(&HistoryProps { runs: RunList(state.history.clone()), compared: state.compared.clone(),
                            on_toggle: on.toggle_compared.clone(), on_forget: on.forget_run.clone(),
                            on_clear: on.clear_history.clone() }) }
                        { export_panel(&ExportPanelProps { export, on_import: on.import_run.clone(), on_notify: on.notify.clone() }) }
                        { compare }
                    }
                </section>
            </main>
        </div>
    }
}
