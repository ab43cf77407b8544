//! Data computed from a finished [`Site`], kept beside it rather than in
//! it: taxonomies and their terms, "Related pages", and each page's review
//! state on the build's date.
//!
//! The site model only knows the tree and its links; everything here is a
//! function of `&Site` (and the date), computed once per build and handed
//! to rendering and checking with the site, so a stage cannot see a
//! half-derived site and the model never depends on what is derived from it.

pub(crate) mod taxonomy;
pub(crate) mod translation;

use chrono::NaiveDate;

use crate::diagnostics::Diagnostics;
use crate::model::{PageId, Site};
use crate::review::{self, Review};

pub(crate) use taxonomy::{Taxonomy, Term};

/// What the build derives from the site.
#[derive(Debug)]
pub(crate) struct Derived {
    /// Taxonomies and their terms (see [`taxonomy`]).
    pub taxonomies: Vec<Taxonomy>,
    /// Up to five related pages for each page.
    pub related: Vec<Vec<PageId>>,
    /// Each page's review state on the build's date.
    pub reviews: Vec<Review>,
    /// Each translation's state against its source (see [`translation`]).
    pub translations: Vec<Option<translation::TranslationState>>,
}

impl Derived {
    /// Derives everything from `site` on `today`. Fails when a taxonomy's
    /// pages would take a content page's URL.
    pub(crate) fn new(site: &Site, today: NaiveDate) -> Result<Derived, Diagnostics> {
        let taxonomies = taxonomy::collect(site);
        let errors = taxonomy::url_clashes(site, &taxonomies);
        errors.into_result()?;
        // Independent of each other: side by side.
        let (related, (reviews, translations)) = rayon::join(
            || taxonomy::related(site, &taxonomies),
            || (reviews(site, today), translation::states(site)),
        );
        Ok(Derived {
            related,
            reviews,
            translations,
            taxonomies,
        })
    }

    /// Recomputes the review state of `page` after its front matter was
    /// edited in place (`marrow serve`).
    pub(crate) fn refresh_review(&mut self, site: &Site, page: PageId, today: NaiveDate) {
        if let Some(r) = self.reviews.get_mut(page) {
            *r = review_of(site, page, today);
        }
        for &v in site.versions(page) {
            if let Some(t) = self.translations.get_mut(v) {
                *t = translation::state_of(site, v);
            }
        }
    }

    /// The translation state of `page`, if it is a translation.
    pub(crate) fn translation(&self, page: PageId) -> Option<&translation::TranslationState> {
        self.translations.get(page)?.as_ref()
    }

    /// The review state of `page`.
    pub(crate) fn review(&self, page: PageId) -> &Review {
        &self.reviews[page]
    }

    /// Whether search engines may list the page (medical pages without a
    /// clinical review are kept out when `review.noindex_unreviewed` is set).
    pub(crate) fn indexable(&self, site: &Site, page: PageId) -> bool {
        !review::noindex(self.review(page), &site.config.review)
    }
}

/// The review state of every page. Generated pages (the glossary, folders
/// without `_index.md`) have no front matter to record a review in: they
/// are never medical pages. This is the only place that rule is written.
fn reviews(site: &Site, today: NaiveDate) -> Vec<Review> {
    use rayon::prelude::*;
    (0..site.pages.len())
        .into_par_iter()
        .map(|id| review_of(site, id, today))
        .collect()
}

fn review_of(site: &Site, page: PageId, today: NaiveDate) -> Review {
    let p = &site.pages[page];
    if p.kind.is_generated() {
        Review::exempt(p.front())
    } else {
        review::for_page(&p.source.rel, p.front(), &site.config.review, today)
    }
}
