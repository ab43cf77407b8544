//! The index in memory: terms, their postings and the words a reader may
//! type for them. `marrow build` writes it once; `marrow serve` keeps it so
//! that an edited page re-sends only its fragment, the chunks of its terms
//! and the vocabulary files of words new to the site.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::analyze::Analyzer;
use super::count::{self, Batch, FIELDS};
use super::extract;
use super::files::{self, Chunking};
use super::searchable;
use crate::derive::Derived;
use crate::i18n::LangId;
use crate::model::{PageId, Site};

/// The index of a site's searchable pages.
pub(crate) struct LiveIndex {
    /// The language whose pages this index holds (each language has its
    /// own, under its own folder: `search/`, `zh/search/`).
    pub(super) lang: LangId,
    /// That folder's prefix: `""`, `zh/`.
    pub(super) prefix: String,
    pub(super) analyzer: Analyzer,
    /// Documents of each searchable page: (first doc number, count).
    pub(super) page_docs: FxHashMap<PageId, (u32, u32)>,
    pub(super) docs: u32,
    /// Mean field lengths at build time; kept for later edits so that an
    /// edit re-scores only its own postings.
    pub(super) avg: [f64; FIELDS],
    pub(super) vocab: FxHashMap<String, u32>,
    pub(super) terms: Vec<String>,
    /// (doc, impact) of each term id, sorted by doc.
    pub(super) postings: Vec<Vec<(u32, u32)>>,
    /// Term ids of each doc, for taking an edited page out again (empty
    /// in an index built to be written once: see [`Self::editable`]).
    pub(super) doc_terms: Vec<Vec<u32>>,
    /// Whether [`Self::update`] can take edits (serve), or the index is
    /// written once (a build does not keep `doc_terms`, as many entries as
    /// postings).
    pub(super) editable: bool,
    /// Folded words as written that a reader may be typing or misspell
    /// (see [`super::analyze::in_vocabulary`]) → their terms.
    pub(super) words: Words,
    pub(super) chunking: Chunking,
}

/// Folded words as written → their term ids, numbered in the order met.
pub(super) type Words = indexmap::IndexMap<String, u32, rustc_hash::FxBuildHasher>;

/// Files of the index, as (path under the output root, bytes).
pub(crate) type IndexFiles = Vec<(String, Vec<u8>)>;

impl LiveIndex {
    /// An index of no pages yet, for `lang`'s pages.
    pub(super) fn empty(site: &Site, lang: LangId, editable: bool) -> LiveIndex {
        let language = site.languages().get(lang);
        LiveIndex {
            lang,
            prefix: language.prefix(lang),
            analyzer: Analyzer::for_language(&language.tag),
            page_docs: FxHashMap::default(),
            docs: 0,
            avg: [1.0; FIELDS],
            vocab: FxHashMap::default(),
            terms: Vec::new(),
            postings: Vec::new(),
            doc_terms: Vec::new(),
            editable,
            words: Words::default(),
            chunking: Chunking::default(),
        }
    }

    /// Takes a batch's terms and words into the index's numbering; returns
    /// the index's id of each batch term id, and of each batch word.
    pub(super) fn merge(
        &mut self,
        terms: Vec<String>,
        words: Vec<(String, u32)>,
    ) -> (Vec<u32>, Vec<u32>) {
        let ids: Vec<u32> = terms.iter().map(|term| self.intern(term)).collect();
        let word_ids = (words.into_iter())
            .map(|(word, local)| self.add_word_owned(word, ids[local as usize]))
            .collect();
        (ids, word_ids)
    }

    /// The id of `term`, which the index takes in if it is new.
    pub(super) fn intern(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.vocab.get(term) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.vocab.insert(term.to_string(), id);
        self.terms.push(term.to_string());
        self.postings.push(Vec::new());
        id
    }

    /// The id of `word` (of term id `term`) in the vocabulary.
    pub(super) fn add_word(&mut self, word: &str, term: u32) -> u32 {
        match self.words.get_index_of(word) {
            Some(id) => id as u32,
            None => self.add_word_owned(word.to_string(), term),
        }
    }

    fn add_word_owned(&mut self, word: String, term: u32) -> u32 {
        let entry = self.words.entry(word);
        let id = entry.index() as u32;
        entry.or_insert(term);
        id
    }

    /// Adds the postings of document `doc`, of (term id, occurrences per
    /// field) `tf` and (field lengths, weight) `shape`. In order (the
    /// build) a posting is appended; an edit puts it in its place.
    pub(super) fn add(
        &mut self,
        doc: u32,
        tf: &[(u32, [u32; FIELDS])],
        (len, weight): ([u32; FIELDS], f64),
        in_place: bool,
    ) {
        let mut terms = self.editable.then(|| Vec::with_capacity(tf.len()));
        for &(id, tf) in tf {
            let posting = (doc, count::impact(&tf, &len, &self.avg, weight));
            let list = &mut self.postings[id as usize];
            if in_place {
                let at = list.partition_point(|&(d, _)| d < doc);
                list.insert(at, posting);
            } else {
                list.push(posting);
            }
            terms.iter_mut().for_each(|t| t.push(id));
        }
        if let Some(terms) = terms {
            self.doc_terms[doc as usize] = terms;
        }
    }

    /// The language of the index's pages.
    pub(crate) fn lang(&self) -> LangId {
        self.lang
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
        let out = {
            out.par_extend(
                (0..self.chunking.len())
                    .into_par_iter()
                    .map(|c| (files::chunk_path(c), self.chunk(c, &sorted))),
            );
            let mut by_first: BTreeMap<char, Vec<(&String, &String)>> = BTreeMap::new();
            for (word, &term) in &self.words {
                if let Some(c) = word.chars().next() {
                    by_first
                        .entry(c)
                        .or_default()
                        .push((word, &self.terms[term as usize]));
                }
            }
            out.par_extend(
                by_first
                    .into_par_iter()
                    .map(|(c, words)| words_file(c, words)),
            );
            out
        };
        self.prefixed(out)
    }

    /// `files` with paths under this language's folder.
    fn prefixed(&self, mut files: IndexFiles) -> IndexFiles {
        if !self.prefix.is_empty() {
            for (path, _) in &mut files {
                path.insert_str(0, &self.prefix);
            }
        }
        files
    }

    fn meta(&self, site: &Site) -> Vec<u8> {
        let synonyms = super::synonyms::groups(site, self.lang, &self.analyzer);
        files::meta(
            &site.languages().get(self.lang).tag,
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
        words_file(
            first,
            self.words
                .iter()
                .filter(|(w, _)| w.starts_with(first))
                .map(|(w, &t)| (w, &self.terms[t as usize]))
                .collect(),
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
        if !self.editable || before.is_some() != searchable(site, derived, page) {
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
            let mut batch = Batch::default();
            batch.count(&self.analyzer, n, doc);
            new_words.extend(
                batch
                    .words
                    .iter()
                    .filter(|(w, _)| !self.words.contains_key(w))
                    .filter_map(|(w, _)| w.chars().next()),
            );
            touched.extend(batch.terms.iter().map(|t| self.chunking.of(t)));
            let (ids, _) = self.merge(batch.terms, batch.words);
            for d in batch.docs {
                let tf: Vec<_> = d.tf.iter().map(|&(l, c)| (ids[l as usize], c)).collect();
                self.add(d.doc, &tf, (d.len, d.weight), true);
            }
            out.push((files::fragment_path(n), files::fragment(doc)));
        }
        let sorted = files::sorted(&self.terms);
        out.extend(
            touched
                .into_iter()
                .map(|c| (files::chunk_path(c), self.chunk(c, &sorted))),
        );
        out.extend(new_words.into_iter().map(|k| self.words_file(k)));
        Some(self.prefixed(out))
    }
}

/// The vocabulary file of `words`, which all start with `first`.
fn words_file(first: char, mut words: Vec<(&String, &String)>) -> (String, Vec<u8>) {
    words.sort_unstable();
    let mut buf = [0; 4];
    let key = files::word_key(first.encode_utf8(&mut buf));
    (
        files::words_path(&key),
        files::words_file(words.into_iter()),
    )
}
