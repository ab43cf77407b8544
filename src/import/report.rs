//! IMPORT.md: what an import could not carry over faithfully, counted by
//! kind at the top, then one line per item (`file:line — what was there —
//! what the import did instead`), so a writer can work through it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use super::Source;

/// The kinds of item, in the order the report lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    /// Refs, links and includes that point at nothing in the source.
    Broken,
    /// Template syntax with no marrow equivalent (kept as text or removed).
    Template,
    /// Embedded videos and posts, now plain links.
    Embed,
    /// Front matter values changed to fit (date-times cut, bad slugs…).
    FrontMatter,
    /// Front matter keys marrow has no use for, kept under `extra`.
    Extra,
    /// Old addresses that could not be kept as aliases.
    Address,
    /// Files of the source not imported as pages.
    Skipped,
    /// Documents the old site made no page of (Jekyll collections without
    /// `output: true`), imported as pages so their text is not lost.
    Hidden,
    /// Settings of the source not carried into `site.yaml`.
    Setting,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Broken => "broken links, refs and missing files in the source",
            Kind::Template => "template syntax without a marrow equivalent",
            Kind::Embed => "embedded media replaced by links",
            Kind::FrontMatter => "front matter values changed",
            Kind::Extra => "front matter keys kept under `extra`",
            Kind::Address => "old addresses not kept",
            Kind::Skipped => "files not imported as pages",
            Kind::Hidden => "documents that had no page of their own, imported as pages",
            Kind::Setting => "site settings not carried over",
        }
    }
}

/// One item of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub kind: Kind,
    /// The source file, relative to the source root.
    pub file: String,
    /// 1-based line, 0 when the item is about the whole file.
    pub line: usize,
    pub what: String,
    pub did: String,
    /// Listed once for all files (with a count), not once per file.
    pub merge: bool,
}

impl Finding {
    pub(crate) fn new(
        kind: Kind,
        file: &str,
        line: usize,
        what: impl Into<String>,
        did: impl Into<String>,
    ) -> Finding {
        Finding {
            kind,
            file: file.to_string(),
            line,
            what: what.into(),
            did: did.into(),
            merge: false,
        }
    }

    /// An item that big sites have in thousands of files (a key kept
    /// under `extra`): the report lists it once, with the first file.
    pub(crate) fn merged(
        kind: Kind,
        file: &str,
        line: usize,
        what: impl Into<String>,
        did: impl Into<String>,
    ) -> Finding {
        Finding {
            merge: true,
            ..Finding::new(kind, file, line, what, did)
        }
    }
}

/// Every finding of one import, sorted.
pub(crate) struct Report {
    findings: Vec<Finding>,
}

impl Report {
    pub(crate) fn new(mut findings: Vec<Finding>) -> Report {
        findings.sort_by(|a, b| {
            (a.kind, &a.file, a.line, &a.what).cmp(&(b.kind, &b.file, b.line, &b.what))
        });
        findings.dedup();
        Report {
            findings: merge_extra(findings),
        }
    }

    /// (label, count) per kind present, in report order. `Extra` items
    /// count keys, not files.
    pub(crate) fn counts(&self) -> Vec<(String, usize)> {
        let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
        for f in &self.findings {
            *counts.entry(f.kind).or_default() += 1;
        }
        counts
            .into_iter()
            .map(|(k, n)| (k.label().to_string(), n))
            .collect()
    }

    pub(crate) fn to_markdown(&self, source: Source, from: &Path) -> String {
        let mut out = String::new();
        let name = match source {
            Source::Hugo => "Hugo",
            Source::Jekyll => "Jekyll",
        };
        let _ = writeln!(out, "# Import report\n");
        let _ = writeln!(
            out,
            "Imported from the {name} site at `{}`. Each item below is something the import \
             could not carry over as it was: where it was, what was there, and what the \
             import did instead. Problems of the source itself (broken links, missing \
             files) are listed too; `site.yaml` sets `links: warn`, so the site builds \
             and `marrow check` still shows them.\n",
            from.display()
        );
        if self.findings.is_empty() {
            out.push_str("Nothing to report: everything was carried over.\n");
            return out;
        }
        out.push_str("| kind | items |\n|---|---|\n");
        for (label, n) in self.counts() {
            let _ = writeln!(out, "| {label} | {n} |");
        }
        let mut current = None;
        for f in &self.findings {
            if current != Some(f.kind) {
                let _ = writeln!(out, "\n## {}\n", capitalise(f.kind.label()));
                current = Some(f.kind);
            }
            let at = if f.line > 0 {
                format!("{}:{}", f.file, f.line)
            } else {
                f.file.clone()
            };
            let _ = writeln!(out, "- `{at}` — {} — {}", f.what, f.did);
        }
        out
    }
}

/// Merged items (keys kept under `extra`…) are listed once per kind and
/// text (with the first file and how many others), not once per file: a
/// big site has thousands.
fn merge_extra(findings: Vec<Finding>) -> Vec<Finding> {
    let mut by_key: BTreeMap<(Kind, String), (Finding, usize)> = BTreeMap::new();
    let mut out = Vec::with_capacity(findings.len());
    for f in findings {
        if f.merge {
            by_key
                .entry((f.kind, f.what.clone()))
                .and_modify(|(_, n)| *n += 1)
                .or_insert((f, 0));
        } else {
            out.push(f);
        }
    }
    for (_, (mut first, others)) in by_key {
        if others > 0 {
            first.did = format!(
                "{} (and in {others} other file{})",
                first.did,
                if others == 1 { "" } else { "s" }
            );
        }
        out.push(first);
    }
    out.sort_by(|a, b| (a.kind, &a.file, a.line).cmp(&(b.kind, &b.file, b.line)));
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_kind_and_merges_extra_keys() {
        let r = Report::new(vec![
            Finding::merged(Kind::Extra, "b.md", 2, "`layout`", "kept as `extra.layout`"),
            Finding::merged(Kind::Extra, "a.md", 3, "`layout`", "kept as `extra.layout`"),
            Finding::new(Kind::Broken, "a.md", 9, "`{{< ref \"x\" >}}`", "link kept"),
        ]);
        assert_eq!(
            r.counts(),
            vec![
                (Kind::Broken.label().to_string(), 1),
                (Kind::Extra.label().to_string(), 1)
            ]
        );
        let md = r.to_markdown(Source::Hugo, Path::new("/src"));
        assert!(
            md.contains("- `a.md:9` — `{{< ref \"x\" >}}` — link kept"),
            "{md}"
        );
        assert!(
            md.contains("- `a.md:3` — `layout` — kept as `extra.layout` (and in 1 other file)"),
            "{md}"
        );
    }
}
