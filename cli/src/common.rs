//! What the commands share: errors and exit codes, recognising files and
//! `FILE:MEMBER` arguments, streaming an array's bytes, the progress bar.

use npyio::header::effective_fortran;
use npyio::{NpyFile, Status};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Exit status: success.
pub const EXIT_OK: i32 = 0;
/// Exit status: a file is damaged, malformed or unsupported (and `verify`
/// found a problem).
pub const EXIT_BAD: i32 = 1;
/// Exit status: bad command line (unknown option, bad value, no such member).
pub const EXIT_USAGE: i32 = 2;
/// Exit status: an operating-system error (missing file, permission, disk full).
pub const EXIT_IO: i32 = 3;

/// An error to report on stderr, with its exit status.
#[derive(Debug)]
pub struct CliError {
    /// Exit status.
    pub code: i32,
    /// Message (names the file).
    pub msg: String,
}

impl CliError {
    /// A usage error.
    pub fn usage(msg: impl Into<String>) -> CliError {
        CliError {
            code: EXIT_USAGE,
            msg: msg.into(),
        }
    }
    /// A bad-file error.
    pub fn bad(msg: impl Into<String>) -> CliError {
        CliError {
            code: EXIT_BAD,
            msg: msg.into(),
        }
    }
    /// An I/O error.
    pub fn io(what: impl std::fmt::Display, e: std::io::Error) -> CliError {
        CliError {
            code: EXIT_IO,
            msg: format!("{what}: {e}"),
        }
    }
}

impl From<npyio::Error> for CliError {
    fn from(e: npyio::Error) -> Self {
        let code = match e.status() {
            Status::Io => EXIT_IO,
            // A file that does not exist is an I/O error; a member or key
            // that does not exist is the user's mistake.
            Status::NotFound if e.os_error() != 0 => EXIT_IO,
            Status::InvalidArg | Status::NotFound => EXIT_USAGE,
            _ => EXIT_BAD,
        };
        CliError {
            code,
            msg: e.message().to_string(),
        }
    }
}

impl From<crate::print::PrintError> for CliError {
    fn from(e: crate::print::PrintError) -> Self {
        match e {
            crate::print::PrintError::Read(e) => e.into(),
            crate::print::PrintError::Write(e) => CliError::io("<stdout>", e),
            crate::print::PrintError::Unsupported(m) => CliError::bad(m),
        }
    }
}

/// Result of a command.
pub type CliResult<T = ()> = Result<T, CliError>;

/// What a file is, from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Starts with `\x93NUMPY`.
    Npy,
    /// A zip archive (`PK\x03\x04`, or `PK\x05\x06` when empty).
    Npz,
    /// Anything else.
    Other,
}

/// Look at a file's magic bytes.
pub fn sniff(path: &Path) -> CliResult<Kind> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(|e| CliError::io(path.display(), e))?;
    if f.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(CliError::usage(format!(
            "{}: is a directory",
            path.display()
        )));
    }
    let mut b = [0u8; 6];
    let mut n = 0;
    while n < 6 {
        match f.read(&mut b[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => return Err(CliError::io(path.display(), e)),
        }
    }
    Ok(if n == 6 && &b == b"\x93NUMPY" {
        Kind::Npy
    } else if n >= 4 && (&b[..4] == b"PK\x03\x04" || &b[..4] == b"PK\x05\x06") {
        Kind::Npz
    } else {
        Kind::Other
    })
}

/// Is this a text-table file name (`.csv`, `.tsv`, `.txt`, `.dat`, `.gz` is not)?
pub fn is_text_name(p: &Path) -> bool {
    matches!(
        p.extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref(),
        Some("csv" | "tsv" | "txt" | "dat" | "text")
    )
}

/// An input argument.
#[derive(Clone, Debug)]
pub enum Input {
    /// A .npy file.
    Npy(PathBuf),
    /// A whole .npz archive.
    Npz(PathBuf),
    /// One member of an archive (`file.npz:key`).
    Member(PathBuf, String),
    /// A text table.
    Text(PathBuf),
}

impl Input {
    /// The file on disk.
    pub fn path(&self) -> &Path {
        match self {
            Input::Npy(p) | Input::Npz(p) | Input::Member(p, _) | Input::Text(p) => p,
        }
    }

    /// How the argument is shown in messages.
    pub fn display(&self) -> String {
        match self {
            Input::Member(p, m) => format!("{}:{m}", p.display()),
            other => other.path().display().to_string(),
        }
    }
}

/// Parse `FILE` or `FILE:MEMBER`. A path that exists wins over the
/// `:MEMBER` reading, so file names containing ':' work.
pub fn parse_input(arg: &str, allow_text: bool) -> CliResult<Input> {
    let p = Path::new(arg);
    if p.exists() {
        return classify(p.to_path_buf(), allow_text);
    }
    if let Some((file, member)) = arg.rsplit_once(':') {
        let fp = Path::new(file);
        if !file.is_empty() && fp.is_file() {
            return match sniff(fp)? {
                Kind::Npz => Ok(Input::Member(fp.to_path_buf(), member.to_string())),
                _ => Err(CliError::usage(format!(
                    "{file}: not an .npz archive, so '{member}' cannot name a member"
                ))),
            };
        }
    }
    Err(CliError {
        code: EXIT_IO,
        msg: format!("{arg}: No such file or directory"),
    })
}

fn classify(p: PathBuf, allow_text: bool) -> CliResult<Input> {
    match sniff(&p)? {
        Kind::Npy => Ok(Input::Npy(p)),
        Kind::Npz => Ok(Input::Npz(p)),
        Kind::Other if allow_text && is_text_name(&p) => Ok(Input::Text(p)),
        Kind::Other => Err(CliError::bad(format!(
            "{}: not a NumPy .npy file or .npz archive (no \\x93NUMPY or zip magic){}",
            p.display(),
            if allow_text {
                "; text tables need a .csv, .tsv, .txt or .dat name"
            } else {
                ""
            }
        ))),
    }
}

/// Open one array: a .npy file, or a member of an archive (an archive with
/// a single member stands for that member).
pub fn open_array(input: &Input) -> CliResult<NpyFile> {
    match input {
        Input::Npy(p) => Ok(NpyFile::open(p)?),
        Input::Member(p, m) => {
            let z = npyio::npz::NpzFile::open(p)?;
            if z.index_of(m).is_none() {
                return Err(no_member(&z, p, m));
            }
            Ok(z.open_member(m)?)
        }
        Input::Npz(p) => {
            let z = npyio::npz::NpzFile::open(p)?;
            match z.len() {
                1 => Ok(z.open_member_at(0)?),
                0 => Err(CliError::bad(format!(
                    "{}: the archive is empty",
                    p.display()
                ))),
                _ => Err(CliError::usage(format!(
                    "{}: the archive has {} members; name one as {}:KEY (keys: {})",
                    p.display(),
                    z.len(),
                    p.display(),
                    keys(&z)
                ))),
            }
        }
        Input::Text(p) => Err(CliError::usage(format!(
            "{}: a text table, not an array file",
            p.display()
        ))),
    }
}

/// Members listed in full by [`no_member`]; a longer list is cut after
/// this many (archives can have hundreds of thousands).
pub const MEMBERS_LISTED: usize = 20;

/// The usage error for a member `m` the archive `z` (at `p`) does not
/// have: names the archive and the member, and lists the archive's keys.
pub fn no_member(z: &npyio::npz::NpzFile, p: &Path, m: &str) -> CliError {
    let n = z.len();
    let list = if n == 0 {
        "the archive is empty".to_string()
    } else {
        format!("{n} member{}: {}", if n == 1 { "" } else { "s" }, keys(z))
    };
    CliError::usage(format!(
        "{}: no member named {} ({list})",
        p.display(),
        npyio::pytext::repr_str(m)
    ))
}

/// The keys of an archive, quoted and comma separated: the first
/// [`MEMBERS_LISTED`], then how many more there are.
pub fn keys(z: &npyio::npz::NpzFile) -> String {
    let mut s = z
        .entries()
        .iter()
        .take(MEMBERS_LISTED)
        .map(|e| npyio::pytext::repr_str(&e.key))
        .collect::<Vec<_>>()
        .join(", ");
    if z.len() > MEMBERS_LISTED {
        s.push_str(&format!(", ... {} more", z.len() - MEMBERS_LISTED));
    }
    s
}

/// Bytes per read when streaming.
pub const CHUNK: usize = 8 << 20;
/// Bytes per read from a deflate member: every read of a deflate member
/// inflates it from the start (the library keeps no inflate position
/// between reads), so fewer, larger reads are much faster.
pub const DEFLATE_CHUNK: usize = 64 << 20;

/// Stream an array's data bytes, in storage order and the file's byte
/// order, to `sink` in bounded pieces. `path` is the .npy file `f` was
/// opened from, if any (Fortran-order data is then read straight from it).
pub fn stream_data(
    f: &NpyFile,
    path: Option<&Path>,
    progress: &mut Progress,
    sink: &mut dyn FnMut(&[u8]) -> CliResult,
) -> CliResult {
    let h = f.header();
    let n = h.nbytes();
    if n == 0 {
        return Ok(());
    }
    if h.shape.is_empty() {
        let mut b = vec![0u8; n as usize];
        f.read_into(&mut b, 0)?;
        progress.add(n);
        return sink(&b);
    }
    if effective_fortran(&h.shape, h.fortran_order) {
        if let Some(path) = path {
            // The storage-order bytes are the file's bytes after the header.
            use std::os::unix::fs::FileExt;
            let file = std::fs::File::open(path).map_err(|e| CliError::io(path.display(), e))?;
            let mut buf = vec![0u8; CHUNK.min(n as usize)];
            let mut off = 0u64;
            while off < n {
                let k = (n - off).min(buf.len() as u64) as usize;
                file.read_exact_at(&mut buf[..k], h.data_offset + off)
                    .map_err(|e| CliError::io(format!("{}: read", path.display()), e))?;
                sink(&buf[..k])?;
                progress.add(k as u64);
                off += k as u64;
            }
            return Ok(());
        }
        // A Fortran-order member: there is no storage-order range read in
        // the library yet, so the member is read whole.
        let mut b = try_buffer(n, f.name())?;
        f.read_into(&mut b, 0)?;
        progress.add(n);
        return sink(&b);
    }
    let rows = h.shape[0];
    let row = f.rows_nbytes(1)?.max(1);
    let chunk = if f.is_compressed_member() {
        DEFLATE_CHUNK
    } else {
        CHUNK
    };
    let per = (chunk as u64 / row).max(1);
    let mut buf = try_buffer(per.min(rows) * row, f.name())?;
    let mut first = 0u64;
    while first < rows {
        let count = per.min(rows - first);
        let k = (count * row) as usize;
        f.read_rows(first, count, &mut buf[..k], 0)?;
        sink(&buf[..k])?;
        progress.add(k as u64);
        first += count;
    }
    Ok(())
}

/// A zeroed buffer, or an error naming what it was for.
pub fn try_buffer(n: u64, what: &str) -> CliResult<Vec<u8>> {
    let n = usize::try_from(n)
        .map_err(|_| CliError::bad(format!("{what}: {n} bytes do not fit in memory")))?;
    let mut v = Vec::new();
    v.try_reserve_exact(n)
        .map_err(|_| CliError::bad(format!("{what}: cannot allocate {n} bytes")))?;
    v.resize(n, 0);
    Ok(v)
}

/// When progress bars are drawn (`-q/--quiet`, `--progress`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bar {
    /// Never (`--quiet`).
    Never,
    /// When stderr is a terminal and the work has taken more than half a
    /// second (the default).
    Auto,
    /// Always (`--progress`), from the start, with a last frame at the end,
    /// also when stderr is a file or a pipe.
    Always,
}

/// A progress bar on stderr. By default it is drawn only when stderr is a
/// terminal and the work has taken more than half a second; see [`Bar`].
/// Frames are `\r`, the label, the bar and the numbers, and `ESC [ K`; the
/// bar is erased (`\r ESC [ K`) when done.
pub struct Progress {
    label: String,
    total: u64,
    done: u64,
    start: Instant,
    last: Option<Instant>,
    enabled: bool,
    always: bool,
    drawn: bool,
}

impl Progress {
    /// A bar for `total` bytes of work.
    pub fn new(label: impl Into<String>, total: u64, bar: Bar) -> Progress {
        let mut p = Progress {
            label: label.into(),
            total,
            done: 0,
            start: Instant::now(),
            last: None,
            enabled: bar == Bar::Always || (bar == Bar::Auto && std::io::stderr().is_terminal()),
            always: bar == Bar::Always,
            drawn: false,
        };
        if p.always {
            let now = p.start;
            p.last = Some(now);
            p.draw(now);
        }
        p
    }

    /// Whether the bar is drawn at all.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Record `n` more bytes done.
    pub fn add(&mut self, n: u64) {
        self.set(self.done.saturating_add(n));
    }

    /// Record that `done` bytes are done in all.
    pub fn set(&mut self, done: u64) {
        self.done = done;
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if !self.always && now.duration_since(self.start) < Duration::from_millis(500) {
            return;
        }
        if self
            .last
            .is_some_and(|t| now.duration_since(t) < Duration::from_millis(100))
        {
            return;
        }
        self.last = Some(now);
        self.draw(now);
    }

    fn draw(&mut self, now: Instant) {
        use std::io::Write;
        let frac = if self.total == 0 {
            1.0
        } else {
            (self.done as f64 / self.total as f64).min(1.0)
        };
        let width = 30;
        let filled = (frac * width as f64) as usize;
        let secs = now.duration_since(self.start).as_secs_f64().max(1e-9);
        let rate = self.done as f64 / secs / (1u64 << 20) as f64;
        let mut label = self.label.clone();
        if label.chars().count() > 30 {
            let tail: String = label
                .chars()
                .rev()
                .take(29)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            label = format!("…{tail}");
        }
        let _ = write!(
            std::io::stderr(),
            "\r{label} [{}{}] {:3.0}% {} / {} {:.0} MiB/s\x1b[K",
            "#".repeat(filled),
            "-".repeat(width - filled),
            frac * 100.0,
            human(self.done),
            human(self.total),
            rate
        );
        self.drawn = true;
    }

    /// Erase the bar (with `--progress`, after drawing where it ended).
    pub fn finish(&mut self) {
        if self.always && self.drawn {
            self.always = false;
            self.draw(Instant::now());
        }
        if self.drawn {
            eprint!("\r\x1b[K");
            self.drawn = false;
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Bytes as a short readable size.
pub fn human(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// A progress bar for a library call that reads one file from start to end
/// through a descriptor of its own (`loadtxt_to_npy` takes a path and has
/// no progress callback): a thread looks up that descriptor's offset every
/// 100 ms (`/proc/self/fdinfo`, found by the file's device and inode) and
/// draws it. Without `/proc` the bar stays at its start until the end. No
/// thread is started when the bar is not drawn.
pub struct ReadWatch {
    stop: Option<std::sync::mpsc::Sender<bool>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ReadWatch {
    /// Watch the reads of `path` under `label`.
    pub fn start(path: &Path, label: String, bar: Bar) -> ReadWatch {
        use std::os::unix::fs::MetadataExt;
        let none = ReadWatch {
            stop: None,
            thread: None,
        };
        let Ok(meta) = std::fs::metadata(path) else {
            return none;
        };
        let total = meta.len();
        let id = (meta.dev(), meta.ino());
        let progress = Progress::new(label, total, bar);
        if !progress.enabled() {
            return none;
        }
        let (tx, rx) = std::sync::mpsc::channel::<bool>();
        let thread = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || {
                let mut progress = progress;
                let mut fd: Option<String> = None;
                loop {
                    match rx.recv_timeout(Duration::from_millis(100)) {
                        Ok(ok) => {
                            if ok {
                                progress.set(total);
                            }
                            break;
                        }
                        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
                    }
                    if let Some(pos) = read_offset(&mut fd, id) {
                        progress.set(pos.min(total));
                    }
                }
                progress.finish();
            });
        match thread {
            Ok(t) => ReadWatch {
                stop: Some(tx),
                thread: Some(t),
            },
            Err(_) => none,
        }
    }

    /// Stop watching; `ok`: the whole file was read.
    pub fn finish(mut self, ok: bool) {
        self.stop_with(ok);
    }

    fn stop_with(&mut self, ok: bool) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(ok);
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for ReadWatch {
    fn drop(&mut self) {
        self.stop_with(false);
    }
}

/// The offset of this process's descriptor open on the file `id`
/// (device, inode), from /proc; `cached` remembers the descriptor found.
fn read_offset(cached: &mut Option<String>, id: (u64, u64)) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    let is_it = |fd: &str| {
        std::fs::metadata(format!("/proc/self/fd/{fd}"))
            .map(|m| (m.dev(), m.ino()) == id)
            .unwrap_or(false)
    };
    if !cached.as_deref().is_some_and(is_it) {
        *cached = std::fs::read_dir("/proc/self/fd")
            .ok()?
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .find(|fd| is_it(fd));
    }
    let info = std::fs::read_to_string(format!("/proc/self/fdinfo/{}", cached.as_ref()?)).ok()?;
    info.lines()
        .find_map(|l| l.strip_prefix("pos:"))
        .and_then(|v| v.trim().parse().ok())
}

/// A temporary file that is removed when dropped (on success and on every
/// error). Named `.NAME.PID-N.npyio-tmp.npy` like the library's own
/// temporary files, so a killed process leaves a recognisable name.
pub struct TempFile {
    path: Option<PathBuf>,
}

impl TempFile {
    /// Create a new, empty file (mode 0600) in `dir`, named after `name`.
    pub fn new_in(dir: &Path, name: &str) -> CliResult<TempFile> {
        use std::os::unix::fs::OpenOptionsExt;
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let mut last = None;
        for _ in 0..100 {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let p = dir.join(format!(".{name}.{}-{n}.npyio-tmp.npy", std::process::id()));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&p)
            {
                Ok(_) => return Ok(TempFile { path: Some(p) }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(CliError::io(p.display(), e)),
            }
        }
        Err(CliError::io(
            dir.display(),
            last.unwrap_or_else(|| std::io::Error::other("no free temporary name")),
        ))
    }

    /// A temporary file for intermediate data on the way to `out`: in the
    /// same directory, or in the temporary directory when `out` is a FIFO,
    /// a device or a descriptor.
    pub fn for_output(out: &Path) -> CliResult<TempFile> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "npyio".into());
        if npyio::io::special_target(out).is_some() {
            return TempFile::new_in(&std::env::temp_dir(), &name);
        }
        let dir = match out.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        TempFile::new_in(&dir, &name)
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new(""))
    }

    /// Remove it now (an open descriptor still reads its data).
    pub fn remove(mut self) -> CliResult {
        match self.path.take() {
            Some(p) => std::fs::remove_file(&p).map_err(|e| CliError::io(p.display(), e)),
            None => Ok(()),
        }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(p) = self.path.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}
