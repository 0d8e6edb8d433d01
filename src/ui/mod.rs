//! Yew components and hooks: rendering and wiring only. State changes go
//! through `domain::state::AppState::apply`; side effects through `runtime`.

pub mod app;
pub mod components;
pub mod focus;
pub mod lesson_line;
pub mod mount;
pub mod props;
pub mod shared;
pub mod store;
pub mod timeline_paint;
pub mod use_callbacks;
pub mod use_disclosure;
pub mod use_embed;
pub mod use_insights;
pub mod use_run;
pub mod use_session;
pub mod use_settled;
pub mod use_zoom;

pub use app::App;
pub use props::AppProps;
