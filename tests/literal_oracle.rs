//! String and bytes literals decode as Python's `ast.literal_eval` decodes
//! them (NumPy reads headers with it): every escape (`\N{...}`, `\x`, `\u`,
//! `\U`, octal, line continuations, unknown escapes), prefixes, newlines
//! and concatenation; what Python refuses is refused. Python is the oracle
//! for every case, and NumPy for a whole header that uses them.

use npyio_test_support as common;

use npyio::literal::{parse, Value};
use serde_json::{json, Value as Json};

/// Literal texts to compare.
fn cases() -> Vec<String> {
    let mut v: Vec<String> = [
        // \N{...}: names, case, aliases, algorithmic names, refusals.
        r"'\N{LATIN SMALL LETTER E WITH ACUTE}'",
        r"'\N{latin small letter e with acute}'",
        r"'\N{Latin Small Letter E With Acute}x'",
        r"'\N{GREEK SMALL LETTER ALPHA}\N{GREEK CAPITAL LETTER OMEGA}'",
        r"'\N{LF}\N{LINE FEED}\N{NULL}\N{BOM}\N{NBSP}'",
        r"'\N{LATIN CAPITAL LETTER GHA}'",
        r"'\N{BYZANTINE MUSICAL SYMBOL FHTORA SKLIRON CHROMA VASIS}'",
        r"'\N{HANGUL SYLLABLE GA}\N{HANGUL SYLLABLE HIH}'",
        r"'\N{hangul syllable ga}'",
        r"'\N{CJK UNIFIED IDEOGRAPH-4E00}\N{CJK UNIFIED IDEOGRAPH-20000}'",
        r"'\N{CJK UNIFIED IDEOGRAPH-4e00}'",
        r"'\N{CJK UNIFIED IDEOGRAPH-04E00}'",
        r"'\N{CJK COMPATIBILITY IDEOGRAPH-F900}'",
        r"'\N{cjk compatibility ideograph-f900}'",
        r"'\N{NO SUCH CHARACTER}'",
        r"'\N{KEYCAP NUMBER SIGN}'",
        r"'\N{}'",
        r"'\N'",
        r"'\Nx'",
        r"'\N{LATIN SMALL LETTER A'",
        r"'\N{ LATIN SMALL LETTER A}'",
        r"'\N{LATIN SMALL LETTER A }'",
        r"'\N{-LATIN SMALL LETTER A}'",
        r"'\N{LATIN SMALL LETTER A-}'",
        r"'\N{LATIN SMALL LETTER-A}'",
        r"'\N{HANGUL JUNGSEONG O-E}\N{HANGUL JUNGSEONG OE}'",
        r"'\N{TIBETAN LETTER -A}'",
        r"'\N{LATIN  SMALL LETTER A}'",
        r"'\N{latin_small_letter_a}'",
        r"'\N{LATINSMALLLETTERA}'",
        r"'\N{LATIN SMALL LETTER A}\N{DIGIT ONE}'",
        r"u'\N{EURO SIGN}'",
        r"r'\N{EURO SIGN}'",
        r"b'\N{EURO SIGN}'",
        // \x, \u, \U.
        r"'\x41\xe9\xff\x00'",
        r"'\x4'",
        r"'\xg0'",
        r"'\x'",
        r"'\u00e9\u6e29\uFFFD'",
        r"'\u12'",
        r"'\u12345'",
        r"'\U0001F600\U0010ffff\U00000041'",
        r"'\U00110000'",
        r"'\U0001F60'",
        r"b'\x41\xff'",
        r"b'\u00e9'",
        r"b'\U0001F600'",
        // Octal.
        r"'\0\7\07\007\0007'",
        r"'\101\1010'",
        r"'\377\400\777'",
        r"b'\101\377\400\777'",
        r"'\8\9'",
        // Simple and unknown escapes.
        r#"'\\\'\"\a\b\f\n\r\t\v'"#,
        r#"b'\\\'\"\a\b\f\n\r\t\v'"#,
        r"'\q\z\ \{'",
        r"b'\q\z'",
        // Raw strings.
        r"r'\n\x41\''",
        r"R'\\'",
        r"rb'\x41\n'",
        r"Rb'a' bR'b' BR'c' rB'd'",
        r"r'\'",
        // Prefixes.
        "u'x' U'y'",
        "ur'x'",
        "bu'x'",
        "f'x'",
        "rf'x'",
        "bb'x'",
        // Concatenation, quotes.
        r#"'a' "b" '''c''' """d""""#,
        r#"'a' # comment
 'b'"#,
        "b'a' b'b'",
        "b'a' 'b'",
        "'a' b'b'",
        r#"'''it's "quoted"'''"#,
        r#"'''a''b'''"#,
        "''''''",
        r#""\"""#,
        // Non-ASCII source characters.
        "'caf\u{e9} \u{6e29}\u{1f600}'",
        "b'caf\u{e9}'",
        "rb'\u{e9}'",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Line ends inside and around strings, and line continuations.
    for (text, _) in [
        ("'a\\\nb'", ""),
        ("'a\\\r\nb'", ""),
        ("'a\\\rb'", ""),
        ("'a\nb'", ""),
        ("'a\rb'", ""),
        ("'''a\nb'''", ""),
        ("'''a\r\nb'''", ""),
        ("'''a\rb\r\rc'''", ""),
        ("r'a\\\nb'", ""),
        ("r'''a\r\nb'''", ""),
        ("'x' \\\n 'y'", ""),
        ("'x' \\\r\n 'y'", ""),
        ("('x'\n 'y')", ""),
        ("['a', # c\r 'b']", ""),
        ("\n{}", ""),
        ("# c\r\n \n{}\n\n  \n", ""),
        ("'a'\n'b'", ""),
        ("-\n1", ""),
        ("(1\n)", ""),
        ("\\\n1", ""),
        ("1\\\n", ""),
        ("{} \\\n", ""),
        ("1 \\\n 2", ""),
        ("'a\u{0}b'", ""),
        ("'\\\u{0}'", ""),
    ] {
        v.push(text.to_string());
    }
    v
}

/// Our reading of a literal, in the oracle's terms.
fn ours(text: &str) -> Json {
    match parse(text, false) {
        Ok(Value::Str(s)) => json!({"str": s.chars().map(|c| c as u32).collect::<Vec<_>>()}),
        Ok(Value::Bytes(b)) => json!({ "bytes": b }),
        Ok(Value::List(items)) => json!({"list": items.iter().map(|v| match v {
            Value::Str(s) => json!(s.chars().map(|c| c as u32).collect::<Vec<_>>()),
            other => json!(other.repr()),
        }).collect::<Vec<_>>()}),
        Ok(other) => json!({ "other": other.repr() }),
        Err(_) => json!("error"),
    }
}

const ORACLE: &str = r#"
import ast, json, sys, warnings
warnings.simplefilter('ignore')
out = []
for text in json.load(open(sys.argv[1], encoding='utf-8')):
    try:
        v = ast.literal_eval(text)
    except Exception:
        out.append('error')
        continue
    if isinstance(v, str):
        out.append({'str': [ord(c) for c in v]})
    elif isinstance(v, bytes):
        out.append({'bytes': list(v)})
    elif isinstance(v, list):
        out.append({'list': [[ord(c) for c in x] if isinstance(x, str) else repr(x) for x in v]})
    else:
        out.append({'other': repr(v)})
print(json.dumps(out))
"#;

#[test]
fn string_literals_decode_as_python_does() {
    let dir = common::scratch("literal_oracle");
    let texts = cases();
    let input = dir.join("cases.json");
    std::fs::write(&input, serde_json::to_string(&texts).unwrap()).unwrap();
    let out = common::run_python(&["-c", ORACLE, input.to_str().unwrap()]);
    let want: Vec<Json> = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(want.len(), texts.len());
    let mut errors = 0;
    for (text, want) in texts.iter().zip(&want) {
        let got = ours(text);
        assert_eq!(&got, want, "literal {text:?}: ours {got}, Python {want}");
        errors += usize::from(got == json!("error"));
    }
    // Both kinds are well represented.
    assert!(
        errors > 20 && texts.len() - errors > 40,
        "{errors} of {}",
        texts.len()
    );
}

/// Python accepts a lone surrogate (`'\ud800'`); a Rust string cannot hold
/// one, so it is refused with a message that says why.
#[test]
fn lone_surrogates_are_refused_with_a_reason() {
    let e = parse(r"'\ud800'", false).unwrap_err();
    assert_eq!(e.status(), npyio::Status::BadHeader);
    assert!(e.message().contains("lone surrogate"), "{e}");
    let e = parse(r"'\N{NO SUCH NAME}'", false).unwrap_err();
    assert!(
        e.message()
            .contains("unknown Unicode character name \"NO SUCH NAME\""),
        "{e}"
    );
    let e = parse(r"'\x4'", false).unwrap_err();
    assert!(e.message().contains("truncated \\xXX escape"), "{e}");
}

/// A format 3.0 header whose field names are written with escapes: NumPy
/// and libnpyio read the same names and the same data.
#[test]
fn header_with_escaped_names_reads_as_numpy_reads_it() {
    let dir = common::scratch("literal_header");
    let text = r"{'descr': [('\N{GREEK SMALL LETTER ALPHA}\x41\u00e9\U0001F600\101', '<f8'), ('caf\N{latin small letter e with acute}', '<i4'), ('''tab\tnl\
joined''', '|u1')], 'fortran_order': False, 'shape': (2,), }";
    let mut file = common::npy_file(3, text, 0);
    for row in 0..2u8 {
        file.extend_from_slice(&(1.5 + row as f64).to_le_bytes());
        file.extend_from_slice(&(-7 - row as i32).to_le_bytes());
        file.push(200 + row);
    }
    let path = dir.join("escaped.npy");
    std::fs::write(&path, &file).unwrap();
    let out = common::run_python(&[
        "-c",
        "import sys, json, numpy as np\n\
         a = np.load(sys.argv[1], allow_pickle=False)\n\
         print(json.dumps({'names': [[ord(c) for c in n] for n in a.dtype.names],\n\
                           'bytes': list(a.tobytes())}))\n",
        path.to_str().unwrap(),
    ]);
    let want: Json = serde_json::from_str(out.trim()).unwrap();
    let f = npyio::NpyFile::open(&path).unwrap();
    let npyio::dtype::Layout::Record(fields) = f.header().dtype.layout() else {
        panic!("not a record");
    };
    let names: Vec<Vec<u32>> = fields
        .iter()
        .map(|f| f.name.chars().map(|c| c as u32).collect())
        .collect();
    assert_eq!(json!(names), want["names"]);
    assert_eq!(fields[0].name, "\u{3b1}A\u{e9}\u{1f600}A");
    assert_eq!(fields[1].name, "caf\u{e9}");
    assert_eq!(fields[2].name, "tab\tnljoined");
    let mut data = vec![0u8; f.nbytes() as usize];
    f.read_into(&mut data, 0).unwrap();
    assert_eq!(json!(data), want["bytes"]);
}
