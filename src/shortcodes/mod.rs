//! marrow's shortcodes: `{{ name(key="value") }}` inline and
//! `{% name(key="value") %}…{% end %}` with a body, expanded in a page's
//! Markdown before it is rendered.
//!
//! Medical writers need the same advice and the same numbers to read the
//! same on every page: `include` pastes a snippet from `content/_snippets/`,
//! `fact` a value from `data/facts.yaml`; `figure` and `urgent` write the
//! markup a theme styles; a site's own `templates/shortcodes/NAME.html`
//! (tera) does the rest.
//!
//! Expansion happens on the Markdown text, so whatever a shortcode brings
//! in is rendered with the page: a snippet's headings get ids, its links are
//! checked, glossary terms are marked, search and readability read it.
//! HTML a shortcode writes stands in the text as a placeholder tag
//! (`<marrow-sc-N>`) that the Markdown renderer swaps for it, so Markdown
//! never rewrites it. A source map (`expand::SourceMap`) takes every offset of the expanded
//! text back to the file and place the writer wrote it, so errors found
//! later (a broken link in a snippet) point into the right file.
//!
//! - `parse`: finding tags (outside code), their arguments, and template
//!   syntax from other tools, which is an error rather than junk on a page.
//! - `library`: what shortcodes read, loaded once per build (snippets,
//!   facts, the site's templates, the `urgent` setting).
//! - `expand`: the walk that writes the expanded text and its map.
//! - `builtins`: `include`, `fact`, `figure`, `urgent`, and site templates.

mod builtins;
mod expand;
mod library;
pub(crate) mod parse;

use std::borrow::Cow;
use std::path::PathBuf;

pub(crate) use expand::{Dependency, Expanded, expand};
pub(crate) use library::{Library, Template, is_input};

/// The start of every placeholder tag; the number after it indexes
/// [`Expanded::html`].
pub(crate) const PLACEHOLDER: &str = "<marrow-sc-";

/// Names of the built-in shortcodes, for messages.
pub(crate) const BUILTINS: [&str; 4] = ["include", "fact", "figure", "urgent"];

pub(crate) use crate::content::SNIPPETS_DIR;

/// The facts file, relative to the site root.
pub(crate) const FACTS_FILE: &str = "data/facts.yaml";

/// A page's Markdown with its shortcodes expanded, for the readers of a
/// page's text that do not report errors (search, readability, checks).
/// Placeholders of HTML stay in as inline HTML, which they skip.
pub(crate) fn expanded_text<'a>(
    lib: &Library,
    file: PathBuf,
    text: &'a str,
    body_start: usize,
    options: pulldown_cmark::Options,
) -> Cow<'a, str> {
    let body = text.get(body_start..).unwrap_or("");
    if !parse::may_have_tags(body) {
        return Cow::Borrowed(body);
    }
    Cow::Owned(expand(lib, file, text, body_start, options).text)
}

/// Swaps placeholders in `html` (raw HTML of the expanded text) for the
/// HTML they stand for.
pub(crate) fn fill_placeholders<'h>(html: &'h str, parts: &[String]) -> Cow<'h, str> {
    if parts.is_empty() || !html.contains(PLACEHOLDER) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(PLACEHOLDER) {
        out.push_str(&rest[..i]);
        let after = &rest[i + PLACEHOLDER.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let part = after[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|n| parts.get(n));
        match (part, after[digits..].strip_prefix('>')) {
            (Some(part), Some(tail)) => {
                out.push_str(part);
                rest = tail;
            }
            _ => {
                out.push_str(PLACEHOLDER);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests;
