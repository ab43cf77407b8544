//! The per-page stages: Markdown, link checks, shared navigation
//! fragments, and templates.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::config::LinkPolicy;
use crate::derive::Derived;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::Strings;
use crate::markdown::{self, Highlighter, Rendered};
use crate::model::{PageId, SectionId, Site};
use crate::output::Sink;
use crate::render::{self, Renderer};

use super::cache::{Against, PageRecord, PageRecords};

/// Renders the Markdown of every page, in parallel, taking what `reuse`
/// gives instead where it gives something.
pub(crate) fn render_markdown(
    site: &Site,
    highlighter: &Highlighter,
    strings: &[Strings],
    reuse: Option<&Reuse<'_>>,
) -> Vec<Rendered> {
    (0..site.pages.len())
        .into_par_iter()
        .map(|id| {
            reuse.and_then(|r| r(site, id)).unwrap_or_else(|| {
                markdown::render(site, id, highlighter, &strings[site.pages[id].lang])
            })
        })
        .collect()
}

/// A page's Markdown HTML from an earlier run of the same site, when it is
/// sure to be what rendering it again would give (serve: see
/// [`Site::link_shape`]).
pub(crate) type Reuse<'a> = dyn Fn(&Site, PageId) -> Option<Rendered> + Sync + 'a;

/// The link errors of rendered pages: each page's own, then links to
/// headings of other pages that do not exist.
/// The Markdown errors of every rendered page, and its link problems
/// (including anchors on other pages), sorted by `policy`.
pub(crate) fn markdown_findings(rendered: &[Rendered], policy: LinkPolicy) -> MarkdownFindings {
    let mut errors = Diagnostics::default();
    let mut links = Diagnostics::default();
    for r in rendered {
        errors.extend(r.diagnostics.iter().cloned());
        links.extend(r.link_problems.iter().cloned());
    }
    links.extend(markdown::missing_anchors(
        rendered.iter().flat_map(|r| &r.anchor_refs),
        |id| rendered.get(id).map(|r| &r.ids),
    ));
    match policy {
        LinkPolicy::Error => {
            errors.extend(links);
            MarkdownFindings {
                errors,
                warnings: Diagnostics::default(),
            }
        }
        LinkPolicy::Warn => MarkdownFindings {
            errors,
            warnings: links,
        },
    }
}

/// What the Markdown stage found across the site.
#[derive(Default)]
pub(crate) struct MarkdownFindings {
    /// Stop the build.
    pub(crate) errors: Diagnostics,
    /// Broken links under `links: warn`.
    pub(crate) warnings: Diagnostics,
}

/// Navigation fragments, one per (section, part of its list, link depth)
/// in use.
pub(crate) type Navs = HashMap<NavKey, String>;

/// Which shared navigation fragment a page uses.
pub(crate) type NavKey = (SectionId, usize, usize);

pub(crate) fn nav_key(site: &Site, page: PageId) -> NavKey {
    let p = &site.pages[page];
    (p.section, render::nav_part(site, page), p.depth())
}

/// Page `id`'s fragment in `navs`.
fn nav_of<'a>(navs: &'a Navs, site: &Site, id: PageId) -> &'a str {
    navs.get(&nav_key(site, id)).map_or("", String::as_str)
}

/// Renders the navigation fragments the site's pages need.
pub(crate) fn render_navs(site: &Site, renderer: &Renderer) -> Result<Navs, Diagnostics> {
    let keys: HashSet<NavKey> = (0..site.pages.len()).map(|id| nav_key(site, id)).collect();
    let results: Vec<Result<(NavKey, String), Diagnostic>> = keys
        .into_par_iter()
        .map(|key| render_nav(site, renderer, key).map(|html| (key, html)))
        .collect();
    let mut navs = HashMap::new();
    let mut errors = Diagnostics::default();
    for r in results {
        match r {
            Ok((k, v)) => {
                navs.insert(k, v);
            }
            Err(d) => errors.push(d),
        }
    }
    errors.into_result().map(|()| navs)
}

/// Renders one navigation fragment (serve renders each when a page first
/// needs it).
pub(crate) fn render_nav(
    site: &Site,
    renderer: &Renderer,
    (section, part, depth): NavKey,
) -> Result<String, Diagnostic> {
    renderer.render_nav(site, section, part, &"../".repeat(depth))
}

/// Renders page `id` through its template, with the navigation fragment it
/// shares with its neighbours (`nav`, the fragment of [`nav_key`]).
pub(crate) fn render_page(
    site: &Site,
    derived: &Derived,
    renderer: &Renderer,
    nav: &str,
    id: PageId,
    rendered: &Rendered,
) -> Result<String, Diagnostic> {
    renderer.render_page(site, derived, id, rendered, nav)
}

/// Renders page `id` through its template and hands it to `sink`; returns
/// the hash of the HTML.
fn write_page(
    site: &Site,
    derived: &Derived,
    renderer: &Renderer,
    navs: &Navs,
    id: PageId,
    rendered: &Rendered,
    sink: &dyn Sink,
) -> Result<u128, Diagnostic> {
    let html = render_page(
        site,
        derived,
        renderer,
        nav_of(navs, site, id),
        id,
        rendered,
    )?;
    let file = site.pages[id].output_file();
    let hash = crate::output::hash(html.as_bytes());
    sink.write_hashed(&file, html.as_bytes(), hash)
        .map_err(|e| Diagnostic::file(&file, format!("cannot write: {e}")))?;
    Ok(hash)
}

/// Page `id`'s file as the last build wrote it, put in place by `sink`,
/// with what the link checks need of it; `None` when the page must be
/// rendered (changed, not recorded, or its file is gone).
fn kept_page(
    site: &Site,
    id: PageId,
    against: &Against<'_>,
    sink: &dyn Sink,
) -> Option<(Rendered, PageRecord)> {
    let p = &site.pages[id];
    let record = against.lookup(id, &p.source.rel)?;
    let kept = sink.keep(&p.output_file(), record.output).ok()?;
    kept.then(|| (record.rendered(), record.clone()))
}

/// Renders every page to `sink` in parallel, keeping each page's Markdown
/// HTML (serve and check need it again); returns the errors.
pub(crate) fn write_pages(
    site: &Site,
    derived: &Derived,
    renderer: &Renderer,
    navs: &Navs,
    rendered: &[Rendered],
    sink: &dyn Sink,
) -> Diagnostics {
    let errors = rendered
        .par_iter()
        .enumerate()
        .filter_map(|(id, r)| write_page(site, derived, renderer, navs, id, r, sink).err());
    let mut all = Diagnostics::default();
    all.extend(errors.collect::<Vec<_>>());
    all
}

/// Renders every page's Markdown and then its template, writing it to
/// `sink` at once, in parallel; keeps of each page only what the link checks
/// read afterwards (its HTML and table of contents are dropped). A page
/// the last build made from the same text in the same context (`cache`)
/// keeps that build's file instead. Returns what the link checks need, the
/// template and write errors, the records of this build's pages, and how
/// many were kept.
pub(crate) fn render_and_write(
    (site, derived): (&Site, &Derived),
    (renderer, navs): (&Renderer, &Navs),
    (highlighter, strings): (&Highlighter, &[Strings]),
    cache: Option<&Against<'_>>,
    sink: &dyn Sink,
) -> (Vec<Rendered>, Diagnostics, PageRecords, usize) {
    type Done = (Rendered, Result<Option<PageRecord>, Diagnostic>);
    let kept_count = std::sync::atomic::AtomicUsize::new(0);
    let done: Vec<Done> = (0..site.pages.len())
        .into_par_iter()
        .map(|id| {
            let p = &site.pages[id];
            if let Some((r, record)) = cache.and_then(|c| kept_page(site, id, c, sink)) {
                kept_count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                return (r, Ok(Some(record)));
            }
            let mut r = markdown::render(site, id, highlighter, &strings[p.lang]);
            let written = write_page(site, derived, renderer, navs, id, &r, sink);
            let text = cache.and_then(|c| c.texts.get(id).copied());
            let record = written.map(|hash| PageRecord::of(text.unwrap_or_default(), hash, &r));
            r.html = Default::default();
            r.toc = Default::default();
            (r, record)
        })
        .collect();
    let mut errors = Diagnostics::default();
    let mut records = PageRecords {
        context: cache.map_or(0, |c| c.context),
        pages: HashMap::new(),
    };
    let kept = (site.pages.iter().zip(done))
        .map(|(p, (r, record))| {
            match record {
                Ok(Some(record)) => {
                    records.pages.insert(p.source.rel.clone(), record);
                }
                Ok(None) => {}
                Err(e) => errors.push(e),
            }
            r
        })
        .collect();
    (kept, errors, records, kept_count.into_inner())
}

/// Runs every page through its template for `check`, in parallel, writing
/// nothing; returns the errors and each page's [`Rendered`] without its
/// HTML (check reads only what the HTML was made from: glossary use).
///
/// Every page is rendered, not one per template and kind: a tera runtime
/// error can depend on anything in the page's context (a front matter
/// value given to a filter, an `extra` key one page lacks, an empty table
/// of contents indexed, a missing `prev`), and that context is different
/// for every page. No sample short of all of them finds every error that
/// `marrow build` would stop at. What check saves is the output: each page
/// is rendered into nothing ([`Renderer::check_page`]) instead of into a
/// string of about 30 KB, and its Markdown HTML is freed as it goes, so
/// the pages never sit in memory all at once.
pub(crate) fn check_pages(
    site: &Site,
    derived: &Derived,
    renderer: &Renderer,
    navs: &Navs,
    rendered: Vec<Rendered>,
) -> (Diagnostics, Vec<Rendered>) {
    let (errors, kept): (Vec<Option<Diagnostic>>, Vec<Rendered>) = rendered
        .into_par_iter()
        .enumerate()
        .map(|(id, mut r)| {
            let error = check_page(site, derived, renderer, navs, id, &r).err();
            r.html = Default::default();
            (error, r)
        })
        .unzip();
    let mut all = Diagnostics::default();
    all.extend(errors.into_iter().flatten());
    (all, kept)
}

/// The template error of each page that has one, rendering every page into
/// nothing (serve renders a page only when it is asked for; this finds the
/// errors of the rest, as a build would). `None` when `stop` said to stop.
pub(crate) fn check_templates(
    site: &Site,
    derived: &Derived,
    (renderer, nav): (&Renderer, &NavOf<'_>),
    rendered: &[Rendered],
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<(PageId, Diagnostic)>> {
    let found = (rendered.par_iter().enumerate())
        .filter(|_| !stop())
        .filter_map(|(id, r)| {
            let checked = nav(id).and_then(|nav| renderer.check_page(site, derived, id, r, &nav));
            Some((id, checked.err()?))
        })
        .collect();
    (!stop()).then_some(found)
}

/// A page's navigation fragment, rendered when first asked for.
pub(crate) type NavOf<'a> = dyn Fn(PageId) -> Result<std::sync::Arc<str>, Diagnostic> + Sync + 'a;

fn check_page(
    site: &Site,
    derived: &Derived,
    renderer: &Renderer,
    navs: &Navs,
    id: PageId,
    rendered: &Rendered,
) -> Result<(), Diagnostic> {
    renderer.check_page(site, derived, id, rendered, nav_of(navs, site, id))
}
