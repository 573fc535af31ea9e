//! A site published under a sub-path (`https://example.se/barnhalsa/`): every internal URL in the
//! output starts with the base path and leads to a file that exists.

mod common;

use common::{
    build_bundled, build_ok, check_links, fixture, html_files, parse_html, sel, BUNDLED_BASE_URL, TODAY,
};

const SUBPATH_BASE_URL: &str = "https://example.se/barnhalsa/";

#[test]
fn subpath_fixture_links_resolve_under_the_base_path() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("out");
    build_ok(&fixture("subpath"), &output, TODAY);

    let problems = check_links(&output, SUBPATH_BASE_URL);
    assert!(problems.is_empty(), "broken links:\n{}", problems.join("\n"));

    // The pages exist where pretty URLs put them, and the image was copied from static/.
    for path in [
        "index.html",
        "avsnitt/index.html",
        "avsnitt/ett/index.html",
        "avsnitt/tva/index.html",
        "tre/index.html",
        "404.html",
        "bilder/x.svg",
    ] {
        assert!(output.join(path).is_file(), "{path} is missing");
    }

    // The links written in Markdown really became site URLs: relative .md links (also with
    // ../ and a #fragment), /content-root .md links, and /bilder/x.svg root links.
    let expect = [
        (
            "index.html",
            &[
                "/barnhalsa/avsnitt/",
                "/barnhalsa/avsnitt/ett/",
                "/barnhalsa/avsnitt/tva/",
                "/barnhalsa/tre/",
            ][..],
            &["/barnhalsa/bilder/x.svg"][..],
        ),
        (
            "avsnitt/index.html",
            &["/barnhalsa/", "/barnhalsa/tre/"][..],
            &[][..],
        ),
        (
            "avsnitt/ett/index.html",
            &[
                "/barnhalsa/avsnitt/tva/#andra-rubriken",
                "/barnhalsa/tre/#tredje-rubriken",
                "/barnhalsa/bilder/x.svg",
            ][..],
            &["/barnhalsa/bilder/x.svg"][..],
        ),
        (
            "avsnitt/tva/index.html",
            &[
                "/barnhalsa/avsnitt/ett/#forsta-rubriken",
                "/barnhalsa/avsnitt/",
                "/barnhalsa/tre/",
            ][..],
            &["/barnhalsa/bilder/x.svg"][..],
        ),
        (
            "tre/index.html",
            &[
                "/barnhalsa/avsnitt/ett/",
                "/barnhalsa/avsnitt/tva/#andra-rubriken",
                "/barnhalsa/bilder/x.svg",
            ][..],
            &[][..],
        ),
    ];
    for (path, hrefs, srcs) in expect {
        let document = parse_html(&output.join(path));
        let content = sel("main .content a[href], main .content img[src], main img[src]");
        let found_hrefs: Vec<&str> = document
            .select(&content)
            .filter_map(|e| e.value().attr("href"))
            .collect();
        let found_srcs: Vec<&str> = document
            .select(&content)
            .filter_map(|e| e.value().attr("src"))
            .collect();
        for href in hrefs {
            assert!(
                found_hrefs.contains(href),
                "{path}: no link to {href} in the content: {found_hrefs:?}"
            );
        }
        for src in srcs {
            assert!(found_srcs.contains(src), "{path}: no image {src}: {found_srcs:?}");
        }
    }

    // The stylesheet and the canonical link carry the base path too.
    for file in html_files(&output) {
        let document = parse_html(&file);
        let styles: Vec<_> = document
            .select(&sel(r#"link[rel="stylesheet"]"#))
            .filter_map(|e| e.value().attr("href"))
            .collect();
        assert_eq!(styles, vec!["/barnhalsa/css/notis.css"], "{}", file.display());
        for canonical in document.select(&sel(r#"link[rel="canonical"]"#)) {
            let href = canonical.value().attr("href").unwrap_or("");
            assert!(href.starts_with(SUBPATH_BASE_URL), "{}: {href}", file.display());
        }
    }
}

#[test]
fn the_checker_finds_broken_links() {
    // The checker itself must be able to fail: a page with a link outside the base path, a link to
    // a missing page, a missing fragment and a relative link.
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path();
    std::fs::create_dir_all(output.join("a")).unwrap();
    std::fs::write(
        output.join("a/index.html"),
        r##"<!DOCTYPE html><html lang="sv"><body>
<a href="#saknas">1</a>
<a href="/annat/">2</a>
<a href="/barnhalsa/b/">3</a>
<a href="/barnhalsa/a/#saknas">4</a>
<img src="bild.svg" alt="5">
<a href="https://example.se/barnhalsa/c/">6</a>
<a href="/barnhalsa/a/" id="finns">ok</a>
<a href="/barnhalsa/a/#finns">ok</a>
<a href="https://www.digg.se/">ok</a>
<a href="mailto:a@example.se">ok</a>
</body></html>"##,
    )
    .unwrap();
    let problems = check_links(output, SUBPATH_BASE_URL);
    assert_eq!(problems.len(), 6, "{problems:#?}");
}

#[test]
fn bundled_site_links_resolve_under_the_base_path() {
    let (_dir, output) = build_bundled(TODAY);
    let problems = check_links(&output, BUNDLED_BASE_URL);
    assert!(problems.is_empty(), "broken links:\n{}", problems.join("\n"));
}

#[test]
fn bundled_site_links_resolve_after_archiving() {
    // After the history page's archive date it moves to /arkiv/ and a redirect stays behind; the
    // archive listing, the redirect and every link to the page must still resolve.
    let (_dir, output) = build_bundled("2027-03-07");
    let problems = check_links(&output, BUNDLED_BASE_URL);
    assert!(problems.is_empty(), "broken links:\n{}", problems.join("\n"));
}
