//! create_task, then await later: `ts = [create_task(t()) for t in tasks]`
//! starts every task now; the caller then awaits them one by one in list
//! order. An uncaught exception stops the awaiting; the tasks already
//! created run on in the background.

use crate::domain::codegen::lines::{block, line};
use crate::domain::codegen::python;
use crate::domain::codegen::rust::{self as rs, RustUses};
use crate::domain::modes::{Caller, Failure, Mode, ModeCode, ModeInfo, ModeOptions};

pub struct CreateTask;

const INFO: ModeInfo = ModeInfo {
    label: "create_task",
    slug: "create-task",
    python: "ts = [asyncio.create_task(t()) for t in tasks]; for t in ts: await t",
    in_a_sentence: "create_task",
    catch_option: Some("try/except around each await"),
    uses_limit: false,
    uses_cancel_pending: false,
};

impl Mode for CreateTask {
    fn info(&self) -> &'static ModeInfo {
        &INFO
    }

    fn on_done(&self, c: &mut Caller, _task: usize) {
        if c.decided() {
            // It raised: the later tasks' results are never awaited.
            return;
        }
        // The caller awaits the tasks in list order: take every result
        // that is there, up to the first task still running.
        while c.taken() < c.task_count() {
            let next = c.taken();
            if c.outcome(next).is_none() {
                return;
            }
            c.take(next);
            if c.raised(next) && !c.catches() {
                c.resume(true);
                return;
            }
        }
        c.resume(false);
    }

    fn explain_failure(&self, f: &Failure) -> String {
        format!(
            "awaiting task {} raised '{}' at {}; the tasks already created kept running in the background",
            f.task_number, f.message, f.at
        )
    }
}

impl ModeCode for CreateTask {
    fn python_main(&self, out: &mut String, o: &ModeOptions) {
        python::create_all(out);
        if o.catch {
            block(
                out,
                1,
                r#"
                    for i, t in enumerate(ts):
                        order.append(i)
                        try:
                            await t
                        except Exception:
                            pass
                "#,
            );
        } else {
            block(
                out,
                1,
                r#"
                    try:
                        for i, t in enumerate(ts):
                            order.append(i)
                            await t
                    except Exception:
                        raised = True
                "#,
            );
        }
        line(out, 1, "caller = now_ms()");
        python::wait_rest(out);
    }

    fn rust_uses(&self, o: &ModeOptions) -> RustUses {
        RustUses {
            join_error: !o.catch,
            ..RustUses::default()
        }
    }

    fn rust_helpers(&self, out: &mut String, o: &ModeOptions) {
        if !o.catch {
            rs::error_of_helper(out);
        }
    }

    fn rust_run(&self, out: &mut String, o: &ModeOptions) {
        block(
            out,
            1,
            r#"
                // create_task: every task is scheduled now...
                let handles: Vec<_> = jobs().into_iter().map(tokio::spawn).collect();
                let mut handles = handles.into_iter().enumerate();
                let mut order = Vec::new();
            "#,
        );
        if o.catch {
            block(
                out,
                1,
                r#"
                    let raised = None;
                    // ...then awaited one by one, in list order.
                    for (i, handle) in handles.by_ref() {
                        order.push(i);
                        // A try/except around each await: an error is caught; go on.
                        let _caught = handle.await;
                    }
                "#,
            );
        } else {
            block(
                out,
                1,
                r#"
                    let mut raised = None;
                    // ...then awaited one by one, in list order.
                    for (i, handle) in handles.by_ref() {
                        order.push(i);
                        if let Some(error) = error_of(handle.await) {
                            raised = Some(error);
                            break;
                        }
                    }
                "#,
            );
        }
        block(
            out,
            1,
            r#"
                let caller = now_ms();
                // Let the others finish (returning from main would drop them).
                for (_, handle) in handles {
                    let _ = handle.await;
                }
            "#,
        );
    }
}
