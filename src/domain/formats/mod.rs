//! Text in and out of the playground: the scenario [`codec`] (JSON, share
//! links, autosave), [`export`] (Chrome trace and CSV), the [`embed`]
//! protocol's messages and [`embed_options`], the [`tools`] worker's jobs,
//! and the event log as they send it ([`steps`]).

pub mod codec;
pub mod embed;
pub mod embed_options;
pub mod export;
pub mod snippets;
pub mod step_view;
pub mod steps;
pub mod tools;
