//! Browser tests for the share/embed runtime: storage, the autosaving app,
//! the embed layout, independent worker pools, and the visibility watch.

#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use async_playground::domain::formats::codec::{self, SavedState};
use async_playground::domain::scenario::doc::ScenarioDoc;
use async_playground::domain::state::AppState;
use async_playground::runtime::thread_pool::{Backend, Pool};
use async_playground::runtime::visibility::VisibilityWatch;
use async_playground::runtime::workers::pool_host::WorkerBackend;
use async_playground::runtime::{embed_bridge, storage};
use async_playground::ui::{App, AppProps};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn mount(props: AppProps) -> Element {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    root
}

async fn settle() {
    TimeoutFuture::new(30).await;
}

fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
}

fn first_label(root: &Element) -> String {
    one(root, ".task-label")
        .dyn_into::<HtmlInputElement>()
        .unwrap()
        .value()
}

#[wasm_bindgen_test]
fn storage_round_trips_and_forgets() {
    storage::save("ap-test:round-trip", "hello").unwrap();
    assert_eq!(
        storage::load("ap-test:round-trip").unwrap().as_deref(),
        Some("hello")
    );
    storage::remove("ap-test:round-trip");
    assert_eq!(storage::load("ap-test:round-trip").unwrap(), None);
}

#[wasm_bindgen_test]
async fn the_app_opens_its_autosaved_scenario() {
    let mut doc = AppState::default().scenario_doc();
    doc.drafts[0].label = "from storage".into();
    let text = codec::to_saved(&SavedState {
        scenario: doc,
        history: Vec::new(),
        guesses: Default::default(),
    });
    storage::save("ap-test:autosave", &text).unwrap();
    let root = mount(AppProps {
        autosave_key: Some("ap-test:autosave".into()),
        ..AppProps::default()
    });
    settle().await;
    assert_eq!(first_label(&root), "from storage");
    storage::remove("ap-test:autosave");
}

#[wasm_bindgen_test]
async fn a_corrupt_autosave_is_reported_and_the_defaults_shown() {
    storage::save("ap-test:corrupt", "{\"v\": 1, \"scen").unwrap();
    let root = mount(AppProps {
        autosave_key: Some("ap-test:corrupt".into()),
        ..AppProps::default()
    });
    settle().await;
    assert_eq!(first_label(&root), "fetch data 1");
    let notice = one(&root, ".notice").text_content().unwrap();
    assert!(notice.contains("could not be read"), "{notice}");
    storage::remove("ap-test:corrupt");
}

#[wasm_bindgen_test]
async fn an_embed_is_compact_and_starts_from_its_own_scenario() {
    let mut doc: ScenarioDoc = codec::from_json(
        r#"{"v": 1, "title": "Tutorial <i>step</i>", "mode": "sequential", "tasks": [{"label": "a", "ms": 10}]}"#,
    )
    .unwrap();
    doc.speed_text = "2".into();
    let root = mount(AppProps {
        embed: true,
        initial: Some(Rc::new(doc)),
        ..AppProps::default()
    });
    settle().await;
    assert!(root.query_selector(".app-header").unwrap().is_none());
    assert!(!one(&root, "details.editor-panel").has_attribute("open"));
    // Titles are text, never markup.
    assert_eq!(
        one(&root, ".embed-title").text_content().unwrap(),
        "Tutorial <i>step</i>"
    );
    assert!(root.query_selector(".embed-title i").unwrap().is_none());
    assert_eq!(first_label(&root), "a");
    assert!(
        !embed_bridge::in_iframe(),
        "the test page is not in an iframe"
    );
}

#[wasm_bindgen_test]
async fn stop_in_one_playground_leaves_the_others_jobs_alone() {
    // The test runner serves no worker files: both pools fall back to
    // timers once their workers fail to load, which is enough to check that
    // each playground aborts only its own jobs.
    let (a, b) = (WorkerBackend::default(), WorkerBackend::default());
    assert!(a != b, "two playgrounds, two sets of workers");
    let pool_a = Pool::new(1, false, Rc::new(a.clone()) as Rc<dyn Backend>);
    let pool_b = Pool::new(1, false, Rc::new(b.clone()) as Rc<dyn Backend>);
    let a_done = Rc::new(Cell::new(false));
    let b_done = Rc::new(Cell::new(false));
    for (pool, done) in [(&pool_a, a_done.clone()), (&pool_b, b_done.clone())] {
        let rx = pool.submit(150.0, false);
        wasm_bindgen_futures::spawn_local(async move {
            if rx.await.is_ok() {
                done.set(true);
            }
        });
    }
    // Stop in playground A while both jobs still wait for workers to load
    // (with one shared pool, replacing the busy worker lost B's job too).
    TimeoutFuture::new(1).await;
    drop(pool_a);
    TimeoutFuture::new(400).await;
    assert!(!a_done.get(), "A's job was aborted");
    assert!(b_done.get(), "B's job finished");
}

#[wasm_bindgen_test]
async fn a_visible_element_is_not_counted_as_hidden_and_an_offscreen_one_is() {
    let body = document().body().unwrap();
    let near = document().create_element("div").unwrap();
    near.set_text_content(Some("near"));
    body.prepend_with_node_1(&near).unwrap();
    let far = document().create_element("div").unwrap();
    far.set_attribute("style", "position: absolute; top: 100000px; height: 10px")
        .unwrap();
    body.append_child(&far).unwrap();
    let near_watch = VisibilityWatch::start(&near);
    let far_watch = VisibilityWatch::start(&far);
    let (near_start, far_start) = (near_watch.mark(), far_watch.mark());
    TimeoutFuture::new(250).await;
    let near_seen = near_watch.mark().since(&near_start);
    let far_seen = far_watch.mark().since(&far_start);
    assert_eq!(near_seen.unseen_ms, 0.0, "{near_seen:?}");
    assert!(!near_seen.offscreen);
    assert!(far_seen.offscreen, "{far_seen:?}");
    assert!(far_seen.unseen_ms > 100.0, "{far_seen:?}");
}

/// Posts `data` to this window, which the test page's "parent" (itself)
/// receives as a message from its parent.
fn post_to_self(data: &wasm_bindgen::JsValue) {
    web_sys::window().unwrap().post_message(data, "*").unwrap();
}

fn object(json: &str) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(json).unwrap()
}

#[wasm_bindgen_test]
async fn a_flood_of_parent_messages_is_read_once_per_frame_last_load_winning() {
    use std::cell::RefCell;
    let seen: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = seen.clone();
    let _listening =
        embed_bridge::ParentMessages::listen(|_| true, move |_, text| sink.borrow_mut().push(text))
            .unwrap();
    for i in 0..10_000 {
        post_to_self(&object(&format!(
            r#"{{"type": "async-playground:load", "scenario": {{"v": 1, "title": "{i}", "tasks": []}}}}"#
        )));
    }
    post_to_self(&object(r#"{"type": "async-playground:run"}"#));
    let mut waited_ms = 0;
    while !seen.borrow().iter().any(|t| t.contains(":run")) && waited_ms < 5_000 {
        TimeoutFuture::new(20).await;
        waited_ms += 20;
    }
    let seen = seen.borrow();
    assert!(
        seen.len() < 100,
        "{} messages were read out of 10,001",
        seen.len()
    );
    let last_load = seen.iter().rev().find(|t| t.contains(":load")).unwrap();
    assert!(last_load.contains("\"9999\""), "{last_load}");
    assert!(
        seen.last().unwrap().contains(":run"),
        "the run came after the loads"
    );
}

#[wasm_bindgen_test]
async fn other_origins_and_other_libraries_messages_are_not_read() {
    use std::cell::RefCell;
    let seen: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = seen.clone();
    let _listening = embed_bridge::ParentMessages::listen(
        |origin| origin == "https://tutorial.example",
        move |_, text| sink.borrow_mut().push(text),
    )
    .unwrap();
    post_to_self(&object(r#"{"type": "async-playground:run"}"#));
    TimeoutFuture::new(100).await;
    assert!(seen.borrow().is_empty(), "{:?}", seen.borrow());
}

#[wasm_bindgen_test]
fn huge_or_odd_payloads_are_refused_unwritten() {
    use async_playground::domain::formats::embed::MAX_MESSAGE_CHARS;
    use embed_bridge::to_json_within;
    let clock = async_playground::runtime::clock::now_ms;
    let ok =
        object(r#"{"type": "async-playground:load", "scenario": {"v": 1, "tasks": [{"ms": 10}]}}"#);
    let text = to_json_within(&ok, MAX_MESSAGE_CHARS).unwrap();
    assert!(text.contains(r#""tasks":[{"ms":10}]"#), "{text}");
    assert_eq!(to_json_within(&ok, 20), None, "the budget is a limit");
    let started = clock();
    // 50 MB of text in one field, or in one key.
    let big = js_sys::Object::new();
    let huge = js_sys::JsString::from("x").repeat(50 * 1024 * 1024);
    js_sys::Reflect::set(&big, &"scenario".into(), &huge).unwrap();
    assert_eq!(to_json_within(&big, MAX_MESSAGE_CHARS), None);
    let keyed = js_sys::Object::new();
    js_sys::Reflect::set(&keyed, &huge, &1.into()).unwrap();
    assert_eq!(to_json_within(&keyed, MAX_MESSAGE_CHARS), None);
    // A million entries, of an array or of bytes (or 50 MB of them).
    let long = js_sys::Array::new_with_length(1_000_000);
    assert_eq!(to_json_within(&long, MAX_MESSAGE_CHARS), None);
    let bytes = js_sys::Uint8Array::new_with_length(50 * 1024 * 1024);
    assert_eq!(to_json_within(&bytes, MAX_MESSAGE_CHARS), None);
    let took = clock() - started;
    // Refused without reading the payload through: writing 50 MB would take
    // seconds. The bound is loose, as a busy machine's timers are slow.
    assert!(took < 2_000.0, "judging took {took:.1} ms");
    // Nesting too deep to write is refused, not a crash.
    let mut deep = js_sys::Array::new();
    for _ in 0..100_000 {
        deep = js_sys::Array::of1(&deep);
    }
    assert_eq!(to_json_within(&deep, MAX_MESSAGE_CHARS), None);
}
