//! The timeline's time axis: how milliseconds map onto x (the scale and the
//! zoomed window), where the ticks go and what they read, and how long the
//! axis is.

use crate::domain::text::decimal::Fixed;

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
        self.left_px
            + (ms - self.start_ms).max(0.0).min(self.span_ms) / self.span_ms * self.width_px
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
        let from = a.max(0.0).min(full_ms - width);
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
        // max/min, not clamp: clamp panics on a window built back to front.
        let center = center_ms.max(self.from_ms).min(self.to_ms);
        let ratio = (center - self.from_ms) / self.span_ms().max(f64::EPSILON);
        let from = center - span * ratio;
        Some(ZoomWindow::clamped(from, from + span, full_ms))
    }

    /// Moves the window by `delta_ms`, stopping at the run's edges.
    pub fn pan(self, delta_ms: f64, full_ms: f64) -> Self {
        ZoomWindow::clamped(self.from_ms + delta_ms, self.to_ms + delta_ms, full_ms)
    }
}

/// A zoom command from a key or a button.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ZoomStep {
    In,
    Out,
    ShowAll,
    PanLeft,
    PanRight,
}

/// Each zoom step halves or doubles the window.
const ZOOM_FACTOR: f64 = 2.0;
/// Each pan step moves the window by this share of its span.
const PAN_SHARE: f64 = 0.25;

impl ZoomStep {
    /// The step a key stands for on a focused timeline: `+` in, `-` out,
    /// `0` or Escape everything, ← and → pan.
    pub fn for_key(key: &str) -> Option<Self> {
        match key {
            "+" | "=" => Some(ZoomStep::In),
            "-" | "_" => Some(ZoomStep::Out),
            "0" | "Escape" => Some(ZoomStep::ShowAll),
            "ArrowLeft" => Some(ZoomStep::PanLeft),
            "ArrowRight" => Some(ZoomStep::PanRight),
            _ => None,
        }
    }

    /// The window after this step from `zoom` (`None`: the whole run,
    /// `full_ms` long), around the window's middle. `None` when the step
    /// does nothing (showing all, or panning, while nothing is zoomed).
    pub fn apply(self, zoom: Option<ZoomWindow>, full_ms: f64) -> Option<Option<ZoomWindow>> {
        let view = zoom.unwrap_or(ZoomWindow::clamped(0.0, full_ms, full_ms));
        let center_ms = (view.from_ms + view.to_ms) / 2.0;
        let pan = |share: f64| zoom.map(|z| Some(z.pan(z.span_ms() * share, full_ms)));
        match self {
            ZoomStep::In => Some(view.zoom(1.0 / ZOOM_FACTOR, center_ms, full_ms)),
            ZoomStep::Out => Some(zoom.and_then(|z| z.zoom(ZOOM_FACTOR, center_ms, full_ms))),
            ZoomStep::ShowAll => zoom.map(|_| None),
            ZoomStep::PanLeft => pan(-PAN_SHARE),
            ZoomStep::PanRight => pan(PAN_SHARE),
        }
    }
}

/// A drag narrower than this is a click, not a zoom, in CSS pixels.
pub const MIN_DRAG_PX: f64 = 6.0;

/// A pointer drag across a timeline, in CSS pixels from its left edge.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Drag {
    pub from_px: f64,
    pub to_px: f64,
}

impl Drag {
    /// A drag starting (and so far ending) at `x_px`.
    pub fn at(x_px: f64) -> Self {
        Drag {
            from_px: x_px,
            to_px: x_px,
        }
    }

    /// The same drag, now reaching `x_px`.
    pub fn to(self, x_px: f64) -> Self {
        Drag {
            to_px: x_px,
            ..self
        }
    }

    /// The band selected, as `(left, width)`, once the drag is wide enough
    /// to zoom.
    pub fn selection_px(self) -> Option<(f64, f64)> {
        let width = (self.to_px - self.from_px).abs();
        (width >= MIN_DRAG_PX).then(|| (self.from_px.min(self.to_px), width))
    }

    /// The window the drag zooms to on `scale`, for a run `full_ms` long;
    /// `None` for a click.
    pub fn window(self, scale: &TimeScale, full_ms: f64) -> Option<ZoomWindow> {
        self.selection_px().map(|_| {
            ZoomWindow::clamped(scale.ms_at(self.from_px), scale.ms_at(self.to_px), full_ms)
        })
    }
}

/// The most ticks [`ticks_in_ms`] aims at, whatever it is asked for.
pub const MAX_TICKS: usize = 1000;

/// Ticks for the window `start_ms..end_ms`: the multiples inside it of a
/// "nice" step (1, 2 or 5 × 10^k ms) giving about `target` ticks (at most
/// [`MAX_TICKS`] + 1, both ends included).
pub fn ticks_in_ms(start_ms: f64, end_ms: f64, target: usize) -> Vec<f64> {
    let span = end_ms - start_ms;
    if !span.is_finite() || span <= 0.0 || target == 0 || !start_ms.is_finite() {
        return vec![start_ms.max(0.0)];
    }
    let step = nice_step(span / target.min(MAX_TICKS) as f64);
    if !step.is_finite() {
        return vec![start_ms.max(0.0)];
    }
    let (first, last) = ((start_ms / step).ceil(), (end_ms / step).floor());
    // A step lost to precision (subnormal, or tiny against the window's
    // times) would give billions of ticks: one tick at the start instead.
    let most = (2 * MAX_TICKS + 2) as f64;
    if !(step > 0.0 && first.is_finite() && last.is_finite() && last - first <= most) {
        return vec![start_ms.max(0.0)];
    }
    let (first, last) = (first as i64, last as i64);
    // Beyond 2^53 ms the multiples round past the window's ends: keep only
    // those inside, else the start alone.
    let ticks: Vec<f64> = (first..=last)
        .map(|i| i as f64 * step)
        .filter(|t| *t >= start_ms && *t <= end_ms)
        .collect();
    if ticks.is_empty() {
        return vec![start_ms.max(0.0)];
    }
    ticks
}

/// The smallest of 1, 2, 5 × 10^k that is at least `raw` (`raw` itself
/// when 10^k underflows).
fn nice_step(raw: f64) -> f64 {
    if !(raw > 0.0 && raw.is_finite()) {
        // As powf and log10 had it: 0 and infinity stay, the rest is NaN.
        return if raw == 0.0 || raw == f64::INFINITY {
            raw
        } else {
            f64::NAN
        };
    }
    let magnitude = power_of_ten_below(raw);
    if magnitude == 0.0 {
        return raw;
    }
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= raw)
        .unwrap_or(10.0 * magnitude)
}

/// The largest power of ten at or below `raw` (positive, finite), by
/// steps of ten: exact up to 10^22 either way (a power below one is one
/// exact division). Not `powf(log10)`: libm's pow and log10 are 3 KB of
/// the app's wasm. Below the smallest subnormal power: 0.
fn power_of_ten_below(raw: f64) -> f64 {
    if raw >= 1.0 {
        let mut magnitude = 1.0;
        while magnitude * 10.0 <= raw {
            magnitude *= 10.0;
        }
        magnitude
    } else {
        let mut divisor: f64 = 1.0;
        while 1.0 / divisor > raw {
            divisor *= 10.0;
        }
        1.0 / divisor
    }
}

/// Formats a tick label: "0", "250 ms", "1.5 s".
pub fn tick_label(ms: f64) -> String {
    if ms == 0.0 {
        "0".to_string()
    } else if ms < 1000.0 {
        if ms.fract().abs() > 1e-9 {
            format!("{} ms", trimmed(ms, 2))
        } else {
            format!("{} ms", Fixed(ms, 0))
        }
    } else {
        let s = ms / 1000.0;
        if s.fract() == 0.0 {
            format!("{} s", Fixed(s, 0))
        } else {
            format!("{} s", trimmed(s, 6))
        }
    }
}

/// `value` with at most `decimals` decimals, without trailing zeros
/// (`1.50` → `1.5`). Not `{}`: formatting an f64 pulls core's float printer
/// into the app's wasm.
fn trimmed(value: f64, decimals: u8) -> String {
    let text = Fixed(value, decimals).to_string();
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
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
    let span_ms = (needed_ms / step).ceil() * step;
    // Rounding up may overflow near f64::MAX.
    if span_ms.is_finite() {
        span_ms
    } else {
        needed_ms
    }
}

#[cfg(test)]
mod power_tests {
    use super::*;

    #[test]
    fn nice_steps_match_the_powf_log10_ones() {
        let by_libm = |raw: f64| {
            let magnitude = 10f64.powf(raw.log10().floor());
            [1.0, 2.0, 5.0, 10.0]
                .iter()
                .map(|m| m * magnitude)
                .find(|step| *step >= raw)
                .unwrap_or(10.0 * magnitude)
        };
        for exponent in -20..=20 {
            for mantissa in [1.0, 1.5, 2.0, 2.5, 3.0, 4.9, 5.0, 7.0, 9.99] {
                let raw = mantissa * 10f64.powi(exponent);
                assert_eq!(nice_step(raw), by_libm(raw), "{raw}");
            }
        }
        assert_eq!(nice_step(0.0), 0.0);
        assert!(nice_step(-1.0).is_nan());
        assert_eq!(nice_step(f64::INFINITY), f64::INFINITY);
        assert_eq!(nice_step(f64::MAX), by_libm(f64::MAX));
        assert_eq!(nice_step(1e-320), 1e-320);
    }
}
