//! Statistics of runs: measured wall time against the prediction, overhead,
//! per-task lateness, percentiles, and the speedup of gathering over
//! awaiting in turn.

use crate::domain::model::Prediction;
use crate::domain::run::measurement::Measurement;
use crate::domain::text::decimal::Fixed;

/// Summary of one completed run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunStats {
    /// Measured time from the run's start to its last task's end.
    pub wall_ms: f64,
    /// What the event-loop model predicts (sequential: sum, gather: max).
    pub predicted_ms: f64,
    /// Measured minus predicted: what timers and scheduling added.
    pub overhead_ms: f64,
    /// Largest amount by which a task ended later than predicted.
    pub max_lateness_ms: f64,
}

/// Computes a run's statistics; `None` until the run has finished.
pub fn run_stats(prediction: &Prediction, measurement: &Measurement) -> Option<RunStats> {
    let wall_ms = measurement.total_ms?;
    let max_lateness_ms = prediction
        .tasks
        .iter()
        .zip(&measurement.tasks)
        .filter_map(|(p, m)| Some(m.end_ms? - p.end_ms?))
        .fold(0.0, f64::max);
    Some(RunStats {
        wall_ms,
        predicted_ms: prediction.total_ms,
        overhead_ms: wall_ms - prediction.total_ms,
        max_lateness_ms,
    })
}

/// How many times faster `fast_ms` is than `slow_ms` (e.g. sequential ÷
/// gathered). `None` when the fast time is zero, where a ratio means nothing.
pub fn speedup(slow_ms: f64, fast_ms: f64) -> Option<f64> {
    if fast_ms > 0.0 && slow_ms.is_finite() && fast_ms.is_finite() {
        Some(slow_ms / fast_ms)
    } else {
        None
    }
}

/// Formats a millisecond figure for display: one decimal under 100 ms,
/// whole milliseconds under 10 s, seconds with two decimals above.
pub fn format_ms(ms: f64) -> String {
    if !ms.is_finite() {
        return "—".to_string();
    }
    let abs = ms.abs();
    if abs < 100.0 {
        format!("{} ms", Fixed(ms, 1))
    } else if abs < 10_000.0 {
        format!("{} ms", Fixed(ms, 0))
    } else {
        format!("{} s", Fixed(ms / 1000.0, 2))
    }
}

/// How a run's time reads against another's, in words that never say
/// "1.0× faster": (the factor or phrase, what follows it).
/// 10 → ("10×", "faster than"); 1.02 → ("as fast as", ""); 0.5 → ("2.0×",
/// "slower than").
pub fn versus(factor: f64) -> (String, &'static str) {
    if !factor.is_finite() || factor <= 0.0 {
        return ("—".to_string(), "");
    }
    if factor < 0.95 {
        (format_speedup(1.0 / factor), "slower than")
    } else if factor <= 1.05 {
        ("as fast as".to_string(), "")
    } else {
        (format_speedup(factor), "faster than")
    }
}

/// Formats a speedup factor, e.g. "3.4×".
pub fn format_speedup(factor: f64) -> String {
    if factor >= 10.0 {
        format!("{}×", Fixed(factor, 0))
    } else {
        format!("{}×", Fixed(factor, 1))
    }
}

/// The `p`-th percentile (0..=100) of `values`, interpolating linearly
/// between the two nearest ranks (as numpy's default). Non-finite values
/// are ignored; `None` when nothing is left.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() || !p.is_finite() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let rank = p.clamp(0.0, 100.0) / 100.0 * (sorted.len() - 1) as f64;
    let lo = rank.floor() as usize;
    let hi = rank.ceil() as usize;
    let (a, b) = (sorted[lo], sorted[hi.min(sorted.len() - 1)]);
    Some(a + (b - a) * (rank - lo as f64))
}

/// Signed lateness of every task that has both a predicted and a measured
/// end: measured end − predicted end, in ms (positive: later than the model),
/// in list order.
pub fn end_lateness_ms(prediction: &Prediction, measurement: &Measurement) -> Vec<f64> {
    prediction
        .tasks
        .iter()
        .zip(&measurement.tasks)
        .filter_map(|(p, m)| Some(m.end_ms? - p.end_ms?))
        .collect()
}
