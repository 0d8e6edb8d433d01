//! The comparison's table and bar chart as HTML text: the rows of
//! [`compare_rows`] and the bars of [`bar_chart`], marked up for the
//! compare view. The tools worker writes it (`domain::formats::tools`,
//! `Op::Compare`): in a Yew component this markup is code in the app's
//! wasm, and no one needs a comparison to start.
//!
//! Every text is escaped; widths are classes (`w-0`…`w-100`), since the
//! page's CSP forbids style attributes.

use crate::domain::analysis::compare::{bar_chart, compare_rows};
use crate::domain::run::stats::{format_ms, format_speedup};
use crate::domain::run::Run;
use crate::domain::text::decimal::fixed;

/// The table's column heads: text and, when it needs one, a tooltip.
const HEADS: [(&str, &str); 8] = [
    ("Run", ""),
    ("Wall", ""),
    ("Predicted", ""),
    ("Overhead", "Measured wall time minus predicted"),
    (
        "Speedup",
        "Against a sequential run of the same tasks among these",
    ),
    (
        "Late p50",
        "Median of measured end minus predicted end, over tasks",
    ),
    (
        "Late p95",
        "95th percentile of measured end minus predicted end",
    ),
    ("Outcomes", ""),
];

/// The table (in its scrolling box) and the chart for `runs`, in order.
pub fn compare_html(runs: &[&Run]) -> String {
    let rows = compare_rows(runs);
    let bars = bar_chart(&rows);
    let ms = |v: Option<f64>| v.map(format_ms).unwrap_or_else(|| "—".to_string());
    let signed = |v: Option<f64>| {
        v.map(|v| format!("{}{}", if v >= 0.0 { "+" } else { "−" }, format_ms(v.abs())))
            .unwrap_or_else(|| "—".to_string())
    };
    let mut out =
        String::from("<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"The runs compared\"><table class=\"compare-table\"><thead><tr>");
    for (head, title) in HEADS {
        out.push_str("<th scope=\"col\"");
        if !title.is_empty() {
            out.push_str(&format!(" title=\"{}\"", escape(title)));
        }
        out.push_str(&format!(">{}</th>", escape(head)));
    }
    out.push_str("</tr></thead><tbody>");
    for r in &rows {
        out.push_str(&format!("<tr data-mode=\"{}\"", escape(r.mode.slug())));
        if let Some(wall_ms) = r.wall_ms {
            out.push_str(&format!(" data-wall-ms=\"{}\"", fixed(wall_ms, 2)));
        }
        out.push_str(&format!("><th scope=\"row\">{}</th>", escape(&r.label)));
        let cells = [
            ms(r.wall_ms),
            format_ms(r.predicted_ms),
            signed(r.overhead_ms),
            r.speedup_vs_sequential
                .map(format_speedup)
                .unwrap_or_else(|| "—".into()),
            signed(r.lateness_p50_ms),
            signed(r.lateness_p95_ms),
            r.outcome_summary.clone(),
        ];
        for cell in cells {
            out.push_str(&format!("<td>{}</td>", escape(&cell)));
        }
        out.push_str("</tr>");
    }
    out.push_str(
        "</tbody></table></div><p class=\"explain columns\">Late p50 and p95: how much later than the model the tasks ended, for the median task and for all but the latest 5 % (timers fire late, never early).</p><figure class=\"chart\" aria-label=\"Wall time per run: measured (filled) and predicted (outline)\">",
    );
    for (bar, row) in bars.iter().zip(&rows) {
        out.push_str(&format!(
            "<div class=\"chart-row\"><span class=\"chart-label\">{}</span><span class=\"chart-bars\">\
             <span class=\"chart-bar measured {}\"></span><span class=\"chart-bar predicted {}\"></span>\
             </span><span class=\"chart-value\">{}</span></div>",
            escape(&bar.label),
            width_class(bar.measured.unwrap_or(0.0)),
            width_class(bar.predicted),
            escape(&format!("{} / {}", ms(row.wall_ms), format_ms(row.predicted_ms))),
        ));
    }
    out.push_str("</figure>");
    out
}

/// A bar's width as a whole percentage class (`w-0`…`w-100`).
fn width_class(fraction: f64) -> String {
    let fraction = if fraction.is_finite() { fraction } else { 0.0 };
    format!("w-{}", (fraction.clamp(0.0, 1.0) * 100.0).round() as u32)
}

/// `text` safe inside an element or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
