//! `convert`, `pack`, `unpack` and `verify` against NumPy's own
//! conversions, and the command line's errors and exit codes.

use npyio_test_support::*;
use std::path::Path;

fn read(p: impl AsRef<Path>) -> Vec<u8> {
    std::fs::read(p.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", p.as_ref().display()))
}

/// Arrays NumPy writes for the conversion tests.
const MAKE: &str = r#"
import numpy as np
rng = np.random.default_rng(7)
np.save('f8.npy', rng.standard_normal((50, 4)))
np.save('i4.npy', rng.integers(-1000, 1000, (20, 3)).astype('>i4'))
np.save('one.npy', np.arange(10.0) / 3)
np.save('rec.npy', np.array([(1, 2.5), (3, -4.0)], dtype=[('n', '<i4'), ('x', '<f8')]))
np.save('fort.npy', np.asfortranarray(rng.standard_normal((30, 7))))
np.save('u.npy', np.array(['a', 'bc'], dtype='<U2'))
np.save('empty.npy', np.zeros((0, 3)))
np.save('big.npy', rng.standard_normal((300000, 5)))  # 12 MB: several slabs
with open('table.csv', 'w') as f:
    f.write('# a comment\nx,y,z\n1,2.5,3\n4,5e-3,-6\n7,8,9\n')
"#;

fn setup(name: &str) -> std::path::PathBuf {
    let d = scratch(name);
    py(&d, MAKE);
    d
}

#[test]
fn npy_to_text_is_np_savetxt() {
    let d = setup("to_text");
    for (file, out, extra, numpy) in [
        (
            "f8.npy",
            "f8.csv",
            vec![],
            "np.savetxt('want', a, delimiter=',')",
        ),
        ("f8.npy", "f8.txt", vec![], "np.savetxt('want', a)"),
        (
            "f8.npy",
            "f8b.txt",
            vec!["--fmt", "%.3f", "--delimiter", ";"],
            "np.savetxt('want', a, fmt='%.3f', delimiter=';')",
        ),
        (
            "i4.npy",
            "i4.csv",
            vec!["--fmt", "%d"],
            "np.savetxt('want', a, fmt='%d', delimiter=',')",
        ),
        (
            "i4.npy",
            "i4b.csv",
            vec!["--fmt", "%5d", "--fmt", "%x", "--fmt", "%o"],
            "np.savetxt('want', a, fmt=['%5d', '%x', '%o'], delimiter=',')",
        ),
        (
            "one.npy",
            "one.txt",
            vec!["--header", "values"],
            "np.savetxt('want', a, header='values')",
        ),
        (
            "rec.npy",
            "rec.tsv",
            vec!["--fmt", "%d\t%.2f"],
            "np.savetxt('want', a, fmt='%d\\t%.2f', delimiter='\\t')",
        ),
        (
            "fort.npy",
            "fort.csv",
            vec![],
            "np.savetxt('want', a, delimiter=',')",
        ),
        (
            "u.npy",
            "u.txt",
            vec!["--fmt", "%s"],
            "np.savetxt('want', a, fmt='%s')",
        ),
        (
            "big.npy",
            "big.csv",
            vec!["--fmt", "%.6g"],
            "np.savetxt('want', a, fmt='%.6g', delimiter=',')",
        ),
    ] {
        let mut args = vec!["convert", file, out];
        args.extend(&extra);
        npyio_ok(&d, &args, 0);
        py(
            &d,
            &format!("import numpy as np\na = np.load('{file}')\n{numpy}"),
        );
        assert!(
            read(d.join(out)) == read(d.join("want")),
            "{args:?} differs from {numpy}"
        );
    }
}

#[test]
fn text_to_npy_is_np_loadtxt() {
    let d = setup("from_text");
    py(
        &d,
        "import numpy as np\nnp.savetxt('m.txt', np.arange(12.0).reshape(4, 3) / 7)\n",
    );
    for (file, out, extra, numpy) in [
        ("table.csv", "t1.npy", vec!["--skiprows", "2"], "np.loadtxt('table.csv', delimiter=',', skiprows=2)"),
        ("table.csv", "t2.npy", vec!["--skiprows", "2", "--usecols", "0,2", "--dtype", "int32"], "np.loadtxt('table.csv', delimiter=',', skiprows=2, usecols=(0, 2), dtype='int32')"),
        ("table.csv", "t3.npy", vec!["--skiprows", "2", "--dtype", "[('a','<i8'),('b','<f4'),('c','<f8')]"], "np.loadtxt('table.csv', delimiter=',', skiprows=2, dtype=[('a','<i8'),('b','<f4'),('c','<f8')])"),
        ("table.csv", "t4.npy", vec!["--skiprows", "2", "--max-rows", "2", "--usecols=-1"], "np.loadtxt('table.csv', delimiter=',', skiprows=2, max_rows=2, usecols=-1)"),
        ("m.txt", "m.npy", vec![], "np.loadtxt('m.txt')"),
    ] {
        let mut args = vec!["convert", file, out];
        args.extend(&extra);
        npyio_ok(&d, &args, 0);
        py(&d, &format!("import numpy as np\nnp.save('want.npy', {numpy})"));
        assert!(read(d.join(out)) == read(d.join("want.npy")), "{args:?} differs from {numpy}");
    }
    // A table into an archive member.
    npyio_ok(&d, &["convert", "m.txt", "m.npz:table"], 0);
    py(&d, "import numpy as np\nz = np.load('m.npz')\nassert z.files == ['table']\nassert np.array_equal(z['table'], np.loadtxt('m.txt'))");
    // Bad text: a clear error naming the file, exit 1.
    std::fs::write(d.join("bad.csv"), "1,2\n3,x\n").unwrap();
    let o = npyio(&d, &["convert", "bad.csv", "bad.npy"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("bad.csv"), "{}", stderr(&o));
}

#[test]
fn npy_npz_round_trips_are_byte_identical_to_numpy() {
    let d = setup("npz");
    for f in ["f8", "i4", "rec", "fort", "u", "empty", "big"] {
        // .npy -> .npz: the same bytes as np.savez.
        npyio_ok(
            &d,
            &["convert", &format!("{f}.npy"), &format!("{f}.npz")],
            0,
        );
        py(
            &d,
            &format!("import numpy as np\nnp.savez('want.npz', {f}=np.load('{f}.npy'))"),
        );
        assert!(
            read(d.join(format!("{f}.npz"))) == read(d.join("want.npz")),
            "{f}.npz != np.savez"
        );
        // compressed: NumPy loads the same array.
        npyio_ok(
            &d,
            &[
                "convert",
                "--compress",
                &format!("{f}.npy"),
                &format!("{f}c.npz"),
            ],
            0,
        );
        py(&d, &format!(
            "import numpy as np, zipfile\nz = np.load('{f}c.npz')\na = np.load('{f}.npy')\nassert z.files == ['{f}']\nb = z['{f}']\nassert a.dtype == b.dtype and a.shape == b.shape and a.flags.f_contiguous == b.flags.f_contiguous\nassert np.array_equal(a, b)\nassert zipfile.ZipFile('{f}c.npz').infolist()[0].compress_type == zipfile.ZIP_DEFLATED"
        ));
        // member -> .npy: byte-identical to the original (np.save of z[key]).
        for src in [format!("{f}.npz:{f}"), format!("{f}c.npz:{f}")] {
            npyio_ok(&d, &["convert", &src, "back.npy"], 0);
            assert!(
                read(d.join("back.npy")) == read(d.join(format!("{f}.npy"))),
                "{src} -> .npy"
            );
        }
    }
    // Adding members to an existing archive keeps the others.
    npyio_ok(&d, &["convert", "i4.npy", "f8.npz:ints"], 0);
    npyio_ok(&d, &["convert", "--compress", "one.npy", "f8.npz:f8"], 0);
    py(&d, "import numpy as np\nz = np.load('f8.npz')\nassert sorted(z.files) == ['f8', 'ints'], z.files\nassert np.array_equal(z['f8'], np.load('one.npy'))\nassert np.array_equal(z['ints'], np.load('i4.npy'))");
    // Recompress a whole archive.
    npyio_ok(&d, &["convert", "--compress", "f8.npz", "f8c2.npz"], 0);
    py(&d, "import numpy as np\na, b = np.load('f8.npz'), np.load('f8c2.npz')\nassert a.files == b.files\nfor k in a.files: assert np.array_equal(a[k], b[k])");
}

#[test]
fn pack_and_unpack_round_trip_through_numpy() {
    let d = setup("pack");
    npyio_ok(
        &d,
        &[
            "pack",
            "p.npz",
            "f8.npy",
            "i4.npy",
            "rec.npy",
            "fort.npy",
            "u.npy",
            "empty.npy",
        ],
        0,
    );
    py(&d, "import numpy as np\nnames = ['f8', 'i4', 'rec', 'fort', 'u', 'empty']\nnp.savez('want.npz', **{n: np.load(n + '.npy') for n in names})");
    assert!(
        read(d.join("p.npz")) == read(d.join("want.npz")),
        "pack != np.savez"
    );
    npyio_ok(
        &d,
        &["pack", "--compress", "pc.npz", "weights=f8.npy", "fort.npy"],
        0,
    );
    py(&d, "import numpy as np\nz = np.load('pc.npz')\nassert z.files == ['weights', 'fort']\nassert np.array_equal(z['weights'], np.load('f8.npy'))\nassert np.array_equal(z['fort'], np.load('fort.npy'))");
    // Two members with one name: refused, nothing written.
    let o = npyio(&d, &["pack", "dup.npz", "f8.npy", "f8.npy"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!d.join("dup.npz").exists());
    // unpack: every member as np.save writes it; raw members as bytes.
    py(&d, "import numpy as np, zipfile\nwith zipfile.ZipFile('pc.npz', 'a') as z: z.writestr('notes.txt', b'hello')");
    npyio_ok(&d, &["unpack", "pc.npz", "out"], 0);
    assert!(read(d.join("out/weights.npy")) == read(d.join("f8.npy")));
    assert!(read(d.join("out/fort.npy")) == read(d.join("fort.npy")));
    assert_eq!(read(d.join("out/notes.txt")), b"hello");
    npyio_ok(&d, &["unpack", "p.npz", "some", "rec", "u"], 0);
    let mut names: Vec<String> = std::fs::read_dir(d.join("some"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["rec.npy", "u.npy"]);
    // A member name that would escape the directory is refused.
    py(
        &d,
        "import numpy as np\nnp.savez('evil.npz', **{'../escape': np.arange(3)})",
    );
    let o = npyio(&d, &["unpack", "evil.npz", "safe"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!d.join("escape.npy").exists());
}

#[test]
fn verify_finds_damage() {
    let d = setup("verify");
    py(&d, "import numpy as np\nnp.savez('s.npz', a=np.arange(1000.0), b=np.eye(3))\nnp.savez_compressed('c.npz', a=np.arange(100000.0), f=np.asfortranarray(np.ones((40, 30))))");
    let out = npyio_ok(
        &d,
        &[
            "verify",
            "f8.npy",
            "fort.npy",
            "empty.npy",
            "s.npz",
            "c.npz",
        ],
        0,
    );
    assert_eq!(out.lines().count(), 5, "{out}");
    assert!(out.lines().all(|l| l.contains(": OK (")), "{out}");
    // A flipped byte in a stored member's data: CRC failure.
    let mut b = read(d.join("s.npz"));
    let at = b.windows(6).position(|w| w == b"\x93NUMPY").unwrap() + 200;
    b[at] ^= 0x40;
    std::fs::write(d.join("s_bad.npz"), &b).unwrap();
    // A flipped byte in a deflate member: inflate error or CRC failure.
    let mut b = read(d.join("c.npz"));
    let at = b.len() / 3;
    b[at] ^= 0x01;
    std::fs::write(d.join("c_bad.npz"), &b).unwrap();
    // A truncated .npy.
    let b = read(d.join("f8.npy"));
    std::fs::write(d.join("short.npy"), &b[..b.len() - 8]).unwrap();
    // Not NumPy at all.
    std::fs::write(d.join("junk.npy"), b"hello world").unwrap();
    let o = npyio(
        &d,
        &[
            "verify",
            "s_bad.npz",
            "c_bad.npz",
            "short.npy",
            "f8.npy",
            "junk.npy",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out}");
    assert!(
        lines[0].starts_with("s_bad.npz: FAILED:") && lines[0].contains("CRC"),
        "{out}"
    );
    assert!(lines[1].starts_with("c_bad.npz: FAILED:"), "{out}");
    assert!(
        lines[2].starts_with("short.npy: FAILED:") && lines[2].contains("truncated"),
        "{out}"
    );
    assert!(lines[3].starts_with("f8.npy: OK"), "{out}");
    assert!(lines[4].starts_with("junk.npy: FAILED:"), "{out}");
    // NumPy agrees that the damaged archive is damaged.
    py(&d, "import numpy as np, zipfile\ntry:\n    np.load('s_bad.npz')['a']\n    raise SystemExit('numpy read it')\nexcept zipfile.BadZipFile as e:\n    assert 'CRC' in str(e)");
}

#[test]
fn errors_name_the_file_and_use_the_documented_exit_codes() {
    let d = setup("errors");
    py(
        &d,
        "import numpy as np\nnp.savez('two.npz', a=np.arange(3), b=np.arange(4))",
    );
    let cases: &[(&[&str], i32, &str)] = &[
        (&["info", "missing.npy"], 3, "missing.npy"),
        (&["head", "missing.npy"], 3, "missing.npy"),
        (&["head", "two.npz:zz"], 2, "no member named 'zz'"),
        (&["head", "--slice", "1:2", "f8.npy"], 2, "--slice"),
        (
            &["cat", "--slice", "::0", "f8.npy"],
            2,
            "step cannot be zero",
        ),
        (
            &["convert", "two.npz", "x.npy"],
            2,
            "name one as two.npz:KEY",
        ),
        (&["convert", "f8.npy", "x.weird"], 2, "x.weird"),
        (&["convert", "table.csv", "x.csv"], 2, "text to text"),
        (
            &["convert", "f8.npy", "x.npy", "--skiprows", "1"],
            2,
            "--skiprows",
        ),
        (&["head", "table.csv"], 1, "table.csv"),
        (&["frobnicate"], 2, "frobnicate"),
    ];
    for (args, code, needle) in cases {
        let o = npyio(&d, args);
        assert_eq!(o.status.code(), Some(*code), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(needle),
            "{args:?}: stderr lacks {needle:?}: {}",
            stderr(&o)
        );
    }
    // A failed conversion leaves the old output untouched.
    std::fs::write(d.join("keep.npy"), b"old").unwrap();
    let o = npyio(&d, &["convert", "table.csv", "keep.npy"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(read(d.join("keep.npy")), b"old");
    // Help: every command documented, exit codes in the top-level help.
    let help = npyio_ok(&d, &["--help"], 0);
    for w in [
        "info",
        "head",
        "cat",
        "convert",
        "pack",
        "unpack",
        "verify",
        "Exit status",
        "0  success",
        "1  a file",
        "2  usage",
        "3  operating-system",
    ] {
        assert!(help.contains(w), "--help lacks {w:?}:\n{help}");
    }
    for c in ["info", "head", "cat", "convert", "pack", "unpack", "verify"] {
        let h = npyio_ok(&d, &[c, "--help"], 0);
        assert!(h.len() > 300, "{c} --help is thin:\n{h}");
    }
    // head on an archive prints every member under a header line.
    let out = npyio_ok(&d, &["head", "two.npz"], 0);
    assert_eq!(
        out,
        "==> two.npz:a <==\narray([0, 1, 2])\n\n==> two.npz:b <==\narray([0, 1, 2, 3])\n"
    );
    // No progress bar when stderr is not a terminal.
    let o = npyio(&d, &["convert", "big.npy", "big2.npz"]);
    assert!(o.status.success() && o.stderr.is_empty(), "{}", stderr(&o));
}

/// Exit code and stderr of a run that must fail.
fn fails(d: &Path, args: &[&str], code: i32, needles: &[&str]) {
    let o = npyio(d, args);
    assert_eq!(o.status.code(), Some(code), "{args:?}: {}", stderr(&o));
    for n in needles {
        assert!(
            stderr(&o).contains(n),
            "{args:?}: stderr lacks {n:?}: {}",
            stderr(&o)
        );
    }
}

/// unpack writes what np.load returns for every member: arrays as np.save
/// writes them, other members (short ones too) as their bytes, directory
/// entries as directories.
#[test]
fn unpack_writes_what_numpy_returns() {
    let d = scratch("unpack_numpy");
    py(
        &d,
        "import numpy as np, zipfile\n\
         np.savez('m.npz', x=np.arange(6.0).reshape(2, 3), y=np.array(['ab', 'c']))\n\
         with zipfile.ZipFile('m.npz', 'a') as z:\n\
         \x20   z.writestr('sub/', b'')\n\
         \x20   z.writestr('sub/deep.bin', b'abc')\n\
         \x20   z.writestr('short', b'\\x93NU')\n\
         \x20   z.writestr('empty', b'')\n\
         \x20   z.writestr('five', b'12345')\n\
         \x20   z.writestr('notes.txt', b'not an array\\n')\n",
    );
    npyio_ok(&d, &["unpack", "m.npz", "out"], 0);
    py(
        &d,
        "import numpy as np, os, io\n\
         z = np.load('m.npz')\n\
         assert len(z.files) == 8, z.files\n\
         for k in z.files:\n\
         \x20   v = z[k]\n\
         \x20   if isinstance(v, bytes):\n\
         \x20       p = os.path.join('out', k)\n\
         \x20       if k.endswith('/'):\n\
         \x20           assert v == b'' and os.path.isdir(p) and not os.path.islink(p), k\n\
         \x20       else:\n\
         \x20           assert open(p, 'rb').read() == v, k\n\
         \x20   else:\n\
         \x20       b = io.BytesIO(); np.save(b, v)\n\
         \x20       assert open(os.path.join('out', k + '.npy'), 'rb').read() == b.getvalue(), k\n\
         n = sum(len(fs) + len(ds) for _, ds, fs in os.walk('out'))\n\
         assert n == 8, n\n",
    );
}

/// A symlink already in the output directory is never followed, an
/// existing file never overwritten: exit 3 before anything is written.
#[test]
fn unpack_never_follows_symlinks_or_overwrites() {
    let d = scratch("unpack_symlinks");
    py(
        &d,
        "import numpy as np, zipfile\n\
         np.savez('m.npz', x=np.arange(3))\n\
         with zipfile.ZipFile('m.npz', 'a') as z:\n\
         \x20   z.writestr('sub/y.bin', b'abc')\n",
    );
    std::fs::create_dir_all(d.join("elsewhere")).unwrap();
    // DIR/x.npy -> a file outside DIR.
    std::fs::create_dir_all(d.join("o1")).unwrap();
    std::os::unix::fs::symlink(d.join("victim.npy"), d.join("o1/x.npy")).unwrap();
    fails(
        &d,
        &["unpack", "m.npz", "o1"],
        3,
        &["o1/x.npy: is a symlink", "never writes through a symlink"],
    );
    assert!(!d.join("victim.npy").exists());
    assert!(!d.join("o1/sub").exists(), "something was written");
    // DIR/sub -> a directory outside DIR.
    std::fs::create_dir_all(d.join("o2")).unwrap();
    std::os::unix::fs::symlink(d.join("elsewhere"), d.join("o2/sub")).unwrap();
    fails(&d, &["unpack", "m.npz", "o2"], 3, &["o2/sub: is a symlink"]);
    assert_eq!(std::fs::read_dir(d.join("elsewhere")).unwrap().count(), 0);
    assert!(!d.join("o2/x.npy").exists(), "something was written");
    // An existing file is kept.
    std::fs::create_dir_all(d.join("o3/sub")).unwrap();
    std::fs::write(d.join("o3/sub/y.bin"), b"mine").unwrap();
    fails(
        &d,
        &["unpack", "m.npz", "o3"],
        3,
        &["o3/sub/y.bin: already exists", "never overwrites"],
    );
    assert_eq!(read(d.join("o3/sub/y.bin")), b"mine");
    assert!(!d.join("o3/x.npy").exists());
    // A second unpack into the same directory is refused the same way.
    npyio_ok(&d, &["unpack", "m.npz", "o4"], 0);
    fails(&d, &["unpack", "m.npz", "o4"], 3, &["already exists"]);
}

/// Two members that would land on one path (`x` holding an array and
/// `x.npy`), or a file where another member needs a directory: refused
/// with exit 1, nothing written.
#[test]
fn unpack_refuses_name_collisions() {
    let d = scratch("unpack_collisions");
    py(
        &d,
        "import numpy as np, zipfile, io\n\
         np.savez('both.npz', x=np.arange(3))\n\
         b = io.BytesIO(); np.save(b, np.arange(4))\n\
         with zipfile.ZipFile('both.npz', 'a') as z:\n\
         \x20   z.writestr('x', b.getvalue())\n\
         z = np.load('both.npz')\n\
         assert z.files == ['x', 'x'], z.files\n\
         np.savez('nest.npz', a=np.arange(2))\n\
         with zipfile.ZipFile('nest.npz', 'a') as z:\n\
         \x20   z.writestr('a.npy/b', b'q')\n\
         np.savez('raw.npz', a=np.arange(2))\n\
         with zipfile.ZipFile('raw.npz', 'a') as z:\n\
         \x20   z.writestr('a', b'raw')\n",
    );
    fails(
        &d,
        &["unpack", "both.npz", "o1"],
        1,
        &["members 'x.npy' and 'x' would both be written to o1/x.npy"],
    );
    assert!(!d.join("o1").exists());
    fails(
        &d,
        &["unpack", "nest.npz", "o2"],
        1,
        &["member 'a.npy' would be written to o2/a.npy, where member 'a.npy/b' needs a directory"],
    );
    assert!(!d.join("o2").exists());
    // A raw member `a` and an array `a` go to different files: no clash.
    npyio_ok(&d, &["unpack", "raw.npz", "o3"], 0);
    assert_eq!(read(d.join("o3/a")), b"raw");
    assert!(d.join("o3/a.npy").is_file());
}

/// head and info on archives with many members open the archive once and
/// stream: bounded by CPU time (the old head reopened the archive per
/// member: quadratic) and address space (the old info kept every member's
/// description until the end).
#[test]
fn head_and_info_scale_to_many_members() {
    let d = scratch("many_members");
    let n = 30000;
    py(
        &d,
        &format!(
            "import numpy as np, zipfile, io\n\
             b = io.BytesIO(); np.save(b, np.arange(3)); data = b.getvalue()\n\
             with zipfile.ZipFile('many.npz', 'w') as z:\n\
             \x20   for i in range({n}):\n\
             \x20       z.writestr(f'm{{i}}.npy', data)\n"
        ),
    );
    let bounded = |args: &str| -> String {
        // 20 CPU seconds and 128 MiB of address space: the old head needed
        // minutes of CPU, the old info 230 MB for 30000 members (this one
        // about 13 MB).
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "ulimit -t 20 && ulimit -v 131072 && exec \"$0\" {args}"
            ))
            .arg(env!("CARGO_BIN_EXE_npyio"))
            .current_dir(&d)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args}: {:?}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let head = bounded("head -n 1 many.npz");
    assert_eq!(head.lines().count(), 3 * n - 1);
    assert!(head.starts_with("==> many.npz:m0 <==\narray([0])\n\n==> many.npz:m1 <==\n"));
    assert!(head.ends_with(&format!("==> many.npz:m{} <==\narray([0])\n", n - 1)));
    let info = bounded("info many.npz");
    assert!(info.starts_with(&format!("many.npz: NumPy .npz archive, {n} members,")));
    assert_eq!(info.matches("  member '").count(), n);
    let json = bounded("info --json many.npz");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let members = v[0]["members"].as_array().unwrap();
    assert_eq!(members.len(), n);
    assert_eq!(members[n - 1]["key"], format!("m{}", n - 1));
    assert_eq!(members[n - 1]["shape"], serde_json::json!([3]));
}

/// `--fmt` with long precisions writes what np.savetxt writes; formats
/// Python refuses are a usage error (exit 2) naming the directive — never
/// a panic (exit 101).
#[test]
fn convert_fmt_long_precisions_and_refused_formats() {
    let d = setup("fmt_long");
    for (i, fmt) in ["%.65535e", "%.65536f", "%.99999F", "%#.70000g"]
        .iter()
        .enumerate()
    {
        let out = format!("long{i}.txt");
        let o = npyio(&d, &["convert", "one.npy", &out, "--fmt", fmt]);
        assert_eq!(o.status.code(), Some(0), "{fmt}: {}", stderr(&o));
        py(
            &d,
            &format!("import numpy as np\nnp.savetxt('want', np.load('one.npy'), fmt='{fmt}')"),
        );
        assert!(read(d.join(&out)) == read(d.join("want")), "{fmt} differs");
    }
    for (fmt, needle) in [
        ("%.2147483648f", "precision too big"),
        ("%9223372036854775808d", "width too big"),
        ("%99999999999d", "more than 2147483647 characters"),
        ("%lld", "unsupported format character 'l' (0x6c) at index 2"),
        ("%5.", "incomplete format"),
    ] {
        let o = npyio(&d, &["convert", "one.npy", "bad.txt", "--fmt", fmt]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{fmt}: {err}");
        assert!(err.contains(needle) && err.contains(fmt), "{fmt}: {err}");
        assert!(!err.contains("panicked"), "{fmt}: {err}");
        assert!(!d.join("bad.txt").exists(), "{fmt}");
    }
}

/// A mistyped command or option gets clap's "did you mean" tip and exit 2.
#[test]
fn mistyped_commands_and_options_get_a_suggestion() {
    let d = setup("suggest");
    for (args, tip) in [
        (&["inf", "x.npy"][..], "a similar subcommand exists: 'info'"),
        (
            &["head", "--row", "5", "f8.npy"][..],
            "a similar argument exists: '--rows'",
        ),
        (
            &["convert", "--skiprow", "1", "table.csv", "t.npy"][..],
            "a similar argument exists: '--skiprows'",
        ),
        (
            &["verfy", "f8.npy"][..],
            "a similar subcommand exists: 'verify'",
        ),
    ] {
        let o = npyio(&d, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(tip),
            "{args:?}: no {tip:?} in\n{}",
            stderr(&o)
        );
    }
    // Nothing close: no tip, still exit 2.
    let o = npyio(&d, &["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains("similar"), "{}", stderr(&o));
}

/// A member the archive does not have: exit 2, the message names the
/// archive and the member and lists the members, at most 20 of them.
#[test]
fn a_missing_member_lists_the_members() {
    let d = scratch("missing_member");
    py(
        &d,
        "import numpy as np\n\
         np.savez('two.npz', a=np.arange(3), b=np.arange(4))\n\
         np.savez('many.npz', **{f'k{i}': np.arange(2) for i in range(25)})\n\
         np.savez('one.npz', x=np.arange(3))\n\
         np.save('x.npy', np.arange(3))\n",
    );
    fails(
        &d,
        &["head", "two.npz:nope"],
        2,
        &["two.npz: no member named 'nope' (2 members: 'a', 'b')"],
    );
    let first20 = (0..20)
        .map(|i| format!("'k{i}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let want = format!("many.npz: no member named 'nope' (25 members: {first20}, ... 5 more)");
    for args in [
        &["head", "many.npz:nope"][..],
        &["cat", "many.npz:nope"][..],
        &["info", "many.npz:nope"][..],
        &["convert", "many.npz:nope", "y.npy"][..],
        &["unpack", "many.npz", "out", "nope"][..],
    ] {
        let o = npyio(&d, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(&want), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("'k20'"), "{args:?}: {}", stderr(&o));
    }
    assert!(!d.join("y.npy").exists() && !d.join("out").exists());
    fails(&d, &["head", "one.npz:y"], 2, &["(1 member: 'x')"]);
    // An archive with several members where one array is needed: the same
    // bounded list.
    fails(
        &d,
        &["convert", "many.npz", "y.npy"],
        2,
        &["name one as many.npz:KEY", "'k19', ... 5 more)"],
    );
}

/// When the first data line of a table does not parse (a header line,
/// most likely), the error suggests the --skiprows that skips it; the
/// suggestion works.
#[test]
fn a_header_line_gets_a_skiprows_hint() {
    let d = scratch("skiprows_hint");
    std::fs::write(d.join("h.csv"), "a,b,c\n1,2,3\n4,5,6\n").unwrap();
    std::fs::write(d.join("c.csv"), "# exported\n\nname,x\n1,2\n3,4\n").unwrap();
    std::fs::write(d.join("late.csv"), "1,2\n3,4\nx,6\n").unwrap();
    std::fs::write(d.join("cols.csv"), "1,2\n3,4,5\n").unwrap();
    std::fs::create_dir_all(d.join("pipeline 7")).unwrap();
    std::fs::write(d.join("pipeline 7/h.csv"), "a,b\n1,2\n").unwrap();
    for out in ["h.npy", "h.npz"] {
        fails(
            &d,
            &["convert", "h.csv", out],
            1,
            &["h.csv: line 1, column 1: cannot parse \"a\" as float64 (a header line? try --skiprows 1)"],
        );
    }
    fails(
        &d,
        &["convert", "--dtype", "int32", "c.csv", "c.npy"],
        1,
        &["c.csv: line 3, column 1: cannot parse \"name\" as int32 (a header line? try --skiprows 3)"],
    );
    // "line " in the file's name does not confuse it.
    fails(
        &d,
        &["convert", "pipeline 7/h.csv", "p.npy"],
        1,
        &["pipeline 7/h.csv: line 1, column 1: cannot parse \"a\" as float64 (a header line? try --skiprows 1)"],
    );
    // --skiprows already given: the hint counts from the file's start.
    fails(
        &d,
        &["convert", "--skiprows", "1", "c.csv", "c.npy"],
        1,
        &["(a header line? try --skiprows 3)"],
    );
    // The hint is right: with it, the result is np.loadtxt's.
    npyio_ok(&d, &["convert", "--skiprows", "3", "c.csv", "c.npy"], 0);
    npyio_ok(&d, &["convert", "--skiprows", "1", "h.csv", "h.npz"], 0);
    py(
        &d,
        "import numpy as np\n\
         assert np.array_equal(np.load('c.npy'), np.loadtxt('c.csv', delimiter=',', skiprows=3))\n\
         assert np.array_equal(np.load('h.npz')['h'], np.loadtxt('h.csv', delimiter=',', skiprows=1))\n",
    );
    // A bad value further down, or a column count that changes: no hint.
    for (file, msg) in [
        ("late.csv", "late.csv: line 3, column 1: cannot parse \"x\""),
        ("cols.csv", "cols.csv: line 2"),
    ] {
        let o = npyio(&d, &["convert", file, "x.npy"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains(msg), "{}", stderr(&o));
        assert!(!stderr(&o).contains("--skiprows"), "{}", stderr(&o));
    }
}

/// A table converted into an archive is streamed: under an address-space
/// limit smaller than the parsed array (which the old in-memory parse
/// exceeded), the archive is written and NumPy reads it equal; the
/// temporary .npy is gone, and a failed conversion leaves the archive as it
/// was and no temporary file either.
#[test]
fn text_to_npz_streams_in_bounded_memory() {
    let d = scratch("text_to_npz_bounded");
    // 3,000,000 rows of 8 one-digit values: 48 MB of text, 192 MB parsed
    // (float64), under a 128 MiB limit (the old parse needed 240 MB: the
    // mapped text and the whole array).
    py(
        &d,
        "import numpy as np\n\
         rng = np.random.default_rng(11)\n\
         block = rng.integers(0, 10, (1000, 8))\n\
         np.save('block.npy', block)\n\
         text = ''.join(','.join(map(str, r)) + '\\n' for r in block).encode()\n\
         open('t.csv', 'wb').write(text * 3000)\n\
         np.savez('old.npz', keep=np.arange(5))\n",
    );
    let limited = |args: &str| {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -v 131072 && exec \"$0\" {args}"))
            .arg(env!("CARGO_BIN_EXE_npyio"))
            .current_dir(&d)
            .output()
            .unwrap()
    };
    let o = limited("convert t.csv t.npz");
    assert!(o.status.success(), "{:?}: {}", o.status, stderr(&o));
    let o = limited("convert --compress t.csv old.npz:table");
    assert!(o.status.success(), "{:?}: {}", o.status, stderr(&o));
    py(
        &d,
        "import numpy as np, zipfile\n\
         want = np.tile(np.load('block.npy').astype(np.float64), (3000, 1))\n\
         assert np.array_equal(np.loadtxt('t.csv', delimiter=',', max_rows=2500), want[:2500])\n\
         z = np.load('t.npz')\n\
         assert z.files == ['t'], z.files\n\
         a = z['t']\n\
         assert a.dtype == np.float64 and a.shape == (3000000, 8), (a.dtype, a.shape)\n\
         assert np.array_equal(a, want)\n\
         del a\n\
         z = np.load('old.npz')\n\
         assert sorted(z.files) == ['keep', 'table'], z.files\n\
         assert np.array_equal(z['keep'], np.arange(5))\n\
         assert np.array_equal(z['table'], want)\n\
         assert zipfile.ZipFile('old.npz').getinfo('table.npy').compress_type == zipfile.ZIP_DEFLATED\n",
    );
    assert_eq!(temp_files(&d), Vec::<String>::new());
    // A bad value deep in the table (after several blocks were parsed).
    let mut bad = read(d.join("t.csv"));
    let at = bad.len() - 100;
    bad[at] = b'x';
    std::fs::write(d.join("bad.csv"), &bad).unwrap();
    let before = read(d.join("old.npz"));
    let o = limited("convert bad.csv old.npz:table2");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("bad.csv: line "), "{}", stderr(&o));
    assert!(read(d.join("old.npz")) == before, "the archive changed");
    assert_eq!(temp_files(&d), Vec::<String>::new());
}

/// The progress bar: off when stderr is not a terminal; `--progress`
/// draws it anyway, for parsing a table as for writing an archive, as
/// frames from 0 % to 100 % that end erased; `--quiet` and `--progress`
/// conflict.
#[test]
fn progress_bar_on_text_conversions() {
    let d = scratch("progress");
    py(
        &d,
        "import numpy as np\n\
         np.savetxt('t.csv', np.random.default_rng(5).standard_normal((20000, 6)), delimiter=',')\n\
         np.save('a.npy', np.arange(100000.0))\n",
    );
    let csv_len = std::fs::metadata(d.join("t.csv")).unwrap().len();
    for args in [
        &["convert", "t.csv", "t.npy"][..],
        &["convert", "t.csv", "t.npz"][..],
        &["convert", "a.npy", "a.npz"][..],
    ] {
        let o = npyio(&d, args);
        assert!(
            o.status.success() && o.stderr.is_empty(),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    // Frames: "\r{label} [{30 of # and -}] {pct}% {done} / {total} {rate} MiB/s\x1b[K",
    // then "\r\x1b[K" to erase.
    let frames = |err: &str| -> Vec<(String, u32, String, String)> {
        assert!(
            err.starts_with('\r') && err.ends_with("\r\x1b[K"),
            "{err:?}"
        );
        let mut out = Vec::new();
        for f in err[1..err.len() - 4].split('\r') {
            let f = f
                .strip_suffix("\x1b[K")
                .unwrap_or_else(|| panic!("frame {f:?}"));
            let (label, rest) = f.split_once(" [").unwrap_or_else(|| panic!("frame {f:?}"));
            let (bar, rest) = rest.split_once("] ").unwrap();
            assert_eq!(bar.len(), 30, "{f:?}");
            assert!(
                bar.trim_start_matches('#').chars().all(|c| c == '-'),
                "{f:?}"
            );
            let (pct, rest) = rest.split_once("% ").unwrap();
            let pct: u32 = pct.trim().parse().unwrap();
            let (done, rest) = rest.split_once(" / ").unwrap();
            let total = rest.rsplitn(3, ' ').nth(2).unwrap().to_string();
            assert!(rest.ends_with(" MiB/s"), "{f:?}");
            out.push((label.to_string(), pct, done.to_string(), total));
        }
        out
    };
    let total = |n: u64| {
        // As the bar shows sizes.
        let mut v = n as f64;
        let mut u = 0;
        while v >= 1024.0 {
            v /= 1024.0;
            u += 1;
        }
        format!("{v:.1} {}", ["B", "KiB", "MiB", "GiB"][u])
    };
    let o = npyio(&d, &["convert", "--progress", "t.csv", "p.npy"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let f = frames(&stderr(&o));
    assert!(f.len() >= 2, "{f:?}");
    assert!(
        f.iter()
            .all(|x| x.0 == "parse t.csv" && x.3 == total(csv_len)),
        "{f:?}"
    );
    assert_eq!((f[0].1, f[0].2.as_str()), (0, "0 B"), "{f:?}");
    assert_eq!(
        (f[f.len() - 1].1, &f[f.len() - 1].2),
        (100, &total(csv_len)),
        "{f:?}"
    );
    assert!(f.windows(2).all(|w| w[0].1 <= w[1].1), "{f:?}");
    assert!(read(d.join("p.npy")) == read(d.join("t.npy")));

    let o = npyio(&d, &["convert", "--progress", "t.csv", "p.npz"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    // Two bars, each erased: parsing the table, then writing the archive.
    let (parse, write) = err.split_at(err.find("\r\x1b[K\r").unwrap() + 4);
    let p = frames(parse);
    let w = frames(write);
    assert!(p.iter().all(|x| x.0 == "parse t.csv"), "{p:?}");
    assert!(w.iter().all(|x| x.0 == "write p.npz"), "{w:?}");
    assert_eq!((p[0].1, p[p.len() - 1].1), (0, 100), "{p:?}");
    assert_eq!((w[0].1, w[w.len() - 1].1), (0, 100), "{w:?}");
    assert_eq!(w[w.len() - 1].2, total(20000 * 6 * 8), "{w:?}");
    py(&d, "import numpy as np\nz = np.load('p.npz')\nassert z.files == ['t'] and np.array_equal(z['t'], np.load('t.npy'))");

    fails(
        &d,
        &["convert", "--quiet", "--progress", "t.csv", "q.npy"],
        2,
        &["'--quiet' cannot be used with '--progress'"],
    );
}

/// A table converted into a FIFO goes through a temporary .npy in $TMPDIR
/// (a stream cannot have its header filled in at the end), which is gone
/// afterwards; the reader gets what np.save / np.savez write.
#[test]
fn text_to_a_fifo_streams_through_tmpdir() {
    let d = scratch("text_to_fifo");
    std::fs::create_dir_all(d.join("tmp")).unwrap();
    py(
        &d,
        "import numpy as np, os\n\
         np.savetxt('t.csv', np.arange(60.0).reshape(20, 3) / 7, delimiter=',')\n\
         os.mkfifo('p.npy')\n\
         os.mkfifo('p.npz')\n",
    );
    for (fifo, got) in [("p.npy", "got.npy"), ("p.npz", "got.npz")] {
        let o = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "\"$0\" convert t.csv {fifo} & cat {fifo} > {got}; wait $!"
            ))
            .arg(env!("CARGO_BIN_EXE_npyio"))
            .env("TMPDIR", d.join("tmp"))
            .current_dir(&d)
            .output()
            .unwrap();
        assert!(o.status.success(), "{fifo}: {:?}: {}", o.status, stderr(&o));
    }
    py(
        &d,
        "import numpy as np, io\n\
         a = np.loadtxt('t.csv', delimiter=',')\n\
         b = io.BytesIO(); np.save(b, a)\n\
         assert open('got.npy', 'rb').read() == b.getvalue()\n\
         z = np.load('got.npz')\n\
         assert z.files == ['t'] and np.array_equal(z['t'], a)\n",
    );
    assert_eq!(std::fs::read_dir(d.join("tmp")).unwrap().count(), 0);
}

/// Directory entries and members that are not .npy files are what NumPy
/// returns as bytes: `info` and `verify` show them and exit 0.
#[test]
fn info_and_verify_show_raw_members() {
    let d = scratch("raw_members");
    let listing = py(
        &d,
        "import numpy as np, zipfile, io\n\
         b = io.BytesIO(); np.save(b, np.arange(3))\n\
         with zipfile.ZipFile('mixed.npz', 'w') as z:\n\
         \x20   z.writestr('sub/', b'')\n\
         \x20   z.writestr('readme.txt', b'hello world\\n')\n\
         \x20   z.writestr('ab', b'\\x93N')\n\
         \x20   z.writestr('empty', b'')\n\
         \x20   z.writestr('x.npy', b.getvalue())\n\
         \x20   z.mkdir('d2')\n\
         z = np.load('mixed.npz')\n\
         for k in z.files: print(k, type(z[k]).__name__, len(z[k]))\n",
    );
    assert_eq!(
        listing.lines().collect::<Vec<_>>(),
        [
            "sub/ bytes 0",
            "readme.txt bytes 12",
            "ab bytes 2",
            "empty bytes 0",
            "x ndarray 3",
            "d2/ bytes 0"
        ]
    );
    let out = npyio_ok(&d, &["info", "mixed.npz"], 0);
    assert_eq!(
        out.matches("directory entry (NumPy returns b'')").count(),
        2,
        "{out}"
    );
    assert!(
        out.contains("not a .npy file; NumPy returns its 12 bytes"),
        "{out}"
    );
    assert!(
        out.contains("not a .npy file; NumPy returns its 2 bytes"),
        "{out}"
    );
    assert!(
        out.contains("not a .npy file; NumPy returns its 0 bytes"),
        "{out}"
    );
    assert!(out.contains("dtype('int64')"), "{out}");
    assert!(!out.contains("error"), "{out}");
    let json = npyio_ok(&d, &["info", "--json", "mixed.npz"], 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let kinds: Vec<&str> = v[0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap_or("array"))
        .collect();
    assert_eq!(
        kinds,
        ["directory", "raw", "raw", "raw", "array", "directory"]
    );
    let out = npyio_ok(&d, &["verify", "mixed.npz"], 0);
    assert_eq!(
        out.trim(),
        "mixed.npz: OK (npz, 1 array, 5 non-array members, CRCs match)"
    );
}

/// bzip2 and LZMA members, as Python's zipfile writes them: `info` names
/// the method, `verify` reads every byte and checks every CRC.
#[test]
fn info_and_verify_read_bzip2_and_lzma_members() {
    let d = scratch("bz_lzma");
    py(
        &d,
        "import numpy as np, zipfile, io\n\
         for name, m in [('bz', zipfile.ZIP_BZIP2), ('xz', zipfile.ZIP_LZMA)]:\n\
         \x20   with zipfile.ZipFile(name + '.npz', 'w', compression=m) as z:\n\
         \x20       for k, a in [('a', np.arange(300000.0)), ('b', np.eye(30, dtype='>f4'))]:\n\
         \x20           b = io.BytesIO(); np.save(b, a); z.writestr(k + '.npy', b.getvalue())\n\
         \x20       z.writestr('notes.txt', b'hi')\n\
         \x20   assert np.load(name + '.npz')['a'][-1] == 299999.0\n",
    );
    let out = npyio_ok(&d, &["info", "bz.npz", "xz.npz"], 0);
    assert_eq!(out.matches(": bzip2, ").count(), 3, "{out}");
    assert_eq!(out.matches(": lzma, ").count(), 3, "{out}");
    let out = npyio_ok(&d, &["verify", "bz.npz", "xz.npz"], 0);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "bz.npz: OK (npz, 2 arrays, 1 non-array member, CRCs match)",
            "xz.npz: OK (npz, 2 arrays, 1 non-array member, CRCs match)"
        ]
    );
    // A flipped byte in the middle of the LZMA stream of 'a'.
    let mut b = read(d.join("xz.npz"));
    let at = b.len() / 3;
    b[at] ^= 0x10;
    std::fs::write(d.join("xz_bad.npz"), &b).unwrap();
    let o = npyio(&d, &["verify", "xz_bad.npz"]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.starts_with("xz_bad.npz: FAILED:") && out.contains("member 'a.npy'"),
        "{out}"
    );
}

/// `pack --zstd [--level N]`: zstd members that np.load reads with Python
/// 3.14's zipfile (backports.zstd's here); bad combinations are usage errors.
#[test]
fn pack_zstd_loads_in_numpy() {
    let d = setup("pack_zstd");
    npyio_ok(
        &d,
        &["pack", "--zstd", "z.npz", "f8.npy", "fort.npy", "rec.npy"],
        0,
    );
    npyio_ok(
        &d,
        &["pack", "--zstd", "--level", "19", "z19.npz", "w=big.npy"],
        0,
    );
    npyio_ok(
        &d,
        &["pack", "--zstd", "--level", "-3", "zfast.npz", "w=big.npy"],
        0,
    );
    npyio_ok(
        &d,
        &["pack", "--compress", "--level", "1", "d1.npz", "w=big.npy"],
        0,
    );
    py(
        &d,
        "import sys\nfrom backports.zstd import zipfile as zf\nsys.modules['zipfile'] = zf\n\
         import numpy as np, os\n\
         z = np.load('z.npz')\n\
         assert z.files == ['f8', 'fort', 'rec']\n\
         for k in z.files: assert np.array_equal(z[k], np.load(k + '.npy')), k\n\
         assert all(i.compress_type == 93 for i in zf.ZipFile('z.npz').infolist())\n\
         for n in ['z19', 'zfast', 'd1']:\n\
         \x20   assert np.array_equal(np.load(n + '.npz')['w'], np.load('big.npy')), n\n\
         assert os.path.getsize('z19.npz') < os.path.getsize('zfast.npz')\n",
    );
    let out = npyio_ok(&d, &["verify", "z.npz", "z19.npz"], 0);
    assert_eq!(out.matches(": OK (").count(), 2, "{out}");
    let out = npyio_ok(&d, &["info", "z.npz"], 0);
    assert_eq!(out.matches(": zstd, ").count(), 3, "{out}");
    for (args, needle) in [
        (
            &["pack", "--level", "3", "x.npz", "f8.npy"][..],
            "--level needs --compress or --zstd",
        ),
        (
            &["pack", "--zstd", "--level", "23", "x.npz", "f8.npy"][..],
            "zstd level 23",
        ),
        (
            &["pack", "--compress", "--level", "10", "x.npz", "f8.npy"][..],
            "level 10",
        ),
        (
            &["pack", "--compress", "--zstd", "x.npz", "f8.npy"][..],
            "cannot be used with",
        ),
    ] {
        let o = npyio(&d, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
        assert!(!d.join("x.npz").exists(), "{args:?}");
    }
}
