//! Splitting a Markdown file into YAML front matter and body, and typing the
//! front matter.
//!
//! Positions matter more than anything here: a YAML error at "line 3" of the
//! front matter block is reported at the line of the Markdown file a writer
//! sees in their editor.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Stamp;
use crate::diagnostics::Diagnostic;
use crate::yaml;

/// Everything a page may declare about itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FrontMatter {
    /// Required: the page's `<h1>` and navigation label.
    pub title: Option<String>,
    pub description: Option<String>,
    /// Lower sorts first among siblings; pages without one come last.
    pub weight: Option<i64>,
    /// When the page was first published (a date-time is accepted; the day
    /// is shown).
    pub date: Option<Stamp>,
    /// When the page last changed.
    pub updated: Option<Stamp>,
    /// After this day the page is not published (it is still shown on the
    /// day itself); `marrow check` warns a month before.
    pub expires: Option<Stamp>,
    /// Drafts are left out unless the build is run with `--drafts`.
    pub draft: bool,
    /// Replaces the file name as the last URL segment.
    pub slug: Option<String>,
    #[serde(deserialize_with = "empty_is_default")]
    pub tags: Vec<String>,
    /// Terms of other taxonomies declared in `site.yaml`
    /// (`taxonomies: { conditions: [sickle cell disease] }`).
    #[serde(deserialize_with = "empty_is_default")]
    pub taxonomies: BTreeMap<String, Vec<String>>,
    /// Old URLs of this page.
    #[serde(deserialize_with = "empty_is_default")]
    pub aliases: Vec<String>,
    /// Template to render with instead of `page.html` / `section.html`.
    pub template: Option<String>,
    /// Date of the last editorial fact check of the page's claims against
    /// its `references`. Not a clinical review.
    pub sources_checked: Option<NaiveDate>,
    /// Who did that fact check.
    pub checked_by: Option<String>,
    /// Date of the last clinical review of the whole page by a named
    /// professional. Only ever set after that review happened: readers and
    /// search engines take it as a clinical sign-off.
    pub reviewed: Option<NaiveDate>,
    /// The clinician who did that review.
    pub reviewer: Option<Reviewer>,
    pub next_review: Option<NaiveDate>,
    /// Who the page is written for (patients, carers, clinicians…).
    pub audience: Option<String>,
    /// Highest acceptable Flesch–Kincaid grade for this page (overrides
    /// `readability.max_grade`, e.g. for pages for clinicians).
    pub max_grade: Option<f64>,
    /// The sources of the page's factual claims.
    #[serde(deserialize_with = "empty_is_default")]
    pub references: Vec<Reference>,
    /// On a translation: the day it was made from its source page. The
    /// translation is stale once the source is updated or reviewed later.
    pub translated: Option<NaiveDate>,
    /// Who translated it.
    pub translator: Option<String>,
    /// A fingerprint of the source's text when it was translated, written
    /// by `marrow translate mark`: a change the source's `updated` does not
    /// show still makes the translation stale.
    pub source_fingerprint: Option<String>,
    /// How the site search treats the page (on a section's `_index.md`:
    /// every page below it too).
    pub search: PageSearch,
    /// Free data for themes.
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl FrontMatter {
    /// Every key front matter may have, in the struct's order: unknown
    /// keys are all reported at once against this list (a test keeps it
    /// equal to serde's).
    pub(crate) const KEYS: &'static [&'static str] = &[
        "title",
        "description",
        "weight",
        "date",
        "updated",
        "expires",
        "draft",
        "slug",
        "tags",
        "taxonomies",
        "aliases",
        "template",
        "sources_checked",
        "checked_by",
        "reviewed",
        "reviewer",
        "next_review",
        "audience",
        "max_grade",
        "references",
        "translated",
        "translator",
        "source_fingerprint",
        "search",
        "extra",
    ];
}

/// A key written with no value (`tags:`), as other generators' files often
/// have it, means an empty list or map, not an error.
fn empty_is_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A page's search settings: `search: { weight: 0.3 }` ranks it (or its
/// section) lower than pages of weight 1, the default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PageSearch {
    /// Multiplies the page's relevance score.
    pub weight: Option<f64>,
}

/// A clinical reviewer: `reviewer: { name: "Dr Jane Smith", role:
/// "Consultant haematologist" }`, or a plain string (name and role in one;
/// `check` then asks for the role).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Reviewer {
    /// Their name, as it should appear on the page.
    pub name: String,
    /// Their role (`consultant haematologist`).
    pub role: Option<String>,
}

impl std::fmt::Display for Reviewer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.role {
            Some(role) => write!(f, "{}, {role}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

impl<'de> Deserialize<'de> for Reviewer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        /// The map form, with its own unknown-key errors.
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            name: String,
            #[serde(default)]
            role: Option<String>,
        }
        struct Either;
        impl<'de> serde::de::Visitor<'de> for Either {
            type Value = Reviewer;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                // Worded for people by `yaml`'s error messages.
                f.write_str("a reviewer")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Reviewer, E> {
                Ok(Reviewer {
                    name: v.to_string(),
                    role: None,
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Reviewer, A::Error> {
                let full = Full::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Reviewer {
                    name: full.name,
                    role: full.role.filter(|r| !r.trim().is_empty()),
                })
            }
        }
        d.deserialize_any(Either)
    }
}

/// One cited source.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub title: String,
    pub url: String,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub accessed: Option<NaiveDate>,
}

/// A Markdown file after reading: normalized text, typed front matter and
/// where the body starts.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The file's text with a BOM removed and every line ending turned into
    /// `\n` (so line numbers match the file as the writer sees it).
    pub text: std::sync::Arc<str>,
    /// Shared: a kept parse is handed to every rebuild without a copy.
    pub front: std::sync::Arc<FrontMatter>,
    /// Byte offset of the body in `text`.
    pub body_start: usize,
    /// Where each top-level front matter key is, recorded while parsing,
    /// so errors found by later stages point at the right line without
    /// reading the text again.
    keys: std::sync::Arc<[KeyAt]>,
    /// The front matter had errors and `front` is a stand-in
    /// ([`parse_all`]): the build fails, but the page is still in the
    /// site so links from and to it are checked.
    pub front_broken: bool,
}

/// Where one top-level front matter key is (kept small: every page of a
/// big site carries its own).
#[derive(Debug, Clone)]
struct KeyAt {
    name: Box<str>,
    at: yaml::Pos,
}

/// The top-level keys of `layout`, for [`Document`].
fn top_level_keys(layout: &yaml::KeyPositions) -> std::sync::Arc<[KeyAt]> {
    layout
        .root()
        .keys()
        .iter()
        .map(|k| KeyAt {
            name: k.name.as_str().into(),
            at: k.at,
        })
        .collect()
}

impl Document {
    /// A page marrow makes itself (the glossary page, a section without an
    /// index file): no text, so no positions.
    pub fn generated(front: FrontMatter) -> Document {
        Document {
            front: front.into(),
            ..Document::default()
        }
    }

    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// The top-level front matter keys and their 1-based (line, column),
    /// in file order.
    pub fn keys(&self) -> impl Iterator<Item = (&str, (usize, usize))> {
        self.keys.iter().map(|k| (&*k.name, k.at.pair()))
    }

    fn key(&self, key: &str) -> Option<&KeyAt> {
        self.keys.iter().find(|k| &*k.name == key)
    }

    /// 1-based (line, column) of the top-level front matter `key`, e.g. to
    /// point an error about `slug` at its line.
    pub fn key_position(&self, key: &str) -> Option<(usize, usize)> {
        self.key(key).map(|k| k.at.pair())
    }

    /// The line of the top-level front matter `key`.
    pub fn key_line(&self, key: &str) -> Option<usize> {
        self.key_position(key).map(|(line, _)| line)
    }

    /// 1-based (line, column) of the value of item `n` (0-based) of the
    /// list `key`, written either as `- item` lines or as `[a, b]`. `None`
    /// when there is no such item: fall back to [`Document::key_position`].
    /// Worked out from the text when asked: no error of a build needs it,
    /// so pages do not carry it.
    pub fn item_position(&self, key: &str, n: usize) -> Option<(usize, usize)> {
        let Split::Found {
            yaml, first_line, ..
        } = split(&self.text)
        else {
            return None;
        };
        let layout = yaml::KeyPositions::of(yaml, first_line);
        let entry = layout.key(key)?.value.entries().get(n)?;
        Some(entry.value_at.pair())
    }
}

/// Normalizes line endings and strips a UTF-8 BOM.
pub(crate) fn normalize(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Parses a Markdown file's text. `display` is the path shown in errors.
/// The first error, for callers that need the page whole or not at all;
/// the build reads pages with `parse_all`.
pub fn parse(display: &Path, raw: &str) -> Result<Document, Diagnostic> {
    let Parsed { doc, mut errors } = parse_all(display, raw);
    match doc {
        Some(doc) if errors.is_empty() => Ok(doc),
        _ if !errors.is_empty() => Err(errors.swap_remove(0)),
        // `parse_all` gives a document or an error; never neither.
        _ => Err(Diagnostic::file(display, "cannot read the page")),
    }
}

/// A page read as far as it goes.
#[derive(Debug)]
pub(crate) struct Parsed {
    /// The page, when its front matter could be split from its body. After
    /// front matter errors, `front` holds a stand-in (the title from the
    /// file name) and [`Document::front_broken`] is set, so that the body's
    /// links, and links to the page, are still checked in the same run.
    pub doc: Option<Document>,
    /// Every error found, in file order.
    pub errors: Vec<Diagnostic>,
}

/// Parses a Markdown file's text, reporting every front matter error: each
/// unknown key, and then the errors of the keys that are known.
pub(crate) fn parse_all(display: &Path, raw: &str) -> Parsed {
    let text = normalize(raw);
    let (yaml_text, yaml_first_line, body_start) = match split(&text) {
        Split::None => ("", 1, 0),
        Split::Unterminated { rest, fence } => {
            let (line, message, help) = yaml::unclosed_front_matter(rest, fence);
            let d = Diagnostic::at(display, &text, line, 1, message).with_help(help);
            return Parsed {
                doc: None,
                errors: vec![d],
            };
        }
        Split::Found {
            yaml,
            first_line,
            body_start,
        } => (yaml, first_line, body_start),
    };
    let keys = yaml::KeyPositions::of(yaml_text, yaml_first_line);
    let mut errors = unknown_keys(display, &text, &keys);
    // Unknown keys are blanked out (lines kept, so positions stay right)
    // and the rest is typed, to report its errors in the same run.
    let typed_text = if errors.is_empty() {
        std::borrow::Cow::Borrowed(yaml_text)
    } else {
        std::borrow::Cow::Owned(blank_unknown_keys(yaml_text, yaml_first_line, &keys))
    };
    let front = match yaml::from_str::<FrontMatter>(&typed_text) {
        Ok(front) => Some(front),
        Err(e) => {
            let line = yaml_first_line + e.line - 1;
            let d = Diagnostic::at(display, &text, line, e.column, e.message);
            errors.push(match e.help {
                Some(h) => d.with_help(h),
                None => d,
            });
            None
        }
    };
    if let Some(front) = &front {
        errors.extend(check_fields(display, &text, front, &keys, body_start));
    }
    let front_broken = !errors.is_empty();
    let front = match front {
        Some(front) if !front_broken => front,
        _ => stand_in(display, front),
    };
    Parsed {
        doc: Some(Document {
            text: text.into(),
            front: front.into(),
            body_start,
            keys: top_level_keys(&keys),
            front_broken,
        }),
        errors,
    }
}

/// Every top-level key that is not a front matter field, at its line.
fn unknown_keys(display: &Path, text: &str, keys: &yaml::KeyPositions) -> Vec<Diagnostic> {
    keys.root()
        .keys()
        .iter()
        .filter(|k| !FrontMatter::KEYS.contains(&k.name.as_str()))
        .map(|k| {
            let (message, help) = yaml::unknown_key(&k.name, FrontMatter::KEYS);
            let (line, column) = k.at.pair();
            // A near miss is a typo; anything else is data from elsewhere.
            let help = match help {
                Some(h) if message.contains("did you mean") => h,
                _ if let Some(parent) = keys.empty_key_before(text, line) => format!(
                    "if `{}` belongs to `{parent}:` above, indent it under `{parent}:` by two spaces; otherwise remove it, or move it under `extra:`",
                    k.name
                ),
                _ => format!(
                    "marrow has no `{}` key: remove it, or move it under `extra:`, where themes can read it (`marrow import` does that for other generators' sites)",
                    k.name
                ),
            };
            Diagnostic::at(display, text, line, column, message).with_help(help)
        })
        .collect()
}

/// The YAML with the lines of unknown top-level keys blank.
fn blank_unknown_keys(yaml_text: &str, first_line: usize, keys: &yaml::KeyPositions) -> String {
    let blank: Vec<(usize, usize)> = keys
        .root()
        .keys()
        .iter()
        .filter(|k| !FrontMatter::KEYS.contains(&k.name.as_str()))
        .map(|k| (k.at.line, k.last_line.max(k.at.line)))
        .collect();
    let mut out = String::with_capacity(yaml_text.len());
    for (i, line) in yaml_text.split_inclusive('\n').enumerate() {
        let n = first_line + i;
        if blank.iter().any(|&(from, to)| (from..=to).contains(&n)) {
            if line.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(line);
        }
    }
    out
}

/// A page with no `title` key at all, with advice for what the file
/// looks like: TOML front matter, fields without the opening `---`, or no
/// front matter.
fn no_title(display: &Path, text: &str, body_start: usize) -> Diagnostic {
    let help = if body_start == 0 && text.trim_start().starts_with("+++") {
        "marrow reads YAML front matter between `---` lines, not TOML between `+++` lines: write `title: Your page title` between `---` lines (`marrow import hugo` converts a whole Hugo site)"
    } else if body_start == 0 && yaml::starts_with_field(text) {
        "the front matter has no opening `---`: add a line holding only `---` before line 1, and another after the last field"
    } else if body_start == 0 {
        "start the file with front matter:\n---\ntitle: Your page title\n---"
    } else {
        "add `title: Your page title` to the front matter"
    };
    Diagnostic::at(display, text, 1, 1, "page has no `title`").with_help(help)
}

/// What the typed front matter must also satisfy: a title, a usable slug.
fn check_fields(
    display: &Path,
    text: &str,
    front: &FrontMatter,
    keys: &yaml::KeyPositions,
    body_start: usize,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    if front.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        if let Some(k) = keys.key("title") {
            let at = k.value_at;
            let written: String = text
                .lines()
                .nth(at.line - 1)
                .map(|l| l.chars().skip(at.column - 1).collect())
                .unwrap_or_default();
            let (message, help) = yaml::empty_value("title", &written);
            errors.push(Diagnostic::at(display, text, at.line, at.column, message).with_help(help));
        } else if !keys.root().keys().iter().any(|k| {
            crate::diagnostics::suggest(&k.name, FrontMatter::KEYS.iter().copied()) == Some("title")
        }) {
            // (A `Title:` or `tittle:` is reported as the key to rename.)
            errors.push(no_title(display, text, body_start));
        }
    }
    if let Some(slug) = &front.slug {
        let bad = slug.trim().is_empty()
            || slug.trim() != slug
            || slug.contains(['/', '\\', '#', '?'])
            || slug.chars().any(char::is_control)
            || slug == "."
            || slug == "..";
        if bad {
            let (line, column) = keys.key("slug").map_or((1, 1), |k| k.at.pair());
            errors.push(
                Diagnostic::at(
                    display,
                    text,
                    line,
                    column,
                    format!("slug `{slug}` is not a single URL segment"),
                )
                .with_help("use letters, digits and hyphens, e.g. `slug: my-page`"),
            );
        }
    }
    errors
}

/// Front matter for a page whose own has errors: what parsed, without the
/// slug (which may be what is wrong), and a title from the file name.
fn stand_in(display: &Path, parsed: Option<FrontMatter>) -> FrontMatter {
    let mut front = parsed.unwrap_or_default();
    front.slug = None;
    if front.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        let stem = display
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        front.title = Some(stem);
    }
    front
}

enum Split<'a> {
    None,
    /// An opening `---` on line `fence` and no closing one: `rest` is
    /// everything after it.
    Unterminated {
        rest: &'a str,
        fence: usize,
    },
    Found {
        yaml: &'a str,
        /// 1-based line of the first YAML line in the file.
        first_line: usize,
        body_start: usize,
    },
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

fn split(text: &str) -> Split<'_> {
    // Blank lines before the opening fence are skipped, as Hugo and Jekyll
    // do.
    let mut fence_start = 0;
    let mut fence_line = 1;
    let first_end = loop {
        let end = text[fence_start..]
            .find('\n')
            .map_or(text.len(), |e| fence_start + e);
        if !text[fence_start..end].trim().is_empty() || end == text.len() {
            break end;
        }
        fence_start = end + 1;
        fence_line += 1;
    };
    if !is_fence(&text[fence_start..first_end]) {
        return Split::None;
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut pos = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let end = pos + line.len();
        if is_fence(line) || line.trim_end() == "..." {
            return Split::Found {
                yaml: &text[yaml_start..pos],
                first_line: fence_line + 1,
                body_start: end,
            };
        }
        pos = end;
    }
    Split::Unterminated {
        rest: &text[yaml_start..],
        fence: fence_line,
    }
}

#[cfg(test)]
mod tests;
