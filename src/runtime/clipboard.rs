//! Copying text with `navigator.clipboard`. It is missing outside secure
//! contexts and may be denied (permissions, iframes without
//! `allow="clipboard-write"`): the caller then shows the text to copy by hand.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Copies `text`; `false` when the browser would not.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator = window.navigator();
    // Read the property first: calling through a missing `clipboard`
    // (plain http) would throw instead of returning an error.
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into()).ok();
    let Some(clipboard) = clipboard.and_then(|c| c.dyn_into::<web_sys::Clipboard>().ok()) else {
        return false;
    };
    JsFuture::from(clipboard.write_text(text)).await.is_ok()
}
