//! Native tests: timeline layout maths and run statistics.

#![cfg(not(target_arch = "wasm32"))]

use async_playground::domain::measure::Measurement;
use async_playground::domain::scenario::RunMode;
use async_playground::domain::simulate::predict_durations;
use async_playground::domain::stats::{format_ms, format_speedup, speedup};
use async_playground::domain::timeline::*;
use async_playground::domain::trace::EventKind;

#[test]
fn ticks_use_nice_steps_and_start_at_zero() {
    assert_eq!(
        ticks_ms(1000.0, 5),
        vec![0.0, 200.0, 400.0, 600.0, 800.0, 1000.0]
    );
    assert_eq!(
        ticks_ms(2050.0, 5),
        vec![0.0, 500.0, 1000.0, 1500.0, 2000.0]
    );
    assert_eq!(ticks_ms(0.0, 5), vec![0.0]);
    assert_eq!(ticks_ms(f64::NAN, 5), vec![0.0]);
    assert!(ticks_ms(123_456.0, 8).len() <= 9);
}

#[test]
fn tick_labels_switch_to_seconds() {
    assert_eq!(tick_label(0.0), "0");
    assert_eq!(tick_label(250.0), "250 ms");
    assert_eq!(tick_label(1000.0), "1 s");
    assert_eq!(tick_label(1500.0), "1.5 s");
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
    assert_eq!((bars[2].predicted_x0, bars[2].predicted_x1), (200.0, 300.0));
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
