//! `datetime64` and `timedelta64` columns of the text readers: NumPy's
//! ISO 8601 parse of a datetime string (`2020-01-02`, `2020-01-02T10:30`,
//! `2020-01-02 10:30:00.25`, `NaT`), converted to the column's unit as
//! NumPy converts it (finer parts dropped, toward the past), and Python's
//! `int()` for timedeltas.

use super::convert::IntErr;

/// `NaT`, as stored.
pub(crate) const NAT: i64 = i64::MIN;

/// A time unit (multiplier 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TimeUnit {
    /// Years.
    Y,
    /// Months.
    M,
    /// Weeks.
    W,
    /// Days.
    D,
    /// Hours.
    H,
    /// Minutes.
    Min,
    /// Seconds.
    S,
    /// Milliseconds.
    Ms,
    /// Microseconds.
    Us,
    /// Nanoseconds.
    Ns,
    /// Picoseconds.
    Ps,
    /// Femtoseconds.
    Fs,
    /// Attoseconds.
    As,
}

const UNITS: [(&str, TimeUnit); 13] = [
    ("Y", TimeUnit::Y),
    ("M", TimeUnit::M),
    ("W", TimeUnit::W),
    ("D", TimeUnit::D),
    ("h", TimeUnit::H),
    ("m", TimeUnit::Min),
    ("s", TimeUnit::S),
    ("ms", TimeUnit::Ms),
    ("us", TimeUnit::Us),
    ("ns", TimeUnit::Ns),
    ("ps", TimeUnit::Ps),
    ("fs", TimeUnit::Fs),
    ("as", TimeUnit::As),
];

impl TimeUnit {
    /// The unit of a dtype's unit text (`"s"`, `"us"`); `None` for others
    /// (a multiplier such as `"10ms"`, or generic).
    pub fn parse(s: &str) -> Option<TimeUnit> {
        UNITS.iter().find(|(n, _)| *n == s).map(|(_, u)| *u)
    }

    /// NumPy's name (`"ms"`).
    pub fn name(self) -> &'static str {
        UNITS
            .iter()
            .find(|(_, u)| *u == self)
            .map_or("", |(n, _)| n)
    }

    /// Attoseconds per unit, for days and finer units.
    fn attos(self) -> i128 {
        const S: i128 = 1_000_000_000_000_000_000;
        match self {
            TimeUnit::Y | TimeUnit::M => 0,
            TimeUnit::W => 7 * 86_400 * S,
            TimeUnit::D => 86_400 * S,
            TimeUnit::H => 3_600 * S,
            TimeUnit::Min => 60 * S,
            TimeUnit::S => S,
            TimeUnit::Ms => S / 1_000,
            TimeUnit::Us => S / 1_000_000,
            TimeUnit::Ns => S / 1_000_000_000,
            TimeUnit::Ps => S / 1_000_000_000_000,
            TimeUnit::Fs => S / 1_000_000_000_000_000,
            TimeUnit::As => 1,
        }
    }
}

/// A parsed datetime: the calendar fields and the unit the text gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateTime {
    year: i64,
    month: u32,
    day: u32,
    /// Attoseconds into the day.
    attos: i128,
    /// The finest unit the text has (`2020-01` is `M`).
    pub unit: TimeUnit,
}

/// A text that is not a datetime NumPy reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotADate;

/// Days from 1970-01-01 to a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: u32) -> u32 {
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// NumPy's parse of a datetime string (no surrounding whitespace):
/// `NaT` (any case) or an empty text for NaT (`Ok(None)`), else
/// `[+-]YYYY[-MM[-DD[(T| )hh[:mm[:ss[.fraction]]]]]]` (the year may have
/// more digits). Time zones, `today`
/// and `now` are not read (`Err`).
pub fn parse_datetime(b: &[u8]) -> Result<Option<DateTime>, NotADate> {
    let s = b;
    if s.is_empty() || s.eq_ignore_ascii_case(b"nat") {
        return Ok(None);
    }
    let mut i = 0;
    let neg = s.first() == Some(&b'-');
    if neg || s.first() == Some(&b'+') {
        i += 1;
    }
    let digits = |i: usize, n: usize| -> Option<u32> {
        let d = s.get(i..i + n)?;
        d.iter()
            .all(u8::is_ascii_digit)
            .then(|| d.iter().fold(0u32, |a, c| a * 10 + (c - b'0') as u32))
    };
    let ys = i;
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
    }
    if i == ys || i - ys > 12 {
        return Err(NotADate);
    }
    let mut year: i64 = std::str::from_utf8(&s[ys..i])
        .ok()
        .and_then(|t| t.parse().ok())
        .ok_or(NotADate)?;
    if neg {
        year = -year;
    }
    let mut dt = DateTime {
        year,
        month: 1,
        day: 1,
        attos: 0,
        unit: TimeUnit::Y,
    };
    if i == s.len() {
        return Ok(Some(dt));
    }
    // -MM
    if s[i] != b'-' {
        return Err(NotADate);
    }
    dt.month = digits(i + 1, 2)
        .filter(|m| (1..=12).contains(m))
        .ok_or(NotADate)?;
    i += 3;
    dt.unit = TimeUnit::M;
    if i == s.len() {
        return Ok(Some(dt));
    }
    if s[i] != b'-' {
        return Err(NotADate);
    }
    dt.day = digits(i + 1, 2)
        .filter(|d| *d >= 1 && *d <= days_in_month(year, dt.month))
        .ok_or(NotADate)?;
    i += 3;
    dt.unit = TimeUnit::D;
    if i == s.len() {
        return Ok(Some(dt));
    }
    if s[i] != b'T' && s[i] != b' ' {
        return Err(NotADate);
    }
    const SEC: i128 = 1_000_000_000_000_000_000;
    let h = digits(i + 1, 2).filter(|h| *h < 24).ok_or(NotADate)?;
    i += 3;
    dt.attos = h as i128 * 3600 * SEC;
    dt.unit = TimeUnit::H;
    if i == s.len() {
        return Ok(Some(dt));
    }
    if s[i] != b':' {
        return Err(NotADate);
    }
    let m = digits(i + 1, 2).filter(|m| *m < 60).ok_or(NotADate)?;
    i += 3;
    dt.attos += m as i128 * 60 * SEC;
    dt.unit = TimeUnit::Min;
    if i == s.len() {
        return Ok(Some(dt));
    }
    if s[i] != b':' {
        return Err(NotADate);
    }
    let sec = digits(i + 1, 2).filter(|x| *x < 60).ok_or(NotADate)?;
    i += 3;
    dt.attos += sec as i128 * SEC;
    dt.unit = TimeUnit::S;
    if i == s.len() {
        return Ok(Some(dt));
    }
    if s[i] != b'.' {
        return Err(NotADate);
    }
    i += 1;
    let fs = i;
    let mut frac: i128 = 0;
    while i < s.len() && s[i].is_ascii_digit() && i - fs < 18 {
        frac = frac * 10 + (s[i] - b'0') as i128;
        i += 1;
    }
    let n = i - fs;
    if n == 0 || i != s.len() {
        return Err(NotADate);
    }
    dt.attos += frac * 10i128.pow(18 - n as u32);
    dt.unit = [
        TimeUnit::Ms,
        TimeUnit::Us,
        TimeUnit::Ns,
        TimeUnit::Ps,
        TimeUnit::Fs,
        TimeUnit::As,
    ][(n - 1) / 3];
    Ok(Some(dt))
}

impl DateTime {
    /// The value in `unit` (finer parts dropped toward the past, as NumPy
    /// converts a date to a coarser unit); `None` when it does not fit.
    pub fn value(&self, unit: TimeUnit) -> Option<i64> {
        let v: i128 = match unit {
            TimeUnit::Y => (self.year - 1970) as i128,
            TimeUnit::M => (self.year as i128 - 1970) * 12 + (self.month as i128 - 1),
            _ => {
                let days = days_from_civil(self.year, self.month, self.day) as i128;
                let total = days.checked_mul(86_400_000_000_000_000_000_000)?;
                let total = total.checked_add(self.attos)?;
                total.div_euclid(unit.attos())
            }
        };
        i64::try_from(v).ok().filter(|&v| v != NAT)
    }
}

/// A timedelta's text as NumPy reads it: `NaT` (any case) or an empty
/// text for NaT, else an optional sign and ASCII digits, nothing else (no
/// whitespace); a magnitude beyond int64 saturates, as NumPy's parser does.
pub fn parse_timedelta(b: &[u8]) -> Result<i64, IntErr> {
    if b.is_empty() || b.eq_ignore_ascii_case(b"nat") {
        return Ok(NAT);
    }
    let (neg, d) = match b[0] {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    if d.is_empty() || !d.iter().all(u8::is_ascii_digit) {
        return Err(IntErr::Invalid);
    }
    let mag = d
        .iter()
        .fold(0i128, |a, c| (a * 10 + (c - b'0') as i128).min(1 << 64));
    let v = if neg { -mag } else { mag };
    Ok(v.clamp(i64::MIN as i128, i64::MAX as i128) as i64)
}

/// Whether `dt` is a datetime64 without a unit (`M8`): NumPy's readers
/// then take the finest unit the values have.
pub(crate) fn is_generic_datetime(dt: &crate::DType) -> bool {
    matches!(
        dt.layout(),
        crate::dtype::Layout::Scalar {
            kind: crate::dtype::ScalarKind::Datetime,
            unit,
            ..
        } if unit.is_empty()
    )
}

/// Unit discovery for a `M8` column: `load` runs a pass over the text
/// with the converters it is given (an 8-byte column), which record the
/// finest unit of the values; the result is `dt` with that unit (days
/// when no value has one: the second pass then reports what does not
/// parse, as NumPy would).
pub(crate) fn discover_unit(
    dt: &crate::DType,
    load: impl FnOnce(&crate::DType, super::Converters) -> crate::Result<()>,
) -> crate::Result<crate::DType> {
    use std::sync::atomic::{AtomicU8, Ordering};
    use std::sync::Arc;
    let finest = Arc::new(AtomicU8::new(u8::MAX));
    let f2 = finest.clone();
    let conv = super::Converter {
        column: super::ConverterColumn::All,
        func: Arc::new(move |b: &[u8], _: &mut [u8]| {
            if let Ok(Some(d)) = parse_datetime(b) {
                let k = UNITS.iter().position(|(_, u)| *u == d.unit).unwrap_or(0) as u8;
                // u8::MAX: none yet; otherwise the finest (largest) index.
                let _ = f2.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |cur| {
                    (cur == u8::MAX || k > cur).then_some(k)
                });
            }
            super::Converted::Stored
        }),
    };
    let i8 = crate::DType::parse("<i8")?;
    load(&i8, super::Converters(vec![conv]))?;
    let k = finest.load(Ordering::Relaxed);
    let unit = UNITS.get(k as usize).map_or(TimeUnit::D, |(_, u)| *u);
    crate::DType::parse(&format!(
        "{}[{}]",
        dt.descr().trim_matches('\''),
        unit.name()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str, u: TimeUnit) -> Option<i64> {
        parse_datetime(s.as_bytes()).ok()??.value(u)
    }

    #[test]
    fn datetimes() {
        use TimeUnit::*;
        assert_eq!(at("1970-01-01", D), Some(0));
        assert_eq!(at("2020-01-02T10:00", D), Some(18263));
        assert_eq!(at("2020-01-02T10:00", Min), Some(18263 * 1440 + 600));
        assert_eq!(at("1969-12-31T23:59:59.5", S), Some(-1));
        assert_eq!(at("1969-12-31T23:59:59.5", Ms), Some(-500));
        assert_eq!(at("1969-12-31", W), Some(-1));
        assert_eq!(at("2020", M), Some(600));
        assert_eq!(at("+2020-03", Y), Some(50));
        assert!(parse_datetime(b" 2020-03").is_err());
        assert_eq!(at("-0001-01-01", Y), Some(-1971));
        assert_eq!(
            parse_datetime(b"2020-01-01T10:00:00.123")
                .unwrap()
                .unwrap()
                .unit,
            Ms
        );
        assert_eq!(
            parse_datetime(b"2020-01-01T10:00:00.1234")
                .unwrap()
                .unwrap()
                .unit,
            Us
        );
        assert_eq!(parse_datetime(b"NaT"), Ok(None));
        assert!(parse_datetime(b"2020-02-30").is_err());
        assert!(parse_datetime(b"2020-1-01").is_err());
        assert!(parse_datetime(b"2020-01-01Z").is_err());
        assert_eq!(at("2262-04-12", Ns), None);
        assert_eq!(parse_timedelta(b"-2"), Ok(-2));
        assert!(parse_timedelta(b" 2").is_err());
        assert_eq!(parse_timedelta(b"99999999999999999999"), Ok(i64::MAX));
        assert_eq!(parse_timedelta(b"nat"), Ok(NAT));
        assert!(parse_timedelta(b"1.5").is_err());
    }
}
