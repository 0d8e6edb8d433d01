//! The event loop's timer queue, as asyncio keeps it: a heap of deadlines.
//!
//! CPython's loop does not set one OS timer per `sleep`: it keeps every
//! scheduled callback in a heap and waits (in `select`) only until the
//! earliest deadline, then runs everything that is due. The runtime does the
//! same with one browser timer for the earliest deadline, so 1,000 tasks
//! that end together cost one timer callback, not 1,000. Times are passed
//! in; nothing here reads a clock.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};

/// Names a timer so it can be cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimerKey(u64);

#[derive(Clone, Copy, Debug, PartialEq)]
struct Entry {
    deadline_ms: f64,
    key: u64,
}

impl Eq for Entry {}

impl Ord for Entry {
    // Earliest deadline first; equal deadlines in the order they were set
    // (asyncio runs callbacks due at the same time in scheduling order).
    fn cmp(&self, other: &Self) -> Ordering {
        self.deadline_ms
            .total_cmp(&other.deadline_ms)
            .then(self.key.cmp(&other.key))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Timers holding a `T` each (in the runtime, a task's waker).
#[derive(Debug)]
pub struct TimerHeap<T> {
    heap: BinaryHeap<Reverse<Entry>>,
    live: HashMap<u64, T>,
    next_key: u64,
}

impl<T> Default for TimerHeap<T> {
    fn default() -> Self {
        TimerHeap {
            heap: BinaryHeap::new(),
            live: HashMap::new(),
            next_key: 0,
        }
    }
}

impl<T> TimerHeap<T> {
    pub fn insert(&mut self, deadline_ms: f64, item: T) -> TimerKey {
        let key = self.next_key;
        self.next_key += 1;
        self.heap.push(Reverse(Entry { deadline_ms, key }));
        self.live.insert(key, item);
        TimerKey(key)
    }

    /// The item of a pending timer, to update it (e.g. a newer waker).
    pub fn get_mut(&mut self, key: TimerKey) -> Option<&mut T> {
        self.live.get_mut(&key.0)
    }

    /// Cancels a timer. Its heap entry is dropped lazily when it surfaces.
    pub fn remove(&mut self, key: TimerKey) -> Option<T> {
        self.live.remove(&key.0)
    }

    pub fn len(&self) -> usize {
        self.live.len()
    }

    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }

    /// The earliest deadline of a timer still pending.
    pub fn next_deadline_ms(&mut self) -> Option<f64> {
        self.drop_cancelled();
        self.heap.peek().map(|Reverse(e)| e.deadline_ms)
    }

    /// Removes and returns every timer due at `now_ms` (deadline ≤ now), in
    /// deadline order. A timer is never returned before its deadline.
    pub fn pop_due(&mut self, now_ms: f64) -> Vec<T> {
        let mut due = Vec::new();
        while let Some(Reverse(entry)) = self.heap.peek().copied() {
            if entry.deadline_ms > now_ms {
                break;
            }
            self.heap.pop();
            if let Some(item) = self.live.remove(&entry.key) {
                due.push(item);
            }
        }
        due
    }

    fn drop_cancelled(&mut self) {
        while let Some(Reverse(entry)) = self.heap.peek() {
            if self.live.contains_key(&entry.key) {
                break;
            }
            self.heap.pop();
        }
    }
}
