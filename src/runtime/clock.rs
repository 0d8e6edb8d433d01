//! The one clock: `performance.now()` in milliseconds.

/// Milliseconds since the page's time origin (100 µs resolution, or 5 µs
/// when cross-origin isolated). Returns 0 where there is no `performance`,
/// which only happens outside a browser window.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}
