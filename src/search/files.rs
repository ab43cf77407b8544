//! The index's files, as the browser reads them (format version
//! [`FORMAT_VERSION`]; `search.js` checks it):
//!
//! - `search/index.json`, read first: `{"v", "lang", "n": documents,
//!   "stop": [stop words], "syn": [[alternative, …], …] (each alternative a
//!   list of terms), "c": [first key of each chunk]}`.
//! - `search/c/N.json`, chunk N of the sorted terms: `{term: [doc gap,
//!   impact, doc gap, impact, …]}`. A query word needs the chunk its term
//!   sorts into. Chunks are cut at about [`CHUNK_BYTES`], so a query
//!   fetches little whatever the site's size.
//! - `search/w/K.json`, the words of the pages (folded, as written) that
//!   start with the character `K` (see [`word_key`]): `{word: term, or ""
//!   when the word is its own term}`. The word being typed and a misspelt
//!   word are looked up there: words starting like it, or a few letters
//!   off.
//! - `search/f/N.json`, document N as results show it: `{"u": link, "t":
//!   title, "s": section, "r": review state, "p": [[heading, anchor, text],
//!   …]}`. Excerpts, sub-results and word proximity come from it; no page
//!   is fetched.
//!
//! An impact is what a term adds to a document's score before its rarity:
//! BM25F over title, headings and body, times the page's search weight, in
//! hundredths (see `live::impact`). The browser multiplies it by the term's
//! inverse document frequency, from `n` and the postings' length.

use std::collections::BTreeMap;

use serde::Serialize;

use super::SEARCH_DIR;
use super::analyze::Analyzer;
use super::extract::Doc;

/// Version of the index format.
pub(crate) const FORMAT_VERSION: u32 = 2;

/// About how big a chunk gets (one term with more postings gets a chunk of
/// its own).
const CHUNK_BYTES: usize = 24 * 1024;

pub(crate) fn meta_path() -> String {
    format!("{SEARCH_DIR}/index.json")
}

pub(crate) fn chunk_path(c: usize) -> String {
    format!("{SEARCH_DIR}/c/{c}.json")
}

pub(crate) fn fragment_path(doc: u32) -> String {
    format!("{SEARCH_DIR}/f/{doc}.json")
}

pub(crate) fn words_path(key: &str) -> String {
    format!("{SEARCH_DIR}/w/{key}.json")
}

/// Folders only the index writes into.
pub(crate) fn folders() -> [String; 3] {
    [
        format!("{SEARCH_DIR}/c"),
        format!("{SEARCH_DIR}/f"),
        format!("{SEARCH_DIR}/w"),
    ]
}

/// The vocabulary file of `word`: its first character, kept if an ASCII
/// letter or digit, else `_` and its code point in hex (safe on every file
/// system and in URLs).
pub(crate) fn word_key(word: &str) -> String {
    match word.chars().next() {
        Some(c) if c.is_ascii_alphanumeric() => c.to_string(),
        Some(c) => format!("_{:x}", u32::from(c)),
        None => String::new(),
    }
}

/// The vocabulary file of every word starting with `key`'s character.
pub(crate) fn words_file<'a>(words: impl Iterator<Item = (&'a String, &'a String)>) -> Vec<u8> {
    let w: BTreeMap<&str, &str> = words
        .map(|(word, term)| (word.as_str(), if word == term { "" } else { term.as_str() }))
        .collect();
    to_json(&w)
}

/// Where the chunks are cut: the first key of each, sorted. Fixed when the
/// index is built, so that an edit in `serve` rewrites only the chunks its
/// keys fall in.
#[derive(Debug, Default)]
pub(crate) struct Chunking {
    firsts: Vec<String>,
}

impl Chunking {
    pub(crate) fn new(terms: &[String], postings: &[Vec<(u32, u32)>]) -> Chunking {
        let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
        for (term, list) in terms.iter().zip(postings) {
            *sizes.entry(term).or_default() += term.len() + 4 + list.len() * 6;
        }
        let mut firsts = vec![String::new()];
        let mut size = 0;
        for (key, s) in sizes {
            if size > 0 && size + s > CHUNK_BYTES {
                firsts.push(key.to_string());
                size = 0;
            }
            size += s;
        }
        Chunking { firsts }
    }

    pub(crate) fn len(&self) -> usize {
        self.firsts.len()
    }

    /// The chunk `key` sorts into.
    pub(crate) fn of(&self, key: &str) -> usize {
        self.firsts
            .partition_point(|f| f.as_str() <= key)
            .saturating_sub(1)
    }

    fn range(&self, c: usize) -> (&str, Option<&str>) {
        (
            self.firsts[c].as_str(),
            self.firsts.get(c + 1).map(String::as_str),
        )
    }

    /// Chunk `c` as JSON: its terms' postings (gap-coded).
    pub(crate) fn chunk(
        &self,
        c: usize,
        sorted_terms: &[u32],
        terms: &[String],
        postings: &[Vec<(u32, u32)>],
    ) -> Vec<u8> {
        let (from, to) = self.range(c);
        let inside = |k: &str| k >= from && to.is_none_or(|t| k < t);
        let start = sorted_terms.partition_point(|&id| terms[id as usize].as_str() < from);
        let mut t: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        for &id in &sorted_terms[start..] {
            let term = terms[id as usize].as_str();
            if !inside(term) {
                break;
            }
            let list = &postings[id as usize];
            if list.is_empty() {
                continue;
            }
            let mut encoded = Vec::with_capacity(list.len() * 2);
            let mut previous = 0;
            for &(doc, impact) in list {
                encoded.push(doc - previous);
                encoded.push(impact);
                previous = doc;
            }
            t.insert(term, encoded);
        }
        to_json(&t)
    }
}

/// Term ids in the order of their terms.
pub(crate) fn sorted(terms: &[String]) -> Vec<u32> {
    let mut ids: Vec<u32> = (0..terms.len() as u32).collect();
    ids.sort_unstable_by(|&a, &b| terms[a as usize].cmp(&terms[b as usize]));
    ids
}

#[derive(Serialize)]
struct MetaFile<'a> {
    v: u32,
    lang: &'a str,
    n: u32,
    stop: &'a [&'a str],
    syn: &'a [Vec<Vec<String>>],
    c: &'a [String],
}

pub(crate) fn meta(
    language: &str,
    docs: u32,
    analyzer: &Analyzer,
    synonyms: &[Vec<Vec<String>>],
    chunking: &Chunking,
) -> Vec<u8> {
    to_json(&MetaFile {
        v: FORMAT_VERSION,
        lang: language,
        n: docs,
        stop: analyzer.stop_words(),
        syn: synonyms,
        c: &chunking.firsts,
    })
}

#[derive(Serialize)]
struct FragmentFile<'a> {
    u: &'a str,
    t: &'a str,
    s: &'a str,
    r: &'a str,
    p: Vec<(&'a str, &'a str, &'a str)>,
}

pub(crate) fn fragment(doc: &Doc) -> Vec<u8> {
    to_json(&FragmentFile {
        u: &doc.link,
        t: &doc.title,
        s: &doc.section,
        r: doc.review,
        p: doc
            .parts
            .iter()
            .map(|p| (p.heading.as_str(), p.anchor.as_str(), p.text.as_str()))
            .collect(),
    })
}

fn to_json(value: &impl Serialize) -> Vec<u8> {
    // Plain data (strings, numbers): serialization cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

/// Postings per term id, for tests.
#[cfg(test)]
pub(crate) fn decode(list: &[u32]) -> BTreeMap<u32, u32> {
    let mut out = BTreeMap::new();
    let mut doc = 0;
    for pair in list.chunks(2) {
        doc += pair[0];
        out.insert(doc, pair[1]);
    }
    out
}
