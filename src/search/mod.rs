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

use pulldown_cmark::{Event, Parser};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

mod analyze;

use crate::derive::Derived;
use crate::model::{PageId, Site};

/// The folder, under the output root, that holds the search index.
pub(crate) const SEARCH_DIR: &str = "search";

/// The index's list of pages, which every index has.
pub(crate) fn pages_file() -> String {
    format!("{SEARCH_DIR}/pages.json")
}

/// The folder of the index's term shards, which only the index may write
/// into. With [`pages_file`], all the output plan needs to know of the
/// index's layout.
pub(crate) fn shards_folder() -> String {
    format!("{SEARCH_DIR}/terms")
}

/// Version of the index format, checked by `search.js`.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// Words too common to help find a page; the browser drops them from
/// queries too (they are written into `pages.json`). Sorted, for binary
/// search.
pub(crate) const STOP_WORDS: [&str; 36] = [
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
pub(crate) struct SearchIndex {
    /// (path relative to the output root, bytes), sorted by path.
    pub files: Vec<(String, Vec<u8>)>,
    /// Pages in the index.
    pub pages: usize,
    /// Total size of `files`.
    pub bytes: usize,
}

/// A page's review state as `pages.json` gives it.
fn review_code(derived: &Derived, page: PageId) -> &'static str {
    match derived.review(page).status {
        crate::review::Status::SourcesChecked => "checked",
        crate::review::Status::NeverReviewed => "unreviewed",
        _ => "",
    }
}

/// Whether `page` belongs in the site search.
pub(crate) fn searchable(site: &Site, derived: &Derived, page: PageId) -> bool {
    !site.pages[page].front().draft
        && (site.config.search.include_unreviewed
            || !derived.review(page).status.needs_clinical_review())
}

/// Pages the site search leaves out, by reason, for the build summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeftOut {
    /// Drafts (never searchable).
    pub drafts: usize,
    /// Medical pages without a clinical review (`search.include_unreviewed:
    /// false`).
    pub unreviewed: usize,
}

/// Counts the pages [`searchable`] leaves out, by reason.
pub(crate) fn left_out(site: &Site, derived: &Derived) -> LeftOut {
    let mut out = LeftOut::default();
    for id in 0..site.pages.len() {
        if site.pages[id].front().draft {
            out.drafts += 1;
        } else if !searchable(site, derived, id) {
            out.unreviewed += 1;
        }
    }
    out
}

/// Builds the index of every searchable page of `site`. The same site gives
/// the same bytes, whatever the number of threads.
pub(crate) fn index(site: &Site, derived: &Derived) -> SearchIndex {
    LiveIndex::build(site, derived).files(site)
}

/// The index in memory: `marrow build` writes it once, `marrow serve`
/// keeps it so that an edited page re-sends only the files its words are
/// in (a few milliseconds, where a whole index takes about half a second
/// at 10,000 pages).
pub(crate) struct LiveIndex {
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
    pub(crate) fn build(site: &Site, derived: &Derived) -> LiveIndex {
        let docs: Vec<PageId> = (0..site.pages.len())
            .filter(|&id| searchable(site, derived, id))
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
            review: docs.iter().map(|&id| review_code(derived, id)).collect(),
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
    pub(crate) fn update(
        &mut self,
        site: &Site,
        derived: &Derived,
        page: PageId,
    ) -> Option<Vec<(String, Option<Vec<u8>>)>> {
        let doc = self.doc_of.get(&page).copied();
        if doc.is_some() != searchable(site, derived, page) {
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
        self.review[doc as usize] = review_code(derived, page);
        let mut files = vec![(pages_file(), Some(self.pages_file(site)))];
        for key in touched {
            files.push((shard_path(&key), self.shard_file(&key)));
        }
        Some(files)
    }

    /// Every file of the index.
    pub(crate) fn files(&self, site: &Site) -> SearchIndex {
        let mut files = vec![(pages_file(), self.pages_file(site))];
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
    format!("{}/{key}.json", shards_folder())
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
#[cfg(test)]
pub(crate) fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    words_of(text).map(str::to_lowercase)
}

/// The file a term is stored in: its first two characters, each kept if an
/// ASCII letter or digit, else written as `_` and its code point in hex (so
/// names are safe on every file system and in URLs).
pub(crate) fn shard_key(term: &str) -> String {
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
    // Heading ids written as `{#id}` are attributes, not text events.
    for event in Parser::new_ext(body, crate::markdown::parser_options()) {
        if let Event::Text(t) | Event::Code(t) = event {
            out(&t);
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
mod tests;
