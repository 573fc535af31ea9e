//! Lifecycle: what a page's archive date means on a given day.
//!
//! "Today" is always an input, never read from the clock here, so a build is reproducible with
//! `--today`. A notice never shows a date that has passed.

use chrono::NaiveDate;

use crate::i18n::Strings;

/// Where a page stands in its life on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    /// Published, with no archive date.
    Published,
    /// Published, and to be archived on the date unless it is updated first.
    ArchivingOn(NaiveDate),
    /// The archive date has passed.
    PastArchiveDate(NaiveDate),
}

impl Lifecycle {
    /// The state of a page with `archive_date` on `today`.
    pub fn on(archive_date: Option<NaiveDate>, today: NaiveDate) -> Lifecycle {
        match archive_date {
            None => Lifecycle::Published,
            Some(date) if date >= today => Lifecycle::ArchivingOn(date),
            Some(date) => Lifecycle::PastArchiveDate(date),
        }
    }

    /// The sentence shown right after the page's heading, if any:
    /// "Sidan kommer att arkiveras 2017-03-06 om sidan inte uppdateras."
    pub fn notice(&self, strings: &Strings) -> Option<String> {
        match self {
            Lifecycle::ArchivingOn(date) => Some(strings.fill(
                "archive_notice",
                &[("date", &date.format("%Y-%m-%d").to_string())],
            )),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn notice_before_and_on_the_date_never_after() {
        let strings =
            Strings::parse("archive_notice: \"Sidan kommer att arkiveras {date} om sidan inte uppdateras.\"")
                .unwrap();
        let before = Lifecycle::on(Some(day("2017-03-06")), day("2017-01-01"));
        assert_eq!(
            before.notice(&strings).as_deref(),
            Some("Sidan kommer att arkiveras 2017-03-06 om sidan inte uppdateras.")
        );
        assert!(Lifecycle::on(Some(day("2017-03-06")), day("2017-03-06"))
            .notice(&strings)
            .is_some());
        assert_eq!(
            Lifecycle::on(Some(day("2017-03-06")), day("2017-03-07")).notice(&strings),
            None
        );
        assert_eq!(Lifecycle::on(None, day("2017-03-07")), Lifecycle::Published);
    }
}
