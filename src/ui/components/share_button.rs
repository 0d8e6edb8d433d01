//! Share: copies a link that reproduces the scenario (the whole scenario is
//! in the URL fragment) and opens a panel with what an author pastes into
//! a tutorial instead: a Markdown fenced block, an `<async-playground>`
//! element or a self-sizing iframe (`domain::formats::snippets`), with the
//! embed's options (modes offered, minimal controls, the editor). Where the
//! clipboard is missing or denied, the text is selected to copy by hand. In
//! an embed, Share is a link out to the full playground instead.

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::domain::formats::codec;
use crate::domain::formats::embed_options::EditorView;
use crate::domain::formats::snippets::Snippet;
use crate::domain::formats::tools::{snippet_request, Op};
use crate::domain::scenario::RunMode;
use crate::runtime::{clipboard, tools};
use crate::ui::store::Store;

#[derive(Properties, PartialEq)]
pub struct ShareButtonProps {
    pub store: UseReducerHandle<Store>,
    /// The full app's address (no query, no fragment).
    pub app_url: AttrValue,
    /// In an embed: a link out to the full playground, not a copy button.
    #[prop_or_default]
    pub embed: bool,
}

#[derive(Clone, PartialEq)]
enum Status {
    Idle,
    Copied,
    /// The clipboard was not available: the text is selected.
    Manual,
}

/// The panel's choices: what to copy and the embed's options.
#[derive(Clone, Copy, PartialEq)]
struct Choice {
    snippet: Snippet,
    /// "all", "pair" (sequential and the selected mode) or "only".
    modes: &'static str,
    minimal: bool,
    editor: EditorView,
}

impl Choice {
    /// The embed options as link parameters, for the tools worker.
    fn query(self, mode: RunMode) -> String {
        let pair = if mode == RunMode::Sequential {
            RunMode::Gather
        } else {
            mode
        };
        let mut query = match self.modes {
            "pair" => format!("modes=sequential+{}", pair.slug()),
            "only" => format!("modes={}", mode.slug()),
            _ => String::new(),
        };
        if self.minimal {
            query.push_str("&controls=minimal");
        }
        query.push_str("&editor=");
        query.push_str(self.editor.slug());
        query
    }
}

#[component(ShareButton)]
pub fn share_button(props: &ShareButtonProps) -> Html {
    let open = use_state(|| false);
    let choice = use_state(|| Choice {
        snippet: Snippet::Link,
        modes: "all",
        minimal: false,
        editor: EditorView::default(),
    });
    let status = use_state(|| Status::Idle);
    let field = use_node_ref();
    let button = use_node_ref();
    let reset_timer = use_mut_ref(|| None::<Timeout>);
    // The embed snippets are written by the tools worker (the writers stay
    // out of the app's wasm); only the newest job's answer is shown.
    let written = use_state(|| None::<String>);
    let job = use_mut_ref(|| 0u32);
    {
        // Keyed on the request itself: the same text asks nothing again.
        let request = (*open && choice.snippet != Snippet::Link).then(|| {
            let doc = props.store.0.scenario_doc();
            let query = choice.query(doc.mode);
            snippet_request(choice.snippet.slug(), &props.app_url, &query, &doc)
        });
        let written = written.clone();
        use_effect_with(request, move |request| {
            *job.borrow_mut() += 1;
            written.set(None);
            if let Some(payload) = request.clone() {
                let this_job = *job.borrow();
                wasm_bindgen_futures::spawn_local(async move {
                    let reply = tools::call(Op::Snippet, payload).await;
                    if *job.borrow() == this_job {
                        written.set(Some(
                            reply.unwrap_or_else(|why| format!("It could not be written: {why}.")),
                        ));
                    }
                });
            }
        });
    }
    if props.embed {
        // Filled in at click time: the default action follows the handler.
        let (store, app_url) = (props.store.clone(), props.app_url.clone());
        let onclick = Callback::from(move |e: MouseEvent| {
            let anchor: web_sys::HtmlAnchorElement = e.target_unchecked_into();
            let fragment = codec::to_fragment(&store.0.scenario_doc(), false);
            anchor.set_href(&format!("{app_url}#{fragment}"));
        });
        return html! {
            <a class="open-full" href={props.app_url.clone()} target="_blank" rel="noopener" {onclick}>
                { "Open in the full playground ↗" }
            </a>
        };
    }
    let mode = props.store.0.mode;
    // The link, built on demand: a 10,000-task scenario makes a long one,
    // and renders come every animation frame in a run.
    let (store, app_url) = (props.store.clone(), props.app_url.clone());
    let link = move || {
        format!(
            "{app_url}#{}",
            codec::to_fragment(&store.0.scenario_doc(), false)
        )
    };
    let copy = {
        let (status, field, reset_timer) = (status.clone(), field.clone(), reset_timer.clone());
        move |text: String| {
            let (status, field, reset_timer) = (status.clone(), field.clone(), reset_timer.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if clipboard::copy_text(&text).await.is_ok() {
                    status.set(Status::Copied);
                    let back = status.clone();
                    *reset_timer.borrow_mut() =
                        Some(Timeout::new(2_500, move || back.set(Status::Idle)));
                } else {
                    status.set(Status::Manual);
                    if let Some(area) = field.cast::<web_sys::HtmlTextAreaElement>() {
                        let _ = area.focus();
                        area.select();
                    }
                }
            });
        }
    };
    let current = *choice;
    let text = match (*open, current.snippet) {
        (false, _) => String::new(),
        (true, Snippet::Link) => link(),
        (true, _) => (*written).clone().unwrap_or_else(|| "Writing…".to_string()),
    };
    // Share copies the link at once (the common case) and opens the panel.
    let on_share = {
        let (open, choice, copy) = (open.clone(), choice.clone(), copy.clone());
        Callback::from(move |_: MouseEvent| {
            open.set(!*open);
            if !*open {
                tools::warm();
                choice.set(Choice {
                    snippet: Snippet::Link,
                    ..*choice
                });
                copy(link());
            }
        })
    };
    // The panel's controls, by name: one handler for all of them.
    let onchange = {
        let (choice, status) = (choice.clone(), status.clone());
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let (value, mut next) = (input.value(), *choice);
            match input.name().as_str() {
                "format" => {
                    next.snippet = Snippet::ALL
                        .into_iter()
                        .find(|s| s.slug() == value)
                        .unwrap_or(Snippet::Link)
                }
                "modes" => {
                    next.modes = ["all", "pair", "only"]
                        .into_iter()
                        .find(|m| *m == value)
                        .unwrap_or("all")
                }
                "minimal" => next.minimal = input.checked(),
                _ => next.editor = EditorView::from_slug(&value).unwrap_or_default(),
            }
            choice.set(next);
            status.set(Status::Idle);
        })
    };
    let onclick = {
        let (open, text) = (open.clone(), text.clone());
        Callback::from(move |e: MouseEvent| {
            let target: web_sys::Element = e.target_unchecked_into();
            match target
                .closest("button")
                .ok()
                .flatten()
                .map(|b| b.id())
                .as_deref()
            {
                Some("share-copy") => copy(text.clone()),
                Some("share-close") => open.set(false),
                _ => {}
            }
        })
    };
    // Escape closes the panel and gives the focus back to Share.
    let onkeydown = {
        let (open, button) = (open.clone(), button.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                open.set(false);
                if let Some(b) = button.cast::<web_sys::HtmlElement>() {
                    let _ = b.focus();
                }
            }
        })
    };
    let snippet = current.snippet;
    let pair = if mode == RunMode::Sequential {
        RunMode::Gather
    } else {
        mode
    };
    html! {
        <div class="share">
            <button class="btn" id="share" ref={button} aria-expanded={open.to_string()}
                title="Copy a link that opens exactly this scenario, or code to embed it" onclick={on_share}>
                { "Share" }
            </button>
            if *status == Status::Copied {
                <span class="share-status" role="status">{ if snippet == Snippet::Link { "Link copied" } else { "Copied" } }</span>
            }
            if *open {
                <form class="share-panel" aria-label="Share or embed this scenario" {onchange} {onclick} {onkeydown}>
                    // Radio buttons: arrow keys move between them natively.
                    <div class="tabs" role="radiogroup" aria-label="What to copy">
                        { for Snippet::ALL.iter().map(|&s| html! {
                            <label class="tab">
                                <input type="radio" name="format" id={format!("share-tab-{}", s.slug())}
                                    value={s.slug()} checked={s == snippet} />
                                { s.label() }
                            </label>
                        }) }
                        <button type="button" class="icon-btn" id="share-close" aria-label="Close">{ "×" }</button>
                    </div>
                    if snippet != Snippet::Link {
                        <div class="share-options">
                            <label>{ "Modes " }
                                <select name="modes" id="share-modes">
                                    <option value="all" selected={current.modes == "all"}>{ "All" }</option>
                                    <option value="pair" selected={current.modes == "pair"}>{ format!("Sequential and {}", pair.label()) }</option>
                                    <option value="only" selected={current.modes == "only"}>{ format!("Only {}", mode.label()) }</option>
                                </select>
                            </label>
                            <label><input type="checkbox" name="minimal" id="share-minimal" checked={current.minimal} />{ " Minimal controls" }</label>
                            <label>{ "Editor " }
                                <select name="editor" id="share-editor">
                                    { for [EditorView::Closed, EditorView::Open, EditorView::Hidden].into_iter().map(|v| html! {
                                        <option value={v.slug()} selected={current.editor == v}>{ v.slug() }</option>
                                    }) }
                                </select>
                            </label>
                        </div>
                    }
                    <textarea id="share-text" class="share-text" readonly=true ref={field.clone()}
                        rows={if snippet == Snippet::Link { "3" } else { "8" }}
                        aria-label={snippet.label()} value={text} />
                    <p class="hint">{ snippet.hint() }</p>
                    <button type="button" class="btn" id="share-copy">{ format!("Copy {}", snippet.label()) }</button>
                    if *status == Status::Manual {
                        <span class="share-status" role="status">{ "The clipboard is not available here: the text is selected, press Ctrl+C." }</span>
                    }
                </form>
            }
        </div>
    }
}
