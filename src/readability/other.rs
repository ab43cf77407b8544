//! Readability for pages not in English. Flesch–Kincaid and SMOG count
//! English syllables and fit English school grades: for Chinese or Arabic
//! they give numbers that mean nothing. What carries over to every
//! language is sentence length, so that is what `check` reports: in
//! characters for Chinese, Japanese and Korean (written without spaces),
//! in words for the others.

use unicode_segmentation::UnicodeSegmentation;

/// Sentence lengths of one text.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct SentenceLengths {
    pub sentences: usize,
    /// Characters or words in all sentences.
    pub units: usize,
    /// The longest sentence, in the same unit.
    pub longest: usize,
    /// `sentence length in characters` or `sentence length in words`.
    pub measure: &'static str,
}

/// Whether `tag` (BCP 47) is English, the language the grade formulas are for.
pub(crate) fn is_english(tag: &str) -> bool {
    tag.split(['-', '_'])
        .next()
        .is_some_and(|p| p.eq_ignore_ascii_case("en"))
}

/// Whether `tag` is a language written without spaces between words.
fn counts_characters(tag: &str) -> bool {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        primary.as_str(),
        "zh" | "ja" | "ko" | "yue" | "wuu" | "th" | "lo" | "my" | "km"
    )
}

/// The sentence lengths of `text` (one paragraph, item or heading per
/// line, as for the English scores) in language `tag`.
pub(crate) fn sentence_lengths(text: &str, tag: &str) -> SentenceLengths {
    let chars = counts_characters(tag);
    let mut out = SentenceLengths {
        measure: if chars {
            "sentence length in characters"
        } else {
            "sentence length in words"
        },
        ..SentenceLengths::default()
    };
    let ends = |c: char| {
        matches!(
            c,
            '。' | '！' | '？' | '!' | '?' | '.' | '…' | '؟' | '۔' | '；' | ';'
        )
    };
    for line in text.lines() {
        for sentence in line.split(ends) {
            let n = if chars {
                sentence.chars().filter(|c| c.is_alphanumeric()).count()
            } else {
                sentence.unicode_words().count()
            };
            if n == 0 {
                continue;
            }
            out.sentences += 1;
            out.units += n;
            out.longest = out.longest.max(n);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counts_characters_arabic_counts_words() {
        let zh = sentence_lengths(
            "植入是指新的干细胞开始造血。通常需要两到四周！\n血细胞计数",
            "zh-Hans",
        );
        assert_eq!((zh.sentences, zh.longest), (3, 13));
        assert_eq!(zh.units, 13 + 8 + 5);
        assert_eq!(zh.measure, "sentence length in characters");
        let ar = sentence_lengths("تبدأ الخلايا الجديدة بالعمل. هذا يسمى الانغراس؟", "ar");
        assert_eq!((ar.sentences, ar.units, ar.longest), (2, 7, 4));
        assert_eq!(ar.measure, "sentence length in words");
        assert!(is_english("en-GB") && !is_english("zh-Hans"));
    }
}
