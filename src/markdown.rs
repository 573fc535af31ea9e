//! Markdown: a page body rendered once to HTML with pulldown-cmark, with unique heading ids, a table
//! of contents, the first paragraph as plain text, and links to other content files resolved.
//!
//! Link resolution is given to the renderer as a [`LinkResolver`] so this module knows nothing of the
//! site graph; every broken link becomes a diagnostic with the line in the `.md` file. Every link and
//! image URL goes through [`url_policy::check`]; a body with raw HTML is sanitised as a whole
//! ([`RawHtmlPolicy`]), and the final HTML of a body with raw HTML or images is checked for
//! resources from other hosts ([`external`]), all reported at their lines in the file.

use std::collections::HashSet;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::config::Lints;
use crate::diagnostics::{line_of_offset, Diagnostic};
use crate::external::{self, Problem};
use crate::lint;
use crate::raw_html::{RawHtmlPolicy, Runs};
use crate::site::urls::slugify;
use crate::url_policy;

/// Ids the default theme uses itself, which a heading must not take.
const RESERVED_IDS: &[&str] = &["huvudinnehall", "sidhuvud", "sidfot", "relaterade-nyheter"];

/// Turns a link target written in Markdown into the URL to publish.
pub trait LinkResolver {
    /// Resolves `target` (a `.md` path, relative to `from_dir` or, when it starts with `/`, to
    /// `content/`) to the URL of that page or section; `Err` carries a hint for the communicator.
    fn resolve(&self, from_dir: &str, target: &str) -> Result<String, String>;

    /// Whether the site has a static file at `path` (relative to the output root: `bilder/trad.svg`).
    fn has_static(&self, path: &str) -> bool;
}

/// A heading of the body, for a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 2 for `##`, and so on.
    pub level: u8,
    /// The id given to the heading element.
    pub id: String,
    /// The heading's text.
    pub title: String,
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// The headings, in order.
    pub toc: Vec<Heading>,
    /// The text of the first paragraph, for summaries.
    pub first_paragraph: String,
    /// All the text, for related-news scoring.
    pub text: String,
    /// Broken links and other problems, with lines in the file.
    pub diagnostics: Vec<Diagnostic>,
}

/// What a body is rendered with: where it comes from and how links resolve.
pub struct Input<'a> {
    /// The Markdown.
    pub body: &'a str,
    /// The line of the file the body starts on.
    pub body_line: usize,
    /// The file, for diagnostics.
    pub display_path: &'a Path,
    /// The file's directory relative to `content/`.
    pub content_dir: &'a str,
    /// The site's base path (`/barnhalsa/`), prefixed to root-relative links.
    pub base_path: &'a str,
    /// The site's host, to tell links to other web sites.
    pub site_host: &'a str,
    /// The visually hidden text added to links to other web sites.
    pub external_label: &'a str,
    /// The name of the scrollable region around a table, for screen readers.
    pub table_label: &'a str,
    /// Which lints run and how seriously.
    pub lints: &'a Lints,
    /// What raw HTML may contain.
    pub raw_html: &'a RawHtmlPolicy,
    /// The site's `base_url`, which relative URLs resolve against.
    pub site_url: &'a url::Url,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A link or image whose text is being collected until its end event.
struct Open {
    start: usize,
    offset: usize,
    url: String,
    text: String,
    decorative: bool,
    external: bool,
}

/// Renders a body to HTML, resolving links and running the content lints.
pub fn render(input: &Input<'_>, links: &dyn LinkResolver) -> Rendered {
    // Room for the events and the text up front: growing them a step at a time copies them again
    // and again. A page has about one event per 20 bytes of Markdown.
    let mut events: Vec<(Event<'_>, std::ops::Range<usize>)> = Vec::with_capacity(input.body.len() / 20 + 16);
    events.extend(Parser::new_ext(input.body, options()).into_offset_iter());
    let mut rendered = Rendered::default();
    rendered.text.reserve(input.body.len());
    let mut used_ids: HashSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
    let mut in_first_paragraph = None;
    let mut first_paragraph_done = false;
    let mut previous_heading = 1;
    let mut open_link: Option<Open> = None;
    let mut open_image: Option<Open> = None;
    let mut insertions: Vec<(usize, Event<'static>)> = Vec::new();
    let mut raw_html = Runs::default();
    let mut first_image: Option<usize> = None;
    let report = |rendered: &mut Rendered, finding: Option<lint::Finding>, offset: usize| {
        if let Some(finding) = finding {
            let (line, column) = position(input, offset);
            rendered
                .diagnostics
                .extend(input.lints.diagnostic(finding, input.display_path, line, column));
        }
    };

    for index in 0..events.len() {
        let offset = events[index].1.start;
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[index].0 {
            let level = heading_number(*level);
            report(&mut rendered, lint::heading(level, previous_heading), offset);
            previous_heading = level;
            let own_id = id.as_ref().map(|own| own.to_string());
            let title = text_until_end(&events[index + 1..]);
            let wanted = own_id.unwrap_or_else(|| slugify(&title));
            let unique = unique_id(
                if wanted.is_empty() {
                    "rubrik".into()
                } else {
                    wanted
                },
                &mut used_ids,
            );
            if let Event::Start(Tag::Heading { id, attrs, .. }) = &mut events[index].0 {
                *id = Some(CowStr::from(unique.clone()));
                // `## Rubrik {key=value}` writes any attribute, so the raw-HTML rules apply to it.
                let element = format!("h{level}");
                let mut removed = Vec::new();
                attrs.retain(|(name, value)| {
                    let name = name.to_ascii_lowercase();
                    let allowed =
                        input
                            .raw_html
                            .allows_attribute(&element, &name, value.as_deref().unwrap_or(""));
                    if !allowed {
                        removed.push(crate::raw_html::Removed::Attribute {
                            element: element.clone(),
                            attribute: name,
                        });
                    }
                    allowed
                });
                for removed in removed {
                    report_removed(input, &mut rendered, offset, &removed);
                }
            }
            rendered.toc.push(Heading {
                level,
                id: unique,
                title,
            });
            continue;
        }
        match &mut events[index].0 {
            Event::Start(Tag::Link { dest_url, .. }) => {
                let external = is_other_site(dest_url, input.site_host);
                let written = dest_url.to_string();
                if accepted(&written, "länken", input, &mut rendered, offset) {
                    rewrite(dest_url, input, links, &mut rendered, offset);
                }
                open_link = Some(Open {
                    start: index,
                    offset,
                    url: written,
                    text: String::new(),
                    decorative: false,
                    external,
                });
            }
            Event::Start(Tag::Image { dest_url, title, .. }) => {
                let decorative = title.trim().eq_ignore_ascii_case(lint::DECORATIVE);
                if decorative {
                    *title = CowStr::from("");
                }
                let written = dest_url.to_string();
                first_image.get_or_insert(offset);
                if accepted(&written, "bilden", input, &mut rendered, offset) {
                    rewrite(dest_url, input, links, &mut rendered, offset);
                }
                open_image = Some(Open {
                    start: index,
                    offset,
                    url: written,
                    text: String::new(),
                    decorative,
                    external: false,
                });
            }
            Event::End(TagEnd::Image) => {
                if let Some(image) = open_image.take() {
                    report(
                        &mut rendered,
                        lint::image(&image.text, &image.url, image.decorative),
                        image.offset,
                    );
                }
            }
            Event::End(TagEnd::Link) => {
                if let Some(link) = open_link.take() {
                    let has_image = index > link.start + 1
                        && events[link.start + 1..index]
                            .iter()
                            .any(|(e, _)| matches!(e, Event::Start(Tag::Image { .. })));
                    if !has_image || !link.text.trim().is_empty() {
                        report(&mut rendered, lint::link_text(&link.text, &link.url), link.offset);
                    }
                    if link.external {
                        let label = format!(
                            " <span class=\"visually-hidden\">{}</span>",
                            escape(input.external_label)
                        );
                        insertions.push((index, Event::InlineHtml(CowStr::from(label))));
                    }
                }
            }
            Event::Start(Tag::Table(_)) => {
                let wrapper = format!(
                    "<div class=\"table-wrapper\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">",
                    escape(input.table_label)
                );
                insertions.push((index, Event::Html(CowStr::from(wrapper))));
            }
            Event::End(TagEnd::Table) => {
                insertions.push((index + 1, Event::Html(CowStr::from("</div>"))));
            }
            Event::Html(html) | Event::InlineHtml(html) => raw_html.push(index, offset, html),
            Event::Start(Tag::Paragraph) if !first_paragraph_done && in_first_paragraph.is_none() => {
                in_first_paragraph = Some(String::new());
            }
            Event::End(TagEnd::Paragraph) if in_first_paragraph.is_some() => {
                rendered.first_paragraph = in_first_paragraph.take().unwrap_or_default().trim().to_string();
                first_paragraph_done = true;
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(paragraph) = in_first_paragraph.as_mut() {
                    paragraph.push_str(text);
                }
                for open in [open_link.as_mut(), open_image.as_mut()].into_iter().flatten() {
                    open.text.push_str(text);
                }
                rendered.text.push_str(text);
                rendered.text.push(' ');
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(paragraph) = in_first_paragraph.as_mut() {
                    paragraph.push(' ');
                }
            }
            _ => {}
        }
    }
    for (index, event) in insertions.into_iter().rev() {
        events.insert(index, (event, 0..0));
    }
    // Every page's HTML stays in memory until the site is written: no spare capacity. (The text is
    // counted for related news and dropped at once.)
    rendered.html.reserve(input.body.len() + input.body.len() / 4);
    pulldown_cmark::html::push_html(&mut rendered.html, events.into_iter().map(|(event, _)| event));
    if !raw_html.is_empty() {
        for (offset, removed) in raw_html.removals(input.raw_html) {
            report_removed(input, &mut rendered, offset, &removed);
        }
        rendered.html = input.raw_html.sanitise(&rendered.html);
    }
    if let Some(fallback) = raw_html.first_offset().or(first_image) {
        check_resources(input, &mut rendered, fallback);
    }
    rendered.html.shrink_to_fit();
    rendered
}

/// Whether a link or image URL has an accepted scheme; reports it when not.
fn accepted(url: &str, place: &str, input: &Input<'_>, rendered: &mut Rendered, offset: usize) -> bool {
    let Err(rejected) = url_policy::check(url) else {
        return true;
    };
    let (line, column) = position(input, offset);
    rendered.diagnostics.push(
        Diagnostic::error(input.display_path, line, rejected.message(place, url))
            .at_column(column)
            .with_hint(url_policy::HINT),
    );
    false
}

fn report_removed(
    input: &Input<'_>,
    rendered: &mut Rendered,
    offset: usize,
    removed: &crate::raw_html::Removed,
) {
    let (line, column) = position(input, offset);
    let (message, hint) = removed.explain();
    rendered.diagnostics.push(
        Diagnostic::error(input.display_path, line, message)
            .at_column(column)
            .with_hint(hint),
    );
}

/// Reports what the body's final HTML fetches from other hosts, at the line where the URL (or else its
/// host) is written, or at `fallback`, the first raw HTML or image, when neither is written as such.
/// Schemes are not reported again: links, images and raw HTML were checked as they were read.
fn check_resources(input: &Input<'_>, rendered: &mut Rendered, fallback: usize) {
    for found in external::scan(rendered.html.as_bytes(), &[], input.site_url) {
        let host = match &found.problem {
            Problem::OtherHost(host) => host.as_str(),
            _ => "",
        };
        let offset = || {
            [found.url.as_str(), host]
                .into_iter()
                .filter(|text| !text.is_empty())
                .find_map(|text| input.body.find(text))
                .unwrap_or(fallback)
        };
        match &found.problem {
            Problem::OtherHost(_) => {
                let (line, column) = position(input, offset());
                let finding = lint::resource(&found, "HTML-koden");
                rendered.diagnostics.extend(input.lints.diagnostic(
                    finding,
                    input.display_path,
                    line,
                    column,
                ));
            }
            Problem::Unreadable(error) => {
                let (message, hint) = crate::raw_html::Removed::Unreadable(error.clone()).explain();
                let (line, column) = position(input, fallback);
                rendered.diagnostics.push(
                    Diagnostic::error(input.display_path, line, message)
                        .at_column(column)
                        .with_hint(hint),
                );
            }
            Problem::Scheme(_) => {}
        }
    }
}

/// The line and column in the file of a byte offset in the body.
fn position(input: &Input<'_>, offset: usize) -> (usize, usize) {
    let line = input.body_line + line_of_offset(input.body, offset) - 1;
    let line_start = input.body[..offset].rfind('\n').map_or(0, |i| i + 1);
    (line, input.body[line_start..offset].chars().count() + 1)
}

fn rewrite(
    url: &mut CowStr<'_>,
    input: &Input<'_>,
    links: &dyn LinkResolver,
    rendered: &mut Rendered,
    offset: usize,
) {
    match rewrite_url(url, input, links) {
        Ok(Some(new)) => *url = CowStr::from(new),
        Ok(None) => {}
        Err((message, hint)) => {
            let (line, column) = position(input, offset);
            rendered.diagnostics.push(
                Diagnostic::error(input.display_path, line, message)
                    .at_column(column)
                    .with_hint(hint),
            );
        }
    }
}

/// Whether a URL leads to another web site (an http(s) URL on another host than the site's).
fn is_other_site(url: &str, site_host: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .or_else(|| url.strip_prefix("//"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.eq_ignore_ascii_case(site_host)
        }
        None => false,
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn text_until_end(events: &[(Event<'_>, std::ops::Range<usize>)]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text.trim().to_string()
}

fn unique_id(wanted: String, used: &mut HashSet<String>) -> String {
    let mut candidate = wanted.clone();
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{wanted}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

/// Whether a URL names its own scheme (`https:`, `mailto:`, `tel:` …) or host (`//…`).
pub fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    match url.find(':') {
        Some(colon) => {
            let scheme = &url[..colon];
            !scheme.is_empty()
                && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

type UrlError = (String, String);

fn rewrite_url(url: &str, input: &Input<'_>, links: &dyn LinkResolver) -> Result<Option<String>, UrlError> {
    if url.is_empty() || url.starts_with('#') || is_external(url) {
        return Ok(None);
    }
    let (path, fragment) = match url.find('#') {
        Some(index) => (&url[..index], &url[index..]),
        None => (url, ""),
    };
    if path.ends_with(".md") {
        let decoded = percent_decode(path);
        return match links.resolve(input.content_dir, &decoded) {
            Ok(target) => Ok(Some(format!("{target}{fragment}"))),
            Err(hint) => Err((format!("länken pekar på \"{path}\", som inte finns"), hint)),
        };
    }
    if let Some(rest) = path.strip_prefix('/') {
        let file_name = rest.rsplit('/').next().unwrap_or("");
        if file_name.contains('.') && !links.has_static(&percent_decode(rest)) {
            return Err((
                format!("filen \"{path}\" finns inte i static/"),
                "lägg filen i static/ (till exempel static/bilder/namn.jpg för /bilder/namn.jpg) eller rätta sökvägen"
                    .into(),
            ));
        }
        return Ok(Some(format!("{}{rest}{fragment}", input.base_path)));
    }
    Ok(None)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(value) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(value);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Cuts plain text at a word boundary so that it is at most `limit` characters including the "…".
pub fn cut_summary(text: &str, limit: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= limit {
        return text;
    }
    let mut cut = String::new();
    let mut cut_chars = 0;
    for word in text.split(' ') {
        let next_len = cut_chars + usize::from(!cut.is_empty()) + word.chars().count();
        if next_len + 1 > limit {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
        cut_chars = next_len;
    }
    if cut.is_empty() {
        cut = text.chars().take(limit.saturating_sub(1)).collect();
    }
    let cut = cut.trim_end_matches([',', ';', ':', '.', '–', '-', ' ']);
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed;
    impl LinkResolver for Fixed {
        fn resolve(&self, from_dir: &str, target: &str) -> Result<String, String> {
            if target == "finns.md" {
                Ok(format!("/bas/{from_dir}/finns/"))
            } else {
                Err("kontrollera filnamnet".into())
            }
        }

        fn has_static(&self, path: &str) -> bool {
            path == "bilder/trad.svg"
        }
    }

    fn render_body(body: &str) -> Rendered {
        render_with(body, &RawHtmlPolicy::default())
    }

    fn render_with(body: &str, policy: &RawHtmlPolicy) -> Rendered {
        let lints = Lints::default();
        let site_url = url::Url::parse("https://example.se/bas/").unwrap();
        let input = Input {
            body,
            body_line: 5,
            display_path: Path::new("content/a.md"),
            content_dir: "nyheter",
            base_path: "/bas/",
            site_host: "example.se",
            external_label: "(länk till annan webbplats)",
            table_label: "Tabell",
            lints: &lints,
            raw_html: policy,
            site_url: &site_url,
        };
        render(&input, &Fixed)
    }

    #[test]
    fn heading_ids_are_unique_slugs() {
        let out = render_body("## Vad händer?\n\n## Vad händer?\n\n### Nästa år {#eget}\n");
        let ids: Vec<_> = out.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, vec!["vad-hander", "vad-hander-2", "eget"]);
        assert!(out.html.contains("<h2 id=\"vad-hander\">"), "{}", out.html);
    }

    #[test]
    fn content_links_resolve_and_broken_ones_point_at_their_line() {
        let out = render_body("Se [den här](finns.md#del).\n\nOch [den](saknas.md).\n");
        assert!(
            out.html.contains("href=\"/bas/nyheter/finns/#del\""),
            "{}",
            out.html
        );
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].line, 7);
        assert_eq!(out.diagnostics[0].column, 5);
    }

    #[test]
    fn root_links_get_the_base_path_and_external_links_stay() {
        let out = render_body(
            "![Träd](/bilder/trad.svg) [Digg](https://www.digg.se) [e-post](mailto:a@example.se)",
        );
        assert!(out.html.contains("src=\"/bas/bilder/trad.svg\""));
        assert!(out.html.contains("href=\"https://www.digg.se\""));
        assert!(out.html.contains("href=\"mailto:a@example.se\""));
    }

    #[test]
    fn a_root_link_to_a_missing_file_is_an_error() {
        let out = render_body("Text.\n\n![Karta](/bilder/saknas.png) och [rapporten](/dokument/r.pdf).\n");
        assert_eq!(out.diagnostics.len(), 2, "{:?}", out.diagnostics);
        assert!(out.diagnostics[0].message.contains("/bilder/saknas.png"));
        assert_eq!(out.diagnostics[0].line, 7);
    }

    #[test]
    fn tables_footnotes_and_strikethrough() {
        let out = render_body("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gammalt~~ text[^1]\n\n[^1]: Not.\n");
        assert!(out.html.contains(
            "<div class=\"table-wrapper\" role=\"region\" tabindex=\"0\" aria-label=\"Tabell\"><table>"
        ));
        assert!(
            out.html.contains("</table>\n</div>") || out.html.contains("</table></div>"),
            "{}",
            out.html
        );
        assert!(out.html.contains("<del>gammalt</del>"));
        assert!(out.html.contains("footnote"));
    }

    #[test]
    fn first_paragraph_is_plain_text() {
        let out = render_body("## Rubrik\n\nDen **11 december** träffades\nchefer.\n\nAndra stycket.\n");
        assert_eq!(out.first_paragraph, "Den 11 december träffades chefer.");
    }

    #[test]
    fn summary_cut_at_a_word_boundary() {
        let text = "ord ".repeat(100);
        let cut = cut_summary(&text, 160);
        assert!(cut.chars().count() <= 160, "{}", cut.chars().count());
        assert!(cut.ends_with("ord…"));
        assert_eq!(cut_summary("Kort text.", 160), "Kort text.");
        let cut = cut_summary(&"å".repeat(200), 160);
        assert_eq!(cut.chars().count(), 160);
    }

    #[test]
    fn script_event_and_data_links_are_errors_at_their_line_and_never_published() {
        let out = render_body(
            "Text [a](jav&#x61;script:alert(1)) [b](<  VBSCRIPT:x>) ![c](data:image/png;base64,AA).\n\n\
             <script>alert(1)</script>\n\n<img src=\"/bas/a.svg\" alt=\"x\" onerror=\"alert(1)\">\n\n\
             ## Rubrik {onclick=alert(1)}\n",
        );
        let found: Vec<_> = out
            .diagnostics
            .iter()
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert!(
            found
                .iter()
                .any(|(l, m)| *l == 5 && m.contains("\"javascript:\"")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|(l, m)| *l == 5 && m.contains("\"vbscript:\"")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|(l, m)| *l == 5 && m.contains("\"data:\"")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|(l, m)| *l == 7 && m.contains("<script>")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|(l, m)| *l == 9 && m.contains("onerror")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|(l, m)| *l == 11 && m.contains("onclick")),
            "{found:?}"
        );
        assert!(out.diagnostics.iter().all(Diagnostic::is_error));
        let lower = out.html.to_lowercase();
        for never in ["<script", "onerror", "onclick", "alert(1)</"] {
            assert!(!lower.contains(never), "{never} in {}", out.html);
        }
    }

    #[test]
    fn allowed_raw_html_keeps_its_meaning_and_markdown_inside_it() {
        let body = "<details>\n\n<summary>Mer om <abbr title=\"Barn- och ungdomspsykiatri\">BUP</abbr></summary>\n\n\
                    Dold *text* med [kontaktsidan](finns.md).\n\n</details>\n\n\
                    <table>\n<caption>Orter</caption>\n<tr><th scope=\"col\">Ort</th></tr>\n<tr><td>Växjö</td></tr>\n</table>\n\n\
                    | a | b |\n|--:|---|\n| 1 | 2 |\n";
        let out = render_body(body);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        let html = scraper::Html::parse_fragment(&out.html);
        let texts = |css: &str| -> Vec<String> {
            let selector = scraper::Selector::parse(css).unwrap();
            html.select(&selector)
                .map(|e| e.text().collect::<String>())
                .collect()
        };
        assert_eq!(
            texts("details > summary abbr[title='Barn- och ungdomspsykiatri']"),
            vec!["BUP"]
        );
        assert_eq!(texts("details > p > em"), vec!["text"]);
        assert_eq!(
            texts("details a[href='/bas/nyheter/finns/']"),
            vec!["kontaktsidan"]
        );
        assert_eq!(texts("table > caption"), vec!["Orter"]);
        assert_eq!(texts("th[scope=col]"), vec!["Ort"]);
        assert_eq!(
            texts("div.table-wrapper[role=region][tabindex='0'] th[style*='right']"),
            vec!["a"]
        );
    }

    #[test]
    fn sanitising_leaves_the_markup_markdown_generates_alone() {
        let markdown = "## Rubrik {#egen .klass}\n\nText **fet** *kursiv* ~~struken~~ `kod` [länk](https://www.digg.se \"titel\")\n\
                        och ![Träd](/bilder/trad.svg \"titel\") med not[^1].\n\n> citat\n\n1. ett\n2. två\n\n3. tre\n\n\
                        - a\n- b\n\n```rust\nlet x = 1;\n```\n\n---\n\n| a | b |\n|:-:|---|\n| 1 | 2 |\n\n[^1]: Noten.\n";
        let plain = render_body(markdown);
        let with_raw = render_body(&format!("{markdown}\n<abbr title=\"x\">X</abbr>\n"));
        let elements = |html: &str| -> Vec<String> {
            let document = scraper::Html::parse_fragment(html);
            let selector = scraper::Selector::parse("*").unwrap();
            let mut all: Vec<String> = document
                .select(&selector)
                .filter(|e| e.value().name() != "abbr")
                .map(|e| {
                    // The sanitiser writes `text-align:right` for `text-align: right`.
                    let mut attributes: Vec<String> = e
                        .value()
                        .attrs()
                        .map(|(n, v)| format!("{n}={}", v.replace(": ", ":")))
                        .collect();
                    attributes.sort();
                    format!("{} {}", e.value().name(), attributes.join(" "))
                })
                .collect();
            all.retain(|e| !e.starts_with("html") && !e.starts_with("p "));
            all
        };
        assert!(
            with_raw.diagnostics.iter().all(|d| !d.is_error()),
            "{:?}",
            with_raw.diagnostics
        );
        assert_eq!(elements(&plain.html), elements(&with_raw.html));
    }

    #[test]
    fn the_site_setting_allows_more() {
        let body = "<video controls src=\"/bas/film.mp4\"></video>\n";
        let strict = render_body(body);
        assert_eq!(strict.diagnostics.len(), 1, "{:?}", strict.diagnostics);
        assert!(strict.diagnostics[0].message.contains("<video>"));
        assert!(!strict.html.contains("<video"), "{}", strict.html);
        let policy = RawHtmlPolicy::with_extra(&["video".into()], &["controls".into(), "src".into()]);
        let allowed = render_with(body, &policy);
        assert!(allowed.diagnostics.is_empty(), "{:?}", allowed.diagnostics);
        assert!(
            allowed
                .html
                .contains("<video controls=\"\" src=\"/bas/film.mp4\">"),
            "{}",
            allowed.html
        );
    }

    #[test]
    fn resources_from_other_hosts_in_a_body_are_reported_where_they_are_written() {
        let out = render_body("Text.\n\n![Logotyp](https://cdn.example.com/logo.png)\n\n<img src=\"//cdn.example.com/a.png\" alt=\"a\">\n");
        let found: Vec<_> = out
            .diagnostics
            .iter()
            .map(|d| (d.line, d.column, d.message.as_str()))
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!((found[0].0, found[0].1), (7, 12), "{found:?}");
        assert_eq!(found[1].0, 9, "{found:?}");
        assert!(
            found.iter().all(|(_, _, m)| m.contains("annan webbplats")),
            "{found:?}"
        );
    }
}
