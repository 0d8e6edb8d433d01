//! Browser-only side effects: the clock, timers, spawning, animation
//! frames, storage, the address, files, the clipboard, visibility and
//! messages to an embedding page and the tools worker. Nothing else in the crate touches a
//! browser API.

pub mod clipboard;
pub mod clock;
pub mod embed_bridge;
pub mod fifo;
pub mod files;
pub mod frames;
pub mod location;
pub mod patience;
pub mod pool;
pub mod runner;
pub mod storage;
pub mod timers;
pub mod tools;
pub mod tools_worker;
pub mod visibility;
pub mod worker_pool;
pub mod worker_thread;
