//! Whether the playground can be seen: the tab hidden
//! (`document.visibilityState`) or the playground scrolled out of view
//! (IntersectionObserver; inside an iframe this is measured against the
//! top-level viewport). Browsers throttle timers in both cases, so a run's
//! numbers need to say so. The watch adds up not-visible time; a run takes
//! a [`Mark`] when it starts and asks what happened since when it ends.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, VisibilityState};

use super::clock::now_ms;

#[derive(Default)]
struct Tally {
    tab_hidden: bool,
    offscreen: bool,
    /// When the current not-visible stretch began.
    unseen_since_ms: Option<f64>,
    /// Not-visible time of finished stretches.
    unseen_total_ms: f64,
    /// How many times the tab was hidden / the element left the viewport.
    tab_hidden_count: u32,
    offscreen_count: u32,
}

impl Tally {
    fn update(&mut self, tab_hidden: Option<bool>, offscreen: Option<bool>) {
        let now = now_ms();
        if let Some(h) = tab_hidden {
            if h && !self.tab_hidden {
                self.tab_hidden_count += 1;
            }
            self.tab_hidden = h;
        }
        if let Some(o) = offscreen {
            if o && !self.offscreen {
                self.offscreen_count += 1;
            }
            self.offscreen = o;
        }
        let unseen = self.tab_hidden || self.offscreen;
        match (unseen, self.unseen_since_ms) {
            (true, None) => self.unseen_since_ms = Some(now),
            (false, Some(since)) => {
                self.unseen_total_ms += now - since;
                self.unseen_since_ms = None;
            }
            _ => {}
        }
    }

    fn mark(&self) -> Mark {
        let ongoing = self.unseen_since_ms.map_or(0.0, |since| now_ms() - since);
        Mark {
            unseen_ms: self.unseen_total_ms + ongoing,
            tab_hidden_count: self.tab_hidden_count,
            offscreen_count: self.offscreen_count,
            tab_hidden: self.tab_hidden,
            offscreen: self.offscreen,
        }
    }
}

/// The tally at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Mark {
    unseen_ms: f64,
    tab_hidden_count: u32,
    offscreen_count: u32,
    tab_hidden: bool,
    offscreen: bool,
}

/// What happened between two marks.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Since {
    /// Not-visible time between the marks, in ms.
    pub unseen_ms: f64,
    pub tab_hidden: bool,
    pub offscreen: bool,
}

impl Mark {
    pub fn since(&self, start: &Mark) -> Since {
        Since {
            unseen_ms: (self.unseen_ms - start.unseen_ms).max(0.0),
            tab_hidden: start.tab_hidden || self.tab_hidden_count > start.tab_hidden_count,
            offscreen: start.offscreen || self.offscreen_count > start.offscreen_count,
        }
    }
}

/// Watches the tab and one element. Stops when dropped.
pub struct VisibilityWatch {
    tally: Rc<RefCell<Tally>>,
    observer: Option<IntersectionObserver>,
    _on_intersect: Option<Closure<dyn FnMut(js_sys::Array)>>,
    _on_visibility: Option<EventListener>,
}

fn tab_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.visibility_state() == VisibilityState::Hidden)
}

impl VisibilityWatch {
    pub fn start(element: &Element) -> Self {
        let tally = Rc::new(RefCell::new(Tally::default()));
        tally.borrow_mut().update(Some(tab_hidden()), None);
        let on_visibility = web_sys::window()
            .and_then(|w| w.document())
            .map(|document| {
                let tally = tally.clone();
                EventListener::new(&document, "visibilitychange", move |_| {
                    tally.borrow_mut().update(Some(tab_hidden()), None);
                })
            });
        let on_intersect = {
            let tally = tally.clone();
            Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                let last = entries
                    .iter()
                    .filter_map(|e| e.dyn_into::<IntersectionObserverEntry>().ok())
                    .next_back();
                if let Some(entry) = last {
                    tally
                        .borrow_mut()
                        .update(None, Some(!entry.is_intersecting()));
                }
            })
        };
        let observer = IntersectionObserver::new(on_intersect.as_ref().unchecked_ref()).ok();
        if let Some(observer) = &observer {
            observer.observe(element);
        }
        VisibilityWatch {
            tally,
            observer,
            _on_intersect: Some(on_intersect),
            _on_visibility: on_visibility,
        }
    }

    /// The tally now.
    pub fn mark(&self) -> Mark {
        self.tally.borrow().mark()
    }
}

impl Drop for VisibilityWatch {
    fn drop(&mut self) {
        if let Some(observer) = &self.observer {
            observer.disconnect();
        }
    }
}
