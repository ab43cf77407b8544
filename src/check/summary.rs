//! The counts by kind that open `marrow check`'s report: on a site of
//! thousands of pages, "21,312 unknown fields, 30 broken links" says what
//! to fix first, where a list of findings would scroll past.

use std::collections::HashMap;

use serde::Serialize;

use super::report::{PageReport, Severity};
use crate::diagnostics::Diagnostics;

/// How many findings of one kind there are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct KindCount {
    /// A page problem's `kind` (`review_overdue`…), `unused_glossary_terms`,
    /// `settings`, or for an error a build would stop on, its message with
    /// the quoted parts and numbers left out (`` unknown field `…` ``), so
    /// the same mistake in many files is counted once.
    pub kind: String,
    pub severity: Severity,
    pub count: usize,
    /// For an error counted by its message: the most frequent names in its
    /// first quoted part (the unknown field, the link), at most
    /// [`MOST_COMMON`], most frequent first. Empty for other kinds.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub most_common: Vec<Common>,
    /// How many different names there were in all.
    #[serde(skip_serializing_if = "is_zero")]
    pub distinct: usize,
}

/// One name of an error's first quoted part, and how often it came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Common {
    pub name: String,
    pub count: usize,
}

/// How many names [`KindCount::most_common`] keeps.
pub(crate) const MOST_COMMON: usize = 3;

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Every finding counted by kind: errors first, then warnings, the most
/// frequent first. The counts add up to the summary's errors and warnings.
pub(super) fn by_kind(
    diagnostics: &Diagnostics,
    pages: &[PageReport],
    unused_glossary_terms: &[String],
    settings: &[String],
) -> Vec<KindCount> {
    let mut counts: Vec<KindCount> = Vec::new();
    let mut add = |kind: &str, severity: Severity, n: usize| {
        if n == 0 {
            return;
        }
        match counts
            .iter_mut()
            .find(|k| k.kind == kind && k.severity == severity)
        {
            Some(k) => k.count += n,
            None => counts.push(KindCount {
                kind: kind.to_string(),
                severity,
                count: n,
                most_common: Vec::new(),
                distinct: 0,
            }),
        }
    };
    // Per shape of message: how often each name of its first quoted part.
    let mut names: HashMap<String, HashMap<&str, usize>> = HashMap::new();
    for d in diagnostics.iter() {
        let kind = shape(&d.message);
        if let Some(name) = first_code(&d.message) {
            *names
                .entry(kind.clone())
                .or_default()
                .entry(name)
                .or_default() += 1;
        }
        add(&kind, Severity::Error, 1);
    }
    for p in pages.iter().flat_map(|p| &p.problems) {
        add(p.kind, p.severity, 1);
    }
    add(
        "unused_glossary_terms",
        Severity::Warning,
        usize::from(!unused_glossary_terms.is_empty()),
    );
    add("settings", Severity::Warning, settings.len());
    for k in &mut counts {
        let Some(found) = names.remove(&k.kind) else {
            continue;
        };
        let mut found: Vec<(&str, usize)> = found.into_iter().collect();
        found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        k.distinct = found.len();
        k.most_common = found
            .into_iter()
            .take(MOST_COMMON)
            .map(|(name, count)| Common {
                name: name.to_string(),
                count,
            })
            .collect();
    }
    counts.sort_by(|a, b| {
        (a.severity != Severity::Error)
            .cmp(&(b.severity != Severity::Error))
            .then(b.count.cmp(&a.count))
            .then(a.kind.cmp(&b.kind))
    });
    counts
}

/// A message with what differs from one file to the next taken out: the
/// text of each `code` span (names, paths, values) and numbers, and any
/// advice after " — ".
pub(super) fn shape(message: &str) -> String {
    let head = message.split(" — ").next().unwrap_or(message);
    let mut out = String::with_capacity(head.len());
    let mut in_code = false;
    for c in head.chars() {
        if c == '`' {
            out.push_str(if in_code { "…`" } else { "`" });
            in_code = !in_code;
        } else if in_code {
            continue;
        } else if c.is_ascii_digit() {
            if !out.ends_with('N') {
                out.push('N');
            }
        } else {
            out.push(c);
        }
    }
    if in_code {
        out.push_str("…`");
    }
    out.trim_end_matches([' ', '.', ':', ',']).to_string()
}

/// The text of the first `code` span of a message.
fn first_code(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once('`')?;
    rest.split_once('`').map(|(code, _)| code)
}

/// What a kind of page problem means, in the words of the writer's guide.
pub(super) fn label(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "review_overdue" => "clinical review overdue",
        "review_due_soon" => "clinical review due soon",
        "not_clinically_reviewed" => "sources checked, but no clinical review yet",
        "never_reviewed" => "not reviewed",
        "reviewer_role" => "the reviewer has no role",
        "reviewer_not_clinical" => "the reviewer describes a sources check",
        "no_reviewer" => "a review date with no reviewer",
        "review_incomplete" => "a half-recorded review",
        "sources_check_incomplete" => "a half-recorded sources check",
        "readability" => "reading grade over the limit",
        "no_sources" => "no `references`",
        "unsafe_html" => "script in a page",
        "expires_soon" => "the page expires within a month",
        "broken_link" => "broken link, a warning under `links: warn`",
        "unused_glossary_terms" => "glossary terms no page uses",
        "settings" => "settings in site.yaml that marrow adjusted",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_mistake_in_many_files_has_one_shape() {
        assert_eq!(
            shape("unknown field `layout` — did you mean `template`?"),
            "unknown field `…`"
        );
        assert_eq!(
            shape("link `a.md#x`: `content/a.md` has no heading with id `x`"),
            "link `…`: `…` has no heading with id `…`"
        );
        assert_eq!(
            shape("lists and maps are nested more than 100 levels deep here"),
            "lists and maps are nested more than N levels deep here"
        );
        assert_eq!(shape("odd `quote"), "odd `…`");
    }

    #[test]
    fn errors_first_then_the_most_frequent() {
        use crate::diagnostics::Diagnostic;
        let mut d = Diagnostics::default();
        for f in ["a.md", "b.md"] {
            d.push(Diagnostic::file(f, "unknown field `x`"));
        }
        d.push(Diagnostic::file("c.md", "link `y` points to nothing"));
        let kinds = by_kind(&d, &[], &["t".into()], &["s1".into(), "s2".into()]);
        assert_eq!(
            kinds[0].most_common,
            [Common {
                name: "x".into(),
                count: 2
            }]
        );
        assert_eq!((kinds[0].distinct, kinds[2].distinct), (1, 0));
        let got: Vec<(&str, Severity, usize)> = kinds
            .iter()
            .map(|k| (k.kind.as_str(), k.severity, k.count))
            .collect();
        assert_eq!(
            got,
            [
                ("unknown field `…`", Severity::Error, 2),
                ("link `…` points to nothing", Severity::Error, 1),
                ("settings", Severity::Warning, 2),
                ("unused_glossary_terms", Severity::Warning, 1),
            ]
        );
    }
}
