//! What the last build into an output folder read and wrote, kept beside
//! the folder (`.output.marrow-manifest` for `output/`).
//!
//! It lets the next build into the same folder skip work without ever
//! trusting a folder it cannot vouch for:
//! - when the fingerprint of every input (and of the options and the
//!   marrow binary) is the one recorded, and every file of the folder is
//!   still the one recorded (same size and modification time, nothing
//!   added or missing), the folder already is that build: nothing to do;
//! - otherwise the build runs, and each file whose bytes are the same as
//!   a recorded one, and which is still as recorded when the build gets to
//!   it, is hard-linked from the old folder into the staging folder
//!   instead of written again (see [`super::Staging`]);
//! - once replaced, the folder becomes the next build's spare only after
//!   the names added to it by hand are removed: the record of each folder's
//!   time says which folders gained or lost one (see [`super::spare`]).
//!
//! The manifest is removed before a swap and written after it, so a build
//! killed in between leaves no manifest, and the next build does all the
//! work. One that cannot be read is ignored the same way.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

/// Bumped whenever the manifest's meaning changes: an older one is ignored.
const VERSION: u32 = 4;

/// The manifest's name beside the output (see [`path_of`]).
const MANIFEST: &str = "manifest";

/// One file of a build's output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileRecord {
    /// `/`-separated, relative to the output folder.
    pub(crate) rel: String,
    pub(crate) size: u64,
    /// Modification time in nanoseconds since 1970: a file rewritten or
    /// edited by hand since the build has another one.
    pub(crate) modified: u64,
    /// xxh3-128 of the bytes.
    pub(crate) hash: u128,
}

impl FileRecord {
    /// The record of the file at `path`, whose bytes hash to `hash`.
    pub(crate) fn of(rel: &str, path: &Path, hash: u128) -> io::Result<FileRecord> {
        let meta = std::fs::symlink_metadata(path)?;
        Ok(FileRecord {
            rel: rel.to_string(),
            size: meta.len(),
            modified: modified_nanos(&meta),
            hash,
        })
    }
}

impl FileRecord {
    /// Whether the file at `path` is still the one recorded: a plain file
    /// of the recorded size and modification time.
    pub(crate) fn still_at(&self, path: &Path) -> bool {
        std::fs::symlink_metadata(path).is_ok_and(|meta| meta.is_file() && self.matches(&meta))
    }

    fn matches(&self, meta: &std::fs::Metadata) -> bool {
        meta.len() == self.size && modified_nanos(meta) == self.modified
    }
}

/// One folder of a build's output: any name added to it or removed from it
/// since the build gives it another modification time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FolderRecord {
    /// `/`-separated, relative to the output folder; empty for the folder
    /// itself.
    pub(crate) rel: String,
    pub(crate) modified: u64,
}

impl FolderRecord {
    /// The records of `rels` (folders of the tree at `root`), each as it
    /// is now; a folder that cannot be read is left out.
    pub(crate) fn all_of(root: &Path, rels: Vec<String>) -> Vec<FolderRecord> {
        rels.into_par_iter()
            .filter_map(|rel| {
                let meta = std::fs::symlink_metadata(root.join(&rel)).ok()?;
                let modified = modified_nanos(&meta);
                Some(FolderRecord { rel, modified })
            })
            .collect()
    }

    /// Whether the folder at `path` is still as recorded: no name added
    /// to it or removed since.
    pub(crate) fn still_at(&self, path: &Path) -> bool {
        std::fs::symlink_metadata(path)
            .is_ok_and(|meta| meta.is_dir() && modified_nanos(&meta) == self.modified)
    }
}

/// The folders that hold `files` (paths relative to the output), with
/// every folder above them, the output itself (`""`) among them.
pub(crate) fn folders_of<'a>(files: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut folders = std::collections::HashSet::new();
    folders.insert("");
    for rel in files {
        let mut at = rel;
        while let Some((parent, _)) = at.rsplit_once('/') {
            if !folders.insert(parent) {
                break;
            }
            at = parent;
        }
    }
    folders.into_iter().map(str::to_string).collect()
}

/// The hash the manifest records for `bytes`.
pub(crate) fn hash(bytes: &[u8]) -> u128 {
    xxh3_128(bytes)
}

fn modified_nanos(meta: &std::fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// What a successful build reported, to repeat when nothing changed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Summary {
    pub(crate) pages: usize,
    pub(crate) sections: usize,
    pub(crate) files: usize,
    pub(crate) search: Option<crate::pipeline::SearchSummary>,
    pub(crate) notes: Vec<String>,
    pub(crate) warnings: Vec<String>,
}

/// The record of one build into one output folder.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Manifest {
    version: u32,
    /// [`fingerprint`] of what the build read; `None` when it could not be
    /// taken (the build then never counts as up to date).
    pub(crate) inputs: Option<u128>,
    pub(crate) summary: Summary,
    pub(crate) files: Vec<FileRecord>,
    /// Every folder of the output, for telling whether a name was added
    /// to one by hand (see [`super::spare`]).
    pub(crate) folders: Vec<FolderRecord>,
    /// What the build made of each page, for rendering only the pages
    /// that changed next time (see [`crate::pipeline::PageRecords`]).
    pub(crate) pages: Option<crate::pipeline::PageRecords>,
    /// The hash of the search counts the build left beside the output
    /// (see [`crate::search::SearchCounts`]): counts of another build are
    /// not read.
    pub(crate) search_counts: Option<u128>,
}

/// Where the build's record `kind` of `output` lives: beside it, so it is
/// never published with the site (`.output.marrow-manifest`).
fn path_of(output: &Path, kind: &str) -> Option<PathBuf> {
    let name = output.file_name()?.to_string_lossy();
    Some(
        output
            .parent()
            .unwrap_or(Path::new("."))
            .join(format!(".{name}{}{kind}", super::MARKER)),
    )
}

/// The record `kind` beside `output` (see [`write_beside`]).
pub(crate) fn read_beside(output: &Path, kind: &str) -> Option<Vec<u8>> {
    std::fs::read(path_of(output, kind)?).ok()
}

/// Writes the record `kind` beside `output`, as `write` writes it (see
/// [`BesideFile`]); returns the hash of the bytes written.
pub(crate) fn write_beside(
    output: &Path,
    kind: &str,
    write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
) -> io::Result<u128> {
    let mut file = BesideFile::create(output, kind)?;
    write(&mut file)?;
    file.finish()
}

/// A record being written beside the output, streamed to a temporary file
/// (so a record is never held whole in memory, and a reader never sees
/// half of one) and renamed into place by [`BesideFile::finish`]. Dropped
/// unfinished, it removes the temporary file; if the process is killed
/// first, the next build does ([`super::remove_stale`]: the name carries
/// the process id).
pub(crate) struct BesideFile {
    path: PathBuf,
    temp: PathBuf,
    to: Option<io::BufWriter<std::fs::File>>,
    hash: Xxh3,
    /// A write failed: the record is not put in place.
    failed: bool,
}

impl BesideFile {
    pub(crate) fn create(output: &Path, kind: &str) -> io::Result<BesideFile> {
        let no_name = || io::Error::other("output has no name");
        let path = path_of(output, kind).ok_or_else(no_name)?;
        let temp =
            path_of(output, &format!("{kind}-{}-tmp", std::process::id())).ok_or_else(no_name)?;
        let file = std::fs::File::create(&temp)?;
        Ok(BesideFile {
            path,
            temp,
            to: Some(io::BufWriter::new(file)),
            hash: Xxh3::new(),
            failed: false,
        })
    }

    /// Puts the record in place; returns the hash of its bytes ([`hash`]).
    pub(crate) fn finish(mut self) -> io::Result<u128> {
        let mut to = self
            .to
            .take()
            .ok_or_else(|| io::Error::other("already finished"))?;
        io::Write::flush(&mut to)?;
        drop(to);
        if self.failed {
            return Err(io::Error::other("a write failed"));
        }
        std::fs::rename(&self.temp, &self.path)?;
        Ok(self.hash.digest128())
    }
}

impl io::Write for BesideFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let to = self
            .to
            .as_mut()
            .ok_or_else(|| io::Error::other("already finished"))?;
        let written = to.write(buf);
        match &written {
            Ok(n) => self.hash.update(&buf[..*n]),
            Err(_) => self.failed = true,
        }
        written
    }

    fn flush(&mut self) -> io::Result<()> {
        self.to.as_mut().map_or(Ok(()), io::Write::flush)
    }
}

impl Drop for BesideFile {
    fn drop(&mut self) {
        if self.to.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

impl Manifest {
    pub(crate) fn new(inputs: Option<u128>, summary: Summary, files: Vec<FileRecord>) -> Self {
        Manifest {
            version: VERSION,
            inputs,
            summary,
            files,
            folders: Vec::new(),
            pages: None,
            search_counts: None,
        }
    }

    /// The manifest of `output`; `None` when there is none, it cannot be
    /// read, or it is of another version.
    pub(crate) fn read(output: &Path) -> Option<Manifest> {
        use bincode::Options;
        let bytes = read_beside(output, MANIFEST)?;
        let manifest: Manifest = bincode::DefaultOptions::new().deserialize(&bytes).ok()?;
        (manifest.version == VERSION).then_some(manifest)
    }

    /// Whether `output` holds exactly the recorded files, each still as
    /// recorded. Only a build whose inputs are those recorded asks: any
    /// other build checks each file it would take from the old folder as it
    /// takes it (see [`FileRecord::still_at`]), and never walks the folder.
    pub(crate) fn is_intact(&self, output: &Path) -> bool {
        let recorded: HashMap<&str, &FileRecord> =
            self.files.iter().map(|f| (f.rel.as_str(), f)).collect();
        let mut seen = 0;
        for entry in walkdir::WalkDir::new(output).min_depth(1) {
            let Ok(entry) = entry else { return false };
            if entry.file_type().is_dir() {
                continue;
            }
            seen += 1;
            let Ok(rel) = entry.path().strip_prefix(output) else {
                return false;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            let (Some(record), Ok(meta)) = (recorded.get(rel.as_str()), entry.metadata()) else {
                return false;
            };
            if !(entry.file_type().is_file() && record.matches(&meta)) {
                return false;
            }
        }
        seen == self.files.len()
    }

    /// Writes the manifest beside `output` (to a temporary file first, so a
    /// reader never sees half of one).
    pub(crate) fn save(&self, output: &Path) -> io::Result<()> {
        use bincode::Options;
        // Binary: a 10,000-page site's manifest took 36 ms to read as JSON.
        write_beside(output, MANIFEST, |w| {
            (bincode::DefaultOptions::new().serialize_into(w, self)).map_err(io::Error::other)
        })
        .map(|_| ())
    }
}

/// Removes the manifest of `output`: from now until a new one is written,
/// the folder is not vouched for.
pub(crate) fn forget(output: &Path) -> io::Result<()> {
    let Some(path) = path_of(output, MANIFEST) else {
        return Ok(());
    };
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// What a build's output depends on besides its inputs: the marrow that
/// builds (its version and identity) and the options.
pub(crate) struct Context<'a> {
    /// Names the marrow binary: a rebuilt one may render differently.
    pub(crate) binary: &'a str,
    /// The options, as they change the output (date, drafts, base URL,
    /// output path).
    pub(crate) options: String,
    /// Files the settings name outside the input folders (a glossary).
    pub(crate) extra: Vec<PathBuf>,
}

/// The inputs of a build as [`fingerprint`] found them.
pub(crate) struct Fingerprint {
    /// Of everything: files, options and binary.
    pub(crate) all: u128,
    /// Of the options and binary alone.
    pub(crate) options: u128,
    /// Each input file on disk and the hash of its bytes (`None`:
    /// unreadable), for telling which of them a page was made from.
    pub(crate) files: Vec<(PathBuf, Option<u128>)>,
    /// The bytes of the Markdown files among them (pages, which the build
    /// reads next), by path.
    pub(crate) pages: HashMap<PathBuf, Vec<u8>>,
}

/// A fingerprint of every input file of the site at `root` (names and
/// bytes, read in parallel) and of `context`.
pub(crate) fn fingerprint(root: &Path, context: &Context) -> Fingerprint {
    let mut files: Vec<(String, PathBuf)> = crate::content::inputs::list(root);
    for path in &context.extra {
        files.push((format!("extra:{}", path.display()), path.clone()));
    }
    type Read = (String, PathBuf, Option<u128>, Option<Vec<u8>>);
    let mut hashes: Vec<Read> = files
        .into_par_iter()
        .map(|(rel, path)| {
            let bytes = std::fs::read(&path).ok();
            let hash = bytes.as_deref().map(hash);
            let page = path.extension().is_some_and(|e| e == "md");
            (rel, path, hash, bytes.filter(|_| page))
        })
        .collect();
    let pages = hashes
        .iter_mut()
        .filter_map(|(_, path, _, bytes)| Some((path.clone(), bytes.take()?)))
        .collect();
    let mut options = Xxh3::new();
    options.update(&VERSION.to_le_bytes());
    for part in [context.binary, &context.options] {
        options.update(part.as_bytes());
        options.update(&[0]);
    }
    let options = options.digest128();
    let mut all = Xxh3::new();
    all.update(&options.to_le_bytes());
    for (rel, _, hash, _) in &hashes {
        all.update(rel.as_bytes());
        all.update(&[0]);
        all.update(&hash.unwrap_or(0).to_le_bytes());
    }
    Fingerprint {
        all: all.digest128(),
        options,
        files: hashes
            .into_iter()
            .map(|(_, path, hash, _)| (path, hash))
            .collect(),
        pages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("content")).unwrap();
        std::fs::write(tmp.path().join("content/a.md"), "one").unwrap();
        tmp
    }

    fn context(options: &str) -> Context<'static> {
        Context {
            binary: "marrow test",
            options: options.into(),
            extra: Vec::new(),
        }
    }

    #[test]
    fn fingerprint_follows_inputs_and_options_only() {
        let tmp = site();
        let root = tmp.path();
        let print = |options| fingerprint(root, &context(options)).all;
        let first = print("a");
        assert_eq!(first, print("a"));
        assert_ne!(first, print("b"), "options count");
        std::fs::create_dir_all(root.join("output")).unwrap();
        std::fs::write(root.join("output/x.html"), "x").unwrap();
        std::fs::write(root.join("content/.a.md.swp"), "x").unwrap();
        assert_eq!(first, print("a"), "not inputs");
        let read = fingerprint(root, &context("a"));
        let files = read.files;
        assert_eq!(files.len(), 1, "one input: {files:?}");
        assert_eq!(files[0].1, Some(hash(b"one")));
        // The page's bytes are handed on, so the build does not read it again.
        assert_eq!(read.pages.get(&files[0].0), Some(&b"one".to_vec()));
        std::fs::write(root.join("content/a.md"), "two").unwrap();
        assert_ne!(first, print("a"), "bytes count");
        std::fs::write(root.join("content/a.md"), "one").unwrap();
        std::fs::rename(root.join("content/a.md"), root.join("content/b.md")).unwrap();
        assert_ne!(first, print("a"), "names count");
    }

    #[test]
    fn a_record_beside_the_output_is_hashed_as_written() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        let bytes: Vec<u8> = (0..100_000u32).flat_map(|n| n.to_le_bytes()).collect();
        let written = write_beside(&out, "test", |w| w.write_all(&bytes)).unwrap();
        assert_eq!(read_beside(&out, "test").unwrap(), bytes);
        assert_eq!(written, hash(&bytes));
        let names: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left");
    }

    #[test]
    fn a_folder_is_intact_only_as_recorded() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        std::fs::create_dir_all(out.join("a")).unwrap();
        std::fs::write(out.join("a/index.html"), "page").unwrap();
        std::fs::write(out.join("index.html"), "home").unwrap();
        let record = |rel: &str| FileRecord::of(rel, &out.join(rel), 1).unwrap();
        let files = vec![record("a/index.html"), record("index.html")];
        let manifest = Manifest::new(Some(7), Summary::default(), files);
        manifest.save(&out).unwrap();
        let found = Manifest::read(&out).unwrap();
        assert!(found.is_intact(&out));
        assert_eq!(found.inputs, Some(7));

        std::fs::write(out.join("extra.html"), "added by hand").unwrap();
        assert!(!found.is_intact(&out), "a file added");
        std::fs::remove_file(out.join("extra.html")).unwrap();
        std::fs::write(out.join("index.html"), "edited").unwrap();
        assert!(!found.is_intact(&out), "a file edited");
        assert!(found.files[0].still_at(&out.join("a/index.html")));
        assert!(!found.files[1].still_at(&out.join("index.html")));
        std::fs::remove_file(out.join("index.html")).unwrap();
        assert!(!found.is_intact(&out), "a file removed");

        forget(&out).unwrap();
        assert!(Manifest::read(&out).is_none());
        std::fs::write(path_of(&out, MANIFEST).unwrap(), "{not json").unwrap();
        assert!(Manifest::read(&out).is_none(), "unreadable: ignored");
    }
}
