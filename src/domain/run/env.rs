//! What the page around a run was like while it ran: hidden (a background
//! tab) or scrolled off-screen (an embed below the fold). Browsers throttle
//! timers in both cases, so a run's measured times can be far off the model
//! for reasons that have nothing to do with the scenario. The runtime
//! observes the facts; this module only judges them and words the note.

use crate::domain::scenario::{Kind, Scenario};
use crate::domain::text::decimal::Fixed;

/// Lateness, beyond what the scenario's own blocking work explains, above
/// which timers count as throttled rather than merely late: a busy machine
/// makes a heartbeat tens of ms late, a throttled frame or tab up to 1 s.
pub const THROTTLE_LAG_MS: f64 = 200.0;
/// Shorter not-visible stretches are not worth a note: the observers
/// report a frame or two late, e.g. when a click scrolls the playground in.
pub const MIN_NOTABLE_HIDDEN_MS: f64 = 100.0;

/// The loop lag a scenario causes by itself: its longest blocking call or
/// stream loop body (after the speed factor), in ms.
pub fn expected_lag_ms(scenario: &Scenario) -> f64 {
    scenario
        .tasks
        .iter()
        .map(|t| match t.kind {
            Kind::Blocking => t.real.duration_ms,
            Kind::Stream { .. } => t.real.body_ms,
            _ => 0,
        })
        .max()
        .map_or(0.0, f64::from)
}

/// The facts observed during one run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RunEnv {
    /// How long the playground was not visible (tab hidden or off-screen)
    /// while the run was going, in ms.
    pub hidden_ms: f64,
    /// The playground was scrolled out of view at some point of the run.
    pub offscreen: bool,
    /// The tab was hidden at some point of the run.
    pub tab_hidden: bool,
    /// Not visible *and* timers were measurably late: the numbers are the
    /// browser's throttling, not the scenario.
    pub throttled: bool,
}

impl RunEnv {
    /// Judges a run from what was observed: not-visible time, whether that
    /// was off-screen or a hidden tab, the worst heartbeat lateness, and the
    /// lateness the scenario causes itself ([`expected_lag_ms`]).
    pub fn assess(
        hidden_ms: f64,
        offscreen: bool,
        tab_hidden: bool,
        max_lag_ms: f64,
        expected_lag_ms: f64,
    ) -> Self {
        let hidden_ms = if hidden_ms.is_finite() {
            hidden_ms.max(0.0)
        } else {
            0.0
        };
        let env = RunEnv {
            hidden_ms,
            offscreen,
            tab_hidden,
            throttled: false,
        };
        RunEnv {
            throttled: env.is_notable() && max_lag_ms >= expected_lag_ms + THROTTLE_LAG_MS,
            ..env
        }
    }

    /// Whether anything is worth telling the user.
    pub fn is_notable(&self) -> bool {
        self.hidden_ms >= MIN_NOTABLE_HIDDEN_MS
    }

    /// The note shown beside the run's results, if any.
    pub fn note(&self) -> Option<String> {
        if !self.is_notable() {
            return None;
        }
        let place = match (self.offscreen, self.tab_hidden) {
            (true, true) => "off-screen and in a hidden tab",
            (true, false) => "off-screen",
            _ => "in a hidden tab",
        };
        let how_long = format!("{} ms", Fixed(self.hidden_ms, 0));
        Some(if self.throttled {
            format!(
                "This playground was {place} for {how_long} of the run: the browser throttled its timers, so the measured times are late."
            )
        } else {
            format!(
                "This playground was {place} for {how_long} of the run; browsers may throttle timers there, so the times can be late."
            )
        })
    }
}
