//! Text in and out of the playground: the scenario [`codec`] (JSON, share
//! links, autosave), [`export`] (Chrome trace and CSV), the [`embed`]
//! protocol's messages and [`embed_options`], and the [`tools`] worker's jobs.

pub mod codec;
pub mod embed;
pub mod embed_options;
pub mod export;
pub mod snippets;
pub mod tools;
