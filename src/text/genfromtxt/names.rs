//! Field names: NumPy's `NameValidator` (cleaning and deduplicating), the
//! names a line gives (`names=True`), and the memory check that keeps a
//! line of millions of names an error rather than an abort.

use super::split::FieldSpans;
use super::{Case, GenfromtxtOptions, Names};
use crate::err;
use crate::error::Result;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

const DEFAULT_DELETECHARS: &str = "~!@#$%^&*()-=+~\\|]}[{';: /?.>,<";

/// NumPy's `NameValidator`, with the same results. Every lookup is a hash
/// lookup, so `validate` takes linear time (NumPy scans the list of names
/// for each empty one).
#[derive(Clone, Debug)]
pub struct NameValidator {
    excludelist: HashSet<String>,
    /// The deleted characters below 128, by code.
    delete_ascii: [bool; 128],
    /// The other deleted characters.
    delete_other: HashSet<char>,
    case: Case,
    replace_space: String,
    /// `defaultfmt`: the names of empty names (`f%i`).
    defaultfmt: String,
}

impl NameValidator {
    /// A validator with these options.
    pub fn new(
        excludelist: &[String],
        deletechars: Option<&str>,
        case: Case,
        replace_space: &str,
    ) -> NameValidator {
        let mut ex: HashSet<String> = excludelist.iter().cloned().collect();
        ex.extend(["return", "file", "print"].map(String::from));
        let mut delete_ascii = [false; 128];
        let mut delete_other = HashSet::new();
        for c in deletechars
            .unwrap_or(DEFAULT_DELETECHARS)
            .chars()
            .chain(['"'])
        {
            match delete_ascii.get_mut(c as usize) {
                Some(d) => *d = true,
                None => {
                    delete_other.insert(c);
                }
            }
        }
        NameValidator {
            excludelist: ex,
            delete_ascii,
            delete_other,
            case,
            replace_space: replace_space.into(),
            defaultfmt: "f%i".into(),
        }
    }

    /// The validator `np.genfromtxt` makes of its options.
    pub(super) fn of_options(opts: &GenfromtxtOptions) -> NameValidator {
        let mut v = NameValidator::new(
            &opts.excludelist,
            opts.deletechars.as_deref(),
            opts.case_sensitive,
            &opts.replace_space,
        );
        v.defaultfmt = opts.defaultfmt.clone();
        v
    }

    /// The name of the `k`-th empty name: `defaultfmt % k`.
    fn empty_name(&self, k: usize) -> String {
        super::infer::format_index(&self.defaultfmt, k).unwrap_or_else(|_| format!("f{k}"))
    }

    /// `validate(names, nbfields=...)`: names cased, stripped, spaces
    /// replaced, deleted characters removed; an empty result becomes
    /// `f<k>` with the first `k` (counting on from the last one used) that
    /// is not one of the given names; a name of the exclude list gets a
    /// trailing `_`; the n-th repeat of a name gets `_<n>` (repeats are
    /// counted per cleaned name, so `['a', 'a', 'a_1']` gives `a_1` twice,
    /// as NumPy does).
    pub fn validate(&self, names: &[String], nbfields: Option<usize>) -> Vec<String> {
        let n = nbfields.unwrap_or(names.len());
        let given: &[String] = &names[..names.len().min(n)];
        // The names as NumPy's list holds them after padding with ''.
        let mut listed: HashSet<&str> = given.iter().map(String::as_str).collect();
        if n > given.len() {
            listed.insert("");
        }
        let mut out = Vec::with_capacity(n);
        let mut seen: HashMap<String, usize> = HashMap::with_capacity(n);
        let mut nbempty = 0usize;
        let empty = String::new();
        for item in given
            .iter()
            .chain(std::iter::repeat_n(&empty, n - given.len()))
        {
            let mut item = self.clean(item);
            if item.is_empty() {
                item = self.empty_name(nbempty);
                while listed.contains(item.as_str()) {
                    nbempty += 1;
                    item = self.empty_name(nbempty);
                }
                nbempty += 1;
            } else if self.excludelist.contains(&item) {
                item.push('_');
            }
            match seen.get_mut(&item) {
                Some(cnt) => {
                    out.push(format!("{item}_{cnt}"));
                    *cnt += 1;
                }
                None => {
                    out.push(item.clone());
                    seen.insert(item, 1);
                }
            }
        }
        out
    }
}

impl NameValidator {
    fn deleted(&self, c: char) -> bool {
        match self.delete_ascii.get(c as usize) {
            Some(&d) => d,
            None => !self.delete_other.is_empty() && self.delete_other.contains(&c),
        }
    }

    /// A name cased, stripped, its spaces replaced and deleted characters
    /// removed, in one pass over the characters.
    fn clean(&self, name: &str) -> String {
        let cased: Cow<'_, str> = match self.case {
            Case::Sensitive => Cow::Borrowed(name),
            Case::Upper => Cow::Owned(name.to_uppercase()),
            Case::Lower => Cow::Owned(name.to_lowercase()),
        };
        let trimmed = cased.trim_matches(py_is_space);
        let mut out = String::with_capacity(trimmed.len());
        for c in trimmed.chars() {
            if c == ' ' && !self.replace_space.is_empty() {
                out.extend(self.replace_space.chars().filter(|&r| !self.deleted(r)));
            } else if !self.deleted(c) {
                out.push(c);
            }
        }
        out
    }
}

/// Python's `str.isspace()` of one character.
pub(super) fn py_is_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// The fields of a line as strings (for names), allocated fallibly.
pub(super) fn field_strings(line: &[u8], fields: &FieldSpans, line_no: u64) -> Result<Vec<String>> {
    let bytes: usize = fields.iter().map(|f| (f.1 - f.0) as usize).sum();
    let fail = || {
        err!(
            Alloc,
            "line {line_no}: cannot allocate memory for {} names of {bytes} bytes",
            fields.len()
        )
    };
    let mut v: Vec<String> = Vec::new();
    v.try_reserve_exact(fields.len()).map_err(|_| fail())?;
    for &(a, b) in fields {
        let f = &line[a as usize..b as usize];
        let mut s = String::new();
        s.try_reserve_exact(f.len()).map_err(|_| fail())?;
        s.push_str(&String::from_utf8_lossy(f));
        v.push(s);
    }
    Ok(v)
}

/// Memory taken per field by cleaning and deduplicating names and building
/// the structured dtype (measured: about 500 bytes for short names).
const NAME_COST: usize = 512;

/// Names from which a structured dtype is built take memory in many small
/// allocations (strings, the dtype's fields). Check that about that much
/// can be had first, with one fallible reservation given back at once, so
/// that a line of millions of names is an `Alloc` error rather than an
/// abort. A check, not a bound: small lists are not checked.
fn check_names_memory(names: &[String]) -> Result<()> {
    if names.len() < 10_000 {
        return Ok(());
    }
    let bytes: usize = names.iter().map(String::len).sum();
    let need = names
        .len()
        .saturating_mul(NAME_COST)
        .saturating_add(bytes.saturating_mul(8));
    let mut probe: Vec<u8> = Vec::new();
    probe.try_reserve_exact(need).map_err(|_| {
        err!(
            Alloc,
            "{} field names ({bytes} bytes): cannot allocate about {need} bytes, what a structured dtype of that many fields takes",
            names.len()
        )
    })
}

/// The names of the columns, validated: none, those of the first line
/// (`names=True`; `line_names`), or those given.
pub(super) fn column_names(
    opts: &GenfromtxtOptions,
    line_names: &[String],
    validator: &NameValidator,
) -> Result<Option<Vec<String>>> {
    let given = match &opts.names {
        Names::None => return Ok(None),
        Names::FirstLine => line_names,
        Names::List(l) => l.as_slice(),
    };
    check_names_memory(given)?;
    let stripped: Vec<String> = given
        .iter()
        .map(|v| v.trim_matches(py_is_space).to_string())
        .collect();
    Ok(Some(validator.validate(&stripped, None)))
}
