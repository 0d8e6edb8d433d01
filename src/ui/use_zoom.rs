//! `use_zoom`: a set of timelines' zoom window and the callback that sets
//! it (the live timelines and the comparison each have their own axis).

use yew::prelude::*;

use crate::domain::layout::timeline::ZoomWindow;

/// The window (`None`: the whole axis) and its setter. The callback is the
/// same for the component's life: a new one every render would make every
/// timeline re-render (and re-lay out its bars) every frame. One hook for
/// both users: each instance of a generic hook is code in the wasm.
#[hook]
pub fn use_zoom() -> (Option<ZoomWindow>, Callback<Option<ZoomWindow>>) {
    let zoom = use_state(|| None::<ZoomWindow>);
    let on_zoom = {
        let setter = zoom.setter();
        use_callback((), move |z: Option<ZoomWindow>, _| setter.set(z))
    };
    (*zoom, on_zoom)
}
