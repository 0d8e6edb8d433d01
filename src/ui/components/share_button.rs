//! Share: copies a link that reproduces the scenario (the whole scenario is
//! in the URL fragment) and opens a panel with what an author pastes into
//! a tutorial instead: a Markdown fenced block, an `<async-playground>`
//! element or a self-sizing iframe (`domain::formats::snippets`), with the
//! embed's options (modes offered, minimal controls, the editor). Where the
//! clipboard is missing or denied, the text is selected to copy by hand. In
//! an embed, Share is a link out to the full playground instead.

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::domain::formats::embed_options::EditorView;
use crate::domain::formats::snippets::Snippet;
use crate::domain::formats::tools::{snippet_request, Op};
use crate::domain::scenario::RunMode;
use crate::runtime::clipboard;
use crate::runtime::workers::tools_host;

#[derive(Properties, PartialEq)]
pub struct ShareButtonProps {
    /// The URL fragment that opens the editor's scenario as it is now.
    pub scenario_fragment: Callback<(), String>,
    /// The full app's address (no query, no fragment).
    pub app_url: AttrValue,
    /// The selected mode (the embed's "Sequential and …" choice).
    #[prop_or(RunMode::Sequential)]
    pub mode: RunMode,
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

/// The link is built when clicked, not when drawn: a 10,000-task scenario
/// makes a long fragment.
fn link(scenario_fragment: &Callback<(), String>, app_url: &str) -> String {
    format!("{app_url}#{}", scenario_fragment.emit(()))
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
    // out of the app's wasm); only the newest job's answer is shown. The
    // scenario is read when the panel opens, a choice changes, or Copy is
    // pressed (Copy always writes it afresh, so an edit made meanwhile is in).
    let written = use_state(|| None::<String>);
    let job = use_mut_ref(|| 0u32);
    let request_for = {
        let (fragment, app_url, mode) = (
            props.scenario_fragment.clone(),
            props.app_url.clone(),
            props.mode,
        );
        move |choice: Choice| {
            snippet_request(
                choice.snippet.slug(),
                &app_url,
                &choice.query(mode),
                &fragment.emit(()),
            )
        }
    };
    {
        let (written, job, request_for) = (written.clone(), job.clone(), request_for.clone());
        let key = (*open && choice.snippet != Snippet::Link).then_some((*choice, props.mode));
        use_effect_with(key, move |key| {
            *job.borrow_mut() += 1;
            written.set(None);
            if let Some((choice, _)) = *key {
                let this_job = *job.borrow();
                let payload = request_for(choice);
                wasm_bindgen_futures::spawn_local(async move {
                    let reply = tools_host::call(Op::Snippet, payload).await;
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
        let (fragment, app_url) = (props.scenario_fragment.clone(), props.app_url.clone());
        let onclick = Callback::from(move |e: MouseEvent| {
            let anchor: web_sys::HtmlAnchorElement = e.target_unchecked_into();
            anchor.set_href(&link(&fragment, &app_url));
        });
        return html! {
            <a class="open-full" href={props.app_url.clone()} target="_blank" rel="noopener" {onclick}>
                { "Open in the full playground ↗" }
            </a>
        };
    }
    let mode = props.mode;
    let app_url = props.app_url.clone();
    let fragment = props.scenario_fragment.clone();
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
        (true, Snippet::Link) => link(&fragment, &app_url),
        (true, _) => (*written).clone().unwrap_or_else(|| "Writing…".to_string()),
    };
    // Share copies the link at once (the common case) and opens the panel.
    let on_share = {
        let (open, choice, copy) = (open.clone(), choice.clone(), copy.clone());
        let (fragment, app_url) = (fragment.clone(), app_url.clone());
        Callback::from(move |_: MouseEvent| {
            // Read before setting: a state handle reads the newest value.
            let was_open = *open;
            open.set(!was_open);
            if !was_open {
                tools_host::warm();
                choice.set(Choice {
                    snippet: Snippet::Link,
                    ..*choice
                });
                copy(link(&fragment, &app_url));
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
    // Copy writes the text afresh: the scenario may have changed since.
    let copy_current = {
        let (written, job) = (written.clone(), job.clone());
        move || {
            if current.snippet == Snippet::Link {
                copy(link(&fragment, &app_url));
                return;
            }
            let payload = request_for(current);
            let (written, job, copy) = (written.clone(), job.clone(), copy.clone());
            wasm_bindgen_futures::spawn_local(async move {
                *job.borrow_mut() += 1;
                match tools_host::call(Op::Snippet, payload).await {
                    Ok(text) => {
                        written.set(Some(text.clone()));
                        copy(text);
                    }
                    Err(why) => written.set(Some(format!("It could not be written: {why}."))),
                }
            });
        }
    };
    let onclick = {
        let (open, button) = (open.clone(), button.clone());
        Callback::from(move |e: MouseEvent| {
            let target: web_sys::Element = e.target_unchecked_into();
            match target
                .closest("button")
                .ok()
                .flatten()
                .map(|b| b.id())
                .as_deref()
            {
                Some("share-copy") => copy_current(),
                // The close button goes with the panel: focus back to Share.
                Some("share-close") => {
                    open.set(false);
                    if let Some(b) = button.cast::<web_sys::HtmlElement>() {
                        let _ = b.focus();
                    }
                }
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
