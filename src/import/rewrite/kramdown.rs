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
            _ => {
                lines[i].clear();
                changes.push((i, shown, "a kramdown attribute list; removed".into()));
            }
        }
    }
    (lines.join("\n"), changes)
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

/// `Text {: .class}` at the end of a line: the list goes.
fn strip_inline(line: &mut String, i: usize, changes: &mut Vec<Change>) {
    let Some(start) = line.rfind("{:") else {
        return;
    };
    let rest = &line[start..];
    if !rest.trim_end().ends_with('}') || rest.contains('`') {
        return;
    }
    let shown = format!("`{}`", rest.trim_end());
    line.truncate(start);
    let kept = line.trim_end().len();
    line.truncate(kept);
    changes.push((i, shown, "a kramdown attribute list; removed".into()));
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
}
