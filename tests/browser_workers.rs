//! Browser tests for the worker bridges (pool threads and the tools
//! worker) against real Web Workers that misbehave: ones that never load,
//! load slowly, die mid-job or go silent. The test runner serves no trunk
//! worker files, so each worker here is a small script from a `blob:` URL
//! speaking the same protocol as `src/bin/worker.rs` (`"ready"`, then
//! `[id, kind, ms, start]` jobs answered with `[id, began, ended]`, or with
//! a bare `id` by a worker that does not time its jobs).

#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use async_playground::domain::model::Outcome;
use async_playground::domain::run::events::{EventKind, RunId, TraceEvent};
use async_playground::domain::run::measurement::Measurement;
use async_playground::domain::scenario::{
    Durations, Kind, RunMode, RunOptions, Scenario, Task, TaskId,
};
use async_playground::runtime::runner::{spawn_run, RunHandle, RunSetup};
use async_playground::runtime::thread_pool::Backend;
use async_playground::runtime::workers::pool_host::{Limits, WorkerBackend};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

type Log = Rc<RefCell<Vec<TraceEvent>>>;

/// A worker script from a `blob:` URL.
fn blob_url(script: &str) -> String {
    let parts = js_sys::Array::of1(&JsValue::from_str(script));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).unwrap();
    web_sys::Url::create_object_url_with_blob(&blob).unwrap()
}

/// A pool thread that works like the real one, saying "ready" after
/// `load_ms` (as the real one does once its wasm is compiled); jobs sent
/// before that are lost, as they would be. A burn runs from its start to
/// its end (busy-waiting for the start, as jobs queue behind it anyway).
fn pool_thread(load_ms: u32) -> String {
    blob_url(&format!(
        "function job(e) {{
           const [id, kind, ms, at] = e.data;
           if (kind === 0) {{
             const end = at - performance.timeOrigin + ms;
             while (performance.now() < end) {{}}
             postMessage(id);
           }} else {{
             setTimeout(() => postMessage(id), Math.ceil(ms));
           }}
         }}
         setTimeout(() => {{ onmessage = job; postMessage('ready'); }}, {load_ms});"
    ))
}

/// A pool thread that says "ready", then throws on its first job.
fn dies_mid_job() -> String {
    blob_url("onmessage = () => { throw new Error('the worker died'); }; postMessage('ready');")
}

/// A pool thread that says "ready", then never answers.
fn goes_silent() -> String {
    blob_url("onmessage = () => {}; postMessage('ready');")
}

/// A worker that loads but never says "ready" (as when its wasm 404s).
fn never_ready() -> String {
    blob_url("// nothing here")
}

fn offloaded(duration_ms: u32, cpu: bool) -> Task {
    let kind = Kind::Offloaded { cpu };
    Task::new(TaskId(0), "", kind, Durations::of(duration_ms))
}

fn start(tasks: Vec<Task>, options: RunOptions, backend: Rc<dyn Backend>) -> (RunHandle, Log) {
    let log: Log = Rc::default();
    let sink = log.clone();
    let handle = spawn_run(
        Rc::new(Scenario::new(tasks, 1.0, options)),
        RunSetup {
            mode: RunMode::Gather,
            run: RunId(1),
            emit: Rc::new(move |e| sink.borrow_mut().push(e)),
            backend,
        },
    );
    (handle, log)
}

fn finished(log: &Log) -> bool {
    log.borrow()
        .iter()
        .any(|e| matches!(e.kind, EventKind::RunFinished { .. }))
}

/// Runs to the end (polling every 10 ms) and returns what was measured;
/// fails if the run is not over within `limit_ms`.
async fn run_within(
    tasks: Vec<Task>,
    options: RunOptions,
    backend: Rc<dyn Backend>,
    limit_ms: u32,
) -> Measurement {
    let n = tasks.len();
    let (_handle, log) = start(tasks, options, backend);
    let mut waited_ms = 0;
    while !finished(&log) && waited_ms < limit_ms {
        TimeoutFuture::new(10).await;
        waited_ms += 10;
    }
    assert!(finished(&log), "the run did not end within {limit_ms} ms");
    let mut m = Measurement::new(n);
    for e in log.borrow().iter() {
        m.record(&e.kind);
    }
    m
}

fn pool(size: u32) -> RunOptions {
    RunOptions {
        pool_size: size,
        ..RunOptions::default()
    }
}

fn assert_all_ok(m: &Measurement) {
    for (i, t) in m.tasks.iter().enumerate() {
        assert_eq!(t.outcome, Some(Outcome::Ok), "task {i}: {t:?}");
    }
}

#[wasm_bindgen_test]
async fn a_worker_that_dies_mid_job_still_lets_the_run_end() {
    let backend = WorkerBackend::new(&dies_mid_job());
    let tasks = vec![offloaded(100, true), offloaded(100, false)];
    let m = run_within(tasks, pool(2), Rc::new(backend), 3_000).await;
    assert_all_ok(&m);
    // The rest of each job is done on timers: never early.
    for t in &m.tasks {
        let took = t.end_ms.unwrap() - t.start_ms.unwrap();
        assert!(took >= 100.0, "a 100 ms job took {took:.1} ms");
    }
}

/// Short patience, so the tests that wait it out stay quick.
const IMPATIENT: Limits = Limits {
    load_ms: 300,
    grace_ms: 300,
    retry_ms: 1_000,
};

#[wasm_bindgen_test]
async fn a_worker_that_goes_silent_mid_job_still_lets_the_run_end() {
    let backend = WorkerBackend::with_limits(&goes_silent(), IMPATIENT);
    let m = run_within(vec![offloaded(50, true)], pool(1), Rc::new(backend), 3_000).await;
    assert_all_ok(&m);
    let took = m.tasks[0].end_ms.unwrap() - m.tasks[0].start_ms.unwrap();
    assert!(took >= 50.0, "a 50 ms job took {took:.1} ms");
}

#[wasm_bindgen_test]
async fn a_worker_that_never_says_ready_still_lets_the_run_end_and_says_why() {
    let backend = WorkerBackend::with_limits(&never_ready(), IMPATIENT);
    let tasks = vec![offloaded(50, false), offloaded(50, true)];
    let (_handle, log) = start(tasks, pool(2), Rc::new(backend));
    let mut waited_ms = 0;
    while !finished(&log) && waited_ms < 3_000 {
        TimeoutFuture::new(10).await;
        waited_ms += 10;
    }
    assert!(finished(&log), "the run did not end");
    let kinds: Vec<EventKind> = log.borrow().iter().map(|e| e.kind).collect();
    assert_eq!(kinds[0], EventKind::WaitingForThreads { threads: 2 });
    assert!(
        matches!(kinds[1], EventKind::RunStarted { .. }),
        "{kinds:?}"
    );
    assert_eq!(kinds[2], EventKind::ThreadsOnTimers { threads: 2 });
    // The clock started once the workers were given up on: the jobs, on
    // timers, take what the model says.
    let mut m = Measurement::new(2);
    for kind in &kinds {
        m.record(kind);
    }
    assert_all_ok(&m);
    let total = m.total_ms.unwrap();
    assert!((50.0..250.0).contains(&total), "the run took {total:.1} ms");
}

#[wasm_bindgen_test]
async fn a_loader_that_is_not_there_means_timers_without_a_long_wait() {
    let backend = WorkerBackend::new("./no-such-worker-loader.js");
    let started = async_playground::runtime::clock::now_ms();
    let m = run_within(
        vec![offloaded(100, false); 3],
        pool(3),
        Rc::new(backend),
        3_000,
    )
    .await;
    assert_all_ok(&m);
    let took = async_playground::runtime::clock::now_ms() - started;
    assert!(took < 1_500.0, "a 100 ms run took {took:.1} ms to end");
}

#[wasm_bindgen_test]
async fn a_first_run_on_loading_workers_measures_what_a_warm_run_does() {
    // ThreadPoolExecutor(max_workers=3), five 200 ms to_thread calls:
    // two rounds, 400 ms, once the threads can start.
    let backend = WorkerBackend::new(&pool_thread(300));
    let tasks = vec![offloaded(200, false); 5];
    let (_handle, log) = start(tasks, pool(3), Rc::new(backend));
    let mut waited_ms = 0;
    while !finished(&log) && waited_ms < 5_000 {
        TimeoutFuture::new(10).await;
        waited_ms += 10;
    }
    assert!(finished(&log), "the run did not end");
    assert_eq!(
        log.borrow()[0].kind,
        EventKind::WaitingForThreads { threads: 3 },
        "the run says it waits for its threads"
    );
    let mut m = Measurement::new(5);
    for e in log.borrow().iter() {
        m.record(&e.kind);
    }
    assert_all_ok(&m);
    let total = m.total_ms.unwrap();
    assert!(total >= 400.0, "the run took {total:.1} ms");
    assert!(
        total < 520.0,
        "the run took {total:.1} ms: its clock started before its threads could"
    );
}

/// A pool thread that waits out each job and answers `[id, began, ended]`
/// (ms since the Unix epoch), as `src/bin/worker.rs` does.
fn timed_pool_thread() -> String {
    blob_url(
        "onmessage = (e) => {
           const [id, kind, ms] = e.data;
           const began = performance.timeOrigin + performance.now();
           setTimeout(() => postMessage([id, began, performance.timeOrigin + performance.now()]), Math.ceil(ms));
         };
         postMessage('ready');",
    )
}

#[wasm_bindgen_test]
async fn a_job_waiting_for_a_free_thread_is_measured_queued_until_its_thread_began_it() {
    // Five 150 ms to_thread waits on three threads: the last two begin
    // when the first ones end.
    let backend = WorkerBackend::new(&timed_pool_thread());
    let tasks = vec![offloaded(150, false); 5];
    let m = run_within(tasks, pool(3), Rc::new(backend), 5_000).await;
    assert_all_ok(&m);
    let queued: Vec<f64> = m
        .tasks
        .iter()
        .map(|t| {
            let thread = t.thread.expect("every job's thread reported its times");
            let (start, end) = (t.start_ms.unwrap(), t.end_ms.unwrap());
            assert!(
                start <= thread.start_ms + 1.0
                    && thread.start_ms < thread.end_ms
                    && thread.end_ms <= end + 1.0,
                "the thread's span lies within the task's bar: {t:?}"
            );
            assert!(
                thread.held_ms >= 140.0,
                "a 150 ms wait held its thread: {t:?}"
            );
            thread.start_ms - start
        })
        .collect();
    assert_eq!(
        queued.iter().filter(|&&q| q >= 140.0).count(),
        2,
        "two jobs waited for a thread about one job's length: {queued:?}"
    );
}

/// A pool thread that answers every job at once, whatever its length: a
/// job that ends early was answered by a worker, not by timers.
fn answers_at_once() -> String {
    blob_url("onmessage = (e) => postMessage(e.data[0]); postMessage('ready');")
}

#[wasm_bindgen_test]
async fn a_thread_whose_worker_could_not_be_replaced_on_stop_still_answers() {
    use async_playground::runtime::thread_pool::Pool;
    let backend = WorkerBackend::new(&pool_thread(0));
    let shared: Rc<dyn Backend> = Rc::new(backend.clone());
    let first = Pool::new(1, false, shared.clone());
    let _busy = first.submit(500.0, false);
    TimeoutFuture::new(100).await;
    // Stop while the job runs: the busy worker is replaced, and starting
    // its replacement cannot even be constructed (not a URL).
    backend.set_loader("http://[::1");
    drop(first);
    let second = Pool::new(1, false, shared);
    let started = async_playground::runtime::clock::now_ms();
    let done = second.submit(50.0, false);
    let limit = TimeoutFuture::new(3_000);
    match futures::future::select(done, limit).await {
        futures::future::Either::Left((answer, _)) => assert!(answer.is_ok()),
        futures::future::Either::Right(_) => panic!("the job was never answered"),
    }
    let took = async_playground::runtime::clock::now_ms() - started;
    assert!(took >= 50.0, "a 50 ms job took {took:.1} ms");
}

#[wasm_bindgen_test]
async fn a_thread_whose_worker_died_gets_a_fresh_worker_for_the_next_run() {
    let backend = WorkerBackend::new(&dies_mid_job());
    let shared: Rc<dyn Backend> = Rc::new(backend.clone());
    let m = run_within(vec![offloaded(100, false)], pool(1), shared.clone(), 3_000).await;
    assert_all_ok(&m);
    backend.set_loader(&answers_at_once());
    // Failed threads are retried at most once a second.
    TimeoutFuture::new(1_100).await;
    let m = run_within(vec![offloaded(300, false)], pool(1), shared, 3_000).await;
    let took = m.tasks[0].end_ms.unwrap() - m.tasks[0].start_ms.unwrap();
    assert!(
        took < 200.0,
        "a 300 ms job took {took:.1} ms: it ran on timers, not on a fresh worker"
    );
}

/// A tools worker that echoes payloads, throws on "die" and ignores "hang".
fn echo_tools() -> String {
    blob_url(
        "onmessage = (e) => {
           const [id, op, payload] = e.data;
           if (payload === 'die') throw new Error('the tools worker died');
           if (payload === 'hang') return;
           postMessage([id, true, op + ':' + payload]);
         };
         postMessage('ready');",
    )
}

/// Awaits `future`, failing the test if it takes longer than `limit_ms`.
async fn within<T>(limit_ms: u32, future: impl std::future::Future<Output = T>) -> T {
    let limit = TimeoutFuture::new(limit_ms);
    match futures::future::select(Box::pin(future), limit).await {
        futures::future::Either::Left((value, _)) => value,
        futures::future::Either::Right(_) => panic!("no answer within {limit_ms} ms"),
    }
}

#[wasm_bindgen_test]
async fn a_tools_worker_that_died_is_replaced_on_the_next_call() {
    use async_playground::domain::formats::tools::Op;
    use async_playground::runtime::workers::tools_host::ToolsWorker;
    let tools = ToolsWorker::new(&echo_tools(), 5_000);
    assert_eq!(
        within(3_000, tools.call(Op::Python, "hello".into())).await,
        Ok("python:hello".to_string())
    );
    let died = within(3_000, tools.call(Op::Python, "die".into())).await;
    assert!(died.is_err(), "{died:?}");
    assert_eq!(
        within(3_000, tools.call(Op::Rust, "again".into())).await,
        Ok("rust:again".to_string())
    );
}

#[wasm_bindgen_test]
async fn a_tools_worker_that_never_loads_fails_its_jobs_in_time() {
    use async_playground::domain::formats::tools::Op;
    use async_playground::runtime::workers::tools_host::ToolsWorker;
    let tools = ToolsWorker::new(&never_ready(), 300);
    let reply = within(3_000, tools.call(Op::Python, "x".into())).await;
    assert_eq!(
        reply,
        Err("the code and file tools did not start in time".to_string())
    );
    let missing = ToolsWorker::new("./no-such-tools-loader.js", 5_000);
    let reply = within(3_000, missing.call(Op::Python, "x".into())).await;
    assert!(reply.is_err(), "{reply:?}");
}

/// Runs each thread's jobs one after another on timers, as a worker does,
/// and counts the most jobs each thread had sent and not yet due to end.
#[derive(Default)]
struct InOrder {
    busy_until_ms: RefCell<Vec<f64>>,
    /// Per thread, when its jobs sent so far end.
    dues: RefCell<Vec<Vec<f64>>>,
    most: Rc<RefCell<Vec<usize>>>,
}

impl InOrder {
    fn job(
        &self,
        thread: usize,
        start_ms: f64,
        ms: f64,
    ) -> async_playground::runtime::thread_pool::Work {
        let now = async_playground::runtime::clock::now_ms();
        let mut busy = self.busy_until_ms.borrow_mut();
        let len = busy.len().max(thread + 1);
        busy.resize(len, 0.0);
        busy[thread] = busy[thread].max(start_ms.max(now) + ms);
        let due = busy[thread];
        let mut dues = self.dues.borrow_mut();
        let mut most = self.most.borrow_mut();
        let (dues_len, most_len) = (len.max(dues.len()), len.max(most.len()));
        dues.resize_with(dues_len, Vec::new);
        most.resize(most_len, 0);
        dues[thread].retain(|&end| end > now);
        dues[thread].push(due);
        most[thread] = most[thread].max(dues[thread].len());
        async_playground::runtime::thread_pool::on_timers(due - ms, due)
    }
}

impl Backend for InOrder {
    fn burn(
        &self,
        thread: usize,
        start_ms: f64,
        ms: f64,
    ) -> async_playground::runtime::thread_pool::Work {
        self.job(thread, start_ms, ms)
    }
    fn wait(&self, thread: usize, ms: f64) -> async_playground::runtime::thread_pool::Work {
        self.job(thread, async_playground::runtime::clock::now_ms(), ms)
    }
}

/// Submits CPU jobs of `ms` to a pool with the GIL and returns when each
/// ended (ms after submitting), and the most jobs a thread had sent and not
/// yet due to end.
async fn under_the_gil(jobs_ms: &[f64]) -> (Vec<f64>, Vec<usize>) {
    use async_playground::runtime::thread_pool::Pool;
    let backend = Rc::new(InOrder::default());
    let most = backend.most.clone();
    let pool = Pool::new(jobs_ms.len(), true, backend);
    let started = async_playground::runtime::clock::now_ms();
    let ends: Vec<_> = jobs_ms
        .iter()
        .map(|&ms| {
            let done = pool.submit(ms, true);
            async move {
                let _ = done.await;
                async_playground::runtime::clock::now_ms() - started
            }
        })
        .collect();
    let ends = within(5_000, futures::future::join_all(ends)).await;
    let most = most.borrow().clone();
    (ends, most)
}

#[wasm_bindgen_test]
async fn a_lone_thread_under_the_gil_gets_its_next_slice_before_the_last_ends() {
    use async_playground::runtime::thread_pool::GIL_SLICES_IN_FLIGHT;
    let (ends, most) = under_the_gil(&[100.0]).await;
    assert!(ends[0] >= 100.0, "a 100 ms job took {:.1} ms", ends[0]);
    assert!(
        most[0] >= 2 && most[0] <= GIL_SLICES_IN_FLIGHT,
        "one slice running, the next ones booked ahead (at most {GIL_SLICES_IN_FLIGHT}): {most:?}"
    );
}

#[wasm_bindgen_test]
async fn threads_under_the_gil_still_take_turns() {
    // Two 50 ms jobs share the GIL: both end near 100 ms, neither at 50.
    let (ends, most) = under_the_gil(&[50.0, 50.0]).await;
    for end in &ends {
        assert!(
            *end >= 90.0,
            "a job ended at {end:.1} ms: it ran alone: {ends:?}"
        );
    }
    let in_flight = async_playground::runtime::thread_pool::GIL_SLICES_IN_FLIGHT;
    assert!(most.iter().all(|&m| m <= in_flight), "{most:?}");
}

#[wasm_bindgen_test]
async fn threads_taking_turns_lose_no_time_at_the_hand_offs() {
    // Three 100 ms jobs, 60 hand-offs: slices are booked back to back, so
    // the last ends at the model's 300 ms plus timer lateness, not plus a
    // round trip per hand-off.
    let (ends, _) = under_the_gil(&[100.0, 100.0, 100.0]).await;
    let last = ends.iter().copied().fold(0.0, f64::max);
    assert!(
        (300.0..330.0).contains(&last),
        "the last job ended at {last:.1} ms (model: 300): {ends:?}"
    );
}

#[wasm_bindgen_test]
async fn a_worker_whose_wasm_cannot_load_is_given_up_at_once() {
    // What static/worker_loader.js does when its wasm fails to load:
    // rethrow, so the page hears of it without waiting for the deadline.
    let loader = blob_url(
        "Promise.reject(new Error('no wasm')).catch((e) => setTimeout(() => { throw e; }));",
    );
    let backend = WorkerBackend::new(&loader);
    let started = async_playground::runtime::clock::now_ms();
    let m = run_within(vec![offloaded(50, false)], pool(1), Rc::new(backend), 3_000).await;
    assert_all_ok(&m);
    let took = async_playground::runtime::clock::now_ms() - started;
    assert!(
        took < 1_000.0,
        "the run ended after {took:.1} ms (load deadline: 5 s)"
    );
}
