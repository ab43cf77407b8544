//! `marrow build`: the pipeline into a staging folder, swapped in whole
//! when every stage succeeded.
//!
//! An everyday rebuild into the same folder does less: when nothing the
//! build reads has changed and the folder is still what the last build
//! left (both known from the output's manifest, `output::Manifest`), there
//! is nothing to do; otherwise the build starts from the build before last
//! (kept beside the output, `output::spare`), where files whose bytes did
//! not change are left as they are, or else linked from the old folder
//! rather than written again; and pages whose text and context did not
//! change are not even rendered (`pipeline::cache`).

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostics;
use crate::output::{self, Manifest, Staging, Summary, check_output_path};
use crate::pipeline::{
    BuildError, BuildOptions, Phase, Pipeline, Prior, Run, SearchSummary, Timer,
};

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Pages written.
    pub pages: usize,
    /// Of those, pages the last build into the same folder made from the
    /// same text in the same context, whose files were kept without
    /// rendering them again.
    pub pages_kept: usize,
    /// Sections of the site.
    pub sections: usize,
    /// Assets and static files copied.
    pub files: usize,
    /// The output folder.
    pub output: PathBuf,
    /// Time the whole build took.
    pub elapsed: Duration,
    /// Things the writer should know that are not errors.
    pub notes: Vec<String>,
    /// Settings marrow had to adjust (e.g. an accent colour with too little
    /// contrast): the site is fine, but not as written.
    pub warnings: Vec<String>,
    /// Broken links, images and anchors, when `site.yaml` says
    /// `links: warn` (otherwise they are errors and there is no report).
    pub link_warnings: Diagnostics,
    /// The search index, when search is on.
    pub search: Option<SearchSummary>,
    /// Time taken by each stage, in order (`marrow build --timings`).
    pub phases: Vec<Phase>,
    /// Nothing had changed since the last build into the output folder,
    /// which was left as it was (the counts are that build's).
    pub up_to_date: bool,
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

impl std::fmt::Display for BuildReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.up_to_date {
            return write!(
                f,
                "Nothing changed since the last build: {} ({} pages in {} sections) is up to date ({:.2} s)",
                self.output.display(),
                self.pages,
                self.sections,
                self.elapsed.as_secs_f64()
            );
        }
        let kept = match self.pages_kept {
            0 => String::new(),
            n => format!(", {} rendered again and {n} unchanged", self.pages - n),
        };
        write!(
            f,
            "Built {} pages{kept} in {} sections ({} files copied{}) into {} in {:.2} s",
            self.pages,
            self.sections,
            self.files,
            self.search.map(|s| format!("; {s}")).unwrap_or_default(),
            self.output.display(),
            self.elapsed.as_secs_f64()
        )
    }
}

/// Builds the site and swaps it into the output folder, unless the folder
/// already holds the build of exactly these inputs.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let output = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join("output"));
    check_output_path(&opts.root, &output).map_err(|d| BuildError::Config(d.into()))?;
    let io = |source| BuildError::Output {
        path: output.clone(),
        source,
    };
    let mut timer = Timer::start();
    let print = fingerprint(opts, &output);
    let inputs = print.as_ref().map(|p| p.all);
    let mut last = Manifest::read(&output);
    if let Some(last) = &last
        && inputs.is_some()
        && last.inputs == inputs
        && last.is_intact(&output)
    {
        timer.mark("compare with the last build");
        output::remove_stale(&output);
        return Ok(unchanged(&last.summary, output, started, timer));
    }
    timer.mark("compare with the last build");

    let mut staging = Staging::new(&output).map_err(io)?;
    let records = last.as_mut().and_then(|m| m.pages.take());
    let counts = (last.as_ref()).and_then(|m| m.search_counts);
    let beside = output.clone();
    let search = crate::pipeline::Pending::start(move || {
        counts.and_then(|hash| recalled_counts(&beside, hash))
    });
    timer.mark("take the spare, start reading the last build's search counts");
    if let Some(last) = last {
        let files = last.files.into_iter().map(|f| (f.rel.clone(), f)).collect();
        staging.reuse(files, last.folders);
    }
    // This build's search counts are streamed beside the output as they
    // are made, and put in place once the new output is.
    let counts_out = (print.is_some())
        .then(|| output::BesideFile::create(&output, SEARCH_COUNTS).ok())
        .flatten()
        .map(|file| Arc::new(Mutex::new(file)));
    let pipeline = match print {
        Some(print) => Pipeline::remembering(Prior {
            options: print.options,
            inputs: print.files,
            records,
            preread: crate::content::Preread::new(print.pages),
            search,
            search_out: counts_out
                .clone()
                .map(|file| file as Arc<Mutex<dyn Write + Send>>),
        }),
        None => Pipeline::default(),
    };
    let mut built = pipeline.run(opts, &staging, Run::BUILD)?;
    drop(pipeline);
    let counts_out = (counts_out.and_then(|file| Arc::try_unwrap(file).ok()))
        .map(|file| file.into_inner().unwrap_or_else(|p| p.into_inner()));
    built.timer.phases.splice(0..0, timer.phases);
    let output::Committed {
        files,
        folders,
        replaced,
    } = staging.commit().map_err(io)?;
    built.timer.mark("swap in the new output");

    let mut notes = Vec::new();
    if built.site.config.base_url.is_none() {
        notes.push(
            "canonical links, og:url, sitemap.xml and the feed were left out: they need the site's public address. Add `base_url: https://…/` to site.yaml (or pass --base-url) when you know where the site will live.".into(),
        );
    }
    let mut warnings = built
        .templates
        .take()
        .map(|t| t.renderer.brand.warnings)
        .unwrap_or_default();
    let summary = Summary {
        pages: built.site.pages.len(),
        sections: built.site.sections.len(),
        files: built.files,
        search: built.search,
        notes: notes.clone(),
        warnings: warnings.clone(),
    };
    // Broken links under `links: warn` are reported on every build: a
    // build that had some is never skipped.
    let inputs = inputs.filter(|_| built.warnings.is_empty());
    // The new site is in place: failing to record it only costs the next
    // build its shortcut.
    let mut manifest = Manifest::new(inputs, summary, files);
    manifest.folders = folders;
    manifest.pages = built.records.take();
    let saved = std::thread::scope(|s| {
        s.spawn(|| replaced.set_aside());
        manifest.search_counts = counts_out.and_then(|file| file.finish().ok());
        manifest.save(&output)
    });
    if let Err(e) = saved {
        warnings.push(format!(
            "the build could not be recorded beside {} ({e}): the next build will do all the work again",
            output.display()
        ));
    }
    built
        .timer
        .mark("record the build, set the old output aside");
    let report = BuildReport {
        pages: built.site.pages.len(),
        pages_kept: built.pages_kept,
        sections: built.site.sections.len(),
        files: built.files,
        output,
        elapsed: started.elapsed(),
        notes,
        warnings,
        link_warnings: std::mem::take(&mut built.warnings),
        search: built.search,
        phases: std::mem::take(&mut built.timer.phases),
        up_to_date: false,
    };
    drop_later((built, manifest));
    Ok(report)
}

/// Frees `what` on a thread of its own: the model of a 10,000-page site
/// is millions of allocations, and the report need not wait for them
/// (`marrow build` exits without waiting at all).
fn drop_later<T: Send + 'static>(what: T) {
    let _ = std::thread::Builder::new()
        .name("marrow-free".into())
        .spawn(move || drop(what));
}

/// Where a build keeps its search counts, beside the output.
const SEARCH_COUNTS: &str = "search";

/// The search counts the last build left beside `output`, if their bytes
/// hash to `hash` (what its manifest recorded).
fn recalled_counts(output: &std::path::Path, hash: u128) -> Option<crate::search::SearchCounts> {
    let bytes = output::read_beside(output, SEARCH_COUNTS)?;
    (output::hash(&bytes) == hash)
        .then(|| crate::search::SearchCounts::from_bytes(&bytes))
        .flatten()
}

/// The report of a build that found nothing to do.
fn unchanged(summary: &Summary, output: PathBuf, started: Instant, timer: Timer) -> BuildReport {
    BuildReport {
        pages: summary.pages,
        pages_kept: summary.pages,
        sections: summary.sections,
        files: summary.files,
        output,
        elapsed: started.elapsed(),
        notes: summary.notes.clone(),
        warnings: summary.warnings.clone(),
        link_warnings: Diagnostics::default(),
        search: summary.search,
        phases: timer.phases,
        up_to_date: true,
    }
}

/// The fingerprint of what this build would read and of how it was asked
/// to build; `None` when `site.yaml` does not load (the build says why).
fn fingerprint(opts: &BuildOptions, output: &std::path::Path) -> Option<output::Fingerprint> {
    let config = crate::pipeline::load_config(opts).ok()?;
    // The glossary may be named outside the input folders.
    let extra = config
        .langs
        .iter()
        .map(|(lang, _)| config.langs.translated_path(&config.glossary, lang))
        .filter(|file| !crate::content::inputs::is_input(file))
        .map(|file| opts.root.join(file))
        .collect();
    let context = output::Context {
        binary: &binary(),
        options: format!(
            "today={} drafts={} base_url={:?} output={}",
            opts.today,
            opts.drafts,
            opts.base_url,
            output.display()
        ),
        extra,
    };
    Some(output::fingerprint(&opts.root, &context))
}

/// Names the running marrow: its version, and the size and time of its
/// executable, so a rebuilt binary (whose templates or rendering may
/// differ) never takes an old output as its own.
fn binary() -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| (m.len(), m.modified().ok()));
    format!("{} {exe:?}", env!("CARGO_PKG_VERSION"))
}
