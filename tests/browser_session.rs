//! Browser tests: the session around a mounted playground, against the real
//! localStorage — saved states that cannot be read, two playgrounds sharing
//! one autosave (as two tabs do), a full quota, the framed app, embeds and
//! links that ask to run.

#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use async_playground::domain::formats::codec::{self, SavedState};
use async_playground::domain::run::events::{EventKind, TraceEvent};
use async_playground::domain::scenario::RunMode;
use async_playground::domain::state::session::backup_key;
use async_playground::domain::state::{Action, AppState, RunRequest};
use async_playground::runtime::storage;
use async_playground::ui::mount::{in_page_props, page_props};
use async_playground::ui::{App, AppProps};
use gloo_events::EventListener;
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Longer than the autosave's debounce, with room for a busy machine.
const AFTER_DEBOUNCE_MS: u32 = 700;

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn mount_in(host: &Element, props: AppProps) -> Element {
    let root = document().create_element("div").unwrap();
    host.append_child(&root).unwrap();
    yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    root
}

fn mount(props: AppProps) -> Element {
    mount_in(&document().body().unwrap(), props)
}

fn autosaving(key: &str) -> AppProps {
    AppProps {
        autosave_key: Some(key.to_string().into()),
        read_link: false,
        ..AppProps::default()
    }
}

async fn settle() {
    TimeoutFuture::new(30).await;
}

fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
}

fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

fn click(root: &Element, selector: &str) {
    one(root, selector)
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
}

fn first_label(root: &Element) -> String {
    one(root, ".task-label")
        .dyn_into::<HtmlInputElement>()
        .unwrap()
        .value()
}

fn type_label(root: &Element, text: &str) {
    let input: HtmlInputElement = one(root, ".task-label").dyn_into().unwrap();
    input.set_value(text);
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    let event = web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&event).unwrap();
}

/// Waits (polling) until `check` holds; fails after `limit_ms`.
async fn until(what: &str, limit_ms: u32, check: impl Fn() -> bool) {
    let mut waited_ms = 0;
    while !check() {
        assert!(waited_ms < limit_ms, "{what}: not within {limit_ms} ms");
        TimeoutFuture::new(20).await;
        waited_ms += 20;
    }
}

fn saved(key: &str) -> Option<SavedState> {
    storage::load(key)
        .unwrap()
        .and_then(|t| codec::from_saved(&t).ok())
}

/// A saved state: one quick task labelled `label`, and `runs` finished runs
/// (started at 1, 2, … ms after the epoch).
fn saved_text(label: &str, runs: usize) -> String {
    let mut doc = codec::from_json(r#"{"v":1,"tasks":[{"label":"x","ms":10}]}"#).unwrap();
    doc.drafts[0].label = label.into();
    let mut state = AppState::default();
    state.apply(Action::LoadScenario(doc));
    for i in 0..runs {
        state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
        let run = state.running().unwrap().clone();
        let events = [
            EventKind::RunStarted {
                mode: run.mode,
                started_unix_ms: (i + 1) as f64,
            },
            EventKind::TaskStarted {
                index: 0,
                at_ms: 0.0,
            },
            EventKind::TaskFinished {
                index: 0,
                at_ms: 10.0,
                outcome: run.prediction.tasks[0].outcome,
            },
            EventKind::RunFinished { at_ms: 10.0 },
        ];
        state.apply(Action::RunProgress {
            events: events
                .into_iter()
                .map(|kind| TraceEvent { run: run.id, kind })
                .collect(),
            now_ms: None,
        });
    }
    codec::to_saved(&SavedState {
        scenario: state.scenario_doc(),
        history: state.saved_history(),
        guesses: state.tally,
    })
}

fn forget(key: &str) {
    storage::remove(key);
    storage::remove(&backup_key(key));
}

/// Mounts an autosaving app over `planted`; after the debounce has had
/// every chance to fire, the autosave must be as planted and its copy kept.
async fn opening_keeps(key: &str, planted: &str) -> Element {
    forget(key);
    storage::save(key, planted).unwrap();
    let root = mount(autosaving(key));
    TimeoutFuture::new(AFTER_DEBOUNCE_MS).await;
    assert_eq!(storage::load(key).unwrap().as_deref(), Some(planted));
    assert_eq!(
        storage::load(&backup_key(key)).unwrap().as_deref(),
        Some(planted),
        "copied aside"
    );
    let note = one(&root, ".saved-backup").text_content().unwrap();
    assert!(note.contains("kept in this browser"), "{note}");
    assert!(root
        .query_selector("#download-saved-backup")
        .unwrap()
        .is_some());
    root
}

#[wasm_bindgen_test]
async fn a_damaged_autosave_is_not_overwritten_by_opening_and_is_copied_aside() {
    let key = "ap-test:damaged";
    let root = opening_keeps(key, "{\"v\": 1, \"scenario\": {\"tasks\": [{\"ms\": ").await;
    assert_eq!(first_label(&root), "fetch data 1");
    let note = one(&root, ".notice").text_content().unwrap();
    assert!(note.contains("saved scenario could not be read"), "{note}");
    // An edit replaces the autosave; the copy stays.
    type_label(&root, "new work");
    until("the edit is saved", 3_000, || {
        saved(key).is_some_and(|s| s.scenario.drafts[0].label == "new work")
    })
    .await;
    assert!(storage::load(&backup_key(key)).unwrap().is_some());
    forget(key);
}

#[wasm_bindgen_test]
async fn a_newer_versions_autosave_is_not_overwritten_by_opening() {
    let key = "ap-test:newer";
    let newer = saved_text("from a newer build", 1).replacen("\"v\":1", "\"v\":2", 1);
    opening_keeps(key, &newer).await;
    forget(key);
}

#[wasm_bindgen_test]
async fn one_unknown_field_in_one_run_loses_neither_the_run_nor_the_history() {
    // A rollback after a deploy: a newer build wrote one field more.
    let key = "ap-test:unknown-field";
    forget(key);
    let text = saved_text("mine", 3).replacen("\"stopped\":", "\"from_newer\":1,\"stopped\":", 1);
    storage::save(key, &text).unwrap();
    let root = mount(autosaving(key));
    TimeoutFuture::new(AFTER_DEBOUNCE_MS).await;
    assert_eq!(storage::load(key).unwrap().as_deref(), Some(text.as_str()));
    // Either every run was read (the field tolerated), or the whole state
    // was copied aside and the notice offers it.
    let shown = count(&root, ".history-run");
    let kept = storage::load(&backup_key(key)).unwrap();
    assert!(
        shown == 3
            || (kept.as_deref() == Some(text.as_str())
                && count(&root, "#download-saved-backup") == 1),
        "{shown} runs shown, backup {}",
        kept.is_some()
    );
    forget(key);
}

#[wasm_bindgen_test]
async fn a_run_in_one_playground_survives_an_edit_in_another_sharing_its_autosave() {
    // Two tabs of one browser share localStorage as these two apps do.
    let key = "ap-test:two-tabs";
    forget(key);
    storage::save(key, &saved_text("shared start", 0)).unwrap();
    let a = mount(autosaving(key));
    let b = mount(autosaving(key));
    settle().await;
    click(&a, "#run");
    until("A's run is saved", 5_000, || {
        saved(key).is_some_and(|s| s.history.len() == 1)
    })
    .await;
    let run_start = saved(key).unwrap().history[0].started_unix_ms;
    assert!(run_start > 1.6e12, "a real wall-clock start: {run_start}");

    type_label(&b, "edited in B");
    until("B's edit is saved", 3_000, || {
        saved(key).is_some_and(|s| s.scenario.drafts[0].label == "edited in B")
    })
    .await;
    let after = saved(key).unwrap();
    assert_eq!(after.history.len(), 1, "A's run is still there");
    assert_eq!(after.history[0].started_unix_ms, run_start);
    forget(key);
}

#[wasm_bindgen_test]
async fn a_run_another_tab_saved_appears_at_once_without_a_write() {
    let key = "ap-test:storage-event";
    forget(key);
    storage::save(key, &saved_text("start", 0)).unwrap();
    let here = mount(autosaving(key));
    settle().await;
    // Another tab writes a run; the browser tells this one.
    let other = saved_text("start", 1);
    storage::save(key, &other).unwrap();
    let event = web_sys::Event::new("storage").unwrap();
    web_sys::window().unwrap().dispatch_event(&event).unwrap();
    until("the run shows in the history", 2_000, || {
        count(&here, ".history-run") == 1
    })
    .await;
    TimeoutFuture::new(AFTER_DEBOUNCE_MS).await;
    assert_eq!(
        storage::load(key).unwrap().as_deref(),
        Some(other.as_str()),
        "merging wrote nothing back"
    );
    forget(key);
}

/// Fills localStorage so that about `free` characters still fit; returns
/// the filler keys.
fn fill_storage(free: usize) -> Vec<String> {
    let gap = "ap-test:gap";
    storage::save(gap, &"x".repeat(free)).unwrap();
    let mut keys = Vec::new();
    let mut chunk = 1 << 21;
    while chunk >= 16 {
        let key = format!("ap-test:filler-{}", keys.len());
        if storage::save(&key, &"x".repeat(chunk)).is_ok() {
            keys.push(key);
        } else {
            chunk /= 2;
        }
    }
    storage::remove(gap);
    keys
}

#[wasm_bindgen_test]
async fn a_full_quota_keeps_the_newest_runs_and_says_so_once() {
    let key = "ap-test:full";
    forget(key);
    let planted = saved_text("mine", 30);
    storage::save(key, &planted).unwrap();
    let root = mount(autosaving(key));
    settle().await;
    // Other keys take the whole quota but for about half the saved text.
    storage::remove(key);
    let fillers = fill_storage(planted.len() / 2);
    type_label(&root, "after the quota filled");
    until("the trimmed state is saved", 3_000, || {
        saved(key).is_some_and(|s| s.scenario.drafts[0].label == "after the quota filled")
    })
    .await;
    let kept = saved(key).unwrap().history;
    for filler in fillers {
        storage::remove(&filler);
    }
    assert!(!kept.is_empty() && kept.len() < 30, "{}", kept.len());
    assert_eq!(kept.last().unwrap().started_unix_ms, 30.0, "the newest");
    let notice = one(&root, ".run-controls .notice").text_content().unwrap();
    assert!(notice.contains("keeps only the newest"), "{notice}");
    forget(key);
}

#[wasm_bindgen_test]
async fn the_full_app_in_another_sites_frame_neither_reads_nor_writes_the_autosave() {
    let key = "async-playground:autosave";
    let mine = saved_text("my private work", 1);
    storage::save(key, &mine).unwrap();
    let props = page_props("", true);
    assert!(props.framed && props.autosave_key.is_none());
    let root = mount(props);
    settle().await;
    assert_eq!(first_label(&root), "fetch data 1");
    let note = one(&root, ".framed-note").text_content().unwrap();
    assert!(note.starts_with("Opened inside another page: your work here is not saved."));
    assert!(one(&root, "#open-full").get_attribute("target").as_deref() == Some("_blank"));
    // What the framing site could click.
    type_label(&root, "typed by the framing site");
    click(&root, "#reset-tasks");
    TimeoutFuture::new(AFTER_DEBOUNCE_MS).await;
    assert_eq!(storage::load(key).unwrap().as_deref(), Some(mine.as_str()));
    assert!(!root.inner_html().contains("my private work"));
    storage::remove(key);
    // Not framed, the same page autosaves; with ?embed it never does.
    assert_eq!(page_props("", false).autosave_key.as_deref(), Some(key));
    assert!(page_props("?embed", true).autosave_key.is_none());
}

#[wasm_bindgen_test]
async fn embeds_never_show_or_report_what_the_user_typed_in_the_full_app() {
    let key = "async-playground:autosave";
    let secret = "SECRET-typed-in-the-full-app";
    storage::save(key, &saved_text(secret, 2)).unwrap();
    let results: Rc<RefCell<Vec<String>>> = Rc::default();
    let mut listeners = Vec::new();
    let mut roots = Vec::new();
    for props in [
        in_page_props(
            r#"{"v":1,"tasks":[{"label":"tutorial task","ms":10}]}"#,
            "./",
        ),
        in_page_props("", "./"),
        page_props("?embed", false),
    ] {
        let host = document().create_element("section").unwrap();
        document().body().unwrap().append_child(&host).unwrap();
        let results = results.clone();
        listeners.push(EventListener::new(
            &host,
            "async-playground:result",
            move |e| {
                let detail = e.dyn_ref::<web_sys::CustomEvent>().unwrap().detail();
                let text = js_sys::JSON::stringify(&detail).unwrap();
                results.borrow_mut().push(String::from(text));
            },
        ));
        roots.push(mount_in(&host, props));
    }
    settle().await;
    for root in &roots {
        click(root, "#run");
    }
    until("every embed reported its run", 8_000, || {
        results.borrow().len() == roots.len()
    })
    .await;
    for (root, message) in roots.iter().zip(results.borrow().iter()) {
        assert!(!message.contains(secret), "{message}");
        assert!(!root.inner_html().contains(secret));
    }
    assert!(results.borrow()[0].contains("tutorial task"));
    storage::remove(key);
}

fn set_hash(hash: &str) {
    web_sys::window()
        .unwrap()
        .location()
        .set_hash(hash)
        .unwrap();
}

#[wasm_bindgen_test]
async fn a_link_that_would_freeze_the_page_asks_before_it_runs() {
    let heavy =
        codec::from_json(r#"{"v":1,"tasks":[{"label":"busy","kind":"blocking","ms":4000}]}"#)
            .unwrap();
    set_hash(&codec::to_fragment(&heavy, true));
    let root = mount(AppProps {
        read_link: true,
        ..AppProps::default()
    });
    settle().await;
    let question = one(&root, ".autorun-confirm").text_content().unwrap();
    assert!(
        question.contains("freeze this page for 4.0 s"),
        "{question}"
    );
    assert_eq!(count(&root, ".timeline"), 0, "nothing ran");
    click(&root, "#autorun-no");
    settle().await;
    assert_eq!(count(&root, ".autorun-confirm"), 0);
    assert_eq!(count(&root, ".timeline"), 0);

    // A light one runs at once, as before.
    let light = codec::from_json(r#"{"v":1,"tasks":[{"label":"quick","ms":10}]}"#).unwrap();
    set_hash(&codec::to_fragment(&light, true));
    let root = mount(AppProps {
        read_link: true,
        ..AppProps::default()
    });
    settle().await;
    assert_eq!(count(&root, ".autorun-confirm"), 0);
    until("the light run ran", 3_000, || {
        count(&root, ".timeline") == 1
    })
    .await;
    set_hash("");
}
