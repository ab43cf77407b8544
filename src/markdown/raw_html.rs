//! Raw HTML written in Markdown: its ids are link targets, and a block
//! that opens something it never closes is an error.

use std::collections::HashSet;

use super::event_loop::PageCx;
use crate::diagnostics::Diagnostic;

/// The raw HTML block being read: where it starts, and its text.
#[derive(Default)]
pub(super) struct HtmlBlock(Option<(usize, String)>);

impl HtmlBlock {
    pub(super) fn start(&mut self, offset: usize) {
        self.0 = Some((offset, String::new()));
    }

    pub(super) fn push(&mut self, html: &str) {
        if let Some((_, text)) = &mut self.0 {
            text.push_str(html);
        }
    }

    /// At the block's end: the error if it leaves something open.
    pub(super) fn end(&mut self, cx: &PageCx) -> Option<Diagnostic> {
        let (offset, text) = self.0.take()?;
        unclosed_html(&text, offset, cx)
    }
}

/// An HTML block that opens a comment, `<script>`, `<style>`, `<pre>` or
/// `<textarea>` and never closes it. Markdown then treats the rest of the
/// page as that HTML, and the browser the rest of the *site's* page too:
/// the footer, navigation and scripts vanish into the comment.
fn unclosed_html(block: &str, offset: usize, cx: &PageCx) -> Option<Diagnostic> {
    let start = block.trim_start();
    let lead = block.len() - start.len();
    if let Some(comment) = start.strip_prefix("<!--") {
        if comment.contains("-->") {
            return None;
        }
        return Some(
            cx.at(offset + lead, "HTML comment `<!--` is never closed".into()).with_help(
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
        cx.at(offset + lead, format!("`<{tag}>` is never closed")).with_help(format!(
            "add `</{tag}>` where it should end; until then the rest of the page is read as its content"
        )),
    )
}

/// Picks up `id="…"` attributes written in raw HTML so links to them check,
/// and the `name="…"` of `<a>` elements (old anchors, which browsers still
/// scroll to). Tag and attribute names in any case.
pub(super) fn collect_html_ids(html: &str, ids: &mut HashSet<String>) {
    // ASCII lower case keeps every byte where it was.
    let lower = html.to_ascii_lowercase();
    attribute_values(html, &lower, "id=", ids);
    let mut at = 0;
    while let Some(i) = lower[at..].find("<a") {
        let start = at + i + 2;
        at = start;
        if !lower[start..].starts_with(|c: char| c.is_ascii_whitespace()) {
            continue;
        }
        let end = lower[start..].find('>').map_or(html.len(), |e| start + e);
        attribute_values(&html[start..end], &lower[start..end], "name=", ids);
        at = end;
    }
}

/// The quoted values of attribute `attr` (written `name=`, lower case) in
/// `html`, whose lower-case copy is `lower`.
fn attribute_values(html: &str, lower: &str, attr: &str, ids: &mut HashSet<String>) {
    let mut at = 0;
    while let Some(i) = lower[at..].find(attr) {
        let i = at + i;
        let before_ok = i == 0 || lower.as_bytes()[i - 1].is_ascii_whitespace();
        at = i + attr.len();
        let Some(q) = html[at..]
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
        else {
            continue;
        };
        at += 1;
        if let Some(end) = html[at..].find(q) {
            if before_ok {
                ids.insert(html[at..at + end].to_string());
            }
            at += end;
        }
    }
}
