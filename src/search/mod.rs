//! Full-text search without a search server: a static index next to the
//! pages, read by the theme's `search.js` (and `search-text.js`, which
//! analyses a query exactly as [`analyze`] analyses the pages; a parity
//! test holds the two together).
//!
//! Why not Pagefind (used until issue 7): in-process it took 53 s and
//! 4 GiB of memory for 10,000 pages, on a build that otherwise takes 3 s.
//! This index is made from each page's Markdown, in parallel, in a fraction
//! of the render time.
//!
//! The steps: [`extract`] takes each page's text as a reader sees it, cut
//! at headings (a glossary entry is a document of its own); [`analyze`]
//! turns text into terms (Unicode words, CJK character pairs, folded
//! British/American spelling, English stems); [`count`] counts them per
//! document, and [`build`] merges the counts into postings with their
//! BM25F impact ([`live`]: the index, kept by `marrow serve`), taking the
//! counts of pages that did not change from the last build ([`recall`]);
//! [`synonyms`] gathers the glossary's and the site's synonyms; [`files`]
//! writes the format the browser reads (documented there).
//!
//! Which pages: every page but drafts, whatever its review state (each
//! page carries its own notice, and results show the state);
//! `search.include_unreviewed: false` leaves out medical pages no clinician
//! has reviewed. The glossary's entries and section pages are searchable.

mod analyze;
mod build;
mod count;
mod extract;
mod files;
mod live;
mod recall;
mod synonyms;

use crate::derive::Derived;
use crate::model::{PageId, Site};
use crate::output::Sink;

use live::{IndexFiles, LiveIndex};
pub(crate) use recall::{Recall, Remember, SearchCounts};

/// The folder, under the output root, that holds the search index (and
/// the full results page, `search/index.html`).
pub(crate) const SEARCH_DIR: &str = "search";

/// The files of the index the output plan must know: the index's own
/// file, and the folders only it writes into.
pub(crate) fn reserved() -> (String, [String; 3]) {
    (files::meta_path(), files::folders())
}

/// Whether `path` (under the output root) is a file of the index, which a
/// rebuilt index replaces (the results page is not).
pub(crate) fn is_index_file(path: &str) -> bool {
    path == files::meta_path()
        || files::folders().iter().any(|f| {
            path.strip_prefix(f.as_str())
                .is_some_and(|r| r.starts_with('/'))
        })
}

/// The words of `text` as the index of a site in `language` analyses
/// them, each with its term (for the browser's parity test).
pub(crate) fn word_terms(language: &str, text: &str) -> Vec<(String, String)> {
    let analyzer = analyze::Analyzer::for_language(language);
    analyzer
        .words(text)
        .into_iter()
        .map(|word| {
            let term = analyzer.term(&word);
            (word, term)
        })
        .collect()
}

/// The search index of a site: files to write under `search/`.
#[cfg(test)]
#[derive(Debug, Clone, Default)]
pub(crate) struct SearchIndex {
    /// (path relative to the output root, bytes).
    pub files: Vec<(String, Vec<u8>)>,
    /// Pages in the index.
    pub pages: usize,
}

/// Whether `page` belongs in the site search.
pub(crate) fn searchable(site: &Site, derived: &Derived, page: PageId) -> bool {
    !site.pages[page].front().draft
        && (site.config.search.include_unreviewed
            || !derived.review(page).status.needs_clinical_review())
}

/// Pages the site search leaves out, by reason, for the build summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// The search of a whole site: one index per language with pages, each in
/// its language's folder, so a reader's query is matched against pages in
/// the language they are reading, analysed as that language.
pub(crate) struct SiteSearch(Vec<LiveIndex>);

impl SiteSearch {
    /// Builds every language's index; returns them with every document's
    /// fragment file, or `None` when `stop` said to stop.
    pub(crate) fn build(
        site: &Site,
        derived: &Derived,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<(SiteSearch, IndexFiles)> {
        let mut files = Vec::new();
        let mut indexes = Vec::new();
        for (lang, _) in site.languages().iter() {
            if site.root_of(lang).is_none() {
                continue;
            }
            let (live, fragments) = LiveIndex::build(site, derived, lang, stop)?;
            files.extend(fragments);
            indexes.push(live);
        }
        Some((SiteSearch(indexes), files))
    }

    /// Every file of the indexes but the fragments.
    pub(crate) fn files(&self, site: &Site) -> IndexFiles {
        self.0.iter().flat_map(|live| live.files(site)).collect()
    }

    /// Re-counts an edited page in its language's index (see
    /// [`LiveIndex::update`]).
    pub(crate) fn update(
        &mut self,
        site: &Site,
        derived: &Derived,
        page: PageId,
    ) -> Option<IndexFiles> {
        let lang = site.pages[page].lang;
        self.0
            .iter_mut()
            .find(|live| live.lang() == lang)?
            .update(site, derived, page)
    }
}

/// Builds the index of every searchable page of `site`. The same site gives
/// the same bytes, whatever the number of threads.
#[cfg(test)]
pub(crate) fn index(site: &Site, derived: &Derived) -> SearchIndex {
    let sink = crate::output::MemorySink::default();
    let (pages, bytes) = write(site, derived, &sink, None).unwrap_or_default();
    let mut files: Vec<(String, Vec<u8>)> = (sink.into_files().into_iter())
        .map(|(path, bytes)| (path, bytes.to_vec()))
        .collect();
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    assert_eq!(bytes, total, "the bytes written are counted");
    SearchIndex { files, pages }
}

/// Builds the index of every searchable page of `site`, handing each file
/// to `sink` as soon as it is made (`marrow build`: the fragments, most of
/// the index's bytes, are never all in memory). With `recall`, pages the
/// last build counted are not counted again (see [`recall`]), and this
/// build's counts are written for the next. Returns the pages indexed and
/// the bytes written.
pub(crate) fn write(
    site: &Site,
    derived: &Derived,
    sink: &dyn Sink,
    recall: Option<&Recall<'_>>,
) -> std::io::Result<(usize, usize)> {
    let mut out = recall.map(|r| r.out.lock().unwrap_or_else(|p| p.into_inner()));
    let mut remember = (out.as_deref_mut())
        .zip(recall)
        .map(|(to, r)| Remember::new(to, r.context));
    let mut bytes = 0;
    let mut pages = 0;
    for (lang, _) in site.languages().iter() {
        if site.root_of(lang).is_none() {
            continue;
        }
        let built = LiveIndex::build_into((site, derived, lang), sink, recall, remember.as_mut())?;
        pages += built.index.pages();
        bytes += built.fragment_bytes;
        for (path, data) in built.index.files(site) {
            sink.write(&path, &data)?;
            bytes += data.len();
        }
    }
    if let Some(remember) = remember {
        remember.end();
    }
    Ok((pages, bytes))
}

#[cfg(test)]
mod tests;
