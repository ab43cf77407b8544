//! `marrow check`: everything a build validates, without writing anything,
//! plus the publishing checks a medical site needs — review status,
//! readability against its target, pages without sources, glossary terms
//! never used.
//!
//! The result is a [`Report`], printed as text for people or as JSON for
//! CI. The text opens with the findings counted by kind (`summary`), so a
//! site of thousands of pages shows what to fix first; the findings follow,
//! as many as asked for ([`TextOptions`]), and the table of pages only on
//! request. The JSON is always complete. Its shape is versioned
//! (`version`); fields are only ever added.

use std::collections::HashSet;

use chrono::NaiveDate;
use std::time::Instant;

use rayon::prelude::*;

use crate::model::{PageId, Site};
use crate::output::Sink;
use crate::pipeline::{BuildError, BuildOptions, Outcome, Pipeline, Run};
use crate::readability::Readability;
use crate::review::{Review, Status};

mod problems;
mod report;
mod summary;
mod text;
mod translations;
mod worklist;

use problems::{review_problems, unsafe_html};
pub use report::Report;
use report::{
    Findings, MIN_WORDS_FOR_READABILITY, PageReadability, PageReport, Problem, REPORT_VERSION,
    ReviewSummary, Severity, round1,
};
pub use text::TextOptions;
pub use worklist::{Worklist, WorklistEntry, worklist};

/// A sink that throws files away. `check`'s run hands it nothing (pages
/// are rendered into nothing, site files and search are off), but the
/// pipeline takes a sink, and this one keeps check from ever writing.
struct Discard;

impl Sink for Discard {
    fn write(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
    fn copy(&self, _: &str, _: &std::path::Path) -> std::io::Result<()> {
        Ok(())
    }
}

/// Checks the site. Only configuration errors (a broken `site.yaml`, no
/// `content/`) stop it early; everything else is in the report.
pub fn check(opts: &BuildOptions, strict: bool) -> Result<Report, BuildError> {
    let started = Instant::now();
    let today = opts.today;
    let built = match Pipeline::default().run(opts, &Discard, Run::CHECK) {
        Ok(built) => built,
        Err(BuildError::Content(d)) => return Ok(Report::only_errors(d, today, strict, started)),
        Err(e) => return Err(e),
    };
    let Outcome {
        site,
        derived,
        templates,
        rendered,
        errors,
        warnings,
        ..
    } = built;

    let ignore = readability_exclusions(&site);
    let scores: Vec<Scores> = (0..site.pages.len())
        .into_par_iter()
        .map(|id| {
            let tag = &site.languages().get(site.pages[id].lang).tag;
            if crate::readability::is_english(tag) {
                Scores::English(crate::markdown::readability(&site, id, &ignore))
            } else {
                Scores::Other(crate::readability::sentence_lengths(
                    &crate::markdown::prose_text(&site, id),
                    tag,
                ))
            }
        })
        .collect();
    let mut used = std::collections::BTreeSet::new();
    for (id, r) in rendered.iter().enumerate() {
        let lang = site.pages.get(id).map_or(0, |p| p.lang);
        used.extend(r.glossary_terms.iter().map(|&t| (lang, t)));
    }
    // Generated pages have no prose or sources of their own.
    let mut pages: Vec<PageReport> = (0..site.pages.len())
        .into_par_iter()
        .filter(|&id| !site.pages[id].kind.is_generated())
        .map(|id| page_report(&site, &derived, id, &scores[id], today))
        .collect();
    pages.sort_by(|a, b| a.source.cmp(&b.source));
    let elsewhere = add_link_warnings(&mut pages, warnings);
    let unused_glossary_terms = (0..site.languages().len())
        .filter_map(|lang| Some((lang, site.glossary(lang)?)))
        .flat_map(|(lang, g)| {
            let used = &used;
            g.terms()
                .iter()
                .enumerate()
                .filter(move |(i, _)| !used.contains(&(lang, *i)))
                .map(|(_, t)| t.term.clone())
        })
        .collect();
    let templates_untranslated = templates.as_ref().map(|t| t.untranslated.clone());
    let mut settings = templates
        .map(|t| t.renderer.brand.warnings)
        .unwrap_or_default();
    settings.extend(elsewhere);
    if let Some(t) = &templates_untranslated {
        settings.extend(t.iter().cloned());
    }
    let review = ReviewSummary::of(&pages, &site.config.review);
    Ok(Report::new(
        errors,
        Findings {
            pages,
            review,
            unused_glossary_terms,
            settings,
            translations: translations::languages(&site, &derived),
        },
        today,
        strict,
        started,
    ))
}

/// A page's readability: the English formulas, or for other languages
/// sentence length only (Flesch–Kincaid and SMOG are English formulas).
enum Scores {
    English(Readability),
    Other(crate::readability::SentenceLengths),
}

/// What `check` finds about one page.
fn page_report(
    site: &Site,
    derived: &crate::derive::Derived,
    id: PageId,
    scores: &Scores,
    today: NaiveDate,
) -> PageReport {
    let review = derived.review(id);
    let p = &site.pages[id];
    let front = p.front();
    let max_grade = front.max_grade.unwrap_or(site.config.readability.max_grade);
    let readability = match scores {
        Scores::English(scores) => PageReadability {
            words: scores.words,
            sentences: scores.sentences,
            flesch_reading_ease: Some(round1(scores.flesch_reading_ease)),
            flesch_kincaid_grade: Some(round1(scores.flesch_kincaid_grade)),
            smog_grade: Some(round1(scores.smog_grade)),
            max_grade,
            scored: scores.words >= MIN_WORDS_FOR_READABILITY,
            measure: "english grade",
            mean_sentence_length: None,
            longest_sentence: None,
        },
        Scores::Other(s) => PageReadability {
            words: s.units,
            sentences: s.sentences,
            flesch_reading_ease: None,
            flesch_kincaid_grade: None,
            smog_grade: None,
            max_grade,
            scored: false,
            measure: s.measure,
            mean_sentence_length: (s.sentences > 0)
                .then(|| round1(s.units as f64 / s.sentences as f64)),
            longest_sentence: (s.sentences > 0).then_some(s.longest),
        },
    };
    let translation = translations::report(site, derived, id);
    let mut problems = Vec::new();
    if let Some(t) = &translation
        && !p.doc.front_broken
    {
        problems.extend(translations::problems(
            t,
            &p.source.display().display().to_string(),
        ));
    }
    // A page whose front matter has errors is judged once it is fixed:
    // its stand-in front matter says nothing about its review or sources.
    if p.doc.front_broken {
        return page_report_of(site, id, review, readability, (translation, problems));
    }
    review_problems(review, front, site.config.review.warn_days, &mut problems);
    // Reading grade targets are patient-information rules: a site that
    // turned review governance off is not held to them.
    if site.config.review.enabled
        && readability.scored
        && readability
            .flesch_kincaid_grade
            .is_some_and(|g| g > max_grade)
    {
        problems.push(Problem {
            severity: Severity::Error,
            kind: "readability",
            message: format!(
                "reading grade {:.1} is above this page's limit of {max_grade} — use shorter sentences and everyday words, or set `max_grade` for a specialist audience",
                readability.flesch_kincaid_grade.unwrap_or_default()
            ),
        });
    }
    if front.references.is_empty() && review.status != Status::Exempt {
        problems.push(Problem {
            severity: Severity::Warning,
            kind: "no_sources",
            message: "no `references`: list the sources of the page's facts".into(),
        });
    }
    problems.extend(expiry_problem(front, today));
    problems.extend(unsafe_html(&p.doc).into_iter().map(|(line, what)| Problem {
        severity: Severity::Warning,
        kind: "unsafe_html",
        message: format!(
            "line {line}: {what} — raw HTML is published as written; scripts belong in the theme (templates/, static/), and the site's Content-Security-Policy may block them"
        ),
    }));
    page_report_of(site, id, review, readability, (translation, problems))
}

fn page_report_of(
    site: &Site,
    id: PageId,
    review: &Review,
    readability: PageReadability,
    (translation, problems): (Option<translations::TranslationReport>, Vec<Problem>),
) -> PageReport {
    let p = &site.pages[id];
    PageReport {
        source: p.source.display().display().to_string().replace('\\', "/"),
        url: format!("/{}", p.path),
        title: p.title().to_string(),
        review: review.clone(),
        readability,
        sources: p.front().references.len(),
        language: site.languages().get(p.lang).tag.clone(),
        translation,
        problems,
    }
}

/// Broken links that `links: warn` made warnings, as problems of the pages
/// they are on (so `--strict`, the summary and JSON count them).
/// Those in files that are not pages (the glossary) are returned.
fn add_link_warnings(
    pages: &mut [PageReport],
    warnings: crate::diagnostics::Diagnostics,
) -> Vec<String> {
    let mut elsewhere = Vec::new();
    for d in warnings {
        let file = d.file.display().to_string().replace('\\', "/");
        let Ok(i) = pages.binary_search_by(|p| p.source.as_str().cmp(&file)) else {
            elsewhere.push(format!(
                "{}: {} (a warning under `links: warn`)",
                d.location(),
                d.message
            ));
            continue;
        };
        let at = match (d.line, d.column) {
            (Some(l), Some(c)) => format!("line {l}:{c}: "),
            (Some(l), None) => format!("line {l}: "),
            _ => String::new(),
        };
        let help = d
            .help
            .as_deref()
            .map(|h| format!(" — {h}"))
            .unwrap_or_default();
        pages[i].problems.push(Problem {
            severity: Severity::Warning,
            kind: "broken_link",
            message: format!("{at}{}{help}", d.message),
        });
    }
    elsewhere
}

/// How long before a page's `expires` date `check` starts to say so.
const EXPIRY_WARN_DAYS: i64 = 30;

/// A warning for a page that stops being published within a month.
fn expiry_problem(front: &crate::content::FrontMatter, today: NaiveDate) -> Option<Problem> {
    let expires = front.expires?.date;
    let days = (expires - today).num_days();
    (0..=EXPIRY_WARN_DAYS).contains(&days).then(|| Problem {
        severity: Severity::Warning,
        kind: "expires_soon",
        message: format!(
            "expires on {expires} ({}): after that day it is left out of the site — update the page and move `expires`, or link readers to what replaces it",
            match days {
                0 => "today".to_string(),
                1 => "tomorrow".to_string(),
                n => format!("in {n} days"),
            }
        ),
    })
}

/// Lower-case words left out of readability syllable counts: the long
/// words of the glossary's terms (three syllables or more: "blood" or
/// "cell" should count) and every word of `readability.ignore_terms`.
fn readability_exclusions(site: &Site) -> HashSet<String> {
    let glossary = site
        .glossary(crate::i18n::DEFAULT)
        .map(|g| g.words())
        .unwrap_or_default();
    glossary
        .into_iter()
        .filter(|w| crate::readability::syllables(w) >= 3)
        .chain(
            site.config
                .readability
                .ignore_terms
                .iter()
                .flat_map(|t| t.split_whitespace())
                .map(str::to_lowercase),
        )
        .collect()
}
