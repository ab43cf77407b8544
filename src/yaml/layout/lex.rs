//! The line pass: each line of block-style YAML → the `-` entries and
//! `key:`s it opens, with their columns. Lines that only continue a value
//! (block text after `|`, a plain value wrapped onto more lines, a quoted
//! value or a `[…]`/`{…}` spanning lines) open nothing and are skipped.

/// A `-` or a `key:` at the start of a line (after any `- `).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Token {
    /// 0-based line in the text.
    pub line: usize,
    /// 0-based column, in characters (the indentation of what it opens).
    pub col: usize,
    /// 0-based column where its value starts on this line: after `- ` or
    /// `: `, or right after the `-`/`:` when the value is below.
    pub value_col: usize,
    /// The key's name, quotes removed; `None` for a `-`.
    pub key: Option<String>,
    /// A value follows on the same line: nothing below belongs to it.
    pub inline: bool,
    /// When the value is a `[…]` list: (line, column) of each item, 0-based.
    pub flow_items: Option<Vec<(usize, usize)>>,
}

/// What an open quote or `[`/`{` carries from one line to the next.
#[derive(Debug, Default)]
pub(super) struct Flow {
    depth: usize,
    /// The open quote, if any.
    quote: Option<char>,
    /// The last significant character, to tell where a token may start.
    prev: Option<char>,
    /// An item of the `[…]` list being recorded may start here.
    expect_item: bool,
}

impl Flow {
    pub(super) fn is_open(&self) -> bool {
        self.depth > 0 || self.quote.is_some()
    }
}

/// Splits `text` into tokens, and counts its lines (as `str::lines` does).
/// Never fails: on text that is not valid YAML the tokens are merely less
/// useful.
pub(super) fn tokens(text: &str) -> (Vec<Token>, usize) {
    let mut out: Vec<Token> = Vec::new();
    let mut flow = Flow::default();
    // Lines indented more than this continue the value above.
    let mut deeper_than: Option<usize> = None;
    let mut count = 0;
    for (i, raw) in text.split('\n').enumerate() {
        count = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if flow.is_open() {
            let items = out.last_mut().and_then(|t| t.flow_items.as_mut());
            scan_flow(line, i, 0, &mut flow, items);
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if rest.trim().is_empty() {
            continue;
        }
        if deeper_than.is_some_and(|n| indent > n) {
            continue;
        }
        deeper_than = None;
        if rest.starts_with('#') || (indent == 0 && is_marker(rest)) {
            continue;
        }
        deeper_than = line_tokens(line, i, indent, &mut flow, &mut out);
    }
    // A text ending in "\n" has no line after it.
    if text.is_empty() || text.ends_with('\n') {
        count -= 1;
    }
    (out, count)
}

/// `---`, `...` and `%` directives, which hold no keys.
pub(super) fn is_marker(rest: &str) -> bool {
    rest.starts_with('%')
        || ["---", "..."].iter().any(|m| {
            rest.strip_prefix(m)
                .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
        })
}

/// The tokens of one line that starts a node (not a continuation), pushed
/// to `out`; returns the indentation below which lines continue its value.
fn line_tokens(
    line: &str,
    i: usize,
    indent: usize,
    flow: &mut Flow,
    out: &mut Vec<Token>,
) -> Option<usize> {
    let col_of = columns(line);
    let mut p = indent;
    let mut last: Option<usize> = None;
    // Each `- ` opens an entry; `- - x` opens two.
    while let Some(after) = dash_at(line, p) {
        let value = skip_blanks(line, after);
        out.push(Token {
            line: i,
            col: col_of(p),
            value_col: col_of(value),
            key: None,
            inline: false,
            flow_items: None,
        });
        last = Some(out.len() - 1);
        p = value;
    }
    if let Some((name, after)) = key_at(line, p) {
        let value = skip_blanks(line, after);
        out.push(Token {
            line: i,
            col: col_of(p),
            value_col: col_of(value),
            key: Some(name),
            inline: false,
            flow_items: None,
        });
        last = Some(out.len() - 1);
        p = value;
    }
    let token = &mut out[last?];
    let v = skip_properties(line, p);
    if v >= line.len() || line[v..].starts_with('#') {
        return None; // the value, if any, is on the lines below
    }
    token.inline = true;
    let below = token.col;
    let rest = &line[v..];
    if rest.starts_with(['"', '\'', '[', '{']) {
        *flow = Flow::default();
        let items = if rest.starts_with('[') {
            Some(token.flow_items.insert(Vec::new()))
        } else {
            None
        };
        scan_flow(line, i, v, flow, items);
    }
    // Block text (`|`, `>`) and wrapped plain values continue on lines
    // indented more than the key or `-`.
    Some(below)
}

/// Byte offset → 0-based column in characters, in constant time for the
/// ASCII start of a line (where a line's `-`s and key usually are), so a
/// long line of `- - - …` costs no more than its length.
pub(super) fn columns(line: &str) -> impl Fn(usize) -> usize + '_ {
    let ascii = line.find(|c: char| !c.is_ascii()).unwrap_or(line.len());
    move |b| {
        if b <= ascii {
            b
        } else {
            ascii + line[ascii..b].chars().count()
        }
    }
}

/// The byte after `-` and its blank when a sequence entry starts at `p`.
pub(super) fn dash_at(line: &str, p: usize) -> Option<usize> {
    let rest = line.get(p..)?.strip_prefix('-')?;
    (rest.is_empty() || rest.starts_with([' ', '\t'])).then_some(p + 1)
}

pub(super) fn skip_blanks(line: &str, p: usize) -> usize {
    let rest = &line[p..];
    p + rest.len() - rest.trim_start_matches([' ', '\t']).len()
}

/// Skips an anchor (`&a`) and tag (`!t`) before a value.
pub(super) fn skip_properties(line: &str, mut p: usize) -> usize {
    while line[p..].starts_with(['&', '!']) {
        let end = line[p..].find([' ', '\t']).map_or(line.len(), |e| p + e);
        p = skip_blanks(line, end);
    }
    p
}

/// A key starting at byte `p`: its name and the byte after its `:`.
pub(super) fn key_at(line: &str, p: usize) -> Option<(String, usize)> {
    let rest = line.get(p..)?;
    let quote = rest.chars().next()?;
    if quote == '"' || quote == '\'' {
        let (name, len) = quoted(rest, quote)?;
        let after = skip_blanks(line, p + len);
        return colon_at(line, after).map(|end| (name, end));
    }
    if rest.starts_with([
        '[', '{', ']', '}', ',', '#', '&', '*', '!', '|', '>', '%', '@', '`', '?',
    ]) {
        return None;
    }
    // A key ends before a comment.
    let end = [" #", "\t#"]
        .iter()
        .filter_map(|c| rest.find(c))
        .min()
        .unwrap_or(rest.len());
    let mut from = 0;
    while let Some(c) = rest[from..end].find(':') {
        let colon = from + c;
        if let Some(after) = colon_at(line, p + colon) {
            return Some((rest[..colon].trim_end().to_string(), after));
        }
        from = colon + 1;
    }
    None
}

/// The byte after a `:` at `p` that ends a key (followed by a blank or the
/// end of the line).
fn colon_at(line: &str, p: usize) -> Option<usize> {
    let rest = line.get(p..)?.strip_prefix(':')?;
    (rest.is_empty() || rest.starts_with([' ', '\t'])).then_some(p + 1)
}

/// A quoted scalar closed on this line, unescaped, and its length in bytes
/// (quotes included).
pub(super) fn quoted(s: &str, quote: char) -> Option<(String, usize)> {
    let mut name = String::new();
    let mut chars = s.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quote == '"' => name.push(chars.next()?.1),
            '\'' if quote == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') => {
                chars.next();
                name.push('\'');
            }
            c if c == quote => return Some((name, i + 1)),
            c => name.push(c),
        }
    }
    None
}

/// Follows quotes and `[`/`{` nesting from byte `from` of line `i` to the
/// end of the line or of the value. Records the start of each item of a
/// `[…]` list in `items` (0-based line and column). Returns the byte
/// after the last character read: after the closing quote or bracket when
/// the value ends on this line.
pub(super) fn scan_flow(
    line: &str,
    i: usize,
    from: usize,
    flow: &mut Flow,
    mut items: Option<&mut Vec<(usize, usize)>>,
) -> usize {
    let mut spaced = true;
    let mut at = from;
    let mut chars = line[from..].chars().peekable();
    // Counted along, so a long `[a, b, …]` line costs its length.
    let mut col = columns(line)(from);
    let mut next_col = col;
    while let Some(c) = chars.next() {
        at += c.len_utf8();
        col = next_col;
        next_col += 1;
        if let Some(q) = flow.quote {
            // `\"` in double quotes, `''` in single quotes: not the end.
            let escaped = if q == '"' {
                c == '\\'
            } else {
                c == q && chars.peek() == Some(&'\'')
            };
            if escaped {
                at += chars.next().map_or(0, char::len_utf8);
                next_col += 1;
            } else if c == q {
                flow.quote = None;
                flow.prev = Some(c);
                spaced = false;
                if flow.depth == 0 {
                    return at;
                }
            }
            continue;
        }
        if c == ' ' || c == '\t' {
            spaced = true;
            continue;
        }
        if c == '#' && spaced {
            return at; // a comment
        }
        if flow.expect_item && flow.depth == 1 && c != ']' && c != ',' {
            if let Some(items) = items.as_deref_mut() {
                items.push((i, col));
            }
            flow.expect_item = false;
        }
        let token_start = match flow.prev {
            None => true,
            Some('[' | '{' | ',') => true,
            Some(':' | '-' | '?') => spaced,
            _ => false,
        };
        match c {
            '[' | '{' if token_start || flow.depth > 0 => {
                flow.depth += 1;
                flow.expect_item = flow.depth == 1 && c == '[';
            }
            ']' | '}' if flow.depth > 0 => {
                flow.depth -= 1;
                if flow.depth == 0 {
                    return at;
                }
            }
            ',' if flow.depth == 1 => flow.expect_item = true,
            '"' | '\'' if token_start => flow.quote = Some(c),
            _ if flow.depth == 0 => return at, // a plain value
            _ => {}
        }
        flow.prev = Some(c);
        spaced = false;
    }
    at
}
