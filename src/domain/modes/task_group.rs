//! TaskGroup (Python 3.11): `async with asyncio.TaskGroup() as tg:` creates
//! every task; the first failure cancels all tasks still running, and the
//! group raises (an ExceptionGroup) once they are all done. The results
//! taken are those of the tasks that succeeded, as they finished.

use crate::domain::codegen::lines::{block, line};
use crate::domain::codegen::rust::{self as rs, RustUses};
use crate::domain::model::Outcome;
use crate::domain::modes::{Caller, Failure, Mode, ModeCode, ModeInfo, ModeOptions};
use crate::domain::text::plural;

pub struct TaskGroup;

const INFO: ModeInfo = ModeInfo {
    label: "TaskGroup",
    slug: "taskgroup",
    python: "async with asyncio.TaskGroup() as tg: tg.create_task(t())",
    in_a_sentence: "TaskGroup",
    catch_option: None,
    uses_limit: false,
    uses_cancel_pending: false,
};

impl Mode for TaskGroup {
    fn info(&self) -> &'static ModeInfo {
        &INFO
    }

    fn on_done(&self, c: &mut Caller, task: usize) {
        if c.raised(task) && c.first_exception() {
            c.cancel_pending();
        }
        if c.outcome(task) == Some(Outcome::Ok) {
            c.take(task);
        }
        if c.all_notified() {
            let raised = c.exception_seen();
            c.resume(raised);
        }
    }

    fn explain_failure(&self, f: &Failure) -> String {
        format!(
            "TaskGroup cancelled {} when '{}' failed (task {}), then raised it in an ExceptionGroup",
            plural(f.cancelled, "task", "tasks"),
            f.message,
            f.task_number
        )
    }
}

impl ModeCode for TaskGroup {
    fn python_note(&self) -> Option<&'static str> {
        Some("# Needs Python 3.11+ (asyncio.TaskGroup, except*).")
    }

    fn may_cancel_unstarted(&self, _o: &ModeOptions) -> bool {
        true
    }

    fn python_main(&self, out: &mut String, _o: &ModeOptions) {
        block(
            out,
            1,
            r#"
                try:
                    async with asyncio.TaskGroup() as tg:
                        for i, job in enumerate(JOBS):
                            tg.create_task(job()).add_done_callback(note_cancelled(i))
                except* Exception:
                    raised = True  # the first failure cancelled the rest
                caller = now_ms()
                # The tasks that succeeded, in the order they finished.
                succeeded = [i for i, r in enumerate(timeline) if r["outcome"] == "ok"]
                order = sorted(succeeded, key=lambda i: timeline[i]["end"])
            "#,
        );
    }

    fn rust_uses(&self, _o: &ModeOptions) -> RustUses {
        RustUses {
            join_set: true,
            ..RustUses::default()
        }
    }

    fn rust_run(&self, out: &mut String, _o: &ModeOptions) {
        line(
            out,
            1,
            "// TaskGroup: the first failure cancels the rest (abort_all); the group",
        );
        line(out, 1, "// raises once every task has ended.");
        rs::spawn_all(out, "job");
        block(
            out,
            1,
            r#"
                let mut raised = None;
                let mut order = Vec::new(); // the tasks that succeeded, as they finished
                while let Some(joined) = set.join_next().await {
                    match joined {
                        Ok(Ok(i)) => order.push(i),
                        Ok(Err(error)) => {
                            if raised.is_none() {
                                set.abort_all();
                                raised = Some(error);
                            }
                        }
                        Err(_aborted) => {}
                    }
                }
                let caller = now_ms();
            "#,
        );
    }
}
