//! The exact numbers of one task in a run, as the timeline's hover/focus
//! card shows them (and says them to screen readers).

use crate::domain::model::Prediction;
use crate::domain::run::measurement::Measurement;
use crate::domain::run::stats::format_ms;
use crate::domain::scenario::Scenario;

/// One task's card: a title and labelled lines.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskDetail {
    pub title: String,
    pub lines: Vec<(&'static str, String)>,
}

impl TaskDetail {
    /// All of it on one line, for an aria-live announcement.
    pub fn sentence(&self) -> String {
        let parts: Vec<String> = self
            .lines
            .iter()
            .map(|(name, value)| format!("{name} {value}"))
            .collect();
        format!("{}: {}.", self.title, parts.join("; "))
    }
}

fn span(start_ms: Option<f64>, end_ms: Option<f64>) -> String {
    match (start_ms, end_ms) {
        (Some(s), Some(e)) => format!("{} → {} ({})", format_ms(s), format_ms(e), format_ms(e - s)),
        (Some(s), None) => format!("{} → …", format_ms(s)),
        _ => "—".to_string(),
    }
}

fn signed_ms(ms: f64) -> String {
    if ms >= 0.0 {
        format!("+{}", format_ms(ms))
    } else {
        format!("−{}", format_ms(-ms))
    }
}

/// The card for task `index`, or `None` if there is no such task.
pub fn task_detail(
    scenario: &Scenario,
    prediction: &Prediction,
    measurement: &Measurement,
    index: usize,
) -> Option<TaskDetail> {
    let task = scenario.tasks.get(index)?;
    let p = prediction.tasks.get(index)?;
    let m = measurement.tasks.get(index)?;
    let mut lines = vec![
        (
            "kind",
            format!(
                "{}, {}",
                task.kind.task_kind().label(),
                format_ms(f64::from(task.real.duration_ms))
            ),
        ),
        ("predicted", span(p.start_ms, p.end_ms)),
        ("measured", span(m.start_ms, m.end_ms)),
    ];
    let late_start = m.start_ms.zip(p.start_ms).map(|(m, p)| m - p);
    let late_end = m.end_ms.zip(p.end_ms).map(|(m, p)| m - p);
    if late_start.is_some() || late_end.is_some() {
        let show = |v: Option<f64>| v.map(signed_ms).unwrap_or_else(|| "—".to_string());
        lines.push((
            "late by",
            format!("start {}, end {}", show(late_start), show(late_end)),
        ));
    }
    let measured_outcome = m.outcome.map(|o| o.label()).unwrap_or("not yet");
    lines.push((
        "outcome",
        if m.outcome == Some(p.outcome) {
            measured_outcome.to_string()
        } else {
            format!("{measured_outcome} (predicted {})", p.outcome.label())
        },
    ));
    if !m.items_ms.is_empty() {
        lines.push(("items", m.items_ms.len().to_string()));
    }
    Some(TaskDetail {
        title: format!("{}. {}", index + 1, task.label),
        lines,
    })
}
