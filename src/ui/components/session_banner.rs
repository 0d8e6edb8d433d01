//! The banner shown while a shared link's scenario is open: the user's own
//! autosaved scenario is kept aside until they edit, and one click brings
//! it back.

use yew::prelude::*;

use crate::ui::use_session::SessionHandle;

#[derive(Properties, PartialEq)]
pub struct SessionBannerProps {
    pub session: SessionHandle,
}

#[component(SessionBanner)]
pub fn session_banner(props: &SessionBannerProps) -> Html {
    let s = &props.session;
    if !s.shared {
        return html! {};
    }
    let restore = s.restore.reform(|_: MouseEvent| ());
    let dismiss = s.dismiss.reform(|_: MouseEvent| ());
    html! {
        <div class="shared-banner" role="status">
            <span>
                { "Opened a shared scenario. " }
                if s.can_restore {
                    { "Your own scenario is kept until you edit this one." }
                }
            </span>
            if s.can_restore {
                <button class="btn" id="restore-own" onclick={restore}>{ "Restore my own scenario" }</button>
            }
            <button class="icon-btn" aria-label="Dismiss" onclick={dismiss}>{ "×" }</button>
        </div>
    }
}
