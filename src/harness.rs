//! Entry points shared by the fuzz targets (`fuzz/`) and their regression
//! test (`tests/fuzz_regressions.rs`): each takes arbitrary bytes, runs one
//! stage on them and checks what must hold whatever the input. A panic here
//! is a bug; errors are fine.

use std::path::Path;
use std::sync::OnceLock;

use crate::markdown::Highlighter;
use crate::model::Site;

/// Splitting and parsing front matter: never a panic; on success the body
/// is the end of the normalised text.
pub fn front_matter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(doc) = crate::content::front_matter::parse(Path::new("fuzz.md"), text) {
        assert!(doc.text.ends_with(doc.body()));
        assert!(doc.body_start <= doc.text.len());
    }
}

/// The Markdown pipeline on one page of a small site with a glossary and
/// pages to link to: link rewriting, heading ids, glossary marking,
/// highlighting. Ids on the page must be unique and non-empty.
pub fn markdown(data: &[u8]) {
    let body = String::from_utf8_lossy(data);
    let page = format!("---\ntitle: Fuzzed page\n---\n{body}");
    let files = [
        (
            "_index.md",
            "---\ntitle: Home\n---\nHome with [a link](a/page.md).\n",
        ),
        ("a/_index.md", "---\ntitle: Section A\n---\nSection.\n"),
        ("a/page.md", page.as_str()),
        (
            "a/other.md",
            "---\ntitle: Other\n---\n## Known heading {#known}\n\nText.\n",
        ),
        ("a/picture.png", ""),
    ];
    let glossary = "- term: neutrophil\n  aliases: [ANC]\n  definition: A white blood cell.\n- term: stem cell\n  definition: A young cell.\n";
    let Ok(site) = Site::from_memory(&files, Some(glossary)) else {
        return;
    };
    let highlighter = highlighter();
    let strings = crate::i18n::Strings::english();
    for id in 0..site.pages.len() {
        let rendered = crate::markdown::render(&site, id, highlighter, &strings);
        assert!(rendered.ids.iter().all(|i| !i.is_empty()), "empty id");
        let _ = crate::markdown::readability(&site, id, &Default::default());
    }
}

/// Readability scoring of any text: never a panic; scores of text with
/// words are finite.
pub fn readability(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let r = crate::readability::analyze(&text, &|w: &str| w.len() > 12);
    if r.words > 0 && r.sentences > 0 {
        assert!(r.flesch_kincaid_grade.is_finite(), "{r:?}");
        assert!(r.flesch_reading_ease.is_finite(), "{r:?}");
    }
}

fn highlighter() -> &'static Highlighter {
    static H: OnceLock<Highlighter> = OnceLock::new();
    H.get_or_init(Highlighter::default)
}

/// Internals that integration tests exercise directly: the id and URL
/// segment rules (property tests), front matter parsing (the bundled
/// guide's metadata test), serve's router over a real socket and the
/// search text analysis (the browser's copy is checked against it). Not
/// part of marrow's API.
pub mod internals {
    pub use crate::content::front_matter::parse as parse_front_matter;
    pub use crate::output::Files;
    pub use crate::serve::http::{AllowedHosts, Shared, Snapshot, router};
    pub use crate::slug::{UniqueIds, heading_id, path_segment};

    /// The words of `text` as search analyses them for a site in
    /// `language` (a BCP 47 tag), each with the term it is indexed under:
    /// what `themes/default/static/search-text.js` must give in the
    /// browser (`tests/search_parity.rs`).
    pub fn search_terms(language: &str, text: &str) -> Vec<(String, String)> {
        crate::search::word_terms(language, text)
    }
}
