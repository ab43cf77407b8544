//! The pages of the build being served, rendered when a browser first asks
//! for them.
//!
//! A serve rebuild stops before the pages: what it keeps ([`Built`]) is
//! everything a page's template needs (the site, derived data, templates,
//! each page's Markdown HTML and the shared navigation). A request renders
//! its page from that and keeps the result until a change makes it stale.
//! So an edit that changes every page's navigation (a title, a weight, a
//! template) costs the pages someone looks at, and a big site answers its
//! first request without rendering every page first. The errors of the
//! pages nobody has asked for are found behind the browser's reload
//! ([`Built::check`]), as the search index is.
//!
//! The engine is the only writer: it replaces the whole [`Built`] after a
//! rebuild and edits it in place (one page's text, its cached HTML) under
//! the write lock, which request handlers hold for reading only while they
//! render one page.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::derive::Derived;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::outputs::{self, Listing};
use rayon::prelude::*;

use crate::markdown::{self, Highlighter, Rendered};
use crate::model::{PageId, Site};
use crate::pipeline::{self, NavKey, Templates};

/// Says when work done behind the browser's reload should stop: an edit is
/// coming, and it goes first.
pub(crate) type Stop<'a> = dyn Fn() -> bool + Sync + 'a;

/// A served file once something asked for it.
type Kept = OnceLock<Arc<[u8]>>;

/// What a serve rebuild keeps: all a page needs to be rendered.
pub(crate) struct Built {
    pub(crate) site: Site,
    pub(crate) derived: Derived,
    pub(crate) templates: Templates,
    /// Each page's Markdown HTML ([`PageId`] order); empty until
    /// [`Built::render_markdown`] has been kept after a first build that
    /// left it out ([`pipeline::Run::SERVE_FIRST`]).
    pub(crate) rendered: Vec<Rendered>,
    /// Navigation fragments, each rendered when a page first needs it (a
    /// title edit changes them all, and a reload looks at one page).
    navs: RwLock<HashMap<NavKey, Arc<str>>>,
    /// What renders a page's Markdown when it is not kept.
    highlighter: Arc<Highlighter>,
    /// Each page's HTML, once something asked for it.
    html: Vec<Kept>,
    /// The taxonomy pages, sitemap and feeds by file, each rendered when
    /// first asked for.
    listings: HashMap<String, (Listing, Kept)>,
    /// [`Site::link_shape`], once a rebuild asked for it.
    link_shape: OnceLock<u128>,
}

/// The build being served, shared by the engine and the request handlers
/// (`None` until a build succeeds).
#[derive(Clone, Default)]
pub(crate) struct SharedBuild(Arc<RwLock<Option<Built>>>);

impl SharedBuild {
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, Option<Built>> {
        self.0.read().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, Option<Built>> {
        self.0.write().unwrap_or_else(|p| p.into_inner())
    }

    /// The page written to `file` (`process/index.html`), rendered now if
    /// nothing asked for it since it last changed; `None` when no page is
    /// written there. A template error comes back as the error.
    /// A listing ([`Listing`]) is served the same way.
    pub(crate) fn page_file(&self, file: &str) -> Option<Result<Arc<[u8]>, Diagnostic>> {
        let guard = self.read();
        let built = guard.as_ref()?;
        match built.page_written_to(file) {
            Some(id) => Some(built.html(id)),
            None => built.listing(file),
        }
    }

    /// Whether a page or a listing is written to `file`.
    pub(crate) fn has_page_file(&self, file: &str) -> bool {
        self.read()
            .as_ref()
            .is_some_and(|b| b.page_written_to(file).is_some() || b.listings.contains_key(file))
    }
}

impl Built {
    pub(crate) fn new(
        site: Site,
        derived: Derived,
        templates: Templates,
        rendered: Vec<Rendered>,
        highlighter: Arc<Highlighter>,
    ) -> Built {
        let html = (0..site.pages.len()).map(|_| OnceLock::new()).collect();
        let listings = (outputs::listings(&site, &derived).into_iter())
            .map(|(file, listing)| (file, (listing, OnceLock::new())))
            .collect();
        Built {
            site,
            derived,
            templates,
            rendered,
            navs: RwLock::default(),
            highlighter,
            html,
            listings,
            link_shape: OnceLock::new(),
        }
    }

    /// The site's [`Site::link_shape`] (worked out once per build).
    pub(crate) fn link_shape(&self) -> u128 {
        *self.link_shape.get_or_init(|| self.site.link_shape())
    }

    /// Records the link shape when the rebuild that made this build
    /// already worked it out.
    pub(crate) fn with_link_shape(self, shape: Option<u128>) -> Built {
        if let Some(shape) = shape {
            let _ = self.link_shape.set(shape);
        }
        self
    }

    /// Whether pages' Markdown is still left to render (see
    /// [`Self::rendered`]).
    pub(crate) fn markdown_pending(&self) -> bool {
        self.rendered.len() != self.site.pages.len()
    }

    /// Every page's Markdown HTML (`None` when `stop` said to stop).
    pub(crate) fn render_markdown(&self, stop: &Stop<'_>) -> Option<Vec<Rendered>> {
        let all: Vec<Rendered> = (0..self.site.pages.len())
            .into_par_iter()
            .map(|id| match stop() {
                true => Rendered::default(),
                false => self.markdown(id),
            })
            .collect();
        (!stop()).then_some(all)
    }

    fn markdown(&self, id: PageId) -> Rendered {
        let strings = &self.templates.strings[self.site.pages[id].lang];
        markdown::render(&self.site, id, &self.highlighter, strings)
    }

    /// The page whose file is `file` (pages are written to
    /// `<url path>index.html`).
    fn page_written_to(&self, file: &str) -> Option<PageId> {
        let path = file.strip_suffix("index.html")?;
        if !(path.is_empty() || path.ends_with('/')) {
            return None;
        }
        self.site.page_at(path)
    }

    /// Page `id`'s HTML: the kept copy, or rendered now and kept.
    pub(crate) fn html(&self, id: PageId) -> Result<Arc<[u8]>, Diagnostic> {
        if let Some(html) = self.html[id].get() {
            return Ok(Arc::clone(html));
        }
        let html: Arc<[u8]> = Arc::from(self.render(id)?.into_bytes());
        // Two requests racing render the same bytes; either copy will do.
        Ok(Arc::clone(self.html[id].get_or_init(|| html)))
    }

    /// Renders page `id` through its template.
    pub(crate) fn render(&self, id: PageId) -> Result<String, Diagnostic> {
        let made;
        let rendered = match self.rendered.get(id) {
            Some(kept) => kept,
            None => {
                made = self.markdown(id);
                &made
            }
        };
        let nav = self.nav(id)?;
        pipeline::render_page(
            &self.site,
            &self.derived,
            &self.templates.renderer,
            &nav,
            id,
            rendered,
        )
    }

    /// Page `id`'s navigation fragment: the kept one, or rendered now and
    /// kept.
    fn nav(&self, id: PageId) -> Result<Arc<str>, Diagnostic> {
        let key = pipeline::nav_key(&self.site, id);
        let kept = self.navs.read().unwrap_or_else(|p| p.into_inner());
        if let Some(nav) = kept.get(&key) {
            return Ok(Arc::clone(nav));
        }
        drop(kept);
        let nav: Arc<str> = pipeline::render_nav(&self.site, &self.templates.renderer, key)?.into();
        let mut kept = self.navs.write().unwrap_or_else(|p| p.into_inner());
        Ok(Arc::clone(kept.entry(key).or_insert(nav)))
    }

    /// The listing written to `file`, rendered now if nothing asked for it
    /// since it last changed (`None` when there is none).
    fn listing(&self, file: &str) -> Option<Result<Arc<[u8]>, Diagnostic>> {
        let (listing, kept) = self.listings.get(file)?;
        if let Some(bytes) = kept.get() {
            return Some(Ok(Arc::clone(bytes)));
        }
        let text = match listing.render(&self.site, &self.derived, &self.templates) {
            Ok(text) => text?,
            Err(d) => return Some(Err(d)),
        };
        let bytes: Arc<[u8]> = Arc::from(text.into_bytes());
        Some(Ok(Arc::clone(kept.get_or_init(|| bytes))))
    }

    /// Renders every listing again when next asked for (an edit may have
    /// changed a date or a review they show).
    pub(crate) fn forget_listings(&mut self) {
        for (_, kept) in self.listings.values_mut() {
            *kept = OnceLock::new();
        }
    }

    /// Keeps `html` as page `id`'s HTML (rendered by the engine after an
    /// edit).
    pub(crate) fn set_html(&mut self, id: PageId, html: String) {
        self.html[id] = OnceLock::from(Arc::from(html.into_bytes()));
    }

    /// Whether page `id`'s HTML is kept.
    pub(crate) fn has_html(&self, id: PageId) -> bool {
        self.html[id].get().is_some()
    }

    /// The template error of each page that has one, and those of the
    /// listings, as a build would report them (`None` when `stop` said to
    /// stop).
    pub(crate) fn check(
        &self,
        stop: &Stop<'_>,
    ) -> Option<(Vec<(PageId, Diagnostic)>, Diagnostics)> {
        if self.markdown_pending() {
            return None;
        }
        let pages = pipeline::check_templates(
            &self.site,
            &self.derived,
            (&self.templates.renderer, &|id| self.nav(id)),
            &self.rendered,
            stop,
        )?;
        let listings = (self.listings.par_iter())
            .filter(|(_, (_, kept))| kept.get().is_none() && !stop())
            .filter_map(|(_, (listing, _))| {
                (listing.render(&self.site, &self.derived, &self.templates)).err()
            })
            .collect::<Vec<_>>();
        let mut errors = Diagnostics::default();
        errors.extend(listings);
        errors.sort();
        (!stop()).then_some((pages, errors))
    }
}
