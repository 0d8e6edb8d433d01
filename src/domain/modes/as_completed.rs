//! as_completed: `for c in asyncio.as_completed(ts): await c` hands the
//! results over in the order the tasks finish. An uncaught exception
//! stops the loop; the other tasks keep running.

use crate::domain::codegen::lines::{block, line};
use crate::domain::codegen::python;
use crate::domain::codegen::rust::{self as rs, RustUses};
use crate::domain::modes::{Caller, Failure, Mode, ModeCode, ModeInfo, ModeOptions};

pub struct AsCompleted;

const INFO: ModeInfo = ModeInfo {
    label: "as_completed",
    slug: "as-completed",
    python: "for c in asyncio.as_completed(ts): await c",
    in_a_sentence: "as_completed",
    catch_option: Some("try/except around each await"),
    uses_limit: false,
    uses_cancel_pending: false,
};

impl Mode for AsCompleted {
    fn info(&self) -> &'static ModeInfo {
        &INFO
    }

    fn on_done(&self, c: &mut Caller, task: usize) {
        if c.decided() {
            return;
        }
        c.take(task);
        if c.raised(task) && !c.catches() {
            c.resume(true);
        } else if c.taken() == c.task_count() {
            c.resume(false);
        }
    }

    fn explain_failure(&self, f: &Failure) -> String {
        format!(
            "as_completed handed over task {}'s '{}' at {}, which raised; the other tasks kept running",
            f.task_number, f.message, f.at
        )
    }
}

impl ModeCode for AsCompleted {
    fn python_main(&self, out: &mut String, o: &ModeOptions) {
        python::create_all(out);
        if o.catch {
            block(
                out,
                1,
                r#"
                    for next_done in asyncio.as_completed(ts):
                        try:
                            i = await next_done  # each task returns its index
                        except Exception as exc:
                            i = exc.task_index
                        order.append(i)
                "#,
            );
        } else {
            block(
                out,
                1,
                r#"
                    try:
                        for next_done in asyncio.as_completed(ts):
                            order.append(await next_done)  # each task returns its index
                    except Exception as exc:
                        order.append(exc.task_index)
                        raised = True
                "#,
            );
        }
        line(out, 1, "caller = now_ms()");
        python::wait_rest(out);
    }

    fn rust_uses(&self, _o: &ModeOptions) -> RustUses {
        RustUses {
            join_set: true,
            ..RustUses::default()
        }
    }

    fn rust_run(&self, out: &mut String, o: &ModeOptions) {
        line(
            out,
            1,
            "// as_completed: each result as soon as its task ends.",
        );
        rs::spawn_all(out, "job");
        if o.catch {
            block(
                out,
                1,
                r#"
                    let raised = None;
                    let mut order = Vec::new();
                    while let Some(joined) = set.join_next().await {
                        match joined {
                            Ok(Ok(i)) => order.push(i),
                            // A try/except around each await: caught; go on.
                            Ok(Err(error)) => order.push(error.index),
                            Err(_aborted) => {}
                        }
                    }
                "#,
            );
        } else {
            block(
                out,
                1,
                r#"
                    let mut raised = None;
                    let mut order = Vec::new();
                    while let Some(joined) = set.join_next().await {
                        match joined {
                            Ok(Ok(i)) => order.push(i),
                            Ok(Err(error)) => {
                                order.push(error.index);
                                raised = Some(error);
                                break;
                            }
                            Err(_aborted) => {}
                        }
                    }
                "#,
            );
        }
        line(out, 1, "let caller = now_ms();");
        rs::wait_rest(out);
    }
}
