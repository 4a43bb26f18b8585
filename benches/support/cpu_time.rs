//! The calling thread's CPU time: what the paired ratios of `benches/dsl.rs` compare.
//!
//! The benchmark machine's cores are shared with other work. Wall-clock time counts the periods
//! when the thread is preempted, and those land on whichever side of a ratio happens to run;
//! CPU time leaves preemption out (cache and memory-bandwidth contention still show).

/// CPU time consumed by the calling thread, in nanoseconds.
pub fn thread_cpu_ns() -> u64 {
    // `cpu-time` reads CLOCK_THREAD_CPUTIME_ID on Linux.
    cpu_time::ThreadTime::now().as_duration().as_nanos() as u64
}
