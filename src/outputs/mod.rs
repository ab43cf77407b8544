//! The files of a site that are not its pages: `404.html`, stylesheets,
//! `robots.txt`, the sitemap and feed, redirect pages for old addresses,
//! taxonomy pages, content assets and static files — and the plan of every
//! file the build writes, checked for clashes before anything is written.

mod clashes;
pub(crate) mod sitewide;

use rayon::prelude::*;

use crate::derive::Derived;
use crate::diagnostics::Diagnostics;
use crate::markdown;
use crate::model::Site;
use crate::output::Sink;
use crate::render::{self, StaticFile, Templates};

pub(crate) use sitewide::Alias;

/// Why the site-wide files could not be written.
pub(crate) enum WriteError {
    /// A template failed (404, taxonomy pages).
    Content(Diagnostics),
    /// A file could not be written.
    Io(std::io::Error),
}

/// The stylesheet for highlighted code, written at the output root.
pub(crate) const HIGHLIGHT_CSS: &str = "highlight.css";

/// What the build will write besides pages, worked out before writing.
pub(crate) struct Plan {
    /// The checked `aliases` of every page.
    aliases: Vec<Alias>,
}

/// Plans the output: checks every page's `aliases` and looks for files
/// that two producers would write. Problems go into `errors`.
pub(crate) fn plan(
    site: &Site,
    derived: &Derived,
    templates: &Templates,
    errors: &mut Diagnostics,
) -> Plan {
    let aliases = match sitewide::alias_targets(site) {
        Ok(a) => a,
        Err(d) => {
            errors.extend(d);
            Vec::new()
        }
    };
    errors.extend(clashes::clashes(site, derived, templates, &aliases));
    Plan { aliases }
}

/// The full search results page (`search/?q=…`).
pub(crate) const SEARCH_PAGE: &str = "search/index.html";

/// Writes what is not a page: `404.html`, the highlighting stylesheet,
/// content assets (next to their page), then theme and site static files
/// (site last, so it overrides the theme). Returns the number of files
/// copied.
pub(crate) fn write(
    site: &Site,
    derived: &Derived,
    templates: &Templates,
    plan: &Plan,
    sink: &dyn Sink,
) -> Result<usize, WriteError> {
    let page_404 = templates
        .renderer
        .render_404(site)
        .map_err(|d| WriteError::Content(d.into()))?;
    let io = WriteError::Io;
    sink.write("404.html", page_404.as_bytes()).map_err(io)?;
    sink.write(HIGHLIGHT_CSS, markdown::highlight::stylesheet().as_bytes())
        .map_err(io)?;
    if let Some(css) = &templates.renderer.brand.stylesheet {
        sink.write(render::brand::BRAND_CSS, css.as_bytes())
            .map_err(io)?;
    }
    for (lang, language) in site.languages().iter() {
        if let Some(page) = templates.renderer.render_search_page(site, lang) {
            let html = page.map_err(|d| WriteError::Content(d.into()))?;
            sink.write(
                &format!("{}{SEARCH_PAGE}", language.prefix(lang)),
                html.as_bytes(),
            )
            .map_err(io)?;
        }
    }
    sink.write("robots.txt", sitewide::robots(site).as_bytes())
        .map_err(io)?;
    if let Some(xml) = sitewide::sitemap(site, derived) {
        sink.write("sitemap.xml", xml.as_bytes()).map_err(io)?;
    }
    for (lang, _) in site.languages().iter() {
        if site.root_of(lang).is_none() {
            continue;
        }
        if let Some(xml) = sitewide::feed(site, derived, &templates.strings[lang], lang) {
            sink.write(&sitewide::feed_path(site, lang), xml.as_bytes())
                .map_err(io)?;
        }
    }
    for (path, html) in sitewide::redirects(site, &plan.aliases, &templates.strings) {
        sink.write(&path, html.as_bytes()).map_err(io)?;
    }
    // One listing per taxonomy and one per term; term pages list every page
    // carrying the term, so on big sites they are worth spreading over cores.
    let listings: Vec<_> = derived
        .taxonomies
        .iter()
        .filter(|t| !t.terms.is_empty())
        .flat_map(|t| {
            std::iter::once((t, None)).chain(t.terms.iter().map(move |term| (t, Some(term))))
        })
        .collect();
    listings.par_iter().try_for_each(|&(t, term)| {
        let html = templates
            .renderer
            .render_taxonomy(site, t, term)
            .map_err(|d| WriteError::Content(d.into()))?;
        let path = term.map_or_else(|| t.path(), |term| t.term_path(term));
        sink.write(&format!("{path}index.html"), html.as_bytes())
            .map_err(io)
    })?;
    site.assets
        .par_iter()
        .try_for_each(|a| sink.copy(&a.rel, &a.path))
        .map_err(io)?;
    let statics = &templates.theme.static_files;
    for s in statics {
        match s {
            StaticFile::Embedded { rel, bytes } => sink.write(rel, bytes),
            StaticFile::Disk { rel, path } => sink.copy(rel, path),
        }
        .map_err(io)?;
    }
    Ok(site.assets.len() + statics.len())
}
