//! Native tests: where the timeline's parts sit on the canvas (exact pixels
//! for small cases, invariants for any size) and what each frame paints.

#![cfg(not(target_arch = "wasm32"))]

use async_playground::domain::layout::canvas::*;
use async_playground::domain::layout::lanes::{lane_px, layout_bars, Bar, MeasuredBar};
use async_playground::domain::layout::paint_plan::{BarFill, PaintKey, PaintProgress};
use async_playground::domain::model::{predict_durations, Outcome};
use async_playground::domain::run::events::{EventKind, RunId};
use async_playground::domain::run::measurement::{MeasuredTask, Measurement};
use async_playground::domain::scenario::RunMode;
use proptest::prelude::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn assert_rect(r: Rect, (x, y, w, h): (f64, f64, f64, f64)) {
    assert!(
        close(r.x, x) && close(r.y, y) && close(r.w, w) && close(r.h, h),
        "{r:?} is not ({x}, {y}, {w}, {h})"
    );
}

/// Five labelled lanes on a 1,000 px canvas showing 0..1000 ms: the plot is
/// 120..960 px, so 1 ms is 0.84 px.
fn five() -> CanvasLayout {
    CanvasLayout::new(5, (0.0, 1000.0), 1000.0)
}

#[test]
fn five_lanes_stack_axis_lanes_gap_and_lag_track() {
    let l = five();
    assert!(l.labelled);
    assert_eq!(
        (l.lane_px, l.height_px),
        (22.0, 22.0 + 110.0 + 8.0 + 28.0 + 6.0)
    );
    assert_eq!((l.scale.left_px, l.scale.width_px), (120.0, 840.0));
    assert!(close(l.bar_h_px, 15.4) && close(l.bar_pad_px, 3.3));
    assert_eq!(l.lanes_top_px(), 22.0);
    assert_eq!(l.lane_top_px(2), 66.0);
    assert!(close(l.bar_y_px(2), 69.3));
    assert_eq!(
        (l.lanes_bottom_px(), l.lag_top_px(), l.lag_bottom_px()),
        (132.0, 140.0, 168.0)
    );
    assert_eq!(canvas_height_px(5), l.height_px);
}

#[test]
fn a_pointer_finds_the_lane_under_it_and_nothing_outside_the_lanes() {
    let l = five();
    let at = |y| l.lane_at(y);
    assert_eq!(
        [
            at(21.9),
            at(22.0),
            at(43.9),
            at(44.0),
            at(131.9),
            at(132.0),
            at(150.0)
        ],
        [None, Some(0), Some(0), Some(1), Some(4), None, None]
    );
    for y in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1e300, 1e300] {
        assert_eq!(at(y), None, "{y}");
    }
    assert_eq!(CanvasLayout::new(0, (0.0, 1.0), 500.0).lane_at(30.0), None);
}

#[test]
fn axis_ticks_fall_on_pixel_centres_with_their_grid_lines_and_labels() {
    let ticks = five().axis_ticks();
    let xs: Vec<f64> = ticks.iter().map(|t| t.line.x).collect();
    assert_eq!(xs, [120.5, 288.5, 456.5, 624.5, 792.5, 960.5]);
    let labels: Vec<&str> = ticks.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels, ["0", "200 ms", "400 ms", "600 ms", "800 ms", "1 s"]);
    let first = &ticks[0];
    assert_eq!((first.line.y0, first.line.y1), (18.0, 168.0));
    assert_eq!(first.label_at, Point { x: 120.5, y: 9.0 });
}

#[test]
fn labelled_lanes_get_labels_outlines_and_a_named_lag_track() {
    let l = five();
    assert_eq!(
        l.lag_baseline(),
        (Point { x: 120.0, y: 168.5 }, Point { x: 960.0, y: 168.5 })
    );
    assert_eq!(l.lag_label(), Some(Point { x: 112.0, y: 154.0 }));
    let label = l.lane_label(0).unwrap();
    assert!(close(label.at.x, 112.0) && close(label.at.y, 33.0) && label.max_w == 108.0);
    let bar = Bar {
        lane: 0,
        predicted: Some((120.0, 288.0)),
        measured: MeasuredBar::NotStarted,
    };
    assert_eq!(l.ghost_fill(&bar), None);
    assert_rect(l.ghost_outline(&bar).unwrap(), (120.5, 25.8, 167.0, 14.4));
    let never = Bar {
        predicted: None,
        ..bar
    };
    assert_eq!(l.ghost_outline(&never), None);
}

#[test]
fn thin_lanes_get_a_faint_fill_and_no_labels() {
    let l = CanvasLayout::new(1000, (0.0, 1000.0), 1440.0);
    assert!(!l.labelled);
    assert!(close(l.lane_px, 0.44));
    assert_eq!((l.scale.left_px, l.scale.width_px), (8.0, 1392.0));
    assert_eq!(l.bar_h_px, 1.0, "a bar is at least a pixel tall");
    assert!(close(l.bar_pad_px, -0.28));
    assert!(close(l.height_px, 22.0 + 440.0 + 42.0));
    assert_eq!((l.lane_label(0), l.lag_label()), (None, None));
    let bar = Bar {
        lane: 10,
        predicted: Some((8.0, 8.2)),
        measured: MeasuredBar::NotStarted,
    };
    assert_eq!(l.ghost_outline(&bar), None);
    assert_rect(
        l.ghost_fill(&bar).unwrap(),
        (8.0, 22.0 + 4.4 - 0.28, 1.0, 1.0),
    );
}

#[test]
fn markers_items_and_lag_marks_in_exact_pixels() {
    let l = five();
    assert_eq!(
        l.marker(500.0),
        Some(VLine {
            x: 540.5,
            y0: 22.0,
            y1: 132.0
        })
    );
    assert_eq!(
        l.caller_marker(500.0),
        Some(VLine {
            x: 540.5,
            y0: 20.0,
            y1: 132.0
        })
    );
    assert_eq!(l.marker(1000.5), None, "after the window");
    assert_eq!(l.marker(-0.5), None, "before the window");
    assert_eq!(l.marker(f64::NAN), None);
    assert_rect(l.item_tick(1, 250.0).unwrap(), (329.0, 46.3, 2.0, 17.4));
    assert_eq!(l.item_tick(1, 1e9), None);
    // Due at 250, ran at 300: 50 ms late is half the track's 28 px.
    assert_rect(l.lag_mark(300.0, 50.0).unwrap(), (330.0, 154.0, 42.0, 14.0));
    assert_rect(l.lag_mark(300.0, 0.0).unwrap(), (372.0, 167.0, 1.0, 1.0));
    assert_rect(
        l.lag_mark(300.0, 5000.0).unwrap(),
        (120.0, 140.0, 252.0, 28.0),
    );
    assert_rect(l.lag_mark(300.0, -3.0).unwrap(), (372.0, 167.0, 1.0, 1.0));
    assert_eq!(l.lag_mark(2000.0, 500.0), None);
    assert_eq!(lag_height_px(f64::NAN), 1.0);
}

#[test]
fn the_task_card_follows_the_pointer_and_flips_near_the_right_edge() {
    let l = five();
    let card = l.card_anchor(1, Some(100.0), Some(500.0));
    assert_eq!(
        card,
        CardAnchor {
            left: 112.0,
            top: 62.0,
            flip: false
        }
    );
    assert!(l.card_anchor(1, Some(800.0), None).flip);
    // From the keyboard: at the predicted start, else the plot's left edge.
    assert_eq!(l.card_anchor(0, None, Some(500.0)).left, 540.0);
    assert_eq!(l.card_anchor(0, None, None).left, 120.0);
}

#[test]
fn a_narrow_or_unmeasured_canvas_is_laid_out_at_the_minimum_width() {
    for width in [0.0, 50.0, -10.0, f64::NAN] {
        let l = CanvasLayout::new(3, (0.0, 100.0), width);
        assert_eq!(l.width_px, MIN_WIDTH_PX, "{width}");
        let (gutter, right) = margins_px(MIN_WIDTH_PX, l.labelled);
        assert_eq!(l.scale.width_px, MIN_WIDTH_PX - gutter - right);
    }
}

#[test]
fn on_a_phone_the_plot_keeps_most_of_the_width() {
    // 360 px window: a 322 px canvas.
    let l = CanvasLayout::new(5, (0.0, 200.0), 322.0);
    assert!(l.labelled);
    assert!(
        l.scale.width_px >= 0.68 * 322.0,
        "plot {} px",
        l.scale.width_px
    );
    assert!(l.lane_label(0).unwrap().max_w >= NARROW_GUTTER_MIN_PX - 12.0);
    // A wide canvas keeps the full gutter and margin.
    let wide = CanvasLayout::new(5, (0.0, 200.0), 800.0);
    assert_eq!(wide.scale.left_px, GUTTER_PX);
    assert_eq!(wide.scale.width_px, 800.0 - GUTTER_PX - RIGHT_PX);
    // The gutter never grows past the wide one, nor shrinks under its floor.
    for width in [200.0, 300.0, 479.0] {
        let (gutter, right) = margins_px(width, true);
        assert!(
            (NARROW_GUTTER_MIN_PX..=GUTTER_PX).contains(&gutter),
            "{width}: {gutter}"
        );
        assert_eq!(right, NARROW_RIGHT_PX);
    }
}

fn key(l: &CanvasLayout) -> PaintKey {
    PaintKey::new(RunId(1), l, 2.0)
}

#[test]
fn a_frame_paints_only_what_changed_since_the_last() {
    let l = CanvasLayout::new(3, (0.0, 1000.0), 1000.0);
    let p = predict_durations(&[100, 200, 300], RunMode::Gather);
    let mut m = Measurement::new(3);
    let mut progress = PaintProgress::default();
    assert!(progress.begin(key(&l)), "the first frame paints everything");
    assert!(!progress.begin(key(&l)));
    for index in 0..3 {
        m.record(&EventKind::TaskStarted { index, at_ms: 0.0 });
    }
    let bars = layout_bars(&p, &m, Some(100.0), &l.scale);
    let slices = progress.bar_slices(&l, &bars, &m.tasks);
    assert_eq!(
        slices.fill(BarFill::Running).len(),
        3,
        "labelled lanes stay apart"
    );
    assert_rect(slices.fill(BarFill::Running)[0], (120.0, 25.3, 84.0, 15.4));
    m.record(&EventKind::TaskFinished {
        index: 0,
        at_ms: 100.0,
        outcome: Outcome::Failed,
    });
    let bars = layout_bars(&p, &m, Some(150.0), &l.scale);
    let slices = progress.bar_slices(&l, &bars, &m.tasks);
    // Its running slice makes way for one filled by its outcome.
    assert_rect(slices.clear.rects()[0], (119.0, 25.3, 87.0, 15.4));
    assert_rect(slices.fill(BarFill::Failed)[0], (120.0, 25.3, 84.0, 15.4));
    let grown = slices.fill(BarFill::Running);
    assert_eq!(grown.len(), 2);
    assert_rect(grown[0], (204.0, 47.3, 42.0, 15.4));
    let slices = progress.bar_slices(&l, &bars, &m.tasks);
    assert!(
        BarFill::ALL.iter().all(|f| slices.fill(*f).is_empty()),
        "nothing new"
    );

    m.record(&EventKind::StreamItem {
        index: 1,
        at_ms: 120.0,
    });
    m.record(&EventKind::LoopLag {
        at_ms: 130.0,
        lag_ms: 10.0,
    });
    let ticks = progress.new_item_ticks(&l, &m.tasks);
    assert_eq!(ticks.len(), 1);
    assert_rect(ticks[0], (220.0, 46.3, 2.0, 17.4));
    assert!(progress.new_item_ticks(&l, &m.tasks).is_empty());
    assert_eq!(progress.new_lag_marks(&l, &m.lag).len(), 1);
    assert!(progress.new_lag_marks(&l, &m.lag).is_empty());
    assert_eq!(progress.new_caller_marker(&l, None), None);
    let caller = progress.new_caller_marker(&l, Some((100.0, true)));
    assert_eq!(
        caller,
        Some((
            VLine {
                x: 204.5,
                y0: 20.0,
                y1: 88.0
            },
            true
        ))
    );
    assert_eq!(
        progress.new_caller_marker(&l, Some((100.0, true))),
        None,
        "drawn once"
    );

    let wider = CanvasLayout::new(3, (0.0, 1000.0), 1200.0);
    assert!(
        progress.begin(key(&wider)),
        "a new width repaints everything"
    );
    assert_eq!(progress.new_item_ticks(&wider, &m.tasks).len(), 1);
    assert!(progress
        .new_caller_marker(&wider, m.caller.or(Some((100.0, false))))
        .is_some());
}

#[test]
fn a_bar_that_ran_past_its_end_is_cleared_and_redrawn_by_its_outcome() {
    let l = CanvasLayout::new(1, (0.0, 1000.0), 1000.0);
    let p = predict_durations(&[100], RunMode::Gather);
    let mut m = Measurement::new(1);
    let mut progress = PaintProgress::default();
    progress.begin(key(&l));
    m.record(&EventKind::TaskStarted {
        index: 0,
        at_ms: 0.0,
    });
    progress.bar_slices(&l, &layout_bars(&p, &m, Some(120.0), &l.scale), &m.tasks);
    m.record(&EventKind::TaskFinished {
        index: 0,
        at_ms: 100.0,
        outcome: Outcome::TimedOut,
    });
    let slices = progress.bar_slices(&l, &layout_bars(&p, &m, Some(130.0), &l.scale), &m.tasks);
    // It had grown to 120 ms (220.8 px); cleared a pixel wider on the left
    // and two on the right (anti-aliased edges).
    assert_rect(slices.clear.rects()[0], (119.0, 25.3, 104.0, 15.4));
    assert_rect(slices.fill(BarFill::TimedOut)[0], (120.0, 25.3, 84.0, 15.4));
}

#[test]
fn a_finished_bar_is_filled_by_its_outcome() {
    assert_eq!(BarFill::done(None), BarFill::Ok);
    assert_eq!(BarFill::done(Some(Outcome::Ok)), BarFill::Ok);
    assert_eq!(BarFill::done(Some(Outcome::NotRun)), BarFill::Ok);
    assert_eq!(BarFill::done(Some(Outcome::Failed)), BarFill::Failed);
    assert_eq!(BarFill::done(Some(Outcome::Cancelled)), BarFill::Cancelled);
    assert_eq!(BarFill::done(Some(Outcome::TimedOut)), BarFill::TimedOut);
    for (i, fill) in BarFill::ALL.into_iter().enumerate() {
        assert_eq!(fill as usize, i, "ALL lists the fills in order");
    }
}

#[test]
fn ten_thousand_growing_lanes_cost_one_rectangle_a_frame() {
    let tasks = 10_000;
    let l = CanvasLayout::new(tasks, (0.0, 1000.0), 1440.0);
    let p = predict_durations(&vec![500; tasks], RunMode::Gather);
    let mut m = Measurement::new(tasks);
    for index in 0..tasks {
        m.record(&EventKind::TaskStarted { index, at_ms: 0.0 });
    }
    let mut progress = PaintProgress::default();
    progress.begin(key(&l));
    for now_ms in [16.0, 33.0, 50.0, 400.0] {
        let bars = layout_bars(&p, &m, Some(now_ms), &l.scale);
        let slices = progress.bar_slices(&l, &bars, &m.tasks);
        assert_eq!(slices.fill(BarFill::Running).len(), 1, "at {now_ms} ms");
    }
    assert!(l.axis_ticks().len() <= 11);
    assert!(l.height_px <= AXIS_PX + 440.0 + LAG_GAP_PX + LAG_TRACK_PX + BOTTOM_PX + 1e-9);
}

/// Any time at all, the extremes included.
fn any_ms() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => -10.0..5000.0f64,
        1 => any::<f64>(),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(f64::MAX),
        1 => Just(f64::MIN_POSITIVE),
    ]
}

fn any_task() -> impl Strategy<Value = MeasuredTask> {
    (
        proptest::option::of(any_ms()),
        proptest::option::of(any_ms()),
        prop::collection::vec(any_ms(), 0..4),
    )
        .prop_map(|(start_ms, end_ms, items_ms)| MeasuredTask {
            start_ms,
            end_ms,
            outcome: end_ms.map(|_| Outcome::Ok),
            items_ms,
            thread: None,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn lanes_tile_the_lane_band_without_overlapping(
        tasks in prop_oneof![0..40usize, 0..20_000usize],
        width in prop_oneof![0.0..3000.0f64, any::<f64>()],
        y in any_ms(),
    ) {
        let l = CanvasLayout::new(tasks, (0.0, 1000.0), width);
        prop_assert!(l.lane_px > 0.0 && l.lane_px <= 22.0);
        prop_assert!(l.height_px <= AXIS_PX + 440.0 + LAG_GAP_PX + LAG_TRACK_PX + BOTTOM_PX + 1e-6);
        prop_assert!((l.lane_top_px(tasks) - l.lanes_bottom_px()).abs() < 1e-6);
        prop_assert!(l.lanes_bottom_px() < l.lag_top_px());
        // A bar's middle is inside its own lane; a bar strays at most half
        // a pixel beyond its lane (when the lane is under a pixel tall).
        for lane in [0, tasks / 2, tasks.saturating_sub(1)].into_iter().filter(|&i| i < tasks) {
            let middle = l.bar_y_px(lane) + l.bar_h_px / 2.0;
            prop_assert!(middle >= l.lane_top_px(lane) && middle <= l.lane_top_px(lane + 1));
            prop_assert!(l.bar_y_px(lane) >= l.lane_top_px(lane) - 0.5);
            if l.labelled {
                prop_assert!(l.bar_y_px(lane) + l.bar_h_px <= l.lane_top_px(lane + 1));
            }
        }
        if let Some(lane) = l.lane_at(y) {
            prop_assert!(lane < tasks);
            prop_assert!(y >= l.lane_top_px(lane) - 1e-6 && y <= l.lane_top_px(lane + 1) + 1e-6);
        }
    }

    #[test]
    fn everything_drawn_stays_inside_the_plot_whatever_the_times(
        measured in prop::collection::vec(any_task(), 1..30),
        durations in prop::collection::vec(0u32..5000, 1..30),
        window in (any_ms(), any_ms()),
        width in 0.0..2500.0f64,
        now in proptest::option::of(any_ms()),
        lag in prop::collection::vec((any_ms(), any_ms()), 0..10),
    ) {
        let tasks = durations.len();
        let l = CanvasLayout::new(tasks, window, width);
        let (left, right) = (l.scale.left_px, l.scale.left_px + l.scale.width_px);
        let p = predict_durations(&durations, RunMode::Gather);
        let mut m = Measurement::new(tasks);
        for (slot, task) in m.tasks.iter_mut().zip(measured) {
            *slot = task;
        }
        m.lag = lag;
        let bars = layout_bars(&p, &m, now, &l.scale);
        for bar in &bars {
            if let Some((x0, x1)) = bar.predicted {
                prop_assert!(x0 >= left && x1 <= right && x0 <= x1);
            }
            if let MeasuredBar::Running { x0, x1 } | MeasuredBar::Done { x0, x1 } = bar.measured {
                prop_assert!(x0 >= left && x1 <= right, "{:?}", bar);
            }
        }
        let mut progress = PaintProgress::default();
        progress.begin(key(&l));
        let slices = progress.bar_slices(&l, &bars, &m.tasks);
        let (top, bottom) = (l.lanes_top_px() - 0.5, l.lanes_bottom_px() + 0.5);
        // Rectangles start on the pixel edge their time rounds to and are at
        // least a pixel wide: they may reach 1.5 px past the plot (into its
        // right margin), never further.
        let edge = right + 1.5;
        for fill in BarFill::ALL {
            for r in slices.fill(fill) {
                prop_assert!(r.x >= left && r.x + r.w <= edge, "{r:?}");
                prop_assert!(r.y >= top && r.y + r.h <= bottom + 1e-6, "{r:?}");
            }
        }
        for r in progress.new_item_ticks(&l, &m.tasks) {
            // 2 px wide, centred on the pixel edge.
            prop_assert!(r.x >= left - 1.0 && r.x + r.w <= edge, "{r:?}");
            prop_assert!(r.y >= top - 1.0 && r.y + r.h <= bottom + 1.0, "{r:?}");
        }
        for r in progress.new_lag_marks(&l, &m.lag) {
            prop_assert!(r.x >= left && r.x + r.w <= edge, "{r:?}");
            prop_assert!(r.y >= l.lag_top_px() && r.y + r.h <= l.lag_bottom_px() + 1e-9, "{r:?}");
        }
        let ticks = l.axis_ticks();
        prop_assert!(ticks.len() <= 12, "{}", ticks.len());
        for t in &ticks {
            // On the centre of the pixel column the edge rounds to.
            prop_assert!(t.line.x >= left && t.line.x <= right + 1.0, "{t:?}");
        }
        for at in [p.caller_ms, window.0, window.1] {
            for line in [l.marker(at), l.caller_marker(at)].into_iter().flatten() {
                prop_assert!(line.x >= left && line.x <= right + 1.0);
            }
        }
    }
}

#[test]
fn lane_heights_match_the_lanes_module() {
    for tasks in [0, 1, 20, 21, 36, 37, 1000, 10_000] {
        assert_eq!(
            CanvasLayout::new(tasks, (0.0, 1.0), 800.0).lane_px,
            lane_px(tasks)
        );
    }
}
