//! Broken sites: every problem reported once, at its file and line, with exit code 1, and nothing
//! written. Also the command line's own exit codes.

mod common;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::Path;

use common::{
    copy_dir, describe, diagnostics, fixture, listing, run, snapshot, stderr, stdout, Printed, TODAY,
};

/// A file the fixture cannot hold as it is (git may rewrite it): Latin-1 "Kök" on line 2.
const LATIN1_FILE: &str = "content/latin1.md";
const LATIN1_BYTES: &[u8] = b"---\ntitle: K\xf6k\n---\nText i fel teckenkodning.\n";

/// Copies a fixture into a fresh temporary directory and adds `output/` with a sentinel file
/// from an earlier build.
fn site_with_old_output(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    copy_dir(&fixture(name), dir.path());
    let output = dir.path().join("output");
    std::fs::create_dir_all(output.join("gammal")).unwrap();
    std::fs::write(output.join("sentinel.txt"), "från förra bygget\n").unwrap();
    std::fs::write(
        output.join("gammal/index.html"),
        "<!DOCTYPE html><title>gammal</title>\n",
    )
    .unwrap();
    // The manifest of the build that wrote them: without it notis refuses to build into a directory
    // of files it did not write.
    std::fs::write(
        dir.path().join(".output.notis-manifest"),
        "notis-manifest 1 0\n{}\n0 0 gammal/index.html\n0 0 sentinel.txt\n",
    )
    .unwrap();
    dir
}

fn build(root: &Path) -> std::process::Output {
    run([
        OsStr::new("build"),
        OsStr::new("--root"),
        root.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(TODAY),
    ])
}

/// One expected diagnostic: the files it may be reported in, its line, its column when it is
/// known exactly, and texts the message and the hint must contain.
struct Expected {
    files: &'static [&'static str],
    line: usize,
    column: Option<usize>,
    message: &'static [&'static str],
    hint: &'static [&'static str],
}

const fn at(file: &'static [&'static str], line: usize, message: &'static [&'static str]) -> Expected {
    Expected {
        files: file,
        line,
        column: None,
        message,
        hint: &[],
    }
}

impl Expected {
    const fn column(mut self, column: usize) -> Expected {
        self.column = Some(column);
        self
    }

    const fn hint(mut self, hint: &'static [&'static str]) -> Expected {
        self.hint = hint;
        self
    }

    fn matches(&self, printed: &Printed) -> bool {
        self.files.contains(&printed.path.as_str())
            && printed.line == self.line
            && self.column.is_none_or(|c| printed.column == c)
            && printed.label == "fel"
            && self.message.iter().all(|m| printed.message.contains(m))
            && self
                .hint
                .iter()
                .all(|h| printed.hint.as_deref().is_some_and(|hint| hint.contains(h)))
    }
}

/// The problems planted in tests/fixtures/broken (plus the Latin-1 file written by the test), one
/// per file, at the line where each is.
fn expected_problems() -> Vec<Expected> {
    vec![
        // Bad YAML: an unquoted ": " inside a value, at the second colon of line 3.
        at(&["content/trasig-yaml.md"], 3, &["YAML"]).column(22),
        // Wrong types.
        at(&["content/fel-typ-amnen.md"], 3, &["\"tags\""]),
        at(&["content/fel-typ-utkast.md"], 4, &["\"draft\""]),
        // Unknown key, with a suggestion of the key that was meant.
        at(&["content/okand-nyckel.md"], 3, &["\"titl\""]).hint(&["\"title\""]),
        // No title: reported at the first line of the front matter.
        at(&["content/saknar-rubrik.md"], 2, &["title"]),
        // A date that does not exist.
        at(&["content/fel-datum.md"], 3, &["2019-13-45"]),
        // A link to a missing .md file, at the link's line and column.
        at(&["content/trasig-lank.md"], 6, &["finns-inte.md"]).column(11),
        // Two files with the same URL (a.md and 2020-01-01-a.md in one section): one message, in
        // one of the two files, naming the URL and the other file.
        at(
            &["content/nyheter/a.md", "content/nyheter/2020-01-01-a.md"],
            1,
            &["/nyheter/a/"],
        ),
        // Not UTF-8: the line and column of the first bad byte.
        at(&[LATIN1_FILE], 2, &["UTF-8"]).column(9),
        // An image without alternative text, at the image line.
        at(&["content/bild-utan-alt.md"], 3, &["image_alt"]),
        // An image that is not in static/, at the image line.
        at(&["content/bild-saknas.md"], 4, &["/bilder/saknas.svg", "static/"]),
        // A news item (default_kind: news in its section) without a date.
        at(&["content/nyheter/utan-datum.md"], 2, &["publiceringsdatum"]).hint(&["date:"]),
        // No front matter at all.
        at(&["content/utan-front-matter.md"], 1, &["front matter"]),
    ]
}

#[test]
fn every_broken_file_is_reported_once_and_nothing_is_written() {
    let dir = site_with_old_output("broken");
    std::fs::write(dir.path().join(LATIN1_FILE), LATIN1_BYTES).unwrap();
    let before = snapshot(dir.path());
    let output_before = snapshot(&dir.path().join("output"));

    let result = build(dir.path());
    let log = describe(&result);
    assert_eq!(result.status.code(), Some(1), "{log}");
    assert!(!stdout(&result).contains("Klart"), "{log}");

    let printed = diagnostics(&stderr(&result));
    let expected = expected_problems();
    assert!(expected.len() >= 10);
    for want in &expected {
        let hits = printed.iter().filter(|p| want.matches(p)).count();
        assert_eq!(
            hits, 1,
            "expected one message {:?}:{}: {:?} (hint {:?}), found {hits}\n{log}",
            want.files, want.line, want.message, want.hint
        );
    }
    assert_eq!(
        printed.len(),
        expected.len(),
        "one message per problem and nothing else\n{log}"
    );
    for p in &printed {
        assert!(p.path.starts_with("content/"), "{p:?}");
        assert!(p.column >= 1, "every message has a column: {p:?}");
        assert!(p.hint.is_some(), "every message has a hint: {p:?}");
    }
    // The Swedish alias `titel:` is fine, as is everything the valid pages link to.
    assert!(
        !printed.iter().any(|p| p.path.contains("svenska-nycklar")),
        "the Swedish key \"titel\" was reported\n{log}"
    );
    // Sorted by file, then line.
    let order: Vec<(&str, usize)> = printed.iter().map(|p| (p.path.as_str(), p.line)).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "messages are not sorted by file and line");
    assert!(
        stderr(&result).contains(&format!("{} fel", expected.len())),
        "the error count is missing\n{log}"
    );

    // The earlier output is exactly as it was, and nothing else appeared (no staging directory).
    let output_after = snapshot(&dir.path().join("output"));
    assert_eq!(listing(&output_after), listing(&output_before));
    assert!(output_after == output_before, "output/ was changed");
    let after = snapshot(dir.path());
    assert_eq!(listing(&after), listing(&before), "files were added or removed");
    assert!(after == before, "a file in the site was changed");
}

#[test]
fn the_site_builds_once_the_broken_files_are_gone() {
    // What is left of the broken fixture — the start page, the news section, a valid news item and
    // a page written with Swedish keys (titel, ingress, ämnen, sidansvarig) — builds cleanly, so
    // every message above comes from a planted problem.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("broken"), dir.path());
    let keep = [
        "content/_index.md",
        "content/nyheter/_index.md",
        "content/nyheter/a.md",
        "content/svenska-nycklar.md",
    ];
    let files: BTreeMap<String, Option<Vec<u8>>> = snapshot(&dir.path().join("content"));
    for path in files.keys().filter(|p| !p.ends_with('/')) {
        let relative = format!("content/{path}");
        if !keep.contains(&relative.as_str()) {
            std::fs::remove_file(dir.path().join(&relative)).unwrap();
        }
    }
    let result = build(dir.path());
    assert_eq!(result.status.code(), Some(0), "{}", describe(&result));
    assert!(
        !stderr(&result).contains("fel"),
        "unexpected messages:\n{}",
        describe(&result)
    );
    let page = common::parse_html(&dir.path().join("output/svenska-nycklar/index.html"));
    assert_eq!(common::h1(&page), "Svenska nycklar");
    let descriptions: Vec<_> = page
        .select(&common::sel(r#"meta[name="description"]"#))
        .map(|m| m.value().attr("content").unwrap_or(""))
        .collect();
    assert_eq!(
        descriptions,
        vec!["Sidan använder de svenska namnen på nycklarna."],
        "the lead text written as ingress: is not used"
    );
    let links: Vec<_> = page
        .select(&common::sel(r#"main a[href="/nyheter/a/"]"#))
        .collect();
    assert_eq!(links.len(), 1, "the link to nyheter/a.md is not resolved");
}

#[test]
fn a_missing_template_variable_points_at_the_template_line() {
    // The template error is the only problem planted in this fixture.
    let dir = site_with_old_output("template_error");
    let before = snapshot(dir.path());

    let result = build(dir.path());
    let log = describe(&result);
    assert_eq!(result.status.code(), Some(1), "{log}");
    let printed = diagnostics(&stderr(&result));
    assert_eq!(printed.len(), 1, "{log}");
    let problem = &printed[0];
    assert_eq!(problem.path, "templates/trasig.html", "{log}");
    assert_eq!(problem.line, 5, "the line with {{{{ page.finns_inte }}}}\n{log}");
    assert!(problem.message.contains("page.finns_inte"), "{log}");
    assert!(problem.message.contains("content/sida.md"), "{log}");
    assert!(problem.hint.is_some(), "{log}");

    let after = snapshot(dir.path());
    assert_eq!(listing(&after), listing(&before), "files were added or removed");
    assert!(after == before, "output/ or the site was changed");
}

#[test]
fn usage_errors_exit_with_2() {
    let dir = tempfile::tempdir().unwrap();
    let result = run([
        OsStr::new("build"),
        OsStr::new("--root"),
        dir.path().as_os_str(),
        OsStr::new("--today"),
        OsStr::new("igår"),
    ]);
    assert_eq!(result.status.code(), Some(2), "{}", describe(&result));
    assert!(stderr(&result).contains("igår"), "{}", describe(&result));

    let result = run(["bygg"]);
    assert_eq!(result.status.code(), Some(2), "{}", describe(&result));

    let result = common::notis()
        .args([OsStr::new("build"), OsStr::new("--root"), dir.path().as_os_str()])
        .env("NOTIS_TODAY", "igår")
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(2), "{}", describe(&result));

    // Nothing was written by any of them.
    assert!(snapshot(dir.path()).is_empty());
}

#[test]
fn a_directory_without_a_site_is_a_content_error() {
    let dir = tempfile::tempdir().unwrap();
    let result = build(dir.path());
    let log = describe(&result);
    assert_eq!(result.status.code(), Some(1), "{log}");
    let printed = diagnostics(&stderr(&result));
    assert!(
        printed.iter().any(|p| p.path == "site.yaml"),
        "the missing site.yaml is not named\n{log}"
    );
    assert!(snapshot(dir.path()).is_empty(), "something was written");
}

#[test]
fn version_and_help_exit_with_0() {
    let result = run(["--version"]);
    assert_eq!(result.status.code(), Some(0), "{}", describe(&result));
    assert!(
        stdout(&result).contains(env!("CARGO_PKG_VERSION")),
        "{}",
        describe(&result)
    );

    for args in [&["--help"][..], &["build", "--help"], &["init", "--help"]] {
        let result = run(args);
        assert_eq!(result.status.code(), Some(0), "{args:?}: {}", describe(&result));
        assert!(!stdout(&result).is_empty(), "{args:?}");
    }
    let help = stdout(&run(["--help"]));
    assert!(help.contains("build") && help.contains("init"), "{help}");
}
