//! `use_embed`: what an embedded playground does for the page around it,
//! and what every playground notes about its runs.
//!
//! - Every run: whether the playground was hidden or off-screen while it
//!   ran ([`RunEnv`], kept in the state for the results and insights).
//! - In an iframe (`parent` set): the content height and each run's result
//!   are posted to the parent; `run`, `stop` and `load` messages from the
//!   parent are acted on once shape and origin are checked
//!   (`domain::formats::embed`).
//! - In-page: each run's result is also dispatched as a DOM event
//!   `async-playground:result` on the host element (bubbling), with the same
//!   message as `detail`; embed.js's commands (`run()`, `stop()`, a new
//!   scenario) arrive as `async-playground:command` events on that element,
//!   `detail` the same JSON text as the iframe's messages.

use yew::prelude::*;

use super::store::Store;
use gloo_events::EventListener;
use wasm_bindgen::JsCast;

use crate::domain::formats::embed::{
    self, EmbedOrigin, Inbound, Rejected, COMMAND, MAX_MESSAGE_CHARS,
};
use crate::domain::run::env::{expected_lag_ms, RunEnv};
use crate::domain::run::events::RunId;
use crate::domain::run::RunStatus;
use crate::domain::state::{Action, RunRequest};
use crate::runtime::embed_bridge::{self, HeightWatch, ParentMessages};
use crate::runtime::visibility::{Mark, VisibilityWatch};

#[hook]
pub fn use_embed(
    store: &UseReducerHandle<Store>,
    root: &NodeRef,
    parent: Option<EmbedOrigin>,
    in_page: bool,
) {
    let watch = use_mut_ref(|| None::<VisibilityWatch>);
    // The mode a bare `run` message uses: the one selected now.
    let mode = use_mut_ref(|| store.0.mode);
    *mode.borrow_mut() = store.0.mode;

    {
        let (root, watch, parent) = (root.clone(), watch.clone(), parent.clone());
        let dispatch = store.dispatcher();
        let mode = mode.clone();
        use_effect_with((), move |_| {
            let act = move |text: String| match embed::parse_inbound(&text) {
                Ok(Inbound::Run(m)) => {
                    let m = m.unwrap_or(*mode.borrow());
                    // Heavy runs ask the user first (domain::state::autorun).
                    let asker = crate::domain::state::autorun::Asker::Parent;
                    dispatch.dispatch(Action::AutoRun(RunRequest::Only(m), asker));
                }
                Ok(Inbound::Stop) => dispatch.dispatch(Action::Stop),
                Ok(Inbound::Load(doc)) => dispatch.dispatch(Action::LoadScenario(doc)),
                Err(Rejected::Bad(why)) => web_sys::console::warn_1(
                    &format!("async-playground: ignored a message: {why}").into(),
                ),
                Err(Rejected::NotOurs) => {}
            };
            let element = root.cast::<web_sys::Element>();
            if let Some(element) = &element {
                *watch.borrow_mut() = Some(VisibilityWatch::start(element));
            }
            let mut guards: (Option<HeightWatch>, Option<ParentMessages>, _) = (None, None, None);
            if let (Some(policy), true) = (parent, embed_bridge::in_iframe()) {
                if let (Some(element), Some(target)) = (&element, policy.target()) {
                    let target = target.to_string();
                    guards.0 = HeightWatch::start(element, move |height| {
                        embed_bridge::post_to_parent(&embed::height_message(height), &target);
                    });
                }
                let accepts = policy.clone();
                guards.1 = ParentMessages::listen(
                    move |origin| accepts.accepts(origin),
                    move |_origin, text| act(text),
                );
            } else if in_page {
                let host = element.as_ref().and_then(|e| e.parent_element());
                guards.2 = host.map(|host| {
                    EventListener::new(&host, COMMAND, move |event| {
                        let detail = event
                            .dyn_ref::<web_sys::CustomEvent>()
                            .and_then(|e| e.detail().as_string());
                        if let Some(text) = detail.filter(|t| t.len() <= MAX_MESSAGE_CHARS) {
                            act(text);
                        }
                    })
                });
            }
            move || drop(guards)
        });
    }

    // When a run ends, judge its page conditions and report it.
    let started = use_mut_ref(|| None::<(RunId, Mark)>);
    let running = store.0.running().map(|r| r.id);
    let store = store.clone();
    let root = root.clone();
    use_effect_with(running, move |running| {
        let now = watch.borrow().as_ref().map(VisibilityWatch::mark);
        let ended = started.borrow_mut().take();
        if let (Some((id, start)), Some(now)) = (ended, now) {
            report(
                &store,
                &root,
                parent.as_ref(),
                in_page,
                id,
                now.since(&start),
            );
        }
        if let (Some(id), Some(now)) = (running, now) {
            *started.borrow_mut() = Some((*id, now));
        }
    });
}

fn report(
    store: &UseReducerHandle<Store>,
    root: &NodeRef,
    parent: Option<&EmbedOrigin>,
    in_page: bool,
    id: RunId,
    seen: crate::runtime::visibility::Since,
) {
    let state = &store.0;
    let Some(run) = state.history.iter().rev().find(|r| r.id == id) else {
        return;
    };
    let env = RunEnv::assess(
        seen.unseen_ms,
        seen.offscreen,
        seen.tab_hidden,
        run.measurement.max_lag_ms(),
        expected_lag_ms(&run.scenario),
    );
    store.dispatch(Action::RunEnv(id, env));
    let message = embed::result_message(
        run.mode,
        &run.scenario,
        &run.prediction,
        &run.measurement,
        run.status == RunStatus::Stopped,
        env,
    );
    if let Some(target) = parent.and_then(EmbedOrigin::target) {
        embed_bridge::post_to_parent(&message, target);
    }
    if in_page {
        if let Some(host) = root
            .cast::<web_sys::Element>()
            .and_then(|e| e.parent_element())
        {
            embed_bridge::dispatch_result_event(&host, &message);
        }
    }
}
