//! The usual slips found by reading the lines, for the errors libyaml
//! reports late.
//!
//! libyaml notices a mistake where the text stops making sense, which can
//! be lines after the one a writer got wrong: an unclosed quote swallows
//! the lines below it up to the next quote (so the error is wherever that
//! quote leaves the text broken), and `title:Foo` is read as text that
//! goes on until the next `: `. The same line pass as the layout lexer
//! walks the text up to the parser's position and names the first slip it
//! sees, at the character to fix.

use super::Pos;
use super::lex::{Flow, columns, dash_at, is_marker, key_at, quoted, scan_flow, skip_blanks};

/// A mistake found by reading the lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Slip {
    /// A quote opens a value and is still open when the next field starts
    /// (or the text ends). `at` is the opening quote.
    UnclosedQuote { at: Pos, quote: char },
    /// Text follows the quote that closes a value: an apostrophe inside
    /// single quotes, or a `"` inside double quotes. `at` is that quote.
    TextAfterQuote { at: Pos, quote: char },
    /// Text follows the `]` or `}` that closes a list or map started by
    /// the value's first character: most often a text that starts with
    /// `[` (`[Draft] Stem cells`). `at` is the closing bracket.
    TextAfterBracket { at: Pos, open: char },
    /// `key:value`, without the space YAML needs after the `:`. `at` is the
    /// colon.
    NoSpaceAfterColon { at: Pos, key: String },
    /// `-item`, without the space a list item needs after the `-`. `at` is
    /// the dash.
    NoSpaceAfterDash { at: Pos },
    /// The first field is indented and a later one is not: the first
    /// field's line is the one to fix.
    IndentedFirstField { at: Pos },
}

impl Slip {
    /// Where the slip is.
    pub(crate) fn at(&self) -> Pos {
        match self {
            Slip::UnclosedQuote { at, .. }
            | Slip::TextAfterQuote { at, .. }
            | Slip::TextAfterBracket { at, .. }
            | Slip::NoSpaceAfterColon { at, .. }
            | Slip::NoSpaceAfterDash { at }
            | Slip::IndentedFirstField { at } => *at,
        }
    }
}

/// The first slip in `text` (whose first line is line 1), if any. Like
/// the layout lexer, never fails: on text it cannot follow (a quoted value
/// legitimately spanning lines, then something odd) it stops looking.
pub(crate) fn first_slip(text: &str) -> Option<Slip> {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut flow = Flow::default();
    // Lines indented more than this continue the value above.
    let mut deeper_than: Option<usize> = None;
    // The indentation and line of the first field.
    let mut first: Option<(usize, usize)> = None;
    for (i, &line) in lines.iter().enumerate() {
        if flow.is_open() {
            scan_flow(line, i, 0, &mut flow, None);
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if rest.trim().is_empty() || rest.starts_with('#') {
            continue;
        }
        if deeper_than.is_some_and(|n| indent > n) {
            continue;
        }
        deeper_than = None;
        if indent == 0 && is_marker(rest) {
            continue;
        }
        let pos = |byte: usize| Pos {
            line: i + 1,
            column: columns(line)(byte) + 1,
        };
        match first {
            None => first = Some((indent, i)),
            Some((first_indent, first_line)) if indent < first_indent => {
                return Some(Slip::IndentedFirstField {
                    at: Pos {
                        line: first_line + 1,
                        column: 1,
                    },
                });
            }
            Some(_) => {}
        }
        // The `-`s and key that start the line, as the lexer reads them.
        let mut p = indent;
        let mut col = None;
        while let Some(after) = dash_at(line, p) {
            col = Some(p);
            p = skip_blanks(line, after);
        }
        let key = key_at(line, p);
        if let Some((_, after)) = &key {
            col = Some(p);
            p = skip_blanks(line, *after);
        } else if col.is_none() {
            if let Some(colon) = no_space_after_colon(rest) {
                return Some(Slip::NoSpaceAfterColon {
                    at: pos(indent + colon),
                    key: rest[..colon].to_string(),
                });
            }
            let mut chars = rest.chars();
            if chars.next() == Some('-') && chars.next().is_some_and(char::is_alphabetic) {
                return Some(Slip::NoSpaceAfterDash { at: pos(indent) });
            }
            continue; // text YAML will complain about, or not
        }
        let (Some(col), value) = (col, &line[p..]) else {
            continue;
        };
        if value.is_empty() || value.starts_with('#') {
            continue; // the value is on the lines below
        }
        deeper_than = Some(col);
        if let Some(slip) = value_slip(&lines, i, p, col, &mut flow) {
            return Some(slip);
        }
    }
    None
}

/// A slip in the value starting at byte `p` of line `i`, whose key or `-`
/// is at column `col`. Leaves `flow` open when a quoted value or a `[…]`
/// goes on over the next lines.
fn value_slip(lines: &[&str], i: usize, p: usize, col: usize, flow: &mut Flow) -> Option<Slip> {
    let line = lines[i];
    let value = &line[p..];
    let pos = |byte: usize| Pos {
        line: i + 1,
        column: columns(line)(byte) + 1,
    };
    let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'') else {
        if !value.starts_with(['[', '{']) {
            return None;
        }
        *flow = Flow::default();
        let end = scan_flow(line, i, p, flow, None);
        let after = line[end..].trim_start_matches([' ', '\t']);
        let text_after = !flow.is_open() && !after.is_empty() && !after.starts_with('#');
        return text_after.then(|| Slip::TextAfterBracket {
            at: pos(end - 1),
            open: if value.starts_with('[') { '[' } else { '{' },
        });
    };
    match quoted(value, quote) {
        Some((_, len)) => {
            let after = value[len..].trim_start_matches([' ', '\t']);
            (!after.is_empty() && !after.starts_with('#')).then(|| Slip::TextAfterQuote {
                at: pos(p + len - 1),
                quote,
            })
        }
        None if next_field_starts(&lines[i + 1..], col) => {
            Some(Slip::UnclosedQuote { at: pos(p), quote })
        }
        // A quoted value that goes on over the next lines.
        None => {
            *flow = Flow::default();
            scan_flow(line, i, p, flow, None);
            None
        }
    }
}

/// Whether the next line that holds anything starts a field or list item
/// indented no more than `col` (so it cannot be the rest of a quoted value
/// above), or the text ends first.
fn next_field_starts(below: &[&str], col: usize) -> bool {
    let Some(line) = below
        .iter()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
    else {
        return true;
    };
    let indent = line.len() - line.trim_start_matches(' ').len();
    indent <= col && (dash_at(line, indent).is_some() || key_at(line, indent).is_some())
}

/// The byte of the `:` in `name:value` at the start of `rest`, where
/// `name` is a plain field name and the value follows without a space. A
/// `:` before `/` (`https://…`) or another `:` is left alone.
fn no_space_after_colon(rest: &str) -> Option<usize> {
    let name_len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    let starts_like_a_name = rest.chars().next().is_some_and(char::is_alphabetic);
    let after = rest[name_len..].strip_prefix(':')?;
    let next = after.chars().next()?;
    (starts_like_a_name && !matches!(next, ' ' | '\t' | ':' | '/')).then_some(name_len)
}

/// The `\` after the drive letter of a Windows path inside double
/// quotes (`"C:\new\table"`), where YAML reads `\n` and `\t` as a new
/// line and a tab: valid YAML that never says what the writer meant.
pub(crate) fn windows_path_in_double_quotes(text: &str) -> Option<Pos> {
    for (i, line) in text.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let mut quote: Option<char> = None;
        let mut j = 0;
        while j < chars.len() {
            let c = chars[j];
            match quote {
                Some('"') if c == '\\' => {
                    let drive = j >= 2
                        && chars[j - 1] == ':'
                        && chars[j - 2].is_ascii_alphabetic()
                        && (j == 2 || !chars[j - 3].is_alphanumeric());
                    if drive && chars.get(j + 1).is_some_and(|n| *n != '\\') {
                        return Some(Pos {
                            line: i + 1,
                            column: j + 1,
                        });
                    }
                    j += 1; // the escaped character
                }
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == '#' && (j == 0 || chars[j - 1] == ' ') => break,
                None if c == '"' || c == '\'' => quote = Some(c),
                None => {}
            }
            j += 1;
        }
    }
    None
}

/// Whether the first line holding anything is a `key: value` field:
/// front matter, most likely, that lacks its opening `---`.
pub(crate) fn starts_with_field(text: &str) -> bool {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| key_at(l, 0).is_some())
}

/// The last line (1-based, counted in `text`) that reads as front matter
/// — a field, a list item, an indented line or a comment — before the
/// first line that cannot be: where a missing closing `---` belongs.
/// Returns that line and the first line after it that holds anything
/// (`None` when the text ends first).
pub(crate) fn front_matter_end(text: &str) -> (usize, Option<usize>) {
    let mut last = 0;
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let yaml_like = indent > 0
            || dash_at(line, 0).is_some()
            || key_at(line, 0).is_some()
            || (line.starts_with('#') && i == last);
        if !yaml_like {
            return (last, Some(i + 1));
        }
        last = i + 1;
    }
    (last, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize) -> Pos {
        Pos { line, column }
    }

    #[test]
    fn an_unclosed_quote_is_found_where_it_opens() {
        let text = "title: \"Stem cells\ndescription: \"What: next\"\nweight: 3\n";
        assert_eq!(
            first_slip(text),
            Some(Slip::UnclosedQuote {
                at: at(1, 8),
                quote: '"'
            })
        );
        // In a list item, and at the end of the text.
        let text = "tags:\n  - 'a\n";
        assert_eq!(first_slip(text).map(|s| s.at()), Some(at(2, 5)));
        // A quoted value wrapped onto indented lines is fine, and what
        // follows it is still read.
        let text = "description: \"a long\n  value\"\nweight: 3\ntitle:Foo\n";
        assert_eq!(
            first_slip(text),
            Some(Slip::NoSpaceAfterColon {
                at: at(4, 6),
                key: "title".into()
            })
        );
    }

    #[test]
    fn text_after_a_closing_quote() {
        let text = "weight: 1\ntitle: 'Don't panic'\n";
        assert_eq!(
            first_slip(text),
            Some(Slip::TextAfterQuote {
                at: at(2, 12),
                quote: '\''
            })
        );
        assert_eq!(first_slip("title: 'It''s fine' # ok\n"), None);
    }

    #[test]
    fn what_is_not_a_slip() {
        for text in [
            "title: A\nurl: https://example.org\n",
            "tags:\n  - a:b\n  - https://x\n",
            "intro: |\n  title:Foo\n",
            "description: a long\n  wrapped:value\n",
            "tags: [\"a\",\n  'b']\nweight: 1\n",
            "time: 10:30\n",
        ] {
            assert_eq!(first_slip(text), None, "{text}");
        }
    }

    #[test]
    fn odd_text_is_read_without_panicking() {
        for text in [
            "é:ü\n",
            "\"",
            "'",
            "- '",
            "  - - \"x\n",
            "key: 'a'b\n",
            "日本:語\n",
            "a: \"ü\nb: c\n",
            "a: [\"b\n",
            "---\n...\n",
        ] {
            let _ = first_slip(text);
            let _ = front_matter_end(text);
        }
        assert_eq!(first_slip("a: 'ü'x\n").map(|s| s.at()), Some(at(1, 6)));
    }

    #[test]
    fn text_after_a_closing_bracket() {
        assert_eq!(
            first_slip("title: [Draft] Stem cells\n"),
            Some(Slip::TextAfterBracket {
                at: at(1, 14),
                open: '['
            })
        );
        assert_eq!(
            first_slip("tags: [a, b]]\n").map(|s| s.at()),
            Some(at(1, 12))
        );
        assert_eq!(first_slip("tags: [a, \"]\"] # fine\nx: {a: 1}\n"), None);
    }

    #[test]
    fn dashes_and_indentation() {
        assert_eq!(
            first_slip("tags:\n  -first\n"),
            Some(Slip::NoSpaceAfterDash { at: at(2, 3) })
        );
        assert_eq!(
            first_slip("  title: A\ndescription: B\n"),
            Some(Slip::IndentedFirstField { at: at(1, 1) })
        );
        assert_eq!(first_slip("  title: A\n  description: B\n"), None);
        assert_eq!(first_slip("weight:\n  -5\n"), None);
        assert!(starts_with_field("\ntitle: A\n"));
        assert!(!starts_with_field("# Heading\n"));
    }

    #[test]
    fn windows_paths_in_double_quotes() {
        let find = windows_path_in_double_quotes;
        assert_eq!(find("a: 1\nfile: \"C:\\new\\table\"\n"), Some(at(2, 10)));
        assert_eq!(find("file: \"see D:\\x\"\n"), Some(at(1, 14)));
        // Single quotes, doubled backslashes, forward slashes and plain
        // values are what to write instead.
        for fine in [
            "file: 'C:\\new'\n",
            "file: \"C:\\\\new\"\n",
            "file: \"C:/new\"\n",
            "file: C:\\new\n",
            "# \"C:\\new\"\n",
            "x: \"AC:\\n\"\n",
        ] {
            assert_eq!(find(fine), None, "{fine}");
        }
    }

    #[test]
    fn where_front_matter_ends() {
        assert_eq!(
            front_matter_end("title: A\ntags:\n  - a\n\n# Heading\n\nText.\n"),
            (3, Some(5))
        );
        assert_eq!(front_matter_end("title: A\n# a note\nBody\n"), (2, Some(3)));
        assert_eq!(front_matter_end("title: A\n"), (1, None));
    }
}
