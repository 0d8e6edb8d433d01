//! Where each part of a run's timeline sits on its canvas, in CSS pixels.
//! From top to bottom: the time axis, one lane per task, a gap, the
//! loop-lag track. Left of the plot is a gutter for task labels, right of it
//! room for the last tick's label. Every position a painter needs (grid
//! lines, labels, bars, ghosts, markers, item ticks, lag marks) and the way
//! back from a pointer (which lane, where the task card goes) are computed
//! here; the painter only adds colours and canvas calls.

use super::lanes::{lane_px, Bar, MIN_LABELLED_LANE_PX};
use super::timeline::{tick_label, ticks_in_ms, TimeScale};

/// Height of the time axis band above the lanes.
pub const AXIS_PX: f64 = 22.0;
/// Gap between the last lane and the lag track.
pub const LAG_GAP_PX: f64 = 8.0;
/// Height of the loop-lag track under the lanes.
pub const LAG_TRACK_PX: f64 = 28.0;
/// Space under the lag track.
pub const BOTTOM_PX: f64 = 6.0;
/// Left gutter, holding the task labels, when lanes are tall enough for them.
pub const GUTTER_PX: f64 = 120.0;
/// Left gutter when lanes are too thin for labels.
pub const THIN_GUTTER_PX: f64 = 8.0;
/// Space right of the plot, for the last tick's label.
pub const RIGHT_PX: f64 = 40.0;
/// Canvases narrower than this (a phone) get a narrower gutter and right
/// margin, so the plot keeps most of the width.
pub const NARROW_PX: f64 = 480.0;
/// A narrow canvas's label gutter: this share of its width, at least
/// [`NARROW_GUTTER_MIN_PX`].
const NARROW_GUTTER_SHARE: f64 = 0.22;
/// The narrowest label gutter.
pub const NARROW_GUTTER_MIN_PX: f64 = 60.0;
/// Space right of a narrow canvas's plot (half a tick label).
pub const NARROW_RIGHT_PX: f64 = 24.0;
/// Narrowest canvas laid out: a narrower one is laid out this wide.
pub const MIN_WIDTH_PX: f64 = 200.0;
/// A lag this long fills the lag track's height; shorter ones are drawn in
/// proportion, at least 1 px tall.
pub const FULL_LAG_MS: f64 = 100.0;

/// About one axis tick per this many pixels of plot, from 2 to 10 ticks.
const TICK_SPACING_PX: f64 = 90.0;
/// Grid lines start this far above the lanes, among the tick labels.
const GRID_OVERHANG_PX: f64 = 4.0;
/// Labels end this far left of the plot.
const LABEL_GAP_PX: f64 = 8.0;
/// A label may be as wide as the gutter less this.
const LABEL_MARGIN_PX: f64 = 12.0;
/// A bar's height as a share of its lane's (at least 1 px).
const BAR_SHARE: f64 = 0.7;
/// The measured caller marker reaches this far into the axis band, above
/// the dashed predicted one.
const CALLER_OVERHANG_PX: f64 = 2.0;
/// The task card's top, below its lane's top.
const CARD_BELOW_LANE_PX: f64 = 18.0;
/// The task card's distance right of the pointer.
const CARD_POINTER_GAP_PX: f64 = 12.0;
/// Room the task card needs right of its anchor before it flips to the left.
const CARD_ROOM_PX: f64 = 260.0;

/// A rectangle in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// A point in CSS pixels (a text anchor: alignment is the painter's).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// A vertical line at `x` from `y0` down to `y1`, in CSS pixels. `x` sits
/// on a half pixel so a 1 px line covers one pixel column.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VLine {
    pub x: f64,
    pub y0: f64,
    pub y1: f64,
}

/// One tick of the time axis: its grid line and its label, centred on the
/// line above the lanes.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisTick {
    pub line: VLine,
    pub label: String,
    pub label_at: Point,
}

/// Where a text is written, right-aligned at `at`, at most `max_w` wide.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextBox {
    pub at: Point,
    pub max_w: f64,
}

/// Where a task's card goes, in CSS pixels from the stack's top left.
/// `flip`: the card is drawn left of `left` (it would not fit right of it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CardAnchor {
    pub left: f64,
    pub top: f64,
    pub flip: bool,
}

/// The layout of one timeline canvas: `tasks` lanes, `width_px` wide,
/// showing the time window of `scale`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CanvasLayout {
    pub tasks: usize,
    /// The time window mapped onto the plot, right of the gutter.
    pub scale: TimeScale,
    pub lane_px: f64,
    pub bar_h_px: f64,
    /// From a lane's top to its bar's top; negative when a lane is thinner
    /// than the 1 px its bar is drawn at.
    pub bar_pad_px: f64,
    /// Lanes are tall enough for labels: they get labels and dashed
    /// prediction outlines instead of a faint prediction fill.
    pub labelled: bool,
    pub width_px: f64,
    pub height_px: f64,
}

impl CanvasLayout {
    /// Lays out `tasks` lanes on a canvas `width_px` wide (at least
    /// [`MIN_WIDTH_PX`]) showing `start_ms..start_ms + span_ms`.
    pub fn new(tasks: usize, (start_ms, span_ms): (f64, f64), width_px: f64) -> Self {
        let lane = lane_px(tasks);
        let labelled = lane >= MIN_LABELLED_LANE_PX;
        let width_px = width_px.max(MIN_WIDTH_PX);
        let (gutter, right) = margins_px(width_px, labelled);
        let bar_h_px = (lane * BAR_SHARE).max(1.0);
        CanvasLayout {
            tasks,
            scale: TimeScale::window(start_ms, span_ms, gutter, width_px - gutter - right),
            lane_px: lane,
            bar_h_px,
            bar_pad_px: (lane - bar_h_px) / 2.0,
            labelled,
            width_px,
            height_px: canvas_height_px(tasks),
        }
    }

    /// The top of the first lane: the one place bands above the lanes add up.
    pub fn lanes_top_px(&self) -> f64 {
        AXIS_PX
    }

    /// The top of lane `lane`.
    pub fn lane_top_px(&self, lane: usize) -> f64 {
        self.lanes_top_px() + self.lane_px * lane as f64
    }

    /// The bottom of the last lane.
    pub fn lanes_bottom_px(&self) -> f64 {
        self.height_px - BOTTOM_PX - LAG_TRACK_PX - LAG_GAP_PX
    }

    /// The top of lane `lane`'s bar.
    pub fn bar_y_px(&self, lane: usize) -> f64 {
        self.lane_top_px(lane) + self.bar_pad_px
    }

    /// The top of the lag track.
    pub fn lag_top_px(&self) -> f64 {
        self.height_px - BOTTOM_PX - LAG_TRACK_PX
    }

    /// The lag track's baseline, where its marks stand.
    pub fn lag_bottom_px(&self) -> f64 {
        self.lag_top_px() + LAG_TRACK_PX
    }

    /// The lane under `y_px` (from the canvas top), if any.
    pub fn lane_at(&self, y_px: f64) -> Option<usize> {
        let lane = ((y_px - self.lanes_top_px()) / self.lane_px).floor();
        (lane >= 0.0 && (lane as usize) < self.tasks).then_some(lane as usize)
    }

    /// The axis ticks, about one per [`TICK_SPACING_PX`], each with a grid
    /// line from the axis band down through the lag track.
    pub fn axis_ticks(&self) -> Vec<AxisTick> {
        let target = (self.scale.width_px / TICK_SPACING_PX).clamp(2.0, 10.0) as usize;
        ticks_in_ms(self.scale.start_ms, self.scale.end_ms(), target)
            .into_iter()
            .map(|ms| {
                let x = self.scale.x(ms).round() + 0.5;
                AxisTick {
                    line: VLine {
                        x,
                        y0: AXIS_PX - GRID_OVERHANG_PX,
                        y1: self.lag_bottom_px(),
                    },
                    label: tick_label(ms),
                    label_at: Point {
                        x,
                        y: AXIS_PX / 2.0 - 2.0,
                    },
                }
            })
            .collect()
    }

    /// The lag track's baseline across the plot, as `(from, to)`, on a half
    /// pixel.
    pub fn lag_baseline(&self) -> (Point, Point) {
        let y = self.lag_bottom_px() + 0.5;
        (
            Point {
                x: self.scale.left_px,
                y,
            },
            Point {
                x: self.scale.left_px + self.scale.width_px,
                y,
            },
        )
    }

    /// Where the lag track's name goes; `None` when lanes get no labels.
    pub fn lag_label(&self) -> Option<Point> {
        self.labelled.then(|| Point {
            x: self.scale.left_px - LABEL_GAP_PX,
            y: self.lag_top_px() + LAG_TRACK_PX / 2.0,
        })
    }

    /// Where lane `lane`'s label goes, level with its bar; `None` when lanes
    /// are too thin for labels.
    pub fn lane_label(&self, lane: usize) -> Option<TextBox> {
        self.labelled.then(|| TextBox {
            at: Point {
                x: self.scale.left_px - LABEL_GAP_PX,
                y: self.bar_y_px(lane) + self.bar_h_px / 2.0,
            },
            max_w: self.scale.left_px - LABEL_MARGIN_PX,
        })
    }

    /// A thin lane's prediction, filled faintly behind its bar; `None` for
    /// labelled lanes (they get [`Self::ghost_outline`]) or when the model
    /// never runs the task in this window.
    pub fn ghost_fill(&self, bar: &Bar) -> Option<Rect> {
        let (x0, x1) = bar.predicted.filter(|_| !self.labelled)?;
        Some(Rect {
            x: x0,
            y: self.bar_y_px(bar.lane),
            w: (x1 - x0).max(1.0),
            h: self.bar_h_px,
        })
    }

    /// A labelled lane's prediction, a dashed outline in front of its bar
    /// (so a late bar still shows where it should have ended), inset half a
    /// pixel to stroke whole pixels.
    pub fn ghost_outline(&self, bar: &Bar) -> Option<Rect> {
        let (x0, x1) = bar.predicted.filter(|_| self.labelled)?;
        Some(Rect {
            x: x0 + 0.5,
            y: self.bar_y_px(bar.lane) + 0.5,
            w: (x1 - x0).max(1.0) - 1.0,
            h: self.bar_h_px - 1.0,
        })
    }

    /// A marker across the lanes at `at_ms` (the moment the awaiting code
    /// resumed, as predicted); `None` outside the window.
    pub fn marker(&self, at_ms: f64) -> Option<VLine> {
        self.scale.overlaps(at_ms, at_ms).then(|| VLine {
            x: self.scale.x(at_ms).round() + 0.5,
            y0: self.lanes_top_px(),
            y1: self.lanes_bottom_px(),
        })
    }

    /// The measured moment the awaiting code resumed: a [`Self::marker`]
    /// reaching a little into the axis band.
    pub fn caller_marker(&self, at_ms: f64) -> Option<VLine> {
        self.marker(at_ms).map(|line| VLine {
            y0: line.y0 - CALLER_OVERHANG_PX,
            ..line
        })
    }

    /// A stream item that reached lane `lane` at `at_ms`: a 2 px tick a
    /// pixel taller than the bar at each end; `None` outside the window.
    pub fn item_tick(&self, lane: usize, at_ms: f64) -> Option<Rect> {
        self.scale.overlaps(at_ms, at_ms).then(|| Rect {
            x: self.scale.x(at_ms).round() - 1.0,
            y: self.bar_y_px(lane) - 1.0,
            w: 2.0,
            h: self.bar_h_px + 2.0,
        })
    }

    /// A heartbeat that ran at `at_ms`, `lag_ms` late: a mark in the lag
    /// track from when it was due to when it ran, standing on the baseline,
    /// taller the later it was (a blocking call shows as a wall). `None`
    /// outside the window.
    pub fn lag_mark(&self, at_ms: f64, lag_ms: f64) -> Option<Rect> {
        let due_ms = at_ms - lag_ms.max(0.0);
        if !self.scale.overlaps(due_ms, at_ms) {
            return None;
        }
        let h = lag_height_px(lag_ms);
        let x0 = self.scale.x(due_ms).round();
        let x1 = self.scale.x(at_ms).round().max(x0 + 1.0);
        Some(Rect {
            x: x0,
            y: self.lag_bottom_px() - h,
            w: x1 - x0,
            h,
        })
    }

    /// Where lane `lane`'s task card goes: beside the pointer at
    /// `pointer_x_px`, or, without a pointer (keyboard), at the predicted
    /// start `start_ms` (the plot's left edge when there is none).
    pub fn card_anchor(
        &self,
        lane: usize,
        pointer_x_px: Option<f64>,
        start_ms: Option<f64>,
    ) -> CardAnchor {
        let left = match pointer_x_px {
            Some(x) => x + CARD_POINTER_GAP_PX,
            None => start_ms.map_or(self.scale.left_px, |ms| self.scale.x(ms)),
        };
        CardAnchor {
            left,
            top: self.lane_top_px(lane) + CARD_BELOW_LANE_PX,
            flip: left > self.width_px - CARD_ROOM_PX,
        }
    }
}

/// The label gutter left of the plot and the margin right of it, on a
/// canvas `width_px` wide (at least [`MIN_WIDTH_PX`]); `labelled`: lanes
/// carry labels.
pub fn margins_px(width_px: f64, labelled: bool) -> (f64, f64) {
    let narrow = width_px < NARROW_PX;
    let gutter = match (labelled, narrow) {
        (false, _) => THIN_GUTTER_PX,
        (true, false) => GUTTER_PX,
        // Whole pixels: bars start on the pixel edge their time rounds to.
        (true, true) => (width_px * NARROW_GUTTER_SHARE)
            .round()
            .clamp(NARROW_GUTTER_MIN_PX, GUTTER_PX),
    };
    (gutter, if narrow { NARROW_RIGHT_PX } else { RIGHT_PX })
}

/// The canvas height for `tasks` lanes.
pub fn canvas_height_px(tasks: usize) -> f64 {
    AXIS_PX + lane_px(tasks) * tasks as f64 + LAG_GAP_PX + LAG_TRACK_PX + BOTTOM_PX
}

/// Height of a lag mark: 1 px for no lag, the whole track at
/// [`FULL_LAG_MS`] and more.
pub fn lag_height_px(lag_ms: f64) -> f64 {
    (lag_ms.max(0.0) / FULL_LAG_MS * LAG_TRACK_PX).clamp(1.0, LAG_TRACK_PX)
}
