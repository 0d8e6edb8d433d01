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

use crate::domain::layout::lanes::{lane_px, layout_bars, Bar, MIN_LABELLED_LANE_PX};
use crate::domain::layout::paint_plan::{paint_ops, PaintOp, Painted, Rects};
use crate::domain::layout::timeline::{tick_label, ticks_in_ms, TimeScale};
use crate::domain::model::Outcome;
use crate::domain::run::events::RunId;
use crate::domain::state::{RunStatus, RunView};
use crate::domain::text::decimal::Fixed;

/// Space for the time axis above the lanes, in CSS pixels.
const AXIS_PX: f64 = 22.0;
/// Space below the lanes, in CSS pixels.
const BOTTOM_PX: f64 = 6.0;
/// Label gutter when lanes are tall enough for labels, in CSS pixels.
const GUTTER_PX: f64 = 120.0;
/// Gutter when lanes are too thin for labels, in CSS pixels.
const THIN_GUTTER_PX: f64 = 8.0;
const RIGHT_PX: f64 = 40.0;

/// Height of the loop-lag track under the lanes, in CSS pixels.
const LAG_TRACK_PX: f64 = 28.0;
/// Gap between the lanes and the lag track, in CSS pixels.
const LAG_GAP_PX: f64 = 8.0;

/// The canvas height, in CSS pixels, for a run of `tasks` tasks.
pub fn canvas_height_px(tasks: usize) -> f64 {
    AXIS_PX + lane_px(tasks) * tasks as f64 + LAG_GAP_PX + LAG_TRACK_PX + BOTTOM_PX
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
    start_ms: f64,
    span_ms: f64,
    css_w: f64,
    dpr: f64,
}

/// Remembers what is on the canvases between frames.
#[derive(Default)]
pub struct Painter {
    frame: Option<Frame>,
    painted: Vec<Painted>,
    items_painted: Vec<usize>,
    lag_painted: usize,
    caller_painted: bool,
    /// Read from CSS at each full repaint (reading them every frame would
    /// force a style recalculation every frame).
    colors: Colors,
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

    fn lanes_bottom(&self) -> f64 {
        self.css_h - BOTTOM_PX - LAG_TRACK_PX - LAG_GAP_PX
    }

    fn lag_top(&self) -> f64 {
        self.css_h - BOTTOM_PX - LAG_TRACK_PX
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
    let _ = canvas
        .style()
        .set_property("height", &format!("{}px", Fixed(css_h, 2)));
    let ctx = context(canvas)?;
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, css_w, css_h);
    Some(ctx)
}

impl Painter {
    /// Brings the canvases up to date with `run`, drawing as little as it can.
    /// `start_ms..start_ms + span_ms` is the window shown (zoom).
    pub fn paint(
        &mut self,
        layers: &Layers,
        run: &RunView,
        (start_ms, span_ms): (f64, f64),
        css_w: f64,
    ) {
        let tasks = run.prediction.tasks.len();
        let dpr = web_sys::window()
            .map(|w| w.device_pixel_ratio())
            .unwrap_or(1.0);
        let frame = Frame {
            run: run.id,
            tasks,
            start_ms,
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
            self.items_painted = vec![0; tasks];
            self.lag_painted = 0;
            self.caller_painted = false;
            paint_back(&layers.back, run, &bars, &geometry, dpr);
            paint_front(&layers.front, run, &bars, &geometry, dpr);
            if reset(&layers.bars, geometry.css_w, geometry.css_h, dpr).is_none() {
                return;
            }
            self.colors = Colors::read(&layers.bars);
        }
        let (Some(ctx), Some(front)) = (context(&layers.bars), context(&layers.front)) else {
            return;
        };
        let c = &self.colors;
        // Batches by colour: setting a fill style is a string parse each time.
        let mut batches: Vec<(&str, Rects)> =
            [&c.running, &c.ok, &c.failed, &c.cancelled, &c.timed_out]
                .into_iter()
                .map(|color| (color.as_str(), Rects::new(geometry.labelled)))
                .collect();
        let mut clear = Rects::new(geometry.labelled);
        for bar in &bars {
            let (next, ops) = paint_ops(self.painted[bar.lane], bar.measured);
            self.painted[bar.lane] = next;
            let y = geometry.bar_y(bar.lane);
            let outcome = run.measurement.tasks.get(bar.lane).and_then(|t| t.outcome);
            for op in ops {
                match op {
                    PaintOp::Running { x0, x1 } => batches[0].1.add(x0, x1, y, geometry.bar_h),
                    PaintOp::Done { x0, x1 } => {
                        let batch = match outcome {
                            Some(Outcome::Failed) => 2,
                            Some(Outcome::Cancelled) => 3,
                            Some(Outcome::TimedOut) => 4,
                            _ => 1,
                        };
                        batches[batch].1.add(x0, x1, y, geometry.bar_h)
                    }
                    // A little wider than the bar: anti-aliased edges.
                    PaintOp::Clear { x0, x1 } => clear.add(x0 - 1.0, x1 + 2.0, y, geometry.bar_h),
                }
            }
        }
        for r in clear.rects() {
            ctx.clear_rect(r.x, r.y, r.w, r.h);
        }
        for (color, rects) in &batches {
            if rects.rects().is_empty() {
                continue;
            }
            ctx.set_fill_style_str(color);
            for r in rects.rects() {
                ctx.fill_rect(r.x, r.y, r.w, r.h);
            }
        }
        self.paint_items(&front, run, &geometry);
        self.paint_lag(&ctx, run, &geometry);
        self.paint_caller(&front, run, &geometry);
    }

    /// Stream items as ticks on the front layer, as they arrive.
    fn paint_items(&mut self, ctx: &CanvasRenderingContext2d, run: &RunView, g: &Geometry) {
        let mut color_set = false;
        for (lane, task) in run.measurement.tasks.iter().enumerate() {
            let done = self.items_painted.get(lane).copied().unwrap_or(0);
            if task.items_ms.len() <= done {
                continue;
            }
            if !color_set {
                ctx.set_fill_style_str(&self.colors.item);
                color_set = true;
            }
            for &at in task.items_ms[done..]
                .iter()
                .filter(|&&at| g.scale.overlaps(at, at))
            {
                let x = g.scale.x(at).round();
                ctx.fill_rect(x - 1.0, g.bar_y(lane) - 1.0, 2.0, g.bar_h + 2.0);
            }
            self.items_painted[lane] = task.items_ms.len();
        }
    }

    /// The loop-lag track under the lanes: each late heartbeat is drawn
    /// from when it was due to when it ran, taller the later it was, so a
    /// blocking call shows as a wall.
    fn paint_lag(&mut self, ctx: &CanvasRenderingContext2d, run: &RunView, g: &Geometry) {
        let samples = &run.measurement.lag;
        if samples.len() <= self.lag_painted {
            return;
        }
        ctx.set_fill_style_str(&self.colors.lag);
        let top = g.lag_top();
        for &(at, lag) in samples[self.lag_painted..]
            .iter()
            .filter(|&&(at, lag)| g.scale.overlaps(at - lag.max(0.0), at))
        {
            let h = lag_height_px(lag);
            let x0 = g.scale.x(at - lag.max(0.0)).round();
            let x1 = g.scale.x(at).round().max(x0 + 1.0);
            ctx.fill_rect(x0, top + LAG_TRACK_PX - h, x1 - x0, h);
        }
        self.lag_painted = samples.len();
    }

    /// When the awaiting code resumed: a solid line on the front layer.
    fn paint_caller(&mut self, ctx: &CanvasRenderingContext2d, run: &RunView, g: &Geometry) {
        let Some((at, raised)) = run.measurement.caller else {
            return;
        };
        if self.caller_painted {
            return;
        }
        self.caller_painted = true;
        if !g.scale.overlaps(at, at) {
            return;
        }
        let x = g.scale.x(at).round() + 0.5;
        let color = if raised {
            &self.colors.failed
        } else {
            &self.colors.caller
        };
        ctx.set_stroke_style_str(color);
        ctx.set_line_width(2.0);
        ctx.begin_path();
        ctx.move_to(x, AXIS_PX - 2.0);
        ctx.line_to(x, g.lanes_bottom());
        ctx.stroke();
        ctx.set_line_width(1.0);
    }
}

/// Height of a lag sample in the track: 1 px at nothing, full at 100 ms+.
fn lag_height_px(lag_ms: f64) -> f64 {
    (lag_ms.max(0.0) / 100.0 * LAG_TRACK_PX).clamp(1.0, LAG_TRACK_PX)
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
}

/// The time scale of a timeline of `tasks` lanes, `css_w` wide, showing
/// `start_ms..start_ms + span_ms` (shared with hover hit-testing).
pub fn scale_for(tasks: usize, (start_ms, span_ms): (f64, f64), css_w: f64) -> TimeScale {
    let gutter = if lane_px(tasks) >= MIN_LABELLED_LANE_PX {
        GUTTER_PX
    } else {
        THIN_GUTTER_PX
    };
    let css_w = css_w.max(200.0);
    TimeScale::window(start_ms, span_ms, gutter, css_w - gutter - RIGHT_PX)
}

/// The lane under `y_px` (CSS pixels from the canvas top), if any.
pub fn lane_at(tasks: usize, y_px: f64) -> Option<usize> {
    let lane = ((y_px - AXIS_PX) / lane_px(tasks)).floor();
    (lane >= 0.0 && (lane as usize) < tasks).then_some(lane as usize)
}

/// The top of lane `lane`, in CSS pixels from the canvas top.
pub fn lane_top_px(tasks: usize, lane: usize) -> f64 {
    AXIS_PX + lane_px(tasks) * lane as f64
}

fn geometry(frame: &Frame) -> Geometry {
    let lane = lane_px(frame.tasks);
    let labelled = lane >= MIN_LABELLED_LANE_PX;
    let bar_h = (lane * 0.7).max(1.0);
    Geometry {
        scale: scale_for(frame.tasks, (frame.start_ms, frame.span_ms), frame.css_w),
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
    ctx.set_font("11px system-ui, sans-serif");
    ctx.set_text_baseline("middle");
    ctx.set_text_align("center");
    ctx.set_line_width(1.0);
    let grid = css_var(canvas, "--tl-grid", "#e3e8ee");
    let muted = css_var(canvas, "--tl-muted", "#57606a");
    let target_ticks = ((g.scale.width_px) / 90.0).clamp(2.0, 10.0) as usize;
    for tick in ticks_in_ms(g.scale.start_ms, g.scale.end_ms(), target_ticks) {
        let x = g.scale.x(tick).round() + 0.5;
        ctx.set_stroke_style_str(&grid);
        ctx.begin_path();
        ctx.move_to(x, AXIS_PX - 4.0);
        ctx.line_to(x, g.lag_top() + LAG_TRACK_PX);
        ctx.stroke();
        ctx.set_fill_style_str(&muted);
        let _ = ctx.fill_text(&tick_label(tick), x, AXIS_PX / 2.0 - 2.0);
    }
    // The lag track's baseline and name.
    ctx.set_stroke_style_str(&muted);
    ctx.begin_path();
    ctx.move_to(g.scale.left_px, g.lag_top() + LAG_TRACK_PX + 0.5);
    ctx.line_to(
        g.scale.left_px + g.scale.width_px,
        g.lag_top() + LAG_TRACK_PX + 0.5,
    );
    ctx.stroke();
    ctx.set_text_align("right");
    ctx.set_fill_style_str(&muted);
    if g.labelled {
        let _ = ctx.fill_text(
            "loop lag",
            g.scale.left_px - 8.0,
            g.lag_top() + LAG_TRACK_PX / 2.0,
        );
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
            if let Some((x0, x1)) = bar.predicted {
                ctx.fill_rect(x0, g.bar_y(bar.lane), (x1 - x0).max(1.0), g.bar_h);
            }
        }
        ctx.set_global_alpha(1.0);
    }
}

/// The prediction's dashed outlines (labelled lanes) and the predicted
/// moment the awaiting code resumes, on top of the bars so a late bar still
/// shows where it should have ended.
fn paint_front(canvas: &HtmlCanvasElement, run: &RunView, bars: &[Bar], g: &Geometry, dpr: f64) {
    let Some(ctx) = reset(canvas, g.css_w, g.css_h, dpr) else {
        return;
    };
    if g.labelled {
        ctx.set_stroke_style_str(&css_var(canvas, "--tl-ghost", "#6e7781"));
        ctx.set_line_dash(&dash(&[4.0, 3.0])).ok();
        for bar in bars {
            if let Some((x0, x1)) = bar.predicted {
                let w = (x1 - x0).max(1.0) - 1.0;
                ctx.stroke_rect(x0 + 0.5, g.bar_y(bar.lane) + 0.5, w, g.bar_h - 1.0);
            }
        }
    }
    let caller_ms = run.prediction.caller_ms;
    if g.scale.overlaps(caller_ms, caller_ms) {
        let end_x = g.scale.x(caller_ms).round() + 0.5;
        ctx.set_stroke_style_str(&css_var(canvas, "--tl-muted", "#57606a"));
        ctx.set_line_dash(&dash(&[2.0, 2.0])).ok();
        ctx.begin_path();
        ctx.move_to(end_x, AXIS_PX);
        ctx.line_to(end_x, g.lanes_bottom());
        ctx.stroke();
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
