//! Paints a run's timeline on three stacked canvases:
//! - `back`: axis, grid, task labels, and (for thin lanes) the prediction;
//! - `bars`: the measured bars and the lag marks, painted incrementally;
//! - `front`: the prediction's dashed outlines, the caller markers and the
//!   stream items.
//!
//! The rule: a frame's work grows with what changed, not with the number of
//! lanes. Painting holds the main thread, and a busy main thread delays the
//! very timers a run measures. So each frame draws only what is new
//! ([`PaintProgress`]), and the back and front layers are repainted in full
//! only when their [`PaintKey`] changes (run, window, width, pixel ratio).
//! Positions come from `domain::layout`; colours from CSS custom properties
//! on the canvas, so themes need no code here.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::domain::layout::canvas::{CanvasLayout, Rect, VLine};
use crate::domain::layout::lanes::{layout_bars, Bar};
use crate::domain::layout::paint_plan::{BarFill, PaintKey, PaintProgress};
use crate::domain::run::{Run, RunStatus};
use crate::domain::text::decimal::Fixed;

/// The three layers of one timeline.
pub struct Layers {
    pub back: HtmlCanvasElement,
    pub bars: HtmlCanvasElement,
    pub front: HtmlCanvasElement,
}

/// Remembers what is on the canvases between frames.
#[derive(Default)]
pub struct Painter {
    progress: PaintProgress,
    /// Read from CSS at each full repaint (reading them every frame would
    /// force a style recalculation every frame).
    colors: Colors,
}

fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
}

fn css_var(canvas: &HtmlCanvasElement, name: &str, fallback: &str) -> String {
    web_sys::window()
        .and_then(|w| w.get_computed_style(canvas).ok().flatten())
        .and_then(|s| s.get_property_value(name).ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| fallback.to_string())
}

/// Sizes a canvas for the layout at the device pixel ratio and clears it;
/// returns its context with CSS-pixel coordinates.
fn reset(
    canvas: &HtmlCanvasElement,
    layout: &CanvasLayout,
    dpr: f64,
) -> Option<CanvasRenderingContext2d> {
    let (css_w, css_h) = (layout.width_px, layout.height_px);
    let (px_w, px_h) = ((css_w * dpr).round() as u32, (css_h * dpr).round() as u32);
    if canvas.width() != px_w || canvas.height() != px_h {
        canvas.set_width(px_w);
        canvas.set_height(px_h);
    }
    // CSSOM writes (not style attributes), which a strict CSP allows.
    let _ = canvas
        .style()
        .set_property("height", &format!("{}px", Fixed(css_h, 2)));
    let ctx = context(canvas)?;
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, css_w, css_h);
    Some(ctx)
}

fn fill_rects(ctx: &CanvasRenderingContext2d, color: &str, rects: &[Rect]) {
    if rects.is_empty() {
        return;
    }
    ctx.set_fill_style_str(color);
    for r in rects {
        ctx.fill_rect(r.x, r.y, r.w, r.h);
    }
}

fn stroke_line(ctx: &CanvasRenderingContext2d, line: VLine) {
    ctx.begin_path();
    ctx.move_to(line.x, line.y0);
    ctx.line_to(line.x, line.y1);
    ctx.stroke();
}

impl Painter {
    /// Forgets what is painted: the next frame repaints every layer and
    /// reads the colours again (the theme changed).
    pub fn invalidate(&mut self) {
        self.progress = PaintProgress::default();
    }

    /// Brings the canvases up to date with `run`, drawing as little as it can.
    /// `start_ms..start_ms + span_ms` is the window shown (zoom).
    pub fn paint(&mut self, layers: &Layers, run: &Run, window: (f64, f64), css_w: f64) {
        let dpr = web_sys::window()
            .map(|w| w.device_pixel_ratio())
            .unwrap_or(1.0);
        let layout = CanvasLayout::new(run.prediction.tasks.len(), window, css_w);
        let now = (run.status == RunStatus::Running).then_some(run.now_ms);
        let bars = layout_bars(&run.prediction, &run.measurement, now, &layout.scale);
        if self.progress.begin(PaintKey::new(run.id, &layout, dpr)) {
            paint_back(&layers.back, run, &bars, &layout, dpr);
            paint_front(&layers.front, run, &bars, &layout, dpr);
            if reset(&layers.bars, &layout, dpr).is_none() {
                return;
            }
            self.colors = Colors::read(&layers.bars);
        }
        let (Some(ctx), Some(front)) = (context(&layers.bars), context(&layers.front)) else {
            return;
        };
        let (measured, c) = (&run.measurement, &self.colors);
        let slices = self.progress.bar_slices(&layout, &bars, &measured.tasks);
        for r in slices.clear.rects() {
            ctx.clear_rect(r.x, r.y, r.w, r.h);
        }
        for fill in BarFill::ALL {
            fill_rects(&ctx, c.bar(fill), slices.fill(fill));
        }
        let items = self.progress.new_item_ticks(&layout, &measured.tasks);
        fill_rects(&front, &c.item, &items);
        let lag = self.progress.new_lag_marks(&layout, &measured.lag);
        fill_rects(&ctx, &c.lag, &lag);
        if let Some((line, raised)) = self.progress.new_caller_marker(&layout, measured.caller) {
            front.set_stroke_style_str(if raised { &c.failed } else { &c.caller });
            front.set_line_width(2.0);
            stroke_line(&front, line);
            front.set_line_width(1.0);
        }
    }
}

/// Colours from CSS custom properties, read at each full repaint.
#[derive(Default)]
struct Colors {
    running: String,
    ok: String,
    failed: String,
    cancelled: String,
    timed_out: String,
    item: String,
    lag: String,
    caller: String,
}

impl Colors {
    fn read(canvas: &HtmlCanvasElement) -> Self {
        let v = |name: &str, fallback: &str| css_var(canvas, name, fallback);
        Colors {
            running: v("--tl-running", "#d97706"),
            ok: v("--tl-done", "#2f81f7"),
            failed: v("--tl-failed", "#cf222e"),
            cancelled: v("--tl-cancelled", "#8c959f"),
            timed_out: v("--tl-timeout", "#8250df"),
            item: v("--tl-item", "#1b1f24"),
            lag: v("--tl-lag", "#d1242f"),
            caller: v("--tl-caller", "#1a7f37"),
        }
    }

    fn bar(&self, fill: BarFill) -> &str {
        match fill {
            BarFill::Running => &self.running,
            BarFill::Ok => &self.ok,
            BarFill::Failed => &self.failed,
            BarFill::Cancelled => &self.cancelled,
            BarFill::TimedOut => &self.timed_out,
        }
    }
}

/// Axis, grid lines, labels and, for thin lanes, a faint prediction fill.
fn paint_back(
    canvas: &HtmlCanvasElement,
    run: &Run,
    bars: &[Bar],
    layout: &CanvasLayout,
    dpr: f64,
) {
    let Some(ctx) = reset(canvas, layout, dpr) else {
        return;
    };
    ctx.set_font("11px system-ui, sans-serif");
    ctx.set_text_baseline("middle");
    ctx.set_text_align("center");
    ctx.set_line_width(1.0);
    let grid = css_var(canvas, "--tl-grid", "#e3e8ee");
    let muted = css_var(canvas, "--tl-muted", "#57606a");
    for tick in layout.axis_ticks() {
        ctx.set_stroke_style_str(&grid);
        stroke_line(&ctx, tick.line);
        ctx.set_fill_style_str(&muted);
        let _ = ctx.fill_text(&tick.label, tick.label_at.x, tick.label_at.y);
    }
    // The lag track's baseline and name.
    ctx.set_stroke_style_str(&muted);
    let (from, to) = layout.lag_baseline();
    ctx.begin_path();
    ctx.move_to(from.x, from.y);
    ctx.line_to(to.x, to.y);
    ctx.stroke();
    ctx.set_text_align("right");
    ctx.set_fill_style_str(&muted);
    if layout.labelled {
        if let Some(at) = layout.lag_label() {
            let _ = ctx.fill_text("loop lag", at.x, at.y);
        }
        ctx.set_fill_style_str(&css_var(canvas, "--tl-text", "#1b1f24"));
        for (bar, task) in bars.iter().zip(&run.scenario.tasks) {
            if let Some(text) = layout.lane_label(bar.lane) {
                let _ = ctx.fill_text_with_max_width(&task.label, text.at.x, text.at.y, text.max_w);
            }
        }
    } else {
        ctx.set_global_alpha(0.25);
        ctx.set_fill_style_str(&css_var(canvas, "--tl-ghost", "#6e7781"));
        for r in bars.iter().filter_map(|bar| layout.ghost_fill(bar)) {
            ctx.fill_rect(r.x, r.y, r.w, r.h);
        }
        ctx.set_global_alpha(1.0);
    }
}

/// The prediction's dashed outlines (labelled lanes) and the predicted
/// moment the awaiting code resumes, on top of the bars so a late bar still
/// shows where it should have ended.
fn paint_front(
    canvas: &HtmlCanvasElement,
    run: &Run,
    bars: &[Bar],
    layout: &CanvasLayout,
    dpr: f64,
) {
    let Some(ctx) = reset(canvas, layout, dpr) else {
        return;
    };
    if layout.labelled {
        ctx.set_stroke_style_str(&css_var(canvas, "--tl-ghost", "#6e7781"));
        ctx.set_line_dash(&dash(&[4.0, 3.0])).ok();
        for r in bars.iter().filter_map(|bar| layout.ghost_outline(bar)) {
            ctx.stroke_rect(r.x, r.y, r.w, r.h);
        }
    }
    if let Some(line) = layout.marker(run.prediction.caller_ms) {
        ctx.set_stroke_style_str(&css_var(canvas, "--tl-muted", "#57606a"));
        ctx.set_line_dash(&dash(&[2.0, 2.0])).ok();
        stroke_line(&ctx, line);
    }
    ctx.set_line_dash(&dash(&[])).ok();
}

fn dash(segments: &[f64]) -> wasm_bindgen::JsValue {
    let array = js_sys::Array::new();
    for s in segments {
        array.push(&wasm_bindgen::JsValue::from_f64(*s));
    }
    array.into()
}
