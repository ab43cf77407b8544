//! Finding shortcode tags in Markdown text, and template syntax that is not
//! marrow's.
//!
//! The scan works on the Markdown source, before it is rendered, because a
//! snippet's Markdown must be rendered as part of the page (its headings get
//! ids, its links are checked). Code spans and code blocks are found first
//! with pulldown-cmark, so what a writer shows as code is never touched.
//! Every offset here is a byte offset into the text scanned.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

/// An argument's value, as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Value {
    /// What the writer wrote, for messages (`a string`, `a number`…).
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Bool(_) => "true or false",
        }
    }
}

/// One `key=value` argument.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Arg {
    pub key: String,
    /// Where the key starts.
    pub at: usize,
    pub value: Value,
}

/// `name(key=value, …)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Call {
    pub name: String,
    /// Where the name starts.
    pub at: usize,
    pub args: Vec<Arg>,
}

impl Call {
    pub(crate) fn arg(&self, key: &str) -> Option<&Arg> {
        self.args.iter().find(|a| a.key == key)
    }
}

/// What a tag is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TagKind {
    /// `{{ name(…) }}`.
    Inline(Call),
    /// `{% name(…) %}`, the start of a body.
    Open(Call),
    /// `{% end %}`.
    End,
}

/// A problem with a tag: where, what, and what to do.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    pub at: usize,
    pub message: String,
    pub help: String,
}

/// A tag found in the text: its whole range, and what it is (or why it is
/// not a shortcode).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    pub range: Range<usize>,
    pub tag: Result<TagKind, Problem>,
    /// Inside a raw HTML block, where Markdown is not read: what the tag
    /// writes there must be HTML.
    pub in_html: bool,
}

/// Where tags are not read, and where they are read as raw HTML.
#[derive(Debug, Default)]
pub(crate) struct Regions {
    /// Code spans, fenced and indented blocks, and HTML comments, in order.
    pub skip: Vec<Range<usize>>,
    /// Raw HTML blocks, in order.
    pub html: Vec<Range<usize>>,
}

/// The regions of `text`, read with the page's Markdown `options`.
pub(crate) fn regions(text: &str, options: Options) -> Regions {
    let mut regions = Regions::default();
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        let comment = || text[range.clone()].trim_start().starts_with("<!--");
        let skipped = match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => true,
            // Readers never see a comment: what is in it is left alone.
            Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_) => comment(),
            _ => false,
        };
        if skipped {
            // A block's start event spans the whole block.
            add(&mut regions.skip, range);
        } else if matches!(event, Event::Start(Tag::HtmlBlock)) {
            add(&mut regions.html, range);
        }
    }
    regions
}

/// Adds `range` to `ranges`, joined with the last one if they touch.
fn add(ranges: &mut Vec<Range<usize>>, range: Range<usize>) {
    match ranges.last_mut() {
        Some(last) if last.end >= range.start => last.end = last.end.max(range.end),
        _ => ranges.push(range),
    }
}

/// Whether `text` may hold tags at all (most pages do not: they skip the
/// scan, and their text is used as it is).
pub(crate) fn may_have_tags(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

/// Every tag (and every piece of foreign template syntax) in `text`
/// outside the regions skipped, in order. `\{{` is not a tag: the
/// backslash is Markdown's escape, and the reader sees `{{`.
pub(crate) fn scan(text: &str, regions: &Regions) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut code = regions.skip.iter().peekable();
    let in_html = |i: usize| {
        let k = regions.html.partition_point(|r| r.end <= i);
        regions.html.get(k).is_some_and(|r| r.start <= i)
    };
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] != b'{' || !matches!(bytes[i + 1], b'{' | b'%') {
            i += 1;
            continue;
        }
        while code.peek().is_some_and(|c| c.end <= i) {
            code.next();
        }
        if let Some(c) = code.peek().filter(|c| c.start <= i) {
            i = c.end;
            continue;
        }
        if i > 0 && bytes[i - 1] == b'\\' {
            i += 2;
            continue;
        }
        let mut f = tag_at(text, i);
        f.in_html = in_html(i);
        i = f.range.end.max(i + 2);
        found.push(f);
    }
    found
}

/// The help every foreign-syntax error ends with.
pub(crate) const FOREIGN_HELP: &str = "marrow's shortcodes are `{{ name(key=\"value\") }}` and `{% name(key=\"value\") %}…{% end %}` (include, fact, figure, urgent, or the site's own in templates/shortcodes/); `marrow import hugo|jekyll SRC --into DST` converts a whole Hugo or Jekyll site; to show the braces as text, put them in `code`";

/// The tag starting at `start` (`{{` or `{%`).
fn tag_at(text: &str, start: usize) -> Found {
    let block = text.as_bytes()[start + 1] == b'%';
    let close = if block { "%}" } else { "}}" };
    let mut lx = Lexer {
        text,
        pos: start + 2,
    };
    let rest = &text[start + 2..];
    // Hugo's `{{< x >}}` and `{{% x %}}`.
    if !block && (rest.starts_with('<') || rest.starts_with('%')) {
        let end_mark = if rest.starts_with('<') { ">}}" } else { "%}}" };
        return foreign(
            text,
            start,
            end_mark,
            format!(
                "Hugo shortcode `{}` is not marrow syntax",
                excerpt(text, start, end_mark)
            ),
        );
    }
    lx.skip_space();
    if block && lx.word() == Some("end") {
        let after_end = lx.pos;
        lx.skip_space();
        if lx.eat(close) {
            return Found {
                range: start..lx.pos,
                tag: Ok(TagKind::End),
                in_html: false,
            };
        }
        lx.pos = after_end;
    }
    lx.pos = start + 2;
    lx.skip_space();
    let name_at = lx.pos;
    let name = lx.word();
    lx.skip_space();
    match name {
        Some(name) if lx.peek() == Some(b'(') => {
            lx.pos += 1;
            let call = lx.args(name, name_at).and_then(|call| {
                lx.skip_space();
                if lx.eat(close) {
                    Ok(call)
                } else {
                    Err(lx.problem(
                        format!("`{close}` expected after `{name}(…)`"),
                        format!("close the shortcode with `{close}`"),
                    ))
                }
            });
            let end = lx.pos.max(start + 2);
            Found {
                range: start..end,
                tag: call.map(|c| {
                    if block {
                        TagKind::Open(c)
                    } else {
                        TagKind::Inline(c)
                    }
                }),
                in_html: false,
            }
        }
        _ => {
            let what = describe_foreign(text, start, close);
            foreign(text, start, close, what)
        }
    }
}

/// What a piece of foreign syntax looks like it is.
fn describe_foreign(text: &str, start: usize, close: &str) -> String {
    let shown = excerpt(text, start, close);
    let inner = shown
        .get(2..shown.len().saturating_sub(close.len()))
        .unwrap_or("")
        .trim();
    if close == "%}" {
        let word = inner.split_whitespace().next().unwrap_or("");
        format!(
            "template tag `{shown}` (`{word}`, as Jekyll or Jinja write it) is not marrow syntax"
        )
    } else if inner.starts_with('.') || inner.starts_with('$') {
        format!("Hugo template code `{shown}` is not marrow syntax")
    } else if inner.contains('|') {
        format!("template filter `{shown}` (Liquid, Jinja or tera) is not marrow syntax")
    } else {
        format!("`{shown}` is not a marrow shortcode")
    }
}

/// A foreign tag ending at `end_mark` (or at the end of the line).
fn foreign(text: &str, start: usize, end_mark: &str, message: String) -> Found {
    Found {
        range: start..tag_end(text, start, end_mark),
        tag: Err(Problem {
            at: start,
            message,
            help: FOREIGN_HELP.into(),
        }),
        in_html: false,
    }
}

/// Where a tag that starts at `start` ends: after `end_mark` if it closes
/// on the same line, else at the end of the line.
fn tag_end(text: &str, start: usize, end_mark: &str) -> usize {
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    text[start + 2..line_end]
        .find(end_mark)
        .map_or(line_end, |i| start + 2 + i + end_mark.len())
}

/// The tag as written, for messages (one line, at most 60 characters).
fn excerpt<'t>(text: &'t str, start: usize, end_mark: &str) -> std::borrow::Cow<'t, str> {
    let shown = &text[start..tag_end(text, start, end_mark)];
    if shown.chars().count() <= 60 {
        return shown.into();
    }
    let cut: String = shown.chars().take(57).collect();
    format!("{cut}…").into()
}

/// A cursor over a tag's text.
struct Lexer<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Lexer<'t> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.text[self.pos..].starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    /// A name: ASCII letters, digits, `_` and `-`, starting with a letter
    /// or `_`.
    fn word(&mut self) -> Option<&'t str> {
        let start = self.pos;
        let bytes = self.text.as_bytes();
        if !bytes
            .get(start)
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        {
            return None;
        }
        let mut end = start;
        while bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
        {
            end += 1;
        }
        self.pos = end;
        Some(&self.text[start..end])
    }

    fn problem(&self, message: String, help: String) -> Problem {
        Problem {
            at: self.pos.min(self.text.len()),
            message,
            help,
        }
    }

    /// The arguments after `name(`, up to and including `)`.
    fn args(&mut self, name: &str, at: usize) -> Result<Call, Problem> {
        let mut call = Call {
            name: name.to_string(),
            at,
            args: Vec::new(),
        };
        loop {
            self.skip_space();
            if self.eat(")") {
                return Ok(call);
            }
            if !call.args.is_empty() {
                if !self.eat(",") {
                    return Err(self.problem(
                        format!("`,` or `)` expected in the arguments of `{name}`"),
                        "separate arguments with commas: `name(a=\"x\", b=2)`".into(),
                    ));
                }
                self.skip_space();
                // A trailing comma: `name(a=1,)`.
                if self.eat(")") {
                    return Ok(call);
                }
            }
            let arg = self.arg(name)?;
            if call.args.iter().any(|a| a.key == arg.key) {
                return Err(Problem {
                    at: arg.at,
                    message: format!("`{}` is given twice to `{name}`", arg.key),
                    help: "give each argument once".into(),
                });
            }
            call.args.push(arg);
        }
    }

    fn arg(&mut self, name: &str) -> Result<Arg, Problem> {
        let at = self.pos;
        let Some(key) = self.word() else {
            return Err(self.problem(
                format!("an argument name expected in `{name}(…)`"),
                "arguments are named: `name(key=\"value\")`".into(),
            ));
        };
        self.skip_space();
        if !self.eat("=") {
            return Err(self.problem(
                format!("`=` expected after `{key}`"),
                format!("give the argument a value: `{key}=\"…\"`"),
            ));
        }
        self.skip_space();
        let value = self.value(key)?;
        Ok(Arg {
            key: key.to_string(),
            at,
            value,
        })
    }

    fn value(&mut self, key: &str) -> Result<Value, Problem> {
        match self.peek() {
            Some(b'"') => self.string().map(Value::Str),
            Some(b) if b.is_ascii_digit() || b == b'-' => self.number(key),
            _ => {
                let start = self.pos;
                match self.word() {
                    Some("true") => Ok(Value::Bool(true)),
                    Some("false") => Ok(Value::Bool(false)),
                    _ => {
                        self.pos = start;
                        Err(self.problem(
                            format!("the value of `{key}` is not a string, number, true or false"),
                            format!("put text in double quotes: `{key}=\"…\"`"),
                        ))
                    }
                }
            }
        }
    }

    /// A double-quoted string; `\"`, `\\`, `\n` and `\t` are escapes.
    fn string(&mut self) -> Result<String, Problem> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let rest = &self.text[self.pos..];
            let Some(c) = rest.chars().next() else {
                self.pos = open;
                return Err(self.problem(
                    "the string is never closed".into(),
                    "end it with `\"` (write `\\\"` for a quote inside it)".into(),
                ));
            };
            match c {
                '"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                '\\' => {
                    let escaped = rest[1..].chars().next();
                    let real = match escaped {
                        Some('"') => '"',
                        Some('\\') => '\\',
                        Some('n') => '\n',
                        Some('t') => '\t',
                        _ => {
                            return Err(self.problem(
                                format!("unknown escape `\\{}`", escaped.unwrap_or(' ')),
                                "the escapes are `\\\"`, `\\\\`, `\\n` and `\\t`".into(),
                            ));
                        }
                    };
                    out.push(real);
                    self.pos += 1 + real_len(escaped);
                }
                c => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn number(&mut self, key: &str) -> Result<Value, Problem> {
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let mut end = start + 1;
        while bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_digit() || *b == b'.')
        {
            end += 1;
        }
        let written = &self.text[start..end];
        let value = if written.contains('.') {
            written.parse().ok().map(Value::Float)
        } else {
            written.parse().ok().map(Value::Int)
        };
        match value {
            Some(v) => {
                self.pos = end;
                Ok(v)
            }
            None => Err(self.problem(
                format!("`{written}` is not a number (the value of `{key}`)"),
                "write numbers like `3` or `0.5`; put text in double quotes".into(),
            )),
        }
    }
}

fn real_len(c: Option<char>) -> usize {
    c.map_or(0, char::len_utf8)
}
