//! A global allocator that counts allocator calls made by the current thread.
//!
//! Counting per thread keeps the numbers exact when the test harness or another test allocates
//! on a different thread at the same time. Shared by `benches/allocations.rs` and
//! `tests/allocations.rs` through `#[path]`; each declares `#[global_allocator]` itself.
//! `unsafe` is allowed here: `#![forbid(unsafe_code)]` covers the library crate, not its
//! benches and tests.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// Forwards to [`System`], counting calls on the calling thread.
pub struct Counting;

thread_local! {
    // `const` initialisation without a destructor: reading it never allocates, so it is safe
    // to use from inside the allocator.
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
    static REALLOCS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

fn bump(counter: &'static std::thread::LocalKey<Cell<u64>>, by: u64) {
    // `try_with` fails only while the thread is being torn down; those calls are not measured.
    let _ = counter.try_with(|c| c.set(c.get() + by));
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so `System`'s
// guarantees carry over; the counting touches only const-initialised thread-locals.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        bump(&ALLOCS, 1);
        bump(&BYTES, layout.size() as u64);
        // SAFETY: forwarded unchanged (see the impl's comment).
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        bump(&ALLOCS, 1);
        bump(&BYTES, layout.size() as u64);
        // SAFETY: forwarded unchanged (see the impl's comment).
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged (see the impl's comment).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        bump(&REALLOCS, 1);
        bump(&BYTES, new_size.saturating_sub(layout.size()) as u64);
        // SAFETY: forwarded unchanged (see the impl's comment).
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Allocator calls made while running one closure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// `alloc` and `alloc_zeroed` calls: new blocks.
    pub allocs: u64,
    /// `realloc` calls: a block grown (or shrunk) in place or moved.
    pub reallocs: u64,
    /// Bytes requested by new blocks plus bytes added by growing ones.
    pub bytes: u64,
}

impl Counts {
    /// All allocator calls except frees.
    pub fn calls(&self) -> u64 {
        self.allocs + self.reallocs
    }
}

fn snapshot() -> Counts {
    Counts {
        allocs: ALLOCS.with(Cell::get),
        reallocs: REALLOCS.with(Cell::get),
        bytes: BYTES.with(Cell::get),
    }
}

/// Runs `f` and returns its result with the allocator calls it made on this thread.
///
/// The result is returned, not dropped, so freeing it is not part of the measurement.
pub fn count<T>(f: impl FnOnce() -> T) -> (T, Counts) {
    let before = snapshot();
    let out = std::hint::black_box(f());
    let after = snapshot();
    let counts = Counts {
        allocs: after.allocs - before.allocs,
        reallocs: after.reallocs - before.reallocs,
        bytes: after.bytes - before.bytes,
    };
    (out, counts)
}
