//! Content discovery and parsing: `content/` on disk → typed documents.
//!
//! [`discover`] walks the folder (walkdir) and sorts what it finds into pages
//! (`*.md`), sections (every folder; `_index.md` holds its front matter) and
//! assets (everything else, copied next to their page). [`load`] reads and
//! parses the pages in parallel, collecting every error instead of stopping
//! at the first.

pub mod front_matter;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

pub use front_matter::{Document, FrontMatter, Reference};

use crate::diagnostics::{Diagnostic, Diagnostics, line_col};

/// The name of a section's own page.
pub const SECTION_INDEX: &str = "_index.md";

/// A file under `content/`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SourceFile {
    /// Path relative to `content/`, `/`-separated (`process/conditioning.md`).
    pub rel: String,
    /// Path on disk.
    pub path: PathBuf,
}

impl SourceFile {
    /// The folder of this file relative to `content/` (`""` at the top).
    pub fn dir(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(d, _)| d)
    }

    pub fn file_name(&self) -> &str {
        self.rel.rsplit_once('/').map_or(&self.rel, |(_, f)| f)
    }

    pub fn is_section_index(&self) -> bool {
        self.file_name() == SECTION_INDEX
    }

    /// The path shown in messages: relative to the site root.
    pub fn display(&self) -> PathBuf {
        Path::new(CONTENT_DIR).join(&self.rel)
    }
}

/// The content folder's name inside the site root.
pub const CONTENT_DIR: &str = "content";

/// What [`discover`] found, each list sorted by path.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Markdown files, `_index.md` included.
    pub pages: Vec<SourceFile>,
    /// Every folder, relative to `content/` (`""` is `content/` itself).
    pub dirs: Vec<String>,
    /// Every other file.
    pub assets: Vec<SourceFile>,
}

/// Files an editor or the OS leaves behind, which are never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "Thumbs.db"
}

/// Walks `content_dir`.
pub fn discover(content_dir: &Path) -> Result<Discovered, Diagnostics> {
    let mut found = Discovered::default();
    let mut errors = Diagnostics::default();
    let walker = WalkDir::new(content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let shown = e.path().map_or_else(
                    || PathBuf::from(CONTENT_DIR),
                    |p| display_under_content(content_dir, p),
                );
                errors.push(
                    Diagnostic::file(shown, format!("cannot read: {e}"))
                        .with_help("check the file's permissions"),
                );
                continue;
            }
        };
        let Ok(rel_path) = entry.path().strip_prefix(content_dir) else {
            continue;
        };
        let Some(rel) = rel_path.to_str().map(|s| s.replace('\\', "/")) else {
            errors.push(
                Diagnostic::file(
                    display_under_content(content_dir, entry.path()),
                    "file name is not valid UTF-8",
                )
                .with_help("rename the file using UTF-8 characters"),
            );
            continue;
        };
        if entry.path_is_symlink()
            && escapes(entry.path(), content_dir.parent().unwrap_or(content_dir))
        {
            errors.push(outside_symlink(display_under_content(
                content_dir,
                entry.path(),
            )));
            continue;
        }
        // Follow a symlink only to learn whether it is a file or a folder.
        let file_type = match std::fs::metadata(entry.path()) {
            Ok(m) => m.file_type(),
            Err(e) => {
                errors.push(Diagnostic::file(
                    display_under_content(content_dir, entry.path()),
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        if file_type.is_dir() {
            if !entry.path_is_symlink() {
                found.dirs.push(rel);
            }
            continue;
        }
        let source = SourceFile {
            rel,
            path: entry.path().to_path_buf(),
        };
        if source.rel.ends_with(".md") {
            found.pages.push(source);
        } else {
            found.assets.push(source);
        }
    }
    errors.into_result().map(|()| found)
}

/// Whether the symlink at `link` resolves to somewhere outside `allowed`
/// (or nowhere). Such files are never published: a site must not leak files
/// from elsewhere on the writer's machine.
pub fn escapes(link: &Path, allowed: &Path) -> bool {
    match (link.canonicalize(), allowed.canonicalize()) {
        (Ok(target), Ok(allowed)) => !target.starts_with(allowed),
        _ => true,
    }
}

/// The error for a symlink that [`escapes`] the site.
pub fn outside_symlink(shown: PathBuf) -> Diagnostic {
    Diagnostic::file(shown, "symlink points outside the site (or to nothing)")
        .with_help("copy the file into the site instead; marrow never publishes files from outside the site's folder")
}

fn display_under_content(content_dir: &Path, path: &Path) -> PathBuf {
    Path::new(CONTENT_DIR).join(path.strip_prefix(content_dir).unwrap_or(path))
}

/// A parsed Markdown file.
#[derive(Debug, Clone)]
pub struct LoadedPage {
    pub source: SourceFile,
    pub doc: Document,
}

/// Reads and parses every page in parallel. Returns the pages that parsed
/// and the errors of those that did not.
pub fn load(pages: &[SourceFile]) -> (Vec<LoadedPage>, Diagnostics) {
    let results: Vec<Result<LoadedPage, Diagnostic>> = pages.par_iter().map(load_one).collect();
    let mut loaded = Vec::with_capacity(results.len());
    let mut errors = Diagnostics::default();
    for r in results {
        match r {
            Ok(p) => loaded.push(p),
            Err(d) => errors.push(d),
        }
    }
    (loaded, errors)
}

/// Reads and parses one page.
pub fn load_one(source: &SourceFile) -> Result<LoadedPage, Diagnostic> {
    let display = source.display();
    let bytes = std::fs::read(&source.path)
        .map_err(|e| Diagnostic::file(&display, format!("cannot read: {e}")))?;
    let raw = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes());
            let (line, col) = line_col(&lossy, valid);
            return Err(Diagnostic::at(
                &display,
                &lossy,
                line,
                col,
                "file is not valid UTF-8 text",
            )
            .with_help("save the file as UTF-8 (text pasted from a word processor often is not)"));
        }
    };
    if raw.contains('\0') {
        return Err(
            Diagnostic::file(&display, "file contains NUL bytes: it looks binary").with_help(
                "Markdown pages must be text; rename binary files so they do not end in .md",
            ),
        );
    }
    let doc = front_matter::parse(&display, &raw)?;
    Ok(LoadedPage {
        source: source.clone(),
        doc,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [".#page.md", "page.md~", ".page.md.swp", ".hidden", "#auto#"] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("page.md"));
        assert!(!is_ignored("_index.md"));
    }

    #[test]
    fn discover_sorts_pages_dirs_and_assets() {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path();
        std::fs::create_dir_all(c.join("b/.git")).unwrap();
        std::fs::write(c.join("_index.md"), "").unwrap();
        std::fs::write(c.join("b/x.md"), "").unwrap();
        std::fs::write(c.join("b/pic.png"), "").unwrap();
        std::fs::write(c.join("b/x.md~"), "").unwrap();
        std::fs::write(c.join("b/.git/config"), "").unwrap();
        let d = discover(c).unwrap();
        let pages: Vec<_> = d.pages.iter().map(|p| p.rel.as_str()).collect();
        assert_eq!(pages, ["_index.md", "b/x.md"]);
        assert_eq!(d.dirs, ["", "b"]);
        assert_eq!(d.assets.len(), 1);
        assert_eq!(d.assets[0].rel, "b/pic.png");
    }

    #[test]
    fn non_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, b"---\ntitle: A\n---\nok \xff bad\n").unwrap();
        let e = load_one(&SourceFile {
            rel: "a.md".into(),
            path,
        })
        .unwrap_err();
        assert_eq!(e.location(), "content/a.md:4:4");
    }
}
