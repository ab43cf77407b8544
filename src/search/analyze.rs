//! Text analysis for search: the same steps for the pages at build time and
//! for a reader's query, so that what a patient types meets what a writer
//! wrote.
//!
//! 1. **Words** by Unicode word boundaries (`unicode-segmentation`); a run
//!    of CJK characters (Han, kana, Hangul), which has no spaces, becomes
//!    its overlapping character pairs, so "检查" is found inside "移植前的检查".
//! 2. **Case and accents** go: lower case, and the accents of Latin letters
//!    (`naïve` → `naive`).
//! 3. **British and American medical spelling** meet in one form:
//!    `anaemia`/`anemia`, `oesophagus`/`esophagus`, `tumour`/`tumor`,
//!    `centre`/`center`, `organise`/`organize`, and common irregulars
//!    ([`fold`]). The folded form is internal: it only has to be the same
//!    for both spellings and not to merge different words.
//! 4. **Stems** (Snowball's English stemmer, in [`Analyzer::term`]):
//!    `donors` and `donor`, `typing` and `type`, `transplanted` and
//!    `transplant` become one term.

// The browser does the same in themes/default/static/search-text.js: any
// change here (the spelling tables above all) must be made there too;
// tests/search_parity.rs compares the two on the bundled guide, hard cases
// and every code point.

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

/// Turns text into search terms.
pub(crate) struct Analyzer {
    /// `None` for languages without a stemmer: words are matched as folded.
    stemmer: Option<Stemmer>,
}

impl Analyzer {
    /// The analyzer for a site written in `language` (a BCP 47 tag).
    pub(crate) fn for_language(language: &str) -> Analyzer {
        let primary = language.split(['-', '_']).next().unwrap_or("");
        let stemmer = match primary.to_ascii_lowercase().as_str() {
            "en" | "" => Some(Stemmer::create(Algorithm::English)),
            _ => None,
        };
        Analyzer { stemmer }
    }

    /// The words of `text`, lower-cased and folded, in order (CJK runs as
    /// their character pairs). These are what excerpts highlight.
    pub(crate) fn words(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        each_token(text, &mut |token| {
            let word = fold_token(token);
            if !word.is_empty() {
                out.push(word);
            }
        });
        out
    }

    /// The term a folded word is indexed under: its stem.
    pub(crate) fn term(&self, folded: &str) -> String {
        match &self.stemmer {
            Some(s) if folded.is_ascii() => s.stem(folded).into_owned(),
            _ => folded.to_string(),
        }
    }

    /// The terms of `text`, in order.
    #[cfg(test)]
    pub(crate) fn terms(&self, text: &str) -> Vec<String> {
        self.words(text).iter().map(|w| self.term(w)).collect()
    }

    /// Words too common to help find a page, for this language (sorted).
    /// The browser drops them from queries too (the index lists them).
    pub(crate) fn stop_words(&self) -> &'static [&'static str] {
        match self.stemmer {
            Some(_) => &ENGLISH_STOP_WORDS,
            None => &[],
        }
    }

    /// Whether folded `word` is a stop word.
    pub(crate) fn is_stop_word(&self, word: &str) -> bool {
        self.stop_words().binary_search(&word).is_ok()
    }
}

/// English words too common to rank by, questions' words among them ("how
/// long does engraftment take" is a search for "long engraftment take").
const ENGLISH_STOP_WORDS: [&str; 63] = [
    "a", "about", "am", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could",
    "did", "do", "does", "for", "from", "had", "has", "have", "how", "i", "if", "in", "is", "it",
    "its", "me", "my", "of", "on", "or", "our", "should", "so", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "those", "to", "was", "we", "were", "what",
    "when", "where", "which", "who", "why", "will", "with", "would", "you", "your",
];

/// Whether folded `word` is one a reader may be typing or misspell: made of
/// letters only, and not CJK (whose character pairs are matched as they
/// are). Numbers and code (`10000`, `scheduler.adapter`) are found when
/// typed in full.
pub(crate) fn in_vocabulary(word: &str) -> bool {
    word.chars().all(char::is_alphabetic) && !word.starts_with(is_cjk)
}

/// Han ideographs, kana and Hangul: scripts written without spaces.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // Hiragana, Katakana
        | 0x3400..=0x4DBF   // CJK Extension A
        | 0x4E00..=0x9FFF   // CJK Unified Ideographs
        | 0xAC00..=0xD7AF   // Hangul syllables
        | 0xF900..=0xFAFF   // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F) // Extensions B–F and compatibility supplement
}

/// Feeds `text`'s words to `out` as written, in order: a word of text
/// without CJK characters, or a pair of CJK characters (a lone one stands
/// for itself). Each is a slice of `text`, so a caller that has seen the
/// word before can skip [`fold_token`].
pub(crate) fn each_token<'t>(text: &'t str, out: &mut dyn FnMut(&'t str)) {
    let mut rest = text;
    // Unicode word boundaries make every ideograph a word: CJK runs are
    // cut out first and paired.
    while let Some(start) = (!rest.is_ascii()).then(|| rest.find(is_cjk)).flatten() {
        rest[..start].unicode_words().for_each(&mut *out);
        let run = &rest[start..];
        let end = run.find(|c: char| !is_cjk(c)).unwrap_or(run.len());
        cjk_pairs(&run[..end], out);
        rest = &run[end..];
    }
    rest.unicode_words().for_each(out);
}

/// A token of [`each_token`] as the index spells it: CJK as written,
/// other words lower-cased, without accents, with British spelling folded.
/// A "word" of marks alone (a vowel sign after a space, say) has nothing
/// left once they go: it is `""`, no word.
pub(crate) fn fold_token(token: &str) -> String {
    if token.starts_with(is_cjk) {
        return token.to_string();
    }
    let folded = fold(&plain(token)).into_owned();
    if folded.chars().any(char::is_alphanumeric) {
        folded
    } else {
        String::new()
    }
}

/// The overlapping character pairs of a run of CJK characters (a lone
/// character stands for itself).
fn cjk_pairs<'t>(run: &'t str, out: &mut dyn FnMut(&'t str)) {
    let bounds: Vec<usize> = run
        .char_indices()
        .map(|(i, _)| i)
        .chain([run.len()])
        .collect();
    if bounds.len() == 2 {
        out(run);
    }
    for w in bounds.windows(3) {
        out(&run[w[0]..w[2]]);
    }
}

/// Lower case without the accents of Latin letters.
fn plain(word: &str) -> String {
    let lower = word.to_lowercase();
    if lower.is_ascii() {
        return lower;
    }
    lower.nfd().filter(|c| !is_combining_mark(*c)).collect()
}

// The spelling tables and rules from here to `fold_ize` have a copy in
// themes/default/static/search-text.js, kept in step by
// tests/search_parity.rs.

/// Whole words spelt differently in British and American English, as
/// (British, the folded form).
const IRREGULAR: [(&str, &str); 14] = [
    ("ageing", "aging"),
    ("aluminium", "aluminum"),
    ("catalogue", "catalog"),
    ("cheque", "check"),
    ("defence", "defense"),
    ("dialogue", "dialog"),
    ("grey", "gray"),
    ("judgement", "judgment"),
    ("licence", "license"),
    ("manoeuvre", "maneuver"),
    ("mould", "mold"),
    ("offence", "offense"),
    ("programme", "program"),
    ("sulphur", "sulfur"),
];

/// Letter groups that British medical spelling writes with an extra vowel,
/// and their American form: `haem-`/`-aemia` (anaemia, leukaemia,
/// haemoglobin, ischaemia), `paed-`, `aesth`, `oes-`/`oed-`, `foet-`,
/// `-rrhoea`, `-pnoea`, `coeli-`, `gynaec-`, `faec-`, `caes-`, `amoeb-`.
const VOWELS: [(&str, &str); 12] = [
    ("aem", "em"),
    ("paed", "ped"),
    ("aesth", "esth"),
    ("foet", "fet"),
    ("rrhoea", "rrhea"),
    ("pnoea", "pnea"),
    ("coeli", "celi"),
    ("gynaec", "gynec"),
    ("faec", "fec"),
    ("caes", "ces"),
    ("amoeb", "ameb"),
    ("aetiol", "etiol"),
];

/// Words ending in `our` that are not British forms of `-or` words.
const OUR_WORDS: [&str; 6] = [
    "contour",
    "detour",
    "devour",
    "velour",
    "paramour",
    "troubadour",
];

/// What may follow `our` in a British `-our` word (tumours, coloured,
/// favourite, behavioural, honourable…).
const OUR_ENDINGS: [&str; 10] = [
    "", "s", "ed", "ing", "ite", "ites", "able", "al", "ally", "ful",
];

/// British and American spellings of one word folded into one form.
/// `word` is lower case.
pub(crate) fn fold(word: &str) -> Cow<'_, str> {
    if !word.is_ascii() || word.len() < 4 {
        return Cow::Borrowed(word);
    }
    if let Some(&(_, folded)) = IRREGULAR.iter().find(|(uk, _)| *uk == word) {
        return Cow::Owned(folded.to_string());
    }
    let mut w = word.to_string();
    for (uk, us) in VOWELS {
        if w.contains(uk) {
            w = w.replace(uk, us);
        }
    }
    // oesophagus, oestrogen, oedema: a leading "oe" before a consonant.
    if w.starts_with("oe") && w[2..].starts_with(|c: char| !"aeiou".contains(c)) {
        w.remove(0);
    }
    fold_our(&mut w);
    fold_tre(&mut w);
    fold_ize(&mut w);
    if w == word {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(w)
    }
}

/// tumour → tumor, colours → colors; not four, hour, your, contour.
fn fold_our(w: &mut String) {
    let Some(i) = w.rfind("our") else {
        return;
    };
    let (stem, rest) = (&w[..i], &w[i + 3..]);
    let whole = format!("{stem}our");
    if stem.len() >= 3 && OUR_ENDINGS.contains(&rest) && !OUR_WORDS.contains(&whole.as_str()) {
        w.replace_range(i..i + 3, "or");
    }
}

/// centre → center, fibres → fibers, centred → centered.
fn fold_tre(w: &mut String) {
    for (uk, us) in [("tre", "ter"), ("bre", "ber")] {
        for (ending, us_ending) in [("", ""), ("s", "s"), ("d", "ed")] {
            let suffix = format!("{uk}{ending}");
            if w.len() >= suffix.len() + 2 && w.ends_with(&suffix) {
                let at = w.len() - suffix.len();
                w.replace_range(at.., &format!("{us}{us_ending}"));
                return;
            }
        }
    }
}

/// organize → organise, hospitalization → hospitalisation: `z` to `s` in
/// the `-ize` family (the other way would need a long list of words, such
/// as "exercise", that only have the `s`).
fn fold_ize(w: &mut String) {
    for suffix in [
        "izations", "ization", "izing", "izes", "ized", "izer", "izers", "ize",
    ] {
        if w.len() > suffix.len() + 1 && w.ends_with(suffix) {
            let at = w.len() - suffix.len() + 1;
            w.replace_range(at..at + 1, "s");
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en() -> Analyzer {
        Analyzer::for_language("en-GB")
    }

    fn same(a: &str, b: &str) {
        let an = en();
        assert_eq!(an.terms(a), an.terms(b), "{a} / {b}");
    }

    fn different(a: &str, b: &str) {
        let an = en();
        assert_ne!(an.terms(a), an.terms(b), "{a} / {b}");
    }

    #[test]
    fn british_and_american_spellings_meet() {
        for (uk, us) in [
            ("anaemia", "anemia"),
            ("leukaemia", "leukemia"),
            ("haemoglobin", "hemoglobin"),
            ("haematopoietic", "hematopoietic"),
            ("paediatric", "pediatric"),
            ("anaesthetic", "anesthetic"),
            ("oesophagus", "esophagus"),
            ("oedema", "edema"),
            ("foetal", "fetal"),
            ("diarrhoea", "diarrhea"),
            ("coeliac", "celiac"),
            ("tumour", "tumor"),
            ("tumours", "tumors"),
            ("colouring", "coloring"),
            ("favourite", "favorite"),
            ("behavioural", "behavioral"),
            ("centre", "center"),
            ("centres", "centers"),
            ("centred", "centered"),
            ("fibre", "fiber"),
            ("litre", "liter"),
            ("organise", "organize"),
            ("hospitalisation", "hospitalization"),
            ("specialised", "specialized"),
            ("programme", "program"),
            ("grey", "gray"),
            ("ageing", "aging"),
        ] {
            same(uk, us);
        }
    }

    #[test]
    fn other_words_stay_apart() {
        for (a, b) in [
            ("four", "for"),
            ("hour", "hor"),
            ("your", "yor"),
            ("contour", "contor"),
            ("detour", "detor"),
            ("shoe", "she"),
            ("does", "des"),
            ("poem", "pem"),
            ("aerobic", "erobic"),
            ("metre", "meat"),
        ] {
            if a != b {
                different(a, b);
            }
        }
        // Words that only exist with an `s` are left as written.
        assert_eq!(fold("exercise"), "exercise");
        assert_eq!(fold("advise"), "advise");
        assert_eq!(fold("four"), "four");
    }

    #[test]
    fn word_forms_share_a_stem() {
        same("donors", "donor");
        same("transplants", "transplant");
        same("transplanted", "transplanting");
        same("typing", "type");
        same("relapsed", "relapse");
        same("biopsies", "biopsy");
    }

    #[test]
    fn stop_words_are_sorted_folded_words() {
        let en = en();
        assert!(en.stop_words().is_sorted());
        for w in en.stop_words() {
            assert_eq!(en.words(w), [*w]);
        }
        assert!(Analyzer::for_language("zh").stop_words().is_empty());
    }

    #[test]
    fn case_and_accents_do_not_matter() {
        same("Naïve", "naive");
        same("CAFÉ", "cafe");
        same("GVHD", "gvhd");
    }

    #[test]
    fn cjk_text_becomes_character_pairs() {
        let an = en();
        assert_eq!(
            an.words("移植前的检查"),
            ["移植", "植前", "前的", "的检", "检查"]
        );
        // The query's pairs are among the page's.
        let page = an.terms("移植前的检查");
        assert!(an.terms("检查").iter().all(|t| page.contains(t)));
        assert_eq!(an.words("血"), ["血"]);
        // Mixed with Latin letters and digits.
        assert_eq!(an.words("HLA配型 2次"), ["hla", "配型", "2", "次"]);
    }

    #[test]
    fn words_split_on_unicode_boundaries() {
        let an = en();
        assert_eq!(
            an.words("Graft-versus-host disease (GVHD): day 0."),
            ["graft", "versus", "host", "disease", "gvhd", "day", "0"]
        );
        assert_eq!(an.words("don't"), ["don't"]);
        // Marks that follow a space are part of its segment, and go.
        assert_eq!(an.words(" \u{93E}x \u{301}\u{345}"), ["x"]);
    }

    #[test]
    fn languages_without_a_stemmer_match_folded_words() {
        let fr = Analyzer::for_language("fr");
        assert_eq!(fr.terms("Greffés"), ["greffes"]);
    }
}
