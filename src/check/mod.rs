//! `marrow check`: everything a build validates, without writing anything,
//! plus the publishing checks a medical site needs — review status,
//! readability against its target, pages without sources, glossary terms
//! never used.
//!
//! The result is a [`Report`], printed as a table for people or as JSON for
//! CI. The JSON shape is versioned (`version`); fields are only ever added.

use std::time::Instant;

use chrono::NaiveDate;
use std::collections::HashSet;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::output::Sink;
use crate::pipeline::{BuildError, BuildOptions, Outcome, Pipeline, Run};
use crate::review::{Review, Status};

mod text;
mod worklist;

pub use worklist::{Worklist, WorklistEntry, worklist};

/// Pages shorter than this are not scored for readability: formulas need
/// a few sentences to mean anything.
pub(crate) const MIN_WORDS_FOR_READABILITY: usize = 50;

/// Version of the JSON report format.
pub(crate) const REPORT_VERSION: u32 = 1;

/// How bad a problem is: errors fail the check, warnings only with
/// `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Severity {
    Error,
    Warning,
}

/// One finding about one page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Problem {
    pub severity: Severity,
    /// Stable machine name: `review_overdue`, `review_due_soon`,
    /// `not_clinically_reviewed`, `never_reviewed`, `reviewer_role`,
    /// `reviewer_not_clinical`, `no_reviewer`, `review_incomplete`,
    /// `sources_check_incomplete`,
    /// `readability`, `no_sources`, `unsafe_html`.
    pub kind: &'static str,
    pub message: String,
}

/// Readability of one page against its target.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageReadability {
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
pub(crate) struct PageReport {
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
pub(crate) struct ErrorReport {
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
pub(crate) struct Summary {
    pub pages: usize,
    pub errors: usize,
    pub warnings: usize,
    /// `pass` or `fail`.
    pub verdict: &'static str,
    pub strict: bool,
}

/// How many medical pages are in each review state.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct ReviewSummary {
    /// `review.enabled` in site.yaml.
    pub enabled: bool,
    /// Reviewed by a named clinician (including overdue and due soon).
    pub clinically_reviewed: usize,
    /// Sources checked by the editors, no clinical review.
    pub sources_checked: usize,
    /// Neither.
    pub not_reviewed: usize,
    pub overdue: usize,
    /// Clinical review due within `warn_days`.
    pub due_soon: usize,
    pub warn_days: u32,
    /// Pages that are not medical content.
    pub exempt: usize,
}

impl ReviewSummary {
    fn of(pages: &[PageReport], config: &crate::config::ReviewConfig) -> ReviewSummary {
        let mut s = ReviewSummary {
            enabled: config.enabled,
            warn_days: config.warn_days,
            ..ReviewSummary::default()
        };
        for p in pages {
            let status = p.review.status;
            match status {
                Status::SourcesChecked => s.sources_checked += 1,
                Status::NeverReviewed => s.not_reviewed += 1,
                Status::Exempt => s.exempt += 1,
                Status::Ok | Status::DueSoon | Status::Overdue => s.clinically_reviewed += 1,
            }
            s.overdue += usize::from(status == Status::Overdue);
            s.due_soon += usize::from(status == Status::DueSoon);
        }
        s
    }
}

/// Everything `marrow check` found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub(crate) version: u32,
    /// The date review statuses were computed for.
    pub(crate) today: NaiveDate,
    /// Errors a build would stop on (front matter, links, templates).
    pub(crate) errors: Vec<ErrorReport>,
    pub(crate) pages: Vec<PageReport>,
    /// Pages by review state.
    pub(crate) review: ReviewSummary,
    /// Glossary terms that no page uses.
    pub(crate) unused_glossary_terms: Vec<String>,
    /// Settings in `site.yaml` that marrow had to adjust (warnings).
    pub(crate) settings: Vec<String>,
    pub(crate) summary: Summary,
    #[serde(skip)]
    diagnostics: Diagnostics,
    #[serde(skip)]
    elapsed_ms: u128,
}

/// What the page-by-page checks found, for [`Report::new`].
#[derive(Default)]
struct Findings {
    pages: Vec<PageReport>,
    review: ReviewSummary,
    unused_glossary_terms: Vec<String>,
    settings: Vec<String>,
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
    let today = opts.today;
    let built = match Pipeline::default().run(opts, &Discard, Run::CHECK) {
        Ok(built) => built,
        Err(BuildError::Content(d)) => return Ok(Report::only_errors(d, today, strict, started)),
        Err(e) => return Err(e),
    };
    let Outcome {
        site,
        derived,
        templates,
        rendered,
        errors,
        ..
    } = built;

    let ignore = readability_exclusions(&site);
    let scores: Vec<crate::readability::Readability> = (0..site.pages.len())
        .into_par_iter()
        .map(|id| crate::markdown::readability(&site, id, &ignore))
        .collect();
    let mut pages = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    for (id, r) in rendered.iter().enumerate() {
        used.extend(r.glossary_terms.iter().copied());
        let p = &site.pages[id];
        if site.glossary_page == Some(id)
            || (p.kind.is_generated() && p.doc.body().trim().is_empty())
        {
            continue; // generated pages have no prose or sources of their own
        }
        let front = p.front();
        let review = derived.review(id).clone();
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
        review_problems(&review, front, site.config.review.warn_days, &mut problems);
        // Reading grade targets are patient-information rules: a site that
        // turned review governance off is not held to them.
        if site.config.review.enabled
            && readability.scored
            && readability.flesch_kincaid_grade > max_grade
        {
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
    let review = ReviewSummary::of(&pages, &site.config.review);
    Ok(Report::new(
        errors,
        Findings {
            pages,
            review,
            unused_glossary_terms,
            settings,
        },
        today,
        strict,
        started,
    ))
}

/// Lower-case words left out of readability syllable counts: the long
/// words of the glossary's terms (three syllables or more: "blood" or
/// "cell" should count) and every word of `readability.ignore_terms`.
fn readability_exclusions(site: &Site) -> HashSet<String> {
    let glossary = site
        .glossary
        .as_ref()
        .map(|g| g.words())
        .unwrap_or_default();
    glossary
        .into_iter()
        .filter(|w| crate::readability::syllables(w) >= 3)
        .chain(
            site.config
                .readability
                .ignore_terms
                .iter()
                .flat_map(|t| t.split_whitespace())
                .map(str::to_lowercase),
        )
        .collect()
}

/// Script in a page's Markdown: `<script>` elements, inline event
/// handlers (`onclick=`…) and `javascript:` links, with their line in the
/// file. Writers may need raw HTML; running code is the theme's business.
pub(crate) fn unsafe_html(
    doc: &crate::content::front_matter::Document,
) -> Vec<(usize, &'static str)> {
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

fn review_problems(
    review: &Review,
    front: &crate::content::FrontMatter,
    warn_days: u32,
    problems: &mut Vec<Problem>,
) {
    let due = review
        .next_review
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_default();
    let problem = match review.status {
        Status::Overdue => Some((Severity::Error, "review_overdue", format!("clinical review was due on {due}: review the page again and record it with `marrow review`"))),
        Status::DueSoon => Some((
            Severity::Warning,
            "review_due_soon",
            format!("clinical review is due on {due} (within {warn_days} days)"),
        )),
        Status::SourcesChecked => Some((
            Severity::Warning,
            "not_clinically_reviewed",
            "sources checked, but no clinical review yet: after a clinician reviews the page, record it with `marrow review PAGE --reviewer NAME --role ROLE`".into(),
        )),
        Status::NeverReviewed => Some((
            Severity::Warning,
            "never_reviewed",
            "not reviewed: record the editors' check of the sources (`sources_checked`, `checked_by`), and a clinician's review with `marrow review`".into(),
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
    if review.status == Status::Exempt {
        return;
    }
    let mut warn = |kind: &'static str, message: String| {
        problems.push(Problem {
            severity: Severity::Warning,
            kind,
            message,
        })
    };
    if front.reviewed.is_none() && (front.reviewer.is_some() || front.next_review.is_some()) {
        warn(
            "review_incomplete",
            "`reviewer` or `next_review` without a `reviewed` date is ignored: the page counts as not clinically reviewed until the date of a clinical review is recorded (`marrow review`)".into(),
        );
    }
    match (front.sources_checked, &front.checked_by) {
        (None, Some(_)) => warn(
            "sources_check_incomplete",
            "`checked_by` without `sources_checked`: add the date the sources were checked".into(),
        ),
        (Some(_), None) => warn(
            "sources_check_incomplete",
            "`sources_checked` without `checked_by`: say who checked the sources".into(),
        ),
        _ => {}
    }
    if let Some(r) = &front.reviewer
        && looks_like_a_sources_check(&r.to_string())
    {
        problems.push(Problem {
            severity: Severity::Warning,
            kind: "reviewer_not_clinical",
            message: format!(
                "`reviewer: {r}` describes a check of the sources, not a clinical review: record it as `sources_checked` and `checked_by`, and keep `reviewed`/`reviewer` for a named clinician's review"
            ),
        });
    }
    if review.status.clinically_reviewed() {
        match &review.reviewer {
            None => problems.push(Problem {
                severity: Severity::Error,
                kind: "no_reviewer",
                message: "a clinical review is recorded (`reviewed`) without a `reviewer`: a review date alone does not tell readers who checked the page. Name the reviewer and their role, e.g. `reviewer: { name: \"Dr Jane Smith\", role: \"Consultant haematologist\" }`".into(),
            }),
            Some(r) if r.role.is_none() => problems.push(Problem {
                severity: Severity::Warning,
                kind: "reviewer_role",
                message: "the reviewer has no role: write `reviewer: { name: \"…\", role: \"…\" }` so readers can see who reviewed the page".into(),
            }),
            Some(_) => {}
        }
    }
}

/// A `reviewer` written to say that no clinician reviewed the page, the way
/// marrow's own guide once did ("writing team: checked against the listed
/// sources (not a clinical review)").
fn looks_like_a_sources_check(reviewer: &str) -> bool {
    let r = reviewer.to_lowercase();
    [
        "not a clinical",
        "not clinical",
        "not a medical",
        "checked against",
        "fact check",
        "fact-check",
        "sources checked",
    ]
    .iter()
    .any(|w| r.contains(w))
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

impl Report {
    fn new(
        diagnostics: Diagnostics,
        found: Findings,
        today: NaiveDate,
        strict: bool,
        started: Instant,
    ) -> Report {
        let Findings {
            pages,
            review,
            unused_glossary_terms,
            settings,
        } = found;
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
            review,
            unused_glossary_terms,
            settings,
            diagnostics,
            elapsed_ms: started.elapsed().as_millis(),
        }
    }

    fn only_errors(d: Diagnostics, today: NaiveDate, strict: bool, started: Instant) -> Report {
        let mut d = d;
        d.sort();
        Report::new(d, Findings::default(), today, strict, started)
    }

    /// Whether the site passes: no errors, and no warnings when strict.
    pub fn passed(&self) -> bool {
        self.summary.verdict == "pass"
    }

    /// The report as stable, pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
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
