//! Browser-only side effects: the clock, timers, spawning and animation
//! frames, files and the clipboard. Nothing else in the crate reads the
//! time, sets a timer or touches a file.

pub mod clock;
pub mod fifo;
pub mod files;
pub mod frames;
pub mod pool;
pub mod runner;
pub mod timers;
pub mod worker_pool;
pub mod worker_thread;
