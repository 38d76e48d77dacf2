//! Atomic file replacement: a save writes a temporary file next to its
//! target and renames it over the target when complete.

use super::target::{classify, Target};
use crate::error::{Error, Result};
use crate::{bail, err};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Append `v` in base `radix` (2 to 16), with at least `width` digits
/// (zeros in front).
fn push_digits(s: &mut String, mut v: u64, radix: u32, width: usize) {
    let mut digits = [b'0'; 64];
    let mut used = 0;
    while (v > 0 || used < width.max(1)) && used < digits.len() {
        let d = (v % radix as u64) as u32;
        digits[used] = char::from_digit(d, radix).map_or(b'0', |c| c as u8);
        v /= radix as u64;
        used += 1;
    }
    s.extend(digits[..used].iter().rev().map(|&b| b as char));
}

/// A writer the caller supplies, as a save's target (a stream).
struct Sink(Box<dyn Write + Send>);

impl std::fmt::Debug for Sink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sink")
    }
}

/// Where a save writes: a temporary file next to a regular target, renamed
/// over it on [`AtomicFile::commit`] and removed if dropped uncommitted; or,
/// for a FIFO, a device or one of this process's descriptors
/// (`/dev/stdout`), the target itself, written in place and in order
/// (atomicity cannot apply: bytes written are gone to the reader); or a
/// writer the caller supplies ([`AtomicFile::to_sink`]), written in order.
#[derive(Debug)]
pub struct AtomicFile {
    file: Option<File>,
    /// The caller's writer, for a save to a sink (then `file` is `None`).
    sink: Option<Sink>,
    /// The temporary file; empty when writing in place.
    temp: PathBuf,
    target: PathBuf,
    fsync: bool,
    /// Written in place as a stream: nothing may be rewritten.
    stream: bool,
    /// The target was a regular file when the save began: the temporary
    /// file is swapped in with it (see [`AtomicFile::commit`]).
    replaces: bool,
    /// A big file ([`AtomicFile::preallocate_hint`]): the old file it
    /// replaces is freed on another thread.
    big: bool,
}

impl AtomicFile {
    /// Prepare to write `target`. A regular file (or a new one) is written
    /// as a temporary file in the target's directory; with `fsync`, commit
    /// flushes the file and its directory to stable storage. A FIFO or a
    /// character or block device is opened for writing (a FIFO waits for a
    /// reader, as open(2) does) and written in place; one of this process's
    /// descriptors (`/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`) is
    /// written through a duplicate, from its current position. A socket or
    /// a directory is refused with `InvalidArg`.
    pub fn create(target: &Path, fsync: bool) -> Result<AtomicFile> {
        match classify(target)? {
            Target::Replace { path, mode } => Self::create_temp(path, mode, fsync),
            Target::Descriptor(n) => {
                use std::os::unix::io::FromRawFd;
                // SAFETY: fcntl on a descriptor number; no memory involved.
                let fl = unsafe { libc::fcntl(n, libc::F_GETFL) };
                if fl < 0 {
                    return Err(Error::io(
                        format!("{}: descriptor {n}", target.display()),
                        std::io::Error::last_os_error(),
                    ));
                }
                if fl & libc::O_ACCMODE == libc::O_RDONLY {
                    bail!(
                        InvalidArg,
                        "{}: descriptor {n} is not open for writing",
                        target.display()
                    );
                }
                // SAFETY: as above; the duplicate is owned by the File below.
                let fd = unsafe { libc::fcntl(n, libc::F_DUPFD_CLOEXEC, 0) };
                if fd < 0 {
                    return Err(Error::io(
                        format!("{}: duplicating descriptor {n}", target.display()),
                        std::io::Error::last_os_error(),
                    ));
                }
                Ok(AtomicFile {
                    // SAFETY: fd is a fresh descriptor nothing else owns.
                    file: Some(unsafe { File::from_raw_fd(fd) }),
                    sink: None,
                    temp: PathBuf::new(),
                    target: target.to_path_buf(),
                    fsync,
                    stream: true,
                    replaces: false,
                    big: false,
                })
            }
            Target::Special(kind) => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(target)
                    .map_err(|e| Error::io(format!("{}: open ({kind})", target.display()), e))?;
                // The path may have been replaced between the look and the
                // open: writing a regular file in place would leave its old
                // tail behind.
                let m = file
                    .metadata()
                    .map_err(|e| Error::io(format!("{}: stat", target.display()), e))?;
                if m.is_file() {
                    bail!(
                        Io,
                        "{}: was a {kind} and became a regular file while it was opened",
                        target.display()
                    );
                }
                Ok(AtomicFile {
                    file: Some(file),
                    sink: None,
                    temp: PathBuf::new(),
                    target: target.to_path_buf(),
                    fsync,
                    stream: true,
                    replaces: false,
                    big: false,
                })
            }
        }
    }

    /// Write to `sink`, a writer the caller supplies, in order, as to a
    /// stream: nothing is rewritten, commit flushes it, and a failed or
    /// discarded save leaves what was written. `name` names it in messages.
    pub fn to_sink(sink: Box<dyn Write + Send>, name: &str) -> AtomicFile {
        AtomicFile {
            file: None,
            sink: Some(Sink(sink)),
            temp: PathBuf::new(),
            target: PathBuf::from(name),
            fsync: false,
            stream: true,
            replaces: false,
            big: false,
        }
    }

    fn create_temp(
        target: PathBuf,
        existing_mode: Option<std::fs::Permissions>,
        fsync: bool,
    ) -> Result<AtomicFile> {
        let name = target
            .file_name()
            .ok_or_else(|| err!(InvalidArg, "{}: not a file path", target.display()))?;
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let pid = std::process::id();
        for _ in 0..100 {
            let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0);
            // ".NAME.<pid>-<n>-<nanos, 8 hex digits>.npyio-tmp", built
            // without the formatting machinery (this runs on every save).
            let mut suffix = String::with_capacity(48);
            suffix.push('.');
            push_digits(&mut suffix, pid as u64, 10, 1);
            suffix.push('-');
            push_digits(&mut suffix, n, 10, 1);
            suffix.push('-');
            push_digits(&mut suffix, nanos as u64, 16, 8);
            suffix.push_str(".npyio-tmp");
            let mut tname = std::ffi::OsString::with_capacity(name.len() + 1 + suffix.len());
            tname.push(".");
            tname.push(name);
            tname.push(&suffix);
            let temp = dir.join(tname);
            match std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&temp)
            {
                Ok(file) => {
                    let replaces = existing_mode.is_some();
                    if let Some(p) = existing_mode {
                        let _ = file.set_permissions(p);
                    }
                    return Ok(AtomicFile {
                        file: Some(file),
                        sink: None,
                        temp,
                        target,
                        fsync,
                        stream: false,
                        replaces,
                        big: false,
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(Error::io(
                        format!(
                            "{}: creating temporary file in {}",
                            target.display(),
                            dir.display()
                        ),
                        e,
                    ))
                }
            }
        }
        Err(err!(
            Io,
            "{}: could not create a unique temporary file",
            target.display()
        ))
    }

    /// The open file: the temporary file, or the target itself when it is
    /// written in place. Writes through [`std::io::Write`] on the
    /// `AtomicFile` itself are preferred: they turn a vanished reader into
    /// an `EPIPE` error instead of a SIGPIPE.
    pub fn file(&mut self) -> &mut File {
        self.file.as_mut().expect("AtomicFile used after commit")
    }

    /// The target path.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// True when the target is written in place as a stream (a FIFO, a
    /// device, a descriptor): bytes already written cannot be rewritten,
    /// and a failed or discarded save leaves what was written.
    pub fn is_stream(&self) -> bool {
        self.stream
    }

    /// Write all of `data`, naming the target in an error.
    pub fn write_all(&mut self, data: &[u8]) -> Result<()> {
        if let Some(Sink(w)) = &mut self.sink {
            return w
                .write_all(data)
                .map_err(|e| Error::io(format!("{}: write", self.target.display()), e));
        }
        let target = &self.target;
        let stream = self.stream;
        let file = self.file.as_mut().expect("AtomicFile used after commit");
        without_sigpipe(stream, || file.write_all(data))
            .map_err(|e| Error::io(format!("{}: write", target.display()), e))
    }

    /// Write all of `a` then all of `b` with as few system calls as the
    /// kernel allows (one `writev` unless it writes short).
    pub fn write_all2(&mut self, a: &[u8], b: &[u8]) -> Result<()> {
        if self.sink.is_some() {
            self.write_all(a)?;
            return self.write_all(b);
        }
        let target = self.target.display();
        let stream = self.stream;
        let file = self.file.as_mut().expect("AtomicFile used after commit");
        without_sigpipe(stream, || write_two(file, a, b))
            .map_err(|e| Error::io(format!("{target}: write"), e))
    }

    /// Commit (as [`AtomicFile::commit`]) and keep the file open: for maps
    /// created in place of the target.
    pub fn commit_keep(mut self) -> Result<File> {
        if self.stream {
            bail!(
                NotMappable,
                "{}: is not a regular file; only a regular file can be memory-mapped",
                self.target.display()
            );
        }
        let file = self
            .file
            .as_ref()
            .expect("AtomicFile committed twice")
            .try_clone()
            .map_err(|e| Error::io(format!("{}: dup", self.target.display()), e))?;
        let temp = std::mem::take(&mut self.temp);
        let rest = AtomicFile {
            file: self.file.take(),
            sink: None,
            temp,
            target: std::mem::take(&mut self.target),
            fsync: self.fsync,
            stream: false,
            replaces: self.replaces,
            big: self.big,
        };
        rest.commit()?;
        Ok(file)
    }

    /// Reserve `len` bytes of disk for the file now (posix_fallocate), so a
    /// full disk is an error here rather than a SIGBUS when a map is written.
    pub fn reserve(&mut self, len: u64) -> Result<()> {
        use std::os::unix::io::AsRawFd;
        let target = self.target.display().to_string();
        if self.stream {
            bail!(
                NotMappable,
                "{target}: is not a regular file; only a regular file can be memory-mapped"
            );
        }
        let fd = self.file().as_raw_fd();
        let len = libc::off_t::try_from(len)
            .map_err(|_| err!(Overflow, "{target}: {len} bytes exceed the file size limit"))?;
        // SAFETY: fd is an open, writable descriptor owned by self.
        let rc = unsafe { libc::posix_fallocate(fd, 0, len) };
        if rc != 0 {
            return Err(Error::io(
                format!("{target}: reserving {len} bytes"),
                std::io::Error::from_raw_os_error(rc),
            ));
        }
        Ok(())
    }

    /// Hint the file system that `len` bytes are coming (fallocate with
    /// `FALLOC_FL_KEEP_SIZE`, as NumPy's `tofile` does): large writes then
    /// find their blocks reserved. Failure (e.g. a file system without
    /// fallocate) is ignored: it is only a hint.
    ///
    /// Over an existing regular file, the old file's cached pages are
    /// dropped first (`posix_fadvise(POSIX_FADV_DONTNEED)`; only clean
    /// pages go, the file's data stays on disk and readers still see it).
    /// The new file's pages then come from memory just freed, as
    /// `np.save`'s do after its `open(O_TRUNC)`: on a virtual machine that
    /// hands free memory back to its host (free page reporting), memory
    /// free for a while faults in from the host on first touch, which
    /// made a 1 GiB save over a cached file take several times
    /// `np.save`'s time.
    pub fn preallocate_hint(&mut self, len: u64) {
        use std::os::unix::io::AsRawFd;
        if self.stream {
            return;
        }
        self.big = true;
        if self.replaces {
            drop_cached_pages(&self.target);
        }
        let fd = self.file().as_raw_fd();
        if let Ok(len) = libc::off_t::try_from(len) {
            // SAFETY: fd is an open, writable descriptor owned by self.
            unsafe {
                libc::fallocate(fd, libc::FALLOC_FL_KEEP_SIZE, 0, len);
            }
        }
    }

    /// Flush, optionally fsync, and rename over the target. A target
    /// written in place is only synced (when asked and when it has storage
    /// to sync: a pipe or a terminal has none).
    pub fn commit(mut self) -> Result<()> {
        if let Some(Sink(mut w)) = self.sink.take() {
            return w
                .flush()
                .map_err(|e| Error::io(format!("{}: flush", self.target.display()), e));
        }
        let file = self.file.take().expect("AtomicFile committed twice");
        let target = self.target.display();
        if self.stream {
            if self.fsync {
                if let Err(e) = file.sync_all() {
                    if !matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOTSUP)) {
                        return Err(Error::io(format!("{target}: fsync"), e));
                    }
                }
            }
            return Ok(());
        }
        if self.fsync {
            file.sync_all()
                .map_err(|e| Error::io(format!("{target}: fsync"), e))?;
        }
        drop(file);
        if !(self.replaces && exchange(&self.temp, &self.target, self.big)) {
            std::fs::rename(&self.temp, &self.target).map_err(|e| {
                Error::io(format!("{target}: renaming the temporary file over it"), e)
            })?;
        }
        if self.fsync {
            if let Some(dir) = self.target.parent() {
                let dir = if dir.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    dir
                };
                let d = File::open(dir).map_err(|e| {
                    Error::io(format!("{target}: opening its directory for fsync"), e)
                })?;
                d.sync_all()
                    .map_err(|e| Error::io(format!("{target}: fsync of its directory"), e))?;
            }
        }
        self.temp = PathBuf::new();
        Ok(())
    }
}

/// Drop the clean cached pages of the file at `path` (best effort: a file
/// that cannot be opened for reading, or is not a regular file, is left
/// alone). Opened without blocking, in case a FIFO took its place.
fn drop_cached_pages(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return;
    };
    // SAFETY: a NUL-terminated path; the descriptor is closed below.
    unsafe {
        let fd = libc::open(
            c.as_ptr(),
            libc::O_RDONLY | libc::O_NONBLOCK | libc::O_CLOEXEC | libc::O_NOCTTY,
        );
        if fd >= 0 {
            libc::posix_fadvise(fd, 0, 0, libc::POSIX_FADV_DONTNEED);
            libc::close(fd);
        }
    }
}

/// Put `temp` in the place of `target`, an existing file, by exchanging the
/// two names atomically (`renameat2(RENAME_EXCHANGE)`), then remove the old
/// file, now under the temporary name. Readers see the old file or the new
/// one, never neither, as with `rename`. The reason: over an existing file,
/// ext4 (option `auto_da_alloc`, the default) starts writeback of the new
/// file's data inside `rename` itself, which made an 80-byte save over an
/// existing file several times slower than to a new path; an exchange
/// leaves writeback to the kernel's schedule, as for a new path and as
/// `np.save` over an existing file. Durability is what `fsync` (the save
/// option) is for, either way.
///
/// With `free_later` (a big file), the old file is opened before it is
/// removed and closed on a short-lived thread: the last close frees its page
/// cache and blocks (~0.3 s for 1 GiB here), work `np.save` does inside its
/// `open(O_TRUNC)`, which then overlaps with the caller's next step on
/// another core. The name is gone when the save returns, and a process that
/// exits first has the file freed by the kernel.
///
/// False, with nothing changed, when the exchange is not possible (a file
/// system or kernel without it, the target gone meanwhile): the caller then
/// renames. If what was exchanged turns out to be a directory (the target
/// was replaced by one meanwhile), it is exchanged back and false returned,
/// so that `rename` reports the error.
pub(super) fn exchange(temp: &Path, target: &Path, free_later: bool) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let (Ok(a), Ok(b)) = (
        std::ffi::CString::new(temp.as_os_str().as_bytes()),
        std::ffi::CString::new(target.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    let swap = || renameat2(&a, &b, libc::RENAME_EXCHANGE).is_ok();
    if !swap() {
        return false;
    }
    let held = if free_later {
        File::open(temp).ok()
    } else {
        None
    };
    match std::fs::remove_file(temp) {
        Err(e)
            if e.raw_os_error() == Some(libc::EISDIR)
                || e.kind() == std::io::ErrorKind::IsADirectory =>
        {
            // Undo: the directory goes back where it was.
            swap();
            false
        }
        // Removed, or left behind (the save itself succeeded).
        _ => {
            if let Some(old) = held {
                // A thread that cannot start leaves the close to this one.
                let _ = std::thread::Builder::new()
                    .name("npyio-free".into())
                    .spawn(move || drop(old));
            }
            true
        }
    }
}

/// Write all of `a` then all of `b` to `file` with as few system calls as
/// the kernel allows (one `writev` unless it writes short).
pub(super) fn write_two(file: &mut File, mut a: &[u8], mut b: &[u8]) -> std::io::Result<()> {
    use std::io::{IoSlice, Write};
    while !a.is_empty() {
        match file.write_vectored(&[IoSlice::new(a), IoSlice::new(b)]) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) if n < a.len() => a = &a[n..],
            Ok(n) => {
                b = &b[n - a.len()..];
                a = &[];
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    file.write_all(b)
}

/// `renameat2(2)` of two paths relative to the working directory.
pub(super) fn renameat2(
    from: &std::ffi::CStr,
    to: &std::ffi::CStr,
    flags: libc::c_uint,
) -> std::io::Result<()> {
    // SAFETY: two NUL-terminated paths that live across the call.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            flags,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Run `write` with SIGPIPE blocked in this thread when `stream` (a pipe
/// or socket may be behind the target), so a reader that went away makes
/// the write fail with EPIPE instead of killing the process; the SIGPIPE
/// the write raised is then consumed (a write that the reader left in the
/// middle of raises it too, and returns the bytes it wrote). A SIGPIPE
/// that was already pending before is left alone.
fn without_sigpipe<T>(
    stream: bool,
    write: impl FnOnce() -> std::io::Result<T>,
) -> std::io::Result<T> {
    if !stream {
        return write();
    }
    // SAFETY: signal-set manipulation on local sigset_t values; the mask is
    // restored before returning.
    unsafe {
        let mut pipe: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut pipe);
        libc::sigaddset(&mut pipe, libc::SIGPIPE);
        let mut pending: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut pending);
        libc::sigpending(&mut pending);
        let was_pending = libc::sigismember(&pending, libc::SIGPIPE) == 1;
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::pthread_sigmask(libc::SIG_BLOCK, &pipe, &mut old);
        let r = write();
        libc::sigemptyset(&mut pending);
        libc::sigpending(&mut pending);
        if !was_pending && libc::sigismember(&pending, libc::SIGPIPE) == 1 {
            let zero = libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            while libc::sigtimedwait(&pipe, std::ptr::null_mut(), &zero) < 0
                && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR)
            {}
        }
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
        r
    }
}

/// Writes go to the file (see [`AtomicFile::file`]); on a target written
/// in place, a reader that went away gives `EPIPE`, never a SIGPIPE.
impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some(Sink(w)) = &mut self.sink {
            return w.write(buf);
        }
        let stream = self.stream;
        let file = self.file.as_mut().expect("AtomicFile used after commit");
        without_sigpipe(stream, || file.write(buf))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.temp.as_os_str().is_empty() {
            self.file.take();
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{exchange, push_digits};

    #[test]
    fn exchange_swaps_in_a_file_and_backs_out_of_a_directory() {
        let dir = std::env::temp_dir().join(format!("npyio-exchange-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let (temp, target) = (dir.join(".t.tmp"), dir.join("t.npy"));
        std::fs::write(&target, b"old").unwrap();
        std::fs::write(&temp, b"new").unwrap();
        assert!(exchange(&temp, &target, false));
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert!(!temp.exists(), "the old file is removed");
        // A big file: the old one is closed on another thread, its name gone now.
        std::fs::write(&temp, b"newest").unwrap();
        assert!(exchange(&temp, &target, true));
        assert_eq!(std::fs::read(&target).unwrap(), b"newest");
        assert!(!temp.exists());
        // A target that is gone: no exchange, nothing changed.
        std::fs::write(&temp, b"newer").unwrap();
        let gone = dir.join("gone.npy");
        assert!(!exchange(&temp, &gone, true));
        assert_eq!(std::fs::read(&temp).unwrap(), b"newer");
        // A target replaced by a directory: exchanged back.
        let sub = dir.join("sub");
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(sub.join("inside"), b"x").unwrap();
        assert!(!exchange(&temp, &sub, true));
        assert!(sub.join("inside").exists());
        assert_eq!(std::fs::read(&temp).unwrap(), b"newer");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn temp_name_digits() {
        let mut s = String::new();
        for (v, radix, width) in [
            (0, 10, 1),
            (9, 10, 1),
            (1234567890, 10, 1),
            (u64::MAX, 10, 1),
        ] {
            push_digits(&mut s, v, radix, width);
            s.push(' ');
        }
        push_digits(&mut s, 0xbeef, 16, 8);
        s.push(' ');
        push_digits(&mut s, 0xdeadbeef, 16, 8);
        assert_eq!(s, "0 9 1234567890 18446744073709551615 0000beef deadbeef");
    }
}
