//! Mounting playgrounds: the main app in `#app` (embed layout with
//! `?embed`), and every `[data-async-playground]` element on a page as an
//! independent in-page playground with its own scenario, state and workers.

use std::rc::Rc;

use wasm_bindgen::JsCast;

use super::props::{AppProps, AUTOSAVE_KEY};
use super::App;
use crate::domain::formats::codec;
use crate::domain::formats::embed::page_params;
use crate::runtime::{embed_bridge, location};

/// Marks an element already mounted (the script may be included twice).
const MOUNTED: &str = "data-async-playground-mounted";

/// Mounts the app into `#app`, and every in-page playground on the page.
pub fn mount_app() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let in_page = mount_in_page(&document);
    match document.get_element_by_id("app") {
        Some(root) => {
            let props = page_props(&location::query(), embed_bridge::in_iframe());
            yew::Renderer::<App>::with_root_and_props(root, props).render();
        }
        None if in_page == 0 => {
            yew::Renderer::<App>::new().render();
        }
        None => {}
    }
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

/// The props of an in-page playground: its scenario is `text` (a
/// `data-scenario` attribute or the element's content), its files in `base`.
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

/// Where the app's files are: `embed.js` records its own folder on the
/// `<html>` element (tutorial pages live elsewhere); else the page's base.
fn app_base(document: &web_sys::Document) -> String {
    document
        .document_element()
        .and_then(|e| e.get_attribute("data-async-playground-base"))
        .unwrap_or_else(location::base_url)
}

/// Mounts each `[data-async-playground]` element; returns how many.
fn mount_in_page(document: &web_sys::Document) -> usize {
    let Ok(nodes) = document.query_selector_all("[data-async-playground]") else {
        return 0;
    };
    let base = app_base(document);
    let base = if base.ends_with('/') {
        base
    } else {
        // A page URL: its folder.
        match base.rfind('/') {
            Some(at) => base[..=at].to_string(),
            None => base,
        }
    };
    let mut count = 0;
    for i in 0..nodes.length() {
        let Some(element) = nodes
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        if element.has_attribute(MOUNTED) {
            continue;
        }
        let _ = element.set_attribute(MOUNTED, "");
        // The scenario: a data-scenario attribute, else the element's text
        // (e.g. JSON inside it, shown as-is if the script never loads).
        let text = element
            .get_attribute("data-scenario")
            .or_else(|| element.text_content())
            .unwrap_or_default();
        element.set_text_content(None);
        let props = in_page_props(&text, &base);
        yew::Renderer::<App>::with_root_and_props(element, props).render();
        count += 1;
    }
    count
}
