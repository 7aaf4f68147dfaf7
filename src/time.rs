//! Platform timestamps: parsing both formats the platform has sent, and relative wording.

/// Milliseconds since the Unix epoch for a platform timestamp, or `None` when it is neither
/// RFC 3339 (`2024-05-02T12:27:15.147Z`, `…+10:00`) nor Go's default
/// (`2023-05-02 12:27:15.147192 +0000 UTC`).
pub fn parse_timestamp(s: &str) -> Option<f64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b't' || b[10] == b' ') {
        return None;
    }
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !(1..=12).contains(&month)
        || !(1..=days_in_month(year, month)).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &s[19..];
    let mut frac_ms = 0.0;
    if let Some(r) = rest.strip_prefix('.') {
        let digits = r.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        // Integer digits, not a float parse of a formatted string: this runs for every key of
        // a 10,000-key list. Digits past the 15th are below a nanosecond and ignored.
        let kept = digits.min(15);
        let n = r.as_bytes()[..kept]
            .iter()
            .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
        frac_ms = n as f64 * 1000.0 / 10f64.powi(kept as i32);
        rest = &r[digits..];
    }
    let offset_min = parse_zone(rest)?;
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_min * 60;
    Some(secs as f64 * 1000.0 + frac_ms)
}

/// Offset in minutes east of UTC: `Z`, `±HH:MM`, or Go's ` ±HHMM NAME`.
fn parse_zone(rest: &str) -> Option<i64> {
    if rest == "Z" || rest == "z" {
        return Some(0);
    }
    let (sign, body, go) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..], false),
        b'-' => (-1, &rest[1..], false),
        b' ' => {
            let r = rest.trim_start();
            let (zone, _name) = r.split_once(' ').unwrap_or((r, ""));
            match zone.as_bytes().first()? {
                b'+' => (1, &zone[1..], true),
                b'-' => (-1, &zone[1..], true),
                _ => return None,
            }
        }
        _ => return None,
    };
    let (h, m) = if go {
        (body.get(0..2)?, body.get(2..4)?)
    } else {
        let (h, m) = body.split_once(':')?;
        (h, m)
    };
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 23 && m <= 59).then_some(sign * (h * 60 + m))
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

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// "just now", "5 minutes ago", "3 days ago"… The times shown are of things done (created,
/// last used), so a time after `now_ms` means the platform's clock is ahead of this browser's:
/// "just now", never "in 2 minutes".
pub fn relative(then_ms: f64, now_ms: f64) -> String {
    let abs = (now_ms - then_ms) / 1000.0;
    if abs < 45.0 {
        return "just now".into();
    }
    // Each unit while its rounded count stays below the next unit's size: 59 min 30 s is
    // "1 hour ago", not "60 minutes ago".
    let in_units = |secs: f64| (abs / secs).round();
    let (n, unit) = if in_units(60.0) < 60.0 {
        (in_units(60.0).max(1.0), "minute")
    } else if in_units(3_600.0) < 24.0 {
        (in_units(3_600.0), "hour")
    } else if in_units(86_400.0) < 30.0 {
        (in_units(86_400.0), "day")
    } else if in_units(30.0 * 86_400.0) < 12.0 {
        (in_units(30.0 * 86_400.0), "month")
    } else {
        (in_units(365.0 * 86_400.0).max(1.0), "year")
    };
    let n = n as u64;
    let plural = if n == 1 { "" } else { "s" };
    format!("{n} {unit}{plural} ago")
}

/// How a timestamp is shown: relative text, and the exact local time for hover and focus.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shown {
    /// "3 days ago", or the raw text when it cannot be parsed.
    pub relative: String,
    /// Exact time with time zone, or the raw text.
    pub exact: String,
    /// Parsed value, for sorting.
    pub ms: Option<f64>,
}

/// Formats a platform timestamp for display.
pub fn show(raw: &str, now_ms: f64) -> Shown {
    if raw.trim().is_empty() {
        let said = crate::shown::NOT_REPORTED.to_owned();
        return Shown {
            relative: said.clone(),
            exact: said,
            ms: None,
        };
    }
    match parse_timestamp(raw) {
        Some(ms) => Shown {
            relative: relative(ms, now_ms),
            exact: exact_local(ms),
            ms: Some(ms),
        },
        None => Shown {
            relative: raw.to_owned(),
            exact: raw.to_owned(),
            ms: None,
        },
    }
}

/// The exact time in the browser's time zone, with its UTC offset at that instant (so summer
/// time is right for each date).
///
/// Built here rather than by `Intl.DateTimeFormat`: the browser's first formatter loads locale
/// data on the path to the first rows. The console's text is English, and a numeric offset names
/// the zone unambiguously.
fn exact_local(ms: f64) -> String {
    #[cfg(target_arch = "wasm32")]
    let east_min = -js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms)).get_timezone_offset();
    #[cfg(not(target_arch = "wasm32"))]
    let east_min = 0.0;
    format_exact(ms, east_min as i64)
}

/// `ms` as a time of day in the browser's time zone, "14:05": for something of the last hours,
/// said once and true for as long as it shows (unlike "5 minutes ago").
pub fn clock_local(ms: f64) -> String {
    #[cfg(target_arch = "wasm32")]
    let east_min = -js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms)).get_timezone_offset();
    #[cfg(not(target_arch = "wasm32"))]
    let east_min = 0.0;
    let secs = ((ms / 1000.0).floor() as i64 + east_min as i64 * 60).rem_euclid(86_400);
    format!("{:02}:{:02}", secs / 3600, secs % 3600 / 60)
}

/// `ms` shown at `east_min` minutes east of UTC: "2 Jan 2024, 04:04:05 (UTC+01:00)".
pub fn format_exact(ms: f64, east_min: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = (ms / 1000.0).floor() as i64 + east_min * 60;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let zone = if east_min == 0 {
        "UTC".to_owned()
    } else {
        let sign = if east_min > 0 { '+' } else { '-' };
        let a = east_min.abs();
        format!("UTC{sign}{:02}:{:02}", a / 60, a % 60)
    };
    format!(
        "{d} {} {y}, {:02}:{:02}:{:02} ({zone})",
        MONTHS[(m - 1) as usize],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (inverse of `days_from_civil`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A page's data read this long ago is read again when its tab comes back.
pub const STALE_AFTER_MS: f64 = 30_000.0;

/// A wait that is still going on, to the second: "12 s", "2 min 5 s".
pub fn elapsed(secs: u32) -> String {
    match (secs / 60, secs % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

/// Now, in milliseconds since the epoch.
pub fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as f64)
            .unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_elapsed_wait_reads_in_minutes_and_seconds() {
        assert_eq!(elapsed(0), "0 s");
        assert_eq!(elapsed(59), "59 s");
        assert_eq!(elapsed(60), "1 min");
        assert_eq!(elapsed(125), "2 min 5 s");
        assert_eq!(elapsed(734), "12 min 14 s");
    }

    #[test]
    fn parses_rfc3339() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(parse_timestamp("1970-01-01T00:00:01.5Z"), Some(1500.0));
        assert_eq!(
            parse_timestamp("2024-02-29T10:00:00+10:00"),
            parse_timestamp("2024-02-29T00:00:00Z")
        );
        assert_eq!(
            parse_timestamp("2023-05-02T12:27:15Z"),
            Some(1_683_030_435_000.0)
        );
        assert_eq!(
            parse_timestamp("2023-05-02T12:27:15-01:30"),
            Some(1_683_030_435_000.0 + 90.0 * 60_000.0)
        );
    }

    #[test]
    fn parses_go_default_format() {
        let ms = parse_timestamp("2023-05-02 12:27:15.147192 +0000 UTC").unwrap();
        assert!((ms - 1_683_030_435_147.192).abs() < 0.01, "{ms}");
        assert_eq!(
            parse_timestamp("2023-05-02 22:27:15 +1000 AEST"),
            Some(1_683_030_435_000.0)
        );
    }

    #[test]
    fn junk_is_none() {
        for junk in [
            "",
            "yesterday",
            "2023-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2023-05-02T25:00:00Z",
            "2023-05-02T12:27:15",
            "2023-05-02T12:27:15.Z",
            "2023-05-02T12:27:15+1000",
            "2023-05-02 12:27:15.1 UTC",
            "2023-05-02T12:27:15Zjunk",
            "２０２３-05-02T12:27:15Z",
            "2023/05/02T12:27:15Z",
        ] {
            assert_eq!(parse_timestamp(junk), None, "{junk:?}");
        }
    }

    #[test]
    fn exact_time_names_the_offset() {
        let ms = parse_timestamp("2024-01-02T03:04:05Z").unwrap();
        assert_eq!(format_exact(ms, 0), "2 Jan 2024, 03:04:05 (UTC)");
        assert_eq!(format_exact(ms, 60), "2 Jan 2024, 04:04:05 (UTC+01:00)");
        assert_eq!(format_exact(ms, 570), "2 Jan 2024, 12:34:05 (UTC+09:30)");
        // West of UTC, across midnight and the year.
        let ms = parse_timestamp("2024-01-01T02:00:00.999Z").unwrap();
        assert_eq!(format_exact(ms, -300), "31 Dec 2023, 21:00:00 (UTC-05:00)");
        let leap = parse_timestamp("2024-02-29T23:59:59Z").unwrap();
        assert_eq!(format_exact(leap, 0), "29 Feb 2024, 23:59:59 (UTC)");
        assert_eq!(format_exact(-1000.0, 0), "31 Dec 1969, 23:59:59 (UTC)");
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn exact_time_reads_back_as_the_same_instant(
            secs in -62_135_596_800i64..253_402_300_799i64,
            east_min in -720i64..=840,
        ) {
            let text = format_exact(secs as f64 * 1000.0, east_min);
            // "D Mon YYYY, hh:mm:ss (UTC±hh:mm)" -> RFC 3339, then parse it back.
            const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
            let (date, rest) = text.split_once(", ").unwrap();
            let mut parts = date.split(' ');
            let d: u32 = parts.next().unwrap().parse().unwrap();
            let mon = parts.next().unwrap();
            let m = MONTHS.iter().position(|x| *x == mon).unwrap() + 1;
            let y: i64 = parts.next().unwrap().parse().unwrap();
            let (time, zone) = rest.split_once(" (").unwrap();
            let zone = zone.trim_end_matches(')').trim_start_matches("UTC");
            let zone = if zone.is_empty() { "Z" } else { zone };
            let rfc = format!("{y:04}-{m:02}-{d:02}T{time}{zone}");
            proptest::prop_assert_eq!(parse_timestamp(&rfc), Some(secs as f64 * 1000.0), "{}", rfc);
        }
    }

    #[test]
    fn an_absent_time_is_said_to_be_not_reported() {
        for raw in ["", "  "] {
            let s = show(raw, 0.0);
            assert_eq!(
                (s.relative.as_str(), s.exact.as_str()),
                ("Not reported", "Not reported")
            );
            assert_eq!(s.ms, None);
        }
    }

    #[test]
    fn unparseable_is_shown_verbatim() {
        let s = show("last tuesday", 0.0);
        assert_eq!(s.relative, "last tuesday");
        assert_eq!(s.exact, "last tuesday");
        assert_eq!(s.ms, None);
    }

    #[test]
    fn relative_wording() {
        let now = 1_700_000_000_000.0;
        let min = 60_000.0;
        assert_eq!(relative(now - 10_000.0, now), "just now");
        assert_eq!(relative(now - min, now), "1 minute ago");
        assert_eq!(relative(now - 5.0 * min, now), "5 minutes ago");
        assert_eq!(relative(now - 3.0 * 60.0 * min, now), "3 hours ago");
        assert_eq!(relative(now - 2.0 * 1440.0 * min, now), "2 days ago");
        assert_eq!(relative(now - 65.0 * 1440.0 * min, now), "2 months ago");
        assert_eq!(relative(now - 800.0 * 1440.0 * min, now), "2 years ago");
        assert_eq!(relative(now - 59.5 * min, now), "1 hour ago");
        assert_eq!(relative(now - 23.5 * 60.0 * min, now), "1 day ago");
        assert_eq!(relative(now - 29.5 * 1440.0 * min, now), "1 month ago");
        assert_eq!(relative(now - 360.0 * 1440.0 * min, now), "1 year ago");
        assert_eq!(relative(now + 3.0 * min, now), "just now", "a clock ahead");
        assert_eq!(relative(now + 2.0 * 60.0 * min, now), "just now");
    }
}
