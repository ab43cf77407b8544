//! Checks of the arranged site that do not stop it being made: two pages
//! at one URL, undeclared taxonomies, `index.md` files, search weights.
//! Each is reported at the file and line a writer can change.

use std::path::Path;

use crate::content::SECTION_INDEX;
use crate::diagnostics::Diagnostic;

use super::{Page, PageKind, Site};

impl Site {
    /// Pages may only use declared taxonomies.
    pub(super) fn check_taxonomies(&self) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        for page in &self.pages {
            for name in page.front().taxonomies.keys() {
                if !self.config.taxonomies.contains(name) {
                    let hint = match crate::diagnostics::suggest(
                        name,
                        self.config.taxonomies.iter().map(String::as_str),
                    ) {
                        Some(s) => format!(
                            "did you mean `{s}`? Or declare it in site.yaml: `taxonomies: [{name}]`"
                        ),
                        None => format!("declare it in site.yaml: `taxonomies: [{name}]`"),
                    };
                    errors.push(
                        page.error_at_key("taxonomies", format!("unknown taxonomy `{name}`"))
                            .with_help(hint),
                    );
                }
            }
        }
        errors
    }
}

impl Site {
    /// `index.md` is how Hugo and others name a folder's own page. Built as
    /// an ordinary page it would land at `…/index/`, which nobody means:
    /// stop with the fix instead.
    pub(super) fn check_index_files(&self) -> Vec<Diagnostic> {
        self.pages
            .iter()
            .filter(|p| p.kind == PageKind::Page && p.source.rel.rsplit('/').next() == Some("index.md"))
            .map(|p| {
                let dir = p.source.dir();
                let folder = if dir.is_empty() { "the site".to_string() } else { format!("`{dir}/`") };
                let url = if dir.is_empty() { "/index/".to_string() } else { format!("/{dir}/index/") };
                Diagnostic::file(
                    p.source.display(),
                    format!("`index.md` would become a page at `{url}`, not the page of {folder}"),
                )
                .with_help(format!(
                    "rename it to `{SECTION}` to make it the page of {folder} (its other files stay where they are), or give it another name",
                    SECTION = crate::content::SECTION_INDEX
                ))
            })
            .collect()
    }

    /// A page's `search: { weight }` must be one search can use.
    pub(super) fn check_search_weights(&self) -> Vec<Diagnostic> {
        self.pages
            .iter()
            .filter_map(|page| {
                let w = page.front().search.weight?;
                (!crate::config::valid_search_weight(w)).then(|| {
                    page.error_at_key(
                        "search",
                        format!("search weight {w} must be above 0 and at most 100"),
                    )
                    .with_help("1 is the default; 0.3 ranks the page lower, 2 higher")
                })
            })
            .collect()
    }
}

/// What made `page`, for messages: its file, or the folder or glossary it
/// was generated from.
fn describe(page: &Page) -> String {
    let shown = page.source.display();
    match page.kind {
        PageKind::Page | PageKind::Section => format!("`{}`", shown.display()),
        PageKind::Folder => {
            let dir = Path::new(crate::content::CONTENT_DIR).join(page.source.dir());
            format!("the folder `{}/`", dir.display())
        }
        PageKind::Glossary => format!("the glossary page (made from `{}`)", shown.display()),
    }
}

/// The error for two pages with one URL, reported at the one a writer can
/// change (at its `slug` line when it has one).
pub(super) fn url_clash(first: &Page, second: &Page) -> Diagnostic {
    let message = format!(
        "{} and {} both want the URL /{}",
        describe(first),
        describe(second),
        second.path
    );
    // A file the writer can open: a real page, else the glossary file,
    // else the folder.
    let at = [second, first]
        .into_iter()
        .find(|p| !p.kind.is_generated())
        .or_else(|| {
            [second, first]
                .into_iter()
                .find(|p| p.kind == PageKind::Glossary)
        })
        .unwrap_or(first);
    let d = match at.front().slug {
        Some(_) if !at.kind.is_generated() => at.error_at_key("slug", message),
        _ if at.kind == PageKind::Folder => Diagnostic::file(
            Path::new(crate::content::CONTENT_DIR).join(at.source.dir()),
            message,
        ),
        _ => Diagnostic::file(at.source.display(), message),
    };
    let folder = [first, second]
        .into_iter()
        .find(|p| p.kind == PageKind::Folder);
    match folder {
        Some(f) if !at.kind.is_generated() => d.with_help(format!(
            "make `{}` the folder's own page by moving it to `{}/{}`, or rename one of them",
            at.source.display().display(),
            Path::new(crate::content::CONTENT_DIR)
                .join(f.source.dir())
                .display(),
            SECTION_INDEX
        )),
        Some(f) => d.with_help(format!(
            "rename the folder `{}/`, or give it another `slug` in its `{SECTION_INDEX}`",
            Path::new(crate::content::CONTENT_DIR)
                .join(f.source.dir())
                .display(),
        )),
        _ if first.kind.is_generated() || second.kind.is_generated() => {
            d.with_help("give the page another `slug` (this URL is taken by a generated page)")
        }
        _ => d.with_help("rename one of the files or give one a different `slug`"),
    }
}
