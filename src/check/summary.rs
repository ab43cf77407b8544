//! The counts by kind that open `marrow check`'s report: on a site of
//! thousands of pages, "21,312 unknown fields, 30 broken links" says what
//! to fix first, where a list of findings would scroll past.

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
            }),
        }
    };
    for d in diagnostics.iter() {
        add(&shape(&d.message), Severity::Error, 1);
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
