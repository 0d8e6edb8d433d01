//! The shareable, saveable shape of a scenario: as the editor holds it
//! ([`ScenarioDoc`]), raw text with its mode and options.
//!
//! It is plain data; [`crate::domain::formats::codec`] turns it into JSON,
//! links and saved state, [`crate::domain::formats::export`] into trace
//! files, and [`crate::domain::state`] loads it.

use crate::domain::scenario::{
    validate_typed, OptionTexts, RunMode, RunOptions, Scenario, ScenarioError, TaskDraft, TaskId,
};
use crate::domain::text::decimal::fixed;

/// A scenario as typed in the editor (raw text, possibly invalid), with the
/// mode and options it runs under. Task ids are renumbered when loaded.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioDoc {
    /// Optional title (presets and tutorial embeds name their scenario).
    pub title: String,
    pub drafts: Vec<TaskDraft>,
    pub speed_text: String,
    pub mode: RunMode,
    pub options: RunOptions,
    /// Threads and the Semaphore limit as typed, where that is not simply
    /// the number in `options`.
    pub option_texts: OptionTexts,
}

impl ScenarioDoc {
    /// The editor text a validated scenario came from.
    pub fn from_scenario(scenario: &Scenario, mode: RunMode) -> Self {
        let drafts = scenario
            .tasks
            .iter()
            .enumerate()
            .map(|(i, task)| TaskDraft::from_task(TaskId(i as u32 + 1), task))
            .collect();
        ScenarioDoc {
            title: String::new(),
            drafts,
            speed_text: format_speed(scenario.speed),
            mode,
            options: scenario.options,
            option_texts: OptionTexts::default(),
        }
    }

    /// The runnable scenario, or every problem (as the editor would show).
    pub fn validate(&self) -> Result<Scenario, Vec<ScenarioError>> {
        validate_typed(
            &self.drafts,
            &self.speed_text,
            self.options,
            &self.option_texts,
        )
    }
}

/// A speed factor as the editor would show it (`1`, `2.5`, `1.23456`): the
/// shortest text that reads back as the same number, so a run's scenario
/// written out (the history, an export) runs again at its own speed.
pub fn format_speed(speed: f64) -> String {
    match serde_json::Number::from_f64(speed) {
        Some(n) => {
            let mut text = n.to_string();
            if text.ends_with(".0") {
                text.truncate(text.len() - 2);
            }
            text
        }
        None => fixed(speed, 3),
    }
}
