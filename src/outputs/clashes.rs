//! Which file of the output each producer writes, and the clashes between
//! them.

use std::collections::HashMap;
use std::path::Path;

use crate::content::{CONTENT_DIR, SourceFile};
use crate::derive::Derived;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{PageId, PageKind, Site};
use crate::render::{self, StaticFile, Templates};
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
    let taxonomy_files = taxonomy_files(derived);
    let all = planned(site, templates, aliases, &taxonomy_files);
    let mut clashes = Clashes {
        site,
        errors: Diagnostics::default(),
    };
    let files = clashes.same_file(&all);
    clashes.file_as_folder(&files);
    clashes.errors
}

/// What marrow's search index is called in messages.
const SEARCH: &str = "marrow's search index";

/// Every taxonomy page's file, with its taxonomy's name.
fn taxonomy_files(derived: &Derived) -> Vec<(String, &str)> {
    derived
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
        .collect()
}

/// Every file the build writes and who writes it, in writing order (a
/// later copied file replaces an earlier one).
fn planned<'a>(
    site: &'a Site,
    templates: &'a Templates,
    aliases: &'a [Alias],
    taxonomy_files: &'a [(String, &'a str)],
) -> Vec<(String, Producer<'a>)> {
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
    }
    for (lang, language) in site.languages().iter() {
        if site.root_of(lang).is_none() {
            continue;
        }
        let prefix = language.prefix(lang);
        if site.config.base_url.is_some() {
            all.push((
                sitewide::feed_path(site, lang),
                Producer::Generated(generated),
            ));
        }
        if site.config.search.enabled {
            all.push((
                format!("{prefix}{}", search::reserved().0),
                Producer::Generated(SEARCH),
            ));
            if templates
                .renderer
                .has_template(render::Renderer::SEARCH_PAGE)
            {
                all.push((
                    format!("{prefix}{}", super::SEARCH_PAGE),
                    Producer::Generated(SEARCH),
                ));
            }
        }
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
    for (path, name) in taxonomy_files {
        all.push((path.clone(), Producer::Taxonomy(name)));
    }
    for a in aliases {
        all.push((crate::model::redirect_file(&a.path), Producer::Alias(a)));
    }
    all
}

/// The clashes found so far.
struct Clashes<'a> {
    site: &'a Site,
    errors: Diagnostics,
}

impl<'a> Clashes<'a> {
    /// Reports a clash at the producer the writer can do most about.
    fn report(&mut self, a: Producer, b: Producer, message: String) {
        let blame = if b.rank(self.site) > a.rank(self.site) {
            b
        } else {
            a
        };
        self.errors.push(blame.error(self.site, message));
    }

    /// Files two producers write; returns each file's last writer.
    fn same_file<'p>(
        &mut self,
        all: &'p [(String, Producer<'a>)],
    ) -> HashMap<&'p str, Producer<'a>> {
        let site = self.site;
        let mut files: HashMap<&str, Producer> = HashMap::new();
        for (path, producer) in all {
            match files.get(path.as_str()) {
                None => {
                    files.insert(path, *producer);
                }
                // Pages clashing with pages are reported where the URLs are
                // made (two files, one URL; an alias that is a page's address).
                Some(first) if first.is_page() && producer.is_page() => {
                    if let (Producer::Taxonomy(_), Producer::Alias(_)) = (first, producer) {
                        let message = format!(
                            "{} is also the address of {}",
                            producer.describe(site),
                            first.describe(site)
                        );
                        self.report(*first, *producer, message);
                    }
                }
                Some(first) if first.is_page() || producer.is_page() => {
                    let message = format!(
                        "{} and {} both write `{path}` of the built site",
                        first.describe(site),
                        producer.describe(site)
                    );
                    self.report(*first, *producer, message);
                }
                Some(_) => {
                    files.insert(path, *producer); // the later copy wins
                }
            }
        }
        files
    }

    /// A file where another needs a folder; marrow's own search folder.
    fn file_as_folder(&mut self, files: &HashMap<&str, Producer<'a>>) {
        let site = self.site;
        let (_, search_folders) = search::reserved();
        let search_on = site.config.search.enabled;
        for (path, producer) in files {
            let inside = search_folders.iter().find(|f| {
                path.strip_prefix(f.as_str())
                    .is_some_and(|r| r.starts_with('/'))
            });
            if search_on && let Some(folder) = inside {
                let message = format!(
                    "{} writes into `{folder}/`, which belongs to {SEARCH}",
                    producer.describe(site)
                );
                self.report(Producer::Generated(SEARCH), *producer, message);
                continue;
            }
            if search_on && search_folders.iter().any(|f| f == path) {
                let message = format!(
                    "`{path}` is a file of the built site ({}), but {SEARCH} needs `{path}/` to be a folder",
                    producer.describe(site)
                );
                self.report(*producer, Producer::Generated(SEARCH), message);
                continue;
            }
            for (i, _) in path.match_indices('/') {
                let folder = &path[..i];
                if let Some(owner) = files.get(folder) {
                    let message = format!(
                        "`{folder}` is a file of the built site ({}), but {} would be written inside `{folder}/`",
                        owner.describe(site),
                        producer.describe(site)
                    );
                    self.report(*owner, *producer, message);
                }
            }
        }
    }
}
