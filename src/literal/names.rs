//! Unicode character names to characters, for `\N{...}` escapes.
//!
//! `unicode_names2` maps characters to names in a compact table; its own
//! map the other way (a perfect hash with aliases, about 250 KB of the
//! shared library) is not linked. Instead the first lookup of a process
//! hashes every name once (tens of milliseconds) into a sorted index of
//! 8-byte entries, kept for the rest of the process; a lookup then checks
//! the candidates' names exactly.

use super::aliases::ALIASES;
use std::fmt::Write;
use std::sync::OnceLock;

/// A name's hash: FNV-1a, folded to 32 bits.
fn hash(name: &str) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in name.as_bytes() {
        h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
    }
    (h ^ (h >> 32)) as u32
}

/// (hash of the name, code point) of every named character but the CJK
/// unified ideographs (whose names are their code points), sorted.
fn index() -> &'static [(u32, u32)] {
    static INDEX: OnceLock<Vec<(u32, u32)>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut v = Vec::new();
        let mut s = String::new();
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            let Some(n) = unicode_names2::name(c) else {
                continue;
            };
            s.clear();
            let _ = write!(s, "{n}");
            if !s.starts_with("CJK UNIFIED IDEOGRAPH-") {
                v.push((hash(&s), c as u32));
            }
        }
        v.sort_unstable();
        v
    })
}

/// The character named exactly `up` (upper case).
pub(super) fn find(up: &str) -> Option<char> {
    let idx = index();
    let h = hash(up);
    let first = idx.partition_point(|&(k, _)| k < h);
    let mut s = String::new();
    idx[first..]
        .iter()
        .take_while(|&&(k, _)| k == h)
        .filter_map(|&(_, c)| char::from_u32(c))
        .find(|&c| {
            s.clear();
            unicode_names2::name(c).is_some_and(|n| write!(s, "{n}").is_ok() && s == up)
        })
}

/// The character with the alias `up` (upper case), if it is one.
pub(super) fn alias(up: &str) -> Option<char> {
    ALIASES.lines().find_map(|line| {
        let (a, code) = line.rsplit_once(' ')?;
        if a != up {
            return None;
        }
        char::from_u32(u32::from_str_radix(code, 16).ok()?)
    })
}
