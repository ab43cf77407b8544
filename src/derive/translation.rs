//! Whether a translation has fallen behind the page it was made from.
//!
//! A translation records the day it was made (`translated:`) and, when
//! `marrow translate mark` wrote one, a fingerprint of its source's text.
//! It is stale when the source was updated or clinically reviewed after
//! that day, or when the source's text no longer matches the fingerprint
//! (an edit whose writer forgot `updated`). Medicine is where this
//! matters: a translation still giving last year's advice.

use chrono::NaiveDate;

use crate::i18n::DEFAULT;
use crate::model::{PageId, Site};

/// Why a translation is stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stale {
    /// The source's `updated` is later than `translated`.
    SourceUpdated(NaiveDate),
    /// The source was clinically reviewed after `translated`.
    SourceReviewed(NaiveDate),
    /// The source's text differs from the fingerprint taken when it was
    /// translated.
    TextChanged,
}

/// A translation and its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TranslationState {
    /// The page it translates (its default-language version).
    pub source: PageId,
    /// When the source last changed: the later of its `updated` and its
    /// `reviewed`.
    pub source_changed: Option<NaiveDate>,
    /// Why it is stale; empty when it is current.
    pub stale: Vec<Stale>,
    /// It has no `translated:` date, so nobody can tell.
    pub undated: bool,
}

impl TranslationState {
    pub(crate) fn is_stale(&self) -> bool {
        !self.stale.is_empty()
    }
}

/// The state of every translation (by page; `None` for pages that are not
/// translations, or whose source is not on the site).
pub(crate) fn states(site: &Site) -> Vec<Option<TranslationState>> {
    (0..site.pages.len()).map(|id| state_of(site, id)).collect()
}

/// The state of one page.
pub(crate) fn state_of(site: &Site, page: PageId) -> Option<TranslationState> {
    let p = &site.pages[page];
    if p.lang == DEFAULT || p.kind.is_generated() {
        return None;
    }
    let source = site.source_of(page)?;
    let s = site.pages[source].front();
    let updated = s.updated.map(|u| u.date);
    let reviewed = s.reviewed;
    let front = p.front();
    let mut stale = Vec::new();
    if let Some(made) = front.translated {
        if let Some(u) = updated.filter(|&u| u > made) {
            stale.push(Stale::SourceUpdated(u));
        }
        if let Some(r) = reviewed.filter(|&r| r > made) {
            stale.push(Stale::SourceReviewed(r));
        }
    }
    if let Some(print) = &front.source_fingerprint
        && *print != fingerprint(site, source)
    {
        stale.push(Stale::TextChanged);
    }
    Some(TranslationState {
        source,
        source_changed: updated.max(reviewed),
        stale,
        undated: front.translated.is_none(),
    })
}

/// The fingerprint of a page's text: its title and body, with line ends
/// and trailing spaces evened out so that saving a file on another system
/// does not change it. FNV-1a, 64 bits: it detects edits, it does not
/// guard against anyone.
pub(crate) fn fingerprint(site: &Site, page: PageId) -> String {
    let p = &site.pages[page];
    text_fingerprint(p.title(), p.doc.body())
}

/// [`fingerprint`] of a title and body.
pub(crate) fn text_fingerprint(title: &str, body: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(title.trim().as_bytes());
    eat(b"\n");
    for line in body.trim().lines() {
        eat(line.trim_end().as_bytes());
        eat(b"\n");
    }
    format!("fnv1a64:{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_ignores_line_ends_and_trailing_spaces_only() {
        let a = text_fingerprint("Engraftment", "One.\nTwo.\n");
        assert_eq!(
            a,
            text_fingerprint("Engraftment ", "One.  \r\nTwo.\r\n\r\n")
        );
        assert_ne!(a, text_fingerprint("Engraftment", "One.\nTwo!\n"));
        assert_ne!(a, text_fingerprint("Engraftment day", "One.\nTwo.\n"));
        assert!(a.starts_with("fnv1a64:") && a.len() == 24, "{a}");
    }
}
