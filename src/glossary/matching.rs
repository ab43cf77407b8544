//! Comparing terms with text, in place and without allocating: the
//! patterns, and the word and gap tests behind the matching rules in the
//! module docs.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// First word → patterns. Looked up once per word of every page, with short
/// keys and no untrusted-input concerns (the keys come from the glossary), so
/// it uses FNV-1a instead of the slower DoS-resistant default hasher.
pub(super) type WordMap = HashMap<String, Vec<usize>, BuildHasherDefault<Fnv>>;

/// Normalized name → term index, for [`super::Glossary::lookup`].
pub(super) type NameMap = HashMap<String, usize, BuildHasherDefault<Fnv>>;

#[derive(Default)]
pub(super) struct Fnv(u64);

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A term or alias, ready to compare against text.
#[derive(Debug, Clone)]
pub(super) struct Pattern {
    /// Index into `Glossary::terms`.
    pub(super) term: usize,
    /// The words, lower-cased (kept as written for acronyms).
    words: Vec<String>,
    /// What separates `words[i]` from `words[i + 1]`.
    gaps: Vec<Gap>,
    /// An acronym: compare letters exactly, not ignoring case.
    exact_case: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Gap {
    /// White space or a hyphen in the term: white space or one hyphen in text.
    Space,
    /// Other punctuation (an apostrophe, a slash): must appear as written.
    Literal(String),
}

impl Pattern {
    /// Splits `name` into words (runs of letters and digits) and the gaps
    /// between them; `None` when it has no letters or digits.
    pub(super) fn new(term: usize, name: &str) -> Option<Pattern> {
        let letters = name.chars().filter(|c| c.is_alphabetic());
        let exact_case = letters.clone().count() >= 2 && letters.clone().all(char::is_uppercase);
        let mut words: Vec<String> = Vec::new();
        let mut gaps = Vec::new();
        let mut word = String::new();
        let mut gap = String::new();
        for c in name.chars() {
            if c.is_alphanumeric() {
                if !gap.is_empty() && !words.is_empty() {
                    gaps.push(Gap::from_text(&gap));
                }
                gap.clear();
                if exact_case {
                    word.push(c);
                } else {
                    word.extend(c.to_lowercase());
                }
            } else {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                gap.extend(c.to_lowercase());
            }
        }
        if !word.is_empty() {
            words.push(word);
        }
        if words.is_empty() {
            return None;
        }
        Some(Pattern {
            term,
            words,
            gaps,
            exact_case,
        })
    }

    /// The lower-cased first word, the lookup key (lower-cased one character
    /// at a time, exactly as `find` lower-cases the words of a page).
    pub(super) fn key(&self) -> String {
        lower(&self.words[0])
    }

    /// A canonical form for spotting duplicates: words lower-cased, joined by
    /// their gaps (any space or hyphen becomes one space).
    pub(super) fn normalized(&self) -> String {
        let mut out = String::new();
        for (i, w) in self.words.iter().enumerate() {
            if i > 0 {
                match &self.gaps[i - 1] {
                    Gap::Space => out.push(' '),
                    Gap::Literal(s) => out.push_str(s),
                }
            }
            out.push_str(&lower(w));
        }
        out
    }

    /// The end of this pattern when it matches `text` at byte `start` (a word
    /// start), including a plural ending, and ending on a word boundary.
    pub(super) fn match_at(&self, text: &str, start: usize) -> Option<usize> {
        let last = self.words.len() - 1;
        let mut pos = start;
        for (i, word) in self.words.iter().enumerate() {
            if i > 0 {
                pos = match &self.gaps[i - 1] {
                    Gap::Space => eat_space(text, pos)?,
                    Gap::Literal(s) => eat(text, pos, s, false)?,
                };
            }
            if i < last {
                pos = eat(text, pos, word, self.exact_case)?;
            } else {
                return self.match_last(text, pos, word);
            }
        }
        None
    }

    fn match_last(&self, text: &str, pos: usize, word: &str) -> Option<usize> {
        if let Some(p) = eat(text, pos, word, self.exact_case) {
            let endings: &[&str] = if self.exact_case {
                &["", "s"]
            } else {
                &["", "s", "es"]
            };
            for ending in endings {
                if let Some(q) = eat(text, p, ending, self.exact_case)
                    && at_word_end(text, q)
                {
                    return Some(q);
                }
            }
        }
        // "therapy" → "therapies"
        if !self.exact_case
            && let Some(stem) = word.strip_suffix('y')
            && !stem.is_empty()
            && let Some(p) = eat(text, pos, stem, false)
            && let Some(q) = eat(text, p, "ies", false)
            && at_word_end(text, q)
        {
            return Some(q);
        }
        None
    }
}

impl Gap {
    fn from_text(gap: &str) -> Gap {
        if gap.chars().all(|c| c.is_whitespace() || is_hyphen(c)) {
            Gap::Space
        } else {
            Gap::Literal(gap.to_string())
        }
    }
}

fn lower(word: &str) -> String {
    word.chars().flat_map(char::to_lowercase).collect()
}

/// The bit for the first two bytes of a word, ASCII lower-cased; `None`
/// when either is not ASCII (such words skip the prefix filter).
pub(super) fn prefix_bit(word: &[u8]) -> Option<usize> {
    let first = *word.first()?;
    let second = word.get(1).copied().unwrap_or(0);
    (first.is_ascii() && second.is_ascii()).then(|| {
        usize::from(first.to_ascii_lowercase()) << 7 | usize::from(second.to_ascii_lowercase())
    })
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Consumes `pat` at byte `pos` of `text`; `pat` is lower-case unless
/// `exact`. Returns the byte after it. Never allocates.
fn eat(text: &str, pos: usize, pat: &str, exact: bool) -> Option<usize> {
    let rest = text.get(pos..)?;
    if exact {
        return rest.starts_with(pat).then_some(pos + pat.len());
    }
    let mut want = pat.chars();
    let mut end = pos;
    let mut have = rest.char_indices();
    while !want.as_str().is_empty() {
        let (i, c) = have.next()?;
        if c.is_ascii() {
            if want.next() != Some(c.to_ascii_lowercase()) {
                return None;
            }
        } else {
            for lc in c.to_lowercase() {
                if want.next() != Some(lc) {
                    return None;
                }
            }
        }
        end = pos + i + c.len_utf8();
    }
    Some(end)
}

/// A run of white space, or one hyphen, between two words of a term.
fn eat_space(text: &str, pos: usize) -> Option<usize> {
    let rest = text.get(pos..)?;
    let first = rest.chars().next()?;
    if is_hyphen(first) {
        return Some(pos + first.len_utf8());
    }
    let len = rest
        .find(|c: char| !c.is_whitespace())
        .unwrap_or(rest.len());
    (len > 0).then_some(pos + len)
}

/// Whether `c` is a Chinese, Japanese or Korean character: languages
/// written without spaces between words.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3100..=0x312F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// True when byte `pos` ends a word: no letter or digit follows, nor a hyphen
/// joining another word. A CJK character after a Latin word ends it
/// ("GVHD是…").
fn at_word_end(text: &str, pos: usize) -> bool {
    let mut next = text[pos..].chars();
    match next.next() {
        None => true,
        Some(c) if is_cjk(c) => true,
        Some(c) if c.is_alphanumeric() => false,
        Some(c) if is_hyphen(c) => !next.next().is_some_and(char::is_alphanumeric),
        Some(_) => true,
    }
}

/// True when the word starting at byte `pos` continues a hyphenated word
/// ("myeloablative" in "non-myeloablative").
pub(super) fn joined_before(text: &str, pos: usize) -> bool {
    let mut before = text[..pos].chars().rev();
    before.next().is_some_and(is_hyphen) && before.next().is_some_and(char::is_alphanumeric)
}
