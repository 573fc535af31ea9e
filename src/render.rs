//! Rendering: the site model turned into HTML through the theme's tera templates.
//!
//! Templates are parsed once; each output file is one job with a small context built from the model
//! (the page, its section, breadcrumbs, the menu, strings and data). Jobs run in parallel. Template
//! mistakes become diagnostics pointing at the template file and line. Every rendered HTML file goes
//! through the external-resource and URL check ([`crate::external`]), so what templates and data put
//! in a page is held to the same rules as what communicators write.

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};
use tera::{Context, Tera};

use crate::config::{Owner, PageKind};
use crate::diagnostics::Diagnostic;
use crate::external::Problem;
use crate::i18n::long_date_from_iso;
use crate::markdown::Heading;
use crate::site::listings::{is_current, Listing, ListingKind, ARCHIVE_DIR, FEED_FILE, TOPICS_DIR};
use crate::site::urls::output_file;
use crate::site::{Image, Page, PageId, Placement, SectionId, Site, Statement, HOME};
use crate::theme::{TemplateSource, Theme};

/// One rendered output file.
#[derive(Debug, Clone)]
pub struct RenderedFile {
    /// Path relative to the output directory (`barnens-basta/samverkan/index.html`).
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

impl RenderedFile {
    /// The file without the spare room its buffer was rendered with, for callers that keep many:
    /// call it as soon as the file is made, or every file kept holds a whole render buffer (48 KB).
    pub fn kept(mut self) -> RenderedFile {
        self.bytes.shrink_to_fit();
        self
    }
}

/// Room reserved for one rendered file: most pages fit, so the buffer rarely grows and copies.
const OUTPUT_CAPACITY: usize = 48 * 1024;

/// The template of the not-found page.
pub const NOT_FOUND_TEMPLATE: &str = "404.html";

/// Parses the theme's templates, reporting every template with a syntax error, and refuses links
/// between them that could never end (see [`crate::template_graph`]).
pub fn templates(theme: &Theme, base_path: &str) -> Result<Tera, Vec<Diagnostic>> {
    // Each template is parsed on its own, so that every syntax error is found with its position
    // (tera stops at the first and does not say on which line).
    let mut parsed = BTreeMap::new();
    let mut problems = Vec::new();
    for (name, source) in &theme.templates {
        match tera::Template::new(name, None, &source.text) {
            Ok(template) => {
                parsed.insert(name.clone(), template);
            }
            Err(error) => problems.push(syntax_error(source, &error)),
        }
    }
    if problems.is_empty() {
        // Before tera links the templates: it follows an extends cycle without end.
        problems = crate::template_graph::problems(&parsed, &theme.templates);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    // The templates parsed above are handed to tera as they are, instead of being parsed again by
    // `add_raw_templates`, which does exactly this with them.
    tera.templates.extend(parsed);
    if let Err(error) = tera
        .build_inheritance_chains()
        .and_then(|()| tera.check_macro_files())
    {
        return Err(vec![Diagnostic::error(
            "templates",
            0,
            format!("mallarna går inte att läsa: {}", error_chain(&error)),
        )
        .with_hint(
            "kontrollera att mallar som en annan mall ärver från (extends) eller tar in (include) finns",
        )]);
    }
    tera.register_filter("date_sv", date_sv);
    let base = base_path.to_string();
    tera.register_function("asset_url", move |args: &HashMap<String, Value>| {
        let path = args
            .get("path")
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg("asset_url behöver path=\"…\""))?;
        Ok(Value::String(format!("{base}{}", path.trim_start_matches('/'))))
    });
    Ok(tera)
}

/// A template that does not parse, at the line and column of the error.
fn syntax_error(source: &TemplateSource, error: &tera::Error) -> Diagnostic {
    let message = error_chain(error);
    let (line, column) = pest_position(&message).unwrap_or((0, 0));
    let summary = message
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('='))
        .map_or_else(
            || message.lines().next().unwrap_or("").to_string(),
            |l| l.trim_start_matches([' ', '=']).to_string(),
        );
    Diagnostic::error(&source.display_path, line, format!("fel i mallen: {summary}"))
        .at_column(column)
        .with_hint("kontrollera att varje {% … %} och {{ … }} är stängd och att block avslutas med endblock")
}

/// Escapes the five characters that matter in HTML text and attributes; unlike tera's default it
/// leaves `/` alone, so URLs stay readable in the output.
fn escape_html(input: &str) -> String {
    let mut escaped = String::with_capacity(input.len() + input.len() / 8);
    let mut plain_from = 0;
    // The five characters are ASCII, so every byte index where one is found is a char boundary.
    for (index, byte) in input.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        escaped.push_str(&input[plain_from..index]);
        escaped.push_str(entity);
        plain_from = index + 1;
    }
    escaped.push_str(&input[plain_from..]);
    escaped
}

fn date_sv(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("date_sv vill ha ett datum som text"))?;
    long_date_from_iso(text)
        .map(Value::String)
        .ok_or_else(|| tera::Error::msg(format!("date_sv: \"{text}\" är inget datum")))
}

fn error_chain(error: &tera::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        message.push('\n');
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    message
}

/// The `--> line:column` of a pest parse error.
fn pest_position(message: &str) -> Option<(usize, usize)> {
    let rest = &message[message.find("--> ")? + 4..];
    let end = rest
        .find(|c: char| !c.is_ascii_digit() && c != ':')
        .unwrap_or(rest.len());
    let (line, column) = rest[..end].split_once(':')?;
    Some((line.parse().ok()?, column.parse().ok()?))
}

#[derive(Serialize)]
struct Link {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct TopicView<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
}

#[derive(Serialize)]
struct Updated {
    iso: String,
    text: String,
}

/// A page as lists hold it. Without its topics: each is an object of three strings, together more
/// than half of what every list copies for every page it shows; the entry template shows them.
#[derive(Serialize)]
struct PageSummary<'a> {
    title: &'a str,
    url: String,
    kind: PageKind,
    date: Option<String>,
    summary: &'a str,
    image: Option<&'a Image>,
}

#[derive(Serialize)]
struct BackLink {
    text: String,
    url: String,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    url: String,
    permalink: String,
    kind: PageKind,
    date: Option<String>,
    updated: Option<Updated>,
    summary: &'a str,
    lead: Option<&'a str>,
    content: &'a str,
    tags: Vec<TopicView<'a>>,
    image: Option<&'a Image>,
    archive_notice: Option<String>,
    year: Option<i32>,
    year_news: Option<Link>,
    period: Option<&'a str>,
    owner: Option<&'a Owner>,
    statement: Option<&'a Statement>,
    archived: bool,
    draft: bool,
    section: Value,
    back_link: Option<BackLink>,
    toc: &'a [Heading],
}

#[derive(Serialize)]
struct PageNumber {
    number: usize,
    url: String,
    current: bool,
    /// Whether page numbers were left out just before this one.
    after_gap: bool,
}

/// How many page numbers on each side of the current one a paginator shows.
const PAGINATION_NEIGHBOURS: usize = 2;

/// The page numbers a paginator shows: the first, the last and the current with its neighbours, so
/// that a listing of a thousand pages does not put a thousand links on each of them.
fn visible_page_numbers(current: usize, total: usize) -> Vec<usize> {
    let near =
        current.saturating_sub(PAGINATION_NEIGHBOURS).max(1)..=(current + PAGINATION_NEIGHBOURS).min(total);
    let mut numbers: Vec<usize> = std::iter::once(1)
        .chain(near)
        .chain(std::iter::once(total))
        .collect();
    numbers.dedup();
    numbers.retain(|&n| n >= 1 && n <= total);
    numbers.dedup();
    numbers
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    previous_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PageNumber>,
}

#[derive(Serialize)]
struct FeedLink {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct FeedEntry<'a> {
    title: &'a str,
    permalink: String,
    published: String,
    updated: String,
    summary: &'a str,
}

#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
}

/// Renders jobs of one site with one set of parsed templates.
pub struct Renderer<'a> {
    /// Every page's summary for lists, with its entry ([`TEMPLATE_SUMMARY_ITEM`]), by page id.
    summaries: Vec<Value>,
    strings_value: Value,
    strings_hash: u64,
    data_hash: u64,
    site: &'a Site,
    tera: &'a Tera,
    theme: &'a Theme,
    site_value: Value,
    site_url: url::Url,
    /// What the check found in the list entries, each checked once ([`Renderer::page_summaries`]).
    entry_findings: Vec<Diagnostic>,
    /// Whether every list entry is balanced HTML, so that jobs can leave the entries out of their check.
    entries_balanced: bool,
}

/// One output file to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    /// The start page.
    Home,
    Listing {
        listing: usize,
        number: usize,
    },
    Page(PageId),
    Redirect(PageId),
    ArchiveIndex,
    YearIndex(usize),
    TopicIndex,
    Feed(usize),
    Sitemap,
    Robots,
    NotFound,
}

impl Job {
    /// The URL path of the job's output, relative to the site root (`nyheter/sida/2/`, `sitemap.xml`).
    pub fn path(&self, site: &Site) -> String {
        match *self {
            Job::Home => String::new(),
            Job::Listing { listing, number } => site.listings.listings[listing].page_path(number),
            Job::Page(id) => site.pages[id].path.clone(),
            Job::Redirect(id) => {
                let page = &site.pages[id];
                match &page.placement {
                    Placement::Moved { from } => from.clone(),
                    _ => page.path.clone(),
                }
            }
            Job::ArchiveIndex => format!("{ARCHIVE_DIR}/"),
            Job::YearIndex(index) => site.listings.year_indexes[index].path.clone(),
            Job::TopicIndex => format!("{TOPICS_DIR}/"),
            Job::Feed(index) => site.listings.feeds[index].path.clone(),
            Job::Sitemap => TEMPLATE_SITEMAP.into(),
            Job::Robots => TEMPLATE_ROBOTS.into(),
            Job::NotFound => NOT_FOUND_TEMPLATE.into(),
        }
    }

    /// The output file of the job, relative to the output directory (`nyheter/sida/2/index.html`).
    pub fn output_file(&self, site: &Site) -> String {
        output_file(&self.path(site))
    }
}

/// Template names of the generated pages.
const TEMPLATE_YEAR: &str = "year.html";
const TEMPLATE_YEAR_INDEX: &str = "years.html";
const TEMPLATE_TOPIC: &str = "topic.html";
const TEMPLATE_TOPIC_INDEX: &str = "topics.html";
const TEMPLATE_FEED: &str = "atom.xml";
const TEMPLATE_SITEMAP: &str = "sitemap.xml";
const TEMPLATE_ROBOTS: &str = "robots.txt";
const TEMPLATE_REDIRECT: &str = "redirect.html";
const TEMPLATE_ARCHIVE: &str = "archive.html";
/// The template of one page's entry in lists, rendered once per page.
const TEMPLATE_SUMMARY_ITEM: &str = "partials/summary-item.html";

/// Renders every page, listing, archive, topic, feed, the sitemap, robots.txt and the not-found page.
pub fn render_site(site: &Site, theme: &Theme, tera: &Tera) -> Result<Vec<RenderedFile>, Vec<Diagnostic>> {
    let files = std::sync::Mutex::new(Vec::new());
    render_each(site, theme, tera, &|file| {
        files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(file.kept());
        Ok(())
    })?;
    Ok(files
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner))
}

/// Renders every output file in parallel, checks it ([`Renderer::check`]) and hands it to `sink` as
/// soon as it is made, so the whole site never has to be in memory. Returns the warnings the checks
/// found, or every distinct problem; a failing `sink` is one.
pub fn render_each(
    site: &Site,
    theme: &Theme,
    tera: &Tera,
    sink: &(dyn Fn(RenderedFile) -> std::io::Result<()> + Sync),
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let renderer = Renderer::new(site, theme, tera)?;
    let results: Vec<Result<Vec<Diagnostic>, Diagnostic>> = plan(site, theme)
        .par_iter()
        .map_init(
            || renderer.shared_context(),
            |shared, job| {
                let (file, findings) = renderer.render_checked(job, renderer.prepare(job), shared)?;
                let path = file.path.clone();
                sink(file).map_err(|error| {
                    Diagnostic::error(path, 0, format!("kunde inte skriva filen: {error}"))
                        .with_hint("kontrollera att utkatalogen går att skriva i och att disken inte är full")
                })?;
                Ok(findings)
            },
        )
        .collect();
    let entry_findings = renderer.entry_findings;
    // Freeing every page's summary takes long enough on a large site to be shared among the threads.
    renderer.summaries.into_par_iter().for_each(drop);
    merge_findings(
        entry_findings
            .into_iter()
            .chain(collect(results)?.into_iter().flatten()),
    )
}

/// Where `needle` stands in `haystack`: found by its first bytes, then compared whole, which is much
/// faster than a substring search with a needle of kilobytes.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let prefix = needle.get(..needle.len().min(32)).filter(|p| !p.is_empty())?;
    memchr::memmem::find_iter(haystack, prefix).find(|&start| haystack[start..].starts_with(needle))
}

/// The checks' findings of many files, each template line once: `Err` with all of them when one is
/// an error, else the warnings.
pub fn merge_findings(
    findings: impl IntoIterator<Item = Diagnostic>,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let mut merged: Vec<Diagnostic> = Vec::new();
    for finding in findings {
        if !merged
            .iter()
            .any(|m| m.path == finding.path && m.line == finding.line && m.severity == finding.severity)
        {
            merged.push(finding);
        }
    }
    if merged.iter().any(Diagnostic::is_error) {
        Err(merged)
    } else {
        Ok(merged)
    }
}

/// The successful results (rendered files, list entries…), or every distinct problem: a template error
/// is reported once, not once per page that uses the template.
pub fn collect<T>(results: Vec<Result<T, Diagnostic>>) -> Result<Vec<T>, Vec<Diagnostic>> {
    let mut done = Vec::with_capacity(results.len());
    let mut problems: Vec<Diagnostic> = Vec::new();
    for result in results {
        match result {
            Ok(value) => done.push(value),
            Err(problem) => {
                if !problems
                    .iter()
                    .any(|p| p.path == problem.path && p.line == problem.line)
                {
                    problems.push(problem);
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(done)
    } else {
        Err(problems)
    }
}

/// Every output file the site has, as jobs to render. The jobs that each cover the whole site (the
/// sitemap, the feeds, the indexes) come first: rendered last, the largest of them would keep one
/// thread busy after the others have run out of work.
pub fn plan(site: &Site, theme: &Theme) -> Vec<Job> {
    let listings = &site.listings;
    let mut jobs = vec![Job::Sitemap];
    jobs.extend((0..listings.feeds.len()).map(Job::Feed));
    if site.pages.iter().any(|page| page.placement.is_archived()) {
        jobs.push(Job::ArchiveIndex);
    }
    jobs.extend((0..listings.year_indexes.len()).map(Job::YearIndex));
    if !listings.topics.is_empty() {
        jobs.push(Job::TopicIndex);
    }
    jobs.push(Job::Home);
    for (listing, entry) in listings.listings.iter().enumerate() {
        jobs.extend((1..=entry.page_count()).map(|number| Job::Listing { listing, number }));
    }
    // A new page may take the address a moved page had; it wins over the redirect.
    let live: std::collections::HashSet<&str> = site
        .pages
        .iter()
        .filter(|p| !matches!(p.placement, Placement::Moved { .. } | Placement::Dropped))
        .map(|p| p.path.as_str())
        .chain(site.sections.iter().map(|s| s.path.as_str()))
        .collect();
    for (id, page) in site.pages.iter().enumerate() {
        match &page.placement {
            Placement::Dropped => {}
            Placement::Moved { from } if live.contains(from.as_str()) => jobs.push(Job::Page(id)),
            Placement::Moved { .. } => jobs.extend([Job::Page(id), Job::Redirect(id)]),
            Placement::Live | Placement::Kept => jobs.push(Job::Page(id)),
        }
    }
    jobs.push(Job::Robots);
    if theme.has_template(NOT_FOUND_TEMPLATE) {
        jobs.push(Job::NotFound);
    }
    jobs
}

/// A template context that remembers which keys it holds, so that a job's inputs can be fingerprinted
/// without copying or serialising them.
pub struct JobContext {
    context: Context,
    keys: Vec<&'static str>,
}

/// The variables every template sees that are the same for every job: they live in one context per
/// thread ([`Renderer::shared_context`]) instead of being copied into each job's. Each job lists them
/// among its keys, so its fingerprint covers them.
const SHARED_KEYS: [&str; 2] = ["strings", "data"];

impl JobContext {
    fn new() -> JobContext {
        JobContext {
            context: Context::new(),
            keys: SHARED_KEYS.to_vec(),
        }
    }

    fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.context.insert(key, value);
        if !self.keys.contains(&key) {
            self.keys.push(key);
        }
    }

    /// Like [`JobContext::insert`], but moves the value in instead of copying it.
    fn insert_value(&mut self, key: &'static str, value: Value) {
        move_into(&mut self.context, key, value);
        if !self.keys.contains(&key) {
            self.keys.push(key);
        }
    }

    fn remove(&mut self, key: &'static str) {
        self.context.remove(key);
        self.keys.retain(|k| *k != key);
    }
}

/// Calls `found` with every list entry (`entry` of a page summary) in `value`, wherever it is.
fn entries_in(value: &Value, found: &mut dyn FnMut(&str)) {
    match value {
        Value::Array(items) => items.iter().for_each(|item| entries_in(item, found)),
        Value::Object(map) => {
            if let Some(Value::String(entry)) = map.get("entry") {
                found(entry);
            }
            map.values().for_each(|item| entries_in(item, found));
        }
        _ => {}
    }
}

/// Puts `value` into `context` under `key` without copying it (tera's `insert` serialises a copy).
fn move_into(context: &mut Context, key: &str, value: Value) {
    let mut entry = serde_json::Map::new();
    entry.insert(key.to_string(), value);
    if let Ok(moved) = Context::from_value(Value::Object(entry)) {
        context.extend(moved);
    }
}

/// Hashes a JSON value's structure and contents.
fn hash_value(value: &Value, hasher: &mut DefaultHasher) {
    match value {
        Value::Null => 0u8.hash(hasher),
        Value::Bool(flag) => (1u8, flag).hash(hasher),
        Value::Number(number) => (2u8, number.to_string()).hash(hasher),
        Value::String(text) => (3u8, text).hash(hasher),
        Value::Array(items) => {
            (4u8, items.len()).hash(hasher);
            for item in items {
                hash_value(item, hasher);
            }
        }
        Value::Object(map) => {
            (5u8, map.len()).hash(hasher);
            for (key, item) in map {
                key.hash(hasher);
                hash_value(item, hasher);
            }
        }
    }
}

/// A page's summary for lists, with what the check found in its entry and whether the entry is
/// balanced HTML ([`crate::external::scan_fragment`]).
struct CheckedSummary {
    summary: Value,
    findings: Vec<Diagnostic>,
    balanced: bool,
}

/// A job with everything it needs to render: where it goes, which template, the context.
pub struct Prepared<'a> {
    /// The output file, relative to the output directory.
    pub output: String,
    /// The template's name.
    pub template: &'a str,
    /// The template context.
    pub context: JobContext,
    /// The source the job comes from, for error messages.
    pub origin: PathBuf,
}

impl<'a> Renderer<'a> {
    /// A renderer for `site` with `theme`'s parsed templates. Every page's list entry is rendered
    /// here, so a template error in it is returned here.
    pub fn new(site: &'a Site, theme: &'a Theme, tera: &'a Tera) -> Result<Renderer<'a>, Vec<Diagnostic>> {
        let site_value = json!({
        "title": site.config.title,
        "description": site.config.description,
        "organisation": site.config.organisation,
        "base_url": site.config.base_url,
        "base_path": site.config.base_path,
        "language": site.config.language,
        "home_url": site.urls.path(""),
        "feed_url": site.urls.path(FEED_FILE),
        "topics_url": (!site.listings.topics.is_empty()).then(|| site.urls.path(&format!("{TOPICS_DIR}/"))),
        "archive_url": site
            .pages
            .iter()
            .any(|p| p.placement.is_archived())
            .then(|| site.urls.path(&format!("{ARCHIVE_DIR}/"))),
        "accessibility_url": site
            .pages
            .iter()
            .find(|p| p.kind == PageKind::Accessibility && p.placement == Placement::Live)
            .map(|p| site.urls.path(&p.path)),
        });
        let strings_value = serde_json::to_value(&site.strings).unwrap_or(Value::Null);
        let hash_of = |value: &Value| {
            let mut hasher = DefaultHasher::new();
            hash_value(value, &mut hasher);
            hasher.finish()
        };
        let strings_hash = hash_of(&strings_value);
        let data_hash = hash_of(&site.data);
        let mut renderer = Renderer {
            summaries: Vec::new(),
            entry_findings: Vec::new(),
            entries_balanced: false,
            site,
            tera,
            theme,
            site_value,
            site_url: site.config.site_url(),
            strings_value,
            strings_hash,
            data_hash,
        };
        let checked = renderer.page_summaries()?;
        let mut findings = Vec::new();
        renderer.entries_balanced = true;
        for checked in checked {
            renderer.summaries.push(checked.summary);
            findings.extend(checked.findings);
            renderer.entries_balanced &= checked.balanced;
        }
        renderer.entry_findings = findings;
        Ok(renderer)
    }

    /// Every page's summary, with its entry in lists (`entry`) rendered by [`TEMPLATE_SUMMARY_ITEM`]
    /// when the theme has it. A page is listed in many places (its section, its year, its topics,
    /// other pages' related news) and looks the same in each: rendering it once instead of in every
    /// list is most of the work of rendering listings. The entry template also sees the page's
    /// `tags`, which the lists' copies leave out. Each entry is checked here, once ([`Renderer::check`]):
    /// with what the check found and whether the entry is balanced HTML.
    fn page_summaries(&self) -> Result<Vec<CheckedSummary>, Vec<Diagnostic>> {
        let has_entries = self.theme.has_template(TEMPLATE_SUMMARY_ITEM);
        let entry_context = || {
            let mut context = self.shared_context();
            context.insert("site", &self.site_value);
            context
        };
        let summaries: Vec<Result<CheckedSummary, Diagnostic>> = self
            .site
            .pages
            .par_iter()
            .map_init(entry_context, |context, page| {
                let mut summary = serde_json::to_value(self.summary(page)).unwrap_or(Value::Null);
                if !has_entries {
                    return Ok(CheckedSummary {
                        summary,
                        findings: Vec::new(),
                        balanced: true,
                    });
                }
                if let Value::Object(map) = &mut summary {
                    let tags = serde_json::to_value(self.topics(page)).unwrap_or(Value::Null);
                    map.insert("tags".into(), tags);
                }
                // Moved into the context and back out, not copied.
                move_into(context, "p", summary);
                let entry = self.tera.render(TEMPLATE_SUMMARY_ITEM, context);
                let mut summary = context.remove("p").unwrap_or(Value::Null);
                let mut entry = entry.map_err(|error| {
                    self.template_error(TEMPLATE_SUMMARY_ITEM, &error, &page.display_path)
                })?;
                entry.truncate(entry.trim_end().len());
                entry.drain(..entry.len() - entry.trim_start().len());
                let (found, balanced) = crate::external::scan_fragment(&entry, &self.site_url);
                let findings = found
                    .into_iter()
                    .filter_map(|found| {
                        self.diagnose(
                            found,
                            TEMPLATE_SUMMARY_ITEM,
                            &page.display_path,
                            TEMPLATE_SUMMARY_ITEM,
                        )
                    })
                    .collect();
                if let Value::Object(map) = &mut summary {
                    map.remove("tags");
                    map.insert("entry".into(), Value::String(entry));
                }
                Ok(CheckedSummary {
                    summary,
                    findings,
                    balanced,
                })
            })
            .collect();
        collect(summaries)
    }

    /// A fingerprint of everything a prepared job renders from (its template name and context): equal
    /// fingerprints mean equal output with the same templates.
    pub fn fingerprint(&self, job: &Prepared<'_>) -> u64 {
        let mut hasher = DefaultHasher::new();
        job.template.hash(&mut hasher);
        for key in &job.context.keys {
            key.hash(&mut hasher);
            match *key {
                "strings" => self.strings_hash.hash(&mut hasher),
                "data" => self.data_hash.hash(&mut hasher),
                _ => {
                    if let Some(value) = job.context.context.get(key) {
                        hash_value(value, &mut hasher);
                    }
                }
            }
        }
        hasher.finish()
    }

    /// The context shared by the jobs one thread renders: the variables in [`SHARED_KEYS`].
    pub fn shared_context(&self) -> Context {
        let mut shared = Context::new();
        shared.insert("strings", &self.strings_value);
        shared.insert("data", &self.site.data);
        shared
    }

    /// Renders a prepared job in `shared` (from [`Renderer::shared_context`]): the job's variables are
    /// moved in for the render and taken out again after it.
    pub fn render(&self, job: Prepared<'_>, shared: &mut Context) -> Result<RenderedFile, Diagnostic> {
        self.render_finding_entries(job, shared, false)
            .map(|(file, _)| file)
    }

    /// Renders a prepared job like [`Renderer::render`], and, when `entries` is set, finds where the
    /// list entries of its context stand in the output (while the context is still at hand).
    fn render_finding_entries(
        &self,
        job: Prepared<'_>,
        shared: &mut Context,
        entries: bool,
    ) -> Result<(RenderedFile, Vec<Range<usize>>), Diagnostic> {
        let Prepared {
            output,
            template,
            context,
            origin,
        } = job;
        shared.extend(context.context);
        // Rendered straight into bytes: tera's `render` would check the whole output is UTF-8 again.
        let mut bytes = Vec::with_capacity(OUTPUT_CAPACITY);
        let rendered = self.tera.render_to(template, shared, &mut bytes);
        let job_keys = || context.keys.iter().filter(|key| !SHARED_KEYS.contains(key));
        let mut places = Vec::new();
        if entries && rendered.is_ok() {
            for value in job_keys().filter_map(|key| shared.get(key)) {
                entries_in(value, &mut |entry| {
                    places.extend(find(&bytes, entry.as_bytes()).map(|start| start..start + entry.len()));
                });
            }
        }
        for key in job_keys() {
            shared.remove(key);
        }
        match rendered {
            Ok(()) => Ok((RenderedFile { path: output, bytes }, places)),
            Err(error) => Err(self.template_error(template, &error, &origin)),
        }
    }

    /// What the check found in the list entries, which the checks of the jobs leave out.
    pub fn entry_findings(&self) -> &[Diagnostic] {
        &self.entry_findings
    }

    /// Renders and checks one prepared job: the file, and what [`Renderer::check`] found in it.
    pub fn render_checked(
        &self,
        job: &Job,
        prepared: Prepared<'_>,
        shared: &mut Context,
    ) -> Result<(RenderedFile, Vec<Diagnostic>), Diagnostic> {
        let template = prepared.template;
        let origin = prepared.origin.clone();
        let (file, entries) = self.render_finding_entries(prepared, shared, self.entries_balanced)?;
        let findings = self.check(job, template, &origin, &file, entries);
        Ok((file, findings))
    }

    /// What a rendered HTML file fetches from other hosts and which of its URL attributes have a
    /// scheme that is not accepted. A page's body and the list entries (at `entries`) are left out:
    /// the body was checked, with the lines of its `.md` file, when its Markdown was rendered, and
    /// each entry once when it was rendered. A finding is placed at the template line that writes the
    /// URL when one does, else at the job's template, naming the file as an example.
    pub fn check(
        &self,
        job: &Job,
        template: &str,
        origin: &std::path::Path,
        file: &RenderedFile,
        mut entries: Vec<Range<usize>>,
    ) -> Vec<Diagnostic> {
        if !file.path.ends_with(".html") {
            return Vec::new();
        }
        let body = match *job {
            Job::Page(id) => self.site.pages[id].content.as_str(),
            _ => "",
        };
        entries.extend(find(&file.bytes, body.as_bytes()).map(|start| start..start + body.len()));
        crate::external::scan(&file.bytes, &entries, &self.site_url)
            .into_iter()
            .filter_map(|found| self.diagnose(found, template, origin, &file.path))
            .collect()
    }

    /// A finding of the check in the output `file` of `template` as a diagnostic, or `None` when its
    /// lint is off.
    fn diagnose(
        &self,
        found: crate::external::Found,
        template: &str,
        origin: &std::path::Path,
        file: &str,
    ) -> Option<Diagnostic> {
        let host = match &found.problem {
            Problem::OtherHost(host) => host.as_str(),
            _ => "",
        };
        let (path, line) = self.written_in(template, &found.url, host);
        let example = if line == 0 {
            format!(" (på {file}, från {})", origin.display())
        } else {
            format!(" (till exempel på {file})")
        };
        match &found.problem {
            Problem::OtherHost(_) => {
                let mut finding = crate::lint::resource(&found, "mallen");
                finding.message.push_str(&example);
                if line == 0 {
                    finding
                        .hint
                        .push_str("; adressen kommer från en variabel, till exempel i data/ eller site.yaml");
                }
                self.site.config.lints.diagnostic(finding, &path, line, 0)
            }
            Problem::Scheme(rejected) => Some(
                Diagnostic::error(
                    &path,
                    line,
                    format!(
                        "{}{example}",
                        rejected.message(&format!("adressen i {}", found.construct()), &found.url)
                    ),
                )
                .with_hint(crate::url_policy::HINT),
            ),
            Problem::Unreadable(error) => Some(
                Diagnostic::error(
                    &path,
                    0,
                    format!("sidan {file} går inte att tolka säkert: {error}"),
                )
                .with_hint("kontrollera att mallens taggar är hela och rätt stängda"),
            ),
        }
    }

    /// The template file and line that writes `url`, or else names `host` (the job's template first,
    /// then the others), or the job's template and line 0 when none does.
    fn written_in(&self, template: &str, url: &str, host: &str) -> (PathBuf, usize) {
        let escaped = escape_html(url);
        let candidates = || std::iter::once(template).chain(self.theme.templates.keys().map(String::as_str));
        let searches: [&dyn Fn(&str) -> bool; 2] = [
            &|line: &str| !url.is_empty() && (line.contains(url) || line.contains(escaped.as_str())),
            &|line: &str| !host.is_empty() && line.contains(host),
        ];
        for writes in searches {
            for source in candidates().filter_map(|name| self.theme.templates.get(name)) {
                if let Some(index) = source.text.lines().position(writes) {
                    return (source.display_path.clone(), index + 1);
                }
            }
        }
        let path = self
            .theme
            .templates
            .get(template)
            .map_or_else(|| PathBuf::from(template), |s| s.display_path.clone());
        (path, 0)
    }

    /// Computes where a job goes, its template and its context, without rendering it.
    pub fn prepare(&self, job: &Job) -> Prepared<'a> {
        let site = self.site;
        let (template, context, origin): (&str, JobContext, PathBuf) = match *job {
            Job::Home => {
                let home = &site.sections[HOME];
                let origin = home
                    .display_path
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("content"));
                (home.template.as_str(), self.home_context(), origin)
            }
            Job::Listing { listing, number } => self.listing_context(listing, number),
            Job::Page(id) => {
                let page = &site.pages[id];
                (
                    page.template.as_str(),
                    self.page_context(id),
                    page.display_path.clone(),
                )
            }
            Job::Redirect(id) => {
                let page = &site.pages[id];
                let mut context = JobContext::new();
                context.insert("site", &self.site_value);
                context.insert("title", &page.title);
                context.insert("target", &site.urls.path(&page.path));
                context.insert("target_permalink", &site.urls.permalink(&page.path));
                (TEMPLATE_REDIRECT, context, page.display_path.clone())
            }
            Job::ArchiveIndex => (
                TEMPLATE_ARCHIVE,
                self.archive_context(),
                PathBuf::from(format!("{ARCHIVE_DIR}/")),
            ),
            Job::YearIndex(index) => (
                TEMPLATE_YEAR_INDEX,
                self.year_index_context(index),
                PathBuf::from(&site.listings.year_indexes[index].path),
            ),
            Job::TopicIndex => (
                TEMPLATE_TOPIC_INDEX,
                self.topic_index_context(),
                PathBuf::from(format!("{TOPICS_DIR}/")),
            ),
            Job::Feed(index) => (
                TEMPLATE_FEED,
                self.feed_context(index),
                PathBuf::from(&site.listings.feeds[index].path),
            ),
            Job::Sitemap => (
                TEMPLATE_SITEMAP,
                self.sitemap_context(),
                PathBuf::from(TEMPLATE_SITEMAP),
            ),
            Job::Robots => {
                let mut context = JobContext::new();
                context.insert("sitemap_url", &site.urls.permalink(TEMPLATE_SITEMAP));
                (TEMPLATE_ROBOTS, context, PathBuf::from(TEMPLATE_ROBOTS))
            }
            Job::NotFound => {
                let mut context = self.base_context(NOT_FOUND_TEMPLATE, Vec::new(), Vec::new());
                context.remove("canonical_url");
                (NOT_FOUND_TEMPLATE, context, PathBuf::from(NOT_FOUND_TEMPLATE))
            }
        };
        Prepared {
            output: job.output_file(site),
            template,
            context,
            origin,
        }
    }

    /// The context every HTML template gets: site with menu, strings, data, breadcrumbs and feeds.
    fn base_context(&self, current_path: &str, breadcrumbs: Vec<Link>, feeds: Vec<FeedLink>) -> JobContext {
        let site = self.site;
        let menu: Vec<Value> = site
            .menu
            .iter()
            .map(|item| {
                let active = current_path == item.path
                    || (!item.path.is_empty() && current_path.starts_with(&item.path));
                json!({ "title": item.title, "url": site.urls.path(&item.path), "active": active })
            })
            .collect();
        let mut site_value = self.site_value.clone();
        site_value["menu"] = Value::Array(menu);
        let mut context = JobContext::new();
        // Every variable a theme template may test is present (null when it does not apply): a missing
        // one costs tera an error value per test, which adds up over thousands of pages.
        for optional in [
            "page",
            "section",
            "paginator",
            "current_title",
            "latest_news",
            "news_section",
        ] {
            context.insert(optional, &Value::Null);
        }
        context.insert_value("site", site_value);
        context.insert("current_url", &site.urls.path(current_path));
        context.insert("canonical_url", &site.urls.permalink(current_path));
        context.insert("breadcrumbs", &breadcrumbs);
        let mut all_feeds = vec![FeedLink {
            title: site.config.title.clone(),
            url: site.urls.path(FEED_FILE),
        }];
        all_feeds.extend(feeds);
        context.insert("feeds", &all_feeds);
        context
    }

    /// Links to the sections from the start page down to `section`, inclusive.
    fn crumbs(&self, section: SectionId) -> Vec<Link> {
        let site = self.site;
        site.section_chain(section)
            .into_iter()
            .map(|id| {
                let section = &site.sections[id];
                let title = if id == HOME {
                    site.strings.get("home").to_string()
                } else {
                    section.title.clone()
                };
                Link {
                    title,
                    url: site.urls.path(&section.path),
                }
            })
            .collect()
    }

    fn section_feed(&self, section: SectionId) -> Vec<FeedLink> {
        let listings = &self.site.listings;
        listings
            .section_feed
            .get(&section)
            .map(|&f| FeedLink {
                title: listings.feeds[f].title.clone(),
                url: self.site.urls.path(&listings.feeds[f].path),
            })
            .into_iter()
            .collect()
    }

    fn summary<'p>(&self, page: &'p Page) -> PageSummary<'p> {
        PageSummary {
            title: &page.title,
            url: self.site.urls.path(&page.path),
            kind: page.kind,
            date: page.date.map(|d| d.date().to_string()),
            summary: &page.summary,
            image: page.image.as_ref(),
        }
    }

    /// The summary of a page for lists; made once, then copied.
    fn summary_value(&self, id: PageId) -> Value {
        self.summaries[id].clone()
    }

    fn summaries(&self, ids: &[PageId]) -> Value {
        Value::Array(ids.iter().map(|&id| self.summary_value(id)).collect())
    }

    fn topics<'p>(&self, page: &'p Page) -> Vec<TopicView<'p>> {
        page.topics
            .iter()
            .map(|topic| TopicView {
                name: &topic.name,
                slug: &topic.slug,
                url: self.site.urls.path(&format!("{TOPICS_DIR}/{}/", topic.slug)),
            })
            .collect()
    }

    fn section_brief(&self, id: SectionId) -> Value {
        let site = self.site;
        let section = &site.sections[id];
        let archive_url = site
            .listings
            .year_indexes
            .iter()
            .find(|index| index.section == id)
            .map(|index| site.urls.path(&index.path));
        json!({
            "title": section.title,
            "url": site.urls.path(&section.path),
            "summary": section.summary,
            "archive_url": archive_url,
        })
    }

    fn section_value(&self, id: SectionId, pages: &[PageId]) -> Value {
        let site = self.site;
        let section = &site.sections[id];
        let mut value = self.section_brief(id);
        let subsections: Vec<Value> = section
            .subsections
            .iter()
            .map(|&s| self.section_brief(s))
            .collect();
        value["permalink"] = json!(site.urls.permalink(&section.path));
        value["lead"] = json!(section.lead);
        value["content"] = json!(section.content);
        value["pages"] = self.summaries(pages);
        value["subsections"] = json!(subsections);
        value["feed_url"] = json!(self.section_feed(id).first().map(|f| &f.url));
        value
    }

    fn home_context(&self) -> JobContext {
        let site = self.site;
        let mut context = self.base_context("", Vec::new(), Vec::new());
        context.insert_value("section", self.section_value(HOME, &site.sections[HOME].pages));
        context.insert_value("latest_news", self.summaries(&site.latest_news));
        context.insert("news_section", &site.news_section.map(|s| self.section_brief(s)));
        context
    }

    fn paginator(&self, listing: &Listing, number: usize) -> Paginator {
        let total = listing.page_count();
        let url = |n: usize| self.site.urls.path(&listing.page_path(n));
        Paginator {
            current: number,
            total,
            previous_url: (number > 1).then(|| url(number - 1)),
            next_url: (number < total).then(|| url(number + 1)),
            pages: {
                let numbers = visible_page_numbers(number, total);
                numbers
                    .iter()
                    .enumerate()
                    .map(|(index, &n)| PageNumber {
                        number: n,
                        url: url(n),
                        current: n == number,
                        after_gap: index > 0 && numbers[index - 1] + 1 != n,
                    })
                    .collect()
            },
        }
    }

    fn listing_context(&self, index: usize, number: usize) -> (&'a str, JobContext, PathBuf) {
        let site = self.site;
        let listing = &site.listings.listings[index];
        let items = listing.page_items(number);
        let paginator = self.paginator(listing, number);
        let current = listing.page_path(number);
        match listing.kind {
            ListingKind::Section(id) => {
                let section = &site.sections[id];
                let mut crumbs = self.crumbs(id);
                crumbs.pop();
                let mut context = self.base_context(&current, crumbs, self.section_feed(id));
                context.insert_value("section", self.section_value(id, items));
                context.insert("paginator", &paginator);
                let origin = section.display_path.clone().unwrap_or_default();
                (section.template.as_str(), context, origin)
            }
            ListingKind::Year(year_index) => {
                let year = &site.listings.years[year_index];
                let mut crumbs = self.crumbs(year.section);
                let index = site
                    .listings
                    .year_indexes
                    .iter()
                    .find(|i| i.section == year.section);
                if let Some(index) = index {
                    crumbs.push(Link {
                        title: site.strings.get("archive_index_title").to_string(),
                        url: site.urls.path(&index.path),
                    });
                }
                let mut context = self.base_context(&current, crumbs, self.section_feed(year.section));
                let year_text = year.year.to_string();
                context.insert(
                    "current_title",
                    &site.strings.fill("year_archive_title", &[("year", &year_text)]),
                );
                let mut archive = json!({
                    "title": site.strings.fill("year_archive_title", &[("year", &year_text)]),
                    "year": year.year,
                    "url": site.urls.path(&year.path),
                    "index_url": index.map(|i| site.urls.path(&i.path)),
                    "section": self.section_brief(year.section),
                });
                archive["pages"] = self.summaries(items);
                archive["summaries"] = self.summaries(&year.summaries);
                context.insert_value("archive", archive);
                context.insert("paginator", &paginator);
                (TEMPLATE_YEAR, context, PathBuf::from(&year.path))
            }
            ListingKind::Topic(topic_index) => {
                let topic = &site.listings.topics[topic_index];
                let crumbs = vec![
                    self.crumbs(HOME).remove(0),
                    Link {
                        title: site.strings.get("topics").to_string(),
                        url: site.urls.path(&format!("{TOPICS_DIR}/")),
                    },
                ];
                let feed = site
                    .listings
                    .topic_feed
                    .get(&topic_index)
                    .map(|&f| &site.listings.feeds[f]);
                let feeds: Vec<FeedLink> = feed
                    .map(|f| FeedLink {
                        title: f.title.clone(),
                        url: site.urls.path(&f.path),
                    })
                    .into_iter()
                    .collect();
                let mut context = self.base_context(&current, crumbs, feeds);
                context.insert(
                    "current_title",
                    &site.strings.fill("topic_title", &[("topic", &topic.name)]),
                );
                let mut topic_value = json!({
                    "name": topic.name,
                    "title": site.strings.fill("topic_title", &[("topic", &topic.name)]),
                    "slug": topic.slug,
                    "url": site.urls.path(&topic.path),
                    "count": topic.pages.len(),
                    "feed_url": feed.map(|f| site.urls.path(&f.path)),
                });
                topic_value["pages"] = self.summaries(items);
                context.insert_value("topic", topic_value);
                context.insert("paginator", &paginator);
                (TEMPLATE_TOPIC, context, PathBuf::from(&topic.path))
            }
        }
    }

    fn year_index_context(&self, index: usize) -> JobContext {
        let site = self.site;
        let entry = &site.listings.year_indexes[index];
        let crumbs = self.crumbs(entry.section);
        let mut context = self.base_context(&entry.path, crumbs, self.section_feed(entry.section));
        let years: Vec<Value> = entry
            .years
            .iter()
            .map(|&y| {
                let year = &site.listings.years[y];
                let count = site
                    .listings
                    .listings
                    .iter()
                    .find(|l| l.kind == ListingKind::Year(y))
                    .map_or(0, |l| l.items.len());
                json!({ "year": year.year, "url": site.urls.path(&year.path), "count": count })
            })
            .collect();
        context.insert("current_title", site.strings.get("archive_index_title"));
        context.insert(
            "archive_index",
            &json!({
                "title": site.strings.get("archive_index_title"),
                "url": site.urls.path(&entry.path),
                "section": self.section_brief(entry.section),
                "years": years,
            }),
        );
        context
    }

    fn archive_context(&self) -> JobContext {
        let site = self.site;
        let path = format!("{ARCHIVE_DIR}/");
        let mut context = self.base_context(&path, self.crumbs(HOME), Vec::new());
        let years: Vec<Value> = site
            .listings
            .archived
            .iter()
            .map(|(year, ids)| {
                let mut entry = json!({ "year": year });
                entry["pages"] = self.summaries(ids);
                entry
            })
            .collect();
        context.insert("current_title", site.strings.get("archive_title"));
        context.insert(
            "archive",
            &json!({ "title": site.strings.get("archive_title"), "years": years }),
        );
        context
    }

    fn topic_index_context(&self) -> JobContext {
        let site = self.site;
        let path = format!("{TOPICS_DIR}/");
        let mut context = self.base_context(&path, self.crumbs(HOME), Vec::new());
        let topics: Vec<Value> = site
            .listings
            .topics
            .iter()
            .map(|t| json!({ "name": t.name, "url": site.urls.path(&t.path), "count": t.pages.len() }))
            .collect();
        context.insert("topics", &topics);
        context.insert("current_title", site.strings.get("topics"));
        context
    }

    fn feed_context(&self, index: usize) -> JobContext {
        let site = self.site;
        let feed = &site.listings.feeds[index];
        let entries: Vec<FeedEntry> = feed
            .entries
            .iter()
            .map(|&id| {
                let page = &site.pages[id];
                let published = page.date.map(|d| d.rfc3339()).unwrap_or_default();
                let updated = page.updated.map_or_else(|| published.clone(), |u| u.rfc3339());
                FeedEntry {
                    title: &page.title,
                    permalink: site.urls.permalink(&page.path),
                    published,
                    updated,
                    summary: &page.summary,
                }
            })
            .collect();
        let updated = feed
            .entries
            .iter()
            .filter_map(|&id| site.pages[id].updated.or(site.pages[id].date))
            .max_by_key(|moment| moment.at)
            .map_or_else(
                || format!("{}T00:00:00Z", site.today.format("%Y-%m-%d")),
                |moment| moment.rfc3339(),
            );
        let mut context = JobContext::new();
        context.insert("site", &self.site_value);
        context.insert(
            "feed",
            &json!({
                "title": feed.title,
                "url": site.urls.permalink(&feed.path),
                "alternate": site.urls.permalink(&feed.alternate),
                "updated": updated,
                "entries": entries,
            }),
        );
        context
    }

    fn sitemap_context(&self) -> JobContext {
        let site = self.site;
        let date = |page: &Page| page.updated.or(page.date).map(|d| d.date().to_string());
        let mut entries = vec![SitemapEntry {
            loc: site.urls.permalink(""),
            lastmod: None,
        }];
        for listing in &site.listings.listings {
            let lastmod = listing.items.iter().filter_map(|&p| date(&site.pages[p])).max();
            entries.push(SitemapEntry {
                loc: site.urls.permalink(&listing.path),
                lastmod,
            });
        }
        for index in &site.listings.year_indexes {
            entries.push(SitemapEntry {
                loc: site.urls.permalink(&index.path),
                lastmod: None,
            });
        }
        if !site.listings.topics.is_empty() {
            entries.push(SitemapEntry {
                loc: site.urls.permalink(&format!("{TOPICS_DIR}/")),
                lastmod: None,
            });
        }
        for page in site.pages.iter().filter(|p| is_current(p)) {
            entries.push(SitemapEntry {
                loc: site.urls.permalink(&page.path),
                lastmod: date(page),
            });
        }
        let mut context = JobContext::new();
        context.insert("entries", &entries);
        context
    }

    fn page_context(&self, id: PageId) -> JobContext {
        let site = self.site;
        let page = &site.pages[id];
        let mut context = self.base_context(
            &page.path,
            self.crumbs(page.section),
            self.section_feed(page.section),
        );
        let back_link = (page.section != HOME).then(|| {
            let section = &site.sections[page.section];
            BackLink {
                text: site.strings.fill("back_to", &[("section", &section.title)]),
                url: site.urls.path(&section.path),
            }
        });
        let year_news = site.listings.summary_year.get(&id).map(|&y| {
            let year = &site.listings.years[y];
            Link {
                title: site
                    .strings
                    .fill("year_archive_title", &[("year", &year.year.to_string())]),
                url: site.urls.path(&year.path),
            }
        });
        let view = PageView {
            title: &page.title,
            url: site.urls.path(&page.path),
            permalink: site.urls.permalink(&page.path),
            kind: page.kind,
            date: page.date.map(|d| d.date().to_string()),
            updated: page.updated.map(|u| Updated {
                iso: u.iso(),
                text: u.compact(),
            }),
            summary: &page.summary,
            lead: page.lead.as_deref(),
            content: &page.content,
            tags: self.topics(page),
            image: page.image.as_ref(),
            archive_notice: page.lifecycle.notice(&site.strings),
            year: page.year,
            year_news,
            period: page.period.as_deref(),
            owner: page.owner.as_ref(),
            statement: page.statement.as_ref(),
            archived: page.placement.is_archived(),
            draft: page.draft,
            section: self.section_brief(page.section),
            back_link,
            toc: &page.toc,
        };
        context.insert("section", &view.section);
        // The related summaries are moved in after serialising, so they are not copied twice.
        let related: Vec<Value> = page
            .related
            .iter()
            .map(|choice| self.summary_value(choice.page))
            .collect();
        let mut page_value = serde_json::to_value(&view).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut page_value {
            map.insert("related".into(), Value::Array(related));
        }
        context.insert_value("page", page_value);
        context
    }

    /// A render error as a diagnostic at the template line that caused it, when it can be found.
    fn template_error(&self, template: &str, error: &tera::Error, origin: &std::path::Path) -> Diagnostic {
        let message = error_chain(error);
        let culprit = message
            .split("error happened in '")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or(template)
            .to_string();
        let variable = message
            .split("Variable `")
            .nth(1)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_string);
        let detail = message.lines().last().unwrap_or(&message).to_string();
        let search_order = std::iter::once(culprit.as_str())
            .chain(std::iter::once(template))
            .chain(self.theme.templates.keys().map(String::as_str));
        if let Some(variable) = &variable {
            for name in search_order {
                let Some(source) = self.theme.templates.get(name) else {
                    continue;
                };
                if let Some(index) = source.text.lines().position(|l| l.contains(variable.as_str())) {
                    return Diagnostic::error(
                        &source.display_path,
                        index + 1,
                        format!(
                            "mallen använder \"{variable}\", som inte finns (till exempel för {})",
                            origin.display()
                        ),
                    )
                    .with_hint(
                        "kontrollera stavningen, eller skydda raden med {% if … %} om värdet kan saknas",
                    );
                }
            }
        }
        let shown = self
            .theme
            .templates
            .get(&culprit)
            .map_or_else(|| PathBuf::from(&culprit), |s| s.display_path.clone());
        Diagnostic::error(
            shown,
            0,
            format!("mallen kunde inte visa {}: {detail}", origin.display()),
        )
        .with_hint("kontrollera mallen; felet gäller alla sidor som använder den")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paginators_show_the_ends_and_the_neighbourhood() {
        assert_eq!(visible_page_numbers(1, 1), vec![1]);
        assert_eq!(visible_page_numbers(1, 4), vec![1, 2, 3, 4]);
        assert_eq!(visible_page_numbers(50, 1000), vec![1, 48, 49, 50, 51, 52, 1000]);
        assert_eq!(visible_page_numbers(1000, 1000), vec![1, 998, 999, 1000]);
    }

    #[test]
    fn pest_positions_are_read() {
        assert_eq!(pest_position("  --> 3:14\n   |"), Some((3, 14)));
        assert_eq!(pest_position("no position"), None);
    }

    #[test]
    fn escapes_the_five_characters_and_nothing_else() {
        assert_eq!(
            escape_html("Barn & unga <3 \"vård\" i 'län' / år"),
            "Barn &amp; unga &lt;3 &quot;vård&quot; i &#39;län&#39; / år"
        );
        assert_eq!(escape_html("åäö"), "åäö");
        assert_eq!(escape_html(">"), "&gt;");
    }

    #[test]
    fn date_filter_formats_swedish_dates() {
        let value = date_sv(&json!("2019-12-13"), &HashMap::new()).unwrap();
        assert_eq!(value, json!("13 december 2019"));
        let moment = date_sv(&json!("2019-12-13T10:00:00+01:00"), &HashMap::new()).unwrap();
        assert_eq!(moment, json!("13 december 2019"));
        assert!(date_sv(&json!("igår"), &HashMap::new()).is_err());
        assert!(date_sv(&json!("2019-13-01"), &HashMap::new()).is_err());
        assert!(date_sv(&json!(" 2019-12-1"), &HashMap::new()).is_err());
    }
}
