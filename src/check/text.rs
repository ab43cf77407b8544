//! `marrow check`'s report as text for people: a table of pages, the
//! findings (pages without a clinical review grouped, so a whole guide
//! awaiting review reads as one finding, not dozens), the review states and
//! a one-line verdict.

use chrono::NaiveDate;

use super::{Report, Severity};
use crate::review::Status;

/// Finding kinds listed once, with their pages, instead of once per page.
const GROUPED: [(&str, &str); 2] = [
    (
        "not_clinically_reviewed",
        "sources checked, but no clinical review yet; after a clinician has reviewed a page, record it with `marrow review PAGE --reviewer NAME --role ROLE`",
    ),
    (
        "never_reviewed",
        "not reviewed: no sources check (`sources_checked`, `checked_by`) and no clinical review recorded",
    ),
];

impl Report {
    /// The report as a table for people, ending with a one-line verdict.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.page_table(&mut out);
        let mut problems = Vec::new();
        for p in &self.pages {
            for pr in p.problems.iter().filter(|pr| !is_grouped(pr.kind)) {
                problems.push(format!(
                    "{}: {}: {}",
                    tag(pr.severity),
                    p.source,
                    pr.message
                ));
            }
        }
        for (kind, what) in GROUPED {
            let pages: Vec<&str> = self
                .pages
                .iter()
                .filter(|p| p.problems.iter().any(|pr| pr.kind == kind))
                .map(|p| p.source.as_str())
                .collect();
            if !pages.is_empty() {
                let s = if pages.len() == 1 { "" } else { "s" };
                problems.push(format!(
                    "warning: {what} ({} page{s}):\n  {}",
                    pages.len(),
                    pages.join("\n  ")
                ));
            }
        }
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
        let r = &self.review;
        if r.enabled {
            out.push_str(&format!(
                "\nReview: {} clinically reviewed, {} sources checked only, {} not reviewed; {} overdue, {} due within {} days; {} not medical content\n",
                r.clinically_reviewed,
                r.sources_checked,
                r.not_reviewed,
                r.overdue,
                r.due_soon,
                r.warn_days,
                r.exempt
            ));
        }
        let s = &self.summary;
        out.push_str(&format!(
            "\n{}: {} pages checked, {} error{}, {} warning{}{} ({} ms)\n",
            if s.verdict == "pass" { "PASS" } else { "FAIL" },
            s.pages,
            s.errors,
            plural(s.errors),
            s.warnings,
            plural(s.warnings),
            if s.strict { ", strict" } else { "" },
            self.elapsed_ms
        ));
        out
    }

    fn page_table(&self, out: &mut String) {
        if self.pages.is_empty() {
            return;
        }
        let width = column_width(self.pages.iter().map(|p| p.source.as_str()));
        out.push_str(&format!(
            "{:<width$}  {:<28}  {:>11}  {:>7}\n",
            "PAGE", "REVIEW", "GRADE (MAX)", "SOURCES"
        ));
        for p in &self.pages {
            let review = match p.review.status {
                Status::Ok => format!("reviewed, due {}", short(p.review.next_review)),
                Status::DueSoon => format!("reviewed, DUE {}", short(p.review.next_review)),
                Status::Overdue => format!("OVERDUE since {}", short(p.review.next_review)),
                Status::SourcesChecked => {
                    format!("sources checked {}", short(p.review.sources_checked))
                }
                Status::NeverReviewed => "not reviewed".into(),
                Status::Exempt => "not medical".into(),
            };
            let grade = if p.readability.scored {
                let over = p.readability.flesch_kincaid_grade > p.readability.max_grade;
                format!(
                    "{:.1} ({}){}",
                    p.readability.flesch_kincaid_grade,
                    p.readability.max_grade,
                    if over { " ✗" } else { "" }
                )
            } else {
                "too short".into()
            };
            out.push_str(&format!(
                "{:<width$}  {:<28}  {:>11}  {:>7}\n",
                p.source, review, grade, p.sources
            ));
        }
    }
}

/// Width of a column of page paths, at least as wide as its heading.
pub(super) fn column_width<'a>(sources: impl Iterator<Item = &'a str>) -> usize {
    sources.map(|s| s.chars().count()).max().unwrap_or(0).max(4)
}

fn is_grouped(kind: &str) -> bool {
    GROUPED.iter().any(|(k, _)| *k == kind)
}

fn tag(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A date as `3 Mar 2026`.
pub(super) fn short(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%-d %b %Y").to_string())
        .unwrap_or_default()
}
