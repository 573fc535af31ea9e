//! Helpers of the lifecycle tests (`tests/lifecycle.rs`, `tests/lifecycle_check.rs`): a small
//! site written by the test into a temporary directory, the `notis` binary run on it, and parsers
//! for the generated HTML, feeds, sitemap and reports.
//!
//! Each test binary uses only part of this module.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{ElementRef, Html};

#[path = "../common/mod.rs"]
pub mod common;
#[allow(unused_imports)]
pub use common::{base_path_of, describe, notis, sel, snapshot, stderr, stdout, text};

/// The archive banner of the default theme.
pub const BANNER: &str = "Sidan är arkiverad och uppdateras inte längre.";

/// The archive notice for `date` (YYYY-MM-DD), exactly as the issue words it.
pub fn notice(date: &str) -> String {
    format!("Sidan kommer att arkiveras {date} om sidan inte uppdateras.")
}

/// A Markdown file: front matter lines, then the body.
pub fn md(front: &str, body: &str) -> String {
    format!("---\n{}\n---\n{body}\n", front.trim_matches('\n'))
}

/// A site in a temporary directory, written file by file by the test.
pub struct TestSite {
    dir: tempfile::TempDir,
}

impl TestSite {
    /// A new site with `site_yaml` as its `site.yaml` and nothing else.
    pub fn new(site_yaml: &str) -> TestSite {
        let site = TestSite {
            dir: tempfile::tempdir().expect("temporary directory"),
        };
        site.write("site.yaml", site_yaml);
        site
    }

    /// The site's directory.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The output directory of `notis build`.
    pub fn output(&self) -> PathBuf {
        self.root().join("output")
    }

    /// Writes `text` to `relative` (parents created), replacing what was there.
    pub fn write(&self, relative: &str, text: &str) -> &TestSite {
        let path = self.root().join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create directory");
        std::fs::write(&path, text).expect("write file");
        self
    }

    /// Removes the file `relative`.
    pub fn remove(&self, relative: &str) {
        std::fs::remove_file(self.root().join(relative)).expect("remove file");
    }

    /// Reads the site file `relative`.
    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.root().join(relative))
            .unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
    }

    /// `notis` with `args`, then `--root <site>`, run with `NOTIS_TODAY` removed.
    pub fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = notis();
        command.args(args).arg("--root").arg(self.root());
        command
    }

    /// Runs `notis` with `args` and `--root <site>`.
    pub fn run<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.command(args).output().expect("the notis binary runs")
    }

    /// `notis build --today <today>`, which must succeed; returns its standard output.
    pub fn build(&self, today: &str) -> String {
        let output = self.run(["build", "--today", today]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "build for {today} failed:\n{}",
            describe(&output)
        );
        stdout(&output)
    }

    /// The output file of the page at URL path `url` (relative to the base path, `nyheter/a/`).
    pub fn file_of(&self, url: &str) -> PathBuf {
        let url = url.trim_start_matches('/');
        if url.is_empty() || url.ends_with('/') {
            self.output().join(url).join("index.html")
        } else {
            self.output().join(url)
        }
    }

    /// Whether the page at URL path `url` was written.
    pub fn has(&self, url: &str) -> bool {
        self.file_of(url).is_file()
    }

    /// The page at URL path `url`, parsed; panics when it was not written.
    pub fn page(&self, url: &str) -> Html {
        let path = self.file_of(url);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("no page /{url} ({}): {e}", path.display()));
        Html::parse_document(&text)
    }

    /// Every file of the site but the output, with its bytes.
    pub fn sources(&self) -> BTreeMap<String, Option<Vec<u8>>> {
        snapshot(self.root())
            .into_iter()
            .filter(|(path, _)| !path.starts_with("output/") && !path.starts_with(".output"))
            .collect()
    }

    /// Every file of the output, by path relative to it.
    pub fn output_files(&self) -> Vec<String> {
        snapshot(&self.output())
            .into_iter()
            .filter(|(_, bytes)| bytes.is_some())
            .map(|(path, _)| path)
            .collect()
    }

    /// Every HTML file of the output, by path relative to it, parsed.
    pub fn html_pages(&self) -> Vec<(String, Html)> {
        self.output_files()
            .into_iter()
            .filter(|p| p.ends_with(".html"))
            .map(|p| {
                let text = std::fs::read_to_string(self.output().join(&p)).expect("read page");
                (p, Html::parse_document(&text))
            })
            .collect()
    }

    /// Every Atom feed of the output, parsed, by path.
    pub fn feeds(&self) -> Vec<(String, feed_rs::model::Feed)> {
        self.output_files()
            .into_iter()
            .filter(|p| p.ends_with("atom.xml"))
            .map(|p| {
                let bytes = std::fs::read(self.output().join(&p)).expect("read feed");
                let feed = feed_rs::parser::parse(bytes.as_slice())
                    .unwrap_or_else(|e| panic!("{p} is no valid feed: {e}"));
                (p, feed)
            })
            .collect()
    }

    /// The links (`<link href>` and `<id>`) of every entry of every feed, with the feed's path.
    pub fn feed_entry_links(&self) -> Vec<(String, String)> {
        let mut links = Vec::new();
        for (path, feed) in self.feeds() {
            for entry in feed.entries {
                links.push((path.clone(), entry.id.clone()));
                for link in entry.links {
                    links.push((path.clone(), link.href));
                }
            }
        }
        links
    }

    /// The `<loc>` of every URL in the sitemap.
    pub fn sitemap_locs(&self) -> Vec<String> {
        let text = std::fs::read_to_string(self.output().join("sitemap.xml")).expect("a sitemap");
        let document = roxmltree::Document::parse(&text).expect("the sitemap is XML");
        document
            .descendants()
            .filter(|n| n.tag_name().name() == "loc")
            .map(|n| n.text().unwrap_or_default().trim().to_string())
            .collect()
    }

    /// Internal links of the output that lead nowhere: `(page, href)` for every `a`, `link` and
    /// `meta refresh` URL under `base_path` (or the permalink host `base_url`) with no file.
    pub fn broken_links(&self, base_url: &str) -> Vec<(String, String)> {
        let base_path = base_path_of(base_url);
        let mut broken = Vec::new();
        for (page, document) in self.html_pages() {
            let mut targets: Vec<String> = document
                .select(&sel("a[href], link[href]"))
                .filter_map(|e| e.value().attr("href"))
                .map(str::to_string)
                .collect();
            targets.extend(
                document
                    .select(&sel("meta[http-equiv=refresh]"))
                    .filter_map(|e| e.value().attr("content"))
                    .filter_map(|c| c.split_once("url=").map(|(_, url)| url.trim().to_string())),
            );
            for href in targets {
                let path = match href.strip_prefix(base_url) {
                    Some(rest) => rest.to_string(),
                    None => match href.strip_prefix(&base_path) {
                        Some(rest) if !href.starts_with("//") => rest.to_string(),
                        _ => continue,
                    },
                };
                let path = path.split(['#', '?']).next().unwrap_or_default();
                if !self.has(path) {
                    broken.push((page.clone(), href));
                }
            }
        }
        broken
    }
}

/// The text of the whole document, whitespace collapsed.
pub fn document_text(document: &Html) -> String {
    text(document.root_element())
}

/// The one `<h1>` of a page; panics unless there is exactly one.
pub fn the_h1(document: &Html) -> ElementRef<'_> {
    let all: Vec<_> = document.select(&sel("h1")).collect();
    assert_eq!(
        all.len(),
        1,
        "expected exactly one <h1>, found {:?}",
        all.iter().map(|e| text(*e)).collect::<Vec<_>>()
    );
    all[0]
}

/// The element right after `element` (text between them ignored).
pub fn next_element(element: ElementRef<'_>) -> Option<ElementRef<'_>> {
    element.next_siblings().find_map(ElementRef::wrap)
}

/// The element right after the page's `<h1>`, as (tag name, class, text).
pub fn after_h1(document: &Html) -> Option<(String, String, String)> {
    next_element(the_h1(document)).map(|e| {
        (
            e.value().name().to_string(),
            e.value().attr("class").unwrap_or_default().to_string(),
            text(e),
        )
    })
}

/// The `content` of `<meta name="robots">`, if any.
pub fn robots(document: &Html) -> Option<String> {
    document
        .select(&sel("meta[name=robots]"))
        .next()
        .and_then(|e| e.value().attr("content"))
        .map(str::to_string)
}

/// The `href` of every element matching `selector` (which should select `a` or `link`).
pub fn hrefs(document: &Html, selector: &str) -> Vec<String> {
    document
        .select(&sel(selector))
        .filter_map(|e| e.value().attr("href"))
        .map(str::to_string)
        .collect()
}

/// The hrefs of links outside the Markdown body (`.content`): menus, listings, related lists.
pub fn hrefs_outside_content(document: &Html) -> Vec<String> {
    document
        .select(&sel("a[href]"))
        .filter(|a| {
            !a.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|e| e.value().classes().any(|c| c == "content"))
        })
        .filter_map(|a| a.value().attr("href"))
        .map(str::to_string)
        .collect()
}

/// Every date `D` of the text "arkiveras D" in `text`.
pub fn notice_dates(text: &str) -> Vec<String> {
    text.match_indices("arkiveras ")
        .map(|(i, m)| text[i + m.len()..].chars().take(10).collect::<String>())
        .filter(|d| {
            d.len() == 10
                && d.char_indices().all(|(i, c)| {
                    if i == 4 || i == 7 {
                        c == '-'
                    } else {
                        c.is_ascii_digit()
                    }
                })
        })
        .collect()
}

/// Parses CSV text (RFC 4180: quoted fields with doubled quotes) into rows of fields.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// The front matter of a Markdown file, parsed as YAML.
pub fn front_matter(text: &str) -> serde_yaml::Value {
    let rest = text
        .strip_prefix("---\n")
        .unwrap_or_else(|| panic!("no front matter in:\n{text}"));
    let end = rest.find("\n---").expect("the front matter ends");
    serde_yaml::from_str(&rest[..end]).unwrap_or_else(|e| panic!("front matter is no YAML ({e}):\n{text}"))
}

/// A site with a start page, a news section with one tagged item (`2026-01-10-forsta.md`), and a
/// page `om.md`, all of which build.
pub fn small_news_site() -> TestSite {
    let site = TestSite::new("title: T\nbase_url: https://example.se/\nnews_section: nyheter\n");
    site.write("content/_index.md", &md("title: Start", "Välkommen."))
        .write(
            "content/nyheter/_index.md",
            &md("title: Nyheter\ndefault_kind: news", ""),
        )
        .write(
            "content/nyheter/2026-01-10-forsta.md",
            &md("title: Första\ntags: [samverkan]", "Text."),
        )
        .write("content/om.md", &md("title: Om oss", "Text."));
    site
}
