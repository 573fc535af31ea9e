//! The bad-input suite: every mistake of [`cases::CASES`] applied, one at a time, to a known-good
//! site that was just built. notis must exit with the case's code, name the file and line with the
//! case's phrase, and leave output/, the files next to it and the site itself byte for byte as they
//! were.
//!
//! All cases run in one test, on a few threads, and every failing case is reported by name.
//! `BAD_INPUTS_ONLY=text` runs only the cases whose name contains `text`.

#[path = "../common/mod.rs"]
mod common;

mod cases;
mod harness;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use cases::CASES;
use harness::{compare, expect_diagnostic, run_case, Case, Change, Command, Snapshot};

/// Runs `cases` on up to four threads; returns the failures, in table order.
fn run_all(cases: &[&Case]) -> Vec<String> {
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(case) = cases.get(index) else {
                    break;
                };
                if let Err(failure) = run_case(case) {
                    failures
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push((index, failure));
                }
            });
        }
    });
    let mut failures = failures
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    failures.sort();
    failures.into_iter().map(|(_, failure)| failure).collect()
}

#[test]
fn every_bad_input_is_reported_at_its_line_and_changes_nothing() {
    let only = std::env::var("BAD_INPUTS_ONLY").unwrap_or_default();
    let selected: Vec<&Case> = CASES.iter().filter(|case| case.name.contains(&only)).collect();
    assert!(!selected.is_empty(), "no case matches BAD_INPUTS_ONLY={only:?}");
    let failures = run_all(&selected);
    assert!(
        failures.is_empty(),
        "{} of {} bad-input cases failed:\n\n{}",
        failures.len(),
        selected.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_table_has_enough_cases_with_distinct_names() {
    assert!(CASES.len() >= 60, "only {} cases", CASES.len());
    let names: BTreeSet<&str> = CASES.iter().map(|case| case.name).collect();
    assert_eq!(names.len(), CASES.len(), "two cases share a name");
}

#[test]
fn the_known_good_site_builds_without_a_message() {
    let dir = tempfile::tempdir().expect("temporary directory");
    common::copy_dir(&common::fixture("good"), dir.path());
    let output = dir.path().join("output");
    let result = common::build_ok(dir.path(), &output, harness::TODAY);
    let printed = common::diagnostics(&common::stderr(&result));
    assert!(printed.is_empty(), "{}", common::describe(&result));
}

fn snapshot_of(files: &[(&str, &[u8])]) -> Snapshot {
    files
        .iter()
        .map(|(path, bytes)| (path.to_string(), Some(bytes.to_vec())))
        .collect()
}

#[test]
fn the_comparison_spots_a_changed_byte_and_a_missing_or_added_file() {
    let before = snapshot_of(&[
        ("output/index.html", b"<h1>Felprov</h1>"),
        ("site.yaml", b"title: x"),
    ]);
    assert!(compare(&before, &before.clone()).is_empty());

    let changed = snapshot_of(&[
        ("output/index.html", b"<h1>Felprov</h2>"),
        ("site.yaml", b"title: x"),
    ]);
    let differences = compare(&before, &changed);
    assert_eq!(differences.len(), 1, "{differences:?}");
    assert!(
        differences[0].contains("output/index.html was changed") && differences[0].contains("byte 14"),
        "{differences:?}"
    );

    let missing = snapshot_of(&[("site.yaml", b"title: x")]);
    assert_eq!(compare(&before, &missing), vec!["output/index.html was removed"]);
    assert_eq!(compare(&missing, &before), vec!["output/index.html was added"]);
}

/// A case of the table, by name.
fn case(name: &str) -> Case {
    *CASES
        .iter()
        .find(|case| case.name == name)
        .unwrap_or_else(|| panic!("no case named {name:?}"))
}

#[test]
fn a_case_expecting_the_wrong_line_or_phrase_fails_and_names_itself() {
    let right = case("site.yaml: unknown key");
    let wrong_line = Case {
        line: right.line + 1,
        ..right
    };
    let failure = run_case(&wrong_line).expect_err("a case with the wrong line passed");
    assert!(
        failure.starts_with("case \"site.yaml: unknown key\"") && failure.contains("site.yaml:10"),
        "{failure}"
    );

    let printed = "site.yaml:9:1: fel: okänd nyckel \"feedsize\"\n    tips: menade du \"feed_size\"?\n";
    assert_eq!(expect_diagnostic(&right, "", printed), Ok(()));
    for wrong in [
        Case {
            file: "site.yml",
            ..right
        },
        Case {
            phrase: "okänd nyckel \"feed\"",
            ..right
        },
        Case { exit: 0, ..right },
    ] {
        assert!(
            expect_diagnostic(&wrong, "", printed).is_err(),
            "{wrong:?} passed"
        );
    }
}

#[test]
fn a_case_whose_change_does_nothing_fails() {
    let broken = Case {
        name: "a replacement of a text the fixture does not have",
        changes: &[Change::Replace("site.yaml", "feed_size: 21", "feed_size: 0")],
        command: Command::Build,
        exit: 1,
        file: "site.yaml",
        line: 9,
        phrase: "utanför",
    };
    let failure = run_case(&broken).expect_err("a case that changed nothing passed");
    assert!(failure.contains("would do nothing"), "{failure}");
}

#[test]
fn a_build_that_changes_the_output_fails_the_case() {
    // A mistake that is only a warning: the build succeeds and rewrites output/, which a case
    // expecting an untouched output must report.
    let rewrites = Case {
        name: "a warning, built",
        changes: &[Change::Replace(
            "content/nyheter/2026-03-02-skolhalsa.md",
            "![Skolgården en vårdag]",
            "![trad.svg]",
        )],
        command: Command::Build,
        exit: 0,
        file: "content/nyheter/2026-03-02-skolhalsa.md",
        line: 8,
        phrase: "är bara filnamnet",
    };
    let failure = run_case(&rewrites).expect_err("a build that rewrote output/ passed");
    assert!(
        failure.contains("output/nyheter/skolhalsa/index.html was changed"),
        "{failure}"
    );
}
