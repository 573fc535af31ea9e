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
    /// The page's words, counted by [`TermCounter::count`].
    pub terms: &'a TermCounts,
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
const POSTING_WINDOW: usize = 128;
/// Text similarity below this does not by itself make pages related.
const MIN_TEXT_SIMILARITY: f64 = 0.04;

/// Chooses up to `limit` related pages for every document that wants a list: `pinned[i]` first
/// (those that are candidates), then the best-scoring candidates. Ties go to the newer page, then to
/// the lower index, so the result is the same on every run. `terms` is the vocabulary the
/// documents' terms were counted with ([`TermCounter::into_terms`]).
pub fn choose(
    documents: &[Document<'_>],
    terms: &[String],
    pinned: &[Vec<usize>],
    limit: usize,
) -> Vec<Vec<Choice>> {
    let document_frequency = documents
        .par_iter()
        .with_min_len(1024)
        .fold(
            || vec![0u32; terms.len()],
            |mut frequency, doc| {
                for &(term, _) in &doc.terms.counts {
                    frequency[term as usize] += 1;
                }
                frequency
            },
        )
        .reduce_with(|mut total, part| {
            for (sum, count) in total.iter_mut().zip(part) {
                *sum += count;
            }
            total
        })
        .unwrap_or_default();
    let n = documents.len().max(1) as f64;
    let inverse_frequency: Vec<f64> = document_frequency
        .iter()
        .map(|&frequency| (n / f64::from(frequency)).ln())
        .collect();
    // Most terms occur a few times on a page: their logarithms are computed once.
    let log_count: Vec<f64> = (0..64u32).map(|count| 1.0 + f64::from(count).ln()).collect();
    let by_weight = |a: &(u32, f64), b: &(u32, f64)| {
        // Term ids depend on which thread met a word first; ties are broken by the terms themselves.
        b.1.total_cmp(&a.1)
            .then_with(|| terms[a.0 as usize].cmp(&terms[b.0 as usize]))
    };
    let vectors: Vec<Vec<(u32, f64)>> = documents
        .par_iter()
        .map(|doc| {
            let mut weights: Vec<(u32, f64)> = doc
                .terms
                .counts
                .iter()
                .map(|&(term, count)| {
                    let tf = log_count
                        .get(count as usize)
                        .copied()
                        .unwrap_or_else(|| 1.0 + f64::from(count).ln());
                    (term, tf * inverse_frequency[term as usize])
                })
                .filter(|(_, w)| *w > 0.0)
                .collect();
            if weights.len() > TERMS_PER_PAGE {
                weights.select_nth_unstable_by(TERMS_PER_PAGE, by_weight);
                weights.truncate(TERMS_PER_PAGE);
            }
            weights.sort_by(by_weight);
            weights.shrink_to_fit();
            let norm = weights.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
            if norm > 0.0 {
                for (_, w) in &mut weights {
                    *w /= norm;
                }
            }
            weights
        })
        .collect();

    // Candidates are numbered by date, and posting lists hold these numbers (ranks) in order: a long
    // list is read in a window around the page's own date, so the work per page stays bounded however
    // large the site; and the pages one page's lists reach lie close together in the score array.
    let day_of = |index: usize| documents[index].day.unwrap_or(i64::MIN);
    let mut by_date: Vec<usize> = (0..documents.len())
        .filter(|&index| documents[index].is_candidate)
        .collect();
    by_date.par_sort_by_key(|&index| (day_of(index), index));
    let mut term_postings: Vec<Vec<(u32, f64)>> = vec![Vec::new(); terms.len()];
    let mut topic_postings: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    for (rank, &index) in by_date.iter().enumerate() {
        let rank = rank as u32;
        for &(term, weight) in &vectors[index] {
            term_postings[term as usize].push((rank, weight));
        }
        for topic in documents[index].topics {
            topic_postings.entry(topic.as_str()).or_default().push(rank);
        }
    }
    let topic_rarity = |topic: &str| -> f64 {
        let count = topic_postings.get(topic).map_or(0, Vec::len) as f64;
        (1.0 + n / (count + 1.0)).ln()
    };
    (0..documents.len())
        .into_par_iter()
        .map_init(
            || Scratch {
                sums: vec![(0.0, 0.0); by_date.len()],
                touched: Vec::new(),
                best: Vec::new(),
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
                let first_of_day = by_date.partition_point(|&other| day_of(other) < day) as u32;
                for &(term, weight) in &vectors[index] {
                    let list = &term_postings[term as usize];
                    let read = posting_window(list.len(), || {
                        list.partition_point(|&(rank, _)| rank < first_of_day)
                    });
                    for &(rank, other_weight) in &list[read] {
                        let sums = &mut scratch.sums[rank as usize];
                        if *sums == (0.0, 0.0) {
                            scratch.touched.push(rank);
                        }
                        sums.0 += weight * other_weight;
                    }
                }
                let own_rarity: f64 = doc.topics.iter().map(|t| topic_rarity(t)).sum();
                for topic in doc.topics {
                    let Some(list) = topic_postings.get(topic.as_str()) else {
                        continue;
                    };
                    let rarity = topic_rarity(topic) / own_rarity.max(f64::EPSILON);
                    let read =
                        posting_window(list.len(), || list.partition_point(|&rank| rank < first_of_day));
                    for &rank in &list[read] {
                        let sums = &mut scratch.sums[rank as usize];
                        if *sums == (0.0, 0.0) {
                            scratch.touched.push(rank);
                        }
                        sums.1 += rarity;
                    }
                }
                let keep = limit - chosen.len();
                let score_of = |other: usize, text: f64, topics: f64| {
                    let candidate = &documents[other];
                    let time = match (doc.day, candidate.day) {
                        (Some(a), Some(b)) => TIME_WEIGHT / (1.0 + (a - b).abs() as f64 / TIME_SCALE_DAYS),
                        _ => 0.0,
                    };
                    ScoreParts {
                        topics: TOPIC_WEIGHT * topics,
                        text: TEXT_WEIGHT * text.min(1.0),
                        section: if candidate.section == doc.section {
                            SECTION_BONUS
                        } else {
                            0.0
                        },
                        time,
                    }
                };
                // The best `keep` so far, best first: a site touches thousands of pages per list,
                // and only a handful are kept.
                let better = |a: &Choice, b: &Choice| {
                    b.parts
                        .total()
                        .total_cmp(&a.parts.total())
                        .then_with(|| documents[b.page].day.cmp(&documents[a.page].day))
                        .then_with(|| a.page.cmp(&b.page))
                };
                let best = &mut scratch.best;
                best.clear();
                for rank in scratch.touched.drain(..) {
                    let (text, topics) = std::mem::take(&mut scratch.sums[rank as usize]);
                    let other = by_date[rank as usize];
                    let qualifies = topics > 0.0 || text >= MIN_TEXT_SIMILARITY;
                    if other == index || !qualifies || chosen.iter().any(|c| c.page == other) {
                        continue;
                    }
                    // Most touched pages cannot beat the worst kept one even with the best
                    // section and time parts; they are not scored in full.
                    let at_most =
                        TOPIC_WEIGHT * topics + TEXT_WEIGHT * text.min(1.0) + SECTION_BONUS + TIME_WEIGHT;
                    if best.len() == keep && best.last().is_some_and(|worst| at_most < worst.parts.total()) {
                        continue;
                    }
                    let choice = Choice {
                        page: other,
                        pinned: false,
                        parts: score_of(other, text, topics),
                    };
                    let at = best.partition_point(|kept| better(kept, &choice).is_lt());
                    if at < keep {
                        best.insert(at, choice);
                        best.truncate(keep);
                    }
                }
                chosen.append(best);
                chosen
            },
        )
        .collect()
}

/// The part of a posting list of `length` entries to read: all of it when it is short, otherwise
/// [`POSTING_WINDOW`] entries around `middle()`, where the page's own date falls in the list.
fn posting_window(length: usize, middle: impl FnOnce() -> usize) -> std::ops::Range<usize> {
    if length <= POSTING_WINDOW {
        return 0..length;
    }
    let start = middle()
        .saturating_sub(POSTING_WINDOW / 2)
        .min(length - POSTING_WINDOW);
    start..start + POSTING_WINDOW
}

/// Per-thread score accumulators, reused from page to page.
struct Scratch {
    /// Text similarity and topic score per candidate, by rank; zero for those not touched yet.
    sums: Vec<(f64, f64)>,
    touched: Vec<u32>,
    best: Vec<Choice>,
}

/// Turns pages' words into term counts (stemmed, lower-case, without stop words, numbers and
/// one-letter words), numbering every term of the site. One counter serves all threads; each thread
/// brings its own [`WordCache`].
pub struct TermCounter {
    stemmer: Stemmer,
    stop_words: std::collections::HashSet<&'static str>,
    vocabulary: std::sync::Mutex<(FxHashMap<String, u32>, Vec<String>)>,
}

/// One thread's memory of the term of every word it has met, as written: a site repeats the same
/// few thousand words, and lower-casing and stemming are the costly part.
#[derive(Default)]
pub struct WordCache {
    /// Words of up to 16 bytes (nearly all), packed into a number: no string to hash byte by byte,
    /// to follow a pointer to or to compare.
    short: FxHashMap<u128, Option<u32>>,
    long: FxHashMap<String, Option<u32>>,
    /// The page being counted: its count per term number, and the terms met.
    counts: Vec<u32>,
    met: Vec<u32>,
}

/// A page's terms with their weighted counts.
#[derive(Debug, Clone, Default)]
pub struct TermCounts {
    /// Term numbers with weighted counts (whole numbers: a title word counts 3).
    counts: Vec<(u32, u32)>,
}

impl Default for TermCounter {
    fn default() -> Self {
        TermCounter {
            stemmer: Stemmer::create(Algorithm::Swedish),
            stop_words: STOP_WORDS.iter().copied().collect(),
            vocabulary: std::sync::Mutex::default(),
        }
    }
}

impl TermCounter {
    /// Counts the terms of a page; a word in the title weighs three times one in the body, a word
    /// in the summary twice.
    pub fn count(&self, cache: &mut WordCache, title: &str, summary: &str, body: &str) -> TermCounts {
        let WordCache {
            short,
            long,
            counts,
            met,
        } = cache;
        for (text, weight) in [(title, 3), (summary, 2), (body, 1)] {
            self.each(short, long, text, |term| {
                let term_index = term as usize;
                if term_index >= counts.len() {
                    counts.resize(term_index + 1, 0);
                }
                if counts[term_index] == 0 {
                    met.push(term);
                }
                counts[term_index] += weight;
            });
        }
        let found = met
            .drain(..)
            .map(|term| (term, std::mem::take(&mut counts[term as usize])))
            .collect();
        TermCounts { counts: found }
    }

    /// The terms met so far, by number.
    pub fn into_terms(self) -> Vec<String> {
        self.vocabulary
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .1
    }

    /// Calls `each` with the term of every word of `text` that has one.
    fn each(
        &self,
        short: &mut FxHashMap<u128, Option<u32>>,
        long: &mut FxHashMap<String, Option<u32>>,
        text: &str,
        mut each: impl FnMut(u32),
    ) {
        for (start, word) in words(text) {
            let stem = match packed(text.as_bytes(), start, word.len()) {
                Some(key) => *short.entry(key).or_insert_with(|| self.term_of(word)),
                None => match long.get(word) {
                    Some(&stem) => stem,
                    None => {
                        let stem = self.term_of(word);
                        long.insert(word.to_string(), stem);
                        stem
                    }
                },
            };
            if let Some(stem) = stem {
                each(stem);
            }
        }
    }

    /// The number of one word's term, or `None` for a stop word, a number or a single letter.
    fn term_of(&self, word: &str) -> Option<u32> {
        if word.chars().nth(1).is_none() || word.chars().all(char::is_numeric) {
            return None;
        }
        let lower = word.to_lowercase();
        if self.stop_words.contains(lower.as_str()) {
            return None;
        }
        let stem = self.stemmer.stem(&lower).into_owned();
        let mut guard = self
            .vocabulary
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (ids, terms) = &mut *guard;
        if let Some(&id) = ids.get(&stem) {
            return Some(id);
        }
        let id = terms.len() as u32;
        terms.push(stem.clone());
        ids.insert(stem, id);
        Some(id)
    }
}

/// The word of `length` bytes at `start` of `text` as one number, if it has at most 16 bytes.
/// Words hold no NUL byte, so the zeros that fill up the number cannot make two words equal. The
/// number is read from the text at once and the bytes after the word masked off: copying the word
/// into a buffer and reading that back stalls the processor on every word.
fn packed(text: &[u8], start: usize, length: usize) -> Option<u128> {
    if length > 16 {
        return None;
    }
    let mask = u128::MAX.checked_shr(8 * (16 - length) as u32).unwrap_or(0);
    if let Some(window) = text.get(start..start + 16) {
        let window: [u8; 16] = window.try_into().ok()?;
        return Some(u128::from_le_bytes(window) & mask);
    }
    let mut padded = [0u8; 16];
    padded[..length].copy_from_slice(text.get(start..start + length)?);
    Some(u128::from_le_bytes(padded))
}

/// The words of `text` with the byte offset each starts at: runs of [`is_word_char`] characters. Plain
/// ASCII bytes, most of a Swedish text, are classified without decoding them.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let mut start = None;
        while at < bytes.len() {
            let byte = bytes[at];
            let (in_word, width) = if byte.is_ascii() {
                (byte.is_ascii_alphanumeric(), 1)
            } else {
                // `at` is always at the start of a character: it only moves by whole characters.
                let c = text[at..].chars().next().unwrap_or(char::REPLACEMENT_CHARACTER);
                (is_word_char(c), c.len_utf8())
            };
            match (in_word, start) {
                (true, None) => start = Some(at),
                (false, Some(first)) => return Some((first, &text[first..at])),
                _ => {}
            }
            at += width;
        }
        start.map(|first| (first, &text[first..]))
    })
}

/// Whether `c` belongs to a word: letters and digits, with the Swedish letters and ASCII decided
/// without Unicode tables, as nearly every character of a Swedish page is one of those.
fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' | 'å' | 'ä' | 'ö' | 'Å' | 'Ä' | 'Ö' | 'é' | 'É' => true,
        '\0'..='\u{7f}' => false,
        other => other.is_alphanumeric(),
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

    /// The term counts of pages given as (title, body), and the vocabulary they were counted with.
    fn counted(pages: &[(&str, &str)]) -> (Vec<TermCounts>, Vec<String>) {
        let counter = TermCounter::default();
        let mut cache = WordCache::default();
        let counts = pages
            .iter()
            .map(|(title, body)| counter.count(&mut cache, title, "", body))
            .collect();
        (counts, counter.into_terms())
    }

    fn doc<'a>(topics: &'a [String], terms: &'a TermCounts, day: i64) -> Document<'a> {
        Document {
            topics,
            terms,
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
        let (counts, terms) = counted(&[
            ("Psykisk hälsa hos unga", "Ungas psykiska hälsa och BUP."),
            (
                "Ny mottagning för psykisk hälsa",
                "Psykiska ohälsan hos unga minskar.",
            ),
            (
                "Tandvården byter lokaler",
                "Tandvården flyttar till nya lokaler i centrum.",
            ),
            ("Tandvård för barn", "Barn får gratis tandvård och lokaler."),
        ]);
        let docs = vec![
            doc(&health, &counts[0], 100),
            doc(&health, &counts[1], 120),
            doc(&none, &counts[2], 110),
            doc(&none, &counts[3], 115),
        ];
        let chosen = choose(&docs, &terms, &[vec![3, 0], vec![], vec![], vec![]], 2);
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
        let (counts, terms) = counted(&[("Äpplen", "Röda äpplen"), ("Cyklar", "Snabba cyklar")]);
        let docs = vec![doc(&none, &counts[0], 1), doc(&none, &counts[1], 1)];
        assert!(choose(&docs, &terms, &[], 4).iter().all(Vec::is_empty));
    }

    #[test]
    fn non_candidates_never_appear() {
        let topic = vec!["a".to_string()];
        let (counts, terms) = counted(&[("Ett", "text"), ("Två", "text")]);
        let mut docs = vec![doc(&topic, &counts[0], 1), doc(&topic, &counts[1], 2)];
        docs[1].is_candidate = false;
        docs[1].is_pinnable = false;
        let chosen = choose(&docs, &terms, &[vec![1]], 4);
        assert!(chosen[0].is_empty());
    }

    #[test]
    fn the_best_few_are_kept_in_order_of_score() {
        let topic = vec!["a".to_string()];
        let (counts, terms) = counted(&[("Ett", ""), ("Två", ""), ("Tre", ""), ("Fyra", ""), ("Fem", "")]);
        // Same topic and text for all: the nearest in time score highest.
        let docs: Vec<Document> = [100, 90, 130, 101, 60]
            .iter()
            .enumerate()
            .map(|(i, &day)| doc(&topic, &counts[i], day))
            .collect();
        let chosen = choose(&docs, &terms, &[], 3);
        assert_eq!(
            chosen[0].iter().map(|c| c.page).collect::<Vec<_>>(),
            vec![3, 1, 2]
        );
        let totals: Vec<f64> = chosen[0].iter().map(|c| c.parts.total()).collect();
        assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");
    }

    #[test]
    fn swedish_stemming_joins_word_forms() {
        let counter = TermCounter::default();
        let counts = counter.count(&mut WordCache::default(), "", "", "Nyheter och nyheten");
        assert_eq!(counts.counts.len(), 1, "{counts:?}");
        assert_eq!(counts.counts[0].1, 2);
        assert_eq!(counter.into_terms().len(), 1);
    }

    #[test]
    fn words_are_counted_alike_whatever_their_case() {
        let counter = TermCounter::default();
        let mut cache = WordCache::default();
        let counts = counter.count(
            &mut cache,
            "Vårdcentralen",
            "VÅRDCENTRALEN",
            "vårdcentralen 2024 i",
        );
        assert_eq!(counts.counts.len(), 1, "{counts:?}");
        assert_eq!(counts.counts[0].1, 6);
    }

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        let text = "Årets möte – 2024: vård-köer, café!Ω ÅÄÖ";
        let found: Vec<(usize, &str)> = words(text).collect();
        let only_words: Vec<&str> = found.iter().map(|&(_, word)| word).collect();
        assert_eq!(
            only_words,
            ["Årets", "möte", "2024", "vård", "köer", "café", "Ω", "ÅÄÖ"]
        );
        for (start, word) in found {
            assert_eq!(&text[start..start + word.len()], word, "the offset of {word}");
        }
        assert_eq!(words("").count(), 0);
        assert_eq!(words(" … ").count(), 0);
        assert_eq!(words("ord").collect::<Vec<_>>(), [(0, "ord")]);
    }

    #[test]
    fn short_words_pack_into_distinct_numbers() {
        let text = b"ab ba a aa sexton_tecken_ok sjutton_tecken_ok";
        let at = |word: &[u8]| {
            packed(
                text,
                text.windows(word.len()).position(|w| w == word).unwrap(),
                word.len(),
            )
        };
        assert_ne!(at(b"ab"), at(b"ba"));
        assert_ne!(at(b"a "), at(b"a"));
        assert_eq!(
            at(b"a"),
            packed(b"a", 0, 1),
            "the bytes after a word do not count"
        );
        assert_eq!(at(b"sexton_tecken_ok"), packed(b"xsexton_tecken_ok", 1, 16));
        assert_eq!(
            packed(b"x sexton_tecken_o", 2, 15),
            packed(b"x sexton_tecken_o and more", 2, 15),
            "at the end of a text, where 16 bytes cannot be read at once, a word packs alike"
        );
        assert_eq!(at(b"sjutton_tecken_ok"), None);
        let counter = TermCounter::default();
        let mut cache = WordCache::default();
        let long = "barnhälsovårdsenheterna";
        let counts = counter.count(&mut cache, long, "", &format!("{long} vård vård"));
        assert_eq!(counts.counts.len(), 2, "{counts:?}");
        assert!(counts.counts.contains(&(0, 4)), "{counts:?}");
    }
}
