//! A task as the loop model sees it: its coroutine cut into the steps
//! where time passes or the loop gets control back ([`Op`]), what it is
//! waiting on, and where `asyncio.wait_for`'s own coroutine is.

use crate::domain::model::{Outcome, TaskTimeline};
use crate::domain::scenario::{Kind, Task};

/// One step of a task's coroutine.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Op {
    /// `async with sem` (under a `Semaphore(n)` only).
    Acquire,
    /// `asyncio.wait_for(body(), timeout)`: start the timer, run the body
    /// as a task of its own (its first step is one iteration later).
    WaitFor,
    /// The body begins: the start is recorded here.
    Begin,
    Sleep(f64),
    Block(f64),
    Thread {
        ms: f64,
        cpu: bool,
    },
    Item,
    Raise,
}

/// The steps of a task's coroutine, at its real durations; `bounded`: it
/// enters a semaphore first.
fn ops_of(task: &Task, bounded: bool) -> Vec<Op> {
    let d = f64::from(task.real.duration_ms);
    let mut ops = Vec::new();
    if bounded {
        ops.push(Op::Acquire);
    }
    if task.real.timeout_ms.is_some() {
        ops.push(Op::WaitFor);
    }
    ops.push(Op::Begin);
    match task.kind {
        Kind::Io => ops.push(Op::Sleep(d)),
        Kind::Fail { .. } => ops.extend([Op::Sleep(d), Op::Raise]),
        Kind::Blocking => ops.push(Op::Block(d)),
        Kind::Offloaded { cpu } => ops.push(Op::Thread { ms: d, cpu }),
        Kind::Stream { items } => {
            let body_ms = task.real.body_ms;
            for _ in 0..items {
                ops.extend([Op::Sleep(d), Op::Item]);
                if body_ms > 0 {
                    ops.push(Op::Sleep(f64::from(body_ms)));
                }
            }
        }
    }
    ops
}

/// What a suspended task waits on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Wait {
    None,
    Sleep,
    Thread,
    Semaphore,
}

/// Where `asyncio.wait_for`'s own coroutine is (tasks with a timeout).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Outer {
    /// No timeout, or wait_for has not run yet: the task is its own outer.
    None,
    /// Awaiting its waiter: released by the timeout or by the body ending.
    Waiting,
    /// The waiter is released; its step is scheduled.
    Woken,
    /// It cancelled the body (`_cancel_and_wait`) and waits for it to end.
    Cancelling,
    Done,
}

#[derive(Clone, Debug)]
pub(super) struct SimTask {
    pub ops: Vec<Op>,
    pub pc: usize,
    pub done: bool,
    pub waiting: Wait,
    /// Bumped whenever a pending wake-up becomes stale.
    pub gen: u64,
    pub cancel_requested: bool,
    /// wait_for's state; `outer_cancelled`: the caller cancelled it.
    pub outer: Outer,
    pub outer_cancelled: bool,
    /// The result reached the task the caller holds (the body's task, or
    /// wait_for's): from here the awaiting code can see it.
    pub settled: bool,
    pub holds_permit: bool,
    pub timeout_ms: Option<f64>,
    pub timeline: TaskTimeline,
}

impl SimTask {
    pub fn new(task: &Task, bounded: bool) -> Self {
        SimTask {
            ops: ops_of(task, bounded),
            pc: 0,
            done: false,
            waiting: Wait::None,
            gen: 0,
            cancel_requested: false,
            outer: Outer::None,
            outer_cancelled: false,
            settled: false,
            holds_permit: false,
            timeout_ms: task.real.timeout_ms.map(f64::from),
            timeline: TaskTimeline {
                start_ms: None,
                end_ms: None,
                outcome: Outcome::NotRun,
                items_ms: Vec::new(),
            },
        }
    }
}
