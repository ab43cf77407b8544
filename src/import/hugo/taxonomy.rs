//! Hugo keeps a taxonomy's list page and its term pages as content
//! (`content/topics/_index.md`, `content/topics/mobile/_index.md`);
//! marrow makes those pages itself from the pages' terms, at the same
//! addresses, and stops a build where a content page takes one. Such
//! pages are moved out of the way, their old addresses left to marrow's
//! taxonomy pages, and each move is reported.

use serde_json::Value;

use crate::import::SourcePage;
use crate::import::index::url_key;
use crate::import::report::{Finding, Kind};
use crate::slug::path_segment;

/// Moves the pages under a used taxonomy's folder to `<folder>-pages/`
/// and drops every alias that is a taxonomy or term address.
/// `taxonomies`: the front matter keys that hold terms (`tags`, `topics`).
pub(crate) fn clear_taxonomy_addresses(
    pages: &mut [SourcePage],
    taxonomies: &[String],
    findings: &mut Vec<Finding>,
) {
    let used: Vec<String> = taxonomies
        .iter()
        .filter(|t| pages.iter().any(|p| has_terms(p, t)))
        .map(|t| path_segment(t))
        .filter(|s| !s.is_empty())
        .collect();
    if used.is_empty() {
        return;
    }
    let folders: std::collections::HashSet<String> = pages
        .iter()
        .filter_map(|p| p.dst_rel.split_once('/').map(|(d, _)| d.to_string()))
        .collect();
    for p in pages.iter_mut() {
        let first = p.dst_rel.split('/').next().unwrap_or("");
        let seg = path_segment(first);
        if p.dst_rel.contains('/') && used.contains(&seg) {
            let mut to = format!("{first}-pages");
            let mut n = 2;
            while folders.contains(&to) {
                to = format!("{first}-pages-{n}");
                n += 1;
            }
            let rest = &p.dst_rel[first.len()..];
            let new = format!("{to}{rest}");
            let old = p.old_url.take().map(|u| url_key(&u)).unwrap_or_default();
            findings.push(Finding::new(
                Kind::Address,
                &p.src_rel,
                0,
                format!("a Hugo `{seg}` taxonomy page (`{old}`)"),
                format!(
                    "marrow makes its own page there from the pages' `{seg}`; this one moved to `content/{new}`, its old address not kept"
                ),
            ));
            p.dst_rel = new;
        }
        drop_taxonomy_aliases(p, &used, findings);
    }
}

/// Whether page `p` gives taxonomy `t` at least one term.
fn has_terms(p: &SourcePage, t: &str) -> bool {
    p.front
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(t))
        .any(|(_, v)| match v {
            Value::Array(a) => !a.is_empty(),
            Value::String(s) => !s.trim().is_empty(),
            _ => false,
        })
}

/// Removes aliases at `/<taxonomy>/` or `/<taxonomy>/<term>/`: marrow's
/// pages are, or may be, there.
fn drop_taxonomy_aliases(p: &mut SourcePage, used: &[String], findings: &mut Vec<Finding>) {
    let src = p.src_rel.clone();
    for (key, v) in p.front.iter_mut() {
        if !key.eq_ignore_ascii_case("aliases") {
            continue;
        }
        let mut keep = |a: &Value| {
            let Some(s) = a.as_str() else { return true };
            let k = url_key(s);
            let segs: Vec<&str> = k.split('/').filter(|x| !x.is_empty()).collect();
            let clash = !s.contains("://")
                && (1..=2).contains(&segs.len())
                && used.iter().any(|u| u == segs[0]);
            if clash {
                findings.push(Finding::new(
                    Kind::Address,
                    &src,
                    0,
                    format!("old address `{s}`"),
                    format!(
                        "marrow's `{}` taxonomy pages are there; not kept as an alias",
                        segs[0]
                    ),
                ));
            }
            !clash
        };
        match v {
            Value::Array(a) => a.retain(keep),
            Value::String(_) if !keep(v) => *v = Value::Array(Vec::new()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(dst: &str, front: &str) -> SourcePage {
        SourcePage {
            src_rel: format!("content/{dst}"),
            dst_rel: dst.to_string(),
            old_url: Some(format!("/{}", dst.trim_end_matches("_index.md"))),
            front: serde_json::from_str(front).unwrap(),
            ..SourcePage::default()
        }
    }

    #[test]
    fn taxonomy_and_term_pages_move_out_of_marrows_way() {
        let mut pages = vec![
            page("topics/_index.md", "{}"),
            page(
                "topics/mobile/_index.md",
                r#"{"aliases": ["/topics/5g/", "/mobile-old/"]}"#,
            ),
            page(
                "news/a.md",
                r#"{"topics": ["mobile"], "aliases": "/topics/"}"#,
            ),
            page("authors/x/_index.md", "{}"),
            page("topics-pages/other.md", "{}"),
        ];
        let mut findings = Vec::new();
        let taxonomies = ["tags".to_string(), "topics".into(), "authors".into()];
        clear_taxonomy_addresses(&mut pages, &taxonomies, &mut findings);
        assert_eq!(pages[0].dst_rel, "topics-pages-2/_index.md");
        assert_eq!(pages[1].dst_rel, "topics-pages-2/mobile/_index.md");
        assert_eq!(pages[0].old_url, None);
        assert_eq!(
            pages[1].front["aliases"],
            serde_json::json!(["/mobile-old/"])
        );
        assert_eq!(pages[2].front["aliases"], serde_json::json!([]));
        // No page has `authors` terms: marrow makes no page there.
        assert_eq!(pages[3].dst_rel, "authors/x/_index.md");
        assert_eq!(findings.len(), 4, "{findings:?}");
    }
}
