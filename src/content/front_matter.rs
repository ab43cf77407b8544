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
    /// How the site search treats the page (on a section's `_index.md`:
    /// every page below it too).
    pub search: PageSearch,
    /// Free data for themes.
    pub extra: BTreeMap<String, serde_json::Value>,
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
    pub text: String,
    pub front: FrontMatter,
    /// Byte offset of the body in `text`.
    pub body_start: usize,
    /// Where each top-level front matter key is, recorded while parsing,
    /// so errors found by later stages point at the right line without
    /// reading the text again.
    keys: Box<[KeyAt]>,
}

/// Where one top-level front matter key is (kept small: every page of a
/// big site carries its own).
#[derive(Debug, Clone)]
struct KeyAt {
    name: Box<str>,
    at: yaml::Pos,
}

/// The top-level keys of `layout`, for [`Document`].
fn top_level_keys(layout: &yaml::KeyPositions) -> Box<[KeyAt]> {
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
            front,
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
pub fn parse(display: &Path, raw: &str) -> Result<Document, Diagnostic> {
    let text = normalize(raw);
    let (yaml_text, yaml_first_line, body_start) = match split(&text) {
        Split::None => ("", 1, 0),
        Split::Unterminated => {
            return Err(Diagnostic::at(
                display,
                &text,
                1,
                1,
                "front matter opened with `---` is never closed",
            )
            .with_help("add a line holding only `---` after the last front matter field"));
        }
        Split::Found {
            yaml,
            first_line,
            body_start,
        } => (yaml, first_line, body_start),
    };
    let front: FrontMatter = yaml::from_str(yaml_text).map_err(|e| {
        let line = yaml_first_line + e.line - 1;
        let d = Diagnostic::at(display, &text, line, e.column, e.message);
        match e.help {
            Some(h) => d.with_help(h),
            None => d,
        }
    })?;
    let keys = yaml::KeyPositions::of(yaml_text, yaml_first_line);
    if front.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        let help = if body_start == 0 {
            "start the file with front matter:\n---\ntitle: Your page title\n---"
        } else {
            "add `title: Your page title` to the front matter"
        };
        return Err(Diagnostic::at(display, &text, 1, 1, "page has no `title`").with_help(help));
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
            return Err(Diagnostic::at(
                display,
                &text,
                line,
                column,
                format!("slug `{slug}` is not a single URL segment"),
            )
            .with_help("use letters, digits and hyphens, e.g. `slug: my-page`"));
        }
    }
    Ok(Document {
        text,
        front,
        body_start,
        keys: top_level_keys(&keys),
    })
}

enum Split<'a> {
    None,
    Unterminated,
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
    Split::Unterminated
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Document, Diagnostic> {
        parse(Path::new("content/a.md"), text)
    }

    #[test]
    fn blank_lines_before_the_fence_and_empty_lists_are_accepted() {
        let d = p("\n  \n---\ntitle: A\ntags:\naliases:\ntaxonomies:\nreferences:\n---\nBody\n")
            .unwrap();
        assert_eq!(d.front.title.as_deref(), Some("A"));
        assert!(d.front.tags.is_empty() && d.front.aliases.is_empty());
        assert_eq!(d.body(), "Body\n");
        // Errors still point at the right line.
        let e = p("\n\n---\ntitle: A\nweight: x\n---\n").unwrap_err();
        assert_eq!(e.line, Some(5), "{e:?}");
    }

    #[test]
    fn parses_fields_and_body() {
        let d = p(
            "---\ntitle: Conditioning\nweight: 3\ntags: [a, b]\nreviewed: 2026-03-03\n---\nBody\n",
        )
        .unwrap();
        assert_eq!(d.front.title.as_deref(), Some("Conditioning"));
        assert_eq!(d.front.weight, Some(3));
        assert_eq!(d.front.tags, vec!["a", "b"]);
        assert_eq!(d.front.reviewed, NaiveDate::from_ymd_opt(2026, 3, 3));
        assert_eq!(d.body(), "Body\n");
    }

    #[test]
    fn crlf_bom_and_empty_body() {
        let d = p("\u{feff}---\r\ntitle: A\r\n---\r\n").unwrap();
        assert_eq!(d.front.title.as_deref(), Some("A"));
        assert_eq!(d.body(), "");
        let d = p("---\rtitle: B\r---\rHi").unwrap();
        assert_eq!(d.front.title.as_deref(), Some("B"));
        assert_eq!(d.body(), "Hi");
    }

    #[test]
    fn unknown_field_points_into_the_markdown_file() {
        let e = p("---\ntitle: A\nreviewd: 2026-01-01\n---\n").unwrap_err();
        assert_eq!(e.location(), "content/a.md:3:1");
        assert!(e.message.contains("did you mean `reviewed`"));
        assert_eq!(e.source_line.as_deref(), Some("reviewd: 2026-01-01"));
    }

    #[test]
    fn wrong_types_are_located() {
        let e = p("---\ntitle: A\nweight: high\n---\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        let e = p("---\ntitle: A\n\nreviewed: 31/02/2026\n---\n").unwrap_err();
        assert_eq!(e.line, Some(4));
        let e = p("---\ntitle: A\ntags: foo\n---\n").unwrap_err();
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn missing_title_and_no_front_matter() {
        let e = p("Just text\n").unwrap_err();
        assert_eq!(e.message, "page has no `title`");
        let e = p("---\ndescription: x\n---\n").unwrap_err();
        assert_eq!(e.location(), "content/a.md:1:1");
        let e = p("").unwrap_err();
        assert_eq!(e.message, "page has no `title`");
    }

    #[test]
    fn unterminated_fence() {
        let e = p("---\ntitle: A\nno end").unwrap_err();
        assert!(e.message.contains("never closed"));
        assert_eq!(e.line, Some(1));
    }

    #[test]
    fn bad_slug_is_located() {
        let e = p("---\ntitle: A\nslug: a/b\n---\n").unwrap_err();
        assert_eq!(e.location(), "content/a.md:3:1");
        for bad in [
            "' padded'",
            "'.'",
            "'..'",
            "''",
            "a?b",
            "'a\\b'",
            "\"a\\tb\"",
        ] {
            let e = p(&format!("---\ntitle: A\nslug: {bad}\n---\n")).unwrap_err();
            assert!(
                e.message.contains("is not a single URL segment"),
                "{bad}: {e:?}"
            );
        }
        assert!(p("---\ntitle: A\nslug: my-page.v2\n---\n").is_ok());
        // The first key of the front matter, and after a BOM and blank lines.
        let e = p("---\nslug: a/b\ntitle: A\n---\n").unwrap_err();
        assert_eq!(e.location(), "content/a.md:2:1");
        let e = p("\u{feff}---\n\n\ntitle: A\nslug: ..\n---\n").unwrap_err();
        assert_eq!(e.location(), "content/a.md:5:1");
    }

    #[test]
    fn keys_are_located_in_the_markdown_file() {
        let d = p("---\n# About\n\"title\": A\n\nextra:\n  name: Dr B\n  slug: inner\nslug:   x\n---\nBody slug: y\n")
            .unwrap();
        assert_eq!(d.key_position("title"), Some((3, 1)));
        assert_eq!(d.key_line("slug"), Some(8));
        assert_eq!(d.key_line("name"), None);
        assert_eq!(d.key_line("weight"), None);
        // CRLF line endings and a BOM.
        let d = p("\u{feff}---\r\ntitle: A\r\ndescription:\r\n---\r\n").unwrap();
        assert_eq!(d.key_position("description"), Some((3, 1)));
        // Without front matter, or made by marrow, nothing is anywhere.
        let g = Document::generated(FrontMatter::default());
        assert_eq!((g.key_line("title"), g.body()), (None, ""));
    }

    #[test]
    fn list_items_are_located() {
        let d = p(
            "---\ntitle: A\naliases:\n  - /old/\n  # gone\n  - \"/older/\"\ntags: [a,  b]\n---\n",
        )
        .unwrap();
        assert_eq!(d.item_position("aliases", 0), Some((4, 5)));
        assert_eq!(d.item_position("aliases", 1), Some((6, 5)));
        assert_eq!(d.item_position("aliases", 2), None);
        assert_eq!(d.item_position("tags", 1), Some((7, 12)));
        assert_eq!(d.item_position("title", 0), None);
        // The front matter's own check uses the same positions: a quoted
        // key after a comment.
        let e = p("---\ntitle: A\n# slug: ok\n'slug': a/b\n---\n").unwrap_err();
        assert_eq!(e.location(), "content/a.md:4:1");
    }

    #[test]
    fn reviewer_is_a_name_or_a_name_and_role() {
        let d = p("---\ntitle: A\nreviewer: Dr B, nurse\n---\n").unwrap();
        let r = d.front.reviewer.unwrap();
        assert_eq!((r.name.as_str(), r.role), ("Dr B, nurse", None));
        let d = p("---\ntitle: A\nreviewer: { name: Dr C, role: Consultant haematologist }\nsources_checked: 2026-01-02\nchecked_by: Team\n---\n")
            .unwrap();
        let r = d.front.reviewer.unwrap();
        assert_eq!(r.to_string(), "Dr C, Consultant haematologist");
        assert_eq!(d.front.sources_checked, NaiveDate::from_ymd_opt(2026, 1, 2));
        let e = p("---\ntitle: A\nreviewer:\n  name: Dr C\n  job: x\n---\n").unwrap_err();
        assert_eq!(e.line, Some(5), "{e:?}");
        let e = p("---\ntitle: A\nreviewer: [a]\n---\n").unwrap_err();
        assert_eq!(
            e.message,
            "reviewer: expected a name, or a name and role, found a list"
        );
        assert_eq!(e.column, Some(11));
    }

    #[test]
    fn references_are_typed() {
        let d = p("---\ntitle: A\nreferences:\n  - title: NHS\n    url: https://nhs.uk\n    year: 2023\n---\n")
            .unwrap();
        assert_eq!(d.front.references[0].year, Some(2023));
        let e = p("---\ntitle: A\nreferences:\n  - title: NHS\n    link: https://nhs.uk\n---\n")
            .unwrap_err();
        assert_eq!(e.line, Some(5));
    }
}
