//! `glossary.yaml` → validated, sorted [`Term`]s, with every problem
//! located at the entry, key or name to fix.

use std::collections::HashMap;
use std::path::Path;

use super::matching::Pattern;
use super::{Glossary, Term};
use crate::diagnostics::{Diagnostic, Diagnostics, suggest};
use crate::yaml::{self, KeyPositions, Pos, YamlError};

impl Glossary {
    /// Parses glossary YAML; `display` is the path shown in errors (e.g.
    /// "content/glossary.yaml"). Returns the first problem in file order;
    /// [`Glossary::parse_all`] returns all of them.
    pub(crate) fn parse(display: &Path, text: &str) -> Result<Glossary, Diagnostic> {
        Glossary::parse_all(display, text).map_err(|ds| {
            ds.into_iter()
                .next()
                .unwrap_or_else(|| Diagnostic::file(display, "invalid glossary"))
        })
    }

    /// Like [`Glossary::parse`], but collects every problem (sorted by line)
    /// so a writer can fix them in one go. Empty or comment-only text is an
    /// empty glossary.
    pub(crate) fn parse_all(display: &Path, text: &str) -> Result<Glossary, Diagnostics> {
        let blank = text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
        if blank {
            return Ok(Glossary::default());
        }
        let mut entries = yaml::from_str::<Vec<Term>>(text)
            .map_err(|e| Diagnostics::from(yaml_error(display, text, e)))?;
        let mut check = Check {
            display,
            text,
            place: Locator::new(text),
            errors: Diagnostics::default(),
        };
        let names = check.names(&entries);
        check.see_also(&mut entries, &names);
        check.errors.into_result()?;
        tidy(&mut entries);
        Ok(Glossary::build(entries))
    }
}

/// A parser error, located by the parser. serde_yaml names the entry
/// (".[3]: unknown field …"); the location already says where, so the
/// message is kept short: `.[3]: message` → `message`; `.[3].aliases:
/// message` → `aliases: message`.
fn yaml_error(display: &Path, text: &str, e: YamlError) -> Diagnostic {
    let message = match e.message.strip_prefix(".[") {
        Some(rest) => rest.split_once(']').map_or(&*e.message, |(_, m)| {
            m.strip_prefix(": ")
                .or_else(|| m.strip_prefix('.'))
                .unwrap_or(m)
        }),
        None => &e.message,
    };
    let whole_file = !e.message.starts_with(".[");
    let mut d = Diagnostic::at(display, text, e.line, e.column, message);
    d.help = if whole_file && message.starts_with("expected a list") {
        Some("the glossary is a list: start each entry with `- term:`".into())
    } else {
        e.help
    };
    d
}

/// Every name (term or alias), by its normalized form → (entry, name as
/// written).
type Names = HashMap<String, (usize, String)>;

/// The checks after parsing, collecting their errors.
struct Check<'a> {
    display: &'a Path,
    text: &'a str,
    place: Locator<'a>,
    errors: Diagnostics,
}

impl Check<'_> {
    /// An error about entry `entry`, at its `key` or at `needle` after it.
    fn at(&self, entry: usize, key: &str, needle: Option<&str>, message: String) -> Diagnostic {
        let (line, column) = self.place.locate(entry, key, needle);
        Diagnostic::at(self.display, self.text, line, column, message)
    }

    /// Checks every entry's fields and names; returns the names.
    fn names(&mut self, entries: &[Term]) -> Names {
        let mut names = Names::new();
        for (i, entry) in entries.iter().enumerate() {
            self.empty_fields(i, entry);
            let own = std::iter::once(("term", &entry.term));
            let aliases = entry.aliases.iter().map(|a| ("aliases", a));
            for (key, name) in own.chain(aliases) {
                self.name(entries, &mut names, i, key, name.trim());
            }
        }
        names
    }

    fn empty_fields(&mut self, i: usize, entry: &Term) {
        if entry.term.trim().is_empty() {
            let d = self.at(i, "term", None, "glossary term is empty".into());
            self.errors.push(d);
        }
        if entry.definition.trim().is_empty() {
            let name = entry.term.trim();
            let message = format!("`{name}` has an empty definition");
            let d = self
                .at(i, "definition", None, message)
                .with_help("write one or two plain-language sentences");
            self.errors.push(d);
        }
    }

    /// Checks one term or alias `name` of entry `i` (its `key`) and adds it
    /// to `names` unless it repeats one there.
    fn name(&mut self, entries: &[Term], names: &mut Names, i: usize, key: &str, name: &str) {
        if name.is_empty() {
            if key == "aliases" {
                let d = self.at(i, key, None, "empty alias".into());
                self.errors.push(d);
            }
            return;
        }
        let Some(pattern) = Pattern::new(0, name) else {
            let message = format!("`{name}` has no letters or digits to find in pages");
            let d = self.at(i, key, Some(name), message);
            self.errors.push(d);
            return;
        };
        let norm = pattern.normalized();
        let Some((first, other)) = names.get(&norm) else {
            names.insert(norm, (i, name.to_string()));
            return;
        };
        let first_term = entries[*first].term.trim();
        let was = if other == first_term {
            format!("the term `{other}`")
        } else {
            format!("`{other}`, an alias of `{first_term}`")
        };
        let what = if key == "term" { "term" } else { "alias" };
        let message = format!("duplicate glossary {what} `{name}`: same as {was}");
        let d = self
            .at(i, key, Some(name), message)
            .with_help("each term and alias may appear only once (case is ignored)");
        self.errors.push(d);
    }

    /// Resolves each `see_also` name to the related entry's term.
    fn see_also(&mut self, entries: &mut [Term], names: &Names) {
        let canonical: Vec<String> = entries.iter().map(|e| e.term.trim().to_string()).collect();
        for (i, entry) in entries.iter_mut().enumerate() {
            for target in &mut entry.see_also {
                let found = Pattern::new(0, target.trim())
                    .and_then(|p| names.get(&p.normalized()))
                    .map(|(j, _)| *j);
                match found {
                    Some(j) if j == i => {
                        let message = format!("`{}` refers to itself in `see_also`", canonical[i]);
                        let d = self.at(i, "see_also", Some(target.trim()), message);
                        self.errors.push(d);
                    }
                    Some(j) => *target = canonical[j].clone(),
                    None => {
                        let d = self.unknown_see_also(i, target, names);
                        self.errors.push(d);
                    }
                }
            }
        }
    }

    /// A `see_also` name that is no term or alias, with the nearest one.
    fn unknown_see_also(&self, i: usize, target: &str, names: &Names) -> Diagnostic {
        let message = format!("`see_also` names `{target}`, which is not in the glossary");
        let d = self.at(i, "see_also", Some(target.trim()), message);
        // Sorted, so ties give the same suggestion every build.
        let mut candidates: Vec<&str> = names.values().map(|(_, n)| n.as_str()).collect();
        candidates.sort_unstable();
        match suggest(target, candidates) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_help(
                "add it to the glossary as a term of its own, or remove it from `see_also`",
            ),
        }
    }
}

/// Trims every field and sorts the entries A–Z (case ignored, ties by
/// spelling so the order never depends on the file's).
fn tidy(entries: &mut [Term]) {
    for entry in entries.iter_mut() {
        entry.term = entry.term.trim().to_string();
        entry.definition = entry.definition.trim().to_string();
        for alias in &mut entry.aliases {
            *alias = alias.trim().to_string();
        }
    }
    entries.sort_by_cached_key(|e| (e.term.to_lowercase(), e.term.clone()));
}

/// Finds the place in the glossary text for an error about an entry, from
/// the layout of the YAML (entries, their keys and lines).
struct Locator<'a> {
    lines: Vec<&'a str>,
    layout: KeyPositions,
}

impl<'a> Locator<'a> {
    fn new(text: &'a str) -> Locator<'a> {
        Locator {
            lines: text.lines().collect(),
            layout: KeyPositions::of(text, 1),
        }
    }

    /// 1-based (line, column) of entry `entry`'s `key`, or of `needle` (a
    /// name) in its value or later in the entry; falls back to the entry's
    /// `-`, then to the first `needle` anywhere, then to 1:1.
    fn locate(&self, entry: usize, key: &str, needle: Option<&str>) -> (usize, usize) {
        let needle = needle.filter(|n| !n.is_empty());
        let Some(e) = self.layout.entries().get(entry) else {
            let start = Pos { line: 1, column: 1 };
            return needle
                .and_then(|n| self.search(n, start, self.lines.len()))
                .unwrap_or((1, 1));
        };
        let key = e.value.key(key);
        let from = key.map_or(e.value_at, |k| k.value_at);
        needle
            .and_then(|n| self.search(n, from, e.last_line))
            .unwrap_or_else(|| key.map_or(e.at, |k| k.at).pair())
    }

    /// The first `needle` at or after `from`, up to line `last`.
    fn search(&self, needle: &str, from: Pos, last: usize) -> Option<(usize, usize)> {
        let first = from.line.max(1);
        (first..=last.min(self.lines.len())).find_map(|n| {
            let line = self.lines[n - 1];
            let skip = if n == first {
                line.char_indices()
                    .nth(from.column.saturating_sub(1))
                    .map_or(line.len(), |(b, _)| b)
            } else {
                0
            };
            let b = line[skip..].find(needle)? + skip;
            Some((n, line[..b].chars().count() + 1))
        })
    }
}
