//! One lane per task: how tall the lanes are, and each task's predicted and
//! measured bar along the time scale.

use super::timeline::TimeScale;
use crate::domain::model::Prediction;
use crate::domain::run::measurement::Measurement;

/// Lane height when there is room, in CSS pixels.
pub const FULL_LANE_PX: f64 = 22.0;
/// Height the lanes of a big run are squeezed into, in CSS pixels.
pub const MAX_LANES_PX: f64 = 440.0;
/// Labels are drawn only when a lane is at least this tall.
pub const MIN_LABELLED_LANE_PX: f64 = 12.0;

/// Height of one lane for `lanes` tasks: full height while they fit, then
/// squeezed so the whole run stays visible at once.
pub fn lane_px(lanes: usize) -> f64 {
    if lanes == 0 {
        return FULL_LANE_PX;
    }
    (MAX_LANES_PX / lanes as f64).min(FULL_LANE_PX)
}

/// The lane a key moves the focus to among `tasks` lanes, from `current`
/// (none yet: the first): ↓ next, ↑ previous, Home first, End last. `None`
/// for other keys, or when there are no lanes.
pub fn lane_for_key(current: Option<usize>, key: &str, tasks: usize) -> Option<usize> {
    let last = tasks.checked_sub(1)?;
    match key {
        "ArrowDown" => Some(current.map_or(0, |l| (l + 1).min(last))),
        "ArrowUp" => Some(current.map_or(0, |l| l.saturating_sub(1))),
        "Home" => Some(0),
        "End" => Some(last),
        _ => None,
    }
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
