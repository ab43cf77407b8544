//! `marrow check`'s report as text for people, laid out for sites of any
//! size: the counts by kind first (what to fix first), then the findings,
//! errors before warnings and as many as asked for (pages without a
//! clinical review grouped, so a whole guide awaiting review reads as one
//! finding, not dozens), the table of pages only on request, the review
//! states and a one-line verdict last.

use chrono::NaiveDate;

use super::summary::label;
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

/// What the text report shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextOptions {
    /// Print at most this many findings (each error, each page's problem,
    /// each page of a grouped finding); the rest are counted, not shown.
    /// The verdict and the counts still cover every finding.
    pub max_findings: Option<usize>,
    /// Print the table of pages (review state, reading grade, sources)
    /// after the findings.
    pub pages: bool,
}

/// One printed finding: a heading shared by several pages (printed only
/// when one of its pages is), or a finding, which the limit counts.
enum Item {
    Heading(String),
    Finding(String),
}

impl Report {
    /// The report as text for people, ending with a one-line verdict.
    pub fn to_text(&self, opts: &TextOptions) -> String {
        let mut out = String::new();
        self.kinds_table(opts, &mut out);
        let items = self.findings();
        let total = items
            .iter()
            .filter(|i| matches!(i, Item::Finding(_)))
            .count();
        let limit = opts.max_findings.unwrap_or(usize::MAX);
        let mut shown = 0;
        let mut heading = None;
        // One-line findings follow each other; a located error (several
        // lines, with the quoted line) stands apart.
        let mut apart = true;
        for item in items {
            match item {
                Item::Heading(h) => heading = Some(h),
                Item::Finding(_) if shown >= limit => break,
                Item::Finding(f) => {
                    let several = f.contains('\n');
                    if apart || several {
                        out.push('\n');
                    }
                    apart = several;
                    if let Some(h) = heading.take() {
                        out.push_str(&h);
                        out.push('\n');
                    }
                    out.push_str(&f);
                    out.push('\n');
                    shown += 1;
                }
            }
        }
        if shown < total {
            let more = total - shown;
            out.push_str(&format!(
                "\n… and {more} more finding{} not shown (--max-errors {limit}); all {total} are counted above and in the verdict, and `--format json` lists every one\n",
                plural(more)
            ));
        }
        if opts.pages {
            out.push('\n');
            self.page_table(&mut out);
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
        self.translations_text(&mut out, opts.pages);
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

    /// The counts by kind, and where to find the table of pages.
    fn kinds_table(&self, opts: &TextOptions, out: &mut String) {
        let s = &self.summary;
        out.push_str(&format!(
            "Found {} error{} and {} warning{}",
            s.errors,
            plural(s.errors),
            s.warnings,
            plural(s.warnings),
        ));
        // No pages when an error stopped the check before the pages.
        if s.pages > 0 {
            out.push_str(&format!(" in {} page{}", s.pages, plural(s.pages)));
        }
        out.push_str(if s.kinds.is_empty() { ".\n" } else { ":\n" });
        let width = s.kinds.iter().map(|k| k.count).max().unwrap_or(0);
        let width = width.to_string().len();
        for k in &s.kinds {
            let mut what = match label(&k.kind) {
                Some(l) => format!("{l} ({})", k.kind),
                None => k.kind.clone(),
            };
            if !k.most_common.is_empty() {
                let names: Vec<String> = k
                    .most_common
                    .iter()
                    .map(|c| format!("`{}` {}", c.name, c.count))
                    .collect();
                let more = if k.distinct > names.len() {
                    format!(", {} more", k.distinct - names.len())
                } else {
                    String::new()
                };
                what.push_str(&format!(": {}{more}", names.join(", ")));
            }
            out.push_str(&format!(
                "  {:<7}  {:>width$}  {what}\n",
                tag(k.severity),
                k.count
            ));
        }
        if !opts.pages && !self.pages.is_empty() {
            out.push_str(
                "Each page's review state, reading grade and sources: `marrow check --pages`.\n",
            );
        }
    }

    /// Every finding in the order printed: errors (those a build stops on
    /// first), then warnings.
    fn findings(&self) -> Vec<Item> {
        let mut items: Vec<Item> = self
            .diagnostics
            .iter()
            .map(|d| Item::Finding(d.to_string()))
            .collect();
        for severity in [Severity::Error, Severity::Warning] {
            for p in &self.pages {
                for pr in p.problems.iter().filter(|pr| pr.severity == severity) {
                    if !is_grouped(pr.kind) {
                        items.push(Item::Finding(format!(
                            "{}: {}: {}",
                            tag(pr.severity),
                            p.source,
                            pr.message
                        )));
                    }
                }
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
                let s = plural(pages.len());
                items.push(Item::Heading(format!(
                    "warning: {what} ({} page{s}):",
                    pages.len()
                )));
                items.extend(pages.iter().map(|p| Item::Finding(format!("  {p}"))));
            }
        }
        if !self.unused_glossary_terms.is_empty() {
            items.push(Item::Finding(format!(
                "warning: glossary terms no page uses: {}",
                self.unused_glossary_terms.join(", ")
            )));
        }
        items.extend(
            self.settings
                .iter()
                .map(|w| Item::Finding(format!("warning: {w}"))),
        );
        items
    }

    /// Each translated language: counts, stale translations, and the
    /// pages not translated (the first few, all with `--pages`).
    fn translations_text(&self, out: &mut String, all: bool) {
        const SHOWN: usize = 8;
        for l in &self.translations {
            out.push_str(&format!(
                "\nTranslations into {} ({}): {} page{}, {} stale, {} not translated yet\n",
                l.name,
                l.language,
                l.translated,
                plural(l.translated),
                l.stale.len(),
                l.missing.len()
            ));
            for s in &l.stale {
                out.push_str(&format!("  stale: {s}\n"));
            }
            if l.missing.is_empty() {
                continue;
            }
            let shown = if all {
                l.missing.len()
            } else {
                SHOWN.min(l.missing.len())
            };
            let more = l.missing.len() - shown;
            out.push_str(&format!(
                "  not translated: {}{}\n",
                l.missing[..shown].join(", "),
                if more > 0 {
                    format!(" … and {more} more (`--pages` lists all)")
                } else {
                    String::new()
                }
            ));
        }
    }

    fn page_table(&self, out: &mut String) {
        if self.pages.is_empty() {
            return;
        }
        let width = column_width(self.pages.iter().map(|p| p.source.as_str()));
        let translated = !self.translations.is_empty();
        out.push_str(&format!(
            "{:<width$}  {:<28}  {:>11}  {:>7}{}\n",
            "PAGE",
            "REVIEW",
            "GRADE (MAX)",
            "SOURCES",
            if translated { "  TRANSLATION" } else { "" }
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
            let grade = match (p.readability.scored, p.readability.flesch_kincaid_grade) {
                (true, Some(g)) => {
                    let over = g > p.readability.max_grade;
                    format!(
                        "{g:.1} ({}){}",
                        p.readability.max_grade,
                        if over { " ✗" } else { "" }
                    )
                }
                (_, None) => match p.readability.mean_sentence_length {
                    Some(n) if p.readability.measure.ends_with("characters") => {
                        format!("{n:.0} chars/s")
                    }
                    Some(n) => format!("{n:.0} words/s"),
                    None => "too short".into(),
                },
                (false, _) => "too short".into(),
            };
            let translation = match &p.translation {
                Some(t) => format!("  {}", t.state),
                None if translated => "  (source)".into(),
                None => String::new(),
            };
            out.push_str(&format!(
                "{:<width$}  {:<28}  {:>11}  {:>7}{translation}\n",
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
