//! Allocator calls made by the current thread, counted by `densa-alloc`'s global allocator.
//!
//! Counting per thread keeps the numbers exact when the test harness or another test allocates
//! on a different thread at the same time. Used by `tests/allocations.rs` through `#[path]`,
//! which declares `#[global_allocator]` itself:
//! `static GLOBAL: Counting = Counting::system();`.

/// The counting global allocator (a wrapper around the system allocator).
pub type Counting = densa_alloc::CountingAllocator;

/// Allocator calls made while running one closure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// `alloc` and `alloc_zeroed` calls: new blocks.
    pub allocs: u64,
    /// `realloc` calls: a block grown (or shrunk) in place or moved.
    pub reallocs: u64,
    /// Bytes requested by new blocks and by the new sizes of reallocated ones.
    pub bytes: u64,
}

impl Counts {
    /// All allocator calls except frees.
    pub fn calls(&self) -> u64 {
        self.allocs + self.reallocs
    }
}

/// Runs `f` and returns its result with the allocator calls it made on this thread.
///
/// The result is returned, not dropped, so freeing it is not part of the measurement.
pub fn count<T>(f: impl FnOnce() -> T) -> (T, Counts) {
    assert!(
        densa_alloc::is_active(),
        "declare `#[global_allocator] static GLOBAL: Counting = Counting::system();`"
    );
    let (out, stats) = densa_alloc::measure(|| std::hint::black_box(f()));
    let counts = Counts {
        allocs: stats.allocs,
        reallocs: stats.reallocs,
        bytes: stats.bytes_allocated,
    };
    (out, counts)
}
