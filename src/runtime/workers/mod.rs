//! Web Workers, named by the side of `postMessage` they run on: a
//! `*_host` file runs in the page and starts, feeds and watches workers; a
//! `*_thread` file runs inside a worker (its entry point is a two-line
//! binary in `src/bin/`).
//!
//! - [`pool_host`] / [`pool_thread`]: the threads behind `asyncio.to_thread`
//!   (`src/bin/worker.rs`), one worker per pool thread.
//! - [`tools_host`] / [`tools_thread`]: the on-demand worker that writes
//!   programs and export files and reads imports (`src/bin/tools.rs`).

pub mod pool_host;
pub mod pool_thread;
pub mod tools_host;
pub mod tools_thread;
