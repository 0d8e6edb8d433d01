//! Moving focus on purpose, so that it never falls to the page when the
//! element that had it goes away (a removed row, a closed panel).

use wasm_bindgen::JsCast;

/// Focuses the first element that one of `selectors` finds, in order,
/// inside `scope` (the whole document when `None`). Nothing found: no change.
pub fn focus_first(scope: Option<&web_sys::Element>, selectors: &[String]) {
    let document = web_sys::window().and_then(|w| w.document());
    let found = selectors.iter().find_map(|s| match scope {
        Some(scope) => scope.query_selector(s).ok().flatten(),
        None => document.as_ref()?.query_selector(s).ok().flatten(),
    });
    if let Some(element) = found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}
