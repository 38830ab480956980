//! Dates and times of deal data, as seconds since 1970-01-01 UTC (DEALS.md section 2).

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

const DAY: i64 = 86_400;

/// Parses the date forms of the data: ISO dates and times, with or without an offset, and a
/// configured strftime pattern. Times without an offset are in UTC unless a zone is given.
pub struct DateParser {
    zone: Option<TimeZone>,
    format: Option<String>,
}

impl DateParser {
    pub fn new(zone: Option<&str>, format: Option<&str>) -> Result<Self, String> {
        let zone = zone
            .map(|name| TimeZone::get(name).map_err(|e| format!("`data.timezone`: `{name}`: {e}")))
            .transpose()?;
        Ok(DateParser {
            zone,
            format: format.map(str::to_string),
        })
    }

    pub fn parse(&self, text: &str) -> Option<i64> {
        if let Some(format) = &self.format {
            if let Some(t) = self.parse_pattern(format, text) {
                return Some(t);
            }
        }
        let (seconds, offset) = parse_iso(text.as_bytes())?;
        match (offset, &self.zone) {
            (Some(offset), _) => Some(seconds - offset),
            (None, None) => Some(seconds),
            (None, Some(zone)) => in_zone(zone, seconds),
        }
    }

    fn parse_pattern(&self, format: &str, text: &str) -> Option<i64> {
        let parsed = jiff::fmt::strtime::parse(format, text).ok()?;
        if parsed.offset().is_some() {
            return parsed.to_timestamp().ok().map(|t| t.as_second());
        }
        let civil = parsed
            .to_datetime()
            .or_else(|_| {
                parsed
                    .to_date()
                    .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
            })
            .ok()?;
        let zone = self.zone.clone().unwrap_or(TimeZone::UTC);
        zone.to_timestamp(civil).ok().map(|t| t.as_second())
    }
}

/// A UTC wall-clock time read in `zone` instead.
fn in_zone(zone: &TimeZone, utc_seconds: i64) -> Option<i64> {
    let days = utc_seconds.div_euclid(DAY);
    let secs = utc_seconds.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    let date = Date::new(i16::try_from(y).ok()?, m as i8, d as i8).ok()?;
    let time = jiff::civil::Time::new(
        (secs / 3600) as i8,
        (secs / 60 % 60) as i8,
        (secs % 60) as i8,
        0,
    )
    .ok()?;
    zone.to_timestamp(DateTime::from_parts(date, time))
        .ok()
        .map(|t| t.as_second())
}

/// `YYYY-MM-DD`, then optionally `[T ]HH:MM[:SS[.fff]]` and `Z` or `±HH[:MM]`: the wall-clock
/// seconds and the offset in seconds, if written.
fn parse_iso(b: &[u8]) -> Option<(i64, Option<i64>)> {
    let year = digits(b.get(0..4)?)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let month = digits(b.get(5..7)?)?;
    let day = digits(b.get(8..10)?)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) * DAY;
    let mut rest = &b[10..];
    if rest.is_empty() {
        return Some((seconds, None));
    }
    if rest[0] != b'T' && rest[0] != b't' && rest[0] != b' ' {
        return None;
    }
    rest = &rest[1..];
    let hour = digits(rest.get(0..2)?)?;
    if rest.get(2) != Some(&b':') {
        return None;
    }
    let minute = digits(rest.get(3..5)?)?;
    rest = &rest[5..];
    let mut second = 0;
    if rest.first() == Some(&b':') {
        second = digits(rest.get(1..3)?)?;
        rest = &rest[3..];
        if rest.first() == Some(&b'.') || rest.first() == Some(&b',') {
            let n = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            rest = &rest[1 + n..];
        }
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    seconds += hour * 3600 + minute * 60 + second;
    let offset = match rest {
        [] => None,
        [b'Z' | b'z'] => Some(0),
        [sign @ (b'+' | b'-'), tail @ ..] => {
            let (h, m) = match tail {
                [h1, h2] => (digits(&[*h1, *h2])?, 0),
                [h1, h2, m1, m2] => (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?),
                [h1, h2, b':', m1, m2] => (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let offset = h * 3600 + m * 60;
            Some(if *sign == b'-' { -offset } else { offset })
        }
        _ => return None,
    };
    Some((seconds, offset))
}

fn digits(b: &[u8]) -> Option<i64> {
    b.iter().try_fold(0i64, |n, c| {
        c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
    })
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

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (the inverse of [`days_from_civil`]).
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
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

/// RFC 3339 in UTC: `2023-02-07T20:47:49Z`.
pub fn format_utc(seconds: i64) -> String {
    let (y, m, d) = civil_from_days(seconds.div_euclid(DAY));
    let s = seconds.rem_euclid(DAY);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// The date alone: `2023-02-07`.
pub fn format_date(seconds: i64) -> String {
    format_utc(seconds)[..10].to_string()
}

/// Days between two times, not rounded.
pub fn days_between(earlier: i64, later: i64) -> f64 {
    (later - earlier) as f64 / DAY as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> Option<i64> {
        DateParser::new(None, None).unwrap().parse(text)
    }

    #[test]
    fn every_documented_form() {
        let midnight = utc("2023-02-07").unwrap();
        assert_eq!(format_utc(midnight), "2023-02-07T00:00:00Z");
        assert_eq!(utc("2023-02-07 20:47:49"), Some(midnight + 74_869));
        assert_eq!(utc("2023-02-07T20:47:49Z"), Some(midnight + 74_869));
        assert_eq!(utc("2023-02-07T20:47:49.000+0000"), Some(midnight + 74_869));
        assert_eq!(utc("2023-02-07T21:47:49+01:00"), Some(midnight + 74_869));
        assert_eq!(utc("2023-02-07T15:47:49-05"), Some(midnight + 74_869));
    }

    #[test]
    fn impossible_dates_are_refused() {
        for bad in [
            "2023-02-30",
            "2023-13-01",
            "07/02/2023",
            "2023-02-07T25:00",
            "",
            "2023-02-07x",
        ] {
            assert_eq!(utc(bad), None, "{bad}");
        }
        assert!(utc("2024-02-29").is_some());
    }

    #[test]
    fn a_pattern_and_a_zone() {
        let p = DateParser::new(Some("Europe/Berlin"), Some("%d/%m/%Y %H:%M")).unwrap();
        assert_eq!(p.parse("07/02/2023 21:47"), utc("2023-02-07T20:47:00Z"));
        assert_eq!(p.parse("2023-07-01 12:00"), utc("2023-07-01T10:00:00Z"));
        let dates = DateParser::new(None, Some("%d/%m/%Y")).unwrap();
        assert_eq!(dates.parse("07/02/2023"), utc("2023-02-07"));
    }

    #[test]
    fn civil_round_trip() {
        for days in [-800_000, -1, 0, 1, 19_000, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
