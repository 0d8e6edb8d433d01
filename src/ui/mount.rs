//! Mounting playgrounds, only where asked:
//! - the app's own page (index.html) starts through boot.js, which calls
//!   [`start_app`]: the full app in `#app` (the embed layout with `?embed`);
//! - a tutorial page's embed.js calls [`mount`] once per playground it
//!   found, with the element to render into (inside that playground's
//!   shadow root), the scenario's text and the options.
//!
//! Both are exported to JavaScript by the app binary (`src/main.rs`): a
//! library's exports do not survive linking into a binary.
//!
//! Loading the wasm mounts nothing by itself, so a page that includes
//! embed.js but has no playground (or has its own `#app`) is never touched.

use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;

use super::props::{AppProps, AUTOSAVE_KEY};
use super::App;
use crate::domain::formats::codec;
use crate::domain::formats::embed::page_params;
use crate::runtime::{embed_bridge, location};

/// Mounts the full app into the app page's `#app`.
pub fn start_app() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    if let Some(root) = root {
        let props = page_props(&location::query(), embed_bridge::in_iframe());
        yew::Renderer::<App>::with_root_and_props(root, props).render();
    }
}

/// Mounts one in-page playground into `root`: its scenario is `scenario`
/// (the JSON format; empty: the default), `options` the trimmed UI as a
/// query string (`modes=…&controls=…&editor=…`), `base` the app's folder
/// (links to the full app), and the two worker loaders' URLs. Returns a
/// function that unmounts it (its runs and workers stop).
pub fn mount(
    root: web_sys::Element,
    scenario: &str,
    options: &str,
    base: &str,
    worker_loader: &str,
    tools_loader: &str,
) -> JsValue {
    let props = AppProps {
        trim: page_params(options).options,
        worker_loader: Some(worker_loader.to_string().into()),
        tools_loader: Some(tools_loader.to_string().into()),
        ..in_page_props(scenario, base)
    };
    let handle = yew::Renderer::<App>::with_root_and_props(root, props).render();
    Closure::once_into_js(move || handle.destroy())
}

/// The props of the page's own playground, from its query and whether it
/// is inside an iframe.
pub fn page_props(query: &str, in_iframe: bool) -> AppProps {
    let params = page_params(query);
    if params.embed {
        // An iframe embed: its own scenario from the link, never the main
        // app's autosave.
        AppProps {
            embed: true,
            read_link: true,
            parent: in_iframe.then_some(params.origin),
            trim: params.options,
            ..AppProps::default()
        }
    } else if in_iframe {
        // The full app in another site's iframe: that site could click Reset
        // or Clear history, so the user's autosave is neither read nor
        // written.
        AppProps {
            framed: true,
            read_link: true,
            ..AppProps::default()
        }
    } else {
        AppProps {
            autosave_key: Some(AUTOSAVE_KEY.into()),
            read_link: true,
            ..AppProps::default()
        }
    }
}

/// The props of an in-page playground: its scenario is `text`, its files
/// in `base` (a folder, ending in `/`).
pub fn in_page_props(text: &str, base: &str) -> AppProps {
    let (initial, start_notice) = if text.trim().is_empty() {
        (None, None)
    } else {
        match codec::from_json(text) {
            Ok(doc) => (Some(Rc::new(doc)), None),
            Err(e) => (
                None,
                Some(
                    format!("This playground's scenario could not be read ({e}); the default scenario is shown.")
                        .into(),
                ),
            ),
        }
    };
    AppProps {
        embed: true,
        initial,
        start_notice,
        worker_loader: Some(format!("{base}worker_loader.js").into()),
        tools_loader: Some(format!("{base}tools_loader.js").into()),
        app_url: Some(base.to_string().into()),
        ..AppProps::default()
    }
}
