//! Listings computed from the published pages: paginated section lists, year archives with their
//! index, topic pages with their index, feeds and the sitemap.
//!
//! Each is a list of page ids in its final order; rendering only slices them.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::config::{PageKind, SortOrder};
use crate::i18n::collate;

use super::{Page, PageId, Placement, Section, SectionId, HOME};

/// The path segment of listing pages after the first (`…/sida/2/`).
pub const PAGINATION_DIR: &str = "sida";
/// The path of the topic pages (`/amnen/<slug>/`).
pub const TOPICS_DIR: &str = "amnen";
/// The path segment of a section's index of years (`/<section>/arkiv/`).
pub const YEAR_INDEX_DIR: &str = "arkiv";
/// The path of archived pages and their index (`/arkiv/`).
pub const ARCHIVE_DIR: &str = "arkiv";
/// The file name of a feed.
pub const FEED_FILE: &str = "atom.xml";

/// What a paginated listing lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingKind {
    /// A section's pages.
    Section(SectionId),
    /// A year archive (index into [`super::Site::years`]).
    Year(usize),
    /// A topic (index into [`super::Site::topics`]).
    Topic(usize),
}

/// A paginated list of pages.
#[derive(Debug, Clone)]
pub struct Listing {
    /// What it lists.
    pub kind: ListingKind,
    /// The path of its first page.
    pub path: String,
    /// The pages, in order.
    pub items: Vec<PageId>,
    /// Pages per listing page.
    pub page_size: usize,
}

impl Listing {
    /// The number of listing pages (at least one, even when empty).
    pub fn page_count(&self) -> usize {
        self.items.len().div_ceil(self.page_size.max(1)).max(1)
    }

    /// The path of listing page `number` (1-based).
    pub fn page_path(&self, number: usize) -> String {
        if number <= 1 {
            self.path.clone()
        } else {
            format!("{}{PAGINATION_DIR}/{number}/", self.path)
        }
    }

    /// The pages shown on listing page `number` (1-based).
    pub fn page_items(&self, number: usize) -> &[PageId] {
        let size = self.page_size.max(1);
        let start = ((number.max(1) - 1) * size).min(self.items.len());
        let end = (start + size).min(self.items.len());
        &self.items[start..end]
    }
}

/// The news of one year in one section.
#[derive(Debug, Clone)]
pub struct YearArchive {
    /// The section.
    pub section: SectionId,
    /// The year.
    pub year: i32,
    /// Its path (`barnens-basta/2023/`).
    pub path: String,
    /// Yearly summaries about this year, from any section.
    pub summaries: Vec<PageId>,
}

/// A section's index of years.
#[derive(Debug, Clone)]
pub struct YearIndex {
    /// The section.
    pub section: SectionId,
    /// Its path (`barnens-basta/arkiv/`).
    pub path: String,
    /// The section's year archives, newest first (indexes into [`super::Site::years`]).
    pub years: Vec<usize>,
}

/// A topic and the pages that have it.
#[derive(Debug, Clone)]
pub struct Topic {
    /// The name as first written.
    pub name: String,
    /// Its slug.
    pub slug: String,
    /// Its path (`amnen/<slug>/`).
    pub path: String,
    /// The pages, newest first.
    pub pages: Vec<PageId>,
}

/// An Atom feed.
#[derive(Debug, Clone)]
pub struct Feed {
    /// Its path (`atom.xml`, `barnens-basta/atom.xml`, `amnen/<slug>/atom.xml`).
    pub path: String,
    /// Title of the feed.
    pub title: String,
    /// The HTML page the feed follows.
    pub alternate: String,
    /// The newest dated pages.
    pub entries: Vec<PageId>,
}

/// Everything listed, computed once.
#[derive(Debug, Clone, Default)]
pub struct Listings {
    /// Paginated listings.
    pub listings: Vec<Listing>,
    /// Year archives.
    pub years: Vec<YearArchive>,
    /// Year indexes, one per section with news.
    pub year_indexes: Vec<YearIndex>,
    /// Topics in Swedish alphabetical order.
    pub topics: Vec<Topic>,
    /// Feeds: the site's first, then sections', then topics'.
    pub feeds: Vec<Feed>,
    /// For each section, its feed (index into `feeds`).
    pub section_feed: BTreeMap<SectionId, usize>,
    /// For each topic, its feed.
    pub topic_feed: BTreeMap<usize, usize>,
    /// For each yearly summary page, the year archive of its year in the news section.
    pub summary_year: BTreeMap<PageId, usize>,
    /// Archived pages (moved or kept) by year of publication, newest year first.
    pub archived: Vec<(i32, Vec<PageId>)>,
}

/// Newest first; undated pages last; then by Swedish title.
fn newest_first(pages: &[Page], ids: &mut [PageId]) {
    ids.par_sort_by(|&a, &b| super::compare_pages(&pages[a], &pages[b], SortOrder::Date));
}

/// Whether a page appears in section, year and topic listings: live, or archived with the `keep`
/// policy. (Drafts are in the model only when a build asks for them, and are then listed too.)
pub fn is_listed(page: &Page) -> bool {
    matches!(page.placement, Placement::Live | Placement::Kept)
}

/// Whether a page is current: listed, not archived. Only current pages appear in feeds, the
/// sitemap, the start page's latest news and related lists.
pub fn is_current(page: &Page) -> bool {
    !page.draft && page.placement == Placement::Live
}

/// Computes every listing.
pub fn compute(
    sections: &[Section],
    pages: &[Page],
    news_section: Option<SectionId>,
    default_page_size: usize,
    feed_size: usize,
    site_title: &str,
) -> Listings {
    let mut out = Listings::default();
    let dated_news = |section: Option<SectionId>| -> Vec<PageId> {
        let mut ids: Vec<PageId> = (0..pages.len())
            .filter(|&id| {
                let p = &pages[id];
                p.kind == PageKind::News
                    && p.date.is_some()
                    && is_listed(p)
                    && section.is_none_or(|s| p.section == s)
            })
            .collect();
        newest_first(pages, &mut ids);
        ids
    };

    for (id, section) in sections.iter().enumerate().filter(|(id, _)| *id != HOME) {
        out.listings.push(Listing {
            kind: ListingKind::Section(id),
            path: section.path.clone(),
            items: section
                .pages
                .iter()
                .copied()
                .filter(|&p| is_listed(&pages[p]))
                .collect(),
            page_size: section.settings.page_size.unwrap_or(default_page_size),
        });
        let news = dated_news(Some(id));
        if news.is_empty() {
            continue;
        }
        let mut by_year: BTreeMap<i32, Vec<PageId>> = BTreeMap::new();
        for page in news {
            if let Some(date) = pages[page].date {
                by_year
                    .entry(chrono::Datelike::year(&date.date()))
                    .or_default()
                    .push(page);
            }
        }
        let mut index = YearIndex {
            section: id,
            path: format!("{}{YEAR_INDEX_DIR}/", section.path),
            years: Vec::new(),
        };
        let shows_summaries = news_section.is_none_or(|news| news == id);
        for (year, items) in by_year.into_iter().rev() {
            let mut summaries: Vec<PageId> = (0..pages.len())
                .filter(|&p| {
                    shows_summaries
                        && pages[p].kind == PageKind::Summary
                        && pages[p].year == Some(year)
                        && is_listed(&pages[p])
                })
                .collect();
            newest_first(pages, &mut summaries);
            let path = format!("{}{year}/", section.path);
            index.years.push(out.years.len());
            out.listings.push(Listing {
                kind: ListingKind::Year(out.years.len()),
                path: path.clone(),
                items,
                page_size: section.settings.page_size.unwrap_or(default_page_size),
            });
            out.years.push(YearArchive {
                section: id,
                year,
                path,
                summaries,
            });
        }
        out.year_indexes.push(index);
    }

    let mut topics: BTreeMap<String, Topic> = BTreeMap::new();
    for (id, page) in pages.iter().enumerate().filter(|(_, p)| is_listed(p)) {
        for topic in &page.topics {
            topics
                .entry(topic.slug.clone())
                .or_insert_with(|| Topic {
                    name: topic.name.clone(),
                    slug: topic.slug.clone(),
                    path: format!("{TOPICS_DIR}/{}/", topic.slug),
                    pages: Vec::new(),
                })
                .pages
                .push(id);
        }
    }
    let mut topics: Vec<Topic> = topics.into_values().collect();
    topics.sort_by(|a, b| collate(&a.name, &b.name).then_with(|| a.slug.cmp(&b.slug)));
    for (index, topic) in topics.iter_mut().enumerate() {
        newest_first(pages, &mut topic.pages);
        out.listings.push(Listing {
            kind: ListingKind::Topic(index),
            path: topic.path.clone(),
            items: topic.pages.clone(),
            page_size: default_page_size,
        });
    }

    let dated = |ids: &[PageId]| -> Vec<PageId> {
        ids.iter()
            .copied()
            .filter(|&p| is_current(&pages[p]) && pages[p].date.is_some())
            .take(feed_size)
            .collect()
    };
    let mut site_entries: Vec<PageId> = (0..pages.len())
        .filter(|&p| is_current(&pages[p]) && pages[p].date.is_some())
        .collect();
    newest_first(pages, &mut site_entries);
    site_entries.truncate(feed_size);
    out.feeds.push(Feed {
        path: FEED_FILE.into(),
        title: site_title.to_string(),
        alternate: String::new(),
        entries: site_entries,
    });
    for (id, section) in sections.iter().enumerate().filter(|(id, _)| *id != HOME) {
        let mut ids: Vec<PageId> = section
            .pages
            .iter()
            .copied()
            .filter(|&p| is_current(&pages[p]))
            .collect();
        newest_first(pages, &mut ids);
        let entries = dated(&ids);
        if !entries.is_empty() {
            out.section_feed.insert(id, out.feeds.len());
            out.feeds.push(Feed {
                path: format!("{}{FEED_FILE}", section.path),
                title: format!("{} – {site_title}", section.title),
                alternate: section.path.clone(),
                entries,
            });
        }
    }
    for (index, topic) in topics.iter().enumerate() {
        let entries = dated(&topic.pages);
        if !entries.is_empty() {
            out.topic_feed.insert(index, out.feeds.len());
            out.feeds.push(Feed {
                path: format!("{}{FEED_FILE}", topic.path),
                title: format!("{} – {site_title}", topic.name),
                alternate: topic.path.clone(),
                entries,
            });
        }
    }

    if let Some(news) = news_section {
        for (id, page) in pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == PageKind::Summary)
        {
            let archive = out
                .years
                .iter()
                .position(|y| y.section == news && Some(y.year) == page.year);
            if let Some(archive) = archive {
                out.summary_year.insert(id, archive);
            }
        }
    }
    let mut archived: BTreeMap<i32, Vec<PageId>> = BTreeMap::new();
    for (id, page) in pages.iter().enumerate() {
        if matches!(page.placement, Placement::Moved { .. } | Placement::Kept) {
            let day = page
                .date
                .or(page.updated)
                .map(|d| d.date())
                .or(page.lifecycle.archive_date());
            if let Some(day) = day {
                archived.entry(chrono::Datelike::year(&day)).or_default().push(id);
            }
        }
    }
    out.archived = archived
        .into_iter()
        .rev()
        .map(|(year, mut ids)| {
            newest_first(pages, &mut ids);
            (year, ids)
        })
        .collect();
    out.topics = topics;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(items: usize, size: usize) -> Listing {
        Listing {
            kind: ListingKind::Section(1),
            path: "n/".into(),
            items: (0..items).collect(),
            page_size: size,
        }
    }

    #[test]
    fn pagination_paths_and_slices() {
        let l = listing(23, 10);
        assert_eq!(l.page_count(), 3);
        assert_eq!(l.page_path(1), "n/");
        assert_eq!(l.page_path(3), "n/sida/3/");
        assert_eq!(l.page_items(3), &[20, 21, 22]);
        assert_eq!(listing(0, 10).page_count(), 1);
        assert_eq!(listing(20, 10).page_count(), 2);
    }
}
