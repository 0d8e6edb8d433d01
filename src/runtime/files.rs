//! Files: saving text as a download, reading a file the user picked. The
//! only code that touches Blobs, object URLs and `File`; the UI calls these
//! and shows the result (the clipboard is in [`super::clipboard`]).
//!
//! Every function reports failure as a message for the user, never a panic.

use gloo_timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, File, HtmlAnchorElement, Url};

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
