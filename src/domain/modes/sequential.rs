//! Sequential: `for t in tasks: await t()`. Each task starts when the
//! previous one has ended, so the total is the sum. An uncaught exception
//! stops the loop: the tasks after it never run.

use crate::domain::codegen::lines::{block, line};
use crate::domain::codegen::rust::RustUses;
use crate::domain::modes::{Caller, Failure, Mode, ModeCode, ModeInfo, ModeOptions};
use crate::domain::text::plural;

pub struct Sequential;

const INFO: ModeInfo = ModeInfo {
    label: "Sequential",
    slug: "sequential",
    python: "for t in tasks: await t()",
    in_a_sentence: "awaiting in turn",
    catch_option: Some("try/except around each await"),
    uses_limit: false,
    uses_cancel_pending: false,
};

impl Mode for Sequential {
    fn info(&self) -> &'static ModeInfo {
        &INFO
    }

    fn start(&self, c: &mut Caller) {
        c.start_task(0);
    }

    fn on_done(&self, c: &mut Caller, task: usize) {
        c.take(task);
        if c.raised(task) && !c.catches() {
            c.resume(true);
        } else if task + 1 < c.task_count() {
            c.start_task(task + 1);
        } else {
            c.resume(false);
        }
    }

    fn explain_failure(&self, f: &Failure) -> String {
        format!(
            "task {} raised '{}' at {}: the loop over the tasks stopped there, so {} never ran",
            f.task_number,
            f.message,
            f.at,
            plural(f.never_ran, "later task", "later tasks")
        )
    }
}

impl ModeCode for Sequential {
    fn python_main(&self, out: &mut String, o: &ModeOptions) {
        if o.catch {
            block(
                out,
                1,
                r#"
                    for i, job in enumerate(JOBS):
                        order.append(i)
                        try:
                            await job()
                        except Exception:
                            pass  # caught; go on with the next task
                "#,
            );
        } else {
            block(
                out,
                1,
                r#"
                    try:
                        for i, job in enumerate(JOBS):
                            order.append(i)
                            await job()
                    except Exception:
                        raised = True  # the tasks after it never run
                "#,
            );
        }
        line(out, 1, "caller = now_ms()");
    }

    fn rust_uses(&self, _o: &ModeOptions) -> RustUses {
        RustUses::default()
    }

    fn rust_run(&self, out: &mut String, o: &ModeOptions) {
        line(out, 1, "let mut order = Vec::new();");
        if o.catch {
            block(
                out,
                1,
                r#"
                    let raised = None;
                    for (i, job) in jobs().into_iter().enumerate() {
                        order.push(i);
                        // A try/except around each await: an error is caught; go on.
                        let _caught = job.await;
                    }
                "#,
            );
        } else {
            block(
                out,
                1,
                r#"
                    let mut raised = None;
                    for (i, job) in jobs().into_iter().enumerate() {
                        order.push(i);
                        if let Err(error) = job.await {
                            raised = Some(error); // the tasks after it never run
                            break;
                        }
                    }
                "#,
            );
        }
        line(out, 1, "let caller = now_ms();");
    }
}
