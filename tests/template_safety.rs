//! Templates cannot crash notis (issue 15): an include, extends or import cycle and a recursive
//! macro used to overflow the stack and abort `build`, `check` and `serve` (exit 134), leaving a
//! staging directory behind. Each is now an error at the template file and line, with exit 1,
//! nothing written, and in the preview the last good site kept.

mod common;
mod serve_common;

use std::path::Path;

use common::{
    describe, diagnostics, listing, parse_html, run_on_site, sel, snapshot, stderr, texts, Printed,
};
use serve_common::{text_of, Fixture, Server, BASE, NEWS_TEMPLATE};

/// A small site whose page `sida.md` is rendered with the site template `a.html`, with
/// `templates` (name, text) in its `templates/`.
fn site(templates: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    let write = |relative: &str, text: &str| {
        let path = dir.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create directory");
        std::fs::write(&path, text).expect("write the site file");
    };
    write(
        "site.yaml",
        "title: \"Mallprov\"\nbase_url: \"https://example.se/\"\n",
    );
    write(
        "content/_index.md",
        "---\ntitle: \"Mallprov\"\n---\nStartsidan.\n",
    );
    write(
        "content/sida.md",
        "---\ntitle: \"Sidan\"\ntemplate: a.html\n---\nSidans text.\n",
    );
    for (name, text) in templates {
        write(&format!("templates/{name}"), text);
    }
    dir
}

/// Names of the entries of `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read the site directory")
        .map(|e| {
            e.expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Runs `build` and `check` on a site with a broken set of templates and asserts that each exits
/// with 1 and reports exactly one error at `file:line` naming the whole `cycle`, and that nothing
/// was written: no output, no staging directory.
fn refused(templates: &[(&str, &str)], file: &str, line: usize, cycle: &str) {
    let dir = site(templates);
    let before = entries(dir.path());
    for command in ["build", "check"] {
        let result = run_on_site(command, dir.path());
        let log = describe(&result);
        assert_eq!(result.status.code(), Some(1), "notis {command}: {log}");
        let printed: Vec<Printed> = diagnostics(&stderr(&result));
        assert_eq!(printed.len(), 1, "one error from notis {command}: {log}");
        let problem = &printed[0];
        assert_eq!(
            (problem.path.as_str(), problem.line, problem.label.as_str()),
            (format!("templates/{file}").as_str(), line, "fel"),
            "notis {command}: {log}"
        );
        assert!(
            problem.message.contains(cycle),
            "the message names {cycle}: {log}"
        );
        assert!(problem.hint.is_some(), "{log}");
        assert_eq!(
            entries(dir.path()),
            before,
            "notis {command} left output or a staging directory behind: {log}"
        );
    }
}

#[test]
fn an_include_cycle_is_refused_at_the_include_that_closes_it() {
    refused(
        &[
            ("a.html", "<main>\n{% include \"b.html\" %}\n</main>\n"),
            ("b.html", "<p>b</p>\n\n{%- include \"a.html\" %}\n"),
        ],
        "b.html",
        3,
        "a.html → b.html → a.html",
    );
}

#[test]
fn a_template_including_itself_is_refused() {
    refused(
        &[(
            "a.html",
            "<main>\n{% if page %}{% include \"a.html\" %}{% endif %}\n</main>\n",
        )],
        "a.html",
        2,
        "a.html → a.html",
    );
}

#[test]
fn an_extends_cycle_is_refused() {
    refused(
        &[
            (
                "a.html",
                "{% extends \"b.html\" %}\n{% block x %}a{% endblock x %}\n",
            ),
            ("b.html", "{% extends \"c.html\" %}\n"),
            ("c.html", "{# c ärver från b #}\n{% extends \"b.html\" %}\n"),
        ],
        "c.html",
        2,
        "b.html → c.html → b.html",
    );
}

#[test]
fn an_import_cycle_is_refused() {
    refused(
        &[
            (
                "a.html",
                "{% import \"m1.html\" as m1 %}\n<main>{{ m1::x() }}</main>\n",
            ),
            (
                "m1.html",
                "{% import \"m2.html\" as m2 %}\n{% macro x() %}{{ m2::y() }}{% endmacro %}\n",
            ),
            (
                "m2.html",
                "{# m2 #}\n{% import \"m1.html\" as m1 %}\n{% macro y() %}y{% endmacro %}\n",
            ),
        ],
        "m2.html",
        2,
        "m1.html → m2.html → m1.html",
    );
}

#[test]
fn a_macro_calling_itself_is_refused() {
    refused(
        &[
            (
                "a.html",
                "{% import \"makron.html\" as makron %}\n<main>{{ makron::trad(niva=1) }}</main>\n",
            ),
            (
                "makron.html",
                "{% macro trad(niva) %}\n<ul>\n  <li>{{ niva }}{{ self::trad(niva=niva + 1) }}</li>\n</ul>\n{% endmacro trad %}\n",
            ),
        ],
        "makron.html",
        3,
        "trad() i makron.html → trad() i makron.html",
    );
}

#[test]
fn macros_calling_each_other_are_refused() {
    refused(
        &[
            (
                "a.html",
                "{% import \"makron.html\" as makron %}\n<main>{{ makron::lista() }}</main>\n",
            ),
            (
                "makron.html",
                "{% macro lista() %}<ul>{{ self::punkt() }}</ul>{% endmacro %}\n\
                 {% macro punkt() %}\n<li>{% for i in [1] %}{{ self::lista() }}{% endfor %}</li>\n{% endmacro %}\n",
            ),
        ],
        "makron.html",
        3,
        "lista() i makron.html → punkt() i makron.html → lista() i makron.html",
    );
}

#[test]
fn a_failed_rebuild_leaves_the_last_output_as_it_was() {
    let dir = site(&[("a.html", "<main>{{ page.title }}</main>\n")]);
    let first = run_on_site("build", dir.path());
    assert_eq!(first.status.code(), Some(0), "{}", describe(&first));
    std::fs::write(
        dir.path().join("templates/a.html"),
        "<main>{{ page.title }}\n{% include \"a.html\" %}</main>\n",
    )
    .expect("write the template");
    let before = snapshot(dir.path());
    let result = run_on_site("build", dir.path());
    assert_eq!(result.status.code(), Some(1), "{}", describe(&result));
    let after = snapshot(dir.path());
    assert_eq!(listing(&after), listing(&before), "files were added or removed");
    assert!(after == before, "output/ was changed");
}

#[test]
fn reuse_without_a_cycle_still_builds() {
    // A macro used many times and by another macro, an include used twice, imports that import
    // others without coming back, and a template extending the theme's page.
    let dir = site(&[
        (
            "a.html",
            "{% extends \"page.html\" %}\n{% import \"lista.html\" as lista %}\n\
             {% block page_body %}{% include \"del.html\" %}{{ lista::lista(antal=3) }}\
             {{ lista::punkt(text=\"ensam\") }}{% include \"del.html\" %}{% endblock page_body %}\n",
        ),
        ("del.html", "<p class=\"del\">{{ page.title }}</p>\n"),
        (
            "lista.html",
            "{% import \"punkt.html\" as p %}\n\
             {% macro punkt(text) %}{{ p::li(text=text) }}{% endmacro %}\n\
             {% macro lista(antal) %}<ul>{% for i in range(end=antal) %}{{ self::punkt(text=i) }}{% endfor %}</ul>{% endmacro %}\n",
        ),
        ("punkt.html", "{% macro li(text) %}<li>{{ text }}</li>{% endmacro %}\n"),
    ]);
    let result = run_on_site("build", dir.path());
    assert_eq!(result.status.code(), Some(0), "{}", describe(&result));
    let page = parse_html(&dir.path().join("output/sida/index.html"));
    assert_eq!(texts(&page, "p.del"), ["Sidan", "Sidan"]);
    assert_eq!(texts(&page, "main li"), ["0", "1", "2", "ensam"]);
    assert_eq!(page.select(&sel("main ul")).count(), 1);
}

/// The template that closes the fixture's cycle in the serve tests: a partial that includes itself.
const LOOP: &str = "<p>slinga</p>\n{% include \"partials/slinga.html\" %}\n";

#[test]
fn serve_reports_a_cycle_and_keeps_the_last_good_site() {
    let fixture = Fixture::new();
    let server = Server::start(&fixture.root, &[]);
    let events = server.events();
    let url = format!("{BASE}nyheter/");
    assert!(server.page(&url).contains("Nyheter"));

    fixture.write("templates/partials/slinga.html", LOOP);
    fixture.write(
        "templates/news.html",
        &NEWS_TEMPLATE.replace(
            "{{ super() }}",
            "{{ super() }}{% include \"partials/slinga.html\" %}",
        ),
    );
    events.expect("error", "adding an include cycle", &server);
    let html = server.page(&url);
    let overlay = text_of(&html, "#notis-fel").expect("an overlay while the templates have a cycle");
    assert!(
        overlay.contains("templates/partials/slinga.html:2")
            && overlay.contains("partials/slinga.html → partials/slinga.html"),
        "the overlay names the template, the line and the cycle: {overlay}"
    );
    assert!(html.contains("Nyheter"), "the last good site is served");
    let news = server.page(&format!(
        "{BASE}nyheter/{}/",
        serve_common::slug(serve_common::news_title(0))
    ));
    assert!(news.contains("Mallversion 1") && !news.contains("<p>slinga</p>"));

    fixture.write("templates/partials/slinga.html", "<p>slinga</p>\n");
    events.expect("reload", "breaking the cycle", &server);
    let news = server.page(&format!(
        "{BASE}nyheter/{}/",
        serve_common::slug(serve_common::news_title(0))
    ));
    assert!(news.contains("<p>slinga</p>") && !news.contains("notis-fel"));
}

#[test]
fn serve_started_on_a_cycle_reports_it_and_serves_once_it_is_fixed() {
    let fixture = Fixture::new();
    fixture.write("templates/partials/slinga.html", LOOP);
    fixture.write(
        "templates/news.html",
        &NEWS_TEMPLATE.replace(
            "{{ super() }}",
            "{{ super() }}{% include \"partials/slinga.html\" %}",
        ),
    );
    let server = Server::start(&fixture.root, &[]);
    let events = server.events();
    let missing = server.get(BASE);
    assert_eq!(missing.status, 404, "nothing good to serve yet: {}", missing.head);
    let overlay = text_of(&missing.text(), "#notis-fel").expect("the error is shown");
    assert!(overlay.contains("templates/partials/slinga.html:2"), "{overlay}");
    assert!(
        server.output().contains("templates/partials/slinga.html:2"),
        "the error is printed too: {}",
        server.output()
    );

    fixture.write("templates/partials/slinga.html", "<p>slinga</p>\n");
    events.expect("reload", "breaking the cycle", &server);
    assert!(server.page(BASE).contains("Testregionen"));
}
