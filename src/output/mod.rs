//! Where a build's files go: a [`Sink`].
//!
//! `marrow build` writes into a [`Staging`] folder next to the output folder
//! and only swaps it in when everything succeeded, so a failed or killed
//! build never leaves a half-written site and files from earlier builds never
//! linger. On Linux the swap is one `renameat2(RENAME_EXCHANGE)`: at every
//! instant the output path holds either the complete old build or the
//! complete new one. The build it replaced is kept as the next build's
//! staging folder (see [`spare`]), so an everyday rebuild neither deletes
//! a whole tree nor links one file by file. `marrow serve` builds into a
//! [`MemorySink`] instead and serves from memory.

mod guard;
mod manifest;
mod spare;

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub(crate) use guard::check_output_path;
pub(crate) use manifest::{
    BesideFile, Context, FileRecord, Fingerprint, FolderRecord, Manifest, Summary, fingerprint,
    forget, hash, read_beside,
};

/// Receives the files of a build. Paths are `/`-separated and relative to
/// the site root. Called from many threads at once.
pub(crate) trait Sink: Sync {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Copies the file at `from` (an asset or static file) to `rel`.
    fn copy(&self, rel: &str, from: &Path) -> io::Result<()>;
    /// [`Sink::write`] of bytes whose hash ([`hash`]) the caller already
    /// took (for its own record), so a sink that hashes need not again.
    fn write_hashed(&self, rel: &str, bytes: &[u8], _hash: u128) -> io::Result<()> {
        self.write(rel, bytes)
    }
    /// Puts at `rel` the file the last build wrote there, if its bytes
    /// hashed to `hash` and it is still as that build left it; false when
    /// it cannot (then the caller writes the file).
    fn keep(&self, _rel: &str, _hash: u128) -> io::Result<bool> {
        Ok(false)
    }
}

/// A built site held in memory: path → contents. A persistent map, so a
/// copy with one file changed shares all the others (serve publishes a new
/// snapshot per edit without copying the site).
pub type Files = imbl::HashMap<String, Arc<[u8]>>;

/// A sink that keeps every file in memory.
#[derive(Default)]
pub(crate) struct MemorySink {
    files: Mutex<Files>,
}

impl MemorySink {
    pub(crate) fn into_files(self) -> Files {
        self.files
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Sink for MemorySink {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        files.insert(rel.to_string(), Arc::from(bytes));
        Ok(())
    }

    fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        let bytes = std::fs::read(from)?;
        self.write(rel, &bytes)
    }
}

/// A folder being filled by a build; dropped without [`Staging::commit`] it
/// removes itself.
///
/// It starts as the build before last when one is kept (the spare, see
/// [`spare`]): a file whose bytes that build already holds, still as
/// recorded, is left in place. Otherwise a file whose bytes are those of a
/// file of the current output (known from its manifest, and still as
/// recorded) is hard-linked from it instead of written. An everyday
/// rebuild then creates and deletes few files, which is slow on some disks
/// (ext4 with `discard` pays for every inode freed and then reused).
pub(crate) struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
    /// Files of the current output that may be linked instead of written.
    reusable: HashMap<String, FileRecord>,
    /// The current output's folders, as its manifest records them.
    folders: Vec<FolderRecord>,
    /// Files already in the folder (it was the spare): each stays if this
    /// build makes the same bytes, and goes before the swap if not made.
    spare: HashMap<String, FileRecord>,
    /// What has been staged, for the next manifest.
    staged: Mutex<Vec<FileRecord>>,
}

const MARKER: &str = ".marrow-";

fn sibling(target: &Path, kind: &str) -> io::Result<PathBuf> {
    let name = target
        .file_name()
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "output path has no folder name",
            )
        })?
        .to_string_lossy();
    let parent = target.parent().unwrap_or(Path::new("."));
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    Ok(parent.join(format!(
        ".{name}{MARKER}{kind}-{}-{nanos}",
        std::process::id()
    )))
}

impl Staging {
    /// Creates the staging folder for `target`, after removing the
    /// leftovers of builds that were killed: the spare, when there is one
    /// that can be vouched for, or else an empty folder.
    pub(crate) fn new(target: &Path) -> io::Result<Staging> {
        let parent = target.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        remove_stale(target);
        let dir = sibling(target, "staging")?;
        let spare = spare::take(target, &dir);
        if spare.is_none() {
            std::fs::create_dir(&dir)?;
        }
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            committed: false,
            reusable: HashMap::new(),
            folders: Vec::new(),
            spare: spare.unwrap_or_default(),
            staged: Mutex::new(Vec::new()),
        })
    }

    /// Lets the build link these files of the current output, as its
    /// manifest records them (with its folders), instead of writing their
    /// bytes again (each only if it is still as recorded when it is
    /// linked).
    pub(crate) fn reuse(&mut self, files: HashMap<String, FileRecord>, folders: Vec<FolderRecord>) {
        self.reusable = files;
        self.folders = folders;
    }

    /// Puts the staged build in place of the target, after removing the
    /// target's manifest (from then until the caller records the new build,
    /// the folder is not vouched for). Returns the records of the new
    /// build's files and folders, and the build it replaced, moved aside,
    /// for the caller to keep as the next build's spare or remove (see
    /// [`Replaced::set_aside`]).
    pub(crate) fn commit(mut self) -> io::Result<Committed> {
        let files = std::mem::take(&mut *self.staged.lock().unwrap_or_else(|p| p.into_inner()));
        spare::remove_unmade(&self.dir, &self.spare, &files)?;
        let folders = manifest::folders_of(files.iter().map(|f| f.rel.as_str()));
        let folders = FolderRecord::all_of(&self.dir, folders);
        forget(&self.target)?;
        let replaced = Replaced {
            dir: None,
            target: self.target.clone(),
            files: std::mem::take(&mut self.reusable),
            folders: std::mem::take(&mut self.folders),
        };
        let replaced = |dir: Option<PathBuf>| Committed {
            files,
            folders,
            replaced: Replaced { dir, ..replaced },
        };
        if !self.target.exists() {
            std::fs::rename(&self.dir, &self.target)?;
            self.committed = true;
            return Ok(replaced(None));
        }
        if exchange(&self.dir, &self.target)? {
            // After the exchange the staging path holds the old build.
            self.committed = true;
            return Ok(replaced(Some(self.dir.clone())));
        }
        // No atomic exchange here: two renames, old build moved aside first.
        let old = sibling(&self.target, "old")?;
        std::fs::rename(&self.target, &old)?;
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            let _ = std::fs::rename(&old, &self.target);
            return Err(e);
        }
        self.committed = true;
        Ok(replaced(Some(old)))
    }
}

/// A build put in place: the records of its files and folders, for its
/// manifest, and the build it replaced.
pub(crate) struct Committed {
    pub(crate) files: Vec<FileRecord>,
    pub(crate) folders: Vec<FolderRecord>,
    pub(crate) replaced: Replaced,
}

/// The build a commit replaced, in a folder beside the output named for
/// this process, with the records of its files and folders: if the process
/// dies before setting it aside, the next build removes it
/// ([`remove_stale`]).
#[must_use = "the replaced build stays on disk until set aside"]
pub(crate) struct Replaced {
    dir: Option<PathBuf>,
    target: PathBuf,
    files: HashMap<String, FileRecord>,
    folders: Vec<FolderRecord>,
}

impl Replaced {
    /// Keeps the replaced build as the next build's spare, when its files
    /// are recorded; otherwise (or if that fails) removes it.
    pub(crate) fn set_aside(self) {
        let Some(dir) = &self.dir else { return };
        let kept = !self.files.is_empty()
            && spare::keep(dir, &self.target, self.files, &self.folders).is_ok();
        if !kept {
            remove_tree(dir);
        }
    }
}

/// Removes the folder `dir`, a top-level folder per thread (a replaced
/// build has 20,000 names at 10,000 pages).
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    if let Ok(entries) = std::fs::read_dir(dir) {
        let entries: Vec<_> = entries.flatten().collect();
        entries.par_iter().for_each(|entry| {
            let _ = match entry.file_type().is_ok_and(|t| t.is_dir()) {
                true => std::fs::remove_dir_all(entry.path()),
                false => std::fs::remove_file(entry.path()),
            };
        });
    }
    let _ = std::fs::remove_dir_all(dir);
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.write_hashed(rel, bytes, manifest::hash(bytes))
    }

    fn write_hashed(&self, rel: &str, bytes: &[u8], hash: u128) -> io::Result<()> {
        if self.left_in_place(rel, hash, Some(bytes.len() as u64)) {
            return Ok(());
        }
        let path = self.prepare(rel)?;
        let same = (self.reusable.get(rel))
            .is_some_and(|old| old.hash == hash && old.size == bytes.len() as u64);
        // A failed link (a file system without hard links) is a write.
        if !same || !self.link_old(rel, &path) {
            std::fs::write(&path, bytes)?;
        }
        self.record(rel, &path, hash)
    }

    fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        self.write(rel, &std::fs::read(from)?)
    }

    fn keep(&self, rel: &str, hash: u128) -> io::Result<bool> {
        if self.left_in_place(rel, hash, None) {
            return Ok(true);
        }
        if self.reusable.get(rel).is_none_or(|old| old.hash != hash) {
            return Ok(false);
        }
        let path = self.prepare(rel)?;
        if !self.link_old(rel, &path) {
            return Ok(false);
        }
        self.record(rel, &path, hash)?;
        Ok(true)
    }
}

impl Staging {
    /// Whether the folder (the spare) already holds `rel` with these bytes
    /// (of this hash, and size when known), still as recorded: then it is
    /// left there, and recorded as staged.
    fn left_in_place(&self, rel: &str, hash: u128, size: Option<u64>) -> bool {
        let Some(record) = self.spare.get(rel) else {
            return false;
        };
        let left = record.hash == hash
            && size.is_none_or(|size| size == record.size)
            && record.still_at(&self.dir.join(rel));
        if left {
            self.staged
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(record.clone());
        }
        left
    }

    /// Hard-links the current output's `rel` to `path`, if that file is
    /// still as its record says; false when it is not, or cannot be
    /// linked.
    fn link_old(&self, rel: &str, path: &Path) -> bool {
        let old = self.target.join(rel);
        (self.reusable.get(rel)).is_some_and(|record| record.still_at(&old))
            && std::fs::hard_link(old, path).is_ok()
    }

    /// Records the file staged at `path`.
    fn record(&self, rel: &str, path: &Path, hash: u128) -> io::Result<()> {
        let record = FileRecord::of(rel, path, hash)?;
        self.staged
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(record);
        Ok(())
    }

    /// The path of `rel` in the staging folder, with its parent created
    /// and, in a spare, nothing at the path itself: a file there may be a
    /// hard link to one of the live output, never to be written through.
    fn prepare(&self, rel: &str) -> io::Result<PathBuf> {
        let path = self.dir.join(rel);
        let parent = path.parent().unwrap_or(&self.dir);
        if self.spare.is_empty() {
            std::fs::create_dir_all(parent)?;
            return Ok(path);
        }
        if std::fs::create_dir_all(parent).is_err() {
            // A file of the spare where this build has a folder.
            let mut at = self.dir.clone();
            for part in Path::new(rel)
                .parent()
                .into_iter()
                .flat_map(Path::components)
            {
                at.push(part);
                if std::fs::symlink_metadata(&at).is_ok_and(|m| !m.is_dir()) {
                    std::fs::remove_file(&at)?;
                    break;
                }
            }
            std::fs::create_dir_all(parent)?;
        }
        match std::fs::symlink_metadata(&path) {
            // A folder of the spare where this build has a file.
            Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(&path)?,
            Ok(_) => std::fs::remove_file(&path)?,
            Err(_) => {}
        }
        Ok(path)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Swaps `a` and `b` in one step; Ok(false) where the system cannot.
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(true),
            // Filesystems without RENAME_EXCHANGE support.
            Err(
                rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS | rustix::io::Errno::NOTSUP,
            ) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

/// Removes staging and old folders of `target` left by builds whose process
/// is gone (killed mid-build).
pub(crate) fn remove_stale(target: &Path) {
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().to_string()) else {
        return;
    };
    let parent = target.parent().unwrap_or(Path::new("."));
    let prefix = format!(".{name}{MARKER}");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().to_string();
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest.split('-').nth(1).and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| !process_alive(pid)) {
            let _ = match entry.file_type().is_ok_and(|t| t.is_dir()) {
                true => std::fs::remove_dir_all(entry.path()),
                false => std::fs::remove_file(entry.path()),
            };
        }
    }
}

fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true // cannot tell: keep it
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn commit_replaces_whole_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("stale.html"), "old").unwrap();
        let s = Staging::new(&out).unwrap();
        s.write("a/index.html", b"new").unwrap();
        s.commit().unwrap().replaced.set_aside();
        assert_eq!(listing(&out), ["a"]);
        assert_eq!(listing(tmp.path()), ["output"], "no leftovers");
    }

    #[test]
    fn dropped_staging_leaves_target_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("keep.html"), "old").unwrap();
        {
            let s = Staging::new(&out).unwrap();
            s.write("x.html", b"half").unwrap();
        }
        assert_eq!(listing(&out), ["keep.html"]);
        assert_eq!(listing(tmp.path()), ["output"]);
    }

    #[test]
    fn leftovers_of_dead_builds_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        // PIDs are below 2^22 on Linux, so this one cannot be running.
        let dead = tmp.path().join(".output.marrow-staging-4294967295-1");
        std::fs::create_dir(&dead).unwrap();
        // A running build's folders stay: this process's own, and init's.
        let mine = tmp
            .path()
            .join(format!(".output.marrow-staging-{}-1", std::process::id()));
        let init = tmp.path().join(".output.marrow-old-1-1");
        // Another output folder's leftovers are not ours to remove.
        let other = tmp.path().join(".site.marrow-staging-4294967295-1");
        for dir in [&mine, &init, &other] {
            std::fs::create_dir(dir).unwrap();
        }
        let s = Staging::new(&out).unwrap();
        assert!(!dead.exists());
        assert!(mine.exists() && init.exists() && other.exists());
        s.commit().unwrap().replaced.set_aside();
        for dir in [&mine, &init, &other] {
            std::fs::remove_dir(dir).unwrap();
        }
        assert_eq!(listing(tmp.path()), ["output"]);
    }

    type Records = (Vec<FileRecord>, Vec<FolderRecord>);

    /// A build as `marrow build` makes one: `files` staged with the last
    /// build's records, committed, the replaced build set aside.
    fn build(out: &Path, last: Option<&Records>, files: &[(&str, &str)]) -> Records {
        let mut s = Staging::new(out).unwrap();
        if let Some((files, folders)) = last {
            let reusable = files.iter().map(|f| (f.rel.clone(), f.clone())).collect();
            s.reuse(reusable, folders.clone());
        }
        for (rel, text) in files {
            s.write(rel, text.as_bytes()).unwrap();
        }
        let Committed {
            files,
            folders,
            replaced,
        } = s.commit().unwrap();
        replaced.set_aside();
        (files, folders)
    }

    #[cfg(unix)]
    #[test]
    fn the_build_before_last_is_the_next_staging_folder() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        let ino = |path: &Path| std::fs::metadata(path).unwrap().ino();
        let one = build(
            &out,
            None,
            &[
                ("a.html", "1"),
                ("b/index.html", "b"),
                ("c", "c"),
                ("d.html", "d"),
            ],
        );
        let kept = ino(&out.join("b/index.html"));
        let two = build(
            &out,
            Some(&one),
            &[
                ("a.html", "2"),
                ("b/index.html", "b"),
                ("c", "c"),
                ("d.html", "d"),
            ],
        );
        let spare = spare::path(&out).unwrap();
        assert!(spare.is_dir(), "the replaced build is kept");
        assert_eq!(std::fs::read(spare.join("a.html")).unwrap(), b"1");

        // From the spare: a.html changes again, c becomes a folder, d goes.
        let mut s = Staging::new(&out).unwrap();
        assert!(!spare.exists(), "the spare is taken");
        let reusable = two.0.iter().map(|f| (f.rel.clone(), f.clone())).collect();
        s.reuse(reusable, two.1.clone());
        for (rel, text) in [
            ("a.html", "3"),
            ("b/index.html", "b"),
            ("c/index.html", "c"),
        ] {
            s.write(rel, text.as_bytes()).unwrap();
        }
        assert_eq!(
            std::fs::read(out.join("a.html")).unwrap(),
            b"2",
            "output untouched"
        );
        assert_eq!(std::fs::read(out.join("b/index.html")).unwrap(), b"b");
        s.commit().unwrap().replaced.set_aside();
        assert_eq!(listing(&out), ["a.html", "b", "c"]);
        assert_eq!(std::fs::read(out.join("a.html")).unwrap(), b"3");
        assert_eq!(std::fs::read(out.join("c/index.html")).unwrap(), b"c");
        assert_eq!(
            ino(&out.join("b/index.html")),
            kept,
            "an unchanged file stays"
        );
        // The spare is now the second build, whole.
        assert_eq!(std::fs::read(spare.join("a.html")).unwrap(), b"2");
        assert_eq!(std::fs::read(spare.join("d.html")).unwrap(), b"d");
        assert_eq!(listing(tmp.path()), [".output.marrow-spare", "output"]);
    }

    #[test]
    fn memory_sink_keeps_what_was_written_and_copied() {
        let tmp = tempfile::tempdir().unwrap();
        let asset = tmp.path().join("logo.svg");
        std::fs::write(&asset, "<svg/>").unwrap();
        let sink = MemorySink::default();
        sink.write("index.html", b"<p>home</p>").unwrap();
        sink.copy("img/logo.svg", &asset).unwrap();
        assert!(sink.copy("missing.png", &tmp.path().join("nope")).is_err());
        let files = sink.into_files();
        let mut names: Vec<&String> = files.keys().collect();
        names.sort();
        assert_eq!(names, ["img/logo.svg", "index.html"]);
        assert_eq!(&*files["index.html"], b"<p>home</p>");
        assert_eq!(&*files["img/logo.svg"], b"<svg/>");
    }
}
