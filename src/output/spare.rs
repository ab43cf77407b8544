//! The build before last, kept beside the output as the next build's
//! staging folder (`.output.marrow-spare` for `output/`).
//!
//! A swap leaves the replaced build in a folder of its own. Deleting it
//! (20,000 names at 10,000 pages) and then linking every unchanged file
//! into a new staging folder was most of what an everyday rebuild wrote.
//! Kept instead, the replaced build is where the next build starts: a file
//! whose bytes it already holds, still as recorded, is left where it is;
//! any other is replaced by a new file (never written through, since the
//! spare shares unchanged files with the output by hard links); files the
//! new build does not make are removed before the swap.
//!
//! The spare is trusted no more than the output: its record, inside it
//! (`.marrow-spare-record`), lists each file with its size and time, and a
//! file is taken only if it still matches. It becomes the spare only once
//! it holds nothing but recorded files (anything else, say a file dropped
//! into `output/` by hand, is removed first) and its record is written; a
//! build takes it by renaming it to its own staging name, so a build killed
//! while using it leaves a folder named for a dead process, which the next
//! build removes ([`super::remove_stale`]).

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{FileRecord, FolderRecord};

/// The spare's record, inside it; never part of a site (a build that takes
/// the spare removes it first).
const RECORD: &str = ".marrow-spare-record";

/// Bumped whenever the record's meaning changes: an older one is ignored.
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Record {
    version: u32,
    files: Vec<FileRecord>,
}

/// Where the spare of `target` is kept.
pub(super) fn path(target: &Path) -> Option<PathBuf> {
    let name = target.file_name()?.to_string_lossy();
    let parent = target.parent().unwrap_or(Path::new("."));
    Some(parent.join(format!(".{name}{}spare", super::MARKER)))
}

/// Takes the spare of `target` as the folder `dir` (which must not exist);
/// returns the files it holds. `None` when there is no spare, or when it
/// cannot be vouched for (then it is removed, and `dir` does not exist).
pub(super) fn take(target: &Path, dir: &Path) -> Option<HashMap<String, FileRecord>> {
    std::fs::rename(path(target)?, dir).ok()?;
    let record = dir.join(RECORD);
    let files = read(&record);
    if files.is_none() || std::fs::remove_file(&record).is_err() {
        let _ = std::fs::remove_dir_all(dir);
        return None;
    }
    files.map(|files| files.into_iter().map(|f| (f.rel.clone(), f)).collect())
}

fn read(record: &Path) -> Option<Vec<FileRecord>> {
    use bincode::Options;
    let bytes = std::fs::read(record).ok()?;
    let record: Record = bincode::DefaultOptions::new().deserialize(&bytes).ok()?;
    (record.version == VERSION).then_some(record.files)
}

/// Makes `dir`, a build just replaced, whose files and folders `files`
/// and `folders` list, the spare of `target`. Names in it that are not
/// recorded are removed first. Fails when there already is a spare, or the
/// record cannot be written (the caller then removes `dir`).
pub(super) fn keep(
    dir: &Path,
    target: &Path,
    files: HashMap<String, FileRecord>,
    folders: &[FolderRecord],
) -> io::Result<()> {
    let spare = path(target).ok_or_else(|| io::Error::other("output path has no folder name"))?;
    if spare.exists() {
        return Err(io::ErrorKind::AlreadyExists.into());
    }
    let files = only_recorded(dir, files, folders)?;
    let record = Record {
        version: VERSION,
        files,
    };
    write(&dir.join(RECORD), &record)?;
    std::fs::rename(dir, spare)
}

/// Removes from `dir`, a spare that a build filled, the files of the spare
/// (`spare`) that the build did not make (`made`), and the folders they
/// leave empty.
pub(super) fn remove_unmade(
    dir: &Path,
    spare: &HashMap<String, FileRecord>,
    made: &[FileRecord],
) -> io::Result<()> {
    use rayon::prelude::*;
    if spare.is_empty() {
        return Ok(());
    }
    let made: HashSet<&str> = made.iter().map(|f| f.rel.as_str()).collect();
    let unmade: Vec<&str> = (spare.keys())
        .map(String::as_str)
        .filter(|rel| !made.contains(rel))
        .collect();
    unmade.par_iter().try_for_each(|rel| {
        let path = dir.join(rel);
        if let Err(e) = std::fs::remove_file(&path) {
            // Gone already, or a folder of this build now: fine. A file
            // that stays would be published.
            if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir()) {
                return Err(e);
            }
        }
        let mut at = *rel;
        while let Some((parent, _)) = at.rsplit_once('/') {
            if std::fs::remove_dir(dir.join(parent)).is_err() {
                break;
            }
            at = parent;
        }
        Ok(())
    })
}

fn write(path: &Path, record: &Record) -> io::Result<()> {
    use bincode::Options;
    let bytes = (bincode::DefaultOptions::new().serialize(record)).map_err(io::Error::other)?;
    std::fs::write(path, bytes)
}

/// Removes from `dir` every name that `files` and `folders` do not list;
/// returns the recorded files still there. Only a folder whose time is no
/// longer the recorded one can have gained or lost a name, so only those
/// are read (a stat per folder, not a walk of the tree). Whether each file
/// is still as recorded is checked when a build would take it.
fn only_recorded(
    dir: &Path,
    mut files: HashMap<String, FileRecord>,
    folders: &[FolderRecord],
) -> io::Result<Vec<FileRecord>> {
    use rayon::prelude::*;
    let known: HashSet<&str> = folders.iter().map(|f| f.rel.as_str()).collect();
    let parent = |rel: &str| {
        rel.rsplit_once('/')
            .map_or("", |(parent, _)| parent)
            .to_string()
    };
    if !files.keys().all(|rel| known.contains(parent(rel).as_str())) {
        // Not every folder is recorded: a name added to one would go unseen.
        return Err(io::Error::other(
            "the output's folders are not all recorded",
        ));
    }
    let changed: Vec<&FolderRecord> = folders
        .par_iter()
        .filter(|f| !f.still_at(&dir.join(&f.rel)))
        .collect();
    let mut unsure: HashSet<&str> = HashSet::new();
    let mut found: HashSet<String> = HashSet::new();
    for folder in changed {
        unsure.insert(&folder.rel);
        let Ok(entries) = std::fs::read_dir(dir.join(&folder.rel)) else {
            continue; // gone, with all it held
        };
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            let rel = match (folder.rel.as_str(), name.to_str()) {
                (_, None) => None,
                ("", Some(name)) => Some(name.to_string()),
                (parent, Some(name)) => Some(format!("{parent}/{name}")),
            };
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            match rel {
                Some(rel) if is_dir && known.contains(rel.as_str()) => {}
                Some(rel) if !is_dir && files.contains_key(&rel) => {
                    found.insert(rel);
                }
                _ if is_dir => std::fs::remove_dir_all(entry.path())?,
                _ => std::fs::remove_file(entry.path())?,
            }
        }
    }
    // A file is there if its folder was not touched, or it was found in it.
    files.retain(|rel, _| !unsure.contains(parent(rel).as_str()) || found.contains(rel));
    Ok(files.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(dir: &Path, rels: &[&str]) -> HashMap<String, FileRecord> {
        rels.iter()
            .map(|rel| {
                (
                    rel.to_string(),
                    FileRecord::of(rel, &dir.join(rel), 1).unwrap(),
                )
            })
            .collect()
    }

    fn write_all(root: &Path, rels: &[&str]) {
        for rel in rels {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, rel).unwrap();
        }
    }

    fn files_in(root: &Path) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(root)
            .min_depth(1)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| !e.file_type().is_dir())
            .map(|e| {
                e.path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn a_spare_holds_only_recorded_files_and_is_taken_once() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("output");
        let old = tmp.path().join("old");
        let built = [
            "index.html",
            "a/index.html",
            "a/b/index.html",
            "c/d/index.html",
        ];
        write_all(&old, &built);
        let recorded = records(&old, &built);
        let folders = super::super::manifest::folders_of(built.into_iter());
        let folders = FolderRecord::all_of(&old, folders);
        // Then, by hand: names added at every depth, and a file removed.
        write_all(&old, &["stray/x.html", "a/y.txt", "a/b/z.txt", "top.txt"]);
        std::fs::create_dir_all(old.join("c/empty")).unwrap();
        std::fs::remove_file(old.join("c/d/index.html")).unwrap();
        keep(&old, &target, recorded.clone(), &folders).unwrap();
        assert!(!old.exists());

        let taken = tmp.path().join("staging");
        let files = take(&target, &taken).unwrap();
        let mut expected = recorded;
        expected.remove("c/d/index.html");
        assert_eq!(files, expected, "the removed file drops out of the record");
        assert_eq!(
            files_in(&taken),
            ["a/b/index.html", "a/index.html", "index.html"]
        );
        assert!(!taken.join("c/empty").exists() && !taken.join("stray").exists());
        assert!(
            take(&target, &tmp.path().join("again")).is_none(),
            "taken once"
        );
    }

    #[test]
    fn a_build_whose_folders_are_not_all_recorded_is_not_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let old = tmp.path().join("old");
        write_all(&old, &["index.html", "a/index.html"]);
        let recorded = records(&old, &["index.html", "a/index.html"]);
        let folders = FolderRecord::all_of(&old, vec![String::new()]);
        assert!(keep(&old, &tmp.path().join("output"), recorded, &folders).is_err());
    }

    #[test]
    fn a_spare_whose_record_is_not_marrows_is_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("output");
        let spare = path(&target).unwrap();
        std::fs::create_dir_all(&spare).unwrap();
        std::fs::write(spare.join("index.html"), "x").unwrap();
        std::fs::write(spare.join(RECORD), "not a record").unwrap();
        let taken = tmp.path().join("staging");
        assert!(take(&target, &taken).is_none());
        assert!(!taken.exists() && !spare.exists());
    }
}
