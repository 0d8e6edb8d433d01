//! Share: copies a link that reproduces the scenario (the whole scenario is
//! in the URL fragment). Where the clipboard is missing or denied, the link
//! is shown selected in a read-only field to copy by hand. In an embed the
//! same link opens the scenario in the full playground instead.

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::domain::formats::codec;
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
    /// The clipboard was not available: copy this by hand.
    Manual(String),
}

/// The link is built on demand, not every render: a 10,000-task scenario
/// makes a long fragment, and renders come every animation frame in a run.
fn link(store: &UseReducerHandle<Store>, app_url: &str) -> String {
    format!(
        "{app_url}#{}",
        codec::to_fragment(&store.0.scenario_doc(), false)
    )
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
        let (store, app_url) = (props.store.clone(), props.app_url.clone());
        let onclick = Callback::from(move |e: MouseEvent| {
            let anchor: web_sys::HtmlAnchorElement = e.target_unchecked_into();
            anchor.set_href(&link(&store, &app_url));
        });
        return html! {
            <a class="open-full" href={props.app_url.clone()} target="_blank" rel="noopener" {onclick}>
                { "Open in the full playground ↗" }
            </a>
        };
    }
    let onclick = {
        let (store, app_url, status) = (props.store.clone(), props.app_url.clone(), status.clone());
        let reset_timer = reset_timer.clone();
        Callback::from(move |_: MouseEvent| {
            let url = link(&store, &app_url);
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
