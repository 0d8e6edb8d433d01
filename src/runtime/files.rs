//! Files and the clipboard: saving text as a download, reading a file the
//! user picked, copying text. The only code that touches Blobs, object URLs,
//! `File` and `navigator.clipboard`; the UI calls these and shows the result.
//!
//! Every function reports failure as a message for the user, never a panic:
//! a browser may lack the clipboard (an insecure context) or refuse a write.

use gloo_timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, Element, File, HtmlAnchorElement, Url};

/// How long an object URL outlives its download click. Chromium starts the
/// download from the click, but revoking in the same task has been seen to
/// cancel it in some browsers; a second later it is safely underway.
const REVOKE_AFTER_MS: u32 = 1_000;

/// A JS error as text a user can read.
fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}

/// Offers `text` as a file download named `file_name` with MIME type `mime`
/// (a Blob, an object URL and a temporary `<a download>` that is clicked).
pub fn download_text(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document to download from")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|e| describe(&e))?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|e| describe(&e))?;
    let clicked = (|| -> Result<(), JsValue> {
        let anchor: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
        anchor.set_href(&url);
        anchor.set_download(file_name);
        anchor.set_hidden(true);
        let body = document.body().ok_or("no body")?;
        body.append_child(&anchor)?;
        anchor.click();
        anchor.remove();
        Ok(())
    })();
    Timeout::new(REVOKE_AFTER_MS, move || {
        // Nothing to tell the user if this fails: the URL dies with the page.
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    clicked.map_err(|e| describe(&e))
}

/// The text of a file the user picked (read as UTF-8).
pub async fn read_text(file: &File) -> Result<String, String> {
    let text = JsFuture::from(file.text())
        .await
        .map_err(|e| describe(&e))?;
    text.as_string()
        .ok_or_else(|| "the file is not text".to_string())
}

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
        .map_err(|e| describe(&e))
}

/// Selects everything inside `element`, so a user can copy it by hand.
pub fn select_contents(element: &Element) {
    if let Some(selection) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) {
        // Best effort: a failed selection leaves the text as it was.
        let _ = selection.select_all_children(element);
    }
}
