//! The root component: lays out editor, controls, timelines and results.

use yew::prelude::*;

use super::components::results::{ResultRow, Results};
use super::components::run_controls::RunControls;
use super::components::run_env_notes::{env_notes, RunEnvNotes};
use super::components::session_banner::SessionBanner;
use super::components::share_button::ShareButton;
use super::components::task_editor::TaskEditor;
use super::components::timeline::Timeline;
use super::props::AppProps;
use super::use_embed::use_embed;
use super::use_run::use_run;
use super::use_session::use_session;
use crate::domain::scenario::{Kind, RunMode};
use crate::domain::timeline::axis_span_ms;

/// What the timeline's marks mean.
#[component(Legend)]
fn legend() -> Html {
    html! {
        <ul class="legend" aria-label="Timeline legend">
            <li><span class="swatch ghost" aria-hidden="true"></span>{ "predicted" }</li>
            <li><span class="swatch running" aria-hidden="true"></span>{ "running" }</li>
            <li><span class="swatch done" aria-hidden="true"></span>{ "ok" }</li>
            <li><span class="swatch failed" aria-hidden="true"></span>{ "failed" }</li>
            <li><span class="swatch cancelled" aria-hidden="true"></span>{ "cancelled" }</li>
            <li><span class="swatch timeout" aria-hidden="true"></span>{ "timed out" }</li>
            <li><span class="swatch caller" aria-hidden="true"></span>{ "await returned" }</li>
            <li><span class="swatch end" aria-hidden="true"></span>{ "…predicted" }</li>
            <li><span class="swatch lag" aria-hidden="true"></span>{ "loop lag (late heartbeats)" }</li>
        </ul>
    }
}

#[component(App)]
pub fn app(props: &AppProps) -> Html {
    // Scenario from embed, link or autosave; autosave (see use_session).
    let (store, session) = use_session(props);
    // Each playground its own workers: Stop here must not touch another's.
    let backend = {
        let loader = props.worker_loader.clone();
        use_memo((), move |_| match loader {
            Some(url) => crate::runtime::worker_pool::WorkerBackend::new(&url),
            None => crate::runtime::worker_pool::WorkerBackend::default(),
        })
    };
    use_run(&store, &backend);
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
    // Start the pool's workers while the user edits, not when Run is
    // clicked: a worker takes a moment to load.
    let threads_needed = match &state.validation {
        Ok(s)
            if s.tasks
                .iter()
                .any(|t| matches!(t.kind, Kind::Offloaded { .. })) =>
        {
            s.options.pool_size as usize
        }
        _ => 0,
    };
    use_effect_with(threads_needed, move |&n| {
        if n > 0 {
            backend.prewarm(n);
        }
    });
    let dispatch = store.dispatcher();

    // Both timelines share one time axis so their lengths compare by eye.
    let needed_ms = state
        .runs
        .iter()
        .flatten()
        .map(|r| {
            r.prediction
                .total_ms
                .max(r.measurement.total_ms.unwrap_or(0.0))
                .max(r.now_ms)
        })
        .fold(0.0, f64::max);
    let span_ms = axis_span_ms(needed_ms);

    let timelines: Html = RunMode::ALL
        .iter()
        .filter_map(|&mode| state.run_of(mode))
        .map(|run| {
            let stale = state.is_stale(run);
            html! { <Timeline key={run.mode.label()} run={run.clone()} {span_ms} {stale} /> }
        })
        .collect();

    let editor = html! {
        <TaskEditor
            drafts={state.drafts.clone()}
            errors={state.errors().to_vec()}
            speed_text={state.speed_text.clone()}
            dispatch={dispatch.clone()}
        />
    };
    let share =
        html! { <ShareButton store={store.clone()} app_url={app_url} embed={props.embed} /> };

    html! {
        <div class={classes!("app", props.embed.then_some("embed"))} ref={root}>
            if props.embed {
                if !state.title.is_empty() { <h2 class="embed-title">{ state.title.clone() }</h2> }
            } else {
                <header class="app-header">
                    <div class="title-row"><h1>{ "Async Playground" }</h1>{ share.clone() }</div>
                    <p class="tagline">
                        { "Compose simulated I/O tasks, await them one after another or gather them, and compare what the event loop really does with what the model predicts." }
                    </p>
                    <SessionBanner session={session} />
                </header>
            }
            <main class="layout">
                if props.embed {
                    // Compact: the editor is one click away, closed at first.
                    <details class="panel editor-panel collapsible">
                        <summary>{ "Edit the tasks" }</summary>
                        { editor }
                    </details>
                } else {
                    <section class="panel editor-panel" aria-labelledby="tasks-heading">{ editor }</section>
                }
                <section class="panel run-panel" aria-labelledby="run-heading">
                    <RunControls
                        mode={state.mode}
                        options={state.options}
                        running={state.running().map(|r| (r.mode, r.measurement.finished_count(), r.measurement.tasks.len()))}
                        queued={state.queued.clone()}
                        valid={state.validation.is_ok()}
                        notice={state.notice.clone()}
                        dispatch={dispatch.clone()}
                    />
                    <div class="timelines">
                        { if state.runs.iter().all(Option::is_none) {
                            html! { <p class="empty-hint">{ "Run the tasks to see their timeline here: one row per task, the dashed outline is the prediction, the filled bar is what was measured." }</p> }
                        } else { html! { <>{ timelines }<Legend /></> } } }
                    </div>
                    <Results
                        runs={state.runs.iter().flatten().cloned().map(|r| {
                            let stale = state.is_stale(&r);
                            let speedup = state.speedup_vs_sequential(r.mode);
                            ResultRow { run: r, stale, speedup }
                        }).collect::<Vec<_>>()}
                        headline={state.headline()}
                    />
                    <RunEnvNotes notes={env_notes(state)} />
                    if props.embed { <p class="embed-footer">{ share }</p> }
                </section>
            </main>
        </div>
    }
}
