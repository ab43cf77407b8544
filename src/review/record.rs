//! `marrow review PAGE --reviewer NAME --role ROLE`: records a clinical
//! review in a page's front matter.
//!
//! The file is edited as text, not re-serialized: only the lines of
//! `reviewed`, `reviewer` and `next_review` change (or are added before the
//! closing `---`), so comments, key order, quoting, line endings and the
//! body stay byte for byte as the writer left them. The result is parsed
//! again before anything is written, and written by rename, so a failure
//! never leaves a half-edited page.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::content::front_matter::{self, Reviewer};
use crate::diagnostics::Diagnostic;

/// The keys this command owns, in the order it writes new ones.
const KEYS: [&str; 3] = ["reviewed", "reviewer", "next_review"];

/// A clinical review to record.
#[derive(Debug, Clone)]
pub struct ClinicalReview {
    /// Who reviewed the page.
    pub reviewer: Reviewer,
    /// When.
    pub date: NaiveDate,
    /// When the next review is due.
    pub next_review: NaiveDate,
}

/// Why a review could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("cannot read {path}: {source}")]
    /// The page could not be read.
    Read {
        /// The page.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    /// The page could not be written.
    Write {
        /// The page.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The page's front matter does not parse (or would not after the edit).
    #[error("{0}")]
    Page(Box<Diagnostic>),
    #[error("{0}")]
    /// The request itself is wrong (a reviewer without a role, a date
    /// in the future…).
    Refused(String),
}

/// What `marrow review` was asked to do.
#[derive(Debug, Clone)]
pub struct RecordRequest {
    /// The site root (for `site.yaml`'s `review.interval_months`).
    pub root: PathBuf,
    /// The page: a path as given, or relative to `ROOT/content/`.
    pub page: PathBuf,
    /// Who reviewed the page.
    pub reviewer: Reviewer,
    /// The day of the review (today when not given).
    pub date: Option<NaiveDate>,
    /// When the next review is due, if not `review.interval_months` after
    /// the review (a fast-changing topic may need a shorter interval).
    pub next_review: Option<NaiveDate>,
}

/// What was recorded, for the CLI to report.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The page's file.
    pub page: PathBuf,
    /// The review recorded in it.
    pub review: ClinicalReview,
    /// The page is not medical content under site.yaml's `review`: the
    /// review is recorded but not shown.
    pub exempt: bool,
}

/// Records a clinical review on `today` (or the request's date).
pub fn record_review(req: &RecordRequest, today: NaiveDate) -> Result<Recorded, RecordError> {
    let config =
        crate::config::SiteConfig::load(&req.root).map_err(|d| RecordError::Page(Box::new(d)))?;
    let date = req.date.unwrap_or(today);
    if date > today {
        return Err(RecordError::Refused(format!(
            "the review date {date} is in the future: record a review on or after the day it happened"
        )));
    }
    if req.reviewer.name.trim().is_empty()
        || req
            .reviewer
            .role
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
    {
        return Err(RecordError::Refused(
            "give the reviewer's name and role, e.g. --reviewer \"Dr Jane Smith\" --role \"Consultant haematologist\"".into(),
        ));
    }
    let (path, rel) = find_page(&req.root, &req.page)?;
    let next_review = req
        .next_review
        .unwrap_or_else(|| super::add_months(date, config.review.interval_months));
    if next_review <= date {
        return Err(RecordError::Refused(format!(
            "the next review ({next_review}) must come after the review ({date})"
        )));
    }
    let review = ClinicalReview {
        reviewer: req.reviewer.clone(),
        date,
        next_review,
    };
    record(&path, &path, &review)?;
    let rel = rel.unwrap_or_default();
    Ok(Recorded {
        page: path,
        review,
        exempt: !super::is_medical(&rel, &config.review),
    })
}

/// The page a command names: `page` under the site root, under its
/// `content/`, or as given (the site's own copy first, so a page of the
/// same name in the current folder is never edited instead), and its path
/// under `content/` when it is inside it.
pub(crate) fn find_page(
    root: &Path,
    page: &Path,
) -> Result<(PathBuf, Option<String>), RecordError> {
    let content = root.join(crate::content::CONTENT_DIR);
    let found = [root.join(page), content.join(page), page.to_path_buf()]
        .into_iter()
        .find(|p| p.is_file());
    let Some(path) = found else {
        return Err(RecordError::Refused(format!(
            "no page {} (looked in {}, in {} and in the current folder)",
            page.display(),
            root.display(),
            content.display()
        )));
    };
    let rel = std::path::absolute(&path)
        .ok()
        .zip(std::path::absolute(&content).ok())
        .and_then(|(p, c)| crate::content::path::from_os(p.strip_prefix(c).ok()?));
    Ok((path, rel))
}

/// Records `review` in the page at `path` (shown as `display` in errors).
pub(crate) fn record(
    path: &Path,
    display: &Path,
    review: &ClinicalReview,
) -> Result<(), RecordError> {
    rewrite_file(path, display, |text| edit(display, text, review))
}

/// Replaces the text of the file at `path` with what `change` makes of
/// it, through a temporary file renamed over it, so the page is never
/// half written.
pub(crate) fn rewrite_file(
    path: &Path,
    display: &Path,
    change: impl FnOnce(&str) -> Result<String, RecordError>,
) -> Result<(), RecordError> {
    let bytes = std::fs::read(path).map_err(|source| RecordError::Read {
        path: display.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        RecordError::Refused(format!(
            "{} is not UTF-8 text; save it as UTF-8 first",
            display.display()
        ))
    })?;
    let edited = change(&text)?;
    let tmp = path.with_extension("md.marrow-edit");
    let write_err = |source| RecordError::Write {
        path: display.to_path_buf(),
        source,
    };
    std::fs::write(&tmp, edited.as_bytes()).map_err(write_err)?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(&tmp, meta.permissions());
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        write_err(e)
    })
}

/// The page's text with `review` recorded. Refuses a page whose front
/// matter does not parse, and checks that the result parses to the review
/// and the same body.
pub(crate) fn edit(
    display: &Path,
    text: &str,
    review: &ClinicalReview,
) -> Result<String, RecordError> {
    let before = editable(display, text)?;
    let values = [
        review.date.to_string(),
        format!(
            "{{ name: {}, role: {} }}",
            quote(&review.reviewer.name),
            quote(review.reviewer.role.as_deref().unwrap_or(""))
        ),
        review.next_review.to_string(),
    ];
    let edited = set_keys(text, &KEYS, &values)?;
    verify(display, &edited, &before, review)?;
    Ok(edited)
}

/// The parsed page at `display`, if its front matter can be edited line by
/// line: it has some, and no old Mac line endings.
pub(crate) fn editable(display: &Path, text: &str) -> Result<front_matter::Document, RecordError> {
    let before = front_matter::parse(display, text).map_err(|d| RecordError::Page(Box::new(d)))?;
    if before.body_start == 0 {
        return Err(RecordError::Refused(format!(
            "{} has no front matter to record this in",
            display.display()
        )));
    }
    if text.replace("\r\n", "").contains('\r') {
        return Err(RecordError::Refused(format!(
            "{} uses old Mac line endings (CR only); save it with LF or CRLF line endings first",
            display.display()
        )));
    }
    Ok(before)
}

/// `text` (a page with front matter) with each of `keys` set to its
/// YAML value in `values`: replaced where it is written, the missing ones
/// added together after the last of `keys` there is, or else just before
/// the closing fence. Every other byte stays as it was; the caller checks
/// that the result parses as meant.
pub(crate) fn set_keys(
    text: &str,
    keys: &[&str],
    values: &[String],
) -> Result<String, RecordError> {
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    // The opening fence may follow blank lines (the parser allows them).
    let open = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
    let Some(close) = lines
        .iter()
        .enumerate()
        .skip(open + 1)
        .find(|(_, l)| matches!(l.trim_end(), "---" | "..."))
        .map(|(i, _)| i)
    else {
        return Err(RecordError::Refused("front matter is never closed".into()));
    };
    let owned: Vec<String> = keys
        .iter()
        .zip(values)
        .map(|(k, v)| format!("{k}: {v}{eol}"))
        .collect();
    // Replace each key where it is (its value may run on over indented
    // lines); add the missing ones together after the last review key
    // there is, or else just before the closing fence.
    let mut close = close;
    let mut missing = Vec::new();
    for (key, line) in keys.iter().zip(&owned) {
        match key_span(&lines[..close], key) {
            Some((start, end)) => {
                lines.splice(start..end, [line.as_str()]);
                close -= end - start - 1;
            }
            None => missing.push(line.as_str()),
        }
    }
    let at = keys
        .iter()
        .filter_map(|k| key_span(&lines[..close], k).map(|(_, end)| end))
        .max()
        .unwrap_or(close);
    // `at` follows a whole line: the opening fence, a key's value or the
    // line before the closing fence, each of which ends in a line break.
    lines.splice(at..at, missing);
    Ok(lines.concat())
}

/// The lines `[start, end)` holding top-level `key:` and its value.
fn key_span(lines: &[&str], key: &str) -> Option<(usize, usize)> {
    let start = lines.iter().position(|l| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with(':'))
    })?;
    let continues = |l: &&&str| l.starts_with([' ', '\t']) && !l.trim().is_empty();
    let len = lines[start + 1..].iter().take_while(continues).count();
    Some((start, start + 1 + len))
}

/// A YAML double-quoted string.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn verify(
    display: &Path,
    edited: &str,
    before: &front_matter::Document,
    review: &ClinicalReview,
) -> Result<(), RecordError> {
    let after = front_matter::parse(display, edited).map_err(|d| RecordError::Page(Box::new(d)))?;
    let f = &after.front;
    let same_rest = {
        let mut a = crate::content::FrontMatter::clone(&after.front);
        a.reviewed = before.front.reviewed;
        a.reviewer = before.front.reviewer.clone();
        a.next_review = before.front.next_review;
        a == *before.front
    };
    let ok = f.reviewed == Some(review.date)
        && f.reviewer.as_ref() == Some(&review.reviewer)
        && f.next_review == Some(review.next_review)
        && same_rest
        && after.body() == before.body();
    if ok {
        Ok(())
    } else {
        Err(RecordError::Refused(format!(
            "could not record the review in {} without changing other parts of its front matter; add `reviewed`, `reviewer` and `next_review` by hand",
            display.display()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_names_read_back_as_they_were_given() {
        for name in [
            "Dr \"Jo\" O'Neil",
            "C:\\ward\\7",
            "tab\there",
            "bell\u{7}line\nbreak",
            "Dr 李",
        ] {
            let quoted = quote(name);
            assert!(!quoted.chars().any(char::is_control), "{quoted:?}");
            let back: String = serde_yaml::from_str(&quoted).unwrap();
            assert_eq!(back, name);
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn review() -> ClinicalReview {
        ClinicalReview {
            reviewer: Reviewer {
                name: "Dr Jane \"JJ\" Smith".into(),
                role: Some("Consultant haematologist".into()),
            },
            date: d(2026, 12, 1),
            next_review: d(2027, 12, 1),
        }
    }

    fn edit_text(text: &str) -> Result<String, RecordError> {
        edit(Path::new("content/a.md"), text, &review())
    }

    #[test]
    fn adds_missing_keys_before_the_fence_and_keeps_every_other_byte() {
        let text =
            "---\n# The page title\ntitle: A   # keep\ntags: [x]\n---\nBody with ---\n\n---\n";
        let out = edit_text(text).unwrap();
        assert_eq!(
            out,
            "---\n# The page title\ntitle: A   # keep\ntags: [x]\nreviewed: 2026-12-01\nreviewer: { name: \"Dr Jane \\\"JJ\\\" Smith\", role: \"Consultant haematologist\" }\nnext_review: 2027-12-01\n---\nBody with ---\n\n---\n"
        );
    }

    #[test]
    fn blank_lines_before_the_front_matter_stay_where_they_are() {
        let out = edit_text("\n\n---\ntitle: A\n---\nBody\n").unwrap();
        assert!(
            out.starts_with("\n\n---\ntitle: A\nreviewed: 2026-12-01\n"),
            "{out}"
        );
        assert!(
            out.ends_with("next_review: 2027-12-01\n---\nBody\n"),
            "{out}"
        );
    }

    #[test]
    fn replaces_existing_keys_in_place_including_block_values() {
        let text = "\u{feff}---\r\ntitle: A\r\nreviewed: 2020-01-01\r\nreviewer:\r\n  name: Old\r\n  role: Nurse\r\nsources_checked: 2026-01-01 # editors\r\nnext_review: 2021-01-01\r\n---\r\nBody\r\n";
        let out = edit_text(text).unwrap();
        assert_eq!(
            out,
            "\u{feff}---\r\ntitle: A\r\nreviewed: 2026-12-01\r\nreviewer: { name: \"Dr Jane \\\"JJ\\\" Smith\", role: \"Consultant haematologist\" }\r\nsources_checked: 2026-01-01 # editors\r\nnext_review: 2027-12-01\r\n---\r\nBody\r\n"
        );
    }

    #[test]
    fn body_lines_that_look_like_keys_are_never_touched() {
        // A long block value just before the fence: the fence must still be
        // found where it is after the value shrinks to one line.
        let text = "---\ntitle: T\nreviewed: 2020-01-01\nreviewer:\n  name: >-\n    Dr\n    Old\n    Person\n  role: GP\n---\nnext_review: is a word here\nreviewer: too\n";
        let out = edit_text(text).unwrap();
        assert_eq!(
            out,
            "---\ntitle: T\nreviewed: 2026-12-01\nreviewer: { name: \"Dr Jane \\\"JJ\\\" Smith\", role: \"Consultant haematologist\" }\nnext_review: 2027-12-01\n---\nnext_review: is a word here\nreviewer: too\n"
        );
    }

    #[test]
    fn an_edit_that_would_change_the_page_s_meaning_is_refused() {
        // A quoted key is not found as a line, so a second one would be
        // added; an anchor would lose its value. Both are caught by reading
        // the edited text back.
        for text in [
            "---\ntitle: A\n\"reviewed\": 2020-01-01\n---\nBody\n",
            "---\ntitle: A\nreviewer: &who Dr Old\nchecked_by: *who\n---\nBody\n",
        ] {
            assert!(front_matter::parse(Path::new("a.md"), text).is_ok());
            assert!(edit_text(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn the_read_back_check_compares_every_review_key_the_rest_and_the_body() {
        let page = "---\ntitle: A\n---\nBody\n";
        let before = front_matter::parse(Path::new("a.md"), page).unwrap();
        let keys = "reviewed: 2026-12-01\nreviewer: { name: \"Dr Jane \\\"JJ\\\" Smith\", role: \"Consultant haematologist\" }\nnext_review: 2027-12-01\n";
        let good = format!("---\ntitle: A\n{keys}---\nBody\n");
        assert!(verify(Path::new("a.md"), &good, &before, &review()).is_ok());
        let bad = [
            good.replace("reviewed: 2026-12-01", "reviewed: 2026-11-30"),
            good.replace("Consultant", "Locum"),
            good.replace("next_review: 2027-12-01", "next_review: 2027-12-02"),
            good.replace("title: A", "title: B"),
            good.replace("Body", "Bod"),
        ];
        for edited in &bad {
            assert!(
                matches!(
                    verify(Path::new("a.md"), edited, &before, &review()),
                    Err(RecordError::Refused(_))
                ),
                "{edited}"
            );
        }
    }

    #[test]
    fn refuses_pages_that_do_not_parse() {
        let e = edit_text("---\ntitle: A\nreviewd: 2026-01-01\n---\n").unwrap_err();
        match e {
            RecordError::Page(d) => assert_eq!(d.location(), "content/a.md:3:1"),
            other => panic!("{other:?}"),
        }
        assert!(edit_text("no front matter\n").is_err());
    }
}
