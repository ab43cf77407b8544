//! libyaml's syntax errors in words: which character or line is wrong,
//! and what to write instead.

use super::YamlError;
use super::explain::Explained;

/// For a `\` in double quotes: most often a Windows path.
const BACKSLASH_HELP: &str = "for a path or other text with backslashes, use single quotes ('C:\\docs\\forms') or forward slashes (C:/docs/forms); in double quotes write each backslash twice (`\\\\`), as `\\n` and `\\t` there are a new line and a tab";

const TAB_HELP: &str = "YAML does not allow tabs for indentation; indent with spaces";

/// A tab, or a character that cannot start a value, named.
pub(super) fn bad_character(
    problem: &str,
    text: &str,
    (line, column): (usize, usize),
) -> Option<Explained> {
    if problem.contains("tab character") {
        return Some(Explained::new(
            "a tab is used for indentation",
            Some(TAB_HELP.into()),
        ));
    }
    if problem != "found character that cannot start any token" {
        return None;
    }
    let value: String = text
        .lines()
        .nth(line - 1)
        .map(|l| l.chars().skip(column - 1).collect())
        .unwrap_or_default();
    // What a writer meant as the value: up to a comment, if any.
    let value = value.split(" #").next().unwrap_or_default().trim_end();
    Some(match value.chars().next() {
        Some('\t') => Explained::new("a tab is used for indentation", Some(TAB_HELP.into())),
        Some(c) => {
            let named = if c == '`' {
                "a backtick (`)".to_string()
            } else {
                format!("`{c}`")
            };
            let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
            Explained::new(
                format!("a value cannot start with {named} in YAML"),
                Some(format!("put the whole value in quotes: \"{quoted}\"")),
            )
        }
        None => Explained::new(problem, None),
    })
}

/// A `- ` list item indented differently from the items above it, which
/// libyaml reports as it does a misaligned field.
pub(super) fn misaligned_item(
    problem: &str,
    text: &str,
    (line, _): (usize, usize),
) -> Option<Explained> {
    let item = text
        .lines()
        .nth(line - 1)
        .is_some_and(|l| l.trim_start().starts_with("- "));
    (problem == "did not find expected key" && item).then(|| {
        Explained::new(
            "this list item does not line up with the items above it",
            Some("indent every `- ` item of a list by the same number of spaces".into()),
        )
    })
}

/// A `: ` inside a plain value on a field's own line (`title: Stem
/// cells: the basics`), which YAML reads as the start of another field.
pub(super) fn colon_in_value(
    problem: &str,
    text: &str,
    (line, column): (usize, usize),
) -> Option<Explained> {
    if problem != "mapping values are not allowed in this context" {
        return None;
    }
    let l = text.lines().nth(line - 1)?;
    let indent = l.len() - l.trim_start().len();
    let (key, value) = l[indent..].split_once(": ")?;
    let key_ok = !key.is_empty() && !key.contains([' ', '"', '\'', '[', '{', '-']);
    let value = value.split(" #").next().unwrap_or_default().trim();
    let colon_in_it = column > indent + key.chars().count() + 2;
    (key_ok && colon_in_it && !value.starts_with(['"', '\''])).then(|| {
        let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
        Explained::new(
            format!(
                "the `: ` inside the value of `{key}` makes YAML read the rest as another field"
            ),
            Some(format!(
                "put the whole value in quotes: {key}: \"{quoted}\""
            )),
        )
    })
}

/// A `\` in double quotes that starts no escape: pointed at the `\`
/// (libyaml points after it), with advice for Windows paths.
pub(super) fn bad_escape(
    problem: &str,
    text: &str,
    (line, column): (usize, usize),
) -> Option<Explained> {
    let message = match problem {
        "found unknown escape character" => {
            "inside double quotes a `\\` starts an escape such as `\\n` (a new line), and this one is not an escape"
        }
        "did not find expected hexadecimal number" => {
            "inside double quotes `\\x`, `\\u` and `\\U` start a character code, and no code follows here"
        }
        _ => return None,
    };
    let mut x = Explained::new(message, Some(BACKSLASH_HELP.into()));
    let before: Vec<char> = text
        .lines()
        .nth(line - 1)
        .map(|l| l.chars().take(column).collect())
        .unwrap_or_default();
    x.at = before
        .iter()
        .rposition(|&c| c == '\\')
        .map(|i| (line, i + 1));
    Some(x)
}

/// libyaml's syntax messages that have one explanation each: (message,
/// what to say, advice).
const SYNTAX: &[(&str, &str, &str)] = &[
    (
        "mapping values are not allowed in this context",
        "unexpected `:` — a value containing `: ` must be quoted, and a field cannot be indented under a plain value",
        "put the value in quotes (title: \"Step 2: recovery\"), or indent this line like the fields above it",
    ),
    (
        "did not find expected key",
        "this line does not line up with the fields above it",
        "indent every field of a group by the same number of spaces; put values containing quotes or `#` in quotes",
    ),
    (
        "block sequence entries are not allowed in this context",
        "a `- ` list item is not allowed here",
        "start the list on the line after its field, indented:\ntags:\n  - first\n  - second",
    ),
    (
        "did not find expected node content",
        "a value is missing or cannot start here",
        "put the value in quotes",
    ),
    (
        "found undefined tag handle",
        "a value starting with `!` is read as a YAML tag",
        "put the value in quotes",
    ),
    (
        "did not find expected tag URI",
        "a value starting with `!` is read as a YAML tag",
        "put the value in quotes",
    ),
    (
        "could not find expected ':'",
        "expected `field: value` here",
        "every line of front matter is `field: value` (or part of a list or quoted text above it)",
    ),
    (
        "control characters are not allowed",
        "the YAML contains an invisible control character",
        "delete it (it often comes with text pasted from elsewhere)",
    ),
];

pub(super) fn plain_syntax(problem: &str) -> Option<Explained> {
    SYNTAX
        .iter()
        .find(|(p, _, _)| *p == problem)
        .map(|(_, message, help)| Explained::new(*message, Some((*help).into())))
}

/// A Windows path in double quotes, at its first backslash, which YAML
/// would read as an escape (`\n` a new line, `\t` a tab).
pub(super) fn windows_path(line: usize, column: usize) -> YamlError {
    YamlError {
        line,
        column,
        message: "a Windows path in double quotes: YAML reads each `\\` there as the start of an escape, so `\\n` becomes a new line and `\\t` a tab".into(),
        help: Some(BACKSLASH_HELP.into()),
    }
}
