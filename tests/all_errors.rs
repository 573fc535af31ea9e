//! Every problem of a site in one run: mistakes in site.yaml, data files, content, links and
//! templates are reported together, sorted by file and line, by `notis build`, `notis check` and the
//! preview's builder; YAML mistakes at the line of the actual defect; nothing written.

mod common;

use std::path::Path;

use common::{
    copy_dir, describe, diagnostics, fixture, listing, run_on_site, snapshot, stderr, stdout, Printed, TODAY,
};

/// The three mistakes planted in tests/fixtures/three_stages, in the order they must be printed.
const THREE_STAGES: [(&str, usize, &str); 3] = [
    ("content/sida.md", 4, "finns-inte.md"),
    ("site.yaml", 5, "\"languag\""),
    ("templates/page.html", 6, "fel i mallen"),
];

/// A copy of a fixture in a fresh temporary directory.
fn copy_of(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    copy_dir(&fixture(name), dir.path());
    dir
}

/// Writes `files` (path, text) under `root`.
fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create directory");
        std::fs::write(path, text).expect("write file");
    }
}

/// Asserts that `printed` is exactly `expected` (file, line, a word of the message), in that order,
/// each with a hint.
fn assert_reported(printed: &[Printed], expected: &[(&str, usize, &str)], log: &str) {
    let found: Vec<(&str, usize)> = printed.iter().map(|p| (p.path.as_str(), p.line)).collect();
    let wanted: Vec<(&str, usize)> = expected.iter().map(|(path, line, _)| (*path, *line)).collect();
    assert_eq!(found, wanted, "{log}");
    for (printed, (_, _, word)) in printed.iter().zip(expected) {
        assert_eq!(printed.label, "fel", "{log}");
        assert!(printed.message.contains(word), "{printed:?}\n{log}");
        assert!(printed.hint.is_some(), "{printed:?}\n{log}");
    }
}

#[test]
fn build_reports_site_yaml_content_and_template_errors_in_one_run() {
    let dir = copy_of("three_stages");
    let before = snapshot(dir.path());

    let result = run_on_site("build", dir.path());
    let log = describe(&result);
    assert_eq!(result.status.code(), Some(1), "{log}");
    assert!(!stdout(&result).contains("Klart"), "{log}");
    assert_reported(&diagnostics(&stderr(&result)), &THREE_STAGES, &log);
    assert!(stderr(&result).contains("3 fel"), "{log}");

    let after = snapshot(dir.path());
    assert_eq!(
        listing(&after),
        listing(&before),
        "files were added or removed\n{log}"
    );
    assert!(after == before, "a file was changed\n{log}");
}

#[test]
fn check_reports_site_yaml_content_and_template_errors_in_one_run() {
    let dir = copy_of("three_stages");
    let before = snapshot(dir.path());

    let result = run_on_site("check", dir.path());
    let log = describe(&result);
    assert_eq!(result.status.code(), Some(1), "{log}");
    assert_reported(&diagnostics(&stderr(&result)), &THREE_STAGES, &log);

    assert!(snapshot(dir.path()) == before, "check wrote something\n{log}");
}

#[test]
fn the_preview_reports_all_three_together() {
    let dir = copy_of("three_stages");
    let options = notis::BuildOptions {
        today: chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").expect("a day"),
        include_drafts: true,
    };
    let Err(problems) = notis::serve::Builder::new(dir.path(), options).build() else {
        panic!("the preview built a site with three mistakes");
    };
    let found: Vec<(String, usize)> = problems
        .into_sorted()
        .iter()
        .map(|d| (d.path.to_string_lossy().replace('\\', "/"), d.line))
        .collect();
    let wanted: Vec<(String, usize)> = THREE_STAGES
        .iter()
        .map(|(path, line, _)| (path.to_string(), *line))
        .collect();
    assert_eq!(found, wanted);
}

#[test]
fn template_render_errors_are_found_despite_content_errors() {
    // template_error's page template uses a value pages do not have; a broken link is added.
    let dir = copy_of("template_error");
    write_files(
        dir.path(),
        &[(
            "content/lank.md",
            "---\ntitle: \"Länk\"\n---\nSe [sidan](saknas.md).\n",
        )],
    );
    let result = run_on_site("build", dir.path());
    let log = describe(&result);
    assert_eq!(result.status.code(), Some(1), "{log}");
    assert_reported(
        &diagnostics(&stderr(&result)),
        &[
            ("content/lank.md", 4, "saknas.md"),
            ("templates/trasig.html", 5, "page.finns_inte"),
        ],
        &log,
    );
    assert!(!dir.path().join("output").exists(), "output/ was written\n{log}");
}

#[test]
fn yaml_errors_of_every_kind_of_file_are_reported_at_their_defect_in_one_run() {
    let dir = tempfile::tempdir().expect("temporary directory");
    write_files(
        dir.path(),
        &[
            (
                "site.yaml",
                "title: \"Yaml-fel\"\nbase_url: \"https://example.se/\"\nlanguage: sv\ntitle: \"Igen\"\n",
            ),
            ("data/kontakt.yaml", "namn: Växeln\ntelefon: \"010-123 45 67\nadress: Storgatan 1\n"),
            ("content/_index.md", "---\ntitle: \"Start\"\n---\nText.\n"),
            // Unclosed single quote on line 3 of the file, noticed by the parser at its end.
            (
                "content/citat.md",
                "---\ntitle: Citat\nsummary: 'Barnens dag\ntags: [barn]\n---\nText.\n",
            ),
            // A key indented wrongly on line 5.
            (
                "content/indrag.md",
                "---\ntitle: Indrag\nowner:\n  name: Anna\n email: anna@example.se\nsummary: Text\n---\nText.\n",
            ),
            // An unclosed list on line 2.
            ("content/lista.md", "---\ntags: [barn, unga\ntitle: Lista\n---\nText.\n"),
        ],
    );
    let result = run_on_site("build", dir.path());
    let log = describe(&result);
    assert_eq!(result.status.code(), Some(1), "{log}");
    assert_reported(
        &diagnostics(&stderr(&result)),
        &[
            ("content/citat.md", 3, "citattecknet '"),
            ("content/indrag.md", 5, "indrag"),
            ("content/lista.md", 2, "["),
            ("data/kontakt.yaml", 2, "citattecknet \""),
            ("site.yaml", 4, "\"title\""),
        ],
        &log,
    );
    let printed = diagnostics(&stderr(&result));
    for english in ["found", "expected", "while", "duplicate"] {
        assert!(
            !printed.iter().any(|p| p.message.contains(english)),
            "a message is the parser's English\n{log}"
        );
    }
    assert!(!dir.path().join("output").exists(), "output/ was written\n{log}");
}
