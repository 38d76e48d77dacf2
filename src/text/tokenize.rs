//! Splitting text into lines and rows into fields, as NumPy's C tokenizer
//! (`np.loadtxt`) and Python's `str` methods (`np.genfromtxt`) do.
//!
//! Text is UTF-8 bytes. Lines end at `\n`, `\r\n` or a lone `\r` (Python's
//! universal newlines). Whitespace is Python's `str.isspace()`.

use crate::error::Result;
use crate::{bail, err};

/// Length of the Python whitespace character at `b[i..]` (0 if none).
/// Line terminators count as whitespace here; callers that must not cross
/// a line check for them first.
#[inline]
pub fn space_len(b: &[u8], i: usize) -> usize {
    let c = b[i];
    if c < 0x80 {
        return matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1c..=0x1f) as usize;
    }
    match c {
        0xc2 => matches!(b.get(i + 1), Some(0x85 | 0xa0)) as usize * 2,
        0xe1 => (b.get(i + 1) == Some(&0x9a) && b.get(i + 2) == Some(&0x80)) as usize * 3,
        0xe2 => {
            let (x, y) = (b.get(i + 1).copied(), b.get(i + 2).copied());
            let ok = matches!(
                (x, y),
                (Some(0x80), Some(0x80..=0x8a | 0xa8 | 0xa9 | 0xaf)) | (Some(0x81), Some(0x9f))
            );
            ok as usize * 3
        }
        0xe3 => (b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x80)) as usize * 3,
        _ => 0,
    }
}

/// Length of the Python whitespace character ending at `b[..end]` (0 if none).
#[inline]
fn space_len_back(b: &[u8], end: usize) -> usize {
    if end == 0 {
        return 0;
    }
    let c = b[end - 1];
    if c < 0x80 {
        return space_len(b, end - 1);
    }
    for n in [2usize, 3] {
        if end >= n && space_len(b, end - n) == n {
            return n;
        }
    }
    0
}

/// `s.strip()` with Python's whitespace.
pub fn py_strip(s: &[u8]) -> &[u8] {
    let mut a = 0;
    let mut z = s.len();
    while a < z {
        let n = space_len(s, a);
        if n == 0 {
            break;
        }
        a += n;
    }
    while z > a {
        let n = space_len_back(s, z);
        if n == 0 {
            break;
        }
        z -= n;
    }
    &s[a..z]
}

/// Find the end of the line starting at `pos`: returns `(content_end,
/// next_line_start)`, or `None` when no terminator follows.
#[inline]
pub fn line_end(b: &[u8], pos: usize) -> Option<(usize, usize)> {
    let i = pos + memchr::memchr2(b'\n', b'\r', &b[pos..])?;
    if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
        Some((i, i + 2))
    } else {
        Some((i, i + 1))
    }
}

/// Number of line terminators in `b` (`\n`, `\r\n`, lone `\r`).
pub fn count_lines(b: &[u8]) -> u64 {
    let n = memchr::memchr_iter(b'\n', b).count() as u64;
    if memchr::memchr(b'\r', b).is_none() {
        return n;
    }
    let lone_cr = memchr::memchr_iter(b'\r', b)
        .filter(|&i| b.get(i + 1) != Some(&b'\n'))
        .count() as u64;
    n + lone_cr
}

/// Validate UTF-8; on failure, an Encoding error naming the line (counted
/// from `first_line`) and column.
pub fn check_utf8(b: &[u8], first_line: u64) -> Result<()> {
    if let Err(e) = std::str::from_utf8(b) {
        let at = e.valid_up_to();
        let line_start = b[..at]
            .iter()
            .rposition(|&c| c == b'\n' || c == b'\r')
            .map_or(0, |i| i + 1);
        let line = first_line + count_lines(&b[..line_start]);
        let col = String::from_utf8_lossy(&b[line_start..at]).chars().count() + 1;
        bail!(
            Encoding,
            "line {line}, column {col}: invalid UTF-8 (byte 0x{:02x})",
            b[at]
        );
    }
    Ok(())
}

/// A control character as its UTF-8 bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ControlChar(Option<Vec<u8>>);

impl ControlChar {
    /// No such character.
    pub(crate) const NONE: ControlChar = ControlChar(None);

    /// From one character.
    pub fn char(c: char) -> ControlChar {
        let mut b = [0u8; 4];
        ControlChar(Some(c.encode_utf8(&mut b).as_bytes().to_vec()))
    }

    #[inline]
    fn first(&self) -> Option<u8> {
        self.0.as_ref().map(|v| v[0])
    }

    /// Length matched at `b[i..]` (0 if no match).
    #[inline]
    fn at(&self, b: &[u8], i: usize) -> usize {
        match &self.0 {
            Some(v) if b[i..].starts_with(v) => v.len(),
            _ => 0,
        }
    }

    fn bytes(&self) -> &[u8] {
        self.0.as_deref().unwrap_or(&[])
    }
}

/// How `np.loadtxt` splits rows.
#[derive(Clone, Debug)]
pub struct TokenizerConfig {
    /// The delimiter, or whitespace when `None`.
    pub delimiter: ControlChar,
    /// A single-character comment marker handled by the tokenizer.
    pub comment: ControlChar,
    /// The quote character.
    pub quote: ControlChar,
    /// Comment markers cut from each line before tokenizing (several
    /// markers, or one longer than a character).
    pub line_comments: Vec<Vec<u8>>,
    class: [u8; 256],
}

pub(crate) const C_NL: u8 = 1;
pub(crate) const C_DELIM: u8 = 2;
pub(crate) const C_COMMENT: u8 = 4;
pub(crate) const C_WS: u8 = 8;
pub(crate) const C_HIGH: u8 = 16;

impl TokenizerConfig {
    /// A tokenizer configuration.
    pub fn new(
        delimiter: ControlChar,
        comment: ControlChar,
        quote: ControlChar,
        line_comments: Vec<Vec<u8>>,
    ) -> TokenizerConfig {
        let mut class = [0u8; 256];
        class[b'\n' as usize] |= C_NL;
        class[b'\r' as usize] |= C_NL;
        if let Some(d) = delimiter.first() {
            class[d as usize] |= C_DELIM;
        } else {
            for c in [b' ', b'\t', 0x0b, 0x0c, 0x1c, 0x1d, 0x1e, 0x1f] {
                class[c as usize] |= C_WS;
            }
            for c in [0xc2u8, 0xe1, 0xe2, 0xe3] {
                class[c as usize] |= C_HIGH;
            }
        }
        if let Some(c) = comment.first() {
            class[c as usize] |= C_COMMENT;
        }
        TokenizerConfig {
            delimiter,
            comment,
            quote,
            line_comments,
            class,
        }
    }

    fn ws(&self) -> bool {
        self.delimiter.0.is_none()
    }

    /// The byte classes, when rows can be split byte by byte: no quotes,
    /// no line-comment markers, an ASCII delimiter (or whitespace) and an
    /// ASCII comment character (or none). Bytes of class 0 never end a
    /// field; `C_HIGH` marks lead bytes of possible Unicode whitespace.
    pub(crate) fn simple_classes(&self) -> Option<&[u8; 256]> {
        let ascii = |c: &ControlChar| c.0.as_ref().is_none_or(|v| v.len() == 1 && v[0] < 0x80);
        (self.quote.0.is_none()
            && self.line_comments.is_empty()
            && ascii(&self.delimiter)
            && ascii(&self.comment))
        .then_some(&self.class)
    }

    /// Is the delimiter whitespace?
    pub(crate) fn is_ws(&self) -> bool {
        self.ws()
    }

    /// The length of the delimiter at `b[i]` (at least a byte).
    #[inline]
    fn delimiter_len(&self, b: &[u8], i: usize) -> usize {
        if self.ws() {
            space_len(b, i).max(1)
        } else {
            self.delimiter.at(b, i).max(1)
        }
    }
}

/// One field of a row: a range of the row's text, or of the scratch buffer
/// when the field was quoted (unescaped quotes, translated newlines).
/// Offsets are relative to the row's start (8 bytes per field); the top
/// bit of `start` marks a quoted field.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    start: u32,
    end: u32,
}

const QUOTED: u32 = 1 << 31;

/// The longest row the general tokenizer splits (offsets within a row are
/// 31-bit).
pub(crate) const MAX_ROW: usize = (QUOTED - 1) as usize;

impl Field {
    #[inline]
    fn quoted(self) -> bool {
        self.start & QUOTED != 0
    }
    #[inline]
    fn is_empty(self) -> bool {
        self.start & !QUOTED == self.end
    }
}

/// Fields of one row plus their scratch storage.
#[derive(Default, Debug)]
pub struct Row {
    fields: Vec<Field>,
    scratch: Vec<u8>,
    base: usize,
}

impl Row {
    /// The bytes of field `i`.
    #[inline]
    pub fn get<'a>(&'a self, text: &'a [u8], i: usize) -> &'a [u8] {
        let f = self.fields[i];
        if f.quoted() {
            &self.scratch[(f.start & !QUOTED) as usize..f.end as usize]
        } else {
            &text[self.base + f.start as usize..self.base + f.end as usize]
        }
    }

    /// Number of fields.
    #[inline]
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// No fields (an empty or comment-only line).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    fn clear(&mut self, base: usize) {
        self.fields.clear();
        self.scratch.clear();
        self.base = base;
    }

    /// Add the field `[start, end)` of the text (absolute offsets), or of
    /// the scratch buffer when `quoted`. Growth is fallible.
    #[inline]
    fn push(&mut self, start: usize, end: usize, quoted: bool, line: u64) -> Result<()> {
        let (s, e) = if quoted {
            (start, end)
        } else {
            (start - self.base, end - self.base)
        };
        if e > MAX_ROW {
            bail!(
                Limit,
                "line {line}: a row longer than {MAX_ROW} bytes cannot be split into fields"
            );
        }
        if self.fields.len() == self.fields.capacity() {
            let more = self.fields.capacity().max(16);
            self.fields.try_reserve(more).map_err(|_| {
                err!(
                    Alloc,
                    "line {line}: cannot allocate memory for {} fields",
                    self.fields.len() + more
                )
            })?;
        }
        self.fields.push(Field {
            start: s as u32 | if quoted { QUOTED } else { 0 },
            end: e as u32,
        });
        Ok(())
    }

    /// Make room for `n` more bytes of scratch text.
    #[inline]
    fn reserve_scratch(&mut self, n: usize, line: u64) -> Result<()> {
        self.scratch.try_reserve(n).map_err(|_| {
            err!(
                Alloc,
                "line {line}: cannot allocate {} bytes for a quoted field",
                self.scratch.len().saturating_add(n)
            )
        })
    }
}

/// Result of tokenizing one row.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// A row (possibly without fields) ending before `next`, having
    /// consumed `lines` line terminators (more than one for quoted fields
    /// spanning lines).
    Row {
        /// Where the next row starts.
        next: usize,
        /// Line terminators consumed.
        lines: u64,
    },
    /// The text ended inside the row and more may follow.
    Incomplete,
    /// No text left.
    End,
}

/// Skip one physical line starting at `pos` (as `skiprows` does).
pub fn skip_line(b: &[u8], pos: usize, is_final: bool) -> Step {
    if pos >= b.len() {
        return Step::End;
    }
    match line_end(b, pos) {
        Some((e, next)) if is_final || next < b.len() || b[e] == b'\n' || next == e + 2 => {
            Step::Row { next, lines: 1 }
        }
        None if is_final => Step::Row {
            next: b.len(),
            lines: 0,
        },
        _ => Step::Incomplete,
    }
}

/// Tokenize the row starting at `pos` into `row`, following NumPy's
/// tokenizer: quoted fields may contain delimiters, comment characters and
/// newlines (`""` is a literal quote); in whitespace mode leading
/// whitespace is skipped and a trailing empty field dropped; a line with a
/// single empty unquoted field has no fields; a quote still open at the
/// end of the text takes the rest of it. `line` is the row's line number,
/// used in errors.
pub fn tokenize(
    b: &[u8],
    pos: usize,
    is_final: bool,
    cfg: &TokenizerConfig,
    row: &mut Row,
    line: u64,
) -> Result<Step> {
    row.clear(pos);
    if pos >= b.len() {
        return Ok(Step::End);
    }
    if !cfg.line_comments.is_empty() {
        return tokenize_line_comments(b, pos, is_final, cfg, row, line);
    }
    let n = b.len();
    let ws = cfg.ws();
    let mut i = pos;
    let mut lines = 0u64;
    loop {
        // A new field.
        if ws {
            while i < n && cfg.class[b[i] as usize] & (C_WS | C_HIGH) != 0 {
                let k = space_len(b, i);
                if k == 0 {
                    break;
                }
                i += k;
            }
        }
        let field_start = i;
        let qlen = if i < n { cfg.quote.at(b, i) } else { 0 };
        if qlen > 0 {
            let sstart = row.scratch.len();
            i += qlen;
            let q0 = cfg.quote.first().unwrap_or(0);
            loop {
                // Inside quotes: copy up to the next quote.
                let Some(off) = memchr::memchr(q0, &b[i..]) else {
                    if !is_final {
                        return Ok(Step::Incomplete);
                    }
                    // A quote still open at the end of the text: as NumPy,
                    // the field is the rest of the text, newlines included.
                    row.reserve_scratch(n - i, line)?;
                    lines += push_translating_newlines(&mut row.scratch, &b[i..]);
                    i = n;
                    break;
                };
                let j = i + off;
                let k = cfg.quote.at(b, j);
                let chunk_end = if k > 0 { j } else { j + 1 };
                row.reserve_scratch(chunk_end - i, line)?;
                lines += push_translating_newlines(&mut row.scratch, &b[i..chunk_end]);
                if k == 0 {
                    i = j + 1;
                    continue;
                }
                i = j + k;
                if i < n && cfg.quote.at(b, i) > 0 {
                    row.reserve_scratch(k, line)?;
                    row.scratch.extend_from_slice(cfg.quote.bytes());
                    i += k;
                    continue;
                }
                if i >= n && !is_final {
                    return Ok(Step::Incomplete);
                }
                break;
            }
            // After the closing quote, continue unquoted into the same field.
            let rest_start = i;
            i = scan_unquoted(b, i, cfg);
            row.reserve_scratch(i - rest_start, line)?;
            row.scratch.extend_from_slice(&b[rest_start..i]);
            let send = row.scratch.len();
            row.push(sstart, send, true, line)?;
        } else {
            i = scan_unquoted(b, i, cfg);
            row.push(field_start, i, false, line)?;
        }
        // What stopped the field?
        if i >= n {
            if !is_final {
                return Ok(Step::Incomplete);
            }
            break;
        }
        let c = b[i];
        let cls = cfg.class[c as usize];
        if cls & C_NL != 0 {
            i += if c == b'\r' && b.get(i + 1) == Some(&b'\n') {
                2
            } else {
                if c == b'\r' && i + 1 >= n && !is_final {
                    // "\r" at the end of the buffer: "\n" may follow.
                    return Ok(Step::Incomplete);
                }
                1
            };
            lines += 1;
            break;
        }
        let cl = if cls & C_COMMENT != 0 {
            cfg.comment.at(b, i)
        } else {
            0
        };
        if cl > 0 {
            match line_end(b, i) {
                Some((e, next)) if is_final || next < n || b[e] == b'\n' || next == e + 2 => {
                    i = next;
                    lines += 1;
                }
                None if is_final => i = n,
                _ => return Ok(Step::Incomplete),
            }
            break;
        }
        // A delimiter (the scan stops only at these).
        i += cfg.delimiter_len(b, i);
    }
    finish_row(row, ws);
    Ok(Step::Row { next: i, lines })
}

/// NumPy drops a final empty field when it is the only one (an empty line)
/// or when splitting on whitespace (`" 1 ".split()`).
#[inline]
fn finish_row(row: &mut Row, ws: bool) {
    let nf = row.fields.len();
    if nf == 1 || (nf > 0 && ws) {
        let last = row.fields[nf - 1];
        if !row.fields[0].quoted() && last.is_empty() {
            row.fields.pop();
        }
    }
}

/// Scan an unquoted field from `i`: stops at a delimiter, a line end, a
/// comment character or the end of the text.
#[inline]
fn scan_unquoted(b: &[u8], mut i: usize, cfg: &TokenizerConfig) -> usize {
    let n = b.len();
    loop {
        while i < n && cfg.class[b[i] as usize] == 0 {
            i += 1;
        }
        if i >= n {
            return i;
        }
        let cls = cfg.class[b[i] as usize];
        if cls & (C_NL | C_WS) != 0 {
            return i;
        }
        if cls & C_HIGH != 0 {
            if space_len(b, i) > 0 {
                return i;
            }
            i += 1;
            continue;
        }
        if cls & C_DELIM != 0 && cfg.delimiter.at(b, i) > 0 {
            return i;
        }
        if cls & C_COMMENT != 0 && cfg.comment.at(b, i) > 0 {
            return i;
        }
        i += 1;
    }
}

/// Append `s` with `\r\n` and `\r` translated to `\n`; returns the number
/// of line terminators.
fn push_translating_newlines(out: &mut Vec<u8>, s: &[u8]) -> u64 {
    let mut lines = 0;
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'\r' => {
                out.push(b'\n');
                lines += 1;
                if s.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'\n' => {
                out.push(b'\n');
                lines += 1;
            }
            c => out.push(c),
        }
        i += 1;
    }
    lines
}

/// Several comment markers (or one longer than a character): NumPy cuts
/// each line at each marker in turn, then splits what is left (quotes are
/// not allowed in this mode).
fn tokenize_line_comments(
    b: &[u8],
    pos: usize,
    is_final: bool,
    cfg: &TokenizerConfig,
    row: &mut Row,
    line_no: u64,
) -> Result<Step> {
    let (end, next, lines) = match line_end(b, pos) {
        Some((e, nx)) if is_final || nx < b.len() || b[e] == b'\n' || nx == e + 2 => (e, nx, 1),
        None if is_final => (b.len(), b.len(), 0),
        _ => return Ok(Step::Incomplete),
    };
    let mut line = &b[pos..end];
    for c in &cfg.line_comments {
        if let Some(k) = memchr::memmem::find(line, c) {
            line = &line[..k];
        }
    }
    let sub = TokenizerConfig::new(
        cfg.delimiter.clone(),
        ControlChar::NONE,
        ControlChar::NONE,
        Vec::new(),
    );
    let ws = sub.ws();
    let base = pos;
    let mut i = 0;
    let n = line.len();
    loop {
        if ws {
            while i < n {
                let k = space_len(line, i);
                if k == 0 {
                    break;
                }
                i += k;
            }
        }
        let st = i;
        i = scan_unquoted(line, i, &sub);
        row.push(base + st, base + i, false, line_no)?;
        if i >= n {
            break;
        }
        i += sub.delimiter_len(line, i);
    }
    finish_row(row, ws);
    Ok(Step::Row { next, lines })
}

/// Validate `np.loadtxt`'s control characters and build the tokenizer
/// configuration.
pub fn loadtxt_cfg(
    delimiter: Option<&str>,
    comments: &[String],
    quotechar: Option<&str>,
) -> Result<TokenizerConfig> {
    let one = |s: &str, what: &str| -> Result<char> {
        let mut it = s.chars();
        match (it.next(), it.next()) {
            (Some(c), None) => Ok(c),
            _ => bail!(InvalidArg, "{what} must be a single character, got {s:?}"),
        }
    };
    let delim = delimiter.map(|d| one(d, "delimiter")).transpose()?;
    let quote = quotechar.map(|q| one(q, "quotechar")).transpose()?;
    if comments.iter().any(|c| c.is_empty()) {
        bail!(
            InvalidArg,
            "comments cannot be an empty string; give no comment markers to disable comments"
        );
    }
    let (comment, line_comments) = match comments {
        [] => (None, Vec::new()),
        [c] if c.chars().count() == 1 => (c.chars().next(), Vec::new()),
        many => {
            if many.len() > 1 {
                if let Some(d) = delimiter {
                    if many.iter().any(|c| c == d) {
                        bail!(
                            InvalidArg,
                            "comment markers {many:?} cannot include the delimiter {d:?}"
                        );
                    }
                }
            }
            if quote.is_some() {
                bail!(
                    InvalidArg,
                    "when several comment markers or a multi-character one are given, quotes are not supported (quotechar must be unset)"
                );
            }
            (None, many.iter().map(|c| c.as_bytes().to_vec()).collect())
        }
    };
    let is_nl = |c: Option<char>| matches!(c, Some('\r' | '\n'));
    for (c, what) in [
        (comment, "comment"),
        (quote, "quotechar"),
        (delim, "delimiter"),
    ] {
        if is_nl(c) {
            bail!(
                InvalidArg,
                "control character '{what}' cannot be a newline (`\\r` or `\\n`)"
            );
        }
    }
    if comment.is_some() && (comment == quote || comment == delim) {
        bail!(
            InvalidArg,
            "the values for control characters 'comment' and '{}' are incompatible",
            if comment == quote {
                "quotechar"
            } else {
                "delimiter"
            }
        );
    }
    if quote.is_some() && quote == delim {
        bail!(
            InvalidArg,
            "the values for control characters 'quotechar' and 'delimiter' are incompatible"
        );
    }
    if delim.is_none() {
        let isspace = |c: Option<char>| {
            c.is_some_and(|c| c.is_whitespace() || ('\x1c'..='\x1f').contains(&c))
        };
        if isspace(comment) || isspace(quote) {
            bail!(
                InvalidArg,
                "the values for control characters 'delimiter' (whitespace) and '{}' are incompatible",
                if isspace(comment) { "comment" } else { "quotechar" }
            );
        }
    }
    let ctl = |c: Option<char>| c.map_or(ControlChar::NONE, ControlChar::char);
    Ok(TokenizerConfig::new(
        ctl(delim),
        ctl(comment),
        ctl(quote),
        line_comments,
    ))
}

/// Error helper: a field's text for messages, truncated like NumPy's `%.100R`.
pub fn show(field: &[u8]) -> String {
    let s = String::from_utf8_lossy(field);
    let mut t: String = s.chars().take(100).collect();
    if s.chars().count() > 100 {
        t.push_str("...");
    }
    format!("{t:?}")
}

/// An error for a field: `line L, column C: msg`.
pub fn field_err(line: u64, col: usize, msg: impl std::fmt::Display) -> crate::error::Error {
    err!(Parse, "line {line}, column {col}: {msg}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str, cfg: &TokenizerConfig) -> Vec<Vec<String>> {
        let b = text.as_bytes();
        let mut row = Row::default();
        let mut pos = 0;
        let mut out = Vec::new();
        while let Step::Row { next, .. } = tokenize(b, pos, true, cfg, &mut row, 1).unwrap() {
            out.push(
                (0..row.len())
                    .map(|i| String::from_utf8(row.get(b, i).to_vec()).unwrap())
                    .collect(),
            );
            pos = next;
        }
        out
    }

    #[test]
    fn numpy_tokenizer_rules() {
        let ws = loadtxt_cfg(None, &["#".into()], Some("\"")).unwrap();
        assert_eq!(
            toks(" 1  2 \n\n3\t4 # c\n\"a b\" c\n", &ws),
            vec![vec!["1", "2"], vec![], vec!["3", "4"], vec!["a b", "c"]]
        );
        let comma = loadtxt_cfg(Some(","), &["#".into()], Some("\"")).unwrap();
        assert_eq!(
            toks(
                "12.3,\"New York, NY\",\"3'2\"\"\"\r\n1,2,#x\r  \r\"ABC\"DEF,XY\"Z",
                &comma
            ),
            vec![
                vec!["12.3", "New York, NY", "3'2\""],
                vec!["1", "2", ""],
                vec!["  "],
                vec!["ABCDEF", "XY\"Z"]
            ]
        );
        assert_eq!(toks("\"a\r\nb\",1\n", &comma), vec![vec!["a\nb", "1"]]);
        let multi = loadtxt_cfg(Some(","), &["//".into(), "#".into()], None).unwrap();
        assert_eq!(
            toks("1,2//x#\n3#,4\n", &multi),
            vec![vec!["1", "2"], vec!["3"]]
        );
        // A quote open at the end of the text: the rest is the field.
        assert_eq!(toks("\"abc", &comma), vec![vec!["abc"]]);
        assert_eq!(toks("1,\"a\nb\n", &comma), vec![vec!["1", "a\nb\n"]]);
        let b = b"\"abc";
        let mut row = Row::default();
        assert_eq!(
            tokenize(b, 0, false, &comma, &mut row, 9).unwrap(),
            Step::Incomplete
        );
        assert_eq!(py_strip(" \u{a0}x y\u{3000}\t".as_bytes()), b"x y");
    }
}
