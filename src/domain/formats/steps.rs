//! The event log as the tools worker sends it (`steps` and `snapshot`
//! jobs, [`super::tools`]) and as the app reads it back: JSON, written and
//! read here so both sides agree.
//!
//! The `steps` answer carries every step's time, sentence and lesson line,
//! the shaded segments and the lanes, and the lesson program; snapshots are
//! asked for one step at a time (`snapshot`): the worker runs the model
//! again to that step, which keeps a 1,000-task answer small.

use serde_json::{json, Value};

use crate::domain::codegen::lesson::{lesson_program, Lesson};
use crate::domain::model::log::{
    event_log, CallbackView, EventLog, GilHolder, GilSegment, LogStep, LoopHolder, LoopSegment,
    Segment, Snapshot, Snapshots, StepKind, TaskState, ThreadView, TimerView,
};
use crate::domain::scenario::{RunMode, Scenario};

/// One step as the stepper lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct StepLine {
    pub iteration: u32,
    pub at_ms: f64,
    pub end_ms: f64,
    pub text: String,
    /// The lesson program's line to highlight (1-based).
    pub line: Option<usize>,
    /// The task it concerns, if one.
    pub task: Option<usize>,
}

/// What a `steps` answer holds.
#[derive(Clone, Debug, PartialEq)]
pub struct StepsView {
    pub steps: Vec<StepLine>,
    /// How many steps the run has; more than `steps.len()` when cut.
    pub step_count: usize,
    pub truncated: bool,
    pub total_ms: f64,
    pub caller_ms: f64,
    /// Each task's segments ([`EventLog::segments`]).
    pub segments: Vec<Vec<Segment>>,
    pub created_ms: Vec<Option<f64>>,
    pub loop_lane: Vec<LoopSegment>,
    pub gil_lane: Vec<GilSegment>,
    /// The lesson program the lines point into.
    pub lesson: String,
}

impl StepsView {
    /// The index of the last step that began at or before `at_ms`.
    pub fn step_at(&self, at_ms: f64) -> usize {
        self.steps
            .partition_point(|s| s.at_ms <= at_ms)
            .saturating_sub(1)
    }
}

/// The task a step concerns.
fn step_task(step: &LogStep) -> Option<usize> {
    match (&step.kind, step.place) {
        (_, crate::domain::model::log::Place::Task { task, .. }) => Some(task),
        (StepKind::Callback { callback }, _) => callback.task,
        _ => None,
    }
}

/// The `steps` view of a log and its lesson.
pub fn steps_view(log: &EventLog, lesson: &Lesson) -> StepsView {
    StepsView {
        steps: log
            .steps
            .iter()
            .map(|s| StepLine {
                iteration: s.iteration,
                at_ms: s.at_ms,
                end_ms: s.end_ms,
                text: s.text.clone(),
                line: lesson.line_of(s.place),
                task: step_task(s),
            })
            .collect(),
        step_count: log.step_count,
        truncated: log.truncated,
        total_ms: log.prediction.total_ms,
        caller_ms: log.prediction.caller_ms,
        segments: log.segments.clone(),
        created_ms: log.created_ms.clone(),
        loop_lane: log.loop_lane.clone(),
        gil_lane: log.gil_lane.clone(),
        lesson: lesson.text.clone(),
    }
}

/// The `steps` answer for `scenario` run in `mode`.
pub fn steps_json(scenario: &Scenario, mode: RunMode) -> String {
    let log = event_log(scenario, mode, Snapshots::None);
    let lesson = lesson_program(scenario, mode);
    steps_to_json(&steps_view(&log, &lesson))
}

/// The `snapshot` answer: step `step`'s snapshot (the last step's if past
/// the end; an error if the run has no such step).
pub fn snapshot_json(scenario: &Scenario, mode: RunMode, step: usize) -> Result<String, String> {
    let log = event_log(scenario, mode, Snapshots::At(step));
    log.steps
        .get(step)
        .and_then(|s| s.snapshot.as_ref())
        .map(snapshot_to_json)
        .ok_or_else(|| format!("the run has no step {step}"))
}

fn opt_usize(v: Option<usize>) -> Value {
    v.map_or(Value::Null, |n| json!(n))
}

fn opt_f64(v: Option<f64>) -> Value {
    v.map_or(Value::Null, |n| json!(n))
}

pub fn steps_to_json(v: &StepsView) -> String {
    let steps: Vec<Value> = v
        .steps
        .iter()
        .map(|s| {
            json!([
                s.iteration,
                s.at_ms,
                s.end_ms,
                s.text,
                opt_usize(s.line),
                opt_usize(s.task)
            ])
        })
        .collect();
    let segments: Vec<Value> = v
        .segments
        .iter()
        .map(|segs| {
            Value::Array(
                segs.iter()
                    .map(|g| json!([g.start_ms, g.end_ms, g.state.slug()]))
                    .collect(),
            )
        })
        .collect();
    let loop_lane: Vec<Value> = v
        .loop_lane
        .iter()
        .map(|g| {
            let task = match g.holder {
                LoopHolder::Idle => Value::Null,
                LoopHolder::Blocking { task } => json!(task),
            };
            json!([g.start_ms, g.end_ms, task])
        })
        .collect();
    let gil_lane: Vec<Value> = v
        .gil_lane
        .iter()
        .map(|g| {
            let tasks: Vec<usize> = match &g.holder {
                GilHolder::Free => Vec::new(),
                GilHolder::Thread { task } => vec![*task],
                GilHolder::TakingTurns { tasks } => tasks.clone(),
            };
            json!([g.start_ms, g.end_ms, tasks])
        })
        .collect();
    json!({
        "steps": steps,
        "step_count": v.step_count,
        "truncated": v.truncated,
        "total_ms": v.total_ms,
        "caller_ms": v.caller_ms,
        "segments": segments,
        "created_ms": v.created_ms.iter().map(|c| opt_f64(*c)).collect::<Vec<_>>(),
        "loop": loop_lane,
        "gil": gil_lane,
        "lesson": v.lesson,
    })
    .to_string()
}

const BAD: &str = "the event log could not be read";

fn f(v: &Value) -> Result<f64, String> {
    v.as_f64().ok_or_else(|| BAD.to_string())
}

fn u(v: &Value) -> Result<usize, String> {
    v.as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| BAD.to_string())
}

fn opt_u(v: &Value) -> Result<Option<usize>, String> {
    if v.is_null() {
        Ok(None)
    } else {
        u(v).map(Some)
    }
}

fn arr(v: &Value) -> Result<&Vec<Value>, String> {
    v.as_array().ok_or_else(|| BAD.to_string())
}

fn s(v: &Value) -> Result<String, String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| BAD.to_string())
}

/// Reads a `steps` answer.
pub fn steps_from_json(text: &str) -> Result<StepsView, String> {
    let v: Value = serde_json::from_str(text).map_err(|_| BAD.to_string())?;
    let steps = arr(&v["steps"])?
        .iter()
        .map(|s_| {
            let a = arr(s_)?;
            if a.len() != 6 {
                return Err(BAD.to_string());
            }
            Ok(StepLine {
                iteration: u32::try_from(u(&a[0])?).map_err(|_| BAD.to_string())?,
                at_ms: f(&a[1])?,
                end_ms: f(&a[2])?,
                text: s(&a[3])?,
                line: opt_u(&a[4])?,
                task: opt_u(&a[5])?,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let segments = arr(&v["segments"])?
        .iter()
        .map(|segs| {
            arr(segs)?
                .iter()
                .map(|g| {
                    let a = arr(g)?;
                    if a.len() != 3 {
                        return Err(BAD.to_string());
                    }
                    Ok(Segment {
                        start_ms: f(&a[0])?,
                        end_ms: f(&a[1])?,
                        state: TaskState::from_slug(&s(&a[2])?).ok_or(BAD)?,
                    })
                })
                .collect::<Result<Vec<_>, String>>()
        })
        .collect::<Result<Vec<_>, String>>()?;
    let created_ms = arr(&v["created_ms"])?
        .iter()
        .map(|c| {
            if c.is_null() {
                Ok(None)
            } else {
                f(c).map(Some)
            }
        })
        .collect::<Result<Vec<_>, String>>()?;
    let loop_lane = arr(&v["loop"])?
        .iter()
        .map(|g| {
            let a = arr(g)?;
            if a.len() != 3 {
                return Err(BAD.to_string());
            }
            Ok(LoopSegment {
                start_ms: f(&a[0])?,
                end_ms: f(&a[1])?,
                holder: match opt_u(&a[2])? {
                    None => LoopHolder::Idle,
                    Some(task) => LoopHolder::Blocking { task },
                },
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let gil_lane = arr(&v["gil"])?
        .iter()
        .map(|g| {
            let a = arr(g)?;
            if a.len() != 3 {
                return Err(BAD.to_string());
            }
            let tasks = arr(&a[2])?.iter().map(u).collect::<Result<Vec<_>, _>>()?;
            Ok(GilSegment {
                start_ms: f(&a[0])?,
                end_ms: f(&a[1])?,
                holder: match tasks.as_slice() {
                    [] => GilHolder::Free,
                    [task] => GilHolder::Thread { task: *task },
                    _ => GilHolder::TakingTurns { tasks },
                },
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(StepsView {
        steps,
        step_count: u(&v["step_count"])?,
        truncated: v["truncated"].as_bool().ok_or(BAD)?,
        total_ms: f(&v["total_ms"])?,
        caller_ms: f(&v["caller_ms"])?,
        segments,
        created_ms,
        loop_lane,
        gil_lane,
        lesson: s(&v["lesson"])?,
    })
}

fn callback_json(c: &CallbackView) -> Value {
    json!([opt_usize(c.task), c.text])
}

fn callback_from(v: &Value) -> Result<CallbackView, String> {
    let a = arr(v)?;
    if a.len() != 2 {
        return Err(BAD.to_string());
    }
    Ok(CallbackView {
        task: opt_u(&a[0])?,
        text: s(&a[1])?,
    })
}

pub fn snapshot_to_json(sn: &Snapshot) -> String {
    json!({
        "now_ms": sn.now_ms,
        "running": sn.running.as_ref().map_or(Value::Null, callback_json),
        "ready": sn.ready.iter().map(callback_json).collect::<Vec<_>>(),
        "timers": sn.timers.iter().map(|t| json!([t.due_ms, opt_usize(t.task), t.text])).collect::<Vec<_>>(),
        "threads": sn.threads.iter().map(|t| json!([t.task, t.cpu, t.left_ms, t.orphaned])).collect::<Vec<_>>(),
        "pool_queue": sn.pool_queue,
        "pool_size": sn.pool_size,
        "gil_holder": opt_usize(sn.gil_holder),
        "gil_waiting": sn.gil_waiting,
        "permits_free": sn.permits_free.map_or(Value::Null, |n| json!(n)),
        "permit_waiters": sn.permit_waiters,
        "caller": sn.caller,
        "caller_resumed_ms": opt_f64(sn.caller_resumed_ms),
        "states": sn.states.iter().map(|s| s.map_or(Value::Null, |s| json!(s.slug()))).collect::<Vec<_>>(),
        "ended": sn.ended,
    })
    .to_string()
}

/// Reads a `snapshot` answer.
pub fn snapshot_from_json(text: &str) -> Result<Snapshot, String> {
    let v: Value = serde_json::from_str(text).map_err(|_| BAD.to_string())?;
    let usizes = |v: &Value| arr(v)?.iter().map(u).collect::<Result<Vec<_>, String>>();
    Ok(Snapshot {
        now_ms: f(&v["now_ms"])?,
        running: if v["running"].is_null() {
            None
        } else {
            Some(callback_from(&v["running"])?)
        },
        ready: arr(&v["ready"])?
            .iter()
            .map(callback_from)
            .collect::<Result<_, _>>()?,
        timers: arr(&v["timers"])?
            .iter()
            .map(|t| {
                let a = arr(t)?;
                if a.len() != 3 {
                    return Err(BAD.to_string());
                }
                Ok(TimerView {
                    due_ms: f(&a[0])?,
                    task: opt_u(&a[1])?,
                    text: s(&a[2])?,
                })
            })
            .collect::<Result<_, String>>()?,
        threads: arr(&v["threads"])?
            .iter()
            .map(|t| {
                let a = arr(t)?;
                if a.len() != 4 {
                    return Err(BAD.to_string());
                }
                Ok(ThreadView {
                    task: u(&a[0])?,
                    cpu: a[1].as_bool().ok_or(BAD)?,
                    left_ms: f(&a[2])?,
                    orphaned: a[3].as_bool().ok_or(BAD)?,
                })
            })
            .collect::<Result<_, String>>()?,
        pool_queue: usizes(&v["pool_queue"])?,
        pool_size: u(&v["pool_size"])?,
        gil_holder: opt_u(&v["gil_holder"])?,
        gil_waiting: usizes(&v["gil_waiting"])?,
        permits_free: match &v["permits_free"] {
            Value::Null => None,
            n => Some(u32::try_from(u(n)?).map_err(|_| BAD.to_string())?),
        },
        permit_waiters: usizes(&v["permit_waiters"])?,
        caller: s(&v["caller"])?,
        caller_resumed_ms: if v["caller_resumed_ms"].is_null() {
            None
        } else {
            Some(f(&v["caller_resumed_ms"])?)
        },
        states: arr(&v["states"])?
            .iter()
            .map(|s_| {
                if s_.is_null() {
                    Ok(None)
                } else {
                    TaskState::from_slug(&s(s_)?)
                        .map(Some)
                        .ok_or(BAD.to_string())
                }
            })
            .collect::<Result<_, String>>()?,
        ended: u(&v["ended"])?,
    })
}
