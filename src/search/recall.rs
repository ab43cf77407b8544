//! What a build remembers of each page's search counts for the next build
//! into the same folder, so that an everyday rebuild tokenises only the
//! pages that changed.
//!
//! A page's documents (its text as search sees it, and its glossary
//! entries) are made from its own file and from what the render cache's
//! context covers (see `pipeline::cache`): settings, glossary, snippets,
//! every page's front matter. So a page whose text and context are those
//! of the last build has the counts it had then, and the fragment files.
//! What is remembered is the counts, not the postings: the index is put
//! together again from every page's counts, so the mean field lengths,
//! the impacts and the files are exactly those of a clean build.
//!
//! The counts live in one binary file beside the output's manifest, which
//! records the file's hash (see `crate::build`); a file that does not
//! match is not read.

use std::collections::HashMap;
use std::io;

use bincode::Options;
use serde::{Deserialize, Serialize};

use super::count;

/// Fields a word is counted in (a plain name clashes with serde's derive).
const N: usize = count::FIELDS;

/// Bumped whenever the meaning of the counts changes.
const VERSION: u32 = 1;

/// The counts of one build's search, one entry per language's index.
#[derive(Debug, Default)]
pub(crate) struct SearchCounts {
    /// The context the pages were counted in (`pipeline::cache::context`).
    pub(crate) context: u128,
    pub(super) indexes: Vec<IndexCounts>,
}

/// The counts of one language's index.
#[derive(Debug, Default)]
pub(super) struct IndexCounts {
    /// The index's folder prefix (`""`, `zh/`).
    pub(super) prefix: String,
    /// Term of each term id the pages' counts use.
    pub(super) terms: Vec<String>,
    /// Words a reader may type, with their term ids, by word id.
    pub(super) words: Vec<(String, u32)>,
    /// By page source, relative to `content/`.
    pub(super) pages: HashMap<String, PageCounts>,
}

/// What one page gave the index.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct PageCounts {
    /// xxh3-128 of the page's text as loaded (front matter and body).
    pub(super) text: u128,
    pub(super) docs: Vec<DocHead>,
    /// [`Counts`], encoded: most of the file, decoded only for pages that
    /// are taken again (as one run of bytes, not a number per byte).
    #[serde(with = "serde_bytes")]
    pub(super) counts: Vec<u8>,
}

/// One document of a page, but for its terms.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(super) struct DocHead {
    pub(super) len: [u32; N],
    pub(super) weight: f64,
    /// xxh3-128 and size of its fragment file.
    pub(super) fragment: u128,
    pub(super) size: u32,
}

/// A page's terms, flat: (term id, occurrences per field) of each of its
/// documents in turn, and the word ids the page has. Reused from page to
/// page, so that taking a page's counts allocates nothing.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Counts {
    pub(super) tf: Vec<(u32, [u32; N])>,
    /// Where each document's run of `tf` ends.
    ends: Vec<usize>,
    pub(super) words: Vec<u32>,
}

impl Counts {
    /// Empty counts that reuse `old`'s memory.
    pub(super) fn default_like(mut old: Counts) -> Counts {
        old.tf.clear();
        old.ends.clear();
        old.words.clear();
        old
    }

    /// Appends a document's terms.
    pub(super) fn push_doc(&mut self, tf: &[(u32, [u32; N])]) {
        self.tf.extend_from_slice(tf);
        self.ends.push(self.tf.len());
    }

    /// Each document's terms.
    pub(super) fn docs(&self) -> impl Iterator<Item = &[(u32, [u32; N])]> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(&self.ends).map(|(a, &b)| &self.tf[a..b])
    }

    /// The counts as bytes: unsigned LEB128 numbers, most of one byte.
    /// Each document's number of terms, then each term's id and counts;
    /// then the number of words and their ids (sorted, once each).
    #[cfg(test)]
    pub(super) fn encode(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode_into(&mut out);
        out
    }

    /// [`Self::encode`] into `out`, in place of what it held (a buffer
    /// reused from page to page).
    pub(super) fn encode_into(&mut self, out: &mut Vec<u8>) {
        self.words.sort_unstable();
        self.words.dedup();
        out.clear();
        out.reserve(self.tf.len() * 7 + self.words.len() * 3 + 8);
        let mut put = |n: usize| {
            let mut n = n as u64;
            while n >= 0x80 {
                out.push(n as u8 | 0x80);
                n >>= 7;
            }
            out.push(n as u8);
        };
        for doc in self.docs() {
            put(doc.len());
            for &(id, tf) in doc {
                put(id as usize);
                tf.iter().for_each(|&c| put(c as usize));
            }
        }
        put(self.words.len());
        self.words.iter().for_each(|&w| put(w as usize));
    }

    /// Replaces these counts by the `docs` documents' counts that
    /// [`Self::encode`] gave `bytes`; false if the bytes are not such.
    pub(super) fn decode(&mut self, bytes: &[u8], docs: usize) -> bool {
        *self = Counts::default_like(std::mem::take(self));
        self.read(&mut Reader(bytes), docs).is_some()
    }

    fn read(&mut self, bytes: &mut Reader<'_>, docs: usize) -> Option<()> {
        for _ in 0..docs {
            let n = bytes.next()?;
            self.tf.reserve(n as usize);
            for _ in 0..n {
                let id = bytes.next()?;
                let tf = [bytes.next()?, bytes.next()?, bytes.next()?];
                self.tf.push((id, tf));
            }
            self.ends.push(self.tf.len());
        }
        for _ in 0..bytes.next()? {
            self.words.push(bytes.next()?);
        }
        bytes.0.is_empty().then_some(())
    }
}

/// Reads the numbers [`Counts::encode`] wrote.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn next(&mut self) -> Option<u32> {
        let mut n: u32 = 0;
        for shift in (0..35).step_by(7) {
            let (&byte, rest) = self.0.split_first()?;
            self.0 = rest;
            n |= u32::from(byte & 0x7f).checked_shl(shift)?;
            if byte < 0x80 {
                return Some(n);
            }
        }
        None
    }
}

/// The rest of the file: serde's own encoding, numbers of variable length.
fn options() -> impl Options {
    bincode::DefaultOptions::new()
}

impl SearchCounts {
    /// The counts of the index in folder `prefix`.
    pub(super) fn index(&self, prefix: &str) -> Option<&IndexCounts> {
        self.indexes.iter().find(|i| i.prefix == prefix)
    }

    /// The counts a [`Remember`] wrote, if `bytes` are such, of this
    /// version.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<SearchCounts> {
        let mut bytes = bytes;
        let (version, context): (u32, u128) = options().deserialize_from(&mut bytes).ok()?;
        if version != VERSION {
            return None;
        }
        let mut counts = SearchCounts {
            context,
            indexes: Vec::new(),
        };
        loop {
            match options().deserialize_from(&mut bytes).ok()? {
                EntryIn::Index(prefix) => counts.indexes.push(IndexCounts {
                    prefix,
                    ..IndexCounts::default()
                }),
                EntryIn::Page(rel, page) => {
                    counts.indexes.last_mut()?.pages.insert(rel, page);
                }
                EntryIn::Tables(terms, words) => {
                    let index = counts.indexes.last_mut()?;
                    (index.terms, index.words) = (terms, words);
                }
                EntryIn::End => return bytes.is_empty().then_some(counts),
            }
        }
    }
}

/// The entries of the counts as written, one after another: each index's
/// prefix, its pages as they are added, then its tables (known only once
/// every page is in); then the end. The pages' counts are streamed out,
/// never all held: at 100,000 pages they are 180 MB.
#[derive(Serialize)]
enum EntryOut<'a> {
    Index(&'a str),
    Page(&'a str, &'a PageCounts),
    Tables(&'a [String], Vec<(&'a str, u32)>),
    End,
}

/// [`EntryOut`] as read back (the same encoding).
#[derive(Deserialize)]
enum EntryIn {
    Index(String),
    Page(String, PageCounts),
    Tables(Vec<String>, Vec<(String, u32)>),
    End,
}

/// Writes a build's counts as the build makes them. A failed write stops
/// the writing; the file it leaves does not read back, so the next build
/// counts every page.
pub(crate) struct Remember<'a> {
    to: &'a mut dyn io::Write,
    failed: bool,
    /// Each entry is put together here and written in one go, so the
    /// hashing writer gets one write per page rather than one per field.
    entry: Vec<u8>,
}

impl<'a> Remember<'a> {
    /// Starts the counts of a build in `context`.
    pub(crate) fn new(to: &'a mut dyn io::Write, context: u128) -> Remember<'a> {
        let mut remember = Remember {
            to,
            failed: false,
            entry: Vec::new(),
        };
        remember.put(&(VERSION, context));
        remember
    }

    fn put(&mut self, value: &impl Serialize) {
        if !self.failed {
            self.entry.clear();
            self.failed = (options().serialize_into(&mut self.entry, value).is_err())
                || self.to.write_all(&self.entry).is_err();
        }
    }

    pub(super) fn index(&mut self, prefix: &str) {
        self.put(&EntryOut::Index(prefix));
    }

    pub(super) fn page(&mut self, rel: &str, page: &PageCounts) {
        self.put(&EntryOut::Page(rel, page));
    }

    pub(super) fn tables<'w>(
        &mut self,
        terms: &[String],
        words: impl Iterator<Item = (&'w String, &'w u32)>,
    ) {
        let words = words.map(|(w, &t)| (w.as_str(), t)).collect();
        // Too big to put together whole (the vocabulary of 100,000 pages).
        if !self.failed {
            let mut to = io::BufWriter::with_capacity(1 << 16, &mut *self.to);
            self.failed = (options().serialize_into(&mut to, &EntryOut::Tables(terms, words)))
                .is_err()
                || io::Write::flush(&mut to).is_err();
        }
    }

    /// Ends the counts.
    pub(crate) fn end(mut self) {
        self.put(&EntryOut::End);
    }
}

/// What a build hands the search index from the last build, and where it
/// streams its own counts for the next.
pub(crate) struct Recall<'a> {
    /// Where this build's counts go.
    pub(crate) out: &'a std::sync::Mutex<dyn io::Write + Send>,
    /// This build's context (see `pipeline::cache::context`).
    pub(crate) context: u128,
    /// The last build's counts, when it was made in this build's context.
    pub(crate) last: Option<&'a SearchCounts>,
    /// xxh3-128 of each page's text, by page id.
    pub(crate) texts: &'a [u128],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_come_back_as_encoded() {
        let mut counts = Counts::default();
        counts.push_doc(&[(70_000, [1, 0, 3]), (5, [0, 2, 0]), (u32::MAX, [200, 0, 1])]);
        counts.push_doc(&[]);
        counts.words = vec![9, 3, 9, 300_000];
        let bytes = counts.encode();
        let mut back = Counts::default();
        assert!(back.decode(&bytes, 2));
        let docs: Vec<_> = back.docs().collect();
        assert_eq!(
            docs[0],
            [(70_000, [1, 0, 3]), (5, [0, 2, 0]), (u32::MAX, [200, 0, 1])]
        );
        assert!(docs[1].is_empty());
        assert_eq!(back.words, [3, 9, 300_000], "sorted, once each");
        assert!(!back.decode(&bytes[..bytes.len() - 1], 2), "cut short");
        assert!(!back.decode(&bytes, 3), "another number of documents");
        assert!(!back.decode(&[0xff; 6], 1), "a number too big");
    }

    #[test]
    fn counts_come_back_from_their_bytes() {
        let page = PageCounts {
            text: 3,
            docs: Vec::new(),
            counts: vec![0],
        };
        let mut bytes = Vec::new();
        let mut remember = Remember::new(&mut bytes, 7);
        remember.index("");
        remember.page("a.md", &page);
        remember.tables(&[], std::iter::empty());
        remember.index("zh/");
        remember.tables(&["graft".into()], [(&"graft".to_string(), &0)].into_iter());
        remember.end();
        let back = SearchCounts::from_bytes(&bytes).unwrap();
        assert_eq!(back.context, 7);
        assert_eq!(back.index("").unwrap().pages["a.md"].text, 3);
        assert_eq!(back.index("zh/").unwrap().terms, ["graft"]);
        assert_eq!(back.index("zh/").unwrap().words, [("graft".to_string(), 0)]);
        assert!(back.index("en/").is_none());
        assert!(
            SearchCounts::from_bytes(&bytes[..bytes.len() - 1]).is_none(),
            "no end"
        );
        assert!(SearchCounts::from_bytes(&bytes[1..]).is_none());
        let mut newer = Vec::new();
        options()
            .serialize_into(&mut newer, &(VERSION + 1, 7u128))
            .unwrap();
        newer.extend_from_slice(&bytes[newer.len()..]);
        assert!(
            SearchCounts::from_bytes(&newer).is_none(),
            "another version"
        );
    }
}
