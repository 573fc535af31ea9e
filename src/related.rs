//! Related news: the pages listed under "Relaterade nyheter" on every news item, computed once.
//!
//! Pinned pages (`related:` in front matter) come first. The rest are chosen by a score with four
//! parts: shared topics weighted by how rare each topic is, text similarity (TF-IDF over title,
//! summary and body with Swedish stemming and stop words), the same section, and nearness in time.
//! Scoring uses inverted indexes over topics and each page's strongest terms, so a page is only
//! compared with pages it shares something with, never with the whole site.

use rustc_hash::FxHashMap;

use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};

use crate::diagnostics::Diagnostic;

/// Resolves a content path written in front matter, relative to `from_dir` or, with a leading `/`,
/// to `content/`; `..` steps up. Returns `None` when the path leaves `content/`.
pub fn resolve_content_path(from_dir: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = if target.starts_with('/') || from_dir.is_empty() {
        Vec::new()
    } else {
        from_dir.split('/').collect()
    };
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Looks up each pinned path with `find` and reports the ones that do not name another page.
pub fn resolve_pinned<T: Copy + PartialEq>(
    own: T,
    from_dir: &str,
    paths: &[String],
    find: impl Fn(&str) -> Option<T>,
    error_at: impl Fn(String, String) -> Diagnostic,
) -> (Vec<T>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let target = resolve_content_path(from_dir, path).and_then(|p| find(&p));
        match target {
            Some(id) if id == own => problems.push(error_at(
                format!("sidan anger sig själv som relaterad (\"{path}\")"),
                "ta bort raden; sidan visas aldrig i sin egen lista".into(),
            )),
            Some(id) if found.contains(&id) => {}
            Some(id) => found.push(id),
            None => problems.push(error_at(
                format!("den relaterade sidan \"{path}\" finns inte"),
                "ange sökvägen till en .md-fil, räknat från den här filens katalog (eller från content/ med / först)"
                    .into(),
            )),
        }
    }
    (found, problems)
}

/// One page as the related-news engine sees it.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    /// Topic slugs.
    pub topics: &'a [String],
    /// The title.
    pub title: &'a str,
    /// The lead text.
    pub summary: &'a str,
    /// The body as plain text.
    pub body: &'a str,
    /// The section, as an index.
    pub section: usize,
    /// The publication day, as days since the common era, if dated.
    pub day: Option<i64>,
    /// Whether the page may be chosen for other pages' lists (a published, unarchived, non-draft news item).
    pub is_candidate: bool,
    /// Whether the page may be pinned in other pages' lists (any published, unarchived, non-draft page).
    pub is_pinnable: bool,
    /// Whether the page gets a list of its own.
    pub wants_list: bool,
}

/// The parts of a related page's score, kept so `notis related` can show why a page was chosen.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct ScoreParts {
    /// Shared topics, each weighted by its rarity (0–2).
    pub topics: f64,
    /// Text similarity (0–3).
    pub text: f64,
    /// Same section (0 or 0.3).
    pub section: f64,
    /// Nearness in time (0–0.5).
    pub time: f64,
}

impl ScoreParts {
    /// The score the pages are ranked by.
    pub fn total(&self) -> f64 {
        self.topics + self.text + self.section + self.time
    }
}

/// One chosen related page.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The page, as an index into the documents.
    pub page: usize,
    /// Whether it was pinned in front matter (then it has no score).
    pub pinned: bool,
    /// The score parts.
    pub parts: ScoreParts,
}

const TOPIC_WEIGHT: f64 = 2.0;
const TEXT_WEIGHT: f64 = 3.0;
const SECTION_BONUS: f64 = 0.3;
const TIME_WEIGHT: f64 = 0.5;
/// Half-life-like scale of the time part, in days.
const TIME_SCALE_DAYS: f64 = 365.0;
/// How many of a page's strongest terms take part in text similarity.
const TERMS_PER_PAGE: usize = 40;
/// Posting lists longer than this are read only in a window of this many pages around the page's
/// date: a very common term or topic then finds related pages near in time, which keeps the work per
/// page constant as the site grows. Rarer terms and topics are read in full.
const POSTING_WINDOW: usize = 256;
/// Text similarity below this does not by itself make pages related.
const MIN_TEXT_SIMILARITY: f64 = 0.04;

/// Chooses up to `limit` related pages for every document that wants a list: `pinned[i]` first
/// (those that are candidates), then the best-scoring candidates. Ties go to the newer page, then to
/// the lower index, so the result is the same on every run.
pub fn choose(documents: &[Document<'_>], pinned: &[Vec<usize>], limit: usize) -> Vec<Vec<Choice>> {
    let stemmer = Stemmer::create(Algorithm::Swedish);
    let stop_words: std::collections::HashSet<&str> = STOP_WORDS.iter().copied().collect();
    let vocabulary = Vocabulary::default();
    let term_counts: Vec<Vec<(u32, f64)>> = documents
        .par_iter()
        .map_init(Terms::default, |words, doc| {
            let mut counts: FxHashMap<u32, f64> = FxHashMap::default();
            for (text, weight) in [(doc.title, 3.0), (doc.summary, 2.0), (doc.body, 1.0)] {
                words.each(text, &stemmer, &stop_words, &vocabulary, |term| {
                    *counts.entry(term).or_insert(0.0) += weight;
                });
            }
            counts.into_iter().collect()
        })
        .collect();
    let terms = vocabulary.into_terms();
    let mut document_frequency: Vec<u32> = vec![0; terms.len()];
    for counts in &term_counts {
        for &(term, _) in counts {
            document_frequency[term as usize] += 1;
        }
    }
    let n = documents.len().max(1) as f64;
    let vectors: Vec<Vec<(u32, f64)>> = term_counts
        .into_par_iter()
        .map(|counts| {
            let mut weights: Vec<(u32, f64)> = counts
                .into_iter()
                .map(|(term, count)| {
                    let idf = (n / f64::from(document_frequency[term as usize])).ln();
                    (term, (1.0 + count.ln()) * idf)
                })
                .filter(|(_, w)| *w > 0.0)
                .collect();
            // Term ids depend on which thread met a word first; ties are broken by the terms themselves.
            weights.sort_by(|a, b| {
                b.1.total_cmp(&a.1)
                    .then_with(|| terms[a.0 as usize].cmp(&terms[b.0 as usize]))
            });
            weights.truncate(TERMS_PER_PAGE);
            let norm = weights.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
            if norm > 0.0 {
                for (_, w) in &mut weights {
                    *w /= norm;
                }
            }
            weights
        })
        .collect();

    // Posting lists hold candidates only, ordered by date, so that a long list can be read in a
    // window around the page's own date: the work per page stays bounded however large the site.
    let day_of = |index: usize| documents[index].day.unwrap_or(i64::MIN);
    let mut term_postings: FxHashMap<u32, Vec<(usize, f64)>> = FxHashMap::default();
    let mut topic_postings: FxHashMap<&str, Vec<(usize, f64)>> = FxHashMap::default();
    for (index, doc) in documents.iter().enumerate().filter(|(_, d)| d.is_candidate) {
        for &(term, weight) in &vectors[index] {
            term_postings.entry(term).or_default().push((index, weight));
        }
        for topic in doc.topics {
            topic_postings
                .entry(topic.as_str())
                .or_default()
                .push((index, 1.0));
        }
    }
    for list in term_postings.values_mut().chain(topic_postings.values_mut()) {
        list.sort_by_key(|&(index, _)| (day_of(index), index));
    }
    let topic_rarity = |topic: &str| -> f64 {
        let count = topic_postings.get(topic).map_or(0, Vec::len) as f64;
        (1.0 + n / (count + 1.0)).ln()
    };
    let nearby = |list: &'_ [(usize, f64)], day: i64| -> std::ops::Range<usize> {
        if list.len() <= POSTING_WINDOW {
            return 0..list.len();
        }
        let middle = list.partition_point(|&(index, _)| day_of(index) < day);
        let start = middle
            .saturating_sub(POSTING_WINDOW / 2)
            .min(list.len() - POSTING_WINDOW);
        start..start + POSTING_WINDOW
    };

    (0..documents.len())
        .into_par_iter()
        .map_init(
            || Scratch {
                text: vec![0.0; documents.len()],
                topics: vec![0.0; documents.len()],
                touched: Vec::new(),
            },
            |scratch, index| {
                let doc = &documents[index];
                if !doc.wants_list {
                    return Vec::new();
                }
                let mut chosen: Vec<Choice> = pinned
                    .get(index)
                    .into_iter()
                    .flatten()
                    .filter(|&&p| p != index && documents.get(p).is_some_and(|d| d.is_pinnable))
                    .map(|&page| Choice {
                        page,
                        pinned: true,
                        parts: ScoreParts::default(),
                    })
                    .take(limit)
                    .collect();
                if chosen.len() >= limit {
                    return chosen;
                }
                let day = doc.day.unwrap_or(i64::MIN);
                for &(term, weight) in &vectors[index] {
                    let Some(list) = term_postings.get(&term) else {
                        continue;
                    };
                    for &(other, other_weight) in &list[nearby(list, day)] {
                        if scratch.text[other] == 0.0 && scratch.topics[other] == 0.0 {
                            scratch.touched.push(other);
                        }
                        scratch.text[other] += weight * other_weight;
                    }
                }
                let own_rarity: f64 = doc.topics.iter().map(|t| topic_rarity(t)).sum();
                for topic in doc.topics {
                    let Some(list) = topic_postings.get(topic.as_str()) else {
                        continue;
                    };
                    let rarity = topic_rarity(topic) / own_rarity.max(f64::EPSILON);
                    for &(other, _) in &list[nearby(list, day)] {
                        if scratch.text[other] == 0.0 && scratch.topics[other] == 0.0 {
                            scratch.touched.push(other);
                        }
                        scratch.topics[other] += rarity;
                    }
                }
                let mut scored: Vec<Choice> = Vec::new();
                for other in scratch.touched.drain(..) {
                    let (text, topics) = (scratch.text[other], scratch.topics[other]);
                    scratch.text[other] = 0.0;
                    scratch.topics[other] = 0.0;
                    let qualifies = topics > 0.0 || text >= MIN_TEXT_SIMILARITY;
                    if other == index || !qualifies || chosen.iter().any(|c| c.page == other) {
                        continue;
                    }
                    let candidate = &documents[other];
                    let time = match (doc.day, candidate.day) {
                        (Some(a), Some(b)) => TIME_WEIGHT / (1.0 + (a - b).abs() as f64 / TIME_SCALE_DAYS),
                        _ => 0.0,
                    };
                    let parts = ScoreParts {
                        topics: TOPIC_WEIGHT * topics,
                        text: TEXT_WEIGHT * text.min(1.0),
                        section: if candidate.section == doc.section {
                            SECTION_BONUS
                        } else {
                            0.0
                        },
                        time,
                    };
                    scored.push(Choice {
                        page: other,
                        pinned: false,
                        parts,
                    });
                }
                let keep = limit - chosen.len();
                let order = |a: &Choice, b: &Choice| {
                    b.parts
                        .total()
                        .total_cmp(&a.parts.total())
                        .then_with(|| documents[b.page].day.cmp(&documents[a.page].day))
                        .then_with(|| a.page.cmp(&b.page))
                };
                if scored.len() > keep {
                    scored.select_nth_unstable_by(keep, order);
                    scored.truncate(keep);
                }
                scored.sort_by(order);
                chosen.extend(scored);
                chosen
            },
        )
        .collect()
}

/// Per-thread score accumulators, reused from page to page.
struct Scratch {
    text: Vec<f64>,
    topics: Vec<f64>,
    touched: Vec<usize>,
}

/// The stemmed, lower-case words of `text`, without stop words, numbers and one-letter words.
/// Every stemmed term of the site, numbered as threads meet them.
#[derive(Default)]
struct Vocabulary {
    ids: std::sync::Mutex<(FxHashMap<String, u32>, Vec<String>)>,
}

impl Vocabulary {
    fn id(&self, term: String) -> u32 {
        let mut guard = self.ids.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (ids, terms) = &mut *guard;
        if let Some(&id) = ids.get(&term) {
            return id;
        }
        let id = terms.len() as u32;
        terms.push(term.clone());
        ids.insert(term, id);
        id
    }

    fn into_terms(self) -> Vec<String> {
        self.ids
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .1
    }
}

/// Turns text into term ids, remembering the term of every word it has seen: a site repeats the same
/// few thousand words, and stemming is the costly part.
#[derive(Default)]
struct Terms {
    word: String,
    stems: FxHashMap<String, Option<u32>>,
}

impl Terms {
    /// Calls `each` with the stem of every word of `text` that is not a stop word, a number or a
    /// single letter.
    fn each(
        &mut self,
        text: &str,
        stemmer: &Stemmer,
        stop_words: &std::collections::HashSet<&str>,
        vocabulary: &Vocabulary,
        mut each: impl FnMut(u32),
    ) {
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if word.chars().nth(1).is_none() || word.chars().all(|c| c.is_numeric()) {
                continue;
            }
            self.word.clear();
            self.word.extend(word.chars().flat_map(char::to_lowercase));
            if !self.stems.contains_key(self.word.as_str()) {
                let stem = (!stop_words.contains(self.word.as_str()))
                    .then(|| vocabulary.id(stemmer.stem(&self.word).into_owned()));
                self.stems.insert(self.word.clone(), stem);
            }
            if let Some(Some(stem)) = self.stems.get(self.word.as_str()) {
                each(*stem);
            }
        }
    }
}

/// Swedish words too common to say anything about what a page is about.
const STOP_WORDS: &[&str] = &[
    "alla", "allt", "alltså", "andra", "att", "av", "bara", "bli", "blir", "blev", "bland", "bör", "både",
    "da", "de", "dem", "den", "denna", "deras", "dess", "dessa", "det", "detta", "dig", "din", "ditt", "du",
    "där", "efter", "eftersom", "ej", "eller", "en", "er", "era", "ert", "ett", "fick", "finns", "från",
    "får", "för", "genom", "ha", "hade", "han", "hans", "har", "henne", "hennes", "hon", "honom", "hos",
    "hur", "här", "i", "ibland", "icke", "idag", "in", "inom", "inte", "ja", "jag", "kan", "kommer", "kunde",
    "man", "med", "mellan", "men", "mer", "mig", "min", "mina", "mitt", "mot", "många", "mycket", "ni", "nu",
    "när", "någon", "något", "några", "nya", "ny", "och", "också", "om", "oss", "på", "samma", "se", "sedan",
    "sig", "sin", "sina", "sitt", "själv", "ska", "skall", "skulle", "som", "så", "säger", "sade", "sa",
    "till", "under", "upp", "ut", "utan", "vad", "var", "vara", "varför", "vars", "vart", "vem", "vi", "vid",
    "vilka", "vilken", "vill", "vår", "våra", "vårt", "än", "är", "även", "åt", "över", "ser", "också",
    "just", "ju", "två", "tre", "år", "året",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_relative_and_from_the_root() {
        assert_eq!(resolve_content_path("a/b", "c.md").as_deref(), Some("a/b/c.md"));
        assert_eq!(resolve_content_path("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(resolve_content_path("a/b", "/x/c.md").as_deref(), Some("x/c.md"));
        assert_eq!(resolve_content_path("", "../../c.md"), None);
    }

    #[test]
    fn itself_and_missing_pages_are_errors() {
        let find = |p: &str| match p {
            "n/a.md" => Some(1),
            "n/b.md" => Some(2),
            _ => None,
        };
        let paths = vec![
            "a.md".to_string(),
            "b.md".to_string(),
            "c.md".to_string(),
            "b.md".to_string(),
        ];
        let (found, problems) = resolve_pinned(1, "n", &paths, find, |m, h| {
            Diagnostic::error("x.md", 3, m).with_hint(h)
        });
        assert_eq!(found, vec![2]);
        assert_eq!(problems.len(), 2);
    }

    fn doc<'a>(topics: &'a [String], title: &'a str, body: &'a str, day: i64) -> Document<'a> {
        Document {
            topics,
            title,
            summary: "",
            body,
            section: 0,
            day: Some(day),
            is_candidate: true,
            is_pinnable: true,
            wants_list: true,
        }
    }

    #[test]
    fn pinned_first_then_best_score_never_itself() {
        let health = vec!["psykisk-halsa".to_string()];
        let none: Vec<String> = Vec::new();
        let docs = vec![
            doc(
                &health,
                "Psykisk hälsa hos unga",
                "Ungas psykiska hälsa och BUP.",
                100,
            ),
            doc(
                &health,
                "Ny mottagning för psykisk hälsa",
                "Psykiska ohälsan hos unga minskar.",
                120,
            ),
            doc(
                &none,
                "Tandvården byter lokaler",
                "Tandvården flyttar till nya lokaler i centrum.",
                110,
            ),
            doc(
                &none,
                "Tandvård för barn",
                "Barn får gratis tandvård och lokaler.",
                115,
            ),
        ];
        let chosen = choose(&docs, &[vec![3, 0], vec![], vec![], vec![]], 2);
        assert_eq!(chosen[0].iter().map(|c| c.page).collect::<Vec<_>>(), vec![3, 1]);
        assert!(chosen[0][0].pinned);
        assert_eq!(chosen[2][0].page, 3, "{:?}", chosen[2]);
        assert!(chosen
            .iter()
            .enumerate()
            .all(|(i, list)| list.iter().all(|c| c.page != i)));
    }

    #[test]
    fn pages_that_share_nothing_are_not_related() {
        let none: Vec<String> = Vec::new();
        let docs = vec![
            doc(&none, "Äpplen", "Röda äpplen", 1),
            doc(&none, "Cyklar", "Snabba cyklar", 1),
        ];
        assert!(choose(&docs, &[], 4).iter().all(Vec::is_empty));
    }

    #[test]
    fn non_candidates_never_appear() {
        let topic = vec!["a".to_string()];
        let mut docs = vec![doc(&topic, "Ett", "text", 1), doc(&topic, "Två", "text", 2)];
        docs[1].is_candidate = false;
        docs[1].is_pinnable = false;
        let chosen = choose(&docs, &[vec![1]], 4);
        assert!(chosen[0].is_empty());
    }

    #[test]
    fn swedish_stemming_joins_word_forms() {
        let stemmer = Stemmer::create(Algorithm::Swedish);
        let stops = STOP_WORDS.iter().copied().collect();
        let vocabulary = Vocabulary::default();
        let mut words = Vec::new();
        Terms::default().each("Nyheter och nyheten", &stemmer, &stops, &vocabulary, |w| {
            words.push(w)
        });
        assert_eq!(words.len(), 2);
        assert_eq!(words[0], words[1]);
        assert_eq!(vocabulary.into_terms().len(), 1);
    }
}
