//! Medical review governance: when a page was last reviewed, when the next
//! review is due, and whether it is overdue.
//!
//! Health publishers show "Page last reviewed" and "Next review due" on
//! every page (the NHS pattern) and act on overdue pages; pages never
//! reviewed get a visible notice and stay out of search engines until a
//! reviewer and date are recorded.

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::config::ReviewConfig;
use crate::content::FrontMatter;

/// Where a page stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Reviewed, next review more than `warn_days` away.
    Ok,
    /// Next review within `warn_days`.
    DueSoon,
    /// Next review date has passed.
    Overdue,
    /// No `reviewed` date.
    NeverReviewed,
    /// Not medical content (`review.exempt` in site.yaml).
    Exempt,
}

/// The review facts of one page, as templates and `marrow check` see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    pub status: Status,
    pub last_reviewed: Option<NaiveDate>,
    pub next_review: Option<NaiveDate>,
    pub reviewer: Option<String>,
    /// Days until the next review (negative when overdue).
    pub days_left: Option<i64>,
}

/// `date` plus `months`, clamped to the end of shorter months (31 January
/// + 1 month = 28 or 29 February).
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

impl Review {
    /// The facts of a page that is not medical content.
    pub fn exempt(front: &FrontMatter) -> Review {
        Review {
            status: Status::Exempt,
            last_reviewed: front.reviewed,
            next_review: front.next_review,
            reviewer: front.reviewer.clone(),
            days_left: None,
        }
    }
}

/// The review facts of the page from `content/<rel>` on `today`.
pub fn for_page(rel: &str, front: &FrontMatter, config: &ReviewConfig, today: NaiveDate) -> Review {
    if config
        .exempt
        .iter()
        .any(|prefix| rel.starts_with(prefix.as_str()))
    {
        return Review {
            status: Status::Exempt,
            last_reviewed: front.reviewed,
            next_review: front.next_review,
            reviewer: front.reviewer.clone(),
            days_left: None,
        };
    }
    review(front, config, today)
}

/// The review facts of a page with front matter `front` on `today`.
pub fn review(front: &FrontMatter, config: &ReviewConfig, today: NaiveDate) -> Review {
    let Some(last) = front.reviewed else {
        return Review {
            status: Status::NeverReviewed,
            last_reviewed: None,
            next_review: None,
            reviewer: front.reviewer.clone(),
            days_left: None,
        };
    };
    let next = front
        .next_review
        .unwrap_or_else(|| add_months(last, config.interval_months));
    let days_left = (next - today).num_days();
    let status = if days_left < 0 {
        Status::Overdue
    } else if days_left <= i64::from(config.warn_days) {
        Status::DueSoon
    } else {
        Status::Ok
    };
    Review {
        status,
        last_reviewed: Some(last),
        next_review: Some(next),
        reviewer: front.reviewer.clone(),
        days_left: Some(days_left),
    }
}

/// Today's date, from the clock, or from `MARROW_TODAY` (YYYY-MM-DD) so
/// builds and tests can be reproduced on any day.
pub fn today() -> NaiveDate {
    std::env::var("MARROW_TODAY")
        .ok()
        .and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
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
            reviewer: Some("Dr A. Example, haematologist".into()),
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
    }
}
