//! Talking to the page that embeds the playground in an iframe: posting
//! messages to the parent window, listening to the parent's messages, and
//! watching the content's height so the parent can size the iframe.
//!
//! What the messages mean, and whether one is acted on, is decided in
//! `domain::formats::embed`; this module only moves JSON text in and out.

use std::cell::RefCell;
use std::rc::Rc;

use super::patience::after;
use crate::domain::formats::embed::{kind_of, Inbox, MessageKind, MAX_MESSAGE_CHARS};
use crate::domain::text::decimal::parse_decimal;
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use js_sys::JsString;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, MessageEvent, ResizeObserver};

/// Whether this page runs inside an iframe (its parent is another window).
pub fn in_iframe() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    match window.parent() {
        Ok(Some(parent)) => !js_sys::Object::is(&parent, &window),
        _ => false,
    }
}

/// Posts a JSON message to the parent window with `targetOrigin`. The text
/// comes from `domain::formats::embed`, so it always parses; a parent that is gone
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
/// `(origin, JSON text)`. Before any work, messages from other windows
/// (other iframes, popups, this window) and origins `accepts` refuses are
/// dropped, and `type` alone is read: messages that are not ours are never
/// looked at further. Ours are written as JSON only up to
/// [`MAX_MESSAGE_CHARS`] ([`to_json_within`]; larger ones are ignored, as
/// `domain::formats::embed` ignores longer text), then wait in an [`Inbox`] handed
/// over [`FLUSH_MS`] after the first of them, so a burst collapses (of a
/// flood of `load`s one is acted on). Stops when dropped.
pub struct ParentMessages {
    _listener: EventListener,
}

/// How long parent messages wait to be handed over (about one animation frame).
pub const FLUSH_MS: u32 = 16;

impl ParentMessages {
    pub fn listen(
        accepts: impl Fn(&str) -> bool + 'static,
        on_message: impl Fn(String, String) + 'static,
    ) -> Option<Self> {
        let window = web_sys::window()?;
        let parent = window.parent().ok().flatten()?;
        let inbox: Rc<RefCell<Inbox<(String, String)>>> = Rc::default();
        // The listener owns the pending hand-over: dropping it cancels that.
        let pending: Rc<RefCell<Option<Timeout>>> = Rc::default();
        let hand_over = Rc::new(on_message);
        let listener = EventListener::new(&window, "message", move |event| {
            let Some(event) = event.dyn_ref::<MessageEvent>() else {
                return;
            };
            let from_parent = event
                .source()
                .is_some_and(|s| js_sys::Object::is(&s, &parent));
            let origin = event.origin();
            if !from_parent || !accepts(&origin) {
                return;
            }
            let data = event.data();
            let Some(kind) = message_kind(&data) else {
                return;
            };
            let Some(text) = to_json_within(&data, MAX_MESSAGE_CHARS) else {
                return;
            };
            inbox.borrow_mut().push(kind, (origin, text));
            if pending.borrow().is_some() {
                return;
            }
            let (inbox, hand_over) = (inbox.clone(), hand_over.clone());
            let slot = Rc::downgrade(&pending);
            let flush = move || {
                if let Some(slot) = slot.upgrade() {
                    slot.borrow_mut().take();
                }
                let waiting = inbox.borrow_mut().take();
                for (origin, text) in waiting {
                    hand_over(origin, text);
                }
            };
            *pending.borrow_mut() = Some(after(FLUSH_MS, Box::new(flush)));
        });
        Some(ParentMessages {
            _listener: listener,
        })
    }
}

/// Our kind of message, from `type` alone (nothing else is read).
fn message_kind(data: &JsValue) -> Option<MessageKind> {
    if !data.is_object() {
        return None;
    }
    let kind = js_sys::Reflect::get(data, &JsValue::from_str("type")).ok()?;
    kind_of(&kind.as_string()?)
}

/// `value` as JSON text if that takes at most `budget` characters, found
/// without writing much more: `JSON.stringify` with a replacer that counts
/// each key and string it is handed and stops the writing once over
/// budget (or at binary data), so a huge payload costs about what a small
/// one does. (An object's keys are listed before its entries are handed
/// over, which costs what copying the message to this page already did.)
pub fn to_json_within(value: &JsValue, budget: usize) -> Option<String> {
    let mut left = budget as f64;
    let count = Closure::<dyn FnMut(JsString, JsValue) -> Result<JsValue, JsValue>>::new(
        move |key: JsString, item: JsValue| {
            let text = item.dyn_ref::<JsString>().map_or(0, JsString::length);
            // Punctuation: quotes, a comma, a colon.
            left -= f64::from(key.length() + text) + 4.0;
            // Bytes are not ours, and writing them would first list a key
            // per byte.
            if left < 0.0 || js_sys::ArrayBuffer::is_view(&item) {
                return Err(JsValue::NULL);
            }
            Ok(item)
        },
    );
    let text = js_sys::JSON::stringify_with_replacer(value, count.as_ref()).ok()?;
    // A String object is handed over whole: measured once written.
    (text.length() as usize <= budget).then(|| text.into())
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
