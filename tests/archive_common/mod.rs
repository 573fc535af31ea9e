//! Helpers for the archive and related-news tests: writing a generated site into a temporary
//! directory, running the `notis` binary on it and reading the generated HTML, feeds and sitemap.
//!
//! Each test binary uses only part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use scraper::{ElementRef, Html, Selector};

#[path = "../common/mod.rs"]
mod common;
#[allow(unused_imports)]
pub use common::{describe, notis, run, stderr, stdout, TODAY};

/// A generated site in a temporary directory, built into `out`.
pub struct Built {
    /// Keeps the directory alive.
    _dir: tempfile::TempDir,
    /// The site's root (with site.yaml and content/).
    pub root: PathBuf,
    /// The generated output.
    pub out: PathBuf,
}

/// Writes `files` (path relative to the site root, text) into a fresh temporary directory and
/// builds it with `notis build --root … --output … --today TODAY`; panics unless the build succeeds.
pub fn build_site(files: &[(String, String)]) -> Built {
    let dir = tempfile::tempdir().expect("temporary directory");
    let root = dir.path().join("site");
    for (path, text) in files {
        let target = root.join(path);
        std::fs::create_dir_all(target.parent().expect("a parent directory")).expect("create directory");
        std::fs::write(&target, text).expect("write fixture file");
    }
    let out = dir.path().join("out");
    common::build_ok(&root, &out, TODAY);
    Built { _dir: dir, root, out }
}

/// A YAML double-quoted scalar; the fixtures never need escapes.
pub fn q(text: &str) -> String {
    assert!(
        !text.contains(['"', '\\', '\n']),
        "fixture text needs no escaping: {text:?}"
    );
    format!("\"{text}\"")
}

/// Every file under `dir`, by path relative to it with `/`, sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, into: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("read directory") {
            let entry = entry.expect("directory entry");
            let path = entry.path();
            if entry.file_type().expect("file type").is_dir() {
                walk(root, &path, into);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .expect("under the root")
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                into.push(relative);
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files.sort();
    files
}

/// The output file a URL of the site names: `base_url` or `base_path` stripped, a trailing `/`
/// read as `index.html`. `None` when the URL is not on the site or names `..`.
pub fn file_for_url(out: &Path, base_url: &str, base_path: &str, url: &str) -> Option<PathBuf> {
    let inside = url
        .strip_prefix(base_url)
        .or_else(|| url.strip_prefix(base_path))?;
    let inside = inside.split(['#', '?']).next().unwrap_or("");
    if inside.split('/').any(|s| s == "..") {
        return None;
    }
    let mut path = inside.to_string();
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    Some(out.join(path))
}

/// Parses an HTML file.
pub fn parse_html(path: &Path) -> Html {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    Html::parse_document(&text)
}

/// A CSS selector; panics on a typo in the test.
pub fn sel(selector: &str) -> Selector {
    Selector::parse(selector).unwrap_or_else(|e| panic!("bad selector {selector:?}: {e:?}"))
}

/// The text of an element, whitespace collapsed and trimmed.
pub fn text(element: ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The texts of all elements matching `selector`.
pub fn texts(document: &Html, selector: &str) -> Vec<String> {
    document.select(&sel(selector)).map(text).collect()
}

/// The `href`s of all elements matching `selector`.
pub fn hrefs(document: &Html, selector: &str) -> Vec<String> {
    document
        .select(&sel(selector))
        .filter_map(|e| e.value().attr("href"))
        .map(str::to_string)
        .collect()
}

/// One entry of a page's "Relaterade nyheter" list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedEntry {
    /// The linked title.
    pub title: String,
    /// The link.
    pub url: String,
    /// The `datetime` of its `<time>`, if any.
    pub datetime: Option<String>,
    /// The summary text, if any.
    pub summary: Option<String>,
}

/// The related-news list of a page (empty when the page has none); panics when the section is
/// there without its heading.
pub fn related_entries(document: &Html) -> Vec<RelatedEntry> {
    let sections: Vec<ElementRef<'_>> = document.select(&sel("main section.related")).collect();
    assert!(sections.len() <= 1, "more than one related-news section");
    let Some(section) = sections.first() else {
        return Vec::new();
    };
    let heading: Vec<String> = section.select(&sel("h2")).map(text).collect();
    assert_eq!(
        heading,
        vec!["Relaterade nyheter".to_string()],
        "heading of the related list"
    );
    section
        .select(&sel("ul > li"))
        .map(|li| {
            let link = li
                .select(&sel("a"))
                .next()
                .expect("every related entry links to its page");
            RelatedEntry {
                title: text(link),
                url: link.value().attr("href").unwrap_or_default().to_string(),
                datetime: li
                    .select(&sel("time"))
                    .next()
                    .and_then(|t| t.value().attr("datetime"))
                    .map(str::to_string),
                summary: li.select(&sel(".summary-item__summary")).next().map(text),
            }
        })
        .collect()
}
