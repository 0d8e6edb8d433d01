//! How much of the playground an embed shows, for a lesson that needs only
//! part of it: `modes` (which run modes the selector and the Compare
//! buttons offer), `controls="minimal"` (threads and GIL only when a task
//! runs in a thread) and `editor` (open, closed or hidden).
//!
//! The same words work as attributes of `<async-playground>` (embed.js
//! hands them over as a query string) and as parameters of an iframe's
//! link (`index.html?embed&modes=sequential+gathered&controls=minimal`).
//! Unknown values are ignored: an embed shows everything rather than
//! nothing.

use crate::domain::scenario::RunMode;

/// The editor of an embed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EditorView {
    /// Folded under "Edit the tasks" (the default).
    #[default]
    Closed,
    Open,
    /// Not shown at all: the lesson's tasks are fixed.
    Hidden,
}

impl EditorView {
    pub fn slug(self) -> &'static str {
        match self {
            EditorView::Closed => "closed",
            EditorView::Open => "open",
            EditorView::Hidden => "hidden",
        }
    }

    pub fn from_slug(slug: &str) -> Option<EditorView> {
        [EditorView::Closed, EditorView::Open, EditorView::Hidden]
            .into_iter()
            .find(|e| e.slug() == slug)
    }
}

/// What an embed shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmbedOptions {
    /// The modes offered, in [`RunMode::ALL`] order; empty: every mode.
    pub modes: Vec<RunMode>,
    /// `controls="minimal"`: the thread pool's controls only when a task
    /// needs them.
    pub minimal: bool,
    pub editor: EditorView,
}

impl EmbedOptions {
    /// Reads one option (`modes`, `controls`, `editor`); other keys are
    /// not options and are left alone (returns false).
    pub fn set(&mut self, key: &str, value: &str) -> bool {
        match key {
            "modes" => {
                let named: Vec<RunMode> = value
                    .split(|c: char| c.is_whitespace() || c == ',' || c == '+')
                    .filter_map(RunMode::from_slug)
                    .collect();
                self.modes = RunMode::ALL
                    .into_iter()
                    .filter(|m| named.contains(m))
                    .collect();
            }
            "controls" => self.minimal = value.trim() == "minimal",
            "editor" => {
                if let Some(editor) = EditorView::from_slug(value.trim()) {
                    self.editor = editor;
                }
            }
            _ => return false,
        }
        true
    }

    /// Whether `mode` is offered.
    pub fn offers(&self, mode: RunMode) -> bool {
        self.modes.is_empty() || self.modes.contains(&mode)
    }

    /// The modes the selector lists: the offered ones, and the scenario's
    /// own `current` mode even if it is not among them (it is what runs).
    pub fn selectable(&self, current: RunMode) -> Vec<RunMode> {
        RunMode::ALL
            .into_iter()
            .filter(|&m| m == current || self.offers(m))
            .collect()
    }

    /// Whether "Compare with …" fits: both of its runs are offered.
    pub fn offers_compare(&self, mode: RunMode) -> bool {
        let other = if mode == RunMode::Sequential {
            RunMode::Gather
        } else {
            mode
        };
        self.offers(RunMode::Sequential) && self.offers(other)
    }

    /// Whether "Compare all modes" fits: every mode is offered.
    pub fn offers_compare_all(&self) -> bool {
        RunMode::ALL.into_iter().all(|m| self.offers(m))
    }

    /// Whether the thread pool's controls (threads, GIL) are shown, given
    /// whether any task runs in a thread.
    pub fn shows_threads(&self, tasks_use_threads: bool) -> bool {
        !self.minimal || tasks_use_threads
    }

    /// The options that differ from the defaults, as `(name, value)`: the
    /// attributes of `<async-playground>` (`modes` space-separated).
    pub fn attributes(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if !self.offers_compare_all() {
            let slugs: Vec<&str> = self.modes.iter().map(|m| m.slug()).collect();
            out.push(("modes", slugs.join(" ")));
        }
        if self.minimal {
            out.push(("controls", "minimal".to_string()));
        }
        if self.editor != EditorView::default() {
            out.push(("editor", self.editor.slug().to_string()));
        }
        out
    }

    /// The same as link parameters (`modes=sequential+gathered&…`), or ""
    /// when everything is the default.
    pub fn query(&self) -> String {
        self.attributes()
            .into_iter()
            .map(|(key, value)| format!("{key}={}", value.replace(' ', "+")))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pairs: &[(&str, &str)]) -> EmbedOptions {
        let mut options = EmbedOptions::default();
        for (key, value) in pairs {
            options.set(key, value);
        }
        options
    }

    #[test]
    fn modes_are_read_in_ui_order_with_any_separator_and_unknowns_dropped() {
        for text in [
            "gathered sequential",
            "gathered,sequential",
            "gathered+sequential",
            " sequential  warp gathered ",
        ] {
            let o = read(&[("modes", text)]);
            assert_eq!(
                o.modes,
                vec![RunMode::Sequential, RunMode::Gather],
                "{text}"
            );
        }
        // Nothing valid: every mode, not none.
        let o = read(&[("modes", "warp")]);
        assert!(o.modes.is_empty());
        assert!(RunMode::ALL.iter().all(|&m| o.offers(m)));
    }

    #[test]
    fn the_selector_keeps_the_scenario_mode_even_when_not_offered() {
        let o = read(&[("modes", "sequential gathered")]);
        assert_eq!(
            o.selectable(RunMode::TaskGroup),
            vec![RunMode::Sequential, RunMode::Gather, RunMode::TaskGroup]
        );
        assert_eq!(
            o.selectable(RunMode::Gather),
            vec![RunMode::Sequential, RunMode::Gather]
        );
        assert_eq!(
            EmbedOptions::default().selectable(RunMode::Gather),
            RunMode::ALL.to_vec()
        );
    }

    #[test]
    fn compare_buttons_follow_the_modes_offered() {
        let o = read(&[("modes", "sequential gathered")]);
        assert!(o.offers_compare(RunMode::Sequential));
        assert!(o.offers_compare(RunMode::Gather));
        assert!(!o.offers_compare(RunMode::TaskGroup));
        assert!(!o.offers_compare_all());
        let only = read(&[("modes", "gathered taskgroup")]);
        assert!(!only.offers_compare(RunMode::Gather), "no sequential run");
        assert!(EmbedOptions::default().offers_compare_all());
    }

    #[test]
    fn minimal_controls_show_threads_only_when_tasks_need_them() {
        let o = read(&[("controls", "minimal")]);
        assert!(!o.shows_threads(false));
        assert!(o.shows_threads(true));
        assert!(EmbedOptions::default().shows_threads(false));
        assert!(!read(&[("controls", "full")]).minimal);
    }

    #[test]
    fn editor_values_and_unknown_keys() {
        assert_eq!(read(&[("editor", "open")]).editor, EditorView::Open);
        assert_eq!(read(&[("editor", "hidden")]).editor, EditorView::Hidden);
        assert_eq!(read(&[("editor", "sideways")]).editor, EditorView::Closed);
        assert!(!EmbedOptions::default().set("theme", "dark"));
    }

    #[test]
    fn attributes_and_query_round_trip() {
        let o = read(&[
            ("modes", "sequential gathered"),
            ("controls", "minimal"),
            ("editor", "open"),
        ]);
        assert_eq!(
            o.query(),
            "modes=sequential+gathered&controls=minimal&editor=open"
        );
        let mut back = EmbedOptions::default();
        for pair in o.query().split('&') {
            let (k, v) = pair.split_once('=').unwrap();
            back.set(k, v);
        }
        assert_eq!(back, o);
        // Defaults say nothing; naming every mode is the default too.
        assert_eq!(EmbedOptions::default().query(), "");
        let every: Vec<&str> = RunMode::ALL.iter().map(|m| m.slug()).collect();
        assert_eq!(read(&[("modes", &every.join(" "))]).query(), "");
    }
}
