//! The short way for a small whole-array save: write a temporary file and
//! give it the target's name with `renameat2(RENAME_NOREPLACE)`, which
//! succeeds only if nothing is at the target. Only when something is there
//! is the target looked at (one `lstat`): a regular file is replaced as
//! [`super::AtomicFile`] replaces it (its permissions kept, the names
//! exchanged); anything else (a symlink, a FIFO, a device, a directory)
//! sends the save back to [`super::AtomicFile`], which decides before
//! writing. A save to a new path thus makes four system calls (open,
//! writev, renameat2, close), the floor for an atomic save; the long way
//! makes six.
//!
//! Nothing here reports an error: any failure removes the temporary file
//! and leaves the target as it was, and the caller takes the long way,
//! which makes the same attempt and reports what fails in its own words.

use super::atomic::renameat2;
use std::ffi::{CStr, CString, OsStr};
use std::fs::File;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::io::{AsRawFd, FromRawFd};
use std::path::Path;

/// The temporary file's name: `.NAME` + this, in the target's directory.
/// One fixed name per target (no process id, counter or time in it): the
/// kernel then finds the name's directory entry cached from the previous
/// save, and a process killed mid-save leaves at most one such file per
/// target. Two saves to one target at once: the second finds the name
/// taken (`O_EXCL`) and takes the long way, with a unique name.
const SUFFIX: &[u8] = b".npyio-tmp";

/// A small save under way: its temporary file, created with `O_EXCL`.
#[derive(Debug)]
pub struct QuickSave {
    file: File,
    temp: CString,
    target: CString,
    /// The temporary file has been renamed (nothing to remove).
    done: bool,
}

/// Whether an error from `renameat2` says the call or its flag is not
/// supported here (an old kernel, a file system without it).
fn unsupported(e: &std::io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
    )
}

fn as_path(c: &CStr) -> &Path {
    Path::new(OsStr::from_bytes(c.to_bytes()))
}

impl QuickSave {
    /// Create `.NAME.npyio-tmp` next to `target` (mode 0666 less the
    /// umask, as any new file). `None` when the short way does not apply:
    /// a path that ends in `/`, `.` or `..`, one under `/dev/` or `/proc/`
    /// (devices and this process's descriptors are written in place), or
    /// a temporary file that cannot be created (its name taken, a
    /// directory that does not exist or cannot be written).
    pub fn create(target: &Path) -> Option<QuickSave> {
        let t = target.as_os_str().as_bytes();
        let start = t.iter().rposition(|&b| b == b'/').map_or(0, |i| i + 1);
        let name = &t[start..];
        if name.is_empty()
            || name == b"."
            || name == b".."
            || t.starts_with(b"/dev/")
            || t.starts_with(b"/proc/")
        {
            return None;
        }
        let mut temp = Vec::with_capacity(t.len() + 1 + SUFFIX.len() + 1);
        temp.extend_from_slice(&t[..start]);
        temp.push(b'.');
        temp.extend_from_slice(name);
        temp.extend_from_slice(SUFFIX);
        let temp = CString::new(temp).ok()?;
        let target = CString::new(t).ok()?;
        // SAFETY: a NUL-terminated path; the descriptor is owned below.
        let fd = unsafe {
            libc::open(
                temp.as_ptr(),
                libc::O_RDWR | libc::O_CREAT | libc::O_EXCL | libc::O_CLOEXEC,
                0o666 as libc::c_uint,
            )
        };
        if fd < 0 {
            return None;
        }
        Some(QuickSave {
            // SAFETY: fd is a fresh descriptor nothing else owns.
            file: unsafe { File::from_raw_fd(fd) },
            temp,
            target,
            done: false,
        })
    }

    /// Write all of `a` then all of `b` (one `writev` unless it writes
    /// short). False on any error.
    pub fn write2(&mut self, a: &[u8], b: &[u8]) -> bool {
        super::atomic::write_two(&mut self.file, a, b).is_ok()
    }

    /// Give the temporary file the target's name: true when done. False
    /// when the target is not a regular file or absent (then nothing was
    /// changed and the temporary file is removed: the caller takes the long
    /// way) or when renaming failed.
    pub fn commit(mut self) -> bool {
        match renameat2(&self.temp, &self.target, libc::RENAME_NOREPLACE) {
            Ok(()) => {
                self.done = true;
                return true;
            }
            Err(e) if e.raw_os_error() == Some(libc::EEXIST) || unsupported(&e) => {}
            Err(_) => return false,
        }
        // Something is at the target (or the kernel cannot tell us without
        // replacing it): look at it, without following a symlink.
        let (temp, target) = (as_path(&self.temp), as_path(&self.target));
        match std::fs::symlink_metadata(target) {
            Ok(m) if m.file_type().is_file() => {
                // A regular file: keep its permissions, as the long way does.
                use std::os::unix::fs::MetadataExt;
                let mode = (m.mode() & 0o7777) as libc::mode_t;
                // SAFETY: fchmod on a descriptor self owns.
                unsafe { libc::fchmod(self.file.as_raw_fd(), mode) };
                if super::atomic::exchange(temp, target, false) {
                    self.done = true;
                    return true;
                }
            }
            // Gone meanwhile (or not supported): as the long way, rename.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            // A symlink, a directory, a FIFO, a device, a socket: the long
            // way decides what a save to it does.
            _ => return false,
        }
        self.done = std::fs::rename(temp, target).is_ok();
        self.done
    }
}

impl Drop for QuickSave {
    fn drop(&mut self) {
        if !self.done {
            // SAFETY: a NUL-terminated path we created.
            unsafe { libc::unlink(self.temp.as_ptr()) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::QuickSave;
    use std::os::unix::fs::PermissionsExt;

    fn quick(target: &std::path::Path, data: &[u8]) -> bool {
        let mut q = QuickSave::create(target).expect("temporary file");
        assert!(q.write2(&data[..2], &data[2..]));
        q.commit()
    }

    fn temps(dir: &std::path::Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".npyio-tmp"))
            .collect()
    }

    /// What is at the target when the temporary file is renamed decides:
    /// nothing or a regular file (one that appeared meanwhile too) is
    /// replaced; anything else is left as it was for the long way.
    #[test]
    fn what_is_at_the_target_when_committing() {
        let dir = std::env::temp_dir().join(format!("npyio-quick-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("a.npy");
        // A new path.
        assert!(quick(&target, b"first"));
        assert_eq!(std::fs::read(&target).unwrap(), b"first");
        // A regular file appears after the temporary file was made: it is
        // replaced, its permissions kept; another hard link keeps its data.
        let mut q = QuickSave::create(&target).unwrap();
        assert!(q.write2(b"se", b"cond"));
        std::fs::remove_file(&target).unwrap();
        std::fs::write(&target, b"appeared").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::hard_link(&target, dir.join("link")).unwrap();
        assert!(q.commit());
        assert_eq!(std::fs::read(&target).unwrap(), b"second");
        let mode = std::fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(std::fs::read(dir.join("link")).unwrap(), b"appeared");
        assert!(temps(&dir).is_empty(), "{:?}", temps(&dir));
        // A symlink, a directory, a FIFO: not replaced, not followed, the
        // temporary file removed.
        let link = dir.join("link.npy");
        std::os::unix::fs::symlink("a.npy", &link).unwrap();
        assert!(!quick(&link, b"third"));
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&target).unwrap(), b"second");
        let sub = dir.join("sub.npy");
        std::fs::create_dir(&sub).unwrap();
        assert!(!quick(&sub, b"third"));
        assert!(sub.is_dir());
        let fifo = dir.join("fifo.npy");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(!quick(&fifo, b"third"));
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo());
        assert!(temps(&dir).is_empty(), "{:?}", temps(&dir));
        // The temporary name taken (a save under way, or left by a killed
        // process): not touched, no short way.
        std::fs::write(dir.join(".a.npy.npyio-tmp"), b"busy").unwrap();
        assert!(QuickSave::create(&target).is_none());
        assert_eq!(
            std::fs::read(dir.join(".a.npy.npyio-tmp")).unwrap(),
            b"busy"
        );
        // Paths the short way leaves alone.
        for p in ["/dev/null", "/proc/self/fd/1", "x/", "x/.", "..", ""] {
            assert!(QuickSave::create(std::path::Path::new(p)).is_none(), "{p}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
