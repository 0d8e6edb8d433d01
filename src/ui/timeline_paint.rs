//! Paints a run's timeline on a canvas: axis with ticks, one lane per task,
//! the predicted interval as a dashed ghost and the measured one as a bar.
//! Geometry comes from `domain::timeline`; colours come from CSS custom
//! properties on the canvas, so light and dark themes need no code here.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::domain::state::{RunStatus, RunView};
use crate::domain::timeline::{
    lane_px, layout_bars, tick_label, ticks_ms, MeasuredBar, TimeScale, MIN_LABELLED_LANE_PX,
};

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

struct Palette {
    text: String,
    muted: String,
    grid: String,
    ghost: String,
    running: String,
    done: String,
}

fn palette(canvas: &HtmlCanvasElement) -> Palette {
    let style = web_sys::window().and_then(|w| w.get_computed_style(canvas).ok().flatten());
    let var = |name: &str, fallback: &str| {
        style
            .as_ref()
            .and_then(|s| s.get_property_value(name).ok())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| fallback.to_string())
    };
    Palette {
        text: var("--tl-text", "#1b1f24"),
        muted: var("--tl-muted", "#57606a"),
        grid: var("--tl-grid", "#d8dee4"),
        ghost: var("--tl-ghost", "#8c959f"),
        running: var("--tl-running", "#f0a020"),
        done: var("--tl-done", "#2f81f7"),
    }
}

/// Paints the whole timeline. Does nothing if the canvas has no 2D context.
pub fn paint(canvas: &HtmlCanvasElement, run: &RunView, span_ms: f64) {
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let tasks = run.prediction.tasks.len();
    let lane = lane_px(tasks);
    let labelled = lane >= MIN_LABELLED_LANE_PX;
    let css_w = f64::from(canvas.client_width()).max(200.0);
    let css_h = canvas_height_px(tasks);
    let dpr = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0);
    let (px_w, px_h) = ((css_w * dpr).round() as u32, (css_h * dpr).round() as u32);
    if canvas.width() != px_w || canvas.height() != px_h {
        canvas.set_width(px_w);
        canvas.set_height(px_h);
    }
    // CSSOM writes (not style attributes), which a strict CSP allows.
    let _ = canvas.style().set_property("height", &format!("{css_h}px"));
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, css_w, css_h);

    let colors = palette(canvas);
    let gutter = if labelled { GUTTER_PX } else { THIN_GUTTER_PX };
    let scale = TimeScale::new(span_ms, gutter, css_w - gutter - RIGHT_PX);
    let lanes_bottom = AXIS_PX + lane * tasks as f64;

    // Axis: ticks, labels and grid lines down through the lanes.
    ctx.set_font("11px system-ui, sans-serif");
    ctx.set_text_baseline("middle");
    ctx.set_text_align("center");
    ctx.set_line_width(1.0);
    let target_ticks = ((css_w - gutter) / 90.0).clamp(2.0, 10.0) as usize;
    for tick in ticks_ms(scale.span_ms, target_ticks) {
        let x = scale.x(tick).round() + 0.5;
        ctx.set_stroke_style_str(&colors.grid);
        ctx.begin_path();
        ctx.move_to(x, AXIS_PX - 4.0);
        ctx.line_to(x, lanes_bottom);
        ctx.stroke();
        ctx.set_fill_style_str(&colors.muted);
        let _ = ctx.fill_text(&tick_label(tick), x, AXIS_PX / 2.0 - 2.0);
    }

    // Lanes: ghost of the prediction, then the measured bar on top.
    let bar_h = (lane * 0.7).max(1.0);
    let bar_pad = (lane - bar_h) / 2.0;
    let now = (run.status == RunStatus::Running).then_some(run.now_ms);
    let bars = layout_bars(&run.prediction, &run.measurement, now, &scale);
    ctx.set_text_align("right");
    for bar in &bars {
        let y = AXIS_PX + lane * bar.lane as f64 + bar_pad;
        if labelled {
            if let Some(task) = run.scenario.tasks.get(bar.lane) {
                ctx.set_fill_style_str(&colors.text);
                let _ = ctx.fill_text_with_max_width(
                    &task.label,
                    gutter - 8.0,
                    y + bar_h / 2.0,
                    gutter - 12.0,
                );
            }
        } else {
            // Too thin to outline: a faint ghost fill, under the measurement.
            ctx.set_global_alpha(0.25);
            ctx.set_fill_style_str(&colors.ghost);
            ctx.fill_rect(
                bar.predicted_x0,
                y,
                (bar.predicted_x1 - bar.predicted_x0).max(1.0),
                bar_h,
            );
            ctx.set_global_alpha(1.0);
        }
        let measured = match bar.measured {
            MeasuredBar::NotStarted => None,
            MeasuredBar::Running { x0, x1 } => Some((x0, x1, &colors.running)),
            MeasuredBar::Done { x0, x1 } => Some((x0, x1, &colors.done)),
        };
        if let Some((x0, x1, color)) = measured {
            ctx.set_fill_style_str(color);
            ctx.fill_rect(x0, y, (x1 - x0).max(1.5), bar_h);
        }
        if labelled {
            // The prediction's outline goes on top, so a late bar shows it.
            ctx.set_stroke_style_str(&colors.ghost);
            ctx.set_line_dash(&dash(&[4.0, 3.0])).ok();
            ctx.stroke_rect(
                bar.predicted_x0 + 0.5,
                y + 0.5,
                (bar.predicted_x1 - bar.predicted_x0).max(1.0) - 1.0,
                bar_h - 1.0,
            );
            ctx.set_line_dash(&dash(&[])).ok();
        }
    }

    // The run's predicted end, dashed across all lanes.
    let end_x = scale.x(run.prediction.total_ms).round() + 0.5;
    ctx.set_stroke_style_str(&colors.muted);
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
