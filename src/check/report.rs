//! What `marrow check` found, as a [`Report`]: printed as text for
//! people or as JSON for CI.

use std::time::Instant;

use chrono::NaiveDate;
use serde::Serialize;

use super::summary::{KindCount, by_kind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::review::{Review, Status};

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
    /// `readability`, `no_sources`, `unsafe_html`, `expires_soon`,
    /// `broken_link` (under `links: warn`).
    pub kind: &'static str,
    pub message: String,
}

/// Readability of one page against its target.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageReadability {
    pub words: usize,
    pub sentences: usize,
    /// The English formulas; `None` on pages in other languages, which
    /// they do not fit.
    pub flesch_reading_ease: Option<f64>,
    pub flesch_kincaid_grade: Option<f64>,
    pub smog_grade: Option<f64>,
    pub max_grade: f64,
    /// False when the page is too short to score.
    pub scored: bool,
    /// What was measured: `english grade`, or for other languages
    /// `sentence length in characters` (Chinese, Japanese, Korean) or
    /// `sentence length in words`.
    pub measure: &'static str,
    /// Mean sentence length, in characters or words as `measure` says.
    pub mean_sentence_length: Option<f64>,
    pub longest_sentence: Option<usize>,
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
    /// The page's language (BCP 47).
    pub language: String,
    /// On a translation: its state against its source.
    pub translation: Option<super::translations::TranslationReport>,
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
    /// Every finding counted by kind, errors first (added in the report's
    /// version 1; the text report opens with it).
    pub kinds: Vec<KindCount>,
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
    pub(super) fn of(pages: &[PageReport], config: &crate::config::ReviewConfig) -> ReviewSummary {
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
    /// Each translated language: its translations' state and the pages
    /// not translated yet.
    pub(crate) translations: Vec<super::translations::LanguageReport>,
    pub(crate) summary: Summary,
    #[serde(skip)]
    pub(super) diagnostics: Diagnostics,
    #[serde(skip)]
    pub(super) elapsed_ms: u128,
}

/// What the page-by-page checks found, for [`Report::new`].
#[derive(Default)]
pub(super) struct Findings {
    pub(super) pages: Vec<PageReport>,
    pub(super) review: ReviewSummary,
    pub(super) unused_glossary_terms: Vec<String>,
    pub(super) settings: Vec<String>,
    pub(super) translations: Vec<super::translations::LanguageReport>,
}

pub(super) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

impl Report {
    pub(super) fn new(
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
            translations,
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
        let kinds = by_kind(&diagnostics, &pages, &unused_glossary_terms, &settings);
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
                kinds,
            },
            pages,
            review,
            unused_glossary_terms,
            settings,
            translations,
            diagnostics,
            elapsed_ms: started.elapsed().as_millis(),
        }
    }

    pub(super) fn only_errors(
        d: Diagnostics,
        today: NaiveDate,
        strict: bool,
        started: Instant,
    ) -> Report {
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
