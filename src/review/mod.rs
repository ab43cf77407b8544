//! Medical review governance: who checked a page, how, and when.
//!
//! Two different things can have happened to a page, and readers must be
//! able to tell them apart:
//!
//! - **sources checked**: an editorial fact check of the page's claims
//!   against its listed references (`sources_checked`, `checked_by`);
//! - **clinical review**: a named professional reviewed the whole page
//!   (`reviewed`, `reviewer` with name and role). Only this one shows as
//!   "Page last reviewed … Next review due …" (the NHS pattern), reaches
//!   search engines as `lastReviewed`/`reviewedBy`, and lifts `noindex`.
//!
//! A page with neither is "not reviewed" and says so.

pub(crate) mod record;

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::config::ReviewConfig;
use crate::content::FrontMatter;
use crate::content::front_matter::Reviewer;

/// Where a page stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Clinically reviewed, next review more than `warn_days` away.
    Ok,
    /// Clinically reviewed, next review within `warn_days`.
    DueSoon,
    /// Clinically reviewed, but the next review date has passed.
    Overdue,
    /// Sources checked by the editors; no clinical review yet.
    SourcesChecked,
    /// Neither a clinical review nor a sources check is recorded.
    NeverReviewed,
    /// Not medical content (`review.exempt`, `review.enabled: false`, or
    /// a generated page).
    Exempt,
}

impl Status {
    /// A named clinician reviewed the page (whatever the next due date).
    pub fn clinically_reviewed(self) -> bool {
        matches!(self, Status::Ok | Status::DueSoon | Status::Overdue)
    }

    /// Medical content that no clinician has reviewed.
    pub fn needs_clinical_review(self) -> bool {
        matches!(self, Status::SourcesChecked | Status::NeverReviewed)
    }
}

/// The review facts of one page, as templates and `marrow check` see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Review {
    pub status: Status,
    /// Date of the last clinical review.
    pub last_reviewed: Option<NaiveDate>,
    /// When the next clinical review is due.
    pub next_review: Option<NaiveDate>,
    pub reviewer: Option<Reviewer>,
    /// Date of the last editorial check against the sources.
    pub sources_checked: Option<NaiveDate>,
    pub checked_by: Option<String>,
    /// Days until the next clinical review (negative when overdue).
    pub days_left: Option<i64>,
}

/// `date` plus `months`, clamped to the end of shorter months (31 January
/// + 1 month = 28 or 29 February).
pub(crate) fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

impl Review {
    /// The facts of a page that is not medical content: it shows no review
    /// dates or notices, whatever its front matter says.
    pub(crate) fn exempt(front: &FrontMatter) -> Review {
        Review {
            status: Status::Exempt,
            last_reviewed: None,
            next_review: None,
            reviewer: None,
            sources_checked: front.sources_checked,
            checked_by: front.checked_by.clone(),
            days_left: None,
        }
    }
}

/// Whether the page from `content/<rel>` is medical content under `config`.
pub(crate) fn is_medical(rel: &str, config: &ReviewConfig) -> bool {
    config.enabled
        && !config
            .exempt
            .iter()
            .any(|prefix| rel.starts_with(prefix.as_str()))
}

/// Whether search engines are asked to leave the page out: medical pages
/// no clinician has reviewed, when `review.noindex_unreviewed` is on.
pub(crate) fn noindex(review: &Review, config: &ReviewConfig) -> bool {
    config.noindex_unreviewed && review.status.needs_clinical_review()
}

/// The review facts of the page from `content/<rel>` on `today`.
pub(crate) fn for_page(
    rel: &str,
    front: &FrontMatter,
    config: &ReviewConfig,
    today: NaiveDate,
) -> Review {
    if !is_medical(rel, config) {
        return Review::exempt(front);
    }
    review(front, config, today)
}

/// The review facts of a medical page with front matter `front` on `today`.
pub(crate) fn review(front: &FrontMatter, config: &ReviewConfig, today: NaiveDate) -> Review {
    // What every page has; the clinical review facts come below.
    let mut facts = Review {
        status: Status::NeverReviewed,
        ..Review::exempt(front)
    };
    let Some(last) = front.reviewed else {
        if front.sources_checked.is_some() {
            facts.status = Status::SourcesChecked;
        }
        return facts;
    };
    let next = front
        .next_review
        .unwrap_or_else(|| add_months(last, config.interval_months));
    let days_left = (next - today).num_days();
    facts.status = if days_left < 0 {
        Status::Overdue
    } else if days_left <= i64::from(config.warn_days) {
        Status::DueSoon
    } else {
        Status::Ok
    };
    facts.last_reviewed = Some(last);
    facts.reviewer = front.reviewer.clone();
    facts.next_review = Some(next);
    facts.days_left = Some(days_left);
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn month_ends_and_leap_years() {
        assert_eq!(add_months(d(2026, 1, 31), 1), d(2026, 2, 28));
        assert_eq!(add_months(d(2028, 1, 31), 1), d(2028, 2, 29));
        assert_eq!(add_months(d(2028, 2, 29), 12), d(2029, 2, 28));
        assert_eq!(add_months(d(2026, 3, 3), 12), d(2027, 3, 3));
        assert_eq!(add_months(d(2026, 8, 31), 6), d(2027, 2, 28));
    }

    fn front(reviewed: Option<NaiveDate>, next: Option<NaiveDate>) -> FrontMatter {
        FrontMatter {
            reviewed,
            next_review: next,
            reviewer: Some(Reviewer {
                name: "Dr A. Example".into(),
                role: Some("haematologist".into()),
            }),
            ..FrontMatter::default()
        }
    }

    #[test]
    fn statuses() {
        let config = ReviewConfig::default(); // 12 months, warn 30 days
        let today = d(2026, 11, 25);
        let r = review(&front(Some(d(2026, 3, 3)), None), &config, today);
        assert_eq!(r.status, Status::Ok);
        assert_eq!(r.next_review, Some(d(2027, 3, 3)));
        let r = review(&front(Some(d(2025, 12, 20)), None), &config, today);
        assert_eq!(r.status, Status::DueSoon);
        assert_eq!(r.days_left, Some(25));
        let r = review(&front(Some(d(2025, 11, 24)), None), &config, today);
        assert_eq!(r.status, Status::Overdue);
        assert_eq!(r.days_left, Some(-1));
        // Due today is not yet overdue.
        let r = review(&front(Some(d(2025, 11, 25)), None), &config, today);
        assert_eq!(r.status, Status::DueSoon);
        // An explicit next_review wins over the interval.
        let r = review(
            &front(Some(d(2020, 1, 1)), Some(d(2027, 1, 1))),
            &config,
            today,
        );
        assert_eq!(r.status, Status::Ok);
        let r = review(&front(None, None), &config, today);
        assert_eq!(r.status, Status::NeverReviewed);
        let exempt = ReviewConfig {
            exempt: vec!["authoring/".into()],
            ..ReviewConfig::default()
        };
        assert_eq!(
            for_page("authoring/x.md", &front(None, None), &exempt, today).status,
            Status::Exempt
        );
        assert_eq!(
            for_page("process/x.md", &front(None, None), &exempt, today).status,
            Status::NeverReviewed
        );
        let off = ReviewConfig {
            enabled: false,
            ..ReviewConfig::default()
        };
        let reviewed = front(Some(d(2026, 3, 3)), None);
        let r = for_page("process/x.md", &reviewed, &off, today);
        assert_eq!(r.status, Status::Exempt);
        assert_eq!(r.last_reviewed, None, "exempt pages show no review dates");
    }

    #[test]
    fn due_soon_starts_exactly_warn_days_before_the_next_review() {
        let today = d(2026, 12, 1);
        for warn_days in [0, 1, 30, 90] {
            let config = ReviewConfig {
                warn_days,
                ..ReviewConfig::default()
            };
            let status = |days: i64| {
                let next = today + chrono::Days::new(days as u64);
                let r = review(&front(Some(d(2026, 1, 1)), Some(next)), &config, today);
                assert_eq!(r.days_left, Some(days));
                r.status
            };
            let w = i64::from(warn_days);
            assert_eq!(status(w), Status::DueSoon, "{warn_days} days away");
            assert_eq!(status(w + 1), Status::Ok, "{} days away", w + 1);
        }
    }

    #[test]
    fn a_sources_check_is_not_a_clinical_review() {
        let config = ReviewConfig::default();
        let today = d(2026, 11, 25);
        let checked = FrontMatter {
            sources_checked: Some(d(2026, 11, 1)),
            checked_by: Some("Editors".into()),
            ..FrontMatter::default()
        };
        let r = review(&checked, &config, today);
        assert_eq!(r.status, Status::SourcesChecked);
        assert!(!r.status.clinically_reviewed() && r.status.needs_clinical_review());
        assert_eq!((r.last_reviewed, r.next_review), (None, None));
        assert_eq!(r.sources_checked, Some(d(2026, 11, 1)));
        // A later clinical review wins, and keeps the check on record.
        let both = FrontMatter {
            reviewed: Some(d(2026, 11, 20)),
            ..checked
        };
        let r = review(&both, &config, today);
        assert_eq!(r.status, Status::Ok);
        assert!(r.status.clinically_reviewed());
        assert_eq!(r.sources_checked, Some(d(2026, 11, 1)));
    }
}
