//! A global allocator that records, for each thread (tests run in parallel threads; each
//! measures only its own), the largest single allocation and the most bytes live at once.
//!
//! A test or benchmark binary opts in with
//! `#[global_allocator] static A: npyio_test_support::Peak = npyio_test_support::Peak;`
//! (one per binary, as Rust allows; the counters live here and count that binary's
//! allocations). Without that line the functions below report zeros.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The counting allocator (it forwards to the system allocator).
pub struct Peak;

thread_local! {
    static LARGEST: Cell<usize> = const { Cell::new(0) };
    /// Bytes allocated minus bytes freed by this thread, and their maximum
    /// since `reset_peak`, and their value then.
    static LIVE: Cell<(isize, isize, isize)> = const { Cell::new((0, 0, 0)) };
}

fn note(n: usize) {
    let _ = LARGEST.try_with(|l| l.set(l.get().max(n)));
}

fn live(delta: isize) {
    let _ = LIVE.try_with(|l| {
        let (now, max, base) = l.get();
        let now = now + delta;
        l.set((now, max.max(now), base));
    });
}

/// Forget this thread's largest allocation and peak of live bytes so far.
pub fn reset_peak() {
    LARGEST.with(|l| l.set(0));
    LIVE.with(|l| {
        let (now, _, _) = l.get();
        l.set((now, now, now));
    });
}

/// The most bytes this thread had allocated and not yet freed at any one
/// time since [`reset_peak`], beyond what it had then.
pub fn peak_live() -> usize {
    LIVE.with(|l| {
        let (_, max, base) = l.get();
        (max - base).max(0) as usize
    })
}

/// This thread's largest single allocation since [`reset_peak`].
pub fn peak() -> usize {
    LARGEST.with(|l| l.get())
}

unsafe impl GlobalAlloc for Peak {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        note(l.size());
        let p = System.alloc(l);
        if !p.is_null() {
            live(l.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        live(-(l.size() as isize));
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        note(n);
        let q = System.realloc(p, l, n);
        if !q.is_null() {
            live(n as isize - l.size() as isize);
        }
        q
    }
}
