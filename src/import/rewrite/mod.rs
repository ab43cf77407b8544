//! Rewriting another generator's template syntax in a page body, outside
//! code only: the parts both dialects share. A body is scanned once; each
//! `{{` or `{%` outside code is handed to the dialect's [`Templates`],
//! which writes its marrow equivalent (or keeps it as text in code) and
//! says how far the construct went. Bodies of paired constructs are
//! scanned again, as ranges of the same text, so code inside them is
//! still known.

pub(crate) mod kramdown;
pub(crate) mod liquid;
pub(crate) mod shortcodes;

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::report::Finding;
use super::{Index, SiteInfo};

/// What a body's rewrite may look up.
pub(crate) struct Context<'a> {
    pub info: &'a SiteInfo,
    pub index: &'a Index,
    /// The source site's root (for include files).
    pub root: &'a std::path::Path,
}

/// A rewritten body.
#[derive(Debug, Default)]
pub(crate) struct Rewritten {
    pub text: String,
    pub findings: Vec<Finding>,
    /// Snippets included: (source include name, snippet file name).
    pub snippets: Vec<(String, String)>,
}

/// A body with its code ranges and line starts worked out once.
pub(crate) struct Body<'a> {
    pub text: &'a str,
    /// Byte ranges of code spans and code blocks, sorted.
    code: Vec<Range<usize>>,
    line_starts: Vec<usize>,
    first_line: usize,
}

impl<'a> Body<'a> {
    /// `first_line`: the line of the source file where `text` starts.
    pub(crate) fn new(text: &'a str, first_line: usize) -> Body<'a> {
        let mut code = Vec::new();
        let mut block_start = None;
        let parser = Parser::new_ext(text, Options::all()).into_offset_iter();
        for (event, range) in parser {
            match event {
                Event::Code(_) => code.push(range),
                Event::Start(Tag::CodeBlock(_)) => block_start = Some(range.start),
                Event::End(TagEnd::CodeBlock) => {
                    if let Some(s) = block_start.take() {
                        code.push(s..range.end.max(s));
                    }
                }
                _ => {}
            }
        }
        code.sort_by_key(|r| r.start);
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Body {
            text,
            code,
            line_starts,
            first_line,
        }
    }

    /// The source file's line of byte `pos`.
    pub(crate) fn line(&self, pos: usize) -> usize {
        let i = self.line_starts.partition_point(|&s| s <= pos);
        self.first_line + i.saturating_sub(1)
    }

    /// The end of the code range holding `pos`, if it is in code.
    fn code_end(&self, pos: usize) -> Option<usize> {
        let i = self.code.partition_point(|r| r.start <= pos);
        let r = self.code.get(i.checked_sub(1)?)?;
        (pos < r.end).then_some(r.end)
    }

    /// Whether `range` holds `{{` or `{%` outside code.
    pub(crate) fn has_template_outside_code(&self, range: Range<usize>) -> bool {
        let mut at = range.start;
        while let Some(i) = self.text[at..range.end].find('{') {
            let p = at + i;
            if let Some(end) = self.code_end(p) {
                at = end.min(range.end).max(p + 1);
                continue;
            }
            if self.text[p..range.end].starts_with("{{")
                || self.text[p..range.end].starts_with("{%")
            {
                return true;
            }
            at = p + 1;
        }
        false
    }
}

/// Whether the construct at `at` is the value of an HTML attribute
/// (`<a href="{{ … }}">`), where a Markdown link path would not work.
pub(crate) fn in_html_attribute(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..at].trim_end().to_ascii_lowercase();
    ["href=\"", "href='", "src=\"", "src='", "href=", "src="]
        .iter()
        .any(|a| before.ends_with(a))
}

/// One dialect's template language.
pub(crate) trait Templates {
    /// At `at` (outside code), where the text starts with `{{` or `{%`:
    /// writes the construct's replacement to `out` and returns where it
    /// ends (at most `end`), or `None` when it is not a construct.
    fn construct(
        &mut self,
        body: &Body<'_>,
        at: usize,
        end: usize,
        out: &mut String,
    ) -> Option<usize>;

    /// Text of a code span or block as it should read in marrow.
    fn code<'t>(&mut self, code: &'t str) -> Cow<'t, str> {
        Cow::Borrowed(code)
    }
}

/// Scans `range` of `body`, writing the rewritten text to `out`.
pub(crate) fn scan(body: &Body<'_>, range: Range<usize>, t: &mut impl Templates, out: &mut String) {
    let text = body.text;
    let mut copied = range.start;
    let mut at = range.start;
    while at < range.end {
        let Some(i) = text[at..range.end].find('{') else {
            break;
        };
        let p = at + i;
        if let Some(code_end) = body.code_end(p) {
            // Text before the code is plain; find where the code starts.
            let start = body
                .code
                .iter()
                .find(|r| r.start <= p && p < r.end)
                .map_or(p, |r| r.start.max(copied));
            out.push_str(&text[copied..start]);
            let end = code_end.min(range.end);
            out.push_str(&t.code(&text[start..end]));
            copied = end;
            at = end;
            continue;
        }
        let rest = &text[p..range.end];
        if rest.starts_with("{{") || rest.starts_with("{%") {
            out.push_str(&text[copied..p]);
            let before = out.len();
            match t.construct(body, p, range.end, out) {
                Some(e) => {
                    copied = e.max(p + 1);
                    at = copied;
                    // A code span written next to a backtick of the text
                    // would merge with it: keep them apart.
                    if out[before..].starts_with('`') {
                        let line = out[..before].rfind('\n').map_or(0, |i| i + 1);
                        // A lone backtick before would pair with the span's.
                        if out[line..before].matches('`').count() % 2 == 1
                            && let Some(k) = out[line..before].rfind('`')
                        {
                            out.insert(line + k, '\\');
                        } else if out[..before].ends_with('`') {
                            out.insert(before, ' ');
                        }
                    }
                    if out.ends_with('`') && text[copied..range.end].starts_with('`') {
                        out.push(' ');
                    }
                }
                None => {
                    copied = p;
                    at = p + 1;
                }
            }
            continue;
        }
        at = p + 1;
    }
    out.push_str(&text[copied..range.end]);
}

/// Runs of blank lines (left where blocks were replaced) cut to one,
/// outside fenced code, where blank lines are content.
pub(crate) fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<String> = None;
    let mut blank = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let marker: String = t.chars().take_while(|&c| c == '`' || c == '~').collect();
        if marker.len() >= 3 {
            match &fence {
                None => fence = Some(marker),
                Some(f) if marker.starts_with(f.as_str()) && t.trim() == marker => fence = None,
                _ => {}
            }
        }
        if fence.is_none() && line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
    }
    out
}

/// HTML that Jekyll publishes as it is, kept as one HTML block in
/// Markdown: lines unindented and blank lines dropped (outside `<pre>`),
/// so no indented line turns into a code block and no blank line ends
/// the block half-way.
pub(crate) fn one_html_block(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_pre = false;
    for line in html.lines() {
        let lower = line.to_ascii_lowercase();
        if in_pre {
            out.push_str(line);
            out.push('\n');
        } else if !line.trim().is_empty() {
            out.push_str(line.trim_start());
            out.push('\n');
        }
        if lower.contains("<pre") {
            in_pre = true;
        }
        if lower.contains("</pre") {
            in_pre = false;
        }
    }
    out
}

/// `s` as an inline code span: template syntax kept as text, which
/// marrow neither renders nor rejects.
pub(crate) fn code_span(s: &str) -> String {
    let longest = longest_run(s, '`');
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", s.replace('\n', " "))
}

/// `s` as a fenced code block (with `lang`), on lines of its own.
pub(crate) fn code_block(s: &str, lang: &str) -> String {
    let fence = "`".repeat(longest_run(s, '`').max(2) + 1);
    let s = s.strip_prefix('\n').unwrap_or(s);
    let nl = if s.ends_with('\n') { "" } else { "\n" };
    format!("\n{fence}{lang}\n{s}{nl}{fence}\n")
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in s.chars() {
        if ch == c {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

/// `text` as a GitHub-style callout of `kind` (`NOTE`…), with an optional
/// bold title line.
pub(crate) fn callout(kind: &str, title: Option<&str>, text: &str) -> String {
    let mut out = format!("\n> [!{kind}]\n");
    if let Some(t) = title.filter(|t| !t.trim().is_empty()) {
        out.push_str(&format!("> **{}**\n>\n", t.trim()));
    }
    let text = text.trim_matches('\n');
    for line in text.lines() {
        if line.trim().is_empty() {
            out.push_str(">\n");
        } else {
            out.push_str("> ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

/// The callout kind a shortcode or class name stands for, if any.
pub(crate) fn callout_kind(name: &str) -> Option<&'static str> {
    Some(match name.to_ascii_lowercase().as_str() {
        "note" | "info" | "information" | "notice" | "callout" | "admonition" | "aside"
        | "primary" | "secondary" => "NOTE",
        "tip" | "hint" | "success" | "example" => "TIP",
        "important" | "attention" | "todo" => "IMPORTANT",
        "warning" | "warn" | "alert" => "WARNING",
        "caution" | "danger" | "error" | "bug" | "failure" => "CAUTION",
        _ => return None,
    })
}

/// A Markdown link destination for `dest`, in `<…>` when it has spaces
/// or parentheses.
pub(crate) fn destination(dest: &str) -> String {
    if dest.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", dest.replace('<', "%3C").replace('>', "%3E"))
    } else {
        dest.to_string()
    }
}

/// A string for a marrow shortcode argument: in double quotes, with `"`
/// and `\` escaped, on one line.
pub(crate) fn quoted(s: &str) -> String {
    let s = s
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', " ");
    format!("\"{s}\"")
}

/// Short form of a construct for the report: one line, at most 80 chars.
pub(crate) fn shown(s: &str) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut = if one.chars().count() > 80 {
        format!("{}…", one.chars().take(80).collect::<String>())
    } else {
        one
    };
    code_span(&cut)
}

#[cfg(test)]
mod tests;
