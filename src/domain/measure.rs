//! A run's measured timeline, filled in from trace events as they arrive.

use super::trace::EventKind;

/// What was measured for one task: times in ms since the run started.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MeasuredTask {
    pub start_ms: Option<f64>,
    pub end_ms: Option<f64>,
}

/// The measured side of a run, task by task in list order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Measurement {
    pub tasks: Vec<MeasuredTask>,
    /// Set when the run's last task has finished.
    pub total_ms: Option<f64>,
    /// Latest event time seen, to draw a stopped run's extent.
    pub last_event_ms: f64,
}

impl Measurement {
    pub fn new(task_count: usize) -> Self {
        Measurement {
            tasks: vec![MeasuredTask::default(); task_count],
            total_ms: None,
            last_event_ms: 0.0,
        }
    }

    /// Records one event. Events naming a task outside the list are ignored.
    pub fn record(&mut self, kind: &EventKind) {
        match *kind {
            EventKind::RunStarted { .. } => {}
            EventKind::TaskStarted { index, at_ms } => {
                if let Some(t) = self.tasks.get_mut(index) {
                    t.start_ms = Some(at_ms);
                    self.last_event_ms = self.last_event_ms.max(at_ms);
                }
            }
            EventKind::TaskFinished { index, at_ms } => {
                if let Some(t) = self.tasks.get_mut(index) {
                    t.end_ms = Some(at_ms);
                    self.last_event_ms = self.last_event_ms.max(at_ms);
                }
            }
            EventKind::RunFinished { at_ms } => {
                self.total_ms = Some(at_ms);
                self.last_event_ms = self.last_event_ms.max(at_ms);
            }
        }
    }

    pub fn finished_count(&self) -> usize {
        self.tasks.iter().filter(|t| t.end_ms.is_some()).count()
    }
}
