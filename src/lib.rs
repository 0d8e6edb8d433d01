//! Async Playground: compose simulated async tasks, run them sequentially or
//! gathered on the browser's event loop, and compare measured timings with the
//! simulator's predictions.
//!
//! `domain` is pure Rust and tested natively; `runtime` (clock, timers,
//! spawning) and `ui` (Yew components) exist only on wasm32.

pub mod domain;
#[cfg(target_arch = "wasm32")]
pub mod runtime;
#[cfg(target_arch = "wasm32")]
pub mod ui;
