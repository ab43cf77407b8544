//! Markdown → HTML for one page, with everything a docs site adds on top of
//! CommonMark: heading ids and self-links, a table of contents, link
//! rewriting and checking, GitHub-style callouts and highlighted code.
//!
//! It works on pulldown-cmark's event stream: events pass through unchanged
//! unless one of the rules below rewrites them, and pulldown-cmark's own HTML
//! writer produces the result. Cross-page anchors cannot be checked until
//! every page has its heading ids, so they are returned as [`AnchorRef`]s for
//! the build to verify afterwards; same-page anchors are checked here.

pub mod highlight;
mod table;

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd,
};
use serde::Serialize;

pub use highlight::Highlighter;
use table::Table;

use crate::diagnostics::Diagnostic;
use crate::glossary::Glossary;
use crate::model::{LinkTarget, PageId, Site};
use crate::readability::{self, Readability};
use crate::slug::{UniqueIds, heading_id};

/// One entry of a page's table of contents (h2, with its h3s as children).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// A link to a heading of another page, checked once all pages are rendered.
#[derive(Debug, Clone)]
pub struct AnchorRef {
    pub target: PageId,
    pub anchor: String,
    /// The error to report if the anchor does not exist.
    pub missing: Diagnostic,
}

/// The result of rendering one page's Markdown.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Every id a link may target on this page (headings, footnotes, raw
    /// HTML ids).
    pub ids: HashSet<String>,
    pub word_count: usize,
    pub anchor_refs: Vec<AnchorRef>,
    pub diagnostics: Vec<Diagnostic>,
    /// Glossary terms marked on this page (indexes into the glossary).
    pub glossary_terms: Vec<usize>,
}

/// The Markdown extensions marrow enables.
pub fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

struct HeadingBuf<'a> {
    level: u8,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    events: Vec<Event<'a>>,
    offset: usize,
}

/// Renders the body of `page`.
pub fn render(site: &Site, page: PageId, highlighter: &Highlighter) -> Rendered {
    let p = &site.pages[page];
    let body = p.doc.body();
    let base = p.doc.body_start;
    let display = p.source.display();
    let text = &p.doc.text;
    let at = |offset: usize, message: String| {
        Diagnostic::at_offset(&display, text, base + offset, message)
    };

    let mut r = Rendered::default();
    let mut out: Vec<Event> = Vec::new();
    let mut heading: Option<HeadingBuf> = None;
    let mut code: Option<(String, String)> = None;
    let mut ids = UniqueIds::default();
    let mut local_anchors: Vec<(String, usize)> = Vec::new();
    let mut headings: Vec<(u8, String, String)> = Vec::new();
    let mut footnotes = Footnotes::default();
    let mut marker = site
        .glossary
        .as_ref()
        .zip(site.glossary_page)
        .filter(|(_, gp)| *gp != page)
        .map(|(glossary, gp)| GlossaryMarker {
            glossary,
            href: format!("{}{}", p.root_prefix(), site.link(gp)),
            seen: HashSet::new(),
        });
    // Inside links and images terms are not marked (links cannot nest).
    let mut link_depth = 0usize;
    let mut run = String::new();
    // The raw HTML block being read: where it starts, and its text.
    let mut html_block: Option<(usize, String)> = None;
    let mut table: Option<Table> = None;
    // The link being read outside headings: where its start event is in
    // `out`, and its text.
    let mut bare: Option<(usize, String)> = None;

    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        if let Some((lang, buf)) = &mut code {
            match event {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    out.push(Event::Html(highlighter.block(lang, buf).into()));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        if let Some(t) = &mut table {
            t.observe(&event);
        }
        match &event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => link_depth += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => link_depth = link_depth.saturating_sub(1),
            Event::Start(Tag::HtmlBlock) => html_block = Some((range.start, String::new())),
            Event::Html(h) => {
                if let Some((_, text)) = &mut html_block {
                    text.push_str(h);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((offset, text)) = html_block.take()
                    && let Some(d) = unclosed_html(&text, offset, &at)
                {
                    r.diagnostics.push(d);
                }
            }
            _ => {}
        }
        // Runs of text (across soft line breaks) are collected and marked
        // as one piece, so a term broken over two source lines is found.
        let markable = heading.is_none() && link_depth == 0 && marker.is_some();
        match &event {
            Event::Text(t) if markable => {
                r.word_count += t.split_whitespace().count();
                run.push_str(t);
                continue;
            }
            Event::SoftBreak if markable && !run.is_empty() => {
                run.push('\n');
                continue;
            }
            _ => {
                if let Some(m) = &mut marker
                    && !run.is_empty()
                {
                    out.extend(m.mark(&CowStr::from(std::mem::take(&mut run))));
                }
            }
        }
        let event = match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or("")
                        .to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
                continue;
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some(HeadingBuf {
                    level: level as u8,
                    id,
                    classes,
                    attrs,
                    events: Vec::new(),
                    offset: range.start,
                });
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    let html = finish_heading(h, &mut ids, &mut headings, &mut r, &at);
                    out.push(Event::Html(html.into()));
                }
                continue;
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                if matches!(tag, Tag::Link { .. }) && heading.is_none() {
                    bare = Some((out.len(), String::new()));
                }
                Event::Start(map_destination(tag, |dest| {
                    rewrite(
                        site,
                        page,
                        dest,
                        range.start,
                        &at,
                        &mut r,
                        &mut local_anchors,
                    )
                }))
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = callout(kind);
                Event::Html(
                    format!(
                        "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{label}</p>\n"
                    )
                    .into(),
                )
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html("</div>\n".into()),
            Event::Start(Tag::Table(align)) => {
                let t = Table::new(align);
                let html = t.start();
                table = Some(t);
                Event::Html(html.into())
            }
            Event::Start(Tag::TableHead) => match &mut table {
                Some(t) => Event::Html(t.head_start(out.len()).into()),
                None => continue,
            },
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = &mut table {
                    t.head_end(&mut out);
                }
                continue;
            }
            Event::Start(Tag::TableRow) => match &mut table {
                Some(t) => Event::Html(t.row_start().into()),
                None => continue,
            },
            Event::End(TagEnd::TableRow) => Event::Html("</tr>\n".into()),
            Event::Start(Tag::TableCell) => match &mut table {
                Some(t) => Event::Html(t.cell_start(out.len()).into()),
                None => continue,
            },
            Event::End(TagEnd::TableCell) => match &mut table {
                Some(t) => Event::Html(t.cell_end(&mut out).into()),
                None => continue,
            },
            Event::End(TagEnd::Table) => match table.take() {
                Some(t) => Event::Html(t.end().into()),
                None => continue,
            },
            Event::FootnoteReference(label) => Event::Html(footnotes.reference(&label).into()),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let (html, id) = footnotes.definition_start(&label);
                r.ids.insert(id);
                Event::Html(html.into())
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                Event::Html(footnotes.definition_end().into())
            }
            Event::TaskListMarker(done) => Event::Html(
                if done {
                    "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\"Not done\"> "
                }
                .into(),
            ),
            Event::Text(t) => {
                r.word_count += t.split_whitespace().count();
                if let Some((_, text)) = &mut bare {
                    text.push_str(&t);
                }
                Event::Text(t)
            }
            Event::Code(t) => {
                if let Some((_, text)) = &mut bare {
                    text.push_str(&t);
                }
                Event::Code(t)
            }
            Event::End(TagEnd::Link) => {
                if let Some((at, text)) = bare.take()
                    && let Some(html) = bare_url_link(&out[at], &text)
                {
                    out[at] = Event::Html(html.into());
                }
                Event::End(TagEnd::Link)
            }
            Event::Html(h) => {
                collect_html_ids(&h, &mut r.ids);
                Event::Html(h)
            }
            Event::InlineHtml(h) => {
                collect_html_ids(&h, &mut r.ids);
                Event::InlineHtml(h)
            }
            e => e,
        };
        match &mut heading {
            Some(h) => h.events.push(event),
            None => out.push(event),
        }
    }

    if let Some(m) = &mut marker
        && !run.is_empty()
    {
        out.extend(m.mark(&CowStr::from(std::mem::take(&mut run))));
    }
    for (anchor, offset) in local_anchors {
        if !r.ids.contains(&anchor) {
            r.diagnostics.push(
                at(
                    offset,
                    format!("link to `#{anchor}`: no heading with that id on this page"),
                )
                .with_help(suggest_anchor(&anchor, &r.ids)),
            );
        }
    }
    r.toc = build_toc(headings);
    if let Some(m) = marker {
        r.glossary_terms = m.seen.into_iter().collect();
        r.glossary_terms.sort_unstable();
    }
    if page == site.glossary_page.unwrap_or(usize::MAX)
        && let Some(g) = &site.glossary
    {
        r.ids.extend((0..g.terms().len()).map(|i| g.anchor(i)));
    }

    r.html.reserve(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut r.html, out.into_iter());
    r
}

/// A web link whose text is its own address (`<https://…>`, or
/// `[nhs.uk](https://www.nhs.uk/)`), written with `class="bare-url"`: the
/// theme prints the address after every other link, and would print these
/// twice.
fn bare_url_link(start: &Event, text: &str) -> Option<String> {
    let Event::Start(Tag::Link {
        dest_url, title, ..
    }) = start
    else {
        return None;
    };
    // The address as people write it: no scheme, `www.` or final `/`.
    let plain = |s: &str| {
        let s = s.trim().to_lowercase();
        let s = ["https://", "http://"]
            .iter()
            .find_map(|p| s.strip_prefix(p))
            .unwrap_or(&s);
        let s = s.strip_prefix("www.").unwrap_or(s);
        s.trim_end_matches('/').to_string()
    };
    let web = ["https://", "http://"].iter().any(|p| {
        dest_url
            .get(..p.len())
            .is_some_and(|d| d.eq_ignore_ascii_case(p))
    });
    if !web || plain(text) != plain(dest_url) {
        return None;
    }
    let mut html = String::from("<a class=\"bare-url\" href=\"");
    let _ = pulldown_cmark_escape::escape_href(&mut html, dest_url);
    html.push('"');
    if !title.is_empty() {
        html.push_str(" title=\"");
        html.push_str(&escape(title));
        html.push('"');
    }
    html.push('>');
    Some(html)
}

/// An HTML block that opens a comment, `<script>`, `<style>`, `<pre>` or
/// `<textarea>` and never closes it. Markdown then treats the rest of the
/// page as that HTML, and the browser the rest of the *site's* page too:
/// the footer, navigation and scripts vanish into the comment.
fn unclosed_html(
    block: &str,
    offset: usize,
    at: &dyn Fn(usize, String) -> Diagnostic,
) -> Option<Diagnostic> {
    let start = block.trim_start();
    let lead = block.len() - start.len();
    if let Some(comment) = start.strip_prefix("<!--") {
        if comment.contains("-->") {
            return None;
        }
        return Some(
            at(offset + lead, "HTML comment `<!--` is never closed".into()).with_help(
                "add `-->` where the comment should end; everything after it is hidden, including the rest of the page",
            ),
        );
    }
    let lower = start.get(..10).unwrap_or(start).to_ascii_lowercase();
    let tag = ["script", "style", "pre", "textarea"]
        .into_iter()
        .find(|t| {
            lower.strip_prefix('<').is_some_and(|r| {
                r.starts_with(t)
                    && r[t.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| c == '>' || c.is_whitespace())
            })
        })?;
    if start.to_ascii_lowercase().contains(&format!("</{tag}")) {
        return None;
    }
    Some(
        at(offset + lead, format!("`<{tag}>` is never closed")).with_help(format!(
            "add `</{tag}>` where it should end; until then the rest of the page is read as its content"
        )),
    )
}

/// Applies `f` to the destination of a link or image tag.
fn map_destination<'a>(tag: Tag<'a>, f: impl FnOnce(CowStr<'a>) -> CowStr<'a>) -> Tag<'a> {
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Link {
            link_type,
            dest_url: f(dest_url),
            title,
            id,
        },
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Image {
            link_type,
            dest_url: f(dest_url),
            title,
            id,
        },
        other => other,
    }
}

fn rewrite<'a>(
    site: &Site,
    page: PageId,
    dest: CowStr<'a>,
    offset: usize,
    at: &dyn Fn(usize, String) -> Diagnostic,
    r: &mut Rendered,
    local_anchors: &mut Vec<(String, usize)>,
) -> CowStr<'a> {
    let target = site.resolve_link(page, &dest);
    match &target {
        LinkTarget::Missing { message, help } => {
            r.diagnostics
                .push(at(offset, message.clone()).with_help(help.clone()));
            return dest;
        }
        LinkTarget::Page {
            id,
            fragment: Some(f),
        } if *id == page => local_anchors.push((f.clone(), offset)),
        LinkTarget::Page {
            id,
            fragment: Some(f),
        } => r.anchor_refs.push(AnchorRef {
            target: *id,
            anchor: f.clone(),
            missing: at(
                offset,
                format!(
                    "link `{dest}`: `{}` has no heading with id `{f}`",
                    site.pages[*id].source.display().display()
                ),
            ),
        }),
        _ => {}
    }
    // External and unparsed links have no href of ours: they stay as written.
    site.href(page, &target).map_or(dest, CowStr::from)
}

fn finish_heading(
    h: HeadingBuf,
    ids: &mut UniqueIds,
    headings: &mut Vec<(u8, String, String)>,
    r: &mut Rendered,
    at: &dyn Fn(usize, String) -> Diagnostic,
) -> String {
    let mut title = String::new();
    let mut has_link = false;
    for e in &h.events {
        match e {
            Event::Text(t) | Event::Code(t) => title.push_str(t),
            Event::Start(Tag::Link { .. }) => has_link = true,
            _ => {}
        }
    }
    let id = match &h.id {
        Some(custom) => {
            if !ids.reserve(custom) {
                r.diagnostics.push(
                    at(
                        h.offset,
                        format!("heading id `{custom}` is used twice on this page"),
                    )
                    .with_help("give each `{#id}` a different name"),
                );
            }
            custom.to_string()
        }
        None => ids.unique(heading_id(&title)),
    };
    r.ids.insert(id.clone());
    let mut inner = String::new();
    pulldown_cmark::html::push_html(&mut inner, h.events.into_iter());
    let mut attrs = String::new();
    if !h.classes.is_empty() {
        attrs.push_str(" class=\"");
        attrs.push_str(&escape(&h.classes.join(" ")));
        attrs.push('"');
    }
    for (k, v) in &h.attrs {
        attrs.push(' ');
        attrs.push_str(&escape(k));
        if let Some(v) = v {
            attrs.push_str("=\"");
            attrs.push_str(&escape(v));
            attrs.push('"');
        }
    }
    let n = h.level;
    let id_attr = escape(&id);
    let href = escape(&encode_fragment(&id));
    let html = if has_link {
        // Links cannot nest: add a separate self-link after the text.
        format!(
            "<h{n} id=\"{id_attr}\"{attrs}>{inner} <a class=\"heading-anchor\" href=\"#{href}\"><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">Link to this section</span></a></h{n}>\n"
        )
    } else {
        format!(
            "<h{n} id=\"{id_attr}\"{attrs}><a class=\"heading-link\" href=\"#{href}\">{inner}</a></h{n}>\n"
        )
    };
    headings.push((n, id, title.trim().to_string()));
    html
}

fn build_toc(headings: Vec<(u8, String, String)>) -> Vec<TocEntry> {
    let mut toc: Vec<TocEntry> = Vec::new();
    for (level, id, title) in headings {
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

/// Readability of the prose a reader sees on `page` (no code, tables, URLs,
/// footnotes or HTML), leaving out the site's ignored words. Separate from
/// [`render`] because only `marrow check` needs it: builds do not pay for it.
pub fn readability(site: &Site, page: PageId) -> Readability {
    let mut prose = Prose::default();
    for event in Parser::new_ext(site.pages[page].doc.body(), parser_options()) {
        prose.observe(&event);
    }
    let ignore = &site.readability_ignore;
    readability::analyze(&prose.text, &|word: &str| {
        let lower = word.to_lowercase();
        ignore.contains(&lower) || lower.strip_suffix('s').is_some_and(|w| ignore.contains(w))
    })
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

/// Marks the first occurrence of each glossary term on a page as a link to
/// its glossary entry, with the definition as a hidden description that the
/// theme's script turns into an accessible tooltip.
struct GlossaryMarker<'g> {
    glossary: &'g Glossary,
    /// Link to the glossary page from this page.
    href: String,
    seen: HashSet<usize>,
}

impl GlossaryMarker<'_> {
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
            let term = &self.glossary.terms()[index];
            events.push(Event::InlineHtml(CowStr::from(format!(
                "<a class=\"gloss\" href=\"{href}#{anchor}\" aria-describedby=\"gloss-def-{anchor}\">{text}</a><span class=\"gloss-def\" id=\"gloss-def-{anchor}\" role=\"tooltip\" hidden>{definition}</span>",
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

/// Numbers footnotes in order of first reference and gives them ids that
/// cannot collide with heading ids (`fn-…`, `fnref-…`), with links both ways.
#[derive(Default)]
struct Footnotes {
    numbers: HashMap<String, usize>,
    references: HashMap<String, usize>,
    open: Option<(String, usize)>,
}

impl Footnotes {
    fn number(&mut self, label: &str) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(label.to_string()).or_insert(next)
    }

    fn reference(&mut self, label: &str) -> String {
        let n = self.number(label);
        let key = footnote_key(label);
        let count = self.references.entry(label.to_string()).or_insert(0);
        *count += 1;
        let id = if *count == 1 {
            format!("fnref-{key}")
        } else {
            format!("fnref-{key}-{count}")
        };
        format!(
            "<sup class=\"footnote-reference\" id=\"{id}\"><a href=\"#fn-{key}\"><span class=\"visually-hidden\">Footnote </span>{n}</a></sup>"
        )
    }

    fn definition_start(&mut self, label: &str) -> (String, String) {
        let n = self.number(label);
        let key = footnote_key(label);
        self.open = Some((key.clone(), n));
        (
            format!(
                "<div class=\"footnote-definition\" id=\"fn-{key}\">\n<sup class=\"footnote-definition-label\">{n}</sup>\n"
            ),
            format!("fn-{key}"),
        )
    }

    fn definition_end(&mut self) -> String {
        match self.open.take() {
            Some((key, n)) => format!(
                "<a class=\"footnote-backref\" href=\"#fnref-{key}\"><span aria-hidden=\"true\">↩</span><span class=\"visually-hidden\">Back to the text of footnote {n}</span></a>\n</div>\n"
            ),
            None => "</div>\n".into(),
        }
    }
}

/// A footnote label as an id fragment: no whitespace, HTML-safe.
fn footnote_key(label: &str) -> String {
    let joined: String = label
        .chars()
        .map(|c| if c.is_whitespace() { '-' } else { c })
        .collect();
    escape(&encode_fragment(&joined))
}

fn callout(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// Picks up `id="…"` attributes written in raw HTML so links to them check.
fn collect_html_ids(html: &str, ids: &mut HashSet<String>) {
    let mut rest = html;
    while let Some(i) = rest.find("id=") {
        let before_ok = i == 0 || rest.as_bytes()[i - 1].is_ascii_whitespace();
        rest = &rest[i + 3..];
        let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        rest = &rest[1..];
        if let Some(end) = rest.find(q) {
            if before_ok {
                ids.insert(rest[..end].to_string());
            }
            rest = &rest[end..];
        }
    }
}

fn suggest_anchor(anchor: &str, ids: &HashSet<String>) -> String {
    match crate::diagnostics::suggest(anchor, ids.iter().map(String::as_str)) {
        Some(s) => format!("did you mean `#{s}`?"),
        None if ids.is_empty() => "this page has no headings to link to".into(),
        None => "heading ids are the heading text in lower case with hyphens, or set one with `## Heading {#my-id}`".into(),
    }
}

/// HTML-escapes text for element content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

fn encode_fragment(id: &str) -> String {
    crate::model::encode_path(id)
}

/// Looks up which ids a rendered page declares, for cross-page checks.
pub fn missing_anchors<'a>(
    refs: impl IntoIterator<Item = &'a AnchorRef>,
    ids_of: impl Fn(PageId) -> Option<&'a HashSet<String>>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in refs {
        if let Some(ids) = ids_of(r.target)
            && !ids.contains(&r.anchor)
        {
            out.push(r.missing.clone().with_help(suggest_anchor(&r.anchor, ids)));
        }
    }
    out
}

#[cfg(test)]
mod tests;
