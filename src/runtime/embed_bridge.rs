//! Talking to the page that embeds the playground in an iframe: posting
//! messages to the parent window, listening to the parent's messages, and
//! watching the content's height so the parent can size the iframe.
//!
//! What the messages mean, and whether one is acted on, is decided in
//! `domain::embed`; this module only moves JSON text in and out.

use crate::domain::text::decimal::parse_decimal;
use gloo_events::EventListener;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, MessageEvent, ResizeObserver};

/// Whether this page runs inside a frame (its parent is another window).
pub fn in_frame() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    match window.parent() {
        Ok(Some(parent)) => !js_sys::Object::is(&parent, &window),
        _ => false,
    }
}

/// Posts a JSON message to the parent window with `targetOrigin`. The text
/// comes from `domain::embed`, so it always parses; a parent that is gone
/// or an origin mismatch is not an error worth reporting.
pub fn post_to_parent(json: &str, target_origin: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    if js_sys::Object::is(&parent, &window) {
        return;
    }
    if let Ok(value) = js_sys::JSON::parse(json) {
        let _ = parent.post_message(&value, target_origin);
    }
}

/// Listens to messages from the parent window; each is handed over as
/// `(origin, JSON text)`. Messages from other windows (other frames, popups,
/// this window) are dropped here, and data that cannot be written as JSON
/// (functions, cycles, transferables) is never looked at. Stops when dropped.
pub struct ParentMessages {
    _listener: EventListener,
}

impl ParentMessages {
    pub fn listen(on_message: impl Fn(String, String) + 'static) -> Option<Self> {
        let window = web_sys::window()?;
        let parent = window.parent().ok().flatten()?;
        let listener = EventListener::new(&window, "message", move |event| {
            let Some(event) = event.dyn_ref::<MessageEvent>() else {
                return;
            };
            let from_parent = event
                .source()
                .is_some_and(|s| js_sys::Object::is(&s, &parent));
            if !from_parent {
                return;
            }
            let Ok(text) = js_sys::JSON::stringify(&event.data()) else {
                return;
            };
            if let Some(text) = text.as_string() {
                on_message(event.origin(), text);
            }
        });
        Some(ParentMessages {
            _listener: listener,
        })
    }
}

/// Reports an element's height (CSS px, rounded up) whenever it changes,
/// from a ResizeObserver. Stops when dropped.
pub struct HeightWatch {
    observer: ResizeObserver,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl HeightWatch {
    pub fn start(element: &Element, on_height: impl Fn(f64) + 'static) -> Option<Self> {
        let target = element.clone();
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            // The border box of the observed element, plus its margins, is
            // what the iframe must show without a scrollbar.
            if entries.length() > 0 {
                on_height(outer_height(&target));
            }
        });
        let observer = ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        observer.observe(element);
        Some(HeightWatch {
            observer,
            _callback: callback,
        })
    }
}

/// The element's height with its vertical margins, in CSS px.
fn outer_height(element: &Element) -> f64 {
    let rect = element.get_bounding_client_rect().height();
    let margins = web_sys::window()
        .and_then(|w| w.get_computed_style(element).ok().flatten())
        .map(|style| {
            let px = |name: &str| {
                style
                    .get_property_value(name)
                    .ok()
                    .and_then(|v| parse_decimal(v.trim_end_matches("px")))
                    .unwrap_or(0.0)
            };
            px("margin-top") + px("margin-bottom")
        })
        .unwrap_or(0.0);
    (rect + margins).ceil()
}

impl Drop for HeightWatch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Dispatches `async-playground:result` (bubbling, `detail` = the message
/// as an object) on an in-page playground's host element, so a tutorial
/// page can react to runs without `postMessage`.
pub fn dispatch_result_event(host: &Element, json: &str) {
    let Ok(detail) = js_sys::JSON::parse(json) else {
        return;
    };
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_detail(&detail);
    if let Ok(event) =
        web_sys::CustomEvent::new_with_event_init_dict(crate::domain::formats::embed::RESULT, &init)
    {
        let _ = host.dispatch_event(&event);
    }
}
