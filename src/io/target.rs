//! What a path names when a save or a map reaches it: nothing or a regular
//! file (replaced through a temporary file), one of this process's own
//! descriptors (`/dev/stdout`), or a FIFO, a device or a socket.

use crate::bail;
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// What a save's target path names, after following symlinks.
pub(super) enum Target {
    /// Nothing yet, or a regular file: a temporary file renamed over it.
    Replace {
        path: PathBuf,
        mode: Option<std::fs::Permissions>,
    },
    /// One of this process's own descriptors (`/dev/stdout`, `/dev/fd/N`,
    /// `/proc/self/fd/N`): written through a duplicate of it.
    Descriptor(i32),
    /// A FIFO or a device: opened and written in place.
    Special(&'static str),
}

/// The kind of a file that is neither a regular file nor a directory.
pub(super) fn special_kind(ft: &std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        Some("FIFO")
    } else if ft.is_char_device() {
        Some("character device")
    } else if ft.is_block_device() {
        Some("block device")
    } else if ft.is_socket() {
        Some("socket")
    } else {
        None
    }
}

/// If `path` is a descriptor link of this process (`/proc/<our pid>/fd/N`,
/// also reached as `/proc/self/fd/N`, `/proc/thread-self/fd/N` or
/// `/dev/fd/N`), its number.
fn descriptor_link(path: &Path) -> Option<i32> {
    let name = path.file_name()?.to_str()?;
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i32 = name.parse().ok()?;
    let dir = std::fs::canonicalize(path.parent()?).ok()?;
    let rest = dir.to_str()?.strip_prefix("/proc/")?.strip_suffix("/fd")?;
    let pid: u32 = rest.split('/').next()?.parse().ok()?;
    (pid == std::process::id()).then_some(n)
}

/// Follow the symlinks of `path` (the last component's chain) looking for
/// one of this process's descriptor links: `/dev/stdout` is a symlink to
/// `/proc/self/fd/1`.
fn own_descriptor(path: &Path) -> Option<i32> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        if !std::fs::symlink_metadata(&p).ok()?.file_type().is_symlink() {
            return None;
        }
        if let Some(n) = descriptor_link(&p) {
            return Some(n);
        }
        let t = std::fs::read_link(&p).ok()?;
        p = match p.parent() {
            Some(d) if t.is_relative() => d.join(t),
            _ => t,
        };
    }
    None
}

/// Decide how a save reaches `target`.
pub(super) fn classify(target: &Path) -> Result<Target> {
    // One lstat answers everything for the common case (no symlink): what
    // the target is, and which permissions an existing file has.
    let (followed, path) = match std::fs::symlink_metadata(target) {
        Err(_) => {
            return Ok(Target::Replace {
                path: target.to_path_buf(),
                mode: None,
            })
        }
        Ok(m) if !m.file_type().is_symlink() => (m, target.to_path_buf()),
        Ok(_) => {
            if let Some(n) = own_descriptor(target) {
                return Ok(Target::Descriptor(n));
            }
            // Write through a symlink to where it points, as open() would.
            let t = std::fs::canonicalize(target)
                .map_err(|e| Error::io(format!("{}: resolving symlink", target.display()), e))?;
            match std::fs::metadata(&t) {
                Ok(m) => (m, t),
                Err(_) => {
                    return Ok(Target::Replace {
                        path: t,
                        mode: None,
                    })
                }
            }
        }
    };
    if followed.is_file() {
        return Ok(Target::Replace {
            path,
            mode: Some(followed.permissions()),
        });
    }
    if followed.is_dir() {
        bail!(InvalidArg, "{}: is a directory", target.display());
    }
    let kind = special_kind(&followed.file_type()).unwrap_or("special file");
    if kind == "socket" {
        bail!(
            InvalidArg,
            "{}: is a socket; a save writes a regular file, a FIFO or a device",
            target.display()
        );
    }
    Ok(Target::Special(kind))
}

/// If `path` names something other than a regular file or nothing (a FIFO,
/// a device, a socket, a directory, or one of this process's descriptors
/// such as `/dev/stdout`), what it is: for writers that need a regular
/// file (maps, files whose header is rewritten at the end).
pub fn special_target(path: &Path) -> Option<String> {
    if let Some(n) = own_descriptor(path) {
        return Some(format!("descriptor {n} of this process"));
    }
    let m = std::fs::metadata(path).ok()?;
    if m.is_dir() {
        return Some("directory".into());
    }
    if m.is_file() {
        return None;
    }
    Some(
        special_kind(&m.file_type())
            .unwrap_or("special file")
            .into(),
    )
}
