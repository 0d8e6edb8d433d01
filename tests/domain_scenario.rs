//! Native tests: scenario validation never panics and names every problem.

#![cfg(not(target_arch = "wasm32"))]

use async_playground::domain::scenario::*;
use proptest::prelude::*;

fn draft(id: u32, label: &str, duration: &str) -> TaskDraft {
    TaskDraft::io(TaskId(id), label, duration)
}

fn check(drafts: &[TaskDraft], speed: &str) -> Result<Scenario, Vec<ScenarioError>> {
    validate(drafts, speed, RunOptions::default())
}

#[test]
fn default_scenario_is_valid() {
    let scenario = check(&default_drafts(), DEFAULT_SPEED_TEXT).expect("valid");
    assert_eq!(scenario.tasks.len(), 5);
    assert_eq!(scenario.tasks[0].label, "fetch data 1");
}

#[test]
fn durations_parse_with_spaces_underscores_and_unit() {
    assert_eq!(parse_duration_ms(" 250 "), Ok(250));
    assert_eq!(parse_duration_ms("1_000"), Ok(1000));
    assert_eq!(parse_duration_ms("300ms"), Ok(300));
    assert_eq!(parse_duration_ms("300 ms"), Ok(300));
    assert_eq!(parse_duration_ms("0"), Ok(0));
    assert_eq!(parse_duration_ms("60000"), Ok(MAX_DURATION_MS));
}

#[test]
fn bad_durations_get_specific_problems() {
    assert_eq!(parse_duration_ms(""), Err(FieldProblem::EmptyDuration));
    assert_eq!(parse_duration_ms("-5"), Err(FieldProblem::Negative));
    assert_eq!(parse_duration_ms("1.5"), Err(FieldProblem::Fractional));
    assert_eq!(parse_duration_ms("60001"), Err(FieldProblem::TooLarge));
    assert_eq!(parse_duration_ms("1e12"), Err(FieldProblem::TooLarge));
    assert!(matches!(
        parse_duration_ms("abc"),
        Err(FieldProblem::NotANumber { .. })
    ));
    assert!(matches!(
        parse_duration_ms("NaN"),
        Err(FieldProblem::NotANumber { .. })
    ));
    assert!(matches!(
        parse_duration_ms("inf"),
        Err(FieldProblem::NotANumber { .. })
    ));
}

#[test]
fn speed_accepts_x_prefix_and_suffix_and_rejects_out_of_range() {
    assert_eq!(parse_speed("10"), Ok(10.0));
    assert_eq!(parse_speed("10x"), Ok(10.0));
    assert_eq!(parse_speed("×2"), Ok(2.0));
    assert_eq!(parse_speed("0.5"), Ok(0.5));
    assert_eq!(parse_speed(""), Err(SpeedError::Empty));
    assert_eq!(parse_speed("0"), Err(SpeedError::OutOfRange));
    assert_eq!(parse_speed("1000"), Err(SpeedError::OutOfRange));
    assert!(matches!(
        parse_speed("fast"),
        Err(SpeedError::NotANumber { .. })
    ));
    // The message spells the range out (no float printer in the app).
    assert_eq!(
        SpeedError::OutOfRange.to_string(),
        format!("Speed must be between {MIN_SPEED} and {MAX_SPEED}.")
    );
}

#[test]
fn validation_lists_every_problem_with_its_task() {
    let drafts = vec![
        draft(1, "  ", "100"),
        draft(2, "ok", "-1"),
        draft(3, &"x".repeat(MAX_LABEL_CHARS + 1), "abc"),
    ];
    let errors = check(&drafts, "1").unwrap_err();
    assert_eq!(errors.len(), 4);
    assert_eq!(
        errors[0],
        ScenarioError::Task {
            index: 0,
            id: TaskId(1),
            field: Field::Label,
            problem: FieldProblem::EmptyLabel
        }
    );
    assert_eq!(errors[0].to_string(), "Task 1: Give the task a name.");
    assert!(errors[1].to_string().contains("can't be negative"));
    assert!(errors[2].to_string().contains("keep it to 80"));
    assert!(errors[3].to_string().contains("“abc” is not a number"));
}

#[test]
fn zero_tasks_and_bad_speed_are_errors() {
    let errors = check(&[], "").unwrap_err();
    assert!(errors.contains(&ScenarioError::NoTasks));
    assert!(errors.contains(&ScenarioError::Speed(SpeedError::Empty)));
    assert_eq!(errors[0].to_string(), "Add at least one task to run.");
}

#[test]
fn too_many_tasks_is_an_error() {
    let drafts: Vec<_> = (0..=MAX_TASKS as u32).map(|i| draft(i, "t", "1")).collect();
    let errors = check(&drafts, "1").unwrap_err();
    assert!(matches!(errors[0], ScenarioError::TooManyTasks { .. }));
}

#[test]
fn labels_are_trimmed_and_speed_scales_durations() {
    let scenario = check(&[draft(1, "  a  ", "3000")], "10").unwrap();
    assert_eq!(scenario.tasks[0].label, "a");
    assert_eq!(scenario.tasks[0].written.duration_ms, 3000);
    assert_eq!(scenario.tasks[0].real.duration_ms, 300);
    assert_eq!(scale_duration_ms(1000, 3.0), 333);
    assert_eq!(
        scale_duration_ms(1000, 0.0),
        1000,
        "a bad factor is ignored"
    );
}

#[test]
fn long_quoted_input_is_elided_in_messages() {
    let text = "y".repeat(500);
    let message = parse_duration_ms(&text).unwrap_err().to_string();
    assert!(message.chars().count() < 80, "{message}");
}

proptest! {
    #[test]
    fn validation_never_panics(label in ".{0,100}", duration in ".{0,30}", speed in ".{0,12}") {
        let _ = check(&[draft(1, &label, &duration)], &speed);
    }

    #[test]
    fn valid_numbers_round_trip(ms in 0u32..=MAX_DURATION_MS) {
        prop_assert_eq!(parse_duration_ms(&ms.to_string()), Ok(ms));
    }
}

#[test]
fn task_counts_parse_or_explain() {
    assert_eq!(parse_task_count(" 1_000 "), Ok(1000));
    assert_eq!(parse_task_count("1"), Ok(1));
    assert!(parse_task_count("0").unwrap_err().contains("between 1 and"));
    assert!(parse_task_count("-3")
        .unwrap_err()
        .contains("between 1 and"));
    assert!(parse_task_count("10001")
        .unwrap_err()
        .contains("between 1 and"));
    assert!(parse_task_count("").unwrap_err().contains("how many"));
    assert!(parse_task_count("lots")
        .unwrap_err()
        .contains("not a whole number"));
}

#[test]
fn kinds_validate_their_own_fields() {
    let mut fail = draft(1, "might fail", "100").with_kind(TaskKind::Fail);
    fail.message = "  ".into();
    let mut stream = draft(2, "ticker", "50").with_kind(TaskKind::Stream);
    stream.items_text = "0".into();
    stream.body_text = "x".into();
    let mut timed = draft(3, "slow", "100");
    timed.timeout_text = "0".into();
    let errors = check(&[fail, stream, timed], "1").unwrap_err();
    let fields: Vec<Field> = errors
        .iter()
        .filter_map(|e| match e {
            ScenarioError::Task { field, .. } => Some(*field),
            _ => None,
        })
        .collect();
    assert_eq!(
        fields,
        vec![Field::Message, Field::Items, Field::Body, Field::Timeout]
    );
    assert!(errors[0]
        .to_string()
        .contains("Give the exception a message"));
    assert!(errors[1].to_string().contains("1 to 100 items"));
}

#[test]
fn kinds_become_the_validated_model() {
    let mut stream = draft(1, "ticker", "50").with_kind(TaskKind::Stream);
    stream.items_text = "3".into();
    stream.body_text = "20".into();
    stream.timeout_text = "400".into();
    let scenario = check(
        &[
            stream,
            draft(2, "b", "10").with_kind(TaskKind::Blocking),
            draft(3, "c", "10").with_kind(TaskKind::OffloadedCpu),
        ],
        "1",
    )
    .unwrap();
    assert_eq!(scenario.tasks[0].kind, Kind::Stream { items: 3 });
    assert_eq!(scenario.tasks[0].written.body_ms, 20);
    assert_eq!(scenario.tasks[0].written.timeout_ms, Some(400));
    assert_eq!(scenario.tasks[1].kind, Kind::Blocking);
    assert_eq!(scenario.tasks[2].kind, Kind::Offloaded { cpu: true });
    for kind in TaskKind::ALL {
        assert_eq!(TaskKind::from_slug(kind.slug()), Some(kind));
    }
    for mode in RunMode::ALL {
        assert_eq!(RunMode::from_slug(mode.slug()), Some(mode));
    }
}

#[test]
fn extreme_exponents_get_the_fields_normal_message() {
    // An exponent beyond what an f64 holds is simply out of range.
    assert_eq!(
        parse_duration_ms("1e2147483647"),
        Err(FieldProblem::TooLarge)
    );
    assert_eq!(
        parse_duration_ms("-1e2147483647"),
        Err(FieldProblem::Negative)
    );
    assert_eq!(parse_duration_ms("1e-2147483648"), Ok(0));
    assert_eq!(parse_speed("1e2147483647"), Err(SpeedError::OutOfRange));
    assert_eq!(parse_speed("1e-2147483647"), Err(SpeedError::OutOfRange));
    assert_eq!(
        parse_timeout_ms("1e99999999999"),
        Err(FieldProblem::TooLarge)
    );
}

#[test]
fn whole_numbers_too_large_for_their_type_are_out_of_range() {
    assert_eq!(
        parse_items("99999999999999999999999"),
        Err(FieldProblem::ItemsOutOfRange)
    );
    assert_eq!(parse_items("-5"), Err(FieldProblem::ItemsOutOfRange));
    assert_eq!(
        parse_task_count("99999999999999999999999"),
        Err(format!("Make between 1 and {MAX_TASKS} tasks."))
    );
}

fn blocking(id: u32, ms: &str) -> TaskDraft {
    draft(id, &format!("block {id}"), ms).with_kind(TaskKind::Blocking)
}

#[test]
fn blocking_calls_have_a_budget_per_run() {
    // time.sleep(60) at speed 0.1 would busy-wait the page's only thread
    // for 600 s: no scenario may block it past the budget.
    let errors = check(&[blocking(1, "60000")], "0.1").unwrap_err();
    assert_eq!(
        errors,
        vec![ScenarioError::BlockingBudget { total_ms: 600_000 }]
    );
    let message = errors[0].to_string();
    for part in ["600 s", "10 s", "freeze", "speed factor", "to_thread"] {
        assert!(message.contains(part), "{part}: {message}");
    }
    // The budget is real time: after the speed factor, summed over the run.
    let ten: Vec<_> = (1..=10).map(|i| blocking(i, "1000")).collect();
    assert!(
        check(&ten, "1").is_ok(),
        "exactly {MAX_BLOCKING_MS_PER_RUN} ms"
    );
    let mut eleven = ten.clone();
    eleven.push(blocking(11, "1"));
    assert!(matches!(
        check(&eleven, "1").unwrap_err()[..],
        [ScenarioError::BlockingBudget { total_ms: 10_001 }]
    ));
    assert!(check(&[blocking(1, "20000")], "2").is_ok());
    // Work sent to a thread, or waits, do not block the page.
    let offloaded: Vec<_> = (1..=20)
        .map(|i| blocking(i, "60000").with_kind(TaskKind::OffloadedCpu))
        .collect();
    assert!(check(&offloaded, "1").is_ok());
    assert!(check(&[draft(1, "wait", "60000")], "0.1").is_ok());
    // It sits with the run options, not with a task.
    assert!(errors[0].is_run_level());
}
