//! `marrow check --due-within DAYS`: the clinical reviewer's worklist.
//! Every medical page that needs a clinical review now (overdue, or never
//! clinically reviewed) or within `DAYS`, oldest first.

use chrono::NaiveDate;
use serde::Serialize;

use super::REPORT_VERSION;
use crate::derive::Derived;
use crate::pipeline::{BuildError, BuildOptions, load_site};
use crate::review::Status;

/// One page to review.
#[derive(Debug, Clone, Serialize)]
pub struct WorklistEntry {
    /// The Markdown file, relative to the site root.
    pub source: String,
    /// The page's address below the site root.
    pub url: String,
    /// The page's title.
    pub title: String,
    /// Where its review stands.
    pub status: Status,
    /// When the clinical review is due; `None` for pages never clinically
    /// reviewed, which are due now.
    pub due: Option<NaiveDate>,
    /// Date of the last clinical review.
    pub last_reviewed: Option<NaiveDate>,
    /// Who did it, with their role.
    pub reviewer: Option<String>,
    /// Date of the last check against the sources.
    pub sources_checked: Option<NaiveDate>,
}

/// The worklist, oldest first.
#[derive(Debug, Clone, Serialize)]
pub struct Worklist {
    /// Version of the JSON format.
    pub version: u32,
    /// The date the list was made for.
    pub today: NaiveDate,
    /// How far ahead it looks.
    pub due_within_days: u32,
    /// The pages, most urgent first.
    pub pages: Vec<WorklistEntry>,
}

/// The pages of the site at `opts.root` whose clinical review is due within
/// `days` of `today`, or overdue, or missing.
pub fn worklist(opts: &BuildOptions, days: u32) -> Result<Worklist, BuildError> {
    let today = opts.today;
    let (site, _) = load_site(opts)?;
    let derived = Derived::new(&site, today).map_err(BuildError::Content)?;
    let horizon = today + chrono::Days::new(u64::from(days));
    let mut pages: Vec<WorklistEntry> = (0..site.pages.len())
        .filter_map(|id| {
            let r = derived.review(id).clone();
            let due =
                r.status.needs_clinical_review() || r.next_review.is_some_and(|d| d <= horizon);
            if r.status == Status::Exempt || !due {
                return None;
            }
            let p = &site.pages[id];
            Some(WorklistEntry {
                source: p.source.display().display().to_string().replace('\\', "/"),
                url: format!("/{}", p.path),
                title: p.title().to_string(),
                status: r.status,
                due: r.next_review,
                last_reviewed: r.last_reviewed,
                reviewer: r.reviewer.map(|r| r.to_string()),
                sources_checked: r.sources_checked,
            })
        })
        .collect();
    // Overdue pages by how long they have waited, then pages that were
    // never clinically reviewed (due now), then the ones coming up.
    pages.sort_by(|a, b| {
        let key = |e: &WorklistEntry| (e.due.unwrap_or(today), e.due.is_some(), e.sources_checked);
        key(a).cmp(&key(b)).then_with(|| a.source.cmp(&b.source))
    });
    Ok(Worklist {
        version: REPORT_VERSION,
        today,
        due_within_days: days,
        pages,
    })
}

impl Worklist {
    /// The list as JSON, for tools.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// A table for people, oldest first.
    pub fn to_text(&self) -> String {
        let n = self.pages.len();
        let mut out = format!(
            "{n} page{} need{} a clinical review now or within {} days (today is {}), oldest first:\n",
            if n == 1 { "" } else { "s" },
            if n == 1 { "s" } else { "" },
            self.due_within_days,
            self.today.format("%-d %b %Y")
        );
        if n == 0 {
            return out;
        }
        let width = super::text::column_width(self.pages.iter().map(|p| p.source.as_str()));
        out.push_str(&format!(
            "\n{:<13}  {:<width$}  LAST REVIEW / CHECK\n",
            "DUE", "PAGE"
        ));
        for p in &self.pages {
            let due = match (p.due, p.status) {
                (Some(d), Status::Overdue) => format!("{} !", d.format("%-d %b %Y")),
                (Some(d), _) => d.format("%-d %b %Y").to_string(),
                (None, _) => "now".into(),
            };
            let last = match (&p.last_reviewed, &p.reviewer, p.sources_checked) {
                (Some(d), Some(who), _) => format!("reviewed {} by {who}", d.format("%-d %b %Y")),
                (Some(d), None, _) => format!("reviewed {}", d.format("%-d %b %Y")),
                (None, _, Some(d)) => format!(
                    "no clinical review; sources checked {}",
                    d.format("%-d %b %Y")
                ),
                (None, _, None) => "never reviewed".into(),
            };
            out.push_str(&format!("{due:<13}  {:<width$}  {last}\n", p.source));
        }
        out
    }
}
