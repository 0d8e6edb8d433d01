//! Native tests: the session policy, told as stories of what a user does —
//! opening the playground with a saved state, a damaged one, a link; two
//! tabs sharing one autosave; a full quota.

#![cfg(not(target_arch = "wasm32"))]

use async_playground::domain::formats::codec::{self, SavedState};
use async_playground::domain::run::events::{EventKind, TraceEvent};
use async_playground::domain::scenario::doc::ScenarioDoc;
use async_playground::domain::state::autorun::Asker;
use async_playground::domain::state::session::{
    backup_key, merge, run_key, runs_in, Opening, Save, Session, Stored, MAX_LINK_CHARS,
};
use async_playground::domain::state::{Action, AppState, RunRequest, MAX_HISTORY};

/// One browser profile's localStorage: the autosave and its backup.
#[derive(Default)]
struct Storage {
    autosave: Option<String>,
    backup: Option<String>,
    /// Set: every write fails as over quota beyond this many characters.
    quota: Option<usize>,
}

impl Storage {
    fn stored(&self) -> Stored<'_> {
        match &self.autosave {
            Some(text) => Stored::Text(text),
            None => Stored::Empty,
        }
    }

    fn saved(&self) -> SavedState {
        codec::from_saved(self.autosave.as_deref().expect("something saved")).unwrap()
    }
}

/// A tab with the full app open, doing what the `use_session` hook does.
struct Tab {
    state: AppState,
    session: Session,
    /// What the hook would show (notices dispatched to the state).
    writes: usize,
}

impl Tab {
    fn open(storage: &mut Storage) -> Tab {
        Tab::open_with(storage, None)
    }

    fn open_with(storage: &mut Storage, link: Option<&str>) -> Tab {
        let (state, mut session) = Session::open(Opening {
            autosave: Some(storage.stored()),
            link,
            ..Opening::default()
        });
        // Copied aside at once, before anything could overwrite it.
        if let Some(text) = session.backup_to_keep(storage.backup.as_deref()) {
            storage.backup = Some(text.to_string());
            session.backup_kept(Ok(()));
        }
        Tab {
            state,
            session,
            writes: 0,
        }
    }

    /// The user does something; when the session would write.
    fn act(&mut self, action: Action) -> Save {
        self.state.apply(action);
        self.session.changed(&self.state).save
    }

    fn edit_label(&mut self, label: &str) -> Save {
        let id = self.state.drafts[0].id;
        self.act(Action::SetLabel(id, label.into()))
    }

    /// Runs the scenario (gathered) to its end, started at `unix_ms`.
    fn run(&mut self, unix_ms: f64) -> Save {
        self.state.apply(Action::Run(RunRequest::Only(
            async_playground::domain::scenario::RunMode::Gather,
        )));
        let run = self.state.running().expect("running").clone();
        let mut events = vec![EventKind::RunStarted {
            mode: run.mode,
            started_unix_ms: unix_ms,
        }];
        for (index, t) in run.prediction.tasks.iter().enumerate() {
            events.push(EventKind::TaskStarted {
                index,
                at_ms: t.start_ms.unwrap(),
            });
            events.push(EventKind::TaskFinished {
                index,
                at_ms: t.end_ms.unwrap(),
                outcome: t.outcome,
            });
        }
        events.push(EventKind::RunFinished {
            at_ms: run.prediction.total_ms,
        });
        let events = events
            .into_iter()
            .map(|kind| TraceEvent { run: run.id, kind })
            .collect();
        assert_eq!(
            self.session.changed(&self.state).save,
            Save::Nothing,
            "busy"
        );
        self.act(Action::RunProgress {
            events,
            now_ms: None,
        })
    }

    /// The debounce fired (or a run ended): the hook writes.
    fn save(&mut self, storage: &mut Storage) {
        let mut plan = self.session.plan_write(&self.state, storage.stored());
        if let Some(text) = plan.backup.take() {
            storage.backup = Some(text.to_string());
        }
        loop {
            match storage.quota {
                Some(quota) if plan.text.len() > quota => {
                    if !self.session.retry_smaller(&mut plan) {
                        if let Some(note) = self.session.failed("the storage is full") {
                            self.state.apply(Action::Notify(note));
                        }
                        break;
                    }
                }
                _ => {
                    storage.autosave = Some(plan.text.clone());
                    self.writes += 1;
                    if let Some(note) = self.session.wrote(&plan) {
                        self.state.apply(Action::Notify(note));
                    }
                    break;
                }
            }
        }
        for action in plan.actions {
            self.state.apply(action);
        }
    }

    /// Another tab wrote: the `storage` event.
    fn storage_event(&mut self, storage: &Storage) {
        for action in self.session.other_tab_wrote(&self.state, storage.stored()) {
            self.state.apply(action);
        }
    }

    fn labels(&self) -> Vec<String> {
        self.state.drafts.iter().map(|d| d.label.clone()).collect()
    }

    fn run_starts(&self) -> Vec<f64> {
        self.state
            .history
            .iter()
            .map(|r| r.started_unix_ms)
            .collect()
    }
}

fn starts(saved: &SavedState) -> Vec<f64> {
    saved.history.iter().map(|r| r.started_unix_ms).collect()
}

/// A saved state with the first task labelled `label` and runs started at
/// `starts`.
fn saved_with(label: &str, run_starts: &[f64]) -> String {
    let mut storage = Storage::default();
    let mut tab = Tab::open(&mut storage);
    tab.edit_label(label);
    for &at in run_starts {
        tab.run(at);
    }
    tab.save(&mut storage);
    storage.autosave.unwrap()
}

// ---- opening ----------------------------------------------------------------

#[test]
fn opening_the_app_never_writes_whatever_it_finds() {
    for found in [
        None,
        Some(saved_with("mine", &[1_000.0])),
        Some("{\"v\": 1, \"scen".to_string()),
        Some(saved_with("newer", &[]).replacen("\"v\":1", "\"v\":2", 1)),
    ] {
        let mut storage = Storage {
            autosave: found.clone(),
            ..Storage::default()
        };
        let mut tab = Tab::open(&mut storage);
        assert_eq!(tab.session.changed(&tab.state).save, Save::Nothing);
        // A notice being dismissed or a run's page conditions are no edits.
        assert_eq!(tab.act(Action::DismissNotice), Save::Nothing);
        assert_eq!(storage.autosave, found, "the autosave is as it was");
        assert_eq!(tab.writes, 0);
    }
}

#[test]
fn the_saved_scenario_and_history_come_back() {
    let mut storage = Storage {
        autosave: Some(saved_with("mine", &[1_000.0, 2_000.0])),
        ..Storage::default()
    };
    let tab = Tab::open(&mut storage);
    assert_eq!(tab.labels()[0], "mine");
    assert_eq!(tab.run_starts(), vec![1_000.0, 2_000.0]);
    let view = tab.session.view();
    assert!(!view.shared && view.can_restore && view.backup_note.is_none());
    assert_eq!(storage.backup, None, "nothing to keep aside");
}

#[test]
fn a_damaged_autosave_is_kept_aside_offered_and_only_replaced_by_an_edit() {
    let damaged = "{\"v\": 1, \"scenario\": {\"tasks\": [{\"ms\": ";
    let mut storage = Storage {
        autosave: Some(damaged.into()),
        ..Storage::default()
    };
    let mut tab = Tab::open(&mut storage);
    assert_eq!(tab.labels()[0], "fetch data 1", "the defaults are shown");
    let note = tab.session.view().backup_note.expect("a note");
    assert!(note.contains("saved scenario could not be read"), "{note}");
    assert!(note.contains("copy of it is kept"), "{note}");
    assert_eq!(storage.backup.as_deref(), Some(damaged));
    assert_eq!(tab.session.backup_text().as_deref(), Some(damaged));
    assert_eq!(
        backup_key("async-playground:autosave"),
        "async-playground:autosave:backup"
    );

    // The user edits: now the autosave is theirs again; the copy stays.
    assert_eq!(tab.edit_label("new work"), Save::Soon);
    tab.save(&mut storage);
    assert_eq!(storage.saved().scenario.drafts[0].label, "new work");
    assert_eq!(storage.backup.as_deref(), Some(damaged));
}

#[test]
fn the_same_damaged_text_is_copied_aside_once() {
    let damaged = "not json";
    let mut storage = Storage {
        autosave: Some(damaged.into()),
        ..Storage::default()
    };
    let first = Tab::open(&mut storage);
    assert!(first.session.backup_to_keep(None).is_some());
    // A reload finds the same text and the same copy: nothing to write.
    let second = Tab::open(&mut storage);
    assert_eq!(second.session.backup_to_keep(Some(damaged)), None);
    // A different failure replaces the copy (it is the newer work).
    let other = Tab::open(&mut Storage {
        autosave: Some("also not json".into()),
        ..Storage::default()
    });
    assert!(other.session.backup_to_keep(Some(damaged)).is_some());
}

#[test]
fn a_failed_copy_says_to_download_before_editing() {
    let (_, mut session) = Session::open(Opening {
        autosave: Some(Stored::Text("[")),
        ..Opening::default()
    });
    session.backup_kept(Err("the browser's storage for this site is full".into()));
    let note = session.view().backup_note.unwrap();
    assert!(note.contains("download it before you edit"), "{note}");
    session.dismiss_backup();
    assert_eq!(session.view().backup_note, None);
}

#[test]
fn a_newer_versions_state_is_kept_and_not_overwritten_on_open() {
    let newer = saved_with("from a newer build", &[5.0]).replacen("\"v\":1", "\"v\":2", 1);
    let mut storage = Storage {
        autosave: Some(newer.clone()),
        ..Storage::default()
    };
    let tab = Tab::open(&mut storage);
    let note = tab.session.view().backup_note.unwrap();
    assert!(note.contains("version 2"), "{note}");
    assert_eq!(storage.backup.as_deref(), Some(newer.as_str()));
    assert_eq!(storage.autosave.as_deref(), Some(newer.as_str()));
}

#[test]
fn a_saved_run_that_cannot_be_loaded_is_left_out_and_the_whole_state_kept() {
    let good = saved_with("mine", &[1_000.0, 2_000.0]);
    // The second run's measurement lost a task: it no longer fits its scenario.
    let mut saved = codec::from_saved(&good).unwrap();
    saved.history[1].measurement.tasks.pop();
    let text = codec::to_saved(&saved);
    let mut storage = Storage {
        autosave: Some(text.clone()),
        ..Storage::default()
    };
    let tab = Tab::open(&mut storage);
    assert_eq!(tab.run_starts(), vec![1_000.0], "the readable run is shown");
    let note = tab.session.view().backup_note.unwrap();
    assert!(note.contains("1 saved run was left out"), "{note}");
    assert_eq!(tab.state.notice, None, "said once, in the backup note");
    assert_eq!(storage.backup.as_deref(), Some(text.as_str()));
}

#[test]
fn a_newer_builds_extra_fields_are_ignored_the_history_kept_and_the_original_kept_aside() {
    let good = saved_with("mine", &[1_000.0, 2_000.0]);
    // A rollback after a deploy: one run carries a field this build lacks.
    let text = good.replacen("{\"mode\"", "{\"tag\":\"from a newer build\",\"mode\"", 1);
    assert_ne!(text, good);
    let mut storage = Storage {
        autosave: Some(text.clone()),
        ..Storage::default()
    };
    let tab = Tab::open(&mut storage);
    assert_eq!(
        tab.run_starts(),
        vec![1_000.0, 2_000.0],
        "every run is shown"
    );
    let note = tab.session.view().backup_note.unwrap();
    assert!(note.contains("newer version"), "{note}");
    assert!(!note.contains("could not be read"), "{note}");
    assert_eq!(storage.backup.as_deref(), Some(text.as_str()), "kept aside");
    assert_eq!(
        storage.autosave.as_deref(),
        Some(text.as_str()),
        "not written on open"
    );
}

#[test]
fn storage_that_cannot_be_used_is_said_once_and_never_written() {
    let (mut state, mut session) = Session::open(Opening {
        autosave: Some(Stored::Unavailable(
            "this browser does not allow storage here",
        )),
        ..Opening::default()
    });
    assert!(state
        .notice
        .as_deref()
        .unwrap()
        .starts_with("Autosave is off"));
    state.apply(Action::AddTask);
    assert_eq!(session.changed(&state).save, Save::Nothing);
}

#[test]
fn embeds_and_framed_pages_keep_no_autosave_and_never_read_it() {
    // Their opening has no autosave at all: nothing is read, nothing written.
    let doc = codec::from_json(r#"{"v":1,"tasks":[{"label":"embed task","ms":10}]}"#).unwrap();
    let (mut state, mut session) = Session::open(Opening {
        initial: Some(doc),
        ..Opening::default()
    });
    assert_eq!(state.drafts[0].label, "embed task");
    state.apply(Action::ClearHistory);
    state.apply(Action::ResetScenario);
    assert_eq!(session.changed(&state).save, Save::Nothing);
    assert!(!session.view().can_restore);
}

// ---- links ------------------------------------------------------------------

fn link_to(label: &str, run: bool) -> String {
    let mut doc: ScenarioDoc = AppState::default().scenario_doc();
    doc.drafts[0].label = label.into();
    codec::to_fragment(&doc, run)
}

#[test]
fn a_link_is_shown_without_touching_the_own_scenario_until_edited() {
    let mut storage = Storage {
        autosave: Some(saved_with("my own", &[])),
        ..Storage::default()
    };
    let link = link_to("shared", false);
    let mut tab = Tab::open_with(&mut storage, Some(&link));
    assert_eq!(tab.labels()[0], "shared");
    let view = tab.session.view();
    assert!(view.shared && view.can_restore);

    // A run of the link's scenario is kept, under the own scenario.
    assert_eq!(tab.run(10_000.0), Save::Now);
    tab.save(&mut storage);
    let saved = storage.saved();
    assert_eq!(saved.scenario.drafts[0].label, "my own");
    assert_eq!(starts(&saved), vec![10_000.0]);

    // The first edit makes it the user's: saved, and the link is done.
    let id = tab.state.drafts[0].id;
    tab.state
        .apply(Action::SetLabel(id, "shared, edited".into()));
    let change = tab.session.changed(&tab.state);
    assert!(change.link_taken);
    assert_eq!(change.save, Save::Soon);
    assert!(!tab.session.view().shared);
    tab.save(&mut storage);
    assert_eq!(storage.saved().scenario.drafts[0].label, "shared, edited");
}

#[test]
fn restore_brings_the_own_scenario_back() {
    let mut storage = Storage {
        autosave: Some(saved_with("my own", &[])),
        ..Storage::default()
    };
    let link = link_to("shared", false);
    let mut tab = Tab::open_with(&mut storage, Some(&link));
    let action = tab.session.restore();
    assert!(!tab.session.view().shared);
    tab.act(action);
    assert_eq!(tab.labels()[0], "my own");
}

#[test]
fn bad_and_huge_links_say_so_and_keep_the_own_scenario() {
    let mut storage = Storage {
        autosave: Some(saved_with("my own", &[])),
        ..Storage::default()
    };
    let tab = Tab::open_with(&mut storage, Some("s1=!!!"));
    assert_eq!(tab.labels()[0], "my own");
    let notice = tab.state.notice.clone().unwrap();
    assert!(
        notice.starts_with("This link could not be opened"),
        "{notice}"
    );
    assert!(
        notice.ends_with("Your own scenario is shown instead."),
        "{notice}"
    );
    let huge = "x".repeat(MAX_LINK_CHARS + 1);
    let tab = Tab::open_with(&mut Storage::default(), Some(&huge));
    let notice = tab.state.notice.clone().unwrap();
    assert!(notice.contains("too long"), "{notice}");
    assert!(
        notice.ends_with("The default scenario is shown instead."),
        "{notice}"
    );
}

#[test]
fn a_light_link_with_run_starts_at_once_and_a_heavy_one_asks_first() {
    let light = link_to("quick", true);
    let tab = Tab::open_with(&mut Storage::default(), Some(&light));
    assert!(tab.state.is_running());
    assert_eq!(tab.state.pending_run, None);

    // Issue 11: this link busy-waited the page for 600 s. Over the blocking
    // budget, it opens, says why, and never runs.
    let frozen = codec::to_fragment(
        &codec::from_json(r#"{"v":1,"speed":0.1,"tasks":[{"kind":"blocking","ms":60000}]}"#)
            .unwrap(),
        true,
    );
    let tab = Tab::open_with(&mut Storage::default(), Some(&frozen));
    assert!(!tab.state.is_running());
    assert_eq!(tab.state.pending_run, None);
    assert!(tab.state.validation.is_err(), "the budget explains it");

    // Within the budget but still 5 s of frozen page: asks first.
    let heavy = codec::to_fragment(
        &codec::from_json(r#"{"v":1,"tasks":[{"kind":"blocking","ms":5000}]}"#).unwrap(),
        true,
    );
    let mut tab = Tab::open_with(&mut Storage::default(), Some(&heavy));
    assert!(
        !tab.state.is_running(),
        "nothing runs before the user says so"
    );
    let pending = tab.state.pending_run.clone().expect("asks first");
    assert_eq!(pending.asker, Asker::Link);
    let question = pending.question();
    assert!(question.contains("freeze this page for"), "{question}");
    tab.state.apply(Action::AnswerRun(false));
    assert!(!tab.state.is_running() && tab.state.pending_run.is_none());
}

// ---- two tabs -----------------------------------------------------------------

#[test]
fn a_run_finished_in_one_tab_survives_an_edit_in_another() {
    // Issue 11: tab B's edit erased tab A's run (last writer won).
    let mut storage = Storage {
        autosave: Some(saved_with("shared start", &[1_000.0])),
        ..Storage::default()
    };
    let mut a = Tab::open(&mut storage);
    let mut b = Tab::open(&mut storage);

    assert_eq!(a.run(2_000.0), Save::Now);
    a.save(&mut storage);
    assert_eq!(starts(&storage.saved()), vec![1_000.0, 2_000.0]);

    // B never heard of A's run (no storage event here) and edits.
    assert_eq!(b.edit_label("edited in B"), Save::Soon);
    b.save(&mut storage);
    let saved = storage.saved();
    assert_eq!(
        saved.scenario.drafts[0].label, "edited in B",
        "the last edit wins"
    );
    assert_eq!(starts(&saved), vec![1_000.0, 2_000.0], "A's run is kept");
    // B shows it too, and said why once.
    assert_eq!(b.run_starts(), vec![1_000.0, 2_000.0]);
    assert!(b
        .state
        .notice
        .as_deref()
        .unwrap()
        .contains("open in another tab"));
}

#[test]
fn runs_of_both_tabs_are_ordered_by_their_start() {
    let mut storage = Storage::default();
    let mut a = Tab::open(&mut storage);
    let mut b = Tab::open(&mut storage);
    a.run(1_000.0);
    b.run(1_500.0);
    a.run(3_000.0);
    a.save(&mut storage);
    b.save(&mut storage);
    assert_eq!(starts(&storage.saved()), vec![1_000.0, 1_500.0, 3_000.0]);
    assert_eq!(b.run_starts(), vec![1_000.0, 1_500.0, 3_000.0]);
    // A hears of it live, and writes nothing back.
    a.storage_event(&storage);
    assert_eq!(a.run_starts(), vec![1_000.0, 1_500.0, 3_000.0]);
    assert_eq!(a.session.changed(&a.state).save, Save::Nothing);
}

#[test]
fn a_run_finished_in_another_tab_appears_live_without_a_write() {
    let mut storage = Storage::default();
    let mut a = Tab::open(&mut storage);
    let mut b = Tab::open(&mut storage);
    b.run(7_000.0);
    b.save(&mut storage);
    a.storage_event(&storage);
    assert_eq!(a.run_starts(), vec![7_000.0]);
    assert_eq!(
        a.session.changed(&a.state).save,
        Save::Nothing,
        "no ping-pong"
    );
    // The same event again (or an echo) changes nothing.
    a.storage_event(&storage);
    assert_eq!(a.run_starts(), vec![7_000.0]);
    // A's own edit later writes A's scenario with both tabs' runs.
    a.run(8_000.0);
    a.save(&mut storage);
    assert_eq!(starts(&storage.saved()), vec![7_000.0, 8_000.0]);
}

#[test]
fn while_a_run_goes_another_tabs_runs_wait_for_the_next_write() {
    let mut storage = Storage::default();
    let mut a = Tab::open(&mut storage);
    let mut b = Tab::open(&mut storage);
    b.run(1_000.0);
    b.save(&mut storage);
    a.state.apply(Action::Run(RunRequest::Only(
        async_playground::domain::scenario::RunMode::Gather,
    )));
    a.storage_event(&storage);
    assert!(a.state.history.is_empty(), "not during a run");
    a.state.apply(Action::Stop);
    assert_eq!(a.session.changed(&a.state).save, Save::Now);
    a.save(&mut storage);
    assert_eq!(a.state.history.len(), 2, "the stopped run and B's");
    assert_eq!(storage.saved().history.len(), 2);
}

#[test]
fn a_run_forgotten_in_one_tab_is_forgotten_in_the_other_and_stays_forgotten() {
    let mut storage = Storage::default();
    let mut a = Tab::open(&mut storage);
    a.run(1_000.0);
    a.run(2_000.0);
    a.save(&mut storage);
    let mut b = Tab::open(&mut storage);
    // B forgets the first run; A meanwhile finishes another.
    let first = b.state.history[0].id;
    assert_eq!(b.act(Action::ForgetRun(first)), Save::Now);
    b.save(&mut storage);
    a.run(3_000.0);
    a.save(&mut storage);
    assert_eq!(starts(&storage.saved()), vec![2_000.0, 3_000.0]);
    assert_eq!(a.run_starts(), vec![2_000.0, 3_000.0]);
    // And A clearing its history clears storage's.
    assert_eq!(a.act(Action::ClearHistory), Save::Now);
    a.save(&mut storage);
    assert!(storage.saved().history.is_empty());
    b.storage_event(&storage);
    assert!(b.state.history.is_empty());
}

#[test]
fn merging_never_goes_past_the_history_limit() {
    let mut storage = Storage::default();
    let mut a = Tab::open(&mut storage);
    let mut b = Tab::open(&mut storage);
    for i in 0..MAX_HISTORY {
        a.run(1_000.0 + 2.0 * i as f64);
        b.run(1_001.0 + 2.0 * i as f64);
    }
    a.save(&mut storage);
    b.save(&mut storage);
    let saved = starts(&storage.saved());
    assert_eq!(saved.len(), MAX_HISTORY);
    let newest: Vec<f64> = (MAX_HISTORY..2 * MAX_HISTORY)
        .map(|i| 1_000.0 + i as f64)
        .collect();
    assert_eq!(saved, newest, "the newest of both tabs");
}

#[test]
fn the_merge_is_three_way() {
    let run = |at: f64| {
        let mut r = codec::from_saved(&saved_with("x", &[1.0])).unwrap().history[0].clone();
        r.started_unix_ms = at;
        r
    };
    let (r1, r2, r3) = (run(1.0), run(2.0), run(3.0));
    let key = |r| run_key(r);
    // Ours has r1, r2; storage had r1, r2; now it has r2, r3.
    let m = merge(
        &[key(&r1), key(&r2)],
        &[key(&r1), key(&r2)],
        &[r2.clone(), r3.clone()],
    );
    assert_eq!(m.add, vec![r3.clone()], "added there");
    assert_eq!(m.forget, vec![key(&r1)], "removed there");
    // A run only this tab has is never dropped.
    let m = merge(&[key(&r3)], &[], std::slice::from_ref(&r1));
    assert_eq!((m.add, m.forget), (vec![r1.clone()], vec![]));
    // A run this tab forgot is not taken back.
    let m = merge(&[], &[key(&r1)], &[r1]);
    assert!(m.add.is_empty());
}

#[test]
fn another_tabs_unreadable_state_is_kept_aside_before_it_is_overwritten() {
    let mut storage = Storage::default();
    let mut a = Tab::open(&mut storage);
    let newer = saved_with("newer build", &[]).replacen("\"v\":1", "\"v\":2", 1);
    storage.autosave = Some(newer.clone());
    a.storage_event(&storage);
    assert_eq!(storage.backup, None, "nothing happens on the event alone");
    a.edit_label("mine");
    a.save(&mut storage);
    assert_eq!(storage.backup.as_deref(), Some(newer.as_str()));
    assert!(a
        .session
        .view()
        .backup_note
        .unwrap()
        .contains("Another tab"));
    assert_eq!(storage.saved().scenario.drafts[0].label, "mine");
}

// ---- size -------------------------------------------------------------------------

#[test]
fn runs_in_counts_runs_not_labels_that_look_like_them() {
    let text = saved_with("\"started_unix_ms\": 1", &[1.0, 2.0]);
    assert_eq!(runs_in(&text), 2);
}

#[test]
fn a_full_quota_drops_the_oldest_runs_and_says_so_once() {
    let mut storage = Storage::default();
    let mut tab = Tab::open(&mut storage);
    for i in 0..10 {
        tab.run(1_000.0 * (i + 1) as f64);
    }
    tab.save(&mut storage);
    let full = storage.autosave.clone().unwrap();
    // The quota shrinks (other keys took it): room for about half the runs.
    storage.quota = Some(full.len() * 6 / 10);
    tab.edit_label("after the quota filled");
    tab.save(&mut storage);
    let saved = storage.saved();
    assert_eq!(saved.scenario.drafts[0].label, "after the quota filled");
    let kept = starts(&saved);
    assert!(!kept.is_empty() && kept.len() < 10, "{kept:?}");
    assert_eq!(kept.last(), Some(&10_000.0), "the newest are kept");
    let notice = tab.state.notice.clone().unwrap();
    assert!(
        notice.contains(&format!("newest {} of 10 runs", kept.len())),
        "{notice}"
    );
    assert!(notice.contains("storage for this site is full"), "{notice}");
    assert_eq!(tab.state.history.len(), 10, "this tab still has them all");

    // The next write is capped at once, with no second note.
    tab.state.apply(Action::DismissNotice);
    tab.edit_label("again");
    let writes = tab.writes;
    tab.save(&mut storage);
    assert_eq!(tab.writes, writes + 1);
    assert_eq!(tab.state.notice, None);
}

#[test]
fn a_quota_too_small_even_for_the_scenario_is_told_once() {
    let mut storage = Storage {
        quota: Some(10),
        ..Storage::default()
    };
    let mut tab = Tab::open(&mut storage);
    tab.run(1.0);
    tab.save(&mut storage);
    assert!(tab
        .state
        .notice
        .as_deref()
        .unwrap()
        .starts_with("Autosave failed"));
    tab.state.apply(Action::DismissNotice);
    tab.edit_label("x");
    tab.save(&mut storage);
    assert_eq!(tab.state.notice, None, "once in a row");
    assert_eq!(storage.autosave, None);
}
