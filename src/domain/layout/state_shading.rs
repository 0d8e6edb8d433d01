//! The predicted bars shaded by state, and the loop and GIL lanes, as
//! rectangles on a timeline canvas ([`super::canvas::CanvasLayout`]): one
//! list per shade, so the painter sets each fill style once per frame, with
//! thin lanes' identical slices merged ([`super::paint_plan::Rects`]).
//! The states come from the event log (`model::log`); a step's cursor is
//! [`super::canvas::CanvasLayout::marker`] at the step's time.

use super::canvas::{CanvasLayout, Rect};
use super::paint_plan::Rects;
use crate::domain::model::log::{
    GilHolder, GilSegment, LoopHolder, LoopSegment, Segment, TaskState,
};

/// Each state's rectangles.
#[derive(Clone, Debug, PartialEq)]
pub struct StateShading {
    by_state: Vec<(TaskState, Rects)>,
}

impl StateShading {
    /// The rectangles to fill with `state`'s shade.
    pub fn fill(&self, state: TaskState) -> &[Rect] {
        self.by_state
            .iter()
            .find(|(s, _)| *s == state)
            .map_or(&[], |(_, r)| r.rects())
    }
}

/// Shades each task's bar (`segments[lane]`, e.g. `EventLog::bar_segments`
/// or all of a task's segments) by state, clipped to the layout's window.
pub fn state_shading(layout: &CanvasLayout, segments: &[Vec<Segment>]) -> StateShading {
    let mut by_state: Vec<(TaskState, Rects)> = TaskState::ALL
        .iter()
        .map(|&s| (s, Rects::new(layout.labelled)))
        .collect();
    let h = layout.bar_h_px;
    for (lane, segs) in segments.iter().enumerate().take(layout.tasks) {
        let y = layout.bar_y_px(lane);
        for g in segs {
            if let Some((x0, x1)) = span_px(layout, g.start_ms, g.end_ms) {
                if let Some((_, rects)) = by_state.iter_mut().find(|(s, _)| *s == g.state) {
                    rects.add(x0, x1, y, h);
                }
            }
        }
    }
    StateShading { by_state }
}

/// The window's part of `[start_ms, end_ms)` in pixels, if any.
fn span_px(layout: &CanvasLayout, start_ms: f64, end_ms: f64) -> Option<(f64, f64)> {
    let scale = &layout.scale;
    if end_ms <= start_ms || !scale.overlaps(start_ms, end_ms) {
        return None;
    }
    let from = start_ms.max(scale.start_ms);
    let to = end_ms.min(scale.end_ms());
    (to >= from).then(|| (scale.x(from), scale.x(to)))
}

/// A stretch of a lane (loop or GIL) in pixels, with who held it.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneSpan<H> {
    pub x0: f64,
    pub x1: f64,
    pub holder: H,
}

/// The loop lane's stretches within the window (idle ones included, so a
/// painter can shade them or not).
pub fn loop_spans(layout: &CanvasLayout, lane: &[LoopSegment]) -> Vec<LaneSpan<LoopHolder>> {
    lane.iter()
        .filter_map(|g| {
            span_px(layout, g.start_ms, g.end_ms).map(|(x0, x1)| LaneSpan {
                x0,
                x1,
                holder: g.holder,
            })
        })
        .collect()
}

/// The GIL lane's stretches within the window.
pub fn gil_spans(layout: &CanvasLayout, lane: &[GilSegment]) -> Vec<LaneSpan<GilHolder>> {
    lane.iter()
        .filter_map(|g| {
            span_px(layout, g.start_ms, g.end_ms).map(|(x0, x1)| LaneSpan {
                x0,
                x1,
                holder: g.holder.clone(),
            })
        })
        .collect()
}
