//! Timeline geometry, pure: everything about where things go on a run's
//! timeline that can be computed without a canvas.
//!
//! - [`timeline`]: the time axis: scale, ticks, zoom window.
//! - [`lanes`]: lane heights and each task's bars.
//! - [`canvas`]: where each part sits on the canvas, in CSS pixels, and
//!   which lane a pointer is over.
//! - [`paint_plan`]: what each frame adds to the canvas: only what changed.

pub mod canvas;
pub mod lanes;
pub mod paint_plan;
pub mod timeline;
