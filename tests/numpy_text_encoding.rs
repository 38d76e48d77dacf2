//! Text encodings and compressed text files against NumPy, after the
//! cases of NumPy's test_io.py (LoadTxtBase, TestLoadTxt, TestFromTxt,
//! TestSaveTxt) and test_loadtxt.py about them: NumPy writes the file
//! (in an encoding, compressed by its suffix) and loads it; libnpyio loads
//! the same file and the results must be equal (dtype, shape, bytes). For
//! savetxt, libnpyio writes and NumPy reads back, and the text must be the
//! text NumPy's own savetxt writes.

use npyio_test_support as common;
#[path = "text_util.rs"]
mod text_util;

use npyio::text::{
    genfromtxt, genfromtxt_from_bytes, loadtxt, loadtxt_from_bytes, loadtxt_to_npy, savetxt,
    Encoding, GenfromtxtOptions, LoadtxtOptions, SavetxtOptions,
};
use npyio::{DType, NpyFile, Status};
use std::path::Path;

/// savetxt writes .bz2, .xz and .lzma only with this feature (gzip always).
const WRITES_BZ2_XZ: bool = cfg!(feature = "text-write-bz2-xz");

fn lopts(enc: &str, dtype: &str) -> LoadtxtOptions {
    LoadtxtOptions {
        dtype: DType::parse(dtype).unwrap(),
        encoding: Encoding::from_name(enc).unwrap(),
        ..Default::default()
    }
}

fn gopts(enc: &str, dtype: &str) -> GenfromtxtOptions {
    GenfromtxtOptions {
        dtype: DType::parse(dtype).unwrap(),
        encoding: Encoding::from_name(enc).unwrap(),
        ..Default::default()
    }
}

fn npy(p: &Path) -> NpyFile {
    NpyFile::open(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn same(what: &str, ours: &NpyFile, theirs: &Path) {
    if let Err(e) = text_util::same(ours, &npy(theirs)) {
        panic!("{what}: {e}");
    }
}

/// Python that opens `name` for writing text in `enc`, by its suffix as
/// NumPy's datasource does.
const OPENERS: &str = r#"
import numpy as np, gzip, bz2, lzma, os
def opener(name):
    for s, f in (('.gz', gzip.open), ('.bz2', bz2.open), ('.xz', lzma.open), ('.lzma', lzma.open)):
        if name.endswith(s):
            return f
    return open
"#;

/// LoadTxtBase.check_compressed (test_compressed_gzip, _bz2, _lzma) for
/// loadtxt, loadtxt_to_npy and genfromtxt: UTF-32-LE text with each line
/// separator, compressed by each suffix.
#[test]
fn compressed_utf32_files() {
    let dir = common::scratch("compressed_utf32");
    let mut code = String::from(OPENERS);
    code.push_str(
        r#"
for i, sep in enumerate(('\n', '\r\n', '\r')):
    for s in ('.gz', '.bz2', '.xz', '.lzma'):
        name = f'c{i}.txt{s}'
        with opener(name)(name, mode='wt', encoding='UTF-32-LE', newline='') as f:
            f.write('0 1 2' + sep + '3 4 5')
        np.save(f'c{i}{s}.l.npy', np.loadtxt(name, encoding='UTF-32-LE'))
        np.save(f'c{i}{s}.g.npy', np.genfromtxt(name, encoding='UTF-32-LE'))
"#,
    );
    common::py(&dir, &code);
    for i in 0..3 {
        for s in [".gz", ".bz2", ".xz", ".lzma"] {
            let name = dir.join(format!("c{i}.txt{s}"));
            let want_l = dir.join(format!("c{i}{s}.l.npy"));
            let l = loadtxt(&name, &lopts("UTF-32-LE", "<f8")).unwrap();
            same(&format!("loadtxt {s} {i}"), &l, &want_l);
            let out = dir.join(format!("c{i}{s}.ours.npy"));
            let rows = loadtxt_to_npy(&name, &out, &lopts("utf_32_le", "<f8")).unwrap();
            assert_eq!(rows, 2);
            same(&format!("loadtxt_to_npy {s} {i}"), &npy(&out), &want_l);
            let g = genfromtxt(&name, &gopts("utf-32le", "<f8")).unwrap();
            same(
                &format!("genfromtxt {s} {i}"),
                &g.data,
                &dir.join(format!("c{i}{s}.g.npy")),
            );
        }
    }
}

/// test_gzip_loadtxt, test_gft_from_gzip and gzip/bz2/xz text in the
/// default encoding (several streams concatenated, as Python reads them).
#[test]
fn compressed_utf8_files_and_concatenated_streams() {
    let dir = common::scratch("compressed_utf8");
    let mut code = String::from(OPENERS);
    code.push_str(
        r#"
for s in ('.gz', '.bz2', '.xz', '.lzma'):
    name = 'a.txt' + s
    with opener(name)(name, 'wb') as f:
        f.write(b'1 2 3\n')
    with opener(name)(name, 'ab') as f:
        f.write(b'4 5 6\n# \xc3\xa9\n')
    np.save('a' + s + '.l.npy', np.loadtxt(name))
    np.save('a' + s + '.g.npy', np.genfromtxt(name))
"#,
    );
    common::py(&dir, &code);
    for s in [".gz", ".bz2", ".xz", ".lzma"] {
        let name = dir.join(format!("a.txt{s}"));
        let l = loadtxt(&name, &LoadtxtOptions::default()).unwrap();
        same(s, &l, &dir.join(format!("a{s}.l.npy")));
        let g = genfromtxt(&name, &GenfromtxtOptions::default()).unwrap();
        same(s, &g.data, &dir.join(format!("a{s}.g.npy")));
    }
}

/// NumPy's datasource finds `name.gz` (then .bz2, .xz, .lzma) when `name`
/// does not exist.
#[test]
fn a_missing_path_is_found_with_a_compression_suffix() {
    let dir = common::scratch("datasource_find");
    common::py(
        &dir,
        "import numpy as np, gzip\n\
         with gzip.open('t.txt.gz', 'wt') as f: f.write('7 8\\n')\n\
         np.save('t.npy', np.loadtxt('t.txt'))",
    );
    let l = loadtxt(dir.join("t.txt"), &LoadtxtOptions::default()).unwrap();
    same("found .gz", &l, &dir.join("t.npy"));
}

/// LoadTxtBase.test_encoding and test_stringload (UTF-16 with its BOM),
/// test_binary_decode (in memory), and every encoding with and without a
/// BOM, for loadtxt (in memory, from a path, streamed) and genfromtxt.
#[test]
fn encodings_match_numpy() {
    let dir = common::scratch("encodings");
    let encs = [
        "utf-8",
        "utf-8-sig",
        "latin-1",
        "ascii",
        "utf-16",
        "utf-16-le",
        "utf-16-be",
        "utf-32",
        "utf-32-le",
        "utf-32-be",
        "UTF16",
        "iso-8859-1",
    ];
    let code = format!(
        r#"
import numpy as np, codecs
encs = {encs:?}
for i, e in enumerate(encs):
    text = 'x,y\n0.5,caf\u00e9\n# comment \u00ff\n2,na\u00efve\n'
    if 'utf' in e.lower():
        text += '3,\u0101\u4e2d\U0001f600\n'
    if e == 'ascii':
        text = text.replace('\u00e9', 'e').replace('\u00ff', 'y').replace('\u00ef', 'i')
    with open(f'{{i}}.txt', 'wb') as f:
        f.write(text.encode(e))
    dt = [('a', 'f8'), ('b', 'U6')]
    np.save(f'{{i}}.l.npy', np.loadtxt(f'{{i}}.txt', encoding=e, dtype=dt, delimiter=',', skiprows=1))
    np.save(f'{{i}}.g.npy', np.genfromtxt(f'{{i}}.txt', encoding=e, dtype=dt, delimiter=',', skip_header=1))
"#
    );
    common::py(&dir, &code);
    let dt = "[('a', '<f8'), ('b', '<U6')]";
    for (i, e) in encs.iter().enumerate() {
        let name = dir.join(format!("{i}.txt"));
        let want_l = dir.join(format!("{i}.l.npy"));
        let mut o = lopts(e, dt);
        o.delimiter = Some(",".into());
        o.skiprows = 1;
        same(e, &loadtxt(&name, &o).unwrap(), &want_l);
        let bytes = std::fs::read(&name).unwrap();
        same(e, &loadtxt_from_bytes(&bytes, "m", &o).unwrap(), &want_l);
        let out = dir.join(format!("{i}.ours.npy"));
        loadtxt_to_npy(&name, &out, &o).unwrap();
        same(e, &npy(&out), &want_l);
        let mut g = gopts(e, dt);
        g.delimiter = npyio::text::Delimiter::Str(",".into());
        g.skip_header = 1;
        let want_g = dir.join(format!("{i}.g.npy"));
        same(e, &genfromtxt(&name, &g).unwrap().data, &want_g);
        same(
            e,
            &genfromtxt_from_bytes(&bytes, "m", &g).unwrap().data,
            &want_g,
        );
    }
}

/// test_encoding (floats in UTF-16 with a BOM), test_stringload and
/// test_binary_decode: loadtxt and genfromtxt, as NumPy.
#[test]
fn utf16_with_bom_floats_and_strings() {
    let dir = common::scratch("utf16_bom");
    common::py(
        &dir,
        "import numpy as np\n\
         open('f.txt', 'wb').write('0.\\n1.\\n2.'.encode('UTF-16'))\n\
         np.save('f.l.npy', np.loadtxt('f.txt', encoding='UTF-16'))\n\
         np.save('f.g.npy', np.genfromtxt('f.txt', encoding='UTF-16'))\n\
         s = b'\\xc3\\xb6\\xc3\\xbc\\xc3\\xb6'.decode('UTF-8')\n\
         open('s.txt', 'wb').write(s.encode('UTF-16'))\n\
         np.save('s.l.npy', np.loadtxt('s.txt', encoding='UTF-16', dtype='U3'))\n\
         np.save('s.g.npy', np.genfromtxt('s.txt', encoding='UTF-16', dtype='U3'))\n\
         open('b.txt', 'wb').write(b'\\xff\\xfeh\\x04 \\x00i\\x04 \\x00j\\x04')\n\
         np.save('b.l.npy', np.loadtxt('b.txt', encoding='UTF-16', dtype='U1'))\n\
         np.save('b.g.npy', np.genfromtxt('b.txt', encoding='UTF-16', dtype='U1'))\n",
    );
    for (f, dt) in [("f", "<f8"), ("s", "<U3")] {
        let name = dir.join(format!("{f}.txt"));
        same(
            f,
            &loadtxt(&name, &lopts("UTF-16", dt)).unwrap(),
            &dir.join(format!("{f}.l.npy")),
        );
        same(
            f,
            &genfromtxt(&name, &gopts("UTF-16", dt)).unwrap().data,
            &dir.join(format!("{f}.g.npy")),
        );
    }
    let b = std::fs::read(dir.join("b.txt")).unwrap();
    same(
        "binary decode",
        &loadtxt_from_bytes(&b, "m", &lopts("UTF-16", "<U1")).unwrap(),
        &dir.join("b.l.npy"),
    );
    same(
        "binary decode (genfromtxt)",
        &genfromtxt_from_bytes(&b, "m", &gopts("UTF-16", "<U1"))
            .unwrap()
            .data,
        &dir.join("b.g.npy"),
    );
}

/// TestLoadTxt.test_binary_load (UTF-8 with CRLF into U and S) and
/// TestFromTxt.test_latin1 (Latin-1 into U and, as bytes, into S).
#[test]
fn latin1_and_utf8_into_unicode_and_bytes_fields() {
    let dir = common::scratch("latin1_fields");
    common::py(
        &dir,
        "import numpy as np\n\
         open('u.txt', 'wb').write(b'5,6,7,\\xc3\\x95scarscar\\r\\n15,2,3,hello\\r\\n20,2,3,\\xc3\\x95scar\\r\\n')\n\
         np.save('u.U.npy', np.loadtxt('u.txt', encoding='UTF-8', dtype='U20'))\n\
         np.save('u.S.npy', np.loadtxt('u.txt', encoding='UTF-8', dtype='S20'))\n\
         open('l.txt', 'wb').write(b'norm1,norm2,norm3\\ntest1,testNonethe\\xf6\\xfc\\xf6,test3\\nnorm1,norm2,norm3\\n')\n\
         np.save('l.U.npy', np.genfromtxt('l.txt', encoding='latin1', dtype='U16', delimiter=',', comments=None))\n\
         np.save('l.S.npy', np.genfromtxt('l.txt', encoding='latin1', dtype='S16', delimiter=',', comments=None))\n\
         np.save('l.lS.npy', np.loadtxt('l.txt', encoding='latin1', dtype='S16', delimiter=','))\n",
    );
    let u = dir.join("u.txt");
    for dt in ["U", "S"] {
        same(
            dt,
            &loadtxt(&u, &lopts("UTF-8", &format!("<{dt}20").replace("<S", "|S"))).unwrap(),
            &dir.join(format!("u.{dt}.npy")),
        );
    }
    let l = dir.join("l.txt");
    for (dt, want) in [("<U16", "l.U.npy"), ("|S16", "l.S.npy")] {
        let mut g = gopts("latin1", dt);
        g.delimiter = npyio::text::Delimiter::Str(",".into());
        g.comments = None;
        same(dt, &genfromtxt(&l, &g).unwrap().data, &dir.join(want));
    }
    let mut o = lopts("latin1", "|S16");
    o.delimiter = Some(",".into());
    same(
        "loadtxt S",
        &loadtxt(&l, &o).unwrap(),
        &dir.join("l.lS.npy"),
    );
}

/// TestSaveTxt.test_unicode and test_unicode_roundtrip: savetxt in
/// UTF-16-LE (and the other encodings) to a plain and to each compressed
/// suffix; NumPy reads it back, and the text (decompressed) is the text
/// NumPy's savetxt writes.
#[test]
fn savetxt_encodings_and_compression_roundtrip() {
    let dir = common::scratch("savetxt_enc");
    let a = "\u{3d6}\u{e9}x\u{1f600}";
    let data: Vec<u8> = a.chars().flat_map(|c| (c as u32).to_le_bytes()).collect();
    let dt = DType::parse("<U4").unwrap();
    let mut cases = Vec::new();
    for enc in [
        "UTF-16-LE",
        "utf-8",
        "utf-8-sig",
        "utf-16",
        "utf-16-be",
        "utf-32",
        "utf-32-be",
    ] {
        for s in ["", ".gz", ".bz2", ".xz", ".lzma"] {
            let name = format!("{enc}.csv{s}");
            let o = SavetxtOptions {
                fmt: npyio::text::Fmt::One("%s".into()),
                header: "h\u{e9}".into(),
                encoding: Encoding::from_name(enc).unwrap(),
                ..Default::default()
            };
            let r = savetxt(dir.join(&name), &dt, &[1], &data, &o);
            if !WRITES_BZ2_XZ && [".bz2", ".xz", ".lzma"].contains(&s) {
                // Without the feature: refused, naming the file and the feature.
                let e = r.unwrap_err();
                assert_eq!(e.status(), Status::Unsupported, "{e}");
                assert!(e.message().contains(&name), "{e}");
                assert!(e.message().contains("text-write-bz2-xz"), "{e}");
                assert!(!dir.join(&name).exists());
                continue;
            }
            r.unwrap();
            cases.push(format!("({name:?}, {enc:?})"));
        }
    }
    let code = format!(
        r#"{OPENERS}
a = np.array(['\u03d6\u00e9x\U0001f600'])
for name, enc in [{}]:
    # NumPy writes no BOM into bz2 and lzma files (see compressed.rs) and
    # cannot read those back as utf-16/utf-32: read them as -le.
    nobom = enc in ('utf-16', 'utf-32') and not name.endswith(('.gz', '.csv'))
    b = np.loadtxt(name, encoding=enc + '-le' if nobom else enc, dtype='U4')
    assert (a == b).all(), (name, b)
    theirs = 'np_' + name
    np.savetxt(theirs, a, fmt='%s', header='h\u00e9', encoding=enc)
    op = opener(name)
    with op(name, 'rb') as f: ours_t = f.read()
    with op(theirs, 'rb') as f: their_t = f.read()
    assert ours_t == their_t, (name, ours_t, their_t)
print('ok')
"#,
        cases.join(", ")
    );
    assert_eq!(common::py(&dir, &code).trim(), "ok");
}

/// A character the encoding cannot represent: `Encoding`, naming the
/// file, the line and the codec (NumPy: UnicodeEncodeError); nothing is
/// left behind.
#[test]
fn savetxt_unencodable_character_is_an_encoding_error() {
    let dir = common::scratch("savetxt_unencodable");
    let data: Vec<u8> = "ab\u{101}"
        .chars()
        .flat_map(|c| (c as u32).to_le_bytes())
        .collect();
    let dt = DType::parse("<U3").unwrap();
    let p = dir.join("x.txt");
    let o = SavetxtOptions {
        fmt: npyio::text::Fmt::One("%s".into()),
        header: "one\ntwo".into(),
        encoding: Encoding::Latin1,
        ..Default::default()
    };
    let e = savetxt(&p, &dt, &[1], &data, &o).unwrap_err();
    assert_eq!(e.status(), Status::Encoding, "{e}");
    let m = e.message();
    assert!(
        m.contains("x.txt") && m.contains("line 3") && m.contains("'latin-1'"),
        "{m}"
    );
    assert!(!p.exists());
    let mut o = o;
    o.encoding = Encoding::Bytes;
    assert_eq!(
        savetxt(&p, &dt, &[1], &data, &o).unwrap_err().status(),
        Status::InvalidArg
    );
}

/// TestFromTxt.test_file_is_closed_on_error: genfromtxt in ASCII of a file
/// with a non-ASCII byte fails (NumPy: UnicodeDecodeError); here an
/// `Encoding` error naming the file, the line and the codec. The same for
/// loadtxt and for invalid UTF-16 and UTF-32.
#[test]
fn invalid_bytes_for_the_encoding() {
    let dir = common::scratch("invalid_bytes");
    let cases: [(&str, &[u8], &str); 5] = [
        ("ascii", b"1\n2\n\xc3\xa9\n", "line 3"),
        ("utf-16-le", b"1\x00\n\x00\x00\xdc\n\x00", "line 2"),
        ("utf-16-be", b"\x001\x00\n\x002\x00", "line 2"),
        (
            "utf-32-le",
            b"1\x00\x00\x00\n\x00\x00\x00\x00\x00\x11\x00",
            "line 2",
        ),
        ("utf-8-sig", b"\xef\xbb\xbf1\n\xff\n", "line 2"),
    ];
    for (enc, text, line) in cases {
        let p = dir.join(format!("{enc}.txt"));
        std::fs::write(&p, text).unwrap();
        // NumPy refuses it too.
        let code = format!(
            "import numpy as np\ntry:\n    np.loadtxt({:?}, encoding={enc:?})\nexcept UnicodeDecodeError:\n    print('refused')",
            p.to_str().unwrap()
        );
        assert_eq!(common::py(&dir, &code).trim(), "refused", "{enc}");
        let l = loadtxt(&p, &lopts(enc, "<f8")).unwrap_err();
        let g = genfromtxt(&p, &gopts(enc, "<f8")).unwrap_err();
        let m = loadtxt_from_bytes(text, "mem.txt", &lopts(enc, "<f8")).unwrap_err();
        for e in [l, g, m] {
            assert_eq!(e.status(), Status::Encoding, "{enc}: {e}");
            let msg = e.message();
            assert!(
                (msg.contains(&format!("{enc}.txt")) || msg.contains("mem.txt"))
                    && msg.contains(line)
                    && (msg.contains(&format!("'{enc}'"))
                        || enc == "utf-8-sig" && msg.contains("UTF-8")),
                "{enc}: {msg}"
            );
        }
    }
}

/// `utf-16` and `utf-32` text without a byte-order mark: Python's text
/// files refuse it ("UTF-16 stream does not start with BOM"), so NumPy
/// does, and so does libnpyio (an empty file is an empty table).
#[test]
fn utf16_and_utf32_without_bom_are_refused() {
    let dir = common::scratch("no_bom");
    for (enc, text) in [
        ("utf-16", &b"1\x00\n\x00"[..]),
        ("utf-32", b"1\x00\x00\x00"),
    ] {
        let p = dir.join(format!("{enc}.txt"));
        std::fs::write(&p, text).unwrap();
        let code = format!(
            "import numpy as np\ntry:\n    np.loadtxt({:?}, encoding={enc:?})\nexcept UnicodeError as e:\n    print(e)",
            p.to_str().unwrap()
        );
        let py = common::py(&dir, &code);
        assert!(py.contains("does not start with BOM"), "{py}");
        let e = loadtxt(&p, &lopts(enc, "<f8")).unwrap_err();
        assert_eq!(e.status(), Status::Encoding, "{e}");
        assert!(e.message().contains("does not start with BOM"), "{e}");
        assert!(e.message().contains(&format!("{enc}.txt")), "{e}");
    }
}

/// test_loadtxt.py test_bad_encoding: an unknown encoding is refused
/// (NumPy: LookupError / TypeError), naming it.
#[test]
fn unknown_encoding_name() {
    for n in ["cp1252", "utf-7", "", "123"] {
        let e = Encoding::from_name(n).unwrap_err();
        assert_eq!(e.status(), Status::InvalidArg);
        assert!(e.message().contains(&format!("{n:?}")), "{}", e.message());
    }
}

/// Python's codec names and aliases, checked against Python's codecs.
#[test]
fn encoding_names_are_pythons() {
    let names = [
        "UTF-8",
        "utf8",
        "U8",
        "cp65001",
        "utf-8-sig",
        "UTF_8_SIG",
        "ASCII",
        "us-ascii",
        "646",
        "latin-1",
        "Latin1",
        "ISO-8859-1",
        "iso8859_1",
        "L1",
        "cp819",
        "utf-16",
        "UTF16",
        "U16",
        "utf-16-le",
        "UTF-16LE",
        "utf_16_be",
        "UnicodeBigUnmarked",
        "utf-32",
        "utf-32-le",
        "UTF-32BE",
        "u32",
    ];
    let list: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    let out = common::run_python(&[
        "-c",
        &format!(
            "import codecs\nfor n in [{}]: print(codecs.lookup(n).name)",
            list.join(",")
        ),
    ]);
    for (n, py) in names.iter().zip(out.lines()) {
        let ours = Encoding::from_name(n).unwrap().name();
        let py = py.replace("iso8859-1", "latin-1");
        assert_eq!(ours, py, "{n}");
    }
}

/// Damaged compressed input: `Io` (Python: OSError) for corrupt data and
/// `Truncated` (Python: EOFError) for data that ends early, naming the
/// file and the format; NumPy refuses both.
#[test]
fn damaged_compressed_files() {
    let dir = common::scratch("damaged");
    let mut code = String::from(OPENERS);
    code.push_str(
        r#"
for s in ('.gz', '.bz2', '.xz'):
    name = 'full.txt' + s
    with opener(name)(name, 'wt') as f:
        f.write(''.join(f'{i} {i*i}\n' for i in range(2000)))
    raw = open(name, 'rb').read()
    open('cut.txt' + s, 'wb').write(raw[:len(raw) // 2])
    bad = bytearray(raw)
    for k in range(len(bad) // 3, len(bad) // 3 + 16):
        bad[k] ^= 0x55
    open('bad.txt' + s, 'wb').write(bytes(bad))
    for n in ('cut.txt' + s, 'bad.txt' + s):
        try:
            np.loadtxt(n)
            print('loaded', n)
        except Exception:
            pass
open('notgz.txt.gz', 'wb').write(b'1 2\n3 4\n5 6\n7 8\n')
"#,
    );
    assert_eq!(common::py(&dir, &code).trim(), "");
    for s in [".gz", ".bz2", ".xz"] {
        for (stem, status) in [("cut", Status::Truncated), ("bad", Status::Io)] {
            let p = dir.join(format!("{stem}.txt{s}"));
            let e = loadtxt(&p, &LoadtxtOptions::default()).unwrap_err();
            let g = genfromtxt(&p, &GenfromtxtOptions::default()).unwrap_err();
            let t = loadtxt_to_npy(&p, dir.join("o.npy"), &LoadtxtOptions::default()).unwrap_err();
            for e in [e, g, t] {
                let m = e.message();
                assert!(m.contains(&format!("{stem}.txt{s}")), "{m}");
                // A flipped byte may also surface as a checksum failure at the end.
                assert!(
                    e.status() == status || (stem == "bad" && e.status() == Status::Truncated),
                    "{s} {stem}: {e}"
                );
            }
        }
    }
    let e = loadtxt(dir.join("notgz.txt.gz"), &LoadtxtOptions::default()).unwrap_err();
    assert_eq!(e.status(), Status::Io, "{e}");
    assert!(
        e.message().contains("notgz.txt.gz") && e.message().contains("gzip"),
        "{e}"
    );
}
