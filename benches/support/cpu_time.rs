//! A criterion measurement of the benchmark thread's CPU time instead of wall-clock time.
//!
//! The benchmark machine has two cores shared with other work. Wall-clock time counts the
//! periods when the thread is preempted, and those land on whichever benchmark happens to be
//! running: three consecutive wall-clock runs of the same code gave 1.06x, 1.29x and 1.98x for
//! the same ratio at load average 4-5. CPU time leaves out preemption, so ratios from one run
//! compare the code, not the neighbours. Cache and memory-bandwidth contention still show.

use criterion::measurement::{Measurement, ValueFormatter, WallTime};

/// CPU time consumed by the calling thread, in nanoseconds.
pub struct CpuTime;

pub fn thread_cpu_ns() -> u64 {
    // `cpu-time` reads CLOCK_THREAD_CPUTIME_ID on Linux.
    cpu_time::ThreadTime::now().as_duration().as_nanos() as u64
}

/// Criterion prints nanosecond values the way it prints wall-clock durations.
static NANOSECONDS: WallTime = WallTime;

impl Measurement for CpuTime {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        thread_cpu_ns()
    }

    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns() - start
    }

    fn add(&self, v1: &u64, v2: &u64) -> u64 {
        v1 + v2
    }

    fn zero(&self) -> u64 {
        0
    }

    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        NANOSECONDS.formatter()
    }
}
