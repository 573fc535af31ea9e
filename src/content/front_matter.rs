//! The front-matter contract: the keys communicators write at the top of a Markdown file,
//! their Swedish and Hugo aliases, their types, and the checks that need only the file itself.

use std::path::Path;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};

use crate::config::{Owner, PageKind, SectionSettings, KIND_HINT};
use crate::diagnostics::Diagnostic;
use crate::yaml::{Fields, Key};

/// The years a date may be in. Anything else is a typo (`0000-01-01`, `9999-12-31`) that would keep a
/// page first or last in every list, and archive it at once or never.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// A date, with a time of day when one was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// A date, or a date and time, in the site's time zone.
    Local {
        /// The local date and time (midnight when no time was written).
        at: NaiveDateTime,
        /// Whether a time of day was written.
        has_time: bool,
    },
    /// A date and time with an explicit UTC offset (`2022-12-29T14:26:00Z`).
    Fixed(DateTime<FixedOffset>),
}

impl Moment {
    /// Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM`, `YYYY-MM-DDTHH:MM[:SS]` or RFC 3339 with an offset.
    pub fn parse(text: &str) -> Option<Moment> {
        let text = text.trim();
        // chrono also reads signed years of up to six digits (±262,142), and a moment that close to
        // its limits panics when it is placed in the site's time zone; a year has four digits here.
        let year_digits = text.bytes().take_while(u8::is_ascii_digit).count();
        if year_digits != 4 {
            return None;
        }
        if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Some(Moment::Local {
                at: date.and_time(NaiveTime::MIN),
                has_time: false,
            });
        }
        for format in [
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M:%S",
        ] {
            if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
                return Some(Moment::Local { at, has_time: true });
            }
        }
        DateTime::parse_from_rfc3339(text)
            .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%d %H:%M%:z"))
            .ok()
            .map(Moment::Fixed)
    }

    /// The year as written.
    pub fn year(&self) -> i32 {
        match self {
            Moment::Local { at, .. } => at.year(),
            Moment::Fixed(at) => at.year(),
        }
    }
}

/// Front matter of a page (any `.md` file but `_index.md`).
#[derive(Debug, Clone, Default)]
pub struct PageFrontMatter {
    /// The page's title (required).
    pub title: String,
    /// Publication date.
    pub date: Option<Moment>,
    /// Last update.
    pub updated: Option<Moment>,
    /// The lead text written by hand.
    pub summary: Option<String>,
    /// Topics.
    pub tags: Vec<String>,
    /// The page kind, when written.
    pub kind: Option<PageKind>,
    /// The date the page is to be archived.
    pub archive_date: Option<NaiveDate>,
    /// Lead image: a path under `static/` or an absolute URL.
    pub image: Option<String>,
    /// The lead image's alternative text.
    pub image_alt: Option<String>,
    /// Content paths pinned as related.
    pub related: Vec<String>,
    /// URL segment chosen by hand.
    pub slug: Option<String>,
    /// Whether the page is a draft.
    pub draft: bool,
    /// The year a yearly summary is about.
    pub year: Option<i32>,
    /// The period a project history covers.
    pub period: Option<String>,
    /// The page owner.
    pub owner: Option<Owner>,
    /// The date the page is to be reviewed by its owner.
    pub review_date: Option<NaiveDate>,
    /// Accessibility statement fields.
    pub statement: StatementFields,
    /// A template chosen by hand.
    pub template: Option<String>,
    /// Weight for sections sorted by weight.
    pub weight: i64,
    /// Lines of the keys, for diagnostics found later.
    pub lines: KeyLines,
}

/// The line of each key that later stages may need to point at.
#[derive(Debug, Clone, Default)]
pub struct KeyLines {
    /// First line of the front matter block.
    pub start: usize,
    /// Line of `related`.
    pub related: usize,
    /// Line of `image`.
    pub image: usize,
    /// Line of `template`.
    pub template: usize,
    /// Line of `slug` (or the start when the slug comes from the file name).
    pub slug: usize,
    /// Line of `date`.
    pub date: usize,
    /// Line of `tags`.
    pub tags: usize,
    /// Line of `archive_date`.
    pub archive_date: usize,
    /// Line of `review_date`.
    pub review_date: usize,
}

/// Front matter of a section (`_index.md`).
#[derive(Debug, Clone, Default)]
pub struct SectionFrontMatter {
    /// The section's title (required).
    pub title: String,
    /// The lead text.
    pub summary: Option<String>,
    /// Listing settings.
    pub settings: SectionSettings,
    /// Order in the default menu.
    pub weight: i64,
    /// A template chosen by hand.
    pub template: Option<String>,
    /// Whether the whole section is a draft.
    pub draft: bool,
    /// Lines of the keys.
    pub lines: KeyLines,
}

/// The keys of a page's front matter.
pub const PAGE_KEYS: &[Key] = &[
    Key {
        name: "title",
        aliases: &["titel"],
    },
    Key {
        name: "date",
        aliases: &["publicerad", "datum"],
    },
    Key {
        name: "updated",
        aliases: &["uppdaterad", "lastmod"],
    },
    Key {
        name: "summary",
        aliases: &["ingress", "description"],
    },
    Key {
        name: "tags",
        aliases: &["ämnen"],
    },
    Key {
        name: "kind",
        aliases: &["typ"],
    },
    Key {
        name: "archive_date",
        aliases: &["arkiveras", "expiryDate"],
    },
    Key {
        name: "image",
        aliases: &["bild"],
    },
    Key {
        name: "image_alt",
        aliases: &["alttext", "alt"],
    },
    Key {
        name: "related",
        aliases: &["relaterade"],
    },
    Key {
        name: "slug",
        aliases: &[],
    },
    Key {
        name: "draft",
        aliases: &["utkast"],
    },
    Key {
        name: "year",
        aliases: &["år"],
    },
    Key {
        name: "period",
        aliases: &[],
    },
    Key {
        name: "owner",
        aliases: &["sidansvarig"],
    },
    Key {
        name: "template",
        aliases: &["mall"],
    },
    Key {
        name: "weight",
        aliases: &["vikt"],
    },
    Key {
        name: "review_date",
        aliases: &["granskas"],
    },
    Key {
        name: "organisation",
        aliases: &["organization"],
    },
    Key {
        name: "compliance",
        aliases: &["förenlighet"],
    },
    Key {
        name: "inaccessible",
        aliases: &["brister"],
    },
    Key {
        name: "assessment_method",
        aliases: &["bedömningsmetod"],
    },
    Key {
        name: "assessment_date",
        aliases: &["bedömningsdatum"],
    },
    Key {
        name: "feedback",
        aliases: &["återkoppling"],
    },
    Key {
        name: "report_url",
        aliases: &["anmälan"],
    },
];

/// The keys only an accessibility statement may use.
pub const STATEMENT_KEYS: [&str; 7] = [
    "organisation",
    "compliance",
    "inaccessible",
    "assessment_method",
    "assessment_date",
    "feedback",
    "report_url",
];

/// How far a site complies with the accessibility requirements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compliance {
    /// "helt förenlig".
    Full,
    /// "delvis förenlig".
    Partial,
    /// "inte förenlig".
    None,
}

/// One piece of content that is not accessible, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Shortcoming {
    /// What is not accessible.
    pub content: String,
    /// Why: which requirement it fails, or why fixing it is a disproportionate burden.
    pub reason: String,
}

/// The fields of an accessibility statement, as written (checked when the kind is known).
#[derive(Debug, Clone, Default)]
pub struct StatementFields {
    /// The organisation responsible.
    pub organisation: Option<String>,
    /// Compliance status.
    pub compliance: Option<Compliance>,
    /// Inaccessible content with reasons.
    pub inaccessible: Vec<Shortcoming>,
    /// How the site was assessed (self-assessment, external audit).
    pub assessment_method: Option<String>,
    /// When it was assessed.
    pub assessment_date: Option<NaiveDate>,
    /// Where readers report problems: an e-mail address or a URL.
    pub feedback: Option<String>,
    /// The supervising agency's report form.
    pub report_url: Option<String>,
    /// Which statement keys were written, with their lines.
    pub written: Vec<(&'static str, usize)>,
}

/// The keys of a section's front matter besides its listing settings ([`SectionSettings::KEYS`]).
const SECTION_OWN_KEYS: &[Key] = &[
    Key {
        name: "title",
        aliases: &["titel"],
    },
    Key {
        name: "summary",
        aliases: &["ingress", "description"],
    },
    Key {
        name: "weight",
        aliases: &["vikt"],
    },
    Key {
        name: "template",
        aliases: &["mall"],
    },
    Key {
        name: "draft",
        aliases: &["utkast"],
    },
];

/// Every key a section's front matter accepts.
pub fn section_keys() -> Vec<Key> {
    SECTION_OWN_KEYS
        .iter()
        .chain(SectionSettings::KEYS.iter())
        .copied()
        .collect()
}

fn required_title(fields: &mut Fields) -> String {
    match fields.text("title", "\"Rubrik på sidan\"") {
        Some(title) if !title.trim().is_empty() => title.trim().to_string(),
        _ => {
            if !fields.has("title") {
                fields.error(
                    "title",
                    "sidan saknar rubrik (\"title\")",
                    "lägg till en rad som: title: \"Rubrik på sidan\"",
                );
            } else {
                fields.error(
                    "title",
                    "rubriken (\"title\") är tom",
                    "skriv sidans rubrik efter \"title:\"",
                );
            }
            String::new()
        }
    }
}

fn moment(fields: &mut Fields, key: &str) -> Option<Moment> {
    let text = fields.text(key, "2019-12-13")?;
    let parsed = Moment::parse(&text);
    if parsed.is_none() {
        fields.error(
            key,
            format!("\"{text}\" är inget giltigt datum"),
            "skriv datum som ÅÅÅÅ-MM-DD, gärna med tid: 2019-12-13 eller 2022-12-29 15:26",
        );
    }
    parsed.filter(|moment| year_in_range(fields, key, &text, moment.year(), "2019-12-13"))
}

/// Whether `year` of the date `text` written at `key` is in [`YEARS`]; reports it when it is not.
fn year_in_range(fields: &mut Fields, key: &str, text: &str, year: i32, example: &str) -> bool {
    if YEARS.contains(&year) {
        return true;
    }
    fields.error(
        key,
        format!(
            "året i \"{}\" ligger utanför {}–{}",
            text.trim(),
            YEARS.start(),
            YEARS.end()
        ),
        format!("kontrollera årtalet; skriv datumet som ÅÅÅÅ-MM-DD, till exempel {example}"),
    );
    false
}

fn template_name(fields: &mut Fields) -> Option<String> {
    let name = fields.text("template", "kliniker.html")?;
    if name.contains("..") || name.starts_with('/') || name.contains('\\') {
        fields.error(
            "template",
            format!("ogiltigt mallnamn \"{name}\""),
            "ange ett filnamn i templates/, till exempel kliniker.html",
        );
        return None;
    }
    Some(name)
}

/// Reads a page's front matter from resolved fields; `file_date` is the date of a `YYYY-MM-DD-` file name prefix.
pub fn read_page(fields: &mut Fields, file_date: Option<NaiveDate>) -> PageFrontMatter {
    let title = required_title(fields);
    let written_date = moment(fields, "date");
    let (file_date, out_of_range) = match file_date.filter(|_| !fields.has("date")) {
        Some(day) if !YEARS.contains(&day.year()) => (None, Some(day)),
        day => (day, None),
    };
    if let Some(day) = out_of_range {
        let message = format!(
            "året i datumet {day} i filnamnet ligger utanför {}–{}",
            YEARS.start(),
            YEARS.end()
        );
        let path = fields.path().to_path_buf();
        fields.push(Diagnostic::error(path, 0, message).with_hint(
            "kontrollera årtalet i filnamnet, som börjar med publiceringsdatumet: 2019-12-13-rubrik.md",
        ));
    }
    let date = written_date.or_else(|| {
        file_date.map(|d| Moment::Local {
            at: d.and_time(NaiveTime::MIN),
            has_time: false,
        })
    });
    let updated = moment(fields, "updated");
    let summary = fields.text("summary", "\"En mening om vad sidan handlar om.\"");
    // Empty topics are kept, so the site can report them rather than leave them out.
    let tags: Vec<String> = fields
        .text_list("tags", "[samverkan, nära vård]")
        .into_iter()
        .map(|t| t.trim().to_string())
        .collect();
    let kind = fields.text("kind", "news").and_then(|text| {
        let kind = PageKind::parse(&text);
        if kind.is_none() {
            fields.error("kind", format!("okänd sidtyp \"{text}\""), KIND_HINT);
        }
        kind
    });
    let archive_date = day(fields, "archive_date", "2027-03-06");
    let image = url_field(fields, "image", "/bilder/portratt.svg");
    let image_alt = fields.text("image_alt", "\"Porträtt av programchefen\"");
    if image.is_some() && image_alt.as_deref().is_none_or(|alt| alt.trim().is_empty()) {
        fields.error(
            "image",
            "bilden saknar alternativtext (\"image_alt\")",
            "beskriv vad bilden visar för den som inte ser den, till exempel image_alt: \"Porträtt av programchefen\"",
        );
    }
    let related = fields.text_list("related", "[2019-12-13-samverkan.md]");
    let slug = fields.text("slug", "samverkan-kring-barn");
    let draft = fields.flag("draft").unwrap_or(false);
    let years = i64::from(*YEARS.start())..=i64::from(*YEARS.end());
    let year = fields.integer("year", years, "2023").map(|y| y as i32);
    let period = fields.text("period", "\"2012–2014\"");
    let owner = read_owner(fields);
    let review_date = day(fields, "review_date", "2025-06-01");
    let statement = read_statement(fields);
    let template = template_name(fields);
    let weight = fields.integer("weight", -100_000..=100_000, "10").unwrap_or(0);
    let lines = KeyLines {
        start: fields.line(""),
        related: fields.line("related"),
        image: fields.line("image"),
        template: fields.line("template"),
        slug: fields.line("slug"),
        date: fields.line("date"),
        tags: fields.line("tags"),
        archive_date: fields.line("archive_date"),
        review_date: fields.line("review_date"),
    };
    PageFrontMatter {
        title,
        date,
        updated,
        summary,
        tags,
        kind,
        archive_date,
        image,
        image_alt,
        related,
        slug,
        draft,
        year,
        period,
        owner,
        review_date,
        statement,
        template,
        weight,
        lines,
    }
}

fn read_statement(fields: &mut Fields) -> StatementFields {
    let written = STATEMENT_KEYS
        .iter()
        .filter(|k| fields.has(k))
        .map(|&k| (k, fields.line(k)))
        .collect();
    let compliance = fields.text("compliance", "delvis").and_then(|text| {
        match text.trim().to_lowercase().trim_end_matches(" förenlig") {
            "helt" | "full" => Some(Compliance::Full),
            "delvis" | "partial" => Some(Compliance::Partial),
            "inte" | "none" => Some(Compliance::None),
            other => {
                fields.error(
                    "compliance",
                    format!("okänd förenlighet \"{other}\""),
                    "välj helt, delvis eller inte (förenlig med lagkraven)",
                );
                None
            }
        }
    });
    let mut inaccessible = Vec::new();
    if let Some(value) = fields.raw("inaccessible").cloned() {
        let items = match value {
            serde_yaml::Value::Sequence(items) => items,
            _ => Vec::new(),
        };
        let parsed: Option<Vec<Shortcoming>> = items
            .iter()
            .map(|item| {
                let get = |keys: &[&str]| {
                    keys.iter()
                        .find_map(|k| item.get(*k).and_then(crate::yaml::scalar_text))
                };
                Some(Shortcoming {
                    content: get(&["content", "innehåll"])?,
                    reason: get(&["reason", "orsak"])?,
                })
            })
            .collect();
        match parsed {
            Some(list) if !list.is_empty() => inaccessible = list,
            _ => fields.error(
                "inaccessible",
                "\"inaccessible\" ska vara en lista där varje brist har innehåll och orsak",
                "exempel:\n      inaccessible:\n        - content: \"Äldre PDF-dokument\"\n          reason: \"Saknar rubrikstruktur (WCAG 1.3.1)\"",
            ),
        }
    }
    StatementFields {
        organisation: fields.text("organisation", "\"Region Exempel\""),
        compliance,
        inaccessible,
        assessment_method: fields.text("assessment_method", "\"Självskattning\""),
        assessment_date: day(fields, "assessment_date", "2026-09-01"),
        feedback: url_field(fields, "feedback", "\"kommunikation@example.se\""),
        report_url: url_field(fields, "report_url", "\"https://www.digg.se/tdosanmalan\""),
        written,
    }
}

/// A text that becomes a link or image address on the page: its scheme is checked like a link's.
fn url_field(fields: &mut Fields, key: &str, example: &str) -> Option<String> {
    let url = fields.text(key, example)?;
    if let Err(rejected) = crate::url_policy::check(&url) {
        let message = rejected.message(&format!("adressen i \"{key}\""), &url);
        fields.error(key, message, crate::url_policy::HINT);
    }
    Some(url)
}

fn day(fields: &mut Fields, key: &str, example: &str) -> Option<NaiveDate> {
    let text = fields.text(key, example)?;
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    if date.is_none() {
        fields.error(
            key,
            format!("\"{text}\" är inget giltigt datum"),
            format!("skriv datumet som ÅÅÅÅ-MM-DD, till exempel {example}"),
        );
    }
    date.filter(|date| year_in_range(fields, key, &text, date.year(), example))
}

/// The page owner: `"Namn <e-post>"`, or `{ name: …, email: … }` (also the site's default owner).
pub(crate) fn read_owner(fields: &mut Fields) -> Option<Owner> {
    const EXAMPLE: &str = "\"Kommunikationsenheten <kommunikation@example.se>\"";
    let owner = match fields.raw("owner").cloned() {
        None => return None,
        Some(serde_yaml::Value::Mapping(mapping)) => {
            let get = |keys: &[&str]| {
                keys.iter()
                    .find_map(|k| mapping.get(*k).and_then(crate::yaml::scalar_text))
            };
            let name = get(&["name", "namn"]);
            let email = get(&["email", "e-post", "epost"]);
            match (name, email) {
                (Some(name), email) => Some(Owner { name, email }),
                (None, Some(email)) => Some(Owner {
                    name: email.clone(),
                    email: Some(email),
                }),
                (None, None) => None,
            }
        }
        Some(_) => fields.text("owner", EXAMPLE).and_then(|t| Owner::parse(&t)),
    };
    match owner {
        Some(owner) if owner.has_valid_email() => Some(owner),
        Some(owner) => {
            fields.error(
                "owner",
                format!(
                    "e-postadressen \"{}\" ser inte ut som en e-postadress",
                    owner.email.unwrap_or_default()
                ),
                format!("skriv till exempel owner: {EXAMPLE}"),
            );
            None
        }
        None => {
            fields.error(
                "owner",
                "sidansvarig saknar namn",
                format!("skriv till exempel owner: {EXAMPLE}"),
            );
            None
        }
    }
}

/// Reads a section's front matter from resolved fields.
pub fn read_section(fields: &mut Fields) -> SectionFrontMatter {
    let title = required_title(fields);
    let summary = fields.text("summary", "\"Om avsnittet.\"");
    let settings = SectionSettings::read(fields);
    let weight = fields.integer("weight", -100_000..=100_000, "10").unwrap_or(0);
    let template = template_name(fields);
    let draft = fields.flag("draft").unwrap_or(false);
    let lines = KeyLines {
        start: fields.line(""),
        template: fields.line("template"),
        ..KeyLines::default()
    };
    SectionFrontMatter {
        title,
        summary,
        settings,
        weight,
        template,
        draft,
        lines,
    }
}

/// The date of a `YYYY-MM-DD-` file name prefix and the rest of the name, if it has one.
pub fn split_date_prefix(stem: &str) -> (Option<NaiveDate>, &str) {
    if stem.len() >= 11 && stem.is_char_boundary(10) && stem.as_bytes()[10] == b'-' {
        if let Ok(date) = NaiveDate::parse_from_str(&stem[..10], "%Y-%m-%d") {
            return (Some(date), &stem[11..]);
        }
    }
    (None, stem)
}

/// The stem of a content file's name (`2019-12-13-samverkan` for `2019-12-13-samverkan.md`).
pub fn file_stem(path: &Path) -> &str {
    path.file_stem().and_then(|s| s.to_str()).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_mapping;

    fn page(text: &str) -> (PageFrontMatter, Vec<crate::diagnostics::Diagnostic>) {
        let path = Path::new("content/a.md");
        let entries = parse_mapping(text, path, 2).expect("yaml");
        let mut fields = Fields::new(path, 2, entries, PAGE_KEYS);
        let front = read_page(&mut fields, None);
        (front, fields.into_diagnostics())
    }

    #[test]
    fn swedish_and_hugo_aliases_are_accepted() {
        let (front, errors) =
            page("titel: Hej\npublicerad: 2019-12-13\nämnen: [a]\nlastmod: 2022-12-29 15:26\ndescription: Kort\nexpiryDate: 2027-03-06\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(front.title, "Hej");
        assert_eq!(front.tags, vec!["a"]);
        assert_eq!(front.summary.as_deref(), Some("Kort"));
        assert!(matches!(
            front.updated,
            Some(Moment::Local { has_time: true, .. })
        ));
        assert_eq!(front.archive_date, NaiveDate::from_ymd_opt(2027, 3, 6));
    }

    #[test]
    fn missing_title_bad_date_and_image_without_alt() {
        let (_, errors) = page("date: 2019-13-45\nimage: /bilder/a.svg\n");
        let messages: Vec<_> = errors.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(errors.len(), 3, "{messages:?}");
        assert!(messages
            .iter()
            .any(|(line, m)| *line == 2 && m.contains("inget giltigt datum")));
        assert!(messages
            .iter()
            .any(|(line, m)| *line == 3 && m.contains("alternativtext")));
        assert!(messages.iter().any(|(_, m)| m.contains("saknar rubrik")));
    }

    #[test]
    fn script_and_data_urls_in_url_fields_are_errors_at_their_line() {
        let (_, errors) = page(
            "title: Sida\nimage: \"javascript:alert(1)\"\nfeedback: \"jav&#x61;script:alert(1)\"\nreport_url: \" data:text/html,x\"\n",
        );
        let lines: Vec<_> = errors.iter().map(|d| d.line).collect();
        assert_eq!(lines.len(), 4, "{errors:?}");
        assert!(
            lines.contains(&3) && lines.contains(&4) && lines.contains(&5),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|d| d.message.contains("\"data:\"")),
            "{errors:?}"
        );
        let (_, errors) = page(
            "title: Sida\nimage: /bilder/a.svg\nimage_alt: Träd\nfeedback: kommunikation@example.se\nreport_url: https://www.digg.se/tdosanmalan\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn moments_in_every_accepted_form() {
        assert!(matches!(
            Moment::parse("2019-12-13"),
            Some(Moment::Local { has_time: false, .. })
        ));
        assert!(matches!(
            Moment::parse("2022-12-29 15:26"),
            Some(Moment::Local { has_time: true, .. })
        ));
        assert!(matches!(
            Moment::parse("2022-12-29T14:26:00Z"),
            Some(Moment::Fixed(_))
        ));
        assert_eq!(Moment::parse("13 december 2019"), None);
    }

    #[test]
    fn years_outside_the_range_are_errors_at_their_line() {
        let (front, errors) = page(
            "title: T\ndate: 0000-01-01\nupdated: 2201-01-01T10:00:00Z\narchive_date: 9999-12-31\nreview_date: 1899-12-31\nyear: 2201\n",
        );
        let mut lines: Vec<usize> = errors.iter().map(|d| d.line).collect();
        lines.sort_unstable();
        assert_eq!(lines, vec![3, 4, 5, 6, 7], "{errors:?}");
        assert_eq!(
            (front.date, front.updated, front.archive_date),
            (None, None, None)
        );
        let (_, errors) = page("title: T\ndate: 1900-01-01\narchive_date: 2200-12-31\n");
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn a_date_in_the_file_name_outside_the_range_is_an_error_unless_date_is_written() {
        let path = Path::new("content/0000-01-01-a.md");
        let read = |text: &str| {
            let entries = parse_mapping(text, path, 2).expect("yaml");
            let mut fields = Fields::new(path, 2, entries, PAGE_KEYS);
            let front = read_page(&mut fields, NaiveDate::from_ymd_opt(0, 1, 1));
            (front, fields.into_diagnostics())
        };
        let (front, errors) = read("title: T\n");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("filnamnet"), "{errors:?}");
        assert_eq!(front.date, None);
        let (_, errors) = read("title: T\ndate: 2020-01-01\n");
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn empty_topics_are_kept_for_the_site_to_report() {
        let (front, errors) = page("title: T\ntags: [a, \"\", \" \"]\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(front.tags, vec!["a", "", ""]);
    }

    #[test]
    fn years_beyond_four_digits_are_not_moments() {
        // Found by tests/properties.rs: placing this moment in a time zone east of UTC panicked.
        assert_eq!(Moment::parse("+262142-12-31 10:00+00:00"), None);
        assert_eq!(Moment::parse("+10000-01-01"), None);
        assert_eq!(Moment::parse("-0001-01-01"), None);
        assert!(Moment::parse("0001-01-01").is_some());
        assert!(Moment::parse("9999-12-31 23:59-23:59").is_some());
    }

    #[test]
    fn date_prefix_is_split_from_the_name() {
        assert_eq!(
            split_date_prefix("2019-12-13-samverkan"),
            (NaiveDate::from_ymd_opt(2019, 12, 13), "samverkan")
        );
        assert_eq!(split_date_prefix("kontakt"), (None, "kontakt"));
        assert_eq!(split_date_prefix("2019-99-99-x"), (None, "2019-99-99-x"));
    }
}
