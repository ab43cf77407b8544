//! Parser messages rewritten for writers: positions taken out, type names
//! in words, advice for the usual slips.

use super::syntax::{bad_character, bad_escape, colon_in_value, misaligned_item, plain_syntax};
use super::{KeyPositions, Pos, YamlError, late};
use crate::diagnostics::suggest;

pub(super) fn convert(e: &serde_yaml::Error, text: &str) -> YamlError {
    let (mut line, mut column) = match e.location() {
        Some(loc) => (loc.line().max(1), loc.column().max(1)),
        None => (1, 1),
    };
    // serde_yaml writes positions into the message ("… at line 3 column 1,
    // while scanning a quoted scalar at line 1 column 8"); they count lines
    // of the YAML block, not of the file, so take them out.
    let (message, positions) = strip_positions(&e.to_string());
    let (problem, context) = match message.split_once(", while ") {
        Some((p, c)) => (p.to_string(), Some(c.to_string())),
        None => (message.clone(), None),
    };
    // The position of the context ("while scanning a quoted scalar at …"),
    // when there is one besides the problem's own.
    let context_at = context.as_ref().and_then(|_| positions.last().copied());
    let mut explained = explain(&problem, context.as_deref(), text, (line, column));
    if explained.at_context
        && let Some(at) = context_at
    {
        (line, column) = at;
    }
    if let Some(at) = explained.at {
        (line, column) = at;
    }
    if let Some(field) = &explained.unknown
        && let Some(parent) = KeyPositions::of(text, 1).empty_key_before(text, line)
    {
        let rest = explained.help.take().unwrap_or_default();
        explained.help = Some(format!(
            "if `{field}` belongs to `{parent}:` above, indent it under `{parent}:` by two spaces; otherwise {rest}"
        ));
    }
    // The parser may have noticed a slip lines after it: name the slip
    // instead, at the character to fix.
    let kind = if explained.syntax {
        late::Kind::Syntax
    } else if explained.wrong_type {
        late::Kind::WrongType
    } else {
        late::Kind::Other
    };
    if let Some(e) = late::slip_instead(text, line, kind) {
        return e;
    }
    YamlError {
        line,
        column,
        message: explained.message,
        help: explained.help,
    }
}

/// Removes every " at line L column C" (and " at position N") from a
/// message; returns the positions removed, in order.
pub(super) fn strip_positions(message: &str) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(message.len());
    let mut positions = Vec::new();
    let mut rest = message;
    while let Some(i) = rest.find(" at ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at ".len()..];
        if let Some((pos, tail)) = parse_position(after) {
            if let Some(p) = pos {
                positions.push(p);
            }
            rest = tail;
        } else {
            out.push_str(" at ");
            rest = after;
        }
    }
    out.push_str(rest);
    (out, positions)
}

/// Parses "line L column C" or "position N" at the start of `s`.
fn parse_position(s: &str) -> Option<(Option<(usize, usize)>, &str)> {
    fn number(s: &str) -> Option<(usize, &str)> {
        let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        Some((s[..end].parse().ok()?, &s[end..]))
    }
    if let Some(s) = s.strip_prefix("line ") {
        let (line, s) = number(s)?;
        let s = s.strip_prefix(" column ")?;
        let (column, s) = number(s)?;
        return Some((Some((line, column)), s));
    }
    let s = s.strip_prefix("position ")?;
    let (_, s) = number(s)?;
    Some((None, s))
}

/// A parser message made readable.
pub(super) struct Explained {
    pub(super) message: String,
    pub(super) help: Option<String>,
    /// Point at the context's position ("while scanning a quoted scalar
    /// at …": where the quote opened) rather than where the parser gave up.
    pub(super) at_context: bool,
    /// Point here instead (1-based line and column of the YAML text).
    pub(super) at: Option<(usize, usize)>,
    /// A syntax error of libyaml's, which it may notice lines late.
    pub(super) syntax: bool,
    /// A value of the wrong type, found after the text parsed.
    pub(super) wrong_type: bool,
    /// The field, when the problem is an unknown field.
    pub(super) unknown: Option<String>,
}

impl Explained {
    pub(super) fn new(message: impl Into<String>, help: Option<String>) -> Explained {
        Explained {
            message: message.into(),
            help,
            at_context: false,
            at: None,
            syntax: false,
            wrong_type: false,
            unknown: None,
        }
    }
}

/// The start of what is said about a second document in the text.
const MORE_THAN_ONE: &str = "the YAML holds more than one document";

/// Rewrites a serde or libyaml message into words a writer understands,
/// with advice. The steps are tried in order; the first that knows the
/// message wins.
fn explain(problem: &str, context: Option<&str>, text: &str, at: (usize, usize)) -> Explained {
    // serde names the field first ("tags: invalid type …",
    // "references[0]: missing field `url`").
    let (path, bare) = split_path(problem);
    let context = context.unwrap_or("");
    let syntax = |mut x: Explained| {
        x.syntax = true;
        x
    };
    unknown_field(problem)
        .or_else(|| repeated(path, bare, text, at.0))
        .or_else(|| unclosed(problem, context).map(syntax))
        .or_else(|| bad_character(problem, text, at).map(syntax))
        .or_else(|| misaligned_item(problem, text, at).map(syntax))
        .or_else(|| colon_in_value(problem, text, at).map(syntax))
        .or_else(|| bad_escape(problem, text, at).map(syntax))
        .or_else(|| plain_syntax(problem).map(syntax))
        .or_else(|| {
            // libyaml reads lines that fall back to a lesser indentation
            // at the top as a second document.
            let x = alias_or_limit(path, bare, context)?;
            Some(if x.message.starts_with(MORE_THAN_ONE) {
                syntax(x)
            } else {
                x
            })
        })
        .or_else(|| {
            wrong_type(path, bare).map(|mut x| {
                x.wrong_type = true;
                x
            })
        })
        .or_else(|| bad_date(path, bare))
        .unwrap_or_else(|| {
            let x = Explained::new(problem, None);
            // A message of libyaml's this file has no words for yet.
            if path.is_none() { syntax(x) } else { x }
        })
}

/// `path: message`, or the message alone at the top level.
fn with_path(path: Option<&str>, message: &str) -> String {
    match path {
        Some(p) => format!("{p}: {message}"),
        None => message.to_string(),
    }
}

/// A key written twice. serde reports it at its mapping, so the position
/// is moved to the second `key:`.
fn repeated(path: Option<&str>, bare: &str, text: &str, line: usize) -> Option<Explained> {
    if let Some(key) = bare
        .strip_prefix("duplicate field `")
        .and_then(|r| r.strip_suffix('`'))
    {
        let mut x = Explained::new(
            with_path(path, &format!("`{key}` is set twice")),
            Some(format!("keep one `{key}:` line and delete the other")),
        );
        x.at = second_key(text, key, line);
        return Some(x);
    }
    bare.starts_with("duplicate entry").then(|| {
        Explained::new(
            with_path(path, bare),
            Some("each key may appear only once; delete or rename one of them".into()),
        )
    })
}

/// A quote, `[` or `{` left open: pointed at where it opened when the
/// parser says.
fn unclosed(problem: &str, context: &str) -> Option<Explained> {
    let (message, help, at_context) = if problem == "found unexpected end of stream"
        && context.contains("quoted scalar")
    {
        (
            "this quoted value is never closed",
            "add the closing quote at the end of the value (inside double quotes write `\\\"` for a quote; inside single quotes write `''`)",
            true,
        )
    } else if problem.starts_with("did not find expected ',' or ']'") {
        (
            "a list opened with `[` is not closed",
            "close it with `]`; if the `[` is part of a text, put the whole text in quotes",
            context.contains("flow sequence"),
        )
    } else if problem.starts_with("did not find expected ',' or '}'") {
        (
            "a map opened with `{` is not closed",
            "close it with `}`; if the `{` is part of a text, put the whole text in quotes",
            context.contains("flow mapping"),
        )
    } else if problem == "found unexpected end of stream" {
        (
            "the YAML ends in the middle of a value",
            "close every quote, `[` and `{` that you opened",
            false,
        )
    } else {
        return None;
    };
    let mut x = Explained::new(message, Some(help.into()));
    x.at_context = at_context;
    Some(x)
}

/// Aliases and anchors, intended or not, and the parser's own limits.
fn alias_or_limit(path: Option<&str>, bare: &str, context: &str) -> Option<Explained> {
    if context.contains("scanning an alias") || context.contains("scanning an anchor") {
        let mut x = Explained::new(
            "a value starting with `*` or `&` is read as a YAML alias or anchor",
            Some("put the whole value in quotes, e.g. \"*Important* text\"".into()),
        );
        x.at_context = true;
        return Some(x);
    }
    let (message, help) = match bare {
        "unknown anchor" => (
            with_path(
                path,
                "a value starting with `*` is read as a reference (alias) to an `&anchor` that does not exist",
            ),
            "put the value in quotes, e.g. \"*Important* text\"",
        ),
        "recursion limit exceeded" => (
            "lists and maps are nested too deeply (more than 128 levels)".into(),
            "flatten the data",
        ),
        "repetition limit exceeded" => (
            "YAML aliases (`*name`) repeat an anchored value too often".into(),
            "write the values out instead of repeating them with `&anchor` and `*alias`",
        ),
        _ if bare.starts_with("deserializing from YAML containing more than one document") => (
            format!("{MORE_THAN_ONE} (a `---` line in the middle)"),
            "remove the extra `---` line",
        ),
        _ => return None,
    };
    Some(Explained::new(message, Some(help.into())))
}

/// Splits "references[0].url: message" into the field path and the message.
fn split_path(problem: &str) -> (Option<&str>, &str) {
    match problem.split_once(": ") {
        Some((path, rest))
            if !path.is_empty()
                && !path.contains(' ')
                && !path.contains('`')
                && path
                    .chars()
                    .all(|c| c.is_alphanumeric() || "_.[]-".contains(c)) =>
        {
            (Some(path), rest)
        }
        _ => (None, problem),
    }
}

/// Rewrites serde's "unknown field `x`, expected one of `a`, `b`" into
/// "unknown field `x`" plus a suggestion.
fn unknown_field(message: &str) -> Option<Explained> {
    let start = message.find("unknown field `")?;
    let prefix = &message[..start];
    let rest = &message[start + "unknown field `".len()..];
    let end = rest.find('`')?;
    let field = &rest[..end];
    let expected: Vec<&str> = rest[end + 1..].split('`').skip(1).step_by(2).collect();
    let head = format!("{prefix}unknown field `{field}`");
    let mut x = match suggest(field, expected.iter().copied()) {
        Some(s) => Explained::new(
            format!("{head} — did you mean `{s}`?"),
            Some(format!("rename `{field}` to `{s}`")),
        ),
        None if expected.is_empty() => Explained::new(head, Some("remove it".into())),
        None => {
            let list = expected
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ");
            Explained::new(head, Some(format!("valid fields are {list}")))
        }
    };
    // A near miss is a typo; anything else may be a field of the key
    // above that lost its indentation.
    if x.help.as_deref().is_none_or(|h| !h.starts_with("rename")) {
        x.unknown = Some(field.to_string());
    }
    Some(x)
}

/// The message and advice for a key `field` that is none of `expected`,
/// worded as the parser's own error would be.
pub(crate) fn unknown_key(field: &str, expected: &[&str]) -> (String, Option<String>) {
    let list: Vec<String> = expected.iter().map(|f| format!("`{f}`")).collect();
    let serde_style = format!(
        "unknown field `{field}`, expected one of {}",
        list.join(", ")
    );
    match unknown_field(&serde_style) {
        Some(e) => (e.message, e.help),
        None => (format!("unknown field `{field}`"), None),
    }
}

/// "invalid type: string \"high\", expected i64" and friends, in words.
fn wrong_type(path: Option<&str>, bare: &str) -> Option<Explained> {
    let rest = bare
        .strip_prefix("invalid type: ")
        .or_else(|| bare.strip_prefix("invalid value: "))?;
    let (found, expected) = rest.rsplit_once(", expected ")?;
    let found = found.replace(" as u128", "").replace(" as i128", "");
    let found = if found == "sequence" {
        "a list".to_string()
    } else if found == "map" {
        "a group of `key: value` fields".to_string()
    } else if found == "unit value" {
        "nothing".to_string()
    } else if let Some(v) = found.strip_prefix("integer ") {
        format!("the number {v}")
    } else if let Some(v) = found.strip_prefix("floating point ") {
        format!("the number {v}")
    } else if let Some(v) = found.strip_prefix("string ") {
        format!("the text {v}")
    } else if let Some(v) = found.strip_prefix("boolean ") {
        v.to_string()
    } else {
        found
    };
    let out_of_range = bare.starts_with("invalid value: integer");
    let (wanted, help) = match expected {
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" if out_of_range => (
            "a whole number of reasonable size",
            "write a smaller whole number",
        ),
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => (
            "a whole number",
            "write a whole number without quotes, e.g. `weight: 3`",
        ),
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => (
            "a whole number of 0 or more",
            "write a whole number without quotes, e.g. `12`",
        ),
        "f32" | "f64" => (
            "a number",
            "write a number without quotes, e.g. `8` or `7.5`",
        ),
        "a boolean" => (
            "`true` or `false`",
            "write `true` or `false`, without quotes",
        ),
        "a switch or its settings" => (
            "`true` or `false`",
            "write `true` or `false` without quotes, or its settings as `key: value` lines below it, indented",
        ),
        "a reviewer" => (
            "a name, or a name and role",
            "write `reviewer: { name: \"Dr Jane Smith\", role: \"Consultant haematologist\" }`",
        ),
        "a sequence" => (
            "a list",
            "write a list: `[first, second]`, or one `- item` per line below the field",
        ),
        "a string" | "a borrowed string" | "a character" => (
            "text",
            "write plain text; if it starts with `[`, `{`, `*`, `&`, `!`, `|`, `>`, `@` or `%`, put it in quotes",
        ),
        "field identifier" => ("a field name", "field names are plain words, e.g. `title:`"),
        "a map" => (
            "a group of `key: value` fields",
            "write the fields on the lines below it, indented",
        ),
        e if e.starts_with("struct ") => (
            "a group of settings",
            "write its settings as `key: value` lines below it, indented by two spaces",
        ),
        e if e.contains("date") => ("a date", "write dates as YYYY-MM-DD, e.g. 2026-02-28"),
        _ => return None,
    };
    let message = format!("expected {wanted}, found {found}");
    Some(Explained::new(
        match path {
            Some(p) => format!("{p}: {message}"),
            None => message,
        },
        Some(help.to_string()),
    ))
}

/// chrono's date errors, which do not say what a date should look like.
fn bad_date(path: Option<&str>, bare: &str) -> Option<Explained> {
    let what = match bare {
        "input is out of range" => "there is no such date",
        "input contains invalid characters"
        | "premature end of input"
        | "trailing input"
        | "input is not enough for unique date and time"
        | "no possible date and time matching input"
        | "bad or unsupported format string" => "not a date in the form YYYY-MM-DD",
        _ => return None,
    };
    Some(Explained::new(
        match path {
            Some(p) => format!("{p}: {what}"),
            None => what.to_string(),
        },
        Some(
            "write dates as YYYY-MM-DD, with a real month (01–12) and day, e.g. 2026-02-28".into(),
        ),
    ))
}

/// Where the second `key:` is, in the first map holding it twice that
/// starts at or after line `from` (serde reports a duplicate at its map,
/// not at the repeated key).
fn second_key(text: &str, key: &str, from: usize) -> Option<(usize, usize)> {
    KeyPositions::of(text, 1)
        .repeated_key(key, from)
        .map(Pos::pair)
}
