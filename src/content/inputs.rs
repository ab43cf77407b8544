//! Which files a build reads: `site.yaml`, `data/facts.yaml` and everything
//! in the input folders but the files editors leave behind. `serve` watches
//! these, and `build` fingerprints them to tell whether anything changed
//! since the last build; both must agree, so the list is kept here, once.

use std::path::{Path, PathBuf};

/// Folders whose files a build may read (the theme's templates, strings and
/// static files are under `themes/`).
pub(crate) const DIRS: [&str; 5] = ["content", "themes", "templates", "static", "data"];

/// Whether the file at `rel` (relative to the site root, `/`-separated)
/// is one a build reads.
pub(crate) fn is_input(rel: &str) -> bool {
    if rel.split('/').any(super::is_ignored) {
        return false;
    }
    rel == crate::config::CONFIG_FILE
        || rel == crate::shortcodes::FACTS_FILE
        || ["content/", "themes/", "templates/", "static/"]
            .iter()
            .any(|dir| rel.starts_with(dir))
}

/// Every input file of the site at `root`, as (`rel`, path), sorted by
/// `rel`. Links are listed, not followed (reading one reads its target):
/// a link to a folder, a loop or a dangling link is listed too, so adding
/// one changes the list. Folders that cannot be read are left out: a
/// build reports them as errors and never records its inputs.
pub(crate) fn list(root: &Path) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    let config = root.join(crate::config::CONFIG_FILE);
    if config.is_file() {
        found.push((crate::config::CONFIG_FILE.to_string(), config));
    }
    for dir in DIRS {
        let walk = walkdir::WalkDir::new(root.join(dir))
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0 || !super::is_ignored(&e.file_name().to_string_lossy())
            });
        for entry in walk.flatten() {
            if entry.file_type().is_dir() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(root) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if is_input(&rel) {
                found.push((rel, entry.into_path()));
            }
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_the_site_files_and_not_editor_leftovers() {
        assert!(is_input("content/process/a.md"));
        assert!(is_input("site.yaml"));
        assert!(is_input("themes/default/static/marrow.css"));
        assert!(is_input("data/facts.yaml"));
        assert!(is_input("content/_snippets/call.md"));
        assert!(!is_input("data/notes.txt"));
        assert!(!is_input("content/process/.a.md.swp"));
        assert!(!is_input("content/process/a.md~"));
        assert!(!is_input("output/index.html"));
        assert!(!is_input("target/debug/x"));
        assert!(!is_input(".git/index"));
    }

    #[test]
    fn list_walks_the_input_folders_in_order() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for rel in [
            "site.yaml",
            "content/b.md",
            "content/a/x.md",
            "content/.hidden/y.md",
            "content/a/x.md~",
            "data/facts.yaml",
            "data/other.csv",
            "output/index.html",
        ] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, rel).unwrap();
        }
        let rels: Vec<String> = list(root).into_iter().map(|(rel, _)| rel).collect();
        assert_eq!(
            rels,
            [
                "content/a/x.md",
                "content/b.md",
                "data/facts.yaml",
                "site.yaml"
            ]
        );
    }
}
