//! Numbers as people type and read them.

pub mod decimal;
