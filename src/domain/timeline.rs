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
    pub predicted_x0: f64,
    pub predicted_x1: f64,
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
            let m = measurement.tasks.get(lane).copied().unwrap_or_default();
            let measured = match (m.start_ms, m.end_ms) {
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
                predicted_x0: scale.x(p.start_ms),
                predicted_x1: scale.x(p.end_ms),
                measured,
            }
        })
        .collect()
}
