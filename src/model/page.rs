//! A page and what made it.

use crate::content::{Document, FrontMatter, SourceFile};
use crate::diagnostics::Diagnostic;

use super::{PageId, SectionId};
use crate::i18n::LangId;

/// A page of the site: an ordinary page or the index page of a section.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub source: SourceFile,
    pub doc: Document,
    /// The section the page appears in (for a section's index page: the
    /// section itself).
    pub section: SectionId,
    /// What made the page.
    pub kind: PageKind,
    /// The language it is written in.
    pub lang: LangId,
    /// What it is a version of: the default language's file under
    /// `content/` (`process/engraftment.md` for `engraftment.zh.md`), the
    /// same for every translation of one page.
    pub key: String,
    /// URL path below the site root: `""` (home), `process/`,
    /// `process/conditioning/`.
    pub path: String,
    pub prev: Option<PageId>,
    pub next: Option<PageId>,
    /// Where the page (for a section's index page: the section) stands
    /// among its parent section's children; 0 for the home page. Lets the
    /// navigation find the part of a long section to show without a search.
    pub position: usize,
}

/// What a page was made from. Generated pages have no Markdown file of
/// their own: nothing in them can be reviewed, and messages about them name
/// the folder or the glossary file instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageKind {
    /// A Markdown file that is not a section's `_index.md`.
    Page,
    /// A section's own page, from its `_index.md`.
    Section,
    /// A section's page made up from the folder name (no `_index.md`).
    Folder,
    /// The glossary page, made from the glossary file.
    Glossary,
}

impl PageKind {
    /// The page of a section (lists the section's children).
    pub(crate) fn is_section(self) -> bool {
        matches!(self, PageKind::Section | PageKind::Folder)
    }

    /// Made by marrow rather than written as Markdown.
    pub(crate) fn is_generated(self) -> bool {
        matches!(self, PageKind::Folder | PageKind::Glossary)
    }
}

impl Page {
    pub(crate) fn front(&self) -> &FrontMatter {
        &self.doc.front
    }

    pub(crate) fn title(&self) -> &str {
        self.doc.front.title.as_deref().unwrap_or("")
    }

    /// Number of URL segments, i.e. how many `../` lead back to the root.
    pub(crate) fn depth(&self) -> usize {
        self.path.matches('/').count()
    }

    /// The relative prefix from this page's HTML file to the site root.
    pub(crate) fn root_prefix(&self) -> String {
        "../".repeat(self.depth())
    }

    /// An error about the front matter key `key` of this page, at the
    /// key's place in the file (its first line when the key is not there).
    pub(crate) fn error_at_key(&self, key: &str, message: String) -> Diagnostic {
        let (line, column) = self.doc.key_position(key).unwrap_or((1, 1));
        Diagnostic::at(self.source.display(), &self.doc.text, line, column, message)
    }

    /// File the page is written to, relative to the output folder.
    pub(crate) fn output_file(&self) -> String {
        format!("{}index.html", self.path)
    }
}
