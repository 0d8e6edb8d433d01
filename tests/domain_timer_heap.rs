//! Native tests: the timer heap never fires early and keeps asyncio's order.

#![cfg(not(target_arch = "wasm32"))]

use async_playground::domain::model::timer_heap::TimerHeap;
use proptest::prelude::*;

#[test]
fn due_timers_come_out_in_deadline_then_insertion_order() {
    let mut h = TimerHeap::default();
    h.insert(100.0, "b");
    h.insert(50.0, "a");
    h.insert(100.0, "c");
    h.insert(200.0, "d");
    assert_eq!(h.next_deadline_ms(), Some(50.0));
    assert_eq!(h.pop_due(49.9), Vec::<&str>::new(), "never early");
    assert_eq!(h.pop_due(100.0), vec!["a", "b", "c"]);
    assert_eq!(h.len(), 1);
    assert_eq!(h.next_deadline_ms(), Some(200.0));
}

#[test]
fn cancelled_timers_never_fire_and_do_not_hold_the_next_deadline() {
    let mut h = TimerHeap::default();
    let first = h.insert(10.0, 1);
    h.insert(20.0, 2);
    assert_eq!(h.remove(first), Some(1));
    assert_eq!(h.remove(first), None);
    assert_eq!(h.next_deadline_ms(), Some(20.0));
    assert_eq!(h.pop_due(1_000.0), vec![2]);
    assert!(h.is_empty());
    assert_eq!(h.next_deadline_ms(), None);
}

#[test]
fn a_timer_item_can_be_updated_while_pending() {
    let mut h = TimerHeap::default();
    let k = h.insert(5.0, 1);
    *h.get_mut(k).unwrap() = 7;
    assert_eq!(h.pop_due(5.0), vec![7]);
    assert!(h.get_mut(k).is_none());
}

proptest! {
    #[test]
    fn pop_due_returns_exactly_the_due_ones_sorted(
        deadlines in proptest::collection::vec(0u32..1000, 0..200),
        now in 0u32..1000,
    ) {
        let mut h = TimerHeap::default();
        for (i, &d) in deadlines.iter().enumerate() {
            h.insert(f64::from(d), (d, i));
        }
        let due = h.pop_due(f64::from(now));
        let mut expected: Vec<(u32, usize)> = deadlines
            .iter()
            .enumerate()
            .filter(|(_, &d)| d <= now)
            .map(|(i, &d)| (d, i))
            .collect();
        expected.sort();
        prop_assert_eq!(due, expected);
        prop_assert!(h.next_deadline_ms().is_none_or(|d| d > f64::from(now)));
    }
}
