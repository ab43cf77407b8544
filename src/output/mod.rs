//! Where a build's files go: a [`Sink`].
//!
//! `marrow build` writes into a [`Staging`] folder next to the output folder
//! and only swaps it in when everything succeeded, so a failed or killed
//! build never leaves a half-written site and files from earlier builds never
//! linger. On Linux the swap is one `renameat2(RENAME_EXCHANGE)`: at every
//! instant the output path holds either the complete old build or the
//! complete new one. `marrow serve` builds into a [`MemorySink`] instead and
//! serves from memory.

mod guard;
mod manifest;

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub(crate) use guard::check_output_path;
pub(crate) use manifest::{
    BesideFile, Context, FileRecord, Fingerprint, Manifest, Summary, fingerprint, forget, hash,
    read_beside,
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
/// A file whose bytes are those of a file of the previous build (known from
/// its manifest, and still as recorded) is hard-linked from the old folder
/// instead of written: an everyday rebuild then creates few new files, and
/// deleting the old folder after the swap frees few. Both are slow on some
/// disks (ext4 with `discard` pays for every inode freed and then reused).
pub(crate) struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
    /// Files of the current output that may be linked instead of written.
    reusable: HashMap<String, FileRecord>,
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
    /// Creates an empty staging folder for `target`, after removing the
    /// leftovers of builds that were killed.
    pub(crate) fn new(target: &Path) -> io::Result<Staging> {
        let parent = target.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        remove_stale(target);
        let dir = sibling(target, "staging")?;
        std::fs::create_dir(&dir)?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            committed: false,
            reusable: HashMap::new(),
            staged: Mutex::new(Vec::new()),
        })
    }

    /// Lets the build link these files of the current output, as its
    /// manifest records them, instead of writing their bytes again (each
    /// only if it is still as recorded when it is linked).
    pub(crate) fn reuse(&mut self, files: HashMap<String, FileRecord>) {
        self.reusable = files;
    }

    /// The files staged so far, in no particular order.
    pub(crate) fn staged(&self) -> Vec<FileRecord> {
        self.staged
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Puts the staged build in place of the target. Returns the build it
    /// replaced, moved aside, for the caller to remove (see
    /// [`Replaced::remove`]).
    pub(crate) fn commit(mut self) -> io::Result<Replaced> {
        if !self.target.exists() {
            std::fs::rename(&self.dir, &self.target)?;
            self.committed = true;
            return Ok(Replaced(None));
        }
        if exchange(&self.dir, &self.target)? {
            // After the exchange the staging path holds the old build.
            self.committed = true;
            return Ok(Replaced(Some(self.dir.clone())));
        }
        // No atomic exchange here: two renames, old build moved aside first.
        let old = sibling(&self.target, "old")?;
        std::fs::rename(&self.target, &old)?;
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            let _ = std::fs::rename(&old, &self.target);
            return Err(e);
        }
        self.committed = true;
        Ok(Replaced(Some(old)))
    }
}

/// The build a commit replaced, in a folder beside the output named for
/// this process: if the process dies before removing it, the next build
/// does ([`remove_stale`]).
#[must_use = "the replaced build stays on disk until removed"]
pub(crate) struct Replaced(Option<PathBuf>);

impl Replaced {
    /// Removes the replaced build, a top-level folder per thread: most of
    /// an everyday rebuild's swap is deleting the old tree's 20,000 names
    /// (10,000 pages), and the caller records the new build meanwhile.
    pub(crate) fn remove(self) {
        use rayon::prelude::*;
        let Some(dir) = self.0 else { return };
        if let Ok(entries) = std::fs::read_dir(&dir) {
            let entries: Vec<_> = entries.flatten().collect();
            entries.par_iter().for_each(|entry| {
                let _ = match entry.file_type().is_ok_and(|t| t.is_dir()) {
                    true => std::fs::remove_dir_all(entry.path()),
                    false => std::fs::remove_file(entry.path()),
                };
            });
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.write_hashed(rel, bytes, manifest::hash(bytes))
    }

    fn write_hashed(&self, rel: &str, bytes: &[u8], hash: u128) -> io::Result<()> {
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

    /// The path of `rel` in the staging folder, with its parent created.
    fn prepare(&self, rel: &str) -> io::Result<PathBuf> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
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
        s.commit().unwrap().remove();
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
        s.commit().unwrap().remove();
        for dir in [&mine, &init, &other] {
            std::fs::remove_dir(dir).unwrap();
        }
        assert_eq!(listing(tmp.path()), ["output"]);
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
