//! Feeding the app's state the events of a run, as the runner would send
//! them: shared by the state, selector and guess tests.

use async_playground::domain::run::events::{EventKind, RunId, TraceEvent};
use async_playground::domain::state::{Action, AppState};

pub fn ev(run: RunId, kind: EventKind) -> TraceEvent {
    TraceEvent { run, kind }
}

/// Feeds the running run to its end, every task ending and the run ending
/// `late_ms` after the model says; returns the run's id.
pub fn finish_running_run(state: &mut AppState, late_ms: f64) -> RunId {
    let run = state.running().expect("a run is going").clone();
    let mut events = vec![ev(
        run.id,
        EventKind::RunStarted {
            mode: run.mode,
            started_unix_ms: 0.0,
        },
    )];
    for (index, t) in run.prediction.tasks.iter().enumerate() {
        let at_ms = t.start_ms.unwrap();
        events.push(ev(run.id, EventKind::TaskStarted { index, at_ms }));
        events.push(ev(
            run.id,
            EventKind::TaskFinished {
                index,
                at_ms: t.end_ms.unwrap() + late_ms,
                outcome: t.outcome,
            },
        ));
    }
    let at_ms = run.prediction.total_ms + late_ms;
    events.push(ev(run.id, EventKind::RunFinished { at_ms }));
    state.apply(Action::RunProgress {
        events,
        now_ms: Some(at_ms),
    });
    run.id
}
