//! Nothing a communicator writes is left out without a word: static files that a generated page
//! would replace, topics without a slug or with two spellings, links that lead out of the site,
//! archive and review dates before publication, and years no page can be in.

mod lifecycle_common;

use lifecycle_common::common::{copy_dir, diagnostics, repo_root, Printed};
use lifecycle_common::*;

const TODAY: &str = "2026-11-23";

/// `notis build` that must fail; returns its diagnostics, after checking nothing was written.
fn build_fails(site: &TestSite) -> Vec<Printed> {
    let output = site.run(["build", "--today", TODAY]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(!site.output().exists(), "nothing is written on errors");
    diagnostics(&stderr(&output))
}

/// `notis build` that must succeed; returns its diagnostics (warnings).
fn build_warns(site: &TestSite) -> Vec<Printed> {
    let output = site.run(["build", "--today", TODAY]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    diagnostics(&stderr(&output))
}

/// The one diagnostic at `path`, or a panic listing all of them.
fn the_one_at<'a>(found: &'a [Printed], path: &str) -> &'a Printed {
    let at: Vec<&Printed> = found.iter().filter(|d| d.path == path).collect();
    assert_eq!(at.len(), 1, "one diagnostic at {path}: {found:#?}");
    at[0]
}

// Static files in the way of generated files

#[test]
fn a_static_file_at_the_path_of_a_generated_page_is_an_error_naming_the_page() {
    let site = small_news_site();
    site.write("static/index.html", "<p>egen startsida</p>")
        .write("static/amnen/index.html", "<p>egna ämnen</p>")
        .write("static/om/index.html", "<p>om</p>")
        .write("static/nyheter/atom.xml", "<feed/>")
        .write("static/bilder/logo.svg", "<svg/>");
    let found = build_fails(&site);
    for (file, page) in [
        ("static/index.html", "startsidan"),
        ("static/amnen/index.html", "ämnesöversikten"),
        ("static/om/index.html", "sidan content/om.md"),
        ("static/nyheter/atom.xml", "webbflöde"),
    ] {
        let error = the_one_at(&found, file);
        assert_eq!(error.label, "fel", "{error:?}");
        assert!(error.message.contains(page), "names {page}: {error:?}");
        assert!(error.hint.is_some(), "{error:?}");
    }
    assert_eq!(found.len(), 4, "the image is no problem: {found:#?}");
}

#[test]
fn a_theme_static_file_in_the_way_of_a_page_is_an_error_but_one_the_site_replaces_is_not() {
    let site = small_news_site();
    copy_dir(
        &repo_root().join("themes/default"),
        &site.root().join("themes/eget"),
    );
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.se/\nnews_section: nyheter\ntheme: eget\n",
    )
    .write("themes/eget/static/sitemap.xml", "<urlset/>");
    let error = the_one_at(&build_fails(&site), "themes/eget/static/sitemap.xml").clone();
    assert!(error.message.contains("webbplatskartan"), "{error:?}");

    site.remove("themes/eget/static/sitemap.xml");
    site.write("static/css/notis.css", "body { color: black }");
    assert_eq!(build_warns(&site), Vec::new());
    assert_eq!(site.read("output/css/notis.css"), "body { color: black }");
}

// Topics

#[test]
fn a_topic_without_letters_or_digits_is_an_error_at_the_tags_line() {
    let site = small_news_site();
    // Emoji are not among them: they are spelt out ("🎉" becomes /amnen/tada/).
    for (name, tag) in [
        ("utrop", "\"!!!\""),
        ("streck", "\"–\""),
        ("stjarna", "\"★\""),
        ("tom", "\"\""),
    ] {
        site.write(
            &format!("content/nyheter/2026-02-01-{name}.md"),
            &md(&format!("title: {name}\ntags: [samverkan, {tag}]"), "Text."),
        );
    }
    let found = build_fails(&site);
    for name in ["utrop", "streck", "stjarna", "tom"] {
        let error = the_one_at(&found, &format!("content/nyheter/2026-02-01-{name}.md"));
        assert_eq!((error.label.as_str(), error.line), ("fel", 3), "{error:?}");
        assert!(
            error.message.contains("inga bokstäver eller siffror"),
            "{error:?}"
        );
    }
}

#[test]
fn two_spellings_of_one_topic_are_one_topic_and_a_warning_naming_both() {
    let site = small_news_site();
    site.write(
        "content/nyheter/2026-02-01-andra.md",
        &md("title: Andra\ntags: [\"Nära vård\"]", "Text."),
    )
    .write(
        "content/nyheter/2026-03-01-tredje.md",
        &md(
            "title: Tredje\ndate: 2026-03-01\nämnen: [\"nära-vård\", samverkan]",
            "Text.",
        ),
    );
    let found = build_warns(&site);
    let warning = the_one_at(&found, "content/nyheter/2026-03-01-tredje.md");
    assert_eq!(
        (warning.label.as_str(), warning.line),
        ("varning", 4),
        "{warning:?}"
    );
    for named in [
        "\"nära-vård\"",
        "\"Nära vård\"",
        "content/nyheter/2026-02-01-andra.md",
    ] {
        assert!(warning.message.contains(named), "names {named}: {warning:?}");
    }
    assert_eq!(found.len(), 1, "{found:#?}");
    let topic = site.page("amnen/nara-vard/");
    let listed = hrefs(&topic, "main a");
    for item in ["/nyheter/andra/", "/nyheter/tredje/"] {
        assert!(listed.contains(&item.to_string()), "{item} in {listed:?}");
    }
}

// Links out of the site

#[cfg(unix)]
#[test]
fn a_link_out_of_the_site_is_an_error_naming_the_link_and_its_target() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("temporary directory");
    std::fs::write(
        outside.path().join("hemlig.md"),
        md("title: Hemlig", "Inte härifrån."),
    )
    .expect("write");
    std::fs::write(outside.path().join("hemlig.txt"), "lösenord").expect("write");
    let site = small_news_site();
    let root = site.root();
    symlink(
        outside.path().join("hemlig.md"),
        root.join("content/nyheter/lank.md"),
    )
    .expect("link");
    symlink(outside.path(), root.join("content/extern")).expect("link");
    std::fs::create_dir_all(root.join("static")).expect("static");
    symlink(outside.path().join("hemlig.txt"), root.join("static/hemlig.txt")).expect("link");
    let found = build_fails(&site);
    let target = outside.path().canonicalize().expect("canonical");
    for (link, to) in [
        ("content/nyheter/lank.md", target.join("hemlig.md")),
        ("content/extern", target.clone()),
        ("static/hemlig.txt", target.join("hemlig.txt")),
    ] {
        let error = the_one_at(&found, link);
        assert_eq!(error.label, "fel", "{error:?}");
        assert!(
            error.message.contains(&to.display().to_string()),
            "names {}: {error:?}",
            to.display()
        );
    }
    assert_eq!(
        found.len(),
        3,
        "nothing under the linked directory is read: {found:#?}"
    );
}

#[cfg(unix)]
#[test]
fn links_that_stay_inside_are_followed_and_broken_ones_are_errors() {
    use std::os::unix::fs::symlink;
    let site = small_news_site();
    let root = site.root();
    site.write("content/arkivet/_index.md", &md("title: Arkivet", ""))
        .write("content/arkivet/gammal.md", &md("title: Gammal", "Text."))
        .write("static/bilder/logo.svg", "<svg/>");
    symlink("om.md", root.join("content/kopia.md")).expect("link");
    symlink("arkivet", root.join("content/spegel")).expect("link");
    symlink("logo.svg", root.join("static/bilder/logga.svg")).expect("link");
    assert_eq!(build_warns(&site), Vec::new());
    assert_eq!(text(the_h1(&site.page("kopia/"))), "Om oss");
    assert_eq!(text(the_h1(&site.page("spegel/gammal/"))), "Gammal");
    assert_eq!(site.read("output/bilder/logga.svg"), "<svg/>");

    std::fs::remove_dir_all(site.output()).expect("remove output");
    symlink("finns-inte.md", root.join("content/trasig.md")).expect("link");
    let error = the_one_at(&build_fails(&site), "content/trasig.md").clone();
    assert_eq!(error.label, "fel", "{error:?}");
}

// Dates

#[test]
fn an_archive_date_not_after_publication_is_an_error_at_its_line() {
    let site = small_news_site();
    site.write(
        "content/nyheter/2026-02-01-fore.md",
        &md("title: Före\nsummary: S\narchive_date: 2026-01-31", "Text."),
    )
    .write(
        "content/nyheter/samma-dag.md",
        &md(
            "title: Samma dag\ndate: 2026-02-01 10:00\narkiveras: 2026-02-01",
            "Text.",
        ),
    )
    .write(
        "content/nyheter/2026-02-01-efter.md",
        &md("title: Efter\narchive_date: 2026-02-02", "Text."),
    );
    let found = build_fails(&site);
    for (file, line) in [
        ("content/nyheter/2026-02-01-fore.md", 4),
        ("content/nyheter/samma-dag.md", 4),
    ] {
        let error = the_one_at(&found, file);
        assert_eq!((error.label.as_str(), error.line), ("fel", line), "{error:?}");
        assert!(error.message.contains("2026-02-01"), "{error:?}");
        assert!(
            error
                .hint
                .as_deref()
                .is_some_and(|h| h.contains("samma stund som den publiceras")),
            "{error:?}"
        );
    }
    assert_eq!(found.len(), 2, "{found:#?}");
}

#[test]
fn a_review_date_before_publication_is_a_warning_at_its_line() {
    let site = small_news_site();
    site.write(
        "content/nyheter/2026-02-01-granskas.md",
        &md("title: Granskas\ngranskas: 2025-02-01", "Text."),
    );
    let found = build_warns(&site);
    let warning = the_one_at(&found, "content/nyheter/2026-02-01-granskas.md");
    assert_eq!(
        (warning.label.as_str(), warning.line),
        ("varning", 3),
        "{warning:?}"
    );
    assert!(warning.message.contains("2025-02-01"), "{warning:?}");
    assert!(site.has("nyheter/granskas/"));
}

#[test]
fn a_year_outside_1900_to_2200_is_an_error_at_its_line() {
    let site = small_news_site();
    let cases = [
        ("datum.md", "date: 0000-01-01", 3),
        ("tid.md", "date: 9999-12-31 10:00", 3),
        ("uppdaterad.md", "date: 2026-01-01\nupdated: 2201-01-01", 4),
        ("arkiveras.md", "date: 2026-01-01\narchive_date: 9999-12-31", 4),
        ("granskas.md", "date: 2026-01-01\nreview_date: 1899-12-31", 4),
        ("ar.md", "kind: summary\nyear: 9999", 4),
    ];
    for (file, front, _) in cases {
        site.write(
            &format!("content/nyheter/{file}"),
            &md(&format!("title: T\n{front}"), "Text."),
        );
    }
    site.write("content/nyheter/0000-01-01-filnamn.md", &md("title: T", "Text."));
    let found = build_fails(&site);
    for (file, _, line) in cases {
        let error = the_one_at(&found, &format!("content/nyheter/{file}"));
        assert_eq!((error.label.as_str(), error.line), ("fel", line), "{error:?}");
        assert!(error.message.contains("utanför 1900–2200"), "{error:?}");
    }
    let error = the_one_at(&found, "content/nyheter/0000-01-01-filnamn.md");
    assert!(error.message.contains("filnamnet"), "{error:?}");
    assert_eq!(found.len(), cases.len() + 1, "{found:#?}");
}
