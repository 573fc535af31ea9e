//! The repository's own site (site.yaml, content/, data/, static/, templates/, themes/default/)
//! built with the `notis` binary into a temporary directory and checked by parsing the HTML.

mod common;

use std::path::Path;

use common::{
    build_bundled, build_ok, copy_dir, h1, html_files, parse_html, repo_root, sel, text, texts, TODAY,
};
use scraper::Html;

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

fn page(output: &Path, path: &str) -> Html {
    let file = output.join(path);
    assert!(file.is_file(), "{path} was not generated");
    parse_html(&file)
}

/// `13 december 2019` for `2019-12-13`: day without a leading zero, Swedish lower-case month, year.
fn long_date(iso: &str) -> Option<String> {
    let mut parts = iso.split('-');
    let year: u32 = parts.next()?.parse().ok()?;
    let month: usize = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some(format!("{day} {} {year}", MONTHS[month - 1]))
}

/// Whether `text` has the shape `D[D] månad ÅÅÅÅ` on its own, whatever the date.
fn is_long_date_shape(text: &str) -> bool {
    let parts: Vec<&str> = text.split(' ').collect();
    let [day, month, year] = parts.as_slice() else {
        return false;
    };
    !day.is_empty()
        && day.len() <= 2
        && day.chars().all(|c| c.is_ascii_digit())
        && !day.starts_with('0')
        && MONTHS.contains(month)
        && year.len() == 4
        && year.chars().all(|c| c.is_ascii_digit())
}

#[test]
fn builds_into_the_given_output_only_and_keeps_files_it_did_not_write() {
    let (dir, output) = build_bundled(TODAY);
    assert!(output.join("index.html").is_file());

    // A second build replaces its own files and keeps a file someone else put there; nothing but the
    // build's manifest is left beside the output.
    std::fs::write(output.join("gammal.html"), "<p>gammal</p>").unwrap();
    std::fs::remove_file(output.join("index.html")).unwrap();
    common::build_ok(&common::repo_root(), &output, TODAY);
    assert_eq!(
        std::fs::read_to_string(output.join("gammal.html")).unwrap(),
        "<p>gammal</p>",
        "a file notis did not write was touched"
    );
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut left = left;
    left.sort();
    assert_eq!(
        left,
        vec![
            ".out.notis-manifest".to_string(),
            ".out.notis-staging".to_string(),
            "out".to_string()
        ],
        "only the manifest and the staging tree kept for the next build are beside the output"
    );
    assert!(output.join("index.html").is_file());
    assert!(
        output.join("css/notis.css").is_file(),
        "the theme's static files are copied"
    );
    assert!(
        output.join("bilder/trad.svg").is_file(),
        "the site's static files are copied"
    );
}

/// Every file under `dir` with its modification time and size, to tell whether a build touched it.
fn file_stamps(dir: &Path) -> std::collections::BTreeMap<std::path::PathBuf, (std::time::SystemTime, u64)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.expect("readable output"))
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let metadata = entry.metadata().expect("metadata");
            let modified = metadata.modified().expect("modification time");
            (entry.into_path(), (modified, metadata.len()))
        })
        .collect()
}

#[test]
fn a_rebuild_from_unchanged_inputs_writes_no_file() {
    let (_dir, output) = build_bundled(TODAY);
    let before = file_stamps(&output);
    // Modification times have a coarse grain on some file systems; make any rewrite visible.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let again = common::build_ok(&common::repo_root(), &output, TODAY);
    assert!(
        common::stdout(&again).contains("inga filer skrivna"),
        "the summary says nothing was written:\n{}",
        common::describe(&again)
    );
    assert_eq!(
        file_stamps(&output),
        before,
        "a file was written, replaced or removed"
    );

    // Another day is another input: the same command then does build (and may rewrite files).
    let other_day = common::build_ok(&common::repo_root(), &output, "2031-01-01");
    assert!(
        !common::stdout(&other_day).contains("inga filer skrivna"),
        "{}",
        common::describe(&other_day)
    );
}

#[test]
fn every_template_sees_the_strings_and_the_data() {
    let (dir, site) = bundled_copy();
    // robots.txt gets no page context at all: only what every template shares.
    std::fs::write(
        site.join("templates/robots.txt"),
        "{{ strings.home }} {{ data.kliniker | length }}\n",
    )
    .expect("write template");
    let output = dir.path().join("out");
    build_ok(&site, &output, TODAY);
    let robots = std::fs::read_to_string(output.join("robots.txt")).expect("robots.txt");
    let (home, clinics) = robots.trim_end().split_once(' ').expect("two words");
    assert_eq!(home, "Startsida");
    assert!(clinics.parse::<usize>().is_ok_and(|n| n > 0), "{robots}");
}

/// A copy of the bundled site in a temporary directory: `(directory, site root)`.
fn bundled_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let site = dir.path().join("site");
    for part in ["content", "data", "static", "templates", "themes"] {
        copy_dir(&repo_root().join(part), &site.join(part));
    }
    std::fs::copy(repo_root().join("site.yaml"), site.join("site.yaml")).expect("copy site.yaml");
    (dir, site)
}

/// A copy of the bundled site whose own `templates/partials/summary-item.html` is `template`.
fn bundled_copy_with_summary_item(template: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, site) = bundled_copy();
    std::fs::create_dir_all(site.join("templates/partials")).expect("create templates/partials");
    std::fs::write(site.join("templates/partials/summary-item.html"), template).expect("write template");
    (dir, site)
}

#[test]
fn every_list_shows_the_entry_of_the_summary_item_template() {
    let (dir, site) = bundled_copy_with_summary_item(
        "<article class=\"summary-item\" data-entry=\"{{ p.url }}\"><a href=\"{{ p.url }}\">{{ p.title }}</a></article>\n",
    );
    let output = dir.path().join("out");
    build_ok(&site, &output, TODAY);
    let mut lists_seen = std::collections::BTreeSet::new();
    for file in html_files(&output) {
        let document = parse_html(&file);
        for item in document.select(&sel(".summary-item")) {
            let shown = file
                .strip_prefix(&output)
                .expect("inside the output")
                .display()
                .to_string();
            let entry = item.value().attr("data-entry");
            assert!(
                entry.is_some(),
                "a list in {shown} does not show the entry template's output"
            );
            let link = item.select(&sel("a")).next().and_then(|a| a.value().attr("href"));
            assert_eq!(link, entry, "{shown}");
            let list = item
                .ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .find(|e| e.value().name() == "section" || e.value().name() == "main")
                .and_then(|e| e.value().attr("class").map(str::to_string))
                .unwrap_or_default();
            lists_seen.insert(list);
        }
    }
    for list in ["related", "latest-news", "listing", "year-summaries"] {
        assert!(
            lists_seen.contains(list),
            "no {list} list was seen among {lists_seen:?}"
        );
    }
}

#[test]
fn the_entry_template_sees_the_tags_that_list_copies_leave_out() {
    let (dir, site) = bundled_copy_with_summary_item(
        "<article class=\"summary-item\" data-tags=\"{% for t in p.tags %}{{ t.slug }} {% endfor %}\">{{ p.title }}</article>\n",
    );
    std::fs::write(
        site.join("templates/topic.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>{{ topic.title }}</h1><ul>\
         {% for p in topic.pages %}<li class=\"copy\" data-copy-has-tags=\"{% if p.tags %}ja{% else %}nej{% endif %}\">\
         {{ p.entry | safe }}</li>{% endfor %}</ul>{% endblock main %}",
    )
    .expect("write topic.html");
    let output = dir.path().join("out");
    build_ok(&site, &output, TODAY);
    let topics_dir = output.join("amnen");
    let mut items_seen = 0;
    for file in html_files(&topics_dir) {
        let Some(slug) = file
            .strip_prefix(&topics_dir)
            .ok()
            .and_then(|p| p.components().next())
            .and_then(|c| c.as_os_str().to_str())
            .filter(|slug| !slug.ends_with(".html"))
        else {
            continue;
        };
        let document = parse_html(&file);
        for copy in document.select(&sel("li.copy")) {
            items_seen += 1;
            assert_eq!(
                copy.value().attr("data-copy-has-tags"),
                Some("nej"),
                "{}",
                file.display()
            );
            let entry = copy.select(&sel(".summary-item")).next().expect("the entry");
            let tags = entry.value().attr("data-tags").unwrap_or_default();
            assert!(
                tags.split_whitespace().any(|t| t == slug),
                "an entry on the topic page {slug} does not show that topic: {tags:?}"
            );
        }
    }
    assert!(items_seen > 0, "no topic page listed anything");
}

#[test]
fn an_error_in_the_summary_item_template_points_at_its_line() {
    let (dir, site) =
        bundled_copy_with_summary_item("<article>\n<h3>{{ p.title }}</h3>\n{{ p.finns_inte }}\n</article>\n");
    let result = common::run([
        std::ffi::OsStr::new("build"),
        std::ffi::OsStr::new("--root"),
        site.as_os_str(),
        std::ffi::OsStr::new("--output"),
        dir.path().join("out").as_os_str(),
        std::ffi::OsStr::new("--today"),
        std::ffi::OsStr::new(TODAY),
    ]);
    let log = common::describe(&result);
    assert_eq!(result.status.code(), Some(1), "{log}");
    let printed = common::diagnostics(&common::stderr(&result));
    assert_eq!(
        printed.len(),
        1,
        "one problem, however many pages are listed\n{log}"
    );
    assert_eq!(printed[0].path, "templates/partials/summary-item.html", "{log}");
    assert_eq!(printed[0].line, 3, "{log}");
    assert!(printed[0].message.contains("p.finns_inte"), "{log}");
    assert!(!dir.path().join("out").exists(), "nothing is written\n{log}");
}

#[test]
fn every_page_kind_renders() {
    let (_dir, output) = build_bundled(TODAY);
    let expected = [
        ("index.html", "Barnhälsa i regionen"),
        ("barnens-basta/index.html", "Barnens bästa"),
        ("natverket/index.html", "Nätverket för barnkliniker"),
        (
            "barnens-basta/samverkan-kring-barn/index.html",
            "Chefer från hela vården samlades kring barnens behov",
        ),
        (
            "natverket/vad-hande-2023/index.html",
            "Vad hände 2023 – vad händer 2024?",
        ),
        (
            "barnens-basta/historik-2012-2014/index.html",
            "Historik – projektet Tidigt stöd 2012–2014",
        ),
        (
            "utvecklingsplan/index.html",
            "Utvecklingsplan för barn och ungas vård",
        ),
        ("kontakt/index.html", "Kontakt"),
        ("natverket/kliniker/index.html", "Medlemskliniker"),
        ("404.html", "Sidan kunde inte hittas"),
    ];
    for (path, title) in expected {
        let document = page(&output, path);
        assert_eq!(h1(&document), title, "the <h1> of {path}");
    }

    // The yearly summary says which year it summarises, the history page its period.
    let summary = page(&output, "natverket/vad-hande-2023/index.html");
    assert!(
        texts(&summary, "main p")
            .iter()
            .any(|t| t == "Sammanfattning av år 2023"),
        "the summary page does not show the year it summarises"
    );
    let history = page(&output, "barnens-basta/historik-2012-2014/index.html");
    assert!(
        texts(&history, "main p").iter().any(|t| t == "Period: 2012–2014"),
        "the history page does not show its period"
    );

    // The not-found page is not indexed.
    let not_found = page(&output, "404.html");
    assert_eq!(
        not_found
            .select(&sel(r#"meta[name="robots"][content="noindex"]"#))
            .count(),
        1
    );

    // The site template kliniker.html adds a table row per entry of data/kliniker.yaml.
    let data = std::fs::read_to_string(common::repo_root().join("data/kliniker.yaml")).unwrap();
    let clinics = data.lines().filter(|l| l.starts_with("- name:")).count();
    let kliniker = page(&output, "natverket/kliniker/index.html");
    assert_eq!(kliniker.select(&sel("main table tbody tr")).count(), clinics);

    // The section listing links to its pages, newest first.
    let listing = page(&output, "barnens-basta/index.html");
    assert!(
        listing
            .select(&sel(
                r#"main a[href="/barnhalsa/barnens-basta/tidiga-insatser-psykisk-halsa/"]"#
            ))
            .next()
            .is_some(),
        "the section listing does not link to its newest news item"
    );
    let dates: Vec<String> = listing
        .select(&sel("main time[datetime]"))
        .map(|t| t.value().attr("datetime").unwrap().to_string())
        .collect();
    assert!(!dates.is_empty(), "the listing shows no dates");
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "the listing is not newest first: {dates:?}"
    );
}

#[test]
fn start_page_lists_the_five_latest_news_newest_first() {
    let (_dir, output) = build_bundled(TODAY);
    let start = page(&output, "index.html");
    let dates: Vec<String> = start
        .select(&sel("main time[datetime]"))
        .map(|t| t.value().attr("datetime").unwrap().to_string())
        .collect();
    // 2024-12-10-arsrapport-2024.md is newer but a draft, so 2024-10-03 is the newest published.
    assert_eq!(
        dates,
        vec![
            "2024-10-03",
            "2024-05-16",
            "2024-02-08",
            "2023-11-20",
            "2023-09-28"
        ]
    );
}

#[test]
fn drafts_are_not_published() {
    let (_dir, output) = build_bundled(TODAY);
    assert!(!output.join("barnens-basta/arsrapport-2024").exists());
    for file in html_files(&output) {
        let document = parse_html(&file);
        let linked = document
            .select(&sel("a[href]"))
            .any(|a| a.value().attr("href").unwrap().contains("arsrapport-2024"));
        assert!(!linked, "{} links to the draft", file.display());
    }
}

#[test]
fn news_dates_are_long_swedish_dates_in_time_elements() {
    let (_dir, output) = build_bundled(TODAY);
    let news = page(&output, "barnens-basta/samverkan-kring-barn/index.html");
    let times: Vec<String> = news
        .select(&sel(r#"main time[datetime="2019-12-13"]"#))
        .map(text)
        .collect();
    assert_eq!(times, vec!["13 december 2019"]);

    // Every date-only <time> on the site: text in the long Swedish form, matching its datetime.
    let mut checked = 0;
    for file in html_files(&output) {
        let document = parse_html(&file);
        for time in document.select(&sel("time[datetime]")) {
            let datetime = time.value().attr("datetime").unwrap();
            if datetime.len() != 10 {
                continue;
            }
            let shown = text(time);
            assert!(
                is_long_date_shape(&shown),
                "{}: <time datetime=\"{datetime}\"> shows {shown:?}",
                file.display()
            );
            assert_eq!(
                Some(shown.clone()),
                long_date(datetime),
                "{}: <time datetime=\"{datetime}\"> shows {shown:?}",
                file.display()
            );
            checked += 1;
        }
    }
    // 17 published news items, each on its own page, plus listings.
    assert!(checked >= 17, "only {checked} dates found");
    // Single-digit days are written without a leading zero.
    let october = page(&output, "barnens-basta/tidiga-insatser-psykisk-halsa/index.html");
    assert_eq!(
        texts(&october, r#"main time[datetime="2024-10-03"]"#),
        vec!["3 oktober 2024"]
    );
}

const HISTORY_TITLE: &str = "Historik – projektet Tidigt stöd 2012–2014";
const NOTICE_START: &str = "Sidan kommer att arkiveras ";

#[test]
fn history_page_shows_its_archive_notice_before_the_date() {
    let notice = "Sidan kommer att arkiveras 2027-03-06 om sidan inte uppdateras.";
    // Today, and the last day before the archive date (site.yaml sets no notice window).
    for today in [TODAY, "2027-03-05"] {
        let (_dir, output) = build_bundled(today);
        let history = page(&output, "barnens-basta/historik-2012-2014/index.html");
        assert_eq!(h1(&history), HISTORY_TITLE);
        let matching = texts(&history, "p").into_iter().filter(|t| t == notice).count();
        assert_eq!(matching, 1, "the archive notice on {today}");
    }
}

/// Every archive notice in the output, with the file it is in and the date it shows: the innermost
/// elements whose text starts with "Sidan kommer att arkiveras ".
fn notices(output: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for file in html_files(output) {
        let shown = file.strip_prefix(output).unwrap().display().to_string();
        let document = parse_html(&file);
        for element in document.select(&sel("body *")) {
            let own = text(element);
            let Some(rest) = own.strip_prefix(NOTICE_START) else {
                continue;
            };
            let inner = element
                .children()
                .filter_map(scraper::ElementRef::wrap)
                .any(|child| text(child).starts_with(NOTICE_START));
            if inner {
                continue;
            }
            let date: String = rest.chars().take(10).collect();
            assert!(
                long_date(&date).is_some(),
                "{shown}: the notice {own:?} shows no ISO date"
            );
            found.push((shown.clone(), date));
        }
    }
    found
}

#[test]
fn archive_notice_never_shows_a_past_date() {
    for today in ["2027-03-06", "2027-03-07", "2030-01-01"] {
        let (_dir, output) = build_bundled(today);
        let all = notices(&output);
        for (file, date) in &all {
            assert!(
                date.as_str() >= today,
                "{file} shows the archive date {date} on {today}"
            );
        }
        assert!(
            !all.iter().any(|(_, date)| date == "2027-03-06"),
            "the history page still announces 2027-03-06 on {today}: {all:?}"
        );
        // The history page itself is still published somewhere (moved to the archive, as
        // site.yaml says) and carries no notice there either.
        let copies: Vec<String> = html_files(&output)
            .into_iter()
            .filter(|f| {
                let document = parse_html(f);
                document.select(&sel("main .content")).next().is_some()
                    && texts(&document, "h1") == vec![HISTORY_TITLE.to_string()]
            })
            .map(|f| f.display().to_string())
            .collect();
        assert_eq!(copies.len(), 1, "the history page on {today}: {copies:?}");
    }
    // A build for today shows the notice, so the scan above can find one.
    let (_dir, output) = build_bundled(TODAY);
    assert!(
        notices(&output).iter().any(|(_, date)| date == "2027-03-06"),
        "no notice found on {TODAY}"
    );
}

#[test]
fn programme_page_shows_when_it_was_last_updated() {
    let (_dir, output) = build_bundled(TODAY);
    let plan = page(&output, "utvecklingsplan/index.html");
    let wanted = "Senast uppdaterad: 2022-12-29 15:26";
    let element = plan
        .select(&sel("main *"))
        .find(|e| text(*e) == wanted)
        .unwrap_or_else(|| panic!("no element with the text {wanted:?}"));
    let times: Vec<_> = element
        .select(&sel("time"))
        .map(|t| (t.value().attr("datetime").unwrap_or("").to_string(), text(t)))
        .collect();
    assert_eq!(
        times,
        vec![(
            "2022-12-29T15:26:00+01:00".to_string(),
            "2022-12-29 15:26".to_string()
        )]
    );
    // Its lead image, from static/, with the base path and its alternative text.
    let images: Vec<_> = plan
        .select(&sel(r#"main img[src="/barnhalsa/bilder/trad.svg"]"#))
        .map(|img| img.value().attr("alt").unwrap_or("").to_string())
        .collect();
    assert_eq!(images.len(), 1);
    assert!(images[0].starts_with("Tecknat träd"), "{images:?}");
}

/// Checks `<html lang="sv">`, exactly one `<h1>`, unique ids, and that the first focusable element is a skip
/// link to `<main id="…">`, in every HTML file of `output`. Redirect stubs left where an archived
/// page used to be (`<meta http-equiv="refresh">`, no site chrome) need no skip link.
fn check_every_page(output: &Path) {
    let files = html_files(output);
    assert!(files.len() >= 25, "only {} HTML files", files.len());
    let focusable = sel(
        r#"a[href], area[href], button, input:not([type="hidden"]), select, textarea, iframe, summary, [tabindex]:not([tabindex="-1"])"#,
    );
    let mut skip_links = 0;
    for file in files {
        let shown = file.strip_prefix(output).unwrap().display().to_string();
        let document = parse_html(&file);
        let langs: Vec<_> = document
            .select(&sel("html"))
            .map(|e| e.value().attr("lang").map(str::to_string))
            .collect();
        assert_eq!(langs, vec![Some("sv".to_string())], "{shown}: <html lang>");
        assert_eq!(
            document.select(&sel("h1")).count(),
            1,
            "{shown}: exactly one <h1>"
        );
        let mut ids = std::collections::BTreeSet::new();
        for element in document.select(&sel("[id]")) {
            let id = element.value().attr("id").unwrap_or("");
            assert!(ids.insert(id), "{shown}: the id {id:?} is used twice");
        }
        if document
            .select(&sel(r#"meta[http-equiv="refresh"]"#))
            .next()
            .is_some()
        {
            continue;
        }
        let first = document
            .select(&focusable)
            .next()
            .unwrap_or_else(|| panic!("{shown}: nothing focusable"));
        let href = first.value().attr("href").unwrap_or_else(|| {
            panic!(
                "{shown}: the first focusable element is <{}>, not a link",
                first.value().name()
            )
        });
        let target = href
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{shown}: the first link goes to {href}, not to #main"));
        assert!(!target.is_empty(), "{shown}: the skip link is \"#\"");
        let main = document
            .select(&sel("main"))
            .filter(|m| m.value().attr("id") == Some(target))
            .count();
        assert_eq!(
            main, 1,
            "{shown}: the skip link goes to #{target}, which is not <main>"
        );
        assert!(!text(first).is_empty(), "{shown}: the skip link has no text");
        skip_links += 1;
    }
    assert!(skip_links >= 25, "only {skip_links} pages checked");
}

#[test]
fn every_page_has_language_one_h1_and_the_skip_link_first() {
    let (_dir, output) = build_bundled(TODAY);
    check_every_page(&output);
}

#[test]
fn every_page_has_language_one_h1_and_the_skip_link_first_after_archiving() {
    let (_dir, output) = build_bundled("2027-03-07");
    check_every_page(&output);
}

#[test]
fn a_build_for_the_same_day_is_reproducible() {
    let (_first_dir, first) = build_bundled(TODAY);
    let (_second_dir, second) = build_bundled(TODAY);
    let a = common::snapshot(&first);
    let b = common::snapshot(&second);
    assert_eq!(common::listing(&a), common::listing(&b));
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between two builds");
    }
}
