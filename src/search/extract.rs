//! What search knows of a page: its text as a reader sees it, cut at its
//! headings (each part with the heading's anchor, for sub-results), and
//! the fields that rank it. Glossary entries are documents of their own, so
//! that a search for a term can land on its definition.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::derive::Derived;
use crate::model::{PageId, Site};
use crate::slug::{UniqueIds, heading_id};

/// How a glossary entry ranks against a page of the same weight.
const GLOSSARY_WEIGHT: f64 = 0.8;

/// One searchable thing: a page, or one entry of the glossary.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Doc {
    /// Link relative to the site root (with `#anchor` for a glossary entry).
    pub link: String,
    pub title: String,
    /// Shown under the title: the top-level section, or "Glossary".
    pub section: String,
    /// The review state results show (see `search.js`).
    pub review: &'static str,
    /// Multiplies the relevance score (`search.weight`).
    pub weight: f64,
    /// Text that ranks like headings but is not shown as a part: a page's
    /// `description`, a term's aliases.
    pub extra: String,
    /// The text, cut at headings. The first part has no heading.
    pub parts: Vec<Part>,
    /// The text of code blocks: searched, but not shown in excerpts.
    pub code: String,
}

/// The text under one heading (up to the next heading of any level).
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Part {
    pub heading: String,
    /// The heading's id on the page, as the Markdown renderer gives it.
    pub anchor: String,
    pub text: String,
}

/// A page's review state as the index gives it: `""` (clinically
/// reviewed, or not medical content), `"checked"` (sources checked, no
/// clinical review) or `"unreviewed"`.
pub(super) fn review_code(derived: &Derived, page: PageId) -> &'static str {
    match derived.review(page).status {
        crate::review::Status::SourcesChecked => "checked",
        crate::review::Status::NeverReviewed => "unreviewed",
        _ => "",
    }
}

/// The documents of `page`: the page itself, and for the glossary page
/// one more per entry.
pub(super) fn docs_of(site: &Site, derived: &Derived, page: PageId) -> Vec<Doc> {
    let review = review_code(derived, page);
    let weight = weight(site, page);
    let p = &site.pages[page];
    let body = site.expanded_body(page, crate::markdown::parser_options());
    let (parts, code) = text(&body);
    let mut docs = vec![Doc {
        link: site.link(page),
        title: p.title().to_string(),
        section: section_title(site, page),
        review,
        weight,
        extra: p.front().description.clone().unwrap_or_default(),
        parts,
        code,
    }];
    if site.is_glossary_page(page) {
        // The page is found by its title; its entries by their words.
        docs.extend(glossary_docs(site, page, review, weight));
    }
    docs
}

/// Every entry of the glossary, linking to its place on the glossary page.
fn glossary_docs(site: &Site, page: PageId, review: &'static str, weight: f64) -> Vec<Doc> {
    let Some(glossary) = site.glossary(site.pages[page].lang) else {
        return Vec::new();
    };
    let link = site.link(page);
    let section = site.pages[page].title().to_string();
    glossary
        .terms()
        .iter()
        .enumerate()
        .map(|(i, term)| Doc {
            link: format!(
                "{link}#{}",
                crate::markdown::encode_fragment(&glossary.anchor(i))
            ),
            title: term.term.clone(),
            section: section.clone(),
            review,
            // A definition is short, which BM25 favours: a little less
            // than the page, so a page about the term comes first.
            weight: weight * GLOSSARY_WEIGHT,
            extra: term.aliases.join(", "),
            parts: vec![Part {
                text: term.definition.clone(),
                ..Part::default()
            }],
            code: String::new(),
        })
        .collect()
}

/// A page's search weight: its own `search.weight`, else the nearest
/// section's (from its `_index.md`), else the longest `search.weight` path
/// of `site.yaml` that the page's file is in, else 1.
pub(super) fn weight(site: &Site, page: PageId) -> f64 {
    let p = &site.pages[page];
    if let Some(w) = p.front().search.weight {
        return w;
    }
    for &section in site.ancestry(p.section).iter().rev() {
        let index = &site.pages[site.sections[section].index];
        if let Some(w) = index.front().search.weight {
            return w;
        }
    }
    let rel = &p.source.rel;
    site.config
        .search
        .weight
        .iter()
        .filter(|(path, _)| {
            let path = path.trim_start_matches('/');
            rel == path
                || path.is_empty()
                || (rel.starts_with(path)
                    && (path.ends_with('/') || rel[path.len()..].starts_with('/')))
        })
        .max_by_key(|(path, _)| path.len())
        .map_or(1.0, |(_, &w)| w)
}

/// The top-level section a page belongs to, shown under each result.
fn section_title(site: &Site, page: PageId) -> String {
    site.ancestry(site.pages[page].section)
        .get(1)
        .map(|&s| site.pages[site.sections[s].index].title().to_string())
        .unwrap_or_default()
}

/// The text of Markdown `body` a reader sees (not raw HTML), cut at
/// headings, with each heading's id given as the renderer gives it
/// (`{#custom}` ids first reserved, then the rest made unique in order);
/// and apart, the text of its code blocks.
pub(super) fn text(body: &str) -> (Vec<Part>, String) {
    let mut parts = vec![Part::default()];
    let mut code = String::new();
    let mut in_code = false;
    let mut ids = UniqueIds::default();
    // Custom ids are reserved when their heading is reached, as in
    // `markdown::headings`: the same order gives the same suffixes.
    let mut heading: Option<(Option<String>, String)> = None;
    for event in Parser::new_ext(body, crate::markdown::parser_options()) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                code.push('\n');
            }
            Event::Text(t) if in_code => code.push_str(&t),
            Event::Start(Tag::Heading { id, .. }) => {
                heading = Some((id.map(|i| i.to_string()), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((custom, title)) = heading.take() else {
                    continue;
                };
                let anchor = match custom {
                    Some(id) => {
                        ids.reserve(&id);
                        id
                    }
                    None => ids.unique(heading_id(&title)),
                };
                parts.push(Part {
                    heading: title.trim().to_string(),
                    anchor,
                    text: String::new(),
                });
            }
            Event::Text(t) | Event::Code(t) => match &mut heading {
                Some((_, title)) => title.push_str(&t),
                None => push_text(parts.last_mut(), &t),
            },
            Event::SoftBreak | Event::HardBreak => push_space(parts.last_mut()),
            // Inline ends (emphasis, links) are inside a word's sentence;
            // block ends separate text.
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript,
            ) => {}
            Event::End(_) => push_space(parts.last_mut()),
            _ => {}
        }
    }
    for part in &mut parts {
        let end = part.text.trim_end().len();
        part.text.truncate(end);
    }
    if parts.len() > 1 && parts[0].text.is_empty() {
        parts.remove(0);
    }
    (parts, code)
}

fn push_text(part: Option<&mut Part>, text: &str) {
    if let Some(part) = part {
        part.text.push_str(text);
    }
}

/// One space between blocks, none at the start.
fn push_space(part: Option<&mut Part>) {
    if let Some(part) = part
        && !part.text.is_empty()
        && !part.text.ends_with(' ')
    {
        part.text.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cut_at_headings_with_the_renderers_ids() {
        let (p, code) = text(
            "Intro *words*\nmore.\n\n## Sore mouth\n\nText `code`.\n\n```\nfn x()\n```\n\n## Sore mouth\n\n### Mine {#mine}\n\n- a\n- b\n",
        );
        assert_eq!(code, "fn x()\n\n", "code blocks apart");
        let got: Vec<(&str, &str, &str)> = p
            .iter()
            .map(|p| (p.heading.as_str(), p.anchor.as_str(), p.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("", "", "Intro words more."),
                ("Sore mouth", "sore-mouth", "Text code."),
                ("Sore mouth", "sore-mouth-1", ""),
                ("Mine", "mine", "a b"),
            ]
        );
        // A page that starts with a heading has no empty first part.
        assert_eq!(text("# Title\n\nx\n").0[0].heading, "Title");
    }
}
