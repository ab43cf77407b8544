//! Full-text search without a search server: an inverted index written as
//! static JSON next to the pages, read by the theme's `search.js`.
//!
//! Why not Pagefind (used until issue 7): in-process it took 53 s and
//! 4 GiB of memory for 10,000 pages, on a build that otherwise takes 3 s.
//! This index is made from each page's Markdown, in parallel, in a fraction
//! of the render time, and nothing is kept per page but its term counts.
//!
//! Files, under [`SEARCH_DIR`]:
//!
//! - `pages.json`: `{"v":1, "avg": mean words per page, "stop": [stop
//!   words], "pages": [[link, title, section, words, review], …]}`, where
//!   `review` is `""` (clinically reviewed, or not medical content),
//!   `"checked"` (sources checked, no clinical review) or `"unreviewed"`. A page's number
//!   in the index is its position in `pages`. `link` is relative to the
//!   site root, as in templates.
//! - `terms/KEY.json`: every term whose first two characters give `KEY`
//!   (see [`shard_key`]), as `{"term": [doc, tf, doc, tf, …]}` with doc
//!   numbers as gaps from the previous one. A query word therefore needs
//!   one small file, and it matches every term it begins (`transplant`
//!   finds "transplants", "transplanted").
//!
//! Which pages: every page but drafts, whatever its review state (each
//! page carries its own notice, and `pages.json` gives the state so results
//! can show it); `search.include_unreviewed: false` leaves out medical pages
//! no clinician has reviewed. Generated pages (the glossary, section lists)
//! are searchable. Excerpts are taken
//! in the browser from the result pages themselves, so the index holds no
//! page text at all.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::model::{PageId, Site};

/// The folder, under the output root, that holds the search index.
pub const SEARCH_DIR: &str = "search";

/// Version of the index format, checked by `search.js`.
pub const FORMAT_VERSION: u32 = 1;

/// Words too common to help find a page; the browser drops them from
/// queries too (they are written into `pages.json`). Sorted, for binary
/// search.
pub const STOP_WORDS: [&str; 36] = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "for", "from", "has", "have",
    "if", "in", "is", "it", "its", "may", "not", "of", "on", "or", "so", "that", "the", "their",
    "them", "they", "this", "to", "was", "will", "with", "you",
];

/// Terms longer than this are not indexed (hashes, long numbers).
const MAX_TERM_CHARS: usize = 40;

/// A title word counts like this many words of text.
const TITLE_WEIGHT: u32 = 3;

/// The search index of a site: files to write under `search/`.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// (path relative to the output root, bytes), sorted by path.
    pub files: Vec<(String, Vec<u8>)>,
    /// Pages in the index.
    pub pages: usize,
    /// Total size of `files`.
    pub bytes: usize,
}

/// A page's review state as `pages.json` gives it.
fn review_code(site: &Site, page: PageId, today: NaiveDate) -> &'static str {
    match crate::review::of_page(site, page, today).status {
        crate::review::Status::SourcesChecked => "checked",
        crate::review::Status::NeverReviewed => "unreviewed",
        _ => "",
    }
}

/// Whether `page` belongs in the site search.
pub fn searchable(site: &Site, page: PageId, today: NaiveDate) -> bool {
    !site.pages[page].front().draft
        && (site.config.search.include_unreviewed || reviewed(site, page, today))
}

/// A page no medical reader need be warned about: clinically reviewed, or
/// not medical content.
fn reviewed(site: &Site, page: PageId, today: NaiveDate) -> bool {
    !crate::review::of_page(site, page, today)
        .status
        .needs_clinical_review()
}

/// Pages the site search leaves out, by reason, for the build summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeftOut {
    pub drafts: usize,
    /// Medical pages without a clinical review (`search.include_unreviewed:
    /// false`).
    pub unreviewed: usize,
}

/// Counts the pages [`searchable`] leaves out, by reason.
pub fn left_out(site: &Site, today: NaiveDate) -> LeftOut {
    let mut out = LeftOut::default();
    for id in 0..site.pages.len() {
        if site.pages[id].front().draft {
            out.drafts += 1;
        } else if !searchable(site, id, today) {
            out.unreviewed += 1;
        }
    }
    out
}

/// Builds the index of every searchable page of `site`. The same site gives
/// the same bytes, whatever the number of threads.
pub fn index(site: &Site, today: NaiveDate) -> SearchIndex {
    LiveIndex::build(site, today).files(site)
}

/// The index in memory: `marrow build` writes it once, `marrow serve`
/// keeps it so that an edited page re-sends only the files its words are
/// in (a few milliseconds, where a whole index takes about half a second
/// at 10,000 pages).
pub struct LiveIndex {
    /// Page of each doc number, in site order.
    docs: Vec<PageId>,
    doc_of: FxHashMap<PageId, u32>,
    /// Words of each doc (for BM25's length normalisation).
    words: Vec<u32>,
    /// Review state of each doc, as `pages.json` gives it.
    review: Vec<&'static str>,
    vocab: FxHashMap<String, u32>,
    /// Term of each term id.
    terms: Vec<String>,
    /// (doc, tf) of each term id, sorted by doc.
    postings: Vec<Vec<(u32, u32)>>,
    /// Term ids of each doc, for taking an edited page out again.
    doc_terms: Vec<Vec<u32>>,
    /// Term ids of each shard file.
    shards: BTreeMap<String, Vec<u32>>,
}

/// One thread's share of the counting: term → (doc, tf) in the order the
/// thread saw its docs, and (doc, words).
#[derive(Default)]
struct Partial {
    terms: FxHashMap<String, Vec<(u32, u32)>>,
    words: Vec<(u32, u32)>,
}

impl Partial {
    fn merge(mut self, mut other: Partial) -> Partial {
        if self.terms.len() < other.terms.len() {
            std::mem::swap(&mut self, &mut other);
        }
        for (term, list) in other.terms {
            match self.terms.get_mut(&term) {
                Some(mine) => mine.extend(list),
                None => {
                    self.terms.insert(term, list);
                }
            }
        }
        self.words.extend(other.words);
        self
    }
}

impl LiveIndex {
    pub fn build(site: &Site, today: NaiveDate) -> LiveIndex {
        let docs: Vec<PageId> = (0..site.pages.len())
            .filter(|&id| searchable(site, id, today))
            .collect();
        // Count pages in parallel into per-thread postings, merged pairwise.
        let partial = docs
            .par_iter()
            .enumerate()
            .fold(Partial::default, |mut acc, (doc, &id)| {
                let (counts, words) = count_page(site, id);
                for (term, tf) in counts {
                    acc.terms.entry(term).or_default().push((doc as u32, tf));
                }
                acc.words.push((doc as u32, words));
                acc
            })
            .reduce(Partial::default, Partial::merge);
        let mut terms: Vec<(String, Vec<(u32, u32)>)> = partial.terms.into_iter().collect();
        terms
            .par_iter_mut()
            .for_each(|(_, list)| list.sort_unstable());
        let mut index = LiveIndex {
            doc_of: docs
                .iter()
                .enumerate()
                .map(|(d, &p)| (p, d as u32))
                .collect(),
            words: vec![0; docs.len()],
            review: docs
                .iter()
                .map(|&id| review_code(site, id, today))
                .collect(),
            doc_terms: vec![Vec::new(); docs.len()],
            docs,
            vocab: FxHashMap::default(),
            terms: Vec::with_capacity(terms.len()),
            postings: Vec::with_capacity(terms.len()),
            shards: BTreeMap::new(),
        };
        for (doc, words) in partial.words {
            index.words[doc as usize] = words;
        }
        for (id, (term, list)) in terms.into_iter().enumerate() {
            let id = id as u32;
            for &(doc, _) in &list {
                index.doc_terms[doc as usize].push(id);
            }
            index.shards.entry(shard_key(&term)).or_default().push(id);
            index.vocab.insert(term.clone(), id);
            index.terms.push(term);
            index.postings.push(list);
        }
        index
    }

    fn insert(&mut self, doc: u32, counts: FxHashMap<String, u32>, words: u32) {
        let mut ids = Vec::with_capacity(counts.len());
        for (term, tf) in counts {
            let id = match self.vocab.get(&term) {
                Some(&id) => id,
                None => {
                    let id = self.terms.len() as u32;
                    self.shards.entry(shard_key(&term)).or_default().push(id);
                    self.vocab.insert(term.clone(), id);
                    self.terms.push(term);
                    self.postings.push(Vec::new());
                    id
                }
            };
            let list = &mut self.postings[id as usize];
            let at = list.partition_point(|&(d, _)| d < doc);
            list.insert(at, (doc, tf));
            ids.push(id);
        }
        self.words[doc as usize] = words;
        self.doc_terms[doc as usize] = ids;
    }

    /// Re-counts an edited page. Returns the files that changed (`None`:
    /// delete the file), or `None` when the page's place in the index
    /// changed (it became searchable or stopped being): then rebuild.
    pub fn update(
        &mut self,
        site: &Site,
        page: PageId,
        today: NaiveDate,
    ) -> Option<Vec<(String, Option<Vec<u8>>)>> {
        let doc = self.doc_of.get(&page).copied();
        if doc.is_some() != searchable(site, page, today) {
            return None;
        }
        let Some(doc) = doc else {
            return Some(Vec::new()); // not searched, before or after
        };
        let mut touched = std::collections::BTreeSet::new();
        for id in std::mem::take(&mut self.doc_terms[doc as usize]) {
            let list = &mut self.postings[id as usize];
            if let Ok(at) = list.binary_search_by_key(&doc, |&(d, _)| d) {
                list.remove(at);
            }
            touched.insert(shard_key(&self.terms[id as usize]));
        }
        let (counts, words) = count_page(site, page);
        touched.extend(counts.keys().map(|t| shard_key(t)));
        self.insert(doc, counts, words);
        self.review[doc as usize] = review_code(site, page, today);
        let mut files = vec![(
            format!("{SEARCH_DIR}/pages.json"),
            Some(self.pages_file(site)),
        )];
        for key in touched {
            files.push((shard_path(&key), self.shard_file(&key)));
        }
        Some(files)
    }

    /// Every file of the index.
    pub fn files(&self, site: &Site) -> SearchIndex {
        let mut files = vec![(format!("{SEARCH_DIR}/pages.json"), self.pages_file(site))];
        files.extend(
            self.shards
                .par_iter()
                .filter_map(|(key, _)| Some((shard_path(key), self.shard_file(key)?)))
                .collect::<Vec<_>>(),
        );
        files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let bytes = files.iter().map(|(_, b)| b.len()).sum();
        SearchIndex {
            files,
            pages: self.docs.len(),
            bytes,
        }
    }

    fn pages_file(&self, site: &Site) -> Vec<u8> {
        let pages: Vec<(String, &str, String, u32, &str)> = self
            .docs
            .iter()
            .zip(&self.words)
            .zip(&self.review)
            .map(|((&id, &w), &review)| {
                (
                    site.link(id),
                    site.pages[id].title(),
                    section_title(site, id),
                    w,
                    review,
                )
            })
            .collect();
        let avg = if pages.is_empty() {
            0.0
        } else {
            self.words.iter().map(|&w| f64::from(w)).sum::<f64>() / pages.len() as f64
        };
        to_json(&PagesFile {
            v: FORMAT_VERSION,
            avg: (avg * 10.0).round() / 10.0,
            stop: &STOP_WORDS,
            pages: &pages,
        })
    }

    /// One shard as JSON, terms sorted, doc numbers gap-coded; `None` when
    /// none of its terms is on any page any more.
    fn shard_file(&self, key: &str) -> Option<Vec<u8>> {
        let mut terms: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        for &id in self.shards.get(key)? {
            let list = &self.postings[id as usize];
            if list.is_empty() {
                continue;
            }
            let mut encoded = Vec::with_capacity(list.len() * 2);
            let mut previous = 0;
            for &(doc, tf) in list {
                encoded.push(doc - previous);
                encoded.push(tf);
                previous = doc;
            }
            terms.insert(&self.terms[id as usize], encoded);
        }
        (!terms.is_empty()).then(|| to_json(&terms))
    }
}

fn shard_path(key: &str) -> String {
    format!("{SEARCH_DIR}/terms/{key}.json")
}

#[derive(Serialize)]
struct PagesFile<'a> {
    v: u32,
    avg: f64,
    stop: &'a [&'a str],
    pages: &'a [(String, &'a str, String, u32, &'a str)],
}

fn to_json(value: &impl Serialize) -> Vec<u8> {
    // Plain data (strings, numbers): serialization cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

/// The term counts and word count of one page (title words weigh more).
fn count_page(site: &Site, page: PageId) -> (FxHashMap<String, u32>, u32) {
    let mut counts = Counts::default();
    let mut words = 0;
    page_text(site, page, &mut |t| words += counts.add(t, 1));
    counts.add(site.pages[page].title(), TITLE_WEIGHT);
    (counts.terms, words)
}

/// Term counts of one page. Most words are already lowercase ASCII and
/// seen before on the page: those cost a lookup, no allocation.
#[derive(Default)]
struct Counts {
    terms: FxHashMap<String, u32>,
    lower: String,
}

impl Counts {
    /// Adds the terms of `text`, `weight` each; returns the number of words
    /// (stop words included: they make a page longer all the same).
    fn add(&mut self, text: &str, weight: u32) -> u32 {
        let mut words = 0;
        for word in words_of(text) {
            words += 1;
            let term = if word
                .bytes()
                .any(|b| !b.is_ascii_lowercase() && !b.is_ascii_digit())
            {
                self.lower.clear();
                self.lower.extend(word.chars().flat_map(char::to_lowercase));
                self.lower.as_str()
            } else {
                word
            };
            if STOP_WORDS.binary_search(&term).is_ok() {
                continue;
            }
            match self.terms.get_mut(term) {
                Some(tf) => *tf += weight,
                None => {
                    self.terms.insert(term.to_string(), weight);
                }
            }
        }
        words
    }
}

fn words_of(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.chars().count() <= MAX_TERM_CHARS)
}

/// The lowercase words of `text`: runs of letters and digits, at most
/// [`MAX_TERM_CHARS`] long.
pub fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    words_of(text).map(str::to_lowercase)
}

/// The file a term is stored in: its first two characters, each kept if an
/// ASCII letter or digit, else written as `_` and its code point in hex (so
/// names are safe on every file system and in URLs).
pub fn shard_key(term: &str) -> String {
    term.chars()
        .take(2)
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("_{:x}", u32::from(c))
            }
        })
        .collect()
}

/// Feeds the text a reader sees on `page` to `out`: the Markdown's text
/// and code (not raw HTML); for the glossary page, its terms and
/// definitions.
fn page_text(site: &Site, page: PageId, out: &mut dyn FnMut(&str)) {
    if site.glossary_page == Some(page) {
        for term in site.glossary.iter().flat_map(|g| g.terms()) {
            out(&term.term);
            for alias in &term.aliases {
                out(alias);
            }
            out(&term.definition);
        }
        return;
    }
    let body = site.pages[page].doc.body();
    let mut skip = 0usize;
    for event in Parser::new_ext(body, crate::markdown::parser_options()) {
        match event {
            // Heading ids written as `{#id}` are not text.
            Event::Start(Tag::MetadataBlock(_)) => skip += 1,
            Event::End(TagEnd::MetadataBlock(_)) => skip = skip.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if skip == 0 => out(&t),
            _ => {}
        }
    }
}

/// The top-level section a page belongs to, shown under each result.
fn section_title(site: &Site, page: PageId) -> String {
    site.ancestry(site.pages[page].section)
        .get(1)
        .map(|&s| site.pages[site.sections[s].index].title().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    fn file(idx: &SearchIndex, name: &str) -> serde_json::Value {
        let (_, bytes) = idx
            .files
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| {
                panic!(
                    "no {name} in {:?}",
                    idx.files.iter().map(|f| &f.0).collect::<Vec<_>>()
                )
            });
        serde_json::from_slice(bytes).unwrap()
    }

    #[test]
    fn stop_words_are_sorted_lowercase_terms() {
        assert!(STOP_WORDS.is_sorted());
        for w in STOP_WORDS {
            assert_eq!(terms(w).collect::<Vec<_>>(), [w]);
        }
    }

    #[test]
    fn terms_are_lowercase_words_and_keys_are_safe() {
        let t: Vec<String> = terms("Day 0: the ANC is ≥0.5 × 10⁹/L — naïve café").collect();
        assert_eq!(
            t,
            [
                "day", "0", "the", "anc", "is", "0", "5", "10⁹", "l", "naïve", "café"
            ]
        );
        assert_eq!(shard_key("transplant"), "tr");
        assert_eq!(shard_key("a"), "a");
        assert_eq!(shard_key("naïve"), "na");
        assert_eq!(shard_key("ïa"), "_efa");
        assert_eq!(shard_key("指南"), "_6307_5357");
    }

    /// A test site (its pages are searched whatever their review state).
    fn searchable_site(files: &[(&str, &str)]) -> Site {
        crate::model::test_site(files)
    }

    #[test]
    fn unreviewed_pages_are_searched_with_their_state_unless_left_out() {
        let files = [
            (
                "_index.md",
                "---\ntitle: Home\nreviewed: 2026-11-01\nreviewer: Dr A\n---\nHi.\n",
            ),
            ("p.md", "---\ntitle: Unreviewed\n---\nNeutrophils.\n"),
            (
                "c.md",
                "---\ntitle: Checked\nsources_checked: 2026-11-01\n---\nPlatelets.\n",
            ),
        ];
        let mut site = crate::model::test_site(&files);
        let pages = |site: &Site| file(&index(site, today()), "search/pages.json")["pages"].clone();
        let state = |pages: &serde_json::Value, title: &str| {
            pages
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p[1] == title)
                .map(|p| p[4].clone())
        };
        let all = pages(&site);
        assert_eq!(state(&all, "Unreviewed"), Some("unreviewed".into()));
        assert_eq!(state(&all, "Checked"), Some("checked".into()));
        assert_eq!(state(&all, "Home"), Some("".into()));
        assert_eq!(left_out(&site, today()), LeftOut::default());
        site.config.search.include_unreviewed = false;
        let reviewed = pages(&site);
        assert_eq!(state(&reviewed, "Unreviewed"), None);
        assert_eq!(state(&reviewed, "Checked"), None);
        assert_eq!(state(&reviewed, "Home"), Some("".into()));
        assert_eq!(
            left_out(&site, today()),
            LeftOut {
                drafts: 0,
                unreviewed: 2
            }
        );
    }

    #[test]
    fn index_lists_searchable_pages_and_finds_their_words() {
        let site = searchable_site(&[
            (
                "_index.md",
                "---\ntitle: Home\n---\nWelcome to the guide.\n",
            ),
            (
                "process/_index.md",
                "---\ntitle: The process\n---\nSteps of a transplant.\n",
            ),
            (
                "process/engraftment.md",
                "---\ntitle: Engraftment\n---\nNeutrophils recover. Neutrophils rise in the thymus.\n\n```\ncode-word\n```\n\n<div>rawhtmlword</div>\n",
            ),
            (
                "process/secret.md",
                "---\ntitle: Secret\ndraft: true\n---\nNeutrophils hidden.\n",
            ),
        ]);
        let idx = index(&site, today());
        let pages = file(&idx, "search/pages.json");
        assert_eq!(pages["v"], 1);
        let list = pages["pages"].as_array().unwrap();
        let titles: Vec<&str> = list.iter().map(|p| p[1].as_str().unwrap()).collect();
        assert!(
            titles.contains(&"Engraftment") && !titles.contains(&"Secret"),
            "{titles:?}"
        );
        assert_eq!(idx.pages, list.len());
        let doc = titles.iter().position(|t| *t == "Engraftment").unwrap() as u64;
        assert_eq!(
            list[doc as usize][2], "The process",
            "section shown in results"
        );
        let ne = file(&idx, "search/terms/ne.json");
        // Gap-coded: the first doc number is absolute; tf 2 in the text.
        assert_eq!(ne["neutrophils"], serde_json::json!([doc, 2]));
        let en = file(&idx, "search/terms/en.json");
        assert_eq!(en["engraftment"][1], TITLE_WEIGHT, "title words weigh more");
        assert!(
            file(&idx, "search/terms/co.json").get("code").is_some(),
            "code is searchable"
        );
        assert!(
            idx.files.iter().all(|(n, _)| !n.contains("/ra")),
            "raw HTML is not text"
        );
        assert!(
            file(&idx, "search/terms/th.json").get("the").is_none(),
            "stop words left out"
        );
    }

    #[test]
    fn an_edited_page_changes_exactly_the_files_a_fresh_index_would() {
        let mut site = searchable_site(&[
            (
                "a.md",
                "---\ntitle: Alpha\n---\nNeutrophils and platelets.\n",
            ),
            ("b.md", "---\ntitle: Beta\n---\nPlatelets only. Zebra.\n"),
            ("c.md", "---\ntitle: Gamma\n---\nNothing shared here.\n"),
        ]);
        let mut live = LiveIndex::build(&site, today());
        let mut served: BTreeMap<String, Vec<u8>> = live.files(&site).files.into_iter().collect();
        let b = site.page_from_source("b.md").unwrap();
        let edited = "---\ntitle: Beta\n---\nNeutrophils now, and a yak.\n";
        site.pages[b].doc =
            crate::content::front_matter::parse(std::path::Path::new("b.md"), edited).unwrap();
        let changes = live.update(&site, b, today()).expect("still searchable");
        let paths: Vec<&str> = changes.iter().map(|(p, _)| p.as_str()).collect();
        assert!(paths.contains(&"search/terms/ze.json"), "{paths:?}");
        assert!(
            !paths.contains(&"search/terms/ga.json"),
            "untouched shards stay: {paths:?}"
        );
        for (path, bytes) in changes {
            match bytes {
                Some(b) => served.insert(path, b),
                None => served.remove(&path),
            };
        }
        let fresh: BTreeMap<String, Vec<u8>> = index(&site, today()).files.into_iter().collect();
        assert_eq!(served, fresh, "incremental == full");
        assert!(
            !served.contains_key("search/terms/ze.json"),
            "zebra is gone with its file"
        );
        // A page leaving the search (now a draft) asks for a rebuild.
        let drafted = "---\ntitle: Beta\ndraft: true\n---\nx\n";
        site.pages[b].doc =
            crate::content::front_matter::parse(std::path::Path::new("b.md"), drafted).unwrap();
        assert!(live.update(&site, b, today()).is_none());
    }

    #[test]
    fn the_same_site_gives_the_same_bytes_with_any_thread_count() {
        let pages: Vec<(String, String)> = (0..60)
            .map(|i| {
                (
                    format!("s{}/p{i}.md", i % 4),
                    format!(
                        "---\ntitle: Page {i}\n---\nword{} shared text number {i}\n",
                        i % 7
                    ),
                )
            })
            .collect();
        let refs: Vec<(&str, &str)> = pages
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let site = searchable_site(&refs);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let four = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap();
        let a = one.install(|| index(&site, today()));
        let b = four.install(|| index(&site, today()));
        assert_eq!(a.files, b.files);
        let shared = file(&a, "search/terms/sh.json");
        let postings = shared["shared"].as_array().unwrap();
        assert_eq!(postings.len(), 2 * 60, "every page once");
        assert!(
            postings.iter().step_by(2).skip(1).all(|gap| gap == 1),
            "gaps of one: {postings:?}"
        );
    }
}
