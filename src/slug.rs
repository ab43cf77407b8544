//! Turning titles and file names into URL segments and heading ids.
//!
//! Both keep letters and digits of every script (a Chinese heading gets a
//! Chinese id, not an empty one) and fold everything else into hyphens, so
//! the result is stable as long as the words are. Both read the text in
//! Unicode NFC first: `é` typed as one character and `é` stored as `e` plus
//! a combining accent (as some macOS tools save file names) look the same,
//! so they give the same, accent-keeping, result.

use std::collections::HashMap;

use crate::content::path::nfc;

/// A heading id: lower-case letters and digits of any script, words joined
/// by `-`; punctuation dropped. Never empty (falls back to `section`).
pub fn heading_id(text: &str) -> String {
    let s = fold(&nfc(text), |_| false);
    if s.is_empty() { "section".into() } else { s }
}

/// A URL segment from a file or folder name: like [`heading_id`], but `.` and
/// `_` survive inside (`v1.2`, `side_effects`). Dots at either end go, so a
/// file named `...md` can never become the segment `..` (or `.`).
pub fn path_segment(name: &str) -> String {
    let s = fold(&nfc(name), |c| c == '.' || c == '_');
    let s = s.trim_matches('.');
    if s.is_empty() {
        "page".into()
    } else {
        s.to_string()
    }
}

fn fold(text: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() || keep(c) {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '–' || c == '—' || c == '/' {
            pending_dash = true;
        }
        // Other punctuation is dropped without splitting words ("don't" → "dont").
    }
    out
}

/// Hands out ids that are unique within one page, adding `-1`, `-2`… to
/// repeats, in document order so the result is stable.
#[derive(Debug, Default)]
pub struct UniqueIds {
    seen: HashMap<String, usize>,
}

impl UniqueIds {
    /// Reserves an id chosen by the writer; returns false if already taken.
    pub fn reserve(&mut self, id: &str) -> bool {
        if self.seen.contains_key(id) {
            return false;
        }
        self.seen.insert(id.to_string(), 0);
        true
    }

    /// A unique id based on `base`.
    pub fn unique(&mut self, base: String) -> String {
        if !self.seen.contains_key(&base) {
            self.seen.insert(base.clone(), 0);
            return base;
        }
        let mut n = self.seen[&base];
        loop {
            n += 1;
            let candidate = format!("{base}-{n}");
            if !self.seen.contains_key(&candidate) {
                self.seen.insert(base, n);
                self.seen.insert(candidate.clone(), 0);
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_never_make_a_dot_segment() {
        // Found by tests/properties.rs: `..md` and `...md` have the stems
        // `.` and `..`.
        assert_eq!(path_segment("."), "page");
        assert_eq!(path_segment(".."), "page");
        assert_eq!(path_segment("..x.."), "x");
        assert_eq!(path_segment("v1.2"), "v1.2");
    }

    #[test]
    fn heading_ids() {
        assert_eq!(heading_id("What is HLA matching?"), "what-is-hla-matching");
        assert_eq!(
            heading_id("  Day 0 — the transplant  "),
            "day-0-the-transplant"
        );
        assert_eq!(heading_id("Don't panic"), "dont-panic");
        assert_eq!(heading_id("移植前的检查"), "移植前的检查");
        assert_eq!(heading_id("Größe und Ödem"), "größe-und-ödem");
        assert_eq!(heading_id("???"), "section");
    }

    #[test]
    fn path_segments() {
        assert_eq!(
            path_segment("Tests Before Transplant"),
            "tests-before-transplant"
        );
        assert_eq!(path_segment("v1.2"), "v1.2");
        assert_eq!(path_segment("side_effects"), "side_effects");
        assert_eq!(path_segment("what #1?"), "what-1");
    }

    #[test]
    fn decomposed_accents_are_kept() {
        // A combining mark alone is no letter, so without NFC the accent of
        // a decomposed `é` was dropped: `cafe` instead of `café`.
        assert_eq!(path_segment("cafe\u{301}"), "caf\u{e9}");
        assert_eq!(path_segment("caf\u{e9}"), "caf\u{e9}");
        assert_eq!(path_segment("Gro\u{308}sse Zehe"), "gr\u{f6}sse-zehe");
        assert_eq!(heading_id("Cafe\u{301} au lait"), "caf\u{e9}-au-lait");
        assert_eq!(heading_id("Caf\u{e9} au lait"), "caf\u{e9}-au-lait");
        // Korean typed as jamo composes to syllables.
        assert_eq!(heading_id("\u{1100}\u{1161}"), "\u{ac00}");
    }

    #[test]
    fn unique_ids_in_order() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.unique("a".into()), "a");
        assert_eq!(ids.unique("a".into()), "a-1");
        assert!(ids.reserve("a-2"));
        assert_eq!(ids.unique("a".into()), "a-3");
        assert!(!ids.reserve("a"));
    }
}
