//! # marrow
//!
//! A static documentation site generator for medical writers: Markdown files
//! with YAML front matter in, a themed static site out, that any web server
//! or a plain folder opened in a browser can host.
//!
//! ## The pipeline
//!
//! Data flows one way; each stage is one module:
//!
//! | module | owns |
//! |---|---|
//! | [`config`] | `site.yaml` → [`config::SiteConfig`] (defaults, unknown keys rejected with a suggestion) |
//! | [`content`] | walking `content/`, reading files, front matter → [`content::FrontMatter`] |
//! | [`model`] | the [`model::Site`]: section tree, URLs, ordering, prev/next, link resolution, glossary page |
//! | [`markdown`] | one page's Markdown → HTML: heading ids, TOC, link rewriting and checks, callouts, footnotes, glossary marks, highlighting |
//! | [`render`] | tera templates (theme, site overrides, embedded default theme), per-section nav fragments (long sections in parts), JSON-LD, `branding` (accent kept WCAG AA, logo, footer) |
//! | [`output`] | where files go: staging folder + atomic swap, or memory |
//! | [`build`] | runs the stages in order and in parallel; [`build::build`] is the entry point; [`build::output_clashes`] finds outputs that would overwrite each other |
//!
//! Beside the pipeline, calling into it:
//!
//! | module | owns |
//! |---|---|
//! | [`serve`] | `marrow serve`: watch (notify) → incremental rebuild in memory ([`serve::engine`]) → HTTP + live reload (axum, [`serve::http`]) |
//! | [`check`] | `marrow check`: build validation without output, plus review, readability, sources and glossary findings, as text or JSON; `--due-within` gives the clinical reviewer's worklist ([`check::worklist`]) |
//! | [`scaffold`] | `marrow new`: the starter site (files under `src/scaffold/starter/`) and page skeletons; never overwrites |
//!
//! What the stages use:
//!
//! | module | owns |
//! |---|---|
//! | [`glossary`] | the glossary file, term matching for marking first occurrences |
//! | [`taxonomy`] | tags and declared taxonomies (term pages) and "Related pages" |
//! | [`review`] | the two review stages (sources checked; clinical review by a named reviewer with a role) and a page's state: reviewed, due soon, overdue, sources checked only, not reviewed, not medical; `noindex`. [`review::record`] is `marrow review`, which edits only the review keys of a page's front matter |
//! | [`readability`] | readability scores of a page's prose (Flesch, Flesch–Kincaid, SMOG) |
//! | [`search`] | the site search index: sharded static JSON made from each page's Markdown, in parallel; kept live by `serve` so an edit rewrites only its shards |
//! | [`sitewide`] | sitemap.xml, robots.txt, the Atom feed, redirect pages for `aliases` |
//! | [`diagnostics`] | located errors (`file:line:col`, the line, a hint), collected and sorted |
//! | [`slug`] | heading ids and URL segments |
//! | [`color`] | sRGB colours and WCAG contrast (highlighting, the accent colour) |
//! | [`yaml`] | the only YAML parser call, so the parser can be swapped; refuses alias bombs and runaway nesting; parser messages in plain words |
//! | `harness` | entry points of the fuzz targets (`fuzz/`) and their regression test |
//!
//! The CLI (`src/main.rs`) is the only place that prints or picks exit codes.
//!
//! ## Invariants
//!
//! - Errors from user files are [`diagnostics::Diagnostic`]s with a location
//!   in the file the user edits (front matter errors point into the `.md`
//!   file, not into the YAML block). Stages collect all errors before giving
//!   up; nothing from user input is `unwrap`ped.
//! - A build writes into a staging folder and swaps it in only on success:
//!   `output/` is always a complete build.
//! - Generated links are relative (`{{ root }}` + a root-relative link), so
//!   a site works under any sub-path and from `file://`. Only canonical
//!   URLs use `base_url`.
//! - Nothing is global and mutable: the syntax set lives in a
//!   [`markdown::Highlighter`] value (loaded lazily, once), templates in a
//!   [`render::Renderer`].
//! - Work that is the same for many pages is done once: the navigation
//!   fragment is rendered once per section, part and link depth, never per
//!   page; related pages look at a bounded window of candidates per term.
//! - What every page carries is bounded, so build time stays linear in the
//!   number of pages: a section longer than `nav.max_entries` is listed in
//!   parts, the part holding the current page.
//! - `marrow serve` never writes the output folder: it serves the last good
//!   build from memory, and a request is answered from one snapshot.
//! - Build output never contains serve's live-reload script or overlay.

// A `Diagnostic` carries its message, quoted line and hint inline; it only
// travels on the error path, where its size costs nothing measurable.
#![allow(clippy::result_large_err)]
#![warn(missing_docs, unreachable_pub)]

mod build;
mod check;
mod color;
mod config;
mod content;
mod derive;
mod diagnostics;
mod glossary;
#[doc(hidden)]
pub mod harness;
mod i18n;
mod markdown;
mod model;
mod output;
mod outputs;
mod pipeline;
mod readability;
mod render;
mod review;
mod scaffold;
mod search;
mod serve;
mod slug;
mod yaml;

pub use build::{BuildReport, build};
pub use check::{Report as CheckReport, Worklist, WorklistEntry, check, worklist};
pub use content::front_matter::Reviewer;
pub use diagnostics::{Diagnostic, Diagnostics};
pub use pipeline::{BuildError, BuildOptions, Phase, SearchSummary};
pub use review::record::{ClinicalReview, RecordError, RecordRequest, Recorded, record_review};
pub use scaffold::{ScaffoldError, new_page, new_site};
pub use search::LeftOut;
pub use serve::{Refresh, ServeError, ServeEvent, ServeOptions, Update, serve};

/// Today's date, from the clock, or from `MARROW_TODAY` (YYYY-MM-DD) so
/// builds and tests can be reproduced on any day. Commands call it once,
/// where they start, and hand the date down in their options.
pub fn today() -> chrono::NaiveDate {
    std::env::var("MARROW_TODAY")
        .ok()
        .and_then(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}
