//! Web Workers, named by the side of `postMessage` they run on: a
//! `*_host` file runs in the page and starts, feeds and watches workers; a
//! `*_thread` file runs inside a worker (its entry point is a two-line
//! binary in `src/bin/`).
//!
//! - [`pool_host`] / [`pool_thread`]: the threads behind `asyncio.to_thread`
//!   (`src/bin/worker.rs`), one worker per pool thread.
//! - [`tools_host`] / [`tools_thread`]: the on-demand worker that writes
//!   programs and export files and reads imports (`src/bin/tools.rs`).
//! - [`serve`]: the message loop both kinds of worker run.
//!
//! What both sides of the wire agree on is here.

pub mod pool_host;
pub mod pool_thread;
pub mod serve;
pub mod tools_host;
pub mod tools_thread;

/// What a worker posts once it listens: messages sent before are lost, so
/// a host holds its jobs until then.
pub const READY: &str = "ready";

/// A pool job's kind (`[id, kind, ms, start]`, `start` in ms since the
/// Unix epoch on the performance clock): burn the CPU for `ms`.
pub const BURN: u32 = 0;
/// A pool job's kind: wait `ms` without using the CPU (`time.sleep`).
pub const WAIT: u32 = 1;
