//! Privacy by default: no output file sets cookies, uses web storage or loads anything from another
//! host. The scan runs over the bundled site and is proven able to fail on a fixture whose template
//! loads a font from a font CDN; the build's own external-resource check refuses that fixture, and
//! every way of loading from another host is caught by it, in a template and in raw HTML.

mod common;

use std::path::Path;

use common::{build_ok, describe, diagnostics, html_files, parse_html, run, sel, stderr, TODAY};

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

/// The font fixture copied with the external-resource check turned off, so that it builds.
fn font_fixture_unchecked(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("site");
    common::copy_dir(&common::fixture("privacy_font"), &root);
    let config = root.join("site.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}lints:\n  external_resource: off\n")).unwrap();
    root
}

#[test]
fn the_scan_catches_a_font_from_another_host() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("output");
    build_ok(&font_fixture_unchecked(dir.path()), &output, TODAY);
    let found = violations(&output, "example.se");
    assert!(
        found.iter().any(|v| v.contains("fonts.googleapis.com")),
        "the font link is found: {found:#?}"
    );
    assert!(found.iter().any(|v| v.contains("localStorage")), "{found:#?}");
}

#[test]
fn the_build_refuses_a_font_from_another_host_at_its_template_line() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("output");
    let root = common::fixture("privacy_font");
    let result = run([
        "build".as_ref(),
        "--root".as_ref(),
        root.as_os_str(),
        "--output".as_ref(),
        output.as_os_str(),
        "--today".as_ref(),
        TODAY.as_ref(),
    ]);
    let context = describe(&result);
    assert_eq!(result.status.code(), Some(1), "{context}");
    let found = diagnostics(&stderr(&result));
    assert!(
        found.iter().any(|d| d.path == "templates/index.html"
            && d.line == 4
            && d.label == "fel"
            && d.message.contains("fonts.googleapis.com")),
        "{context}"
    );
    assert!(!output.exists(), "nothing is written: {context}");
}

/// Every construct that makes a browser fetch from another host by itself, and whether it can be
/// written in raw HTML at all (a script never can: the sanitiser removes it, and says so).
const CONSTRUCTS: &[(&str, bool)] = &[
    (
        "<img srcset=\"https://evil.example/a.png 2x\" src=\"/a.png\" alt=\"\">",
        true,
    ),
    ("<svg><image href=\"https://evil.example/a.png\"/></svg>", true),
    (
        "<svg><image xlink:href=\"https://evil.example/a.png\"/></svg>",
        true,
    ),
    ("<video poster=\"https://evil.example/p.jpg\"></video>", true),
    ("<object data=\"https://evil.example/x.swf\"></object>", true),
    ("<style>@import \"https://evil.example/x.css\";</style>", true),
    (
        "<style>p { background: url(https://evil.example/b.png) }</style>",
        true,
    ),
    (
        "<p style=\"background:url('https://evil.example/b.png')\">x</p>",
        true,
    ),
    (
        "<p style=\"background:\\75rl(https://evil.example/b.png)\">x</p>",
        true,
    ),
    ("<base href=\"https://evil.example/\">", true),
    (
        "<meta http-equiv=\"refresh\" content=\"0; url=https://evil.example/\">",
        true,
    ),
    ("<a href=\"/\" ping=\"https://evil.example/track\">x</a>", true),
    ("<img src=\"https&#58;//evil.example/a.png\" alt=\"\">", true),
    ("<img src=\"\\\\evil.example/a.png\" alt=\"\">", true),
    ("<img src=\"https:\\\\evil.example/a.png\" alt=\"\">", true),
    ("<img src=\"//evil.example/a.png\" alt=\"\">", true),
    (
        "<link rel=\"stylesheet\" href=\"https://evil.example/x.css\">",
        true,
    ),
    (
        "<iframe src=\"https://evil.example/\" title=\"x\"></iframe>",
        true,
    ),
    ("<embed src=\"https://evil.example/x\">", true),
    ("<video><source src=\"https://evil.example/v.mp4\"></video>", true),
    (
        "<picture><source srcset=\"https://evil.example/a.webp\"><img src=\"/a.png\" alt=\"\"></picture>",
        true,
    ),
    ("<video><track src=\"https://evil.example/t.vtt\"></video>", true),
    ("<audio src=\"https://evil.example/a.mp3\"></audio>", true),
    (
        "<input type=\"image\" src=\"https://evil.example/a.png\" alt=\"x\">",
        true,
    ),
    ("<form action=\"https://evil.example/\"></form>", true),
    (
        "<form><button formaction=\"https://evil.example/\">x</button></form>",
        true,
    ),
    (
        "<img lowsrc=\"https://evil.example/a.png\" src=\"/a.png\" alt=\"\">",
        true,
    ),
    (
        "<img dynsrc=\"https://evil.example/a.png\" src=\"/a.png\" alt=\"\">",
        true,
    ),
    (
        "<table background=\"https://evil.example/b.png\"><tr><td>x</td></tr></table>",
        true,
    ),
    ("<script src=\"https://evil.example/x.js\"></script>", false),
    (
        "<iframe srcdoc=\"&lt;img src=https://evil.example/a.png&gt;\"></iframe>",
        false,
    ),
];

/// What raw HTML may contain on the site of the body cases: every element and attribute above.
const ALLOW_ALL: &str = "raw_html:\n  elements: [svg, image, video, object, style, base, meta, link, iframe, embed, \
                         source, picture, track, audio, input, form, button]\n  attributes: [srcset, href, poster, data, \
                         style, ping, http-equiv, content, rel, src, action, formaction, lowsrc, dynsrc, background, type]\n";

/// The page template of the template cases, with the construct on line 5.
fn page_template(construct: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"sv\">\n<head><meta charset=\"utf-8\"><title>{{{{ page.title }}}}</title></head>\n\
         <body><main>{{{{ page.content | safe }}}}</main>\n{construct}\n</body>\n</html>\n"
    )
}

fn build_with(files: &[(&str, &str)]) -> (Option<i32>, Vec<common::Printed>, String) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let root = dir.path();
    let result = run([
        "build".as_ref(),
        "--root".as_ref(),
        root.as_os_str(),
        "--today".as_ref(),
        TODAY.as_ref(),
    ]);
    (
        result.status.code(),
        diagnostics(&stderr(&result)),
        describe(&result),
    )
}

#[test]
fn every_way_of_loading_from_another_host_is_an_error_at_its_line() {
    const SITE: &str = "title: Prov\nbase_url: https://example.se/\n";
    const START: &str = "---\ntitle: Start\n---\nVälkommen.\n";
    for &(construct, in_raw_html) in CONSTRUCTS {
        let template = page_template(construct);
        let (code, found, context) = build_with(&[
            ("site.yaml", SITE),
            ("content/_index.md", START),
            ("content/sida.md", "---\ntitle: Sida\n---\nText.\n"),
            ("templates/page.html", &template),
        ]);
        let context = format!("{construct} in a template\n{context}");
        assert_eq!(code, Some(1), "{context}");
        assert!(
            found.iter().any(|d| d.path == "templates/page.html"
                && d.line == 5
                && d.label == "fel"
                && d.message.contains("annan webbplats")),
            "{context}"
        );

        let site = format!("{SITE}{ALLOW_ALL}");
        let page = format!("---\ntitle: Sida\n---\nText.\n\n{construct}\n");
        let (code, found, context) = build_with(&[
            ("site.yaml", &site),
            ("content/_index.md", START),
            ("content/sida.md", &page),
        ]);
        let context = format!("{construct} in raw HTML\n{context}");
        assert_eq!(code, Some(1), "{context}");
        let expected = if in_raw_html {
            "annan webbplats"
        } else {
            "tas bort"
        };
        assert!(
            found.iter().any(|d| d.path == "content/sida.md"
                && d.line == 6
                && d.label == "fel"
                && d.message.contains(expected)),
            "{context}"
        );
    }
}

#[test]
fn links_to_other_sites_are_not_resources() {
    let (code, found, context) = build_with(&[
        ("site.yaml", "title: Prov\nbase_url: https://example.se/\n"),
        ("content/_index.md", "---\ntitle: Start\n---\nVälkommen.\n"),
        (
            "content/sida.md",
            "---\ntitle: Sida\n---\nSe <a href=\"https://www.digg.se/\">Diggs webbplats</a> och \
             [tillsynen](https://www.digg.se/tillsyn).\n",
        ),
    ]);
    assert_eq!(code, Some(0), "{context}");
    assert!(found.is_empty(), "{context}");
}

#[test]
fn a_script_url_from_data_in_a_template_is_an_error_at_the_template() {
    let template = page_template("<a href=\"{{ data.lankar.karta }}\">Karta</a>");
    let (code, found, context) = build_with(&[
        ("site.yaml", "title: Prov\nbase_url: https://example.se/\n"),
        ("content/_index.md", "---\ntitle: Start\n---\nVälkommen.\n"),
        ("content/sida.md", "---\ntitle: Sida\n---\nText.\n"),
        ("data/lankar.yaml", "karta: \"JavaScript:visaKarta()\"\n"),
        ("templates/page.html", &template),
    ]);
    assert_eq!(code, Some(1), "{context}");
    assert!(
        found.iter().any(|d| d.path == "templates/page.html"
            && d.label == "fel"
            && d.message.contains("\"javascript:\"")
            && d.message.contains("sida/index.html")),
        "{context}"
    );
}
