//! A real run: the [`events`] the runner emits, the [`measurement`] built
//! from them, [`stats`] against the prediction, and the page conditions
//! ([`env`](mod@env)) it ran under.

pub mod env;
pub mod events;
pub mod measurement;
pub mod stats;
