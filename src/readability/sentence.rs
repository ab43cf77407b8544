//! Where sentences end: full stops, abbreviations and line breaks.

/// Abbreviations whose full stop does not end a sentence. Lower case,
/// without the final full stop. Those in [`MAY_END`] end a sentence when
/// the next word is capitalised ("… books etc. The ward …").
const ABBREVIATIONS: &[&str] = &[
    "al", "approx", "c", "ca", "cf", "dept", "dr", "e.g", "eg", "etc", "fig", "i.e", "ie", "incl",
    "jr", "max", "min", "mr", "mrs", "ms", "no", "nos", "prof", "sr", "st", "vs",
];

/// Abbreviations that often close a sentence themselves.
const MAY_END: &[&str] = &["al", "etc", "incl", "max", "min"];

/// The number of sentences in `text`: see [`sentence_spans`]. Counted
/// without collecting them: `check` counts every page's.
pub(crate) fn sentences(text: &str) -> usize {
    let mut n = 0;
    each_sentence(text, |_| n += 1);
    n
}

/// The sentences of `text`, each as a slice of it (trimmed).
///
/// A sentence ends at a token ending in `.`, `!`, `?` or `…` (closing
/// quotes and brackets may follow), and at every line break. A full stop
/// inside a token never ends one (`0.5`, `10⁹/L`, `e.g.` followed by
/// nothing), nor does the full stop of an abbreviation such as `e.g.`,
/// `i.e.`, `Dr.`, `Mr.`, `Mrs.`, `vs.`, `approx.`, or of single letters
/// (`J. Smith`); `etc.`, `incl.`, `min.`, `max.` and `al.` end a sentence
/// only before a capitalised word. Pieces without a letter or digit are not
/// sentences.
#[cfg(test)]
pub(super) fn sentence_spans(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    each_sentence(text, |s| out.push(s));
    out
}

/// Calls `found` with each sentence of `text` (see [`sentence_spans`]), in
/// order.
fn each_sentence<'a>(text: &'a str, mut found: impl FnMut(&'a str)) {
    let mut piece = |s: &'a str| {
        let s = s.trim();
        if s.chars().any(char::is_alphanumeric) {
            found(s);
        }
    };
    for line in text.lines() {
        // Tokens with their byte offsets in the line, and the one after.
        let mut tokens = line
            .split_whitespace()
            .map(|t| (t.as_ptr() as usize - line.as_ptr() as usize, t))
            .peekable();
        let mut start = 0usize;
        while let Some((offset, token)) = tokens.next() {
            let next = tokens.peek().map(|&(_, t)| t);
            if ends_sentence(token, next) {
                let end = offset + token.len();
                piece(&line[start..end]);
                start = end;
            }
        }
        piece(&line[start..]);
    }
}

/// Whether `token` closes its sentence, given the token after it.
fn ends_sentence(token: &str, next: Option<&str>) -> bool {
    let core = token.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '}', '*', '_']);
    let Some(last) = core.chars().last() else {
        return false;
    };
    if matches!(last, '!' | '?' | '…') {
        return true;
    }
    if last != '.' {
        return false;
    }
    if core.ends_with("...") {
        return true;
    }
    // The word before the full stop, without opening punctuation.
    let word = core[..core.len() - 1].trim_start_matches(|c: char| !c.is_alphanumeric());
    if word.is_empty() {
        return true;
    }
    let lower = word.to_lowercase();
    let next_capital = next
        .and_then(|n| n.chars().find(|c| c.is_alphanumeric()))
        .is_some_and(char::is_uppercase);
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return MAY_END.contains(&lower.as_str()) && next_capital;
    }
    // Single letters ("J. Smith") and dotted abbreviations ("a.m.", "U.K.").
    let mut chars = word.chars();
    let single = chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none();
    let dotted = word.contains('.') && word.split('.').all(|p| p.chars().count() == 1);
    if single || dotted {
        return next_capital && !single;
    }
    true
}
