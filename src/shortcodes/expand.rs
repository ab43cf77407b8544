//! The expansion walk: copies a page's Markdown, writing what each tag
//! stands for in its place, and records where every piece of the result
//! came from.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

use super::PLACEHOLDER;
use super::library::Library;
use super::parse::{self, Found, Problem, TagKind};

/// Something a page's text was made from besides its own file: serve
/// re-renders the page when it changes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Dependency {
    /// A snippet, by its path under `content/_snippets/` (used or only
    /// asked for: creating a missing snippet fixes the page).
    Snippet(String),
    /// A fact of `data/facts.yaml`, by name.
    Fact(String),
}

/// Which file a piece of expanded text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Page,
    /// Index into [`SourceMap::snippets`].
    Snippet(usize),
}

/// Where a stretch of expanded text comes from.
#[derive(Debug, Clone, Copy)]
struct Span {
    /// Start in the expanded text.
    at: usize,
    origin: Origin,
    /// Offset in the origin file.
    offset: usize,
    /// Copied byte for byte (offsets advance with the text), or written by
    /// a shortcode (every offset is the tag's).
    copied: bool,
}

/// Expanded-text offsets back to file positions.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceMap {
    spans: Vec<Span>,
    /// The snippets the text holds, by path under `_snippets/`.
    snippets: Vec<String>,
}

impl SourceMap {
    /// The file (`None`: the page) and offset that expanded offset `at`
    /// comes from.
    fn locate(&self, at: usize) -> (Option<&str>, usize) {
        let i = self.spans.partition_point(|s| s.at <= at);
        let Some(span) = i.checked_sub(1).and_then(|i| self.spans.get(i)) else {
            return (None, at);
        };
        let offset = if span.copied {
            span.offset + (at - span.at)
        } else {
            span.offset
        };
        match span.origin {
            Origin::Page => (None, offset),
            Origin::Snippet(s) => (self.snippets.get(s).map(String::as_str), offset),
        }
    }
}

/// A page's Markdown body with its shortcodes expanded.
#[derive(Debug, Clone, Default)]
pub(crate) struct Expanded {
    pub(crate) text: String,
    pub(crate) map: SourceMap,
    /// The HTML each placeholder stands for.
    pub(crate) html: Vec<String>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) uses: Vec<Dependency>,
}

impl Expanded {
    /// An error at `offset` of the expanded text, located in the file the
    /// writer wrote that part in: the page (`file`, whose whole text is
    /// `text`) or a snippet.
    pub(crate) fn diagnostic(
        &self,
        lib: &Library,
        file: &Path,
        text: &str,
        offset: usize,
        message: String,
    ) -> Diagnostic {
        match self.map.locate(offset) {
            (Some(key), at) => match lib.snippets.get(key) {
                Some(s) => Diagnostic::at_offset(&s.display, &s.text, at, included(message, file)),
                None => Diagnostic::file(file, message),
            },
            (None, at) => Diagnostic::at_offset(file, text, at, message),
        }
    }
}

/// Expands the shortcodes of the body of page `file`, whose whole text is
/// `text`, the body starting at byte `body_start`. The map's page offsets
/// are offsets in `text`.
/// `options` are the Markdown options the page is rendered with (they say
/// what is code).
pub(crate) fn expand(
    lib: &Library,
    file: PathBuf,
    text: &str,
    body_start: usize,
    options: pulldown_cmark::Options,
) -> Expanded {
    let mut ex = Expander {
        lib,
        page: file.clone(),
        options,
        out: Expanded::default(),
        indent: String::new(),
        including: Vec::new(),
        wrote_block: false,
    };
    let src = Src {
        origin: Origin::Page,
        file: &file,
        full: text,
        base: body_start.min(text.len()),
    };
    ex.expand_all(&src, src.text().len());
    ex.out
}

/// The text being walked: the page's body, or a snippet.
pub(super) struct Src<'s> {
    origin: Origin,
    pub(super) file: &'s Path,
    /// The whole file.
    pub(super) full: &'s str,
    /// Where the walked text starts in it.
    base: usize,
}

impl<'s> Src<'s> {
    pub(super) fn text(&self) -> &'s str {
        &self.full[self.base..]
    }

    /// Starts the text `n` bytes later.
    pub(super) fn skip(&mut self, n: usize) {
        self.base = (self.base + n).min(self.full.len());
    }
}

/// Deepest chain of snippets including snippets.
const MAX_INCLUDE_DEPTH: usize = 16;

pub(super) struct Expander<'l> {
    pub(super) lib: &'l Library,
    /// The page being expanded, named in errors found in its snippets.
    pub(super) page: PathBuf,
    options: pulldown_cmark::Options,
    pub(super) out: Expanded,
    /// Put after every new line written: the containers (list items,
    /// quotes) the text being written is inside.
    indent: String,
    /// The snippets being included, outermost first (to refuse cycles).
    pub(super) including: Vec<String>,
    /// Whether the tag being written wrote a block.
    wrote_block: bool,
}

impl Expander<'_> {
    /// Walks `src`'s text up to `len`.
    pub(super) fn expand_all(&mut self, src: &Src, len: usize) {
        let text = &src.text()[..len];
        if !parse::may_have_tags(text) {
            self.copy(src, 0..len);
            return;
        }
        let regions = parse::regions(text, self.options);
        let found = parse::scan(text, &regions);
        self.walk(src, &found, 0..len);
    }

    /// Copies `range` of `src`'s text, writing each tag of `found` (all
    /// inside `range`) as what it stands for.
    pub(super) fn walk(&mut self, src: &Src, found: &[Found], range: Range<usize>) {
        let mut cursor = range.start;
        let mut i = 0;
        while i < found.len() {
            let f = &found[i];
            self.copy(src, cursor..f.range.start);
            cursor = f.range.end;
            let mut last = f.range.clone();
            i += 1;
            self.wrote_block = false;
            match &f.tag {
                Err(p) => self.problem(src, p),
                Ok(TagKind::Inline(call)) => self.inline(src, f, call),
                Ok(TagKind::End) => self.problem(
                    src,
                    &Problem {
                        at: f.range.start,
                        message: "`{% end %}` without a `{% name(…) %}` to close".into(),
                        help: "remove it, or open the body with `{% name(…) %}`".into(),
                    },
                ),
                Ok(TagKind::Open(call)) => {
                    let Some(close) = matching_end(&found[i..]) else {
                        self.problem(
                            src,
                            &Problem {
                                at: f.range.start,
                                message: format!("`{{% {}(…) %}}` is never closed", call.name),
                                help: "add `{% end %}` on a line of its own where its body ends"
                                    .into(),
                            },
                        );
                        continue;
                    };
                    let end = &found[i + close];
                    let body = f.range.end..end.range.start;
                    self.block(
                        src,
                        (f.range.clone(), end.range.clone()),
                        call,
                        body,
                        &found[i..i + close],
                    );
                    cursor = end.range.end;
                    last = end.range.clone();
                    i += close + 1;
                }
            }
            // A block ends the paragraph its line was in: the next line,
            // if it was indented as a continuation, must not become code.
            if self.wrote_block
                && let Some(skip) = over_indented_next_line(src.text(), &last, range.end)
            {
                self.copy(src, cursor..skip.start);
                cursor = skip.end;
            }
        }
        self.copy(src, cursor..range.end);
    }

    /// Copies `range` of `src`'s text as it is, indenting new lines.
    pub(super) fn copy(&mut self, src: &Src, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        let text = &src.text()[range.clone()];
        if self.indent.is_empty() {
            self.span(src, range.start, true);
            self.out.text.push_str(text);
            return;
        }
        let mut at = range.start;
        for line in text.split_inclusive('\n') {
            self.span(src, at, true);
            self.out.text.push_str(line);
            at += line.len();
            if line.ends_with('\n') && at < range.end {
                self.span(src, at, false);
                let indent = self.indent.clone();
                self.out.text.push_str(&indent);
            }
        }
    }

    /// Writes `s` in place of the tag at `at` of `src`'s text, indenting
    /// new lines.
    pub(super) fn write(&mut self, src: &Src, at: usize, s: &str) {
        self.span(src, at, false);
        if self.indent.is_empty() || !s.contains('\n') {
            self.out.text.push_str(s);
            return;
        }
        let mut lines = s.split('\n');
        if let Some(first) = lines.next() {
            self.out.text.push_str(first);
        }
        for line in lines {
            self.out.text.push('\n');
            self.out.text.push_str(&self.indent);
            self.out.text.push_str(line);
        }
    }

    /// Writes a placeholder for `html` (inline).
    pub(super) fn write_html(&mut self, src: &Src, at: usize, html: String) {
        let tag = format!("{PLACEHOLDER}{}>", self.out.html.len());
        self.out.html.push(html);
        self.write(src, at, &tag);
    }

    /// Writes a placeholder for `html` as a block of its own, with blank
    /// lines around it.
    pub(super) fn write_html_block(&mut self, src: &Src, at: usize, html: String) {
        self.wrote_block = true;
        let tag = format!("\n\n{PLACEHOLDER}{}>\n\n", self.out.html.len());
        self.out.html.push(html);
        self.write(src, at, &tag);
    }

    /// Runs `f` with `prefix` added to the indent of new lines.
    pub(super) fn indented<R>(&mut self, prefix: &str, f: impl FnOnce(&mut Self) -> R) -> R {
        let kept = self.indent.len();
        self.indent.push_str(prefix);
        let r = f(self);
        self.indent.truncate(kept);
        r
    }

    fn span(&mut self, src: &Src, at: usize, copied: bool) {
        let span = Span {
            at: self.out.text.len(),
            origin: src.origin,
            offset: src.base + at,
            copied,
        };
        match self.out.map.spans.last_mut() {
            // An empty stretch is replaced by the one that follows it.
            Some(last) if last.at == span.at => *last = span,
            _ => self.out.map.spans.push(span),
        }
    }

    /// Reports `p`, at its place in `src`.
    pub(super) fn problem(&mut self, src: &Src, p: &Problem) {
        let message = match src.origin {
            Origin::Page => p.message.clone(),
            Origin::Snippet(_) => included(p.message.clone(), &self.page),
        };
        let d = Diagnostic::at_offset(src.file, src.full, src.base + p.at, message)
            .with_help(p.help.clone());
        self.out.diagnostics.push(d);
    }

    /// The origin to use for text of snippet `key`.
    pub(super) fn snippet_src<'s>(&mut self, key: &str, file: &'s Path, full: &'s str) -> Src<'s> {
        let index = match self.out.map.snippets.iter().position(|s| s == key) {
            Some(i) => i,
            None => {
                self.out.map.snippets.push(key.to_string());
                self.out.map.snippets.len() - 1
            }
        };
        Src {
            origin: Origin::Snippet(index),
            file,
            full,
            base: 0,
        }
    }

    pub(super) fn too_deep(&self) -> bool {
        self.including.len() >= MAX_INCLUDE_DEPTH
    }
}

/// `message` about a snippet, saying which page it was included in (the
/// same snippet may be fine on one page and not on another: a link is
/// read from the page).
fn included(message: String, page: &Path) -> String {
    format!("{message} (in a snippet included by {})", page.display())
}

/// The index in `rest` (the tags after an opening one) of the `{% end %}`
/// that closes it.
fn matching_end(rest: &[Found]) -> Option<usize> {
    let mut depth = 0usize;
    for (i, f) in rest.iter().enumerate() {
        match f.tag {
            Ok(TagKind::Open(_)) => depth += 1,
            Ok(TagKind::End) if depth == 0 => return Some(i),
            Ok(TagKind::End) => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The indentation to drop from the line after the tag at `tag` (alone on
/// its line): the part that would make it an indented code block once the
/// tag has become a block of its own, when the line was the paragraph's
/// continuation in what the writer wrote.
fn over_indented_next_line(text: &str, tag: &Range<usize>, limit: usize) -> Option<Range<usize>> {
    let Placement::Line(base) = placement(text, tag) else {
        return None;
    };
    // A quote's marker is not repeated on a lazy continuation line.
    let base = if base.chars().all(|c| c == ' ') {
        base
    } else {
        String::new()
    };
    let next = tag.end + text[tag.end..limit].find('\n')? + 1;
    let line = &text[next..limit];
    let spaces = line
        .bytes()
        .take_while(|b| *b == b' ' || *b == b'\t')
        .count();
    let blank = line[spaces..].starts_with(['\n', '\r']) || spaces == line.len();
    let columns: usize = line[..spaces]
        .bytes()
        .map(|b| if b == b'\t' { 4 } else { 1 })
        .sum();
    (!blank && columns >= base.len() + 4).then(|| next + base.len().min(spaces)..next + spaces)
}

/// How a tag sits on its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Placement {
    /// Alone on its line, after the markers of the containers it is in
    /// (`> `, `- `, indentation); holds the indent those containers give
    /// the lines that follow (`> `, `  `).
    Line(String),
    /// Within a line of text.
    Inline,
}

/// Where the tag at `range` of `text` sits.
pub(super) fn placement(text: &str, range: &Range<usize>) -> Placement {
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |i| range.end + i);
    if !text[range.end..line_end].trim().is_empty() {
        return Placement::Inline;
    }
    let prefix = &text[line_start..range.start];
    let Some(indent) = container_indent(prefix) else {
        return Placement::Inline;
    };
    // On a line that continues a paragraph, leading spaces are not a
    // container's: more than three would make the block code.
    let before = text[..line_start.saturating_sub(1)]
        .rsplit('\n')
        .next()
        .unwrap_or("");
    let continues = line_start > 0 && !before.trim().is_empty();
    if continues && indent.chars().all(|c| c == ' ' || c == '\t') {
        let columns: usize = indent.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum();
        return Placement::Line(" ".repeat(columns.min(3)));
    }
    Placement::Line(indent)
}

/// The indent that continues the containers opened by `prefix`, if it is
/// only container markers: `> ` stays, a list marker becomes spaces.
fn container_indent(prefix: &str) -> Option<String> {
    let mut indent = String::new();
    let mut rest = prefix;
    while !rest.is_empty() {
        let c = rest.chars().next()?;
        if c == '>' || c == ' ' || c == '\t' {
            indent.push(if c == '>' { '>' } else { c });
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let marker = if matches!(c, '-' | '*' | '+') {
            1
        } else if (1..=9).contains(&digits)
            && matches!(rest.as_bytes().get(digits), Some(b'.' | b')'))
        {
            digits + 1
        } else {
            return None;
        };
        if !rest[marker..].starts_with([' ', '\t']) {
            return None;
        }
        indent.push_str(&" ".repeat(marker));
        rest = &rest[marker..];
    }
    Some(indent)
}
