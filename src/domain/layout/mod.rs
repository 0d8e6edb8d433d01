//! Timeline geometry, pure: time scales, ticks, lanes, bars and zoom.

pub mod timeline;
