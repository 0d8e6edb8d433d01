//! What to draw each frame: only what changed since the last one (grown or
//! finished bars, new stream items, new lag samples, the caller's marker),
//! in as few rectangles as possible. A frame's work grows with what
//! changed, not with the number of lanes.

use super::canvas::{CanvasLayout, Rect, VLine};
use super::lanes::{Bar, MeasuredBar};
use crate::domain::model::Outcome;
use crate::domain::run::events::RunId;
use crate::domain::run::measurement::MeasuredTask;

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

/// How a measured slice is filled. The painter sets one fill style per kind
/// per frame: setting a fill style parses a colour string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BarFill {
    Running,
    Ok,
    Failed,
    Cancelled,
    TimedOut,
}

impl BarFill {
    /// Every fill, in drawing order.
    pub const ALL: [BarFill; 5] = [
        BarFill::Running,
        BarFill::Ok,
        BarFill::Failed,
        BarFill::Cancelled,
        BarFill::TimedOut,
    ];

    /// A finished bar's fill, by its task's outcome (ok when none came).
    pub fn done(outcome: Option<Outcome>) -> Self {
        match outcome {
            Some(Outcome::Failed) => BarFill::Failed,
            Some(Outcome::Cancelled) => BarFill::Cancelled,
            Some(Outcome::TimedOut) => BarFill::TimedOut,
            Some(Outcome::Ok | Outcome::NotRun) | None => BarFill::Ok,
        }
    }
}

/// One frame's changes to the bars layer: rectangles to clear first, then
/// rectangles to fill, by fill.
#[derive(Clone, Debug, PartialEq)]
pub struct BarSlices {
    pub clear: Rects,
    running: Rects,
    ok: Rects,
    failed: Rects,
    cancelled: Rects,
    timed_out: Rects,
}

impl BarSlices {
    fn new(labelled: bool) -> Self {
        BarSlices {
            clear: Rects::new(labelled),
            running: Rects::new(labelled),
            ok: Rects::new(labelled),
            failed: Rects::new(labelled),
            cancelled: Rects::new(labelled),
            timed_out: Rects::new(labelled),
        }
    }

    fn rects_mut(&mut self, fill: BarFill) -> &mut Rects {
        match fill {
            BarFill::Running => &mut self.running,
            BarFill::Ok => &mut self.ok,
            BarFill::Failed => &mut self.failed,
            BarFill::Cancelled => &mut self.cancelled,
            BarFill::TimedOut => &mut self.timed_out,
        }
    }

    /// The rectangles to fill with `fill`.
    pub fn fill(&self, fill: BarFill) -> &[Rect] {
        let rects = match fill {
            BarFill::Running => &self.running,
            BarFill::Ok => &self.ok,
            BarFill::Failed => &self.failed,
            BarFill::Cancelled => &self.cancelled,
            BarFill::TimedOut => &self.timed_out,
        };
        rects.rects()
    }
}

/// Everything that, when it changes, needs a full repaint: the run, the
/// window shown, the canvas width and the device pixel ratio.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PaintKey {
    pub run: RunId,
    pub tasks: usize,
    pub start_ms: f64,
    pub span_ms: f64,
    pub width_px: f64,
    pub dpr: f64,
}

impl PaintKey {
    pub fn new(run: RunId, layout: &CanvasLayout, dpr: f64) -> Self {
        PaintKey {
            run,
            tasks: layout.tasks,
            start_ms: layout.scale.start_ms,
            span_ms: layout.scale.span_ms,
            width_px: layout.width_px,
            dpr,
        }
    }
}

/// What the canvases already show, so that each frame adds only what is
/// new: each bar's painted extent, each lane's stream items, the lag
/// samples, and whether the caller's marker is drawn.
#[derive(Debug, Default)]
pub struct PaintProgress {
    key: Option<PaintKey>,
    bars: Vec<Painted>,
    items: Vec<usize>,
    lag: usize,
    caller: bool,
}

impl PaintProgress {
    /// Starts a frame for `key`. `true` when `key` differs from the last
    /// frame's: everything must be repainted, and nothing counts as painted.
    pub fn begin(&mut self, key: PaintKey) -> bool {
        if self.key == Some(key) {
            return false;
        }
        *self = PaintProgress {
            key: Some(key),
            bars: vec![Painted::Nothing; key.tasks],
            items: vec![0; key.tasks],
            lag: 0,
            caller: false,
        };
        true
    }

    /// The slices that bring every measured bar up to date: a growing bar
    /// adds its new slice, a bar that finished replaces its running slices
    /// with one filled by its outcome.
    pub fn bar_slices(
        &mut self,
        layout: &CanvasLayout,
        bars: &[Bar],
        measured: &[MeasuredTask],
    ) -> BarSlices {
        let mut slices = BarSlices::new(layout.labelled);
        let h = layout.bar_h_px;
        for bar in bars {
            let Some(painted) = self.bars.get_mut(bar.lane) else {
                continue;
            };
            let (next, ops) = paint_ops(*painted, bar.measured);
            *painted = next;
            let y = layout.bar_y_px(bar.lane);
            for op in ops {
                match op {
                    PaintOp::Running { x0, x1 } => {
                        slices.rects_mut(BarFill::Running).add(x0, x1, y, h)
                    }
                    PaintOp::Done { x0, x1 } => {
                        let outcome = measured.get(bar.lane).and_then(|t| t.outcome);
                        slices.rects_mut(BarFill::done(outcome)).add(x0, x1, y, h)
                    }
                    // A little wider than the bar: anti-aliased edges.
                    PaintOp::Clear { x0, x1 } => slices.clear.add(x0 - 1.0, x1 + 2.0, y, h),
                }
            }
        }
        slices
    }

    /// Ticks for the stream items that arrived since the last frame.
    pub fn new_item_ticks(
        &mut self,
        layout: &CanvasLayout,
        measured: &[MeasuredTask],
    ) -> Vec<Rect> {
        let mut ticks = Vec::new();
        for (lane, (task, painted)) in measured.iter().zip(&mut self.items).enumerate() {
            if let Some(new) = task.items_ms.get(*painted..) {
                ticks.extend(new.iter().filter_map(|&at| layout.item_tick(lane, at)));
            }
            *painted = task.items_ms.len();
        }
        ticks
    }

    /// Marks for the lag samples `(at_ms, lag_ms)` taken since the last frame.
    pub fn new_lag_marks(&mut self, layout: &CanvasLayout, lag: &[(f64, f64)]) -> Vec<Rect> {
        let new = lag.get(self.lag..).unwrap_or_default();
        self.lag = lag.len();
        new.iter()
            .filter_map(|&(at, lag)| layout.lag_mark(at, lag))
            .collect()
    }

    /// The measured caller's marker and whether it raised, the first frame
    /// the caller has resumed (`None` after, or outside the window).
    pub fn new_caller_marker(
        &mut self,
        layout: &CanvasLayout,
        caller: Option<(f64, bool)>,
    ) -> Option<(VLine, bool)> {
        let (at_ms, raised) = caller?;
        if std::mem::replace(&mut self.caller, true) {
            return None;
        }
        layout.caller_marker(at_ms).map(|line| (line, raised))
    }
}
