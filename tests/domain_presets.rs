//! The tutorial presets: every one loads, validates, and its explanation's
//! figures are what the simulator predicts, formatted as the UI shows them.

use async_playground::domain::model::{predict, Prediction};
use async_playground::domain::run::stats::{format_ms, format_speedup, speedup};
use async_playground::domain::scenario::doc::ScenarioDoc;
use async_playground::domain::scenario::presets::{preset_doc, presets, Change, Claim, Preset};
use async_playground::domain::scenario::{validate, RunMode, Scenario, TaskId};

fn scenario_of(doc: &ScenarioDoc) -> Scenario {
    validate(&doc.drafts, &doc.speed_text, doc.options)
        .unwrap_or_else(|errors| panic!("{}: {errors:?}", doc.title))
}

fn doc_of(preset: &Preset) -> ScenarioDoc {
    preset_doc(preset.slug).unwrap_or_else(|| panic!("no scenario for {}", preset.slug))
}

/// The claim's run: the preset after its change, predicted in its mode.
fn predicted(preset: &Preset, claim: &Claim) -> (Scenario, Prediction) {
    let scenario = scenario_of(&claim.change.apply(&doc_of(preset)));
    let prediction = predict(&scenario, claim.mode);
    (scenario, prediction)
}

/// A figure of the text, with what follows it: " ms", "×" or " s".
#[derive(Debug, PartialEq)]
enum Figure {
    Ms(f64),
    Times(f64),
    Seconds(f64),
}

/// Every "N ms", "N×" and "N s" in the text (N may have decimals).
fn figures(text: &str) -> Vec<(String, Figure)> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts_number = chars[i].is_ascii_digit()
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '.'));
        if !starts_number {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '.') {
            j += 1;
        }
        let number: String = chars[i..j].iter().collect();
        let number = number.trim_end_matches('.');
        let rest: String = chars[j..chars.len().min(j + 4)].iter().collect();
        let value: f64 = number.parse().unwrap_or(f64::NAN);
        let figure = if rest.starts_with(" ms") {
            Some((format!("{number} ms"), Figure::Ms(value)))
        } else if rest.starts_with('×') {
            Some((format!("{number}×"), Figure::Times(value)))
        } else if rest.starts_with(" s") && !rest[2..].starts_with(|c: char| c.is_alphanumeric()) {
            Some((format!("{number} s"), Figure::Seconds(value)))
        } else {
            None
        };
        found.extend(figure);
        i = j;
    }
    found
}

#[test]
fn there_are_eight_presets_with_unique_slugs() {
    let all = presets();
    assert_eq!(all.len(), 8);
    let mut slugs: Vec<&str> = all.iter().map(|p| p.slug).collect();
    slugs.sort_unstable();
    slugs.dedup();
    assert_eq!(slugs.len(), 8, "slugs are unique");
    for p in &all {
        assert!(
            p.slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} is URL-safe",
            p.slug
        );
        assert!(!p.title.is_empty() && !p.explanation.is_empty());
        assert!(!p.python_idea.contains('\n'), "{}: one line", p.slug);
        assert!(!p.expect.claims.is_empty(), "{}: claims", p.slug);
    }
    assert_eq!(preset_doc("no-such-preset"), None);
}

#[test]
fn every_preset_validates_with_numbered_ids() {
    for preset in presets() {
        let doc = doc_of(&preset);
        assert_eq!(doc.title, preset.title);
        let ids: Vec<TaskId> = doc.drafts.iter().map(|d| d.id).collect();
        let expected: Vec<TaskId> = (1..=doc.drafts.len() as u32).map(TaskId).collect();
        assert_eq!(ids, expected, "{}: ids 1..N", preset.slug);
        scenario_of(&doc);
        for claim in &preset.expect.claims {
            scenario_of(&claim.change.apply(&doc));
        }
    }
}

#[test]
fn claims_match_the_simulator() {
    for preset in presets() {
        for claim in &preset.expect.claims {
            let (_, p) = predicted(&preset, claim);
            assert!(
                (p.total_ms - f64::from(claim.total_ms)).abs() < 0.5,
                "{} {:?} {:?}: all done at {} predicted, {} claimed",
                preset.slug,
                claim.mode,
                claim.change,
                p.total_ms,
                claim.total_ms
            );
            if let Some(caller) = claim.caller_ms {
                assert!(
                    (p.caller_ms - f64::from(caller)).abs() < 0.5,
                    "{} {:?} {:?}: await returned at {} predicted, {} claimed",
                    preset.slug,
                    claim.mode,
                    claim.change,
                    p.caller_ms,
                    caller
                );
            }
        }
    }
}

#[test]
fn explanations_quote_the_predicted_figures() {
    for preset in presets() {
        let text = preset.explanation;
        let quoted: Vec<String> = figures(text).into_iter().map(|(s, _)| s).collect();
        let mut must_quote = Vec::new();
        for claim in &preset.expect.claims {
            let (_, p) = predicted(&preset, claim);
            must_quote.push(format_ms(p.total_ms));
            if claim.caller_ms.is_some() {
                must_quote.push(format_ms(p.caller_ms));
            }
        }
        for &(slow, fast) in &preset.expect.speedups {
            let claims = &preset.expect.claims;
            let (_, a) = predicted(&preset, &claims[slow]);
            let (_, b) = predicted(&preset, &claims[fast]);
            let factor = speedup(a.total_ms, b.total_ms).expect("a speedup");
            must_quote.push(format_speedup(factor));
        }
        for figure in must_quote {
            assert!(
                quoted.contains(&figure),
                "{}: the explanation should say {figure:?}; it quotes {quoted:?}\n{text}",
                preset.slug
            );
        }
    }
}

/// The other way round: every figure in the text is one the simulator
/// predicts (a claim's total or await time, a quoted speedup), a task's real
/// duration, or one of those in real time (times the speed factor).
#[test]
fn every_figure_in_an_explanation_is_backed() {
    for preset in presets() {
        let speed = scenario_of(&doc_of(&preset)).speed;
        let mut ms_backed: Vec<f64> = Vec::new();
        let mut times_backed: Vec<String> = Vec::new();
        for claim in &preset.expect.claims {
            let (scenario, p) = predicted(&preset, claim);
            ms_backed.push(p.total_ms);
            ms_backed.push(p.caller_ms);
            ms_backed.extend(scenario.tasks.iter().map(|t| f64::from(t.real.duration_ms)));
        }
        for &(slow, fast) in &preset.expect.speedups {
            let claims = &preset.expect.claims;
            let (_, a) = predicted(&preset, &claims[slow]);
            let (_, b) = predicted(&preset, &claims[fast]);
            times_backed.push(format_speedup(a.total_ms / b.total_ms));
        }
        for (quoted, figure) in figures(preset.explanation) {
            let ok = match figure {
                Figure::Ms(ms) => ms_backed
                    .iter()
                    .any(|b| format_ms(*b) == quoted && *b == ms),
                Figure::Times(_) => times_backed.contains(&quoted),
                Figure::Seconds(s) => ms_backed
                    .iter()
                    .any(|b| (b * speed / 1000.0 - s).abs() < 1e-9),
            };
            assert!(
                ok,
                "{}: {quoted:?} is not a predicted figure (ms: {ms_backed:?}, ×: {times_backed:?})\n{}",
                preset.slug, preset.explanation
            );
        }
    }
}

#[test]
fn the_figure_scanner_reads_what_the_ui_writes() {
    assert_eq!(
        figures("a 250 ms, b 1250 ms, 1.7× and 2.5 s; Python 3.11+ and 5 tasks"),
        vec![
            ("250 ms".to_string(), Figure::Ms(250.0)),
            ("1250 ms".to_string(), Figure::Ms(1250.0)),
            ("1.7×".to_string(), Figure::Times(1.7)),
            ("2.5 s".to_string(), Figure::Seconds(2.5)),
        ]
    );
}

#[test]
fn changes_apply_to_a_copy() {
    use async_playground::domain::scenario::TaskKind;
    let doc = preset_doc("blocking-vs-to-thread").unwrap();
    let kinds = |doc: &ScenarioDoc| doc.drafts.iter().map(|d| d.kind).collect::<Vec<_>>();
    let changed = Change::Offload.apply(&doc);
    // Only the blocking calls move to threads; the sleeps stay sleeps.
    let (io, blocking, wait) = (TaskKind::Io, TaskKind::Blocking, TaskKind::OffloadedWait);
    assert_eq!(kinds(&changed), [io, io, io, wait, wait, wait]);
    assert_eq!(kinds(&doc), [io, io, io, blocking, blocking, blocking]);
    assert_eq!(Change::PoolSize(5).apply(&doc).options.pool_size, 5);
    assert!(
        !Change::ReturnExceptions(false)
            .apply(&doc)
            .options
            .return_exceptions
    );
    assert_eq!(Change::None.apply(&doc), doc);
}

#[test]
fn every_preset_offers_a_button_for_every_run_its_text_quotes() {
    use async_playground::domain::scenario::presets::{steps, Press};
    for preset in presets() {
        let offered = steps(&preset);
        assert!(!offered.is_empty(), "{}: no button to press", preset.slug);
        for claim in &preset.expect.claims {
            let covered = offered.iter().any(|s| {
                s.change == claim.change
                    && match s.press {
                        Press::Run(mode) => mode == claim.mode,
                        Press::Compare(mode) => {
                            mode == claim.mode || claim.mode == RunMode::Sequential
                        }
                    }
            });
            assert!(covered, "{}: no button runs {claim:?}", preset.slug);
        }
    }
}

#[test]
fn preset_buttons_say_the_change_and_the_run() {
    use async_playground::domain::scenario::presets::steps;
    let labels = |slug: &str| -> Vec<String> {
        let preset = presets().into_iter().find(|p| p.slug == slug).unwrap();
        steps(&preset).into_iter().map(|s| s.label).collect()
    };
    assert_eq!(
        labels("thread-pool"),
        [
            "Compare Gathered with sequential",
            "Set Threads to 5, then run Gathered"
        ]
    );
    assert_eq!(
        labels("blocking-vs-to-thread"),
        [
            "Run Gathered",
            "Switch the blocking calls to to_thread (wait), then run Gathered"
        ]
    );
}

#[test]
fn a_preset_says_its_speed_factor_with_the_tutorials_durations() {
    use async_playground::domain::scenario::presets::{preset_doc, speed_note};
    let note = speed_note(&preset_doc("two-tasks").unwrap()).unwrap();
    assert_eq!(
        note,
        "Runs at speed ×4: the tasks keep the tutorial's durations and run that much faster (the first, written as 2000 ms, takes 500 ms)."
    );
    assert_eq!(speed_note(&preset_doc("twenty-fetches").unwrap()), None);
}
