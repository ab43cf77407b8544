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
/// the [`Listing`]s unless `with_listings` is false (serve renders them
/// when asked for), content assets (next to their page), then theme and
/// site static files (site last, so it overrides the theme). Returns the
/// number of files copied.
pub(crate) fn write(
    site: &Site,
    derived: &Derived,
    templates: &Templates,
    plan: &Plan,
    sink: &dyn Sink,
    with_listings: bool,
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
    for (path, html) in sitewide::redirects(site, &plan.aliases, &templates.strings) {
        sink.write(&path, html.as_bytes()).map_err(io)?;
    }
    if with_listings {
        // Term pages list every page carrying the term, so on big sites
        // they are worth spreading over cores.
        listings(site, derived)
            .par_iter()
            .try_for_each(
                |(path, listing)| match listing.render(site, derived, templates) {
                    Ok(Some(text)) => sink.write(path, text.as_bytes()).map_err(io),
                    Ok(None) => Ok(()),
                    Err(d) => Err(WriteError::Content(d.into())),
                },
            )?;
    }
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

/// A site-wide file made from many pages' titles and dates: every one
/// changes when a title does, and serve renders each only when asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Listing {
    /// The page of taxonomy `taxonomy` (index into
    /// [`Derived::taxonomies`]), or of its term `term`.
    Taxonomy {
        taxonomy: usize,
        term: Option<usize>,
    },
    Sitemap,
    /// The feed of a language.
    Feed(crate::i18n::LangId),
}

/// Every listing of the site, with the file it is written to.
pub(crate) fn listings(site: &Site, derived: &Derived) -> Vec<(String, Listing)> {
    let mut all = Vec::new();
    if site.config.base_url.is_some() {
        all.push(("sitemap.xml".to_string(), Listing::Sitemap));
        for (lang, _) in site.languages().iter() {
            if site.root_of(lang).is_some() {
                all.push((sitewide::feed_path(site, lang), Listing::Feed(lang)));
            }
        }
    }
    for (taxonomy, t) in derived.taxonomies.iter().enumerate() {
        if t.terms.is_empty() {
            continue;
        }
        all.push((
            format!("{}index.html", t.path()),
            Listing::Taxonomy {
                taxonomy,
                term: None,
            },
        ));
        for (term, one) in t.terms.iter().enumerate() {
            all.push((
                format!("{}index.html", t.term_path(one)),
                Listing::Taxonomy {
                    taxonomy,
                    term: Some(term),
                },
            ));
        }
    }
    all
}

impl Listing {
    /// The file's text (`None` when the site has no such file).
    pub(crate) fn render(
        self,
        site: &Site,
        derived: &Derived,
        templates: &Templates,
    ) -> Result<Option<String>, crate::diagnostics::Diagnostic> {
        Ok(match self {
            Listing::Sitemap => sitewide::sitemap(site, derived),
            Listing::Feed(lang) => sitewide::feed(site, derived, &templates.strings[lang], lang),
            Listing::Taxonomy { taxonomy, term } => {
                let t = &derived.taxonomies[taxonomy];
                let term = term.and_then(|i| t.terms.get(i));
                Some(templates.renderer.render_taxonomy(site, t, term)?)
            }
        })
    }
}
