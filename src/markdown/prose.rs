//! The prose of a page, for readability scores.

use std::collections::HashSet;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use super::parser_options;
use crate::model::{PageId, Site};
use crate::readability::{self, Readability};

/// Readability of the prose a reader sees on `page` (no code, tables, URLs,
/// footnotes or HTML), leaving the lower-case words of `ignore` out of
/// syllable counts. Separate from [`render`](super::render) because only
/// `marrow check` needs it: builds do not pay for it.
pub(crate) fn readability(site: &Site, page: PageId, ignore: &HashSet<String>) -> Readability {
    let text = prose_text(site, page);
    readability::analyze(&text, &|word: &str| {
        let lower = word.to_lowercase();
        ignore.contains(&lower) || lower.strip_suffix('s').is_some_and(|w| ignore.contains(w))
    })
}

/// The prose of `page` as a reader sees it, one paragraph, item or heading
/// per line (what the readability measures take).
pub(crate) fn prose_text(site: &Site, page: PageId) -> String {
    let mut prose = Prose::default();
    let body = site.expanded_body(page, crate::markdown::parser_options());
    for event in Parser::new_ext(&body, parser_options()) {
        prose.observe(&event);
    }
    prose.text
}

/// Collects the text a reader sees, for readability scoring: paragraphs,
/// list items, headings and callouts; not code, tables, footnotes, images
/// or links written as bare URLs.
#[derive(Default)]
struct Prose {
    text: String,
    /// Depth inside parts that are not prose.
    skip: usize,
    /// For each open link: whether it is a bare URL (autolink).
    links: Vec<bool>,
}

impl Prose {
    fn observe(&mut self, event: &Event) {
        match event {
            Event::Start(
                Tag::Table(_) | Tag::FootnoteDefinition(_) | Tag::Image { .. } | Tag::CodeBlock(_),
            ) => self.skip += 1,
            Event::End(
                TagEnd::Table | TagEnd::FootnoteDefinition | TagEnd::Image | TagEnd::CodeBlock,
            ) => {
                self.skip = self.skip.saturating_sub(1);
            }
            Event::Start(Tag::Link { link_type, .. }) => {
                let bare = matches!(link_type, LinkType::Autolink | LinkType::Email);
                self.links.push(bare);
                if bare {
                    self.skip += 1;
                }
            }
            // The guard pops for every link end; only bare URLs end a skip.
            Event::End(TagEnd::Link) if self.links.pop() == Some(true) => {
                self.skip = self.skip.saturating_sub(1);
            }
            Event::Text(t) if self.skip == 0 => self.text.push_str(t),
            Event::SoftBreak | Event::HardBreak if self.skip == 0 => self.text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) if self.skip == 0 => {
                self.text.push('\n');
            }
            _ => {}
        }
    }
}
