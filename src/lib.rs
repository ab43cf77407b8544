//! # marrow
//!
//! A static documentation site generator for medical writers: Markdown files
//! with YAML front matter in, a themed static site out, that any web server
//! or a plain folder opened in a browser can host.
//!
//! The library is what the `marrow` command runs. Its public surface is
//! small: [`build`], [`check`] (and [`worklist`]), [`serve`], [`new_site`]
//! and [`new_page`], [`record_review`], [`mark_translation`], [`import()`], their options and reports, and
//! [`Diagnostic`], the located error every stage reports. Everything else
//! is private to the crate.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let site = tempfile::tempdir()?;
//! std::fs::create_dir(site.path().join("content"))?;
//! std::fs::write(
//!     site.path().join("content/_index.md"),
//!     "---\ntitle: Transplant guide\n---\nWhat happens, step by step.\n",
//! )?;
//! // The date review states are computed for: set once, where a command starts.
//! let opts = marrow::BuildOptions::new(site.path(), marrow::today());
//! let report = marrow::build(&opts)?;
//! assert_eq!(report.pages, 1);
//! assert!(site.path().join("output/index.html").is_file());
//! # Ok(())
//! # }
//! ```
//!
//! ## The pipeline
//!
//! `pipeline` is the one place the stages are listed and run, in order and
//! in parallel where the work is per page. Data flows one way:
//!
//! | stage | module | owns |
//! |---|---|---|
//! | settings | `config` | `site.yaml` → `SiteConfig` (defaults, unknown keys rejected with a suggestion, `base_url` parsed as a URL, `languages:` resolved into `config::Languages`: codes, BCP 47 tags, direction, which file is a translation of which) |
//! | discover, parse | `content` | which files a build reads (`content::inputs`, shared by build's fingerprint and serve's watcher); walking `content/` (names in NFC), reading files (a build's pages from the bytes its fingerprint read: `content::Preread`), front matter → `FrontMatter`, with each key's position recorded while parsing (every unknown key reported; a page whose front matter has errors is kept with a stand-in, so its links are still checked); `content::stamp` reads dates that may carry a time; `content::path` is the one normaliser of paths under `content/` |
//! | model | `model` | the `Site`: what is published (`Publish`: drafts, `expires`), section tree, `PageKind`, URLs, ordering, prev/next, the link index and link resolution (no disk access), old addresses (`model::aliases`); translations (`model::languages`): one tree per language under its own root (`/zh/…`), each page's language and key (the default-language file it translates), its versions, links leading to the same language's version when there is one |
//! | derive | `derive` | computed from `&Site`, handed on beside it: taxonomies and related pages per language (`derive::taxonomy`), each page's review state on the build's date (one rule for generated pages), each translation's state against its source (`derive::translation`: stale by date or by the source's fingerprint) |
//! | Markdown | `markdown` | one page's Markdown → HTML: shortcodes expanded first (`shortcodes`), then an event loop of named steps (headings, links, footnotes, callouts, glossary marks, tables, highlighting); link problems kept apart, errors or warnings as `links:` in `site.yaml` says |
//! | plan | `outputs` | every file the build writes and who writes it, checked for clashes before anything is written; sitemap (with each page's language alternates), robots.txt, a feed and a search page per language, redirect pages, taxonomy pages, assets |
//! | render | `render` | tera templates (theme, site overrides, embedded default theme), navigation fragments shared per section (long sections in parts), JSON-LD, branding; what templates know of languages (`render::languages`: `lang`, the page's strings `t`, its `translations` and `x_default`, a translation's source and staleness) |
//! | write | `output` | sinks: a staging folder swapped in whole, or memory. The staging folder is the build before last when one is kept beside the output (`output::spare`: files it already holds with the same bytes stay, others are replaced, the rest removed), otherwise a new folder (files whose bytes did not change hard-linked from the old build); the output-path guard; `output::manifest`, the record beside the output of what the last build read (a fingerprint) and wrote (each file's size, time and hash, checked as a file is linked, and what it made of each page: `pipeline::cache`), with the search counts beside it (`search::recall`) |
//!
//! [`build`], [`check`] and [`serve`] each run `pipeline::Pipeline::run`
//! with their own sink and `Run` (stop at errors or collect every finding;
//! keep each page's HTML or free it as it is written):
//!
//! | command | module | adds |
//! |---|---|---|
//! | `marrow build` | `build` | nothing to do when the inputs' fingerprint and the output folder are those of the manifest; otherwise the staging sink (reusing the old build's unchanged files; a page whose text and context, `pipeline::cache::context`, are the last build's keeps its file without being rendered), the swap, the manifest and search counts (written while the replaced tree is set aside as the next spare), the report and `--timings`; `Run::BUILD` streams (each page's Markdown rendered just before its template) |
//! | `marrow serve` | `serve` | a memory sink and `Run::SERVE`, which stops before the pages, their navigation fragments and the listings (`outputs::Listing`: taxonomy pages, sitemap, feeds); `serve::pages` keeps what they need and renders each when a browser asks (template errors of the rest are checked behind the reload); `serve::engine` keeps the state for one-page edits, reuses unchanged pages' Markdown across rebuilds after page edits (`Site::link_shape`) and the walk of `content/` when only existing pages changed (`content::Parsed`) and rebuilds when the date changes; `serve::watch` (notify; counts events so work behind the reload stops for an edit); `serve::http` (axum, live reload) |
//! | `marrow check` | `check` | a discarding sink, and a `Run` that renders every page through its template into nothing (`pipeline::pages::check_pages`: tera errors depend on each page's data, so no sample will do); review, readability, sources and glossary findings (`check::problems`), translations' state and what is not translated (`check::translations`), counts by kind (`check::summary`), the report as text (counts first, `--max-errors`, the page table on `--pages`) or JSON (`check::report`, `check::text`); `--due-within` (`check::worklist`) |
//! | `marrow new` | `scaffold` | the starter site (`src/scaffold/starter/`) and page skeletons; never overwrites |
//! | `marrow review` | `review::record` | edits only the review keys of a page's front matter |
//! | `marrow translate mark` | `translate` | sets a translation's `translated` and `source_fingerprint`, with `review::record`'s line editing |
//! | `marrow import` | `import` | another generator's site → a marrow site, never writing into the source: one module per source (`import::hugo`, `import::jekyll`, each a `Dialect`); shared: front matter split and mapped onto marrow's keys, the rest under `extra` (`import::front`), template syntax rewritten outside code (`import::rewrite`, with `shortcodes` for Hugo, `liquid` and `kramdown` for Jekyll), links between imported pages and old addresses settled into slugs and aliases (`import::index`), `IMPORT.md` (`import::report`), the new site written (`import::write`) |
//!
//! What the stages use:
//!
//! | module | owns |
//! |---|---|
//! | `i18n` | reader-facing strings: the theme's `i18n/<code>.yaml` per language (English built in, and the fallback for missing keys, which `check` names), single strings overridden in `site.yaml`, dates in each table's style |
//! | `shortcodes` | marrow's `{{ name(…) }}` and `{% name(…) %}…{% end %}`: `parse` (tags outside code; other tools' template syntax is a located error), `library` (snippets of `content/_snippets/`, `data/facts.yaml`, `templates/shortcodes/*.html`, `site.yaml` `urgent`; loaded once beside the `Site`), `expand` (the page's Markdown with tags replaced, a source map back to the page or snippet, what each page read for serve), `builtins` (`include`, `fact`, `figure`, `urgent`, site templates) |
//! | `glossary` | the glossary file (errors located by the same key positions as front matter), term matching for marking first occurrences |
//! | `review` | the two review stages (sources checked; clinical review by a named reviewer with a role) and the rules for a page's state |
//! | `readability` | readability scores of a page's prose (Flesch, Flesch–Kincaid, SMOG) for English; sentence length in characters or words for other languages (`readability::other`) |
//! | `search` | the site search index: `extract` (page text cut at headings; glossary entries as documents) → `analyze` (words, CJK pairs, British/American folding, English stems; mirrored in the theme's `search-text.js`) → `count` and `build` (each page counted, or its counts taken from the last build: `recall`; merged in document order) → `live` (BM25F impacts, one index per language under its folder, kept by `serve` so an edit rewrites only its files) → `files` (chunked postings, vocabulary by first letter, a fragment per document); `synonyms` from the glossary and `site.yaml`. The theme's `search-engine.js` ranks in the browser |
//! | `diagnostics` | located errors (`file:line:col`, the line, a caret placed by display width, a hint), collected and sorted |
//! | `slug` | heading ids and URL segments |
//! | `color` | sRGB colours and WCAG contrast (highlighting, the accent colour) |
//! | `yaml` | the only YAML parser call; refuses alias bombs and runaway nesting; parser messages in plain words (`yaml::explain`, `yaml::syntax`), pointed at the slip a writer made when libyaml notices it lines later (`yaml::layout::slips`, `yaml::late`: unclosed quotes, `key:value`, `-item`, a missing closing `---`); `yaml::KeyPositions`, where each key and list item is |
//! | `harness` | entry points of the fuzz targets (`fuzz/`) and the internals integration tests reach (hidden, not API) |
//!
//! The CLI (`src/main.rs`) is the only place that prints, picks exit codes
//! or reads the clock and `MARROW_TODAY` ([`today`]).
//!
//! ## Invariants
//!
//! - Errors from user files are [`Diagnostic`]s with a location in the file
//!   the user edits (front matter errors point into the `.md` file, not
//!   into the YAML block). Stages collect all errors before giving up;
//!   nothing from user input is `unwrap`ped.
//! - The model holds no derived data, and no module imports one that
//!   imports it back.
//! - A build writes into a staging folder and swaps it in only on success:
//!   `output/` is always a complete build. The manifest is removed before
//!   the swap and written after it, so a folder is only ever taken as up
//!   to date when the manifest vouches for every file in it. The spare a
//!   build starts from is vouched for the same way: a record of every
//!   file and folder, and a build takes it by renaming it to a name that
//!   dies with its process.
//! - Generated links are relative (`{{ root }}` + a root-relative link), so
//!   a site works under any sub-path and from `file://`. Only canonical
//!   URLs use `base_url`.
//! - Nothing is global and mutable, and nothing deep in the pipeline reads
//!   the environment: the date is in [`BuildOptions`], the syntax set in
//!   the pipeline's highlighter (loaded lazily, once), templates and
//!   strings in the compiled theme.
//! - Work that is the same for many pages is done once: the navigation
//!   fragment is rendered once per section, part and link depth, never per
//!   page; related pages look at a bounded window of candidates per term.
//! - What every page carries is bounded, so build time stays linear in the
//!   number of pages: a section longer than `nav.max_entries` is listed in
//!   parts, the part holding the current page.
//! - `marrow serve` never writes the output folder: it serves the last good
//!   build from memory, a request is answered from one build (a page is
//!   rendered from it when first asked for), and an edit shares every
//!   unchanged file with the previous snapshot.
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
mod html;
mod i18n;
mod import;
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
mod shortcodes;
mod slug;
mod translate;
mod yaml;

pub use build::{BuildReport, build};
pub use check::{
    Report as CheckReport, TextOptions as CheckTextOptions, Worklist, WorklistEntry, check,
    worklist,
};
pub use content::front_matter::Reviewer;
pub use diagnostics::{Diagnostic, Diagnostics};
pub use import::{ImportError, ImportOptions, ImportReport, Source as ImportSource, import};
pub use pipeline::{BuildError, BuildOptions, Phase, SearchSummary};
pub use review::record::{ClinicalReview, RecordError, RecordRequest, Recorded, record_review};
pub use scaffold::{ScaffoldError, new_page, new_site};
pub use search::LeftOut;
pub use serve::{Refresh, ServeError, ServeEvent, ServeOptions, Update, serve};
pub use translate::{MarkRequest, Marked, mark_translation};

/// Today's date, from the clock, or from `MARROW_TODAY` (YYYY-MM-DD) so
/// builds and tests can be reproduced on any day. Commands call it once,
/// where they start, and hand the date down in their options.
pub fn today() -> chrono::NaiveDate {
    std::env::var("MARROW_TODAY")
        .ok()
        .and_then(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}
