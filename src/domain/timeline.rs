//! Pure layout maths for the timeline: time scale, axis ticks, lane heights
//! and the bars to draw. The UI only paints what this computes, so geometry
//! is tested natively.

use super::measure::Measurement;
use super::simulate::Prediction;

/// Lane height when there is room, in CSS pixels.
pub const FULL_LANE_PX: f64 = 22.0;
/// Height the lanes of a big run are squeezed into, in CSS pixels.
pub const MAX_LANES_PX: f64 = 440.0;
/// Labels are drawn only when a lane is at least this tall.
pub const MIN_LABELLED_LANE_PX: f64 = 12.0;

/// Maps milliseconds onto a horizontal pixel range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeScale {
    pub span_ms: f64,
    pub left_px: f64,
    pub width_px: f64,
}

impl TimeScale {
    /// A scale showing `0..span_ms` (a zero span is widened to 1 ms).
    pub fn new(span_ms: f64, left_px: f64, width_px: f64) -> Self {
        let span_ms = if span_ms.is_finite() && span_ms > 0.0 {
            span_ms
        } else {
            1.0
        };
        TimeScale {
            span_ms,
            left_px,
            width_px: width_px.max(1.0),
        }
    }

    pub fn x(&self, ms: f64) -> f64 {
        self.left_px + ms.clamp(0.0, self.span_ms) / self.span_ms * self.width_px
    }
}

/// Tick positions in ms for an axis from 0 to `span_ms`, at a "nice" step
/// (1, 2 or 5 × 10^k) giving about `target` ticks. Always includes 0.
pub fn ticks_ms(span_ms: f64, target: usize) -> Vec<f64> {
    if !span_ms.is_finite() || span_ms <= 0.0 || target == 0 {
        return vec![0.0];
    }
    let step = nice_step(span_ms / target as f64);
    let count = (span_ms / step).floor() as usize;
    (0..=count).map(|i| i as f64 * step).collect()
}

/// The smallest of 1, 2, 5 × 10^k that is at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= raw)
        .unwrap_or(10.0 * magnitude)
}

/// Formats a tick label: "0", "250 ms", "1.5 s".
pub fn tick_label(ms: f64) -> String {
    if ms == 0.0 {
        "0".to_string()
    } else if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        let s = ms / 1000.0;
        if s.fract() == 0.0 {
            format!("{s:.0} s")
        } else {
            format!("{s} s")
        }
    }
}

/// Height of one lane for `lanes` tasks: full height while they fit, then
/// squeezed so the whole run stays visible at once.
pub fn lane_px(lanes: usize) -> f64 {
    if lanes == 0 {
        return FULL_LANE_PX;
    }
    (MAX_LANES_PX / lanes as f64).min(FULL_LANE_PX)
}

/// What a task's measured bar looks like right now.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MeasuredBar {
    NotStarted,
    Running { x0: f64, x1: f64 },
    Done { x0: f64, x1: f64 },
}

/// One task's bars in pixel coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    pub lane: usize,
    /// The prediction's extent; `None` when the model says it never runs.
    pub predicted: Option<(f64, f64)>,
    pub measured: MeasuredBar,
}

/// Lays out every task's predicted (ghost) and measured bar. A task that has
/// started but not ended grows up to `now_ms` (or stays at its start when the
/// run is over, e.g. stopped).
pub fn layout_bars(
    prediction: &Prediction,
    measurement: &Measurement,
    now_ms: Option<f64>,
    scale: &TimeScale,
) -> Vec<Bar> {
    prediction
        .tasks
        .iter()
        .enumerate()
        .map(|(lane, p)| {
            let (start_ms, end_ms) = measurement
                .tasks
                .get(lane)
                .map(|m| (m.start_ms, m.end_ms))
                .unwrap_or_default();
            let measured = match (start_ms, end_ms) {
                (Some(s), Some(e)) => MeasuredBar::Done {
                    x0: scale.x(s),
                    x1: scale.x(e),
                },
                (Some(s), None) => MeasuredBar::Running {
                    x0: scale.x(s),
                    x1: scale.x(now_ms.unwrap_or(s).max(s)),
                },
                _ => MeasuredBar::NotStarted,
            };
            Bar {
                lane,
                predicted: p
                    .start_ms
                    .zip(p.end_ms)
                    .map(|(s, e)| (scale.x(s), scale.x(e))),
                measured,
            }
        })
        .collect()
}

/// The axis length to show for runs needing `needed_ms`: rounded up to a
/// step of a sixteenth to a sixth of it, so a run that overruns its prediction
/// grows the axis in a few jumps instead of every frame (each jump costs a
/// full repaint).
pub fn axis_span_ms(needed_ms: f64) -> f64 {
    if !needed_ms.is_finite() || needed_ms <= 0.0 {
        return 1.0;
    }
    let step = nice_step(needed_ms / 16.0);
    (needed_ms / step).ceil() * step
}

/// What is already painted for a task's measured bar, in pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Painted {
    #[default]
    Nothing,
    Running {
        x0: f64,
        x1: f64,
    },
    Done,
}

/// One drawing step that brings a painted bar up to date.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PaintOp {
    Running { x0: f64, x1: f64 },
    Done { x0: f64, x1: f64 },
    Clear { x0: f64, x1: f64 },
}

/// The steps that turn what is painted into the bar as it is now: a
/// running bar only gets its new slice, a bar that finished replaces its
/// running slices, and a finished bar is never touched again.
pub fn paint_ops(painted: Painted, bar: MeasuredBar) -> (Painted, Vec<PaintOp>) {
    match (painted, bar) {
        (Painted::Done, _) | (_, MeasuredBar::NotStarted) => (painted, Vec::new()),
        (Painted::Nothing, MeasuredBar::Running { x0, x1 }) => (
            Painted::Running { x0, x1 },
            vec![PaintOp::Running { x0, x1 }],
        ),
        (Painted::Running { x0: p0, x1: p1 }, MeasuredBar::Running { x1, .. }) => {
            if x1 > p1 {
                (
                    Painted::Running { x0: p0, x1 },
                    vec![PaintOp::Running { x0: p1, x1 }],
                )
            } else {
                (painted, Vec::new())
            }
        }
        (Painted::Running { x0: p0, x1: p1 }, MeasuredBar::Done { x0, x1 }) => (
            Painted::Done,
            vec![PaintOp::Clear { x0: p0, x1: p1 }, PaintOp::Done { x0, x1 }],
        ),
        (Painted::Nothing, MeasuredBar::Done { x0, x1 }) => {
            (Painted::Done, vec![PaintOp::Done { x0, x1 }])
        }
    }
}

/// A rectangle in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// Rectangles to draw, with neighbouring lanes' identical slices merged into
/// one when `merge` is set (thin lanes): while 10,000 gathered tasks run,
/// every bar grows by the same slice each frame, and one tall rectangle
/// replaces 10,000 small ones. Edges snap to whole pixels so slices line up
/// and merge.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rects {
    merge: bool,
    rects: Vec<Rect>,
}

impl Rects {
    /// Labelled lanes are tall and few: keep their bars apart.
    pub fn new(labelled: bool) -> Self {
        Rects {
            merge: !labelled,
            rects: Vec::new(),
        }
    }

    /// Adds a lane's slice from `x0` to `x1` at `y`, `h` tall. Lanes must be
    /// added top to bottom for merging.
    pub fn add(&mut self, x0: f64, x1: f64, y: f64, h: f64) {
        let x = x0.round();
        let w = (x1.round() - x).max(1.0);
        if self.merge {
            if let Some(last) = self.rects.last_mut() {
                // Adjacent: the gap to the previous lane is at most a lane.
                if last.x == x && last.w == w && y - (last.y + last.h) <= h {
                    last.h = y + h - last.y;
                    return;
                }
            }
        }
        self.rects.push(Rect { x, y, w, h });
    }

    pub fn rects(&self) -> &[Rect] {
        &self.rects
    }
}
