//! The event-loop model: CPython asyncio's loop, its thread pool and GIL,
//! and the timer heap the runtime shares with it.

pub mod event_loop;
pub mod timer_heap;

pub use event_loop::*;
