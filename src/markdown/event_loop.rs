//! The event loop: every event of a page's Markdown passes through the
//! same steps, in order, and the rules of the other modules rewrite it.
//!
//! 1. Inside a code block, the code is collected and highlighted at its
//!    end; nothing else sees it.
//! 2. Every event is observed: table header text (for cell labels), link
//!    nesting, raw HTML blocks (checked at their end).
//! 3. Text that may hold glossary terms is collected into runs and marked.
//! 4. The event is rewritten by its rule (headings, links, callouts,
//!    tables, footnotes, task markers) or passes unchanged.
//! 5. It goes to the output, or into the heading being read.

use std::path::PathBuf;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use super::footnotes::Footnotes;
use super::glossary_marks::GlossaryMarker;
use super::headings::{HeadingBuf, Headings};
use super::links::Links;
use super::raw_html::{HtmlBlock, collect_html_ids};
use super::table::Table;
use super::{Highlighter, Rendered, callouts, parser_options, tasks};
use crate::diagnostics::Diagnostic;
use crate::i18n::Strings;
use crate::model::{PageId, Site};
use crate::shortcodes::{self, Expanded};

/// Renders the body of `page`, its reader-facing words from `strings`.
pub(crate) fn render(
    site: &Site,
    page: PageId,
    highlighter: &Highlighter,
    strings: &Strings,
) -> Rendered {
    let p = &site.pages[page];
    // Shortcodes are expanded first, so everything they bring in is
    // rendered and checked with the page (most pages have none).
    let expanded = shortcodes::parse::may_have_tags(p.doc.body()).then(|| {
        shortcodes::expand(
            &site.shortcodes,
            p.source.display(),
            &p.doc.text,
            p.doc.body_start,
            parser_options(),
        )
    });
    let cx = PageCx {
        site,
        page,
        highlighter,
        strings,
        file: p.source.display(),
        text: &p.doc.text,
        base: p.doc.body_start,
        expanded: expanded.as_ref(),
    };
    let body = expanded.as_ref().map_or(p.doc.body(), |e| e.text.as_str());
    let mut walk = Walk::new(&cx);
    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        walk.step(event, range.start);
    }
    let mut r = walk.finish(body.len());
    if let Some(e) = expanded {
        r.diagnostics.extend(e.diagnostics);
        r.uses = e.uses;
    }
    r
}

/// What every rule may need to know about the page being rendered.
pub(super) struct PageCx<'a> {
    pub(super) site: &'a Site,
    pub(super) page: PageId,
    pub(super) highlighter: &'a Highlighter,
    pub(super) strings: &'a Strings,
    /// The file, as shown in messages.
    file: PathBuf,
    /// The whole file and where the body starts in it, so offsets into the
    /// body become positions in the file the writer edits.
    text: &'a str,
    base: usize,
    /// The body with its shortcodes expanded, when it has any: then the
    /// offsets are into its text, and its map says where they come from.
    expanded: Option<&'a Expanded>,
}

impl PageCx<'_> {
    /// An error at byte `offset` of the body.
    pub(super) fn at(&self, offset: usize, message: String) -> Diagnostic {
        match self.expanded {
            Some(e) => e.diagnostic(
                &self.site.shortcodes,
                &self.file,
                self.text,
                offset,
                message,
            ),
            None => Diagnostic::at_offset(&self.file, self.text, self.base + offset, message),
        }
    }

    /// Raw HTML with the HTML of shortcodes in place of their placeholders.
    fn fill<'h>(&self, html: pulldown_cmark::CowStr<'h>) -> pulldown_cmark::CowStr<'h> {
        match self.expanded {
            Some(e) if html.contains(shortcodes::PLACEHOLDER) => {
                shortcodes::fill_placeholders(&html, &e.html)
                    .into_owned()
                    .into()
            }
            _ => html,
        }
    }
}

/// The state of one page's walk through its events.
struct Walk<'a> {
    cx: &'a PageCx<'a>,
    r: Rendered,
    out: Vec<Event<'a>>,
    /// The code block being read: its language and code.
    code: Option<(String, String)>,
    heading: Option<HeadingBuf<'a>>,
    headings: Headings,
    links: Links,
    /// Inside links and images terms are not marked (links cannot nest).
    link_depth: usize,
    html_block: HtmlBlock,
    table: Option<Table>,
    footnotes: Footnotes,
    marker: Option<GlossaryMarker<'a>>,
}

impl<'a> Walk<'a> {
    fn new(cx: &'a PageCx<'a>) -> Walk<'a> {
        Walk {
            cx,
            r: Rendered::default(),
            out: Vec::new(),
            code: None,
            heading: None,
            headings: Headings::default(),
            links: Links::default(),
            link_depth: 0,
            html_block: HtmlBlock::default(),
            table: None,
            footnotes: Footnotes::default(),
            marker: GlossaryMarker::for_page(cx.site, cx.page),
        }
    }

    /// One event, through the steps of the module documentation.
    fn step(&mut self, event: Event<'a>, offset: usize) {
        if self.read_code(&event) {
            return;
        }
        self.observe(&event, offset);
        if self.mark_glossary(&event) {
            return;
        }
        if let Some(event) = self.rewrite(event, offset) {
            self.emit(event);
        }
    }

    /// Step 1: collects a code block's text; true if the event was taken.
    fn read_code(&mut self, event: &Event) -> bool {
        let Some((lang, code)) = &mut self.code else {
            return false;
        };
        match event {
            Event::Text(t) => code.push_str(t),
            Event::End(TagEnd::CodeBlock) => {
                let html = self.cx.highlighter.block(lang, code);
                self.out.push(Event::Html(html.into()));
                self.code = None;
            }
            _ => {}
        }
        true
    }

    /// Step 2: what rules need to see before any rewriting.
    fn observe(&mut self, event: &Event, offset: usize) {
        if let Some(t) = &mut self.table {
            t.observe(event);
        }
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => self.link_depth += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => {
                self.link_depth = self.link_depth.saturating_sub(1);
            }
            Event::Start(Tag::HtmlBlock) => self.html_block.start(offset),
            Event::Html(h) => self.html_block.push(h),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(d) = self.html_block.end(self.cx) {
                    self.r.diagnostics.push(d);
                }
            }
            _ => {}
        }
    }

    /// Step 3: text outside headings and links joins the glossary run
    /// (true: the event was taken); any other event ends the run.
    fn mark_glossary(&mut self, event: &Event) -> bool {
        let markable = self.heading.is_none() && self.link_depth == 0;
        let Some(marker) = &mut self.marker else {
            return false;
        };
        if markable && marker.collect(event) {
            if let Event::Text(t) = event {
                self.r.word_count += t.split_whitespace().count();
            }
            return true;
        }
        marker.flush(&mut self.out);
        false
    }

    /// Step 4: the event as it is written, or `None` when it is held
    /// back (a heading's start, a code block's) or dropped.
    fn rewrite(&mut self, event: Event<'a>, offset: usize) -> Option<Event<'a>> {
        let strings = self.cx.strings;
        let html = |s: String| Some(Event::Html(s.into()));
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                self.code = Some((code_language(&kind), String::new()));
                None
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.heading = Some(HeadingBuf {
                    level: level as u8,
                    id,
                    classes,
                    attrs,
                    events: Vec::new(),
                    offset,
                });
                None
            }
            Event::End(TagEnd::Heading(_)) => {
                let h = self.heading.take()?;
                let html = self.headings.finish(h, &mut self.r, self.cx);
                self.out.push(Event::Html(html.into()));
                None
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                let in_heading = self.heading.is_some();
                let at = self.out.len();
                let tag = self
                    .links
                    .start(tag, in_heading, at, offset, self.cx, &mut self.r);
                Some(Event::Start(tag))
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => html(callouts::start(kind, strings)),
            Event::End(TagEnd::BlockQuote(Some(_))) => html(callouts::END.into()),
            Event::Start(Tag::Table(_) | Tag::TableHead | Tag::TableRow | Tag::TableCell)
            | Event::End(
                TagEnd::Table | TagEnd::TableHead | TagEnd::TableRow | TagEnd::TableCell,
            ) => self.table_event(event).and_then(html),
            Event::FootnoteReference(label) => html(self.footnotes.reference(&label, strings)),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let (start, id) = self.footnotes.definition_start(&label);
                self.r.ids.insert(id);
                html(start)
            }
            Event::End(TagEnd::FootnoteDefinition) => html(self.footnotes.definition_end(strings)),
            Event::TaskListMarker(done) => html(tasks::task_marker(done, strings)),
            Event::Text(t) => {
                self.r.word_count += t.split_whitespace().count();
                self.links.text(&t);
                Some(Event::Text(t))
            }
            Event::Code(t) => {
                self.links.text(&t);
                Some(Event::Code(t))
            }
            Event::End(TagEnd::Link) => match self.links.end(&mut self.out) {
                Some(note) => {
                    self.out.push(Event::End(TagEnd::Link));
                    Some(Event::InlineHtml(note.into()))
                }
                None => Some(Event::End(TagEnd::Link)),
            },
            Event::Html(h) => {
                let h = self.cx.fill(h);
                collect_html_ids(&h, &mut self.r.ids);
                Some(Event::Html(h))
            }
            Event::InlineHtml(h) => {
                let h = self.cx.fill(h);
                collect_html_ids(&h, &mut self.r.ids);
                Some(Event::InlineHtml(h))
            }
            e => Some(e),
        }
    }

    /// A table's events, written by [`Table`] (the HTML of the event, or
    /// `None` when it writes nothing or has already written into `out`).
    fn table_event(&mut self, event: Event<'a>) -> Option<String> {
        if let Event::Start(Tag::Table(align)) = event {
            let t = Table::new(align);
            let html = t.start(self.cx.strings);
            self.table = Some(t);
            return Some(html);
        }
        if let Event::End(TagEnd::TableRow) = event {
            return Some("</tr>\n".into());
        }
        let t = self.table.as_mut()?;
        match event {
            Event::Start(Tag::TableHead) => Some(t.head_start(self.out.len()).into()),
            Event::End(TagEnd::TableHead) => {
                t.head_end(&mut self.out);
                None
            }
            Event::Start(Tag::TableRow) => Some(t.row_start()),
            Event::Start(Tag::TableCell) => Some(t.cell_start(self.out.len())),
            Event::End(TagEnd::TableCell) => Some(t.cell_end(&mut self.out).into()),
            Event::End(TagEnd::Table) => self.table.take().map(Table::end),
            _ => None,
        }
    }

    /// Step 5: into the heading being read, or the output.
    fn emit(&mut self, event: Event<'a>) {
        match &mut self.heading {
            Some(h) => h.events.push(event),
            None => self.out.push(event),
        }
    }

    /// After the last event: checks that need the whole page, and the HTML.
    fn finish(mut self, body_len: usize) -> Rendered {
        let cx = self.cx;
        if let Some(m) = &mut self.marker {
            m.flush(&mut self.out);
        }
        let mut r = self.r;
        self.links.check_local_anchors(&mut r, cx);
        r.toc = self.headings.toc().into();
        if let Some(m) = self.marker {
            r.glossary_terms = m.terms();
        }
        // The glossary page's entries are link targets too.
        let lang = cx.site.pages[cx.page].lang;
        if cx.site.glossary_page(lang) == Some(cx.page)
            && let Some(g) = cx.site.glossary(lang)
        {
            r.ids.extend((0..g.terms().len()).map(|i| g.anchor(i)));
        }
        let mut html = String::with_capacity(body_len * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, self.out.into_iter());
        r.html = std::sync::Arc::new(html);
        r
    }
}

/// A code block's language: the first word of a fenced block's info
/// string (`rust,ignore` and `python {.x}` are `rust` and `python`).
fn code_language(kind: &CodeBlockKind) -> String {
    match kind {
        CodeBlockKind::Fenced(info) => info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
            .next()
            .unwrap_or("")
            .to_string(),
        CodeBlockKind::Indented => String::new(),
    }
}
