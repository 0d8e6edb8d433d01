//! Fuzz: every number reader and the layout maths that numbers feed.
//! Generators reach the extremes on their own: exponents over the whole
//! i32 and i64 range, subnormals, infinities, thousands of digits. Each
//! case runs on a wasm-sized stack with a time limit, so a recursion or a
//! loop proportional to a value fails here instead of blanking a page.

#![cfg(not(target_arch = "wasm32"))]

mod fuzz;

use async_playground::domain::layout::lanes::layout_bars;
use async_playground::domain::layout::timeline::{
    axis_span_ms, tick_label, ticks_in_ms, TimeScale, ZoomWindow,
};
use async_playground::domain::model::predict_durations;
use async_playground::domain::run::measurement::Measurement;
use async_playground::domain::scenario::RunMode;
use async_playground::domain::scenario::{
    parse_duration_ms, parse_items, parse_limit, parse_pool_size, parse_speed, parse_task_count,
    parse_timeout_ms, FieldProblem, MAX_DURATION_MS,
};
use async_playground::domain::text::decimal::{fixed, parse_decimal};
use fuzz::{bounded, extreme_f64, number_text};
use proptest::prelude::*;

/// Whether `text` is only what a decimal is written with (no `inf`/`NaN`).
fn decimal_chars(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The decimal parser agrees with the standard one, in bounded time,
    /// whatever the exponent.
    #[test]
    fn decimals_parse_like_the_standard_parser(text in number_text()) {
        let (ours, std) = bounded({
            let text = text.clone();
            move || (parse_decimal(&text), text.parse::<f64>().ok())
        });
        if decimal_chars(&text) {
            prop_assert_eq!(ours.is_some(), std.is_some(), "{}", text);
        }
        if let (Some(v), Some(s)) = (ours, std) {
            prop_assert_eq!(v.is_sign_negative(), s.is_sign_negative(), "{}", text);
            if s.is_infinite() || s.abs() > 1e308 {
                prop_assert!(v.is_infinite() || (v / s - 1.0).abs() < 1e-14, "{}: {} vs {}", text, v, s);
            } else if s.abs() < 1e-300 {
                prop_assert!(v.abs() < 1e-299, "{}: {} vs {}", text, v, s);
            } else {
                prop_assert!((v / s - 1.0).abs() < 1e-14, "{}: {} vs {}", text, v, s);
            }
        }
    }

    /// Every field reader: no panic, bounded time, and an extreme value
    /// gets the field's normal message.
    #[test]
    fn field_readers_give_their_normal_messages(text in number_text(), suffix in prop::sample::select(vec!["", " ms", "ms", "x", " "])) {
        let typed = format!("{text}{suffix}");
        let duration = bounded({
            let typed = typed.clone();
            move || {
                let _ = parse_speed(&typed);
                let _ = parse_items(&typed);
                let _ = parse_task_count(&typed);
                let _ = parse_timeout_ms(&typed);
                let _ = parse_limit(&typed);
                let _ = parse_pool_size(&typed);
                parse_duration_ms(&typed)
            }
        });
        if let Ok(ms) = duration {
            prop_assert!(ms <= MAX_DURATION_MS);
        }
        if suffix.trim() != "x" {
            if let Some(value) = parse_decimal(&text) {
                let expected = if value < 0.0 {
                    Err(FieldProblem::Negative)
                } else if value.is_finite() && value.fract() != 0.0 {
                    Err(FieldProblem::Fractional)
                } else if value > f64::from(MAX_DURATION_MS) {
                    Err(FieldProblem::TooLarge)
                } else {
                    Ok(value as u32)
                };
                prop_assert_eq!(duration, expected, "{:?}", typed);
            }
        }
    }

    /// Layout maths takes any f64 (NaN, infinities, subnormals, 1e308) and
    /// still returns a handful of ticks, at once.
    #[test]
    fn layout_maths_stays_small_for_any_number(
        a in extreme_f64(),
        b in extreme_f64(),
        c in extreme_f64(),
        target in 0usize..40,
    ) {
        bounded(move || {
            let most = 2 * target + 3;
            assert!(ticks_in_ms(0.0, a, target).len() <= most, "ticks_in_ms(0, {a}, {target})");
            assert!(ticks_in_ms(a, b, target).len() <= most, "ticks_in_ms({a}, {b}, {target})");
            let span = axis_span_ms(a);
            assert!(span.is_finite() && span > 0.0, "axis_span_ms({a}) = {span}");
            for tick in ticks_in_ms(a, b, target) {
                let _ = tick_label(tick);
            }
            let _ = fixed(a, (target % 12) as u8);
            let full = axis_span_ms(c);
            let window = ZoomWindow::clamped(a, b, full);
            let _ = window.zoom(0.5, c, full);
            let _ = window.pan(a, full);
            let scale = TimeScale::window(window.from_ms, window.span_ms(), 0.0, 800.0);
            let _ = (scale.x(a), scale.ms_at(b), scale.overlaps(a, b));
            assert!(ticks_in_ms(scale.start_ms, scale.end_ms(), 8).len() <= 19);
            // A measurement holding any times lays out.
            let prediction = predict_durations(&[100, 200], RunMode::Gather);
            let mut m = Measurement::new(2);
            m.tasks[0].start_ms = Some(a);
            m.tasks[0].end_ms = Some(b);
            m.tasks[1].start_ms = Some(c);
            let _ = layout_bars(&prediction, &m, Some(b), &scale);
        });
    }
}
