//! The content lifecycle in built sites: the archive notice, computed archive dates, the `move`,
//! `keep` and `drop` policies, local times of "Senast uppdaterad", the build summary and
//! `notis new`. Every test writes its own small site into a temporary directory.

mod lifecycle_common;

use lifecycle_common::*;

const BASE_URL: &str = "https://example.se/lc/";

/// A news site where "Gammal nyhet om samverkan" (2020-03-01) is archived on 2022-03-01 by the
/// 24 months of news items, "Annan nyhet" (2020-11-01) pins it as related and links to it, and
/// "Färsk nyhet" (2021-09-01) shares its topic and words.
fn news_site(policy: Option<&str>) -> TestSite {
    let policy = policy.map_or(String::new(), |p| format!("archive_policy: {p}\n"));
    let site = TestSite::new(&format!(
        "title: Livscykeltest\nbase_url: {BASE_URL}\nnews_section: nyheter\n{policy}\
         archive_after_months:\n  news: 24\n"
    ));
    site.write("content/_index.md", &md("title: Start", "Välkommen."))
        .write(
            "content/nyheter/_index.md",
            &md("title: Nyheter\ndefault_kind: news", ""),
        )
        .write(
            "content/nyheter/2020-03-01-gammal-nyhet.md",
            &md(
                "title: Gammal nyhet om samverkan\ntags: [samverkan]",
                "Samverkan kring barns hälsa i regionen och gamla rutiner för elevhälsan.",
            ),
        )
        .write(
            "content/nyheter/2020-11-01-annan-nyhet.md",
            &md(
                "title: Annan nyhet om samverkan\ntags: [samverkan]\nrelated: [2020-03-01-gammal-nyhet.md]",
                "Samverkan kring barns hälsa fortsätter. Läs [den gamla nyheten](2020-03-01-gammal-nyhet.md).",
            ),
        )
        .write(
            "content/nyheter/2021-09-01-farsk-nyhet.md",
            &md(
                "title: Färsk nyhet om samverkan\ntags: [samverkan]",
                "Samverkan kring barns hälsa i regionen och nya rutiner för elevhälsan.",
            ),
        );
    site
}

const OLD: &str = "nyheter/gammal-nyhet/";
const OLD_URL: &str = "/lc/nyheter/gammal-nyhet/";
const MOVED: &str = "arkiv/nyheter/gammal-nyhet/";
const MOVED_URL: &str = "/lc/arkiv/nyheter/gammal-nyhet/";
const MOVED_PERMALINK: &str = "https://example.se/lc/arkiv/nyheter/gammal-nyhet/";
const OLD_SOURCE: &str = "content/nyheter/2020-03-01-gammal-nyhet.md";

/// Whether `href` leads to the old page, at its own URL or in the archive.
fn is_old_page(href: &str) -> bool {
    href.contains("gammal-nyhet")
}

/// The hrefs of the related list of the page at `url`.
fn related(site: &TestSite, url: &str) -> Vec<String> {
    hrefs(&site.page(url), "section.related a")
}

/// The pages that list the old news item before it is archived, and must not (move) or must
/// (keep) list it after: the section, its year, the topic.
const LISTINGS: [&str; 3] = ["nyheter/", "nyheter/2020/", "amnen/samverkan/"];

/// On the day before the archive date the page is live and listed everywhere; this proves that
/// the later "absent" assertions are not vacuous.
fn assert_live_and_listed_everywhere(site: &TestSite) {
    let page = site.page(OLD);
    assert_eq!(
        after_h1(&page),
        Some(("p".into(), "archive-notice".into(), notice("2022-03-01")))
    );
    assert_eq!(robots(&page), None, "a live page is indexed");
    for listing in LISTINGS {
        let links = hrefs_outside_content(&site.page(listing));
        assert!(
            links.iter().any(|h| h == OLD_URL),
            "/{listing} lists the live page: {links:?}"
        );
    }
    assert!(hrefs(&site.page(""), ".latest-news a").contains(&OLD_URL.to_string()));
    for url in ["nyheter/annan-nyhet/", "nyheter/farsk-nyhet/"] {
        assert!(
            related(site, url).contains(&OLD_URL.to_string()),
            "{url} relates the live page: {:?}",
            related(site, url)
        );
    }
    let feeds = site.feed_entry_links();
    for feed in ["atom.xml", "nyheter/atom.xml", "amnen/samverkan/atom.xml"] {
        assert!(
            feeds.iter().any(|(f, link)| f == feed && is_old_page(link)),
            "{feed} has the live page: {feeds:?}"
        );
    }
    assert!(site.sitemap_locs().iter().any(|l| is_old_page(l)));
    assert!(!site.has("arkiv/"), "nothing is archived yet");
}

/// Asserts no feed entry and no sitemap URL leads to the old page.
fn assert_not_in_feeds_or_sitemap(site: &TestSite) {
    let feeds = site.feed_entry_links();
    assert!(feeds.len() >= 3, "the feeds have entries: {feeds:?}");
    let in_feeds: Vec<_> = feeds.iter().filter(|(_, link)| is_old_page(link)).collect();
    assert!(in_feeds.is_empty(), "archived page in feeds: {in_feeds:?}");
    let locs = site.sitemap_locs();
    assert!(locs.len() > 3, "the sitemap has URLs: {locs:?}");
    let in_sitemap: Vec<_> = locs.iter().filter(|l| is_old_page(l)).collect();
    assert!(
        in_sitemap.is_empty(),
        "archived page in the sitemap: {in_sitemap:?}"
    );
}

/// Asserts the related lists of the other news items (one pins the old page) leave it out.
fn assert_not_related(site: &TestSite) {
    for url in ["nyheter/annan-nyhet/", "nyheter/farsk-nyhet/"] {
        let links = related(site, url);
        assert!(
            !links.iter().any(|h| is_old_page(h)),
            "{url} relates the archived page: {links:?}"
        );
    }
    assert!(
        related(site, "nyheter/farsk-nyhet/").contains(&"/lc/nyheter/annan-nyhet/".to_string()),
        "the related lists still work"
    );
}

#[test]
fn move_policy_on_the_archive_date() {
    let site = news_site(None);
    let sources = site.sources();

    site.build("2022-02-28");
    assert_live_and_listed_everywhere(&site);

    site.build("2022-03-01");
    // The archived copy: banner right after the heading, noindex, no notice.
    let archived = site.page(MOVED);
    assert_eq!(text(the_h1(&archived)), "Gammal nyhet om samverkan");
    assert_eq!(
        after_h1(&archived),
        Some(("p".into(), "archived-banner".into(), BANNER.into()))
    );
    assert_eq!(robots(&archived).as_deref(), Some("noindex"));
    assert!(!document_text(&archived).contains("Sidan kommer att arkiveras"));
    assert!(document_text(&archived).contains("gamla rutiner för elevhälsan"));
    assert_eq!(
        hrefs(&archived, "link[rel=canonical]"),
        vec![MOVED_PERMALINK.to_string()]
    );

    // The old URL redirects to it.
    let redirect = site.page(OLD);
    let refresh: Vec<_> = redirect
        .select(&sel("meta[http-equiv=refresh]"))
        .filter_map(|e| e.value().attr("content"))
        .collect();
    assert_eq!(refresh, vec![format!("0; url={MOVED_URL}")]);
    assert_eq!(
        hrefs(&redirect, "link[rel=canonical]"),
        vec![MOVED_PERMALINK.to_string()]
    );
    assert_eq!(hrefs(&redirect, "a[href]"), vec![MOVED_URL.to_string()]);
    assert_eq!(robots(&redirect).as_deref(), Some("noindex"));
    assert!(!document_text(&redirect).contains("gamla rutiner"));

    // It has left every listing, the start page and the related lists…
    for listing in LISTINGS {
        assert!(site.has(listing), "/{listing} is still written");
    }
    for (path, page) in site.html_pages() {
        if ["arkiv/index.html", "nyheter/gammal-nyhet/index.html"].contains(&path.as_str())
            || path.starts_with("arkiv/nyheter/")
        {
            continue;
        }
        let links: Vec<_> = hrefs_outside_content(&page)
            .into_iter()
            .filter(|h| is_old_page(h))
            .collect();
        assert!(
            links.is_empty(),
            "{path} still links the archived page: {links:?}"
        );
    }
    assert_not_related(&site);
    // …but a link written in Markdown follows it to the archive.
    let body_links = hrefs(&site.page("nyheter/annan-nyhet/"), ".content a");
    assert_eq!(body_links, vec![MOVED_URL.to_string()]);
    assert_not_in_feeds_or_sitemap(&site);

    // /arkiv/ lists it under its year.
    let archive = site.page("arkiv/");
    let years: Vec<_> = archive
        .select(&sel("section"))
        .filter(|s| s.select(&sel("h2")).next().is_some_and(|h| text(h) == "2020"))
        .collect();
    assert_eq!(years.len(), 1, "one section for 2020 in /arkiv/");
    let listed: Vec<_> = years[0]
        .select(&sel("a[href]"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(listed, vec![MOVED_URL]);
    assert!(
        !hrefs(&archive, "main a").iter().any(|h| h.contains("farsk")),
        "only archived pages are in /arkiv/"
    );

    assert_eq!(site.broken_links(BASE_URL), Vec::<(String, String)>::new());
    assert_eq!(site.sources(), sources, "the sources are never touched");
}

#[test]
fn keep_policy_keeps_the_url_and_listings_with_banner_and_noindex() {
    let site = news_site(Some("keep"));
    let sources = site.sources();

    site.build("2022-02-28");
    assert_live_and_listed_everywhere(&site);

    site.build("2022-03-01");
    let page = site.page(OLD);
    assert_eq!(
        after_h1(&page),
        Some(("p".into(), "archived-banner".into(), BANNER.into()))
    );
    assert_eq!(robots(&page).as_deref(), Some("noindex"));
    assert!(page.select(&sel("meta[http-equiv=refresh]")).next().is_none());
    assert!(!document_text(&page).contains("Sidan kommer att arkiveras"));
    assert!(!site.has(MOVED), "keep does not move the page");

    for listing in LISTINGS {
        let links = hrefs_outside_content(&site.page(listing));
        assert!(
            links.iter().any(|h| h == OLD_URL),
            "/{listing} keeps listing the page: {links:?}"
        );
    }
    assert!(
        !hrefs(&site.page(""), ".latest-news a")
            .iter()
            .any(|h| is_old_page(h)),
        "the latest news are current pages only"
    );
    assert_not_related(&site);
    assert_not_in_feeds_or_sitemap(&site);
    assert_eq!(
        hrefs(&site.page("nyheter/annan-nyhet/"), ".content a"),
        vec![OLD_URL.to_string()]
    );
    assert_eq!(site.broken_links(BASE_URL), Vec::<(String, String)>::new());
    assert_eq!(site.sources(), sources, "the sources are never touched");
}

#[test]
fn drop_policy_leaves_the_page_out_and_reports_it() {
    let site = news_site(Some("drop"));
    let sources = site.sources();

    let before = site.build("2022-02-28");
    assert!(!before.contains("Utelämnad"), "{before}");
    assert_live_and_listed_everywhere(&site);

    let stdout = site.build("2022-03-01");
    assert!(
        stdout
            .lines()
            .any(|l| l == format!("Utelämnad eftersom den är arkiverad: {OLD_SOURCE}")),
        "the build reports the dropped page:\n{stdout}"
    );
    assert!(!site.has(OLD), "no page at the old URL");
    assert!(!site.has(MOVED), "no archived copy");
    for path in site.output_files() {
        let bytes = std::fs::read(site.output().join(&path)).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("gammal-nyhet") && !text.contains("Gammal nyhet om samverkan"),
            "{path} still mentions the dropped page"
        );
    }
    assert_not_related(&site);
    assert_not_in_feeds_or_sitemap(&site);
    assert_eq!(site.sources(), sources, "the sources are never touched");
}

/// A dropped page is gone, so whatever linked to it must lead somewhere that exists.
#[test]
fn drop_policy_leaves_no_broken_links() {
    let site = news_site(Some("drop"));
    site.write(
        "site.yaml",
        &format!("{}menu: [nyheter, om.md]\n", site.read("site.yaml")),
    )
    .write(
        "content/om.md",
        &md("title: Om oss\narchive_date: 2021-01-01", "Om webbplatsen."),
    );
    site.build("2022-03-01");
    assert!(!site.has("om/") && !site.has(OLD));
    let broken = site.broken_links(BASE_URL);
    assert_eq!(
        broken,
        Vec::<(String, String)>::new(),
        "links to dropped pages (a Markdown link, the menu) lead nowhere"
    );
}

#[test]
fn a_notice_shows_only_a_coming_date_and_none_once_it_has_passed() {
    let site = news_site(Some("keep"));
    for (today, expected) in [
        ("2021-12-31", Some("2022-03-01")),
        ("2022-02-28", Some("2022-03-01")),
        ("2022-03-01", None),
        ("2022-03-02", None),
        ("2024-01-01", None),
    ] {
        site.build(today);
        let page = site.page(OLD);
        let notices: Vec<_> = page.select(&sel(".archive-notice")).map(text).collect();
        match expected {
            Some(date) => assert_eq!(notices, vec![notice(date)], "on {today}"),
            None => {
                assert!(notices.is_empty(), "on {today}: {notices:?}");
                assert!(!document_text(&page).contains("Sidan kommer att arkiveras"));
                assert_eq!(
                    after_h1(&page).map(|(_, _, t)| t).as_deref(),
                    Some(BANNER),
                    "on {today}"
                );
            }
        }
        for (path, document) in site.html_pages() {
            for date in notice_dates(&document_text(&document)) {
                assert!(
                    date.as_str() > today,
                    "{path} shows the past date {date} on {today}"
                );
            }
        }
    }
}

#[test]
fn the_notice_is_the_exact_sentence_right_after_the_heading() {
    let site = TestSite::new(&format!(
        "title: Livscykeltest\nbase_url: {BASE_URL}\nnews_section: nyheter\n\
         archive_after_months:\n  news: 24\n"
    ));
    site.write("content/_index.md", &md("title: Start", ""))
        .write(
            "content/nyheter/_index.md",
            &md("title: Nyheter\ndefault_kind: news", ""),
        )
        .write(
            "content/nyheter/2020-03-01-beraknad.md",
            &md("title: Beräknad", "Text."),
        )
        .write(
            "content/nyheter/2020-04-01-med-ingress.md",
            &md("title: Med ingress\nsummary: En ingress.", "Text."),
        )
        .write(
            "content/uttrycklig.md",
            &md("title: Uttrycklig\narchive_date: 2027-03-06", "Text."),
        )
        .write(
            "content/svensk.md",
            &md("title: Svensk nyckel\narkiveras: 2026-12-24", "Text."),
        )
        .write("content/utkast.md", &md("title: Utan datum", "Text."));
    site.build("2021-12-01");
    for (url, date) in [
        ("nyheter/beraknad/", "2022-03-01"),
        ("nyheter/med-ingress/", "2022-04-01"),
        ("uttrycklig/", "2027-03-06"),
        ("svensk/", "2026-12-24"),
    ] {
        let page = site.page(url);
        assert_eq!(
            after_h1(&page),
            Some(("p".into(), "archive-notice".into(), notice(date))),
            "/{url}"
        );
        assert_eq!(
            document_text(&page).matches("Sidan kommer att arkiveras").count(),
            1,
            "/{url} shows the notice once"
        );
        assert_eq!(robots(&page), None);
    }
    let plain = site.page("utkast/");
    assert!(!document_text(&plain).contains("arkiveras"), "no date, no notice");
    assert_ne!(
        after_h1(&plain).map(|(_, c, _)| c).as_deref(),
        Some("archive-notice")
    );
}

#[test]
fn archive_months_per_kind_and_per_section() {
    let site = TestSite::new(&format!(
        "title: Livscykeltest\nbase_url: {BASE_URL}\nnews_section: nyheter\n\
         archive_after_months:\n  history: 24\n  news: 12\n\
         sections:\n  projekt:\n    archive_after_months: 36\n"
    ));
    let history = |title: &str| {
        md(
            &format!("title: {title}\nkind: history\nperiod: \"2018–2020\"\ndate: 2020-01-15"),
            "Text.",
        )
    };
    site.write("content/_index.md", &md("title: Start", ""))
        .write(
            "content/nyheter/_index.md",
            &md("title: Nyheter\ndefault_kind: news", ""),
        )
        .write(
            "content/nyheter/2020-01-15-nyhet.md",
            &md("title: Nyhet", "Text."),
        )
        .write("content/historik/_index.md", &md("title: Historik", ""))
        .write("content/historik/arende.md", &history("Ärende"))
        .write("content/projekt/_index.md", &md("title: Projekt", ""))
        .write("content/projekt/ett.md", &history("Projekt ett"))
        .write(
            "content/rapporter/_index.md",
            &md("title: Rapporter\narchive_after_months: 6", ""),
        )
        .write("content/rapporter/rapport.md", &history("Rapport"))
        .write(
            "content/rapporter/uttrycklig.md",
            &md(
                "title: Uttrycklig\ndate: 2020-01-15\narchive_date: 2030-01-01",
                "Text.",
            ),
        )
        .write("content/sida.md", &md("title: Sida\ndate: 2020-01-15", "Text."));
    site.build("2020-06-01");
    for (url, expected) in [
        ("nyheter/nyhet/", Some("2021-01-15")),        // news: 12
        ("historik/arende/", Some("2022-01-15")),      // history: 24
        ("projekt/ett/", Some("2023-01-15")),          // sections.projekt in site.yaml beats the kind
        ("rapporter/rapport/", Some("2020-07-15")),    // archive_after_months: 6 in _index.md
        ("rapporter/uttrycklig/", Some("2030-01-01")), // written by hand beats the section
        ("sida/", None),                               // no months for kind page
    ] {
        let page = site.page(url);
        let notices: Vec<_> = page.select(&sel(".archive-notice")).map(text).collect();
        match expected {
            Some(date) => assert_eq!(notices, vec![notice(date)], "/{url}"),
            None => assert!(notices.is_empty(), "/{url}: {notices:?}"),
        }
    }
    // On 2020-07-15 only the report is archived (moved).
    let stdout = site.build("2020-07-15");
    assert!(site.has("arkiv/rapporter/rapport/"), "{stdout}");
    assert!(site.has("nyheter/nyhet/") && site.has("historik/arende/") && site.has("projekt/ett/"));
    assert!(
        stdout.contains("1 sida arkiverad, 0 arkiveras inom 30 dagar"),
        "{stdout}"
    );
}

#[test]
fn updating_a_page_postpones_its_computed_archive_date() {
    let site = news_site(None);
    let path = "content/nyheter/2020-03-01-gammal-nyhet.md";
    let original = site.read(path);

    site.build("2021-12-01");
    assert_eq!(
        site.page(OLD)
            .select(&sel(".archive-notice"))
            .map(text)
            .collect::<Vec<_>>(),
        vec![notice("2022-03-01")]
    );
    site.build("2022-03-05");
    assert!(site.has(MOVED), "archived by its publication date");

    let updated = original.replace("tags:", "updated: 2021-06-15 09:30\ntags:");
    assert_ne!(updated, original);
    site.write(path, &updated);
    site.build("2021-12-01");
    assert_eq!(
        after_h1(&site.page(OLD)),
        Some(("p".into(), "archive-notice".into(), notice("2023-06-15")))
    );
    site.build("2022-03-05");
    assert!(!site.has(MOVED), "the update postponed archiving");
    assert_eq!(
        after_h1(&site.page(OLD)),
        Some(("p".into(), "archive-notice".into(), notice("2023-06-15")))
    );
    site.build("2023-06-15");
    assert!(site.has(MOVED), "archived on the postponed date");
}

#[test]
fn archive_notice_days_hides_a_far_notice() {
    let page = md("title: Snart arkiverad\narchive_date: 2022-03-01", "Text.");
    let with_window = TestSite::new(&format!(
        "title: T\nbase_url: {BASE_URL}\narchive_notice_days: 30\n"
    ));
    with_window.write("content/sida.md", &page);
    let without = TestSite::new(&format!("title: T\nbase_url: {BASE_URL}\n"));
    without.write("content/sida.md", &page);

    for (today, shown) in [
        ("2022-01-01", false),
        ("2022-01-29", false),
        ("2022-01-30", true),
        ("2022-02-28", true),
    ] {
        with_window.build(today);
        let document = with_window.page("sida/");
        let notices: Vec<_> = document.select(&sel(".archive-notice")).map(text).collect();
        if shown {
            assert_eq!(notices, vec![notice("2022-03-01")], "on {today}");
            assert_eq!(
                after_h1(&document).map(|(_, c, _)| c).as_deref(),
                Some("archive-notice")
            );
        } else {
            assert!(notices.is_empty(), "on {today}: {notices:?}");
            assert!(!document_text(&document).contains("arkiveras"), "on {today}");
        }
        without.build(today);
        assert_eq!(
            without
                .page("sida/")
                .select(&sel(".archive-notice"))
                .map(text)
                .collect::<Vec<_>>(),
            vec![notice("2022-03-01")],
            "without archive_notice_days the notice shows on {today}"
        );
    }
}

#[test]
fn last_updated_is_shown_in_stockholm_time_whatever_the_machine_zone() {
    let site = TestSite::new(&format!("title: T\nbase_url: {BASE_URL}\n"));
    site.write(
        "content/vinter.md",
        &md("title: Vinter\nupdated: 2022-12-29T14:26:00Z", "Text."),
    )
    .write(
        "content/sommar.md",
        &md("title: Sommar\nupdated: 2022-06-29T14:26:00Z", "Text."),
    );
    for zone in ["UTC", "America/New_York", "Asia/Tokyo"] {
        let output = site
            .command(["build", "--today", "2023-01-01"])
            .env("TZ", zone)
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
        for (url, shown, iso) in [
            ("vinter/", "2022-12-29 15:26", "2022-12-29T15:26:00+01:00"),
            ("sommar/", "2022-06-29 16:26", "2022-06-29T16:26:00+02:00"),
        ] {
            let page = site.page(url);
            let updated: Vec<_> = page.select(&sel(".page-meta__updated")).map(text).collect();
            assert_eq!(
                updated,
                vec![format!("Senast uppdaterad: {shown}")],
                "/{url} with TZ={zone}"
            );
            let times: Vec<_> = page
                .select(&sel(".page-meta__updated time"))
                .filter_map(|t| t.value().attr("datetime"))
                .collect();
            assert_eq!(times, vec![iso], "/{url} with TZ={zone}");
        }
    }
}

#[test]
fn the_build_summary_counts_archived_and_soon_to_be_archived_pages() {
    let site = TestSite::new(&format!("title: T\nbase_url: {BASE_URL}\n"));
    let page = |title: &str, date: &str| md(&format!("title: {title}\narchive_date: {date}"), "Text.");
    site.write("content/a.md", &page("A", "2024-03-01"))
        .write("content/b.md", &page("B", "2024-03-10"))
        .write("content/c.md", &page("C", "2024-03-31"))
        .write("content/d.md", &page("D", "2024-04-01"))
        .write("content/e.md", &md("title: E", "Inget datum."));
    let last_line = |stdout: &str| stdout.lines().last().unwrap_or_default().to_string();

    let stdout = site.build("2024-03-01");
    assert_eq!(
        last_line(&stdout),
        "1 sida arkiverad, 2 arkiveras inom 30 dagar",
        "{stdout}"
    );
    let stdout = site.build("2024-03-10");
    assert_eq!(
        last_line(&stdout),
        "2 sidor arkiverade, 2 arkiveras inom 30 dagar",
        "{stdout}"
    );
    let stdout = site.build("2024-01-01");
    assert_eq!(
        last_line(&stdout),
        "0 sidor arkiverade, 0 arkiveras inom 30 dagar",
        "{stdout}"
    );
}

#[test]
fn notis_today_drives_the_build_and_today_overrides_it() {
    let site = news_site(None);
    let output = site
        .command(["build"])
        .env("NOTIS_TODAY", "2022-03-01")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    assert!(site.has(MOVED), "NOTIS_TODAY=2022-03-01 archives the page");

    let output = site
        .command(["build", "--today", "2022-02-01"])
        .env("NOTIS_TODAY", "2022-03-01")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    assert!(!site.has(MOVED), "--today wins over NOTIS_TODAY");
    assert_eq!(
        after_h1(&site.page(OLD)).map(|(_, _, t)| t),
        Some(notice("2022-03-01"))
    );
}

/// Paths of the files a build of `site` on `today` renders, through the library.
fn rendered_paths(site: &TestSite, today: &str) -> Result<Vec<String>, String> {
    let options = notis::BuildOptions {
        today: chrono::NaiveDate::parse_from_str(today, "%Y-%m-%d").expect("a day"),
        include_drafts: false,
    };
    let loaded = notis::load(site.root(), &options).map_err(|d| format!("{:?}", d.into_sorted()))?;
    let tera = notis::render::templates(&loaded.theme, &loaded.site.config.base_path)
        .map_err(|d| format!("{d:?}"))?;
    let files =
        notis::render::render_site(&loaded.site, &loaded.theme, &tera).map_err(|d| format!("{d:?}"))?;
    Ok(files.into_iter().map(|f| f.path).collect())
}

fn duplicates(paths: &[String]) -> Vec<&String> {
    let mut seen = std::collections::BTreeSet::new();
    paths.iter().filter(|p| !seen.insert(*p)).collect()
}

/// A page archived by `move` leaves a redirect at its old URL; a new page with the same slug must
/// not share that URL silently (two files written to one path, the winner decided by threads).
#[test]
fn a_new_page_at_an_archived_pages_old_url_is_not_written_twice() {
    let site = news_site(None);
    site.write(
        "content/nyheter/2022-02-20-gammal-nyhet.md",
        &md("title: Ny nyhet med samma adress", "Ny text."),
    );
    let on_the_day = rendered_paths(&site, "2022-03-01");
    if let Ok(paths) = &on_the_day {
        assert_eq!(
            duplicates(paths),
            Vec::<&String>::new(),
            "the redirect and the new page are both rendered to the same file"
        );
    }
    // The day before, the clash is reported as an error.
    assert!(rendered_paths(&site, "2022-02-28").is_err());
}

/// `/arkiv/` is generated; a section of the site at the same URL must be reported, not overwritten.
#[test]
fn the_archive_index_does_not_overwrite_a_section_named_arkiv() {
    let site = news_site(None);
    site.write(
        "content/arkiv/_index.md",
        &md("title: Vårt dokumentarkiv", "Protokoll och rapporter."),
    );
    if let Ok(paths) = rendered_paths(&site, "2022-03-01") {
        assert_eq!(
            duplicates(&paths),
            Vec::<&String>::new(),
            "content/arkiv/_index.md and the archive index are both rendered to arkiv/index.html"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// notis new

fn new_site() -> TestSite {
    let site = TestSite::new(&format!(
        "title: T\nbase_url: {BASE_URL}\nnews_section: nyheter\n\
         owner: \"Webbredaktionen <webb@example.se>\"\n"
    ));
    site.write("content/_index.md", &md("title: Start", ""))
        .write(
            "content/nyheter/_index.md",
            &md("title: Nyheter\ndefault_kind: news", ""),
        )
        .write("content/projekt/_index.md", &md("title: Projekt", ""));
    site
}

/// Runs `notis new …` and returns the path it printed, which must exist.
fn new_ok(site: &TestSite, args: &[&str]) -> std::path::PathBuf {
    let output = site.run(args);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let printed = stdout(&output).trim().to_string();
    let path = std::path::PathBuf::from(&printed);
    assert!(path.is_file(), "printed path {printed} is a file");
    path
}

fn yaml_str<'a>(front: &'a serde_yaml::Value, key: &str) -> Option<&'a str> {
    front.get(key).and_then(serde_yaml::Value::as_str)
}

#[test]
fn new_news_creates_a_dated_page_that_builds_at_once() {
    let site = new_site();
    let path = new_ok(
        &site,
        &["new", "news", "Titel på nyheten", "--today", "2025-02-03"],
    );
    assert!(
        path.ends_with("content/nyheter/2025-02-03-titel-pa-nyheten.md"),
        "{}",
        path.display()
    );
    let text = std::fs::read_to_string(&path).expect("read");
    let front = front_matter(&text);
    assert_eq!(yaml_str(&front, "title"), Some("Titel på nyheten"));
    assert_eq!(yaml_str(&front, "kind"), Some("news"));
    assert_eq!(yaml_str(&front, "date"), Some("2025-02-03"));
    assert_eq!(yaml_str(&front, "summary"), Some(""));
    assert_eq!(
        front
            .get("tags")
            .and_then(serde_yaml::Value::as_sequence)
            .map(Vec::len),
        Some(0)
    );
    assert_eq!(
        yaml_str(&front, "owner"),
        Some("Webbredaktionen <webb@example.se>")
    );

    site.build("2025-02-03");
    let page = site.page("nyheter/titel-pa-nyheten/");
    assert_eq!(text_of_h1(&page), "Titel på nyheten");
    assert!(hrefs(&site.page("nyheter/"), "main a").contains(&"/lc/nyheter/titel-pa-nyheten/".to_string()));
}

fn text_of_h1(document: &scraper::Html) -> String {
    text(the_h1(document))
}

#[test]
fn new_never_overwrites_a_file() {
    let site = new_site();
    let args = ["new", "news", "Samma rubrik", "--today", "2025-02-03"];
    let path = new_ok(&site, &args);
    std::fs::write(&path, md("title: Redigerad", "Skriven av en människa.")).expect("edit");
    let edited = std::fs::read(&path).expect("read");

    let again = site.run(args);
    assert_eq!(again.status.code(), Some(1), "{}", describe(&again));
    assert_eq!(
        std::fs::read(&path).expect("read"),
        edited,
        "the file is unchanged"
    );
    assert!(stderr(&again).contains("finns redan"), "{}", describe(&again));

    let summary = ["new", "summary", "2025", "--today", "2025-02-03"];
    let first = new_ok(&site, &summary);
    let before = std::fs::read(&first).expect("read");
    let again = site.run(summary);
    assert_eq!(again.status.code(), Some(1), "{}", describe(&again));
    assert_eq!(std::fs::read(&first).expect("read"), before);
}

#[test]
fn new_summary_and_history_pages_build_at_once() {
    let site = new_site();
    let summary = new_ok(&site, &["new", "summary", "2025", "--today", "2026-01-10"]);
    assert!(
        summary.ends_with("content/nyheter/vad-hande-2025.md"),
        "{}",
        summary.display()
    );
    let front = front_matter(&std::fs::read_to_string(&summary).expect("read"));
    assert_eq!(
        yaml_str(&front, "title"),
        Some("Vad hände 2025 – vad händer 2026?")
    );
    assert_eq!(yaml_str(&front, "kind"), Some("summary"));
    assert_eq!(front.get("year").and_then(serde_yaml::Value::as_u64), Some(2025));

    let history = new_ok(
        &site,
        &[
            "new",
            "history",
            "Namn",
            "--section",
            "projekt",
            "--today",
            "2026-01-10",
        ],
    );
    assert!(
        history.ends_with("content/projekt/historik-namn.md"),
        "{}",
        history.display()
    );
    let front = front_matter(&std::fs::read_to_string(&history).expect("read"));
    assert_eq!(yaml_str(&front, "title"), Some("Namn"));
    assert_eq!(yaml_str(&front, "kind"), Some("history"));
    assert!(
        yaml_str(&front, "period").is_some_and(|p| !p.trim().is_empty()),
        "a period: {front:?}"
    );

    site.build("2026-01-10");
    assert_eq!(
        text_of_h1(&site.page("nyheter/vad-hande-2025/")),
        "Vad hände 2025 – vad händer 2026?"
    );
    assert_eq!(text_of_h1(&site.page("projekt/historik-namn/")), "Namn");
}

#[test]
fn new_takes_the_day_from_notis_today_and_the_section_from_the_flag() {
    let site = new_site();
    let output = site
        .command(["new", "news", "Nyhet i projektet", "--section", "projekt"])
        .env("NOTIS_TODAY", "2024-05-06")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let path = site
        .root()
        .join("content/projekt/2024-05-06-nyhet-i-projektet.md");
    assert!(path.is_file(), "{}", describe(&output));
    let front = front_matter(&std::fs::read_to_string(&path).expect("read"));
    assert_eq!(yaml_str(&front, "date"), Some("2024-05-06"));
    site.build("2024-05-06");
    assert!(site.has("projekt/nyhet-i-projektet/"));
}
