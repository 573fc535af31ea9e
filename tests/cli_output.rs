//! What the commands print and where they write: no panic when the reader of stdout has gone,
//! `notis new` never writes outside `content/`, `check --format csv` cells that a spreadsheet would
//! run as formulas, and `check --format json` printing one document even when the site has errors.

mod lifecycle_common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use lifecycle_common::*;
use serde_json::{json, Value};

const TODAY: &str = "2026-11-23";

/// The small news site with a second tagged item and an archive date on the first, all of which build.
fn site() -> TestSite {
    let site = small_news_site();
    site.write(
        "content/nyheter/2026-01-10-forsta.md",
        &md(
            "title: Första\ntags: [samverkan]\narchive_date: 2026-12-01",
            "Text.",
        ),
    )
    .write(
        "content/nyheter/2026-01-11-andra.md",
        &md("title: Andra\ntags: [samverkan]", "Text."),
    );
    site
}

// A closed stdout

/// The write end of a pipe whose reader has already exited, as after `notis … | head` once `head`
/// is done: anything written to it fails with a broken pipe.
fn pipe_without_reader() -> std::process::ChildStdin {
    let mut reader = notis()
        .arg("--version")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("the reader runs");
    let pipe = reader.stdin.take().expect("a pipe to the reader");
    reader.wait().expect("the reader exits without reading");
    pipe
}

/// Runs `command` with stdout a pipe nobody reads any more, and stderr captured.
fn with_closed_stdout(mut command: Command) -> Output {
    command
        .stdout(Stdio::from(pipe_without_reader()))
        .stderr(Stdio::piped())
        .output()
        .expect("notis runs")
}

fn assert_quiet_exit(output: &Output, code: i32, what: &str) {
    assert_eq!(output.status.code(), Some(code), "{what}: {}", describe(output));
    assert!(
        !stderr(output).contains("panicked"),
        "{what}: {}",
        describe(output)
    );
}

#[test]
fn every_command_that_prints_ends_quietly_when_stdout_is_closed() {
    let site = site();
    let output = with_closed_stdout(site.command(["build", "--today", TODAY]));
    assert_quiet_exit(&output, 0, "build");
    assert!(site.has("nyheter/forsta/"), "the build was done");
    for format in ["text", "json", "csv"] {
        let output = with_closed_stdout(site.command(["check", "--today", TODAY, "--format", format]));
        assert_quiet_exit(&output, 0, format);
    }
    let strict = with_closed_stdout(site.command(["check", "--today", "2026-12-02", "--strict"]));
    assert_quiet_exit(&strict, 1, "check --strict keeps its exit code");
    let related = with_closed_stdout(site.command([
        "related",
        "content/nyheter/2026-01-10-forsta.md",
        "--today",
        TODAY,
    ]));
    assert_quiet_exit(&related, 0, "related");
    let new = with_closed_stdout(site.command(["new", "news", "Ny nyhet", "--today", TODAY]));
    assert_quiet_exit(&new, 0, "new");
    assert!(site
        .root()
        .join("content/nyheter/2026-11-23-ny-nyhet.md")
        .is_file());

    let dir = tempfile::tempdir().expect("temporary directory");
    let mut init = notis();
    init.arg("init").arg(dir.path().join("ny"));
    assert_quiet_exit(&with_closed_stdout(init), 0, "init");
    assert!(dir.path().join("ny/site.yaml").is_file());
}

#[cfg(unix)]
#[test]
fn warnings_and_errors_do_not_panic_when_stderr_is_the_closed_pipe_too() {
    use std::os::fd::OwnedFd;
    let site = site();
    site.write(
        "content/nyheter/2026-02-01-las-mer.md",
        &md("title: Länk", "[Läs mer](https://example.org/)"),
    );
    let closed = |args: &[&str]| {
        let pipe = OwnedFd::from(pipe_without_reader());
        let copy = pipe.try_clone().expect("a second end");
        site.command(args)
            .stdout(Stdio::from(pipe))
            .stderr(Stdio::from(copy))
            .status()
            .expect("notis runs")
            .code()
    };
    assert_eq!(closed(&["build", "--today", TODAY]), Some(0), "with a warning");
    site.write(
        "content/nyheter/2026-02-02-fel.md",
        &md("title: Fel\narchive_date: snart", "Text."),
    );
    assert_eq!(closed(&["build", "--today", TODAY]), Some(1), "with an error");
    assert_eq!(closed(&["check", "--today", TODAY, "--format", "json"]), Some(1));
}

// notis new --section

/// A site in `outer/site`, so that a page written one or two levels above `content/` would still
/// be inside `outer`, where the test can see it.
fn nested_site(outer: &Path) -> std::path::PathBuf {
    let root = outer.join("site");
    for (file, text) in [
        ("site.yaml", "title: T\nbase_url: https://example.se/\n"),
        ("content/_index.md", "---\ntitle: Start\n---\n"),
        ("content/nyheter/_index.md", "---\ntitle: Nyheter\n---\n"),
    ] {
        let path = root.join(file);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create directory");
        std::fs::write(path, text).expect("write");
    }
    std::fs::create_dir_all(outer.join("annat")).expect("create directory");
    root
}

#[test]
fn new_refuses_a_section_outside_content_before_writing_anything() {
    let outer = tempfile::tempdir().expect("temporary directory");
    let root = nested_site(outer.path());
    let absolute = outer.path().join("annat").display().to_string();
    let before = snapshot(outer.path());
    for section in [
        "..",
        "../..",
        "../../annat",
        "content/../..",
        "nyheter/../../..",
        &absolute,
    ] {
        let output = notis()
            .args(["new", "news", "Rubrik", "--today", TODAY, "--section", section])
            .arg("--root")
            .arg(&root)
            .output()
            .expect("notis runs");
        assert_eq!(
            output.status.code(),
            Some(2),
            "--section {section}: {}",
            describe(&output)
        );
        assert!(stderr(&output).contains("content/"), "{}", describe(&output));
        assert_eq!(
            snapshot(outer.path()),
            before,
            "--section {section} wrote something"
        );
    }
}

#[cfg(unix)]
#[test]
fn new_refuses_a_section_that_is_a_link_out_of_content() {
    let outer = tempfile::tempdir().expect("temporary directory");
    let root = nested_site(outer.path());
    std::os::unix::fs::symlink(outer.path().join("annat"), root.join("content/ut")).expect("link");
    let output = notis()
        .args(["new", "news", "Rubrik", "--today", TODAY, "--section", "ut"])
        .arg("--root")
        .arg(&root)
        .output()
        .expect("notis runs");
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert_eq!(
        std::fs::read_dir(outer.path().join("annat"))
            .expect("read")
            .count(),
        0,
        "nothing written through the link"
    );
    let inside = notis()
        .args([
            "new",
            "news",
            "Rubrik",
            "--today",
            TODAY,
            "--section",
            "./nyheter/",
        ])
        .arg("--root")
        .arg(&root)
        .output()
        .expect("notis runs");
    assert_eq!(inside.status.code(), Some(0), "{}", describe(&inside));
    assert!(root.join("content/nyheter/2026-11-23-rubrik.md").is_file());
}

// notis check --format csv

#[test]
fn csv_cells_that_spreadsheets_would_run_as_formulas_start_with_a_quote() {
    let site = site();
    let titles = [
        "=HYPERLINK(\"http://x\",\"y\")",
        "+46 8 123 45",
        "-1 grad ute",
        "@SUMMA(A1)",
        "Vanlig rubrik, med komma",
    ];
    for (index, title) in titles.iter().enumerate() {
        site.write(
            &format!("content/nyheter/2026-03-0{n}-formel-{n}.md", n = index + 1),
            &md(
                &format!(
                    "title: '{}'\nowner: \"=1+1 <a@example.se>\"\narchive_date: 2026-11-01",
                    title.replace('\'', "''")
                ),
                "Text.",
            ),
        );
    }
    let output = site.run(["check", "--today", TODAY, "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let printed = stdout(&output);
    assert!(
        printed.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        "quoted, with doubled quotes:\n{printed}"
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(printed.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a CSV row")).collect();
    assert_eq!(
        rows.len(),
        titles.len() + 1,
        "and the first item, archived soon: {printed}"
    );
    for (index, title) in titles.iter().enumerate() {
        let path = format!("content/nyheter/2026-03-0{n}-formel-{n}.md", n = index + 1);
        let row = rows
            .iter()
            .find(|row| row.get(5) == Some(path.as_str()))
            .unwrap_or_else(|| panic!("a row for {path}:\n{printed}"));
        let expected = if title.starts_with(['=', '+', '-', '@']) {
            format!("'{title}")
        } else {
            title.to_string()
        };
        assert_eq!(row.get(6), Some(expected.as_str()), "{printed}");
        assert_eq!(row.get(0), Some("'=1+1"), "the owner's name too: {printed}");
        assert_eq!(row.get(1), Some("a@example.se"));
        assert_eq!(row.get(2), Some("archived"));
        assert_eq!(row.get(4), Some("-22"), "numbers stay numbers: {printed}");
    }
}

// notis check --format json

#[test]
fn json_is_one_document_with_the_errors_when_the_site_has_errors() {
    let site = site();
    site.write(
        "content/nyheter/2026-02-02-fel.md",
        &md("title: Fel\narchive_date: snart", "Text."),
    );
    let output = site.run(["check", "--today", TODAY, "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let document: Value = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("not one JSON document ({e}): {}", describe(&output)));
    assert_eq!(document["today"], json!(TODAY));
    assert_eq!(document["within_days"], json!(30));
    assert_eq!(document["entries"], Value::Null, "no report: {document}");
    let diagnostics = document["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{document}");
    let error = &diagnostics[0];
    assert_eq!(error["severity"], json!("error"));
    assert_eq!(error["file"], json!("content/nyheter/2026-02-02-fel.md"));
    assert_eq!(
        (error["line"].clone(), error["column"].clone()),
        (json!(3), json!(1))
    );
    assert!(
        error["message"].as_str().is_some_and(|m| m.contains("snart")),
        "{error}"
    );
    assert!(error["hint"].is_string(), "{error}");
    assert!(
        stderr(&output).contains("2026-02-02-fel.md:3:1: fel:"),
        "the text goes to stderr as in every format: {}",
        describe(&output)
    );
}

#[test]
fn json_has_the_warnings_beside_the_report() {
    let site = site();
    site.write(
        "content/nyheter/2026-02-01-las-mer.md",
        &md("title: Länk", "[Läs mer](https://example.org/)"),
    );
    let output = site.run(["check", "--today", TODAY, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let document: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let diagnostics = document["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{document}");
    let warning = &diagnostics[0];
    assert_eq!(warning["severity"], json!("warning"));
    assert_eq!(warning["file"], json!("content/nyheter/2026-02-01-las-mer.md"));
    assert_eq!(warning["line"], json!(4));
    let keys: Vec<&str> = warning
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 6, "{warning}");
    let entries = document["entries"].as_array().expect("the report's entries");
    assert_eq!(entries.len(), 1, "{document}");
    assert_eq!(entries[0]["finding"], json!("archiving_soon"));
}
