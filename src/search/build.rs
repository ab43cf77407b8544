//! Building a language's index from its pages: each page's text is
//! extracted and counted (or its counts taken from the last build, see
//! [`super::recall`]), its fragment files written, and the counts merged
//! into postings in document order.

use std::io;

use rayon::prelude::*;

use super::count::{self, Batch, DocCount};
use super::extract::{self, Doc};
use super::files::{self, Chunking};
use super::live::{IndexFiles, LiveIndex};
use super::recall::{Counts, DocHead, IndexCounts, PageCounts, Recall, Remember};
use super::searchable;
use crate::derive::Derived;
use crate::i18n::LangId;
use crate::model::{PageId, Site};
use crate::output::Sink;

/// How many pages' text [`LiveIndex::build_into`] holds at once.
const PAGES_AT_A_TIME: usize = 2048;

/// The files of an index kept in memory, for serve.
#[derive(Default)]
struct Collect(std::sync::Mutex<IndexFiles>);

impl Sink for Collect {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let mut files = self.0.lock().unwrap_or_else(|p| p.into_inner());
        files.push((rel.to_string(), bytes.to_vec()));
        Ok(())
    }

    fn copy(&self, rel: &str, from: &std::path::Path) -> io::Result<()> {
        self.write(rel, &std::fs::read(from)?)
    }
}

/// A language's index as a build made it.
pub(crate) struct Built {
    pub(crate) index: LiveIndex,
    /// The size of its fragment files, written or kept.
    pub(crate) fragment_bytes: usize,
}

/// Where a page's counts come from.
enum Source<'a> {
    /// Its documents, extracted now, to be counted.
    Text(Vec<Doc>),
    /// The last build's counts of the same text in the same context.
    Recalled(&'a PageCounts),
}

impl LiveIndex {
    /// Builds the index; returns it with every document's fragment file,
    /// or `None` when `stop` said to stop (serve: an edit is coming).
    pub(crate) fn build(
        site: &Site,
        derived: &Derived,
        lang: LangId,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<(LiveIndex, IndexFiles)> {
        let sink = Collect::default();
        // Keeping fragments in memory fails only when stopped.
        let Built { index, .. } = Self::build_in_slices(
            (site, derived, lang),
            (&sink, None, None),
            (PAGES_AT_A_TIME, stop, true),
        )
        .ok()?;
        let mut fragments = sink.0.into_inner().unwrap_or_else(|p| p.into_inner());
        fragments.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Some((index, fragments))
    }

    /// Builds the index, handing each document's fragment file to `sink`
    /// as soon as it is made, and letting go of the documents' text before
    /// the postings are put together: a build never holds both. With
    /// `recall`, pages the last build counted are not counted again; this
    /// build's counts go to `remember`, for the next.
    pub(crate) fn build_into(
        (site, derived, lang): (&Site, &Derived, LangId),
        sink: &dyn Sink,
        recall: Option<&Recall<'_>>,
        remember: Option<&mut Remember<'_>>,
    ) -> io::Result<Built> {
        Self::build_in_slices(
            (site, derived, lang),
            (sink, recall, remember),
            (PAGES_AT_A_TIME, &|| false, false),
        )
    }

    /// [`Self::build_into`], holding `slice` pages' text at a time, giving
    /// up (`Interrupted`) as soon as `stop` says so, and ready for edits
    /// when `editable`.
    pub(super) fn build_in_slices(
        (site, derived, lang): (&Site, &Derived, LangId),
        (sink, recall, mut remember): (&dyn Sink, Option<&Recall<'_>>, Option<&mut Remember<'_>>),
        (slice, stop, editable): (usize, &(dyn Fn() -> bool + Sync), bool),
    ) -> io::Result<Built> {
        let stopped = || -> io::Result<()> {
            match stop() {
                true => Err(io::ErrorKind::Interrupted.into()),
                false => Ok(()),
            }
        };
        let mut index = LiveIndex::empty(site, lang, editable);
        let last = recall.and_then(|r| r.last?.index(&index.prefix));
        let recalled = |id: PageId| -> Option<&PageCounts> {
            let texts = recall?.texts;
            let counts = last?.pages.get(&site.pages[id].source.rel)?;
            (Some(&counts.text) == texts.get(id)).then_some(counts)
        };
        let pages: Vec<PageId> = (0..site.pages.len())
            .filter(|&id| site.pages[id].lang == lang && searchable(site, derived, id))
            .collect();
        // Pages a slice at a time: each slice's text is counted, its
        // fragments handed on, and the text let go before the next, so the
        // whole site's text is never in memory at once. The numbering, and
        // so the index's bytes, is the same as in one go.
        let mut sources: Vec<Option<&PageCounts>> = Vec::with_capacity(pages.len());
        let mut batches: Vec<Batch> = Vec::new();
        let mut fragments: Vec<(u128, u32)> = Vec::new();
        let mut next = 0u32;
        for slice in pages.chunks(slice.max(1)) {
            let texts: Vec<Source> = slice
                .par_iter()
                .map(|&id| match (recalled(id), stop()) {
                    (Some(counts), _) => Source::Recalled(counts),
                    (None, true) => Source::Text(Vec::new()),
                    (None, false) => Source::Text(extract::docs_of(site, derived, id)),
                })
                .collect();
            stopped()?;
            let mut firsts = Vec::with_capacity(slice.len());
            let mut counted: Vec<(u32, &Doc)> = Vec::new();
            for (&id, source) in slice.iter().zip(&texts) {
                let n = match source {
                    Source::Text(docs) => {
                        counted.extend((next..).zip(docs));
                        docs.len()
                    }
                    Source::Recalled(c) => c.docs.len(),
                } as u32;
                index.page_docs.insert(id, (next, n));
                firsts.push(next);
                sources.push(match source {
                    Source::Recalled(c) => Some(*c),
                    Source::Text(_) => None,
                });
                next += n;
            }
            // A few big batches: each starts with no words known, and each
            // batch's terms are merged one by one.
            let per_batch = counted.len() / (4 * rayon::current_num_threads()) + 1;
            batches.extend(
                counted
                    .par_iter()
                    .with_min_len(per_batch)
                    .fold(Batch::default, |mut batch, &(n, d)| {
                        batch.count(&index.analyzer, n, d);
                        batch
                    })
                    .map(Batch::done_counting)
                    .collect::<Vec<Batch>>(),
            );
            let written = (texts.par_iter().zip(slice).zip(&firsts))
                .map(|((source, &id), &first)| {
                    let text = || extract::docs_of(site, derived, id);
                    write_fragments(sink, &index.prefix, first, source, text)
                })
                .collect::<io::Result<Vec<_>>>()?;
            fragments.extend(written.into_iter().flatten());
        }
        stopped()?;
        index.docs = next;
        index.doc_terms = vec![Vec::new(); if editable { next as usize } else { 0 }];
        let added = Added {
            pages: &pages,
            sources: &sources,
            fragments: &fragments,
            last,
            texts: recall.map_or(&[][..], |r| r.texts),
        };
        if let Some(remember) = remember.as_deref_mut() {
            remember.index(&index.prefix);
        }
        index.add_pages((site, derived), batches, added, remember.as_deref_mut())?;
        index.chunking = Chunking::new(&index.terms, &index.postings);
        if let Some(remember) = remember {
            remember.tables(&index.terms, index.words.iter());
        }
        let fragment_bytes = fragments.iter().map(|&(_, size)| size as usize).sum();
        Ok(Built {
            index,
            fragment_bytes,
        })
    }
}

/// Writes the fragment files of a page's documents, numbered from
/// `first`; returns each one's hash and size. A page whose counts were
/// recalled keeps the files the last build wrote, where it wrote the same
/// at the same number; otherwise its text is extracted again (`text`),
/// for its fragments alone.
fn write_fragments(
    sink: &dyn Sink,
    prefix: &str,
    first: u32,
    source: &Source,
    text: impl Fn() -> Vec<Doc>,
) -> io::Result<Vec<(u128, u32)>> {
    let path = |n: u32| format!("{prefix}{}", files::fragment_path(n));
    let write = |n: u32, doc: &Doc| {
        let bytes = files::fragment(doc);
        let hash = crate::output::hash(&bytes);
        sink.write_hashed(&path(n), &bytes, hash)?;
        Ok((hash, bytes.len() as u32))
    };
    match source {
        Source::Text(docs) => (first..).zip(docs).map(|(n, d)| write(n, d)).collect(),
        Source::Recalled(counts) => {
            let mut docs = None;
            (first..)
                .zip(&counts.docs)
                .enumerate()
                .map(|(i, (n, head))| {
                    if sink.keep(&path(n), head.fragment)? {
                        return Ok((head.fragment, head.size));
                    }
                    match docs.get_or_insert_with(&text).get(i) {
                        Some(doc) => write(n, doc),
                        None => Err(out_of_step()),
                    }
                })
                .collect()
        }
    }
}

/// The error of counts that do not fit the pages they were recalled for
/// (never expected: they are taken only for the same text and context).
fn out_of_step() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "the search counts remembered from the last build do not fit the pages: \
         delete the hidden file beside the output folder that ends in `.marrow-search` \
         (`.output.marrow-search` for `output/`) and build again",
    )
}

/// What [`LiveIndex::add_pages`] adds: the searchable pages in order,
/// with the last build's counts of each page that has them, and the hash
/// and size of every document's fragment.
struct Added<'a> {
    pages: &'a [PageId],
    sources: &'a [Option<&'a PageCounts>],
    fragments: &'a [(u128, u32)],
    last: Option<&'a IndexCounts>,
    /// The hash of each page's text, by page id.
    texts: &'a [u128],
}

impl LiveIndex {
    /// Merges the batches' terms and adds every page's postings, in
    /// document order, handing each page's counts to `remember`.
    fn add_pages(
        &mut self,
        (site, derived): (&Site, &Derived),
        batches: Vec<Batch>,
        added: Added<'_>,
        mut remember: Option<&mut Remember<'_>>,
    ) -> io::Result<()> {
        let mut merged = Vec::with_capacity(batches.len());
        let mut counted: Vec<(usize, DocCount)> = Vec::new();
        for (b, batch) in batches.into_iter().enumerate() {
            merged.push(self.merge(batch.terms, batch.words));
            counted.extend(batch.docs.into_iter().map(|d| (b, d)));
        }
        counted.sort_unstable_by_key(|(_, d)| d.doc);
        // Each counted term's postings at their final size, not doubled
        // as they grow (at 100,000 pages, 26 million postings).
        let mut df = vec![0u32; self.terms.len()];
        for (b, d) in &counted {
            for &(l, _) in &d.tf {
                df[merged[*b].0[l as usize] as usize] += 1;
            }
        }
        for (list, n) in self.postings.iter_mut().zip(df) {
            list.reserve_exact(n as usize);
        }
        let recalled_lens =
            (added.sources.iter().flatten()).flat_map(|c| c.docs.iter().map(|h| &h.len));
        self.avg = count::mean_lengths(counted.iter().map(|(_, d)| &d.len).chain(recalled_lens));
        let mut counted = counted.into_iter();
        let mut remap = Remap::for_index(added.last);
        let mut page = Counts::default();
        let mut encoded = Vec::new();
        for (&id, source) in added.pages.iter().zip(added.sources) {
            let (first, n) = self.page_docs[&id];
            let mut heads = Vec::with_capacity(n as usize);
            let mut head = |doc: u32, len, weight| {
                let (fragment, size) = added.fragments[doc as usize];
                heads.push(DocHead {
                    len,
                    weight,
                    fragment,
                    size,
                });
            };
            page = Counts::default_like(page);
            let recalled = source.filter(|c| {
                added
                    .last
                    .is_some_and(|last| remap.counts(self, last, c, &mut page))
            });
            match (recalled, source) {
                (Some(c), _) => {
                    for ((doc, tf), h) in (first..).zip(page.docs()).zip(&c.docs) {
                        self.add(doc, tf, (h.len, h.weight), false);
                        head(doc, h.len, h.weight);
                    }
                }
                // Counts that do not decode: the page is counted now.
                (None, Some(_)) => {
                    let docs = extract::docs_of(site, derived, id);
                    if docs.len() != n as usize {
                        return Err(out_of_step());
                    }
                    let mut batch = Batch::default();
                    for (doc, d) in (first..).zip(&docs) {
                        batch.count(&self.analyzer, doc, d);
                    }
                    let ids = self.merge(batch.terms, batch.words);
                    let page = remember.is_some().then_some(&mut page);
                    self.add_counted(&ids, batch.docs, (&mut head, page));
                }
                (None, None) => {
                    for (b, d) in counted.by_ref().take(n as usize) {
                        let page = remember.is_some().then_some(&mut page);
                        self.add_counted(&merged[b], [d], (&mut head, page));
                    }
                }
            }
            if let Some(remember) = remember.as_deref_mut() {
                page.encode_into(&mut encoded);
                let counts = PageCounts {
                    text: added.texts.get(id).copied().unwrap_or_default(),
                    docs: heads,
                    counts: std::mem::take(&mut encoded),
                };
                remember.page(&site.pages[id].source.rel, &counts);
                encoded = counts.counts;
            }
        }
        Ok(())
    }

    /// Adds counted documents, whose batch numbered terms and words as
    /// `ids` maps them, and their counts to `page` when the build
    /// remembers them (serve's index does not).
    fn add_counted(
        &mut self,
        (terms, words): &(Vec<u32>, Vec<u32>),
        docs: impl IntoIterator<Item = DocCount>,
        (head, mut page): (
            &mut impl FnMut(u32, [u32; count::FIELDS], f64),
            Option<&mut Counts>,
        ),
    ) {
        for d in docs {
            let tf: Vec<_> = d.tf.iter().map(|&(l, c)| (terms[l as usize], c)).collect();
            self.add(d.doc, &tf, (d.len, d.weight), false);
            head(d.doc, d.len, d.weight);
            if let Some(page) = page.as_deref_mut() {
                page.push_doc(&tf);
                page.words
                    .extend(d.words.iter().map(|&w| words[w as usize]));
            }
        }
    }
}

/// The last build's term and word ids, as this index numbers them (taken
/// in as recalled pages use them, so no term is in the index that no page
/// has).
struct Remap {
    terms: Vec<u32>,
    words: Vec<u32>,
}

const UNSEEN: u32 = u32::MAX;

impl Remap {
    fn for_index(last: Option<&IndexCounts>) -> Remap {
        Remap {
            terms: vec![UNSEEN; last.map_or(0, |l| l.terms.len())],
            words: vec![UNSEEN; last.map_or(0, |l| l.words.len())],
        }
    }

    /// Decodes a recalled page's counts into `into`, in `index`'s
    /// numbering, its terms and words taken into the index; false when
    /// they do not decode (then the page is counted from its text).
    fn counts(
        &mut self,
        index: &mut LiveIndex,
        last: &IndexCounts,
        page: &PageCounts,
        into: &mut Counts,
    ) -> bool {
        let terms = last.terms.len();
        let fits = into.decode(&page.counts, page.docs.len())
            && into.tf.iter().all(|&(t, _)| (t as usize) < terms)
            && (into.words.iter()).all(|&w| {
                last.words
                    .get(w as usize)
                    .is_some_and(|(_, t)| (*t as usize) < terms)
            });
        if !fits {
            *into = Counts::default_like(std::mem::take(into));
            return false;
        }
        for (t, _) in &mut into.tf {
            *t = self.term(index, last, *t);
        }
        for w in &mut into.words {
            let old = *w as usize;
            if self.words[old] == UNSEEN {
                let (word, term) = &last.words[old];
                let term = self.term(index, last, *term);
                self.words[old] = index.add_word(word, term);
            }
            *w = self.words[old];
        }
        true
    }

    fn term(&mut self, index: &mut LiveIndex, last: &IndexCounts, old: u32) -> u32 {
        let id = &mut self.terms[old as usize];
        if *id == UNSEEN {
            *id = index.intern(&last.terms[old as usize]);
        }
        *id
    }
}
