//! include/npyio.h is the C reference: every function's comment follows the
//! template (what it does; `Ownership:`; `NULL:`; `Errors:` with each status
//! as `NPYIO_ERR_X` (-N); `Threads:`), names its section (`\ingroup` of a
//! group the header defines) on its last line, and no comment has a Rust
//! `# Safety` heading. The numbers in the Errors paragraphs are checked
//! against the header's own `#define`s.

use std::collections::BTreeMap;
use std::path::Path;

fn header() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("include/npyio.h")).unwrap()
}

/// The status codes: `NPYIO_ERR_X` -> N.
fn codes(h: &str) -> BTreeMap<String, i64> {
    h.lines()
        .filter_map(|l| l.strip_prefix("#define NPYIO_ERR_"))
        .filter_map(|l| {
            let (name, v) = l.split_once(' ')?;
            Some((format!("NPYIO_ERR_{name}"), v.trim().parse().ok()?))
        })
        .collect()
}

/// The groups the header defines (`\defgroup NAME title`).
fn groups(h: &str) -> Vec<String> {
    h.lines()
        .filter_map(|l| l.trim_start().strip_prefix("* \\defgroup "))
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .collect()
}

/// Every function declaration with the comment lines above it (without
/// their `// `).
fn functions(h: &str) -> Vec<(String, Vec<String>)> {
    let lines: Vec<&str> = h.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let starts_decl = l.starts_with(|c: char| c.is_ascii_alphabetic())
            && !l.starts_with("typedef")
            && l.contains('(');
        if !starts_decl {
            continue;
        }
        let before = &l[..l.find('(').unwrap()];
        let name = before.rsplit([' ', '*']).next().unwrap().to_string();
        let mut doc = Vec::new();
        let mut j = i;
        while j > 0 && lines[j - 1].starts_with("//") {
            j -= 1;
            let t = lines[j].strip_prefix("//").unwrap();
            doc.push(t.strip_prefix(' ').unwrap_or(t).to_string());
        }
        doc.reverse();
        out.push((name, doc));
    }
    out
}

#[test]
fn every_function_follows_the_template() {
    let h = header();
    let codes = codes(&h);
    let groups = groups(&h);
    assert!(
        codes.len() > 20 && groups.len() >= 9,
        "{codes:?} {groups:?}"
    );
    let fns = functions(&h);
    assert!(fns.len() >= 69, "{} functions found", fns.len());
    let mut problems = Vec::new();
    for (name, doc) in &fns {
        let mut bad = |what: String| problems.push(format!("{name}: {what}"));
        if doc.is_empty() {
            bad("no comment".into());
            continue;
        }
        // The paragraphs, in order, each once and each starting a paragraph.
        let mut last = 0;
        for key in ["Ownership:", "NULL:", "Errors:", "Threads:"] {
            let at: Vec<usize> = (0..doc.len())
                .filter(|&k| doc[k].starts_with(key))
                .collect();
            match at[..] {
                [k] if k > last && doc[k - 1].is_empty() => last = k,
                [k] if k <= last => bad(format!("'{key}' out of order")),
                [_] => bad(format!("'{key}' does not start a paragraph")),
                _ => bad(format!("'{key}' appears {} times", at.len())),
            }
        }
        match doc.last().and_then(|l| l.strip_prefix("\\ingroup ")) {
            Some(g) if groups.iter().any(|x| x == g) => {}
            Some(g) => bad(format!("unknown group {g}")),
            None => bad("last line is not \\ingroup <group>".into()),
        }
        // The Errors paragraph: each status with its number.
        let start = doc.iter().position(|l| l.starts_with("Errors:"));
        let errors: Vec<&String> = start
            .map(|s| doc[s..].iter().take_while(|l| !l.is_empty()).collect())
            .unwrap_or_default();
        let text = errors
            .iter()
            .map(|l| l.trim())
            .collect::<Vec<_>>()
            .join(" ");
        let mut rest = text.as_str();
        while let Some(p) = rest.find("`NPYIO_ERR_") {
            let tail = &rest[p + 1..];
            let end = tail.find('`').unwrap_or(tail.len());
            let code = &tail[..end];
            let after = tail[end..].trim_start_matches('`');
            match codes.get(code) {
                None => bad(format!("unknown status {code}")),
                Some(n) => {
                    let want = format!(" ({n})");
                    if !after.starts_with(&want) {
                        bad(format!("{code} not followed by{want}"));
                    }
                }
            }
            rest = &tail[end..];
        }
        if text.is_empty() {
            continue;
        }
        let returns_status = h
            .lines()
            .any(|l| l.starts_with("npyio_status ") && l.contains(&format!(" {name}(")));
        if returns_status && text.starts_with("Errors: none") {
            bad("returns a status but lists no errors".into());
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn no_rust_safety_headings() {
    let h = header();
    let hits: Vec<&str> = h.lines().filter(|l| l.contains("# Safety")).collect();
    assert!(hits.is_empty(), "{hits:?}");
}

#[test]
fn the_groups_are_defined_once_in_reading_order() {
    let h = header();
    assert_eq!(
        groups(&h),
        [
            "npyio_basics",
            "npyio_dtypes",
            "npyio_npy_read",
            "npyio_npy_write",
            "npyio_npz_read",
            "npyio_npz_write",
            "npyio_maps",
            "npyio_text",
            "npyio_codes",
        ]
    );
}
