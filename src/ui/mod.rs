//! Yew components and hooks: rendering and wiring only. State changes go
//! through `domain::state::AppState::apply`; side effects through `runtime`.

pub mod app;
pub mod components;
pub mod store;
pub mod timeline_paint;
pub mod use_run;

pub use app::App;

/// Mounts the app into the page's `#app` element (or `<body>` without one).
pub fn mount_app() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}
