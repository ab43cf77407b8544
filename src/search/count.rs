//! Counting the terms of documents, many at a time: each thread counts a
//! batch of documents with its own numbering of terms, so that a word met
//! before costs one lookup and no allocation; the batches are then merged
//! into the index's numbering (see `live`).

use rustc_hash::FxHashMap;

use super::analyze::{self, Analyzer};
use super::extract::Doc;

/// Fields a word can be found in.
pub(super) const FIELDS: usize = 3;
const TITLE: usize = 0;
const HEADINGS: usize = 1;
const BODY: usize = 2;

/// How much a match in each field counts: a title word is worth four of
/// the body's, a heading's two. `B` is each field's length normalisation
/// (titles are short; a long one matters less).
const WEIGHT: [f64; FIELDS] = [4.0, 2.0, 1.0];
const B: [f64; FIELDS] = [0.3, 0.5, 0.75];

/// BM25's term-frequency saturation.
const K1: f64 = 1.2;

/// One document's counts: (batch term id, occurrences per field), and the
/// fields' lengths in words.
pub(super) struct DocCount {
    pub doc: u32,
    pub tf: Vec<(u32, [u32; FIELDS])>,
    pub len: [u32; FIELDS],
    pub weight: f64,
    /// Batch word ids ([`Batch::words`]) the document has, each once: what
    /// a build remembers of the page for the next (see `recall`).
    pub words: Vec<u32>,
}

/// The documents one thread counted, with the terms they use.
#[derive(Default)]
pub(super) struct Batch {
    /// What each word as written turned out to be.
    seen: FxHashMap<String, Token>,
    term_ids: FxHashMap<String, u32>,
    /// Batch term id → term.
    pub terms: Vec<String>,
    /// Words a reader may type or misspell (see [`analyze::in_vocabulary`]),
    /// folded, with their batch term ids; each the first time the batch
    /// met it as written (so a word may come twice, from "Donor" and
    /// "donor").
    pub words: Vec<(String, u32)>,
    pub docs: Vec<DocCount>,
    /// Occurrences of this document, by batch term id (reused).
    counts: FxHashMap<u32, [u32; FIELDS]>,
    /// Batch word ids met in this document (reused), and for each batch
    /// word the last document (plus one) it was met in.
    doc_words: Vec<u32>,
    word_met: Vec<u32>,
}

impl Batch {
    /// Lets go of what only counting needs (the lookups of words met),
    /// once the batch has counted all it will: a site's batches wait for
    /// each other before they are merged.
    pub(super) fn done_counting(mut self) -> Batch {
        self.seen = FxHashMap::default();
        self.term_ids = FxHashMap::default();
        self.counts = FxHashMap::default();
        self.word_met = Vec::new();
        self
    }

    /// Counts document number `n`.
    pub(super) fn count(&mut self, analyzer: &Analyzer, n: u32, doc: &Doc) {
        let mut len = [0; FIELDS];
        self.doc_words.clear();
        let mark = n + 1;
        self.add(analyzer, (TITLE, mark), &doc.title, &mut len);
        self.add(analyzer, (HEADINGS, mark), &doc.extra, &mut len);
        for part in &doc.parts {
            self.add(analyzer, (HEADINGS, mark), &part.heading, &mut len);
            self.add(analyzer, (BODY, mark), &part.text, &mut len);
        }
        self.add(analyzer, (BODY, mark), &doc.code, &mut len);
        let mut tf: Vec<(u32, [u32; FIELDS])> = self.counts.drain().collect();
        tf.sort_unstable_by_key(|&(id, _)| id);
        self.docs.push(DocCount {
            doc: n,
            tf,
            len,
            weight: doc.weight,
            words: self.doc_words.clone(),
        });
    }

    /// Counts the words of `text` in `field` of the document marked `mark`.
    fn add(
        &mut self,
        analyzer: &Analyzer,
        (field, mark): (usize, u32),
        text: &str,
        len: &mut [u32; FIELDS],
    ) {
        analyze::each_token(text, &mut |token| {
            let seen = match self.seen.get(token) {
                Some(&seen) => seen,
                None => {
                    let seen = self.learn(analyzer, token);
                    self.seen.insert(token.to_string(), seen);
                    seen
                }
            };
            match seen {
                Token::NoWord => {}
                // A stop word makes the field longer all the same.
                Token::Stop => len[field] += 1,
                Token::Term(id, word) => {
                    len[field] += 1;
                    self.counts.entry(id).or_default()[field] += 1;
                    if let Some(met) = self.word_met.get_mut(word as usize)
                        && *met != mark
                    {
                        *met = mark;
                        self.doc_words.push(word);
                    }
                }
            }
        });
    }

    /// What a word met for the first time as written is.
    fn learn(&mut self, analyzer: &Analyzer, token: &str) -> Token {
        let word = analyze::fold_token(token);
        if word.is_empty() {
            return Token::NoWord;
        }
        if analyzer.is_stop_word(&word) {
            return Token::Stop;
        }
        let term = analyzer.term(&word);
        let id = match self.term_ids.get(&term) {
            Some(&id) => id,
            None => {
                let id = self.terms.len() as u32;
                self.term_ids.insert(term.clone(), id);
                self.terms.push(term);
                id
            }
        };
        let mut known = NOT_A_WORD;
        if analyze::in_vocabulary(&word) {
            known = self.words.len() as u32;
            self.words.push((word, id));
            self.word_met.push(0);
        }
        Token::Term(id, known)
    }
}

/// A word as written, once analysed.
#[derive(Clone, Copy)]
enum Token {
    /// Nothing left once folded (marks alone).
    NoWord,
    Stop,
    /// Its batch term id, and its batch word id ([`NOT_A_WORD`] when it
    /// is not one a reader may type: see [`analyze::in_vocabulary`]).
    Term(u32, u32),
}

/// The batch word id of a term that is no word of the vocabulary.
const NOT_A_WORD: u32 = u32::MAX;

/// What a term found `tf` times in a document's fields adds to its score,
/// before the term's rarity (which the browser works out): BM25F's
/// saturated frequency, times the page's weight, in hundredths.
pub(super) fn impact(
    tf: &[u32; FIELDS],
    len: &[u32; FIELDS],
    avg: &[f64; FIELDS],
    weight: f64,
) -> u32 {
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

/// Mean field lengths of documents of lengths `lens` (at least 1).
pub(super) fn mean_lengths<'a>(lens: impl Iterator<Item = &'a [u32; FIELDS]>) -> [f64; FIELDS] {
    let mut sum = [0.0; FIELDS];
    let mut n = 0usize;
    for len in lens {
        n += 1;
        for (s, &l) in sum.iter_mut().zip(len) {
            *s += f64::from(l);
        }
    }
    sum.map(|s| (s / n.max(1) as f64).max(1.0))
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
