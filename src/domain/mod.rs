//! Pure domain logic: no browser types, no clock. Time is always passed in.
//! A folder per concern; read this list first.
//!
//! - [`scenario`]: what a user composes: tasks, modes, options, their
//!   validation (which works out each task's real durations, after the
//!   speed factor, once), the shareable document and the tutorial presets.
//! - [`model`]: the event-loop model that predicts every task's start and
//!   end (loop, thread pool, timers), CPython asyncio's semantics.
//! - [`modes`]: the run modes (sequential, gather, TaskGroup…), one file
//!   each: names, options, the caller's policy and the awaiting code both
//!   generators write. The model, the runner and the generators consult it.
//! - [`run`]: a run (`Run`; `SavedRun` as the history keeps it): its
//!   events, its measurement, statistics and the page conditions it ran
//!   under.
//! - [`analysis`]: reading runs: comparisons, insights, one task's numbers.
//! - [`layout`]: timeline geometry (scales, ticks, lanes, zoom).
//! - [`codegen`]: the equivalent Python asyncio and Rust tokio programs.
//! - [`formats`]: text in and out: the scenario codec (JSON, links,
//!   autosave), Chrome trace and CSV, embed messages, tools-worker jobs.
//! - [`text`]: numbers as people type and read them.
//! - [`modes`]: one file per run mode (sequential, gather, …): its names,
//!   options, caller policy and program text, consulted by the model, the
//!   runner and both code generators.
//! - [`state`]: the app's whole state machine (`AppState::apply`), the
//!   session policy (where the scenario comes from, when the autosave is
//!   written, two tabs merged) and heavy auto-runs that ask first.

pub mod analysis;
pub mod codegen;
pub mod formats;
pub mod layout;
pub mod model;
pub mod modes;
pub mod run;
pub mod scenario;
pub mod state;
pub mod text;
