//! `npyio pack` and `npyio unpack`, and the streaming copies `convert`
//! shares with them.

use crate::common::*;
use npyio::npz::{Compression, NpzFile, NpzWriter, NpzWriterOptions};
use npyio::{NpyFile, NpyWriter, SaveOptions};
use std::path::{Component, Path, PathBuf};

/// Append `f` to an archive being written as member `key`, streamed.
pub fn add_member(
    w: &mut NpzWriter,
    key: &str,
    f: &NpyFile,
    path: Option<&Path>,
    compression: Compression,
    progress: &mut Progress,
) -> CliResult {
    let h = f.header();
    w.begin(key, &h.dtype, &h.shape, h.fortran_order, compression)?;
    stream_data(f, path, progress, &mut |b| {
        w.write(b).map_err(CliError::from)
    })?;
    w.end()?;
    Ok(())
}

/// Write `f` as a .npy file at `out`, streamed (byte-identical to
/// `np.save` of the same array).
pub fn write_npy(
    f: &NpyFile,
    path: Option<&Path>,
    out: &Path,
    progress: &mut Progress,
) -> CliResult {
    let h = f.header();
    let mut w = NpyWriter::create(
        out,
        &h.dtype,
        &h.shape,
        h.fortran_order,
        SaveOptions::default(),
    )?;
    stream_data(f, path, progress, &mut |b| {
        w.write(b).map_err(CliError::from)
    })?;
    w.finish()?;
    Ok(())
}

/// The options of an archive that is written.
pub fn writer_options() -> NpzWriterOptions {
    NpzWriterOptions::default()
}

/// The member key for a .npy path: its file name without `.npy`.
pub fn key_of(p: &Path) -> String {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.strip_suffix(".npy")
        .map(str::to_string)
        .unwrap_or(name)
}

/// `npyio pack OUT.npz IN.npy...`: `np.savez(OUT, **{stem: load(IN)})`,
/// or `np.savez_compressed` with `--compress`, or zstd members with
/// `--zstd`, at `level` if given. `KEY=FILE` names a member.
pub fn pack(
    out: &Path,
    inputs: &[String],
    compression: Compression,
    level: Option<i32>,
    bar: Bar,
) -> CliResult<i32> {
    if level.is_some() && compression == Compression::Stored {
        return Err(CliError::usage(
            "--level needs --compress or --zstd (stored members have no level)",
        ));
    }
    let mut plan: Vec<(String, PathBuf)> = Vec::new();
    for a in inputs {
        let (key, p) = match a.split_once('=') {
            Some((k, p)) if !Path::new(a).exists() => (k.to_string(), PathBuf::from(p)),
            _ => (key_of(Path::new(a)), PathBuf::from(a)),
        };
        if key.is_empty() {
            return Err(CliError::usage(format!("{a}: empty member name")));
        }
        if plan.iter().any(|(k, _)| *k == key) {
            return Err(CliError::usage(format!(
                "{a}: a second member named {} (name it with KEY=FILE)",
                npyio::pytext::repr_str(&key)
            )));
        }
        plan.push((key, p));
    }
    let mut files = Vec::new();
    let mut total = 0;
    for (k, p) in &plan {
        match sniff(p)? {
            Kind::Npy => {}
            _ => {
                return Err(CliError::bad(format!(
                    "{}: not a .npy file (member {})",
                    p.display(),
                    npyio::pytext::repr_str(k)
                )))
            }
        }
        let f = NpyFile::open(p)?;
        total += f.nbytes();
        files.push(f);
    }
    let mut progress = Progress::new(format!("pack {}", out.display()), total, bar);
    let mut w = NpzWriter::create(out, writer_options())?;
    if let Some(l) = level {
        w.set_level(compression, l)
            .map_err(|e| CliError::usage(format!("--level: {}", e.message())))?;
    }
    for ((k, p), f) in plan.iter().zip(&files) {
        add_member(&mut w, k, f, Some(p), compression, &mut progress)?;
    }
    w.finish()?;
    Ok(EXIT_OK)
}

/// A member name as a relative path inside DIR: `Err(true)` if it would
/// leave DIR (`..`, an absolute path), `Err(false)` if it names no file.
fn safe_relative(name: &str) -> Result<PathBuf, bool> {
    let p = Path::new(name);
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => out.push(s),
            Component::CurDir => {}
            _ => return Err(true),
        }
    }
    if out.as_os_str().is_empty() {
        Err(false)
    } else {
        Ok(out)
    }
}

/// What `unpack` writes for a member.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Out {
    /// An array: `DIR/KEY.npy`, as np.save writes it.
    Array,
    /// Bytes that are not a .npy file: `DIR/NAME`, as NumPy returns them.
    Raw,
    /// A directory entry (`NAME/`, no bytes): the directory `DIR/NAME`.
    Dir,
}

/// The output directory of `unpack`, opened once. Everything is created
/// relative to its descriptor: directories with mkdirat, files with
/// `O_CREAT | O_EXCL | O_NOFOLLOW`, so a symlink (or any file) already in
/// the directory is never followed and never overwritten.
struct OutDir {
    fd: std::os::fd::OwnedFd,
    path: PathBuf,
}

fn cstr(s: &std::ffi::OsStr) -> CliResult<std::ffi::CString> {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::CString::new(s.as_bytes()).map_err(|_| {
        CliError::bad(format!(
            "{}: a name contains a NUL byte",
            s.to_string_lossy()
        ))
    })
}

/// An output `unpack` refuses to touch: an operating-system condition
/// (exit 3), worded without the errno text.
fn refused(msg: String) -> CliError {
    CliError { code: EXIT_IO, msg }
}

fn last_os_error() -> std::io::Error {
    std::io::Error::last_os_error()
}

impl OutDir {
    fn open(dir: &Path) -> CliResult<OutDir> {
        use std::os::fd::FromRawFd;
        std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir.display(), e))?;
        let c = cstr(dir.as_os_str())?;
        // SAFETY: a valid C string; the descriptor is owned below.
        let fd = unsafe {
            libc::open(
                c.as_ptr(),
                libc::O_DIRECTORY | libc::O_RDONLY | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            return Err(CliError::io(dir.display(), last_os_error()));
        }
        Ok(OutDir {
            // SAFETY: a fresh descriptor nothing else owns.
            fd: unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) },
            path: dir.to_path_buf(),
        })
    }

    /// The directory `rel` under DIR, made if needed, each component opened
    /// without following a symlink.
    fn subdir(&self, rel: &Path) -> CliResult<std::os::fd::OwnedFd> {
        use std::os::fd::{AsRawFd, FromRawFd};
        let mut cur = self
            .fd
            .try_clone()
            .map_err(|e| CliError::io(self.path.display(), e))?;
        let mut shown = self.path.clone();
        for c in rel.components() {
            shown.push(c);
            let name = cstr(c.as_os_str())?;
            // SAFETY: valid descriptor and C string.
            let r = unsafe { libc::mkdirat(cur.as_raw_fd(), name.as_ptr(), 0o777) };
            if r < 0 && last_os_error().raw_os_error() != Some(libc::EEXIST) {
                return Err(CliError::io(shown.display(), last_os_error()));
            }
            // SAFETY: as above; the descriptor is owned below.
            let fd = unsafe {
                libc::openat(
                    cur.as_raw_fd(),
                    name.as_ptr(),
                    libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_RDONLY | libc::O_CLOEXEC,
                )
            };
            if fd < 0 {
                let e = last_os_error();
                if matches!(e.raw_os_error(), Some(libc::ELOOP | libc::ENOTDIR)) {
                    return Err(refused(format!(
                        "{}: is a symlink or not a directory (unpack never writes through a symlink)",
                        shown.display()
                    )));
                }
                return Err(CliError::io(shown.display(), e));
            }
            // SAFETY: a fresh descriptor nothing else owns.
            cur = unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) };
        }
        Ok(cur)
    }

    /// Create the new file `rel` under DIR; `write` fills it. If `write`
    /// fails, the file is removed again.
    fn write_file(
        &self,
        rel: &Path,
        write: &mut dyn FnMut(&mut std::fs::File) -> CliResult,
    ) -> CliResult {
        use std::os::fd::{AsRawFd, FromRawFd};
        let shown = self.path.join(rel);
        let parent = self.subdir(rel.parent().unwrap_or(Path::new("")))?;
        let name = cstr(rel.file_name().unwrap_or_default())?;
        // SAFETY: valid descriptor and C string; the descriptor is owned below.
        let fd = unsafe {
            libc::openat(
                parent.as_raw_fd(),
                name.as_ptr(),
                libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW | libc::O_CLOEXEC,
                0o666 as libc::c_uint,
            )
        };
        if fd < 0 {
            let e = last_os_error();
            if e.raw_os_error() == Some(libc::EEXIST) {
                return Err(refused(format!(
                    "{}: already exists (unpack never overwrites a file or follows a symlink; unpack into a new directory)",
                    shown.display()
                )));
            }
            return Err(CliError::io(shown.display(), e));
        }
        // SAFETY: a fresh descriptor nothing else owns.
        let mut file = unsafe { std::fs::File::from_raw_fd(fd) };
        let r = write(&mut file);
        if r.is_err() {
            drop(file);
            // SAFETY: valid descriptor and C string; removes the file this
            // call created.
            unsafe { libc::unlinkat(parent.as_raw_fd(), name.as_ptr(), 0) };
        }
        r
    }
}

/// Is `DIR/rel` (or a directory on the way to it) already there in a way
/// `unpack` must not touch? Checked for every output before anything is
/// written; the writes themselves refuse the same things race-free.
fn preflight(dir: &Path, rel: &Path, kind: Out) -> CliResult {
    let mut p = dir.to_path_buf();
    let n = rel.components().count();
    for (i, c) in rel.components().enumerate() {
        p.push(c);
        let Ok(m) = std::fs::symlink_metadata(&p) else {
            return Ok(());
        };
        let last = i + 1 == n;
        if m.file_type().is_symlink() {
            return Err(refused(format!(
                "{}: is a symlink (unpack never writes through a symlink)",
                p.display()
            )));
        }
        if (!last || kind == Out::Dir) && !m.is_dir() {
            return Err(refused(format!(
                "{}: exists and is not a directory",
                p.display()
            )));
        }
        if last && kind != Out::Dir {
            return Err(refused(format!(
                "{}: already exists (unpack never overwrites; unpack into a new directory)",
                p.display()
            )));
        }
    }
    Ok(())
}

/// `npyio unpack IN.npz DIR [KEY...]`: each array member to DIR/KEY.npy
/// (as `np.save(f"{DIR}/{key}.npy", z[key])`), other members as the bytes
/// NumPy returns for them under their own name, directory entries as
/// directories. Refused before anything is written: names that leave DIR,
/// two members that would be written to one path (`x` and `x.npy`), a file
/// where another member needs a directory, and outputs that already exist
/// or pass through a symlink.
pub fn unpack(input: &Path, dir: &Path, only: &[String], bar: Bar) -> CliResult<i32> {
    let z = NpzFile::open(input)?;
    for k in only {
        if z.index_of(k).is_none() {
            return Err(no_member(&z, input, k));
        }
    }
    let chosen = (0..z.len()).filter(|&i| {
        let e = &z.entries()[i];
        only.is_empty() || only.iter().any(|k| *k == e.key || *k == e.name)
    });
    let member = |i: usize| npyio::pytext::repr_str(&z.entries()[i].name);
    // What each member becomes and where, as NumPy's np.load sees it: an
    // array if its bytes start with the .npy magic, else bytes.
    let mut plan: Vec<(usize, Out, PathBuf)> = Vec::new();
    for i in chosen {
        let e = &z.entries()[i];
        let (kind, rel) = if e.name.ends_with('/') {
            if e.size != 0 {
                return Err(CliError::bad(format!(
                    "{}: member {} is a directory entry holding {} bytes; they cannot be written as a directory",
                    input.display(),
                    member(i),
                    e.size
                )));
            }
            (Out::Dir, e.name.clone())
        } else if e.size < 6 {
            (Out::Raw, e.name.clone())
        } else {
            match z.open_member_at(i) {
                Ok(_) => (Out::Array, format!("{}.npy", e.key)),
                Err(err) if err.status() == npyio::Status::BadMagic => (Out::Raw, e.name.clone()),
                Err(err) => return Err(err.into()),
            }
        };
        let rel = safe_relative(&rel).map_err(|outside| {
            CliError::bad(format!(
                "{}: member {} {}",
                input.display(),
                member(i),
                if outside {
                    format!("would be written outside {}", dir.display())
                } else {
                    format!("names no file to write in {}", dir.display())
                }
            ))
        })?;
        plan.push((i, kind, rel));
    }
    // Two members, one path: `x` and `x.npy` both become DIR/x.npy; a file
    // where another member needs a directory.
    let mut files: std::collections::HashMap<&Path, usize> = std::collections::HashMap::new();
    let mut dirs: std::collections::HashMap<&Path, usize> = std::collections::HashMap::new();
    for (i, kind, rel) in &plan {
        if *kind == Out::Dir {
            dirs.entry(rel.as_path()).or_insert(*i);
        } else if let Some(j) = files.insert(rel.as_path(), *i) {
            return Err(CliError::bad(format!(
                "{}: members {} and {} would both be written to {} (refused; nothing was written)",
                input.display(),
                member(j),
                member(*i),
                dir.join(rel).display()
            )));
        }
        for a in rel.ancestors().skip(1) {
            if !a.as_os_str().is_empty() {
                dirs.entry(a).or_insert(*i);
            }
        }
    }
    for (i, _, rel) in &plan {
        if let (Some(&f), Some(&d)) = (files.get(rel.as_path()), dirs.get(rel.as_path())) {
            if f == *i {
                return Err(CliError::bad(format!(
                    "{}: member {} would be written to {}, where member {} needs a directory (refused; nothing was written)",
                    input.display(),
                    member(f),
                    dir.join(rel).display(),
                    member(d)
                )));
            }
        }
    }
    for (_, kind, rel) in &plan {
        preflight(dir, rel, *kind)?;
    }
    let out = OutDir::open(dir)?;
    let total: u64 = plan.iter().map(|(i, ..)| z.entries()[*i].size).sum();
    let mut progress = Progress::new(format!("unpack {}", input.display()), total, bar);
    for (i, kind, rel) in &plan {
        let e = &z.entries()[*i];
        let shown = dir.join(rel);
        match kind {
            Out::Dir => {
                out.subdir(rel)?;
            }
            Out::Array => {
                let f = z.open_member_at(*i)?;
                let h = f.header();
                let header = npyio::header::header_bytes(&h.dtype, &h.shape, h.fortran_order)?;
                out.write_file(rel, &mut |file| {
                    use std::io::Write;
                    let werr = |e| CliError::io(format!("{}: write", shown.display()), e);
                    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
                    w.write_all(&header).map_err(werr)?;
                    stream_data(&f, None, &mut progress, &mut |b| {
                        w.write_all(b).map_err(werr)
                    })?;
                    w.flush().map_err(werr)
                })?;
            }
            Out::Raw => {
                let mut b = try_buffer(e.size, &e.name)?;
                z.read_raw(*i, &mut b)?;
                out.write_file(rel, &mut |file| {
                    use std::io::Write;
                    file.write_all(&b)
                        .map_err(|e| CliError::io(format!("{}: write", shown.display()), e))
                })?;
                progress.add(e.size);
            }
        }
    }
    Ok(EXIT_OK)
}
