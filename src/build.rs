//! The build pipeline, end to end: config → content → model → Markdown →
//! templates → staged output → swap.
//!
//! Stages run in parallel where the work is per page (parsing, Markdown,
//! templates, writing). Every stage collects all its errors before the build
//! gives up, so one run reports everything wrong with a site.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{SiteConfig, normalize_base_url};
use crate::content::{self, CONTENT_DIR, SourceFile};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::glossary::Glossary;
use crate::markdown::{self, Highlighter, Rendered};
use crate::model::{PageId, PageKind, SectionId, Site};
use crate::output::{Sink, Staging};
use crate::render::{self, Renderer, StaticFile, Theme};
use crate::sitewide;

/// What to build, from the command line.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site root: holds `content/` and maybe `site.yaml`, `themes/`,
    /// `templates/`, `static/`.
    pub root: PathBuf,
    /// Output folder; `ROOT/output` when not given.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: usize,
    pub sections: usize,
    /// Assets and static files copied.
    pub files: usize,
    pub output: PathBuf,
    pub elapsed: Duration,
    /// Things the writer should know that are not errors.
    pub notes: Vec<String>,
    /// Settings marrow had to adjust (e.g. an accent colour with too little
    /// contrast): the site is fine, but not as written.
    pub warnings: Vec<String>,
    /// The search index, when search is on.
    pub search: Option<SearchSummary>,
    /// Time taken by each stage, in order (`marrow build --timings`).
    pub phases: Vec<Phase>,
}

/// What went into the site search.
#[derive(Debug, Clone, Copy)]
pub struct SearchSummary {
    pub pages: usize,
    pub bytes: usize,
    pub left_out: crate::search::LeftOut,
}

impl std::fmt::Display for SearchSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "search index: {} pages, {:.0} KB",
            self.pages,
            self.bytes as f64 / 1024.0
        )?;
        let mut why = Vec::new();
        if self.left_out.drafts > 0 {
            let n = self.left_out.drafts;
            why.push(format!("{n} draft{}", if n == 1 { "" } else { "s" }));
        }
        if self.left_out.unreviewed > 0 {
            why.push(format!(
                "{} medical pages without a clinical review (search.include_unreviewed: false)",
                self.left_out.unreviewed
            ));
        }
        if !why.is_empty() {
            write!(f, "; left out: {}", why.join(", "))?;
        }
        Ok(())
    }
}

/// How long one stage of a build took. Wall time is what the writer waits
/// for; CPU time (all threads, user and kernel) next to it shows whether a
/// slow stage is working the cores or waiting on the disk.
#[derive(Debug, Clone)]
pub struct Phase {
    pub name: &'static str,
    pub wall: Duration,
    pub cpu: Duration,
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:>9.1} ms  {:>9.1} ms CPU  {}",
            self.wall.as_secs_f64() * 1000.0,
            self.cpu.as_secs_f64() * 1000.0,
            self.name
        )
    }
}

/// CPU time used so far by the whole process, all threads.
fn process_cpu_time() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    Duration::new(
        u64::try_from(t.tv_sec).unwrap_or(0),
        u32::try_from(t.tv_nsec).unwrap_or(0),
    )
}

impl std::fmt::Display for BuildReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Built {} pages in {} sections ({} files copied{}) into {} in {:.2} s",
            self.pages,
            self.sections,
            self.files,
            self.search.map(|s| format!("; {s}")).unwrap_or_default(),
            self.output.display(),
            self.elapsed.as_secs_f64()
        )
    }
}

/// Why a build failed. The CLI maps these to exit codes.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Bad `site.yaml`, options or folder layout (exit code 2).
    #[error("{0}")]
    Config(Diagnostics),
    /// Problems in pages, templates or links (exit code 1).
    #[error("{0}")]
    Content(Diagnostics),
    /// The output could not be written (exit code 1).
    #[error("cannot write the site to {}: {source}", path.display())]
    Output {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The stylesheet for highlighted code, written at the output root.
pub const HIGHLIGHT_CSS: &str = "highlight.css";

/// Reads the site's configuration, applying command-line overrides.
pub fn load_config(opts: &BuildOptions) -> Result<SiteConfig, BuildError> {
    let mut config = SiteConfig::load(&opts.root).map_err(|d| BuildError::Config(d.into()))?;
    if let Some(url) = &opts.base_url {
        config.base_url = Some(
            normalize_base_url(url)
                .map_err(|m| BuildError::Config(Diagnostic::file("--base-url", m).into()))?,
        );
    }
    Ok(config)
}

/// Reads, parses and arranges the site without writing anything. Pages that
/// fail to parse are left out and their errors returned beside the site, so
/// later stages can still report everything else that is wrong.
pub fn load_site(opts: &BuildOptions) -> Result<(Site, Diagnostics), BuildError> {
    let config = load_config(opts)?;
    let content_dir = opts.root.join(CONTENT_DIR);
    if !content_dir.is_dir() {
        return Err(BuildError::Config(
            Diagnostic::file(
                CONTENT_DIR,
                format!("no `content/` folder in {}", opts.root.display()),
            )
            .with_help("run marrow in the site's folder, or pass --root DIR")
            .into(),
        ));
    }
    let discovered = content::discover(&content_dir).map_err(BuildError::Content)?;
    let (loaded, mut parse_errors) = content::load(&discovered.pages);
    let glossary = match load_glossary(&opts.root, &config) {
        Ok(g) => g,
        Err(d) => {
            parse_errors.push(d);
            None
        }
    };
    let site = Site::new(
        config,
        &opts.root,
        &discovered,
        loaded,
        opts.drafts,
        glossary,
    )
    .map_err(|mut e| {
        e.extend(parse_errors.iter().cloned());
        BuildError::Content(e)
    })?;
    Ok((site, parse_errors))
}

/// Reads the glossary file named in `site.yaml` (default
/// `content/glossary.yaml`), if there is one.
fn load_glossary(
    root: &Path,
    config: &SiteConfig,
) -> Result<Option<(SourceFile, Glossary)>, Diagnostic> {
    let shown = Path::new(&config.glossary);
    let path = root.join(shown);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(
                Diagnostic::file(shown, format!("cannot read: {e}")).with_help(
                    if e.kind() == std::io::ErrorKind::InvalidData {
                        "save the file as UTF-8 text"
                    } else {
                        "check the file's permissions"
                    },
                ),
            );
        }
    };
    let glossary = Glossary::parse(shown, &text)?;
    // As a page, the glossary is named by its path under content/.
    let rel = config
        .glossary
        .strip_prefix("content/")
        .unwrap_or(&config.glossary)
        .to_string();
    Ok(Some((SourceFile { rel, path }, glossary)))
}

/// The theme and compiled templates of a site.
pub struct Templates {
    pub theme: Theme,
    pub renderer: Renderer,
}

/// Loads the site's theme and compiles its templates.
pub fn load_templates(site: &Site) -> Result<Templates, BuildError> {
    let theme = render::theme::load(&site.root, &site.config.theme)
        .map_err(|d| BuildError::Config(d.into()))?;
    let renderer = Renderer::new(&theme, &site.config).map_err(BuildError::Content)?;
    render::brand::check_logo(&site.config.branding, |f| {
        site.assets.iter().any(|a| a.rel == f) || theme.static_files.iter().any(|s| s.rel() == f)
    })
    .map_err(|d| BuildError::Config(d.into()))?;
    Ok(Templates { theme, renderer })
}

/// Renders the Markdown of every page, in parallel.
pub fn render_markdown(site: &Site, highlighter: &Highlighter) -> Vec<Rendered> {
    (0..site.pages.len())
        .into_par_iter()
        .map(|id| markdown::render(site, id, highlighter))
        .collect()
}

/// The link errors of rendered pages: each page's own, then links to
/// headings of other pages that do not exist.
pub fn link_errors(rendered: &[Rendered]) -> Diagnostics {
    let mut errors = Diagnostics::default();
    for r in rendered {
        errors.extend(r.diagnostics.iter().cloned());
    }
    errors.extend(markdown::missing_anchors(
        rendered.iter().flat_map(|r| &r.anchor_refs),
        |id| rendered.get(id).map(|r| &r.ids),
    ));
    errors
}

/// Navigation fragments, one per (section, part of its list, link depth)
/// in use.
pub type Navs = HashMap<NavKey, String>;

/// Which shared navigation fragment a page uses.
pub type NavKey = (SectionId, usize, usize);

pub fn nav_key(site: &Site, page: PageId) -> NavKey {
    let p = &site.pages[page];
    (p.section, render::nav_part(site, page), p.depth())
}

/// Renders the navigation fragments the site's pages need.
pub fn render_navs(site: &Site, renderer: &Renderer) -> Result<Navs, Diagnostics> {
    let keys: HashSet<NavKey> = (0..site.pages.len()).map(|id| nav_key(site, id)).collect();
    let results: Vec<Result<(NavKey, String), Diagnostic>> = keys
        .into_par_iter()
        .map(|key| {
            renderer
                .render_nav(site, key.0, key.1, &"../".repeat(key.2))
                .map(|html| (key, html))
        })
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

/// Renders page `id` through its template and hands it to `sink`.
pub fn write_page(
    site: &Site,
    renderer: &Renderer,
    navs: &Navs,
    id: PageId,
    rendered: &Rendered,
    sink: &dyn Sink,
) -> Result<(), Diagnostic> {
    let nav = navs.get(&nav_key(site, id)).map_or("", String::as_str);
    let html = renderer.render_page(site, id, rendered, nav)?;
    let file = site.pages[id].output_file();
    sink.write(&file, html.as_bytes())
        .map_err(|e| Diagnostic::file(&file, format!("cannot write: {e}")))
}

/// Renders every page to `sink` in parallel; returns the errors.
/// (`build` has its own loop that frees each page's Markdown HTML as soon
/// as it is written.)
pub fn write_pages(
    site: &Site,
    renderer: &Renderer,
    navs: &Navs,
    rendered: &[Rendered],
    sink: &dyn Sink,
) -> Diagnostics {
    Diagnostics(
        rendered
            .par_iter()
            .enumerate()
            .filter_map(|(id, r)| write_page(site, renderer, navs, id, r, sink).err())
            .collect(),
    )
}

/// Writes what is not a page: `404.html`, the highlighting stylesheet,
/// content assets (next to their page), then theme and site static files
/// (site last, so it overrides the theme). Returns the number of files
/// copied.
pub fn write_site_files(
    site: &Site,
    templates: &Templates,
    sink: &dyn Sink,
) -> Result<usize, BuildError> {
    let page_404 = templates
        .renderer
        .render_404(site)
        .map_err(|d| BuildError::Content(d.into()))?;
    let io = |source| BuildError::Output {
        path: PathBuf::from("output"),
        source,
    };
    sink.write("404.html", page_404.as_bytes()).map_err(io)?;
    sink.write(HIGHLIGHT_CSS, markdown::highlight::stylesheet().as_bytes())
        .map_err(io)?;
    if let Some(css) = &templates.renderer.brand.stylesheet {
        sink.write(render::brand::BRAND_CSS, css.as_bytes())
            .map_err(io)?;
    }
    let today = crate::review::today();
    sink.write("robots.txt", sitewide::robots(site).as_bytes())
        .map_err(io)?;
    if let Some(xml) = sitewide::sitemap(site, today) {
        sink.write("sitemap.xml", xml.as_bytes()).map_err(io)?;
    }
    if let Some(xml) = sitewide::feed(site) {
        sink.write(sitewide::FEED, xml.as_bytes()).map_err(io)?;
    }
    for (path, html) in sitewide::aliases(site).map_err(BuildError::Content)? {
        sink.write(&path, html.as_bytes()).map_err(io)?;
    }
    // One listing per taxonomy and one per term; term pages list every page
    // carrying the term, so on big sites they are worth spreading over cores.
    let listings: Vec<_> = site
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
            .map_err(|d| BuildError::Content(d.into()))?;
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

/// Who writes a file of the output, for [`output_clashes`].
#[derive(Clone, Copy)]
enum Producer<'a> {
    Page(PageId),
    Alias(&'a sitewide::Alias<'a>),
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
                    Some(_) => {
                        let line = content::front_matter::find_key_line(&p.doc.text, 2, "slug");
                        Diagnostic::at(p.source.display(), &p.doc.text, line, 1, message)
                    }
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
pub fn output_clashes(site: &Site, templates: &Templates) -> Diagnostics {
    let aliases = sitewide::alias_targets(site).unwrap_or_default();
    let taxonomy_files: Vec<(String, &str)> = site
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
    for f in ["404.html", HIGHLIGHT_CSS, "robots.txt"] {
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
        let dir = crate::search::SEARCH_DIR;
        all.push((format!("{dir}/pages.json"), Producer::Generated(search)));
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
    for a in &aliases {
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
    let search_terms = format!("{}/terms", crate::search::SEARCH_DIR);
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

/// Builds the site and swaps it into the output folder.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let output = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join("output"));
    check_output_path(&opts.root, &output)?;
    let mut phases = Vec::new();
    let (mut lap, mut lap_cpu) = (Instant::now(), process_cpu_time());
    let mut mark = |name: &'static str| {
        let cpu = process_cpu_time();
        phases.push(Phase {
            name,
            wall: lap.elapsed(),
            cpu: cpu.saturating_sub(lap_cpu),
        });
        (lap, lap_cpu) = (Instant::now(), cpu);
    };
    let (site, parse_errors) = load_site(opts)?;
    mark("read and model the site");
    let templates = load_templates(&site)?;
    let highlighter = Highlighter::default();
    mark("load templates");

    let rendered = render_markdown(&site, &highlighter);
    let mut errors = parse_errors;
    errors.extend(link_errors(&rendered).0);
    errors.extend(output_clashes(&site, &templates).0);
    errors.into_result().map_err(BuildError::Content)?;
    mark("render Markdown, check links");

    let navs = render_navs(&site, &templates.renderer).map_err(BuildError::Content)?;
    mark("render navigation fragments");
    let staging = Staging::new(&output).map_err(|source| BuildError::Output {
        path: output.clone(),
        source,
    })?;
    // Render and write in one pass, dropping each page's Markdown HTML as
    // soon as the page is on disk: only one page per thread is in memory.
    let page_errors: Diagnostics = Diagnostics(
        rendered
            .into_par_iter()
            .enumerate()
            .filter_map(|(id, r)| {
                write_page(&site, &templates.renderer, &navs, id, &r, &staging).err()
            })
            .collect(),
    );
    page_errors.into_result().map_err(BuildError::Content)?;
    mark("render and write pages");
    let files = write_site_files(&site, &templates, &staging)?;
    mark("write site-wide files and assets");
    let mut search = None;
    if site.config.search.enabled {
        let today = crate::review::today();
        let index = crate::search::index(&site, today);
        index
            .files
            .par_iter()
            .try_for_each(|(path, bytes)| staging.write(path, bytes))
            .map_err(|source| BuildError::Output {
                path: output.join(crate::search::SEARCH_DIR),
                source,
            })?;
        search = Some(SearchSummary {
            pages: index.pages,
            bytes: index.bytes,
            left_out: crate::search::left_out(&site, today),
        });
        mark("search index");
    }
    staging.commit().map_err(|source| BuildError::Output {
        path: output.clone(),
        source,
    })?;
    mark("swap in the new output");

    let mut notes = Vec::new();
    if site.config.base_url.is_none() {
        notes.push(
            "canonical links, og:url, sitemap.xml and the feed were left out: they need the site's public address. Add `base_url: https://…/` to site.yaml (or pass --base-url) when you know where the site will live.".into(),
        );
    }
    Ok(BuildReport {
        pages: site.pages.len(),
        sections: site.sections.len(),
        files,
        output,
        elapsed: started.elapsed(),
        notes,
        warnings: templates.renderer.brand.warnings.clone(),
        search,
        phases,
    })
}

/// Refuses output folders whose replacement would destroy the site itself.
fn check_output_path(root: &Path, output: &Path) -> Result<(), BuildError> {
    let abs = |p: &Path| {
        std::path::absolute(p)
            .map(|a| normalize_lexically(&a))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let (root_abs, out_abs) = (abs(root), abs(output));
    let protected = [
        root_abs.clone(),
        root_abs.join(CONTENT_DIR),
        root_abs.join("themes"),
        root_abs.join("templates"),
        root_abs.join("static"),
    ];
    let bad =
        root_abs.starts_with(&out_abs) || protected.iter().skip(1).any(|p| out_abs.starts_with(p));
    if bad || out_abs.parent().is_none() {
        return Err(BuildError::Config(
            Diagnostic::file(
                output,
                "the output folder would replace the site's own files",
            )
            .with_help("choose an output folder outside content/, themes/, templates/ and static/, e.g. `output`")
            .into(),
        ));
    }
    Ok(())
}

fn normalize_lexically(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_may_not_swallow_the_site() {
        let root = Path::new("/srv/site");
        assert!(check_output_path(root, Path::new("/srv/site/output")).is_ok());
        assert!(check_output_path(root, Path::new("/srv/out")).is_ok());
        for bad in [
            "/srv/site",
            "/srv",
            "/srv/site/content",
            "/srv/site/content/x",
            "/srv/site/static",
            "/",
        ] {
            assert!(check_output_path(root, Path::new(bad)).is_err(), "{bad}");
        }
        assert!(check_output_path(root, Path::new("/srv/site/output/../content")).is_err());
    }
}
