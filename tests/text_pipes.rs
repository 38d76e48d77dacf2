//! Text tables from pipes and FIFOs: `npy_loadtxt`, `npy_genfromtxt` and
//! `npy_loadtxt_to_npy` read a FIFO, and a child process's stdin given as
//! "/dev/stdin", to their end, as NumPy does; the results equal NumPy's on
//! the same text read from a regular file.

use npyio_test_support as common;

use npyio::ffi::npy::{npy_close, npy_data, npy_dtype, npy_fortran_order, npy_nbytes, npy_ndim};
use npyio::ffi::npy::{npy_save, npy_shape};
use npyio::ffi::text::{npy_genfromtxt, npy_loadtxt, npy_loadtxt_to_npy};
use std::ffi::CString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// The texts (one of more than one 16 MiB block for loadtxt, one with
/// missing values for genfromtxt) and NumPy's results, from regular files.
const ORACLE: &str = r#"
import numpy as np, sys
d = sys.argv[1]
rng = np.random.default_rng(11)
a = rng.standard_normal((230000, 4)) * 10.0 ** rng.integers(-20, 20, (230000, 4))
with open(d + '/big.txt', 'w') as f:
    f.write('# a header\n\n')
    np.savetxt(f, a[:1000], fmt='%.17g')
    f.write('   # a comment line\n\n')
    np.savetxt(f, a[1000:], fmt='%.17g', delimiter='\t')
    f.write('1 2 3 4')  # no final newline
np.save(d + '/big.want.npy', np.loadtxt(d + '/big.txt'))
lines = []
for i in range(60000):
    v = rng.standard_normal(3)
    cells = ['%.6g' % x for x in v]
    if i % 7 == 3:
        cells[1] = ''
    if i % 11 == 5:
        cells[2] = 'N/A'
    lines.append(','.join(cells))
with open(d + '/gen.csv', 'w') as f:
    f.write('\n'.join(lines) + '\n')
np.save(d + '/gen.want.npy', np.genfromtxt(d + '/gen.csv', delimiter=','))
"#;

/// Compare the .npy files `ours` and `want` with NumPy: same dtype, shape
/// and values (NaN equal to NaN).
fn numpy_equal(ours: &Path, want: &Path) {
    let code = "import numpy as np, sys\na = np.load(sys.argv[1]); b = np.load(sys.argv[2])\nassert a.dtype == b.dtype and a.shape == b.shape, (a.dtype, a.shape, b.dtype, b.shape)\nassert np.array_equal(a, b, equal_nan=True)\nprint(a.shape)";
    common::run_python(&["-c", code, ours.to_str().unwrap(), want.to_str().unwrap()]);
}

fn cstr(p: &Path) -> CString {
    CString::new(p.to_str().unwrap()).unwrap()
}

fn last_error() -> String {
    let mut buf = vec![0u8; 4096];
    let n = unsafe { npyio::ffi::npyio_last_error(buf.as_mut_ptr().cast(), buf.len()) };
    buf.truncate(n.min(buf.len() - 1));
    String::from_utf8_lossy(&buf).into_owned()
}

/// `which` ("loadtxt", "genfromtxt" with `delimiter=','`, or "to_npy") of
/// the text at `src` through the C API; the result saved to `out`.
fn run_c(which: &str, src: &Path, out: &Path) -> Result<(), (i32, String)> {
    let src_c = cstr(src);
    let out_c = cstr(out);
    unsafe {
        let mut f = std::ptr::null_mut();
        let st = match which {
            "loadtxt" => npy_loadtxt(src_c.as_ptr(), std::ptr::null(), &mut f),
            "genfromtxt" => {
                let mut o = std::mem::zeroed();
                assert_eq!(npyio::ffi::text::npyio_genfromtxt_options_init(&mut o), 0);
                let comma = CString::new(",").unwrap();
                o.delimiter = comma.as_ptr();
                npy_genfromtxt(src_c.as_ptr(), &o, &mut f, std::ptr::null_mut())
            }
            _ => {
                let mut rows = 0u64;
                let st =
                    npy_loadtxt_to_npy(src_c.as_ptr(), out_c.as_ptr(), std::ptr::null(), &mut rows);
                return if st == 0 {
                    assert!(rows > 0);
                    Ok(())
                } else {
                    Err((st, last_error()))
                };
            }
        };
        if st != 0 {
            return Err((st, last_error()));
        }
        let n = npy_nbytes(f) as usize;
        let st = npy_save(
            out_c.as_ptr(),
            npy_dtype(f),
            npy_ndim(f),
            npy_shape(f),
            npy_fortran_order(f),
            npy_data(f),
            n,
        );
        npy_close(f);
        assert_eq!(st, 0, "npy_save: {}", last_error());
    }
    Ok(())
}

fn mkfifo(p: &Path) {
    let _ = std::fs::remove_file(p);
    let c = cstr(p);
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

/// The child side of `stdin_pipe`: reads "/dev/stdin" through the C API.
#[test]
fn child_reads_dev_stdin() {
    let (Some(which), Some(out)) = (
        std::env::var_os("NPYIO_PIPE_CHILD"),
        std::env::var_os("NPYIO_PIPE_OUT"),
    ) else {
        return; // only meaningful in the child process
    };
    let which = which.to_str().unwrap();
    if let Err((st, msg)) = run_c(which, Path::new("/dev/stdin"), Path::new(&out)) {
        panic!("{which} of /dev/stdin: status {st}: {msg}");
    }
}

fn oracle(name: &str) -> PathBuf {
    let d = common::scratch(name);
    common::run_python(&["-c", ORACLE, d.to_str().unwrap()]);
    d
}

#[test]
fn fifo_is_read_to_its_end() {
    let d = oracle("text_pipes_fifo");
    for (which, text, want) in [
        ("loadtxt", "big.txt", "big.want.npy"),
        ("to_npy", "big.txt", "big.want.npy"),
        ("genfromtxt", "gen.csv", "gen.want.npy"),
    ] {
        let fifo = d.join(format!("{which}.fifo"));
        mkfifo(&fifo);
        let bytes = std::fs::read(d.join(text)).unwrap();
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut w = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
                // Small writes: the reader sees many short reads.
                for c in bytes.chunks(100_003) {
                    if w.write_all(c).is_err() {
                        break; // the reader stopped early: the check below fails
                    }
                }
            })
        };
        let out = d.join(format!("{which}.ours.npy"));
        let r = run_c(which, &fifo, &out);
        writer.join().unwrap();
        if let Err((st, msg)) = r {
            panic!("{which} of a FIFO: status {st}: {msg}");
        }
        numpy_equal(&out, &d.join(want));
        if which == "to_npy" {
            // Byte-identical to np.save(np.loadtxt(...)).
            assert!(std::fs::read(&out).unwrap() == std::fs::read(d.join(want)).unwrap());
        }
    }
}

#[test]
fn stdin_pipe_of_a_child_is_read_to_its_end() {
    let d = oracle("text_pipes_stdin");
    for (which, text, want) in [
        ("loadtxt", "big.txt", "big.want.npy"),
        ("to_npy", "big.txt", "big.want.npy"),
        ("genfromtxt", "gen.csv", "gen.want.npy"),
    ] {
        let out = d.join(format!("{which}.stdin.npy"));
        let mut child = common::test_in_child("child_reads_dev_stdin")
            .env("NPYIO_PIPE_CHILD", which)
            .env("NPYIO_PIPE_OUT", &out)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let bytes = std::fs::read(d.join(text)).unwrap();
        let writer = std::thread::spawn(move || {
            for c in bytes.chunks(65_537) {
                if stdin.write_all(c).is_err() {
                    break; // the child stopped early: the check below fails
                }
            }
        });
        let o = child.wait_with_output().unwrap();
        writer.join().unwrap();
        assert!(
            o.status.success() && out.exists(),
            "{which} child failed:\n{}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        numpy_equal(&out, &d.join(want));
    }
}

/// An empty pipe is an empty table, as for an empty regular file; a
/// directory is an I/O error naming it.
#[test]
fn empty_pipe_and_directory() {
    let d = common::scratch("text_pipes_empty");
    let fifo = d.join("empty.fifo");
    mkfifo(&fifo);
    let w = {
        let fifo = fifo.clone();
        std::thread::spawn(move || drop(std::fs::OpenOptions::new().write(true).open(&fifo)))
    };
    let f = npyio::text::loadtxt(&fifo, &Default::default()).unwrap();
    w.join().unwrap();
    std::fs::write(d.join("empty.txt"), b"").unwrap();
    let g = npyio::text::loadtxt(d.join("empty.txt"), &Default::default()).unwrap();
    assert_eq!(f.header().shape, g.header().shape);
    assert_eq!(f.header().shape, vec![0]);
    let e = npyio::text::loadtxt(&d, &Default::default()).unwrap_err();
    assert_eq!(e.status(), npyio::Status::Io, "{e}");
    assert!(
        e.message().contains(&*d.to_string_lossy()) && e.message().contains("is a directory"),
        "{e}"
    );
    let e = npyio::text::genfromtxt(&d, &Default::default()).unwrap_err();
    assert_eq!(e.status(), npyio::Status::Io, "{e}");
    assert!(e.message().contains("is a directory"), "{e}");
}
