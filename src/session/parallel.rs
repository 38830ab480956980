//! Work spread over every core, on threads with a generous stack.
//!
//! Every command's front end runs here, so deeply nested input is refused with the same
//! diagnostic whichever command reads it: the parser recurses before it can count the depth,
//! and a main thread's 8 MB would overflow first.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

thread_local! {
    /// Whether this thread was started here, with the generous stack.
    static ROOMY: Cell<bool> = const { Cell::new(false) };
}

/// Stack of each worker thread; address space only, pages are touched as the parser needs them.
const STACK: usize = 256 << 20;

/// `f` applied to every item, on up to one thread per core, results in the items' order.
/// A single item on a thread that already has the generous stack is done in place: a chain
/// of imports loads one file per step, and a thread per step would cost more than the parse.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if items.len() <= 1 && ROOMY.with(Cell::get) {
        return items.iter().map(f).collect();
    }
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            std::thread::Builder::new()
                .stack_size(STACK)
                .spawn_scoped(scope, || {
                    ROOMY.with(|roomy| roomy.set(true));
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        let result = f(item);
                        *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                    }
                })
                .expect("spawn a worker thread");
        }
    });
    results
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every item is processed once the workers are done")
        })
        .collect()
}

/// `f` on a thread with the generous stack (in place when this is one already).
pub fn roomy<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    let once = Mutex::new(Some(f));
    map(&[()], |()| {
        let f = once
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .expect("called once");
        f()
    })
    .pop()
    .expect("one result")
}
