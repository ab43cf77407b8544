//! Which file of the output each producer writes, and the clashes between
//! them.

use std::collections::HashMap;
use std::path::Path;

use crate::content::{CONTENT_DIR, SourceFile};
use crate::derive::Derived;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{PageId, PageKind, Site};
use crate::pipeline::Templates;
use crate::render::{self, StaticFile};
use crate::search;

use super::sitewide::{self, Alias};

/// Who writes a file of the output, for [`clashes`].
#[derive(Clone, Copy)]
enum Producer<'a> {
    Page(PageId),
    Alias(&'a Alias),
    Taxonomy(&'a str),
    /// A file marrow makes (`404.html`, the search index…).
    Generated(&'static str),
    Asset(&'a SourceFile),
    Static(&'a StaticFile),
}

impl Producer<'_> {
    /// Produces a page of the site (as opposed to a copied or generated
    /// file, which may replace one another: site files override the
    /// theme's).
    fn is_page(self) -> bool {
        matches!(
            self,
            Producer::Page(_) | Producer::Alias(_) | Producer::Taxonomy(_)
        )
    }

    fn describe(self, site: &Site) -> String {
        match self {
            Producer::Page(id) => {
                let p = &site.pages[id];
                match p.kind {
                    PageKind::Folder => {
                        let folder = Path::new(CONTENT_DIR).join(p.source.dir());
                        format!("the folder `{}/`", folder.display())
                    }
                    PageKind::Glossary => format!("the generated page /{}", p.path),
                    PageKind::Page | PageKind::Section => {
                        format!("the page `{}`", p.source.display().display())
                    }
                }
            }
            Producer::Alias(a) => format!(
                "the alias `{}` of `{}`",
                a.alias,
                site.pages[a.page].source.display().display()
            ),
            Producer::Taxonomy(name) => format!("the `{name}` taxonomy pages"),
            Producer::Generated(what) => what.to_string(),
            Producer::Asset(a) => format!("the file `{}`", a.display().display()),
            Producer::Static(StaticFile::Disk { path, .. }) => format!(
                "the file `{}`",
                crate::diagnostics::display_path(&site.root, path).display()
            ),
            Producer::Static(StaticFile::Embedded { rel, .. }) => {
                format!("the theme's `{rel}`")
            }
        }
    }

    /// How much a writer can do about this producer: the error is reported
    /// at the one with the highest rank.
    fn rank(self, site: &Site) -> u8 {
        match self {
            Producer::Alias(_) => 5,
            Producer::Page(id) if site.pages[id].front().slug.is_some() => 4,
            Producer::Page(id) if !site.pages[id].kind.is_generated() => 3,
            Producer::Asset(_) => 2,
            Producer::Static(StaticFile::Disk { .. }) | Producer::Page(_) => 1,
            _ => 0,
        }
    }

    fn error(self, site: &Site, message: String) -> Diagnostic {
        match self {
            Producer::Alias(a) => a
                .error(site, message)
                .with_help("choose another old address"),
            // A folder without `_index.md`.
            Producer::Page(id) if site.pages[id].kind == PageKind::Folder => {
                let folder = Path::new(CONTENT_DIR).join(site.pages[id].source.dir());
                Diagnostic::file(folder, message).with_help("rename the folder")
            }
            // The glossary page.
            Producer::Page(id) if site.pages[id].kind == PageKind::Glossary => {
                Diagnostic::file(site.pages[id].source.display(), message)
                    .with_help("rename the file that takes the glossary page's address")
            }
            Producer::Page(id) => {
                let p = &site.pages[id];
                let d = match p.front().slug {
                    Some(_) => p.error_at_key("slug", message),
                    None => Diagnostic::file(p.source.display(), message),
                };
                d.with_help("give the page another `slug`, or rename its file")
            }
            Producer::Asset(a) => {
                Diagnostic::file(a.display(), message).with_help("rename the file")
            }
            Producer::Static(StaticFile::Disk { path, .. }) => {
                Diagnostic::file(crate::diagnostics::display_path(&site.root, path), message)
                    .with_help("rename the file")
            }
            _ => Diagnostic::file(crate::config::CONFIG_FILE, message),
        }
    }
}

/// Files of the output that two things would write, or that one writes as
/// a file where another needs a folder (a page with `slug: marrow.css`, an
/// alias `/search/pages.json`, an asset `guide/index.html` beside a page
/// `guide.md`). Without this check the later write silently wins, or the
/// build fails with an I/O error that names no file of the site. Copied
/// and generated files may replace each other (a site's `static/` file
/// overrides the theme's or marrow's own); pages may not be replaced.
pub(crate) fn clashes(
    site: &Site,
    derived: &Derived,
    templates: &Templates,
    aliases: &[Alias],
) -> Diagnostics {
    let taxonomy_files: Vec<(String, &str)> = derived
        .taxonomies
        .iter()
        .filter(|t| !t.terms.is_empty())
        .flat_map(|t| {
            std::iter::once(format!("{}index.html", t.path()))
                .chain(
                    t.terms
                        .iter()
                        .map(|term| format!("{}index.html", t.term_path(term))),
                )
                .map(move |p| (p, t.name.as_str()))
        })
        .collect();
    let mut all: Vec<(String, Producer)> = Vec::new();
    let generated = "made by marrow";
    for f in ["404.html", super::HIGHLIGHT_CSS, "robots.txt"] {
        all.push((f.to_string(), Producer::Generated(generated)));
    }
    if templates.renderer.brand.stylesheet.is_some() {
        all.push((
            render::brand::BRAND_CSS.into(),
            Producer::Generated(generated),
        ));
    }
    if site.config.base_url.is_some() {
        all.push(("sitemap.xml".into(), Producer::Generated(generated)));
        all.push((sitewide::FEED.into(), Producer::Generated(generated)));
    }
    let search = "marrow's search index";
    if site.config.search.enabled {
        all.push((search::pages_file(), Producer::Generated(search)));
    }
    for s in &templates.theme.static_files {
        all.push((s.rel().to_string(), Producer::Static(s)));
    }
    for a in &site.assets {
        all.push((a.rel.clone(), Producer::Asset(a)));
    }
    for (id, p) in site.pages.iter().enumerate() {
        all.push((p.output_file(), Producer::Page(id)));
    }
    for (path, name) in &taxonomy_files {
        all.push((path.clone(), Producer::Taxonomy(name)));
    }
    for a in aliases {
        all.push((format!("{}index.html", a.path), Producer::Alias(a)));
    }

    let mut errors = Diagnostics::default();
    let mut report = |a: Producer, b: Producer, message: String| {
        let blame = if b.rank(site) > a.rank(site) { b } else { a };
        errors.push(blame.error(site, message));
    };
    let mut files: HashMap<&str, Producer> = HashMap::new();
    for (path, producer) in &all {
        match files.get(path.as_str()) {
            None => {
                files.insert(path, *producer);
            }
            // Pages clashing with pages are reported where the URLs are
            // made (two files, one URL; an alias that is a page's address).
            Some(first) if first.is_page() && producer.is_page() => {
                if let (Producer::Taxonomy(_), Producer::Alias(_)) = (first, producer) {
                    report(
                        *first,
                        *producer,
                        format!(
                            "{} is also the address of {}",
                            producer.describe(site),
                            first.describe(site)
                        ),
                    );
                }
            }
            Some(first) if first.is_page() || producer.is_page() => report(
                *first,
                *producer,
                format!(
                    "{} and {} both write `{path}` of the built site",
                    first.describe(site),
                    producer.describe(site)
                ),
            ),
            Some(_) => {
                files.insert(path, *producer); // the later copy wins
            }
        }
    }
    // A file where another needs a folder; marrow's own search folder.
    let search_terms = search::shards_folder();
    for (path, producer) in &files {
        if site.config.search.enabled && path.starts_with(&format!("{search_terms}/")) {
            report(
                Producer::Generated(search),
                *producer,
                format!(
                    "{} writes into `{search_terms}/`, which belongs to {search}",
                    producer.describe(site)
                ),
            );
            continue;
        }
        if site.config.search.enabled && *path == search_terms {
            report(
                *producer,
                Producer::Generated(search),
                format!(
                    "`{path}` is a file of the built site ({}), but {search} needs `{path}/` to be a folder",
                    producer.describe(site)
                ),
            );
            continue;
        }
        for (i, _) in path.match_indices('/') {
            let folder = &path[..i];
            if let Some(owner) = files.get(folder) {
                report(
                    *owner,
                    *producer,
                    format!(
                        "`{folder}` is a file of the built site ({}), but {} would be written inside `{folder}/`",
                        owner.describe(site),
                        producer.describe(site)
                    ),
                );
            }
        }
    }
    errors
}
