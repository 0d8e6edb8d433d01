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
use crate::domain::formats::embed_options::{EditorView, EmbedOptions};
use crate::domain::formats::snippets::{self, Snippet};
use crate::domain::scenario::RunMode;
use crate::runtime::clipboard;
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

/// Which modes the embed offers, as the panel's choice names them.
fn modes_choice(options: &EmbedOptions) -> &'static str {
    match options.modes.len() {
        0 => "all",
        1 => "only",
        _ => "pair",
    }
}

#[component(ShareButton)]
pub fn share_button(props: &ShareButtonProps) -> Html {
    let open = use_state(|| false);
    let tab = use_state(|| Snippet::Link);
    let options = use_state(EmbedOptions::default);
    let status = use_state(|| Status::Idle);
    let field = use_node_ref();
    let tab_refs = [
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    ];
    let reset_timer = use_mut_ref(|| None::<Timeout>);
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
    // Written only while the panel is open: a 10,000-task scenario makes a
    // long text, and renders come every animation frame in a run.
    let write = {
        let (store, app_url) = (props.store.clone(), props.app_url.clone());
        move |snippet: Snippet, options: &EmbedOptions| {
            snippets::write(snippet, &store.0.scenario_doc(), options, &app_url)
        }
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
    // Share copies the link at once (the common case) and opens the panel.
    let on_share = {
        let (open, tab, write, copy) = (open.clone(), tab.clone(), write.clone(), copy.clone());
        Callback::from(move |_: MouseEvent| {
            if *open {
                open.set(false);
                return;
            }
            open.set(true);
            tab.set(Snippet::Link);
            copy(write(Snippet::Link, &EmbedOptions::default()));
        })
    };
    let text = if *open {
        let options = if *tab == Snippet::Link {
            EmbedOptions::default()
        } else {
            (*options).clone()
        };
        write(*tab, &options)
    } else {
        String::new()
    };
    let on_copy = {
        let (text, copy) = (text.clone(), copy.clone());
        Callback::from(move |_: MouseEvent| copy(text.clone()))
    };
    let choose = |to: Snippet| {
        let (tab, status) = (tab.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            tab.set(to);
            status.set(Status::Idle);
        })
    };
    // Arrow keys move along the tabs, Home/End jump to the ends (ARIA tabs).
    let on_tab_key = {
        let (tab, status, tab_refs) = (tab.clone(), status.clone(), tab_refs.clone());
        Callback::from(move |e: KeyboardEvent| {
            let at = Snippet::ALL.iter().position(|s| *s == *tab).unwrap_or(0);
            let count = Snippet::ALL.len();
            let to = match e.key().as_str() {
                "ArrowRight" | "ArrowDown" => (at + 1) % count,
                "ArrowLeft" | "ArrowUp" => (at + count - 1) % count,
                "Home" => 0,
                "End" => count - 1,
                _ => return,
            };
            e.prevent_default();
            tab.set(Snippet::ALL[to]);
            status.set(Status::Idle);
            if let Some(next) = tab_refs[to].cast::<web_sys::HtmlElement>() {
                let _ = next.focus();
            }
        })
    };
    let on_modes = {
        let options = options.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let mut next = (*options).clone();
            next.modes = match select.value().as_str() {
                "only" => vec![mode],
                "pair" if mode == RunMode::Sequential => vec![mode, RunMode::Gather],
                "pair" => vec![RunMode::Sequential, mode],
                _ => Vec::new(),
            };
            options.set(next);
        })
    };
    let on_minimal = {
        let options = options.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            options.set(EmbedOptions {
                minimal: input.checked(),
                ..(*options).clone()
            });
        })
    };
    let on_editor = {
        let options = options.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let editor = EditorView::from_slug(&select.value()).unwrap_or_default();
            options.set(EmbedOptions {
                editor,
                ..(*options).clone()
            });
        })
    };
    let close = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(false))
    };
    let current = *tab;
    let pair = if mode == RunMode::Sequential {
        format!("Sequential and {}", RunMode::Gather.label())
    } else {
        format!("Sequential and {}", mode.label())
    };
    html! {
        <div class="share">
            <button class="btn" id="share" aria-expanded={open.to_string()}
                title="Copy a link that opens exactly this scenario, or code to embed it" onclick={on_share}>
                { "Share" }
            </button>
            if *status == Status::Copied {
                <span class="share-status" role="status">{ if current == Snippet::Link { "Link copied" } else { "Copied" } }</span>
            }
            if *open {
                <div class="share-panel" role="group" aria-label="Share or embed this scenario">
                    <div class="tabs" role="tablist" aria-label="What to copy">
                        { for Snippet::ALL.iter().zip(&tab_refs).map(|(&s, tab_ref)| {
                            let selected = s == current;
                            html! {
                                <button type="button" role="tab" class="tab" id={format!("share-tab-{}", s.slug())} ref={tab_ref.clone()}
                                    aria-selected={selected.to_string()} aria-controls="share-tabpanel"
                                    tabindex={if selected { "0" } else { "-1" }}
                                    onclick={choose(s)} onkeydown={on_tab_key.clone()}>
                                    { s.label() }
                                </button>
                            }
                        }) }
                        <button class="icon-btn" aria-label="Close" onclick={close}>{ "×" }</button>
                    </div>
                    <div class="tab-panel" role="tabpanel" id="share-tabpanel"
                        aria-labelledby={format!("share-tab-{}", current.slug())}>
                        if current != Snippet::Link {
                            <div class="share-options">
                                <label>{ "Modes " }
                                    <select id="share-modes" onchange={on_modes}>
                                        <option value="all" selected={modes_choice(&options) == "all"}>{ "All" }</option>
                                        <option value="pair" selected={modes_choice(&options) == "pair"}>{ pair }</option>
                                        <option value="only" selected={modes_choice(&options) == "only"}>{ format!("Only {}", mode.label()) }</option>
                                    </select>
                                </label>
                                <label class="check">
                                    <input type="checkbox" id="share-minimal" checked={options.minimal} onchange={on_minimal} />
                                    { "Minimal controls" }
                                </label>
                                <label>{ "Editor " }
                                    <select id="share-editor" onchange={on_editor}>
                                        { for [EditorView::Closed, EditorView::Open, EditorView::Hidden].into_iter().map(|v| html! {
                                            <option value={v.slug()} selected={options.editor == v}>{ v.slug() }</option>
                                        }) }
                                    </select>
                                </label>
                            </div>
                        }
                        <textarea id="share-text" class="share-text" readonly=true ref={field.clone()}
                            rows={if current == Snippet::Link { "3" } else { "8" }}
                            aria-label={current.label()} value={text} />
                        <p class="hint">{ current.hint() }</p>
                        <button class="btn" id="share-copy" onclick={on_copy}>{ format!("Copy {}", current.label()) }</button>
                        if *status == Status::Manual {
                            <span class="share-status" role="status">{ "The clipboard is not available here: the text is selected, press Ctrl+C." }</span>
                        }
                    </div>
                </div>
            }
        </div>
    }
}
