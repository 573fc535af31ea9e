//! `notis check`: the lifecycle report grouped by owner in text, JSON and CSV, its exit codes with
//! and without `--strict`, and that it validates like a build but writes nothing.

mod lifecycle_common;

use std::collections::BTreeSet;

use lifecycle_common::*;
use serde_json::{json, Value};

const TODAY: &str = "2024-03-01";

/// A site where, on 2024-03-01 with the default window of 30 days:
/// - Anna's "Arkiverad nyhet" was archived 2024-01-10 (51 days ago),
/// - Anna's "Försenad granskning" was due for review 2024-02-01 (29 days ago; owner via `sidansvarig`),
/// - Bertil's "Möte, uppföljning" is archived 2024-03-20 (in 19 days; `arkiveras`, owner as a mapping),
///   although `archive_notice_days: 10` still hides its notice,
/// - the ownerless "Granskas snart" is due for review 2024-03-15 (in 14 days; `granskas`),
/// - Bertil's "Långt bort" is archived 2024-06-01 and reviewed 2024-12-01: outside the window,
/// - "Ingen livscykel" has no dates at all.
fn report_site() -> TestSite {
    let site = TestSite::new(
        "title: Kontroll\nbase_url: https://example.se/\nnews_section: nyheter\narchive_notice_days: 10\n",
    );
    site.write("content/_index.md", &md("title: Start", ""))
        .write(
            "content/nyheter/_index.md",
            &md("title: Nyheter\ndefault_kind: news", ""),
        )
        .write(
            "content/nyheter/2023-01-10-arkiverad.md",
            &md(
                "title: Arkiverad nyhet\narchive_date: 2024-01-10\nowner: \"Anna Andersson <anna@example.se>\"",
                "Text.",
            ),
        )
        .write(
            "content/nyheter/2023-02-01-snart.md",
            &md(
                "title: \"Möte, uppföljning\"\narkiveras: 2024-03-20\nowner: { name: Bertil Berg, email: bertil@example.se }",
                "Text.",
            ),
        )
        .write(
            "content/nyheter/2023-03-01-forsenad.md",
            &md(
                "title: Försenad granskning\nreview_date: 2024-02-01\nsidansvarig: \"Anna Andersson <anna@example.se>\"",
                "Text.",
            ),
        )
        .write(
            "content/nyheter/2023-04-01-granskas-snart.md",
            &md("title: Granskas snart\ngranskas: 2024-03-15", "Text."),
        )
        .write(
            "content/nyheter/2023-05-01-langt-bort.md",
            &md(
                "title: Långt bort\narchive_date: 2024-06-01\nreview_date: 2024-12-01\nowner: \"Bertil Berg <bertil@example.se>\"",
                "Text.",
            ),
        )
        .write("content/om.md", &md("title: Ingen livscykel", "Text."));
    site
}

const ANNA: (&str, &str) = ("Anna Andersson", "anna@example.se");
const BERTIL: (&str, &str) = ("Bertil Berg", "bertil@example.se");

/// (owner name, finding, path, title, date, days) of the report on 2024-03-01 within 30 days.
fn expected() -> BTreeSet<(String, String, String, String, String, i64)> {
    [
        (
            Some(ANNA),
            "archived",
            "2023-01-10-arkiverad.md",
            "Arkiverad nyhet",
            "2024-01-10",
            -51,
        ),
        (
            Some(ANNA),
            "review_overdue",
            "2023-03-01-forsenad.md",
            "Försenad granskning",
            "2024-02-01",
            -29,
        ),
        (
            Some(BERTIL),
            "archiving_soon",
            "2023-02-01-snart.md",
            "Möte, uppföljning",
            "2024-03-20",
            19,
        ),
        (
            None,
            "review_soon",
            "2023-04-01-granskas-snart.md",
            "Granskas snart",
            "2024-03-15",
            14,
        ),
    ]
    .into_iter()
    .map(|(owner, finding, file, title, date, days)| {
        (
            owner.map_or(String::new(), |o| o.0.to_string()),
            finding.to_string(),
            format!("content/nyheter/{file}"),
            title.to_string(),
            date.to_string(),
            days,
        )
    })
    .collect()
}

/// Runs `notis check` with `args` on `site`.
fn check(site: &TestSite, args: &[&str]) -> std::process::Output {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    site.run(all)
}

/// Asserts that the entries of each owner come together (the report is grouped by owner).
fn assert_grouped<T: PartialEq + std::fmt::Debug>(owners: &[T]) {
    for (i, owner) in owners.iter().enumerate() {
        if i > 0 && owners[i - 1] != *owner {
            assert!(
                !owners[..i].contains(owner),
                "the entries of {owner:?} are not together: {owners:?}"
            );
        }
    }
}

#[test]
fn json_report_has_the_documented_shape_and_entries() {
    let site = report_site();
    let output = check(&site, &["--today", TODAY, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let report: Value = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", describe(&output)));
    assert_eq!(report["today"], json!(TODAY));
    assert_eq!(report["within_days"], json!(30));
    let entries = report["entries"].as_array().expect("entries is an array");

    let mut found = BTreeSet::new();
    for entry in entries {
        let keys: BTreeSet<&str> = entry
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            BTreeSet::from(["owner", "finding", "path", "title", "date", "days"]),
            "{entry}"
        );
        let owner = match &entry["owner"] {
            Value::Null => String::new(),
            Value::Object(owner) => {
                let name = owner["name"].as_str().expect("owner.name");
                let email = owner["email"].as_str().expect("owner.email");
                let known = [ANNA, BERTIL]
                    .into_iter()
                    .find(|o| o.0 == name)
                    .expect("a known owner");
                assert_eq!(email, known.1, "{entry}");
                name.to_string()
            }
            other => panic!("owner is an object or null, not {other}"),
        };
        found.insert((
            owner,
            entry["finding"].as_str().expect("finding").to_string(),
            entry["path"].as_str().expect("path").to_string(),
            entry["title"].as_str().expect("title").to_string(),
            entry["date"].as_str().expect("date").to_string(),
            entry["days"].as_i64().expect("days is an integer"),
        ));
    }
    assert_eq!(entries.len(), found.len(), "no entry twice");
    assert_eq!(found, expected());
    let owners: Vec<&Value> = entries.iter().map(|e| &e["owner"]).collect();
    assert_grouped(&owners);
}

#[test]
fn csv_report_has_the_documented_header_and_rows() {
    let site = report_site();
    let output = check(&site, &["--today", TODAY, "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let rows = parse_csv(&stdout(&output));
    assert_eq!(
        rows[0],
        ["owner", "owner_email", "finding", "date", "days", "path", "title"]
    );
    let mut found = BTreeSet::new();
    for row in &rows[1..] {
        assert_eq!(row.len(), 7, "seven fields: {row:?}");
        let email = [ANNA, BERTIL]
            .into_iter()
            .find(|o| o.0 == row[0])
            .map_or("", |o| o.1);
        assert_eq!(row[1], email, "{row:?}");
        found.insert((
            row[0].clone(),
            row[2].clone(),
            row[5].clone(),
            row[6].clone(),
            row[3].clone(),
            row[4].parse::<i64>().expect("days is an integer"),
        ));
    }
    assert_eq!(rows.len() - 1, found.len(), "no row twice");
    assert_eq!(found, expected(), "the title with a comma is quoted");
    let owners: Vec<&String> = rows[1..].iter().map(|r| &r[0]).collect();
    assert_grouped(&owners);
}

#[test]
fn text_report_groups_findings_by_owner() {
    let site = report_site();
    let output = check(&site, &["--today", TODAY]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    let heading = |owner: &str| {
        lines
            .iter()
            .position(|l| l.trim() == format!("Sidansvarig: {owner}"))
            .unwrap_or_else(|| panic!("no heading for {owner}:\n{text}"))
    };
    let anna = heading("Anna Andersson <anna@example.se>");
    let bertil = heading("Bertil Berg <bertil@example.se>");
    let nobody = heading("Ingen sidansvarig");
    let headings = [anna, bertil, nobody];
    // The line of each entry lies under its owner's heading, with its date and path.
    let owner_of = |line: usize| headings.iter().filter(|&&h| h < line).max().copied();
    for (owner, finding, path, title, date, _) in expected() {
        let line = lines
            .iter()
            .position(|l| l.contains(&path))
            .unwrap_or_else(|| panic!("{path} is not reported:\n{text}"));
        assert!(
            lines[line].contains(&date) && lines[line].contains(&title),
            "{}",
            lines[line]
        );
        let expected_heading = match owner.as_str() {
            "Anna Andersson" => anna,
            "Bertil Berg" => bertil,
            _ => nobody,
        };
        assert_eq!(
            owner_of(line),
            Some(expected_heading),
            "{finding} {path}:\n{text}"
        );
        let label = match finding.as_str() {
            "archived" => "Arkiverade",
            "archiving_soon" => "Arkiveras snart",
            "review_overdue" => "Granskning försenad",
            _ => "Granskas snart",
        };
        let label_line = lines[..line]
            .iter()
            .rposition(|l| !l.contains("content/"))
            .expect("a label above");
        assert_eq!(lines[label_line].trim(), label, "{path}:\n{text}");
    }
    assert!(!text.contains("langt-bort"), "outside the window:\n{text}");
    assert!(!text.contains("om.md"), "{text}");
    assert!(text.contains("Livscykelrapport 2024-03-01"), "{text}");
}

#[test]
fn exit_codes_with_and_without_strict() {
    let site = report_site();
    for format in ["text", "json", "csv"] {
        let plain = check(&site, &["--today", TODAY, "--format", format]);
        assert_eq!(plain.status.code(), Some(0), "{}", describe(&plain));
        let strict = check(&site, &["--today", TODAY, "--format", format, "--strict"]);
        assert_eq!(strict.status.code(), Some(1), "{}", describe(&strict));
        assert_eq!(stdout(&strict), stdout(&plain), "--strict prints the same report");
    }
    // Before anything is archived or overdue, only "soon" findings: --strict passes.
    let early = check(&site, &["--today", "2024-01-05", "--format", "json", "--strict"]);
    assert_eq!(early.status.code(), Some(0), "{}", describe(&early));
    let report: Value = serde_json::from_str(&stdout(&early)).expect("JSON");
    let findings: BTreeSet<&str> = report["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["finding"].as_str())
        .collect();
    assert_eq!(
        findings,
        BTreeSet::from(["archiving_soon", "review_soon"]),
        "{report}"
    );

    // Only a review overdue (nothing archived) fails --strict too.
    site.remove("content/nyheter/2023-01-10-arkiverad.md");
    let review = check(&site, &["--today", TODAY, "--strict"]);
    assert_eq!(review.status.code(), Some(1), "{}", describe(&review));
    site.remove("content/nyheter/2023-03-01-forsenad.md");
    let soon_only = check(&site, &["--today", TODAY, "--strict"]);
    assert_eq!(soon_only.status.code(), Some(0), "{}", describe(&soon_only));
}

#[test]
fn check_writes_nothing() {
    let site = report_site();
    let before = snapshot(site.root());
    for args in [
        vec!["--today", TODAY],
        vec!["--today", TODAY, "--format", "json", "--strict"],
        vec!["--today", TODAY, "--format", "csv", "--days", "400"],
    ] {
        let output = check(&site, &args);
        assert!(output.status.code().is_some(), "{}", describe(&output));
        assert!(!site.output().exists(), "no output/ after check {args:?}");
        assert_eq!(snapshot(site.root()), before, "check {args:?} changed the site");
    }
}

#[test]
fn days_sets_the_window() {
    let site = report_site();
    let output = check(&site, &["--today", TODAY, "--format", "json", "--days", "100"]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let report: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(report["within_days"], json!(100));
    let soon: BTreeSet<(&str, i64)> = report["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["finding"] == json!("archiving_soon"))
        .map(|e| {
            (
                e["path"].as_str().unwrap_or_default(),
                e["days"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        soon,
        BTreeSet::from([
            ("content/nyheter/2023-02-01-snart.md", 19),
            ("content/nyheter/2023-05-01-langt-bort.md", 92),
        ])
    );

    let narrow = check(&site, &["--today", TODAY, "--format", "json", "--days", "14"]);
    let report: Value = serde_json::from_str(&stdout(&narrow)).expect("JSON");
    let findings: BTreeSet<(&str, &str)> = report["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["finding"].as_str().unwrap_or_default(),
                e["path"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert!(
        findings.contains(&("review_soon", "content/nyheter/2023-04-01-granskas-snart.md")),
        "14 days away is within 14 days: {findings:?}"
    );
    assert!(
        !findings.iter().any(|(f, _)| *f == "archiving_soon"),
        "19 days away is not within 14 days: {findings:?}"
    );
}

#[test]
fn site_defaults_give_owner_and_review_date() {
    let site = TestSite::new(
        "title: Kontroll\nbase_url: https://example.se/\nreview_after_months: 12\n\
         owner: \"Webbredaktionen <webb@example.se>\"\n",
    );
    site.write(
        "content/standard.md",
        &md("title: Standard\ndate: 2023-01-15", "Text."),
    )
    .write(
        "content/uppdaterad.md",
        &md("title: Uppdaterad\ndate: 2022-01-15\nupdated: 2023-02-20", "Text."),
    )
    .write(
        "content/egen.md",
        &md(
            "title: Egen\ndate: 2023-01-15\nowner: \"Cecilia Ceder <cecilia@example.se>\"\nreview_date: 2024-02-10",
            "Text.",
        ),
    );
    let output = check(&site, &["--today", TODAY, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let report: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let mut entries: Vec<Value> = report["entries"].as_array().expect("entries").clone();
    entries.sort_by_key(|e| e["path"].as_str().unwrap_or_default().to_string());
    // Twelve months after the update (2023-02-20), not after publication (2022-01-15).
    assert_eq!(
        entries,
        vec![
            json!({"owner": {"name": "Cecilia Ceder", "email": "cecilia@example.se"},
                   "finding": "review_overdue", "path": "content/egen.md", "title": "Egen",
                   "date": "2024-02-10", "days": -20}),
            json!({"owner": {"name": "Webbredaktionen", "email": "webb@example.se"},
                   "finding": "review_overdue", "path": "content/standard.md", "title": "Standard",
                   "date": "2024-01-15", "days": -46}),
            json!({"owner": {"name": "Webbredaktionen", "email": "webb@example.se"},
                   "finding": "review_overdue", "path": "content/uppdaterad.md", "title": "Uppdaterad",
                   "date": "2024-02-20", "days": -10}),
        ]
    );
}

#[test]
fn notis_today_sets_the_day_of_the_report() {
    let site = report_site();
    let output = site
        .command(["check", "--format", "json"])
        .env("NOTIS_TODAY", TODAY)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let report: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(report["today"], json!(TODAY));
    assert_eq!(report["entries"].as_array().map(Vec::len), Some(4));
}

#[test]
fn content_and_template_errors_exit_1_and_write_nothing() {
    let site = report_site();
    site.write(
        "content/nyheter/2023-06-01-fel.md",
        &md("title: Fel\narchive_date: snart", "Text."),
    );
    let before = snapshot(site.root());
    for args in [
        vec!["--today", TODAY],
        vec!["--today", TODAY, "--format", "json"],
        vec!["--today", TODAY, "--strict"],
    ] {
        let output = check(&site, &args);
        assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
        assert!(
            stderr(&output).contains("2023-06-01-fel.md"),
            "the error names the file: {}",
            describe(&output)
        );
    }
    assert_eq!(snapshot(site.root()), before);

    // A template that fails to render is found by check as by a build.
    let site = report_site();
    site.write(
        "templates/news.html",
        "{% extends \"page.html\" %}{% block page_lead %}{{ page.finns_inte.alls }}{% endblock page_lead %}",
    );
    let before = snapshot(site.root());
    let output = check(&site, &["--today", TODAY]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert_eq!(snapshot(site.root()), before);
    let build = site.run(["build", "--today", TODAY]);
    assert_eq!(
        build.status.code(),
        Some(1),
        "the build agrees: {}",
        describe(&build)
    );
}

#[test]
fn build_and_check_agree_on_what_is_archived() {
    let site = report_site();
    let output = site.run(["build", "--today", TODAY]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let last = stdout(&output).lines().last().unwrap_or_default().to_string();
    assert_eq!(last, "1 sida arkiverad, 1 arkiveras inom 30 dagar");
    assert!(site.has("arkiv/nyheter/arkiverad/"));
}
