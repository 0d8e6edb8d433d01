//! Browser-only side effects: the clock, timers, spawning and animation
//! frames. Nothing else in the crate reads the time or sets a timer.

pub mod clock;
pub mod fifo;
pub mod frames;
pub mod pool;
pub mod runner;
pub mod timers;
pub mod worker_pool;
pub mod worker_thread;
