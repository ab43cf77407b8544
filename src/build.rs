//! `marrow build`: the pipeline into a staging folder, swapped in whole
//! when every stage succeeded.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostics;
use crate::output::{Staging, check_output_path};
use crate::pipeline::{BuildError, BuildOptions, Phase, Pipeline, Run, SearchSummary};

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Pages written.
    pub pages: usize,
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

/// Builds the site and swaps it into the output folder.
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
    let staging = Staging::new(&output).map_err(io)?;
    let mut built = Pipeline::default().run(opts, &staging, Run::BUILD)?;
    staging.commit().map_err(io)?;
    built.timer.mark("swap in the new output");

    let mut notes = Vec::new();
    if built.site.config.base_url.is_none() {
        notes.push(
            "canonical links, og:url, sitemap.xml and the feed were left out: they need the site's public address. Add `base_url: https://…/` to site.yaml (or pass --base-url) when you know where the site will live.".into(),
        );
    }
    Ok(BuildReport {
        pages: built.site.pages.len(),
        sections: built.site.sections.len(),
        files: built.files,
        output,
        elapsed: started.elapsed(),
        notes,
        warnings: built
            .templates
            .map(|t| t.renderer.brand.warnings)
            .unwrap_or_default(),
        link_warnings: built.warnings,
        search: built.search,
        phases: built.timer.phases,
    })
}
