//! Where things are in a block-style YAML document: the line and column of
//! every key and every `- ` entry, found in one pass over the lines.
//!
//! serde builds values without positions, so errors found after parsing
//! (a bad `slug`, an alias that clashes, a duplicate glossary term) need
//! another way to point at the line a writer must fix. Scanning the text
//! for `key:` again at each such place got comments, quoted keys, nested
//! keys of the same name and indentation wrong in different ways; this is
//! the one scan, aware of quotes, comments, block text (`|`, `>`), wrapped
//! values and `[…]`/`{…}` spanning lines.
//!
//! Only layout is read, not values. On text that is not valid YAML the
//! result is incomplete but never an error: run it on text that parsed.

mod lex;
mod slips;
#[cfg(test)]
mod tests;

use lex::Token;
pub(crate) use slips::{
    Slip, first_slip, front_matter_end, starts_with_field, windows_path_in_double_quotes,
};

/// A 1-based line and column (in characters) of the file the text came
/// from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    /// As a `(line, column)` pair, the form diagnostics take.
    pub(crate) fn pair(self) -> (usize, usize) {
        (self.line, self.column)
    }
}

/// The block structure of a value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum Node {
    /// A scalar, a `{…}` map, block text, or nothing.
    #[default]
    Scalar,
    /// `key: value` lines.
    Map(Vec<Key>),
    /// `- ` entries, or the items of a `[…]` list.
    Seq(Vec<Entry>),
}

/// A `key:` of a block map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Key {
    /// The key as YAML reads it (quotes removed).
    pub name: String,
    /// Its first character (the opening quote of a quoted key).
    pub at: Pos,
    /// Where its value starts: after `: `, or right after the `:` when the
    /// value is on the lines below.
    pub value_at: Pos,
    pub value: Node,
    /// The last line before the next key or entry that is not part of it
    /// (blank and comment lines in between included).
    pub last_line: usize,
}

/// A `- ` entry of a block sequence, or an item of a `[…]` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The `-` (an item's first character in a `[…]` list).
    pub at: Pos,
    /// Where its value starts: after `- `, or right after the `-` when the
    /// value is on the lines below.
    pub value_at: Pos,
    pub value: Node,
    /// Like [`Key::last_line`].
    pub last_line: usize,
}

/// The layout of a whole document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct KeyPositions {
    root: Node,
}

impl KeyPositions {
    /// The layout of `text`, whose first line is line `first_line` of its
    /// file (2 for front matter after a `---` line; 1 for a whole file).
    pub(crate) fn of(text: &str, first_line: usize) -> KeyPositions {
        let (tokens, lines) = lex::tokens(text);
        let mut tree = Tree {
            tokens: &tokens,
            next: 0,
            first_line,
            last_line: (first_line + lines).saturating_sub(1).max(first_line),
        };
        KeyPositions {
            root: tree.node(None, false, 0),
        }
    }

    /// The document's top-level value.
    pub(crate) fn root(&self) -> &Node {
        &self.root
    }

    /// A top-level key of a map document.
    pub(crate) fn key(&self, name: &str) -> Option<&Key> {
        self.root.key(name)
    }

    /// The entries of a top-level sequence (the glossary's terms).
    pub(crate) fn entries(&self) -> &[Entry] {
        self.root.entries()
    }

    /// The second of two keys `name` in one map, in the first map (in text
    /// order) where the first of them is at or after line `from`: where a
    /// duplicate key is to be fixed.
    pub(crate) fn repeated_key(&self, name: &str, from: usize) -> Option<Pos> {
        let mut found = None;
        self.root.walk_maps(&mut |keys| {
            if found.is_some() {
                return;
            }
            let mut same = keys.iter().filter(|k| k.name == name);
            if let (Some(first), Some(second)) = (same.next(), same.next())
                && first.at.line >= from
            {
                found = Some(second.at);
            }
        });
        found
    }
}

impl KeyPositions {
    /// The key just before the one on `line`, in the same map, when it has
    /// no value on its own line: a key there that does not belong is most
    /// likely one of that key's fields, not indented. `text` is the text
    /// whose lines these positions count.
    pub(crate) fn empty_key_before(&self, text: &str, line: usize) -> Option<String> {
        let (name, value_at) = self.key_before(line)?;
        let rest: String = text
            .lines()
            .nth(value_at.line.checked_sub(1)?)?
            .chars()
            .skip(value_at.column.saturating_sub(1))
            .collect();
        let rest = rest.trim();
        (rest.is_empty() || rest.starts_with('#')).then_some(name)
    }

    /// The key just before the one on `line`, in the same map: its name
    /// and where its value starts.
    fn key_before(&self, line: usize) -> Option<(String, Pos)> {
        let mut found = None;
        self.root.walk_maps(&mut |keys| {
            if found.is_some() {
                return;
            }
            if let Some(i) = keys.iter().position(|k| k.at.line == line)
                && let Some(prev) = i.checked_sub(1).map(|i| &keys[i])
            {
                found = Some((prev.name.clone(), prev.value_at));
            }
        });
        found
    }
}

impl Node {
    /// The keys of a map; empty for anything else.
    pub(crate) fn keys(&self) -> &[Key] {
        match self {
            Node::Map(keys) => keys,
            _ => &[],
        }
    }

    /// The first key `name` of a map.
    pub(crate) fn key(&self, name: &str) -> Option<&Key> {
        self.keys().iter().find(|k| k.name == name)
    }

    /// The entries of a sequence; empty for anything else.
    pub(crate) fn entries(&self) -> &[Entry] {
        match self {
            Node::Seq(entries) => entries,
            _ => &[],
        }
    }

    /// Calls `f` with every key of every map, outer before inner, in
    /// text order.
    pub(crate) fn walk_keys(&self, f: &mut dyn FnMut(&Key)) {
        self.walk_maps(&mut |keys| keys.iter().for_each(&mut *f));
    }

    /// Calls `f` with the keys of every map, outer before inner, in text
    /// order.
    fn walk_maps(&self, f: &mut dyn FnMut(&[Key])) {
        match self {
            Node::Scalar => {}
            Node::Map(keys) => {
                f(keys);
                keys.iter().for_each(|k| k.value.walk_maps(f));
            }
            Node::Seq(entries) => entries.iter().for_each(|e| e.value.walk_maps(f)),
        }
    }
}

/// Builds nodes from tokens by indentation: a map or sequence holds the
/// tokens at its column, and what is indented more belongs to the last of
/// them.
struct Tree<'a> {
    tokens: &'a [Token],
    next: usize,
    first_line: usize,
    /// The text's last line, in the file's numbering.
    last_line: usize,
}

impl<'a> Tree<'a> {
    fn peek(&self) -> Option<&'a Token> {
        self.tokens.get(self.next)
    }

    fn pos(&self, line: usize, col: usize) -> Pos {
        Pos {
            line: self.first_line + line,
            column: col + 1,
        }
    }

    /// The node starting at the next token, if that token is indented more
    /// than `parent` (or, when `same_column`, is a `-` at `parent`'s column:
    /// a key's list may line up with the key).
    fn node(&mut self, parent: Option<usize>, same_column: bool, depth: usize) -> Node {
        let Some(t) = self.peek() else {
            return Node::Scalar;
        };
        let inside = parent.is_none_or(|p| t.col > p);
        let lined_up = same_column && t.key.is_none() && parent == Some(t.col);
        if !inside && !lined_up {
            return Node::Scalar;
        }
        if depth > super::MAX_NESTING {
            // Hostile nesting: skip it rather than recurse deeper.
            while self
                .peek()
                .is_some_and(|t| parent.is_none_or(|p| t.col > p))
            {
                self.next += 1;
            }
            return Node::Scalar;
        }
        let col = t.col;
        if t.key.is_some() {
            Node::Map(self.map(col, depth))
        } else {
            Node::Seq(self.seq(col, depth))
        }
    }

    /// The keys at column `col`.
    fn map(&mut self, col: usize, depth: usize) -> Vec<Key> {
        let mut keys = Vec::new();
        while let Some(t) = self.peek() {
            if t.col > col {
                self.next += 1; // stray, in text that is not valid YAML
                continue;
            }
            let Some(name) = t.key.clone().filter(|_| t.col == col) else {
                break;
            };
            let (at, value_at) = (self.pos(t.line, t.col), self.pos(t.line, t.value_col));
            let value = self.value(col, true, depth);
            keys.push(Key {
                name,
                at,
                value_at,
                value,
                last_line: self.last_line_from(at.line),
            });
        }
        keys
    }

    /// The `-` entries at column `col`.
    fn seq(&mut self, col: usize, depth: usize) -> Vec<Entry> {
        let mut entries = Vec::new();
        while let Some(t) = self.peek() {
            if t.col > col {
                self.next += 1;
                continue;
            }
            if t.col < col || t.key.is_some() {
                break;
            }
            let (at, value_at) = (self.pos(t.line, t.col), self.pos(t.line, t.value_col));
            let value = self.value(col, false, depth);
            entries.push(Entry {
                at,
                value_at,
                value,
                last_line: self.last_line_from(at.line),
            });
        }
        entries
    }

    /// Takes the current key or `-` token and returns its value.
    fn value(&mut self, col: usize, same_column: bool, depth: usize) -> Node {
        let tokens = self.tokens;
        let t = &tokens[self.next];
        self.next += 1;
        if let Some(items) = &t.flow_items {
            return Node::Seq(
                items
                    .iter()
                    .map(|&(line, col)| {
                        let at = self.pos(line, col);
                        Entry {
                            at,
                            value_at: at,
                            value: Node::Scalar,
                            last_line: at.line,
                        }
                    })
                    .collect(),
            );
        }
        if t.inline {
            return Node::Scalar;
        }
        self.node(Some(col), same_column, depth + 1)
    }

    /// The last line of something starting on `line`: the line before the
    /// next token, or the text's last line.
    fn last_line_from(&self, line: usize) -> usize {
        let end = self.peek().map_or(self.last_line, |t| {
            (self.first_line + t.line).saturating_sub(1)
        });
        end.max(line)
    }
}
