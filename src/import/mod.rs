//! `marrow import`: another generator's site in, a marrow site out.
//!
//! Each source generator is one module that knows its own layout and
//! template language ([`hugo`], [`jekyll`]); everything they share lives
//! beside them: reading and mapping front matter (`front`), the scanning
//! of bodies outside code (`rewrite`), links between imported pages
//! (`index`), the IMPORT.md report (`report`) and writing the new site
//! (`write`). A third source (MkDocs, say) is one new module implementing
//! [`Dialect`], plus a line in [`Source`].
//!
//! The import never writes into the source, refuses a destination that
//! is not empty, and drops nothing silently: what it cannot carry over
//! faithfully is listed in `DST/IMPORT.md`, and the site it writes sets
//! `links: warn` so problems inherited from the source are warnings there.

mod front;
mod hugo;
mod index;
mod jekyll;
mod links;
mod report;
mod rewrite;
mod write;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

pub(crate) use index::Index;
use report::Finding;

/// The generator a site comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Hugo: `config.toml`/`hugo.toml` (or YAML, JSON, `config/_default/`), `content/`, `static/`.
    Hugo,
    /// Jekyll: `_config.yml`, pages, `_posts`, collections, `_includes`.
    Jekyll,
}

/// What to import, and where to.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The generator the site comes from.
    pub source: Source,
    /// The source site's root folder; only ever read.
    pub from: PathBuf,
    /// The new marrow site's folder: new, or empty.
    pub into: PathBuf,
    /// Called now and then with (pages converted, pages in all), from any
    /// thread, so a long import can show progress. `None`: silent.
    pub progress: Option<fn(usize, usize)>,
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct ImportReport {
    /// Pages written under `content/`.
    pub pages: usize,
    /// Other files copied (static files, page resources, snippets).
    pub files: usize,
    /// Items IMPORT.md lists, by kind, in the report's order.
    pub by_kind: Vec<(String, usize)>,
    /// The report file (`DST/IMPORT.md`).
    pub report: PathBuf,
}

/// Why an import could not run. Problems inside the source's files are
/// not errors: they are listed in IMPORT.md and the import goes on.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The request cannot be honoured (a non-empty destination, one inside
    /// the source, a source that is not such a site).
    #[error("{0}")]
    Refused(String),
    /// The source's settings file cannot be read as its format.
    #[error("{}: {message}", path.display())]
    Config {
        /// The settings file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

pub(crate) fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> ImportError + '_ {
    move |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The site-wide facts an import carries over.
#[derive(Debug, Clone, Default)]
pub(crate) struct SiteInfo {
    pub title: Option<String>,
    pub description: Option<String>,
    pub language: Option<String>,
    pub base_url: Option<String>,
    /// Taxonomies besides `tags` whose terms pages may carry (`categories`).
    pub taxonomies: Vec<String>,
    /// Whether a string of terms (`tags: a b`) is split at spaces (Jekyll).
    pub space_separated_terms: bool,
    /// The source's whole settings, for `{{ site.x }}` and `param` lookups.
    pub settings: serde_json::Value,
}

/// One page of the source, read but not yet converted.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourcePage {
    /// The file, relative to the source root (`content/posts/a.md`), as
    /// IMPORT.md names it.
    pub src_rel: String,
    /// Where it goes, relative to the new `content/` (`posts/a.md`).
    pub dst_rel: String,
    /// Its front matter, as read.
    pub front: serde_json::Map<String, serde_json::Value>,
    /// Lines of its top-level front matter keys (lower-cased), for the report.
    pub key_lines: std::collections::BTreeMap<String, usize>,
    pub body: String,
    /// The source file's line where `body` starts (1-based).
    pub body_line: usize,
    /// The address the page had on the old site (`/2020/01/02/hello/`),
    /// kept as a slug or an alias when it differs from the new one.
    pub old_url: Option<String>,
    /// A date the source takes from elsewhere than front matter (Jekyll
    /// posts' file names).
    pub date: Option<chrono::NaiveDate>,
    /// A redirect stub: the address it sends readers to. Such a page is
    /// not written; its address becomes an alias of the target.
    pub redirect_to: Option<String>,
    /// Addresses of redirect stubs that pointed here, added to `aliases`.
    pub extra_aliases: Vec<String>,
    /// Front matter keys the page got from the site's settings (Jekyll's
    /// `defaults`), and the settings file and line they come from, where
    /// the report names them.
    pub defaulted: Vec<String>,
    pub defaults_at: Option<(String, usize)>,
}

/// A file copied as it is, from the source into the new site.
#[derive(Debug, Clone)]
pub(crate) struct CopyFile {
    pub from: PathBuf,
    /// Relative to the new site's root (`static/img/a.png`, `content/x/b.jpg`).
    pub to: String,
}

/// What a dialect read from a source site.
#[derive(Debug, Default)]
pub(crate) struct SourceSite {
    pub info: SiteInfo,
    pub pages: Vec<SourcePage>,
    pub files: Vec<CopyFile>,
    pub findings: Vec<Finding>,
}

/// A page after conversion.
#[derive(Debug)]
pub(crate) struct Converted {
    pub src_rel: String,
    pub dst_rel: String,
    /// The page's address on the old site, see [`SourcePage::old_url`].
    pub old_url: Option<String>,
    pub front: front::OutFront,
    pub body: String,
    /// Snippets the body includes: (source include name, snippet file name).
    pub snippets: Vec<(String, String)>,
    pub findings: Vec<Finding>,
}

/// A snippet for `content/_snippets/`, converted from an include file.
#[derive(Debug)]
pub(crate) struct Snippet {
    pub name: String,
    pub text: String,
}

/// One source generator: how to read its sites and rewrite its template
/// syntax into marrow's.
pub(crate) trait Dialect: Sync {
    /// Reads the site at `root`: settings, pages, files to copy.
    fn read(&self, root: &Path) -> Result<SourceSite, ImportError>;
    /// Rewrites one page's body, noting what it could not carry over.
    fn rewrite(&self, page: &SourcePage, cx: &rewrite::Context<'_>) -> rewrite::Rewritten;
    /// The snippets (`content/_snippets/NAME`) for include names that
    /// pages asked for, converted; none for sources without includes.
    fn snippets(
        &self,
        _root: &Path,
        _wanted: &[(String, String)],
        _cx: &rewrite::Context<'_>,
    ) -> (Vec<Snippet>, Vec<Finding>) {
        (Vec::new(), Vec::new())
    }
}

fn dialect(source: Source) -> &'static dyn Dialect {
    match source {
        Source::Hugo => &hugo::Hugo,
        Source::Jekyll => &jekyll::Jekyll,
    }
}

/// Imports the site at `opts.from` into `opts.into`.
pub fn import(opts: &ImportOptions) -> Result<ImportReport, ImportError> {
    let from = write::check_paths(&opts.from, &opts.into)?;
    let dialect = dialect(opts.source);
    let mut site = dialect.read(&from)?;
    let mut findings = std::mem::take(&mut site.findings);
    index::fold_redirects(&mut site.pages, &mut findings);
    unique_paths(&mut site.pages, &mut findings);
    let index = Index::new(&site.pages, &site.files);
    let cx = rewrite::Context {
        info: &site.info,
        index: &index,
        root: &from,
    };
    let total = site.pages.len();
    let done = AtomicUsize::new(0);
    let mut converted: Vec<Converted> = site
        .pages
        .par_iter()
        .map(|page| {
            let c = convert(dialect, page, &cx);
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(progress) = opts.progress
                && (n.is_multiple_of(500) || n == total)
            {
                progress(n, total);
            }
            c
        })
        .collect();
    let urls = index::settle_aliases(&mut converted, &mut findings);
    index::fill_html_links(&mut converted, &urls);
    let mut wanted: Vec<(String, String)> = converted
        .iter()
        .flat_map(|c| c.snippets.iter().cloned())
        .collect();
    wanted.sort();
    wanted.dedup();
    let (snippets, snippet_findings) = dialect.snippets(&from, &wanted, &cx);
    findings.extend(snippet_findings);
    for c in &mut converted {
        findings.append(&mut c.findings);
    }
    let taxonomies = used_taxonomies(&site.info, &converted);
    let written = write::write_site(
        &opts.into,
        &site.info,
        &taxonomies,
        &converted,
        &snippets,
        &site.files,
    )?;
    let report = report::Report::new(findings);
    let report_path = opts.into.join("IMPORT.md");
    std::fs::write(&report_path, report.to_markdown(opts.source, &from))
        .map_err(io_error(&report_path))?;
    Ok(ImportReport {
        pages: converted.len(),
        files: written,
        by_kind: report.counts(),
        report: report_path,
    })
}

fn convert(dialect: &dyn Dialect, page: &SourcePage, cx: &rewrite::Context<'_>) -> Converted {
    let mut findings = Vec::new();
    let front = front::map(page, cx.info, &mut findings);
    let relinked = links::relink(page, cx.index).map(|body| SourcePage {
        body,
        ..page.clone()
    });
    let mut rewritten = dialect.rewrite(relinked.as_ref().unwrap_or(page), cx);
    findings.extend(rewritten.findings);
    if front.title_from_heading {
        rewritten.text = without_first_heading(&rewritten.text);
    }
    Converted {
        src_rel: page.src_rel.clone(),
        dst_rel: page.dst_rel.clone(),
        old_url: page.old_url.clone(),
        front,
        body: rewritten.text,
        snippets: rewritten.snippets,
        findings,
    }
}

/// Two source files that would land on the same new file (`x.md` and
/// `x/index.md` in Hugo, `a.md` and `a.html` in Jekyll): the second gets
/// a number, and the report says so.
fn unique_paths(pages: &mut [SourcePage], findings: &mut Vec<Finding>) {
    // `blog.md` beside a folder `blog/` of pages: marrow gives both the
    // address /blog/, so the page becomes the folder's own page.
    let all: std::collections::HashSet<String> = pages.iter().map(|p| p.dst_rel.clone()).collect();
    let folders: std::collections::HashSet<&str> = all
        .iter()
        .filter_map(|d| d.rsplit_once('/').map(|(dir, _)| dir))
        .flat_map(|dir| dir.match_indices('/').map(|(i, _)| &dir[..i]).chain([dir]))
        .collect();
    let mut claimed = std::collections::HashSet::new();
    for p in pages.iter_mut() {
        let Some(stem) = p.dst_rel.strip_suffix(".md") else {
            continue;
        };
        let index = format!("{stem}/_index.md");
        if !p.dst_rel.ends_with("_index.md") && folders.contains(stem) && !all.contains(&index) {
            p.dst_rel = index;
            continue;
        }
        // A page whose old address is a folder's (`permalink: /writing-style/`
        // over the `writing-style` collection) is that folder's own page.
        let old = p.old_url.as_deref().map(index::url_key).unwrap_or_default();
        let folder = old.trim_matches('/');
        let index = format!("{folder}/_index.md");
        if !folder.is_empty()
            && !p.dst_rel.ends_with("_index.md")
            && folders.contains(folder)
            && !all.contains(&index)
            && claimed.insert(index.clone())
        {
            findings.push(Finding::new(
                report::Kind::Address,
                &p.src_rel,
                0,
                format!("old address `{old}`, the address of the folder `content/{folder}/`"),
                format!("written as `content/{index}`, the folder's page"),
            ));
            p.dst_rel = index;
        }
    }
    let mut seen = std::collections::HashSet::new();
    for p in pages.iter_mut() {
        if seen.insert(p.dst_rel.clone()) {
            continue;
        }
        let stem = p.dst_rel.trim_end_matches(".md").to_string();
        let mut n = 2;
        while !seen.insert(format!("{stem}-{n}.md")) {
            n += 1;
        }
        let new = format!("{stem}-{n}.md");
        findings.push(Finding::new(
            report::Kind::Address,
            &p.src_rel,
            0,
            format!("a second page for `content/{}`", p.dst_rel),
            format!("written as `content/{new}`"),
        ));
        p.dst_rel = new;
    }
}

/// `text` without its first `# heading` line.
fn without_first_heading(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dropped = false;
    for line in text.split_inclusive('\n') {
        if !dropped && line.starts_with("# ") {
            dropped = true;
            continue;
        }
        out.push_str(line);
    }
    out
}

/// The declared taxonomies plus any a page uses, so every page's terms
/// are declared in `site.yaml`.
fn used_taxonomies(info: &SiteInfo, pages: &[Converted]) -> Vec<String> {
    let mut all: Vec<String> = info.taxonomies.clone();
    for p in pages {
        all.extend(p.front.taxonomies.keys().cloned());
    }
    all.sort();
    all.dedup();
    all
}

#[cfg(test)]
mod tests;
