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

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics, suggest};
use crate::slug::{UniqueIds, heading_id};

/// One glossary entry, as written in `glossary.yaml`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
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
pub struct Glossary {
    terms: Vec<Term>,
    /// `anchors[i]` is the HTML id of `terms[i]` on the glossary page.
    anchors: Vec<String>,
    /// One pattern per term and per alias.
    patterns: Vec<Pattern>,
    /// Lower-cased first word → indices into `patterns`.
    by_first_word: WordMap,
    /// Byte lengths of the shortest and longest key, to skip lookups.
    min_key: usize,
    max_key: usize,
    /// Bit set of the first two bytes (lower-cased ASCII) of every key and
    /// of its plurals: most words of a page are rejected by one bit test,
    /// before being lower-cased and hashed.
    prefixes: Vec<u64>,
}

/// First word → patterns. Looked up once per word of every page, with short
/// keys and no untrusted-input concerns (the keys come from the glossary), so
/// it uses FNV-1a instead of the slower DoS-resistant default hasher.
type WordMap = HashMap<String, Vec<usize>, BuildHasherDefault<Fnv>>;

#[derive(Default)]
struct Fnv(u64);

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
struct Pattern {
    /// Index into `Glossary::terms`.
    term: usize,
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
    fn new(term: usize, name: &str) -> Option<Pattern> {
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
    fn key(&self) -> String {
        lower(&self.words[0])
    }

    /// A canonical form for spotting duplicates: words lower-cased, joined by
    /// their gaps (any space or hyphen becomes one space).
    fn normalized(&self) -> String {
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
    fn match_at(&self, text: &str, start: usize) -> Option<usize> {
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
fn prefix_bit(word: &[u8]) -> Option<usize> {
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

/// True when byte `pos` ends a word: no letter or digit follows, nor a hyphen
/// joining another word.
fn at_word_end(text: &str, pos: usize) -> bool {
    let mut next = text[pos..].chars();
    match next.next() {
        None => true,
        Some(c) if c.is_alphanumeric() => false,
        Some(c) if is_hyphen(c) => !next.next().is_some_and(char::is_alphanumeric),
        Some(_) => true,
    }
}

/// True when the word starting at byte `pos` continues a hyphenated word
/// ("myeloablative" in "non-myeloablative").
fn joined_before(text: &str, pos: usize) -> bool {
    let mut before = text[..pos].chars().rev();
    before.next().is_some_and(is_hyphen) && before.next().is_some_and(char::is_alphanumeric)
}

impl Glossary {
    /// Parses glossary YAML; `display` is the path shown in errors (e.g.
    /// "content/glossary.yaml"). Returns the first problem in file order;
    /// [`Glossary::parse_all`] returns all of them.
    pub fn parse(display: &Path, text: &str) -> Result<Glossary, Diagnostic> {
        Glossary::parse_all(display, text).map_err(|ds| {
            ds.0.into_iter()
                .next()
                .unwrap_or_else(|| Diagnostic::file(display, "invalid glossary"))
        })
    }

    /// Like [`Glossary::parse`], but collects every problem (sorted by line)
    /// so a writer can fix them in one go. Empty or comment-only text is an
    /// empty glossary.
    pub fn parse_all(display: &Path, text: &str) -> Result<Glossary, Diagnostics> {
        let blank = text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
        if blank {
            return Ok(Glossary::default());
        }
        let mut entries = crate::yaml::from_str::<Vec<Term>>(text).map_err(|e| {
            // serde_yaml names the entry (".[3]: unknown field …"); the
            // location already says where, so keep the message short.
            // `.[3]: message` → `message`; `.[3].aliases: message` →
            // `aliases: message`.
            let message = match e.message.strip_prefix(".[") {
                Some(rest) => rest.split_once(']').map_or(&*e.message, |(_, m)| {
                    m.strip_prefix(": ")
                        .or_else(|| m.strip_prefix('.'))
                        .unwrap_or(m)
                }),
                None => &e.message,
            };
            let whole_file = !e.message.starts_with(".[");
            let mut d = Diagnostic::at(display, text, e.line, e.column, message);
            d.help = if whole_file && message.starts_with("expected a list") {
                Some("the glossary is a list: start each entry with `- term:`".into())
            } else {
                e.help
            };
            Diagnostics::from(d)
        })?;

        let items = item_lines(text);
        let at = |entry: usize, key: &str, needle: Option<&str>, message: String| {
            let (line, column) = locate(text, &items, entry, key, needle);
            Diagnostic::at(display, text, line, column, message)
        };
        let mut errors = Diagnostics::default();

        // Every name (term or alias), by its normalized form → (entry, name).
        let mut names: HashMap<String, (usize, String)> = HashMap::new();
        for (i, entry) in entries.iter().enumerate() {
            if entry.term.trim().is_empty() {
                errors.push(at(i, "term", None, "glossary term is empty".into()));
            }
            if entry.definition.trim().is_empty() {
                let name = entry.term.trim();
                errors.push(
                    at(
                        i,
                        "definition",
                        None,
                        format!("`{name}` has an empty definition"),
                    )
                    .with_help("write one or two plain-language sentences"),
                );
            }
            let own = std::iter::once(("term", &entry.term));
            let aliases = entry.aliases.iter().map(|a| ("aliases", a));
            for (key, name) in own.chain(aliases) {
                let name = name.trim();
                if name.is_empty() {
                    if key == "aliases" {
                        errors.push(at(i, key, None, "empty alias".into()));
                    }
                    continue;
                }
                let Some(pattern) = Pattern::new(0, name) else {
                    errors.push(at(
                        i,
                        key,
                        Some(name),
                        format!("`{name}` has no letters or digits to find in pages"),
                    ));
                    continue;
                };
                let norm = pattern.normalized();
                match names.get(&norm) {
                    Some((first, other)) => {
                        let first_term = entries[*first].term.trim();
                        let was = if other == first_term {
                            format!("the term `{other}`")
                        } else {
                            format!("`{other}`, an alias of `{first_term}`")
                        };
                        let what = if key == "term" { "term" } else { "alias" };
                        errors.push(
                            at(
                                i,
                                key,
                                Some(name),
                                format!("duplicate glossary {what} `{name}`: same as {was}"),
                            )
                            .with_help(
                                "each term and alias may appear only once (case is ignored)",
                            ),
                        );
                    }
                    None => {
                        names.insert(norm, (i, name.to_string()));
                    }
                }
            }
        }

        // see_also: resolve to the related entry's term.
        let canonical: Vec<String> = entries.iter().map(|e| e.term.trim().to_string()).collect();
        for (i, entry) in entries.iter_mut().enumerate() {
            for target in &mut entry.see_also {
                let found = Pattern::new(0, target.trim())
                    .and_then(|p| names.get(&p.normalized()))
                    .map(|(j, _)| *j);
                match found {
                    Some(j) if j == i => errors.push(at(
                        i,
                        "see_also",
                        Some(target.trim()),
                        format!("`{}` refers to itself in `see_also`", canonical[i]),
                    )),
                    Some(j) => *target = canonical[j].clone(),
                    None => {
                        let mut d = at(
                            i,
                            "see_also",
                            Some(target.trim()),
                            format!("`see_also` names `{target}`, which is not in the glossary"),
                        );
                        // Sorted, so ties give the same suggestion every build.
                        let mut candidates: Vec<&str> =
                            names.values().map(|(_, n)| n.as_str()).collect();
                        candidates.sort_unstable();
                        d = match suggest(target, candidates) {
                            Some(s) => d.with_help(format!("did you mean `{s}`?")),
                            None => d.with_help(
                                "add it to the glossary as a term of its own, or remove it from `see_also`",
                            ),
                        };
                        errors.push(d);
                    }
                }
            }
        }
        errors.into_result()?;

        for entry in &mut entries {
            entry.term = entry.term.trim().to_string();
            entry.definition = entry.definition.trim().to_string();
            for alias in &mut entry.aliases {
                *alias = alias.trim().to_string();
            }
        }
        entries.sort_by_cached_key(|e| (e.term.to_lowercase(), e.term.clone()));
        Ok(Glossary::build(entries))
    }

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
        for (i, p) in patterns.iter().enumerate() {
            by_first_word.entry(p.key()).or_default().push(i);
        }
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
            by_first_word,
            min_key,
            max_key,
            prefixes,
        }
    }

    /// The entries, sorted A–Z by term (case ignored). Indices into this
    /// slice are the term indices used everywhere else.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// The stable HTML id of entry `index` on the glossary page
    /// ("term-absolute-neutrophil-count"); unique within the glossary.
    /// Panics if `index` is out of range, like slice indexing.
    pub fn anchor(&self, index: usize) -> String {
        self.anchors[index].clone()
    }

    /// The id of the hidden definition that follows a marked term in a page
    /// ("gloss-def-absolute-neutrophil-count"), for `aria-describedby`.
    /// Unique within a page, since a term is marked once per page.
    pub fn definition_id(&self, index: usize) -> String {
        let anchor = &self.anchors[index];
        format!(
            "gloss-def-{}",
            anchor.strip_prefix("term-").unwrap_or(anchor)
        )
    }

    /// The index of the entry whose term or alias is `name` (case and
    /// spacing ignored as in matching), e.g. to link `see_also` entries.
    pub fn lookup(&self, name: &str) -> Option<usize> {
        let wanted = Pattern::new(0, name)?.normalized();
        self.patterns
            .iter()
            .find(|p| p.normalized() == wanted)
            .map(|p| p.term)
    }

    /// First occurrences in `text` of terms whose index is not yet in `seen`;
    /// adds them to `seen`. Returns (byte range in `text`, term index), in
    /// text order, non-overlapping. Call it with each text run of a page in
    /// order, with one `seen` set per page; a term split across two calls is
    /// not found.
    pub fn find(&self, text: &str, seen: &mut HashSet<usize>) -> Vec<(Range<usize>, usize)> {
        let mut found = Vec::new();
        if self.all_seen(seen) {
            return found;
        }
        let mut key = String::new();
        let mut alt = String::new();
        let mut pos = 0;
        while let Some(offset) = text[pos..].find(char::is_alphanumeric) {
            let start = pos + offset;
            let word_end = text[start..]
                .find(|c: char| !c.is_alphanumeric())
                .map_or(text.len(), |e| start + e);
            pos = word_end;
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
    pub fn words(&self) -> HashSet<String> {
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

/// The 0-based line ranges of the top-level list items of block-style YAML,
/// in order. Empty when the list is not written one item per `- ` line.
fn item_lines(text: &str) -> Vec<Range<usize>> {
    let mut starts = Vec::new();
    let mut indent = None;
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let this = line.len() - body.len();
        if indent.is_some_and(|n| this < n) {
            break; // something after the list
        }
        let is_item = body == "-" || body.starts_with("- ");
        if is_item && indent.is_none_or(|n| n == this) {
            indent = Some(this);
            starts.push(i);
        }
    }
    starts
        .iter()
        .enumerate()
        .map(|(k, &s)| s..starts.get(k + 1).copied().unwrap_or(lines.len()))
        .collect()
}

/// 1-based (line, column) of entry `entry`'s `key`, or of `needle` in the
/// lines from that key to the end of the entry; falls back to the entry's
/// first line, then to the first `needle` anywhere, then to 1:1.
fn locate(
    text: &str,
    items: &[Range<usize>],
    entry: usize,
    key: &str,
    needle: Option<&str>,
) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let needle = needle.filter(|n| !n.is_empty());
    // The first `needle` in `lines[range]`, skipping the first `skip` bytes
    // of the first line (its key).
    let search = |range: Range<usize>, skip: usize| {
        let (from, to) = (range.start.min(lines.len()), range.end.min(lines.len()));
        let needle = needle?;
        lines[from..to].iter().enumerate().find_map(|(k, line)| {
            let skip = if k == 0 { skip.min(line.len()) } else { 0 };
            let b = line.get(skip..)?.find(needle)? + skip;
            Some((from + k + 1, line[..b].chars().count() + 1))
        })
    };
    if let Some(range) = items.get(entry) {
        let key_at = range.clone().find_map(|i| {
            let line = lines.get(i)?;
            let b = line.find(key)?;
            let before = line[..b].trim_start();
            let after = line[b + key.len()..].trim_start();
            ((before.is_empty() || before == "-") && after.starts_with(':')).then_some((i, b))
        });
        let (line, b) = key_at.unwrap_or((range.start, 0));
        if let Some(found) = search(line..range.end, b + key.len()) {
            return found;
        }
        let text_line = lines.get(line).copied().unwrap_or("");
        let b = if key_at.is_some() {
            b
        } else {
            text_line.len() - text_line.trim_start().len()
        };
        return (line + 1, text_line[..b].chars().count() + 1);
    }
    search(0..lines.len(), 0).unwrap_or((1, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "\
# The site glossary.
- term: neutrophil
  definition: A type of white blood cell that fights infection.
- term: absolute neutrophil count
  aliases: [ANC]
  definition: The number of neutrophils in a set amount of blood.
  see_also: [neutrophil]
- term: graft-versus-host disease
  aliases:
    - GvHD
  definition: When the donor's immune cells attack the body.
- term: graft
  definition: Transplanted cells.
- term: therapy
  definition: Treatment.
- term: platelet
  definition: A tiny cell that helps blood to clot.
- term: Day 0
  definition: The day of the transplant.
- term: PET scan
  aliases: [PET]
  definition: A scan.
- term: myeloablative
  definition: Strong enough to wipe out the bone marrow.
";

    fn glossary() -> Glossary {
        Glossary::parse(Path::new("content/glossary.yaml"), YAML).unwrap()
    }

    /// The matched text and term of each first occurrence.
    fn marks<'a>(g: &'a Glossary, text: &'a str) -> Vec<(&'a str, &'a str)> {
        let mut seen = HashSet::new();
        g.find(text, &mut seen)
            .into_iter()
            .map(|(r, i)| (&text[r], g.terms()[i].term.as_str()))
            .collect()
    }

    fn err(text: &str) -> Diagnostic {
        Glossary::parse(Path::new("content/glossary.yaml"), text).unwrap_err()
    }

    #[test]
    fn sorted_a_to_z_ignoring_case() {
        let g = glossary();
        let names: Vec<&str> = g.terms().iter().map(|t| t.term.as_str()).collect();
        assert_eq!(
            names,
            [
                "absolute neutrophil count",
                "Day 0",
                "graft",
                "graft-versus-host disease",
                "myeloablative",
                "neutrophil",
                "PET scan",
                "platelet",
                "therapy"
            ]
        );
    }

    #[test]
    fn plurals_and_possessives() {
        let g = glossary();
        assert_eq!(
            marks(&g, "Two neutrophils."),
            [("neutrophils", "neutrophil")]
        );
        assert_eq!(marks(&g, "the platelets' job"), [("platelets", "platelet")]);
        assert_eq!(marks(&g, "new therapies"), [("therapies", "therapy")]);
        assert_eq!(
            marks(&g, "GvHD's signs"),
            [("GvHD", "graft-versus-host disease")]
        );
        assert_eq!(marks(&g, "ANCs"), [("ANCs", "absolute neutrophil count")]);
        // Not plurals: longer words.
        assert!(marks(&g, "neutrophilia plateletsy").is_empty());
    }

    #[test]
    fn aliases_are_the_same_term() {
        let g = glossary();
        let text = "Your ANC is the absolute neutrophil count.";
        assert_eq!(marks(&g, text), [("ANC", "absolute neutrophil count")]);
    }

    #[test]
    fn case_is_ignored_except_for_acronyms() {
        let g = glossary();
        assert_eq!(marks(&g, "NEUTROPHIL"), [("NEUTROPHIL", "neutrophil")]);
        assert_eq!(marks(&g, "on day 0"), [("day 0", "Day 0")]);
        assert_eq!(marks(&g, "gvhd"), [("gvhd", "graft-versus-host disease")]);
        // Acronyms match in capitals only: "pet" and "anc" are other words.
        assert!(marks(&g, "a pet; anc").is_empty());
        assert_eq!(marks(&g, "a PET"), [("PET", "PET scan")]);
        assert_eq!(marks(&g, "a pet scan"), [("pet scan", "PET scan")]);
    }

    #[test]
    fn whole_words_only() {
        let g = glossary();
        assert!(marks(&g, "ANCHOR engraftment grafted regraft Day 01").is_empty());
        assert!(marks(&g, "non-myeloablative").is_empty());
        assert!(marks(&g, "graft-like").is_empty());
        assert_eq!(marks(&g, "(graft)"), [("graft", "graft")]);
        assert_eq!(marks(&g, "graft-"), [("graft", "graft")]);
    }

    #[test]
    fn words_match_across_spaces_newlines_and_hyphens() {
        let g = glossary();
        assert_eq!(
            marks(&g, "absolute\nneutrophil  count"),
            [("absolute\nneutrophil  count", "absolute neutrophil count")]
        );
        assert_eq!(
            marks(&g, "graft versus host disease"),
            [("graft versus host disease", "graft-versus-host disease")]
        );
        assert_eq!(marks(&g, "Day\u{a0}0"), [("Day\u{a0}0", "Day 0")]);
    }

    #[test]
    fn longest_match_wins() {
        let g = glossary();
        assert_eq!(
            marks(&g, "Absolute neutrophil counts rise."),
            [("Absolute neutrophil counts", "absolute neutrophil count")]
        );
        assert_eq!(
            marks(&g, "graft-versus-host disease and graft"),
            [
                ("graft-versus-host disease", "graft-versus-host disease"),
                ("graft", "graft")
            ]
        );
    }

    #[test]
    fn first_occurrence_only_across_calls() {
        let g = glossary();
        let mut seen = HashSet::new();
        let first = "Neutrophils fight infection. A neutrophil is a white cell.";
        let found = g.find(first, &mut seen);
        assert_eq!(found.len(), 1);
        assert_eq!(&first[found[0].0.clone()], "Neutrophils");
        let second = "More neutrophils, and an absolute neutrophil count.";
        let found = g.find(second, &mut seen);
        assert_eq!(found.len(), 1);
        assert_eq!(&second[found[0].0.clone()], "absolute neutrophil count");
        // Seen terms are skipped whole: "neutrophil" inside is not marked.
        let mut seen: HashSet<usize> = [0].into();
        let text = "absolute neutrophil count";
        assert!(g.find(text, &mut seen).is_empty());
        // Everything seen: nothing left to do.
        let mut all: HashSet<usize> = (0..g.terms().len()).collect();
        assert!(g.find("neutrophil platelet", &mut all).is_empty());
    }

    #[test]
    fn unicode_around_terms() {
        let g = glossary();
        let text = "Los neutrófilos — “neutrophil”, 血小板 platelet。Ä-graft";
        let mut seen = HashSet::new();
        let found = g.find(text, &mut seen);
        let got: Vec<&str> = found.iter().map(|(r, _)| &text[r.clone()]).collect();
        assert_eq!(got, ["neutrophil", "platelet"]);
        // Letters of other scripts are word characters too.
        assert!(marks(&g, "éneutrophil neutrophilé").is_empty());
        // Case folding beyond ASCII never panics and keeps byte ranges valid.
        assert!(marks(&g, "İİİ ﬃ ǅ").is_empty());
    }

    #[test]
    fn yaml_errors_are_located() {
        let e = err("- term: a\n  defintion: b\n");
        assert_eq!((e.line, e.column), (Some(2), Some(3)));
        assert!(
            e.message.contains("did you mean `definition`?"),
            "{}",
            e.message
        );
        // A parser error is located in the file: the line and column of the
        // value, in the third entry.
        let e = err("- term: [a\n");
        assert_eq!((e.line, e.column), (Some(1), Some(9)), "{}", e.message);
        let e = err("- term: a\n  definition: b\n- term: [c\n  definition: d\n");
        assert_eq!((e.line, e.column), (Some(3), Some(9)), "{}", e.message);
        assert!(
            e.message.contains("expected text, found a list"),
            "{}",
            e.message
        );
        let e = err("- term: a\n  definition: b\n- term: \"c\n  definition: d\n");
        assert_eq!((e.line, e.column), (Some(3), Some(9)), "{}", e.message);
        assert_eq!(e.message, "this quoted value is never closed");
        assert!(
            Glossary::parse(Path::new("g.yaml"), "# nothing yet\n")
                .unwrap()
                .terms()
                .is_empty()
        );
    }

    #[test]
    fn empty_fields_are_errors() {
        let e = err("- term: a\n  definition: b\n- term: \" \"\n  definition: c\n");
        assert_eq!(e.line, Some(3));
        assert_eq!(e.message, "glossary term is empty");
        let e = err("- term: a\n  definition: b\n- term: c\n  definition: \"\"\n");
        assert_eq!(e.line, Some(4));
        assert!(e.message.contains("`c` has an empty definition"));
        let e = err("- term: \"?!\"\n  definition: b\n");
        assert!(e.message.contains("no letters or digits"), "{}", e.message);
    }

    #[test]
    fn duplicates_name_both() {
        let e = err("\
- term: Neutrophil
  definition: a
- term: platelet
  definition: b
- term: neutrophil
  definition: c
");
        assert_eq!((e.line, e.column), (Some(5), Some(9)));
        assert_eq!(
            e.message,
            "duplicate glossary term `neutrophil`: same as the term `Neutrophil`"
        );
        let e = err("\
- term: absolute neutrophil count
  aliases: [ANC]
  definition: a
- term: anc
  definition: b
");
        assert_eq!(e.line, Some(4));
        assert!(
            e.message
                .contains("`anc`: same as `ANC`, an alias of `absolute neutrophil count`"),
            "{}",
            e.message
        );
        let e = err("\
- term: graft-versus-host disease
  definition: a
- term: GvHD
  aliases:
    - graft versus host disease
  definition: b
");
        assert_eq!((e.line, e.column), (Some(5), Some(7)));
        assert!(
            e.message.starts_with("duplicate glossary alias"),
            "{}",
            e.message
        );
    }

    #[test]
    fn see_also_must_exist() {
        let e = err("\
- term: neutrophil
  definition: a
- term: platelet
  definition: b
  see_also: [neutrofil]
");
        assert_eq!((e.line, e.column), (Some(5), Some(14)));
        assert!(
            e.message
                .contains("`neutrofil`, which is not in the glossary")
        );
        assert_eq!(e.help.as_deref(), Some("did you mean `neutrophil`?"));
        // Aliases and other spellings resolve to the entry's term.
        let g = Glossary::parse(
            Path::new("g.yaml"),
            "- term: absolute neutrophil count\n  aliases: [ANC]\n  definition: a\n\
             - term: platelet\n  definition: b\n  see_also: [anc]\n",
        )
        .unwrap();
        assert_eq!(g.terms()[1].see_also, ["absolute neutrophil count"]);
        // Lookup by name ignores case, even for acronyms.
        assert_eq!(g.lookup("anc"), Some(0));
        assert_eq!(g.lookup("Absolute  Neutrophil Count"), Some(0));
    }

    #[test]
    fn yaml_messages_are_short() {
        let e = err("- term: a\n  defintion: b\n");
        assert_eq!(
            e.message,
            "unknown field `defintion` — did you mean `definition`?"
        );
        assert_eq!(
            e.help.as_deref(),
            Some("rename `defintion` to `definition`")
        );
        let e = err("term: a\ndefinition: b\n");
        assert_eq!((e.line, e.column), (Some(1), Some(1)));
        assert!(e.help.unwrap().contains("`- term:`"));
    }

    #[test]
    fn all_errors_are_collected() {
        let errors = Glossary::parse_all(
            Path::new("g.yaml"),
            "- term: a\n  definition: \"\"\n- term: A\n  definition: x\n  see_also: [zzz]\n",
        )
        .unwrap_err();
        assert_eq!(errors.len(), 3, "{errors}");
    }

    #[test]
    fn anchors_are_unique_and_stable() {
        let g = glossary();
        assert_eq!(g.anchor(0), "term-absolute-neutrophil-count");
        assert_eq!(g.anchor(1), "term-day-0");
        assert_eq!(g.definition_id(0), "gloss-def-absolute-neutrophil-count");
        let anchors: HashSet<String> = (0..g.terms().len()).map(|i| g.anchor(i)).collect();
        assert_eq!(anchors.len(), g.terms().len());
        // Different terms with the same slug get numbered ids.
        let g = Glossary::parse(
            Path::new("g.yaml"),
            "- term: don't\n  definition: a\n- term: dont\n  definition: b\n",
        )
        .unwrap();
        assert_eq!(g.anchor(0), "term-dont");
        assert_eq!(g.anchor(1), "term-dont-1");
    }

    #[test]
    fn words_for_readability() {
        let words = glossary().words();
        for w in [
            "neutrophil",
            "anc",
            "graft-versus-host",
            "versus",
            "gvhd",
            "day",
            "pet",
        ] {
            assert!(words.contains(w), "{w}");
        }
        assert!(!words.contains("0"));
    }

    #[test]
    fn bundled_glossary_is_valid() {
        let text = include_str!("../../content/glossary.yaml");
        let g = Glossary::parse(Path::new("content/glossary.yaml"), text)
            .unwrap_or_else(|d| panic!("{d}"));
        assert!(g.terms().len() >= 45);
    }
}
