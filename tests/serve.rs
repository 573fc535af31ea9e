//! `notis serve`, the live preview (issue 5): a real server process on a free port, driven over
//! HTTP and the live-reload event stream while the test edits the site's files.
//!
//! Every wait is bounded by `serve_common::WAIT`; every server is killed when its test ends.

mod serve_common;

use std::collections::BTreeSet;

use serve_common::{
    files_under, full_build, links, news_file, news_source, news_title, slug, strip_reload_script, text_of,
    url_of, Fixture, Server, BASE, NEWS_TEMPLATE,
};

/// The URL of the fixture's news item `index`.
fn news_url(index: usize) -> String {
    format!("{BASE}nyheter/{}/", slug(news_title(index)))
}

/// Every page of the news section's listing, in order: `/bas/nyheter/`, `/bas/nyheter/sida/2/`, …
fn listing_pages(server: &Server) -> Vec<(String, String)> {
    let mut pages = vec![(format!("{BASE}nyheter/"), server.page(&format!("{BASE}nyheter/")))];
    for number in 2.. {
        let url = format!("{BASE}nyheter/sida/{number}/");
        let response = server.get(&url);
        if response.status == 404 {
            break;
        }
        assert_eq!(response.status, 200, "GET {url}: {}", response.head);
        pages.push((url, response.text()));
        assert!(number < 50, "the listing never ends");
    }
    pages
}

/// The URL and HTML of every news item's page.
fn news_pages(server: &Server) -> Vec<(String, String)> {
    (0..serve_common::news_count())
        .map(|index| {
            let url = news_url(index);
            let html = server.page(&url);
            (url, html)
        })
        .collect()
}

/// The texts of the links to `target` in each page's "Relaterade nyheter", for the pages that have one.
fn related_links_to(pages: &[(String, String)], target: &str) -> Vec<(String, String)> {
    pages
        .iter()
        .flat_map(|(url, html)| {
            links(html, "section.related a")
                .into_iter()
                .filter(|(href, _)| href == target)
                .map(move |(_, text)| (url.clone(), text))
        })
        .collect()
}

#[test]
fn editing_a_title_reloads_and_shows_the_new_title_everywhere_it_is_listed() {
    let fixture = Fixture::new();
    let server = Server::start(&fixture.root, &[]);
    assert!(
        server.url.ends_with(BASE),
        "the printed URL carries the base path: {}",
        server.url
    );
    let start = server.page(BASE);
    assert!(
        start.contains("<script data-notis-reload>"),
        "the reload script is injected"
    );

    let edited = 2;
    let old_title = news_title(edited);
    let new_title = "Rekordmånga barn vaccinerade i länet";
    let url = news_url(edited);
    let own = server.page(&url);
    assert_eq!(text_of(&own, "main h1").as_deref(), Some(old_title), "{url}");

    // Where the item is listed before the edit: one listing page, some related lists.
    let holding: Vec<String> = listing_pages(&server)
        .into_iter()
        .filter(|(_, html)| links(html, "a").iter().any(|(href, _)| *href == url))
        .map(|(listing, _)| listing)
        .collect();
    assert_eq!(
        holding.len(),
        1,
        "exactly one listing page holds {url}: {holding:?}"
    );
    let related_before = related_links_to(&news_pages(&server), &url);
    assert!(
        !related_before.is_empty(),
        "the fixture makes {url} a related item of some other item"
    );
    assert!(related_before.iter().all(|(_, text)| text == old_title));

    let events = server.events();
    let file = format!("content/nyheter/{}", news_file(edited));
    let source = fixture.read(&file);
    let changed = source.replace(
        &format!("title: \"{old_title}\""),
        &format!("title: \"{new_title}\""),
    );
    assert_ne!(source, changed, "the title line was found");
    fixture.write(&file, &changed);
    let took = events.expect("reload", "changing a title", &server);
    assert!(
        took < std::time::Duration::from_secs(10),
        "the reload of a nine-page site took {took:?}"
    );

    let own = server.page(&url);
    assert_eq!(
        text_of(&own, "main h1").as_deref(),
        Some(new_title),
        "the item's own page shows the new title"
    );
    let head_title = text_of(&own, "title").unwrap_or_default();
    assert!(
        head_title.starts_with(new_title) && !head_title.contains(old_title),
        "the <title> of {url} is updated: {head_title}"
    );

    let listing_with_item: Vec<(String, String)> = listing_pages(&server)
        .into_iter()
        .filter_map(|(listing, html)| {
            links(&html, "a")
                .into_iter()
                .find(|(href, _)| *href == url)
                .map(|(_, text)| (listing, text))
        })
        .collect();
    assert_eq!(listing_with_item.len(), 1, "{listing_with_item:?}");
    assert_eq!(
        listing_with_item[0].1, new_title,
        "the listing page {} shows the new title",
        listing_with_item[0].0
    );

    let related_after = related_links_to(&news_pages(&server), &url);
    assert!(
        !related_after.is_empty(),
        "{url} is still some item's related news after the edit"
    );
    for (page, text) in &related_after {
        assert_eq!(text, new_title, "the related list on {page} shows the new title");
    }

    let feed = server.get(&format!("{BASE}nyheter/atom.xml"));
    let feed = feed_rs::parser::parse(feed.body.as_slice()).expect("the section feed parses");
    let titles: Vec<String> = feed
        .entries
        .iter()
        .filter_map(|entry| entry.title.as_ref().map(|t| t.content.clone()))
        .collect();
    assert!(
        titles.iter().any(|t| t == new_title) && !titles.iter().any(|t| t == old_title),
        "the section feed is updated: {titles:?}"
    );
}

#[test]
fn the_served_site_equals_a_full_build_after_a_series_of_edits() {
    let fixture = Fixture::new();
    let before = fixture.dir.path().join("fore");
    full_build(&fixture.root, &before);
    let server = Server::start(&fixture.root, &[]);
    let events = server.events();

    // 1. A title.
    let file = format!("content/nyheter/{}", news_file(3));
    fixture.write(
        &file,
        &fixture
            .read(&file)
            .replace(news_title(3), "Primärvården anställer fler"),
    );
    events.expect("reload", "changing a title", &server);
    assert!(server.page(&news_url(3)).contains("Primärvården anställer fler"));

    // 2. Tags: one topic dropped everywhere ("personal" only had three items), one new. One file
    // is saved the way many editors do: written to a temporary file, then renamed over the old.
    for index in [3, 4, 6] {
        let file = format!("content/nyheter/{}", news_file(index));
        let text = fixture.read(&file).replace("\"personal\"", "\"nytt ämne\"");
        if index == 4 {
            fixture.save_by_rename(&file, &text);
        } else {
            fixture.write(&file, &text);
        }
    }
    events.expect("reload", "changing tags", &server);
    assert_eq!(server.get(&format!("{BASE}amnen/nytt-amne/")).status, 200);
    assert_eq!(server.get(&format!("{BASE}amnen/personal/")).status, 404);

    // 3. A new news item.
    fixture.write(
        "content/nyheter/2026-10-20-ny-mottagning-for-barn.md",
        &news_source(
            "Ny mottagning för barn",
            "2026-10-20",
            &["barn", "vaccin"],
            "Läs också [om vaccinationerna](2026-01-12-vaccinationer-i-skolan.md).",
        ),
    );
    events.expect("reload", "adding a page", &server);
    assert!(server
        .page(&format!("{BASE}nyheter/"))
        .contains("Ny mottagning för barn"));

    // 4. A deleted page.
    fixture.remove("content/kontakt.md");
    events.expect("reload", "deleting a page", &server);
    assert_eq!(server.get(&format!("{BASE}kontakt/")).status, 404);

    // 5. A site template that extends the theme's page.html.
    assert!(server.page(&news_url(0)).contains("Mallversion 1"));
    fixture.write(
        "templates/news.html",
        &NEWS_TEMPLATE.replace("Mallversion 1", "Mallversion 2"),
    );
    events.expect("reload", "changing a template", &server);
    assert!(server.page(&news_url(0)).contains("Mallversion 2"));

    let after = fixture.dir.path().join("efter");
    full_build(&fixture.root, &after);
    let built = files_under(&after);
    assert!(built.len() > 30, "the full build wrote the site: {built:?}");
    let mut differing = Vec::new();
    for path in &built {
        let url = url_of(path);
        let response = server.get(&url);
        assert_eq!(
            response.status, 200,
            "GET {url} (built as {path}): {}",
            response.head
        );
        let expected = std::fs::read(after.join(path)).expect("read built file");
        let is_html = response
            .header("content-type")
            .is_some_and(|kind| kind.starts_with("text/html"));
        let served = if is_html {
            strip_reload_script(&response.body)
        } else {
            response.body.clone()
        };
        if served != expected {
            differing.push(format!(
                "{path}:\n--- served ---\n{}\n--- built ---\n{}",
                String::from_utf8_lossy(&served),
                String::from_utf8_lossy(&expected)
            ));
        }
    }
    assert!(
        differing.is_empty(),
        "{} of {} files differ from a full build:\n{}",
        differing.len(),
        built.len(),
        differing.join("\n\n")
    );

    // Nothing the site had before the edits and a full build no longer writes is still served.
    let now: BTreeSet<&String> = built.iter().collect();
    let gone: Vec<String> = files_under(&before)
        .into_iter()
        .filter(|path| !now.contains(path))
        .collect();
    assert!(
        gone.contains(&"kontakt/index.html".to_string())
            && gone.contains(&"amnen/personal/index.html".to_string()),
        "the edits removed pages: {gone:?}"
    );
    for path in gone {
        let url = url_of(&path);
        let response = server.get(&url);
        assert_eq!(
            response.status, 404,
            "{url} is gone from a full build but the server still has it"
        );
    }
}

#[test]
fn a_broken_file_shows_the_error_over_the_last_good_site_until_it_is_fixed() {
    let fixture = Fixture::new();
    let server = Server::start(&fixture.root, &[]);
    let events = server.events();
    let url = news_url(1);
    let title = news_title(1);
    let file = format!("content/nyheter/{}", news_file(1));
    let good = fixture.read(&file);
    let lines: Vec<&str> = good.lines().collect();
    assert!(
        lines[3].starts_with("summary:"),
        "line 4 of {file} is the summary"
    );

    // Line 4 becomes "summary: Kort: om vårdcentralen", which YAML refuses.
    let broken = good.replacen(lines[3], "summary: Kort: om vårdcentralen", 1);
    fixture.write(&file, &broken);
    events.expect("error", "breaking the front matter", &server);

    let location = format!("{file}:4");
    for page in [url.clone(), BASE.to_string(), format!("{BASE}nyheter/")] {
        let html = server.page(&page);
        let overlay = text_of(&html, "#notis-fel")
            .unwrap_or_else(|| panic!("{page} shows no error overlay while {file} is broken"));
        assert!(
            overlay.contains(&location),
            "the overlay on {page} names {location}: {overlay}"
        );
    }
    let html = server.page(&url);
    assert_eq!(
        text_of(&html, "main h1").as_deref(),
        Some(title),
        "the last good page is still served"
    );
    assert!(
        html.contains("Kort om Ny vårdcentral öppnar."),
        "with its old summary"
    );
    let missing = server.get(&format!("{BASE}finns-inte/"));
    assert_eq!(missing.status, 404);

    fixture.write(&file, &good.replace("Barn, vaccin", "Barn, vaccin (rättat)"));
    events.expect("reload", "fixing the front matter", &server);
    for page in [url.clone(), BASE.to_string()] {
        let html = server.page(&page);
        assert!(
            text_of(&html, "#notis-fel").is_none() && !html.contains("notis-fel"),
            "the overlay is gone from {page} once the file is fixed"
        );
    }
    assert!(server.page(&url).contains("(rättat)"), "the fixed page is served");

    // A template error points at the template's file and line, over the last good pages too.
    fixture.write(
        "templates/news.html",
        &NEWS_TEMPLATE.replace("{{ super() }}", "{{ super() }}\n{% if %}"),
    );
    events.expect("error", "breaking a template", &server);
    let html = server.page(&url);
    let overlay = text_of(&html, "#notis-fel").expect("an overlay while the template is broken");
    assert!(
        overlay.contains("templates/news.html:3"),
        "the overlay names the template and line: {overlay}"
    );
    assert!(
        html.contains("Mallversion 1"),
        "the last good rendering is served"
    );
    fixture.write("templates/news.html", NEWS_TEMPLATE);
    events.expect("reload", "fixing the template", &server);
    assert!(!server.page(&url).contains("notis-fel"));
}

#[test]
fn no_request_reaches_a_file_outside_the_site() {
    let fixture = Fixture::new();
    let server = Server::start(&fixture.root, &[]);
    let secret = fixture.secret.clone();
    let site_yaml = fixture.read("site.yaml");

    let control = server.get(&format!("{BASE}bilder/logga.svg"));
    assert_eq!(control.status, 200, "the SVG in static/ is served");
    assert_eq!(control.text(), serve_common::SVG);

    let targets = [
        "/../secret.txt",
        "/../",
        "/..",
        "/bas/../secret.txt",
        "/bas/../../secret.txt",
        "/bas/../../etc/passwd",
        "/bas/../../../../../../etc/passwd",
        "/bas/bilder/../../../secret.txt",
        "/bas/%2e%2e/%2e%2e/secret.txt",
        "/bas/%2E%2E/%2E%2E/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/bas/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/bas/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/bas/..%2f..%2fsecret.txt",
        "/bas/..%2F..%2Fetc%2Fpasswd",
        "/bas/%2e%2e/secret.txt",
        "/bas/.%2e/.%2e/secret.txt",
        "/bas/%2e./%2e./secret.txt",
        "/bas/..\\..\\secret.txt",
        "/bas\\..\\..\\secret.txt",
        "/bas/..%5c..%5csecret.txt",
        "/bas/bilder/..%5C..%5C..%5Csecret.txt",
        "/bas/%00/../../secret.txt",
        "/bas/..%00/secret.txt",
        "/bas/bilder/logga.svg%00.html",
        "/bas/%252e%252e/%252e%252e/secret.txt",
        "/bas/%c0%ae%c0%ae/%c0%ae%c0%ae/secret.txt",
        "//secret.txt",
        "//etc/passwd",
        "/bas//../secret.txt",
        "/bas//..//..//secret.txt",
        "/bas/bilder//logga.svg",
        "/bas/./../secret.txt",
        "/bas/../site/site.yaml",
        "/bas/site.yaml",
        "/bas/content/om.md",
        "/bas/static/bilder/logga.svg",
        "/bas/templates/news.html",
        "http://127.0.0.1/../secret.txt",
        "/bas/%",
        "/bas/%zz/secret.txt",
    ];
    let mut requests: Vec<(String, Vec<u8>)> = targets
        .iter()
        .map(|target| {
            (
                target.to_string(),
                format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").into_bytes(),
            )
        })
        .collect();
    // A raw NUL byte in the request line, not percent-encoded.
    requests.push((
        "/bas/<NUL>/../../secret.txt".into(),
        b"GET /bas/\0/../../secret.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".to_vec(),
    ));
    // Bytes that are not UTF-8 in the request line: no content either way. (notis answers these
    // by closing the connection without a response, see the report; 400 would be better.)
    let response = serve_common::raw(
        server.addr,
        b"GET /bas/\xff\xfe/../../secret.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert!(
        matches!(response.status, 0 | 400 | 404) && !response.text().contains(&secret),
        "a request line that is not UTF-8 answered {}",
        response.head
    );
    for (shown, request) in &requests {
        let response = serve_common::raw(server.addr, request);
        let body = response.text();
        assert!(
            response.status == 400 || response.status == 404,
            "{shown} answered {} (want 400 or 404):\n{}",
            response.status,
            response.head
        );
        assert!(!body.contains(&secret), "{shown} served the secret file");
        assert!(!body.contains("root:x:0:0"), "{shown} served /etc/passwd");
        assert!(!body.contains(site_yaml.trim()), "{shown} served site.yaml");
    }
}

#[test]
fn files_are_served_with_their_content_types() {
    let fixture = Fixture::new();
    let server = Server::start(&fixture.root, &[]);
    for (target, expected) in [
        (BASE.to_string(), "text/html"),
        (news_url(0), "text/html"),
        (format!("{BASE}css/notis.css"), "text/css"),
        (format!("{BASE}atom.xml"), "application/atom+xml"),
        (format!("{BASE}nyheter/atom.xml"), "application/atom+xml"),
        (format!("{BASE}bilder/logga.svg"), "image/svg+xml"),
        (format!("{BASE}sitemap.xml"), "application/xml"),
        (format!("{BASE}robots.txt"), "text/plain"),
    ] {
        let response = server.get(&target);
        assert_eq!(response.status, 200, "GET {target}: {}", response.head);
        let kind = response.header("content-type").unwrap_or_default();
        let essence = kind.split(';').next().unwrap_or_default().trim();
        assert_eq!(essence, expected, "Content-Type of {target}: {kind}");
        assert!(!response.body.is_empty(), "{target} has a body");
        let has_script = response.text().contains("<script data-notis-reload>");
        assert_eq!(
            has_script,
            expected == "text/html",
            "the reload script goes into HTML only ({target})"
        );
    }
    let stylesheet = server.get(&format!("{BASE}css/notis.css"));
    assert!(stylesheet.text().contains('{'), "the stylesheet is CSS");
    let feed = server.get(&format!("{BASE}atom.xml")).text();
    assert!(feed.contains("<feed"), "atom.xml is a feed");
    let missing = server.get(&format!("{BASE}finns-inte/"));
    assert_eq!(missing.status, 404);
    assert!(missing
        .header("content-type")
        .is_some_and(|kind| kind.starts_with("text/html")));
}

#[test]
fn drafts_are_shown_unless_turned_off() {
    let fixture = Fixture::new();
    let draft = format!("{BASE}nyheter/utkast-om-vaccin/");
    let with = Server::start(&fixture.root, &[]);
    let html = with.page(&draft);
    assert!(
        html.contains("class=\"draft-notice\""),
        "the draft has its banner"
    );
    drop(with);
    let without = Server::start(&fixture.root, &["--drafts", "false"]);
    assert_eq!(without.get(&draft).status, 404, "--drafts false hides drafts");
    assert!(!without
        .page(&format!("{BASE}nyheter/"))
        .contains("Utkast om vaccin"));
}

#[test]
fn live_reload_works_when_serving_the_current_directory() {
    // `notis serve` with no --root serves ".", the usual way to run it.
    let fixture = Fixture::new();
    let server = Server::start_in(&fixture.root);
    let events = server.events();
    let url = news_url(0);
    let file = format!("content/nyheter/{}", news_file(0));
    fixture.write(
        &file,
        &fixture
            .read(&file)
            .replace(news_title(0), "Skolvaccinationerna startar"),
    );
    events.expect("reload", "changing a title under --root .", &server);
    assert_eq!(
        text_of(&server.page(&url), "main h1").as_deref(),
        Some("Skolvaccinationerna startar")
    );
}
