//! GitHub-style callouts (`> [!NOTE]` …): a note with a title, not a
//! quote. The class says the kind to the theme; the title, from the
//! strings table, says it to readers.

use pulldown_cmark::BlockQuoteKind;

use super::escape;
use crate::i18n::Strings;

/// The start of a callout: a note with its kind's title.
pub(super) fn start(kind: BlockQuoteKind, strings: &Strings) -> String {
    let (class, key) = match kind {
        BlockQuoteKind::Note => ("note", "callout_note"),
        BlockQuoteKind::Tip => ("tip", "callout_tip"),
        BlockQuoteKind::Important => ("important", "callout_important"),
        BlockQuoteKind::Warning => ("warning", "callout_warning"),
        BlockQuoteKind::Caution => ("caution", "callout_caution"),
    };
    let label = escape(strings.get(key));
    format!(
        "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{label}</p>\n"
    )
}

pub(super) const END: &str = "</div>\n";
