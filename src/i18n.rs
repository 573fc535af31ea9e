//! Swedish conventions: UI strings, dates as "13 december 2019", times in the site's time zone and
//! alphabetical order with å, ä and ö after z.
//!
//! The strings live in one file per theme (`strings.yaml`) and can be overridden in `site.yaml`;
//! nothing a reader sees is written in Rust except the month names.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, TimeZone};
use chrono_tz::Tz;

use crate::content::front_matter::Moment;

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// "13 december 2019": no leading zero, lower-case month, always the year.
pub fn long_date(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

/// Formats an ISO date or date-time (`2019-12-13`, `2019-12-13T10:00:00+01:00`) as [`long_date`].
pub fn long_date_from_iso(text: &str) -> Option<String> {
    iso_date(text.get(..10)?).map(long_date)
}

/// Reads exactly `YYYY-MM-DD`. Templates format thousands of dates; this avoids interpreting a
/// format string on every call, and unlike chrono's `FromStr` it takes no spaces or one-digit days.
fn iso_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(index, byte)| index == 4 || index == 7 || byte.is_ascii_digit());
    if !shaped {
        return None;
    }
    NaiveDate::from_ymd_opt(
        text[..4].parse().ok()?,
        text[5..7].parse().ok()?,
        text[8..].parse().ok()?,
    )
}

/// A point in time in the site's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalMoment {
    /// The moment in the site's time zone.
    pub at: DateTime<Tz>,
    /// Whether a time of day was given.
    pub has_time: bool,
}

impl LocalMoment {
    /// Places a front-matter moment in `timezone`. A local time that does not exist (the hour
    /// skipped when clocks go forward) is moved forward by an hour; an ambiguous one takes the earlier.
    pub fn new(moment: Moment, timezone: Tz) -> LocalMoment {
        match moment {
            Moment::Fixed(at) => LocalMoment {
                at: at.with_timezone(&timezone),
                has_time: true,
            },
            Moment::Local { at, has_time } => {
                let local = timezone
                    .from_local_datetime(&at)
                    .earliest()
                    .or_else(|| {
                        timezone
                            .from_local_datetime(&(at + chrono::Duration::hours(1)))
                            .earliest()
                    })
                    .unwrap_or_else(|| timezone.from_utc_datetime(&at));
                LocalMoment { at: local, has_time }
            }
        }
    }

    /// The calendar date in the site's time zone.
    pub fn date(&self) -> NaiveDate {
        self.at.date_naive()
    }

    /// ISO 8601 for `datetime` attributes and feeds: a date alone, or a date-time with offset.
    pub fn iso(&self) -> String {
        if self.has_time {
            self.at.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
        } else {
            self.date().format("%Y-%m-%d").to_string()
        }
    }

    /// RFC 3339 with a time of day (midnight when none was given), for feeds.
    pub fn rfc3339(&self) -> String {
        self.at.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }

    /// The compact form used after "Senast uppdaterad:": `2022-12-29 15:26`, or the date alone.
    pub fn compact(&self) -> String {
        if self.has_time {
            self.at.format("%Y-%m-%d %H:%M").to_string()
        } else {
            self.date().format("%Y-%m-%d").to_string()
        }
    }
}

/// Orders two texts the Swedish way: case-insensitive, å, ä and ö after z, and accented letters with
/// their base letter (é with e, ü with y as Swedish dictionaries do).
///
/// Compares letter by letter without allocating, and stops at the first difference: listings sort
/// thousands of pages, and most comparisons are decided by the first few letters.
pub fn collate(a: &str, b: &str) -> std::cmp::Ordering {
    collation_letters(a).cmp(collation_letters(b))
}

fn collation_letters(text: &str) -> impl Iterator<Item = u32> + '_ {
    text.chars().flat_map(char::to_lowercase).map(|c| match c {
        'å' => 'z' as u32 + 1,
        'ä' | 'æ' => 'z' as u32 + 2,
        'ö' | 'ø' => 'z' as u32 + 3,
        'é' | 'è' | 'ê' | 'ë' => 'e' as u32,
        'á' | 'à' | 'â' => 'a' as u32,
        'ü' => 'y' as u32,
        'í' | 'ì' => 'i' as u32,
        'ó' | 'ò' | 'ô' => 'o' as u32,
        other => other as u32,
    })
}

/// UI strings: the theme's file merged with the site's overrides.
#[derive(Debug, Clone, Default, serde::Serialize)]
#[serde(transparent)]
pub struct Strings {
    map: BTreeMap<String, String>,
}

impl Strings {
    /// Strings from a theme's `strings.yaml` text.
    pub fn parse(text: &str) -> Result<Strings, String> {
        let map: BTreeMap<String, String> = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
        Ok(Strings { map })
    }

    /// The string for `key`, or the key itself so a missing string is visible rather than blank.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.map.get(key).map_or(key, String::as_str)
    }

    /// Whether the theme defines `key`.
    pub fn contains(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// Replaces the text of `key`.
    pub fn set(&mut self, key: &str, text: &str) {
        self.map.insert(key.to_string(), text.to_string());
    }

    /// The keys the theme defines.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }

    /// The string for `key` with `{name}` placeholders filled in.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut text = self.get(key).to_string();
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_dates_have_no_leading_zero_and_lower_case_months() {
        assert_eq!(
            long_date(NaiveDate::from_ymd_opt(2019, 12, 13).unwrap()),
            "13 december 2019"
        );
        assert_eq!(
            long_date(NaiveDate::from_ymd_opt(2022, 6, 3).unwrap()),
            "3 juni 2022"
        );
        assert_eq!(
            long_date_from_iso("2024-01-05T10:00:00+01:00").as_deref(),
            Some("5 januari 2024")
        );
        assert_eq!(long_date_from_iso("igår"), None);
    }

    #[test]
    fn stockholm_time_across_daylight_saving() {
        let winter = Moment::parse("2022-12-29T14:26:00Z").unwrap();
        let summer = Moment::parse("2022-06-29T14:26:00Z").unwrap();
        let stockholm = chrono_tz::Europe::Stockholm;
        assert_eq!(LocalMoment::new(winter, stockholm).compact(), "2022-12-29 15:26");
        assert_eq!(LocalMoment::new(summer, stockholm).compact(), "2022-06-29 16:26");
        let local = LocalMoment::new(Moment::parse("2022-12-29 15:26").unwrap(), stockholm);
        assert_eq!(local.iso(), "2022-12-29T15:26:00+01:00");
        let skipped = LocalMoment::new(Moment::parse("2023-03-26 02:30").unwrap(), stockholm);
        assert_eq!(skipped.compact(), "2023-03-26 03:30");
    }

    #[test]
    fn swedish_alphabetical_order() {
        let mut words = vec!["ö", "å", "z", "ä", "a", "Éva", "Ebba"];
        words.sort_by(|a, b| collate(a, b));
        assert_eq!(words, vec!["a", "Ebba", "Éva", "z", "å", "ä", "ö"]);
    }

    #[test]
    fn placeholders_are_filled() {
        let strings = Strings::parse("back_to: \"Tillbaka till {section}\"").unwrap();
        assert_eq!(
            strings.fill("back_to", &[("section", "Barnens bästa")]),
            "Tillbaka till Barnens bästa"
        );
        assert_eq!(strings.get("saknas"), "saknas");
    }
}
