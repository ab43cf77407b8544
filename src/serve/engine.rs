//! The rebuild engine behind `marrow serve`: keeps the last good build in
//! memory and turns a batch of changed files into the smallest rebuild that
//! is correct.
//!
//! - Editing an existing page without changing what other pages show of it
//!   (title, description, weight, slug, draft, tags, aliases) re-renders
//!   that one page and re-checks the site's links against it.
//! - Editing a snippet (`content/_snippets/`) or `data/facts.yaml`
//!   re-renders exactly the pages whose shortcodes read what changed
//!   (each page's render records what it read).
//! - Anything else — pages created, deleted or renamed, assets, templates,
//!   themes, `site.yaml` — rebuilds the site in memory.
//! - Stylesheet-only changes are copied in without a rebuild, and the
//!   browser swaps the stylesheet instead of reloading.
//!
//! A change that fails leaves the last good build being served and reports
//! its errors; the next change retries. A new day rebuilds everything, as
//! review states depend on the date.
//!
//! Pages are rendered when a browser asks for them ([`super::pages`]): a
//! rebuild stops before the pages, and an edit re-renders only the pages it
//! edited. The other served files are a persistent map: an edit shares
//! every file it did not change with the previous snapshot, so it costs
//! what it changed, not the size of the site.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::content::{self, CONTENT_DIR, FrontMatter};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, Rendered};
use crate::model::{PageId, Site};
use crate::output::{Files, MemorySink};
use crate::pipeline::{self, BuildError, BuildOptions, Outcome, Phase, Pipeline, Reuse, Run};
use crate::shortcodes;

use super::pages::{Built, SharedBuild, Stop};

/// What the browser should do after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refresh {
    /// Nothing visible changed.
    None,
    /// Reload pages at these URL paths (`/process/conditioning/`).
    Pages(Vec<String>),
    /// Reload every page.
    All,
    /// Only stylesheets changed: swap them in place.
    Styles,
}

/// The result of applying a change.
#[derive(Debug, Clone)]
pub struct Update {
    /// What the browser should do.
    pub refresh: Refresh,
    /// Errors now outstanding (empty when the site is clean).
    pub errors: Diagnostics,
    /// What was done, for the terminal.
    pub summary: String,
    /// How long the change took.
    pub elapsed: Duration,
    /// How long each stage took, when the change rebuilt the site.
    pub phases: Vec<Phase>,
}

/// What the search index still has to catch up with.
#[derive(Debug, Default)]
enum IndexTodo {
    #[default]
    Nothing,
    /// Pages re-rendered since the last index.
    Pages(std::collections::BTreeSet<PageId>),
    /// The whole site (after a full rebuild).
    All,
}

/// Rebuilds the site as files change.
pub(crate) struct Engine {
    opts: BuildOptions,
    /// Today's date, asked again before every change.
    clock: fn() -> NaiveDate,
    pipeline: Pipeline,
    /// The last good build's pages and what makes them.
    build: SharedBuild,
    /// The last good build's other files (`None` before one succeeds).
    files: Option<Arc<Files>>,
    /// The search index, kept so edits update only what they change.
    search: Option<crate::search::SiteSearch>,
    /// Set while the latest full rebuild failed: every change retries one.
    full_errors: Option<Diagnostics>,
    /// Errors of pages edited since the last full build, by page.
    page_errors: BTreeMap<PageId, Diagnostics>,
    /// Link errors across the site after incremental edits.
    link_errors: Diagnostics,
    /// Template errors of pages nobody asked for, found behind a rebuild,
    /// by page.
    template_errors: BTreeMap<PageId, Diagnostic>,
    /// Template errors of the listings (taxonomy pages), found behind a
    /// rebuild too.
    listing_errors: Diagnostics,
    /// The pages of the last rebuild still have their templates to check.
    unchecked: bool,
    /// How far the search index lags behind the served pages.
    index_todo: IndexTodo,
}

impl Engine {
    /// An engine for the site of `opts`, asking `clock` for the date.
    pub(crate) fn new(mut opts: BuildOptions, clock: fn() -> NaiveDate) -> Engine {
        opts.today = clock();
        Engine {
            opts,
            clock,
            pipeline: Pipeline::keeping_parses(),
            build: SharedBuild::default(),
            files: None,
            search: None,
            full_errors: None,
            page_errors: BTreeMap::new(),
            link_errors: Diagnostics::default(),
            template_errors: BTreeMap::new(),
            listing_errors: Diagnostics::default(),
            unchecked: false,
            index_todo: IndexTodo::Nothing,
        }
    }

    /// The files currently served besides pages (the last good build), if
    /// any.
    pub(crate) fn files(&self) -> Option<Arc<Files>> {
        self.files.clone()
    }

    /// The pages currently served.
    pub(crate) fn build(&self) -> SharedBuild {
        self.build.clone()
    }

    /// The served file at `path`, a page or not (rendering the page if
    /// nothing asked for it yet).
    #[cfg(test)]
    pub(crate) fn file(&self, path: &str) -> Option<Arc<[u8]>> {
        if let Some(bytes) = self.files.as_ref()?.get(path) {
            return Some(Arc::clone(bytes));
        }
        self.build.page_file(path)?.ok()
    }

    /// Every error outstanding.
    pub(crate) fn errors(&self) -> Diagnostics {
        if let Some(e) = &self.full_errors {
            return e.clone();
        }
        let mut all = self.link_errors.clone();
        all.extend(self.template_errors.values().cloned());
        all.extend(self.listing_errors.iter().cloned());
        for e in self.page_errors.values() {
            all.extend(e.iter().cloned());
        }
        all.sort();
        all
    }

    /// How a rebuild after an edit runs: like the first build while that
    /// build's Markdown is still being rendered behind it (its links are
    /// not checked yet either, so there is no checked build to keep), and
    /// checking every link before it is served after that.
    fn serve_run(&self) -> Run {
        let pending = self
            .build
            .read()
            .as_ref()
            .is_some_and(Built::markdown_pending);
        if pending {
            Run::SERVE_FIRST
        } else {
            Run::SERVE
        }
    }

    /// Builds everything from scratch into memory.
    pub(crate) fn rebuild(&mut self) -> Update {
        self.rebuild_with(false, Run::SERVE)
    }

    /// The first build of a session: served before every page's Markdown
    /// is rendered ([`Run::SERVE_FIRST`]); [`Self::render_markdown`]
    /// catches up behind it.
    pub(crate) fn start(&mut self) -> Update {
        self.rebuild_with(false, Run::SERVE_FIRST)
    }

    /// Builds everything into memory; after edits of pages alone
    /// (`pages_only`), the Markdown HTML of every page whose text is
    /// unchanged is taken from the last build when nothing a link reads
    /// has moved ([`crate::model::Site::link_shape`]).
    fn rebuild_with(&mut self, pages_only: bool, how: Run) -> Update {
        let started = Instant::now();
        match self.build_all(pages_only, how) {
            Ok((built, files, phases, kept)) => {
                let pages = built.site.pages.len();
                let kept = match kept {
                    0 => String::new(),
                    n => format!(" (the Markdown of {n} kept)"),
                };
                let old = self.build.write().replace(built);
                // Freeing a big site takes a while: not on the way to the
                // browser's reload.
                std::thread::spawn(move || drop(old));
                self.files = Some(Arc::new(files));
                self.search = None;
                self.full_errors = None;
                self.page_errors.clear();
                self.link_errors = Diagnostics::default();
                self.template_errors.clear();
                self.listing_errors = Diagnostics::default();
                self.unchecked = true;
                self.index_todo = IndexTodo::All;
                Update {
                    phases,
                    ..self.update(
                        Refresh::All,
                        format!("rebuilt {pages} pages{kept}"),
                        started,
                    )
                }
            }
            Err(e) => {
                self.full_errors = Some(match e {
                    BuildError::Config(d) | BuildError::Content(d) => d,
                    BuildError::Output { source, .. } => {
                        Diagnostic::file(".", format!("cannot build: {source}")).into()
                    }
                });
                self.update(Refresh::None, "rebuild failed".into(), started)
            }
        }
    }

    /// The build, its other files, its stages' timings, and how many pages'
    /// Markdown it took from the last build.
    fn build_all(
        &self,
        pages_only: bool,
        how: Run,
    ) -> Result<(Built, Files, Vec<Phase>, usize), BuildError> {
        let sink = MemorySink::default();
        let old = self.build.read();
        let old_shape = (old.as_ref()).filter(|_| pages_only).map(Built::link_shape);
        let shape = std::sync::OnceLock::new();
        let kept = std::sync::atomic::AtomicUsize::new(0);
        let reuse = |site: &Site, id: PageId| -> Option<Rendered> {
            let (b, old_shape) = (old.as_ref()?, old_shape?);
            if *shape.get_or_init(|| site.link_shape()) != old_shape {
                return None;
            }
            let (new, was) = (&site.pages[id], b.site.pages.get(id)?);
            let same = !new.kind.is_generated()
                && new.source.rel == was.source.rel
                && (Arc::ptr_eq(&new.doc.text, &was.doc.text) || new.doc.text == was.doc.text);
            let earlier = b.rendered.get(id).filter(|_| same)?;
            kept.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Some(earlier.clone())
        };
        let reuse = old_shape.is_some().then_some(&reuse as &Reuse<'_>);
        let built = self.pipeline.run_reusing(&self.opts, &sink, how, reuse)?;
        drop(old);
        let Outcome {
            site,
            derived,
            templates,
            rendered,
            errors,
            timer,
            ..
        } = built;
        // A run that stops on errors has templates when it succeeds.
        let Some(templates) = templates else {
            return Err(BuildError::Content(errors));
        };
        let highlighter = self.pipeline.shared_highlighter();
        let built = Built::new(site, derived, templates, rendered, highlighter)
            .with_link_shape(shape.into_inner());
        Ok((built, sink.into_files(), timer.phases, kept.into_inner()))
    }

    /// Rebuilds everything when the date has changed since the last build
    /// (review states and notices depend on it). Returns whether it did.
    pub(crate) fn new_day(&mut self) -> Option<Update> {
        let today = (self.clock)();
        if today == self.opts.today {
            return None;
        }
        self.opts.today = today;
        Some(self.rebuild())
    }

    /// Applies a batch of changed paths (absolute, or relative to the root).
    pub(crate) fn apply(&mut self, changed: &[PathBuf]) -> Update {
        let started = Instant::now();
        let root = self.opts.root.clone();
        let rels: Vec<String> = changed
            .iter()
            .filter_map(|p| Some((content::path::relative(&root, p)?, p)))
            .filter(|(rel, p)| {
                content::inputs::is_input(rel) && !self.is_transient(rel, &root.join(p))
            })
            .map(|(rel, _)| rel)
            .collect();
        if rels.is_empty() {
            return self.update(Refresh::None, String::new(), started);
        }
        for path in changed {
            self.pipeline.forget(path);
            self.pipeline.forget(&root.join(path));
        }
        if let Some(update) = self.new_day() {
            return update;
        }
        if self.files.is_none() || self.full_errors.is_some() {
            return self.rebuild();
        }
        if rels
            .iter()
            .all(|r| r.ends_with(".css") && static_target(r, &self.theme_name()).is_some())
        {
            return self.swap_styles(&rels, started);
        }
        let mut edited = Vec::new();
        if rels.iter().any(|r| shortcodes::is_input(r)) {
            // Each page's Markdown tells which snippets it reads.
            self.render_markdown(&|| false);
            match self.reload_shortcodes() {
                Some(users) => edited.extend(users),
                None => return self.rebuild(),
            }
        }
        let pages_only = rels
            .iter()
            .all(|r| r.starts_with("content/") && r.ends_with(".md") && !shortcodes::is_input(r));
        for rel in rels.iter().filter(|r| !shortcodes::is_input(r)) {
            match self.existing_page(rel) {
                Some(id) => edited.push(id),
                None => return self.rebuild_with(pages_only, self.serve_run()),
            }
        }
        edited.sort_unstable();
        edited.dedup();
        if edited.is_empty() {
            return self.update(Refresh::None, "no page uses it".into(), started);
        }
        self.edit_pages(&edited, started, pages_only)
    }

    /// A content file that is gone and was never part of the site: an
    /// editor's temporary file (`sed -i`, "write then rename" saves).
    /// `path` is where it is on disk (`rel` is in NFC, the disk may not be).
    fn is_transient(&self, rel: &str, path: &Path) -> bool {
        let guard = self.build.read();
        let Some(state) = guard.as_ref() else {
            return false;
        };
        let Some(content_rel) = rel.strip_prefix("content/") else {
            return false;
        };
        if shortcodes::is_input(rel) {
            return false;
        }
        !path.exists()
            && state.site.page_from_source(content_rel).is_none()
            && !state.site.assets.iter().any(|a| a.rel == content_rel)
            && !state.site.sections.iter().any(|s| s.dir == content_rel)
    }

    fn theme_name(&self) -> String {
        (self.build.read().as_ref()).map_or("default".into(), |s| s.site.config.theme.clone())
    }

    /// The page made from `rel` if it is an existing page's source that is
    /// still there.
    fn existing_page(&self, rel: &str) -> Option<PageId> {
        let content_rel = rel.strip_prefix(CONTENT_DIR)?.strip_prefix('/')?;
        if !content_rel.ends_with(".md") {
            return None;
        }
        let guard = self.build.read();
        let site = &guard.as_ref()?.site;
        let id = site.page_from_source(content_rel)?;
        site.pages[id].source.path.is_file().then_some(id)
    }

    /// Re-renders edited pages in place, or falls back to a full rebuild when
    /// an edit changes what other pages show.
    fn edit_pages(&mut self, ids: &[PageId], started: Instant, pages_only: bool) -> Update {
        let mut loaded = Vec::new();
        {
            let guard = self.build.read();
            let Some(state) = guard.as_ref() else {
                drop(guard);
                return self.rebuild();
            };
            for &id in ids {
                match content::load_one(&state.site.pages[id].source) {
                    Ok(page) => {
                        if shape_changed(state.site.pages[id].front(), &page.doc.front) {
                            drop(guard);
                            // Every changed file is an existing page's.
                            self.pipeline.same_files();
                            return self.rebuild_with(pages_only, self.serve_run());
                        }
                        loaded.push((id, page));
                    }
                    Err(d) => {
                        self.page_errors.insert(id, d.into());
                    }
                }
            }
        }
        let build = self.build.clone();
        let mut guard = build.write();
        let Some(state) = guard.as_mut() else {
            drop(guard);
            return self.rebuild();
        };
        // Translations of an edited page whose state it changes (stale or
        // not): rendered again, so their notice is right at once.
        let before: Vec<_> = ids
            .iter()
            .flat_map(|&id| state.site.versions(id).iter().copied())
            .filter(|v| !ids.contains(v))
            .map(|v| (v, state.derived.translation(v).cloned()))
            .collect();
        // Right after the first build, the check behind it renders every
        // page's Markdown (this edit's too) and checks the links; after
        // that, an edit checks them all again itself.
        let pending = state.markdown_pending();
        for (id, page) in loaded {
            // What readers see until the new text is free of errors.
            if !state.has_html(id) {
                let _ = state.html(id);
            }
            state.site.pages[id].doc = page.doc;
            state
                .derived
                .refresh_review(&state.site, id, self.opts.today);
            if !pending {
                let highlighter = self.pipeline.highlighter();
                let strings = &state.templates.strings[state.site.pages[id].lang];
                state.rendered[id] = markdown::render(&state.site, id, highlighter, strings);
            }
            self.page_errors.remove(&id);
        }
        state.forget_listings();
        // Links anywhere may point at headings of the edited pages.
        if !pending {
            self.link_errors =
                pipeline::markdown_findings(&state.rendered, state.site.config.links).errors;
        }
        let broken: std::collections::HashSet<_> =
            self.link_errors.iter().map(|d| d.file.clone()).collect();
        let mut written = ids.to_vec();
        written.extend(
            before
                .into_iter()
                .filter(|(v, was)| state.derived.translation(*v) != was.as_ref())
                .map(|(v, _)| v),
        );
        let mut refreshed = Vec::new();
        for &id in &written {
            let file = state.site.pages[id].source.display();
            if self.page_errors.contains_key(&id) || broken.contains(&file) {
                continue;
            }
            self.template_errors.remove(&id);
            match state.render(id) {
                Ok(html) => {
                    state.set_html(id, html);
                    refreshed.push(format!("/{}", state.site.pages[id].path));
                }
                Err(d) => {
                    self.page_errors.insert(id, d.into());
                }
            }
        }
        if !refreshed.is_empty() {
            match &mut self.index_todo {
                IndexTodo::All => {}
                IndexTodo::Pages(pages) => pages.extend(ids),
                todo @ IndexTodo::Nothing => {
                    *todo = IndexTodo::Pages(ids.iter().copied().collect())
                }
            }
        }
        let names: Vec<String> = ids
            .iter()
            .map(|&id| state.site.pages[id].source.display().display().to_string())
            .collect();
        let refresh = if refreshed.is_empty() {
            Refresh::None
        } else {
            Refresh::Pages(refreshed)
        };
        drop(guard);
        self.update(
            refresh,
            format!("re-rendered {}", names.join(", ")),
            started,
        )
    }

    /// Copies changed stylesheets into the served files.
    fn swap_styles(&mut self, rels: &[String], started: Instant) -> Update {
        let root = self.opts.root.clone();
        let theme = self.theme_name();
        let Some(served) = &self.files else {
            return self.rebuild();
        };
        let mut files = Files::clone(served);
        for rel in rels {
            let Some(target) = static_target(rel, &theme) else {
                continue;
            };
            // A site's static/ file overrides the theme's: keep it.
            if rel.starts_with("themes/") && root.join("static").join(&target).is_file() {
                continue;
            }
            match std::fs::read(root.join(rel)) {
                Ok(bytes) => {
                    files.insert(target, Arc::from(bytes));
                }
                Err(_) => return self.rebuild(), // deleted or renamed
            }
        }
        self.files = Some(Arc::new(files));
        self.update(
            Refresh::Styles,
            format!("updated {}", rels.join(", ")),
            started,
        )
    }

    fn update(&self, refresh: Refresh, summary: String, started: Instant) -> Update {
        Update {
            refresh,
            errors: self.errors(),
            summary,
            elapsed: started.elapsed(),
            phases: Vec::new(),
        }
    }
}

/// Front matter fields that other pages show (navigation, listings,
/// prev/next, taxonomy pages, related pages), that move the page, or that
/// make other files (`aliases` make redirect pages, which may clash):
/// changing one needs a full rebuild.
fn shape_changed(old: &FrontMatter, new: &FrontMatter) -> bool {
    old.title != new.title
        || old.description != new.description
        || old.weight != new.weight
        || old.slug != new.slug
        || old.draft != new.draft
        || old.tags != new.tags
        || old.taxonomies != new.taxonomies
        || old.aliases != new.aliases
}

/// Where a static file ends up in the output (`static/a.css` → `a.css`,
/// `themes/<theme>/static/a.css` → `a.css`).
fn static_target(rel: &str, theme: &str) -> Option<String> {
    rel.strip_prefix("static/")
        .or_else(|| rel.strip_prefix(&format!("themes/{theme}/static/")))
        .map(str::to_string)
}

// Snippet and fact edits (kept apart: this file holds the general rules).
#[path = "engine_shortcodes.rs"]
mod shortcode_edits;

// The work behind the reload.
#[path = "engine_catch_up.rs"]
mod catch_up;

#[cfg(test)]
#[path = "engine_shortcode_tests.rs"]
mod shortcode_tests;

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
