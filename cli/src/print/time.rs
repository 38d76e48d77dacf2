//! datetime64 values as `np.datetime_as_string` writes them.

use npyio::text::datetime::TimeUnit;

/// A datetime64 unit; `None` for generic (`M8`: only NaT is meaningful).
pub type Unit = Option<TimeUnit>;

/// The unit and multiplier of a datetime64 unit text (`"ns"`, `"10ms"`, `""`).
pub fn parse_unit(text: &str) -> (Unit, i64) {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let mult = text[..split].parse::<i64>().unwrap_or(1).max(1);
    let name = match &text[split..] {
        "μs" => "us",
        n => n,
    };
    (TimeUnit::parse(name), mult)
}

/// The NaT value.
pub const NAT: i64 = i64::MIN;

/// (year, month, day) of a day count since 1970-01-01 (proleptic Gregorian).
fn civil(days: i128) -> (i128, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn date(days: i128) -> String {
    let (y, m, d) = civil(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `np.datetime_as_string(x)` for a non-NaT value in `unit` × `mult`,
/// printed in `unit` (NumPy prints `M8[10ms]` values in ms).
pub fn datetime_string(v: i64, unit: Unit, mult: i64) -> String {
    let v = v as i128 * mult as i128;
    let sub = |per_day: i128, frac_digits: usize| -> String {
        let days = v.div_euclid(per_day);
        let rem = v.rem_euclid(per_day);
        let per_sec = per_day / 86_400;
        let secs = rem / per_sec;
        let frac = rem % per_sec;
        let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        let mut out = format!("{}T{h:02}:{mi:02}:{s:02}", date(days));
        if frac_digits > 0 {
            out.push_str(&format!(".{frac:0frac_digits$}"));
        }
        out
    };
    let Some(unit) = unit else {
        return v.to_string();
    };
    match unit {
        TimeUnit::Y => format!("{:04}", 1970 + v),
        TimeUnit::M => format!("{:04}-{:02}", 1970 + v.div_euclid(12), v.rem_euclid(12) + 1),
        TimeUnit::W => date(v * 7),
        TimeUnit::D => date(v),
        TimeUnit::H => {
            let days = v.div_euclid(24);
            format!("{}T{:02}", date(days), v.rem_euclid(24))
        }
        TimeUnit::Min => {
            let days = v.div_euclid(1440);
            let r = v.rem_euclid(1440);
            format!("{}T{:02}:{:02}", date(days), r / 60, r % 60)
        }
        TimeUnit::S => sub(86_400, 0),
        TimeUnit::Ms => sub(86_400 * 1_000, 3),
        TimeUnit::Us => sub(86_400 * 1_000_000, 6),
        TimeUnit::Ns => sub(86_400 * 1_000_000_000, 9),
        TimeUnit::Ps => sub(86_400 * 1_000_000_000_000, 12),
        TimeUnit::Fs => sub(86_400 * 1_000_000_000_000_000, 15),
        TimeUnit::As => sub(86_400 * 1_000_000_000_000_000_000, 18),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        assert_eq!(datetime_string(0, Some(TimeUnit::D), 1), "1970-01-01");
        assert_eq!(datetime_string(-1, Some(TimeUnit::D), 1), "1969-12-31");
        assert_eq!(
            datetime_string(123456789, Some(TimeUnit::D), 1),
            "339983-03-18"
        );
        assert_eq!(datetime_string(-1971, Some(TimeUnit::Y), 1), "-001");
        assert_eq!(
            datetime_string(123456789, Some(TimeUnit::W), 1),
            "2368062-06-15"
        );
        assert_eq!(
            datetime_string(1, Some(TimeUnit::Ms), 10),
            "1970-01-01T00:00:00.010"
        );
        assert_eq!(
            datetime_string(-1, Some(TimeUnit::As), 1),
            "1969-12-31T23:59:59.999999999999999999"
        );
        assert_eq!(
            datetime_string(-10i64.pow(15), Some(TimeUnit::D), 1),
            "-2737907005019-06-29"
        );
    }
}
