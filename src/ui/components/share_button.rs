//! Share: copies a link that reproduces the scenario (the whole scenario is
//! in the URL fragment). Where the clipboard is missing or denied, the link
//! is shown selected in a read-only field to copy by hand. In an embed the
//! same link opens the scenario in the full playground instead.

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::runtime::clipboard;

#[derive(Properties, PartialEq)]
pub struct ShareButtonProps {
    /// The URL fragment that opens the editor's scenario as it is now.
    pub scenario_fragment: Callback<(), String>,
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
    /// The clipboard was not available: copy this by hand.
    Manual(String),
}

/// The link is built when clicked, not when drawn: a 10,000-task scenario
/// makes a long fragment.
fn link(scenario_fragment: &Callback<(), String>, app_url: &str) -> String {
    format!("{app_url}#{}", scenario_fragment.emit(()))
}

#[component(ShareButton)]
pub fn share_button(props: &ShareButtonProps) -> Html {
    let status = use_state(|| Status::Idle);
    let field = use_node_ref();
    let reset_timer = use_mut_ref(|| None::<Timeout>);
    {
        let field = field.clone();
        use_effect_with((*status).clone(), move |s| {
            if let (Status::Manual(_), Some(input)) = (s, field.cast::<web_sys::HtmlInputElement>())
            {
                let _ = input.focus();
                input.select();
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
    let onclick = {
        let (fragment, app_url, status) = (
            props.scenario_fragment.clone(),
            props.app_url.clone(),
            status.clone(),
        );
        let reset_timer = reset_timer.clone();
        Callback::from(move |_: MouseEvent| {
            let url = link(&fragment, &app_url);
            let (status, reset_timer) = (status.clone(), reset_timer.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if clipboard::copy_text(&url).await.is_ok() {
                    status.set(Status::Copied);
                    let back = status.clone();
                    *reset_timer.borrow_mut() =
                        Some(Timeout::new(2_500, move || back.set(Status::Idle)));
                } else {
                    status.set(Status::Manual(url));
                }
            });
        })
    };
    let close = {
        let status = status.clone();
        Callback::from(move |_: MouseEvent| status.set(Status::Idle))
    };
    html! {
        <div class="share">
            <button class="btn" id="share" title="Copy a link that opens exactly this scenario" {onclick}>
                { "Share" }
            </button>
            { match &*status {
                Status::Idle => html! {},
                Status::Copied => html! { <span class="share-status" role="status">{ "Link copied" }</span> },
                Status::Manual(url) => html! {
                    <div class="share-manual">
                        <label for="share-link">{ "Copy this link:" }</label>
                        <input id="share-link" type="text" readonly=true value={url.clone()} ref={field.clone()} />
                        <button class="icon-btn" aria-label="Close" onclick={close}>{ "×" }</button>
                    </div>
                },
            } }
        </div>
    }
}
