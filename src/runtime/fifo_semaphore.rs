//! A first-in, first-out async semaphore for one thread, the way asyncio's
//! Semaphore and a thread pool's work queue hand out places: in arrival
//! order. Used for the executor's threads.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

#[derive(Default)]
struct State {
    permits: usize,
    next_ticket: u64,
    /// Waiting tickets in arrival order, with their wakers.
    queue: VecDeque<(u64, Option<Waker>)>,
    /// Tickets granted a permit but not yet polled to take it.
    granted: Vec<u64>,
}

/// A FIFO semaphore; clones share the permits.
#[derive(Clone)]
pub struct FifoSemaphore(Rc<RefCell<State>>);

impl FifoSemaphore {
    pub fn new(permits: usize) -> Self {
        FifoSemaphore(Rc::new(RefCell::new(State {
            permits,
            ..State::default()
        })))
    }

    /// Waits for a permit; dropping the future before it resolves gives
    /// up the place in line (or the granted permit).
    pub fn acquire(&self) -> Acquire {
        Acquire {
            semaphore: self.clone(),
            ticket: None,
            done: false,
        }
    }

    /// Whether anyone waits for a permit (or was handed one not yet taken).
    pub fn has_waiters(&self) -> bool {
        let s = self.0.borrow();
        !s.queue.is_empty() || !s.granted.is_empty()
    }

    /// Returns a permit: the first in line gets it.
    pub fn release(&self) {
        let waker = {
            let mut s = self.0.borrow_mut();
            match s.queue.pop_front() {
                Some((ticket, waker)) => {
                    s.granted.push(ticket);
                    waker
                }
                None => {
                    s.permits += 1;
                    None
                }
            }
        };
        if let Some(w) = waker {
            w.wake();
        }
    }
}

pub struct Acquire {
    semaphore: FifoSemaphore,
    ticket: Option<u64>,
    done: bool,
}

impl Future for Acquire {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut s = self.semaphore.0.borrow_mut();
        match self.ticket {
            None => {
                if s.permits > 0 && s.queue.is_empty() {
                    s.permits -= 1;
                    drop(s);
                    self.done = true;
                    return Poll::Ready(());
                }
                let ticket = s.next_ticket;
                s.next_ticket += 1;
                s.queue.push_back((ticket, Some(cx.waker().clone())));
                drop(s);
                self.ticket = Some(ticket);
                Poll::Pending
            }
            Some(ticket) => {
                if let Some(at) = s.granted.iter().position(|&g| g == ticket) {
                    s.granted.swap_remove(at);
                    drop(s);
                    self.done = true;
                    return Poll::Ready(());
                }
                if let Some(entry) = s.queue.iter_mut().find(|(t, _)| *t == ticket) {
                    entry.1 = Some(cx.waker().clone());
                }
                Poll::Pending
            }
        }
    }
}

impl Drop for Acquire {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let Some(ticket) = self.ticket else { return };
        let granted = {
            let mut s = self.semaphore.0.borrow_mut();
            s.queue.retain(|(t, _)| *t != ticket);
            match s.granted.iter().position(|&g| g == ticket) {
                Some(at) => {
                    s.granted.swap_remove(at);
                    true
                }
                None => false,
            }
        };
        // A permit handed to us but never taken goes to the next in line.
        if granted {
            self.semaphore.release();
        }
    }
}
