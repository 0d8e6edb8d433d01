//! gather: `await asyncio.gather(*tasks)`. Every task starts at once and
//! the results come back in list order when all are done. Without
//! `return_exceptions` the first exception reaches the caller at once and
//! the other tasks keep running (gather does not cancel them); with it,
//! exceptions come back as results. [`super::semaphore`] is gather under a
//! `Semaphore(n)` and shares this policy and most of this code.

use crate::domain::codegen::lines::{block, line};
use crate::domain::codegen::python;
use crate::domain::codegen::rust::{self as rs, RustUses};
use crate::domain::modes::{Caller, Failure, Mode, ModeCode, ModeInfo, ModeOptions};

pub struct Gather;

const INFO: ModeInfo = ModeInfo {
    label: "Gathered",
    slug: "gathered",
    python: "await asyncio.gather(*tasks)",
    in_a_sentence: "gather",
    catch_option: Some("return_exceptions=True"),
    uses_limit: false,
    uses_cancel_pending: false,
};

impl Mode for Gather {
    fn info(&self) -> &'static ModeInfo {
        &INFO
    }

    fn on_done(&self, c: &mut Caller, task: usize) {
        on_done(c, task);
    }

    fn explain_failure(&self, f: &Failure) -> String {
        explain_failure(f)
    }
}

/// gather's policy (also `Semaphore(n)`'s).
pub(super) fn on_done(c: &mut Caller, task: usize) {
    if c.raised(task) && !c.catches() {
        c.resume(true);
    }
    if c.all_notified() && !c.decided() {
        // gather keeps list order.
        for i in 0..c.task_count() {
            c.take(i);
        }
        c.resume(false);
    }
}

pub(super) fn explain_failure(f: &Failure) -> String {
    format!(
        "gather raised '{}' from task {} at {}; the other tasks kept running (gather doesn't cancel them)",
        f.message, f.task_number, f.at
    )
}

impl ModeCode for Gather {
    fn python_main(&self, out: &mut String, o: &ModeOptions) {
        python::create_all(out);
        python_gather(out, o);
    }

    fn rust_uses(&self, o: &ModeOptions) -> RustUses {
        rust_uses(o)
    }

    fn rust_helpers(&self, out: &mut String, o: &ModeOptions) {
        if !o.catch {
            rs::error_of_helper(out);
        }
    }

    fn rust_run(&self, out: &mut String, o: &ModeOptions) {
        rust_gather(out, o, "job");
    }
}

/// Awaits `ts` with gather; the tasks exist already.
pub(super) fn python_gather(out: &mut String, o: &ModeOptions) {
    if o.catch {
        block(
            out,
            1,
            r#"
                results = await asyncio.gather(*ts, return_exceptions=True)
                order = list(range(len(results)))  # gather keeps list order
            "#,
        );
    } else {
        block(
            out,
            1,
            r#"
                try:
                    results = await asyncio.gather(*ts)
                    order = list(range(len(results)))  # gather keeps list order
                except Exception:
                    raised = True  # the first exception, at once
            "#,
        );
    }
    line(out, 1, "caller = now_ms()");
    python::wait_rest(out);
}

pub(super) fn rust_uses(o: &ModeOptions) -> RustUses {
    RustUses {
        join_all: o.catch,
        join_set: !o.catch,
        join_error: !o.catch,
        semaphore: false,
    }
}

/// gather in tokio, each job spawned as `job` (an expression of `job`).
pub(super) fn rust_gather(out: &mut String, o: &ModeOptions, job: &str) {
    if o.catch {
        let jobs = if job == "job" {
            "jobs()".to_string()
        } else {
            format!("jobs().into_iter().map(|job| {job})")
        };
        line(
            out,
            1,
            "// gather(return_exceptions=True): join_all polls every job at once (in",
        );
        line(
            out,
            1,
            "// run's own task) and waits for all; an error is just a result.",
        );
        line(
            out,
            1,
            &format!("let results = futures::future::join_all({jobs}).await;"),
        );
        block(
            out,
            1,
            r#"
                let caller = now_ms();
                let order: Vec<usize> = (0..results.len()).collect(); // gather keeps list order
                let raised = None;
            "#,
        );
    } else {
        line(
            out,
            1,
            "// gather(): all start at once; the first error returns at once, and",
        );
        line(
            out,
            1,
            "// the others run on (try_join_all would drop them; asyncio does not).",
        );
        rs::spawn_all(out, job);
        block(
            out,
            1,
            r#"
                let mut raised = None;
                while let Some(joined) = set.join_next().await {
                    if let Some(error) = error_of(joined) {
                        raised = Some(error);
                        break;
                    }
                }
                let caller = now_ms();
                let order: Vec<usize> = match raised {
                    None => (0..LABELS.len()).collect(), // gather keeps list order
                    Some(_) => Vec::new(),
                };
            "#,
        );
        rs::wait_rest(out);
    }
}
