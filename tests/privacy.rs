//! Privacy by default: no output file sets cookies, uses web storage or loads anything from another
//! host. The scan runs over the bundled site and is proven able to fail on a fixture whose template
//! loads a font from a font CDN.

mod common;

use std::path::Path;

use common::{build_ok, html_files, parse_html, sel, TODAY};

/// Everything in `output` that loads from another host or stores data in the browser.
fn violations(output: &Path, own_host: &str) -> Vec<String> {
    let mut found = Vec::new();
    let is_foreign = |url: &str| {
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .or_else(|| url.strip_prefix("//"));
        rest.is_some_and(|rest| rest.split('/').next() != Some(own_host))
    };
    for file in html_files(output) {
        let html = parse_html(&file);
        let shown = file.strip_prefix(output).unwrap().display().to_string();
        for (selector, attribute) in [
            ("script[src]", "src"),
            ("img[src]", "src"),
            ("iframe[src]", "src"),
            ("source[src]", "src"),
            ("video[src]", "src"),
            ("audio[src]", "src"),
            ("embed[src]", "src"),
            ("object[data]", "data"),
            (
                "link[href]:not([rel~='canonical']):not([rel~='alternate'])",
                "href",
            ),
        ] {
            for element in html.select(&sel(selector)) {
                let url = element.value().attr(attribute).unwrap_or("");
                if is_foreign(url) {
                    found.push(format!("{shown}: {selector} loads {url}"));
                }
            }
        }
        for element in html.select(&sel("[srcset]")) {
            let srcset = element.value().attr("srcset").unwrap_or("");
            if srcset.split(',').any(|candidate| is_foreign(candidate.trim())) {
                found.push(format!("{shown}: srcset loads {srcset}"));
            }
        }
        for element in html.select(&sel("script, style, [style]")) {
            let code = format!(
                "{} {}",
                element.text().collect::<String>(),
                element.value().attr("style").unwrap_or("")
            );
            for needle in ["document.cookie", "localStorage", "sessionStorage", "indexedDB"] {
                if code.contains(needle) {
                    found.push(format!("{shown}: uses {needle}"));
                }
            }
            if css_loads_foreign(&code, &is_foreign) {
                found.push(format!("{shown}: inline CSS loads from another host"));
            }
        }
        for element in html.select(&sel("meta[http-equiv]")) {
            if element
                .value()
                .attr("http-equiv")
                .is_some_and(|v| v.eq_ignore_ascii_case("set-cookie"))
            {
                found.push(format!("{shown}: sets a cookie"));
            }
        }
    }
    for entry in walk(output) {
        if entry.extension().is_some_and(|e| e == "css") {
            let css = std::fs::read_to_string(&entry).unwrap_or_default();
            if css_loads_foreign(&css, &is_foreign) {
                found.push(format!("{}: CSS loads from another host", entry.display()));
            }
        }
    }
    found
}

fn css_loads_foreign(css: &str, is_foreign: &dyn Fn(&str) -> bool) -> bool {
    css.split("url(")
        .skip(1)
        .chain(css.split("@import").skip(1))
        .any(|rest| {
            let url = rest.trim_start().trim_start_matches(['"', '\'', ' ', '(']);
            let end = url.find(['"', '\'', ')', ';', ' ']).unwrap_or(url.len());
            is_foreign(&url[..end])
        })
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn the_bundled_site_loads_nothing_from_other_hosts_and_stores_nothing() {
    let (_dir, output) = common::build_bundled(TODAY);
    let found = violations(&output, "example.se");
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_scan_catches_a_font_from_another_host() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("output");
    build_ok(&common::fixture("privacy_font"), &output, TODAY);
    let found = violations(&output, "example.se");
    assert!(
        found.iter().any(|v| v.contains("fonts.googleapis.com")),
        "the font link is found: {found:#?}"
    );
    assert!(found.iter().any(|v| v.contains("localStorage")), "{found:#?}");
}
