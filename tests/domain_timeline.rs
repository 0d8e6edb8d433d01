//! Native tests: timeline layout maths and run statistics.

#![cfg(not(target_arch = "wasm32"))]

use async_playground::domain::layout::lanes::*;
use async_playground::domain::layout::paint_plan::*;
use async_playground::domain::layout::timeline::*;
use async_playground::domain::model::{predict_durations, Outcome};
use async_playground::domain::run::events::EventKind;
use async_playground::domain::run::measurement::Measurement;
use async_playground::domain::run::stats::{format_ms, format_speedup, speedup};
use async_playground::domain::scenario::RunMode;
use proptest::prelude::*;

#[test]
fn ticks_use_nice_steps_and_start_at_zero() {
    assert_eq!(
        ticks_in_ms(0.0, 1000.0, 5),
        vec![0.0, 200.0, 400.0, 600.0, 800.0, 1000.0]
    );
    assert_eq!(
        ticks_in_ms(0.0, 2050.0, 5),
        vec![0.0, 500.0, 1000.0, 1500.0, 2000.0]
    );
    assert_eq!(ticks_in_ms(0.0, 0.0, 5), vec![0.0]);
    assert_eq!(ticks_in_ms(0.0, f64::NAN, 5), vec![0.0]);
    assert!(ticks_in_ms(0.0, 123_456.0, 8).len() <= 9);
}

#[test]
fn ticks_of_extreme_windows_are_few_and_finite() {
    let smallest = f64::from_bits(1); // 5e-324, below 10^-323
    for (start, end, target) in [
        (0.0, smallest, 1),
        (0.0, smallest * 7.0, 3),
        (0.0, f64::MAX, 10),
        (-f64::MAX, f64::MAX, 10),
        (1e300, 1e300 + 1e285, 10),
        (0.0, 1000.0, usize::MAX),
    ] {
        let ticks = ticks_in_ms(start, end, target);
        assert!(
            !ticks.is_empty() && ticks.len() <= MAX_TICKS + 1,
            "{start}..{end}: {} ticks",
            ticks.len()
        );
        assert!(
            ticks.iter().all(|t| t.is_finite()),
            "{start}..{end}: {ticks:?}"
        );
    }
    assert_eq!(axis_span_ms(f64::MAX), f64::MAX);
    assert!(axis_span_ms(smallest) >= smallest);
    let backwards = ZoomWindow {
        from_ms: 500.0,
        to_ms: 100.0,
    };
    assert!(backwards.zoom(0.5, 300.0, 1000.0).is_some(), "no panic");
}

#[test]
fn tick_labels_switch_to_seconds() {
    assert_eq!(tick_label(0.0), "0");
    assert_eq!(tick_label(250.0), "250 ms");
    assert_eq!(tick_label(1000.0), "1 s");
    assert_eq!(tick_label(1500.0), "1.5 s");
    assert_eq!(tick_label(0.25), "0.25 ms");
    assert_eq!(tick_label(12.345), "12.35 ms");
    assert_eq!(tick_label(1000.2), "1.0002 s");
    // A multiple of a step carries float noise: not shown.
    assert_eq!(tick_label(5001.0 * 0.2), "1.0002 s");
}

#[test]
fn lanes_squeeze_for_big_runs() {
    assert_eq!(lane_px(5), FULL_LANE_PX);
    assert!(lane_px(1000) * 1000.0 <= MAX_LANES_PX + 1e-9);
    assert!(lane_px(1000) < MIN_LABELLED_LANE_PX);
}

#[test]
fn scale_clamps_and_survives_zero_span() {
    let s = TimeScale::new(100.0, 10.0, 200.0);
    assert_eq!(s.x(0.0), 10.0);
    assert_eq!(s.x(50.0), 110.0);
    assert_eq!(s.x(500.0), 210.0);
    let z = TimeScale::new(0.0, 0.0, 100.0);
    assert!(z.x(0.0).is_finite());
}

#[test]
fn running_bars_grow_to_now_and_done_bars_end_at_their_end() {
    let p = predict_durations(&[100, 100, 100], RunMode::Sequential);
    let mut m = Measurement::new(3);
    m.record(&EventKind::TaskStarted {
        index: 0,
        at_ms: 0.0,
    });
    m.record(&EventKind::TaskFinished {
        index: 0,
        at_ms: 101.0,
        outcome: Outcome::Ok,
    });
    m.record(&EventKind::TaskStarted {
        index: 1,
        at_ms: 101.0,
    });
    let s = TimeScale::new(300.0, 0.0, 300.0);
    let bars = layout_bars(&p, &m, Some(150.0), &s);
    assert_eq!(bars[0].measured, MeasuredBar::Done { x0: 0.0, x1: 101.0 });
    assert_eq!(
        bars[1].measured,
        MeasuredBar::Running {
            x0: 101.0,
            x1: 150.0
        }
    );
    assert_eq!(bars[2].measured, MeasuredBar::NotStarted);
    assert_eq!(bars[2].predicted, Some((200.0, 300.0)));
}

#[test]
fn speedup_and_formatting() {
    assert_eq!(speedup(1000.0, 100.0), Some(10.0));
    assert_eq!(speedup(1000.0, 0.0), None);
    assert_eq!(format_speedup(3.4166), "3.4×");
    assert_eq!(format_speedup(12.3), "12×");
    assert_eq!(format_ms(1.234), "1.2 ms");
    assert_eq!(format_ms(2050.4), "2050 ms");
    assert_eq!(format_ms(12_345.0), "12.35 s");
}

#[test]
fn axis_grows_in_steps_not_every_millisecond() {
    assert_eq!(axis_span_ms(1000.0), 1000.0);
    assert_eq!(axis_span_ms(1001.0), 1100.0);
    assert_eq!(axis_span_ms(1150.0), 1200.0);
    assert_eq!(axis_span_ms(2050.0), 2200.0);
    assert_eq!(axis_span_ms(0.0), 1.0);
    for needed in [1.0, 7.0, 99.0, 1234.5, 61_000.0] {
        let span = axis_span_ms(needed);
        assert!(span >= needed && span <= needed * 1.2, "{needed} -> {span}");
    }
}

#[test]
fn paint_ops_add_only_what_changed() {
    let (p, ops) = paint_ops(Painted::Nothing, MeasuredBar::NotStarted);
    assert_eq!((p, ops), (Painted::Nothing, vec![]));
    let (p, ops) = paint_ops(p, MeasuredBar::Running { x0: 10.0, x1: 12.0 });
    assert_eq!(ops, vec![PaintOp::Running { x0: 10.0, x1: 12.0 }]);
    let (p, ops) = paint_ops(p, MeasuredBar::Running { x0: 10.0, x1: 20.0 });
    assert_eq!(
        ops,
        vec![PaintOp::Running { x0: 12.0, x1: 20.0 }],
        "only the new slice"
    );
    let (p, ops) = paint_ops(p, MeasuredBar::Running { x0: 10.0, x1: 20.0 });
    assert!(ops.is_empty(), "nothing new, nothing drawn");
    let (p, ops) = paint_ops(p, MeasuredBar::Done { x0: 10.0, x1: 18.0 });
    assert_eq!(
        ops,
        vec![
            PaintOp::Clear { x0: 10.0, x1: 20.0 },
            PaintOp::Done { x0: 10.0, x1: 18.0 }
        ],
        "a running bar that overshot its end is cleared first"
    );
    assert_eq!(p, Painted::Done);
    let (_, ops) = paint_ops(p, MeasuredBar::Done { x0: 10.0, x1: 18.0 });
    assert!(ops.is_empty());
    let (_, ops) = paint_ops(Painted::Nothing, MeasuredBar::Done { x0: 1.0, x1: 2.0 });
    assert_eq!(ops, vec![PaintOp::Done { x0: 1.0, x1: 2.0 }]);
}

#[test]
fn thin_lanes_with_the_same_slice_merge_into_one_rectangle() {
    let mut r = Rects::new(false);
    for lane in 0..10_000 {
        r.add(100.2, 140.7, 22.0 + lane as f64 * 0.044, 0.03);
    }
    assert_eq!(r.rects().len(), 1);
    let only = r.rects()[0];
    assert_eq!((only.x, only.w), (100.0, 41.0));
    assert!((only.y + only.h - (22.0 + 9_999.0 * 0.044 + 0.03)).abs() < 1e-6);
}

#[test]
fn different_slices_or_labelled_lanes_stay_apart() {
    let mut thin = Rects::new(false);
    thin.add(0.0, 10.0, 0.0, 1.0);
    thin.add(0.0, 12.0, 1.0, 1.0);
    thin.add(0.0, 12.0, 50.0, 1.0);
    assert_eq!(thin.rects().len(), 3, "other width, then a gap");
    let mut tall = Rects::new(true);
    tall.add(0.0, 10.0, 0.0, 15.0);
    tall.add(0.0, 10.0, 22.0, 15.0);
    assert_eq!(tall.rects().len(), 2);
    assert_eq!(tall.rects()[1].w, 10.0);
    let mut tiny = Rects::new(true);
    tiny.add(5.0, 5.2, 0.0, 1.0);
    assert_eq!(tiny.rects()[0].w, 1.0, "at least a pixel wide");
}

#[test]
fn a_zoomed_scale_maps_its_window_and_hides_what_is_outside() {
    let s = TimeScale::window(100.0, 50.0, 0.0, 500.0);
    assert_eq!(s.x(100.0), 0.0);
    assert_eq!(s.x(125.0), 250.0);
    assert_eq!(s.x(900.0), 500.0);
    assert_eq!(s.ms_at(250.0), 125.0);
    let p = predict_durations(&[40, 300], RunMode::Gather);
    let m = Measurement::new(2);
    let bars = layout_bars(&p, &m, None, &s);
    assert_eq!(bars[0].predicted, None, "ends before the window");
    assert_eq!(bars[1].predicted, Some((0.0, 500.0)));
    assert_eq!(
        ticks_in_ms(100.0, 150.0, 5),
        vec![100.0, 110.0, 120.0, 130.0, 140.0, 150.0]
    );
    assert_eq!(tick_label(102.5), "102.5 ms");
}

#[test]
fn zoom_windows_stay_inside_the_run_and_zooming_out_ends_at_the_whole() {
    let full = 1000.0;
    let w = ZoomWindow::clamped(900.0, 300.0, full);
    assert_eq!((w.from_ms, w.to_ms), (300.0, 900.0));
    let w = ZoomWindow::clamped(990.0, 1200.0, full);
    assert_eq!((w.from_ms, w.to_ms), (790.0, 1000.0));
    let tiny = ZoomWindow::clamped(10.0, 10.0, full);
    assert_eq!(tiny.span_ms(), MIN_ZOOM_MS);
    let w = ZoomWindow::clamped(0.0, 400.0, full);
    let z = w.zoom(0.5, 200.0, full).unwrap();
    assert_eq!((z.from_ms, z.to_ms), (100.0, 300.0));
    assert_eq!(w.zoom(4.0, 200.0, full), None);
    let panned = z.pan(-500.0, full);
    assert_eq!((panned.from_ms, panned.to_ms), (0.0, 200.0));
    let nan = ZoomWindow::clamped(f64::NAN, f64::NAN, full);
    assert!(nan.from_ms.is_finite() && nan.to_ms.is_finite());
}

#[test]
fn a_task_card_gives_predicted_measured_and_lateness() {
    use async_playground::domain::analysis::task_detail::task_detail;
    use async_playground::domain::model::predict;
    use async_playground::domain::scenario::{validate, RunOptions, TaskDraft, TaskId};
    let drafts = vec![TaskDraft::io(TaskId(1), "fetch", "100")];
    let scenario = validate(&drafts, "1", RunOptions::default()).unwrap();
    let p = predict(&scenario, RunMode::Gather);
    let mut m = Measurement::new(1);
    m.record(&EventKind::TaskStarted {
        index: 0,
        at_ms: 1.5,
    });
    let running = task_detail(&scenario, &p, &m, 0).unwrap();
    assert_eq!(running.title, "1. fetch");
    assert!(running.sentence().contains("measured 1.5 ms → …"));
    m.record(&EventKind::TaskFinished {
        index: 0,
        at_ms: 104.0,
        outcome: Outcome::Ok,
    });
    let done = task_detail(&scenario, &p, &m, 0).unwrap();
    let text = done.sentence();
    assert!(
        text.contains("predicted 0.0 ms → 100 ms (100 ms)"),
        "{text}"
    );
    assert!(
        text.contains("late by start +1.5 ms, end +4.0 ms"),
        "{text}"
    );
    assert!(text.contains("outcome ok"), "{text}");
    assert!(task_detail(&scenario, &p, &m, 1).is_none());
}

#[test]
fn zoom_keys_zoom_around_the_middle_pan_by_a_quarter_and_show_all() {
    let full = 1000.0;
    let keys = [
        "+",
        "=",
        "-",
        "_",
        "0",
        "Escape",
        "ArrowLeft",
        "ArrowRight",
        "x",
        "",
    ];
    let steps: Vec<_> = keys.iter().map(|k| ZoomStep::for_key(k)).collect();
    use ZoomStep::*;
    assert_eq!(
        steps,
        [
            Some(In),
            Some(In),
            Some(Out),
            Some(Out),
            Some(ShowAll),
            Some(ShowAll),
            Some(PanLeft),
            Some(PanRight),
            None,
            None
        ]
    );
    let w = |from_ms, to_ms| ZoomWindow { from_ms, to_ms };
    assert_eq!(In.apply(None, full), Some(Some(w(250.0, 750.0))));
    let zoomed = Some(w(200.0, 400.0));
    assert_eq!(In.apply(zoomed, full), Some(Some(w(250.0, 350.0))));
    assert_eq!(Out.apply(zoomed, full), Some(Some(w(100.0, 500.0))));
    assert_eq!(
        Out.apply(Some(w(0.0, 600.0)), full),
        Some(None),
        "back to all"
    );
    assert_eq!(PanRight.apply(zoomed, full), Some(Some(w(250.0, 450.0))));
    assert_eq!(PanLeft.apply(zoomed, full), Some(Some(w(150.0, 350.0))));
    assert_eq!(
        PanLeft.apply(Some(w(10.0, 210.0)), full),
        Some(Some(w(0.0, 200.0)))
    );
    assert_eq!(ShowAll.apply(zoomed, full), Some(None));
    // Unzoomed, there is nothing to show all of or pan: the key is not used.
    for step in [ShowAll, PanLeft, PanRight] {
        assert_eq!(step.apply(None, full), None, "{step:?}");
    }
    assert_eq!(Out.apply(None, full), Some(None));
}

#[test]
fn a_drag_wider_than_a_click_zooms_to_the_times_under_it() {
    let s = TimeScale::window(0.0, 1000.0, 100.0, 500.0);
    let click = Drag::at(300.0).to(305.9);
    assert_eq!(
        (click.selection_px(), click.window(&s, 1000.0)),
        (None, None)
    );
    let leftwards = Drag::at(350.0).to(150.0);
    assert_eq!(leftwards.selection_px(), Some((150.0, 200.0)));
    assert_eq!(
        leftwards.window(&s, 1000.0),
        Some(ZoomWindow {
            from_ms: 100.0,
            to_ms: 500.0
        })
    );
    // 900..1600 ms keeps its width, slid back inside the run.
    let past_the_end = Drag::at(550.0).to(900.0).window(&s, 1000.0).unwrap();
    assert_eq!((past_the_end.from_ms, past_the_end.to_ms), (300.0, 1000.0));
    assert_eq!(MIN_DRAG_PX, 6.0);
    assert_eq!(Drag::at(f64::NAN).to(10.0).window(&s, 1000.0), None);
}

#[test]
fn keys_move_the_focus_between_lanes_and_stop_at_the_ends() {
    assert_eq!(lane_for_key(None, "ArrowDown", 3), Some(0));
    assert_eq!(lane_for_key(None, "ArrowUp", 3), Some(0));
    assert_eq!(lane_for_key(Some(1), "ArrowDown", 3), Some(2));
    assert_eq!(lane_for_key(Some(2), "ArrowDown", 3), Some(2));
    assert_eq!(lane_for_key(Some(0), "ArrowUp", 3), Some(0));
    assert_eq!(lane_for_key(Some(1), "Home", 3), Some(0));
    assert_eq!(lane_for_key(None, "End", 3), Some(2));
    assert_eq!(lane_for_key(Some(1), "ArrowLeft", 3), None, "a zoom key");
    assert_eq!(lane_for_key(None, "ArrowDown", 0), None, "no lanes");
}

/// Any f64, the extremes included.
fn any_ms() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => -100.0..2000.0f64,
        1 => any::<f64>(),
        1 => prop::sample::select(vec![
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN_POSITIVE,
            0.0
        ]),
    ]
}

fn assert_inside(w: ZoomWindow, full_ms: f64) -> Result<(), TestCaseError> {
    let full = if full_ms.is_finite() && full_ms > 0.0 {
        full_ms
    } else {
        1.0
    };
    prop_assert!(w.from_ms.is_finite() && w.to_ms.is_finite(), "{w:?}");
    prop_assert!(
        w.from_ms >= 0.0 && w.to_ms <= full * (1.0 + 1e-12),
        "{w:?} in {full}"
    );
    // (Beyond 2^53 ms a millisecond is below the float's resolution.)
    if full < 1e15 {
        prop_assert!(w.span_ms() >= MIN_ZOOM_MS.min(full) * (1.0 - 1e-9), "{w:?}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn zoom_windows_always_stay_inside_the_run(
        from in any_ms(),
        to in any_ms(),
        full in any_ms(),
        factor in any_ms(),
        center in any_ms(),
        delta in any_ms(),
    ) {
        let w = ZoomWindow::clamped(from, to, full);
        assert_inside(w, full)?;
        if let Some(z) = w.zoom(factor, center, full) {
            assert_inside(z, full)?;
        }
        assert_inside(w.pan(delta, full), full)?;
        for step in [ZoomStep::In, ZoomStep::Out, ZoomStep::ShowAll, ZoomStep::PanLeft, ZoomStep::PanRight] {
            for zoom in [None, Some(w)] {
                if let Some(Some(next)) = step.apply(zoom, full) {
                    assert_inside(next, full)?;
                }
            }
        }
        let scale = TimeScale::window(from, full, 8.0, 500.0);
        if let Some(z) = Drag::at(from).to(to).window(&scale, full) {
            assert_inside(z, full)?;
        }
    }

    #[test]
    fn ticks_are_few_and_inside_their_window(
        start in any_ms(),
        span in any_ms(),
        target in 0usize..20,
    ) {
        let end = start + span;
        let ticks = ticks_in_ms(start, end, target);
        prop_assert!(ticks.len() <= target.max(1) + 1, "{} ticks", ticks.len());
        // A window with no room for a step gets one tick at its start; the
        // others are inside the window, up to rounding.
        let fallback = ticks == [start.max(0.0)];
        let slack = span.abs() * 1e-12;
        for &t in &ticks {
            let inside = t.is_finite() && t >= start - slack && t <= end + slack;
            prop_assert!(fallback || inside, "{t} in {start}..{end}");
            prop_assert!(!tick_label(t).is_empty());
        }
        let axis = axis_span_ms(span);
        prop_assert!(axis.is_finite() && axis > 0.0, "{axis}");
        if span.is_finite() && span > 0.0 {
            prop_assert!(axis >= span, "{span} -> {axis}");
        }
    }
}

#[test]
fn ticks_stay_few_for_any_span() {
    // A tick step lost to precision (or zero) once meant a loop over
    // billions of ticks: a frozen tab from a poisoned saved time.
    let spans = [5e-324, 1e-310, 1e-300, 1e300, f64::MAX, 1e15, 1e17];
    for span in spans {
        assert!(ticks_in_ms(0.0, span, 10).len() <= 11, "{span}");
    }
    let windows = [
        (-5e-324, 0.0),
        (0.0, 5e-324),
        (-1e300, 1e300),
        (1e17, 1e17 + 16.0),
        (1e300, f64::MAX),
        (-f64::MAX, f64::MAX),
        (1e15, 1e15 + 0.125),
    ];
    for (from, to) in windows {
        let ticks = ticks_in_ms(from, to, 10);
        assert!(
            !ticks.is_empty() && ticks.len() <= 12,
            "{from}..{to}: {}",
            ticks.len()
        );
    }
    assert!(axis_span_ms(f64::MAX).is_finite());
}
