//! The page's address: query (`?embed`), fragment (a shared scenario) and
//! the link that reproduces a scenario.

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// `location.search`, e.g. `?embed&origin=…` (empty if none).
pub fn query() -> String {
    location().and_then(|l| l.search().ok()).unwrap_or_default()
}

/// `location.hash` without the `#` (empty if none).
pub fn fragment() -> String {
    let hash = location().and_then(|l| l.hash().ok()).unwrap_or_default();
    hash.strip_prefix('#').unwrap_or(&hash).to_string()
}

/// The page's address without query and fragment (what a share link
/// starts with: the full app, never the embed layout).
pub fn page_without_query() -> String {
    location()
        .and_then(|l| Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?)))
        .unwrap_or_default()
}

/// The document's base URL (trunk's public URL when set).
pub fn base_url() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default()
}

/// Removes the fragment from the address bar without reloading or adding a
/// history entry: once a shared scenario is edited, a reload should show
/// the user's own (autosaved) version, not the link again.
pub fn clear_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(history) = window.history() else {
        return;
    };
    let url = format!("{}{}", page_without_query(), query());
    let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
}
