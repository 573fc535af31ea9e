//! The external-resource check on parsed HTML: every URL a browser would fetch on its own from
//! another host (attributes, `srcset`, `srcdoc`, inline and `<style>` CSS, `<meta refresh>`,
//! `<base>`, `<a ping>`…), and every URL attribute whose scheme [`crate::url_policy`] rejects.
//!
//! It runs on the final HTML of each Markdown body and of each rendered page, with lol_html, a
//! streaming HTML tokenizer that sees every element and attribute exactly as a browser's tokenizer
//! does. Links (`<a href>`) are not resources: following one is the reader's choice.

use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;

use lol_html::{element, text, HtmlRewriter, Settings};

use crate::url_policy::{self, Rejected};

/// What is wrong with a URL found in HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The browser fetches it from this other host.
    OtherHost(String),
    /// Its scheme is not accepted (`javascript:`, `data:` …).
    Scheme(Rejected),
    /// The HTML could not be read safely, so nothing in it can be vouched for.
    Unreadable(String),
}

/// One URL in HTML that is a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The element, lower case (`img`).
    pub element: String,
    /// The attribute, lower case (`srcset`); `style` for the text of a `<style>` element.
    pub attribute: String,
    /// The URL, with HTML entities decoded.
    pub url: String,
    /// The byte offset of the element's start tag in the scanned HTML.
    pub offset: usize,
    /// What is wrong.
    pub problem: Problem,
}

impl Found {
    /// Whether this is a resource from another host, which the `external_resource` lint governs;
    /// the other problems are always errors.
    pub fn is_external(&self) -> bool {
        matches!(self.problem, Problem::OtherHost(_))
    }

    /// The element and attribute as written in HTML: `<img srcset>`.
    pub fn construct(&self) -> String {
        format!("<{} {}>", self.element, self.attribute)
    }
}

/// How deep `srcdoc` documents inside `srcdoc` documents are followed.
const SRCDOC_DEPTH: usize = 2;

/// Every problem URL in `html`, except in the byte ranges `skip`: parts already checked on their
/// own, which must be balanced HTML ([`scan_fragment`] tells), left out of the stream as if they
/// were not there. `site` is the site's `base_url`, which relative URLs resolve against.
pub fn scan(html: &[u8], skip: &[Range<usize>], site: &url::Url) -> Vec<Found> {
    let mut skips: Vec<Range<usize>> = skip.iter().filter(|r| r.end <= html.len()).cloned().collect();
    skips.sort_by_key(|r| r.start);
    skips.dedup_by(|later, earlier| later.start < earlier.end);
    let mut found = Vec::new();
    scan_into(html, skips, site, SRCDOC_DEPTH, &mut found, None);
    found
}

/// Every problem URL in a fragment of HTML, and whether the fragment is balanced: whether markup
/// after it is read as markup (not as an attribute, a comment or the text of a `<style>`), so it can
/// be left out of a page it is part of.
pub fn scan_fragment(fragment: &str, site: &url::Url) -> (Vec<Found>, bool) {
    let probed = format!("{fragment}<{PROBE}>");
    let mut found = Vec::new();
    let balanced = scan_into(
        probed.as_bytes(),
        Vec::new(),
        site,
        SRCDOC_DEPTH,
        &mut found,
        Some(fragment.len()),
    );
    (found, balanced)
}

/// The element put after a fragment to see whether the tokenizer reads it as an element.
const PROBE: &str = "notis-probe";

/// The bytes of `html` with `skips` (sorted, apart) left out, addressed by their offset in that
/// shorter stream.
struct Stream<'a> {
    html: &'a [u8],
    skips: Vec<Range<usize>>,
}

impl<'a> Stream<'a> {
    /// The offset in `html` of an offset in the stream.
    fn original(&self, offset: usize) -> usize {
        let mut original = offset;
        for skip in &self.skips {
            if original < skip.start {
                break;
            }
            original += skip.len();
        }
        original
    }

    /// The parts of `html` that are read.
    fn parts(&self) -> Vec<&'a [u8]> {
        let mut parts = Vec::with_capacity(self.skips.len() + 1);
        let mut from = 0;
        for skip in &self.skips {
            parts.push(&self.html[from..skip.start]);
            from = skip.end;
        }
        parts.push(&self.html[from..]);
        parts
    }

    fn bytes(&self, range: Range<usize>) -> &'a [u8] {
        let start = self.original(range.start);
        let end = (start + range.len()).min(self.html.len());
        self.html.get(start..end).unwrap_or_default()
    }
}

/// Scans `html` less `skips` into `found`; returns whether an element starts at `probe`.
fn scan_into(
    html: &[u8],
    skips: Vec<Range<usize>>,
    site: &url::Url,
    depth: usize,
    found: &mut Vec<Found>,
    probe: Option<usize>,
) -> bool {
    let stream = Stream { html, skips };
    let probe_seen = std::cell::Cell::new(false);
    let results = RefCell::new(Vec::new());
    let style_text = RefCell::new((String::new(), 0usize));
    let settings = Settings::new()
        .append_element_content_handler(element!("*", |el| {
            // Names and values are read from the input where they stand: a page has hundreds of
            // attributes, and only a few are URLs.
            let start = el.source_location().bytes().start;
            if Some(start) == probe {
                probe_seen.set(true);
                return Ok(());
            }
            let tag = tag_name(stream.bytes(start..start + 64));
            let mut check = Check {
                element: &tag,
                offset: stream.original(start),
                site,
                found: &mut results.borrow_mut(),
            };
            for attribute in el.attributes() {
                let (Some(name), Some(value)) = (
                    attribute.name_source_location(),
                    attribute.value_source_location(),
                ) else {
                    continue;
                };
                let (name, raw) = (stream.bytes(name.bytes()), stream.bytes(value.bytes()));
                if !is_interesting(name, raw) {
                    continue;
                }
                let name = lower(name);
                let raw = String::from_utf8_lossy(raw);
                let value = htmlize::unescape_attribute(raw.as_ref());
                check.attribute(&name, &value, el, depth);
            }
            if tag == "meta" {
                check.refresh(el);
            }
            Ok(())
        }))
        .append_element_content_handler(text!("style", |chunk| {
            let mut text = style_text.borrow_mut();
            if text.0.is_empty() {
                text.1 = stream.original(chunk.source_location().bytes().start);
            }
            text.0.push_str(chunk.as_str());
            if chunk.last_in_text_node() {
                let css = htmlize::unescape(text.0.as_str()).into_owned();
                let mut results = results.borrow_mut();
                for url in css_urls(&css) {
                    if let Some(host) = url_policy::other_host(&url, site) {
                        results.push(Found {
                            element: "style".into(),
                            attribute: "style".into(),
                            url,
                            offset: text.1,
                            problem: Problem::OtherHost(host),
                        });
                    }
                }
                text.0.clear();
            }
            Ok(())
        }));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    let written = stream
        .parts()
        .into_iter()
        .try_for_each(|part| rewriter.write(part))
        .and_then(|()| rewriter.end());
    let mut results = results.into_inner();
    if let Err(error) = written {
        results.push(Found {
            element: String::new(),
            attribute: String::new(),
            url: String::new(),
            offset: 0,
            problem: Problem::Unreadable(error.to_string()),
        });
    }
    found.append(&mut results);
    probe_seen.get()
}

/// The lower-case tag name at the start of a start tag (`<IMG src=…>` → `img`).
fn tag_name(start_tag: &[u8]) -> Cow<'_, str> {
    let name = start_tag.get(1..).unwrap_or_default();
    let end = name
        .iter()
        .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
        .unwrap_or(name.len());
    lower(&name[..end])
}

/// ASCII bytes in lower case, borrowed when they already are.
fn lower(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) if !text.bytes().any(|b| b.is_ascii_uppercase()) => Cow::Borrowed(text),
        _ => Cow::Owned(String::from_utf8_lossy(bytes).to_ascii_lowercase()),
    }
}

/// Attributes that hold one URL the browser fetches by itself.
const RESOURCE_ATTRIBUTES: &[&str] = &[
    "src",
    "lowsrc",
    "dynsrc",
    "poster",
    "background",
    "action",
    "formaction",
    "codebase",
    "manifest",
    "icon",
];

/// Attributes that hold several fetched URLs (with descriptors such as `2x` in `srcset`).
const RESOURCE_LISTS: &[&str] = &["srcset", "imagesrcset", "ping", "archive"];

/// Attributes that hold a URL the browser does not fetch by itself, whose scheme still matters.
const LINK_ATTRIBUTES: &[&str] = &["cite", "longdesc"];

/// `rel` values of `<link>` that name a related page without fetching it.
const NAVIGATION_RELS: &[&str] = &[
    "alternate",
    "author",
    "bookmark",
    "canonical",
    "help",
    "license",
    "me",
    "next",
    "prev",
    "search",
];

/// Whether an attribute may hold a URL: by its name, or because its value has `url(` or an entity
/// that may spell one. Called for every attribute of a page, so it looks at the bytes as they are.
fn is_interesting(name: &[u8], raw: &[u8]) -> bool {
    let mut lower = [0u8; 12];
    let named = name.len() <= lower.len() && {
        for (l, b) in lower.iter_mut().zip(name) {
            *l = b.to_ascii_lowercase();
        }
        let lower = &lower[..name.len()];
        ["href", "xlink:href", "data", "style", "srcdoc"]
            .iter()
            .chain(RESOURCE_ATTRIBUTES)
            .chain(RESOURCE_LISTS)
            .chain(LINK_ATTRIBUTES)
            .any(|n| n.as_bytes() == lower)
    };
    named
        || memchr::memchr(b'&', raw).is_some()
        || (memchr::memchr(b'(', raw).is_some() && raw.windows(4).any(|w| w.eq_ignore_ascii_case(b"url(")))
}

/// The checks of one element's attributes.
struct Check<'a> {
    element: &'a str,
    offset: usize,
    site: &'a url::Url,
    found: &'a mut Vec<Found>,
}

impl Check<'_> {
    fn attribute(
        &mut self,
        name: &str,
        value: &str,
        element: &lol_html::html_content::Element<'_, '_>,
        depth: usize,
    ) {
        match name {
            "style" => self.css(name, value),
            "srcdoc" if depth > 0 => {
                let mut inner = Vec::new();
                scan_into(
                    value.as_bytes(),
                    Vec::new(),
                    self.site,
                    depth - 1,
                    &mut inner,
                    None,
                );
                for found in inner {
                    self.found.push(Found {
                        offset: self.offset,
                        ..found
                    });
                }
            }
            "href" | "xlink:href" => {
                self.scheme(name, value);
                let fetched = match self.element {
                    "a" | "area" => false,
                    "link" => !element.get_attribute("rel").is_some_and(|rel| {
                        let rel = rel.to_ascii_lowercase();
                        let mut rels = rel.split_ascii_whitespace().peekable();
                        rels.peek().is_some() && rels.all(|r| NAVIGATION_RELS.contains(&r))
                    }),
                    _ => true,
                };
                if fetched {
                    self.host(name, value);
                }
            }
            "data" if self.element == "object" => {
                self.scheme(name, value);
                self.host(name, value);
            }
            _ if RESOURCE_ATTRIBUTES.contains(&name) => {
                self.scheme(name, value);
                self.host(name, value);
            }
            _ if RESOURCE_LISTS.contains(&name) => {
                for url in value.split(|c: char| c == ',' || c.is_ascii_whitespace()) {
                    if !url.is_empty() {
                        self.scheme(name, url);
                        self.host(name, url);
                    }
                }
            }
            _ if LINK_ATTRIBUTES.contains(&name) => self.scheme(name, value),
            _ => {}
        }
        if name != "style" && value.to_ascii_lowercase().contains("url(") {
            self.css(name, value);
        }
    }

    /// `<meta http-equiv="refresh" content="0; url=…">` sends the reader on by itself.
    fn refresh(&mut self, element: &lol_html::html_content::Element<'_, '_>) {
        let is_refresh = element
            .get_attribute("http-equiv")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("refresh"));
        let Some(content) = element.get_attribute("content").filter(|_| is_refresh) else {
            return;
        };
        let content = htmlize::unescape_attribute(content.as_str()).into_owned();
        let Some((_, target)) = content.split_once([';', ',']) else {
            return;
        };
        let target = target.trim_start();
        let target = match target.get(..4) {
            Some(prefix) if prefix.eq_ignore_ascii_case("url=") => &target[4..],
            _ => target,
        };
        let target = target.trim().trim_matches(['"', '\'']);
        self.scheme("content", target);
        self.host("content", target);
    }

    fn css(&mut self, name: &str, css: &str) {
        for url in css_urls(css) {
            self.host(name, &url);
        }
    }

    fn scheme(&mut self, name: &str, url: &str) {
        if let Err(rejected) = url_policy::check(url) {
            self.push(name, url, Problem::Scheme(rejected));
        }
    }

    fn host(&mut self, name: &str, url: &str) {
        if let Some(host) = url_policy::other_host(url, self.site) {
            self.push(name, url, Problem::OtherHost(host));
        }
    }

    fn push(&mut self, name: &str, url: &str, problem: Problem) {
        self.found.push(Found {
            element: self.element.to_string(),
            attribute: name.to_string(),
            url: url.to_string(),
            offset: self.offset,
            problem,
        });
    }
}

/// The URLs in CSS that may be fetched: the argument of every `url(…)` and every quoted string
/// (`@import "…"`, `image-set("…")`), after comments and CSS escapes (`\75rl(`) are removed.
pub fn css_urls(css: &str) -> Vec<String> {
    let css = unescape_css(css);
    let mut urls = Vec::new();
    let lower = css.to_ascii_lowercase();
    let mut rest = 0;
    while let Some(index) = lower[rest..].find("url(") {
        let start = rest + index + 4;
        let argument = css[start..].trim_start();
        if !argument.starts_with(['"', '\'']) {
            let end = argument.find(')').unwrap_or(argument.len());
            urls.push(argument[..end].trim().to_string());
        }
        rest = start;
    }
    urls.extend(quoted_strings(&css));
    urls
}

/// The quoted strings of CSS whose escapes are already decoded.
fn quoted_strings(css: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let mut rest = css;
    while let Some(start) = rest.find(['"', '\'']) {
        let quote = &rest[start..start + 1];
        let inner = &rest[start + 1..];
        let end = inner.find(quote).unwrap_or(inner.len());
        urls.push(inner[..end].to_string());
        rest = inner.get(end + 1..).unwrap_or("");
    }
    urls
}

/// CSS with comments dropped and escapes decoded (`\75 rl(` → `url(`, `\:` → `:`).
fn unescape_css(css: &str) -> String {
    let mut without_comments = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        without_comments.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .find("*/")
            .map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    without_comments.push_str(rest);
    if !without_comments.contains('\\') {
        return without_comments;
    }
    let mut out = String::with_capacity(without_comments.len());
    let mut chars = without_comments.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let mut hex = String::new();
        while hex.len() < 6 && chars.peek().is_some_and(char::is_ascii_hexdigit) {
            hex.extend(chars.next());
        }
        if hex.is_empty() {
            match chars.next() {
                Some('\n') | None => {}
                Some(other) => out.push(other),
            }
        } else {
            if chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
                chars.next();
            }
            let code = u32::from_str_radix(&hex, 16).unwrap_or(0xFFFD);
            out.push(char::from_u32(code).filter(|&c| c != '\0').unwrap_or('\u{FFFD}'));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> url::Url {
        url::Url::parse("https://example.se/barnhalsa/").unwrap()
    }

    fn hosts(html: &str) -> Vec<String> {
        scan(html.as_bytes(), &[], &site())
            .into_iter()
            .map(|f| match &f.problem {
                Problem::OtherHost(host) => format!("{} {}", f.construct(), host),
                other => format!("{} {other:?}", f.construct()),
            })
            .collect()
    }

    #[test]
    fn links_and_own_resources_are_fine() {
        let html = "<a href=\"https://www.digg.se/\">Digg</a><img src=\"/barnhalsa/bilder/a.svg\" alt=\"\">\
                    <link rel=\"canonical\" href=\"https://example.se/barnhalsa/\">\
                    <link rel=\"alternate\" type=\"application/atom+xml\" href=\"https://annan.example/atom.xml\">\
                    <img src=\"https://example.se/bilder/a.svg\" alt=\"\"><p style=\"text-align: right\">x</p>\
                    <a href=\"mailto:a@example.se\">e-post</a><a href=\"tel:+4647000000\">telefon</a>";
        assert_eq!(hosts(html), Vec::<String>::new());
    }

    #[test]
    fn script_urls_in_links_are_found() {
        let found =
            hosts("<a href=\"jav&#x61;script:alert(1)\">x</a><form action=\"data:text/html,x\"></form>");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("<a href> Scheme"), "{found:?}");
    }

    #[test]
    fn offsets_point_at_the_element_even_past_a_skipped_part() {
        let html = "<p>a</p><img src=\"//evil.example/a.png\"><p>b</p><img src=\"//evil2.example/b.png\">";
        let skip = 8..html.find("<p>b").unwrap();
        let found = scan(html.as_bytes(), &[skip], &site());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].offset, html.find("<img src=\"//evil2").unwrap());
    }

    #[test]
    fn css_urls_are_found_through_comments_escapes_and_quotes() {
        assert_eq!(
            css_urls("a{background:url( \"//x.example/a\" )} @import 'https://y.example/b.css'; b{c:\\75rl(//z.example/c)}"),
            vec!["//z.example/c", "//x.example/a", "https://y.example/b.css"]
        );
        assert_eq!(
            css_urls("/* url(//x.example/a) */ p { color: red }"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn fragments_that_leave_the_tokenizer_inside_something_are_not_balanced() {
        assert!(scan_fragment("<article><h3><a href=\"/a/\">A</a></h3></article>", &site()).1);
        assert!(!scan_fragment("<a href=\"/a/", &site()).1);
        assert!(!scan_fragment("<style>p{}", &site()).1);
        assert!(!scan_fragment("<!-- öppen", &site()).1);
    }
}
