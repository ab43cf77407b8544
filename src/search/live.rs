//! The index in memory: terms, their postings and the words a reader may
//! type for them. `marrow build` writes it once; `marrow serve` keeps it so
//! that an edited page re-sends only its fragment, the chunks of its terms
//! and the vocabulary files of words new to the site.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::analyze::Analyzer;
use super::count::{self, Batch, DocCount, FIELDS};
use super::extract::{self, Doc};
use super::files::{self, Chunking};
use super::searchable;
use crate::derive::Derived;
use crate::i18n::LangId;
use crate::model::{PageId, Site};

/// The index of a site's searchable pages.
pub(crate) struct LiveIndex {
    /// The language whose pages this index holds (each language has its
    /// own, under its own folder: `search/`, `zh/search/`).
    lang: LangId,
    /// That folder's prefix: `""`, `zh/`.
    prefix: String,
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
    /// Term ids of each doc, for taking an edited page out again (empty
    /// in an index built to be written once: see [`Self::editable`]).
    doc_terms: Vec<Vec<u32>>,
    /// Whether [`Self::update`] can take edits (serve), or the index is
    /// written once (a build does not keep `doc_terms`, as many entries as
    /// postings).
    editable: bool,
    /// Folded words as written that a reader may be typing or misspell
    /// (see [`super::analyze::in_vocabulary`]) → their terms.
    words: FxHashMap<String, String>,
    chunking: Chunking,
}

/// Files of the index, as (path under the output root, bytes).
pub(crate) type IndexFiles = Vec<(String, Vec<u8>)>;

/// Where a build hands the index's files (path under the output root,
/// bytes), from many threads at once.
pub(crate) type Emit<'a> = dyn Fn(&str, &[u8]) -> std::io::Result<()> + Sync + 'a;

/// How many pages' text [`LiveIndex::build_into`] holds at once.
const PAGES_AT_A_TIME: usize = 2048;

impl LiveIndex {
    /// Builds the index; returns it with every document's fragment file,
    /// or `None` when `stop` said to stop (serve: an edit is coming).
    pub(crate) fn build(
        site: &Site,
        derived: &Derived,
        lang: LangId,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<(LiveIndex, IndexFiles)> {
        let fragments = std::sync::Mutex::new(Vec::new());
        let kept = |path: &str, bytes: &[u8]| {
            let mut all = fragments.lock().unwrap_or_else(|p| p.into_inner());
            all.push((path.to_string(), bytes.to_vec()));
            Ok(())
        };
        // Keeping fragments in memory fails only when stopped.
        let index =
            Self::build_in_slices(site, derived, lang, &kept, (PAGES_AT_A_TIME, stop, true))
                .ok()?;
        let mut fragments = fragments.into_inner().unwrap_or_else(|p| p.into_inner());
        fragments.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Some((index, fragments))
    }

    /// Builds the index, handing each document's fragment file to `emit`
    /// as soon as it is made, and letting go of the documents' text before
    /// the postings are put together: a build never holds both.
    pub(crate) fn build_into(
        site: &Site,
        derived: &Derived,
        lang: LangId,
        emit: &Emit<'_>,
    ) -> std::io::Result<LiveIndex> {
        Self::build_in_slices(
            site,
            derived,
            lang,
            emit,
            (PAGES_AT_A_TIME, &|| false, false),
        )
    }

    /// [`Self::build_into`], holding `slice` pages' text at a time, giving
    /// up (`Interrupted`) as soon as `stop` says so, and ready for edits
    /// when `editable`.
    pub(super) fn build_in_slices(
        site: &Site,
        derived: &Derived,
        lang: LangId,
        emit: &Emit<'_>,
        (slice, stop, editable): (usize, &(dyn Fn() -> bool + Sync), bool),
    ) -> std::io::Result<LiveIndex> {
        let stopped = || -> std::io::Result<()> {
            match stop() {
                true => Err(std::io::ErrorKind::Interrupted.into()),
                false => Ok(()),
            }
        };
        let language = site.languages().get(lang);
        let analyzer = Analyzer::for_language(&language.tag);
        let prefix = language.prefix(lang);
        let pages: Vec<PageId> = (0..site.pages.len())
            .filter(|&id| site.pages[id].lang == lang && searchable(site, derived, id))
            .collect();
        // Pages a slice at a time: each slice's text is counted, its
        // fragments handed on, and the text let go before the next, so the
        // whole site's text is never in memory at once. The numbering, and
        // so the index's bytes, is the same as in one go.
        let mut page_docs = FxHashMap::default();
        let mut batches: Vec<Batch> = Vec::new();
        let mut next = 0u32;
        for slice in pages.chunks(slice.max(1)) {
            let per_page: Vec<Vec<Doc>> = slice
                .par_iter()
                .map(|&id| match stop() {
                    true => Vec::new(),
                    false => extract::docs_of(site, derived, id),
                })
                .collect();
            stopped()?;
            let first = next;
            for (&id, docs) in slice.iter().zip(&per_page) {
                page_docs.insert(id, (next, docs.len() as u32));
                next += docs.len() as u32;
            }
            let docs: Vec<&Doc> = per_page.iter().flatten().collect();
            // A few big batches: each starts with no words known, and each
            // batch's terms are merged one by one.
            let per_batch = docs.len() / (4 * rayon::current_num_threads()) + 1;
            batches.extend(
                docs.par_iter()
                    .enumerate()
                    .with_min_len(per_batch)
                    .fold(Batch::default, |mut batch, (n, d)| {
                        batch.count(&analyzer, first + n as u32, d);
                        batch
                    })
                    .map(Batch::done_counting)
                    .collect::<Vec<Batch>>(),
            );
            docs.par_iter().enumerate().try_for_each(|(n, d)| {
                let path = format!("{prefix}{}", files::fragment_path(first + n as u32));
                emit(&path, &files::fragment(d))
            })?;
        }
        stopped()?;
        let count = next as usize;
        let mut index = LiveIndex {
            lang,
            prefix,
            analyzer,
            page_docs,
            docs: count as u32,
            avg: count::mean_lengths(batches.iter().flat_map(|b| &b.docs)),
            vocab: FxHashMap::default(),
            terms: Vec::new(),
            postings: Vec::new(),
            doc_terms: vec![Vec::new(); if editable { count } else { 0 }],
            editable,
            words: FxHashMap::default(),
            chunking: Chunking::default(),
        };
        // Documents in order, so that every posting list is appended to in
        // order too.
        let mut ids = Vec::with_capacity(batches.len());
        let mut counted: Vec<(usize, DocCount)> = Vec::with_capacity(count);
        for (b, batch) in batches.into_iter().enumerate() {
            ids.push(index.merge(batch.terms, batch.words));
            counted.extend(batch.docs.into_iter().map(|d| (b, d)));
        }
        counted.sort_unstable_by_key(|(_, d)| d.doc);
        for (b, d) in counted {
            index.add(&ids[b], d, false);
        }
        index.chunking = Chunking::new(&index.terms, &index.postings);
        Ok(index)
    }

    /// Takes a batch's terms and words into the index's numbering; returns
    /// the index's id of each batch term id.
    fn merge(&mut self, terms: Vec<String>, words: Vec<(String, u32)>) -> Vec<u32> {
        let ids: Vec<u32> = terms
            .into_iter()
            .map(|term| match self.vocab.get(&term) {
                Some(&id) => id,
                None => {
                    let id = self.terms.len() as u32;
                    self.vocab.insert(term.clone(), id);
                    self.terms.push(term);
                    self.postings.push(Vec::new());
                    id
                }
            })
            .collect();
        for (word, local) in words {
            let term = &self.terms[ids[local as usize] as usize];
            self.words.entry(word).or_insert_with(|| term.clone());
        }
        ids
    }

    /// Adds a document's postings; `ids` maps its batch's term ids. In
    /// order (the build) a posting is appended; an edit puts it in its
    /// place.
    fn add(&mut self, ids: &[u32], d: DocCount, in_place: bool) {
        let mut terms = self.editable.then(|| Vec::with_capacity(d.tf.len()));
        for (local, tf) in d.tf {
            let id = ids[local as usize];
            let posting = (d.doc, count::impact(&tf, &d.len, &self.avg, d.weight));
            let list = &mut self.postings[id as usize];
            if in_place {
                let at = list.partition_point(|&(doc, _)| doc < d.doc);
                list.insert(at, posting);
            } else {
                list.push(posting);
            }
            terms.iter_mut().for_each(|t| t.push(id));
        }
        if let Some(terms) = terms {
            self.doc_terms[d.doc as usize] = terms;
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
            for (word, term) in &self.words {
                if let Some(c) = word.chars().next() {
                    by_first.entry(c).or_default().push((word, term));
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
            let ids = self.merge(batch.terms, batch.words);
            for d in batch.docs {
                self.add(&ids, d, true);
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
