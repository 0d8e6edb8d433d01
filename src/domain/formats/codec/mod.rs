//! Scenario <-> JSON, URL fragment and saved state; versioned, with
//! migrations. The format is documented for authors in
//! `docs/scenario-format.md`.
//!
//! - [`to_json`]/[`from_json`]: the hand-writable JSON scenario format.
//! - [`to_fragment`]/[`from_fragment`]: share links (`#s1=<base64url JSON>`).
//! - [`to_saved`]/[`read_saved`]: the autosave (scenario + run history).
//! - [`run_to_json`]/[`export_to_json`] and their readers: a run, and a run
//!   with its prediction, as the tools worker gets them.
//!
//! Links and JSON are *strict*: they are read only if [`validate`] would
//! accept the scenario's fields, and every problem is reported with the path
//! to the field; unknown fields are refused (a typo is caught). The autosave
//! is *lenient*: it keeps half-typed editor text as it is, because reloading
//! must never lose what the user typed, and *tolerant*: unknown fields from
//! a newer build are ignored, and a run that cannot be read is left out, both
//! reported in [`SavedRead::left_out`].
//!
//! Nothing here panics on any input, and nothing allocates more than a small
//! multiple of the input (`repeat` expansion is capped at [`MAX_TASKS`]).
//!
//! [`validate`]: crate::domain::scenario::validate
//! [`MAX_TASKS`]: crate::domain::scenario::MAX_TASKS

mod base64;
mod link;
mod measurement;
mod prediction;
mod read;
mod saved;
mod write;

pub use link::{from_fragment, to_fragment, LINK_VERSION, MAX_FRAGMENT_CHARS};
pub use read::{from_json, from_json_value, migrate, IGNORED_FIELD, MAX_REPEAT_BYTES};
pub use saved::{
    export_from_json, export_from_value, export_to_json, from_saved, migrate_saved, read_saved,
    run_from_json, run_to_json, to_saved, to_saved_capped, SavedRead, DEFAULT_SAVED_MAX_CHARS,
    SAVED_VERSION,
};
pub use write::{json_number, json_string, to_json};

use crate::domain::run::SavedRun;
use crate::domain::scenario::doc::ScenarioDoc;
use crate::domain::state::guess::Tally;

/// The current version of the JSON scenario format (`"v": 1`).
pub const FORMAT_VERSION: u32 = 1;

/// A task's duration when `ms` is left out (what "Add task" uses).
const DEFAULT_MS: &str = "300";

/// The label of a task without one, by 1-based position (as "Add task").
fn default_label(position: usize) -> String {
    format!("task {position}")
}

/// Why a text could not be read as a scenario: where, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct CodecError {
    /// Path to the bad field, e.g. `tasks[2].ms`; empty for the whole.
    pub path: String,
    pub reason: String,
}

impl CodecError {
    pub(crate) fn new(path: impl Into<String>, reason: impl Into<String>) -> Self {
        CodecError {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for CodecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.reason)
        } else {
            write!(f, "{}: {}", self.path, self.reason)
        }
    }
}

impl std::error::Error for CodecError {}

/// What a link asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkRequest {
    pub doc: ScenarioDoc,
    /// `run` parameter: start the scenario when opened.
    pub run: bool,
}

/// Everything autosaved.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedState {
    pub scenario: ScenarioDoc,
    /// Finished runs, oldest first ([`to_saved_capped`] drops from the front).
    pub history: Vec<SavedRun>,
    /// The "Guess before you run" tally (written only once there is one).
    pub guesses: Tally,
}
