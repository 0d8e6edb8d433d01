//! The scenario as a program a reader can run: Python asyncio
//! ([`python`], also the oracle's instrumented form) and Rust tokio
//! ([`rust`]).

pub mod python;
pub mod rust;
