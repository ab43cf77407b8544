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

use unicode_width::UnicodeWidthStr;

/// One problem in one place of one file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Path shown to the user, relative to the site root (`content/a/b.md`).
    pub file: PathBuf,
    /// 1-based line, when the problem has a position.
    pub line: Option<usize>,
    /// 1-based column, counted in characters (as editors count it; the
    /// caret under the quoted line is placed by display width instead).
    pub column: Option<usize>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The text of the offending line, shown under the location.
    pub source_line: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
    /// Characters of the line cut from the start of `source_line` (a long
    /// line is kept as an excerpt around the column), for placing the caret.
    cut: usize,
}

/// Longest source line quoted whole; longer ones are quoted as an excerpt
/// around the column (a minified or generated line can be megabytes).
pub(crate) const MAX_QUOTED_CHARS: usize = 160;

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
            cut: 0,
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
        let (source_line, cut) = match text.lines().nth(line.saturating_sub(1)) {
            Some(l) => {
                let (excerpt, cut) = excerpt(l.trim_end_matches('\r'), column);
                (Some(excerpt), cut)
            }
            None => (None, 0),
        };
        Diagnostic {
            file: file.into(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
            source_line,
            help: None,
            cut,
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
        self.write_as(f, "error")
    }
}

/// A [`Diagnostic`] shown as a warning ([`Diagnostic::as_warning`]).
pub struct Warning<'a>(&'a Diagnostic);

impl fmt::Display for Warning<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write_as(f, "warning")
    }
}

impl Diagnostic {
    /// The same rendering, headed `warning:`: for problems a setting turned
    /// into warnings (`links: warn`).
    pub fn as_warning(&self) -> Warning<'_> {
        Warning(self)
    }

    fn write_as(&self, f: &mut fmt::Formatter<'_>, label: &str) -> fmt::Result {
        writeln!(f, "{label}: {}", printable(&self.message))?;
        write!(f, "  --> {}", printable(&self.location()))?;
        if let (Some(line), Some(text)) = (self.line, &self.source_line) {
            let gutter = line.to_string().len();
            let pad = " ".repeat(gutter);
            write!(f, "\n {pad} |\n {line} | {text}")?;
            if let Some(col) = self.column {
                let before =
                    col.saturating_sub(1).saturating_sub(self.cut) + usize::from(self.cut > 0);
                let lead = caret_lead(text, before);
                write!(f, "\n {pad} | {lead}^")?;
            }
        }
        if let Some(help) = &self.help {
            let pad = " ".repeat(self.line.map_or(1, |l| l.to_string().len()));
            // Lines after the first line up under the first one's text.
            let help = printable(help).replace('\n', &format!("\n {pad}         "));
            write!(f, "\n {pad} = help: {help}")?;
        }
        Ok(())
    }
}

/// The blanks that put a caret under the character after the first
/// `before` characters of `quoted`. Measured in terminal columns, not
/// characters: a CJK character takes two, a combining accent none, so
/// counting characters would leave the caret short of its place. Tabs stay
/// tabs: the quoted line and the caret line have gutters of the same width,
/// so a tab in each reaches the same tab stop whatever its width setting.
fn caret_lead(quoted: &str, before: usize) -> String {
    let end = quoted
        .char_indices()
        .nth(before)
        .map_or(quoted.len(), |(i, _)| i);
    let mut lead = String::new();
    for (i, piece) in quoted[..end].split('\t').enumerate() {
        if i > 0 {
            lead.push('\t');
        }
        // Whole pieces, not single characters, so that an emoji sequence
        // joined by U+200D is measured as the one glyph a terminal shows.
        lead.extend(std::iter::repeat_n(' ', piece.width()));
    }
    lead
}

/// `line` as quoted under a location: control characters (which could
/// drive the terminal) replaced, and a long line cut to an excerpt around
/// `column`. Returns the excerpt and how many characters were cut from its
/// start (the excerpt then starts with `…`).
fn excerpt(line: &str, column: usize) -> (String, usize) {
    let clean = |c: char| {
        if c.is_control() && c != '\t' {
            '\u{fffd}'
        } else {
            c
        }
    };
    let len = line.chars().count();
    if len <= MAX_QUOTED_CHARS {
        return (line.chars().map(clean).collect(), 0);
    }
    let start = column
        .saturating_sub(1)
        .saturating_sub(MAX_QUOTED_CHARS / 3)
        .min(len - MAX_QUOTED_CHARS);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(line.chars().skip(start).take(MAX_QUOTED_CHARS).map(clean));
    if start + MAX_QUOTED_CHARS < len {
        out.push('…');
    }
    (out, start)
}

/// Text with control characters other than newlines and tabs replaced, so
/// a file name or value cannot send escape sequences to the terminal.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        text.chars()
            .map(|c| {
                if c.is_control() && c != '\n' && c != '\t' {
                    '\u{fffd}'
                } else {
                    c
                }
            })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// All the diagnostics of one build, in a stable order (by file, then line).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// No errors.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many errors.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Adds an error.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Adds errors.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }

    /// The errors, in the order found (sorted once turned into a result).
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

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics(iter.into_iter().collect())
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
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
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
pub(crate) fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// The closest of `candidates` to `word`, if one is close enough to be a
/// plausible typo (used for "did you mean" hints).
pub(crate) fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The path among `candidates` that `path` most likely meant: the same
/// file name in another folder (the nearest folder first), or a name in
/// the same folder spelt nearly the same. Whole paths are not compared: in
/// a deep folder every sibling shares most of its letters, so whole-path
/// similarity names an unrelated page, and comparing each broken link of a
/// big site with every page that way took minutes.
pub(crate) fn suggest_path<'a>(
    path: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let split = |p: &'a str| p.rsplit_once('/').unwrap_or(("", p));
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    let lower_name = name.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let (c_dir, c_name) = split(c);
        let score = if c_name == name || c_name.to_lowercase() == lower_name {
            2.0 + strsim::jaro_winkler(dir, c_dir)
        } else if c_dir == dir {
            match strsim::jaro_winkler(name, c_name) {
                s if s > 0.85 => s,
                _ => continue,
            }
        } else {
            continue;
        };
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c).filter(|c| *c != path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_suggested_by_file_name_and_folder_not_by_shared_letters() {
        let pages = [
            "guides/dap/adding-dap-to-your-site.md",
            "guides/dap/negotiated-terms-of-service.md",
            "guides/dap/_index.md",
            "news/2019/qr-codes.md",
            "resources/qr-codes.md",
        ];
        // A sibling with a near name.
        assert_eq!(
            suggest_path("guides/dap/adding-dap-to-you-site.md", pages),
            Some("guides/dap/adding-dap-to-your-site.md")
        );
        // No page of that name anywhere: nothing, rather than whichever
        // sibling shares the most letters.
        assert_eq!(suggest_path("guides/dap/common-questions.md", pages), None);
        // The same name in another folder, the nearest folder first.
        assert_eq!(
            suggest_path("news/2020/qr-codes.md", pages),
            Some("news/2019/qr-codes.md")
        );
        assert_eq!(
            suggest_path("resources/QR-codes.md", pages),
            Some("resources/qr-codes.md")
        );
    }

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
    fn long_lines_are_quoted_as_an_excerpt_with_the_caret_in_place() {
        let line = format!("{}X{}", "a".repeat(5000), "b".repeat(5000));
        let d = Diagnostic::at("content/a.md", &line, 1, 5001, "here");
        let quoted = d.source_line.as_deref().unwrap();
        assert!(quoted.chars().count() <= MAX_QUOTED_CHARS + 2, "{quoted}");
        assert!(quoted.starts_with('…') && quoted.ends_with('…'));
        let shown = d.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        let quote_at = lines[3].find('X').unwrap();
        let caret_at = lines[4].find('^').unwrap();
        // `…` is three bytes but one column.
        assert_eq!(lines[3][..quote_at].chars().count(), caret_at, "{shown}");
        assert_eq!(d.location(), "content/a.md:1:5001");
    }

    /// The quoted line and the caret line of a rendered diagnostic.
    fn quote_and_caret(d: &Diagnostic) -> (String, String) {
        let shown = d.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        (lines[3].to_string(), lines[4].to_string())
    }

    /// The terminal column where byte `at` of `line` is drawn, with tab
    /// stops every `tab` columns.
    fn screen_column(line: &str, at: usize, tab: usize) -> usize {
        line[..at].chars().fold(0, |col, c| match c {
            '\t' => (col / tab + 1) * tab,
            c => col + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0),
        })
    }

    fn assert_caret_under(text: &str, column: usize, target: char) {
        let d = Diagnostic::at("content/a.md", text, 1, column, "here");
        let (quote, caret) = quote_and_caret(&d);
        let x = quote.rfind(target).unwrap();
        let c = caret.find('^').unwrap();
        for tab in [2, 4, 8] {
            assert_eq!(
                screen_column(&quote, x, tab),
                screen_column(&caret, c, tab),
                "tab {tab}:\n{quote}\n{caret}"
            );
        }
    }

    #[test]
    fn caret_goes_under_the_character_after_wide_text() {
        // `x` is the 12th character but the 20th terminal column.
        let text = "标题: 移植前的检查 x";
        let d = Diagnostic::at("content/a.md", text, 1, 12, "here");
        let (_, caret) = quote_and_caret(&d);
        assert_eq!(caret, format!("   | {}^", " ".repeat(19)));
        assert_caret_under(text, 12, 'x');
    }

    #[test]
    fn caret_goes_under_the_character_after_tabs_and_accents() {
        let d = Diagnostic::at("content/a.md", "\tdose:\tx", 1, 8, "here");
        assert_eq!(quote_and_caret(&d).1, "   | \t     \t^");
        assert_caret_under("\tdose:\tx", 8, 'x');
        assert_caret_under("标题\t移植:\tx", 8, 'x');
        // A decomposed `é` is two characters but one column.
        assert_caret_under("cafe\u{301} x", 7, 'x');
        // A long CJK line is still cut to an excerpt with the caret in place.
        let long = format!("{}x{}", "移".repeat(300), "植".repeat(300));
        assert_caret_under(&long, 301, 'x');
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let d = Diagnostic::at("content/\u{1b}[31m.md", "a\u{1b}[2Jb\0c", 1, 2, "bad \u{7}")
            .with_help("one\ntwo");
        let shown = d.to_string();
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "{shown:?}"
        );
        // The second line of help lines up under the first.
        assert!(shown.ends_with("   = help: one\n           two"), "{shown}");
    }

    #[test]
    fn suggestions_only_for_near_misses() {
        let fields = ["title", "reviewed", "reviewer", "weight"];
        assert_eq!(suggest("reviewd", fields), Some("reviewed"));
        assert_eq!(suggest("wieght", fields), Some("weight"));
        assert_eq!(suggest("zzz", fields), None);
    }
}
