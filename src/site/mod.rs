//! The site graph: one immutable [`Site`] computed once from the loaded sources.
//!
//! Owns every decision about the content: which pages are published, their sections, kinds, URLs,
//! dates in the site's time zone, summaries, related pages, lifecycle state for the given day, the
//! menu and the start page's latest news. Templates only present what is decided here.

pub mod listings;
pub mod urls;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::{
    ArchivePolicy, MenuEntry, Owner, PageKind, SectionSettings, SiteConfig, SortOrder, CONFIG_FILE,
};
use crate::content::front_matter::{split_date_prefix, Compliance, Shortcoming};
use crate::content::{Front, Source, SECTION_FILE};
use crate::diagnostics::Diagnostic;
use crate::i18n::{collate, LocalMoment, Strings};
use crate::lifecycle::{after_months, Lifecycle};
use crate::markdown::{self, cut_summary, Heading, LinkResolver};
use crate::related::{
    resolve_content_path, resolve_pinned, Choice, Document, TermCounter, TermCounts, WordCache,
};
use crate::theme::Theme;
use urls::{slugify, Urls};

/// Index of a page in [`Site::pages`].
pub type PageId = usize;
/// Index of a section in [`Site::sections`]; the start page is section 0.
pub type SectionId = usize;

/// The longest generated summary, in characters.
pub const SUMMARY_LIMIT: usize = 160;
/// How many news items the start page lists.
pub const LATEST_NEWS_COUNT: usize = 5;
/// Page size of a listing when neither the section nor `site.yaml` sets one.
pub const DEFAULT_PAGE_SIZE: usize = 10;

/// What a build includes and on which day it is made.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The day every date decision is made for.
    pub today: NaiveDate,
    /// Whether drafts are published.
    pub include_drafts: bool,
}

/// A topic of a page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Topic {
    /// The topic as written.
    pub name: String,
    /// Its URL segment.
    pub slug: String,
}

/// A lead image.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Image {
    /// The URL, with the base path.
    pub url: String,
    /// The alternative text.
    pub alt: String,
}

/// A published page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to `content/`.
    pub content_path: String,
    /// Path for diagnostics.
    pub display_path: PathBuf,
    /// The section it belongs to.
    pub section: SectionId,
    /// Its kind.
    pub kind: PageKind,
    /// Title.
    pub title: String,
    /// URL path relative to the site root (`barnens-basta/samverkan/`).
    pub path: String,
    /// Publication date.
    pub date: Option<LocalMoment>,
    /// Last update.
    pub updated: Option<LocalMoment>,
    /// Lead text: written, or cut from the first paragraph.
    pub summary: String,
    /// The lead text the communicator wrote, shown as the ingress under the title.
    pub lead: Option<String>,
    /// Topics.
    pub topics: Vec<Topic>,
    /// Lead image.
    pub image: Option<Image>,
    /// Archive state on the build's day.
    pub lifecycle: Lifecycle,
    /// Where the page is published, which follows from its lifecycle and the archive policy.
    pub placement: Placement,
    /// Related pages: pinned ones first, then the best-scoring (news items only).
    pub related: Vec<Choice>,
    /// Whether it is a draft (only present when drafts are included).
    pub draft: bool,
    /// The year of a yearly summary.
    pub year: Option<i32>,
    /// The period of a project history.
    pub period: Option<String>,
    /// The page owner (the site's default owner when the page names none).
    pub owner: Option<Owner>,
    /// The date the owner is to review the page.
    pub review_date: Option<NaiveDate>,
    /// The accessibility statement's facts, on a page of that kind.
    pub statement: Option<Statement>,
    /// The template that renders it.
    pub template: String,
    /// Weight, for sections sorted by weight.
    pub weight: i64,
    /// The body as HTML.
    pub content: String,
    /// The body's headings.
    pub toc: Vec<Heading>,
}

/// The report form of Digg, the agency supervising accessibility of public-sector web sites.
pub const DIGG_REPORT_URL: &str = "https://www.digg.se/tdosanmalan";

/// The facts of an accessibility statement, checked complete.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Statement {
    /// The organisation responsible.
    pub organisation: String,
    /// How far the site complies.
    pub compliance: Compliance,
    /// Content that is not accessible, and why.
    pub inaccessible: Vec<Shortcoming>,
    /// How the site was assessed.
    pub assessment_method: String,
    /// When it was assessed (ISO date).
    pub assessment_date: String,
    /// Where to report problems: the text shown.
    pub feedback: String,
    /// Where to report problems: a `mailto:` or web URL.
    pub feedback_url: String,
    /// The supervising agency's report form.
    pub report_url: String,
}

/// Checks the statement fields of a page: only statements may have them, and a statement must have all.
fn statement(
    kind: PageKind,
    front: &crate::content::front_matter::PageFrontMatter,
    config: &SiteConfig,
    has_updated: bool,
    problems: &mut Vec<Diagnostic>,
    at: &dyn Fn(usize, String, &str) -> Diagnostic,
) -> Option<Statement> {
    let fields = &front.statement;
    if kind != PageKind::Accessibility {
        for (key, line) in &fields.written {
            problems.push(at(
                *line,
                format!("nyckeln \"{key}\" gäller bara tillgänglighetsredogörelser"),
                "lägg till kind: accessibility om sidan är tillgänglighetsredogörelsen, annars ta bort raden",
            ));
        }
        return None;
    }
    let mut missing = |what: &str, hint: &str| {
        problems.push(at(
            front.lines.start,
            format!("tillgänglighetsredogörelsen saknar {what}"),
            hint,
        ));
    };
    let organisation = fields
        .organisation
        .clone()
        .or_else(|| config.organisation.clone());
    if organisation.is_none() {
        missing(
            "organisation",
            "lägg till organisation: \"Region Exempel\" (eller organisation i site.yaml)",
        );
    }
    if fields.compliance.is_none() {
        missing("förenlighet", "lägg till compliance: helt, delvis eller inte");
    }
    if matches!(fields.compliance, Some(Compliance::Partial | Compliance::None))
        && fields.inaccessible.is_empty()
    {
        missing(
            "en lista över innehåll som inte är tillgängligt",
            "lägg till inaccessible: med content och reason för varje brist",
        );
    }
    if fields.assessment_method.is_none() {
        missing(
            "bedömningsmetod",
            "lägg till assessment_method: \"Självskattning\" (eller granskning av extern part)",
        );
    }
    if fields.assessment_date.is_none() {
        missing("bedömningsdatum", "lägg till assessment_date: ÅÅÅÅ-MM-DD");
    }
    if !has_updated {
        missing("datum för senaste uppdatering", "lägg till updated: ÅÅÅÅ-MM-DD");
    }
    if fields.feedback.is_none() {
        missing(
            "kontakt för återkoppling",
            "lägg till feedback: med en e-postadress eller en webbadress till ett formulär",
        );
    }
    let feedback = fields.feedback.clone()?;
    let feedback_url = if feedback.contains('@') && !feedback.contains("://") {
        format!("mailto:{feedback}")
    } else {
        feedback.clone()
    };
    Some(Statement {
        organisation: organisation?,
        compliance: fields.compliance?,
        inaccessible: fields.inaccessible.clone(),
        assessment_method: fields.assessment_method.clone()?,
        assessment_date: fields.assessment_date?.format("%Y-%m-%d").to_string(),
        feedback,
        feedback_url,
        report_url: fields
            .report_url
            .clone()
            .unwrap_or_else(|| DIGG_REPORT_URL.to_string()),
    })
}

/// Where a page is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// At its own URL, in every listing.
    Live,
    /// Archived under `/arkiv/`; `from` is its old path, which redirects there.
    Moved {
        /// The path it had before it was archived.
        from: String,
    },
    /// Archived, but kept at its URL and in listings, with a banner.
    Kept,
    /// Archived and left out of the site.
    Dropped,
}

impl Placement {
    /// Whether the page is archived (moved, kept or dropped).
    pub fn is_archived(&self) -> bool {
        !matches!(self, Placement::Live)
    }
}

/// A section: the start page or a directory with `_index.md`.
#[derive(Debug, Clone)]
pub struct Section {
    /// The directory relative to `content/` (`""` for the start page).
    pub content_dir: String,
    /// The `_index.md`, for diagnostics (absent for a start page without one).
    pub display_path: Option<PathBuf>,
    /// Title.
    pub title: String,
    /// URL path relative to the site root (`""` for the start page).
    pub path: String,
    /// Lead text: written, or cut from the first paragraph.
    pub summary: Option<String>,
    /// The lead text the communicator wrote.
    pub lead: Option<String>,
    /// The parent section (none for the start page).
    pub parent: Option<SectionId>,
    /// Published pages, in the section's order.
    pub pages: Vec<PageId>,
    /// Direct subsections, by weight then title.
    pub subsections: Vec<SectionId>,
    /// Listing settings, with `site.yaml` and defaults applied.
    pub settings: SectionSettings,
    /// Order in the default menu.
    pub weight: i64,
    /// The template that renders it.
    pub template: String,
    /// The body as HTML.
    pub content: String,
}

/// An entry of the main menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuItem {
    /// Link text.
    pub title: String,
    /// URL path relative to the site root.
    pub path: String,
}

/// The whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    /// The configuration.
    pub config: SiteConfig,
    /// The day the build is made for.
    pub today: NaiveDate,
    /// URL builder.
    pub urls: Urls,
    /// UI strings.
    pub strings: Strings,
    /// Sections; 0 is the start page.
    pub sections: Vec<Section>,
    /// Published pages.
    pub pages: Vec<Page>,
    /// The main menu.
    pub menu: Vec<MenuItem>,
    /// The section that holds the news, if any.
    pub news_section: Option<SectionId>,
    /// The newest news items for the start page.
    pub latest_news: Vec<PageId>,
    /// Data files for templates.
    pub data: serde_json::Value,
    /// Listings, year archives, topics and feeds.
    pub listings: listings::Listings,
    /// The problems found while the model was computed: warnings (content lints) and errors (a file
    /// that could not be made into a page and is left out, a broken link, two pages at one URL). A
    /// model with errors is complete enough to render in search of more problems, never to publish.
    pub diagnostics: Vec<Diagnostic>,
    /// How long the parts of the model took.
    pub timings: Timings,
}

/// The start page.
pub const HOME: SectionId = 0;

/// Wall time of named stages, for `notis build --timings`.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// The stages, in the order they ended.
    pub stages: Vec<Stage>,
}

/// One timed stage.
#[derive(Debug, Clone)]
pub struct Stage {
    /// Its name, as `--timings` prints it.
    pub name: &'static str,
    /// Its wall time.
    pub duration: std::time::Duration,
    /// The process's peak resident memory when it ended, in bytes, where the system tells.
    pub peak_memory: Option<u64>,
}

impl Timings {
    /// Records the time since `started` under `stage`.
    pub fn record(&mut self, stage: &'static str, started: std::time::Instant) {
        self.stages.push(Stage {
            name: stage,
            duration: started.elapsed(),
            peak_memory: peak_memory(),
        });
    }
}

/// The peak resident memory of this process so far (Linux's `VmHWM`), in bytes.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

enum Target {
    Page(PageId),
    Section(SectionId),
}

struct Index<'a> {
    targets: FxHashMap<Cow<'a, str>, Target>,
    drafts: HashSet<&'a str>,
    unreadable: Vec<&'a str>,
    pages: &'a [Page],
    sections: &'a [Section],
    urls: &'a Urls,
    theme: &'a Theme,
}

impl LinkResolver for Index<'_> {
    fn has_static(&self, path: &str) -> bool {
        self.theme.has_static(path)
    }
    fn resolve(&self, from_dir: &str, target: &str) -> Result<String, String> {
        let Some(path) = resolve_content_path(from_dir, target) else {
            return Err("länken går utanför content/; räkna sökvägen från den här filens katalog".into());
        };
        match self.targets.get(path.as_str()) {
            Some(Target::Page(id)) if self.pages[*id].placement == Placement::Dropped => {
                Ok(self.urls.path(&format!("{}/", listings::ARCHIVE_DIR)))
            }
            Some(Target::Page(id)) => Ok(self.urls.path(&self.pages[*id].path)),
            Some(Target::Section(id)) => Ok(self.urls.path(&self.sections[*id].path)),
            None if self.unreadable.contains(&path.as_str()) => Ok("#".into()),
            None if self.drafts.contains(path.as_str()) => {
                Err("sidan är ett utkast och publiceras inte; ta bort länken eller publicera sidan (draft: false)".into())
            }
            None => Err(format!(
                "kontrollera filnamnet; sökvägen räknas från den här filens katalog och blev content/{path}"
            )),
        }
    }
}

impl Site {
    /// Computes the site from loaded sources, with all its problems in [`Site::diagnostics`].
    pub fn build(
        config: SiteConfig,
        theme: &Theme,
        sources: Vec<Arc<Source>>,
        data: serde_json::Value,
        options: &BuildOptions,
        unreadable: &[String],
    ) -> Site {
        let mut problems = Vec::new();
        let urls = Urls::new(&config.base_url, &config.base_path);
        let site_url = config.site_url();
        let strings = theme.strings.clone();

        let (section_sources, page_sources): (Vec<Arc<Source>>, Vec<Arc<Source>>) = sources
            .into_iter()
            .partition(|s| matches!(s.front, Front::Section(_)));
        let mut drafts: Vec<String> = Vec::new();

        let (mut sections, section_bodies) = build_sections(&config, section_sources, options, &mut drafts);
        let section_by_dir: HashMap<String, SectionId> = sections
            .iter()
            .enumerate()
            .map(|(id, s)| (s.content_dir.clone(), id))
            .collect();

        // Pages are made in parallel (each is independent of the others), then gathered in order.
        let section_drafts: Vec<&str> = drafts
            .iter()
            .filter_map(|d| d.strip_suffix(SECTION_FILE))
            .filter(|dir| !dir.is_empty())
            .collect();
        let made: Vec<Made> = page_sources
            .into_par_iter()
            .map(|source| {
                let Front::Page(front) = &source.front else {
                    return Made::Skipped;
                };
                let in_draft_section = section_drafts
                    .iter()
                    .any(|dir| source.content_path.starts_with(dir));
                if (front.draft && !options.include_drafts) || in_draft_section {
                    return Made::Draft(source.content_path.clone());
                }
                let section = owning_section(source.content_dir(), &section_by_dir);
                match make_page(
                    &config,
                    theme,
                    &urls,
                    &sections[section],
                    section,
                    &source,
                    options,
                ) {
                    Ok(page) => {
                        let mut lints = front_matter_lints(front, &config, &site_url, &source.display_path);
                        lints.extend(review_before_publication(front, &page));
                        Made::Page(Box::new(page), lints, source)
                    }
                    Err(found) => Made::Failed(source.content_path.clone(), found),
                }
            })
            .collect();
        drop(section_drafts);
        let mut pages = Vec::with_capacity(made.len());
        let mut failed: Vec<String> = Vec::new();
        let mut page_sources_kept = Vec::with_capacity(made.len());
        for outcome in made {
            match outcome {
                Made::Skipped => {}
                Made::Draft(path) => drafts.push(path),
                Made::Page(page, lints, source) => {
                    problems.extend(lints);
                    pages.push(*page);
                    page_sources_kept.push(source);
                }
                Made::Failed(path, mut found) => {
                    failed.push(path);
                    problems.append(&mut found);
                }
            }
        }

        check_unique_paths(&sections, &pages, &mut problems);
        check_topic_spellings(&page_sources_kept, &mut problems);
        for section in &sections {
            if !theme.has_template(&section.template) {
                let path = section
                    .display_path
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("content"));
                problems.push(
                    Diagnostic::error(path, 1, format!("mallen \"{}\" finns inte", section.template))
                        .with_hint("lägg mallen i templates/ eller ta bort raden \"template\""),
                );
            }
        }

        let mut targets = FxHashMap::default();
        targets.reserve(pages.len() + sections.len());
        for (id, page) in pages.iter().enumerate() {
            targets.insert(Cow::Borrowed(page.content_path.as_str()), Target::Page(id));
        }
        for (id, section) in sections.iter().enumerate() {
            if section.display_path.is_some() {
                let key = if section.content_dir.is_empty() {
                    SECTION_FILE.to_string()
                } else {
                    format!("{}/{SECTION_FILE}", section.content_dir)
                };
                targets.insert(Cow::Owned(key), Target::Section(id));
            }
        }
        let index = Index {
            theme,
            targets,
            drafts: drafts.iter().map(String::as_str).collect(),
            // Files that failed to load or to make a page already have their own errors; links to them
            // are not reported again.
            unreadable: unreadable.iter().chain(&failed).map(String::as_str).collect(),
            pages: &pages,
            sections: &sections,
            urls: &urls,
        };

        let mut pinned = Vec::with_capacity(pages.len());
        for (id, source) in page_sources_kept.iter().enumerate() {
            let Front::Page(front) = &source.front else {
                continue;
            };
            let line = front.lines.related;
            let path = source.display_path.clone();
            let (skipped, pinnable): (Vec<&String>, Vec<&String>) =
                front.related.iter().partition(|written| {
                    resolve_content_path(source.content_dir(), written).is_some_and(|p| {
                        index.drafts.contains(p.as_str()) || index.unreadable.contains(&p.as_str())
                    })
                });
            for written in skipped {
                let resolved = resolve_content_path(source.content_dir(), written).unwrap_or_default();
                if index.drafts.contains(resolved.as_str()) {
                    problems.push(
                        Diagnostic::warning(
                            &path,
                            line,
                            format!("den fästa sidan \"{written}\" är ett utkast och visas inte"),
                        )
                        .with_hint("publicera sidan (draft: false) eller ta bort raden"),
                    );
                }
            }
            let pinnable: Vec<String> = pinnable.into_iter().cloned().collect();
            let (found, mut found_problems) = resolve_pinned(
                id,
                source.content_dir(),
                &pinnable,
                |p| match index.targets.get(p) {
                    Some(Target::Page(target)) => Some(*target),
                    _ => None,
                },
                |message, hint| Diagnostic::error(&path, line, message).with_hint(hint),
            );
            pinned.push(found);
            problems.append(&mut found_problems);
        }
        let mut timings = Timings::default();
        let started = std::time::Instant::now();
        // Each body's words are counted for related news while its text is at hand, so the text of
        // the whole site is never kept; and each source is let go as soon as its Markdown is
        // rendered (the preview's cache may keep it, the build needs it no more), so the memory of
        // the sources already done is reused for the pages still rendering.
        let term_counter = TermCounter::default();
        let page_results: Vec<_> = pages
            .par_iter()
            .zip(page_sources_kept.into_par_iter())
            .map_init(WordCache::default, |cache, (page, source)| {
                let (mut rendered, generated_summary) =
                    render_body(&source, &config, &site_url, &strings, &index);
                drop(source);
                let summary = if page.summary.is_empty() {
                    &generated_summary
                } else {
                    &page.summary
                };
                let text = std::mem::take(&mut rendered.text);
                let terms = term_counter.count(cache, &page.title, summary, &text);
                (rendered, generated_summary, terms)
            })
            .collect();
        let section_results: Vec<_> = section_bodies
            .par_iter()
            .map(|source| {
                source
                    .as_ref()
                    .map(|s| render_body(s, &config, &site_url, &strings, &index))
            })
            .collect();

        drop(index);

        let mut term_counts = Vec::with_capacity(pages.len());
        for (page, (rendered, generated_summary, terms)) in pages.iter_mut().zip(page_results) {
            problems.extend(rendered.diagnostics);
            if page.summary.is_empty() {
                page.summary = generated_summary;
            }
            page.content = rendered.html;
            page.toc = rendered.toc;
            term_counts.push(terms);
        }
        timings.record("markdown", started);
        let started = std::time::Instant::now();
        let related = choose_related(
            &pages,
            &term_counts,
            &term_counter.into_terms(),
            &pinned,
            config.related_count,
        );
        drop(term_counts);
        timings.record("relaterade", started);
        for (page, chosen) in pages.iter_mut().zip(related) {
            page.related = chosen;
        }
        for (section, result) in sections.iter_mut().zip(section_results) {
            if let Some((rendered, generated_summary)) = result {
                problems.extend(rendered.diagnostics);
                if section.summary.is_none() && !generated_summary.is_empty() {
                    section.summary = Some(generated_summary);
                }
                section.content = rendered.html;
            }
        }

        attach_pages_and_subsections(&mut sections, &pages);
        let menu = build_menu(
            &config,
            &sections,
            &pages,
            &section_by_dir,
            &failed,
            &mut problems,
        );
        let news_section = section_by_dir
            .get(&config.news_section)
            .copied()
            .filter(|&id| id != HOME);
        let latest_news = latest_news(&pages, news_section);
        let listings = listings::compute(
            &sections,
            &pages,
            news_section,
            DEFAULT_PAGE_SIZE,
            config.feed_size,
            &config.title,
        );
        check_generated_paths(&sections, &pages, &listings, &mut problems);

        Site {
            diagnostics: problems,
            timings,
            config,
            today: options.today,
            urls,
            strings,
            sections,
            pages,
            menu,
            news_section,
            latest_news,
            data,
            listings,
        }
    }

    /// The sections from the start page down to `section`, inclusive.
    pub fn section_chain(&self, section: SectionId) -> Vec<SectionId> {
        let mut chain = vec![section];
        let mut current = section;
        while let Some(parent) = self.sections[current].parent {
            chain.push(parent);
            current = parent;
        }
        chain.reverse();
        chain
    }
}

/// What became of one page source.
enum Made {
    /// Not a page (cannot happen after the partition; kept total rather than panicking).
    Skipped,
    /// A draft, or in a draft section: left out, its content path remembered for links to it.
    Draft(String),
    /// A page, with its front-matter lints and its source.
    Page(Box<Page>, Vec<Diagnostic>, Arc<Source>),
    /// The page could not be made: its content path and the problems.
    Failed(String, Vec<Diagnostic>),
}

fn build_sections(
    config: &SiteConfig,
    sources: Vec<Arc<Source>>,
    options: &BuildOptions,
    drafts: &mut Vec<String>,
) -> (Vec<Section>, Vec<Option<Arc<Source>>>) {
    let mut sections = vec![Section {
        content_dir: String::new(),
        display_path: None,
        title: config.title.clone(),
        path: String::new(),
        summary: config.description.clone(),
        lead: None,
        parent: None,
        pages: Vec::new(),
        subsections: Vec::new(),
        settings: SectionSettings::default(),
        weight: 0,
        template: "index.html".into(),
        content: String::new(),
    }];
    let mut bodies: Vec<Option<Arc<Source>>> = vec![None];
    let mut kept = Vec::new();
    for source in sources {
        let Front::Section(front) = &source.front else {
            continue;
        };
        if front.draft && !options.include_drafts {
            drafts.push(source.content_path.clone());
            continue;
        }
        kept.push(source);
    }
    kept.sort_by_key(|s| s.content_dir().matches('/').count() + usize::from(!s.content_dir().is_empty()));
    for source in kept {
        let Front::Section(front) = &source.front else {
            continue;
        };
        let dir = source.content_dir().to_string();
        let site_settings = config
            .sections
            .get(&dir)
            .map(|(s, _)| s.clone())
            .unwrap_or_default();
        let settings = front.settings.or(&site_settings);
        if dir.is_empty() {
            let home = &mut sections[HOME];
            home.display_path = Some(source.display_path.clone());
            home.title = front.title.clone();
            home.summary = front.summary.clone().or(home.summary.take());
            home.lead = front.summary.clone();
            home.settings = settings;
            home.template = front.template.clone().unwrap_or_else(|| "index.html".into());
            bodies[HOME] = Some(source);
            continue;
        }
        let parent = {
            let mut ancestor = dir.as_str();
            loop {
                match ancestor.rsplit_once('/') {
                    Some((up, _)) => {
                        ancestor = up;
                        if let Some(id) = sections.iter().position(|s| s.content_dir == ancestor) {
                            break id;
                        }
                    }
                    None => break HOME,
                }
            }
        };
        let path = format!("{}/", dir.split('/').map(slugify).collect::<Vec<_>>().join("/"));
        sections.push(Section {
            content_dir: dir,
            display_path: Some(source.display_path.clone()),
            title: front.title.clone(),
            path,
            summary: front.summary.clone(),
            lead: front.summary.clone(),
            parent: Some(parent),
            pages: Vec::new(),
            subsections: Vec::new(),
            settings,
            weight: front.weight,
            template: front.template.clone().unwrap_or_else(|| "section.html".into()),
            content: String::new(),
        });
        bodies.push(Some(source));
    }
    (sections, bodies)
}

fn owning_section(dir: &str, sections: &HashMap<String, SectionId>) -> SectionId {
    let mut current = dir;
    loop {
        if let Some(&id) = sections.get(current) {
            return id;
        }
        match current.rsplit_once('/') {
            Some((up, _)) => current = up,
            None if current.is_empty() => return HOME,
            None => current = "",
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn make_page(
    config: &SiteConfig,
    theme: &Theme,
    urls: &Urls,
    section: &Section,
    section_id: SectionId,
    source: &Source,
    options: &BuildOptions,
) -> Result<Page, Vec<Diagnostic>> {
    let Front::Page(front) = &source.front else {
        return Err(Vec::new());
    };
    let mut problems = Vec::new();
    let at = |line: usize, message: String, hint: &str| {
        Diagnostic::error(&source.display_path, line, message).with_hint(hint.to_string())
    };
    let kind = front
        .kind
        .or(section.settings.default_kind)
        .unwrap_or(PageKind::Page);
    let file_name = source
        .content_path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".md");
    let slug = match &front.slug {
        Some(slug) => slugify(slug),
        None => slugify(split_date_prefix(file_name).1),
    };
    if slug.is_empty() {
        problems.push(at(
            front.lines.slug,
            "sidan får ingen webbadress: namnet innehåller inga bokstäver eller siffror".into(),
            "byt filnamn eller ange slug: med bokstäver, till exempel slug: samverkan-kring-barn",
        ));
    }
    let dir_path: String = source
        .content_dir()
        .split('/')
        .filter(|p| !p.is_empty())
        .map(|p| format!("{}/", slugify(p)))
        .collect();
    let live_path = format!("{dir_path}{slug}/");

    let date = front.date.map(|m| LocalMoment::new(m, config.timezone));
    let updated = front.updated.map(|m| LocalMoment::new(m, config.timezone));
    let base_day = updated.map(|m| m.date()).max(date.map(|m| m.date()));
    let archive_months = section
        .settings
        .archive_after_months
        .or(config.archive_after_months.get(&kind).copied());
    if let (Some(archive), Some(published)) = (front.archive_date, date.map(|m| m.date())) {
        if archive <= published {
            problems.push(at(
                front.lines.archive_date,
                format!("arkiveringsdatumet {archive} är inte senare än publiceringsdatumet {published}"),
                "sidan skulle arkiveras i samma stund som den publiceras; ange ett senare datum i archive_date eller ta bort raden",
            ));
        }
    }
    let archive_date = front
        .archive_date
        .or_else(|| after_months(base_day, archive_months));
    let lifecycle = Lifecycle::on(archive_date, options.today, config.archive_notice_days);
    let review_months = section
        .settings
        .review_after_months
        .or(config.review_after_months);
    let review_date = front
        .review_date
        .or_else(|| after_months(base_day, review_months));
    let (placement, path) = match (lifecycle.is_archived(), config.archive_policy) {
        (false, _) => (Placement::Live, live_path),
        (true, ArchivePolicy::Move) => (
            Placement::Moved {
                from: live_path.clone(),
            },
            format!("{}/{live_path}", listings::ARCHIVE_DIR),
        ),
        (true, ArchivePolicy::Keep) => (Placement::Kept, live_path),
        (true, ArchivePolicy::Drop) => (Placement::Dropped, live_path),
    };
    match kind {
        PageKind::News if date.is_none() => problems.push(at(
            front.lines.start,
            "en nyhet måste ha ett publiceringsdatum".into(),
            "lägg till date: ÅÅÅÅ-MM-DD, eller börja filnamnet med datumet (2019-12-13-rubrik.md)",
        )),
        PageKind::Summary if front.year.is_none() => problems.push(at(
            front.lines.start,
            "en årssammanfattning måste ange vilket år den gäller".into(),
            "lägg till year: 2023",
        )),
        PageKind::History if front.period.is_none() => problems.push(at(
            front.lines.start,
            "en historiksida måste ange vilken period den gäller".into(),
            "lägg till period: \"2012–2014\"",
        )),
        _ => {}
    }
    let image = front.image.as_ref().and_then(|image| {
        let url = if markdown::is_external(image) {
            image.clone()
        } else if theme.has_static(image) {
            urls.path(image)
        } else {
            problems.push(at(
                front.lines.image,
                format!("bilden \"{image}\" finns inte i static/"),
                "lägg bilden i static/ (till exempel static/bilder/namn.jpg) och skriv image: /bilder/namn.jpg",
            ));
            return None;
        };
        Some(Image { url, alt: front.image_alt.clone().unwrap_or_default() })
    });
    let template = front
        .template
        .clone()
        .unwrap_or_else(|| format!("{}.html", kind.name()));
    if !theme.has_template(&template) {
        let line = if front.template.is_some() {
            front.lines.template
        } else {
            front.lines.start
        };
        problems.push(at(
            line,
            format!("mallen \"{template}\" finns inte"),
            "lägg mallen i templates/ eller ta bort raden \"template\"",
        ));
    }
    let statement = statement(kind, front, config, updated.is_some(), &mut problems, &at);
    let mut topics: Vec<Topic> = Vec::new();
    for name in &front.tags {
        let slug = slugify(name);
        if slug.is_empty() {
            problems.push(at(
                front.lines.tags,
                format!("ämnet \"{name}\" innehåller inga bokstäver eller siffror och kan inte få någon ämnessida"),
                "skriv ämnet med ord, till exempel tags: [samverkan, nära vård], eller ta bort det",
            ));
        } else if !topics.iter().any(|t| t.slug == slug) {
            topics.push(Topic {
                name: name.clone(),
                slug,
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Page {
        content_path: source.content_path.clone(),
        display_path: source.display_path.clone(),
        section: section_id,
        kind,
        title: front.title.clone(),
        path,
        date,
        updated,
        summary: front
            .summary
            .clone()
            .map(|s| s.trim().to_string())
            .unwrap_or_default(),
        lead: front.summary.clone().map(|s| s.trim().to_string()),
        topics,
        image,
        lifecycle,
        placement,
        review_date,
        related: Vec::new(),
        draft: front.draft,
        year: front.year,
        period: front.period.clone(),
        owner: front.owner.clone().or_else(|| config.owner.clone()),
        statement,
        template,
        weight: front.weight,
        content: String::new(),
        toc: Vec::new(),
    })
}

fn render_body(
    source: &Source,
    config: &SiteConfig,
    site_url: &url::Url,
    strings: &Strings,
    index: &Index<'_>,
) -> (markdown::Rendered, String) {
    let input = markdown::Input {
        body: source.body(),
        body_line: source.body_line,
        display_path: &source.display_path,
        content_dir: source.content_dir(),
        base_path: &config.base_path,
        site_host: config.host(),
        external_label: strings.get("external_link"),
        table_label: strings.get("table_label"),
        lints: &config.lints,
        raw_html: &config.raw_html,
        site_url,
    };
    let rendered = markdown::render(&input, index);
    let summary = cut_summary(&rendered.first_paragraph, SUMMARY_LIMIT);
    (rendered, summary)
}

fn check_unique_paths(sections: &[Section], pages: &[Page], problems: &mut Vec<Diagnostic>) {
    let mut seen: FxHashMap<&str, &PathBuf> = FxHashMap::default();
    seen.reserve(sections.len() + pages.len());
    let section_paths = sections
        .iter()
        .filter_map(|s| s.display_path.as_ref().map(|p| (s.path.as_str(), p)));
    let page_paths = pages.iter().map(|p| (p.path.as_str(), &p.display_path));
    for (path, file) in section_paths.chain(page_paths) {
        if let Some(first) = seen.get(path) {
            problems.push(
                Diagnostic::error(
                    file,
                    1,
                    format!("sidan får samma webbadress /{path} som {}", first.display()),
                )
                .with_hint("byt namn på en av filerna eller ange en egen slug: i den ena"),
            );
        } else {
            seen.insert(path, file);
        }
    }
}

/// A review date before publication makes the page overdue for review the day it is published:
/// surely a typo, but the site itself is right, so it is a warning and the build goes on.
fn review_before_publication(
    front: &crate::content::front_matter::PageFrontMatter,
    page: &Page,
) -> Option<Diagnostic> {
    let review = front.review_date?;
    let published = page.date?.date();
    (review < published).then(|| {
        Diagnostic::warning(
            &page.display_path,
            front.lines.review_date,
            format!("granskningsdatumet {review} ligger före publiceringsdatumet {published}"),
        )
        .with_hint("sidan räknas som försenad för granskning redan när den publiceras; ange ett senare datum i review_date")
    })
}

/// A topic is known by its slug, which is its address: two spellings with the same slug ("Nära
/// vård", "nära-vård") are one topic with one page. Merging them is by design, but each spelling
/// after the first is a warning, so communicators can write a topic the same way everywhere.
fn check_topic_spellings(sources: &[Arc<Source>], problems: &mut Vec<Diagnostic>) {
    let mut first: FxHashMap<String, (&str, &PathBuf)> = FxHashMap::default();
    for source in sources {
        let Front::Page(front) = &source.front else {
            continue;
        };
        for name in &front.tags {
            let slug = slugify(name);
            if slug.is_empty() {
                continue;
            }
            match first.get(&slug) {
                Some((written, _)) if written == name => {}
                Some((written, file)) => problems.push(
                    Diagnostic::warning(
                        &source.display_path,
                        front.lines.tags,
                        format!(
                            "ämnet \"{name}\" blir samma ämne som \"{written}\" i {}: båda får ämnessidan /{}/{slug}/",
                            file.display(),
                            listings::TOPICS_DIR
                        ),
                    )
                    .with_hint(format!("skriv ämnet likadant på alla sidor, till exempel \"{written}\"")),
                ),
                None => {
                    first.insert(slug, (name, &source.display_path));
                }
            }
        }
    }
}

/// The content lints that apply to front matter: the lead image's source and alternative text.
fn front_matter_lints(
    front: &crate::content::front_matter::PageFrontMatter,
    config: &SiteConfig,
    site_url: &url::Url,
    path: &std::path::Path,
) -> Vec<Diagnostic> {
    let Some(image) = &front.image else {
        return Vec::new();
    };
    let alt = front.image_alt.as_deref().unwrap_or("");
    [
        crate::lint::image_source(image, site_url),
        crate::lint::alt_quality(alt, image),
    ]
    .into_iter()
    .flatten()
    .filter_map(|finding| config.lints.diagnostic(finding, path, front.lines.image, 1))
    .collect()
}

/// The related pages of every news item: candidates are published news items that are neither
/// drafts nor past their archive date.
fn choose_related(
    pages: &[Page],
    term_counts: &[TermCounts],
    terms: &[String],
    pinned: &[Vec<PageId>],
    limit: usize,
) -> Vec<Vec<Choice>> {
    let slugs: Vec<Vec<String>> = pages
        .iter()
        .map(|p| p.topics.iter().map(|t| t.slug.clone()).collect())
        .collect();
    let documents: Vec<Document> = pages
        .iter()
        .enumerate()
        .map(|(id, page)| Document {
            topics: &slugs[id],
            terms: &term_counts[id],
            section: page.section,
            day: page
                .date
                .map(|d| i64::from(chrono::Datelike::num_days_from_ce(&d.date()))),
            is_candidate: page.kind == PageKind::News && listings::is_current(page),
            is_pinnable: listings::is_current(page),
            wants_list: page.kind == PageKind::News || !pinned[id].is_empty(),
        })
        .collect();
    crate::related::choose(&documents, terms, pinned, limit)
}

/// Reports content whose URL is taken by a generated page (a year archive, a topic, a listing page).
fn check_generated_paths(
    sections: &[Section],
    pages: &[Page],
    listings: &listings::Listings,
    problems: &mut Vec<Diagnostic>,
) {
    let mut generated: FxHashMap<String, &str> = FxHashMap::default();
    for listing in &listings.listings {
        for number in 2..=listing.page_count() {
            generated.insert(listing.page_path(number), "en sidnumrerad lista");
        }
    }
    for year in &listings.years {
        generated.insert(year.path.clone(), "ett årsarkiv");
    }
    for index in &listings.year_indexes {
        generated.insert(index.path.clone(), "ett nyhetsarkiv");
    }
    for topic in &listings.topics {
        generated.insert(topic.path.clone(), "en ämnessida");
    }
    if !listings.topics.is_empty() {
        generated.insert(format!("{}/", listings::TOPICS_DIR), "ämnesöversikten");
    }
    generated.insert(format!("{}/", listings::ARCHIVE_DIR), "arkivet");
    let section_paths = sections
        .iter()
        .filter_map(|s| s.display_path.as_ref().map(|p| (&s.path, p)));
    let page_paths = pages.iter().map(|p| (&p.path, &p.display_path));
    for (path, file) in section_paths.chain(page_paths) {
        if let Some(what) = generated.get(path.as_str()) {
            problems.push(
                Diagnostic::error(file, 1, format!("webbadressen /{path} används redan av {what}"))
                    .with_hint("byt namn på filen eller katalogen, eller ange en annan slug:"),
            );
        }
    }
}

fn attach_pages_and_subsections(sections: &mut [Section], pages: &[Page]) {
    for (id, page) in pages.iter().enumerate() {
        sections[page.section].pages.push(id);
    }
    for section in sections.iter_mut() {
        let order = section.settings.sort.unwrap_or_default();
        section
            .pages
            .par_sort_by(|&a, &b| compare_pages(&pages[a], &pages[b], order));
    }
    let mut children: Vec<(SectionId, SectionId)> = sections
        .iter()
        .enumerate()
        .filter_map(|(id, s)| s.parent.map(|parent| (parent, id)))
        .collect();
    children.sort_by(|a, b| {
        let (x, y) = (&sections[a.1], &sections[b.1]);
        x.weight.cmp(&y.weight).then_with(|| collate(&x.title, &y.title))
    });
    for (parent, child) in children {
        sections[parent].subsections.push(child);
    }
}

/// Orders two pages for a listing: newest first, by Swedish title, or by weight.
fn compare_pages(a: &Page, b: &Page, order: SortOrder) -> std::cmp::Ordering {
    let by_title = || collate(&a.title, &b.title).then_with(|| a.path.cmp(&b.path));
    match order {
        SortOrder::Date => b
            .date
            .map(|d| d.at)
            .cmp(&a.date.map(|d| d.at))
            .then_with(by_title),
        SortOrder::Title => by_title(),
        SortOrder::Weight => a.weight.cmp(&b.weight).then_with(by_title),
    }
}

/// The newest current news items: from the news section when there is one, else from the whole site.
fn latest_news(pages: &[Page], news_section: Option<SectionId>) -> Vec<PageId> {
    let mut news: Vec<PageId> = (0..pages.len())
        .filter(|&id| {
            let page = &pages[id];
            page.kind == PageKind::News
                && page.placement == Placement::Live
                && news_section.is_none_or(|section| page.section == section)
        })
        .collect();
    news.par_sort_by(|&a, &b| compare_pages(&pages[a], &pages[b], SortOrder::Date));
    news.truncate(LATEST_NEWS_COUNT);
    news
}

fn build_menu(
    config: &SiteConfig,
    sections: &[Section],
    pages: &[Page],
    section_by_dir: &HashMap<String, SectionId>,
    failed: &[String],
    problems: &mut Vec<Diagnostic>,
) -> Vec<MenuItem> {
    let Some(entries) = &config.menu else {
        return sections[HOME]
            .subsections
            .iter()
            .map(|&id| MenuItem {
                title: sections[id].title.clone(),
                path: sections[id].path.clone(),
            })
            .collect();
    };
    let mut menu = Vec::new();
    for MenuEntry { path, line } in entries {
        let as_section = path.trim_end_matches(SECTION_FILE).trim_end_matches('/');
        if let Some(&id) = section_by_dir.get(as_section) {
            menu.push(MenuItem {
                title: sections[id].title.clone(),
                path: sections[id].path.clone(),
            });
        } else if let Some(page) = pages.iter().find(|p| p.content_path == *path) {
            if matches!(page.placement, Placement::Live | Placement::Kept) {
                menu.push(MenuItem {
                    title: page.title.clone(),
                    path: page.path.clone(),
                });
            }
        } else if !failed.contains(path) {
            problems.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    *line,
                    format!("menyvalet \"{path}\" finns inte i content/"),
                )
                .with_hint(
                    "ange en avsnittskatalog (natverket) eller en sida (kontakt.md), räknat från content/",
                ),
            );
        }
    }
    menu
}
