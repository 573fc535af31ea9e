//! Property tests: arbitrary bytes, arbitrary front matter (YAML-ish text and generated maps of
//! arbitrary keys and values) and arbitrary Markdown fed to the loader, the Markdown stage, the
//! configuration and a whole check of a small site. Each must end in a result or in diagnostics
//! that point into the file, never in a panic.
//!
//! The generators mix random text with the keys notis knows and values near the edges (dates at
//! chrono's limits, wrong types, YAML anchors and tags, percent escapes, links out of content/), and
//! most generated files are otherwise right, so that many cases get past the first check. Each property runs a modest number of cases; set `PROPTEST_CASES` to
//! run more.

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use chrono_tz::Tz;
use proptest::prelude::*;
use proptest::sample::select;
use serde_yaml::Value;

use notis::config::{Lints, SiteConfig};
use notis::content::front_matter::Moment;
use notis::content::parse_source;
use notis::diagnostics::Diagnostic;
use notis::i18n::LocalMoment;
use notis::markdown::{render, Input, LinkResolver};
use notis::BuildOptions;

/// The configuration of a property: `cases` unless `PROPTEST_CASES` says otherwise. A failure is
/// printed with its smallest input, which becomes a regular test; no file is written.
fn config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    config
}

/// Front-matter keys: every key and alias notis knows, near misses and YAML's own oddities.
#[rustfmt::skip]
const KEYS: &[&str] = &[
    "title", "titel", "date", "publicerad", "datum", "updated", "uppdaterad", "lastmod", "summary", "ingress",
    "description", "tags", "ämnen", "kind", "typ", "archive_date", "arkiveras", "expiryDate", "image", "bild",
    "image_alt", "alttext", "alt", "related", "relaterade", "slug", "draft", "utkast", "year", "år", "period",
    "owner", "sidansvarig", "template", "mall", "weight", "vikt", "review_date", "granskas", "organisation",
    "compliance", "inaccessible", "assessment_method", "assessment_date", "feedback", "report_url", "sort",
    "page_size", "default_kind", "archive_after_months", "review_after_months", "titl", "Title", "",
    "\"title\"", "'date'", "? title", "<<", "1", "~",
];

/// Values that are wrong, odd or at an edge for one key or another.
#[rustfmt::skip]
const VALUES: &[&str] = &[
    "", "Rubrik", "\"Möte: barn och unga\"", "Möte: barn", "'citat''s'", "\"\\u00e5\"", "2026-01-15",
    "2026-13-45", "2024-02-29", "2026-02-29", "0000-01-01", "0001-01-01", "9999-12-31", "+262142-12-31",
    "-262143-01-01", "+262142-12-31 23:59", "+262142-12-31 23:59+00:00", "-262143-01-01 00:00+23:59",
    "9999-12-31T23:59:59-23:59", "2022-12-29 15:26", "2023-03-26 02:30", "2022-12-29T14:26:00Z",
    "2022-12-29 14:26+25:00", "[a, b]", "[]", "{}", "{a: 1}", "[[a]]", "[{content: x, reason: y}]",
    "[{content: x}]", "true", "nej", "ja", "~", "null", "-1", "0", "1899", "1900", "2200", "2201",
    "-9223372036854775808", "99999999999999999999", "1e400", ".nan", ".inf", "&a x", "*a", "!!binary aGVq",
    "!tag x", "!!str 12", "|\n  block", ">-\n  folded", "\n  - content: x\n    reason: y", "\n  - a\n  - b",
    "\n  name: N\n  email: e@x.se", "\n  email: e@x.se", "\n  name: ''", "/bilder/trad.svg",
    "https://cdn.example.com/x.png", "//cdn/x", "../../x.md", "/", "x.md", "/x.md", "nyheter/x.md",
    "../om.md", ".md", "_index.md", "å", "\u{0}", "\t", "news", "nyhet", "summary", "history", "page",
    "accessibility", "delvis", "helt förenlig", "kanske", "kliniker.html", "../x.html", "page.html",
    "N <e@x.se>", "N <>", "<e@x.se>", "@", "a@b", "!!!", "---", "...", "#", "%", "date", "title", "weight",
    "1200", "1201",
];

/// Front matter lines without a mistake (for a page in content/ of the site of [`site_with`]).
const RIGHT_LINES: &[&str] = &[
    "date: 2026-01-15",
    "updated: 2026-02-01 10:00",
    "publicerad: 2022-12-29T14:26:00Z",
    "tags: [barn, unga]",
    "ämnen: Barn och unga",
    "summary: En ingress.",
    "kind: news",
    "typ: sida",
    "image: /bilder/trad.svg\nimage_alt: Ett träd i blom",
    "related: [nyheter/2026-01-15-x.md]",
    "relaterade: [x.md]",
    "slug: egen-adress",
    "draft: false",
    "owner: \"Elevhälsan <elevhalsa@example.se>\"",
    "sidansvarig:\n  name: Elevhälsan",
    "weight: 3",
    "archive_date: 2026-06-01",
    "arkiveras: 2026-05-01",
    "review_date: 2026-01-01",
    "kind: summary\nyear: 2025",
    "kind: history\nperiod: 2012–2014",
    "template: page.html",
];

/// One line of YAML-ish front matter: often a right one, so that many files reach the later
/// stages; often a known key with an odd value; sometimes a date at an edge; sometimes anything.
fn front_matter_line() -> impl Strategy<Value = String> {
    let known = (select(KEYS), select(VALUES)).prop_map(|(key, value)| format!("{key}: {value}"));
    let key = prop_oneof![
        4 => select(KEYS).prop_map(str::to_string),
        1 => "[a-zåäö_ -]{0,8}",
    ];
    let value = prop_oneof![
        4 => select(VALUES).prop_map(str::to_string),
        1 => "[^\n\r]{0,16}",
    ];
    let indent = select(&["", "", "", "  ", "\t", "- ", "  - "][..]);
    let anything = (indent, key, select(&[": ", ":", " : ", ":: ", " "][..]), value)
        .prop_map(|(indent, key, colon, value)| format!("{indent}{key}{colon}{value}"));
    prop_oneof![
        8 => select(RIGHT_LINES).prop_map(str::to_string),
        3 => known,
        2 => date_line(),
        1 => anything,
    ]
}

/// A date key with a date, a date and time, or a date and time with an offset, whose parts may lie
/// outside their ranges and whose year may lie at or beyond chrono's limits.
fn date_line() -> impl Strategy<Value = String> {
    let key = select(
        &[
            "date",
            "updated",
            "publicerad",
            "lastmod",
            "archive_date",
            "review_date",
            "assessment_date",
            "arkiveras",
            "granskas",
        ][..],
    );
    let year = select(
        &[
            -262_144, -262_143, -1, 0, 1, 1899, 1900, 2026, 9999, 10_000, 262_142, 262_143,
        ][..],
    );
    let time = prop_oneof![
        Just(String::new()),
        (0..=25u32, 0..=60u32).prop_map(|(h, m)| format!(" {h:02}:{m:02}")),
        (
            0..=25u32,
            0..=60u32,
            select(&["Z", "+00:00", "-23:59", "+23:59", "+25:00"][..])
        )
            .prop_map(|(h, m, offset)| format!("T{h:02}:{m:02}:00{offset}")),
        (0..=25u32, 0..=60u32, select(&["+00:00", "-23:59", "+23:59"][..]))
            .prop_map(|(h, m, offset)| format!(" {h:02}:{m:02}{offset}")),
    ];
    (key, year, 0..=13u32, 0..=32u32, time).prop_map(|(key, year, month, day, time)| {
        let year = if (0..=9999).contains(&year) {
            format!("{year:04}")
        } else {
            format!("{year:+}")
        };
        format!("{key}: \"{year}-{month:02}-{day:02}{time}\"")
    })
}

/// Fragments of Markdown that reach every branch of the Markdown stage and the lints.
#[rustfmt::skip]
const MARKDOWN: &[&str] = &[
    "# Huvudrubrik\n", "## Rubrik\n", "#### Djup\n", "###### Sex {#eget}\n", "## {#}\n",
    "## Rubrik {#huvudinnehall}\n", "## Rubrik {#}\n", "##\n", "[text](x.md)\n", "[text](x.md#del)\n",
    "[](saknas.md)\n", "[Läs mer](https://example.se)\n", "[här](https://annan.se/)\n",
    "![](/bilder/trad.svg)\n", "![alt](/bilder/saknas.png \"dekorativ\")\n",
    "![trad.svg](/bilder/trad.svg)\n", "![Bild av x](https://cdn.example.com/x.png)\n",
    "[![](/bilder/trad.svg)](x.md)\n", "[![Träd](/bilder/trad.svg)]()\n", "<iframe src=\"//x\"></iframe>\n",
    "<img src='http://x'>", "<div style=\"background:url(https://x)\">\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n", "text[^1]\n\n[^1]: Not.\n", "[^x]\n", "```\nkod\n```\n",
    "    indrag\n", "> citat\n", "- punkt\n  - under\n", "1. ett\n", "**fet** _kursiv_ ~~struken~~\n", "\r\n",
    "\n", "\n\n", "%", "[a](/%ZZ.md)\n", "[a](%C3%A5.md)\n", "[a](%FF.md)\n", "[a](/x%.pdf)\n", "[a](/%)\n",
    "<", "&amp;", "&#0;", "\u{0}", "å", "\u{200b}", "[a]: x.md\n[b][a]\n", "<https://example.se>\n",
    "[a](</bilder/trad.svg>)\n", "[a](#)\n", "[a]()\n", "[a](.md)\n", "[a](/.md)\n",
    "[a](../../../../x.md)\n", "[a](/)\n", "[a](//host/x)\n", "[a](mailto:x@y)\n", "[a](:x)\n",
    "[a](x.md#)\n", "![a](/bilder/trad.svg\n", "#", "* * *\n", "Setext\n===\n", "Setext\n---\n", "`kod`",
    "\\", "[", "]", "(", ")", "!", "*", "_", "~", "|",
];

/// Markdown-ish text: fragments, random text and arbitrary characters mixed.
fn markdown_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => select(MARKDOWN).prop_map(str::to_string),
        2 => "[a-zåäö #*_\\[\\]()!<>`|\n-]{0,12}",
        1 => any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

/// A whole content file: front matter of YAML-ish lines, usually after a title (opened and closed
/// in one of the ways people write it, or not closed at all), and a Markdown body.
fn content_file() -> impl Strategy<Value = String> {
    let opening = prop_oneof![
        6 => Just("---\n"),
        1 => select(&["\u{feff}---\n", "---\r\n", "--- \n", "", "---"][..]),
    ];
    let title = prop_oneof![
        6 => Just("title: Rubrik"),
        1 => select(&["titel: \"Möte: barn\"", "title: ''", ""][..]),
    ];
    let closing = prop_oneof![
        6 => Just("---\n"),
        1 => select(&["---\r\n", "---", "...\n", ""][..]),
    ];
    let newline = select(&["\n", "\n", "\r\n"][..]);
    (
        opening,
        title,
        prop::collection::vec(front_matter_line(), 0..5),
        newline,
        closing,
        markdown_text(),
    )
        .prop_map(|(opening, title, lines, newline, closing, body)| {
            let mut text = opening.to_string();
            for line in std::iter::once(title.to_string()).chain(lines) {
                text.push_str(&line);
                text.push_str(newline);
            }
            text.push_str(closing);
            text.push_str(&body);
            text
        })
}

/// A YAML value of any shape, with the edge values among its leaves.
fn yaml_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(n.into())),
        any::<u64>().prop_map(|n| Value::Number(n.into())),
        any::<f64>().prop_map(|f| Value::Number(f.into())),
        any::<String>().prop_map(Value::String),
        select(VALUES).prop_map(|v| Value::String(v.to_string())),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Sequence),
            prop::collection::vec((yaml_key(), inner), 0..4).prop_map(|pairs| {
                Value::Mapping(pairs.into_iter().map(|(k, v)| (Value::String(k), v)).collect())
            }),
        ]
    })
}

/// A mapping key: one notis knows, or any text.
fn yaml_key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(KEYS).prop_map(str::to_string),
        1 => any::<String>(),
    ]
}

/// Front matter generated as a map of arbitrary keys and values (usually after a title), written
/// out by serde_yaml.
fn structured_front_matter() -> impl Strategy<Value = String> {
    let title = prop_oneof![
        3 => Just(Some(("title".to_string(), Value::String("Rubrik".into())))),
        1 => Just(None),
    ];
    (title, prop::collection::vec((yaml_key(), yaml_value()), 0..5)).prop_filter_map(
        "serde_yaml cannot write the map",
        |(title, pairs)| {
            let mapping: serde_yaml::Mapping = title
                .into_iter()
                .chain(pairs)
                .map(|(k, v)| (Value::String(k), v))
                .collect();
            serde_yaml::to_string(&Value::Mapping(mapping)).ok()
        },
    )
}

/// A moment as a communicator might write it, in each accepted form, anywhere in chrono's range
/// and often within two days of either end of it, with any offset.
fn moment_text() -> impl Strategy<Value = String> {
    let first = NaiveDateTime::MIN.and_utc().timestamp();
    let last = NaiveDateTime::MAX.and_utc().timestamp();
    let seconds = prop_oneof![
        first..=last,
        (last - 172_800)..=last,
        first..=(first + 172_800),
        -2_208_988_800i64..=4_102_444_800,
    ];
    let offset_minutes = -1439i32..=1439;
    let form = select(&["date", "local", "local-t", "offset", "offset-t"][..]);
    (seconds, offset_minutes, form).prop_filter_map("outside chrono's range", |(seconds, minutes, form)| {
        let utc = DateTime::from_timestamp(seconds, 0)?.naive_utc();
        let offset = FixedOffset::east_opt(minutes * 60)?;
        let local = utc.checked_add_offset(offset)?;
        let sign = if minutes < 0 { '-' } else { '+' };
        let written_offset = format!("{sign}{:02}:{:02}", minutes.abs() / 60, minutes.abs() % 60);
        Some(match form {
            "date" => local.format("%Y-%m-%d").to_string(),
            "local" => local.format("%Y-%m-%d %H:%M").to_string(),
            "local-t" => local.format("%Y-%m-%dT%H:%M:%S").to_string(),
            "offset" => format!("{}{written_offset}", local.format("%Y-%m-%d %H:%M")),
            _ => format!("{}{written_offset}", local.format("%Y-%m-%dT%H:%M:%S")),
        })
    })
}

/// Time zones with the largest offsets either way, and the default one.
const ZONES: [Tz; 4] = [
    chrono_tz::Europe::Stockholm,
    chrono_tz::Pacific::Kiritimati,
    chrono_tz::Etc::GMTPlus12,
    chrono_tz::UTC,
];

/// The number of lines of `text`, as an editor counts them (a last line without a newline counts).
fn line_count(text: &str) -> usize {
    text.lines().count().max(1)
}

/// Checks that every diagnostic is an error or a warning about `file`, on a line of it.
fn assert_points_into(diagnostics: &[Diagnostic], file: &str, lines: usize) -> Result<(), TestCaseError> {
    for diagnostic in diagnostics {
        prop_assert_eq!(diagnostic.path.to_string_lossy(), file);
        prop_assert!(
            diagnostic.line <= lines + 1,
            "line {} of a file of {} lines: {}",
            diagnostic.line,
            lines,
            diagnostic
        );
        prop_assert!(!diagnostic.message.is_empty());
    }
    Ok(())
}

/// Parses a content file's text as `content/nyheter/ny.md`; an error names the file and a line in it.
fn check_parse(text: String) -> Result<(), TestCaseError> {
    let lines = line_count(&text);
    match parse_source(text, "nyheter/ny.md".into(), "content/nyheter/ny.md".into()) {
        Ok(source) => {
            prop_assert!(source.body_line >= 1);
        }
        Err(problems) => {
            prop_assert!(!problems.is_empty(), "an error without a diagnostic");
            assert_points_into(&problems, "content/nyheter/ny.md", lines)?;
        }
    }
    Ok(())
}

/// Links resolve when they name `x.md` (or a section), and static files exist under `bilder/`.
struct SomeLinks;

impl LinkResolver for SomeLinks {
    fn resolve(&self, from_dir: &str, target: &str) -> Result<String, String> {
        match target {
            "x.md" | "/x.md" | "_index.md" => Ok(format!("/bas/{from_dir}/x/")),
            _ => Err("kontrollera filnamnet".into()),
        }
    }

    fn has_static(&self, path: &str) -> bool {
        path.starts_with("bilder/")
    }
}

/// Renders `body` as the body of a file whose front matter ends on line 4; every diagnostic names
/// the file, a line of the body and a column.
fn check_render(body: &str, lints: &Lints) -> Result<(), TestCaseError> {
    let raw_html = notis::raw_html::RawHtmlPolicy::default();
    let site_url = url::Url::parse("https://example.se/bas/").expect("a valid URL");
    let input = Input {
        body,
        body_line: 5,
        display_path: Path::new("content/nyheter/ny.md"),
        content_dir: "nyheter",
        base_path: "/bas/",
        site_host: "example.se",
        external_label: "(länk till annan webbplats)",
        table_label: "Tabell",
        lints,
        raw_html: &raw_html,
        site_url: &site_url,
    };
    let rendered = render(&input, &SomeLinks);
    let last_line = 4 + line_count(body);
    for diagnostic in &rendered.diagnostics {
        prop_assert_eq!(diagnostic.path.to_string_lossy(), "content/nyheter/ny.md");
        prop_assert!(
            (5..=last_line).contains(&diagnostic.line) && diagnostic.column >= 1,
            "{} is not on a line of the body (5–{last_line})",
            diagnostic
        );
    }
    Ok(())
}

/// A small site in a temporary directory with `file` as `content/ny.md`, where a page needs no date;
/// `x.md` and the news item are there for links and pins to find.
fn site_with(file: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    let root = dir.path();
    let write = |path: &str, bytes: &[u8]| {
        let target = root.join(path);
        std::fs::create_dir_all(target.parent().expect("a parent")).expect("create directory");
        std::fs::write(target, bytes).expect("write file");
    };
    write(
        "site.yaml",
        b"title: Egenskaper\nbase_url: https://example.se/\norganisation: Region Exempel\n",
    );
    write(
        "content/_index.md",
        b"---\ntitle: Start\n---\nV\xc3\xa4lkommen.\n",
    );
    write(
        "content/nyheter/_index.md",
        b"---\ntitle: Nyheter\ndefault_kind: news\n---\n",
    );
    write(
        "content/nyheter/2026-01-15-x.md",
        b"---\ntitle: En nyhet\ntags: [barn]\n---\nText om barn.\n",
    );
    write(
        "static/bilder/trad.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    write(
        "content/x.md",
        b"---\ntitle: X\n---\nEn sida att l\xc3\xa4nka till.\n",
    );
    write("content/ny.md", file);
    dir
}

/// Loads the site from disk with `file` in it: the file is a source or has an error of its own.
/// Then checks the whole site, templates rendered: a report or errors.
fn check_site(file: &[u8]) -> Result<(), TestCaseError> {
    let dir = site_with(file);
    let (sources, problems) = notis::content::load(dir.path());
    let loaded = sources.iter().any(|s| s.content_path == "ny.md");
    let reported = problems
        .iter()
        .any(|d| d.is_error() && d.path == Path::new("content/ny.md"));
    prop_assert!(
        loaded != reported,
        "loaded: {loaded}, reported: {reported}, {problems:?}"
    );

    let options = BuildOptions {
        today: chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("a date"),
        include_drafts: false,
    };
    if let Err(diagnostics) = notis::check(dir.path(), &options, 30) {
        prop_assert!(diagnostics.has_errors(), "failed without an error");
    }
    Ok(())
}

#[test]
fn a_moment_at_the_end_of_chronos_range_is_an_error_not_a_panic() {
    // Found by every_moment_the_loader_accepts_can_be_shown_in_any_time_zone: the site's time zone
    // moved this moment past the last one chrono can represent.
    let text = "---\ntitle: Sist\ndate: \"+262142-12-31 23:59+00:00\"\n---\nText.\n";
    let dir = site_with(text.as_bytes());
    let options = BuildOptions {
        today: chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("a date"),
        include_drafts: false,
    };
    let Err(diagnostics) = notis::check(dir.path(), &options, 30) else {
        panic!("the date was accepted");
    };
    let found: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        found
            .iter()
            .any(|d| d
                .starts_with("content/ny.md:3:1: fel: \"+262142-12-31 23:59+00:00\" är inget giltigt datum")),
        "{found:?}"
    );
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_text_is_a_source_or_diagnostics_in_the_file(text in any::<String>()) {
        check_parse(text)?;
    }

    #[test]
    fn yaml_ish_front_matter_is_a_source_or_diagnostics_in_the_file(text in content_file()) {
        check_parse(text)?;
    }

    #[test]
    fn generated_front_matter_maps_are_a_source_or_diagnostics_in_the_file(
        yaml in structured_front_matter(),
        body in markdown_text(),
    ) {
        check_parse(format!("---\n{yaml}---\n{body}"))?;
    }

    #[test]
    fn every_moment_the_loader_accepts_can_be_shown_in_any_time_zone(text in moment_text()) {
        if let Some(moment) = Moment::parse(&text) {
            for zone in ZONES {
                let local = LocalMoment::new(moment, zone);
                prop_assert!(!local.date().to_string().is_empty());
                prop_assert!(!local.iso().is_empty() && !local.rfc3339().is_empty() && !local.compact().is_empty());
            }
        }
        check_parse(format!("---\ntitle: Rubrik\ndate: \"{text}\"\n---\nText.\n"))?;
    }

    #[test]
    fn arbitrary_markdown_renders_with_diagnostics_in_the_body(body in markdown_text()) {
        check_render(&body, &Lints::default())?;
    }

    #[test]
    fn arbitrary_text_renders_as_markdown(body in any::<String>()) {
        check_render(&body, &Lints::default())?;
    }

    #[test]
    fn arbitrary_data_files_are_data_or_diagnostics_in_the_file(
        text in prop::collection::vec(front_matter_line(), 0..8).prop_map(|lines| lines.join("\n")),
        bytes in prop::collection::vec(any::<u8>(), 0..64),
        as_bytes in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().expect("temporary directory");
        let file = if as_bytes { bytes } else { text.into_bytes() };
        std::fs::create_dir_all(dir.path().join("data")).expect("create directory");
        std::fs::write(dir.path().join("data/x.yaml"), &file).expect("write file");
        let (_, problems) = notis::content::data::load(dir.path());
        assert_points_into(&problems, "data/x.yaml", line_count(&String::from_utf8_lossy(&file)))?;
    }

    #[test]
    fn yaml_ish_site_configuration_is_a_configuration_or_diagnostics(
        lines in prop::collection::vec(front_matter_line(), 0..10),
    ) {
        let text = format!("title: T\nbase_url: https://example.se/\n{}\n", lines.join("\n"));
        if let Err(problems) = SiteConfig::parse(&text) {
            prop_assert!(!problems.is_empty());
            assert_points_into(&problems, "site.yaml", line_count(&text))?;
        }
    }
}

proptest! {
    // Each case writes a small site and checks it whole: fewer cases.
    #![proptest_config(config(64))]

    #[test]
    fn arbitrary_bytes_as_a_content_file_load_and_check(
        start in select(&["", "---\n", "---\ntitle: Rubrik\n", "---\ntitle: Rubrik\n---\n"][..]),
        bytes in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        check_site(&[start.as_bytes(), &bytes].concat())?;
    }

    #[test]
    fn yaml_ish_content_files_load_and_check(text in content_file()) {
        check_site(text.as_bytes())?;
    }

    #[test]
    fn generated_front_matter_maps_load_and_check(yaml in structured_front_matter(), body in markdown_text()) {
        check_site(format!("---\n{yaml}---\n{body}").as_bytes())?;
    }
}
