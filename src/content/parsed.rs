//! Pages parsed by an earlier run of the same process, kept so that `serve`
//! does not read and parse every page again when one changes.
//!
//! A page is taken from here only when its file still has the size and
//! modification time it had when it was parsed, and the watcher has not
//! named it since ([`Parsed::forget`]): a save that keeps both (a coarse
//! clock, a one-letter fix) is still read again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use rayon::prelude::*;

use super::{Discovered, LoadedPage, SourceFile, discover, load_all};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// What a file looked like when it was parsed.
type FileStamp = (u64, Option<SystemTime>);

/// Parsed pages by file, and the last walk of `content/`.
#[derive(Default)]
pub(crate) struct Parsed {
    pages: Mutex<HashMap<PathBuf, (FileStamp, Arc<LoadedPage>)>>,
    walk: Mutex<Option<(PathBuf, Arc<Discovered>)>>,
    /// Set by [`Parsed::same_files`] for the next run only.
    same_files: AtomicBool,
}

impl Parsed {
    /// Tells the next run that no file was created, deleted or renamed
    /// since the last one (the watcher named only existing pages), so the
    /// last walk of `content/` still holds.
    pub(crate) fn same_files(&self) {
        self.same_files.store(true, Ordering::Relaxed);
    }

    /// Whether [`Self::same_files`] was called since the last run, which
    /// asks now (so a run that stops before its walk does not leave the
    /// promise to a later one).
    pub(crate) fn take_same_files(&self) -> bool {
        self.same_files.swap(false, Ordering::Relaxed)
    }

    /// [`super::discover`], or the last walk when `same_files` (a walk
    /// with errors is never kept: its errors are reported again).
    pub(crate) fn discover(
        &self,
        content_dir: &Path,
        same_files: bool,
    ) -> Result<Arc<Discovered>, Diagnostics> {
        let mut walk = self.walk.lock().unwrap_or_else(|p| p.into_inner());
        if same_files
            && let Some((dir, found)) = walk.as_ref()
            && dir == content_dir
        {
            return Ok(Arc::clone(found));
        }
        *walk = None;
        let found = Arc::new(discover(content_dir)?);
        *walk = Some((content_dir.to_path_buf(), Arc::clone(&found)));
        Ok(found)
    }

    /// Parses `path` again next time, whatever its stamp says.
    pub(crate) fn forget(&self, path: &Path) {
        self.pages
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(path);
    }

    /// [`super::load`], taking unchanged pages from what was kept and
    /// keeping what it parses (pages with errors are not kept: they are
    /// read again, so their errors are reported again).
    pub(crate) fn load(&self, pages: &[SourceFile]) -> (Vec<LoadedPage>, Diagnostics) {
        let kept = std::mem::take(&mut *self.pages.lock().unwrap_or_else(|p| p.into_inner()));
        type Loaded = (Option<Arc<LoadedPage>>, Vec<Diagnostic>, Option<FileStamp>);
        let results: Vec<Loaded> = pages
            .par_iter()
            .map(|source| {
                let stamp = stamp(&source.path);
                if let (Some(now), Some((was, page))) = (stamp, kept.get(&source.path))
                    && now == *was
                    && page.source == *source
                {
                    return (Some(Arc::clone(page)), Vec::new(), stamp);
                }
                let (page, errors) = load_all(source);
                (page.map(Arc::new), errors, stamp)
            })
            .collect();
        // Freeing what is no longer kept is not on the way to the page.
        std::thread::spawn(move || drop(kept));
        let mut now = HashMap::with_capacity(results.len());
        let mut shared = Vec::with_capacity(results.len());
        let mut errors = Diagnostics::default();
        for (page, found, stamp) in results {
            if let (Some(page), Some(stamp), true) = (&page, stamp, found.is_empty()) {
                now.insert(page.source.path.clone(), (stamp, Arc::clone(page)));
            }
            shared.extend(page);
            errors.extend(found);
        }
        let loaded = shared.par_iter().map(|p| LoadedPage::clone(p)).collect();
        *self.pages.lock().unwrap_or_else(|p| p.into_inner()) = now;
        (loaded, errors)
    }
}

fn stamp(path: &Path) -> Option<FileStamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title(page: &LoadedPage) -> &str {
        page.doc.front.title.as_deref().unwrap_or("")
    }

    #[test]
    fn an_unchanged_file_is_not_parsed_again_and_a_forgotten_one_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "---\ntitle: Aaa\n---\nText.\n").unwrap();
        let source = SourceFile {
            rel: "a.md".into(),
            path: path.clone(),
        };
        let parsed = Parsed::default();
        let (pages, errors) = parsed.load(std::slice::from_ref(&source));
        assert!(errors.is_empty());
        assert_eq!(title(&pages[0]), "Aaa");

        // The same size and time: taken from what was kept (this is what
        // the watcher's `forget` is there for).
        let when = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::fs::write(&path, "---\ntitle: Bbb\n---\nText.\n").unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(when).unwrap();
        drop(file);
        assert_eq!(
            title(&parsed.load(std::slice::from_ref(&source)).0[0]),
            "Aaa"
        );
        parsed.forget(&path);
        assert_eq!(
            title(&parsed.load(std::slice::from_ref(&source)).0[0]),
            "Bbb"
        );

        // A new size is seen without being told.
        std::fs::write(&path, "---\ntitle: Cccc\n---\nText.\n").unwrap();
        assert_eq!(
            title(&parsed.load(std::slice::from_ref(&source)).0[0]),
            "Cccc"
        );
    }

    #[test]
    fn the_last_walk_is_kept_only_for_the_run_told_no_file_came_or_went() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "---\ntitle: A\n---\n").unwrap();
        let parsed = Parsed::default();
        let names = |d: &Discovered| d.pages.iter().map(|p| p.rel.clone()).collect::<Vec<_>>();
        let discover = |dir: &Path| parsed.discover(dir, parsed.take_same_files()).unwrap();
        assert_eq!(names(&discover(dir.path())), ["a.md"]);

        std::fs::write(dir.path().join("b.md"), "---\ntitle: B\n---\n").unwrap();
        parsed.same_files();
        assert_eq!(names(&discover(dir.path())), ["a.md"]);
        // The promise holds for one run only.
        assert_eq!(names(&discover(dir.path())), ["a.md", "b.md"]);
        // A run that asked and stopped before its walk leaves nothing.
        parsed.same_files();
        assert!(parsed.take_same_files());
        std::fs::write(dir.path().join("c.md"), "---\ntitle: C\n---\n").unwrap();
        assert_eq!(names(&discover(dir.path())), ["a.md", "b.md", "c.md"]);
        // Another folder is always walked.
        let other = tempfile::tempdir().unwrap();
        parsed.same_files();
        assert!(discover(other.path()).pages.is_empty());
    }
}
