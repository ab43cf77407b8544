//! Glossary terms marked in a page's text: the first occurrence of each
//! term links to its glossary entry, with the definition as a hidden
//! description that the theme's script turns into an accessible tooltip.
//!
//! Runs of text (across soft line breaks) are marked as one piece, so a
//! term broken over two source lines is found; headings and links are
//! never marked (links cannot nest, and a heading is its own link).

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event};

use super::escape;
use crate::glossary::Glossary;
use crate::model::{PageId, Site};

pub(super) struct GlossaryMarker<'g> {
    glossary: &'g Glossary,
    /// Link to the glossary page from this page.
    href: String,
    /// Terms marked so far.
    seen: HashSet<usize>,
    /// The run of text being collected.
    run: String,
}

impl<'g> GlossaryMarker<'g> {
    /// The marker for `page`, if the site has a glossary and this is not
    /// the glossary page itself.
    pub(super) fn for_page(site: &'g Site, page: PageId) -> Option<GlossaryMarker<'g>> {
        let lang = site.pages[page].lang;
        let (glossary, gp) = site.glossary(lang).zip(site.glossary_page(lang))?;
        (gp != page).then(|| GlossaryMarker {
            glossary,
            href: format!("{}{}", site.pages[page].root_prefix(), site.link(gp)),
            seen: HashSet::new(),
            run: String::new(),
        })
    }

    /// Takes a markable event into the current run: true if it was taken
    /// (text, or a soft break inside a run).
    pub(super) fn collect(&mut self, event: &Event) -> bool {
        match event {
            Event::Text(t) => {
                self.run.push_str(t);
                true
            }
            Event::SoftBreak if !self.run.is_empty() => {
                self.run.push('\n');
                true
            }
            _ => false,
        }
    }

    /// Ends the current run: its text, with terms marked, goes to `out`.
    pub(super) fn flush<'a>(&mut self, out: &mut Vec<Event<'a>>) {
        if !self.run.is_empty() {
            let run = CowStr::from(std::mem::take(&mut self.run));
            out.extend(self.mark(&run));
        }
    }

    /// The terms marked on the page, in glossary order.
    pub(super) fn terms(self) -> Vec<usize> {
        let mut terms: Vec<usize> = self.seen.into_iter().collect();
        terms.sort_unstable();
        terms
    }

    fn mark<'a>(&mut self, text: &CowStr<'a>) -> Vec<Event<'a>> {
        let found = self.glossary.find(text, &mut self.seen);
        if found.is_empty() {
            return vec![Event::Text(text.clone())];
        }
        let mut events = Vec::with_capacity(found.len() * 2 + 1);
        let mut last = 0;
        for (range, index) in found {
            if range.start > last {
                events.push(Event::Text(CowStr::from(
                    text[last..range.start].to_string(),
                )));
            }
            let anchor = self.glossary.anchor(index);
            let def = self.glossary.definition_id(index);
            let term = &self.glossary.terms()[index];
            events.push(Event::InlineHtml(CowStr::from(format!(
                "<a class=\"gloss\" href=\"{href}#{anchor}\" aria-describedby=\"{def}\">{text}</a><span class=\"gloss-def\" id=\"{def}\" role=\"tooltip\" hidden>{definition}</span>",
                href = escape(&self.href),
                text = escape(&text[range.clone()]),
                definition = escape(&term.definition),
            ))));
            last = range.end;
        }
        if last < text.len() {
            events.push(Event::Text(CowStr::from(text[last..].to_string())));
        }
        events
    }
}
