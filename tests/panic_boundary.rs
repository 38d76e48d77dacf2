//! No panic message is ever printed by the library: a panic inside its C
//! boundary (none is known; a hidden hook makes one) comes back as
//! `NPYIO_ERR_PANIC` with its message in `npyio_last_error`, and the panic
//! hook stays silent about it, while panics elsewhere in the program still
//! reach the hook installed before. Runs in a child process, whose stderr
//! is the evidence.

use npyio_test_support as common;

/// A panic inside the library's boundary comes back as NPYIO_ERR_PANIC and
/// prints nothing; a panic elsewhere in the program still reaches the hook
/// that was there before.
#[test]
fn boundary_panics_are_silent() {
    if std::env::var_os("NPYIO_PANIC_CHILD").is_some() {
        let s = npyio::ffi::__boundary_panic_for_tests(false);
        let g = npyio::ffi::__boundary_panic_for_tests(true);
        let mut buf = [0u8; 256];
        // SAFETY: buf holds 256 writable bytes.
        let n = unsafe { npyio::ffi::npyio_last_error(buf.as_mut_ptr().cast(), buf.len()) };
        let msg = String::from_utf8_lossy(&buf[..n]).into_owned();
        println!("RESULT status={s} getter={g} message={msg}");
        let _ = std::panic::catch_unwind(|| panic!("a panic outside the library"));
        return;
    }
    let out = common::test_in_child("boundary_panics_are_silent")
        .env("NPYIO_PANIC_CHILD", "1")
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    let line = common::child_result(&out).unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        line.contains(&format!("status={} ", npyio::ffi::NPYIO_ERR_PANIC)),
        "{line}"
    );
    assert!(line.contains("getter=-1 "), "{line}");
    assert!(
        line.contains("internal error (panic): deliberate panic inside the library"),
        "{line}"
    );
    assert!(
        !stderr.contains("deliberate panic"),
        "the library printed a panic message:\n{stderr}"
    );
    assert!(
        stderr.contains("a panic outside the library"),
        "the previous hook was not called for a panic outside the library:\n{stderr}"
    );
}
