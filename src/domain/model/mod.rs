//! The event-loop model: CPython asyncio's loop, its thread pool and GIL,
//! and the timer heap the runtime shares with it.

pub mod simulate;
pub mod timer_heap;

pub use simulate::*;
