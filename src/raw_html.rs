//! Raw HTML in Markdown: which elements and attributes a page may carry, the sanitiser that enforces
//! it (ammonia, an allow-list sanitiser on html5ever) and the report of everything it removes.
//!
//! The default allow-list is what a news page needs (tables, figures, `<details>`, `<abbr>`…) and
//! what notis itself generates from Markdown. `raw_html:` in `site.yaml` adds elements and attributes
//! for a site that needs more; scripts, event-handler attributes (`on…`), `srcdoc` and URLs whose
//! scheme [`crate::url_policy`] rejects are never allowed. What the sanitiser removes is reported as
//! an error at the line it was written on: the writer wrote it for a reason.

use std::collections::{BTreeSet, HashMap, HashSet};

use lol_html::{element, HtmlRewriter, Settings};

use crate::url_policy::{self, Rejected};

/// Elements allowed by default: what Markdown generates and what a news page needs.
pub const DEFAULT_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Attributes allowed on every element.
const GLOBAL_ATTRIBUTES: &[&str] = &["id", "class", "lang", "dir", "title", "role"];

/// Attributes allowed on every element by the start of their name.
const GLOBAL_PREFIXES: &[&str] = &["aria-"];

/// Attributes allowed on particular elements.
const ELEMENT_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("img", &["src", "alt", "width", "height", "loading"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("th", &["colspan", "rowspan", "scope", "headers", "abbr", "style"]),
    ("td", &["colspan", "rowspan", "headers", "style"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("time", &["datetime"]),
    ("data", &["value"]),
    ("q", &["cite"]),
    ("blockquote", &["cite"]),
    ("del", &["cite", "datetime"]),
    ("ins", &["cite", "datetime"]),
    ("details", &["open"]),
    // The scrollable region notis wraps around a table.
    ("div", &["tabindex"]),
];

/// The one CSS property allowed in `style` by default: the alignment Markdown tables write on cells.
const TABLE_ALIGNMENT: &str = "text-align";

/// Elements no setting allows: the site runs no JavaScript.
const NEVER_ELEMENTS: &[&str] = &["script"];

/// Attributes whose value is a URL (or, for the lists, several), checked by [`url_policy::check`].
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "xlink:href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "cite",
    "background",
    "lowsrc",
    "dynsrc",
    "longdesc",
    "codebase",
    "manifest",
    "icon",
];
const URL_LIST_ATTRIBUTES: &[&str] = &["srcset", "imagesrcset", "ping", "archive"];

/// Whether an element can never be allowed: the site runs no JavaScript.
pub fn never_allowed_element(name: &str) -> bool {
    NEVER_ELEMENTS.contains(&name)
}

/// Whether an attribute can never be allowed: event handlers run scripts, `srcdoc` holds a whole
/// document that no sanitiser sees.
pub fn never_allowed_attribute(name: &str) -> bool {
    name.starts_with("on") || name == "srcdoc"
}

/// What raw HTML may contain on one site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawHtmlPolicy {
    elements: BTreeSet<String>,
    extra_attributes: BTreeSet<String>,
}

impl Default for RawHtmlPolicy {
    fn default() -> Self {
        RawHtmlPolicy {
            elements: DEFAULT_ELEMENTS.iter().map(|e| e.to_string()).collect(),
            extra_attributes: BTreeSet::new(),
        }
    }
}

/// Something the sanitiser removes from raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removed {
    /// An element that is not allowed (its content stays, unless it is a script).
    Element(String),
    /// An attribute that is not allowed on the element.
    Attribute {
        /// The element.
        element: String,
        /// The attribute.
        attribute: String,
    },
    /// A URL whose scheme is not accepted.
    Url {
        /// The element.
        element: String,
        /// The attribute.
        attribute: String,
        /// The URL as the browser reads it.
        url: String,
        /// Why.
        rejected: Rejected,
    },
    /// HTML that cannot be read safely.
    Unreadable(String),
}

impl Removed {
    /// The message and hint for the communicator.
    pub fn explain(&self) -> (String, String) {
        const SETTING: &str = "be den som förvaltar webbplatsen att tillåta det under raw_html i site.yaml";
        match self {
            Removed::Element(name) if never_allowed_element(name) => (
                format!("HTML-elementet <{name}> tas bort: webbplatsen kör ingen JavaScript"),
                "ta bort skriptet; behöver sidan något interaktivt, länka till en sida som har det".into(),
            ),
            Removed::Element(name) => (
                format!("HTML-elementet <{name}> är inte tillåtet och tas bort"),
                format!(
                    "skriv innehållet med Markdown, eller {SETTING} (raw_html: {{ elements: [{name}] }})"
                ),
            ),
            Removed::Attribute { element, attribute } if never_allowed_attribute(attribute) => (
                format!("attributet {attribute} på <{element}> tas bort: det kan köra skript"),
                "ta bort attributet; webbplatsen kör ingen JavaScript".into(),
            ),
            Removed::Attribute { element, attribute } => (
                format!("attributet {attribute} på <{element}> är inte tillåtet och tas bort"),
                format!("ta bort attributet, eller {SETTING} (raw_html: {{ attributes: [{attribute}] }})"),
            ),
            Removed::Url {
                element,
                attribute,
                url,
                rejected,
            } => (
                rejected.message(&format!("adressen i <{element} {attribute}>"), url),
                url_policy::HINT.into(),
            ),
            Removed::Unreadable(error) => (
                format!("HTML-koden går inte att tolka säkert ({error})"),
                "kontrollera att taggarna är hela och rätt stängda, eller skriv innehållet med Markdown"
                    .into(),
            ),
        }
    }
}

/// A removal found in raw HTML, at a byte offset in the text that was checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// Where the element starts.
    pub offset: usize,
    /// What is removed.
    pub removed: Removed,
}

impl RawHtmlPolicy {
    /// The default policy with `elements` and `attributes` (allowed on every element) added. Names
    /// are lower-cased; the caller has already refused the ones that can never be allowed.
    pub fn with_extra(elements: &[String], attributes: &[String]) -> RawHtmlPolicy {
        let mut policy = RawHtmlPolicy::default();
        policy
            .elements
            .extend(elements.iter().map(|e| e.to_ascii_lowercase()));
        policy
            .extra_attributes
            .extend(attributes.iter().map(|a| a.to_ascii_lowercase()));
        policy
    }

    /// Whether raw HTML may contain the element.
    pub fn allows_element(&self, element: &str) -> bool {
        !never_allowed_element(element) && self.elements.contains(element)
    }

    /// Whether the attribute may stay on the element with this value (its URL is checked apart).
    pub fn allows_attribute(&self, element: &str, attribute: &str, value: &str) -> bool {
        if never_allowed_attribute(attribute) {
            return false;
        }
        let listed = GLOBAL_ATTRIBUTES.contains(&attribute)
            || GLOBAL_PREFIXES.iter().any(|p| attribute.starts_with(p))
            || self.extra_attributes.contains(attribute)
            || ELEMENT_ATTRIBUTES
                .iter()
                .any(|(e, names)| *e == element && names.contains(&attribute));
        if attribute == "style" && !self.allows_style() {
            return listed && only_alignment(value);
        }
        listed
    }

    /// Whether the site allows CSS of its own (`style` attributes or elements).
    fn allows_style(&self) -> bool {
        self.extra_attributes.contains("style") || self.elements.contains("style")
    }

    /// Everything the sanitiser will remove from `html`, a run of raw HTML as written.
    pub fn removals(&self, html: &str) -> Vec<Removal> {
        let mut found = Vec::new();
        let settings = Settings::new().append_element_content_handler(element!("*", |el| {
            let offset = el.source_location().bytes().start;
            let element = el.tag_name();
            if !self.allows_element(&element) {
                found.push(Removal {
                    offset,
                    removed: Removed::Element(element),
                });
                return Ok(());
            }
            for attribute in el.attributes() {
                let name = attribute.name();
                let value = htmlize::unescape_attribute(attribute.value()).into_owned();
                let removed = if !self.allows_attribute(&element, &name, &value) {
                    Some(Removed::Attribute {
                        element: element.clone(),
                        attribute: name,
                    })
                } else {
                    rejected_url(&name, &value).map(|(url, rejected)| Removed::Url {
                        element: element.clone(),
                        attribute: name,
                        url,
                        rejected,
                    })
                };
                found.extend(removed.map(|removed| Removal { offset, removed }));
            }
            Ok(())
        }));
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        if let Err(error) = rewriter.write(html.as_bytes()).and_then(|()| rewriter.end()) {
            found.push(Removal {
                offset: 0,
                removed: Removed::Unreadable(error.to_string()),
            });
        }
        found
    }

    /// `html` (a whole rendered body) with everything this policy does not allow removed.
    pub fn sanitise(&self, html: &str) -> String {
        let mut builder = ammonia::Builder::empty();
        let mut attributes: HashMap<&str, HashSet<&str>> = HashMap::new();
        for (element, names) in ELEMENT_ATTRIBUTES {
            attributes.entry(element).or_default().extend(names.iter());
        }
        let mut clean_content: HashSet<&str> = ["script", "style"].into();
        clean_content.retain(|e| !self.allows_element(e));
        attributes.retain(|element, _| !clean_content.contains(element));
        builder
            .tags(
                self.elements
                    .iter()
                    .map(String::as_str)
                    .filter(|e| self.allows_element(e))
                    .collect(),
            )
            .clean_content_tags(clean_content)
            .generic_attributes(
                GLOBAL_ATTRIBUTES
                    .iter()
                    .copied()
                    .chain(self.extra_attributes.iter().map(String::as_str))
                    .filter(|a| !never_allowed_attribute(a))
                    .collect(),
            )
            .generic_attribute_prefixes(GLOBAL_PREFIXES.iter().copied().collect())
            .tag_attributes(attributes)
            .url_schemes(url_policy::ALLOWED_SCHEMES.into())
            .link_rel(None)
            .strip_comments(true)
            .attribute_filter(|_, attribute, value| {
                if never_allowed_attribute(attribute) || rejected_url(attribute, value).is_some() {
                    None
                } else {
                    Some(value.into())
                }
            });
        if !self.allows_style() {
            builder.filter_style_properties([TABLE_ALIGNMENT].into());
        }
        builder.clean(html).to_string()
    }
}

/// The URL in a URL attribute whose scheme is not accepted, with the reason.
fn rejected_url(attribute: &str, value: &str) -> Option<(String, Rejected)> {
    let urls: Vec<&str> = if URL_LIST_ATTRIBUTES.contains(&attribute) {
        value
            .split(|c: char| c == ',' || c.is_ascii_whitespace())
            .filter(|u| !u.is_empty())
            .collect()
    } else if URL_ATTRIBUTES.contains(&attribute) {
        vec![value]
    } else {
        return None;
    };
    urls.into_iter().find_map(|url| {
        url_policy::check(url)
            .err()
            .map(|rejected| (url.to_string(), rejected))
    })
}

/// Whether CSS declarations set nothing but the alignment (`text-align: right`).
fn only_alignment(css: &str) -> bool {
    css.split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .all(|declaration| {
            declaration
                .split_once(':')
                .is_some_and(|(property, _)| property.trim().eq_ignore_ascii_case(TABLE_ALIGNMENT))
        })
}

/// Raw HTML of one body, gathered from the Markdown parser's events: the events of one HTML block
/// (a line each) and neighbouring inline tags make one run, checked as a whole.
#[derive(Debug, Default)]
pub struct Runs {
    runs: Vec<Run>,
    last_event: Option<usize>,
}

#[derive(Debug, Default)]
struct Run {
    text: String,
    /// Where each event's text starts in the run and in the body.
    pieces: Vec<(usize, usize)>,
}

impl Runs {
    /// Adds the raw HTML of event number `event`, which starts at `body_offset` in the body.
    pub fn push(&mut self, event: usize, body_offset: usize, html: &str) {
        let continues = self.last_event.is_some_and(|last| last + 1 == event);
        if !continues || self.runs.is_empty() {
            self.runs.push(Run::default());
        }
        if let Some(run) = self.runs.last_mut() {
            run.pieces.push((run.text.len(), body_offset));
            run.text.push_str(html);
        }
        self.last_event = Some(event);
    }

    /// Whether the body has raw HTML.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// The body offset of the first raw HTML.
    pub fn first_offset(&self) -> Option<usize> {
        self.runs.first().and_then(|run| run.pieces.first()).map(|p| p.1)
    }

    /// What `policy` removes from every run, each with its offset in the body.
    pub fn removals(&self, policy: &RawHtmlPolicy) -> Vec<(usize, Removed)> {
        self.runs
            .iter()
            .flat_map(|run| {
                policy
                    .removals(&run.text)
                    .into_iter()
                    .map(|finding| (run.body_offset(finding.offset), finding.removed))
            })
            .collect()
    }
}

impl Run {
    fn body_offset(&self, offset: usize) -> usize {
        let piece = self
            .pieces
            .iter()
            .rev()
            .find(|(start, _)| *start <= offset)
            .or(self.pieces.first());
        piece.map_or(0, |(start, body)| body + offset.saturating_sub(*start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn removed(html: &str) -> Vec<Removed> {
        RawHtmlPolicy::default()
            .removals(html)
            .into_iter()
            .map(|r| r.removed)
            .collect()
    }

    #[test]
    fn what_a_news_page_needs_stays() {
        let html = "<figure><img src=\"/bilder/a.svg\" alt=\"Träd\" width=\"200\"><figcaption>Ett träd</figcaption></figure>\
                    <p lang=\"en\" class=\"ingress\" aria-describedby=\"x\"><abbr title=\"x\">X</abbr> <time datetime=\"2026-01-01\">1 januari</time></p>\
                    <td style=\"text-align: right\" colspan=\"2\">1</td><a href=\"mailto:a@example.se\">e-post</a>";
        assert_eq!(removed(html), Vec::new());
        let clean = RawHtmlPolicy::default().sanitise(html);
        assert!(clean.contains("<figcaption>Ett träd</figcaption>"), "{clean}");
        assert!(clean.contains("href=\"mailto:a@example.se\""), "{clean}");
    }

    #[test]
    fn scripts_handlers_styles_frames_and_bad_urls_are_removed_and_named() {
        let html = "<script>alert(1)</script><img src=x ONERROR=alert(1)><p style=\"color:red\">r</p>\
                    <iframe src=\"https://www.youtube.com/embed/x\"></iframe><a href=\"java&#x09;script:alert(1)\">a</a>\
                    <td style=\"text-align:left;background:url(//evil.example/x)\">c</td>";
        assert_eq!(
            removed(html),
            vec![
                Removed::Element("script".into()),
                Removed::Attribute {
                    element: "img".into(),
                    attribute: "onerror".into()
                },
                Removed::Attribute {
                    element: "p".into(),
                    attribute: "style".into()
                },
                Removed::Element("iframe".into()),
                Removed::Url {
                    element: "a".into(),
                    attribute: "href".into(),
                    url: "java\tscript:alert(1)".into(),
                    rejected: Rejected {
                        scheme: "javascript".into()
                    },
                },
                Removed::Attribute {
                    element: "td".into(),
                    attribute: "style".into()
                },
            ]
        );
        let clean = RawHtmlPolicy::default().sanitise(html).to_lowercase();
        for gone in ["script", "onerror", "color", "iframe", "javascript", "evil"] {
            assert!(!clean.contains(gone), "{gone} in {clean}");
        }
    }

    #[test]
    fn removals_point_at_the_line_of_a_run_split_over_events() {
        let mut runs = Runs::default();
        runs.push(3, 100, "<div>\n");
        runs.push(4, 110, "<img src=x onerror=alert(1)>\n");
        runs.push(7, 200, "<span>");
        let found = runs.removals(&RawHtmlPolicy::default());
        assert_eq!(
            found,
            vec![(
                110,
                Removed::Attribute {
                    element: "img".into(),
                    attribute: "onerror".into()
                }
            )]
        );
        assert_eq!(runs.first_offset(), Some(100));
    }
}
