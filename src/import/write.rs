//! Checking where an import may write, and writing the new site: pages,
//! snippets, copied files, `site.yaml`.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::{Converted, CopyFile, ImportError, SiteInfo, Snippet, io_error};

/// Checks that `from` is a folder and `into` is new or empty and not
/// inside `from` (an import never writes into its source), then creates
/// `into`. Returns `from`, made absolute.
pub(crate) fn check_paths(from: &Path, into: &Path) -> Result<PathBuf, ImportError> {
    let from_abs = fs::canonicalize(from).map_err(|e| {
        ImportError::Refused(format!(
            "cannot read the source site {}: {e}",
            from.display()
        ))
    })?;
    if !from_abs.is_dir() {
        return Err(ImportError::Refused(format!(
            "the source {} is not a folder",
            from.display()
        )));
    }
    match fs::read_dir(into) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(ImportError::Refused(format!(
                    "{} is not empty: import into a new or empty folder, so nothing is overwritten",
                    into.display()
                )));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(into)(e)),
    }
    // `into` may not exist yet: place it by its nearest existing folder.
    let mut existing = into.to_path_buf();
    let mut tail = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                tail.push(name.to_os_string());
                existing = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => break,
        }
    }
    let mut into_abs = fs::canonicalize(&existing).map_err(io_error(&existing))?;
    for t in tail.iter().rev() {
        into_abs.push(t);
    }
    if into_abs.starts_with(&from_abs) {
        return Err(ImportError::Refused(format!(
            "{} is inside the source site {}: import into a folder outside it",
            into.display(),
            from.display()
        )));
    }
    // `into` is made only when the site is written, so a source whose
    // settings cannot be read leaves nothing behind.
    Ok(from_abs)
}

/// `site.yaml` as an import writes it.
#[derive(Serialize)]
struct SiteYaml<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    base_url: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    taxonomies: &'a [String],
    /// Problems inherited from the source are warnings, not a failed build.
    links: &'static str,
    review: Review,
}

#[derive(Serialize)]
struct Review {
    enabled: bool,
}

fn write_file(path: &Path, text: &str) -> Result<(), ImportError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_error(parent))?;
    }
    fs::write(path, text).map_err(io_error(path))
}

/// A page's file: its front matter, then its body.
pub(crate) fn page_text(page: &Converted) -> String {
    let yaml = serde_yaml::to_string(&page.front).unwrap_or_else(|_| "title: Page\n".into());
    let body = page.body.trim_start_matches('\n');
    format!("---\n{yaml}---\n\n{body}")
}

/// Writes everything under `into`; returns how many files other than
/// pages were written.
pub(crate) fn write_site(
    into: &Path,
    info: &SiteInfo,
    taxonomies: &[String],
    pages: &[Converted],
    snippets: &[Snippet],
    files: &[CopyFile],
) -> Result<usize, ImportError> {
    let content = into.join("content");
    fs::create_dir_all(&content).map_err(io_error(&content))?;
    pages
        .par_iter()
        .try_for_each(|p| write_file(&content.join(&p.dst_rel), &page_text(p)))?;
    for s in snippets {
        write_file(&content.join("_snippets").join(&s.name), &s.text)?;
    }
    files.par_iter().try_for_each(|f| {
        let to = into.join(&f.to);
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        fs::copy(&f.from, &to)
            .map(|_| ())
            .map_err(io_error(&f.from))
    })?;
    let site = SiteYaml {
        title: info.title.as_deref(),
        description: info.description.as_deref(),
        language: info.language.as_deref(),
        base_url: info.base_url.as_deref(),
        taxonomies,
        links: "warn",
        review: Review { enabled: false },
    };
    let yaml = serde_yaml::to_string(&site).unwrap_or_default();
    let text = format!(
        "# Written by `marrow import`. See IMPORT.md for what could not be carried over.\n\
         # `links: warn` keeps problems inherited from the old site as warnings:\n\
         # fix them, then remove it so new problems stop the build.\n{yaml}"
    );
    write_file(&into.join("site.yaml"), &text)?;
    Ok(snippets.len() + files.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_non_empty_destination_and_one_inside_the_source() {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("src");
        fs::create_dir_all(src.join("content")).unwrap();
        let full = tmp.path().join("full");
        fs::create_dir_all(&full).unwrap();
        fs::write(full.join("x"), "").unwrap();
        assert!(matches!(
            check_paths(&src, &full),
            Err(ImportError::Refused(m)) if m.contains("not empty")
        ));
        assert!(matches!(
            check_paths(&src, &src.join("new/site")),
            Err(ImportError::Refused(m)) if m.contains("inside the source")
        ));
        assert!(!src.join("new").exists(), "nothing written into the source");
        let ok = tmp.path().join("out/site");
        assert!(check_paths(&src, &ok).is_ok());
        assert!(!ok.exists(), "made only when the site is written");
    }
}
