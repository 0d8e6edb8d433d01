//! Selectors: what the view shows that is worked out from the state, as
//! pure functions beside their tests (`tests/domain_selectors.rs`), the way
//! rust-playground keeps its `selectors`. The UI lays their answers out and
//! derives nothing itself.
//!
//! One rule picks a speedup's sequential baseline everywhere:
//! [`compare::is_sequential_baseline`]. The results table and its headline
//! ([`speedup_vs_sequential`], [`headline`]), the insights
//! ([`insight_subject`]) and the comparison table all use it.

use super::guess::MadeGuess;
use super::AppState;
use crate::domain::analysis::compare::{self, common_axis_ms};
use crate::domain::analysis::insights::InsightContext;
use crate::domain::run::env::RunEnv;
use crate::domain::run::events::RunId;
use crate::domain::run::stats::speedup;
use crate::domain::run::{Run, RunStatus};
use crate::domain::scenario::presets;
use crate::domain::scenario::{Kind, RunMode};

/// The runs on screen, the latest of each mode, in [`RunMode::ALL`] order.
fn shown(state: &AppState) -> impl Iterator<Item = &Run> {
    state.runs.values().flatten().map(|run| &**run)
}

/// The newest finished run on screen: the one the insights are about.
pub fn latest_finished(state: &AppState) -> Option<&Run> {
    shown(state)
        .filter(|run| run.status == RunStatus::Finished)
        .max_by_key(|run| run.id)
}

/// The run on screen that `run`'s speedup is measured against: the latest
/// that [`compare::is_sequential_baseline`] accepts (a sequential run of the
/// same scenario that finished); never `run` itself.
pub fn sequential_baseline<'a>(state: &'a AppState, run: &Run) -> Option<&'a Run> {
    shown(state)
        .filter(|other| other.id != run.id && compare::is_sequential_baseline(other, &run.scenario))
        .max_by_key(|other| other.id)
}

/// How many times faster the latest `mode` run was than its sequential
/// baseline, (measured, predicted), once both have finished. `None` for
/// the sequential mode itself.
pub fn speedup_vs_sequential(state: &AppState, mode: RunMode) -> Option<(f64, f64)> {
    let run = state.run_of(mode).filter(|_| mode != RunMode::Sequential)?;
    let baseline = sequential_baseline(state, run)?;
    let measured = speedup(baseline.wall_ms()?, run.wall_ms()?)?;
    let predicted = speedup(baseline.prediction.total_ms, run.prediction.total_ms)?;
    Some((measured, predicted))
}

/// The headline comparison, (mode, measured, predicted): the newest
/// non-sequential run on screen, if it has a baseline; when other modes ran
/// the same scenario (Compare all), the fastest of them, so the headline
/// never reports whichever mode happened to run last.
pub fn headline(state: &AppState) -> Option<(RunMode, f64, f64)> {
    let newest = shown(state)
        .filter(|run| run.mode != RunMode::Sequential)
        .max_by_key(|run| run.id)?;
    // The newest run has no baseline: no headline, not an older run's.
    let (measured, predicted) = speedup_vs_sequential(state, newest.mode)?;
    let fastest = shown(state)
        .filter(|run| run.mode != RunMode::Sequential && run.id != newest.id)
        .filter(|run| crate::domain::run::same_scenario(&run.scenario, &newest.scenario))
        .filter_map(|run| {
            let (m, p) = speedup_vs_sequential(state, run.mode)?;
            Some((run.mode, m, p))
        })
        .filter(|&(_, m, _)| m > measured)
        .max_by(|a, b| a.1.total_cmp(&b.1));
    Some(fastest.unwrap_or((newest.mode, measured, predicted)))
}

/// The finished runs of the scenario of `lead` (the [`headline`]'s mode,
/// which the caller has already worked out), fastest first, as (mode,
/// measured wall time): a ranking once three or more modes ran, else empty.
pub fn ranking(state: &AppState, lead: Option<RunMode>) -> Vec<(RunMode, f64)> {
    let Some(mode) = lead else {
        return Vec::new();
    };
    let Some(lead) = state.run_of(mode) else {
        return Vec::new();
    };
    let mut ranked: Vec<(RunMode, f64)> = shown(state)
        .filter(|run| run.status == RunStatus::Finished)
        .filter(|run| crate::domain::run::same_scenario(&run.scenario, &lead.scenario))
        .filter_map(|run| Some((run.mode, run.wall_ms()?)))
        .collect();
    if ranked.len() < 3 {
        return Vec::new();
    }
    // Of equal times, the headline's mode first, so the two agree.
    sort_short(&mut ranked, |a, b| {
        a.1.total_cmp(&b.1).then((a.0 != mode).cmp(&(b.0 != mode))) == std::cmp::Ordering::Less
    });
    ranked
}

/// Sorts a short list (a run per mode, the history) by `before`, keeping
/// the order of equals: an insertion sort. Not `slice::sort`: its
/// instances are kilobytes of the app's wasm each, for lists of tens.
pub fn sort_short<T>(list: &mut [T], before: impl Fn(&T, &T) -> bool) {
    for i in 1..list.len() {
        let mut at = i;
        while at > 0 && before(&list[at], &list[at - 1]) {
            list.swap(at, at - 1);
            at -= 1;
        }
    }
}

/// How many worker threads the editor's scenario will want: its pool size
/// when a task is sent to a thread, else none. The UI starts them while
/// the user edits, since a worker takes a moment to load.
pub fn threads_needed(state: &AppState) -> usize {
    match &state.validation {
        Ok(scenario)
            if scenario
                .tasks
                .iter()
                .any(|task| matches!(task.kind, Kind::Offloaded { .. })) =>
        {
            scenario.options.pool_size as usize
        }
        _ => 0,
    }
}

/// The length of the time axis every timeline on screen shares, so their
/// lengths compare by eye (the comparison view uses the same rule).
pub fn timeline_axis_ms(state: &AppState) -> f64 {
    common_axis_ms(shown(state))
}

/// The running run's mode, with how many of its tasks are done and how many
/// there are.
pub fn run_progress(state: &AppState) -> Option<(RunMode, usize, usize)> {
    state.running().map(|run| {
        (
            run.mode,
            run.measurement.finished_count(),
            run.measurement.tasks.len(),
        )
    })
}

/// What the insights are about: the newest finished run, its sequential
/// baseline and the page conditions it ran under.
#[derive(Clone, Copy, Debug)]
pub struct InsightSubject<'a> {
    pub run: &'a Run,
    pub sequential: Option<&'a Run>,
    pub env: Option<RunEnv>,
}

/// Equal for two subjects exactly when their insights are: the UI computes
/// them once per key, not on every render.
pub type InsightKey = (RunId, Option<RunId>, Option<RunEnv>);

/// The insights' subject, if a run on screen has finished.
pub fn insight_subject(state: &AppState) -> Option<InsightSubject<'_>> {
    let run = latest_finished(state)?;
    Some(InsightSubject {
        run,
        sequential: sequential_baseline(state, run),
        env: state.run_envs.get(&run.id).copied(),
    })
}

impl<'a> InsightSubject<'a> {
    pub fn key(&self) -> InsightKey {
        (self.run.id, self.sequential.map(|s| s.id), self.env)
    }

    /// What the insight checks read. Page conditions count only when worth
    /// a note ([`RunEnv::note`]): a moment off-screen is not.
    pub fn context(&self) -> InsightContext<'a> {
        let mut ctx = InsightContext::new(self.run);
        ctx.sequential = self.sequential;
        if let Some((env, note)) = self.env.and_then(|env| Some((env, env.note()?))) {
            ctx.hidden_ms = env.hidden_ms;
            ctx.throttled = env.throttled;
            ctx.env_note = Some(note);
        }
        ctx
    }
}

/// A note under the results about the page conditions of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct EnvNote {
    pub mode_label: &'static str,
    pub text: String,
    pub throttled: bool,
}

/// Notes for the runs on screen made while the playground was hidden or
/// off-screen, in mode order, except `covered` (whose insights say it).
pub fn env_notes(state: &AppState, covered: Option<RunId>) -> Vec<EnvNote> {
    shown(state)
        .filter(|run| Some(run.id) != covered)
        .filter_map(|run| {
            let env = state.run_envs.get(&run.id)?;
            Some(EnvNote {
                mode_label: run.mode.label(),
                text: env.note()?,
                throttled: env.throttled,
            })
        })
        .collect()
}

/// What "Guess before you run" asks: the preset's own question while the
/// editor holds a preset, else about the Run button's mode.
pub fn guess_question(state: &AppState) -> String {
    let preset = presets::MENU
        .iter()
        .find(|(_, title)| !state.title.is_empty() && *title == state.title)
        .and_then(|(slug, _)| presets::question(slug));
    match preset {
        Some(question) => question.to_string(),
        None => format!(
            "How long will a “{}” run take, start to finish?",
            state.mode.label()
        ),
    }
}

/// The guess to show under the results: once scored, or once its run was
/// stopped (not while it runs).
pub fn guess_shown(state: &AppState) -> Option<&MadeGuess> {
    let guessed = state.guessed.as_ref()?;
    let over = !state.is_running() && state.queued.is_empty();
    (guessed.scored.is_some() || over).then_some(guessed)
}
