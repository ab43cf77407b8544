//! The site model: parsed documents arranged into a tree of sections with
//! URLs, ordering, reading order and a link index.
//!
//! Everything later stages ask about the *shape* of the site lives here —
//! "what is this page's URL", "what does this `.md` link point to", "what
//! comes next" — answered from indexes built once, so no stage needs to scan
//! all pages per page (which would make big sites quadratic).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::config::SiteConfig;
use crate::content::SourceFile;
use crate::glossary::Glossary;

/// Index into [`Site::pages`].
pub(crate) type PageId = usize;
/// Index into [`Site::sections`].
pub(crate) type SectionId = usize;

mod aliases;
mod checks;
mod languages;
mod links;
mod memory;
mod page;
#[cfg(test)]
mod tests;
mod tree;

pub(crate) use aliases::{alias_path, redirect_file};
pub(crate) use links::{LinkTarget, encode_path};
#[cfg(test)]
pub(crate) use memory::{test_site, test_site_with_glossary};
pub(crate) use page::{Page, PageKind};
pub(crate) use tree::{GeneratedText, Publish, Sources, Unpublished};

/// A child of a section, in navigation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Child {
    Page(PageId),
    Section(SectionId),
}

#[derive(Debug, Clone)]
pub(crate) struct Section {
    /// Folder relative to `content/` (`""` for the root).
    pub dir: String,
    /// The section's own page (`_index.md`).
    pub index: PageId,
    pub parent: Option<SectionId>,
    /// Pages and subsections, ordered by weight, then title.
    pub children: Vec<Child>,
}

/// The whole site, ready to render.
#[derive(Debug)]
pub(crate) struct Site {
    pub config: SiteConfig,
    /// The site root on disk.
    pub root: PathBuf,
    pub pages: Vec<Page>,
    /// `sections[0]` is the root (home page) section of the default
    /// language; each language's root is in `roots`.
    pub sections: Vec<Section>,
    /// Each language's root section ([`LangId`] order), `None` for a
    /// language with no pages.
    pub roots: Vec<Option<SectionId>>,
    /// The versions of each page, by key ([`Page::key`]), in language
    /// order.
    by_key: HashMap<String, Vec<PageId>>,
    pub assets: Vec<SourceFile>,
    /// Files of the site's `static/` folder (linked from the site root).
    static_files: HashSet<String>,
    /// Pages in reading order (depth first).
    pub reading_order: Vec<PageId>,
    by_source: HashMap<String, PageId>,
    by_path: HashMap<String, PageId>,
    /// Pages by the old addresses in their `aliases`.
    by_alias: HashMap<String, PageId>,
    asset_set: HashSet<String>,
    /// Pages in `content/` left out of the site (drafts, expired pages),
    /// so links to them say why.
    unpublished: HashMap<String, Unpublished>,
    /// Pages that failed to parse: links to them are not reported as
    /// missing (their own error says what is wrong).
    unparsed: HashSet<String>,
    /// Each language's glossary, if it has one ([`LangId`] order), and
    /// the page listing it.
    pub glossaries: Vec<Option<Glossary>>,
    pub glossary_pages: Vec<Option<PageId>>,
    /// What shortcodes read: snippets, facts, the site's shortcode
    /// templates (loaded beside the site, set after it is made).
    pub shortcodes: crate::shortcodes::Library,
}

/// URL path of the generated glossary page.
pub(crate) const GLOSSARY_PATH: &str = "glossary/";

impl Site {
    /// The body of `page` as readers get it, its shortcodes expanded (for
    /// search and readability, which read a page's text but report no
    /// errors of it); `options` are the Markdown stage's.
    pub(crate) fn expanded_body(
        &self,
        page: PageId,
        options: pulldown_cmark::Options,
    ) -> std::borrow::Cow<'_, str> {
        let p = &self.pages[page];
        crate::shortcodes::expanded_text(
            &self.shortcodes,
            p.source.display(),
            &p.doc.text,
            p.doc.body_start,
            options,
        )
    }

    /// A fingerprint of all that a page's Markdown reads of other pages:
    /// which files are pages, with which number, at which address and in
    /// which language; old addresses; the files that are assets, static,
    /// left out or broken. Two sites with the same fingerprint resolve
    /// every link alike, so serve reuses a page's Markdown HTML across a
    /// rebuild when its own text is unchanged too.
    pub(crate) fn link_shape(&self) -> u128 {
        use std::fmt::Write;
        // Pages are in a fixed order; the sets and maps are sorted first.
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut line = String::new();
        for (i, p) in self.pages.iter().enumerate() {
            line.clear();
            let _ = writeln!(
                line,
                "p\0{i}\0{}\0{}\0{}\0{:?}",
                p.source.rel, p.path, p.lang, p.kind
            );
            hasher.update(line.as_bytes());
        }
        let mut parts: Vec<String> = (self.by_alias.iter())
            .map(|(a, &id)| format!("a\0{a}\0{id}"))
            .collect();
        parts.extend(
            self.unpublished
                .iter()
                .map(|(k, v)| format!("u\0{k}\0{v:?}")),
        );
        parts.extend(self.unparsed.iter().map(|k| format!("x\0{k}")));
        parts.extend(self.asset_set.iter().map(|k| format!("s\0{k}")));
        parts.extend(self.static_files.iter().map(|k| format!("f\0{k}")));
        parts.sort_unstable();
        for part in parts {
            hasher.update(part.as_bytes());
            hasher.update(b"\n");
        }
        hasher.digest128()
    }

    /// The page at a URL path (`process/conditioning/`).
    pub(crate) fn page_at(&self, path: &str) -> Option<PageId> {
        self.by_path.get(path).copied()
    }

    /// The page made from `content/<rel>`.
    pub(crate) fn page_from_source(&self, rel: &str) -> Option<PageId> {
        self.by_source.get(rel).copied()
    }

    /// The page a child stands for: itself, or a section's index page.
    pub(crate) fn child_page(&self, c: Child) -> PageId {
        match c {
            Child::Page(p) => p,
            Child::Section(s) => self.sections[s].index,
        }
    }

    /// Sections from the root down to (and including) `section`.
    pub(crate) fn ancestry(&self, section: SectionId) -> Vec<SectionId> {
        let mut chain = vec![section];
        let mut cur = section;
        while let Some(p) = self.sections[cur].parent {
            chain.push(p);
            cur = p;
        }
        chain.reverse();
        chain
    }

    /// The link to `page` relative to the site root: `process/index.html`,
    /// or `process/` with `pretty_links`.
    pub(crate) fn link(&self, page: PageId) -> String {
        let path = &self.pages[page].path;
        if self.config.pretty_links {
            if path.is_empty() {
                "./".into()
            } else {
                encode_path(path)
            }
        } else {
            format!("{}index.html", encode_path(path))
        }
    }

    /// The absolute URL of `page` when a `base_url` is configured.
    pub(crate) fn permalink(&self, page: PageId) -> Option<String> {
        let base = self.config.base_url.as_deref()?;
        Some(format!("{base}{}", encode_path(&self.pages[page].path)))
    }
}
