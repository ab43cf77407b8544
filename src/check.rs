//! `marrow check`: everything a build validates, without writing anything,
//! plus the publishing checks a medical site needs — review status,
//! readability against its target, pages without sources, glossary terms
//! never used.
//!
//! The result is a [`Report`], printed as a table for people or as JSON for
//! CI. The JSON shape is versioned (`version`); fields are only ever added.

use std::time::Instant;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use crate::build::{self, BuildError, BuildOptions};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::Highlighter;
use crate::output::Sink;
use crate::review::{self, Review, Status};

/// Pages shorter than this are not scored for readability: formulas need
/// a few sentences to mean anything.
pub const MIN_WORDS_FOR_READABILITY: usize = 50;

/// Version of the JSON report format.
pub const REPORT_VERSION: u32 = 1;

/// How bad a problem is: errors fail the check, warnings only with
/// `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding about one page.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub severity: Severity,
    /// Stable machine name: `review_overdue`, `review_due_soon`,
    /// `never_reviewed`, `readability`, `no_sources`, `unsafe_html`.
    pub kind: &'static str,
    pub message: String,
}

/// Readability of one page against its target.
#[derive(Debug, Clone, Serialize)]
pub struct PageReadability {
    pub words: usize,
    pub sentences: usize,
    pub flesch_reading_ease: f64,
    pub flesch_kincaid_grade: f64,
    pub smog_grade: f64,
    pub max_grade: f64,
    /// False when the page is too short to score.
    pub scored: bool,
}

/// What `check` found about one page.
#[derive(Debug, Clone, Serialize)]
pub struct PageReport {
    /// The Markdown file, relative to the site root.
    pub source: String,
    pub url: String,
    pub title: String,
    pub review: Review,
    pub readability: PageReadability,
    /// Number of `references`.
    pub sources: usize,
    pub problems: Vec<Problem>,
}

/// A located error, as JSON.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorReport {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl From<&Diagnostic> for ErrorReport {
    fn from(d: &Diagnostic) -> Self {
        ErrorReport {
            file: d.file.display().to_string().replace('\\', "/"),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            help: d.help.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub pages: usize,
    pub errors: usize,
    pub warnings: usize,
    /// `pass` or `fail`.
    pub verdict: &'static str,
    pub strict: bool,
}

/// Everything `marrow check` found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub version: u32,
    /// The date review statuses were computed for.
    pub today: NaiveDate,
    /// Errors a build would stop on (front matter, links, templates).
    pub errors: Vec<ErrorReport>,
    pub pages: Vec<PageReport>,
    /// Glossary terms that no page uses.
    pub unused_glossary_terms: Vec<String>,
    /// Settings in `site.yaml` that marrow had to adjust (warnings).
    pub settings: Vec<String>,
    pub summary: Summary,
    #[serde(skip)]
    diagnostics: Diagnostics,
    #[serde(skip)]
    elapsed_ms: u128,
}

/// A sink that throws files away: `check` renders every page to find
/// template errors, but writes nothing.
struct Discard;

impl Sink for Discard {
    fn write(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
    fn copy(&self, _: &str, _: &std::path::Path) -> std::io::Result<()> {
        Ok(())
    }
}

/// Checks the site. Only configuration errors (a broken `site.yaml`, no
/// `content/`) stop it early; everything else is in the report.
pub fn check(opts: &BuildOptions, strict: bool) -> Result<Report, BuildError> {
    let started = Instant::now();
    let today = review::today();
    let (site, mut errors) = match build::load_site(opts) {
        Ok(loaded) => loaded,
        Err(BuildError::Content(d)) => return Ok(Report::only_errors(d, today, strict, started)),
        Err(e) => return Err(e),
    };
    let templates = match build::load_templates(&site) {
        Ok(t) => Some(t),
        Err(BuildError::Content(d)) => {
            errors.extend(d.0);
            None
        }
        Err(e) => return Err(e),
    };
    let rendered = build::render_markdown(&site, &Highlighter::default());
    errors.extend(build::link_errors(&rendered).0);
    if let Some(t) = &templates {
        errors.extend(build::output_clashes(&site, t).0);
        match build::render_navs(&site, &t.renderer) {
            Ok(navs) => {
                errors.extend(build::write_pages(&site, &t.renderer, &navs, &rendered, &Discard).0)
            }
            Err(d) => errors.extend(d.0),
        }
    }
    errors.sort();

    let scores: Vec<crate::readability::Readability> = (0..site.pages.len())
        .into_par_iter()
        .map(|id| crate::markdown::readability(&site, id))
        .collect();
    let mut pages = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    for (id, r) in rendered.iter().enumerate() {
        used.extend(r.glossary_terms.iter().copied());
        let p = &site.pages[id];
        if site.glossary_page == Some(id) || (p.synthetic && p.doc.body().trim().is_empty()) {
            continue; // generated pages have no prose or sources of their own
        }
        let front = p.front();
        let review = review::for_page(&p.source.rel, front, &site.config.review, today);
        let max_grade = front.max_grade.unwrap_or(site.config.readability.max_grade);
        let scores = scores[id];
        let readability = PageReadability {
            words: scores.words,
            sentences: scores.sentences,
            flesch_reading_ease: round1(scores.flesch_reading_ease),
            flesch_kincaid_grade: round1(scores.flesch_kincaid_grade),
            smog_grade: round1(scores.smog_grade),
            max_grade,
            scored: scores.words >= MIN_WORDS_FOR_READABILITY,
        };
        let mut problems = Vec::new();
        review_problems(&review, site.config.review.warn_days, &mut problems);
        if readability.scored && readability.flesch_kincaid_grade > max_grade {
            problems.push(Problem {
                severity: Severity::Error,
                kind: "readability",
                message: format!(
                    "reading grade {:.1} is above this page's limit of {max_grade} — use shorter sentences and everyday words, or set `max_grade` for a specialist audience",
                    readability.flesch_kincaid_grade
                ),
            });
        }
        if front.references.is_empty() && review.status != Status::Exempt {
            problems.push(Problem {
                severity: Severity::Warning,
                kind: "no_sources",
                message: "no `references`: list the sources of the page's facts".into(),
            });
        }
        problems.extend(unsafe_html(&p.doc).into_iter().map(|(line, what)| Problem {
            severity: Severity::Warning,
            kind: "unsafe_html",
            message: format!(
                "line {line}: {what} — raw HTML is published as written; scripts belong in the theme (templates/, static/), and the site's Content-Security-Policy may block them"
            ),
        }));
        pages.push(PageReport {
            source: p.source.display().display().to_string().replace('\\', "/"),
            url: format!("/{}", p.path),
            title: p.title().to_string(),
            review,
            readability,
            sources: front.references.len(),
            problems,
        });
    }
    pages.sort_by(|a, b| a.source.cmp(&b.source));
    let unused_glossary_terms = site
        .glossary
        .as_ref()
        .map(|g| {
            g.terms()
                .iter()
                .enumerate()
                .filter(|(i, _)| !used.contains(i))
                .map(|(_, t)| t.term.clone())
                .collect()
        })
        .unwrap_or_default();
    let settings = templates
        .map(|t| t.renderer.brand.warnings)
        .unwrap_or_default();
    Ok(Report::new(
        errors,
        pages,
        unused_glossary_terms,
        settings,
        today,
        strict,
        started,
    ))
}

/// Script in a page's Markdown: `<script>` elements, inline event
/// handlers (`onclick=`…) and `javascript:` links, with their line in the
/// file. Writers may need raw HTML; running code is the theme's business.
pub fn unsafe_html(doc: &crate::content::front_matter::Document) -> Vec<(usize, &'static str)> {
    use pulldown_cmark::{Event, Parser, Tag};
    let body = doc.body();
    let line_of = |offset: usize| doc.text[..doc.body_start + offset].matches('\n').count() + 1;
    let mut found = Vec::new();
    for (event, range) in
        Parser::new_ext(body, crate::markdown::parser_options()).into_offset_iter()
    {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => {
                let lower = html.to_ascii_lowercase();
                if lower.contains("<script") {
                    found.push((line_of(range.start), "a <script> element"));
                }
                if has_event_handler(&lower) {
                    found.push((line_of(range.start), "an inline event handler (on…=)"));
                }
                if has_javascript_url(&lower) {
                    found.push((line_of(range.start), "a javascript: URL"));
                }
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if has_javascript_url(&dest_url.to_ascii_lowercase()) =>
            {
                found.push((line_of(range.start), "a javascript: link"));
            }
            _ => {}
        }
    }
    found.dedup();
    found
}

/// An attribute `on…=` inside a tag (`<a onclick="…">`), however spaced.
fn has_event_handler(lower_html: &str) -> bool {
    lower_html.match_indices("on").any(|(at, _)| {
        let before = lower_html[..at].chars().next_back();
        let rest = &lower_html[at + 2..];
        let name_len = rest.chars().take_while(|c| c.is_ascii_lowercase()).count();
        before.is_some_and(|c| c.is_whitespace() || c == '/' || c == '"' || c == '\'')
            && name_len > 0
            && rest[name_len..].trim_start().starts_with('=')
    })
}

/// `javascript:`, also with the spaces, tabs and newlines browsers ignore
/// inside the scheme.
fn has_javascript_url(lower: &str) -> bool {
    let squeezed: String = lower
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    squeezed.contains("javascript:")
}

fn review_problems(review: &Review, warn_days: u32, problems: &mut Vec<Problem>) {
    let due = review
        .next_review
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_default();
    let problem = match review.status {
        Status::Overdue => Some((Severity::Error, "review_overdue", format!("medical review was due on {due}"))),
        Status::DueSoon => Some((
            Severity::Warning,
            "review_due_soon",
            format!("medical review is due on {due} (within {warn_days} days)"),
        )),
        Status::NeverReviewed => Some((
            Severity::Warning,
            "never_reviewed",
            "never medically reviewed: add `reviewed` and `reviewer` after a clinician checks the page".into(),
        )),
        Status::Ok | Status::Exempt => None,
    };
    if let Some((severity, kind, message)) = problem {
        problems.push(Problem {
            severity,
            kind,
            message,
        });
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

impl Report {
    fn new(
        diagnostics: Diagnostics,
        pages: Vec<PageReport>,
        unused_glossary_terms: Vec<String>,
        settings: Vec<String>,
        today: NaiveDate,
        strict: bool,
        started: Instant,
    ) -> Report {
        let count = |s: Severity| {
            pages
                .iter()
                .flat_map(|p| &p.problems)
                .filter(|p| p.severity == s)
                .count()
        };
        let errors = diagnostics.len() + count(Severity::Error);
        let warnings = count(Severity::Warning)
            + usize::from(!unused_glossary_terms.is_empty())
            + settings.len();
        let fail = errors > 0 || (strict && warnings > 0);
        Report {
            version: REPORT_VERSION,
            today,
            errors: diagnostics.iter().map(ErrorReport::from).collect(),
            summary: Summary {
                pages: pages.len(),
                errors,
                warnings,
                verdict: if fail { "fail" } else { "pass" },
                strict,
            },
            pages,
            unused_glossary_terms,
            settings,
            diagnostics,
            elapsed_ms: started.elapsed().as_millis(),
        }
    }

    fn only_errors(d: Diagnostics, today: NaiveDate, strict: bool, started: Instant) -> Report {
        let mut d = d;
        d.sort();
        Report::new(
            d,
            Vec::new(),
            Vec::new(),
            Vec::new(),
            today,
            strict,
            started,
        )
    }

    pub fn passed(&self) -> bool {
        self.summary.verdict == "pass"
    }

    /// The report as stable, pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// The report as a table for people, ending with a one-line verdict.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if !self.pages.is_empty() {
            let width = self
                .pages
                .iter()
                .map(|p| p.source.chars().count())
                .max()
                .unwrap_or(4)
                .max(4);
            out.push_str(&format!(
                "{:<width$}  {:<26}  {:>11}  {:>7}\n",
                "PAGE", "REVIEW", "GRADE (MAX)", "SOURCES"
            ));
            for p in &self.pages {
                let review = match p.review.status {
                    Status::Ok => format!("ok, due {}", short(p.review.next_review)),
                    Status::DueSoon => format!("due {}", short(p.review.next_review)),
                    Status::Overdue => format!("OVERDUE since {}", short(p.review.next_review)),
                    Status::NeverReviewed => "never reviewed".into(),
                    Status::Exempt => "not medical".into(),
                };
                let grade = if p.readability.scored {
                    let mark = if p.readability.flesch_kincaid_grade > p.readability.max_grade {
                        " ✗"
                    } else {
                        ""
                    };
                    format!(
                        "{:.1} ({}){mark}",
                        p.readability.flesch_kincaid_grade, p.readability.max_grade
                    )
                } else {
                    "too short".into()
                };
                out.push_str(&format!(
                    "{:<width$}  {:<26}  {:>11}  {:>7}\n",
                    p.source, review, grade, p.sources
                ));
            }
        }
        let problems: Vec<String> = self
            .pages
            .iter()
            .flat_map(|p| {
                p.problems.iter().map(move |pr| {
                    let tag = match pr.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                    };
                    format!("{tag}: {}: {}", p.source, pr.message)
                })
            })
            .collect();
        if !problems.is_empty() {
            out.push('\n');
            for p in problems {
                out.push_str(&p);
                out.push('\n');
            }
        }
        if !self.unused_glossary_terms.is_empty() {
            out.push_str(&format!(
                "\nwarning: glossary terms no page uses: {}\n",
                self.unused_glossary_terms.join(", ")
            ));
        }
        for w in &self.settings {
            out.push_str(&format!("\nwarning: {w}\n"));
        }
        if !self.diagnostics.is_empty() {
            out.push('\n');
            out.push_str(&self.diagnostics.to_string());
            out.push('\n');
        }
        let s = &self.summary;
        out.push_str(&format!(
            "\n{}: {} pages checked, {} error{}, {} warning{}{} ({} ms)\n",
            if s.verdict == "pass" { "PASS" } else { "FAIL" },
            s.pages,
            s.errors,
            if s.errors == 1 { "" } else { "s" },
            s.warnings,
            if s.warnings == 1 { "" } else { "s" },
            if s.strict { ", strict" } else { "" },
            self.elapsed_ms
        ));
        out
    }
}

fn short(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%-d %b %Y").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(body: &str) -> Vec<(usize, &'static str)> {
        let text = format!("---\ntitle: T\n---\n{body}");
        let doc = crate::content::front_matter::parse(std::path::Path::new("p.md"), &text).unwrap();
        unsafe_html(&doc)
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_are_found_with_their_line() {
        assert_eq!(
            found("Text.\n\n<script>alert(1)</script>\n"),
            [(6, "a <script> element")]
        );
        assert_eq!(
            found("Hi <img src=x.png onerror=\"x()\"> there\n"),
            [(4, "an inline event handler (on…=)")]
        );
        assert_eq!(
            found("[click](javascript:alert(1))\n"),
            [(4, "a javascript: link")]
        );
        assert_eq!(
            found("<a href=\"java\tscript:x\">x</a>\n"),
            [(4, "a javascript: URL")]
        );
        assert_eq!(found("<A ONCLICK = 'x'>y</A>\n").len(), 1);
    }

    #[test]
    fn ordinary_html_and_prose_are_fine() {
        assert!(
            found("<details><summary>More on this</summary>Text about javascript and onions.</details>\n")
                .is_empty()
        );
        assert!(
            found("Words like onion= in prose, and `<script>` in code.\n\n```html\n<script>x</script>\n```\n")
                .is_empty()
        );
        assert!(found("<a href=\"https://example.org/\" data-on=\"1\">x</a>\n").is_empty());
    }
}
