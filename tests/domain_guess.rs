//! Native tests: "Guess before you run" — the guess is asked for before
//! the run, scored once against the run it is about, explained in one
//! sentence, and tallied with the autosave.

#![cfg(not(target_arch = "wasm32"))]

mod runs;

use async_playground::domain::scenario::{RunMode, TaskId};
use async_playground::domain::state::guess::{
    close, feedback, guessed_mode, GuessForm, MadeGuess, Tally,
};
use async_playground::domain::state::session::{Opening, Session, Stored};
use async_playground::domain::state::{Action, AppState, RunRequest};
use proptest::prelude::*;
use runs::finish_running_run;

/// The default scenario with three I/O tasks of 200, 300 and 500 ms.
fn three_waits() -> AppState {
    let mut state = AppState::default();
    state.apply(Action::Generate {
        count: 3,
        duration_ms: 300,
    });
    let ids: Vec<TaskId> = state.drafts.iter().map(|d| d.id).collect();
    state.apply(Action::SetDuration(ids[0], "500".into()));
    state.apply(Action::SetDuration(ids[1], "200".into()));
    state.apply(Action::SetDuration(ids[2], "300".into()));
    state
}

fn guess(state: &mut AppState, text: &str, pick: Option<usize>) {
    let pick = pick.map(|i| state.drafts[i].id);
    state.apply(Action::SetGuess(GuessForm {
        on: true,
        total_text: text.to_string(),
        pick,
    }));
}

#[test]
fn the_typed_guess_is_read_in_ms_and_bad_text_says_why() {
    let form = |text: &str| GuessForm {
        on: true,
        total_text: text.to_string(),
        pick: None,
    };
    assert_eq!(form("600").total_ms(), Ok(600.0));
    assert_eq!(form(" 1000 ms ").total_ms(), Ok(1000.0));
    assert_eq!(form("0.5").total_ms(), Ok(0.5));
    assert!(form("").total_ms().unwrap_err().contains("Type your guess"));
    assert!(form("0").total_ms().unwrap_err().contains("above 0"));
    assert!(form("-3").total_ms().is_err());
    assert!(form("1e400").total_ms().is_err());
    assert!(form("99999999999")
        .total_ms()
        .unwrap_err()
        .contains("at most a day"));
    let long = "x".repeat(100_000);
    let why = form(&long).total_ms().unwrap_err();
    assert!(why.len() < 100, "the message quotes a short part: {why}");
    assert!(form("ten").total_ms().unwrap_err().contains("not a number"));
}

#[test]
fn with_guessing_on_a_run_waits_for_a_guess() {
    let mut state = three_waits();
    guess(&mut state, "", None);
    state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
    assert!(!state.is_running(), "no run without a guess");
    assert!(state.notice.as_deref().unwrap().contains("Type your guess"));
    // Unticked, the run goes as before.
    state.apply(Action::SetGuess(GuessForm::default()));
    state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
    assert!(state.is_running());
    assert_eq!(state.guessed, None);
}

#[test]
fn a_guess_of_the_sum_for_a_gathered_run_is_told_the_waits_overlapped() {
    let mut state = three_waits();
    guess(&mut state, "1000", Some(0));
    state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
    finish_running_run(&mut state, 2.0);
    let made = state.guessed.clone().expect("a guess was made");
    let scored = made.scored.as_ref().expect("scored when its run finished");
    assert_eq!(scored.model_ms, 500.0);
    assert_eq!(scored.sum_ms, 1000.0);
    assert_eq!(scored.longest_ms, 500.0);
    assert_eq!(scored.first, Some(1), "the 200 ms task ends first");
    let lines = feedback(&made);
    assert_eq!(
        lines[0],
        "You guessed 1000 ms, the model predicted 500 ms, and the run measured 502 ms."
    );
    assert!(
        lines[1].starts_with("You added the tasks up (1000 ms), but they overlapped"),
        "{lines:?}"
    );
    assert_eq!(lines[2], "You picked fetch 1 to finish first; fetch 2 did.");
    assert_eq!(
        state.tally,
        Tally {
            made: 1,
            close: 0,
            picked: 1,
            picked_right: 0
        }
    );
    // The next run asks for a new guess.
    assert_eq!(state.guess.total_text, "");
    assert!(state.guess.on);
}

#[test]
fn a_guess_of_the_longest_for_a_sequential_run_is_told_the_times_add_up() {
    let mut state = three_waits();
    guess(&mut state, "500", None);
    state.apply(Action::Run(RunRequest::Only(RunMode::Sequential)));
    finish_running_run(&mut state, 1.0);
    let lines = feedback(state.guessed.as_ref().unwrap());
    assert!(
        lines[1].starts_with(
            "You guessed the longest task (500 ms), but here the tasks did not overlap"
        ),
        "{lines:?}"
    );
    assert_eq!(lines.len(), 2, "no first-finisher line without a pick");
}

#[test]
fn a_close_guess_and_a_right_pick_are_counted() {
    let mut state = three_waits();
    guess(&mut state, "520", Some(1));
    state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
    finish_running_run(&mut state, 3.0);
    let lines = feedback(state.guessed.as_ref().unwrap());
    assert_eq!(lines[1], "Close: within 10% of the measured time.");
    assert!(
        lines[2].ends_with("did finish first, as you said."),
        "{lines:?}"
    );
    assert_eq!(
        state.tally,
        Tally {
            made: 1,
            close: 1,
            picked: 1,
            picked_right: 1
        }
    );
    assert_eq!(
        state.tally.summary().unwrap(),
        "Your guesses so far: 1 guess, 1 within 10% of the measured time; first to finish right 1 of 1."
    );
}

#[test]
fn a_far_guess_says_how_far() {
    let mut state = three_waits();
    guess(&mut state, "5000", None);
    state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
    finish_running_run(&mut state, 0.0);
    assert_eq!(
        feedback(state.guessed.as_ref().unwrap())[1],
        "Your guess was 10× too high."
    );
}

#[test]
fn a_compare_scores_the_guess_against_the_faster_side_only() {
    let mut state = three_waits();
    guess(&mut state, "500", None);
    state.apply(Action::Run(RunRequest::Compare(RunMode::Gather)));
    finish_running_run(&mut state, 0.0); // sequential: not the guessed run
    assert!(state.guessed.as_ref().unwrap().scored.is_none());
    assert_eq!(state.tally.made, 0);
    finish_running_run(&mut state, 0.0); // gathered
    let scored = state.guessed.as_ref().unwrap().scored.as_ref().unwrap();
    assert_eq!(scored.model_ms, 500.0);
    assert_eq!(state.tally.made, 1);
    assert_eq!(
        guessed_mode(
            RunRequest::Compare(RunMode::Sequential),
            RunMode::Sequential
        ),
        RunMode::Gather
    );
    assert_eq!(
        guessed_mode(RunRequest::CompareAll, RunMode::Bounded),
        RunMode::Bounded
    );
}

#[test]
fn a_stopped_run_is_not_scored() {
    let mut state = three_waits();
    guess(&mut state, "500", None);
    state.apply(Action::Run(RunRequest::Only(RunMode::Gather)));
    state.apply(Action::Stop);
    let made = state.guessed.clone().unwrap();
    assert!(made.scored.is_none());
    assert!(feedback(&made)[0].contains("not scored"));
    assert_eq!(state.tally.made, 0);
    assert_eq!(
        state.guess.total_text, "500",
        "the guess stays for the next try"
    );
}

#[test]
fn two_tabs_tallies_add_up_and_a_bad_stored_tally_is_made_consistent() {
    let base = Tally {
        made: 2,
        close: 1,
        picked: 0,
        picked_right: 0,
    };
    let ours = base.plus(Tally {
        made: 1,
        close: 1,
        picked: 1,
        picked_right: 1,
    });
    let theirs = base.plus(Tally {
        made: 2,
        close: 0,
        picked: 0,
        picked_right: 0,
    });
    assert_eq!(
        ours.merged(theirs, base),
        Tally {
            made: 5,
            close: 2,
            picked: 1,
            picked_right: 1
        }
    );
    let odd = Tally {
        made: 1,
        close: 9,
        picked: 7,
        picked_right: 8,
    };
    assert_eq!(
        odd.sane(),
        Tally {
            made: 1,
            close: 1,
            picked: 1,
            picked_right: 1
        }
    );
    assert_eq!(Tally::default().summary(), None);
}

proptest! {
    /// Whatever is typed and however the run went, nothing panics, the
    /// feedback is a few short lines, and the tally stays consistent.
    #[test]
    fn any_guess_on_any_run_is_explained(
        text in prop_oneof![
            "[0-9]{0,12}(\\.[0-9]{0,6})?( ?ms)?".prop_map(String::from).boxed(),
            any::<String>().boxed(),
            (0.0f64..1e12).prop_map(|x| x.to_string()).boxed(),
        ],
        late in 0.0f64..5_000.0,
        pick in proptest::option::of(0usize..3),
        mode in prop_oneof![Just(RunMode::Sequential), Just(RunMode::Gather), Just(RunMode::Bounded), Just(RunMode::AsCompleted)],
    ) {
        let mut state = three_waits();
        guess(&mut state, &text, pick);
        state.apply(Action::Run(RunRequest::Only(mode)));
        if state.is_running() {
            finish_running_run(&mut state, late);
            let made: MadeGuess = state.guessed.clone().unwrap();
            let lines = feedback(&made);
            prop_assert!((2..=3).contains(&lines.len()));
            prop_assert!(lines.iter().all(|l| l.len() < 200 && !l.contains("NaN") && !l.contains("inf")));
            let s = made.scored.as_ref().unwrap();
            prop_assert_eq!(state.tally.close == 1, close(made.total_ms, s.measured_ms));
        } else {
            prop_assert!(state.notice.is_some());
        }
        prop_assert_eq!(state.tally, state.tally.sane());
    }
}

#[test]
fn the_tally_is_kept_with_the_autosave_and_two_tabs_each_count_their_own() {
    // Tab A guesses once and saves.
    let (mut a, mut session_a) = Session::open(Opening {
        autosave: Some(Stored::Empty),
        ..Opening::default()
    });
    let (mut b, mut session_b) = Session::open(Opening {
        autosave: Some(Stored::Empty),
        ..Opening::default()
    });
    let mut storage = String::new();
    let one = Tally {
        made: 1,
        close: 1,
        picked: 0,
        picked_right: 0,
    };
    a.apply(Action::SetTally(one));
    assert_eq!(
        session_a.changed(&a).save,
        async_playground::domain::state::session::Save::Now
    );
    let plan = session_a.plan_write(&a, Stored::Empty);
    storage.clone_from(&plan.text);
    session_a.wrote(&plan);
    assert!(storage.contains(r#""guesses":{"made":1,"close":1,"picked":0,"picked_right":0}"#));
    // Tab B guessed twice meanwhile, then writes: both tabs' guesses count.
    b.apply(Action::SetTally(Tally {
        made: 2,
        ..Tally::default()
    }));
    let plan = session_b.plan_write(&b, Stored::Text(&storage));
    for action in plan.actions.clone() {
        b.apply(action);
    }
    storage.clone_from(&plan.text);
    session_b.wrote(&plan);
    assert_eq!(b.tally.made, 3);
    // Tab A hears of it.
    for action in session_a.other_tab_wrote(&a, Stored::Text(&storage)) {
        a.apply(action);
    }
    assert_eq!(a.tally.made, 3);
    assert_eq!(a.tally.close, 1);
    // A reload reads it back.
    let (reopened, _) = Session::open(Opening {
        autosave: Some(Stored::Text(&storage)),
        ..Opening::default()
    });
    assert_eq!(reopened.tally, a.tally);
}

#[test]
fn every_preset_asks_a_question_whose_durations_are_the_runs_own() {
    use async_playground::domain::scenario::presets::{preset_doc, question, MENU};
    for (slug, _) in MENU {
        let q = question(slug).unwrap_or_else(|| panic!("{slug} asks nothing"));
        assert!(q.ends_with('?'), "{slug}: {q}");
        let scenario = preset_doc(slug)
            .unwrap()
            .validate()
            .expect("a valid preset");
        let real: Vec<u32> = scenario.tasks.iter().map(|t| t.real.duration_ms).collect();
        // Every "N ms" the question quotes is a task's duration as it runs.
        let words: Vec<&str> = q.split_whitespace().collect();
        for pair in words.windows(2) {
            if pair[1].trim_end_matches(['.', ',', '?']) == "ms" {
                let n: u32 = pair[0].parse().unwrap();
                assert!(real.contains(&n), "{slug}: {n} ms is not among {real:?}");
            }
        }
    }
}
