//! Paints a run's timeline on three stacked canvases:
//! - `back`: axis, grid, task labels, and (for thin lanes) the prediction;
//! - `bars`: the measured bars, painted incrementally;
//! - `front`: the prediction's dashed outlines and the predicted end.
//!
//! While a run goes on, only `bars` changes, and only by the slices that
//! grew or finished since the last frame ([`paint_ops`]); the other layers
//! are repainted only when the run, the axis or the size changes. A full
//! repaint of 1,000 lanes every frame kept the main thread so busy that
//! timers fired up to a second late, which is the very thing being measured.
//! Geometry comes from `domain::timeline`; colours from CSS custom
//! properties on the canvas, so themes need no code here.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::domain::state::{RunStatus, RunView};
use crate::domain::timeline::{
    lane_px, layout_bars, paint_ops, tick_label, ticks_ms, Bar, PaintOp, Painted, Rects, TimeScale,
    MIN_LABELLED_LANE_PX,
};
use crate::domain::trace::RunId;

/// Space for the time axis above the lanes, in CSS pixels.
const AXIS_PX: f64 = 22.0;
/// Space below the lanes, in CSS pixels.
const BOTTOM_PX: f64 = 6.0;
/// Label gutter when lanes are tall enough for labels, in CSS pixels.
const GUTTER_PX: f64 = 120.0;
/// Gutter when lanes are too thin for labels, in CSS pixels.
const THIN_GUTTER_PX: f64 = 8.0;
const RIGHT_PX: f64 = 40.0;

/// The canvas height, in CSS pixels, for a run of `tasks` tasks.
pub fn canvas_height_px(tasks: usize) -> f64 {
    AXIS_PX + lane_px(tasks) * tasks as f64 + BOTTOM_PX
}

/// The three layers of one timeline.
pub struct Layers {
    pub back: HtmlCanvasElement,
    pub bars: HtmlCanvasElement,
    pub front: HtmlCanvasElement,
}

/// Everything that, when it changes, needs a full repaint.
#[derive(Clone, Copy, PartialEq)]
struct Frame {
    run: RunId,
    tasks: usize,
    span_ms: f64,
    css_w: f64,
    dpr: f64,
}

/// Remembers what is on the canvases between frames.
#[derive(Default)]
pub struct Painter {
    frame: Option<Frame>,
    painted: Vec<Painted>,
    /// Bar colours, read from CSS at each full repaint (reading them every
    /// frame would force a style recalculation every frame).
    running_color: String,
    done_color: String,
}

struct Geometry {
    scale: TimeScale,
    lane: f64,
    bar_h: f64,
    bar_pad: f64,
    labelled: bool,
    css_w: f64,
    css_h: f64,
}

impl Geometry {
    fn bar_y(&self, lane: usize) -> f64 {
        AXIS_PX + self.lane * lane as f64 + self.bar_pad
    }
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

/// Sizes a canvas for `css_w` × `css_h` at the device pixel ratio and
/// clears it; returns its context with CSS-pixel coordinates.
fn reset(
    canvas: &HtmlCanvasElement,
    css_w: f64,
    css_h: f64,
    dpr: f64,
) -> Option<CanvasRenderingContext2d> {
    let (px_w, px_h) = ((css_w * dpr).round() as u32, (css_h * dpr).round() as u32);
    if canvas.width() != px_w || canvas.height() != px_h {
        canvas.set_width(px_w);
        canvas.set_height(px_h);
    }
    // CSSOM writes (not style attributes), which a strict CSP allows.
    let _ = canvas.style().set_property("height", &format!("{css_h}px"));
    let ctx = context(canvas)?;
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, css_w, css_h);
    Some(ctx)
}

impl Painter {
    /// Brings the canvases up to date with `run`, drawing as little as it can.
    pub fn paint(&mut self, layers: &Layers, run: &RunView, span_ms: f64, css_w: f64) {
        let tasks = run.prediction.tasks.len();
        let dpr = web_sys::window()
            .map(|w| w.device_pixel_ratio())
            .unwrap_or(1.0);
        let frame = Frame {
            run: run.id,
            tasks,
            span_ms,
            css_w: css_w.max(200.0),
            dpr,
        };
        let geometry = geometry(&frame);
        let now = (run.status == RunStatus::Running).then_some(run.now_ms);
        let bars = layout_bars(&run.prediction, &run.measurement, now, &geometry.scale);
        if self.frame != Some(frame) {
            self.frame = Some(frame);
            self.painted = vec![Painted::Nothing; tasks];
            paint_back(&layers.back, run, &bars, &geometry, dpr);
            paint_front(&layers.front, run, &bars, &geometry, dpr);
            if reset(&layers.bars, geometry.css_w, geometry.css_h, dpr).is_none() {
                return;
            }
            self.running_color = css_var(&layers.bars, "--tl-running", "#d97706");
            self.done_color = css_var(&layers.bars, "--tl-done", "#2f81f7");
        }
        let Some(ctx) = context(&layers.bars) else {
            return;
        };
        let mut running = Rects::new(geometry.labelled);
        let mut done = Rects::new(geometry.labelled);
        let mut clear = Rects::new(geometry.labelled);
        for bar in &bars {
            let (next, ops) = paint_ops(self.painted[bar.lane], bar.measured);
            self.painted[bar.lane] = next;
            let y = geometry.bar_y(bar.lane);
            for op in ops {
                match op {
                    PaintOp::Running { x0, x1 } => running.add(x0, x1, y, geometry.bar_h),
                    PaintOp::Done { x0, x1 } => done.add(x0, x1, y, geometry.bar_h),
                    // A little wider than the bar: anti-aliased edges.
                    PaintOp::Clear { x0, x1 } => clear.add(x0 - 1.0, x1 + 2.0, y, geometry.bar_h),
                }
            }
        }
        for r in clear.rects() {
            ctx.clear_rect(r.x, r.y, r.w, r.h);
        }
        // One fill style per batch: setting it is a string parse each time.
        for (rects, color) in [(running, &self.running_color), (done, &self.done_color)] {
            if rects.rects().is_empty() {
                continue;
            }
            ctx.set_fill_style_str(color);
            for r in rects.rects() {
                ctx.fill_rect(r.x, r.y, r.w, r.h);
            }
        }
    }
}

fn geometry(frame: &Frame) -> Geometry {
    let lane = lane_px(frame.tasks);
    let labelled = lane >= MIN_LABELLED_LANE_PX;
    let gutter = if labelled { GUTTER_PX } else { THIN_GUTTER_PX };
    let bar_h = (lane * 0.7).max(1.0);
    Geometry {
        scale: TimeScale::new(frame.span_ms, gutter, frame.css_w - gutter - RIGHT_PX),
        lane,
        bar_h,
        bar_pad: (lane - bar_h) / 2.0,
        labelled,
        css_w: frame.css_w,
        css_h: canvas_height_px(frame.tasks),
    }
}

/// Axis, grid lines, labels and, for thin lanes, a faint prediction fill.
fn paint_back(canvas: &HtmlCanvasElement, run: &RunView, bars: &[Bar], g: &Geometry, dpr: f64) {
    let Some(ctx) = reset(canvas, g.css_w, g.css_h, dpr) else {
        return;
    };
    let lanes_bottom = AXIS_PX + g.lane * bars.len() as f64;
    ctx.set_font("11px system-ui, sans-serif");
    ctx.set_text_baseline("middle");
    ctx.set_text_align("center");
    ctx.set_line_width(1.0);
    let grid = css_var(canvas, "--tl-grid", "#e3e8ee");
    let muted = css_var(canvas, "--tl-muted", "#57606a");
    let target_ticks = ((g.scale.width_px) / 90.0).clamp(2.0, 10.0) as usize;
    for tick in ticks_ms(g.scale.span_ms, target_ticks) {
        let x = g.scale.x(tick).round() + 0.5;
        ctx.set_stroke_style_str(&grid);
        ctx.begin_path();
        ctx.move_to(x, AXIS_PX - 4.0);
        ctx.line_to(x, lanes_bottom);
        ctx.stroke();
        ctx.set_fill_style_str(&muted);
        let _ = ctx.fill_text(&tick_label(tick), x, AXIS_PX / 2.0 - 2.0);
    }
    if g.labelled {
        ctx.set_text_align("right");
        ctx.set_fill_style_str(&css_var(canvas, "--tl-text", "#1b1f24"));
        for (bar, task) in bars.iter().zip(&run.scenario.tasks) {
            let y = g.bar_y(bar.lane) + g.bar_h / 2.0;
            let x = g.scale.left_px - 8.0;
            let _ = ctx.fill_text_with_max_width(&task.label, x, y, g.scale.left_px - 12.0);
        }
    } else {
        ctx.set_global_alpha(0.25);
        ctx.set_fill_style_str(&css_var(canvas, "--tl-ghost", "#6e7781"));
        for bar in bars {
            let w = (bar.predicted_x1 - bar.predicted_x0).max(1.0);
            ctx.fill_rect(bar.predicted_x0, g.bar_y(bar.lane), w, g.bar_h);
        }
        ctx.set_global_alpha(1.0);
    }
}

/// The prediction's dashed outlines (labelled lanes) and its end line, on
/// top of the bars so a late bar still shows where it should have ended.
fn paint_front(canvas: &HtmlCanvasElement, run: &RunView, bars: &[Bar], g: &Geometry, dpr: f64) {
    let Some(ctx) = reset(canvas, g.css_w, g.css_h, dpr) else {
        return;
    };
    let lanes_bottom = AXIS_PX + g.lane * bars.len() as f64;
    if g.labelled {
        ctx.set_stroke_style_str(&css_var(canvas, "--tl-ghost", "#6e7781"));
        ctx.set_line_dash(&dash(&[4.0, 3.0])).ok();
        for bar in bars {
            let w = (bar.predicted_x1 - bar.predicted_x0).max(1.0) - 1.0;
            ctx.stroke_rect(
                bar.predicted_x0 + 0.5,
                g.bar_y(bar.lane) + 0.5,
                w,
                g.bar_h - 1.0,
            );
        }
    }
    let end_x = g.scale.x(run.prediction.total_ms).round() + 0.5;
    ctx.set_stroke_style_str(&css_var(canvas, "--tl-muted", "#57606a"));
    ctx.set_line_dash(&dash(&[2.0, 2.0])).ok();
    ctx.begin_path();
    ctx.move_to(end_x, AXIS_PX);
    ctx.line_to(end_x, lanes_bottom);
    ctx.stroke();
    ctx.set_line_dash(&dash(&[])).ok();
}

fn dash(segments: &[f64]) -> wasm_bindgen::JsValue {
    let array = js_sys::Array::new();
    for s in segments {
        array.push(&wasm_bindgen::JsValue::from_f64(*s));
    }
    array.into()
}
