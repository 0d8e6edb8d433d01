//! The one clock: `performance.now()` in milliseconds.

use web_sys::Performance;

thread_local! {
    // Looked up once: `now_ms` runs for every task start and end.
    static PERFORMANCE: Option<Performance> = web_sys::window().and_then(|w| w.performance());
}

/// Milliseconds since the page's time origin (100 µs resolution, or 5 µs
/// when cross-origin isolated). Returns 0 where there is no `performance`,
/// which only happens outside a browser window.
pub fn now_ms() -> f64 {
    PERFORMANCE.with(|p| p.as_ref().map(Performance::now).unwrap_or(0.0))
}

/// `performance.timeOrigin`: the page's clock origin, ms since the Unix
/// epoch. A time on the page's clock plus this is on a worker's clock once
/// the worker subtracts its own origin (each context has its own).
pub fn time_origin_ms() -> f64 {
    PERFORMANCE.with(|p| p.as_ref().map(Performance::time_origin).unwrap_or(0.0))
}

/// Wall-clock time, ms since the Unix epoch (`Date.now()`): a run's start
/// as it is kept in history, comparable across tabs and reloads.
pub fn unix_now_ms() -> f64 {
    js_sys::Date::now()
}
