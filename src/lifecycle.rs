//! Lifecycle: archive dates, review dates and owners, and what they mean on a given day.
//!
//! A page's archive date is written by hand or computed from its last update (or publication) plus an
//! interval per section or per kind, so updating a page postpones its archiving. "Today" is always an
//! input, never read from the clock here, so builds and reports are reproducible with `--today`.
//! A notice never shows a date that has passed.

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::config::Owner;
use crate::i18n::Strings;

/// Where a page stands in its life on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    /// Published, with no archive date.
    Published,
    /// Published, with an archive date too far ahead for the notice.
    Scheduled(NaiveDate),
    /// Published, with the notice "Sidan kommer att arkiveras … om sidan inte uppdateras."
    Notice(NaiveDate),
    /// The archive date has come.
    Archived(NaiveDate),
}

impl Lifecycle {
    /// The state of a page with `archive_date` on `today`; the notice shows from `notice_days`
    /// before the date, or always when that is unset. A page is archived on its archive date.
    pub fn on(archive_date: Option<NaiveDate>, today: NaiveDate, notice_days: Option<u32>) -> Lifecycle {
        match archive_date {
            None => Lifecycle::Published,
            Some(date) if date <= today => Lifecycle::Archived(date),
            Some(date) => match notice_days {
                Some(days) if (date - today).num_days() > i64::from(days) => Lifecycle::Scheduled(date),
                _ => Lifecycle::Notice(date),
            },
        }
    }

    /// The sentence shown right after the page's heading, if any.
    pub fn notice(&self, strings: &Strings) -> Option<String> {
        match self {
            Lifecycle::Notice(date) => Some(strings.fill(
                "archive_notice",
                &[("date", &date.format("%Y-%m-%d").to_string())],
            )),
            _ => None,
        }
    }

    /// Whether the archive date has come.
    pub fn is_archived(&self) -> bool {
        matches!(self, Lifecycle::Archived(_))
    }

    /// The archive date, if any.
    pub fn archive_date(&self) -> Option<NaiveDate> {
        match *self {
            Lifecycle::Published => None,
            Lifecycle::Scheduled(date) | Lifecycle::Notice(date) | Lifecycle::Archived(date) => Some(date),
        }
    }
}

/// `base` plus `months`, when both are known.
pub fn after_months(base: Option<NaiveDate>, months: Option<u32>) -> Option<NaiveDate> {
    base?.checked_add_months(Months::new(months?))
}

/// What the lifecycle report says about a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// The archive date has come.
    Archived,
    /// The archive date comes within the report's window.
    ArchivingSoon,
    /// The review date has passed.
    ReviewOverdue,
    /// The review date comes within the report's window.
    ReviewSoon,
}

impl Finding {
    /// The Swedish heading of the finding in the text report.
    pub fn label(self) -> &'static str {
        match self {
            Finding::Archived => "Arkiverade",
            Finding::ArchivingSoon => "Arkiveras snart",
            Finding::ReviewOverdue => "Granskning försenad",
            Finding::ReviewSoon => "Granskas snart",
        }
    }

    /// Whether the finding means something is overdue (what `notis check --strict` fails on).
    pub fn is_overdue(self) -> bool {
        matches!(self, Finding::Archived | Finding::ReviewOverdue)
    }
}

/// One line of the lifecycle report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportEntry {
    /// The page owner, or none.
    pub owner: Option<Owner>,
    /// What is due.
    pub finding: Finding,
    /// The content file.
    pub path: String,
    /// The page's title.
    pub title: String,
    /// The archive or review date in question.
    pub date: NaiveDate,
    /// Days from today to the date (negative when passed).
    pub days: i64,
}

/// A page as the report sees it.
pub struct Reviewed<'a> {
    /// The content file.
    pub path: String,
    /// Title.
    pub title: &'a str,
    /// Owner.
    pub owner: Option<&'a Owner>,
    /// Lifecycle on the day.
    pub lifecycle: Lifecycle,
    /// Review date.
    pub review_date: Option<NaiveDate>,
}

/// The report for `today`: what is archived, archiving within `within_days`, overdue for review
/// or due for review within `within_days`, sorted by owner, finding, date and path.
pub fn report<'a>(
    pages: impl IntoIterator<Item = Reviewed<'a>>,
    today: NaiveDate,
    within_days: u32,
) -> Vec<ReportEntry> {
    let horizon = i64::from(within_days);
    let mut entries = Vec::new();
    for page in pages {
        let mut push = |finding, date: NaiveDate| {
            entries.push(ReportEntry {
                owner: page.owner.cloned(),
                finding,
                path: page.path.clone(),
                title: page.title.to_string(),
                date,
                days: (date - today).num_days(),
            });
        };
        match page.lifecycle {
            Lifecycle::Archived(date) => push(Finding::Archived, date),
            Lifecycle::Notice(date) | Lifecycle::Scheduled(date) if (date - today).num_days() <= horizon => {
                push(Finding::ArchivingSoon, date)
            }
            _ => {}
        }
        if let Some(date) = page.review_date {
            let days = (date - today).num_days();
            if days < 0 {
                push(Finding::ReviewOverdue, date);
            } else if days <= horizon {
                push(Finding::ReviewSoon, date);
            }
        }
    }
    entries
        .sort_by(|a, b| (&a.owner, a.finding, a.date, &a.path).cmp(&(&b.owner, b.finding, b.date, &b.path)));
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn strings() -> Strings {
        Strings::parse("archive_notice: \"Sidan kommer att arkiveras {date} om sidan inte uppdateras.\"")
            .unwrap()
    }

    #[test]
    fn notice_before_the_date_archived_on_it() {
        let before = Lifecycle::on(Some(day("2017-03-06")), day("2017-01-01"), None);
        assert_eq!(
            before.notice(&strings()).as_deref(),
            Some("Sidan kommer att arkiveras 2017-03-06 om sidan inte uppdateras.")
        );
        let on = Lifecycle::on(Some(day("2017-03-06")), day("2017-03-06"), None);
        assert_eq!(on, Lifecycle::Archived(day("2017-03-06")));
        assert_eq!(on.notice(&strings()), None);
        assert_eq!(Lifecycle::on(None, day("2017-03-07"), None), Lifecycle::Published);
    }

    #[test]
    fn notice_window_hides_far_dates() {
        let far = Lifecycle::on(Some(day("2017-12-31")), day("2017-01-01"), Some(30));
        assert_eq!(far, Lifecycle::Scheduled(day("2017-12-31")));
        assert_eq!(far.notice(&strings()), None);
        let near = Lifecycle::on(Some(day("2017-01-20")), day("2017-01-01"), Some(30));
        assert!(near.notice(&strings()).is_some());
    }

    #[test]
    fn computed_dates_add_months() {
        assert_eq!(
            after_months(Some(day("2022-08-31")), Some(6)),
            Some(day("2023-02-28"))
        );
        assert_eq!(after_months(None, Some(6)), None);
        assert_eq!(after_months(Some(day("2022-08-31")), None), None);
    }

    #[test]
    fn report_finds_what_is_due() {
        let owner = Owner::parse("Kommunikationsenheten <kommunikation@example.se>");
        let pages = vec![
            Reviewed {
                path: "content/a.md".into(),
                title: "A",
                owner: owner.as_ref(),
                lifecycle: Lifecycle::Archived(day("2024-01-01")),
                review_date: Some(day("2024-02-01")),
            },
            Reviewed {
                path: "content/b.md".into(),
                title: "B",
                owner: None,
                lifecycle: Lifecycle::Scheduled(day("2024-03-10")),
                review_date: Some(day("2024-12-01")),
            },
        ];
        let entries = report(pages, day("2024-03-01"), 30);
        let findings: Vec<_> = entries.iter().map(|e| (e.path.as_str(), e.finding)).collect();
        assert_eq!(
            findings,
            vec![
                ("content/b.md", Finding::ArchivingSoon),
                ("content/a.md", Finding::Archived),
                ("content/a.md", Finding::ReviewOverdue),
            ]
        );
        assert_eq!(entries[0].days, 9);
    }
}
