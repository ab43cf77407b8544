//! Translations in `check`: each translation's state against its source
//! (current, stale and why, undated), and for each language the pages not
//! translated yet.

use chrono::NaiveDate;
use serde::Serialize;

use super::report::{Problem, Severity};
use crate::derive::Derived;
use crate::derive::translation::Stale;
use crate::i18n::DEFAULT;
use crate::model::{PageId, Site};

/// A translation's state, on its page's report.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TranslationReport {
    /// The source page's file.
    pub source: String,
    pub translated: Option<NaiveDate>,
    pub translator: Option<String>,
    /// `current`, `stale` or `undated`.
    pub state: &'static str,
    /// Why it is stale, in words.
    pub reasons: Vec<String>,
}

/// One language's translations, for the summary.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LanguageReport {
    pub code: String,
    pub language: String,
    pub name: String,
    pub translated: usize,
    /// Files of stale translations.
    pub stale: Vec<String>,
    /// Files of the default language with no translation into this one.
    pub missing: Vec<String>,
}

fn shown(site: &Site, page: PageId) -> String {
    site.pages[page]
        .source
        .display()
        .display()
        .to_string()
        .replace('\\', "/")
}

fn reason(site: &Site, why: Stale) -> String {
    match why {
        Stale::SourceUpdated(d) => format!(
            "the {} page was updated on {d}",
            site.languages().get(DEFAULT).name
        ),
        Stale::SourceReviewed(d) => format!(
            "the {} page was clinically reviewed on {d}",
            site.languages().get(DEFAULT).name
        ),
        Stale::TextChanged => format!(
            "the {} page's text changed since `marrow translate mark` took its fingerprint",
            site.languages().get(DEFAULT).name
        ),
    }
}

/// The translation state of page `id`, if it is a translation.
pub(super) fn report(site: &Site, derived: &Derived, id: PageId) -> Option<TranslationReport> {
    let state = derived.translation(id)?;
    let front = site.pages[id].front();
    Some(TranslationReport {
        source: shown(site, state.source),
        translated: front.translated,
        translator: front.translator.clone(),
        state: if state.is_stale() {
            "stale"
        } else if state.undated {
            "undated"
        } else {
            "current"
        },
        reasons: state.stale.iter().map(|&w| reason(site, w)).collect(),
    })
}

/// Warnings for a stale or undated translation (`--strict` fails on them).
pub(super) fn problems(t: &TranslationReport, file: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    if t.state == "stale" {
        out.push(Problem {
            severity: Severity::Warning,
            kind: "stale_translation",
            message: format!(
                "translation of {} is stale: {} — update the translation, then set `translated:` to the day you did (or run `marrow translate mark`); readers see a notice until then",
                t.source,
                t.reasons.join("; ")
            ),
        });
    }
    if t.state == "undated" {
        out.push(Problem {
            severity: Severity::Warning,
            kind: "undated_translation",
            message: format!(
                "no `translated:` date, so nobody can tell whether it still matches {}: add `translated: YYYY-MM-DD`, the day it was translated, or run `marrow translate mark {}`",
                t.source, file
            ),
        });
    }
    out
}

/// Each language but the default: how many pages are translated, which
/// translations are stale, which pages are not translated.
pub(super) fn languages(site: &Site, derived: &Derived) -> Vec<LanguageReport> {
    site.languages()
        .iter()
        .skip(1)
        .map(|(lang, l)| {
            let mut r = LanguageReport {
                code: l.code.clone(),
                language: l.tag.clone(),
                name: l.name.clone(),
                translated: 0,
                stale: Vec::new(),
                missing: Vec::new(),
            };
            for (id, page) in site.pages.iter().enumerate() {
                if page.kind.is_generated() {
                    continue;
                }
                if page.lang == lang {
                    r.translated += 1;
                    if derived.translation(id).is_some_and(|t| t.is_stale()) {
                        r.stale.push(shown(site, id));
                    }
                } else if page.lang == DEFAULT
                    && site
                        .version_in(id, lang)
                        .is_none_or(|v| site.pages[v].kind.is_generated())
                {
                    r.missing.push(shown(site, id));
                }
            }
            r.stale.sort();
            r.missing.sort();
            r
        })
        .collect()
}
