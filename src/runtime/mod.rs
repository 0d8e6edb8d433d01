//! Browser-only side effects: the clock, timers, spawning, animation
//! frames, storage, the address, files, the clipboard, visibility, Web
//! Workers and messages to an embedding page. Nothing else in the crate
//! touches a browser API.
//!
//! - [`runner`]: performs a run; [`thread_pool`] is its `to_thread`
//!   executor (threads and the GIL), [`fifo_semaphore`] the queue behind the pool,
//!   [`timers`] its sleeps.
//! - [`workers`]: the pool's threads and the tools worker, each file named
//!   for its side of `postMessage` (`*_host` in the page, `*_thread` inside).
//! - [`schedule`]: animation frames and the next task; [`patience`]:
//!   deadlines that forgive a busy page; [`clock`]: `performance.now`.
//! - [`storage`], [`location`], [`files`], [`clipboard`], [`visibility`],
//!   [`embed_bridge`]: the page around the app.

pub mod clipboard;
pub mod clock;
pub mod embed_bridge;
pub mod fifo_semaphore;
pub mod files;
pub mod location;
pub mod patience;
pub mod runner;
pub mod schedule;
pub mod storage;
pub mod thread_pool;
pub mod timers;
pub mod visibility;
pub mod workers;
