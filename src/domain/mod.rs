//! Pure domain logic: no browser types, no clock. Time is always passed in.
//!
//! - [`scenario`]: the task list a user composes, and its validation.
//! - [`simulate`]: the event-loop model that predicts every task's start/end.
//! - [`codegen`]: the equivalent Python asyncio program for a scenario and mode.
//! - [`trace`]: events of a real run, with caller-supplied times.
//! - [`measure`]: a run's measured timeline, built from trace events.
//! - [`stats`]: totals, overhead and speedup from predictions and measurements.
//! - [`task_detail`]: one task's exact numbers, for the timeline's hover card.
//! - [`compare`]: the table, bars and shared axis comparing several runs.
//! - [`insights`]: short plain-language findings about a run.
//! - [`timeline`]: pure layout maths for the timeline (scales, ticks, lanes).
//! - [`timer_heap`]: the loop's timer queue (a heap of deadlines, as asyncio).
//! - [`doc`]: the shareable shapes: a scenario as typed, a run kept in history.
//! - [`codec`]: scenario <-> JSON, URL fragment and saved state, versioned.
//! - [`export`]: a run as a Chrome trace (and back) or as CSV.
//! - [`presets`]: ready-made scenarios from the asyncio tutorials, with the
//!   figures their explanations promise.
//! - [`codegen_rust`]: the equivalent Rust + tokio program for a scenario and mode.
//! - [`embed`]: the embedding protocol: page parameters, checked messages.
//! - [`run_env`]: whether a run's page was hidden or off-screen (throttled).
//! - [`state`]: the app's whole state machine (`AppState::apply`).
//! - [`autorun`]: runs a link or embedding page asks for; heavy ones wait
//!   for the user's consent.
//! - [`session`]: where a playground's scenario comes from and when its
//!   autosave is written; two tabs' histories merged.
//! - [`tools`]: the jobs of the worker that writes programs and files
//!   (code view, export, import), loaded on demand.
//! - [`decimal`]: typed numbers parsed and fixed-point numbers written
//!   without core's float tables (smaller wasm).

pub mod autorun;
pub mod codec;
pub mod codegen;
pub mod codegen_rust;
pub mod compare;
pub mod decimal;
pub mod doc;
pub mod embed;
pub mod export;
pub mod insights;
pub mod measure;
pub mod presets;
pub mod run_env;
pub mod scenario;
pub mod session;
pub mod simulate;
pub mod state;
pub mod stats;
pub mod task_detail;
pub mod timeline;
pub mod timer_heap;
pub mod tools;
pub mod trace;
