//! The site glossary: `content/glossary.yaml` → [`Glossary`], and finding
//! glossary terms in a page's prose.
//!
//! Patient pages must explain unusual words and abbreviations (WCAG 3.1.3 and
//! 3.1.4). Writers list each term once, with its aliases and a plain-language
//! definition; the Markdown renderer asks [`Glossary::find`] where the terms
//! first occur on a page and marks them up as links to the glossary page with
//! the definition as their accessible description (the theme's script turns
//! them into tooltips).
//!
//! ## Matching rules
//!
//! - Case does not matter ("Neutrophil", "neutrophil"), except for terms
//!   written entirely in capitals (acronyms such as "ANC" or "PET"): those
//!   match only when the text also writes them in capitals, so an acronym
//!   never lights up an ordinary word ("ALL" in "all", "AIDS" in "aids").
//! - Whole words only: a term never matches inside a longer word ("graft" is
//!   not in "engraftment", "ANC" not in "ANCHOR"), nor as one part of a
//!   hyphenated word ("myeloablative" is not in "non-myeloablative").
//! - Between the words of a term, any run of white space (spaces, a line
//!   break, a no-break space) or a single hyphen matches a space or hyphen of
//!   the term: "graft versus host disease" finds "graft-versus-host disease".
//!   Other punctuation inside a term must be written the same way.
//! - The last word may take a simple English plural: `-s`, `-es`, and `-y` →
//!   `-ies` ("therapies" for "therapy"). Possessives need no rule: the
//!   apostrophe ends the word, so "GvHD's" finds "GvHD" (the `'s` stays
//!   outside the match). Irregular plurals need an alias.
//! - Aliases are the same term. Where several terms start at the same word,
//!   the longest wins ("absolute neutrophil count" over "neutrophil"); the
//!   scan is left to right, so an earlier match hides a later overlapping one.
//! - Each term is reported at its first occurrence only. A later occurrence
//!   is still matched and skipped whole, so the words inside it are not
//!   marked as shorter terms.
//!
//! ## Cost
//!
//! Patterns are lower-cased once, at parse time, and indexed by their first
//! word. [`Glossary::find`] visits each word of the text once. Most words are
//! rejected by one bit test on their first two letters; the rest are
//! lower-cased into a reused buffer and looked up in a small FNV-hashed map
//! (up to four lookups for words ending in `s`, to find singulars). Only the
//! few patterns starting with that word are then compared, in place, without
//! allocating. Once every term has been seen on a page, it returns at once.
//! About 30 ns per word on the benchmark corpus (no terms in it: the worst
//! case), so ~0.3 s of CPU for 10,000 pages of 900 words.

mod matching;
mod parse;
#[cfg(test)]
mod tests;

use std::collections::HashSet;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::slug::{UniqueIds, heading_id};
use matching::{NameMap, Pattern, WordMap, joined_before, prefix_bit};

/// One glossary entry, as written in `glossary.yaml`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Term {
    /// The term as the glossary page shows it ("absolute neutrophil count").
    pub term: String,
    /// A plain-language definition, one or two sentences.
    pub definition: String,
    /// Other names for the same thing ("ANC"); found in pages like the term.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Related terms, by their `term` (or an alias). After parsing, each is
    /// the related entry's `term`, spelled as that entry spells it.
    #[serde(default)]
    pub see_also: Vec<String>,
}

/// The parsed glossary: terms sorted A–Z, their anchors and the matcher.
#[derive(Debug, Clone, Default)]
pub(crate) struct Glossary {
    terms: Vec<Term>,
    /// `anchors[i]` is the HTML id of `terms[i]` on the glossary page.
    anchors: Vec<String>,
    /// One pattern per term and per alias.
    patterns: Vec<Pattern>,
    /// Normalized term or alias (as [`Glossary::lookup`] takes it) → term
    /// index.
    names: NameMap,
    /// Lower-cased first word → indices into `patterns`.
    by_first_word: WordMap,
    /// Byte lengths of the shortest and longest key, to skip lookups.
    min_key: usize,
    max_key: usize,
    /// Names written in Chinese, Japanese or Korean characters, longest
    /// first: those languages put no spaces between words, so a name is
    /// found anywhere in a run of such characters.
    in_runs: Vec<(String, usize)>,
    /// Bit set of the first two bytes (lower-cased ASCII) of every key and
    /// of its plurals: most words of a page are rejected by one bit test,
    /// before being lower-cased and hashed.
    prefixes: Vec<u64>,
}

impl Glossary {
    /// Builds anchors and the matcher for validated, sorted entries.
    fn build(terms: Vec<Term>) -> Glossary {
        let mut ids = UniqueIds::default();
        let anchors = terms
            .iter()
            .map(|t| ids.unique(format!("term-{}", heading_id(&t.term))))
            .collect();
        let patterns: Vec<Pattern> = terms
            .iter()
            .enumerate()
            .flat_map(|(i, t)| {
                std::iter::once(&t.term)
                    .chain(&t.aliases)
                    .filter_map(move |name| Pattern::new(i, name))
            })
            .collect();
        let mut by_first_word = WordMap::default();
        let mut names = NameMap::default();
        for (i, p) in patterns.iter().enumerate() {
            by_first_word.entry(p.key()).or_default().push(i);
            names.entry(p.normalized()).or_insert(p.term);
        }
        let mut in_runs: Vec<(String, usize)> = terms
            .iter()
            .enumerate()
            .flat_map(|(i, t)| {
                std::iter::once(&t.term)
                    .chain(&t.aliases)
                    .map(move |n| (n, i))
            })
            .filter(|(n, _)| n.chars().all(matching::is_cjk))
            .map(|(n, i)| (n.clone(), i))
            .collect();
        in_runs.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
        let min_key = by_first_word.keys().map(String::len).min().unwrap_or(0);
        let max_key = by_first_word.keys().map(String::len).max().unwrap_or(0);
        let mut prefixes = vec![0u64; 1 << 8];
        for key in by_first_word.keys() {
            let plural = key.strip_suffix('y').map(|stem| format!("{stem}ies"));
            let forms = [key.clone(), format!("{key}s"), format!("{key}es")];
            for form in forms.iter().chain(&plural) {
                if let Some(bit) = prefix_bit(form.as_bytes()) {
                    prefixes[bit >> 6] |= 1 << (bit & 63);
                }
            }
        }
        Glossary {
            terms,
            anchors,
            patterns,
            names,
            by_first_word,
            in_runs,
            min_key,
            max_key,
            prefixes,
        }
    }

    /// The entries, sorted A–Z by term (case ignored). Indices into this
    /// slice are the term indices used everywhere else.
    pub(crate) fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// The stable HTML id of entry `index` on the glossary page
    /// ("term-absolute-neutrophil-count"); unique within the glossary.
    /// Panics if `index` is out of range, like slice indexing.
    pub(crate) fn anchor(&self, index: usize) -> String {
        self.anchors[index].clone()
    }

    /// The id of the hidden definition that follows a marked term in a page
    /// ("gloss-def-term-absolute-neutrophil-count"), for `aria-describedby`:
    /// the anchor behind `gloss-def-`, so the two never disagree. Unique
    /// within a page, since a term is marked once per page. Panics if
    /// `index` is out of range, like [`Glossary::anchor`].
    pub(crate) fn definition_id(&self, index: usize) -> String {
        format!("gloss-def-{}", self.anchors[index])
    }

    /// The index of the entry whose term or alias is `name`, under the
    /// matching rules (case ignored, even for acronyms; any white space or
    /// a hyphen between words), e.g. to link `see_also` entries. No
    /// plurals: `name` is a name, not running text. One hash lookup.
    pub(crate) fn lookup(&self, name: &str) -> Option<usize> {
        let wanted = Pattern::new(0, name)?.normalized();
        self.names.get(&wanted).copied()
    }

    /// The entries that entry `index`'s `see_also` names, in its order;
    /// names not in the glossary are left out (parsing refuses them, so
    /// only a glossary built otherwise has any). Empty for an index out of
    /// range.
    pub(crate) fn see_also(&self, index: usize) -> Vec<usize> {
        self.terms.get(index).map_or_else(Vec::new, |t| {
            t.see_also.iter().filter_map(|n| self.lookup(n)).collect()
        })
    }

    /// First occurrences in `text` of terms whose index is not yet in `seen`;
    /// adds them to `seen`. Returns (byte range in `text`, term index), in
    /// text order, non-overlapping. Call it with each text run of a page in
    /// order, with one `seen` set per page; a term split across two calls is
    /// not found.
    pub(crate) fn find(&self, text: &str, seen: &mut HashSet<usize>) -> Vec<(Range<usize>, usize)> {
        let mut found = Vec::new();
        if self.all_seen(seen) {
            return found;
        }
        let mut key = String::new();
        let mut alt = String::new();
        let mut pos = 0;
        while let Some(offset) = text[pos..].find(char::is_alphanumeric) {
            let start = pos + offset;
            // A word ends where letters end, and where a run of Chinese,
            // Japanese or Korean characters starts or stops.
            let cjk = text[start..].chars().next().is_some_and(matching::is_cjk);
            let word_end = text[start..]
                .find(|c: char| !c.is_alphanumeric() || matching::is_cjk(c) != cjk)
                .map_or(text.len(), |e| start + e);
            pos = word_end;
            if cjk {
                if self.find_in_run(start, &text[start..word_end], seen, &mut found) {
                    break;
                }
                continue;
            }
            if joined_before(text, start) {
                continue;
            }
            let word = &text[start..word_end];
            if let Some((end, term)) = self.longest_at(text, start, word, &mut key, &mut alt) {
                // Skip the whole match even when the term was seen before,
                // so its words are not marked as shorter terms.
                pos = end;
                if seen.insert(term) {
                    found.push((start..end, term));
                    if self.all_seen(seen) {
                        break;
                    }
                }
            }
        }
        found
    }

    /// Finds names of [`Self::in_runs`] in `run` (a run of CJK characters
    /// at byte `start` of the text), left to right, longest first. Returns
    /// true once every term has been seen.
    fn find_in_run(
        &self,
        start: usize,
        run: &str,
        seen: &mut HashSet<usize>,
        found: &mut Vec<(Range<usize>, usize)>,
    ) -> bool {
        if self.in_runs.is_empty() {
            return false;
        }
        let mut i = 0;
        while i < run.len() {
            match self
                .in_runs
                .iter()
                .find(|(n, _)| run[i..].starts_with(n.as_str()))
            {
                Some((name, term)) => {
                    if seen.insert(*term) {
                        found.push((start + i..start + i + name.len(), *term));
                        if self.all_seen(seen) {
                            return true;
                        }
                    }
                    i += name.len();
                }
                None => i += run[i..].chars().next().map_or(1, char::len_utf8),
            }
        }
        false
    }

    /// The longest pattern matching at `start`, whose first word is `word`:
    /// (end byte, term index).
    fn longest_at(
        &self,
        text: &str,
        start: usize,
        word: &str,
        key: &mut String,
        alt: &mut String,
    ) -> Option<(usize, usize)> {
        if let Some(bit) = prefix_bit(word.as_bytes())
            && self
                .prefixes
                .get(bit >> 6)
                .is_none_or(|w| w & (1 << (bit & 63)) == 0)
        {
            return None;
        }
        key.clear();
        for c in word.chars() {
            if c.is_ascii() {
                key.push(c.to_ascii_lowercase());
            } else {
                key.extend(c.to_lowercase());
            }
        }
        if key.len() < self.min_key || key.len() > self.max_key + 3 {
            return None;
        }
        let mut best: Option<(usize, usize)> = None;
        let mut consider = |candidates: Option<&Vec<usize>>| {
            for &p in candidates.into_iter().flatten() {
                let pattern = &self.patterns[p];
                if let Some(end) = pattern.match_at(text, start)
                    && best.is_none_or(|(b, _)| end > b)
                {
                    best = Some((end, pattern.term));
                }
            }
        };
        consider(self.by_first_word.get(key.as_str()));
        // A plural of a one-word term: look its singular up too.
        if let Some(stem) = key.strip_suffix('s') {
            consider(self.by_first_word.get(stem));
            if let Some(stem) = stem.strip_suffix('e') {
                consider(self.by_first_word.get(stem));
                if let Some(stem) = stem.strip_suffix('i') {
                    alt.clear();
                    alt.push_str(stem);
                    alt.push('y');
                    consider(self.by_first_word.get(alt.as_str()));
                }
            }
        }
        best
    }

    fn all_seen(&self, seen: &HashSet<usize>) -> bool {
        let n = self.terms.len();
        seen.len() >= n && (0..n).all(|i| seen.contains(&i))
    }

    /// Every word of every term and alias, lower-cased, for readability
    /// scoring to ignore. Hyphenated words are listed whole and in parts
    /// ("graft-versus-host", "graft", "versus", "host"); words without a
    /// letter ("0" in "Day 0") are left out. Plurals are not listed: strip
    /// them before looking a word up.
    pub(crate) fn words(&self) -> HashSet<String> {
        let mut words = HashSet::new();
        let names = self
            .terms
            .iter()
            .flat_map(|t| std::iter::once(&t.term).chain(&t.aliases));
        for name in names {
            for piece in name.split_whitespace() {
                let piece = piece
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase();
                let parts = piece.split(|c: char| !c.is_alphanumeric());
                for word in std::iter::once(piece.as_str()).chain(parts) {
                    if word.chars().any(char::is_alphabetic) {
                        words.insert(word.to_string());
                    }
                }
            }
        }
        words
    }
}
