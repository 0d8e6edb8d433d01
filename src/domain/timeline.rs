//! Pure layout maths for the timeline: time scale, axis ticks, lane heights
//! and the bars to draw. The UI only paints what this computes, so geometry
//! is tested natively.

use super::decimal::Fixed;
use super::measure::Measurement;
use super::simulate::Prediction;

/// Lane height when there is room, in CSS pixels.
pub const FULL_LANE_PX: f64 = 22.0;
/// Height the lanes of a big run are squeezed into, in CSS pixels.
pub const MAX_LANES_PX: f64 = 440.0;
/// Labels are drawn only when a lane is at least this tall.
pub const MIN_LABELLED_LANE_PX: f64 = 12.0;

/// Maps milliseconds onto a horizontal pixel range: the window
/// `start_ms..start_ms + span_ms` fills `left_px..left_px + width_px`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeScale {
    pub start_ms: f64,
    pub span_ms: f64,
    pub left_px: f64,
    pub width_px: f64,
}

impl TimeScale {
    /// A scale showing `0..span_ms` (a zero span is widened to 1 ms).
    pub fn new(span_ms: f64, left_px: f64, width_px: f64) -> Self {
        TimeScale::window(0.0, span_ms, left_px, width_px)
    }

    /// A scale showing `start_ms..start_ms + span_ms` (zoomed in).
    pub fn window(start_ms: f64, span_ms: f64, left_px: f64, width_px: f64) -> Self {
        let span_ms = if span_ms.is_finite() && span_ms > 0.0 {
            span_ms
        } else {
            1.0
        };
        TimeScale {
            start_ms: if start_ms.is_finite() { start_ms } else { 0.0 },
            span_ms,
            left_px,
            width_px: width_px.max(1.0),
        }
    }

    pub fn end_ms(&self) -> f64 {
        self.start_ms + self.span_ms
    }

    /// The x of `ms`, clamped to the window's edges.
    pub fn x(&self, ms: f64) -> f64 {
        self.left_px + (ms - self.start_ms).clamp(0.0, self.span_ms) / self.span_ms * self.width_px
    }

    /// The time under `x_px` (not clamped).
    pub fn ms_at(&self, x_px: f64) -> f64 {
        self.start_ms + (x_px - self.left_px) / self.width_px * self.span_ms
    }

    /// Whether any of `from_ms..=to_ms` is inside the window.
    pub fn overlaps(&self, from_ms: f64, to_ms: f64) -> bool {
        to_ms >= self.start_ms && from_ms <= self.end_ms()
    }
}

/// The part of the time axis shown, in ms. `None` in the UI means the whole
/// run; a window is always inside `0..full_ms` and at least [`MIN_ZOOM_MS`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ZoomWindow {
    pub from_ms: f64,
    pub to_ms: f64,
}

/// The narrowest zoom window, in ms.
pub const MIN_ZOOM_MS: f64 = 2.0;

impl ZoomWindow {
    /// `from..to` ordered, kept inside `0..full_ms` and widened to the minimum.
    pub fn clamped(from_ms: f64, to_ms: f64, full_ms: f64) -> Self {
        let full_ms = if full_ms.is_finite() && full_ms > 0.0 {
            full_ms
        } else {
            1.0
        };
        let (a, b) = if from_ms <= to_ms {
            (from_ms, to_ms)
        } else {
            (to_ms, from_ms)
        };
        let (a, b) = (
            if a.is_finite() { a } else { 0.0 },
            if b.is_finite() { b } else { full_ms },
        );
        let width = (b - a).max(MIN_ZOOM_MS.min(full_ms)).min(full_ms);
        let from = a.clamp(0.0, full_ms - width);
        ZoomWindow {
            from_ms: from,
            to_ms: from + width,
        }
    }

    pub fn span_ms(&self) -> f64 {
        self.to_ms - self.from_ms
    }

    /// Zooms by `factor` (< 1 in, > 1 out) around `center_ms`; `None` once the
    /// window covers the whole run again.
    pub fn zoom(self, factor: f64, center_ms: f64, full_ms: f64) -> Option<Self> {
        let span = self.span_ms() * factor;
        if span >= full_ms {
            return None;
        }
        let center = center_ms.clamp(self.from_ms, self.to_ms);
        let ratio = (center - self.from_ms) / self.span_ms().max(f64::EPSILON);
        let from = center - span * ratio;
        Some(ZoomWindow::clamped(from, from + span, full_ms))
    }

    /// Moves the window by `delta_ms`, stopping at the run's edges.
    pub fn pan(self, delta_ms: f64, full_ms: f64) -> Self {
        ZoomWindow::clamped(self.from_ms + delta_ms, self.to_ms + delta_ms, full_ms)
    }
}

/// Tick positions in ms for an axis from 0 to `span_ms`, at a "nice" step
/// (1, 2 or 5 × 10^k) giving about `target` ticks. Always includes 0.
pub fn ticks_ms(span_ms: f64, target: usize) -> Vec<f64> {
    if !span_ms.is_finite() || span_ms <= 0.0 || target == 0 {
        return vec![0.0];
    }
    let step = nice_step(span_ms / target as f64);
    multiples(0.0, span_ms, step, target).unwrap_or_else(|| vec![0.0])
}

/// Ticks at a nice step for the window `start_ms..end_ms`: the multiples of
/// the step inside it.
pub fn ticks_in_ms(start_ms: f64, end_ms: f64, target: usize) -> Vec<f64> {
    let span = end_ms - start_ms;
    if !span.is_finite() || span <= 0.0 || target == 0 || !start_ms.is_finite() {
        return vec![start_ms.max(0.0)];
    }
    let step = nice_step(span / target as f64);
    multiples(start_ms, end_ms, step, target).unwrap_or_else(|| vec![start_ms.max(0.0)])
}

/// The multiples of `step` in `start..=end`, or `None` when the step is
/// lost to precision (zero, subnormal, or tiny against the window's
/// times): stepping by it would never end.
fn multiples(start_ms: f64, end_ms: f64, step: f64, target: usize) -> Option<Vec<f64>> {
    let (first, last) = ((start_ms / step).ceil(), (end_ms / step).floor());
    let most = target.saturating_mul(2).saturating_add(2) as f64;
    if !(step > 0.0 && first.is_finite() && last.is_finite() && last - first <= most) {
        return None;
    }
    let count = if last >= first {
        (last - first) as usize + 1
    } else {
        0
    };
    Some((0..count).map(|k| (first + k as f64) * step).collect())
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
        if ms.fract().abs() > 1e-9 {
            format!("{} ms", (ms * 100.0).round() / 100.0)
        } else {
            format!("{} ms", Fixed(ms, 0))
        }
    } else {
        let s = ms / 1000.0;
        if s.fract() == 0.0 {
            format!("{} s", Fixed(s, 0))
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
            let shown_until = end_ms.or(now_ms).unwrap_or(f64::INFINITY);
            let visible = start_ms.is_some_and(|s| scale.overlaps(s, shown_until));
            let measured = match (start_ms, end_ms) {
                _ if !visible => MeasuredBar::NotStarted,
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
                    .filter(|&(s, e)| scale.overlaps(s, e))
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
    let span = (needed_ms / step).ceil() * step;
    if span.is_finite() {
        span
    } else {
        needed_ms
    }
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
