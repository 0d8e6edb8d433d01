//! The awaiting code inside the loop model. What it does is the mode's
//! policy ([`crate::domain::modes`]); here its [`Step`]s become loop
//! events: a created task steps next iteration, a cancel is
//! `Task.cancel()`, and resuming is a callback of its own, so whatever is
//! already in the ready queue runs first.

use crate::domain::model::event_loop::{Cb, Observe, Sim};
use crate::domain::modes::Step;

impl<O: Observe> Sim<O> {
    /// The awaiting code's first steps.
    pub(super) fn start_caller(&mut self) {
        let steps = self.caller.begin();
        self.apply(steps);
    }

    /// A task's done callback reaches the awaiting code.
    pub(super) fn notify_caller(&mut self, task: usize) {
        let steps = self.caller.on_done(task);
        self.apply(steps);
    }

    /// The awaiting code resumes.
    pub(super) fn resume_caller(&mut self, raised: bool) {
        self.resumed = Some((self.now, raised));
        let steps = self.caller.on_resumed();
        self.apply(steps);
    }

    fn apply(&mut self, steps: Vec<Step>) {
        for step in steps {
            match step {
                Step::Start(task) => self.create_task(task),
                Step::Take(task) => {
                    self.result_order.push(task);
                    if let Some(r) = self.rec() {
                        r.took();
                    }
                }
                Step::CancelPending => {
                    if let Some(r) = self.rec() {
                        r.note(|| "cancels the tasks still pending".to_string());
                    }
                    for task in self.caller.pending_tasks() {
                        self.cancel(task);
                    }
                }
                Step::Resume { raised } => {
                    if let Some(r) = self.rec() {
                        r.note(|| {
                            if raised {
                                "main() will resume with the exception (call_soon)".to_string()
                            } else {
                                "main() will resume (call_soon)".to_string()
                            }
                        });
                    }
                    self.call_soon(Cb::Resume { raised })
                }
            }
        }
    }
}
