//! Timeline geometry, pure: everything about where things go on a run's
//! timeline that can be computed without a canvas.
//!
//! - [`timeline`]: the time axis: scale, ticks, zoom window.
//! - [`lanes`]: lane heights and each task's bars.
//! - [`paint_plan`]: the few rectangles that bring the bars up to date.

pub mod lanes;
pub mod paint_plan;
pub mod timeline;
