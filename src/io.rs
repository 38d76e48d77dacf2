//! Positional reads and atomic file replacement.

use crate::err;
use crate::error::{Error, Result};
use std::fs::File;
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Read exactly `buf.len()` bytes at `offset` (pread; no shared cursor).
pub fn pread_exact(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    // Linux caps one read at 0x7ffff000 bytes; loop for larger buffers and short reads.
    const MAX_CHUNK: usize = 1 << 30;
    while !buf.is_empty() {
        let n = buf.len().min(MAX_CHUNK);
        match file.read_at(&mut buf[..n], offset) {
            Ok(0) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "file ended early",
                ))
            }
            Ok(k) => {
                buf = &mut buf[k..];
                offset += k as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Allocate a zeroed byte vector, reporting failure instead of aborting.
pub fn try_alloc(len: usize) -> Result<Vec<u8>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len)
        .map_err(|_| err!(Alloc, "cannot allocate {len} bytes"))?;
    v.resize(len, 0);
    Ok(v)
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A file being written next to its target, renamed over the target on
/// [`AtomicFile::commit`], and removed if dropped uncommitted.
#[derive(Debug)]
pub struct AtomicFile {
    file: Option<File>,
    temp: PathBuf,
    target: PathBuf,
    fsync: bool,
}

impl AtomicFile {
    /// Create a temporary file in the target's directory. With `fsync`,
    /// commit flushes the file and its directory to stable storage.
    pub fn create(target: &Path, fsync: bool) -> Result<AtomicFile> {
        // Write through a symlink to where it points, as open() would.
        // One lstat answers both questions for the common case (no symlink):
        // where to write, and which permissions an existing file has.
        let (target, existing_mode) = match std::fs::symlink_metadata(target) {
            Ok(m) if m.file_type().is_symlink() => {
                let t = std::fs::canonicalize(target).map_err(|e| {
                    Error::io(format!("{}: resolving symlink", target.display()), e)
                })?;
                let mode = std::fs::metadata(&t).ok().map(|m| m.permissions());
                (t, mode)
            }
            Ok(m) => (target.to_path_buf(), Some(m.permissions())),
            Err(_) => (target.to_path_buf(), None),
        };
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
            crate::dtype::push_u64(&mut suffix, pid as u64);
            suffix.push('-');
            crate::dtype::push_u64(&mut suffix, n);
            suffix.push('-');
            for shift in (0..8).rev() {
                let d = (nanos >> (shift * 4)) & 0xf;
                suffix.push(char::from_digit(d, 16).unwrap_or('0'));
            }
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
                    if let Some(p) = existing_mode {
                        let _ = file.set_permissions(p);
                    }
                    return Ok(AtomicFile {
                        file: Some(file),
                        temp,
                        target,
                        fsync,
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

    /// The open temporary file.
    pub fn file(&mut self) -> &mut File {
        self.file.as_mut().expect("AtomicFile used after commit")
    }

    /// The target path.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Write all of `data`, naming the target in an error.
    pub fn write_all(&mut self, data: &[u8]) -> Result<()> {
        let target = &self.target;
        let file = self.file.as_mut().expect("AtomicFile used after commit");
        file.write_all(data)
            .map_err(|e| Error::io(format!("{}: write", target.display()), e))
    }

    /// Write all of `a` then all of `b` with as few system calls as the
    /// kernel allows (one `writev` unless it writes short).
    pub fn write_all2(&mut self, mut a: &[u8], mut b: &[u8]) -> Result<()> {
        use std::io::IoSlice;
        let target = self.target.display();
        let file = self.file.as_mut().expect("AtomicFile used after commit");
        while !a.is_empty() {
            match file.write_vectored(&[IoSlice::new(a), IoSlice::new(b)]) {
                Ok(0) => {
                    return Err(Error::io(
                        format!("{target}: write"),
                        std::io::ErrorKind::WriteZero.into(),
                    ))
                }
                Ok(n) if n < a.len() => a = &a[n..],
                Ok(n) => {
                    b = &b[n - a.len()..];
                    a = &[];
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Error::io(format!("{target}: write"), e)),
            }
        }
        file.write_all(b)
            .map_err(|e| Error::io(format!("{target}: write"), e))
    }

    /// Commit (as [`AtomicFile::commit`]) and keep the file open: for maps
    /// created in place of the target.
    pub fn commit_keep(mut self) -> Result<File> {
        let file = self
            .file
            .as_ref()
            .expect("AtomicFile committed twice")
            .try_clone()
            .map_err(|e| Error::io(format!("{}: dup", self.target.display()), e))?;
        let temp = std::mem::take(&mut self.temp);
        let rest = AtomicFile {
            file: self.file.take(),
            temp,
            target: std::mem::take(&mut self.target),
            fsync: self.fsync,
        };
        rest.commit()?;
        Ok(file)
    }

    /// Reserve `len` bytes of disk for the file now (posix_fallocate), so a
    /// full disk is an error here rather than a SIGBUS when a map is written.
    pub fn reserve(&mut self, len: u64) -> Result<()> {
        use std::os::unix::io::AsRawFd;
        let target = self.target.display().to_string();
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
    pub fn preallocate_hint(&mut self, len: u64) {
        use std::os::unix::io::AsRawFd;
        let fd = self.file().as_raw_fd();
        if let Ok(len) = libc::off_t::try_from(len) {
            // SAFETY: fd is an open, writable descriptor owned by self.
            unsafe {
                libc::fallocate(fd, libc::FALLOC_FL_KEEP_SIZE, 0, len);
            }
        }
    }

    /// Flush, optionally fsync, and rename over the target.
    pub fn commit(mut self) -> Result<()> {
        let file = self.file.take().expect("AtomicFile committed twice");
        let target = self.target.display();
        if self.fsync {
            file.sync_all()
                .map_err(|e| Error::io(format!("{target}: fsync"), e))?;
        }
        drop(file);
        std::fs::rename(&self.temp, &self.target)
            .map_err(|e| Error::io(format!("{target}: renaming the temporary file over it"), e))?;
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

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.temp.as_os_str().is_empty() {
            self.file.take();
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}
