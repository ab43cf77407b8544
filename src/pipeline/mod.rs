//! The build pipeline, written once: settings → content → model → derived
//! data → Markdown → link and output checks → navigation → pages →
//! site-wide files → search index.
//!
//! `marrow build`, `marrow serve` and `marrow check` all run
//! [`Pipeline::run`]; they differ only in the [`Sink`] the files go to and
//! in a [`Run`]: whether to stop at the first stage with errors or collect
//! every finding, and what to keep for later. No other place lists the
//! stages.
//!
//! Stages run in parallel where the work is per page. Every stage collects
//! all its errors before the run gives up, so one run reports everything
//! wrong with a site that the earlier stages let through.

mod cache;
mod load;
mod pages;
mod timings;

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::derive::Derived;
use crate::diagnostics::Diagnostics;
use crate::markdown::{Highlighter, Rendered};
use crate::model::Site;
use crate::output::Sink;
use crate::outputs::WriteError;
use crate::search;

pub(crate) use crate::render::Templates;
pub(crate) use cache::{PageRecords, Pending, Prior};
pub(crate) use load::{load_config, load_site};
pub(crate) use pages::{
    NavKey, Navs, Reuse, check_templates, markdown_findings, nav_key, render_nav, render_page,
};
pub use timings::Phase;
pub(crate) use timings::Timer;

/// What to build, from the command line.
#[derive(Debug, Clone)]
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
    /// The date review states are computed for. Set once, where the
    /// command starts: every stage of a run sees the same day.
    pub today: NaiveDate,
}

impl BuildOptions {
    /// Options for the site at `root` on `today`, everything else default.
    pub fn new(root: impl Into<PathBuf>, today: NaiveDate) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            today,
        }
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
        /// The output folder, or the file that could not be written.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
}

/// How a command runs the pipeline.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Run {
    /// Collect every finding and go on as far as the errors allow
    /// (`check`), instead of stopping after the first stage with errors.
    pub(crate) keep_going: bool,
    /// Keep each page's Markdown HTML for later (`serve` edits one page at
    /// a time, `check` reads glossary use); `build` frees it as it writes.
    pub(crate) keep_rendered: bool,
    /// Write the files that are not pages (404, sitemap, feed, redirects,
    /// taxonomy pages, assets).
    pub(crate) site_files: bool,
    /// Build the search index (`serve` builds it after the browser has
    /// reloaded, so it is not part of its run).
    pub(crate) search: bool,
    /// Render each page's Markdown just before its template and keep only
    /// what the link checks need, so the HTML of every page is never held
    /// at once (`build`: peak memory stays well below the output's size).
    /// Only when nothing before the pages failed: otherwise the Markdown
    /// is checked first, so one run reports every error.
    pub(crate) stream: bool,
    /// Produce each page's HTML. `check` sets it false: it still runs every
    /// page through its template with that page's own data (see
    /// [`pages::check_pages`] for why not a sample), but writes the result
    /// nowhere and frees each page's Markdown HTML once its page is done.
    pub(crate) html: bool,
    /// Render the pages, their navigation fragments and the listings
    /// ([`crate::outputs::Listing`]: taxonomy pages, sitemap, feeds) at
    /// all. `serve` does not: it renders each when a browser asks for it
    /// ([`render_page`]), so an edit that changes every page's navigation
    /// costs the pages someone looks at, not all of them.
    pub(crate) pages: bool,
    /// Render every page's Markdown (and so check links) in the run.
    /// `serve`'s first build does not: there is no earlier build to keep
    /// serving if one fails, so it serves at once, renders each page's
    /// Markdown when it is asked for, and checks the links behind it.
    pub(crate) markdown: bool,
}

impl Run {
    pub(crate) const BUILD: Run = Run {
        keep_going: false,
        keep_rendered: false,
        site_files: true,
        search: true,
        stream: true,
        html: true,
        pages: true,
        markdown: true,
    };
    pub(crate) const SERVE: Run = Run {
        keep_rendered: true,
        search: false,
        stream: false,
        pages: false,
        ..Run::BUILD
    };
    pub(crate) const SERVE_FIRST: Run = Run {
        markdown: false,
        ..Run::SERVE
    };
    pub(crate) const CHECK: Run = Run {
        keep_going: true,
        keep_rendered: true,
        site_files: false,
        search: false,
        stream: false,
        html: false,
        pages: true,
        markdown: true,
    };
}

/// What a run leaves behind.
pub(crate) struct Outcome {
    pub(crate) site: Site,
    pub(crate) derived: Derived,
    /// `None` when the templates did not compile (only with `keep_going`).
    pub(crate) templates: Option<Templates>,
    /// Each page's Markdown HTML, when the run keeps it.
    pub(crate) rendered: Vec<Rendered>,
    /// Every error found (only with `keep_going`; otherwise an error stops
    /// the run).
    pub(crate) errors: Diagnostics,
    /// Problems that do not stop a build: broken links under `links: warn`.
    pub(crate) warnings: Diagnostics,
    /// Assets and static files copied.
    pub(crate) files: usize,
    /// The search index, when the run built one.
    pub(crate) search: Option<SearchSummary>,
    /// What the run made of each page, for the next build (only a build
    /// that knew its [`Prior`] records them).
    pub(crate) records: Option<PageRecords>,
    /// Pages whose file the last build wrote was kept as it was, without
    /// rendering them.
    pub(crate) pages_kept: usize,
    pub(crate) timer: Timer,
}

/// What went into the site search.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct SearchSummary {
    /// Pages in the index.
    pub pages: usize,
    /// Size of the index files.
    pub bytes: usize,
    /// Pages left out, and why.
    pub left_out: search::LeftOut,
}

/// The pipeline and what it keeps between runs (the syntax set, loaded
/// once, lazily; for serve, the pages it parsed; for a build, what it
/// knows of the last build into the same folder).
#[derive(Default)]
pub(crate) struct Pipeline {
    highlighter: std::sync::Arc<Highlighter>,
    parsed: Option<crate::content::Parsed>,
    prior: Option<Prior>,
}

impl Pipeline {
    /// A pipeline that takes pages unchanged since the last build from it
    /// (see [`cache`]), and records this build's pages.
    pub(crate) fn remembering(prior: Prior) -> Pipeline {
        Pipeline {
            prior: Some(prior),
            ..Pipeline::default()
        }
    }

    /// A pipeline that keeps the pages it parses, and parses again only
    /// files that changed (serve runs it many times in one process).
    pub(crate) fn keeping_parses() -> Pipeline {
        Pipeline {
            parsed: Some(crate::content::Parsed::default()),
            ..Pipeline::default()
        }
    }

    /// Parses `path` again at the next run (the watcher saw it change).
    pub(crate) fn forget(&self, path: &std::path::Path) {
        if let Some(kept) = &self.parsed {
            kept.forget(path);
        }
    }

    /// Tells the next run that the watcher named only existing pages, so
    /// it need not walk `content/` again.
    pub(crate) fn same_files(&self) {
        if let Some(kept) = &self.parsed {
            kept.same_files();
        }
    }

    /// The highlighter the run renders code with (serve re-renders single
    /// pages with it).
    pub(crate) fn highlighter(&self) -> &Highlighter {
        &self.highlighter
    }

    /// The same highlighter, to keep beside a build (serve renders pages'
    /// Markdown when asked for).
    pub(crate) fn shared_highlighter(&self) -> std::sync::Arc<Highlighter> {
        std::sync::Arc::clone(&self.highlighter)
    }

    /// Runs every stage, handing the site's files to `sink`.
    pub(crate) fn run(
        &self,
        opts: &BuildOptions,
        sink: &dyn Sink,
        how: Run,
    ) -> Result<Outcome, BuildError> {
        self.run_reusing(opts, sink, how, None)
    }

    /// [`Self::run`], taking pages' Markdown HTML from `reuse` where it has
    /// it (serve, after an edit of pages alone).
    pub(crate) fn run_reusing(
        &self,
        opts: &BuildOptions,
        sink: &dyn Sink,
        how: Run,
        reuse: Option<&Reuse<'_>>,
    ) -> Result<Outcome, BuildError> {
        let mut timer = Timer::start();
        let load::Inputs {
            site,
            theme,
            strings,
            untranslated,
            mut errors,
        } = load::load_inputs(
            opts,
            self.parsed.as_ref(),
            self.prior
                .as_ref()
                .map_or(&crate::content::Preread::default(), |p| &p.preread),
            &mut timer,
        )?;
        let derived = Derived::new(&site, opts.today).map_err(|mut e| {
            e.extend(errors.iter().cloned());
            BuildError::Content(e)
        })?;
        timer.mark("derive taxonomies, reviews and translations");
        let templates = match load::compile_templates(&site, theme, strings.clone(), untranslated) {
            Ok(t) => Some(t),
            Err(BuildError::Content(d)) if how.keep_going => {
                errors.extend(d);
                None
            }
            Err(e) => return Err(e),
        };
        timer.mark("load templates");

        let plan = templates
            .as_ref()
            .map(|t| crate::outputs::plan(&site, &derived, t, &mut errors));
        let how = Run {
            stream: how.stream && errors.is_empty() && plan.is_some(),
            ..how
        };
        let (rendered, found) = if how.stream || !how.markdown {
            (Vec::new(), pages::MarkdownFindings::default())
        } else {
            let rendered = pages::render_markdown(&site, &self.highlighter, &strings, reuse);
            let mut found = pages::markdown_findings(&rendered, site.config.links);
            errors.extend(std::mem::take(&mut found.errors));
            (rendered, found)
        };
        stop_on(&mut errors, how)?;
        timer.mark(if how.stream || !how.markdown {
            "plan the output"
        } else {
            "render Markdown, check links"
        });

        let mut outcome = Outcome {
            site,
            derived,
            templates: None,
            rendered: Vec::new(),
            errors: Diagnostics::default(),
            warnings: found.warnings,
            files: 0,
            search: None,
            records: None,
            pages_kept: 0,
            timer,
        };
        match (templates, plan) {
            (Some(templates), Some(plan)) => {
                let written =
                    self.write(&mut outcome, &templates, &plan, rendered, sink, (opts, how));
                outcome.templates = Some(templates);
                errors.extend(written?);
            }
            (templates, _) => {
                outcome.templates = templates;
                outcome.rendered = rendered;
            }
        }
        stop_on(&mut errors, how)?;
        outcome.errors = errors;
        Ok(outcome)
    }

    /// The stages after the checks: navigation, pages, site-wide files and
    /// the search index. Returns the errors it found (stopping at the first
    /// stage with errors unless the run keeps going).
    fn write(
        &self,
        outcome: &mut Outcome,
        templates: &Templates,
        plan: &crate::outputs::Plan,
        rendered: Vec<Rendered>,
        sink: &dyn Sink,
        (opts, how): (&BuildOptions, Run),
    ) -> Result<Diagnostics, BuildError> {
        let Outcome { site, derived, .. } = outcome;
        let renderer = &templates.renderer;
        // What a build holds its pages against the last build's with.
        let against = (self.prior.as_ref())
            .filter(|_| how.stream)
            .map(|p| cache::Against::new(site, derived, p));
        // Pages rendered when asked for render their fragments then too.
        let navs = match how.pages {
            false => Navs::default(),
            true => match pages::render_navs(site, renderer) {
                Ok(navs) => navs,
                Err(mut errors) => {
                    stop_on(&mut errors, how)?;
                    outcome.rendered = rendered;
                    return Ok(errors);
                }
            },
        };
        if how.pages {
            outcome.timer.mark("render navigation fragments");
        }
        let mut errors = if !how.pages {
            outcome.rendered = rendered;
            Diagnostics::default()
        } else if how.stream {
            let markdown = (&*self.highlighter, templates.strings.as_slice());
            let (kept, mut e, records, pages_kept) = pages::render_and_write(
                (site, derived),
                (renderer, &navs),
                markdown,
                against.as_ref(),
                sink,
            );
            outcome.records = against.as_ref().map(|_| records);
            outcome.pages_kept = pages_kept;
            let found = pages::markdown_findings(&kept, site.config.links);
            outcome.warnings = found.warnings;
            // The Markdown's errors are the ones a writer fixes first; a
            // template failing on a broken page would only add noise.
            if !found.errors.is_empty() {
                e = found.errors;
            }
            e
        } else if !how.html {
            let (e, kept) = pages::check_pages(site, derived, renderer, &navs, rendered);
            outcome.rendered = kept;
            e
        } else {
            let e = pages::write_pages(site, derived, renderer, &navs, &rendered, sink);
            if how.keep_rendered {
                outcome.rendered = rendered;
            }
            e
        };
        stop_on(&mut errors, how)?;
        outcome.timer.mark(if !how.pages {
            "pages and navigation left until asked for"
        } else if how.stream {
            "render Markdown and pages, check links, write"
        } else {
            "render and write pages"
        });
        if how.site_files {
            outcome.files = crate::outputs::write(site, derived, templates, plan, sink, how.pages)
                .map_err(|e| match e {
                    WriteError::Content(d) => BuildError::Content(d),
                    WriteError::Io(source) => BuildError::Output {
                        path: PathBuf::from("output"),
                        source,
                    },
                })?;
            outcome.timer.mark("write site-wide files and assets");
        }
        if how.search && site.config.search.enabled {
            let recall = against.as_ref().and_then(cache::Against::recall);
            outcome.search = Some(write_search(site, derived, sink, (opts, recall.as_ref()))?);
            outcome.timer.mark("search index");
        }
        Ok(errors)
    }
}

/// Ends the run with `errors` unless it collects every finding.
fn stop_on(errors: &mut Diagnostics, how: Run) -> Result<(), BuildError> {
    errors.sort();
    if how.keep_going || errors.is_empty() {
        return Ok(());
    }
    Err(BuildError::Content(std::mem::take(errors)))
}

/// Writes the search index's files.
fn write_search(
    site: &Site,
    derived: &Derived,
    sink: &dyn Sink,
    (opts, recall): (&BuildOptions, Option<&search::Recall<'_>>),
) -> Result<SearchSummary, BuildError> {
    let (pages, bytes) =
        search::write(site, derived, sink, recall).map_err(|source| BuildError::Output {
            path: opts
                .output
                .clone()
                .unwrap_or_else(|| opts.root.join("output"))
                .join(search::SEARCH_DIR),
            source,
        })?;
    Ok(SearchSummary {
        pages,
        bytes,
        left_out: search::left_out(site, derived),
    })
}
