//! `notis init`: a new site that builds at once with the theme built into the binary.

mod common;

use std::ffi::OsStr;

use common::{check_links, describe, h1, html_files, parse_html, run, snapshot};

#[test]
fn init_creates_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("ny");

    let result = run([OsStr::new("init"), site.as_os_str()]);
    assert_eq!(result.status.code(), Some(0), "{}", describe(&result));
    assert!(site.join("site.yaml").is_file());
    assert!(site.join("content/_index.md").is_file());
    assert!(
        !site.join("themes").exists(),
        "the new site should use the theme built into notis"
    );

    // Built without --today, as a communicator would: the day is today.
    let result = run([OsStr::new("build"), OsStr::new("--root"), site.as_os_str()]);
    assert_eq!(result.status.code(), Some(0), "{}", describe(&result));
    let output = site.join("output");
    let start = parse_html(&output.join("index.html"));
    assert_eq!(h1(&start), "Min nyhetswebbplats");
    assert!(
        output.join("css/notis.css").is_file(),
        "the embedded theme's CSS is missing"
    );
    assert!(output.join("404.html").is_file());
    for file in html_files(&output) {
        let document = parse_html(&file);
        h1(&document);
    }
    let problems = check_links(&output, "https://example.se/");
    assert!(problems.is_empty(), "broken links:\n{}", problems.join("\n"));

    // Nothing was left next to the site by the build.
    let mut entries: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(entries, vec!["ny".to_string()]);
}

#[test]
fn init_refuses_a_directory_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("upptagen");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("anteckningar.txt"), "mina anteckningar\n").unwrap();
    let before = snapshot(dir.path());

    let result = run([OsStr::new("init"), site.as_os_str()]);
    assert_ne!(result.status.code(), Some(0), "{}", describe(&result));
    assert!(
        !common::stderr(&result).trim().is_empty(),
        "no explanation: {}",
        describe(&result)
    );
    assert!(snapshot(dir.path()) == before, "init changed the directory");
}

#[test]
fn init_accepts_an_existing_empty_directory() {
    let dir = tempfile::tempdir().unwrap();
    let result = run([OsStr::new("init"), dir.path().as_os_str()]);
    assert_eq!(result.status.code(), Some(0), "{}", describe(&result));
    assert!(dir.path().join("site.yaml").is_file());
}
