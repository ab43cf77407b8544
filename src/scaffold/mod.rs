//! `marrow new`: a starter site and page skeletons, so a writer starts from
//! something that builds, passes `marrow check`, and shows every setting
//! and front matter field with what it is for.
//!
//! Nothing here overwrites: a site goes only into an empty (or new) folder,
//! a page only where no file is.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use include_dir::{Dir, include_dir};

use crate::diagnostics::Diagnostic;

/// The starter site, compiled into the binary.
static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/scaffold/starter");

/// Why `marrow new` refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The request itself cannot be honoured (existing file, bad path).
    #[error("{0}")]
    Refused(Diagnostic),
    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> ScaffoldError + '_ {
    move |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes the starter site into `dir`, which must be new or empty. Returns
/// the files written, relative to `dir`.
pub fn new_site(dir: &Path, title: &str, today: NaiveDate) -> Result<Vec<PathBuf>, ScaffoldError> {
    match fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(ScaffoldError::Refused(
                    Diagnostic::file(
                        dir.display().to_string(),
                        "this folder is not empty; marrow new site writes only into a new or empty folder",
                    )
                    .with_help("choose a new folder name, e.g. `marrow new site my-site`"),
                ));
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(dir)(e)),
    }
    // JSON strings are YAML strings: the title is quoted whatever it holds.
    let quoted_title =
        serde_json::to_string(title).unwrap_or_else(|_| "\"Patient information\"".into());
    let mut written = Vec::new();
    let mut files = Vec::new();
    collect(&STARTER, &mut files);
    for file in files {
        let rel = file.path();
        let text = String::from_utf8_lossy(file.contents())
            .replace("__TITLE__", &quoted_title)
            .replace("__TODAY__", &today.to_string());
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        fs::write(&path, text).map_err(io_error(&path))?;
        written.push(rel.to_path_buf());
    }
    written.sort();
    Ok(written)
}

fn collect<'a>(dir: &'a Dir<'a>, out: &mut Vec<&'a include_dir::File<'a>>) {
    out.extend(dir.files());
    for d in dir.dirs() {
        collect(d, out);
    }
}

/// Writes a page skeleton at `path` (a `.md` file inside a `content/`
/// folder), creating its folders. Refuses to replace an existing file.
pub fn new_page(path: &Path, title: &str, today: NaiveDate) -> Result<(), ScaffoldError> {
    let refuse = |message: String, help: &str| {
        ScaffoldError::Refused(
            Diagnostic::file(path.display().to_string(), message).with_help(help),
        )
    };
    if path.extension().and_then(|e| e.to_str()) != Some("md") {
        return Err(refuse(
            "a page must be a Markdown file ending in .md".into(),
            "e.g. `marrow new page content/process/going-home.md --title \"Going home\"`",
        ));
    }
    let absolute = std::path::absolute(path).map_err(io_error(path))?;
    if !absolute.components().any(|c| c.as_os_str() == "content") {
        return Err(refuse(
            "pages live in the site's content/ folder, and this path is not inside one".into(),
            "give the path from the site root, e.g. `content/process/going-home.md`",
        ));
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(io_error(parent))?;
    }
    let weight = next_weight(path.parent().unwrap_or(Path::new(".")));
    let text = page_skeleton(title, weight, today);
    // create_new: refuse atomically, even if the file appears meanwhile.
    let mut file = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(refuse(
                "this file already exists; marrow new page never overwrites".into(),
                "pick another file name, or edit the existing page",
            ));
        }
        Err(e) => return Err(io_error(path)(e)),
    };
    file.write_all(text.as_bytes()).map_err(io_error(path))
}

/// A weight after every page already in `folder`, so a new page goes last
/// in the menu.
fn next_weight(folder: &Path) -> i64 {
    let Ok(entries) = fs::read_dir(folder) else {
        return 10;
    };
    let max = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter_map(|p| {
            let text = fs::read_to_string(&p).ok()?;
            // Pages that do not parse simply do not count.
            crate::content::front_matter::parse(&p, &text)
                .ok()?
                .front
                .weight
        })
        .max()
        .unwrap_or(0);
    (max / 10 + 1) * 10
}

/// The front matter skeleton of a new page: every field a medical page
/// needs, with what to put in it.
pub(crate) fn page_skeleton(title: &str, weight: i64, today: NaiveDate) -> String {
    let title = serde_json::to_string(title).unwrap_or_else(|_| "\"New page\"".into());
    format!(
        r#"---
title: {title}
# One sentence that sums up the page (search results, link previews).
description: "What this page is about, in one sentence."
# Order in the menu: lower comes first.
weight: {weight}
# The date the content last changed.
updated: {today}
audience: patients and families
# Topics: pages that share a tag are offered as related pages.
tags: []
# Every fact on the page must come from a source listed here.
references:
  - title: "Title of the source"
    url: https://www.nhs.uk/
    publisher: NHS
    accessed: {today}
# After an editor has checked every fact against the sources above:
# sources_checked: YYYY-MM-DD
# checked_by: "Name"
# Only after a clinician has reviewed the whole page (until then the page
# says it has not been reviewed by a clinician). Record it with
# `marrow review PAGE --reviewer NAME --role ROLE`; never copy it
# from another page.
# reviewed: YYYY-MM-DD
# reviewer: {{ name: "Name", role: "Role" }}
# next_review: YYYY-MM-DD   # optional: otherwise reviewed + review.interval_months
---

Start with what the reader most needs to know. Use short sentences and everyday words.

## Questions to ask your care team {{#questions}}

- 
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    #[test]
    fn starter_site_yaml_explains_every_setting() {
        let file = STARTER.get_file("site.yaml").unwrap();
        let text = file.contents_utf8().unwrap();
        let defaults = serde_json::to_value(SiteConfig::default()).unwrap();
        let mut missing = Vec::new();
        let mut walk = |prefix: &str, map: &serde_json::Map<String, serde_json::Value>| {
            for key in map.keys() {
                if !text.contains(&format!("{key}:")) {
                    missing.push(format!("{prefix}{key}"));
                }
            }
        };
        let top = defaults.as_object().unwrap();
        walk("", top);
        for (name, value) in top {
            if let Some(inner) = value
                .as_object()
                .filter(|_| name != "extra" && name != "strings")
            {
                walk(&format!("{name}."), inner);
            }
        }
        for key in ["feedback:", "url:", "text:"] {
            assert!(text.contains(key), "{key}");
        }
        assert!(
            missing.is_empty(),
            "site.yaml of the starter lacks {missing:?}"
        );
    }

    #[test]
    fn new_site_refuses_a_folder_with_files_and_quotes_the_title() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let files = new_site(&site, "St Elsewhere: \"patient\" info", today()).unwrap();
        assert!(files.contains(&PathBuf::from("content/treatment/after-treatment.md")));
        let config = SiteConfig::load(&site).unwrap();
        assert_eq!(config.title, "St Elsewhere: \"patient\" info");
        let again = new_site(&site, "x", today()).unwrap_err();
        assert!(again.to_string().contains("not empty"), "{again}");
    }

    #[test]
    fn new_page_parses_never_overwrites_and_goes_last() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("content/process/going-home.md");
        new_page(&path, "Going home: what to expect", today()).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        let doc = crate::content::front_matter::parse(&path, &text).unwrap();
        assert_eq!(
            doc.front.title.as_deref(),
            Some("Going home: what to expect")
        );
        assert_eq!(doc.front.weight, Some(10));
        assert!(doc.front.reviewed.is_none());
        let err = new_page(&path, "Other", today()).unwrap_err();
        assert!(err.to_string().contains("already exists"), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), text, "unchanged");
        let second = dir.path().join("content/process/follow-up.md");
        new_page(&second, "Follow-up", today()).unwrap();
        assert!(fs::read_to_string(&second).unwrap().contains("weight: 20"));
        for bad in ["content/x.txt", "notes/x.md"] {
            let e = new_page(&dir.path().join(bad), "x", today()).unwrap_err();
            assert!(matches!(e, ScaffoldError::Refused(_)), "{bad}: {e}");
        }
    }
}
