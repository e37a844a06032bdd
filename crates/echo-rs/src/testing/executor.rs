//! A tiny single-threaded executor for [`FakeRuntime`](super::FakeRuntime):
//! a queue of boxed futures, each polled with a waker that only raises a
//! flag. A future is polled when it is new or its flag was raised; nothing is
//! ever polled from inside `spawn`, so a client call never re-enters itself.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use crate::runtime::LocalBoxFuture;

/// Raised by the waker of one task.
struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::Relaxed);
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.store(true, Ordering::Relaxed);
    }
}

struct Task {
    future: LocalBoxFuture<()>,
    flag: Arc<Flag>,
}

/// Futures waiting to run, in spawn order.
#[derive(Default)]
pub(crate) struct Executor {
    tasks: RefCell<Vec<Task>>,
}

impl Executor {
    /// Queues `future`; it is first polled by the next [`poll_ready`](Self::poll_ready).
    pub(crate) fn spawn(&self, future: LocalBoxFuture<()>) {
        let flag = Arc::new(Flag(AtomicBool::new(true)));
        self.tasks.borrow_mut().push(Task { future, flag });
    }

    /// Polls once every task that is new or was woken; returns whether any
    /// was polled. No borrow is held while a future runs, so it may spawn.
    pub(crate) fn poll_ready(&self) -> bool {
        let tasks = std::mem::take(&mut *self.tasks.borrow_mut());
        let mut polled = false;
        let mut kept = Vec::with_capacity(tasks.len());
        for mut task in tasks {
            if !task.flag.0.swap(false, Ordering::Relaxed) {
                kept.push(task);
                continue;
            }
            polled = true;
            let waker = Waker::from(task.flag.clone());
            if task.future.as_mut().poll(&mut Context::from_waker(&waker)) == Poll::Pending {
                kept.push(task);
            }
        }
        let mut tasks = self.tasks.borrow_mut();
        let spawned = std::mem::take(&mut *tasks);
        kept.extend(spawned);
        *tasks = kept;
        polled
    }

    /// The number of tasks not finished yet.
    pub(crate) fn pending(&self) -> usize {
        self.tasks.borrow().len()
    }
}
