//! The quality of related news: in a site whose news fall into four known groups (vaccination,
//! tandvård, psykisk hälsa, förlossning; five items each), every item's best related item must come
//! from its own group, although the noise in the site pulls the other way: every item shares its
//! place name with one item of each other group and a month with one of them, items of the same
//! place sit in the same section (a section bonus) and are nearer in time than the rest of their
//! group.
//!
//! Within a group no two items share a single written word that other groups lack: each item uses
//! its own inflection of the group's words ("vaccinationen", "vaccinationer", "vaccinerade" …). So
//! without topics only TF-IDF over Swedish stems can find the groups.

mod archive_common;

use std::collections::{BTreeMap, BTreeSet};

use archive_common::*;
use chrono::NaiveDate;

const BASE_URL: &str = "https://example.se/";
const BASE_PATH: &str = "/";
const ITEMS_PER_GROUP: usize = 5;

struct Group {
    /// The URL segment of its items.
    slug: &'static str,
    /// Its topic, when topics are used.
    topic: &'static str,
    /// Three words, each in five inflections with one Swedish stem; item k uses inflection k.
    words: [[&'static str; ITEMS_PER_GROUP]; 3],
}

const GROUPS: [Group; 4] = [
    Group {
        slug: "vaccination",
        topic: "Vaccination",
        words: [
            [
                "vaccination",
                "vaccinationen",
                "vaccinationer",
                "vaccinationerna",
                "vaccinationens",
            ],
            [
                "vaccinera",
                "vaccinerar",
                "vaccinerade",
                "vaccineras",
                "vaccinerades",
            ],
            [
                "immunitet",
                "immuniteten",
                "immuniteter",
                "immuniteterna",
                "immunitetens",
            ],
        ],
    },
    Group {
        slug: "tandvard",
        topic: "Tandvård",
        words: [
            [
                "tandkräm",
                "tandkrämen",
                "tandkrämer",
                "tandkrämerna",
                "tandkrämens",
            ],
            [
                "tandläkare",
                "tandläkaren",
                "tandläkarna",
                "tandläkarens",
                "tandläkarnas",
            ],
            [
                "tandhygienist",
                "tandhygienisten",
                "tandhygienister",
                "tandhygienisterna",
                "tandhygienistens",
            ],
        ],
    },
    Group {
        slug: "psykisk-halsa",
        topic: "Psykisk hälsa",
        words: [
            [
                "depression",
                "depressionen",
                "depressioner",
                "depressionerna",
                "depressionens",
            ],
            [
                "terapeut",
                "terapeuten",
                "terapeuter",
                "terapeuterna",
                "terapeutens",
            ],
            [
                "psykolog",
                "psykologen",
                "psykologer",
                "psykologerna",
                "psykologens",
            ],
        ],
    },
    Group {
        slug: "forlossning",
        topic: "Förlossning",
        words: [
            [
                "förlossning",
                "förlossningen",
                "förlossningar",
                "förlossningarna",
                "förlossningens",
            ],
            ["värk", "värken", "värkar", "värkarna", "värkarnas"],
            [
                "graviditet",
                "graviditeten",
                "graviditeter",
                "graviditeterna",
                "graviditetens",
            ],
        ],
    },
];

/// Item k of every group names the same place: noise shared across the groups.
const PLACES: [&str; ITEMS_PER_GROUP] = ["Karlstad", "Arvika", "Torsby", "Säffle", "Filipstad"];
/// Items of groups 0 and 1 (and of 2 and 3) with the same k also share a month: stronger noise.
const MONTHS: [&str; 10] = [
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
];

/// Item (group, k).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Id {
    group: usize,
    k: usize,
}

impl Id {
    fn all() -> impl Iterator<Item = Id> {
        (0..GROUPS.len()).flat_map(|group| (0..ITEMS_PER_GROUP).map(move |k| Id { group, k }))
    }

    /// Same-k items share a section, so the section bonus favours the other groups.
    fn section(self) -> &'static str {
        if self.k % 2 == 0 {
            "nyheter"
        } else {
            "aktuellt"
        }
    }

    fn slug(self) -> String {
        format!("{}-{}", GROUPS[self.group].slug, self.k + 1)
    }

    fn url(self) -> String {
        format!("{BASE_PATH}{}/{}/", self.section(), self.slug())
    }

    fn word(self, index: usize) -> &'static str {
        GROUPS[self.group].words[index][self.k]
    }

    fn title(self) -> String {
        format!("Nytt om {} och {}", self.word(0), self.word(1))
    }

    fn summary(self) -> String {
        format!(
            "Regionen berättar om {} för patienter i {}.",
            self.word(2),
            PLACES[self.k]
        )
    }

    fn body(self) -> String {
        format!(
            "Frågor om {} och {} diskuterades när vården träffade patienter i {} i {}.\n\n\
             Information om {} finns på mottagningen.",
            self.word(0),
            self.word(2),
            PLACES[self.k],
            MONTHS[(self.k * GROUPS.len() + self.group) / 2],
            self.word(1)
        )
    }

    /// Items of the same k are days apart; a group's items are twenty days apart.
    fn date(self) -> NaiveDate {
        let start = NaiveDate::from_ymd_opt(2024, 1, 8).expect("a date");
        start + chrono::Duration::days(5 * (self.k * GROUPS.len() + self.group) as i64)
    }

    fn text(self) -> String {
        format!("{} {} {}", self.title(), self.summary(), self.body())
    }
}

/// Topics of an item when topics are used: its group's, one every item has, and for k = 0 and
/// k = 1 one shared with the same k of every other group (a rarer topic than the group's own).
fn topics(id: Id) -> Vec<&'static str> {
    let mut topics = vec![GROUPS[id.group].topic, "Regionen"];
    match id.k {
        0 => topics.push("Barn och unga"),
        1 => topics.push("Kvalitet"),
        _ => {}
    }
    topics
}

fn site_files(with_topics: bool) -> Vec<(String, String)> {
    let mut files = vec![
        (
            "site.yaml".to_string(),
            format!(
                "title: \"Relaterat\"\nbase_url: {}\nnews_section: nyheter\nrelated_count: 4\n",
                q(BASE_URL)
            ),
        ),
        (
            "content/_index.md".to_string(),
            "---\ntitle: \"Relaterat\"\n---\n\nStartsidan.\n".to_string(),
        ),
        (
            "content/nyheter/_index.md".to_string(),
            "---\ntitle: \"Nyheter\"\ndefault_kind: news\n---\n".to_string(),
        ),
        (
            "content/aktuellt/_index.md".to_string(),
            "---\ntitle: \"Aktuellt\"\ndefault_kind: news\n---\n".to_string(),
        ),
    ];
    for id in Id::all() {
        let mut front = vec![
            format!("title: {}", q(&id.title())),
            format!("date: {}", id.date().format("%Y-%m-%d")),
            format!("summary: {}", q(&id.summary())),
        ];
        if with_topics {
            front.push("tags:".into());
            front.extend(topics(id).iter().map(|t| format!("  - {}", q(t))));
        }
        files.push((
            format!("content/{}/{}.md", id.section(), id.slug()),
            format!("---\n{}\n---\n\n{}\n", front.join("\n"), id.body()),
        ));
    }
    files
}

/// The related items each item shows, read from the built pages.
fn related_lists(built: &Built) -> BTreeMap<Id, Vec<Id>> {
    let by_url: BTreeMap<String, Id> = Id::all().map(|id| (id.url(), id)).collect();
    Id::all()
        .map(|id| {
            let file = file_for_url(&built.out, BASE_URL, BASE_PATH, &id.url()).expect("on the site");
            let related = related_entries(&parse_html(&file))
                .into_iter()
                .map(|entry| {
                    *by_url
                        .get(&entry.url)
                        .unwrap_or_else(|| panic!("{} lists {}, no news item", id.url(), entry.url))
                })
                .collect();
            (id, related)
        })
        .collect()
}

fn describe_lists(lists: &BTreeMap<Id, Vec<Id>>) -> String {
    lists
        .iter()
        .map(|(id, related)| {
            format!(
                "{} → {}",
                id.slug(),
                related.iter().map(|r| r.slug()).collect::<Vec<_>>().join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lower-case words as written.
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn the_fixture_needs_stemming_to_find_its_groups() {
    let all: Vec<BTreeSet<String>> = Id::all().map(|id| words(&id.text())).collect();
    let everywhere: BTreeSet<String> = all
        .iter()
        .skip(1)
        .fold(all[0].clone(), |acc, w| acc.intersection(w).cloned().collect());
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Swedish);
    for a in Id::all() {
        for b in Id::all().filter(|b| b.group == a.group && b.k > a.k) {
            let shared: Vec<String> = words(&a.text())
                .intersection(&words(&b.text()))
                .filter(|w| !everywhere.contains(*w))
                .cloned()
                .collect();
            assert!(
                shared.is_empty(),
                "{} and {} share {shared:?} as written",
                a.slug(),
                b.slug()
            );
            for index in 0..3 {
                assert_eq!(
                    stemmer.stem(a.word(index)),
                    stemmer.stem(b.word(index)),
                    "{} and {} have one stem",
                    a.word(index),
                    b.word(index)
                );
            }
        }
        for b in Id::all().filter(|b| b.group != a.group) {
            let shared_stems: Vec<String> = (0..3)
                .flat_map(|i| (0..3).map(move |j| (i, j)))
                .filter(|&(i, j)| stemmer.stem(a.word(i)) == stemmer.stem(b.word(j)))
                .map(|(i, _)| a.word(i).to_string())
                .collect();
            assert!(shared_stems.is_empty(), "groups overlap: {shared_stems:?}");
        }
    }
}

fn assert_groups_found(lists: &BTreeMap<Id, Vec<Id>>, all_four_from_own_group: bool) {
    let shown = describe_lists(lists);
    for (id, related) in lists {
        assert_eq!(related.len(), 4, "{} has four related items:\n{shown}", id.slug());
        assert!(!related.contains(id), "{} lists itself", id.slug());
        assert_eq!(
            related[0].group,
            id.group,
            "the best related item of {} is {}, from another group:\n{shown}",
            id.slug(),
            related[0].slug()
        );
        let own = related.iter().filter(|r| r.group == id.group).count();
        if all_four_from_own_group {
            assert_eq!(own, 4, "{} lists items of other groups:\n{shown}", id.slug());
        } else {
            assert!(
                own >= 3,
                "{} lists only {own} of its own group:\n{shown}",
                id.slug()
            );
        }
    }
}

#[test]
fn items_sharing_topics_and_wording_are_related_within_their_group() {
    let built = build_site(&site_files(true));
    assert_groups_found(&related_lists(&built), true);
}

#[test]
fn wording_alone_finds_the_groups_through_swedish_stems() {
    let built = build_site(&site_files(false));
    let lists = related_lists(&built);
    assert_groups_found(&lists, false);
}
