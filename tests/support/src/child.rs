//! Tests that change what is process-wide (a resource limit, the panic hook, stdin) run one of
//! their own test functions in a child process: the test binary again, with that test alone.
//! The child test does its work only when its environment variable is set, and reports back on
//! a line `RESULT <text>` of its stdout.

use std::process::{Command, Output};

/// The running test binary, set to run the test `name` alone (`name --exact --nocapture
/// --test-threads=1`). Add the environment variables the child test looks for (and
/// `--ignored` if it is ignored), then run it.
pub fn test_in_child(name: &str) -> Command {
    let exe = std::env::current_exe().expect("the running test binary");
    let mut cmd = Command::new(exe);
    cmd.args([name, "--exact", "--nocapture", "--test-threads=1"]);
    cmd
}

/// What a child test reported: the text after `RESULT ` on the first line of its stdout that
/// has it. `Err` (its exit status, stdout and stderr, for a message) when it failed or reported
/// nothing.
pub fn child_result(out: &Output) -> Result<String, String> {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let result = stdout
        .lines()
        .find_map(|l| l.split_once("RESULT ").map(|(_, r)| r.to_string()));
    match result {
        Some(r) if out.status.success() => Ok(r),
        _ => Err(format!(
            "child test failed or reported no RESULT ({}):\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )),
    }
}

/// Limit this process's address space (`RLIMIT_AS`, as `ulimit -v`) to `bytes`, soft and hard:
/// only in a child process, it cannot be raised again.
pub fn limit_address_space(bytes: u64) {
    let r = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: a plain system call on a valid struct.
    let rc = unsafe { libc::setrlimit(libc::RLIMIT_AS, &r) };
    assert_eq!(
        rc,
        0,
        "setrlimit(RLIMIT_AS, {bytes}): {}",
        std::io::Error::last_os_error()
    );
}
