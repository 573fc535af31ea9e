//! Rendering: the site model turned into HTML through the theme's tera templates.
//!
//! Templates are parsed once; each output file is one job with a small context built from the model
//! (the page, its section, breadcrumbs, the menu, strings and data). Jobs run in parallel. Template
//! mistakes become diagnostics pointing at the template file and line.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};
use tera::{Context, Tera};

use crate::config::PageKind;
use crate::diagnostics::Diagnostic;
use crate::i18n::long_date_from_iso;
use crate::markdown::Heading;
use crate::site::urls::output_file;
use crate::site::{Image, Page, PageId, SectionId, Site, HOME};
use crate::theme::Theme;

/// One rendered output file.
#[derive(Debug, Clone)]
pub struct RenderedFile {
    /// Path relative to the output directory (`barnens-basta/samverkan/index.html`).
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// The template of the not-found page.
pub const NOT_FOUND_TEMPLATE: &str = "404.html";

/// Parses the theme's templates, reporting every template with a syntax error.
pub fn templates(theme: &Theme, base_path: &str) -> Result<Tera, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    for (name, source) in &theme.templates {
        if let Err(error) = tera::Template::new(name, None, &source.text) {
            let message = error_chain(&error);
            let (line, column) = pest_position(&message).unwrap_or((0, 0));
            let summary = message
                .lines()
                .rev()
                .find(|l| l.trim_start().starts_with('='))
                .map_or_else(
                    || message.lines().next().unwrap_or("").to_string(),
                    |l| l.trim_start_matches([' ', '=']).to_string(),
                );
            problems.push(
                Diagnostic::error(&source.display_path, line, format!("fel i mallen: {summary}"))
                    .at_column(column)
                    .with_hint("kontrollera att varje {% … %} och {{ … }} är stängd och att block avslutas med endblock"),
            );
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    if let Err(error) =
        tera.add_raw_templates(theme.templates.iter().map(|(n, s)| (n.as_str(), s.text.as_str())))
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

/// Escapes the five characters that matter in HTML text and attributes; unlike tera's default it
/// leaves `/` alone, so URLs stay readable in the output.
fn escape_html(input: &str) -> String {
    let mut escaped = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
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
    url: Option<String>,
}

#[derive(Serialize)]
struct Updated {
    iso: String,
    text: String,
}

#[derive(Serialize)]
struct PageSummary<'a> {
    title: &'a str,
    url: String,
    kind: PageKind,
    date: Option<String>,
    summary: &'a str,
    tags: Vec<TopicView<'a>>,
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
    period: Option<&'a str>,
    owner: Option<&'a str>,
    draft: bool,
    section: Value,
    back_link: Option<BackLink>,
    related: Vec<PageSummary<'a>>,
    toc: &'a [Heading],
}

struct Renderer<'a> {
    site: &'a Site,
    tera: &'a Tera,
    theme: &'a Theme,
    site_value: Value,
}

enum Job {
    Section(SectionId),
    Page(PageId),
    NotFound,
}

/// Renders every page, section and the not-found page.
pub fn render_site(site: &Site, theme: &Theme, tera: &Tera) -> Result<Vec<RenderedFile>, Vec<Diagnostic>> {
    let site_value = json!({
        "title": site.config.title,
        "description": site.config.description,
        "organisation": site.config.organisation,
        "base_url": site.config.base_url,
        "base_path": site.config.base_path,
        "language": site.config.language,
        "home_url": site.urls.path(""),
        "feed_url": Value::Null,
    });
    let renderer = Renderer {
        site,
        tera,
        theme,
        site_value,
    };
    let jobs: Vec<Job> = (0..site.sections.len())
        .map(Job::Section)
        .chain((0..site.pages.len()).map(Job::Page))
        .chain(theme.has_template(NOT_FOUND_TEMPLATE).then_some(Job::NotFound))
        .collect();
    let results: Vec<Result<RenderedFile, Diagnostic>> =
        jobs.par_iter().map(|job| renderer.render(job)).collect();
    let mut files = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(problem) => {
                let seen = problems
                    .iter()
                    .any(|p: &Diagnostic| p.path == problem.path && p.line == problem.line);
                if !seen {
                    problems.push(problem);
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}

impl Renderer<'_> {
    fn render(&self, job: &Job) -> Result<RenderedFile, Diagnostic> {
        let (path, template, context, origin) = match *job {
            Job::Section(id) => {
                let section = &self.site.sections[id];
                let origin = section
                    .display_path
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("content"));
                (
                    section.path.clone(),
                    section.template.as_str(),
                    self.section_context(id),
                    origin,
                )
            }
            Job::Page(id) => {
                let page = &self.site.pages[id];
                (
                    page.path.clone(),
                    page.template.as_str(),
                    self.page_context(id),
                    page.display_path.clone(),
                )
            }
            Job::NotFound => {
                let mut context = self.base_context(NOT_FOUND_TEMPLATE, &[]);
                context.insert("breadcrumbs", &Vec::<Link>::new());
                (
                    NOT_FOUND_TEMPLATE.to_string(),
                    NOT_FOUND_TEMPLATE,
                    context,
                    PathBuf::from("404.html"),
                )
            }
        };
        match self.tera.render(template, &context) {
            Ok(html) => Ok(RenderedFile {
                path: output_file(&path),
                bytes: html.into_bytes(),
            }),
            Err(error) => Err(self.template_error(template, &error, &origin)),
        }
    }

    fn base_context(&self, current_path: &str, chain: &[SectionId]) -> Context {
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
        let mut context = Context::new();
        context.insert("site", &site_value);
        context.insert("strings", &site.strings);
        context.insert("data", &site.data);
        context.insert("current_url", &site.urls.path(current_path));
        let breadcrumbs: Vec<Link> = chain
            .iter()
            .map(|&id| {
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
            .collect();
        context.insert("breadcrumbs", &breadcrumbs);
        context
    }

    fn summary<'a>(&self, page: &'a Page) -> PageSummary<'a> {
        PageSummary {
            title: &page.title,
            url: self.site.urls.path(&page.path),
            kind: page.kind,
            date: page.date.map(|d| d.date().format("%Y-%m-%d").to_string()),
            summary: &page.summary,
            tags: topics(page),
            image: page.image.as_ref(),
        }
    }

    fn section_brief(&self, id: SectionId) -> Value {
        let section = &self.site.sections[id];
        json!({
            "title": section.title,
            "url": self.site.urls.path(&section.path),
            "summary": section.summary,
        })
    }

    fn section_context(&self, id: SectionId) -> Context {
        let site = self.site;
        let section = &site.sections[id];
        let mut chain = site.section_chain(id);
        chain.pop();
        let mut context = self.base_context(&section.path, &chain);
        let pages: Vec<PageSummary> = section
            .pages
            .iter()
            .map(|&p| self.summary(&site.pages[p]))
            .collect();
        let subsections: Vec<Value> = section
            .subsections
            .iter()
            .map(|&s| self.section_brief(s))
            .collect();
        context.insert(
            "section",
            &json!({
                "title": section.title,
                "url": site.urls.path(&section.path),
                "permalink": site.urls.permalink(&section.path),
                "summary": section.summary,
                "lead": section.lead,
                "content": section.content,
                "pages": pages,
                "subsections": subsections,
            }),
        );
        if id == HOME {
            let latest: Vec<PageSummary> = site
                .latest_news
                .iter()
                .map(|&p| self.summary(&site.pages[p]))
                .collect();
            context.insert("latest_news", &latest);
            context.insert("news_section", &site.news_section.map(|s| self.section_brief(s)));
        }
        context
    }

    fn page_context(&self, id: PageId) -> Context {
        let site = self.site;
        let page = &site.pages[id];
        let chain = site.section_chain(page.section);
        let mut context = self.base_context(&page.path, &chain);
        let back_link = (page.section != HOME).then(|| {
            let section = &site.sections[page.section];
            BackLink {
                text: site.strings.fill("back_to", &[("section", &section.title)]),
                url: site.urls.path(&section.path),
            }
        });
        let view = PageView {
            title: &page.title,
            url: site.urls.path(&page.path),
            permalink: site.urls.permalink(&page.path),
            kind: page.kind,
            date: page.date.map(|d| d.date().format("%Y-%m-%d").to_string()),
            updated: page.updated.map(|u| Updated {
                iso: u.iso(),
                text: u.compact(),
            }),
            summary: &page.summary,
            lead: page.lead.as_deref(),
            content: &page.content,
            tags: topics(page),
            image: page.image.as_ref(),
            archive_notice: page.lifecycle.notice(&site.strings),
            year: page.year,
            period: page.period.as_deref(),
            owner: page.owner.as_deref(),
            draft: page.draft,
            section: self.section_brief(page.section),
            back_link,
            related: page
                .related
                .iter()
                .map(|&r| self.summary(&site.pages[r]))
                .collect(),
            toc: &page.toc,
        };
        context.insert("page", &view);
        context.insert("section", &view.section);
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

fn topics(page: &Page) -> Vec<TopicView<'_>> {
    page.topics
        .iter()
        .map(|topic| TopicView {
            name: &topic.name,
            slug: &topic.slug,
            url: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pest_positions_are_read() {
        assert_eq!(pest_position("  --> 3:14\n   |"), Some((3, 14)));
        assert_eq!(pest_position("no position"), None);
    }

    #[test]
    fn date_filter_formats_swedish_dates() {
        let value = date_sv(&json!("2019-12-13"), &HashMap::new()).unwrap();
        assert_eq!(value, json!("13 december 2019"));
        assert!(date_sv(&json!("igår"), &HashMap::new()).is_err());
    }
}
