//! The one place that parses YAML.
//!
//! `serde_yaml` is marked deprecated upstream; keeping every call behind
//! [`from_str`] means swapping the parser touches this file only. Errors come
//! back with a 1-based line and column *inside the YAML text*; callers shift
//! them into the file they came from. Parser messages are rewritten for
//! writers: positions inside the message (which would be relative to the
//! YAML block, not the file) are removed, Rust type names become plain words
//! ("a whole number", "a list"), unknown keys get a "did you mean", and the
//! usual slips (tabs, an unclosed quote, a `:` inside a value) get advice.
//! libyaml often notices a slip lines after it (an unclosed quote runs on
//! to the next quote; `title:Foo` to the next `: `), so a line scan
//! (`layout::slips`) finds the slip itself and the error points there.
//!
//! Two guards run before the parser, because hostile YAML is cheap to write:
//!
//! - Lists and maps nested more than [`MAX_NESTING`] levels deep are
//!   refused: libyaml's scanner is quadratic in the nesting depth of flow
//!   collections (`[[[[…`), so 100,000 brackets took minutes.
//! - Aliases may not multiply the document: a "billion laughs" (`&a` … `*a`
//!   repeated) or a big anchored list referenced many times is refused once
//!   the values it expands to outnumber what the text could hold
//!   ([`expansion_budget`]), before anything is built from it.
//!
//! serde's values carry no positions, so [`KeyPositions`] records where
//! each key and list entry of a block-style document is, for errors found
//! after parsing.

mod explain;
mod guard;
mod late;
mod layout;
mod syntax;
#[cfg(test)]
mod tests;

use serde::de::DeserializeOwned;

use explain::convert;
pub(crate) use explain::unknown_key;
#[cfg(test)]
use guard::expansion_budget;
use guard::{Scan, check_expansion};
use layout::front_matter_end;
pub(crate) use layout::starts_with_field;
pub(crate) use layout::{KeyPositions, Pos};

/// Deepest nesting of lists and maps accepted (serde_yaml itself stops at
/// 128 levels).
pub(crate) const MAX_NESTING: usize = 100;

/// A YAML problem at a position inside the YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlError {
    /// 1-based line inside the YAML text (1 when the parser gave none).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
}

/// Deserializes `text` into `T`. Empty or comment-only text is an empty map,
/// so `T`'s own defaults and required fields decide what that means.
pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let blank = text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    if blank {
        return serde_yaml::from_str("{}").map_err(|e| convert(&e, ""));
    }
    let scan = Scan::of(text);
    if let Some((line, column)) = scan.too_deep {
        return Err(too_deep(line, column));
    }
    // Only aliases can expand a document; `*` is rare enough in YAML that
    // its mere presence may cost a second, counting pass.
    if text.contains('*') {
        check_expansion(text, &scan)?;
    }
    // Valid YAML, but `\n` in "C:\new" is a new line: never what was meant.
    if text.contains(":\\")
        && let Some(at) = layout::windows_path_in_double_quotes(text)
    {
        return Err(syntax::windows_path(at.line, at.column));
    }
    serde_yaml::from_str(text).map_err(|e| convert(&e, text))
}

fn too_deep(line: usize, column: usize) -> YamlError {
    YamlError {
        line,
        column,
        message: format!("lists and maps are nested more than {MAX_NESTING} levels deep here"),
        help: Some(
            "flatten the data; if a `[` or `{` is part of a text, put the text in quotes".into(),
        ),
    }
}

/// Where to point when the front matter's closing `---` is missing, and
/// what to say: `rest` is the text after the opening `---` on line
/// `fence`. The `---` belongs after the last line that reads as front
/// matter; the error points at the first line after it (the page's text,
/// which YAML would otherwise take in), or at that last line when nothing
/// follows. Returns the line, the message and the advice.
pub(crate) fn unclosed_front_matter(rest: &str, fence: usize) -> (usize, String, String) {
    let message = format!("front matter opened with `---` on line {fence} is never closed");
    match front_matter_end(rest) {
        (0, _) => (
            fence,
            message,
            "add the front matter's fields, then a line holding only `---`".into(),
        ),
        (last, Some(body)) => (
            fence + body,
            message,
            format!(
                "add a line holding only `---` after line {}, where the front matter ends and the page's text begins",
                fence + last
            ),
        ),
        (last, None) => (
            fence + last,
            message,
            format!(
                "add a line holding only `---` after line {}, the last front matter field",
                fence + last
            ),
        ),
    }
}

/// What to say about `key` that YAML read as empty, where `written` is the
/// text of its line from where its value starts: most often a value
/// starting with `#`, which YAML reads as a comment. Returns the message
/// and the advice.
pub(crate) fn empty_value(key: &str, written: &str) -> (String, String) {
    let written = written.trim();
    if written.starts_with('#') {
        let quoted = written.replace('\\', "\\\\").replace('"', "\\\"");
        return (
            format!(
                "`{key}` is empty: a `#` after a space starts a comment in YAML, so `{written}` is not read as its value"
            ),
            format!("put the value in quotes: {key}: \"{quoted}\""),
        );
    }
    (
        format!("`{key}` is empty"),
        format!("write the value after `{key}: `"),
    )
}
