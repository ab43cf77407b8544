//! Taxonomies (`tags`, and any declared in `site.yaml` such as
//! `conditions`) and "Related pages".
//!
//! Each taxonomy gets a page listing its terms with counts (`/tags/`) and a
//! page per term (`/tags/<term>/`). Related pages are chosen by shared terms
//! and section, Hugo-style, and stay linear in the size of the site: each
//! page only looks at a bounded window of candidates per term, nearest in
//! reading order, so a tag carried by every page cannot make the build
//! quadratic.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::LangId;
use crate::model::{PageId, Site};
use crate::slug;

/// The built-in taxonomy, fed by the `tags` front matter field.
pub(crate) const TAGS: &str = "tags";

/// How many pages "Related pages" shows.
pub(crate) const RELATED: usize = 5;

/// How many candidates per shared term (and from the section) a page looks
/// at, nearest first in reading order.
const WINDOW: usize = 64;

/// One term of a taxonomy and the pages that carry it (in reading order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    pub name: String,
    pub slug: String,
    pub pages: Vec<PageId>,
}

/// A taxonomy and its terms in one language, sorted by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Taxonomy {
    pub name: String,
    /// The language of its pages: each language lists its own terms.
    pub lang: LangId,
    /// That language's URL folder (`""`, `zh/`).
    pub prefix: String,
    pub terms: Vec<Term>,
}

impl Taxonomy {
    /// Output path of the taxonomy's list page (`tags/`, `zh/tags/`).
    pub(crate) fn path(&self) -> String {
        format!("{}{}/", self.prefix, slug::path_segment(&self.name))
    }

    /// Output path of a term's page (`tags/stem-cells/`).
    pub(crate) fn term_path(&self, term: &Term) -> String {
        format!("{}{}/", self.path(), term.slug)
    }
}

/// Taxonomy pages may not take a content page's URL.
pub(crate) fn url_clashes(site: &Site, taxonomies: &[Taxonomy]) -> Diagnostics {
    let mut errors = Diagnostics::default();
    for t in taxonomies.iter().filter(|t| !t.terms.is_empty()) {
        if let Some(id) = site.page_at(&t.path()) {
            errors.push(
                Diagnostic::file(
                    site.pages[id].source.display(),
                    format!(
                        "this page's URL /{} is taken by the `{}` taxonomy",
                        t.path(),
                        t.name
                    ),
                )
                .with_help("give the page another `slug`"),
            );
        }
    }
    errors
}

/// The terms a page carries in taxonomy `name`.
pub(crate) fn terms_of<'a>(site: &'a Site, page: PageId, name: &str) -> &'a [String] {
    let front = site.pages[page].front();
    if name == TAGS {
        &front.tags
    } else {
        front.taxonomies.get(name).map_or(&[], Vec::as_slice)
    }
}

/// Every taxonomy of the site: `tags` plus those declared in `site.yaml`,
/// once for each language with pages.
pub(crate) fn collect(site: &Site) -> Vec<Taxonomy> {
    let mut names = vec![TAGS.to_string()];
    names.extend(
        site.config
            .taxonomies
            .iter()
            .filter(|n| *n != TAGS)
            .cloned(),
    );
    let langs: Vec<(LangId, String)> = site
        .languages()
        .iter()
        .filter(|(lang, _)| site.root_of(*lang).is_some())
        .map(|(lang, l)| (lang, l.prefix(lang)))
        .collect();
    langs
        .into_iter()
        .flat_map(|(lang, prefix)| names.iter().map(move |n| (lang, prefix.clone(), n.clone())))
        .map(|(lang, prefix, name)| {
            // Terms group case-insensitively by slug; the first spelling met
            // in reading order names the term.
            let mut by_slug: BTreeMap<String, Term> = BTreeMap::new();
            for &id in site
                .reading_order
                .iter()
                .filter(|&&id| site.pages[id].lang == lang)
            {
                for raw in terms_of(site, id, &name) {
                    let term_slug = slug::heading_id(raw);
                    let term = by_slug.entry(term_slug.clone()).or_insert_with(|| Term {
                        name: raw.trim().to_string(),
                        slug: term_slug,
                        pages: Vec::new(),
                    });
                    if term.pages.last() != Some(&id) {
                        term.pages.push(id);
                    }
                }
            }
            let mut terms: Vec<Term> = by_slug.into_values().collect();
            terms.sort_by_key(|t| t.name.to_lowercase());
            Taxonomy {
                name,
                lang,
                prefix,
                terms,
            }
        })
        .collect()
}

/// Up to [`RELATED`] pages related to each page: two points per shared
/// term, one for the same section; ties go to the page nearest in reading
/// order. Never the page itself, nor on a section's page the section's
/// own pages and subsections (listed there already); deterministic.
pub(crate) fn related(site: &Site, taxonomies: &[Taxonomy]) -> Vec<Vec<PageId>> {
    // Indexed by page: every page's place in reading order (pages outside it
    // sort last). Runs for every page of the site, so no hashing here.
    let mut position = vec![usize::MAX; site.pages.len()];
    for (i, &id) in site.reading_order.iter().enumerate() {
        position[id] = i;
    }
    let mut by_section: HashMap<usize, Vec<PageId>> = HashMap::new();
    for &id in &site.reading_order {
        if !site.pages[id].kind.is_section() {
            by_section
                .entry(site.pages[id].section)
                .or_default()
                .push(id);
        }
    }
    let term_pages: HashMap<(LangId, &str, String), &Vec<PageId>> = taxonomies
        .iter()
        .flat_map(|t| {
            t.terms
                .iter()
                .map(move |term| ((t.lang, t.name.as_str(), term.slug.clone()), &term.pages))
        })
        .collect();
    let nearest = |list: &'_ [PageId], page: PageId| -> std::ops::Range<usize> {
        let at = list.partition_point(|&p| position[p] < position[page]);
        let start = at.saturating_sub(WINDOW / 2);
        start..(start + WINDOW).min(list.len())
    };
    (0..site.pages.len())
        .into_par_iter()
        .map(|page| {
            let mut score: FxHashMap<PageId, u32> =
                FxHashMap::with_capacity_and_hasher(3 * WINDOW, Default::default());
            let mut add = |list: &[PageId], points: u32| {
                for &other in &list[nearest(list, page)] {
                    *score.entry(other).or_default() += points;
                }
            };
            let lang = site.pages[page].lang;
            for t in taxonomies.iter().filter(|t| t.lang == lang) {
                for raw in terms_of(site, page, &t.name) {
                    if let Some(list) =
                        term_pages.get(&(lang, t.name.as_str(), slug::heading_id(raw)))
                    {
                        add(list, 2);
                    }
                }
            }
            if !site.pages[page].kind.is_section()
                && let Some(list) = by_section.get(&site.pages[page].section)
            {
                add(list, 1);
            }
            score.remove(&page);
            // A section's page lists its children right above: never again.
            if site.pages[page].kind.is_section() {
                for &c in &site.sections[site.pages[page].section].children {
                    score.remove(&site.child_page(c));
                }
            }
            let here = position[page];
            // Best first: most points, then nearest in reading order. Only
            // the top few are wanted, so select them before sorting.
            let mut ranked: Vec<_> = score
                .into_iter()
                .map(|(id, s)| (Reverse(s), position[id].abs_diff(here), position[id], id))
                .collect();
            if ranked.len() > RELATED {
                ranked.select_nth_unstable(RELATED);
                ranked.truncate(RELATED);
            }
            ranked.sort_unstable();
            // Not `collect()`: that would reuse `ranked`'s buffer, keeping
            // room for every candidate beside every page of the site.
            let mut related = Vec::with_capacity(ranked.len());
            related.extend(ranked.iter().map(|r| r.3));
            related
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_site;

    fn site() -> Site {
        test_site(&[
            ("_index.md", "---\ntitle: Home\n---\n"),
            ("p/_index.md", "---\ntitle: P\n---\n"),
            (
                "p/a.md",
                "---\ntitle: A\nweight: 1\ntags: [GvHD, Infection]\n---\n",
            ),
            ("p/b.md", "---\ntitle: B\nweight: 2\ntags: [gvhd]\n---\n"),
            ("p/c.md", "---\ntitle: C\nweight: 3\n---\n"),
            ("q/_index.md", "---\ntitle: Q\n---\n"),
            ("q/d.md", "---\ntitle: D\ntags: [infection, GvHD]\n---\n"),
            ("q/e.md", "---\ntitle: E\n---\n"),
        ])
    }

    #[test]
    fn terms_group_case_insensitively() {
        let site = site();
        let tax = collect(&site);
        assert_eq!(tax[0].name, "tags");
        let names: Vec<_> = tax[0]
            .terms
            .iter()
            .map(|t| (t.name.as_str(), t.pages.len()))
            .collect();
        assert_eq!(names, [("GvHD", 3), ("Infection", 2)]);
        assert_eq!(tax[0].term_path(&tax[0].terms[0]), "tags/gvhd/");
    }

    #[test]
    fn related_pages_by_shared_terms_then_section() {
        let site = site();
        let tax = collect(&site);
        let related = related(&site, &tax);
        let titles = |id: PageId| -> Vec<&str> {
            related[id].iter().map(|&p| site.pages[p].title()).collect()
        };
        let a = site.page_from_source("p/a.md").unwrap();
        // D shares two tags (4), B one tag and the section (3), C the section (1).
        assert_eq!(titles(a), ["D", "B", "C"]);
        let e = site.page_from_source("q/e.md").unwrap();
        assert_eq!(titles(e), ["D"], "only the section");
        assert!(!related[a].contains(&a), "never itself");

        assert_eq!(related, super::related(&site, &tax), "deterministic");
    }

    #[test]
    fn a_section_page_relates_no_page_it_lists() {
        let site = test_site(&[
            ("_index.md", "---\ntitle: Home\n---\n"),
            ("p/_index.md", "---\ntitle: P\ntags: [gvhd]\n---\n"),
            ("p/a.md", "---\ntitle: A\ntags: [gvhd]\n---\n"),
            ("p/s/_index.md", "---\ntitle: S\ntags: [gvhd]\n---\n"),
            ("p/s/b.md", "---\ntitle: B\ntags: [gvhd]\n---\n"),
            ("q/c.md", "---\ntitle: C\ntags: [gvhd]\n---\n"),
        ]);
        let related = related(&site, &collect(&site));
        let titles = |path: &str| -> Vec<&str> {
            let id = site.page_from_source(path).unwrap();
            related[id].iter().map(|&p| site.pages[p].title()).collect()
        };
        // P lists A and S: B (inside S) and C are what is left.
        assert_eq!(titles("p/_index.md"), ["B", "C"]);
        // A page is still related to its section's other pages.
        assert!(titles("p/a.md").contains(&"S"), "{:?}", titles("p/a.md"));
    }
}
