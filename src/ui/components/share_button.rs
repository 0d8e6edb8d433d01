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

/// What Share links to.
pub struct ShareButtonProps {
    /// The URL fragment that opens the editor's scenario as it is now.
    pub scenario_fragment: Callback<(), String>,
    /// The full app's address (no query, no fragment).
    pub app_url: AttrValue,
    /// The selected mode (the embed's "Sequential and …" choice).
    pub mode: RunMode,
    /// In an embed: a link out to the full playground, not a copy button.
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
        let mut query = match self.modes {
            "pair" => format!("modes=sequential+{}", pair_of(mode).slug()),
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

/// The panel's tabs, as the panel opens (on the link). Static markup, kept
/// as text: as a Yew view it would be code in the wasm. Once drawn, the
/// radio buttons hold the choice; the markup is not drawn again while the
/// panel is open, so the focus stays where the keyboard put it. Radio
/// buttons: arrow keys move between them natively.
const TABS: &str = "<div class=\"tabs\" role=\"radiogroup\" aria-label=\"What to copy\">\
    <label class=\"tab\"><input type=\"radio\" name=\"format\" id=\"share-tab-link\" value=\"link\" checked>Link</label>\
    <label class=\"tab\"><input type=\"radio\" name=\"format\" id=\"share-tab-markdown\" value=\"markdown\">Markdown</label>\
    <label class=\"tab\"><input type=\"radio\" name=\"format\" id=\"share-tab-element\" value=\"element\">HTML element</label>\
    <label class=\"tab\"><input type=\"radio\" name=\"format\" id=\"share-tab-iframe\" value=\"iframe\">iframe</label>\
    <button type=\"button\" class=\"icon-btn\" id=\"share-close\" aria-label=\"Close\">×</button></div>";

/// The embed's options as markup, showing `choice` (drawn when they
/// appear or the mode changes; the controls hold the choice after that).
fn options_html(choice: Choice, mode: RunMode) -> String {
    let on = |yes: bool, what: &'static str| if yes { what } else { "" };
    let selected = |yes: bool| on(yes, " selected");
    let editors: String = [EditorView::Closed, EditorView::Open, EditorView::Hidden]
        .into_iter()
        .map(|v| {
            format!(
                "<option value=\"{0}\"{1}>{0}</option>",
                v.slug(),
                selected(choice.editor == v)
            )
        })
        .collect();
    format!(
        "<div class=\"share-options\"><label>Modes <select name=\"modes\" id=\"share-modes\">\
         <option value=\"all\"{}>All</option>\
         <option value=\"pair\"{}>Sequential and {}</option>\
         <option value=\"only\"{}>Only {}</option></select></label>\
         <label><input type=\"checkbox\" name=\"minimal\" id=\"share-minimal\"{}> Minimal controls</label>\
         <label>Editor <select name=\"editor\" id=\"share-editor\">{editors}</select></label></div>",
        selected(choice.modes == "all"),
        selected(choice.modes == "pair"),
        pair_of(mode).label(),
        selected(choice.modes == "only"),
        mode.label(),
        on(choice.minimal, " checked"),
    )
}

/// The mode shown beside sequential in "Sequential and …".
fn pair_of(mode: RunMode) -> RunMode {
    if mode == RunMode::Sequential {
        RunMode::Gather
    } else {
        mode
    }
}

/// Gives the focus back to Share.
fn focus(button: &NodeRef) {
    if let Some(b) = button.cast::<web_sys::HtmlElement>() {
        let _ = b.focus();
    }
}

/// Share, drawn: a hook, not a component (a component is several KB of
/// wasm). Its state lives in the caller, which draws it where it likes.
#[hook]
pub fn use_share_button(props: &ShareButtonProps) -> Html {
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
    let current = *choice;
    let mode = props.mode;
    let options = use_memo((current.snippet != Snippet::Link, mode), move |_| {
        AttrValue::from(options_html(current, mode))
    });
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
    // Writes `choice`'s snippet in the tools worker and shows it (and
    // copies it, for Copy) if no newer job was asked for meanwhile.
    let write = {
        let (written, job, copy) = (written.clone(), job.clone(), copy.clone());
        let (fragment, app_url) = (props.scenario_fragment.clone(), props.app_url.clone());
        move |choice: Choice, then_copy: bool| {
            *job.borrow_mut() += 1;
            let this_job = *job.borrow();
            let payload = snippet_request(
                choice.snippet.slug(),
                &app_url,
                &choice.query(mode),
                &fragment.emit(()),
            );
            let (written, job, copy) = (written.clone(), job.clone(), copy.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let reply = tools_host::call(Op::Snippet, payload).await;
                if *job.borrow() != this_job {
                    return;
                }
                match reply {
                    Ok(text) if then_copy => {
                        written.set(Some(text.clone()));
                        copy(text);
                    }
                    Ok(text) => written.set(Some(text)),
                    Err(why) => written.set(Some(format!("It could not be written: {why}."))),
                }
            });
        }
    };
    {
        let (written, job, write) = (written.clone(), job.clone(), write.clone());
        let key = (*open && current.snippet != Snippet::Link).then_some((current, mode));
        use_effect_with(key, move |key| {
            written.set(None);
            match *key {
                Some((choice, _)) => write(choice, false),
                None => *job.borrow_mut() += 1,
            }
        });
    }
    let (fragment, app_url) = (props.scenario_fragment.clone(), props.app_url.clone());
    // The link as the panel opened on it: the caller draws again every
    // frame of a run, and a 10,000-task scenario makes a long link.
    let link_text = {
        let (fragment, app_url) = (fragment.clone(), app_url.clone());
        let showing = *open && current.snippet == Snippet::Link;
        use_memo((showing, mode), move |_| {
            if showing {
                link(&fragment, &app_url)
            } else {
                String::new()
            }
        })
    };
    if props.embed {
        // Filled in at click time: the default action follows the handler.
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
    let text = match (*open, current.snippet) {
        (false, _) => String::new(),
        (true, Snippet::Link) => (*link_text).clone(),
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
                // Copy writes the text afresh: the scenario may have changed since.
                Some("share-copy") if current.snippet == Snippet::Link => {
                    copy(link(&fragment, &app_url))
                }
                Some("share-copy") => write(current, true),
                // The close button goes with the panel: focus back to Share.
                Some("share-close") => {
                    open.set(false);
                    focus(&button);
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
                focus(&button);
            }
        })
    };
    let snippet = current.snippet;
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
                    { Html::from_html_unchecked(AttrValue::Static(TABS)) }
                    if snippet != Snippet::Link { { Html::from_html_unchecked((*options).clone()) } }
                    <textarea id="share-text" class="share-text" readonly=true ref={field}
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
