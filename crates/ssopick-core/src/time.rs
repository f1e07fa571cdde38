//! UTC timestamps: parsing every `expiresAt` form seen in real SSO cache files,
//! and formatting as `YYYY-MM-DDTHH:MM:SSZ`. Pure; no clock is read here.

use serde::Deserialize;
use std::fmt;

/// Where "now" comes from. The edge's system clock in the product; a fixed
/// or stepped clock in tests. Everything that compares against the current
/// time asks one, so a process that runs for hours sees time pass.
pub trait Clock: Send + Sync {
    fn now(&self) -> UtcTime;
}

/// A clock that always says the same time (tests, renders).
#[derive(Clone, Copy, Debug)]
pub struct FixedClock(pub UtcTime);

impl Clock for FixedClock {
    fn now(&self) -> UtcTime {
        self.0
    }
}

/// Seconds since the Unix epoch, UTC.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcTime(pub i64);

impl UtcTime {
    pub fn from_millis(ms: i64) -> Self {
        UtcTime(ms.div_euclid(1000))
    }

    pub fn plus_secs(self, s: i64) -> Self {
        UtcTime(self.0.saturating_add(s))
    }

    /// Seconds from `self` until `later` (negative when `later` is earlier).
    pub fn secs_until(self, later: UtcTime) -> i64 {
        later.0 - self.0
    }

    /// Parses RFC 3339-like timestamps: `2021-12-07T01:19:12UTC`, `...Z`,
    /// fractional seconds of any length, `+00:00` / `-08:00` / `+0000` offsets,
    /// a space instead of `T`, and (leniently) no zone at all, taken as UTC.
    pub fn parse(s: &str) -> Option<UtcTime> {
        let s = s.trim();
        let b = s.as_bytes();
        if b.len() < 19 {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            let part = s.get(r)?;
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
            return None;
        }
        let (hour, min, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if b[13] != b':' || b[16] != b':' {
            return None;
        }
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || min > 59
            || sec > 60
        {
            return None;
        }
        let mut rest = &s[19..];
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            rest = &frac[digits..];
        }
        let offset = match rest {
            "" | "Z" | "z" | "UTC" | "utc" => 0,
            _ => parse_offset(rest)?,
        };
        let days = days_from_civil(year, month, day);
        Some(UtcTime(
            days * 86_400 + hour * 3600 + min * 60 + sec - offset,
        ))
    }

    pub fn to_rfc3339(self) -> String {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        )
    }
}

impl fmt::Display for UtcTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

/// `+HH:MM`, `-HH:MM`, `+HHMM`, `+HH` -> seconds east of UTC.
fn parse_offset(s: &str) -> Option<i64> {
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = s[1..].chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|c| c.is_ascii_digit()) || s[1..].matches(':').count() > 1 {
        return None;
    }
    let (h, m) = match digits.len() {
        2 => (digits.parse::<i64>().ok()?, 0),
        4 => (
            digits[..2].parse::<i64>().ok()?,
            digits[2..].parse::<i64>().ok()?,
        ),
        _ => return None,
    };
    if h > 23 || m > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's civil calendar algorithms.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// "in 3h 12m", "5m ago": for humans on stderr and in the picker.
pub fn human_duration(secs: i64) -> String {
    let a = secs.unsigned_abs();
    if a < 60 {
        format!("{a}s")
    } else if a < 3600 {
        format!("{}m", a / 60)
    } else if a < 86_400 {
        format!("{}h {:02}m", a / 3600, a % 3600 / 60)
    } else {
        format!("{}d {}h", a / 86_400, a % 86_400 / 3600)
    }
}

/// Seconds in an age such as `90s`, `15m`, `1h`, `2d`, or a plain number.
pub fn parse_age(text: &str) -> Option<i64> {
    let t = text.trim();
    let (num, unit) = match t.char_indices().last()? {
        (i, c) if c.is_ascii_alphabetic() => (&t[..i], c),
        _ => (t, 's'),
    };
    let n: i64 = num.trim().parse().ok().filter(|n| *n >= 0)?;
    let mul = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        _ => return None,
    };
    n.checked_mul(mul)
}

/// An optional age (`duration = "1h"` of a `[[chain]]`).
pub fn deserialize_opt_age<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<i64>, D::Error> {
    age(d).map(Some)
}

pub fn age<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Secs(i64),
        Text(String),
    }
    let bad = |shown: String| {
        serde::de::Error::custom(format!(
            "{shown} is not an age: write it like \"90s\", \"15m\", \"1h\" or \"2d\""
        ))
    };
    match Raw::deserialize(d)? {
        Raw::Secs(n) if n >= 0 => Ok(n),
        Raw::Secs(n) => Err(bad(n.to_string())),
        Raw::Text(t) => parse_age(&t).ok_or_else(|| bad(format!("{t:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_form_parses() {
        let base = UtcTime::parse("2023-03-04T03:39:48Z").unwrap();
        assert_eq!(base.0, 1_677_901_188);
        assert_eq!(UtcTime::parse("2023-03-04T03:39:48UTC"), Some(base));
        assert_eq!(UtcTime::parse("2023-03-04T03:39:48.123Z"), Some(base));
        assert_eq!(UtcTime::parse("2023-03-04T03:39:48.123456Z"), Some(base));
        assert_eq!(UtcTime::parse("2023-03-04T03:39:48+00:00"), Some(base));
        assert_eq!(UtcTime::parse("2023-03-03T19:39:48-08:00"), Some(base));
        assert_eq!(UtcTime::parse("2023-03-04T05:39:48+0200"), Some(base));
        assert_eq!(UtcTime::parse("2023-03-04 03:39:48Z"), Some(base));
        assert_eq!(
            UtcTime::parse("2021-12-07T01:19:12UTC")
                .unwrap()
                .to_rfc3339(),
            "2021-12-07T01:19:12Z"
        );
        assert_eq!(
            UtcTime::parse("2024-06-10T15:00:06-08:00")
                .unwrap()
                .to_rfc3339(),
            "2024-06-10T23:00:06Z"
        );
        assert_eq!(
            UtcTime::parse("2022-02-23T21:56:47+00:00")
                .unwrap()
                .to_rfc3339(),
            "2022-02-23T21:56:47Z"
        );
    }

    #[test]
    fn garbage_is_rejected() {
        for s in [
            "",
            "2023-03-04",
            "2023-13-04T03:39:48Z",
            "2023-02-30T03:39:48Z",
            "2023-03-04T24:00:00Z",
            "2023-03-04T03:39:48.Z",
            "2023-03-04T03:39:48+25:00",
            "2023-03-04T03:39:48PST",
            "2023-03-04X03:39:48Z",
            "२०२३-03-04T03:39:48Z",
        ] {
            assert_eq!(UtcTime::parse(s), None, "{s}");
        }
    }

    #[test]
    fn round_trip_and_leap_years() {
        for t in [0, 951_782_400, 1_709_164_800, 4_102_444_799, -86_400] {
            let s = UtcTime(t).to_rfc3339();
            assert_eq!(UtcTime::parse(&s), Some(UtcTime(t)), "{s}");
        }
        assert_eq!(
            UtcTime::parse("2024-02-29T00:00:00Z").unwrap().0,
            1_709_164_800
        );
        assert_eq!(UtcTime::from_millis(1_700_000_000_999).0, 1_700_000_000);
    }

    #[test]
    fn human_durations() {
        assert_eq!(human_duration(42), "42s");
        assert_eq!(human_duration(-300), "5m");
        assert_eq!(human_duration(3 * 3600 + 12 * 60), "3h 12m");
        assert_eq!(human_duration(2 * 86_400 + 3600), "2d 1h");
    }
}
