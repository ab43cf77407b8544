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

use std::cell::Cell;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, Visitor};

use crate::diagnostics::suggest;

/// Deepest nesting of lists and maps accepted (serde_yaml itself stops at
/// 128 levels).
pub const MAX_NESTING: usize = 100;

/// A YAML problem at a position inside the YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line inside the YAML text (1 when the parser gave none).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
}

/// Deserializes `text` into `T`. Empty or comment-only text is an empty map,
/// so `T`'s own defaults and required fields decide what that means.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
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

/// How many values (scalars, lists and maps, aliases expanded) a document
/// of `len` bytes may hold. Without aliases every value needs at least one
/// byte or two of text (`[:,:]` is the densest YAML there is), so only
/// aliases can exceed this.
pub fn expansion_budget(len: usize) -> usize {
    2 * len + 1024
}

const OVER_BUDGET: &str = "marrow: YAML expansion budget exceeded";

/// Walks the document like a deserializer would, aliases expanded, counting
/// values, and stops as soon as there are more than [`expansion_budget`].
fn check_expansion(text: &str, scan: &Scan) -> Result<(), YamlError> {
    let (_, over) = count_values(text, expansion_budget(text.len()));
    if over {
        let (line, column) = scan.first_alias.or(scan.first_anchor).unwrap_or((1, 1));
        return Err(YamlError {
            line,
            column,
            message: EXPANDS.into(),
            help: Some("write the values out instead of repeating them with `&anchor` and `*alias`; if a text starts with `*`, put it in quotes".into()),
        });
    }
    // Syntax errors are reported by the real parse, with its message.
    Ok(())
}

const EXPANDS: &str = "YAML aliases (`*name`) here repeat an anchored value so often that it would expand far beyond the file's size";

/// Counts the values of `text`, aliases expanded, stopping at the first
/// one over `budget`: how many were counted (that one included), and
/// whether the budget (or serde_yaml's own repetition limit) ran out.
fn count_values(text: &str, budget: usize) -> (usize, bool) {
    let counted = Cell::new(0);
    let result = Count(&counted, budget).deserialize(serde_yaml::Deserializer::from_str(text));
    let over = result.is_err_and(|e| {
        let e = e.to_string();
        e.contains(OVER_BUDGET) || e.contains("repetition")
    });
    (counted.get(), over)
}

/// A deserialization that builds nothing and counts values (in the cell)
/// up to a budget.
#[derive(Clone, Copy)]
struct Count<'a>(&'a Cell<usize>, usize);

impl Count<'_> {
    /// Counts one value; an error once there are more than the budget.
    fn tick<E: de::Error>(self) -> Result<(), E> {
        let counted = self.0.get() + 1;
        self.0.set(counted);
        if counted > self.1 {
            return Err(E::custom(OVER_BUDGET));
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Count<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Count<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.tick()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.tick()
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.tick()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.tick()
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.tick()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.tick()
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.tick()
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<(), E> {
        self.tick()
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.tick()
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.tick()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.tick()?;
        self.deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.tick()?;
        self.deserialize(d)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.tick()?;
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.tick()?;
        while map.next_key_seed(self)?.is_some() {
            map.next_value_seed(self)?;
        }
        Ok(())
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        // A tagged value (`!tag value`).
        use de::VariantAccess;
        self.tick()?;
        let ((), variant) = data.variant_seed(self)?;
        variant.newtype_variant_seed(self)
    }
}

/// What a quick look at the text finds before parsing: where flow
/// collections nest too deep, and where the first alias and anchor are (to
/// point at when the expansion guard trips). Quotes, comments and block
/// scalars are skipped; it only has to be right for YAML that parses.
#[derive(Debug, Default)]
struct Scan {
    too_deep: Option<(usize, usize)>,
    first_alias: Option<(usize, usize)>,
    first_anchor: Option<(usize, usize)>,
}

impl Scan {
    fn of(text: &str) -> Scan {
        #[derive(PartialEq)]
        enum Quote {
            None,
            Single,
            Double,
        }
        let mut scan = Scan::default();
        let mut quote = Quote::None;
        let mut depth = 0usize;
        // Indentation of the line that opened a block scalar (`|`, `>`):
        // more indented lines after it are text.
        let mut block: Option<usize> = None;
        for (i, line) in text.lines().enumerate() {
            let indent = line.len() - line.trim_start_matches(' ').len();
            if let Some(n) = block {
                if line.trim().is_empty() || indent > n {
                    continue;
                }
                block = None;
            }
            // The last significant character before this one, and whether
            // white space came after it.
            let mut prev: Option<char> = None;
            let mut spaced = true;
            let mut chars = line.chars().enumerate().peekable();
            while let Some((col, c)) = chars.next() {
                let at = (i + 1, col + 1);
                match quote {
                    Quote::Double => {
                        if c == '\\' {
                            chars.next();
                        } else if c == '"' {
                            quote = Quote::None;
                            prev = Some('"');
                            spaced = false;
                        }
                        continue;
                    }
                    Quote::Single => {
                        if c == '\'' {
                            quote = Quote::None;
                            prev = Some('\'');
                            spaced = false;
                        }
                        continue;
                    }
                    Quote::None => {}
                }
                if c.is_whitespace() {
                    spaced = true;
                    continue;
                }
                if c == '#' && spaced {
                    break; // a comment
                }
                let token_start = match prev {
                    None => true,
                    Some('[' | '{' | ',') => true,
                    Some(':' | '-' | '?') => spaced,
                    _ => false,
                };
                match c {
                    '[' | '{' if token_start || depth > 0 => {
                        depth += 1;
                        if depth > MAX_NESTING {
                            scan.too_deep = Some(at);
                            return scan;
                        }
                    }
                    ']' | '}' => depth = depth.saturating_sub(1),
                    '"' if token_start => quote = Quote::Double,
                    '\'' if token_start => quote = Quote::Single,
                    '*' if token_start && chars.peek().is_some_and(|(_, n)| !n.is_whitespace()) => {
                        scan.first_alias.get_or_insert(at);
                    }
                    '&' if token_start => {
                        scan.first_anchor.get_or_insert(at);
                    }
                    '|' | '>' if token_start && depth == 0 => block = Some(indent),
                    _ => {}
                }
                prev = Some(c);
                spaced = false;
            }
        }
        scan
    }
}

fn convert(e: &serde_yaml::Error, text: &str) -> YamlError {
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
    let explained = explain(&problem, context.as_deref(), text, (line, column));
    if explained.at_context
        && let Some(at) = context_at
    {
        (line, column) = at;
    }
    if let Some(at) = explained.at {
        (line, column) = at;
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
fn strip_positions(message: &str) -> (String, Vec<(usize, usize)>) {
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
struct Explained {
    message: String,
    help: Option<String>,
    /// Point at the context's position ("while scanning a quoted scalar
    /// at …": where the quote opened) rather than where the parser gave up.
    at_context: bool,
    /// Point here instead (1-based line and column of the YAML text).
    at: Option<(usize, usize)>,
}

impl Explained {
    fn new(message: impl Into<String>, help: Option<String>) -> Explained {
        Explained {
            message: message.into(),
            help,
            at_context: false,
            at: None,
        }
    }
}

const TAB_HELP: &str = "YAML does not allow tabs for indentation; indent with spaces";

/// Rewrites a serde or libyaml message into words a writer understands,
/// with advice.
fn explain(
    problem: &str,
    context: Option<&str>,
    text: &str,
    (line, column): (usize, usize),
) -> Explained {
    // serde names the field first ("tags: invalid type …",
    // "references[0]: missing field `url`").
    let (path, bare) = split_path(problem);
    let with_path = |m: &str| match path {
        Some(p) => format!("{p}: {m}"),
        None => m.to_string(),
    };
    let context = context.unwrap_or("");

    if let Some(x) = unknown_field(problem) {
        return x;
    }
    if let Some(key) = bare
        .strip_prefix("duplicate field `")
        .and_then(|r| r.strip_suffix('`'))
    {
        let at = second_key_line(text, key, line);
        let mut x = Explained::new(
            with_path(&format!("`{key}` is set twice")),
            Some(format!("keep one `{key}:` line and delete the other")),
        );
        x.at = at.map(|l| (l, key_column(text, l)));
        return x;
    }
    if bare.starts_with("duplicate entry") {
        return Explained::new(
            with_path(bare),
            Some("each key may appear only once; delete or rename one of them".into()),
        );
    }
    if problem == "found unexpected end of stream" && context.contains("quoted scalar") {
        let mut x = Explained::new(
            "this quoted value is never closed",
            Some("add the closing quote at the end of the value (inside double quotes write `\\\"` for a quote; inside single quotes write `''`)".into()),
        );
        x.at_context = true;
        return x;
    }
    if problem.starts_with("did not find expected ',' or ']'") {
        let mut x = Explained::new(
            "a list opened with `[` is not closed",
            Some(
                "close it with `]`; if the `[` is part of a text, put the whole text in quotes"
                    .into(),
            ),
        );
        x.at_context = context.contains("flow sequence");
        return x;
    }
    if problem.starts_with("did not find expected ',' or '}'") {
        let mut x = Explained::new(
            "a map opened with `{` is not closed",
            Some(
                "close it with `}`; if the `{` is part of a text, put the whole text in quotes"
                    .into(),
            ),
        );
        x.at_context = context.contains("flow mapping");
        return x;
    }
    if problem == "found unexpected end of stream" {
        return Explained::new(
            "the YAML ends in the middle of a value",
            Some("close every quote, `[` and `{` that you opened".into()),
        );
    }
    if problem.contains("tab character") {
        return Explained::new("a tab is used for indentation", Some(TAB_HELP.into()));
    }
    if problem == "found character that cannot start any token" {
        let c = text
            .lines()
            .nth(line - 1)
            .and_then(|l| l.chars().nth(column - 1));
        return match c {
            Some('\t') => Explained::new("a tab is used for indentation", Some(TAB_HELP.into())),
            Some(c) => Explained::new(
                format!("a value cannot start with `{c}`"),
                Some(format!("put the whole value in quotes, e.g. \"{c}…\"")),
            ),
            None => Explained::new(problem, None),
        };
    }
    if problem == "mapping values are not allowed in this context" {
        return Explained::new(
            "unexpected `:` — a value containing `: ` must be quoted, and a field cannot be indented under a plain value",
            Some("put the value in quotes (title: \"Step 2: recovery\"), or indent this line like the fields above it".into()),
        );
    }
    if problem == "did not find expected key" {
        return Explained::new(
            "this line does not line up with the fields above it",
            Some("indent every field of a group by the same number of spaces; put values containing quotes or `#` in quotes".into()),
        );
    }
    if problem == "block sequence entries are not allowed in this context" {
        return Explained::new(
            "a `- ` list item is not allowed here",
            Some("start the list on the line after its field, indented:\ntags:\n  - first\n  - second".into()),
        );
    }
    if problem == "did not find expected node content" {
        return Explained::new(
            "a value is missing or cannot start here",
            Some("put the value in quotes".into()),
        );
    }
    if problem == "found unknown escape character" {
        return Explained::new(
            "unknown escape sequence (`\\` followed by a letter) in a double-quoted value",
            Some("write `\\\\` for a backslash, or use single quotes, where `\\` has no special meaning".into()),
        );
    }
    if problem == "found undefined tag handle" || problem == "did not find expected tag URI" {
        return Explained::new(
            "a value starting with `!` is read as a YAML tag",
            Some("put the value in quotes".into()),
        );
    }
    if problem == "could not find expected ':'" {
        return Explained::new(
            "expected `field: value` here",
            Some("every line of front matter is `field: value` (or part of a list or quoted text above it)".into()),
        );
    }
    if problem == "control characters are not allowed" {
        return Explained::new(
            "the YAML contains an invisible control character",
            Some("delete it (it often comes with text pasted from elsewhere)".into()),
        );
    }
    if context.contains("scanning an alias") || context.contains("scanning an anchor") {
        let mut x = Explained::new(
            "a value starting with `*` or `&` is read as a YAML alias or anchor",
            Some("put the whole value in quotes, e.g. \"*Important* text\"".into()),
        );
        x.at_context = true;
        return x;
    }
    if bare == "unknown anchor" {
        return Explained::new(
            with_path(
                "a value starting with `*` is read as a reference (alias) to an `&anchor` that does not exist",
            ),
            Some("put the value in quotes, e.g. \"*Important* text\"".into()),
        );
    }
    if bare == "recursion limit exceeded" {
        return Explained::new(
            "lists and maps are nested too deeply (more than 128 levels)",
            Some("flatten the data".into()),
        );
    }
    if bare == "repetition limit exceeded" {
        return Explained::new(
            "YAML aliases (`*name`) repeat an anchored value too often",
            Some(
                "write the values out instead of repeating them with `&anchor` and `*alias`".into(),
            ),
        );
    }
    if bare.starts_with("deserializing from YAML containing more than one document") {
        return Explained::new(
            "the YAML holds more than one document (a `---` line in the middle)",
            Some("remove the extra `---` line".into()),
        );
    }
    if let Some(x) = wrong_type(path, bare) {
        return x;
    }
    if let Some(x) = bad_date(path, bare) {
        return x;
    }
    Explained::new(problem, None)
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
    Some(match suggest(field, expected.iter().copied()) {
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
    })
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

/// The line of the second `key:` at the same indentation as the first one
/// at or after `from` (serde reports a duplicate at its mapping, not at the
/// repeated key).
fn second_key_line(text: &str, key: &str, from: usize) -> Option<usize> {
    let mut first_indent = None;
    for (i, line) in text.lines().enumerate().skip(from.saturating_sub(1)) {
        let body = line.trim_start_matches([' ', '-']).trim_start();
        let indent = line.len() - body.len();
        let is_key = body
            .strip_prefix(key)
            .or_else(|| {
                body.strip_prefix('"')
                    .and_then(|b| b.strip_prefix(key))
                    .and_then(|b| b.strip_prefix('"'))
            })
            .is_some_and(|r| r.trim_start().starts_with(':'));
        if !is_key {
            continue;
        }
        match first_indent {
            None => first_indent = Some(indent),
            Some(n) if n == indent => return Some(i + 1),
            Some(_) => {}
        }
    }
    None
}

fn key_column(text: &str, line: usize) -> usize {
    text.lines().nth(line - 1).map_or(1, |l| {
        l.chars().take_while(|c| *c == ' ' || *c == '-').count() + 1
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        #[allow(dead_code)]
        title: String,
        #[allow(dead_code)]
        #[serde(default)]
        reviewed: Option<String>,
        #[allow(dead_code)]
        #[serde(default)]
        weight: Option<i64>,
        #[allow(dead_code)]
        #[serde(default)]
        tags: Vec<String>,
        #[allow(dead_code)]
        #[serde(default)]
        extra: Option<serde_json::Value>,
    }

    #[test]
    fn unknown_field_gets_suggestion_and_position() {
        let err = from_str::<Doc>("title: A\nreviewd: x\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert_eq!(err.column, 1);
        assert_eq!(
            err.message,
            "unknown field `reviewd` — did you mean `reviewed`?"
        );
    }

    #[test]
    fn unknown_field_without_near_miss_lists_fields() {
        let err = from_str::<Doc>("title: A\ncolour: x\n").unwrap_err();
        assert_eq!(err.message, "unknown field `colour`");
        assert!(err.help.unwrap().contains("`title`, `reviewed`"));
    }

    #[test]
    fn blank_text_is_an_empty_map() {
        let err = from_str::<Doc>("# only a comment\n").unwrap_err();
        assert!(
            err.message.contains("missing field `title`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn syntax_error_has_position() {
        // The position is the `[` that is never closed, not the end of the
        // text where the parser noticed.
        // (`title: [a` would be refused as a list where text belongs before
        // the parser reaches the end, hence `tags`.)
        let err = from_str::<Doc>("tags: [a\n").unwrap_err();
        assert_eq!((err.line, err.column), (1, 7), "{err:?}");
        assert_eq!(err.message, "a list opened with `[` is not closed");
        let err = from_str::<Doc>("title: A\nweight: 1\ntags: [a, b\n").unwrap_err();
        assert_eq!((err.line, err.column), (3, 7), "{err:?}");
        assert_eq!(err.message, "a list opened with `[` is not closed");
    }

    #[test]
    fn no_positions_of_the_yaml_block_inside_messages() {
        for text in [
            "title: \"A\ndescription: x\n",
            "title: A\ntags:\n\t- x\n",
            "title: x\n\tweight: 1\n",
        ] {
            let err = from_str::<Doc>(text).unwrap_err();
            assert!(!err.message.contains(" line "), "{}", err.message);
            assert!(err.help.is_some(), "{}", err.message);
        }
    }

    #[test]
    fn unclosed_quote_points_at_the_quote() {
        let err = from_str::<Doc>("weight: 1\ntitle: \"A\ndescription: x\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 8), "{err:?}");
        assert_eq!(err.message, "this quoted value is never closed");
    }

    #[test]
    fn duplicate_key_points_at_the_second() {
        let err = from_str::<Doc>("title: A\nweight: 1\ntitle: B\n").unwrap_err();
        assert_eq!((err.line, err.column), (3, 1), "{err:?}");
        assert_eq!(err.message, "`title` is set twice");
    }

    #[test]
    fn types_in_words() {
        let err = from_str::<Doc>("title: A\nweight: high\n").unwrap_err();
        assert_eq!(
            err.message,
            "weight: expected a whole number, found the text \"high\""
        );
        let err = from_str::<Doc>("title: A\ntags: foo\n").unwrap_err();
        assert_eq!(err.message, "tags: expected a list, found the text \"foo\"");
        let err = from_str::<Doc>("title: [a, b]\n").unwrap_err();
        assert_eq!(err.message, "title: expected text, found a list");
    }

    #[test]
    fn billion_laughs_is_refused_at_once() {
        let mut text = String::from(
            "title: A\nextra:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
        );
        for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            let refs = vec![format!("*{prev}"); 9].join(", ");
            text.push_str(&format!("  {name}: &{name} [{refs}]\n"));
        }
        // Expanded, this is 9⁹ (387 million) values. Bounded by work, not
        // by the clock: the refusal is the guard's (its message, at the first
        // alias), so the real parse never ran, and the guard's counting pass
        // stopped once it had counted the budget, a few values per byte.
        let err = from_str::<Doc>(&text).unwrap_err();
        assert_eq!(err.message, EXPANDS);
        assert_eq!((err.line, err.column), (4, 10), "{err:?}");
        let budget = expansion_budget(text.len());
        assert!(budget < 10 * text.len(), "{budget}");
        assert_eq!(count_values(&text, budget), (budget + 1, true));
    }

    #[test]
    fn a_big_list_referenced_many_times_is_refused() {
        let items = vec!["x"; 2000].join(",");
        let refs = vec!["*a"; 2000].join(",");
        let text = format!("title: A\nextra:\n  a: &a [{items}]\n  b: [{refs}]\n");
        let err = from_str::<Doc>(&text).unwrap_err();
        assert_eq!(err.message, EXPANDS);
        let budget = expansion_budget(text.len());
        assert_eq!(count_values(&text, budget), (budget + 1, true));
    }

    #[test]
    fn a_few_aliases_are_fine() {
        let text = "title: A\nextra:\n  a: &a [x, y]\n  b: *a\n  c: [*a, *a]\n";
        from_str::<Doc>(text).unwrap();
        // {…}, title, A, extra, {…}, a, [x, y] (3), b, *a (3), c, [*a, *a] (7).
        assert_eq!(
            count_values(text, expansion_budget(text.len())),
            (21, false)
        );
        // `*` in text is no alias.
        from_str::<Doc>("title: \"*Important*\"\ntags: [a*b, '*c']\n").unwrap();
    }

    #[test]
    fn deep_flow_nesting_is_refused_before_parsing() {
        let n = 100_000;
        let text = format!(
            "title: A\nextra:\n  x: {}{}\n",
            "[".repeat(n),
            "]".repeat(n)
        );
        // Bounded by work, not by the clock: the refusal is the scan's own
        // (its message, at the first bracket too many), so libyaml, whose
        // scanner is quadratic in the depth, never saw the text; the scan
        // is one pass over the characters and stops at that bracket.
        let err = from_str::<Doc>(&text).unwrap_err();
        assert_eq!(err, too_deep(3, 6 + MAX_NESTING));
        let scan = Scan::of(&text);
        assert_eq!(scan.too_deep, Some((3, 6 + MAX_NESTING)));
        // Brackets in quotes, comments and block text do not count.
        let quoted = format!(
            "title: \"{}\"\n# {}\nextra:\n  x: |\n    {}\n",
            "[".repeat(200),
            "{".repeat(200),
            "[".repeat(200)
        );
        from_str::<Doc>(&quoted).unwrap();
    }

    #[test]
    fn positions_are_stripped_from_messages() {
        let (m, p) = strip_positions(
            "found unexpected end of stream at line 3 column 1, while scanning a quoted scalar at line 1 column 8",
        );
        assert_eq!(
            m,
            "found unexpected end of stream, while scanning a quoted scalar"
        );
        assert_eq!(p, [(3, 1), (1, 8)]);
        assert_eq!(strip_positions("look at this").0, "look at this");
    }
}
