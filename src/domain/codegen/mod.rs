//! The scenario as a program a reader can run: Python asyncio
//! ([`python`], also the oracle's instrumented form) and Rust tokio
//! ([`rust`]), and the short lesson form the stepper highlights
//! ([`lesson`]). Each mode writes its own awaiting code
//! ([`crate::domain::modes::ModeCode`]); both programs are laid out with
//! [`lines`]; what they say about the speed factor is in [`speed`].

pub mod lesson;
pub mod lines;
pub mod python;
pub mod rust;
pub(crate) mod speed;
