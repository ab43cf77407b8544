//! Errors libyaml notices late: when a slip found by reading the lines
//! (`layout::slips`) is what the parser's error is about, the error names
//! the slip, at the character to fix, instead of where the parser gave up.

use super::layout::{Node, Slip, first_slip};
use super::{KeyPositions, YamlError};

/// What kind of parser error a slip may stand in for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A syntax error of libyaml's, which it may notice lines late.
    Syntax,
    /// A value of the wrong type, found after the text parsed.
    WrongType,
    /// Anything else (unknown or repeated fields): never a slip's doing.
    Other,
}

/// The slip to report instead of the parser's error at `line` (of the
/// YAML text), if a slip explains it.
pub(super) fn slip_instead(text: &str, line: usize, kind: Kind) -> Option<YamlError> {
    let slip = first_slip(text).filter(|s| explains(s, kind, text, line))?;
    let at = slip.at();
    let (message, help) = slip_words(&slip);
    Some(YamlError {
        line: at.line,
        column: at.column,
        message,
        help: Some(help),
    })
}

/// Whether `slip` is what the parser's error at `line` is about: for a
/// syntax error, a slip at or before it (the parser reads on past a
/// slip, never stops before it); for a value of the wrong type, a slip
/// inside that value (`extra:` over a `note:x` line is text, not a map).
fn explains(slip: &Slip, kind: Kind, text: &str, line: usize) -> bool {
    let at = slip.at().line;
    match kind {
        Kind::Syntax => at <= line,
        Kind::WrongType => at >= line && at <= value_end(text, line),
        Kind::Other => false,
    }
}

/// The last line of the value starting on `line`: of the key there, or
/// the whole text when the document is one value, not fields.
fn value_end(text: &str, line: usize) -> usize {
    let layout = KeyPositions::of(text, 1);
    let mut end = None;
    layout.root().walk_keys(&mut |k| {
        if end.is_none() && (k.at.line == line || k.value_at.line == line) {
            end = Some(k.last_line);
        }
    });
    match (end, layout.root()) {
        (Some(end), _) => end,
        (None, Node::Scalar) => usize::MAX,
        (None, _) => line,
    }
}

/// What to say about a slip, and what to do.
fn slip_words(slip: &Slip) -> (String, String) {
    match slip {
        Slip::UnclosedQuote { quote: '\'', .. } => (
            "this quoted value is never closed".into(),
            "add the closing quote `'` at the end of the value; inside single quotes an apostrophe is written twice (`''`)".into(),
        ),
        Slip::UnclosedQuote { .. } => (
            "this quoted value is never closed".into(),
            "add the closing quote `\"` at the end of the value; inside double quotes a quote is written `\\\"`".into(),
        ),
        Slip::TextAfterQuote { quote: '\'', .. } => (
            "this `'` ends the quoted value, and more text follows it".into(),
            "inside single quotes write an apostrophe twice (`''`, as in 'Don''t panic'), or put the whole value in double quotes".into(),
        ),
        Slip::TextAfterQuote { .. } => (
            "this `\"` ends the quoted value, and more text follows it".into(),
            "inside double quotes write a quote as `\\\"`, or put the whole value in single quotes".into(),
        ),
        Slip::TextAfterBracket { open, .. } => {
            let close = if *open == '[' { ']' } else { '}' };
            (
                format!("this `{close}` closes the value, and more text follows it"),
                format!("a value starting with `{open}` is read as a {} up to its `{close}`: if the `{open}` is part of a text, put the whole value in quotes (title: \"{open}Draft{close} Stem cells\"); otherwise delete what follows the `{close}`", if *open == '[' { "list" } else { "map" }),
            )
        }
        Slip::NoSpaceAfterDash { .. } => (
            "a list item needs a space after the `-`".into(),
            "write `- item`; without the space YAML reads `-item` as text, not as an item of a list".into(),
        ),
        Slip::IndentedFirstField { .. } => (
            "this field is indented, but the fields below it are not".into(),
            "start every field at the beginning of its line, with no spaces before it (only the fields of a group, such as `reviewer:`, are indented)".into(),
        ),
        Slip::NoSpaceAfterColon { key, .. } => (
            format!("`{key}:` needs a space after the `:`"),
            format!("put a space after the `:` (`{key}: …`); without it YAML reads the line as one piece of text"),
        ),
    }
}
