//! CPU-time clocks shared by the benches.

/// CPU time in ns of `clock` (`CLOCK_THREAD_CPUTIME_ID`: the calling
/// thread; `CLOCK_PROCESS_CPUTIME_ID`: all threads of the process).
pub fn cpu_ns(clock: libc::clockid_t) -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    unsafe { libc::clock_gettime(clock, &mut t) };
    t.tv_sec as f64 * 1e9 + t.tv_nsec as f64
}
