//! Site configuration: `site.yaml` read into a typed [`SiteConfig`], with every mistake reported.
//!
//! Owns the site-wide settings (title, base URL and its sub-path, language, theme, time zone, menu,
//! UI string overrides) and the per-section settings that `_index.md` files may also set.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use chrono_tz::Tz;

use crate::diagnostics::Diagnostic;
use crate::raw_html::{never_allowed_attribute, never_allowed_element, RawHtmlPolicy};
use crate::yaml::{nested_entries, parse_mapping_recovering, Entry, Fields, Key};

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// The kind of a content page; it chooses the template and which rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    /// A dated news item.
    News,
    /// A yearly summary ("Vad hände 2023 – vad händer 2024?").
    Summary,
    /// A project history page with a period.
    History,
    /// Any other page.
    Page,
    /// The accessibility statement ("Tillgänglighetsredogörelse") required of public-sector sites.
    Accessibility,
}

impl PageKind {
    /// The name used in front matter and template names.
    pub fn name(self) -> &'static str {
        match self {
            PageKind::News => "news",
            PageKind::Summary => "summary",
            PageKind::History => "history",
            PageKind::Page => "page",
            PageKind::Accessibility => "accessibility",
        }
    }

    /// Parses a kind, accepting the Swedish names too.
    pub fn parse(text: &str) -> Option<PageKind> {
        match text.trim().to_lowercase().as_str() {
            "news" | "nyhet" => Some(PageKind::News),
            "summary" | "sammanfattning" | "årssammanfattning" => Some(PageKind::Summary),
            "history" | "historik" => Some(PageKind::History),
            "page" | "sida" => Some(PageKind::Page),
            "accessibility" | "tillgänglighetsredogörelse" => Some(PageKind::Accessibility),
            _ => None,
        }
    }
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Newest first (the default).
    #[default]
    Date,
    /// Alphabetically in Swedish order.
    Title,
    /// By the pages' `weight`, then title.
    Weight,
}

/// Settings of one section, from `site.yaml` or the section's `_index.md`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SectionSettings {
    /// How pages are ordered.
    pub sort: Option<SortOrder>,
    /// How many pages one listing page shows.
    pub page_size: Option<usize>,
    /// The kind of pages that set none.
    pub default_kind: Option<PageKind>,
    /// Months after publication or update when pages are archived.
    pub archive_after_months: Option<u32>,
    /// Months after publication or update when pages are due for review.
    pub review_after_months: Option<u32>,
}

impl SectionSettings {
    /// The keys these settings are read from.
    pub const KEYS: [Key; 5] = [
        Key {
            name: "sort",
            aliases: &["sortering"],
        },
        Key {
            name: "page_size",
            aliases: &["per_sida"],
        },
        Key {
            name: "default_kind",
            aliases: &["standardtyp"],
        },
        Key {
            name: "archive_after_months",
            aliases: &["arkiveras_efter_manader"],
        },
        Key {
            name: "review_after_months",
            aliases: &["granskas_efter_manader"],
        },
    ];

    /// Reads the settings from resolved fields, reporting wrong values.
    pub fn read(fields: &mut Fields) -> SectionSettings {
        let sort = fields.text("sort", "date").and_then(|text| match text.as_str() {
            "date" | "datum" => Some(SortOrder::Date),
            "title" | "titel" => Some(SortOrder::Title),
            "weight" | "vikt" => Some(SortOrder::Weight),
            other => {
                fields.error(
                    "sort",
                    format!("okänd sortering \"{other}\""),
                    "välj date (nyast först), title (bokstavsordning) eller weight",
                );
                None
            }
        });
        let page_size = fields.integer("page_size", 1..=1000, "10").map(|n| n as usize);
        let default_kind = fields.text("default_kind", "news").and_then(|text| {
            let kind = PageKind::parse(&text);
            if kind.is_none() {
                fields.error("default_kind", format!("okänd sidtyp \"{text}\""), KIND_HINT);
            }
            kind
        });
        let archive_after_months = fields
            .integer("archive_after_months", 1..=1200, "24")
            .map(|n| n as u32);
        let review_after_months = fields
            .integer("review_after_months", 1..=1200, "12")
            .map(|n| n as u32);
        SectionSettings {
            sort,
            page_size,
            default_kind,
            archive_after_months,
            review_after_months,
        }
    }

    /// These settings, with unset values taken from `fallback`.
    pub fn or(&self, fallback: &SectionSettings) -> SectionSettings {
        SectionSettings {
            sort: self.sort.or(fallback.sort),
            page_size: self.page_size.or(fallback.page_size),
            default_kind: self.default_kind.or(fallback.default_kind),
            archive_after_months: self.archive_after_months.or(fallback.archive_after_months),
            review_after_months: self.review_after_months.or(fallback.review_after_months),
        }
    }
}

/// The hint given for an unknown page kind.
pub const KIND_HINT: &str =
    "välj news (nyhet), summary (årssammanfattning), history (historik), page (sida) \
                             eller accessibility (tillgänglighetsredogörelse)";

/// One entry of the main menu, as written in `site.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct MenuEntry {
    /// A content path: a section directory (`natverket`) or a page file (`kontakt.md`).
    pub path: String,
    /// The line in `site.yaml`, for errors found when the path is resolved.
    pub line: usize,
}

/// A UI string override from `site.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct StringOverride {
    /// The text.
    pub text: String,
    /// The line in `site.yaml`, for unknown keys found when the theme's strings are known.
    pub line: usize,
}

/// The whole site configuration.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// The site's name, shown in the header and in every `<title>`.
    pub title: String,
    /// Absolute URL of the site's root, always ending with `/`.
    pub base_url: String,
    /// The path part of `base_url`, starting and ending with `/` (`/` or `/barnhalsa/`).
    pub base_path: String,
    /// The language of the site (`sv`).
    pub language: String,
    /// The theme's directory name under `themes/`.
    pub theme: String,
    /// The time zone dates and times are shown in.
    pub timezone: Tz,
    /// A description of the site for search engines.
    pub description: Option<String>,
    /// The organisation behind the site, shown in the footer.
    pub organisation: Option<String>,
    /// The content path of the section that holds the news.
    pub news_section: String,
    /// The main menu, if the site chooses its entries.
    pub menu: Option<Vec<MenuEntry>>,
    /// UI string overrides by key.
    pub strings: BTreeMap<String, StringOverride>,
    /// Per-section settings by the section's content path.
    pub sections: BTreeMap<String, (SectionSettings, usize)>,
    /// How many related pages a news item lists.
    pub related_count: usize,
    /// How many entries a feed holds.
    pub feed_size: usize,
    /// What happens to a page on its archive date.
    pub archive_policy: ArchivePolicy,
    /// Show the archive notice only this many days before the date (always when unset).
    pub archive_notice_days: Option<u32>,
    /// Months after publication or update when pages of a kind are archived.
    pub archive_after_months: BTreeMap<PageKind, u32>,
    /// Months after publication or update when pages are due for review.
    pub review_after_months: Option<u32>,
    /// The owner given to new pages and to pages that name none.
    pub owner: Option<Owner>,
    /// How seriously each content lint is taken.
    pub lints: Lints,
    /// What raw HTML in Markdown may contain (`raw_html:`).
    pub raw_html: RawHtmlPolicy,
}

/// How a content lint is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LintLevel {
    /// Not checked.
    Off,
    /// Reported; the build goes on.
    Warning,
    /// Reported; the build fails.
    Error,
}

/// The content lints and their levels, set under `lints:` in `site.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lints {
    /// An image without alternative text (unless marked decorative).
    pub image_alt_missing: LintLevel,
    /// Alternative text that is the file name or starts with "Bild av"/"Bild på".
    pub image_alt_quality: LintLevel,
    /// Link text such as "Läs mer", "Klicka här", "här" or a bare URL.
    pub link_text: LintLevel,
    /// A heading level skipped in the body (## followed by ####).
    pub heading_skip: LintLevel,
    /// A `#` heading in the body: a second h1 after the page title.
    pub heading_h1: LintLevel,
    /// An image, script, frame or style loaded from another host (privacy).
    pub external_resource: LintLevel,
}

impl Default for Lints {
    fn default() -> Self {
        Lints {
            image_alt_missing: LintLevel::Error,
            image_alt_quality: LintLevel::Warning,
            link_text: LintLevel::Warning,
            heading_skip: LintLevel::Warning,
            heading_h1: LintLevel::Error,
            external_resource: LintLevel::Error,
        }
    }
}

impl Lints {
    const NAMES: [&'static str; 6] = [
        "image_alt_missing",
        "image_alt_quality",
        "link_text",
        "heading_skip",
        "heading_h1",
        "external_resource",
    ];

    fn level_mut(&mut self, name: &str) -> Option<&mut LintLevel> {
        match name {
            "image_alt_missing" => Some(&mut self.image_alt_missing),
            "image_alt_quality" => Some(&mut self.image_alt_quality),
            "link_text" => Some(&mut self.link_text),
            "heading_skip" => Some(&mut self.heading_skip),
            "heading_h1" => Some(&mut self.heading_h1),
            "external_resource" => Some(&mut self.external_resource),
            _ => None,
        }
    }
}

/// What happens to a page on and after its archive date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ArchivePolicy {
    /// Published under /arkiv/ with a banner; the old URL redirects there (the default).
    #[default]
    Move,
    /// Stays at its URL and in listings, with the banner.
    Keep,
    /// Left out of the site, and reported.
    Drop,
}

/// A page owner ("sidansvarig"): a name and, usually, an e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Owner {
    /// The name or role.
    pub name: String,
    /// The e-mail address.
    pub email: Option<String>,
}

impl Owner {
    /// Parses `Name <e-mail>`, `Name` or a bare e-mail address.
    pub fn parse(text: &str) -> Option<Owner> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if let (Some(open), true) = (text.rfind('<'), text.ends_with('>')) {
            let name = text[..open].trim().to_string();
            let email = text[open + 1..text.len() - 1].trim().to_string();
            let name = if name.is_empty() { email.clone() } else { name };
            return Some(Owner {
                name,
                email: Some(email).filter(|e| !e.is_empty()),
            });
        }
        if text.contains('@') && !text.contains(' ') {
            return Some(Owner {
                name: text.to_string(),
                email: Some(text.to_string()),
            });
        }
        Some(Owner {
            name: text.to_string(),
            email: None,
        })
    }

    /// Whether the e-mail address, if any, looks like one (something@something.tld).
    pub fn has_valid_email(&self) -> bool {
        self.email.as_deref().is_none_or(|e| {
            e.split_once('@')
                .is_some_and(|(user, host)| !user.is_empty() && host.contains('.') && !host.contains(' '))
        })
    }
}

impl std::fmt::Display for Owner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.email {
            Some(email) if *email != self.name => write!(f, "{} <{email}>", self.name),
            _ => write!(f, "{}", self.name),
        }
    }
}

const KEYS: &[Key] = &[
    Key {
        name: "title",
        aliases: &["titel"],
    },
    Key {
        name: "base_url",
        aliases: &[],
    },
    Key {
        name: "language",
        aliases: &["språk"],
    },
    Key {
        name: "theme",
        aliases: &["tema"],
    },
    Key {
        name: "timezone",
        aliases: &["tidszon"],
    },
    Key {
        name: "description",
        aliases: &["beskrivning"],
    },
    Key {
        name: "organisation",
        aliases: &["organization"],
    },
    Key {
        name: "news_section",
        aliases: &["nyhetsavsnitt"],
    },
    Key {
        name: "menu",
        aliases: &["meny"],
    },
    Key {
        name: "strings",
        aliases: &["texter"],
    },
    Key {
        name: "sections",
        aliases: &["avsnitt"],
    },
    Key {
        name: "related_count",
        aliases: &["antal_relaterade"],
    },
    Key {
        name: "feed_size",
        aliases: &["antal_i_flode"],
    },
    Key {
        name: "archive_policy",
        aliases: &["arkivering"],
    },
    Key {
        name: "archive_notice_days",
        aliases: &["arkivvarning_dagar"],
    },
    Key {
        name: "archive_after_months",
        aliases: &["arkiveras_efter_manader"],
    },
    Key {
        name: "review_after_months",
        aliases: &["granskas_efter_manader"],
    },
    Key {
        name: "owner",
        aliases: &["sidansvarig"],
    },
    Key {
        name: "lints",
        aliases: &["kontroller"],
    },
    Key {
        name: "raw_html",
        aliases: &["html"],
    },
];

impl SiteConfig {
    /// Reads `site.yaml` from the site root. All problems are returned together.
    pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let (config, problems) = SiteConfig::load_best_effort(root)?;
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// Reads `site.yaml` as far as it can: the configuration made of the keys that parsed, with
    /// defaults for the rest (and [`PLACEHOLDER_BASE_URL`] when `base_url` is missing or broken), and
    /// every problem. Only a file that cannot be read at all is an `Err`.
    pub fn load_best_effort(root: &Path) -> Result<(SiteConfig, Vec<Diagnostic>), Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(vec![Diagnostic::error(CONFIG_FILE, 0, "site.yaml saknas i webbplatsens katalog")
                    .with_hint("kör kommandot i webbplatsens katalog, ange den med --root, eller skapa en ny webbplats med \"notis init KATALOG\"")]);
            }
            Err(error) => {
                return Err(vec![Diagnostic::error(
                    CONFIG_FILE,
                    0,
                    format!("kan inte läsa filen: {error}"),
                )]);
            }
        };
        Ok(SiteConfig::read(&text))
    }

    /// Parses the text of `site.yaml`.
    pub fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        let (config, problems) = SiteConfig::read(text);
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// The configuration in `text` as far as it can be read, and every problem found.
    fn read(text: &str) -> (SiteConfig, Vec<Diagnostic>) {
        let file = Path::new(CONFIG_FILE);
        let (entries, syntax_errors) = parse_mapping_recovering(text, file, 1);
        // A required key may stand in an entry left out for its syntax error: that error is the one
        // to report.
        let complete = syntax_errors.is_empty();
        let mut fields = Fields::new(file, 1, entries, KEYS);
        for problem in syntax_errors {
            fields.push(problem);
        }

        let title = fields.text("title", "\"Barnhälsa i regionen\"");
        if title.is_none() && !fields.has("title") && complete {
            fields.error(
                "title",
                "webbplatsen saknar \"title\"",
                "lägg till en rad som: title: \"Barnhälsa i regionen\"",
            );
        }
        let base_url = fields.text("base_url", "\"https://example.se/\"");
        let (base_url, base_path) = match base_url {
            Some(url) => match normalise_base_url(&url) {
                Some(pair) => pair,
                None => {
                    fields.error(
                        "base_url",
                        format!("\"{url}\" är ingen fullständig webbadress"),
                        "skriv hela adressen med https://, till exempel https://example.se/barnhalsa/",
                    );
                    placeholder_base_url()
                }
            },
            None => {
                if !fields.has("base_url") && complete {
                    fields.error(
                        "base_url",
                        "webbplatsen saknar \"base_url\"",
                        "lägg till webbplatsens adress, till exempel base_url: \"https://example.se/barnhalsa/\"",
                    );
                }
                placeholder_base_url()
            }
        };
        let language = fields.text("language", "sv").unwrap_or_else(|| "sv".to_string());
        let theme = fields
            .text("theme", "default")
            .unwrap_or_else(|| "default".to_string());
        if theme.contains(['/', '\\']) || theme.starts_with('.') {
            fields.error(
                "theme",
                format!("ogiltigt temanamn \"{theme}\""),
                "ange namnet på en katalog i themes/",
            );
        }
        let timezone = match fields.text("timezone", "Europe/Stockholm") {
            None => chrono_tz::Europe::Stockholm,
            Some(name) => Tz::from_str(&name).unwrap_or_else(|_| {
                fields.error(
                    "timezone",
                    format!("okänd tidszon \"{name}\""),
                    "använd Europe/Stockholm",
                );
                chrono_tz::Europe::Stockholm
            }),
        };
        let description = fields.text("description", "\"Nyheter om barns hälsa\"");
        let organisation = fields.text("organisation", "\"Region Exempel\"");
        let news_section = fields
            .text("news_section", "nyheter")
            .map(|s| s.trim_matches('/').to_string())
            .unwrap_or_else(|| "nyheter".to_string());
        let menu = read_menu(&mut fields, text);
        let lints = read_lints(&mut fields, text);
        let raw_html = read_raw_html(&mut fields, text);
        let strings = read_strings(&mut fields, text);
        let sections = read_sections(&mut fields, text);
        let related_count = fields
            .integer("related_count", 0..=20, "4")
            .map_or(4, |n| n as usize);
        let feed_size = fields
            .integer("feed_size", 1..=1000, "20")
            .map_or(20, |n| n as usize);
        let archive_policy = match fields.text("archive_policy", "move").as_deref() {
            None | Some("move") | Some("flytta") => ArchivePolicy::Move,
            Some("keep") | Some("behall") | Some("behåll") => ArchivePolicy::Keep,
            Some("drop") | Some("ta_bort") => ArchivePolicy::Drop,
            Some(other) => {
                fields.error(
                    "archive_policy",
                    format!("okänd arkivering \"{other}\""),
                    "välj move (flytta till /arkiv/), keep (behåll med banner) eller drop (ta bort)",
                );
                ArchivePolicy::Move
            }
        };
        let archive_notice_days = fields
            .integer("archive_notice_days", 0..=3650, "90")
            .map(|n| n as u32);
        let archive_after_months = read_archive_after(&mut fields, text);
        let review_after_months = fields
            .integer("review_after_months", 1..=1200, "12")
            .map(|n| n as u32);
        let owner = crate::content::front_matter::read_owner(&mut fields);

        let config = SiteConfig {
            title: title.unwrap_or_default(),
            base_url,
            base_path,
            language,
            theme,
            timezone,
            description,
            organisation,
            news_section,
            menu,
            strings,
            sections,
            related_count,
            feed_size,
            archive_policy,
            archive_notice_days,
            archive_after_months,
            review_after_months,
            owner,
            lints,
            raw_html,
        };
        (config, fields.into_diagnostics())
    }

    /// The host of `base_url` (`example.se`).
    pub fn host(&self) -> &str {
        let rest = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, rest)| rest);
        rest.split('/').next().unwrap_or("")
    }

    /// `base_url` parsed, which relative URLs in pages resolve against.
    pub fn site_url(&self) -> url::Url {
        // `base_url` was checked to parse when it was read; a configuration made otherwise falls back
        // to a host no URL can share.
        url::Url::parse(&self.base_url)
            .unwrap_or_else(|_| url::Url::parse("https://invalid.invalid/").expect("a valid URL"))
    }

    /// The same configuration served from another base URL (used by tests and the preview server).
    pub fn with_base_url(mut self, url: &str) -> Option<SiteConfig> {
        let (base_url, base_path) = normalise_base_url(url)?;
        self.base_url = base_url;
        self.base_path = base_path;
        Some(self)
    }
}

/// The base URL a configuration gets when `base_url` is missing or broken: a build with it reports
/// that problem with all the others and publishes nothing.
pub const PLACEHOLDER_BASE_URL: &str = "https://example.invalid/";

fn placeholder_base_url() -> (String, String) {
    (PLACEHOLDER_BASE_URL.to_string(), "/".to_string())
}

/// Splits an absolute base URL into the URL with a trailing slash and its path part.
fn normalise_base_url(url: &str) -> Option<(String, String)> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = match rest.find('/') {
        Some(index) => (&rest[..index], &rest[index..]),
        None => (rest, "/"),
    };
    if host.is_empty() || host.contains(char::is_whitespace) || path.contains(['?', '#', ' ']) {
        return None;
    }
    let path = format!("/{}/", path.trim_matches('/')).replace("//", "/");
    let scheme_len = url.len() - rest.len();
    let base_url = format!("{}{host}{path}", &url[..scheme_len]);
    url::Url::parse(&base_url).ok()?;
    Some((base_url, path))
}

/// The entries of the mapping under `key`, each with its line; `None` when the key is absent, or
/// (with an error) when its value is not a mapping.
fn nested(fields: &mut Fields, text: &str, key: &str, message: &str, hint: &str) -> Option<Vec<Entry>> {
    let value = fields.raw(key)?.clone();
    let serde_yaml::Value::Mapping(mapping) = value else {
        fields.error(key, message, hint);
        return None;
    };
    Some(nested_entries(text, 1, fields.line(key), &mapping))
}

fn read_menu(fields: &mut Fields, text: &str) -> Option<Vec<MenuEntry>> {
    let value = fields.raw("menu")?.clone();
    let line = fields.line("menu");
    let serde_yaml::Value::Sequence(items) = value else {
        fields.error(
            "menu",
            "\"menu\" ska vara en lista",
            "exempel: menu: [natverket, barnens-basta, kontakt.md]",
        );
        return None;
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut entries = Vec::new();
    for item in items {
        let Some(path) = crate::yaml::scalar_text(&item) else {
            fields.error(
                "menu",
                "varje menyval ska vara en sökväg i content/",
                "exempel: - natverket",
            );
            continue;
        };
        let item_line = lines
            .iter()
            .enumerate()
            .skip(line.saturating_sub(1))
            .find(|(_, l)| l.contains(path.as_str()))
            .map_or(line, |(index, _)| index + 1);
        entries.push(MenuEntry {
            path: path.trim_matches('/').to_string(),
            line: item_line,
        });
    }
    Some(entries)
}

fn read_strings(fields: &mut Fields, text: &str) -> BTreeMap<String, StringOverride> {
    let example = "exempel: strings: { more_news: \"Alla nyheter\" }";
    let Some(entries) = nested(
        fields,
        text,
        "strings",
        "\"strings\" ska vara nycklar och texter",
        example,
    ) else {
        return BTreeMap::new();
    };
    let mut strings = BTreeMap::new();
    for Entry { key, value, line } in entries {
        match crate::yaml::scalar_text(&value) {
            Some(text) => {
                strings.insert(key, StringOverride { text, line });
            }
            None => fields.push(
                Diagnostic::error(fields.path(), line, format!("texten \"{key}\" ska vara en text"))
                    .with_hint("exempel: more_news: \"Alla nyheter\""),
            ),
        }
    }
    strings
}

fn read_lints(fields: &mut Fields, text: &str) -> Lints {
    let mut lints = Lints::default();
    let Some(entries) = nested(
        fields,
        text,
        "lints",
        "\"lints\" ska ange en nivå per kontroll",
        "exempel: lints: { link_text: error }",
    ) else {
        return lints;
    };
    for Entry { key, value, line } in entries {
        let level = match crate::yaml::scalar_text(&value).as_deref() {
            Some("off") | Some("av") | Some("false") => Some(LintLevel::Off),
            Some("warning") | Some("varning") => Some(LintLevel::Warning),
            Some("error") | Some("fel") => Some(LintLevel::Error),
            _ => None,
        };
        let Some(slot) = lints.level_mut(&key) else {
            let hint = match crate::diagnostics::did_you_mean(&key, Lints::NAMES) {
                Some(close) => format!("menade du \"{close}\"?"),
                None => format!("kontrollerna heter: {}", Lints::NAMES.join(", ")),
            };
            fields.push(
                Diagnostic::error(fields.path(), line, format!("okänd kontroll \"{key}\"")).with_hint(hint),
            );
            continue;
        };
        match level {
            Some(level) => *slot = level,
            None => fields.push(
                Diagnostic::error(fields.path(), line, format!("okänd nivå för \"{key}\""))
                    .with_hint("välj off, warning eller error"),
            ),
        }
    }
    lints
}

/// `raw_html: { elements: [video, source], attributes: [controls] }`: what raw HTML may contain
/// besides the default allow-list; scripts and event handlers are refused here already.
fn read_raw_html(fields: &mut Fields, text: &str) -> RawHtmlPolicy {
    const EXAMPLE: &str = "exempel: raw_html: { elements: [video, source], attributes: [controls] }";
    let Some(entries) = nested(
        fields,
        text,
        "raw_html",
        "\"raw_html\" ska ange element och attribut",
        EXAMPLE,
    ) else {
        return RawHtmlPolicy::default();
    };
    let mut elements = Vec::new();
    let mut attributes = Vec::new();
    for Entry { key, value, line } in entries {
        let (list, what) = match key.as_str() {
            "elements" | "element" => (&mut elements, "elementet"),
            "attributes" | "attribut" => (&mut attributes, "attributet"),
            _ => {
                let hint = match crate::diagnostics::did_you_mean(&key, ["elements", "attributes"]) {
                    Some(close) => format!("menade du \"{close}\"?"),
                    None => "raw_html har nycklarna elements och attributes".to_string(),
                };
                fields.push(
                    Diagnostic::error(fields.path(), line, format!("okänd nyckel \"{key}\" i raw_html"))
                        .with_hint(hint),
                );
                continue;
            }
        };
        let names: Option<Vec<String>> = match &value {
            serde_yaml::Value::Sequence(items) => items.iter().map(crate::yaml::scalar_text).collect(),
            other => crate::yaml::scalar_text(other).map(|name| vec![name]),
        };
        let Some(names) = names else {
            fields.push(
                Diagnostic::error(
                    fields.path(),
                    line,
                    format!("\"{key}\" ska vara en lista med namn"),
                )
                .with_hint(EXAMPLE),
            );
            continue;
        };
        for name in names {
            let name = name.trim().to_ascii_lowercase();
            let valid = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | ':'));
            let never = if what == "elementet" {
                never_allowed_element(&name)
            } else {
                never_allowed_attribute(&name)
            };
            if !valid {
                fields.push(
                    Diagnostic::error(fields.path(), line, format!("\"{name}\" är inget HTML-namn"))
                        .with_hint(EXAMPLE),
                );
            } else if never {
                fields.push(
                    Diagnostic::error(
                        fields.path(),
                        line,
                        format!("{what} \"{name}\" kan inte tillåtas: det kör skript"),
                    )
                    .with_hint("webbplatsen kör ingen JavaScript; ta bort namnet ur listan"),
                );
            } else {
                list.push(name);
            }
        }
    }
    RawHtmlPolicy::with_extra(&elements, &attributes)
}

fn read_archive_after(fields: &mut Fields, text: &str) -> BTreeMap<PageKind, u32> {
    let mut months = BTreeMap::new();
    let Some(entries) = nested(
        fields,
        text,
        "archive_after_months",
        "\"archive_after_months\" ska ange månader per sidtyp",
        "exempel: archive_after_months: { history: 24, news: 60 }",
    ) else {
        return months;
    };
    for Entry { key, value, line } in entries {
        let kind = PageKind::parse(&key);
        let count = value.as_u64().filter(|n| (1..=1200).contains(n));
        match (kind, count) {
            (Some(kind), Some(count)) => {
                months.insert(kind, count as u32);
            }
            (None, _) => fields.push(
                Diagnostic::error(fields.path(), line, format!("okänd sidtyp \"{key}\""))
                    .with_hint(KIND_HINT),
            ),
            (_, None) => fields.push(
                Diagnostic::error(
                    fields.path(),
                    line,
                    format!("antalet månader för \"{key}\" ska vara ett heltal 1–1200"),
                )
                .with_hint("exempel: history: 24"),
            ),
        }
    }
    months
}

fn read_sections(fields: &mut Fields, text: &str) -> BTreeMap<String, (SectionSettings, usize)> {
    let message = "\"sections\" ska ange inställningar per avsnitt";
    let Some(entries) = nested(
        fields,
        text,
        "sections",
        message,
        "exempel: sections: { nyheter: { page_size: 10 } }",
    ) else {
        return BTreeMap::new();
    };
    let mut sections = BTreeMap::new();
    for Entry { key, value, line } in entries {
        let entries = match &value {
            serde_yaml::Value::Mapping(inner) => nested_entries(text, 1, line, inner),
            serde_yaml::Value::Null => Vec::new(),
            _ => {
                fields.push(
                    Diagnostic::error(
                        fields.path(),
                        line,
                        format!("inställningarna för avsnittet \"{key}\" ska vara nycklar och värden"),
                    )
                    .with_hint("exempel: nyheter: { page_size: 10, default_kind: news }"),
                );
                continue;
            }
        };
        let mut section_fields = Fields::new(fields.path(), line, entries, &SectionSettings::KEYS);
        let settings = SectionSettings::read(&mut section_fields);
        for diagnostic in section_fields.into_diagnostics() {
            fields.push(diagnostic);
        }
        sections.insert(key.trim_matches('/').to_string(), (settings, line));
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "title: Test\nbase_url: https://example.se/barnhalsa\n";

    #[test]
    fn defaults_and_sub_path() {
        let config = SiteConfig::parse(MINIMAL).expect("valid");
        assert_eq!(config.base_url, "https://example.se/barnhalsa/");
        assert_eq!(config.base_path, "/barnhalsa/");
        assert_eq!(config.language, "sv");
        assert_eq!(config.theme, "default");
        assert_eq!(config.timezone, chrono_tz::Europe::Stockholm);
    }

    #[test]
    fn root_base_url_has_root_path() {
        assert_eq!(
            normalise_base_url("https://example.se"),
            Some(("https://example.se/".into(), "/".into()))
        );
        assert_eq!(normalise_base_url("example.se"), None);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_all_reported() {
        let text = format!(
            "{MINIMAL}titel2: x\ntimezone: Mars/Olympus\nsections:\n  nyheter:\n    page_size: noll\n"
        );
        let errors = SiteConfig::parse(&text).unwrap_err();
        let lines: Vec<_> = errors.iter().map(|d| d.line).collect();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            lines.contains(&3) && lines.contains(&4) && lines.contains(&7),
            "{lines:?}"
        );
    }

    #[test]
    fn a_syntax_error_leaves_the_keys_that_parsed() {
        let (config, problems) =
            SiteConfig::read("title: \"Barnhälsa\nbase_url: https://example.se/bh\nlanguage: en\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 1);
        assert!(problems[0].message.contains("citattecknet"), "{problems:?}");
        assert_eq!(config.base_url, "https://example.se/bh/");
        assert_eq!(config.language, "en");
    }

    #[test]
    fn a_broken_base_url_leaves_a_placeholder() {
        let (config, problems) = SiteConfig::read("title: T\nbase_url: exempel.se\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(config.base_url, PLACEHOLDER_BASE_URL);
        assert_eq!(config.base_path, "/");
    }

    #[test]
    fn the_default_owner_takes_both_forms_and_checks_the_address() {
        let one_line = SiteConfig::parse(&format!(
            "{MINIMAL}owner: \"Kommunikationsenheten <k@example.se>\"\n"
        ));
        let mapping = SiteConfig::parse(&format!(
            "{MINIMAL}owner:\n  name: Kommunikationsenheten\n  email: k@example.se\n"
        ));
        let expected = Some(Owner {
            name: "Kommunikationsenheten".into(),
            email: Some("k@example.se".into()),
        });
        assert_eq!(one_line.expect("valid").owner, expected);
        assert_eq!(mapping.expect("valid").owner, expected);
        let errors =
            SiteConfig::parse(&format!("{MINIMAL}owner: \"Enheten <inte en adress>\"\n")).unwrap_err();
        assert_eq!(errors[0].line, 3);
    }

    #[test]
    fn sections_and_strings_are_read() {
        let text = format!(
            "{MINIMAL}strings:\n  more_news: Alla nyheter\nsections:\n  nyheter:\n    page_size: 5\n    default_kind: news\n"
        );
        let config = SiteConfig::parse(&text).expect("valid");
        assert_eq!(config.strings["more_news"].text, "Alla nyheter");
        assert_eq!(config.strings["more_news"].line, 4);
        let (settings, _) = &config.sections["nyheter"];
        assert_eq!(settings.page_size, Some(5));
        assert_eq!(settings.default_kind, Some(PageKind::News));
    }

    #[test]
    fn raw_html_adds_elements_and_attributes_but_never_scripts() {
        let config = SiteConfig::parse(&format!(
            "{MINIMAL}raw_html:\n  elements: [video, Source]\n  attributes: controls\n"
        ))
        .expect("valid");
        assert!(config.raw_html.allows_element("video") && config.raw_html.allows_element("source"));
        assert!(config.raw_html.allows_attribute("video", "controls", ""));
        assert!(!config.raw_html.allows_element("iframe"));

        let errors = SiteConfig::parse(&format!(
            "{MINIMAL}raw_html:\n  elements: [script]\n  attributes: [onload, srcdoc]\n  element_typ: [x]\n"
        ))
        .unwrap_err();
        let found: Vec<_> = errors.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(errors.len(), 4, "{found:?}");
        assert!(
            found.iter().any(|(l, m)| *l == 4 && m.contains("script")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|(l, m)| *l == 5 && m.contains("onload")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|(l, m)| *l == 5 && m.contains("srcdoc")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|(l, m)| *l == 6 && m.contains("element_typ")),
            "{found:?}"
        );
    }
}
