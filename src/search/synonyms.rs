//! Synonyms: words and phrases a reader may type for the same thing. Every
//! glossary entry gives one group (its term and its aliases, so "GVHD"
//! finds "graft-versus-host disease" and the other way round), and
//! `search.synonyms` in `site.yaml` adds the site's own.
//!
//! The index stores each group as its alternatives' terms; the browser
//! looks for an alternative among the query's terms and also searches for
//! the others.

use super::analyze::Analyzer;
use crate::i18n::LangId;
use crate::model::Site;

/// Each group's alternatives, as terms (stop words left out), without
/// repeats; groups with fewer than two different alternatives are dropped.
pub(super) fn groups(site: &Site, lang: LangId, analyzer: &Analyzer) -> Vec<Vec<Vec<String>>> {
    let glossary = site
        .glossary(lang)
        .into_iter()
        .flat_map(|g| g.terms())
        .map(|term| {
            std::iter::once(term.term.as_str())
                .chain(term.aliases.iter().map(String::as_str))
                .collect::<Vec<_>>()
        });
    let own = site
        .config
        .search
        .synonyms
        .iter()
        .map(|g| g.iter().map(String::as_str).collect::<Vec<_>>());
    glossary
        .chain(own)
        .filter_map(|names| {
            let mut alternatives: Vec<Vec<String>> = Vec::new();
            for name in names {
                let terms: Vec<String> = analyzer
                    .words(name)
                    .into_iter()
                    .filter(|w| !analyzer.is_stop_word(w))
                    .map(|w| analyzer.term(&w))
                    .collect();
                if !terms.is_empty() && !alternatives.contains(&terms) {
                    alternatives.push(terms);
                }
            }
            (alternatives.len() > 1).then_some(alternatives)
        })
        .collect()
}
