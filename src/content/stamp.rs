//! Dates in front matter that may carry a time: `date`, `updated` and
//! `expires`.
//!
//! Other generators write date-times (`2020-02-13 10:25:54 -0400`,
//! `2020-02-13T10:25:54Z`), and YAML lets them. A page shows the day; the
//! time is kept for what needs it (feed entries, the moment a page expires).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use serde::{Deserialize, Serialize};

/// A day, and the moment in it when the writer gave one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp {
    /// The day as written (in the writer's own time zone, not converted).
    pub date: NaiveDate,
    /// The moment, when a time was written; a time without an offset is
    /// taken as UTC.
    pub at: Option<DateTime<FixedOffset>>,
}

impl Stamp {
    /// A day with no time.
    pub fn day(date: NaiveDate) -> Stamp {
        Stamp { date, at: None }
    }

    /// The moment for a feed (RFC 3339): the written time, or midnight UTC.
    pub fn rfc3339(&self) -> String {
        match self.at {
            Some(at) => at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            None => format!("{}T00:00:00Z", self.date),
        }
    }

    /// Reads the forms writers and other generators use: `2024-03-01`,
    /// RFC 3339, `2024-03-01 10:25:54 -0400`, `2024-03-01 10:25`, with a
    /// `T` or a space between day and time, with or without seconds,
    /// fractions or an offset.
    pub fn parse(text: &str) -> Option<Stamp> {
        let text = text.trim();
        if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Some(Stamp::day(date));
        }
        if let Ok(at) = DateTime::parse_from_rfc3339(text) {
            return Some(Stamp::moment(at));
        }
        // The day and the rest, split at a `T` or the first space.
        let (day, rest) = text.split_at_checked(10)?;
        let date = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
        let rest = rest.strip_prefix(['T', 't', ' '])?.trim_start();
        let (time, zone) = match rest.find([' ', '+', '-', 'Z']) {
            Some(i) => (&rest[..i], rest[i..].trim()),
            None => (rest.trim(), ""),
        };
        // Go's default layout (Hugo's) adds the zone's name after the
        // offset: `+0000 UTC`. The offset is what counts.
        let zone = match zone.split_once(' ') {
            Some((offset, name)) if name.chars().all(|c| c.is_ascii_alphabetic()) => offset,
            _ => zone,
        };
        let time = ["%H:%M:%S%.f", "%H:%M:%S", "%H:%M"]
            .iter()
            .find_map(|f| NaiveTime::parse_from_str(time, f).ok())?;
        let local = NaiveDateTime::new(date, time);
        let offset = match zone {
            "" | "Z" | "z" | "UTC" | "GMT" => FixedOffset::east_opt(0)?,
            zone => parse_offset(zone)?,
        };
        let at = offset.from_local_datetime(&local).single()?;
        Some(Stamp { date, at: Some(at) })
    }

    fn moment(at: DateTime<FixedOffset>) -> Stamp {
        Stamp {
            date: at.date_naive(),
            at: Some(at),
        }
    }

    /// Whether the stamp lies before `today` (a page that expires today
    /// is still shown today).
    pub fn before(&self, today: NaiveDate) -> bool {
        self.date < today
    }
}

/// `-0400`, `+05:30`, `+01`.
fn parse_offset(zone: &str) -> Option<FixedOffset> {
    let (sign, digits) = match zone.as_bytes().first()? {
        b'+' => (1, &zone[1..]),
        b'-' => (-1, &zone[1..]),
        _ => return None,
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (hours, minutes) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

impl std::fmt::Display for Stamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.at {
            Some(at) => f.write_str(&at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
            None => write!(f, "{}", self.date),
        }
    }
}

impl Serialize for Stamp {
    /// Templates see the day (`page.date`), as they did before times were
    /// accepted.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.date.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Stamp::parse(&text).ok_or_else(|| {
            // Worded for writers; `yaml` passes the message on as it is.
            serde::de::Error::custom(format!(
                "`{text}` is not a date in the form YYYY-MM-DD (a time may follow, as in 2026-03-01 10:30 or 2026-03-01T10:30:00Z)"
            ))
        })
    }
}

/// The current moment as a stamp, for tests.
#[cfg(test)]
pub(crate) fn utc(y: i32, m: u32, d: u32, hh: u32, mm: u32) -> Stamp {
    let at = chrono::Utc
        .with_ymd_and_hms(y, m, d, hh, mm, 0)
        .single()
        .map(|t| t.fixed_offset());
    Stamp {
        date: NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default(),
        at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn plain_days_have_no_time() {
        assert_eq!(
            Stamp::parse("2024-03-01"),
            Some(Stamp::day(day(2024, 3, 1)))
        );
        assert_eq!(
            Stamp::parse("2024-03-01").unwrap().rfc3339(),
            "2024-03-01T00:00:00Z"
        );
    }

    #[test]
    fn date_times_keep_the_written_day_and_the_moment() {
        let s = Stamp::parse("2020-02-13 10:25:54 -0400").unwrap();
        assert_eq!(s.date, day(2020, 2, 13));
        assert_eq!(s.rfc3339(), "2020-02-13T10:25:54-04:00");
        // Late in the evening west of UTC is the next day in UTC: the page
        // still shows the day the writer wrote.
        let s = Stamp::parse("2020-02-13T23:30:00-05:00").unwrap();
        assert_eq!(s.date, day(2020, 2, 13));
        assert_eq!(
            Stamp::parse("2020-02-13T10:25:54Z").unwrap(),
            utc(2020, 2, 13, 10, 25).with_secs(54)
        );
        assert_eq!(
            Stamp::parse("2020-02-13 10:25").unwrap(),
            utc(2020, 2, 13, 10, 25)
        );
        assert_eq!(
            Stamp::parse("2020-02-13T10:25:54.123+05:30")
                .unwrap()
                .rfc3339(),
            "2020-02-13T10:25:54+05:30"
        );
        assert_eq!(
            Stamp::parse("2020-02-13 10:25:54 +0000 UTC").map(|s| s.rfc3339()),
            Some("2020-02-13T10:25:54Z".into())
        );
        assert_eq!(
            Stamp::parse("2020-02-13 10:25:54-04:00").map(|s| s.rfc3339()),
            Some("2020-02-13T10:25:54-04:00".into())
        );
    }

    #[test]
    fn other_text_is_not_a_date() {
        for bad in [
            "",
            "March 2024",
            "2024-02-30",
            "2024-03-01 25:00",
            "2024-03-01 10:00 +2500",
            "2024-03-01x",
            "2024-03-01 10:00 +0100 two words",
        ] {
            assert_eq!(Stamp::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn front_matter_reads_date_times_and_says_what_a_date_looks_like() {
        #[derive(Deserialize)]
        struct F {
            date: Stamp,
        }
        let f: F = crate::yaml::from_str("date: 2020-02-13 10:25:54 -0400").unwrap();
        assert_eq!(f.date.date, day(2020, 2, 13));
        let e = crate::yaml::from_str::<F>("date: soon").err().unwrap();
        assert!(e.message.contains("YYYY-MM-DD"), "{e:?}");
        assert_eq!(e.line, 1);
    }

    impl Stamp {
        fn with_secs(mut self, s: u32) -> Stamp {
            use chrono::Timelike;
            self.at = self.at.and_then(|t| t.with_second(s));
            self
        }
    }
}
