//! Browser tests: the mounted app, driven through its DOM as a user would.

#![cfg(target_arch = "wasm32")]

use async_playground::ui::App;
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlButtonElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn mount() -> Element {
    // No worker files are served here: the tools answer in the page.
    async_playground::runtime::workers::tools_host::answer_in_page(
        async_playground::domain::formats::tools::answer,
    );
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    root
}

/// Lets Yew's scheduler render.
async fn settle() {
    TimeoutFuture::new(20).await;
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
}

fn type_into(input: &Element, text: &str) {
    let input: HtmlInputElement = input.clone().dyn_into().unwrap();
    input.set_value(text);
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    let event = web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&event).unwrap();
}

fn button(root: &Element, selector: &str) -> HtmlButtonElement {
    one(root, selector).dyn_into().unwrap()
}

/// Whether a run button is off: aria-disabled (it keeps focus, ignores clicks).
fn off(root: &Element, selector: &str) -> bool {
    one(root, selector)
        .get_attribute("aria-disabled")
        .as_deref()
        == Some("true")
}

/// Chooses an option of a `<select>` as a user would.
fn choose(select: &Element, value: &str) {
    let select: web_sys::HtmlSelectElement = select.clone().dyn_into().unwrap();
    select.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("change", &init).unwrap();
    select.dispatch_event(&event).unwrap();
}

/// Picks a run mode and clicks Run.
async fn run_mode(root: &Element, slug: &str) {
    choose(&one(root, "#mode-select"), slug);
    settle().await;
    button(root, "#run").click();
}

async fn wait_for(root: &Element, selector: &str, limit_ms: u32) {
    let mut waited_ms = 0;
    while root.query_selector(selector).unwrap().is_none() && waited_ms < limit_ms {
        TimeoutFuture::new(20).await;
        waited_ms += 20;
    }
    assert!(
        root.query_selector(selector).unwrap().is_some(),
        "{selector} did not appear within {limit_ms} ms"
    );
}

#[wasm_bindgen_test]
async fn shows_the_default_scenario() {
    let root = mount();
    settle().await;
    let rows = all(&root, ".task-row");
    assert_eq!(rows.len(), 5);
    let first: HtmlInputElement = one(&root, ".task-label").dyn_into().unwrap();
    assert_eq!(first.value(), "fetch data 1");
    assert!(!off(&root, "#run-compare"));
    assert!(off(&root, "#run-stop"));
}

#[wasm_bindgen_test]
async fn bad_input_gets_an_inline_message_and_blocks_running() {
    let root = mount();
    settle().await;
    type_into(&all(&root, ".task-duration")[1], "abc");
    type_into(&all(&root, ".task-label")[2], "   ");
    settle().await;
    let errors: Vec<String> = all(&root, ".row-errors .error")
        .iter()
        .map(|e| e.text_content().unwrap_or_default())
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].contains("“abc” is not a number"), "{errors:?}");
    assert!(errors[1].contains("Give the task a name"), "{errors:?}");
    assert!(off(&root, "#run-compare"));
    // The user's text is kept as typed.
    let d: HtmlInputElement = all(&root, ".task-duration")[1].clone().dyn_into().unwrap();
    assert_eq!(d.value(), "abc");
    // Fixing it clears the message and enables running again.
    type_into(&all(&root, ".task-duration")[1], "250");
    type_into(&all(&root, ".task-label")[2], "fetch data 3");
    settle().await;
    assert!(all(&root, ".row-errors").is_empty());
    assert!(!off(&root, "#run-compare"));
}

#[wasm_bindgen_test]
async fn removing_every_task_says_to_add_one() {
    let root = mount();
    settle().await;
    for _ in 0..5 {
        button(&root, ".icon-btn.remove").click();
        settle().await;
    }
    assert!(all(&root, ".task-row").is_empty());
    assert!(root
        .text_content()
        .unwrap()
        .contains("Add at least one task to run."));
    assert!(off(&root, "#run-compare"));
    button(&root, "#add-task").click();
    settle().await;
    assert_eq!(all(&root, ".task-row").len(), 1);
}

#[wasm_bindgen_test]
async fn compare_draws_both_timelines_and_reports_a_speedup() {
    let root = mount();
    settle().await;
    // ×20: the default 2050 ms sequential run takes about 103 ms.
    type_into(&one(&root, "#speed-input"), "20");
    settle().await;
    button(&root, "#run-compare").click();
    settle().await;
    assert!(off(&root, "#run-compare"), "no re-entry");
    assert!(!off(&root, "#run-stop"));
    wait_for(&root, "#speedup", 3_000).await;
    let value = one(&root, ".speedup-value")
        .get_attribute("data-speedup")
        .unwrap();
    let speedup: f64 = value.parse().unwrap();
    // Predicted 2050 / 600 ≈ 3.4; timer lateness only moves it a little.
    assert!(speedup > 1.5 && speedup < 5.0, "speedup {speedup}");
    assert_eq!(all(&root, "#live .timeline-stack").len(), 2);
    assert_eq!(all(&root, "#live canvas.layer-bars").len(), 2);
    assert_eq!(all(&root, "#live .timeline[data-status=finished]").len(), 2);
    // The two runs are also compared in a table (their timelines are there
    // too, behind a disclosure, since the live ones show them already).
    // The table comes from the tools worker (here: the page).
    wait_for(&root, ".compare-table tbody tr", 3_000).await;
    assert_eq!(all(&root, ".compare-table tbody tr").len(), 2);
    assert!(!off(&root, "#run-compare"));
}

#[wasm_bindgen_test]
async fn stop_ends_the_run_and_nothing_lands_afterwards() {
    let root = mount();
    settle().await;
    run_mode(&root, "sequential").await;
    TimeoutFuture::new(100).await;
    button(&root, "#run-stop").click();
    settle().await;
    assert_eq!(all(&root, ".timeline[data-status=stopped]").len(), 1);
    let before = one(&root, ".timeline-sequential").outer_html();
    // The sequential run would take 2050 ms; nothing may change after Stop.
    TimeoutFuture::new(600).await;
    assert_eq!(one(&root, ".timeline-sequential").outer_html(), before);
    assert!(!off(&root, "#run-compare"));
}

#[wasm_bindgen_test]
async fn task_timings_table_opens_with_one_row_per_task() {
    let root = mount();
    settle().await;
    type_into(&one(&root, "#speed-input"), "50");
    settle().await;
    run_mode(&root, "gathered").await;
    wait_for(&root, ".timeline[data-status=finished]", 3_000).await;
    assert!(
        all(&root, ".task-table tbody tr").is_empty(),
        "built only when open"
    );
    let summary: web_sys::HtmlElement = one(&root, ".task-table summary").dyn_into().unwrap();
    summary.click();
    TimeoutFuture::new(50).await;
    let rows = all(&root, ".task-table tbody tr");
    assert_eq!(rows.len(), 5);
    for row in rows {
        let predicted: f64 = row
            .get_attribute("data-predicted-end-ms")
            .unwrap()
            .parse()
            .unwrap();
        let measured: f64 = row
            .get_attribute("data-measured-end-ms")
            .unwrap()
            .parse()
            .unwrap();
        assert!(measured >= predicted, "{measured} < {predicted}");
    }
}

#[wasm_bindgen_test]
async fn a_failing_task_in_a_task_group_cancels_the_others_and_bars_say_so() {
    let root = mount();
    settle().await;
    type_into(&one(&root, "#speed-input"), "10");
    // Task 2 (250 ms) fails: at 25 ms the group cancels the rest.
    choose(&all(&root, ".task-kind")[1], "fail");
    settle().await;
    run_mode(&root, "taskgroup").await;
    wait_for(&root, ".timeline-taskgroup[data-status=finished]", 3_000).await;
    let summary: web_sys::HtmlElement = one(&root, ".timeline-taskgroup .task-table summary")
        .dyn_into()
        .unwrap();
    summary.click();
    TimeoutFuture::new(50).await;
    let outcomes: Vec<String> = all(&root, ".timeline-taskgroup .task-table tbody tr")
        .iter()
        .map(|r| r.get_attribute("data-measured-outcome").unwrap_or_default())
        .collect();
    assert_eq!(
        outcomes,
        vec!["cancelled", "failed", "cancelled", "cancelled", "cancelled"]
    );
    let predicted: Vec<String> = all(&root, ".timeline-taskgroup .task-table tbody tr")
        .iter()
        .map(|r| {
            r.get_attribute("data-predicted-outcome")
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(outcomes, predicted, "the model agrees");
    assert!(one(&root, ".result-row.mode-taskgroup .caller")
        .text_content()
        .unwrap()
        .contains("raised"));
}

#[wasm_bindgen_test]
async fn a_preset_loads_its_tasks_and_explains_them_until_replaced() {
    let root = mount();
    settle().await;
    choose(&one(&root, "#preset-select"), "two-tasks");
    settle().await;
    assert_eq!(all(&root, ".task-row").len(), 2);
    // The explanation comes from the tools worker (here: the page).
    wait_for(&root, ".preset-explain", 5_000).await;
    let title = one(&root, ".preset-explain h3").text_content().unwrap();
    assert!(title.contains("task1"), "{title}");
    assert!(one(&root, ".preset-explain")
        .get_attribute("data-claims")
        .unwrap()
        .contains("\"total_ms\":750"));
    button(&root, "#reset-tasks").click();
    settle().await;
    assert!(all(&root, ".preset-explain").is_empty());
    let select: web_sys::HtmlSelectElement = one(&root, "#preset-select").dyn_into().unwrap();
    // The select is reset by an effect after the render: give it a moment
    // (other playgrounds of earlier tests are still mounted on this page).
    for _ in 0..50 {
        if select.value().is_empty() {
            break;
        }
        TimeoutFuture::new(20).await;
    }
    assert_eq!(select.value(), "");
}

#[wasm_bindgen_test]
async fn the_code_panel_opens_on_demand_follows_edits_and_reports_problems() {
    let root = mount();
    settle().await;
    assert!(
        all(&root, "pre.code").is_empty(),
        "no code built while closed"
    );
    // The code view comes one task after the editor (ui::use_settled).
    wait_for(&root, ".code-view > summary", 1_000).await;
    let summary: web_sys::HtmlElement = one(&root, ".code-view > summary").dyn_into().unwrap();
    summary.click();
    wait_for(&root, "pre.code", 1_000).await;
    let code = one(&root, "pre.code").text_content().unwrap();
    assert!(code.contains("asyncio.gather"), "{code}");
    choose(&one(&root, "#mode-select"), "sequential");
    settle().await;
    let code = one(&root, "pre.code").text_content().unwrap();
    assert!(!code.contains("asyncio.gather"), "{code}");
    type_into(&all(&root, ".task-duration")[0], "-5");
    settle().await;
    assert!(all(&root, "pre.code").is_empty());
    assert!(one(&root, ".code-invalid")
        .text_content()
        .unwrap()
        .contains("Fix the 1 problem"));
}

#[wasm_bindgen_test]
async fn export_offers_finished_runs_only() {
    let root = mount();
    settle().await;
    assert!(all(&root, "#download-trace").is_empty());
    type_into(&one(&root, "#speed-input"), "20");
    settle().await;
    run_mode(&root, "gathered").await;
    settle().await;
    assert!(
        all(&root, "#download-trace").is_empty(),
        "nothing to export while running"
    );
    wait_for(&root, "#download-trace", 3_000).await;
    let options = all(&root, "#export-run option");
    assert_eq!(options.len(), 1);
    assert!(options[0].text_content().unwrap().contains("Gathered"));
}

#[wasm_bindgen_test]
async fn threads_and_the_semaphore_limit_are_checked_like_task_fields() {
    let root = mount();
    settle().await;
    for text in ["-5", "1000"] {
        type_into(&one(&root, "#opt-pool"), text);
        settle().await;
        let message = one(&root, "#opt-pool-error").text_content().unwrap();
        assert!(
            message.contains("Threads: use a whole number from 1 to 32."),
            "{message}"
        );
        assert!(one(&root, "#opt-pool-error")
            .get_attribute("class")
            .unwrap_or_default()
            .contains("option-error"));
        let input: HtmlInputElement = one(&root, "#opt-pool").dyn_into().unwrap();
        assert_eq!(input.value(), text, "kept as typed");
        assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
        assert_eq!(
            input.get_attribute("aria-describedby").as_deref(),
            Some("opt-pool-error")
        );
        assert!(off(&root, "#run") && off(&root, "#run-all"), "{text}");
    }
    type_into(&one(&root, "#opt-pool"), "4");
    settle().await;
    assert!(all(&root, "#opt-pool-error").is_empty());
    assert!(!off(&root, "#run"));

    choose(&one(&root, "#mode-select"), "semaphore");
    settle().await;
    for text in ["-5", "100000"] {
        type_into(&one(&root, "#opt-limit"), text);
        settle().await;
        let message = one(&root, "#opt-limit-error").text_content().unwrap();
        assert!(
            message.contains("Semaphore limit: use a whole number from 1 to 10000."),
            "{message}"
        );
        assert!(off(&root, "#run") && off(&root, "#run-all"), "{text}");
        assert!(off(&root, "#run-compare"));
    }
    // Another mode still shows the bad limit: Compare all would run it.
    choose(&one(&root, "#mode-select"), "gathered");
    settle().await;
    assert!(!all(&root, "#opt-limit-error").is_empty());
    assert!(off(&root, "#run"));
    type_into(&one(&root, "#opt-limit"), "2");
    settle().await;
    assert!(all(&root, "#opt-limit-error").is_empty());
    assert!(
        all(&root, "#opt-limit").is_empty(),
        "hidden again outside Semaphore"
    );
    assert!(!off(&root, "#run"));
}

#[wasm_bindgen_test]
async fn blocking_work_over_the_budget_is_explained_and_not_run() {
    let root = mount();
    settle().await;
    choose(&all(&root, ".task-kind")[0], "blocking");
    type_into(&all(&root, ".task-duration")[0], "60000");
    type_into(&one(&root, "#speed-input"), "0.1");
    settle().await;
    let message = one(&root, ".run-error").text_content().unwrap();
    assert!(message.contains("600 s"), "{message}");
    assert!(message.contains("at most 10 s per run"), "{message}");
    assert!(off(&root, "#run"));
    assert!(off(&root, "#run-all"));
    // The scenario is kept; a faster speed makes it runnable.
    type_into(&one(&root, "#speed-input"), "10");
    settle().await;
    assert!(all(&root, ".run-error").is_empty());
    assert!(!off(&root, "#run"));
}

mod probe {
    //! A component holding a store and `use_callbacks`, as the app does.
    use std::cell::RefCell;
    use std::rc::Rc;

    use async_playground::domain::state::AppState;
    use async_playground::ui::store::Store;
    use async_playground::ui::use_callbacks::{use_callbacks, AppCallbacks};
    use yew::prelude::*;

    thread_local! {
        /// Each render's callbacks, and the task count it showed.
        pub static RENDERS: RefCell<Vec<(Rc<AppCallbacks>, usize)>> = RefCell::default();
    }

    #[component(Probe)]
    pub fn probe() -> Html {
        let store = use_reducer(|| Store(AppState::default()));
        let on = use_callbacks(&store);
        RENDERS.with(|r| r.borrow_mut().push((on, store.0.drafts.len())));
        html! {}
    }
}

#[wasm_bindgen_test]
async fn the_apps_callbacks_stay_the_same_across_renders_and_read_the_newest_state() {
    use async_playground::domain::formats::codec;
    use async_playground::domain::scenario::TaskId;
    use async_playground::ui::components::task_editor::ScenarioEdit;
    use async_playground::ui::components::task_row::TaskEdit;
    use std::rc::Rc;

    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<probe::Probe>::with_root(root).render();
    settle().await;
    let first = probe::RENDERS.with(|r| r.borrow()[0].0.clone());
    for _ in 0..3 {
        first.edit_scenario.emit(ScenarioEdit::AddTask);
        settle().await;
    }
    first.edit_task.emit((TaskId(1), TaskEdit::Remove));
    settle().await;
    let renders = probe::RENDERS.with(|r| r.borrow().clone());
    assert!(renders.len() >= 3, "{} renders", renders.len());
    assert!(
        renders.iter().all(|(on, _)| Rc::ptr_eq(on, &first)),
        "a render made new callbacks: props holding them would never compare equal"
    );
    assert_eq!(renders.last().unwrap().1, 7, "5 tasks, 3 added, 1 removed");
    // Built when asked, from the state as it is then.
    let fragment = first.scenario_fragment.emit(());
    let link = codec::from_fragment(&fragment).unwrap().unwrap();
    assert_eq!(link.doc.drafts.len(), 7);
    assert!(
        link.doc.drafts.iter().all(|d| d.label != "fetch data 1"),
        "the removed task is gone"
    );
}

#[wasm_bindgen_test]
async fn made_tasks_are_paged_and_problems_on_other_pages_are_counted() {
    let root = mount();
    settle().await;
    // The generator reads its fields when sent, not as they are typed.
    type_into(&one(&root, "#gen-count"), "many");
    button(&root, "#gen-make").click();
    settle().await;
    assert_eq!(
        all(&root, ".generator .error").len(),
        1,
        "a count that is not a number"
    );
    assert_eq!(all(&root, ".task-row").len(), 5, "the tasks are kept");
    type_into(&one(&root, "#gen-count"), "60");
    type_into(&one(&root, "#gen-duration"), "10");
    button(&root, "#gen-make").click();
    settle().await;
    assert!(all(&root, ".generator .error").is_empty());
    assert_eq!(all(&root, ".task-row").len(), 25);
    let info = || one(&root, ".page-info").text_content().unwrap();
    assert_eq!(info(), "Tasks 1–25 of 60");

    // A problem on this page shows on its row; none elsewhere yet.
    type_into(&all(&root, ".task-duration")[2], "soon");
    settle().await;
    assert_eq!(all(&root, ".row-errors").len(), 1);
    let hidden = |root: &Element| {
        all(root, ".task-editor > p.error")
            .iter()
            .map(|e| e.text_content().unwrap_or_default())
            .find(|t| t.contains("other pages"))
    };
    assert_eq!(hidden(&root), None);

    // On the next page, that task is counted, and this page's own show.
    button(&root, "#page-next").click();
    settle().await;
    assert_eq!(info(), "Tasks 26–50 of 60");
    assert!(all(&root, ".row-errors").is_empty());
    assert_eq!(
        hidden(&root).as_deref(),
        Some("1 task(s) on other pages have problems.")
    );
    type_into(&all(&root, ".task-duration")[0], "-1");
    type_into(&all(&root, ".task-label")[1], " ");
    settle().await;
    let rows = all(&root, ".task-row");
    assert!(rows[0].class_name().contains("has-error"));
    assert!(rows[1].class_name().contains("has-error"));
    assert_eq!(all(&root, ".row-errors").len(), 2);
    assert_eq!(
        hidden(&root).as_deref(),
        Some("1 task(s) on other pages have problems.")
    );
}
