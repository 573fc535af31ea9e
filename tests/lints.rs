//! Content lints and the accessibility statement: each lint fires on a page with the mistake, at the
//! right file and line, and stays silent once the page is fixed.

mod common;

use std::path::Path;

use common::{describe, diagnostics, run, stderr, Printed, TODAY};

const SITE: &str = "title: Lintprov\nbase_url: https://example.se/\n";

/// Writes a site with one page whose body is `body`, builds it and returns the exit code and diagnostics.
fn build_page(site_yaml: &str, page: &str) -> (Option<i32>, Vec<Printed>, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "site.yaml", site_yaml);
    write(root, "content/_index.md", "---\ntitle: Start\n---\nVälkommen.\n");
    write(root, "content/sida.md", page);
    write(
        root,
        "static/bilder/trad.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let output = run(["build", "--root", root.to_str().unwrap(), "--today", TODAY]);
    let err = stderr(&output);
    (output.status.code(), diagnostics(&err), describe(&output))
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn page(body: &str) -> String {
    format!("---\ntitle: Sida\n---\n{body}")
}

/// Asserts exactly one diagnostic, on content/sida.md at `line`, with `label` and `fragment` in it.
fn assert_one(found: &[Printed], line: usize, label: &str, fragment: &str, context: &str) {
    assert_eq!(found.len(), 1, "expected one diagnostic\n{context}");
    let d = &found[0];
    assert_eq!(d.path, "content/sida.md", "{context}");
    assert_eq!(d.line, line, "{context}");
    assert_eq!(d.label, label, "{context}");
    assert!(
        d.message.contains(fragment),
        "{:?} lacks {fragment:?}\n{context}",
        d.message
    );
    assert!(d.hint.is_some(), "a hint is given\n{context}");
}

struct Case {
    mistake: &'static str,
    fixed: &'static str,
    label: &'static str,
    fragment: &'static str,
}

const CASES: &[Case] = &[
    Case {
        mistake: "Text.\n\n![](/bilder/trad.svg)\n",
        fixed: "Text.\n\n![Ett äppelträd i blom](/bilder/trad.svg)\n",
        label: "fel",
        fragment: "saknar alternativtext",
    },
    Case {
        mistake: "Text.\n\n![trad.svg](/bilder/trad.svg)\n",
        fixed: "Text.\n\n![](/bilder/trad.svg \"dekorativ\")\n",
        label: "varning",
        fragment: "filnamnet",
    },
    Case {
        mistake: "Text.\n\n![Bild på ett träd](/bilder/trad.svg)\n",
        fixed: "Text.\n\n![Ett träd som symboliserar tillväxt](/bilder/trad.svg)\n",
        label: "varning",
        fragment: "Bild",
    },
    Case {
        mistake: "Text.\n\nSe rapporten. [Läs mer](https://example.se/rapport)\n",
        fixed: "Text.\n\nSe [rapporten om barns hälsa](https://example.se/rapport).\n",
        label: "varning",
        fragment: "Läs mer",
    },
    Case {
        mistake: "Text.\n\nKlicka [här](/kontakt/) för kontakt.\n",
        fixed: "Text.\n\nSe [kontaktsidan](/kontakt/).\n",
        label: "varning",
        fragment: "här",
    },
    Case {
        mistake: "Text.\n\n[https://example.se/rapport](https://example.se/rapport)\n",
        fixed: "Text.\n\n[Rapporten](https://example.se/rapport)\n",
        label: "varning",
        fragment: "webbadress",
    },
    Case {
        mistake: "Text.\n\n#### Detaljer\n",
        fixed: "Text.\n\n## Detaljer\n",
        label: "varning",
        fragment: "hoppar",
    },
    Case {
        mistake: "Text.\n\n# En till huvudrubrik\n",
        fixed: "Text.\n\n## En underrubrik\n",
        label: "fel",
        fragment: "h1",
    },
    Case {
        mistake: "Text.\n\n![Logotyp](https://cdn.example.com/logo.png)\n",
        fixed: "Text.\n\n![Logotyp](/bilder/trad.svg)\n",
        label: "fel",
        fragment: "annan webbplats",
    },
    Case {
        mistake: "Text.\n\n<iframe src=\"https://www.youtube.com/embed/x\" title=\"Film\"></iframe>\n",
        fixed: "Text.\n\n[Filmen om barnuppdraget på Youtube](https://www.youtube.com/watch?v=x)\n",
        label: "fel",
        fragment: "<iframe> är inte tillåtet",
    },
];

#[test]
fn each_lint_fires_at_its_line_and_is_silent_when_fixed() {
    for case in CASES {
        let (code, found, context) = build_page(SITE, &page(case.mistake));
        assert_one(&found, 6, case.label, case.fragment, &context);
        let expected_code = if case.label == "fel" { 1 } else { 0 };
        assert_eq!(code, Some(expected_code), "{context}");

        let (code, found, context) = build_page(SITE, &page(case.fixed));
        assert!(found.is_empty(), "the fixed page is clean\n{context}");
        assert_eq!(code, Some(0), "{context}");
    }
}

#[test]
fn front_matter_image_alt_text_is_checked_too() {
    let text = "---\ntitle: Sida\nimage: /bilder/trad.svg\nimage_alt: \"Bild av ett träd\"\n---\nText.\n";
    let (code, found, context) = build_page(SITE, text);
    assert_eq!(code, Some(0), "{context}");
    assert_one(&found, 3, "varning", "Bild av", &context);
}

#[test]
fn lint_levels_are_configurable() {
    let strict = format!("{SITE}lints:\n  link_text: error\n  heading_skip: off\n");
    let (code, found, context) = build_page(&strict, &page("Text.\n\n[Läs mer](/kontakt/)\n\n#### Hopp\n"));
    assert_eq!(code, Some(1), "{context}");
    assert_one(&found, 6, "fel", "Läs mer", &context);

    let (code, found, context) = build_page(&format!("{SITE}lints:\n  link_txt: error\n"), &page("Text.\n"));
    assert_eq!(code, Some(1), "{context}");
    assert_eq!(found.len(), 1, "{context}");
    assert_eq!(found[0].path, "site.yaml");
    assert!(
        found[0].hint.as_deref().unwrap_or("").contains("link_text"),
        "{context}"
    );
}

#[test]
fn links_to_other_sites_are_marked_for_screen_readers() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "site.yaml", SITE);
    write(root, "content/_index.md", "---\ntitle: Start\n---\nVälkommen.\n");
    write(
        root,
        "content/sida.md",
        &page("Se [Diggs webbplats](https://www.digg.se/) och [vår egen sida](https://example.se/om/).\n"),
    );
    let out = root.join("output");
    common::build_ok(root, &out, TODAY);
    let html = common::parse_html(&out.join("sida/index.html"));
    let external = common::texts(&html, "a[href='https://www.digg.se/'] .visually-hidden");
    assert_eq!(external, vec!["(länk till annan webbplats)"]);
    let own = common::texts(&html, "a[href='https://example.se/om/'] .visually-hidden");
    assert!(own.is_empty(), "a link to the site itself is not marked");
    assert!(common::texts(&html, "a[target]").is_empty(), "no target=_blank");
}

const STATEMENT: &str = "---\ntitle: Tillgänglighetsredogörelse\nkind: accessibility\nupdated: 2026-10-01\n\
organisation: Region Exempel\ncompliance: delvis\ninaccessible:\n  - content: Gamla PDF-filer\n    reason: Saknar rubriker\n\
assessment_method: Självskattning\nassessment_date: 2026-09-15\nfeedback: kommunikation@example.se\n---\nKontakta oss.\n";

#[test]
fn a_complete_statement_renders_diggs_headings_and_is_linked_from_every_footer() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "site.yaml", SITE);
    write(root, "content/_index.md", "---\ntitle: Start\n---\nVälkommen.\n");
    write(root, "content/tillganglighet.md", STATEMENT);
    let out = root.join("output");
    common::build_ok(root, &out, TODAY);
    let html = common::parse_html(&out.join("tillganglighet/index.html"));
    let headings = common::texts(&html, "main h2");
    for expected in [
        "Hur tillgänglig är webbplatsen?",
        "Rapportera brister i webbplatsens tillgänglighet",
        "Tillsyn",
        "Teknisk information om webbplatsens tillgänglighet",
        "Innehåll som inte är tillgängligt",
        "Hur vi testat webbplatsen",
    ] {
        assert!(
            headings.iter().any(|h| h == expected),
            "{expected} in {headings:?}"
        );
    }
    assert_eq!(
        common::texts(&html, "a[href='mailto:kommunikation@example.se']").len(),
        1
    );
    assert_eq!(
        common::texts(&html, "a[href='https://www.digg.se/tdosanmalan']").len(),
        1
    );
    for file in common::html_files(&out) {
        let page = common::parse_html(&file);
        if page.select(&common::sel("meta[http-equiv]")).next().is_some() {
            continue;
        }
        let links = common::texts(&page, "footer a[href='/tillganglighet/']");
        assert_eq!(links, vec!["Tillgänglighetsredogörelse"], "{}", file.display());
    }
}

#[test]
fn a_statement_missing_a_required_field_fails_with_a_clear_message() {
    for (field, fragment) in [
        ("compliance: delvis\n", "förenlighet"),
        ("assessment_method: Självskattning\n", "bedömningsmetod"),
        ("assessment_date: 2026-09-15\n", "bedömningsdatum"),
        ("feedback: kommunikation@example.se\n", "återkoppling"),
        ("updated: 2026-10-01\n", "senaste uppdatering"),
    ] {
        let text = STATEMENT.replace(field, "");
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "site.yaml", SITE);
        write(root, "content/_index.md", "---\ntitle: Start\n---\nVälkommen.\n");
        write(root, "content/tillganglighet.md", &text);
        let output = run(["build", "--root", root.to_str().unwrap(), "--today", TODAY]);
        let context = describe(&output);
        assert_eq!(output.status.code(), Some(1), "{field}\n{context}");
        let found = diagnostics(&stderr(&output));
        assert!(
            found
                .iter()
                .any(|d| d.path == "content/tillganglighet.md" && d.message.contains(fragment)),
            "{field}\n{context}"
        );
        assert!(!root.join("output").exists(), "nothing is written");
    }
}

#[test]
fn statement_keys_on_another_kind_are_errors() {
    let (code, found, context) = build_page(SITE, "---\ntitle: Sida\ncompliance: helt\n---\nText.\n");
    assert_eq!(code, Some(1), "{context}");
    assert_one(&found, 3, "fel", "tillgänglighetsredogörelser", &context);
}

#[test]
fn script_and_data_urls_in_the_statement_are_errors_at_their_lines() {
    let text = "---\ntitle: Tillgänglighet\nkind: accessibility\nfeedback: \"jav&#x61;script:alert(1)\"\nreport_url: \"DATA:text/html,x\"\n---\nText.\n";
    let (code, found, context) = build_page(SITE, text);
    assert_eq!(code, Some(1), "{context}");
    for (line, scheme) in [(4, "\"javascript:\""), (5, "\"data:\"")] {
        assert!(
            found.iter().any(|d| d.path == "content/sida.md"
                && d.line == line
                && d.label == "fel"
                && d.message.contains(scheme)),
            "{scheme} at line {line}\n{context}"
        );
    }
}
