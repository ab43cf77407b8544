//! Located, collectable build errors.
//!
//! Every problem marrow finds in a user's files becomes a [`Diagnostic`] that
//! names the file (relative to the site root), the line and column in that
//! file, the offending line itself and, where we can tell, what to do about
//! it. Stages collect diagnostics instead of stopping at the first one, so a
//! writer fixes a whole batch per build; the CLI (or the serve overlay)
//! renders them once, at the edge.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one place of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path shown to the user, relative to the site root (`content/a/b.md`).
    pub file: PathBuf,
    /// 1-based line, when the problem has a position.
    pub line: Option<usize>,
    /// 1-based column, counted in characters.
    pub column: Option<usize>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The text of the offending line, shown under the location.
    pub source_line: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem with a whole file (no position).
    pub fn file(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            source_line: None,
            help: None,
        }
    }

    /// A problem at `line:column` of `file`, whose full text is `text` (used
    /// to quote the offending line).
    pub fn at(
        file: impl Into<PathBuf>,
        text: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        let source_line = text
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.trim_end_matches('\r').to_string());
        Diagnostic {
            file: file.into(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
            source_line,
            help: None,
        }
    }

    /// A problem at byte `offset` of `text`, the full content of `file`.
    pub fn at_offset(
        file: impl Into<PathBuf>,
        text: &str,
        offset: usize,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = line_col(text, offset);
        Diagnostic::at(file, text, line, column, message)
    }

    /// Adds advice on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `file:line:col` (or just `file`), the way editors and terminals link it.
    pub fn location(&self) -> String {
        let file = self.file.display();
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file.to_string(),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// Compiler-style rendering:
    ///
    /// ```text
    /// error: unknown field `reviewd` — did you mean `reviewed`?
    ///   --> content/process/conditioning.md:4:1
    ///    |
    ///  4 | reviewd: 2026-03-01
    ///    | ^
    ///    = help: ...
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        write!(f, "  --> {}", self.location())?;
        if let (Some(line), Some(text)) = (self.line, &self.source_line) {
            let gutter = line.to_string().len();
            let pad = " ".repeat(gutter);
            write!(f, "\n {pad} |\n {line} | {text}")?;
            if let Some(col) = self.column {
                // Keep tabs so the caret lines up under the same characters.
                let lead: String = text
                    .chars()
                    .take(col.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "\n {pad} | {lead}^")?;
            }
        }
        if let Some(help) = &self.help {
            let pad = " ".repeat(self.line.map_or(1, |l| l.to_string().len()));
            write!(f, "\n {pad} = help: {help}")?;
        }
        Ok(())
    }
}

/// All the diagnostics of one build, in a stable order (by file, then line).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Sorts by file, line and column so reports are deterministic whatever
    /// order the parallel stages finished in.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
        });
        self.0.dedup();
    }

    /// Turns a non-empty set into an error.
    pub fn into_result(mut self) -> Result<(), Diagnostics> {
        if self.is_empty() {
            Ok(())
        } else {
            self.sort();
            Err(self)
        }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(f, "{n} error{}", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

/// 1-based (line, column) of byte `offset` in `text`; the column counts
/// characters, not bytes, so it matches what an editor shows.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Shows `path` relative to `root` when it is inside it, for messages.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// The closest of `candidates` to `word`, if one is close enough to be a
/// plausible typo (used for "did you mean" hints).
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\ncdé f\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // 'f' is after a two-byte 'é': byte 8, character column 5.
        assert_eq!(line_col(text, 8), (2, 5));
        // An offset inside a multi-byte char is clamped, never panics.
        assert_eq!(line_col(text, 6), (2, 3));
        assert_eq!(line_col(text, 999), (3, 1));
    }

    #[test]
    fn display_quotes_line_and_caret() {
        let d = Diagnostic::at(
            "content/a.md",
            "---\nreviewd: x\n---\n",
            2,
            1,
            "unknown field",
        )
        .with_help("did you mean `reviewed`?");
        let s = d.to_string();
        assert!(s.contains("--> content/a.md:2:1"), "{s}");
        assert!(s.contains(" 2 | reviewd: x"), "{s}");
        assert!(s.contains("= help: did you mean `reviewed`?"), "{s}");
    }

    #[test]
    fn suggestions_only_for_near_misses() {
        let fields = ["title", "reviewed", "reviewer", "weight"];
        assert_eq!(suggest("reviewd", fields), Some("reviewed"));
        assert_eq!(suggest("wieght", fields), Some("weight"));
        assert_eq!(suggest("zzz", fields), None);
    }
}
