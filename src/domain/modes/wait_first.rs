//! wait(FIRST_COMPLETED): `done, pending = await asyncio.wait(ts,
//! return_when=FIRST_COMPLETED)` returns when the first task ends; `done`
//! holds every task finished by the time the caller resumes. The rest keep
//! running unless the caller cancels them (the `cancel_pending` option).
//! wait() never raises: an exception stays in its done task.

use crate::domain::codegen::lines::{blank, block, line};
use crate::domain::codegen::python;
use crate::domain::codegen::rust::{self as rs, RustUses};
use crate::domain::modes::{Caller, Failure, Mode, ModeCode, ModeInfo, ModeOptions};

pub struct WaitFirst;

const INFO: ModeInfo = ModeInfo {
    label: "wait FIRST_COMPLETED",
    slug: "wait-first",
    python: "await asyncio.wait(ts, return_when=FIRST_COMPLETED)",
    in_a_sentence: "wait(FIRST_COMPLETED)",
    catch_option: None,
    uses_limit: false,
    uses_cancel_pending: true,
};

impl Mode for WaitFirst {
    fn info(&self) -> &'static ModeInfo {
        &INFO
    }

    fn on_done(&self, c: &mut Caller, _task: usize) {
        // The first done callback releases wait()'s waiter; what is done
        // is decided when the caller resumes.
        c.resume(false);
    }

    fn on_resumed(&self, c: &mut Caller) {
        for task in 0..c.task_count() {
            if c.outcome(task).is_some() {
                c.take(task);
            }
        }
        if c.options().cancel_pending {
            c.cancel_pending();
        }
    }

    fn explain_failure(&self, f: &Failure) -> String {
        format!(
            "task {} failed with '{}': wait() doesn't raise, the exception stays in the done task until its result is asked for",
            f.task_number, f.message
        )
    }
}

impl ModeCode for WaitFirst {
    fn may_cancel_unstarted(&self, o: &ModeOptions) -> bool {
        o.cancel_pending
    }

    fn python_main(&self, out: &mut String, o: &ModeOptions) {
        python::create_all(out);
        if o.cancel_pending {
            block(
                out,
                1,
                r#"
                    for i, t in enumerate(ts):
                        t.add_done_callback(note_cancelled(i))
                "#,
            );
        }
        block(
            out,
            1,
            r#"
                done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_COMPLETED)
                caller = now_ms()
                order = sorted(ts.index(t) for t in done)
            "#,
        );
        if o.cancel_pending {
            block(
                out,
                1,
                r#"
                    for t in pending:
                        t.cancel()
                "#,
            );
        }
        python::wait_rest(out);
    }

    fn rust_uses(&self, _o: &ModeOptions) -> RustUses {
        RustUses {
            join_set: true,
            join_error: true,
            ..RustUses::default()
        }
    }

    fn rust_helpers(&self, out: &mut String, _o: &ModeOptions) {
        block(
            out,
            0,
            r#"
                /// Which task a finished JoinSet entry was, unless it was aborted.
                fn index_of(joined: Result<TaskResult, JoinError>) -> Option<usize> {
                    match joined {
                        Ok(Ok(index)) => Some(index),
                        Ok(Err(error)) => Some(error.index),
                        Err(_aborted) => None,
                    }
                }
            "#,
        );
        blank(out, 1);
    }

    fn rust_run(&self, out: &mut String, o: &ModeOptions) {
        rs::spawn_all(out, "job");
        block(
            out,
            1,
            r#"
                // wait(return_when=FIRST_COMPLETED): resume when the first task ends;
                // `done` also holds any others that ended by then.
                let mut order = Vec::new();
                if let Some(first) = set.join_next().await {
                    order.extend(index_of(first));
                }
                while let Some(more) = set.try_join_next() {
                    order.extend(index_of(more));
                }
                order.sort_unstable();
                let caller = now_ms();
                let raised = None;
            "#,
        );
        if o.cancel_pending {
            line(out, 1, "set.abort_all(); // then cancel the pending ones");
        }
        rs::wait_rest(out);
    }
}
