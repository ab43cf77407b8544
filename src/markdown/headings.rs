//! Headings: unique ids (or the writer's `{#id}`), a self-link for readers
//! to copy, and the table of contents.
//!
//! A heading's events are held back until its end, because its id comes
//! from its whole text and the self-link wraps its content.

use pulldown_cmark::{CowStr, Event, Tag};

use super::event_loop::PageCx;
use super::{Rendered, TocEntry, encode_fragment, escape};
use crate::slug::{UniqueIds, heading_id};

/// A heading being read: its attributes and the events of its content.
pub(super) struct HeadingBuf<'a> {
    pub(super) level: u8,
    pub(super) id: Option<CowStr<'a>>,
    pub(super) classes: Vec<CowStr<'a>>,
    pub(super) attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    pub(super) events: Vec<Event<'a>>,
    /// Where it starts in the body, for errors.
    pub(super) offset: usize,
}

/// The headings of one page: ids handed out so far, and what the TOC needs.
#[derive(Default)]
pub(super) struct Headings {
    ids: UniqueIds,
    /// (level, id, title) of every heading, in order.
    seen: Vec<(u8, String, String)>,
}

/// Whether raw HTML opens an `<a>` element.
fn is_anchor_tag(html: &str) -> bool {
    let rest = html.trim_start();
    rest.len() >= 2
        && rest[..2].eq_ignore_ascii_case("<a")
        && rest[2..].starts_with(|c: char| c.is_ascii_whitespace() || c == '>')
}

impl Headings {
    /// The HTML of heading `h`, with its id and self-link; records the id
    /// in `r.ids` and a duplicate custom id in `r.diagnostics`.
    pub(super) fn finish(&mut self, h: HeadingBuf, r: &mut Rendered, cx: &PageCx) -> String {
        let mut title = String::new();
        let mut has_link = false;
        for e in &h.events {
            match e {
                Event::Text(t) | Event::Code(t) => title.push_str(t),
                Event::Start(Tag::Link { .. }) => has_link = true,
                // `<a name="x"></a>` or `<a href>` written in the heading:
                // a self-link around it would nest one link in another.
                Event::InlineHtml(html) if is_anchor_tag(html) => has_link = true,
                _ => {}
            }
        }
        let id = match &h.id {
            Some(custom) => {
                if !self.ids.reserve(custom) {
                    r.diagnostics.push(
                        cx.at(
                            h.offset,
                            format!("heading id `{custom}` is used twice on this page"),
                        )
                        .with_help("give each `{#id}` a different name"),
                    );
                }
                custom.to_string()
            }
            None => self.ids.unique(heading_id(&title)),
        };
        r.ids.insert(id.clone());
        let mut inner = String::new();
        pulldown_cmark::html::push_html(&mut inner, h.events.into_iter());
        let attrs = attributes(&h.classes, &h.attrs);
        let n = h.level;
        let id_attr = escape(&id);
        let href = escape(&encode_fragment(&id));
        let html = if has_link {
            // Links cannot nest: add a separate self-link after the text.
            let label = escape(cx.strings.get("heading_anchor_label"));
            format!(
                "<h{n} id=\"{id_attr}\"{attrs}>{inner} <a class=\"heading-anchor\" href=\"#{href}\"><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">{label}</span></a></h{n}>\n"
            )
        } else {
            format!(
                "<h{n} id=\"{id_attr}\"{attrs}><a class=\"heading-link\" href=\"#{href}\">{inner}</a></h{n}>\n"
            )
        };
        self.seen.push((n, id, title.trim().to_string()));
        html
    }

    /// The table of contents: h2s, each with its h3s (an h3 before any h2
    /// is a top-level entry); other levels are left out.
    pub(super) fn toc(self) -> Vec<TocEntry> {
        let mut toc: Vec<TocEntry> = Vec::new();
        for (level, id, title) in self.seen {
            let entry = TocEntry {
                level,
                id,
                title,
                children: Vec::new(),
            };
            match level {
                2 => toc.push(entry),
                3 => match toc.last_mut() {
                    Some(parent) => parent.children.push(entry),
                    None => toc.push(entry),
                },
                _ => {}
            }
        }
        toc
    }
}

/// The writer's `{.class key=value}` attributes, escaped.
fn attributes(classes: &[CowStr], attrs: &[(CowStr, Option<CowStr>)]) -> String {
    let mut out = String::new();
    if !classes.is_empty() {
        out.push_str(" class=\"");
        out.push_str(&escape(&classes.join(" ")));
        out.push('"');
    }
    for (k, v) in attrs {
        out.push(' ');
        out.push_str(&escape(k));
        if let Some(v) = v {
            out.push_str("=\"");
            out.push_str(&escape(v));
            out.push('"');
        }
    }
    out
}
