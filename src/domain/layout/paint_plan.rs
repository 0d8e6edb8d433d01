//! What to draw on the bars layer: only what changed since the last frame,
//! in as few rectangles as possible.

use super::lanes::MeasuredBar;

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
