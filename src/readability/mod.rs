//! Readability scores of a page's prose: Flesch Reading Ease, Flesch–Kincaid
//! grade and SMOG.
//!
//! Health publishers set readability targets for patient pages (see
//! `shared/medical-publishing.md`), and writers compare marrow's numbers
//! with other tools'. The usual reference is Python's `textstat`, so the
//! counts follow its conventions where they are sensible, and the tests
//! check the scores against textstat on real pages of the bundled site
//! (`tests/fixtures/readability/`).
//!
//! # What the caller passes
//!
//! Plain prose as a reader sees it: no Markdown syntax, code, tables, URLs
//! or HTML. **One paragraph, list item or heading per line**: a line break
//! always ends a sentence, because list items and headings usually have no
//! final full stop and would otherwise run into the next sentence. Blank
//! lines are allowed and ignored.
//!
//! # How things are counted
//!
//! - **Words** are whitespace-separated tokens that contain at least one
//!   letter or digit (any script), like textstat's: `e.g.`, `0.5`, `10⁹/L`,
//!   `and/or`, `high-risk` and `don't` are one word each, `Day +30` is two,
//!   and `20 × 10⁹/L` is two (a lone `×`, `–` or `+` is no word). An em or
//!   en dash between two words without spaces (`care—and`) separates them.
//! - **Sentences** end at `.`, `!`, `?` or `…` at the end of a token
//!   (closing quotes and brackets may follow), and at every line break.
//!   Full stops inside a token (`0.5`, `e.g.`) never end a sentence;
//!   abbreviations (`e.g.`, `Dr.`, `etc.`, …, see [`sentences`]) don't
//!   either, except `etc.`-like ones before a capitalised word. A sentence
//!   must contain a word. (textstat instead splits at every full stop,
//!   ignores line breaks, and drops "sentences" of one or two words.)
//! - **Syllables** are counted by rules for English spelling (British and
//!   American) with a short list of exceptions, tuned against the CMU
//!   pronouncing dictionary that textstat uses; see [`syllables`]. A number
//!   (`2022`, `0.5`) counts as one syllable, as in textstat: readers take in
//!   numerals at a glance. Initialisms written in capitals are read letter by
//!   letter (`NHS`, `GvHD`, `HLA`: 3, 4, 3) when they have no vowel or are in
//!   a short list; other capitalised words are words (`SCID`: 1). textstat
//!   counts unknown initialisms as one syllable.
//! - **Polysyllables** are words of three or more syllables (SMOG).

mod english;
mod other;
mod sentence;
mod syllable;

use serde::Serialize;

pub(crate) use other::{SentenceLengths, is_english, sentence_lengths};
#[cfg(test)]
use sentence::sentence_spans;
pub(crate) use sentence::sentences;
pub(crate) use syllable::syllables;

/// Counts and scores of one text.
///
/// For text without words or sentences (empty, or only punctuation) all
/// counts are 0 and so are the three scores: no score is ever NaN or
/// infinite, so the value can go straight into JSON and templates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub(crate) struct Readability {
    /// Words, ignored ones included.
    pub words: usize,
    /// Sentences (lines without final punctuation count as one each).
    pub sentences: usize,
    /// Syllables, rounded to the nearest whole number when ignored words
    /// contribute the mean of the others (the scores use the unrounded sum).
    pub syllables: usize,
    /// Words of three or more syllables; ignored words never count.
    pub polysyllables: usize,
    /// 206.835 − 1.015 × words per sentence − 84.6 × syllables per word.
    /// Higher is easier; 60–70 is plain English.
    pub flesch_reading_ease: f64,
    /// 0.39 × words per sentence + 11.8 × syllables per word − 15.59: a US
    /// school grade.
    pub flesch_kincaid_grade: f64,
    /// 1.0430 × √(polysyllables × 30 / sentences) + 3.1291: a US school
    /// grade (meant for texts of 30 sentences; shorter texts are scaled).
    pub smog_grade: f64,
}

impl Readability {
    /// The scores of the given counts. `syllables` may be fractional (ignored
    /// words contribute a mean). Zero words or sentences give all-zero scores.
    fn from_counts(words: usize, sentences: usize, syllables: f64, polysyllables: usize) -> Self {
        let (mut ease, mut grade, mut smog) = (0.0, 0.0, 0.0);
        if words > 0 && sentences > 0 {
            let asl = words as f64 / sentences as f64;
            let asw = syllables / words as f64;
            ease = 206.835 - 1.015 * asl - 84.6 * asw;
            grade = 0.39 * asl + 11.8 * asw - 15.59;
            smog = 1.0430 * (polysyllables as f64 * 30.0 / sentences as f64).sqrt() + 3.1291;
        }
        Readability {
            words,
            sentences,
            syllables: syllables.round() as usize,
            polysyllables,
            flesch_reading_ease: ease,
            flesch_kincaid_grade: grade,
            smog_grade: smog,
        }
    }
}

/// Counts and scores `text` (plain prose, one paragraph or list item per
/// line: see the module docs).
///
/// `ignore(word)` is true for words whose length the site accepts because
/// there is no plainer word (medical terms such as "neutrophil"): such a
/// word still counts as a word, so sentence length is unchanged, but
/// instead of its own syllables it contributes the mean syllables per word
/// of the words not ignored, and it is never a polysyllable. It is called
/// with the word as written (case and inner punctuation kept, surrounding
/// punctuation removed), once per distinct word of `text`, so it must
/// depend on the word alone. If every word is ignored, each counts as one
/// syllable.
pub(crate) fn analyze(text: &str, ignore: &dyn Fn(&str) -> bool) -> Readability {
    let (mut words, mut ignored, mut syllable_sum, mut polysyllables) =
        (0usize, 0usize, 0usize, 0usize);
    // A page repeats most of its words, and judging and counting them is
    // most of `check`'s time: each distinct word once (`None`: ignored).
    let mut seen: rustc_hash::FxHashMap<&str, Option<usize>> = Default::default();
    for word in words_of(text) {
        words += 1;
        let judged = *seen
            .entry(word)
            .or_insert_with(|| (!ignore(word)).then(|| syllables(word)));
        let Some(n) = judged else {
            ignored += 1;
            continue;
        };
        syllable_sum += n;
        if n >= 3 {
            polysyllables += 1;
        }
    }
    let counted = words - ignored;
    let mean = if counted > 0 {
        syllable_sum as f64 / counted as f64
    } else {
        1.0
    };
    let syllables = syllable_sum as f64 + mean * ignored as f64;
    Readability::from_counts(words, sentences(text), syllables, polysyllables)
}

/// The words of `text` as the caller's `ignore` sees them: tokens with at
/// least one letter or digit, with leading and trailing punctuation
/// removed (inner punctuation such as `don't`, `high-risk`, `0.5` kept).
pub(crate) fn words_of(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || c == '—' || c == '–')
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests;
