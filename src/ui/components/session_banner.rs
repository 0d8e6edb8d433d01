//! What the page header says about the session: a shared link's scenario
//! is open (the user's own is kept until they edit, one click brings it
//! back), and a saved state that could not be read was kept aside (with a
//! download button).

use yew::prelude::*;

use crate::ui::use_session::SessionHandle;

/// The banners `s` calls for, if any. A view function, not a component:
/// it keeps no state.
pub fn session_banner(s: &SessionHandle) -> Html {
    let click = |callback: &Callback<()>| callback.reform(|_: MouseEvent| ());
    let shared = s.view.shared.then(|| {
        html! {
            <div class="shared-banner" role="status">
                <span>
                    { "Opened a shared scenario. " }
                    if s.view.can_restore {
                        { "Your own scenario is kept until you edit this one." }
                    }
                </span>
                if s.view.can_restore {
                    <button class="btn" id="restore-own" onclick={click(&s.restore)}>{ "Restore my own scenario" }</button>
                }
                <button class="icon-btn" aria-label="Dismiss" onclick={click(&s.dismiss)}>{ "×" }</button>
            </div>
        }
    });
    let backup = s.view.backup_note.as_ref().map(|note| {
        html! {
            <div class="notice saved-backup" role="alert">
                <span>{ note.clone() }</span>
                <button class="btn" id="download-saved-backup" onclick={click(&s.download_backup)}>
                    { "Download the saved copy" }
                </button>
                <button class="icon-btn" aria-label="Dismiss" onclick={click(&s.dismiss_backup)}>{ "×" }</button>
            </div>
        }
    });
    html! { <>{ for backup }{ for shared }</> }
}
