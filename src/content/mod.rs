//! Content discovery and parsing: `content/` on disk → typed documents.
//!
//! [`discover`] walks the folder (walkdir) and sorts what it finds into pages
//! (`*.md`), sections (every folder; `_index.md` holds its front matter) and
//! assets (everything else, copied next to their page). [`load`] reads and
//! parses the pages in parallel, collecting every error instead of stopping
//! at the first.

pub(crate) mod front_matter;
pub(crate) mod inputs;
mod parsed;
pub(crate) mod path;
mod stamp;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

pub(crate) use front_matter::{Document, FrontMatter};
pub(crate) use parsed::Parsed;
pub(crate) use stamp::Stamp;

use crate::diagnostics::{Diagnostic, Diagnostics, line_col};

/// The name of a section's own page.
pub(crate) const SECTION_INDEX: &str = "_index.md";

/// A file under `content/`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct SourceFile {
    /// Path relative to `content/`, `/`-separated (`process/conditioning.md`),
    /// in Unicode NFC whatever form the disk stores (see [`path`]): the key
    /// links, URLs and messages use.
    pub rel: String,
    /// Path on disk, as the OS gave it (maybe NFD), for reading the file.
    pub path: PathBuf,
}

impl SourceFile {
    /// The folder of this file relative to `content/` (`""` at the top).
    pub(crate) fn dir(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(d, _)| d)
    }

    /// The path shown in messages: relative to the site root.
    pub(crate) fn display(&self) -> PathBuf {
        Path::new(CONTENT_DIR).join(&self.rel)
    }
}

/// The content folder's name inside the site root.
pub(crate) const CONTENT_DIR: &str = "content";

/// Where `include` snippets live, under `content/`: never pages.
pub(crate) const SNIPPETS_DIR: &str = "_snippets";

/// What [`discover`] found, each list sorted by path.
#[derive(Debug, Default)]
pub(crate) struct Discovered {
    /// Markdown files, `_index.md` included.
    pub pages: Vec<SourceFile>,
    /// Every folder, relative to `content/` (`""` is `content/` itself).
    pub dirs: Vec<String>,
    /// Every other file.
    pub assets: Vec<SourceFile>,
}

/// Files an editor or the OS leaves behind, which are never content.
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        // Emacs auto-saves `page.md` as `#page.md#`; `#1 tips.md` is a page.
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "Thumbs.db"
}

/// Walks `content_dir`. Every `rel` is NFC (see [`path`]); two names
/// that differ only in normalisation would get the same `rel`, so the
/// second is an error rather than a silent overwrite of the first.
pub(crate) fn discover(content_dir: &Path) -> Result<Discovered, Diagnostics> {
    let mut found = Discovered::default();
    let mut errors = Diagnostics::default();
    // Every `rel` handed out so far, with the disk path it came from.
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    let mut walker = WalkDir::new(content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            // Snippets are read by the `include` shortcode, never pages.
            let snippets = e.depth() == 1 && e.file_name() == SNIPPETS_DIR;
            e.depth() == 0 || !(snippets || is_ignored(&e.file_name().to_string_lossy()))
        });
    while let Some(entry) = walker.next() {
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
        let Some(rel) = path::from_os(rel_path) else {
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
            && let Some(problem) =
                symlink_problem(entry.path(), content_dir.parent().unwrap_or(content_dir))
        {
            errors.push(problem.diagnostic(display_under_content(content_dir, entry.path())));
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
        if let Some(first) = seen.get(&rel) {
            errors.push(same_name(content_dir, first, entry.path()));
            if file_type.is_dir() && !entry.path_is_symlink() {
                // Its files would all collide too: one error is enough.
                walker.skip_current_dir();
            }
            continue;
        }
        seen.insert(rel.clone(), entry.path().to_path_buf());
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

/// What is wrong with a symlink that cannot be followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SymlinkProblem {
    /// It resolves to a file or folder outside the site.
    Outside,
    /// It points (maybe through other links) back to itself.
    Loop,
    /// Its target does not exist.
    Broken,
}

impl SymlinkProblem {
    /// The error, shown at `shown`.
    pub(crate) fn diagnostic(self, shown: PathBuf) -> Diagnostic {
        match self {
            SymlinkProblem::Outside => Diagnostic::file(shown, "symlink points outside the site")
                .with_help("copy the file into the site instead; marrow never publishes files from outside the site's folder"),
            SymlinkProblem::Loop => Diagnostic::file(shown, "symlink loop: the link leads back to itself")
                .with_help("delete the link, or point it at a real file inside the site"),
            SymlinkProblem::Broken => Diagnostic::file(shown, "symlink points to nothing (its target does not exist)")
                .with_help("delete the link, or point it at a real file inside the site"),
        }
    }
}

/// Why the symlink at `link` may not be followed, if it may not: it must
/// resolve to something inside `allowed`. Files outside are never
/// published: a site must not leak files from elsewhere on the writer's
/// machine.
pub(crate) fn symlink_problem(link: &Path, allowed: &Path) -> Option<SymlinkProblem> {
    let target = match link.canonicalize() {
        Ok(t) => t,
        Err(e) if is_loop(&e) => return Some(SymlinkProblem::Loop),
        Err(_) => return Some(SymlinkProblem::Broken),
    };
    match allowed.canonicalize() {
        Ok(allowed) if target.starts_with(&allowed) => None,
        _ => Some(SymlinkProblem::Outside),
    }
}

#[cfg(unix)]
fn is_loop(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
}

#[cfg(not(unix))]
fn is_loop(_: &std::io::Error) -> bool {
    false
}

/// The error for a file or folder at `second` whose name differs from the
/// one at `first` only in Unicode normalisation (`é` as one character or
/// as `e` and a combining accent): both would be published at one URL.
/// Located at `second`; both names look the same, so the message says how
/// they differ rather than quoting both.
fn same_name(content_dir: &Path, first: &Path, second: &Path) -> Diagnostic {
    let what = match (first.is_dir(), second.is_dir()) {
        (true, true) => "two folders",
        (false, false) => "two files",
        _ => "a file and a folder",
    };
    let shown = display_under_content(content_dir, second);
    let nfc_name = path::nfc(&shown.to_string_lossy()).into_owned();
    Diagnostic::file(
        &shown,
        format!(
            "`{nfc_name}` is here twice: {what} whose names differ only in how accented letters are stored (one composed, NFC; one decomposed, NFD)",
        ),
    )
    .with_help(
        "delete or rename one of them (some macOS tools save names decomposed; marrow treats both forms as the same name)",
    )
}

fn display_under_content(content_dir: &Path, path: &Path) -> PathBuf {
    Path::new(CONTENT_DIR).join(path.strip_prefix(content_dir).unwrap_or(path))
}

/// A parsed Markdown file.
#[derive(Debug, Clone)]
pub(crate) struct LoadedPage {
    pub source: SourceFile,
    pub doc: Document,
}

/// Pages' bytes read before the pages are loaded (a build reads every
/// input to fingerprint it; its pages are not read twice), by path on disk.
#[derive(Debug, Default)]
pub(crate) struct Preread(std::sync::Mutex<HashMap<PathBuf, Vec<u8>>>);

impl Preread {
    pub(crate) fn new(bytes: HashMap<PathBuf, Vec<u8>>) -> Preread {
        Preread(std::sync::Mutex::new(bytes))
    }

    /// Lets go of bytes no page took (Markdown files that are not pages).
    fn clear(&self) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// The bytes read of `path`, once.
    fn take(&self, path: &Path) -> Option<Vec<u8>> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(path)
    }
}

/// Reads and parses every page in parallel, taking the bytes of those in
/// `preread` from it. Returns the pages that could be read (those with
/// front matter errors too, with a stand-in front matter, so their links
/// are still checked) and every error.
pub(crate) fn load(pages: &[SourceFile], preread: &Preread) -> (Vec<LoadedPage>, Diagnostics) {
    let results: Vec<(Option<LoadedPage>, Vec<Diagnostic>)> = pages
        .par_iter()
        .map(|source| load_read(source, preread.take(&source.path)))
        .collect();
    preread.clear();
    let mut loaded = Vec::with_capacity(results.len());
    let mut errors = Diagnostics::default();
    for (page, found) in results {
        loaded.extend(page);
        errors.extend(found);
    }
    (loaded, errors)
}

/// Reads and parses one page: the page, or its first error.
pub(crate) fn load_one(source: &SourceFile) -> Result<LoadedPage, Diagnostic> {
    match load_all(source) {
        (Some(page), errors) if errors.is_empty() => Ok(page),
        (_, mut errors) if !errors.is_empty() => Err(errors.swap_remove(0)),
        _ => Err(Diagnostic::file(source.display(), "cannot read the page")),
    }
}

/// Reads and parses one page, with every error its front matter has.
fn load_all(source: &SourceFile) -> (Option<LoadedPage>, Vec<Diagnostic>) {
    load_read(source, None)
}

/// [`load_all`], of `bytes` when they were read already.
fn load_read(source: &SourceFile, bytes: Option<Vec<u8>>) -> (Option<LoadedPage>, Vec<Diagnostic>) {
    match read_text(source, bytes) {
        Ok(raw) => {
            let parsed = front_matter::parse_all(&source.display(), &raw);
            let page = parsed.doc.map(|doc| LoadedPage {
                source: source.clone(),
                doc,
            });
            (page, parsed.errors)
        }
        Err(d) => (None, vec![d]),
    }
}

/// A page's text, or why it is not text marrow can read.
fn read_text(source: &SourceFile, bytes: Option<Vec<u8>>) -> Result<String, Diagnostic> {
    let display = source.display();
    let bytes = match bytes {
        Some(bytes) => bytes,
        None => std::fs::read(&source.path).map_err(|e| {
            Diagnostic::file(&display, format!("cannot read: {e}"))
                .with_help("check the file's permissions (marrow needs to read every page)")
        })?,
    };
    if let Some(what) = binary_kind(&bytes) {
        let message = if what.starts_with("UTF-16") {
            "this file is saved as UTF-16 text, not UTF-8".to_string()
        } else {
            format!("this is not a text file: {what}")
        };
        return Err(Diagnostic::file(&display, message)
            .with_help(if what.starts_with("UTF-16") {
                "save the file as UTF-8 (in the editor's \"Save as\" encoding choice)"
            } else {
                "Markdown pages must be text; rename the file so it does not end in .md (other files are copied as they are)"
            }));
    }
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
    if let Some(at) = raw.find('\0') {
        return Err(Diagnostic::at_offset(
            &display,
            &raw,
            at,
            "the file contains a NUL character (invisible in most editors)",
        )
        .with_help("delete it; it usually comes from a damaged copy or pasted binary data"));
    }
    Ok(raw)
}

/// What a file looks like when it is not text: `None` for text (even text
/// with a stray NUL or a bad byte, which get located errors instead).
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: [(&[u8], &str); 8] = [
        (b"\x89PNG", "it is a PNG image"),
        (b"\xff\xd8\xff", "it is a JPEG image"),
        (b"GIF8", "it is a GIF image"),
        (b"%PDF", "it is a PDF document"),
        (
            b"PK\x03\x04",
            "it is a ZIP archive (or a Word or OpenDocument file)",
        ),
        (
            b"\xd0\xcf\x11\xe0",
            "it is an old Microsoft Office document",
        ),
        (b"\x7fELF", "it is a program"),
        (b"RIFF", "it is a media file"),
    ];
    if let Some((_, what)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Some(what);
    }
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        return Some("UTF-16 text");
    }
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    let has_nul = head.contains(&0);
    if controls * 20 > head.len() || (has_nul && std::str::from_utf8(bytes).is_err()) {
        return Some("it holds binary data");
    }
    None
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

    const NFC: &str = "caf\u{e9}";
    const NFD: &str = "cafe\u{301}";

    #[test]
    fn discover_gives_nfc_rels_and_keeps_disk_paths() {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path();
        std::fs::create_dir_all(c.join(NFD)).unwrap();
        std::fs::write(c.join(format!("{NFD}/{NFD}.md")), "").unwrap();
        std::fs::write(c.join(format!("{NFD}/{NFD}.png")), "").unwrap();
        let d = discover(c).unwrap();
        assert_eq!(d.dirs, ["".to_string(), NFC.to_string()]);
        assert_eq!(d.pages[0].rel, format!("{NFC}/{NFC}.md"));
        assert_eq!(d.pages[0].path, c.join(format!("{NFD}/{NFD}.md")));
        assert!(d.pages[0].path.exists());
        assert_eq!(d.assets[0].rel, format!("{NFC}/{NFC}.png"));
    }

    #[test]
    fn names_differing_only_in_normalisation_are_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path();
        std::fs::write(c.join(format!("{NFC}.md")), "").unwrap();
        std::fs::write(c.join(format!("{NFD}.md")), "").unwrap();
        std::fs::write(c.join("other.md"), "").unwrap();
        let e = discover(c).unwrap_err();
        assert_eq!(e.len(), 1, "{e}");
        let d = e.iter().next().unwrap();
        assert!(d.location().starts_with("content/caf"), "{e}");
        assert!(
            d.message
                .contains("differ only in how accented letters are stored"),
            "{e}"
        );
        assert!(
            d.message.contains("NFD") && d.message.contains("NFC"),
            "{e}"
        );
        assert!(
            d.help.as_deref().is_some_and(|h| h.contains("rename")),
            "{e}"
        );
    }

    #[test]
    fn folders_differing_only_in_normalisation_are_one_error() {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path();
        for name in [NFC, NFD] {
            std::fs::create_dir_all(c.join(name)).unwrap();
            std::fs::write(c.join(name).join("a.md"), "").unwrap();
            std::fs::write(c.join(name).join("b.png"), "").unwrap();
        }
        let e = discover(c).unwrap_err();
        assert_eq!(e.len(), 1, "{e}");
        // A file and a folder can collide as well.
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(NFC)).unwrap();
        std::fs::write(dir.path().join(NFD), "").unwrap();
        assert_eq!(discover(dir.path()).unwrap_err().len(), 1);
    }

    #[test]
    fn binary_files_are_told_from_text_with_a_bad_byte() {
        assert_eq!(
            binary_kind(b"\x89PNG\r\n\x1a\n\0\0"),
            Some("it is a PNG image")
        );
        assert_eq!(binary_kind(b"\xff\xfe-\0-\0"), Some("UTF-16 text"));
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert_eq!(binary_kind(&noise), Some("it holds binary data"));
        // Text with one stray NUL or bad byte gets a located error instead.
        assert_eq!(binary_kind(b"---\ntitle: A\n---\nText \0 here\n"), None);
        assert_eq!(binary_kind(b"---\ntitle: A\n---\nok \xff bad\n"), None);
        assert_eq!(binary_kind(b""), None);
    }

    #[test]
    fn nul_in_text_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, b"---\ntitle: A\n---\nab\0c\n").unwrap();
        let e = load_one(&SourceFile {
            rel: "a.md".into(),
            path,
        })
        .unwrap_err();
        assert_eq!(e.location(), "content/a.md:4:3");
    }

    #[test]
    fn emacs_autosaves_are_ignored_but_hash_names_are_pages() {
        assert!(is_ignored("#page.md#"));
        assert!(!is_ignored("#1 tips.md"));
        assert!(!is_ignored("#"));
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
