//! kramdown's attribute lists (`{: .note}`, `{:toc}`), which Jekyll
//! sites write after blocks and marrow does not read: left in, readers
//! would see them as text. A blockquote marked with a callout-like class
//! becomes a callout; a table of contents marker goes (the theme makes
//! its own); other lists go, each with a note. Lines keep their numbers
//! (a removed line becomes blank, an added callout line replaces the
//! attribute line), so notes on later lines stay right.

use super::callout_kind;

/// What the pass did on one line: (0-based line of the body, what was
/// there, what was done).
pub(crate) type Change = (usize, String, String);

/// Rewrites `body`'s attribute lists outside fenced code.
pub(crate) fn attribute_lists(body: &str) -> (String, Vec<Change>) {
    if !body.contains("{:") {
        return (body.to_string(), Vec::new());
    }
    let mut lines: Vec<String> = body.split('\n').map(str::to_string).collect();
    let mut changes = Vec::new();
    let mut fence: Option<String> = None;
    for i in 0..lines.len() {
        let t = lines[i].trim_start().to_string();
        let marker: String = t.chars().take_while(|&c| c == '`' || c == '~').collect();
        if marker.len() >= 3 {
            match &fence {
                None => fence = Some(marker),
                Some(f) if closes(f, t.trim()) => fence = None,
                _ => {}
            }
            continue;
        }
        if fence.is_some() {
            continue;
        }
        let trimmed = t.trim();
        let Some(inner) = trimmed.strip_prefix("{:").and_then(|r| r.strip_suffix('}')) else {
            strip_inline(&mut lines[i], i, &mut changes);
            continue;
        };
        let inner = inner.trim();
        let shown = format!("`{trimmed}`");
        if inner == "toc" || inner == ".toc" {
            if i > 0 && is_toc_item(&lines[i - 1]) {
                lines[i - 1].clear();
            }
            lines[i].clear();
            drop_toc_heading(&mut lines, i);
            changes.push((
                i,
                shown,
                "a kramdown table of contents; removed (the theme lists a page's headings)".into(),
            ));
            continue;
        }
        let kind = inner
            .split_whitespace()
            .filter_map(|w| w.strip_prefix('.'))
            .find_map(callout_kind);
        let quote_start = (0..i)
            .rev()
            .take_while(|&j| lines[j].trim_start().starts_with('>'))
            .last();
        match (kind, quote_start) {
            (Some(k), Some(start)) if start < i => {
                // The quote's lines move down one; the attribute line goes.
                lines.remove(i);
                lines.insert(start, format!("> [!{k}]"));
            }
            (Some(k), _) => {
                if !paragraph_callout(&mut lines, i, k) {
                    lines[i].clear();
                    changes.push((i, shown, "a kramdown attribute list; removed".into()));
                }
            }
            _ => {
                lines[i].clear();
                changes.push((i, shown, "a kramdown attribute list; removed".into()));
            }
        }
    }
    (lines.join("\n"), changes)
}

/// A callout class (just-the-docs `{: .note }`) on its own line marks the
/// paragraph right after it, or else the one right before it: that
/// paragraph becomes a callout. The line count stays the same.
fn paragraph_callout(lines: &mut Vec<String>, i: usize, kind: &str) -> bool {
    let plain = |l: &String| {
        let t = l.trim_start();
        !t.is_empty() && !t.starts_with("{:") && !t.starts_with('#') && !t.starts_with('>')
    };
    let after = (i + 1..lines.len())
        .take_while(|&j| plain(&lines[j]))
        .last();
    if let Some(end) = after {
        lines[i] = format!("> [!{kind}]");
        for line in &mut lines[i + 1..=end] {
            *line = format!("> {line}");
        }
        return true;
    }
    let Some(start) = (0..i).rev().take_while(|&j| plain(&lines[j])).last() else {
        return false;
    };
    lines.remove(i);
    for line in &mut lines[start..i] {
        *line = format!("> {line}");
    }
    lines.insert(start, format!("> [!{kind}]"));
    true
}

/// The heading of a removed table of contents (`## Table of contents`,
/// with nothing left under it): it would head an empty section.
fn drop_toc_heading(lines: &mut [String], toc: usize) {
    let Some(h) = (0..toc).rev().find(|&j| !lines[j].trim().is_empty()) else {
        return;
    };
    let text = lines[h].trim_start();
    if !text.starts_with('#') {
        return;
    }
    let title = text.trim_start_matches('#').trim().to_ascii_lowercase();
    let title = title.trim_end_matches(':');
    if matches!(
        title,
        "table of contents" | "contents" | "on this page" | "in this article" | "toc"
    ) {
        lines[h].clear();
    }
}

/// Whether `line` closes a fence opened with `fence`.
fn closes(fence: &str, line: &str) -> bool {
    let c = fence.chars().next().unwrap_or('`');
    line.len() >= fence.len() && line.chars().all(|x| x == c)
}

fn is_toc_item(line: &str) -> bool {
    let t = line.trim();
    matches!(
        t,
        "* TOC" | "- TOC" | "+ TOC" | "1. TOC" | "* toc" | "- toc"
    )
}

/// `Text{: .class}` or `[x](y){:rel="external"}. More`: inline lists go,
/// wherever they are on the line, but not inside code spans.
fn strip_inline(line: &mut String, i: usize, changes: &mut Vec<Change>) {
    let mut out = String::with_capacity(line.len());
    let mut rest = line.as_str();
    let mut ticks = 0usize;
    let mut changed = false;
    while let Some(at) = rest.find("{:") {
        let before = &rest[..at];
        ticks += before.matches('`').count();
        let list = ial_len(&rest[at..]).filter(|_| ticks.is_multiple_of(2));
        match list {
            Some(n) => {
                out.push_str(before.strip_suffix(' ').unwrap_or(before));
                changes.push((
                    i,
                    format!("`{}`", &rest[at..at + n]),
                    "a kramdown attribute list; removed".into(),
                ));
                rest = &rest[at + n..];
                changed = true;
            }
            None => {
                out.push_str(&rest[..at + 2]);
                rest = &rest[at + 2..];
            }
        }
    }
    if changed {
        out.push_str(rest);
        let kept = out.trim_end().len();
        out.truncate(kept);
        *line = out;
    }
}

/// The length of the attribute list `{: …}` that `s` starts with: classes
/// (`.x`), ids (`#x`), `key="value"` pairs or a reference name; `None`
/// when it is not one (such as `{:a, :b}` in code-like text).
fn ial_len(s: &str) -> Option<usize> {
    let end = s.find('}')? + 1;
    let inner = s[2..end - 1].trim();
    if inner.is_empty() || inner.contains(['{', '\n']) {
        return None;
    }
    let mut quote = None;
    for c in inner.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c.is_alphanumeric() || " .#=-_:".contains(c) => {}
            None => return None,
        }
    }
    let first = inner.chars().next()?;
    (quote.is_none() && (first == '.' || first == '#' || first.is_alphabetic())).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marked_quote_becomes_a_callout_and_lines_keep_their_numbers() {
        let (text, changes) = attribute_lists("a\n> Take care.\n> Really.\n{: .warning }\nb\n");
        assert_eq!(text, "a\n> [!WARNING]\n> Take care.\n> Really.\nb\n");
        assert!(changes.is_empty());
    }

    #[test]
    fn toc_markers_and_other_lists_go_with_a_note() {
        let (text, changes) =
            attribute_lists("* TOC\n{:toc}\n\nPara\n{: .lead}\nText{: #x}\n```\n{: .keep}\n```\n");
        assert_eq!(text, "\n\n\nPara\n\nText\n```\n{: .keep}\n```\n");
        assert_eq!(changes.iter().map(|c| c.0).collect::<Vec<_>>(), [1, 4, 5]);
    }

    #[test]
    fn inline_lists_go_even_before_punctuation_but_not_in_code() {
        let (text, changes) = attribute_lists(
            "See [x](http://a/){:rel=\"external\"}. Next `{:a}` [y](/b){: .btn }\n",
        );
        assert_eq!(text, "See [x](http://a/). Next `{:a}` [y](/b)\n");
        assert_eq!(changes.len(), 2);
    }

    #[test]
    fn callout_classes_mark_the_paragraph_beside_them() {
        let (text, _) = attribute_lists("a\n\n{: .note }\nRead this.\nAnd this.\n\nb\n");
        assert_eq!(text, "a\n\n> [!NOTE]\n> Read this.\n> And this.\n\nb\n");
        let (text, _) = attribute_lists("a\n\nTake care.\n{: .warning }\n\nb\n");
        assert_eq!(text, "a\n\n> [!WARNING]\n> Take care.\n\nb\n");
        let (text, _) = attribute_lists("{: .important }\n");
        assert_eq!(text, "\n");
    }

    #[test]
    fn an_emptied_contents_heading_goes_with_the_toc() {
        let body = "# T\n{: .no_toc }\n\n## Table of contents\n{: .no_toc .text-delta }\n\n1. TOC\n{:toc}\n\n## Real\n";
        let (text, _) = attribute_lists(body);
        assert!(!text.contains("Table of contents"), "{text}");
        assert!(text.contains("## Real") && text.contains("# T"));
        assert_eq!(text.lines().count(), body.lines().count());
    }
}
