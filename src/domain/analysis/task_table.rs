//! "Task timings": the exact numbers behind a timeline, as HTML text
//! (predicted and measured start, end and outcome per task, and how late
//! each ended). Written as text, not as a Yew view: the markup is static
//! apart from its text, and as a view it is code in the app's wasm.

use crate::domain::analysis::compare_table::escape;
use crate::domain::run::stats::format_ms;
use crate::domain::run::Run;
use crate::domain::text::decimal::{fixed, Fixed};

/// Rows written at most; the rest are counted.
pub const MAX_ROWS: usize = 1_000;

/// After the scrolling box's opening tag, which names it (focusable and
/// named, so a keyboard can scroll it).
const HEAD: &str = "<table><thead><tr>\
    <th scope=\"col\">#</th><th scope=\"col\">Task</th>\
    <th scope=\"col\">Predicted start</th><th scope=\"col\">Predicted end</th>\
    <th scope=\"col\">Predicted outcome</th><th scope=\"col\">Measured start</th>\
    <th scope=\"col\">Measured end</th><th scope=\"col\">Outcome</th>\
    <th scope=\"col\" title=\"Measured end minus predicted end\">Late by</th>\
    </tr></thead><tbody>";

/// The table (in its scrolling box) of `run`'s tasks, and a note when
/// there are more than [`MAX_ROWS`].
pub fn task_table_html(run: &Run) -> String {
    let cell = |ms: Option<f64>| ms.map(format_ms).unwrap_or_else(|| "—".to_string());
    let mut out = format!(
        "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Task timings, {}\">",
        escape(run.mode.label())
    );
    out.push_str(HEAD);
    let rows = run
        .prediction
        .tasks
        .iter()
        .zip(&run.measurement.tasks)
        .zip(&run.scenario.tasks)
        .take(MAX_ROWS)
        .enumerate();
    for (i, ((p, m), task)) in rows {
        out.push_str("<tr");
        if let Some(end) = p.end_ms {
            out.push_str(&format!(" data-predicted-end-ms=\"{}\"", fixed(end, 3)));
        }
        if let Some(end) = m.end_ms {
            out.push_str(&format!(" data-measured-end-ms=\"{}\"", fixed(end, 3)));
        }
        out.push_str(&format!(
            " data-predicted-outcome=\"{}\"",
            p.outcome.label()
        ));
        if let Some(outcome) = m.outcome {
            out.push_str(&format!(" data-measured-outcome=\"{}\"", outcome.label()));
        }
        let late = m.end_ms.zip(p.end_ms).map(|(m, p)| m - p);
        let late = late
            .map(|l| format!("{}{} ms", if l >= 0.0 { "+" } else { "" }, Fixed(l, 1)))
            .unwrap_or_default();
        out.push_str(&format!(
            "><td>{}</td><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            i + 1,
            escape(&task.label),
            cell(p.start_ms),
            cell(p.end_ms),
            p.outcome.label(),
            cell(m.start_ms),
            cell(m.end_ms),
            m.outcome.map_or("—", |o| o.label()),
            late,
        ));
    }
    out.push_str("</tbody></table></div>");
    let count = run.prediction.tasks.len();
    if count > MAX_ROWS {
        out.push_str(&format!(
            "<p class=\"hint\">First {MAX_ROWS} of {count} tasks.</p>"
        ));
    }
    out
}
