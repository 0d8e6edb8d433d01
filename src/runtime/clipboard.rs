//! Copying text with `navigator.clipboard`. It is missing outside secure
//! contexts and may be denied (permissions, iframes without
//! `allow="clipboard-write"`): the caller then selects or shows the text so
//! the user can copy it by hand.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Element;

/// Copies `text` to the clipboard. Fails where `navigator.clipboard` is
/// missing (pages not served over https or localhost) or permission is
/// refused; the caller then selects the text so the user can copy it.
pub async fn copy_text(text: &str) -> Result<(), String> {
    let navigator = web_sys::window().ok_or("no window")?.navigator();
    // The getter is typed as always present, but is `undefined` in insecure
    // contexts: check before calling a method on it.
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .ok()
        .filter(|c| !c.is_undefined() && !c.is_null())
        .ok_or("the clipboard is not available here")?;
    let clipboard: web_sys::Clipboard = clipboard.unchecked_into();
    JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|e| {
            e.as_string()
                .unwrap_or_else(|| "the browser refused".to_string())
        })
}

/// Selects everything inside `element`, so a user can copy it by hand.
pub fn select_contents(element: &Element) {
    if let Some(selection) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) {
        // Best effort: a failed selection leaves the text as it was.
        let _ = selection.select_all_children(element);
    }
}
