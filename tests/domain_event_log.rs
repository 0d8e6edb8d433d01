//! Native tests: the event log and task states (domain::model::log).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use async_playground::domain::model::log::{event_log, Snapshots};
use async_playground::domain::scenario::{Kind, RunMode, RunOptions, Scenario};
use common::task;

#[test]
fn dump() {
    let s = Scenario::new(
        vec![
            task(1, "fetch 1", 200, Kind::Io),
            task(2, "block 2", 150, Kind::Blocking),
            task(3, "fetch 3", 50, Kind::Io),
            task(4, "crunch 4", 100, Kind::Offloaded { cpu: true }),
            task(5, "crunch 5", 100, Kind::Offloaded { cpu: true }),
        ],
        1.0,
        RunOptions::default(),
    );
    let log = event_log(&s, RunMode::Gather, Snapshots::All);
    for st in &log.steps {
        println!("{:>3} {:>6.1}-{:>6.1} {:?} {}", st.iteration, st.at_ms, st.end_ms, st.place, st.text);
        let sn = st.snapshot.as_ref().unwrap();
        println!("      ready={:?} timers={:?} threads={:?} gil={:?} caller={}", sn.ready.iter().map(|c| &c.text).collect::<Vec<_>>(), sn.timers.iter().map(|c| &c.text).collect::<Vec<_>>(), sn.threads.iter().map(|t| t.task).collect::<Vec<_>>(), sn.gil_holder, sn.caller);
    }
    for (i, s) in log.segments.iter().enumerate() {
        println!("task {i}: {:?} pred {:?}", s.iter().map(|s| (s.start_ms, s.end_ms, s.state.slug())).collect::<Vec<_>>(), log.prediction.tasks[i]);
    }
    println!("{:?}\n{:?}", log.loop_lane, log.gil_lane);
}
