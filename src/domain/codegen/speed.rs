//! What both programs say about the speed factor: their durations are the
//! tutorial's (as written) divided by it, so each task says both, and a
//! reader can map the program's numbers back to the tutorial's. At speed 1
//! they are the same and nothing is said.

use crate::domain::scenario::{Durations, Kind, Scenario, Task};

/// The header's line for a scenario not at speed 1, without the comment
/// marker.
pub(crate) fn header_note(scenario: &Scenario) -> Option<String> {
    (scenario.speed != 1.0).then(|| {
        format!(
            "The tutorial's durations, as written, are {}x these; each task's comment gives both.",
            scenario.speed
        )
    })
}

/// A task's line: its durations as written and as they run, without the
/// comment marker.
pub(crate) fn task_note(task: &Task, speed: f64) -> Option<String> {
    (speed != 1.0).then(|| {
        format!(
            "As written: {}; at speed {speed}x: {}.",
            durations_text(&task.written, &task.kind),
            durations_text(&task.real, &task.kind)
        )
    })
}

fn durations_text(d: &Durations, kind: &Kind) -> String {
    let stream = matches!(kind, Kind::Stream { .. });
    let mut parts = vec![format!(
        "{} ms{}",
        d.duration_ms,
        if stream { " per item" } else { "" }
    )];
    if stream && d.body_ms > 0 {
        parts.push(format!("loop body {} ms", d.body_ms));
    }
    if let Some(timeout_ms) = d.timeout_ms {
        parts.push(format!("timeout {timeout_ms} ms"));
    }
    parts.join(", ")
}
