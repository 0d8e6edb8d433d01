//! gather under `Semaphore(n)`: every task is created at once but enters
//! `async with sem` first, so at most n run; the rest queue in arrival
//! (list) order. The caller's policy is gather's ([`super::gather`]); the
//! limit is carried out by the simulator (an `Acquire` step of each task)
//! and the runner (a task starts when a place is free).

use crate::domain::codegen::lines::{blank, block, line};
use crate::domain::codegen::rust::{self as rs, RustUses};
use crate::domain::modes::{gather, Caller, Failure, Mode, ModeCode, ModeInfo, ModeOptions};

pub struct Bounded;

const INFO: ModeInfo = ModeInfo {
    label: "Semaphore",
    slug: "semaphore",
    python: "async with sem: await t()  # sem = asyncio.Semaphore(n)",
    in_a_sentence: "gather with a Semaphore",
    catch_option: Some("return_exceptions=True"),
    uses_limit: true,
    uses_cancel_pending: false,
};

impl Mode for Bounded {
    fn info(&self) -> &'static ModeInfo {
        &INFO
    }

    fn on_done(&self, c: &mut Caller, task: usize) {
        gather::on_done(c, task);
    }

    fn explain_failure(&self, f: &Failure) -> String {
        gather::explain_failure(f)
    }
}

impl ModeCode for Bounded {
    fn python_main(&self, out: &mut String, o: &ModeOptions) {
        let limit = o.limit.unwrap_or(1);
        line(out, 1, &format!("sem = asyncio.Semaphore({limit})"));
        blank(out, 1);
        block(
            out,
            1,
            r#"
                async def limited(job):
                    async with sem:  # at most this many at once
                        return await job()

                ts = [asyncio.create_task(limited(job)) for job in JOBS]
            "#,
        );
        gather::python_gather(out, o);
    }

    fn rust_uses(&self, o: &ModeOptions) -> RustUses {
        RustUses {
            semaphore: true,
            ..gather::rust_uses(o)
        }
    }

    fn rust_helpers(&self, out: &mut String, o: &ModeOptions) {
        block(
            out,
            0,
            r#"
                /// `async with sem: return await job()`: at most the semaphore's
                /// permits run at once; the rest queue, first come first served.
                async fn limited(sem: Arc<Semaphore>, job: Job) -> TaskResult {
                    // Held (inside the Ok) until the job ends; an error would mean a
                    // closed semaphore, which this one never is.
                    let _permit = sem.acquire_owned().await;
                    job.await
                }
            "#,
        );
        blank(out, 1);
        if !o.catch {
            rs::error_of_helper(out);
        }
    }

    fn rust_run(&self, out: &mut String, o: &ModeOptions) {
        let limit = o.limit.unwrap_or(1);
        line(
            out,
            1,
            &format!("let sem = Arc::new(Semaphore::new({limit})); // asyncio.Semaphore({limit})"),
        );
        gather::rust_gather(out, o, "limited(sem.clone(), job)");
    }
}
