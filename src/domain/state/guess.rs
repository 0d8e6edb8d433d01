//! "Guess before you run": the learner says how long the next run will take
//! (and, optionally, which task finishes first) before running it; after
//! the run, the guess is set beside the model and the measurement with one
//! sentence on the difference, and the tally of guesses is kept with the
//! autosave.
//!
//! A guess is about the run of one mode: the Run button's mode, or the
//! faster side of a Compare (see [`guessed_mode`]). It is scored once, when
//! that run finishes; a stopped run is not scored.

use crate::domain::model::{predict, Prediction};
use crate::domain::run::{Run, RunStatus};
use crate::domain::scenario::{RunMode, TaskId};
use crate::domain::state::RunRequest;
use crate::domain::text::decimal::{parse_decimal, Fixed};

/// The guess being typed, before the run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GuessForm {
    /// "Guess before you run" is ticked.
    pub on: bool,
    /// The total time as typed, in ms.
    pub total_text: String,
    /// The task picked to finish first, if any.
    pub pick: Option<TaskId>,
}

/// The longest guess taken, in ms (a day): beyond it the text is refused.
pub const MAX_GUESS_MS: f64 = 86_400_000.0;

impl GuessForm {
    /// The typed total, when it is a usable number of ms.
    pub fn total_ms(&self) -> Result<f64, String> {
        let text = self.total_text.trim();
        let text = text.strip_suffix("ms").unwrap_or(text).trim();
        match parse_decimal(text) {
            Some(ms) if ms.is_finite() && ms > 0.0 && ms <= MAX_GUESS_MS => Ok(ms),
            Some(_) => Err("Your guess must be a time above 0 ms, at most a day.".to_string()),
            None if text.is_empty() => Err(
                "Type your guess of the total time first (or untick “Guess before you run”)."
                    .to_string(),
            ),
            None => Err(format!("“{}” is not a number of ms.", short(text))),
        }
    }
}

fn short(text: &str) -> String {
    match text.char_indices().nth(24) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// A guess made for a run, and its score once that run finished.
#[derive(Clone, Debug, PartialEq)]
pub struct MadeGuess {
    pub mode: RunMode,
    pub total_ms: f64,
    /// The task picked to finish first, by index into the run's tasks.
    pub pick: Option<usize>,
    /// The run it is about: the first run of `mode` numbered at least this.
    pub from_run: u64,
    pub scored: Option<Scored>,
}

/// What a finished run says about a guess.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    pub measured_ms: f64,
    pub model_ms: f64,
    /// The tasks one after another (the sequential model).
    pub sum_ms: f64,
    /// The longest task alone.
    pub longest_ms: f64,
    /// The task that finished first in the run (by measured end), if any.
    pub first: Option<usize>,
    /// The labels of the task that finished first and of the one picked.
    pub first_label: String,
    pub pick_label: String,
}

/// The guesses made so far, kept with the autosave.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Guesses scored.
    pub made: u32,
    /// Of those, within [`close`] of the measured total.
    pub close: u32,
    /// Guesses that picked a first finisher…
    pub picked: u32,
    /// …and picked it right.
    pub picked_right: u32,
}

impl Tally {
    /// A merge of two tabs' tallies that both started from `base`: each
    /// tab's own guesses count once.
    pub fn merged(self, theirs: Tally, base: Tally) -> Tally {
        let add =
            |ours: u32, theirs: u32, base: u32| theirs.saturating_add(ours.saturating_sub(base));
        Tally {
            made: add(self.made, theirs.made, base.made),
            close: add(self.close, theirs.close, base.close),
            picked: add(self.picked, theirs.picked, base.picked),
            picked_right: add(self.picked_right, theirs.picked_right, base.picked_right),
        }
    }

    /// Both tallies together.
    pub fn plus(self, other: Tally) -> Tally {
        Tally {
            made: self.made.saturating_add(other.made),
            close: self.close.saturating_add(other.close),
            picked: self.picked.saturating_add(other.picked),
            picked_right: self.picked_right.saturating_add(other.picked_right),
        }
    }

    /// A tally read from storage, made consistent (parts never exceed wholes).
    pub fn sane(self) -> Tally {
        Tally {
            made: self.made,
            close: self.close.min(self.made),
            picked: self.picked.min(self.made),
            picked_right: self.picked_right.min(self.picked.min(self.made)),
        }
    }

    /// "3 guesses, 2 within 10% of the run; first finisher right 1 of 2."
    pub fn summary(self) -> Option<String> {
        if self.made == 0 {
            return None;
        }
        let guesses = if self.made == 1 { "guess" } else { "guesses" };
        let mut text = format!(
            "Your guesses so far: {} {guesses}, {} within 10% of the measured time",
            self.made, self.close
        );
        if self.picked > 0 {
            text.push_str(&format!(
                "; first to finish right {} of {}",
                self.picked_right, self.picked
            ));
        }
        text.push('.');
        Some(text)
    }
}

/// Whether a guess counts as close: within 10% of the measured total, or
/// 20 ms for short runs (timers fire a few ms late).
pub fn close(guess_ms: f64, measured_ms: f64) -> bool {
    (guess_ms - measured_ms).abs() <= (measured_ms * 0.1).max(20.0)
}

/// The mode a guess made for `request` is about: the Run button's mode, or
/// the side of a Compare that is not the sequential baseline.
pub fn guessed_mode(request: RunRequest, run_button: RunMode) -> RunMode {
    match request {
        RunRequest::Only(mode) => mode,
        RunRequest::Compare(RunMode::Sequential) => RunMode::Gather,
        RunRequest::Compare(mode) => mode,
        RunRequest::CompareAll => run_button,
    }
}

impl MadeGuess {
    /// Scores the guess against `run` if it is the run the guess is about
    /// and it finished; `true` when it was scored now.
    pub fn score(&mut self, run: &Run) -> bool {
        if self.scored.is_some()
            || run.mode != self.mode
            || run.id.0 < self.from_run
            || run.status != RunStatus::Finished
        {
            return false;
        }
        let Some(measured_ms) = run.wall_ms() else {
            return false;
        };
        let sequential = predict(&run.scenario, RunMode::Sequential);
        let first = first_to_finish(run);
        let label = |i: Option<usize>| {
            i.and_then(|i| run.scenario.tasks.get(i))
                .map_or(String::new(), |t| t.label.clone())
        };
        self.scored = Some(Scored {
            measured_ms,
            model_ms: run.prediction.total_ms,
            sum_ms: sequential.total_ms,
            longest_ms: longest_ms(&sequential),
            first,
            first_label: label(first),
            pick_label: label(self.pick),
        });
        true
    }

    /// What the tally gains from this guess, once scored.
    pub fn counted(&self) -> Tally {
        let Some(s) = &self.scored else {
            return Tally::default();
        };
        let picked = self.pick.is_some();
        Tally {
            made: 1,
            close: u32::from(close(self.total_ms, s.measured_ms)),
            picked: u32::from(picked),
            picked_right: u32::from(picked && self.pick == s.first),
        }
    }
}

fn longest_ms(sequential: &Prediction) -> f64 {
    sequential
        .tasks
        .iter()
        .map(|t| t.duration_ms())
        .fold(0.0, f64::max)
}

/// The task whose measured end came first (ties: the first listed).
fn first_to_finish(run: &Run) -> Option<usize> {
    run.measurement
        .tasks
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.end_ms.filter(|ms| ms.is_finite()).map(|ms| (i, ms)))
        .fold(None, |best: Option<(usize, f64)>, (i, ms)| match best {
            Some((_, b)) if b <= ms => best,
            _ => Some((i, ms)),
        })
        .map(|(i, _)| i)
}

fn ms(value: f64) -> String {
    if value >= 10_000.0 {
        format!("{} s", Fixed(value / 1000.0, 1))
    } else {
        format!("{} ms", Fixed(value, 0))
    }
}

/// The lines shown after the run: the three numbers side by side, then one
/// sentence on the difference (and one on the first finisher, if picked).
pub fn feedback(guess: &MadeGuess) -> Vec<String> {
    let Some(s) = &guess.scored else {
        return vec![format!(
            "You guessed {}; the run was not finished, so it was not scored.",
            ms(guess.total_ms)
        )];
    };
    let g = guess.total_ms;
    let mut lines = vec![format!(
        "You guessed {}, the model predicted {}, and the run measured {}.",
        ms(g),
        ms(s.model_ms),
        ms(s.measured_ms)
    )];
    let near = |a: f64, b: f64| (a - b).abs() <= (b * 0.1).max(20.0);
    let overlapped = s.model_ms < s.sum_ms * 0.9;
    let added_up = s.model_ms > s.longest_ms * 1.1 && near(s.model_ms, s.sum_ms);
    lines.push(if close(g, s.measured_ms) {
        "Close: within 10% of the measured time.".to_string()
    } else if overlapped && near(g, s.sum_ms) {
        format!(
            "You added the tasks up ({}), but they overlapped: the run took about as long as its longest part, not the sum.",
            ms(s.sum_ms)
        )
    } else if added_up && near(g, s.longest_ms) {
        format!(
            "You guessed the longest task ({}), but here the tasks did not overlap: their times added up.",
            ms(s.longest_ms)
        )
    } else {
        let (ratio, way) = if g > s.measured_ms {
            (g / s.measured_ms.max(1e-9), "too high")
        } else {
            (s.measured_ms / g, "too low")
        };
        let ratio = if ratio >= 10.0 {
            format!("{}×", Fixed(ratio, 0))
        } else {
            format!("{}×", Fixed(ratio, 1))
        };
        format!("Your guess was {ratio} {way}.")
    });
    if let Some(pick) = guess.pick {
        lines.push(match s.first {
            Some(first) if first == pick => {
                format!("{} did finish first, as you said.", s.pick_label)
            }
            Some(_) => format!(
                "You picked {} to finish first; {} did.",
                s.pick_label, s.first_label
            ),
            None => format!("You picked {}; no task finished.", s.pick_label),
        });
    }
    lines
}
