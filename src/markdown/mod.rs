//! Markdown → HTML for one page, with everything a docs site adds on top of
//! CommonMark: heading ids and self-links, a table of contents, link
//! rewriting and checking, GitHub-style callouts and highlighted code.
//!
//! It works on pulldown-cmark's event stream: events pass through unchanged
//! unless one of the rules below rewrites them, and pulldown-cmark's own HTML
//! writer produces the result. Cross-page anchors cannot be checked until
//! every page has its heading ids, so they are returned as [`AnchorRef`]s for
//! the build to verify afterwards; same-page anchors are checked here.
//!
//! A page's shortcodes are expanded before its events are read
//! ([`crate::shortcodes`]): what they bring in is rendered and checked as
//! part of the page, and the HTML they write replaces its placeholders in
//! raw HTML events.
//!
//! One module per rule: `event_loop` ([`render`]) calls them in
//! order; `headings` (ids, self-links, the TOC), `links` (rewriting,
//! checks, bare URLs), `raw_html` (ids in raw HTML, unclosed blocks),
//! `footnotes`, `callouts`, `glossary_marks`, `table`, [`highlight`]; and
//! `prose` collects the text for [`readability`]. The words these write
//! for readers come from an [`i18n::Strings`](crate::i18n::Strings) table.

mod callouts;
mod event_loop;
mod footnotes;
mod glossary_marks;
mod headings;
pub(crate) mod highlight;
mod links;
mod prose;
mod raw_html;
mod table;
mod tasks;

use std::collections::HashSet;

use pulldown_cmark::Options;
use serde::Serialize;

pub(crate) use event_loop::render;
pub(crate) use highlight::Highlighter;
pub(crate) use links::missing_anchors;
pub(crate) use prose::{prose_text, readability};

use crate::diagnostics::Diagnostic;
use crate::model::PageId;

/// One entry of a page's table of contents (h2, with its h3s as children).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// A link to a heading of another page, checked once all pages are rendered
/// (a build keeps them for the next one: see `pipeline::cache`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct AnchorRef {
    pub target: PageId,
    pub anchor: String,
    /// The error to report if the anchor does not exist.
    pub missing: Diagnostic,
}

/// The result of rendering one page's Markdown.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rendered {
    /// Shared, so serve can keep a page's HTML across a rebuild for free.
    pub html: std::sync::Arc<String>,
    /// Shared for the same reason.
    pub toc: std::sync::Arc<[TocEntry]>,
    /// Every id a link may target on this page (headings, footnotes, raw
    /// HTML ids).
    pub ids: HashSet<String>,
    pub word_count: usize,
    pub anchor_refs: Vec<AnchorRef>,
    /// Errors in the page's Markdown other than link problems.
    pub diagnostics: Vec<Diagnostic>,
    /// Links, images and anchors on this page that lead nowhere: errors or
    /// warnings, as `site.yaml`'s `links` says.
    pub link_problems: Vec<Diagnostic>,
    /// Glossary terms marked on this page (indexes into the glossary).
    pub glossary_terms: Vec<usize>,
    /// Snippets and facts the page's shortcodes read (serve re-renders
    /// the page when one changes).
    pub uses: Vec<crate::shortcodes::Dependency>,
}

/// The Markdown extensions marrow enables.
pub(crate) fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

pub(crate) use crate::html::escape;

pub(crate) fn encode_fragment(id: &str) -> String {
    crate::model::encode_path(id)
}

#[cfg(test)]
mod tests;
