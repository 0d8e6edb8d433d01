//! Decimal numbers as people type and read them: a parser for typed
//! numbers and a fixed-point formatter.
//!
//! Why not `str::parse::<f64>` and `{:.1}`: core's float parser carries a
//! 10 KB table of powers of five and its formatter two algorithms with
//! bignum fallbacks; in wasm they cost about 15 KB gzip, a tenth of the
//! start-up budget. The numbers here are durations, speeds and ratios with
//! a few digits, where simple exact arithmetic gives the same answers.

use std::fmt;

/// Parses `[+-]digits[.digits][e[+-]digits]` (also `.5` and `5.`), the
/// forms `str::parse::<f64>` takes apart from `inf` and `NaN`. Up to 15
/// significant digits and exponents within ±22 are correctly rounded
/// (one exact integer divided or multiplied by an exact power of ten);
/// beyond that the result is within an ulp or two.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let mut at = 0;
    let negative = match bytes.first() {
        Some(b'-') => true,
        Some(b'+') => false,
        _ => return parse_unsigned(bytes),
    };
    at += 1;
    let value = parse_unsigned(&bytes[at..])?;
    Some(if negative { -value } else { value })
}

fn parse_unsigned(bytes: &[u8]) -> Option<f64> {
    let mut mantissa: u64 = 0;
    let mut exponent: i32 = 0;
    let mut digits = 0usize;
    let mut at = 0;
    let take = |b: u8, in_fraction: bool, mantissa: &mut u64, exponent: &mut i32| {
        // Digits past 19 cannot change a u64 mantissa: count their weight.
        if *mantissa < 1_000_000_000_000_000_000 {
            *mantissa = *mantissa * 10 + u64::from(b - b'0');
            if in_fraction {
                *exponent -= 1;
            }
        } else if !in_fraction {
            *exponent = exponent.saturating_add(1);
        }
    };
    while let Some(&b) = bytes.get(at).filter(|b| b.is_ascii_digit()) {
        take(b, false, &mut mantissa, &mut exponent);
        digits += 1;
        at += 1;
    }
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        while let Some(&b) = bytes.get(at).filter(|b| b.is_ascii_digit()) {
            take(b, true, &mut mantissa, &mut exponent);
            digits += 1;
            at += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        let sign = match bytes.get(at) {
            Some(b'-') => {
                at += 1;
                -1
            }
            Some(b'+') => {
                at += 1;
                1
            }
            _ => 1,
        };
        let start = at;
        let mut power: i32 = 0;
        while let Some(&b) = bytes.get(at).filter(|b| b.is_ascii_digit()) {
            power = power.saturating_mul(10).saturating_add(i32::from(b - b'0'));
            at += 1;
        }
        if at == start {
            return None;
        }
        exponent = exponent.saturating_add(sign * power);
    }
    if at != bytes.len() {
        return None;
    }
    Some(scale(mantissa, exponent))
}

/// `mantissa × 10^exponent`, exact when both factors are exact in an f64.
/// Work is bounded whatever the exponent: beyond what an f64 can hold the
/// answer is infinity or zero at once.
fn scale(mantissa: u64, exponent: i32) -> f64 {
    // The mantissa is below 10^20, so 10^MAX_EXPONENT overflows any product
    // and 10^-MIN_EXPONENT underflows any quotient (f64 spans 4.9e-324 to
    // 1.8e308).
    const MAX_EXPONENT: i32 = 310;
    const MIN_EXPONENT: i32 = -345;
    if mantissa == 0 {
        return 0.0;
    }
    let m = mantissa as f64;
    match exponent {
        e if e > MAX_EXPONENT => f64::INFINITY,
        e if e < MIN_EXPONENT => 0.0,
        e if e >= 0 => m * pow10(e.unsigned_abs()),
        e if e >= -22 => m / pow10(e.unsigned_abs()),
        // Two steps keep 10^-exponent from overflowing to infinity.
        e => m / pow10(22) / pow10(e.unsigned_abs() - 22),
    }
}

/// 10^exponent: a product of at most `exponent / 22 + 1` exact powers.
fn pow10(exponent: u32) -> f64 {
    // 10^0 ..= 10^22 are exact in an f64.
    const EXACT: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    // exponent = 22 × steps + rest, with rest in 1..=22 once past 22.
    let steps = exponent.saturating_sub(1) / 22;
    let rest = (exponent - 22 * steps) as usize;
    let mut value = EXACT[rest.min(22)];
    for _ in 0..steps {
        value *= 1e22;
        if value.is_infinite() {
            break;
        }
    }
    value
}

/// Formats with a fixed number of decimals, like `{:.N}`: ties go to the
/// even digit, `NaN` and `inf` read as such. Negative zero reads `0`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fixed(pub f64, pub u8);

/// `Fixed(value, decimals).to_string()`.
pub fn fixed(value: f64, decimals: u8) -> String {
    Fixed(value, decimals).to_string()
}

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Fixed(value, decimals) = *self;
        if value.is_nan() {
            return f.write_str("NaN");
        }
        if value.is_infinite() {
            return f.write_str(if value < 0.0 { "-inf" } else { "inf" });
        }
        let decimals = u32::from(decimals.min(9));
        let unit = 10u64.pow(decimals);
        let (magnitude, unit_f) = (value.abs(), unit as f64);
        let product = magnitude * unit_f;
        let mut scaled = product.round_ties_even();
        if product - product.floor() == 0.5 {
            // The product rounded onto a tie; the exact one may not be one
            // (0.35 is 0.3499…): the rounding error's sign gives its side.
            let below = product.floor();
            let side = product_error(magnitude, unit_f, product);
            if side != 0.0 {
                scaled = if side > 0.0 { below + 1.0 } else { below };
            }
        }
        // Beyond 2^63 the digits are not the value's anyway: saturate.
        let scaled = if scaled >= 9.2e18 {
            u64::MAX
        } else {
            scaled as u64
        };
        let (whole, fraction) = (scaled / unit, scaled % unit);
        let sign = if value < 0.0 && scaled != 0 { "-" } else { "" };
        if decimals == 0 {
            write!(f, "{sign}{whole}")
        } else {
            write!(
                f,
                "{sign}{whole}.{fraction:0width$}",
                width = decimals as usize
            )
        }
    }
}

/// `a × b − product` exactly, where `product` is `a × b` rounded (Dekker's
/// two-product with Veltkamp's split; exact while nothing overflows or
/// underflows, as for the ties above, which lie below 2^53). Not
/// `mul_add`: wasm has no fused multiply-add, and libm's is 1 KB of wasm.
fn product_error(a: f64, b: f64, product: f64) -> f64 {
    let split = |x: f64| {
        let c = 134_217_729.0 * x; // 2^27 + 1
        let high = c - (c - x);
        (high, x - high)
    };
    let ((a_high, a_low), (b_high, b_low)) = (split(a), split(b));
    (((a_high * b_high - product) + a_high * b_low) + a_low * b_high) + a_low * b_low
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_type_like_the_standard_parser() {
        for text in [
            "0",
            "1",
            "250",
            "1.5",
            ".5",
            "5.",
            "0.1",
            "0.3",
            "2.675",
            "1e3",
            "1E3",
            "2.5e-3",
            "-4",
            "+7",
            "123456789012345",
            "0.000001",
            "99999.999",
            "1_000",
        ] {
            assert_eq!(parse_decimal(text), text.parse::<f64>().ok(), "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_plain_number() {
        for text in [
            "", ".", "-", "e3", "1e", "1.2.3", "1x", " 1", "inf", "NaN", "--1", "1e+",
        ] {
            assert_eq!(parse_decimal(text), None, "{text}");
        }
    }

    #[test]
    fn long_and_extreme_inputs_stay_close() {
        let close = |text: &str| {
            let (ours, std) = (parse_decimal(text).unwrap(), text.parse::<f64>().unwrap());
            assert!(
                (ours - std).abs() <= std.abs() * 1e-15,
                "{text}: {ours} vs {std}"
            );
        };
        close("12345678901234567890123");
        close("0.12345678901234567890");
        close("1e300");
        close("1e-300");
        assert_eq!(parse_decimal("1e400"), Some(f64::INFINITY));
        assert_eq!(parse_decimal("1e-400"), Some(0.0));
    }

    #[test]
    fn extreme_exponents_are_out_of_range_at_once() {
        // Once per 22 units of exponent, a recursion here overflowed the
        // stack (a blank page in wasm); i32::MIN overflowed its negation.
        assert_eq!(parse_decimal("1e2147483647"), Some(f64::INFINITY));
        assert_eq!(parse_decimal("-1e2147483647"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_decimal("1e99999999999999999999"), Some(f64::INFINITY));
        assert_eq!(parse_decimal("1e-2147483648"), Some(0.0));
        assert_eq!(parse_decimal("0.1e-2147483647"), Some(0.0));
        assert_eq!(parse_decimal("0.1e-99999999999999999999"), Some(0.0));
        assert_eq!(parse_decimal("0e2147483647"), Some(0.0));
        assert_eq!(parse_decimal("1e309"), Some(f64::INFINITY));
        assert_eq!(parse_decimal("1e-350"), Some(0.0));
        assert!((parse_decimal("1e308").unwrap() / 1e308 - 1.0).abs() < 1e-15);
        assert_eq!(parse_decimal("4.9e-324"), "4.9e-324".parse().ok());
    }

    #[test]
    fn fixed_matches_the_standard_formatter() {
        for value in [
            0.0, 1.0, 0.25, 0.35, 2.5, 3.5, 1.005, 12.3456, 99.95, 100.0, 1234.5678, 5000.0, -1.25,
            -0.75, 0.001, 4.9999, 1e12,
        ] {
            for d in 0..=4u8 {
                let ours = fixed(value, d);
                let std = format!("{value:.prec$}", prec = d as usize);
                assert_eq!(ours, std, "{value} with {d} decimals");
            }
        }
    }

    #[test]
    fn fixed_matches_the_standard_formatter_across_typical_times() {
        // Milliseconds with sub-ms parts, and binary fractions (exact ties).
        for k in (0..400_000u32).step_by(7) {
            for value in [
                f64::from(k) / 1000.0,
                f64::from(k) / 64.0,
                f64::from(k) * 0.1,
            ] {
                for d in 0..=3u8 {
                    let std = format!("{value:.prec$}", prec = d as usize);
                    assert_eq!(fixed(value, d), std, "{value} with {d} decimals");
                }
            }
        }
    }

    #[test]
    fn the_product_error_is_what_a_fused_multiply_add_gives() {
        for (a, b) in [
            (0.35, 10.0),
            (1.005, 100.0),
            (2.675, 100.0),
            (0.125, 8.0),
            (1234.5678, 1e4),
            (0.1, 1e9),
            (4.35, 1000.0),
        ] {
            let product = a * b;
            assert_eq!(
                product_error(a, b, product),
                a.mul_add(b, -product),
                "{a} × {b}"
            );
        }
    }

    #[test]
    fn fixed_names_non_numbers_and_drops_the_sign_of_zero() {
        assert_eq!(fixed(f64::NAN, 1), "NaN");
        assert_eq!(fixed(f64::INFINITY, 1), "inf");
        assert_eq!(fixed(f64::NEG_INFINITY, 0), "-inf");
        assert_eq!(fixed(-0.0, 1), "0.0");
        assert_eq!(fixed(-0.04, 1), "0.0");
    }
}
