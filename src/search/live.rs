//! The index in memory: terms, their postings and the words a reader may
//! type for them. `marrow build` writes it once; `marrow serve` keeps it so
//! that an edited page re-sends only its fragment and the chunks its words
//! are in.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::analyze::{self, Analyzer};
use super::extract::{self, Doc};
use super::files::{self, Chunking};
use super::searchable;
use crate::derive::Derived;
use crate::model::{PageId, Site};

/// BM25's term-frequency saturation.
const K1: f64 = 1.2;

/// Fields a word can be found in, and how much a match there counts: a
/// title word is worth four of the body's, a heading's two. `B` is each
/// field's length normalisation (titles are short; a long one matters
/// less).
const FIELDS: usize = 3;
const WEIGHT: [f64; FIELDS] = [4.0, 2.0, 1.0];
const B: [f64; FIELDS] = [0.3, 0.5, 0.75];
const TITLE: usize = 0;
const HEADINGS: usize = 1;
const BODY: usize = 2;

/// What one document contributes: term → occurrences per field, the
/// fields' lengths in words, and the words as written (folded) with their
/// terms.
#[derive(Default)]
struct Counted {
    tf: FxHashMap<String, [u32; FIELDS]>,
    len: [u32; FIELDS],
    words: FxHashMap<String, String>,
}

/// The index of a site's searchable pages.
pub(crate) struct LiveIndex {
    analyzer: Analyzer,
    /// Documents of each searchable page: (first doc number, count).
    page_docs: FxHashMap<PageId, (u32, u32)>,
    docs: u32,
    /// Mean field lengths at build time; kept for later edits so that an
    /// edit re-scores only its own postings.
    avg: [f64; FIELDS],
    vocab: FxHashMap<String, u32>,
    terms: Vec<String>,
    /// (doc, impact) of each term id, sorted by doc.
    postings: Vec<Vec<(u32, u32)>>,
    /// Term ids of each doc, for taking an edited page out again.
    doc_terms: Vec<Vec<u32>>,
    /// Folded word as written → its term.
    words: BTreeMap<String, String>,
    chunking: Chunking,
}

/// Files of the index, as (path under the output root, bytes).
pub(crate) type IndexFiles = Vec<(String, Vec<u8>)>;

impl LiveIndex {
    /// Builds the index; returns it with every document's fragment file.
    pub(crate) fn build(site: &Site, derived: &Derived) -> (LiveIndex, IndexFiles) {
        let analyzer = Analyzer::for_language(&site.config.language);
        let pages: Vec<PageId> = (0..site.pages.len())
            .filter(|&id| searchable(site, derived, id))
            .collect();
        let per_page: Vec<Vec<Doc>> = pages
            .par_iter()
            .map(|&id| extract::docs_of(site, derived, id))
            .collect();
        let mut page_docs = FxHashMap::default();
        let mut next = 0u32;
        for (&id, docs) in pages.iter().zip(&per_page) {
            page_docs.insert(id, (next, docs.len() as u32));
            next += docs.len() as u32;
        }
        let docs: Vec<&Doc> = per_page.iter().flatten().collect();
        let counted: Vec<Counted> = docs
            .par_iter()
            .map_init(FxHashMap::default, |terms, d| count(&analyzer, d, terms))
            .collect();
        let fragments: IndexFiles = docs
            .par_iter()
            .enumerate()
            .map(|(n, d)| (files::fragment_path(n as u32), files::fragment(d)))
            .collect();
        let mut avg = [0.0; FIELDS];
        for c in &counted {
            for (sum, &len) in avg.iter_mut().zip(&c.len) {
                *sum += f64::from(len);
            }
        }
        for a in &mut avg {
            *a = (*a / counted.len().max(1) as f64).max(1.0);
        }
        let mut index = LiveIndex {
            analyzer,
            page_docs,
            docs: docs.len() as u32,
            avg,
            vocab: FxHashMap::default(),
            terms: Vec::new(),
            postings: Vec::new(),
            doc_terms: vec![Vec::new(); docs.len()],
            words: BTreeMap::new(),
            chunking: Chunking::default(),
        };
        for (n, (c, d)) in counted.into_iter().zip(&docs).enumerate() {
            index.insert(n as u32, c, d.weight);
        }
        for list in &mut index.postings {
            list.sort_unstable();
        }
        index.chunking = Chunking::new(&index.terms, &index.postings);
        (index, fragments)
    }

    /// Adds doc `n`'s postings (appended: callers sort, or insert in order).
    fn insert(&mut self, n: u32, counted: Counted, weight: f64) {
        let mut ids = Vec::with_capacity(counted.tf.len());
        for (term, tf) in counted.tf {
            let id = match self.vocab.get(&term) {
                Some(&id) => id,
                None => {
                    let id = self.terms.len() as u32;
                    self.vocab.insert(term.clone(), id);
                    self.terms.push(term);
                    self.postings.push(Vec::new());
                    id
                }
            };
            let impact = impact(&tf, &counted.len, &self.avg, weight);
            let list = &mut self.postings[id as usize];
            let at = list.partition_point(|&(d, _)| d < n);
            list.insert(at, (n, impact));
            ids.push(id);
        }
        for (word, term) in counted.words {
            self.words.entry(word).or_insert(term);
        }
        self.doc_terms[n as usize] = ids;
    }

    /// Pages in the index.
    pub(crate) fn pages(&self) -> usize {
        self.page_docs.len()
    }

    /// Every file of the index but the fragments (which [`LiveIndex::build`]
    /// and [`LiveIndex::update`] hand out).
    pub(crate) fn files(&self, site: &Site) -> IndexFiles {
        let sorted = files::sorted(&self.terms);
        let mut out = vec![(files::meta_path(), self.meta(site))];
        out.par_extend(
            (0..self.chunking.len())
                .into_par_iter()
                .map(|c| (files::chunk_path(c), self.chunk(c, &sorted))),
        );
        let firsts: BTreeSet<char> = self.words.keys().filter_map(|w| w.chars().next()).collect();
        out.extend(firsts.into_iter().map(|c| self.words_file(c)));
        out
    }

    fn meta(&self, site: &Site) -> Vec<u8> {
        let synonyms = super::synonyms::groups(site, &self.analyzer);
        files::meta(
            &site.config.language,
            self.docs,
            &self.analyzer,
            &synonyms,
            &self.chunking,
        )
    }

    fn chunk(&self, c: usize, sorted: &[u32]) -> Vec<u8> {
        self.chunking.chunk(c, sorted, &self.terms, &self.postings)
    }

    /// The vocabulary file of the words starting with `first`.
    fn words_file(&self, first: char) -> (String, Vec<u8>) {
        let mut buf = [0; 4];
        let start: &str = first.encode_utf8(&mut buf);
        let words = self
            .words
            .range::<str, _>((std::ops::Bound::Included(start), std::ops::Bound::Unbounded))
            .take_while(|(w, _)| w.starts_with(first));
        (
            files::words_path(&files::word_key(start)),
            files::words_file(words),
        )
    }

    /// Re-counts an edited page. Returns the files that changed, or `None`
    /// when the page's place in the index changed (it became searchable or
    /// stopped being, or its number of documents changed): then rebuild.
    pub(crate) fn update(
        &mut self,
        site: &Site,
        derived: &Derived,
        page: PageId,
    ) -> Option<IndexFiles> {
        let before = self.page_docs.get(&page).copied();
        if before.is_some() != searchable(site, derived, page) {
            return None;
        }
        let Some((first, n_docs)) = before else {
            return Some(Vec::new()); // not searched, before or after
        };
        let docs = extract::docs_of(site, derived, page);
        if docs.len() as u32 != n_docs {
            return None;
        }
        let mut touched = BTreeSet::new();
        let mut new_words = BTreeSet::new();
        let mut out = Vec::new();
        for (n, doc) in (first..).zip(&docs) {
            for id in std::mem::take(&mut self.doc_terms[n as usize]) {
                let list = &mut self.postings[id as usize];
                if let Ok(at) = list.binary_search_by_key(&n, |&(d, _)| d) {
                    list.remove(at);
                }
                touched.insert(self.chunking.of(&self.terms[id as usize]));
            }
            let counted = count(&self.analyzer, doc, &mut FxHashMap::default());
            touched.extend(counted.tf.keys().map(|t| self.chunking.of(t)));
            new_words.extend(
                counted
                    .words
                    .keys()
                    .filter(|w| !self.words.contains_key(*w))
                    .filter_map(|w| w.chars().next()),
            );
            self.insert(n, counted, doc.weight);
            out.push((files::fragment_path(n), files::fragment(doc)));
        }
        let sorted = files::sorted(&self.terms);
        out.extend(
            touched
                .into_iter()
                .map(|c| (files::chunk_path(c), self.chunk(c, &sorted))),
        );
        out.extend(new_words.into_iter().map(|k| self.words_file(k)));
        Some(out)
    }
}

/// A document's terms with their counts per field. `seen` remembers each
/// word as written with its folded form and term (`None`: a stop word),
/// which spares most words the folding and the stemmer: a site uses far
/// fewer words than it has.
fn count(analyzer: &Analyzer, doc: &Doc, seen: &mut Seen) -> Counted {
    let mut c = Counted::default();
    let mut add = |c: &mut Counted, field: usize, text: &str| {
        analyze::each_token(text, &mut |token| {
            let (word, term) = match seen.get(token) {
                Some(known) => known,
                None => {
                    let word = analyze::fold_token(token);
                    let term = (!word.is_empty() && !analyzer.is_stop_word(&word))
                        .then(|| analyzer.term(&word));
                    seen.entry(token.to_string()).or_insert((word, term))
                }
            };
            if word.is_empty() {
                return;
            }
            c.len[field] += 1;
            let Some(term) = term else { return };
            match c.tf.get_mut(term) {
                Some(tf) => tf[field] += 1,
                None => {
                    let mut tf = [0; FIELDS];
                    tf[field] = 1;
                    c.tf.insert(term.clone(), tf);
                }
            }
            if !c.words.contains_key(word) {
                c.words.insert(word.clone(), term.clone());
            }
        });
    };
    add(&mut c, TITLE, &doc.title);
    add(&mut c, HEADINGS, &doc.extra);
    for part in &doc.parts {
        add(&mut c, HEADINGS, &part.heading);
        add(&mut c, BODY, &part.text);
    }
    c
}

/// Words as written → (folded word, term), per thread.
type Seen = FxHashMap<String, (String, Option<String>)>;

/// What a term found `tf` times in a document's fields adds to its score,
/// before the term's rarity (which the browser works out): BM25F's
/// saturated frequency, times the page's weight, in hundredths.
fn impact(tf: &[u32; FIELDS], len: &[u32; FIELDS], avg: &[f64; FIELDS], weight: f64) -> u32 {
    let mut pseudo = 0.0;
    for f in 0..FIELDS {
        if tf[f] > 0 {
            let norm = 1.0 - B[f] + B[f] * f64::from(len[f]) / avg[f];
            pseudo += WEIGHT[f] * f64::from(tf[f]) / norm;
        }
    }
    let saturated = pseudo * (K1 + 1.0) / (pseudo + K1);
    ((saturated * weight * 100.0).round() as u32).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_words_count_more_and_saturate() {
        let avg = [5.0, 20.0, 500.0];
        let len = [5, 20, 500];
        let body_once = impact(&[0, 0, 1], &len, &avg, 1.0);
        let title_once = impact(&[1, 0, 0], &len, &avg, 1.0);
        let body_ten = impact(&[0, 0, 10], &len, &avg, 1.0);
        assert!(title_once > body_once, "{title_once} {body_once}");
        assert!(body_ten > body_once && body_ten < 10 * body_once);
        assert!(impact(&[0, 0, 1], &len, &avg, 0.3) < body_once);
        assert!(impact(&[0, 0, 1], &[5, 20, 5000], &avg, 1.0) < body_once);
    }
}
