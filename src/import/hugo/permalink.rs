//! The address a Hugo page had: its `url`, its section's `[permalinks]`
//! pattern with Hugo's tokens expanded, or its path.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::import::SourcePage;
use crate::import::front;
use crate::import::rewrite::shortcodes::scalar;
use crate::slug::path_segment;

/// The address Hugo gives a page: its `url`, its section's permalink
/// pattern, or its path (with `slug` as the last segment). Always
/// root-relative: Hugo reads `url` and permalink patterns from the
/// site's root whether or not they start with `/`.
pub(super) fn old_url(
    page: &SourcePage,
    rel: &str,
    bundle: bool,
    permalinks: &BTreeMap<String, String>,
) -> String {
    let fm = |k: &str| {
        page.front
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(k))
            .and_then(|(_, v)| scalar(v))
    };
    if let Some(u) = fm("url") {
        return rooted(&u);
    }
    let stem = rel.rsplit_once('.').map_or(rel, |(s, _)| s);
    let stem = if bundle {
        stem.strip_suffix("/index")
            .or_else(|| stem.strip_suffix("index"))
            .unwrap_or(stem)
    } else {
        stem
    };
    // Hugo writes addresses in lower case (`disablePathToLower` is rare).
    let stem = stem.to_lowercase().replace(' ', "-");
    let stem = stem.as_str();
    if let Some(dir) = stem.strip_suffix("_index") {
        return format!("/{dir}");
    }
    let (dir, file) = stem.rsplit_once('/').unwrap_or(("", stem));
    let section = dir.split('/').next().unwrap_or("");
    let slug = fm("slug");
    if let Some(pattern) = permalinks.get(section).filter(|_| !section.is_empty()) {
        let date = ["date", "publishdate"]
            .iter()
            .find_map(|k| front::date_of(&Value::String(fm(k)?)))
            .or(page.date);
        let title = fm("title").map(|t| path_segment(&t));
        let facts = Facts {
            date,
            dir,
            section,
            file,
            slug: slug.as_deref(),
            title: title.as_deref(),
        };
        return rooted(&expand_permalink(pattern, &facts).to_lowercase());
    }
    let last = slug.unwrap_or_else(|| file.to_string());
    if dir.is_empty() {
        format!("/{last}/")
    } else {
        format!("/{dir}/{last}/")
    }
}

/// `u` with a leading `/`.
fn rooted(u: &str) -> String {
    let u = u.trim();
    if u.starts_with('/') || u.contains("://") {
        u.to_string()
    } else {
        format!("/{u}")
    }
}

/// What a permalink pattern's tokens stand for, for one page.
struct Facts<'a> {
    date: Option<chrono::NaiveDate>,
    /// Folders below content/ (`news/2013/02`).
    dir: &'a str,
    /// The first of them.
    section: &'a str,
    /// The file name without extension (a bundle's folder name).
    file: &'a str,
    slug: Option<&'a str>,
    /// The title as a URL segment.
    title: Option<&'a str>,
}

/// Expands Hugo's permalink tokens (`:year`, `:slug`, `:sections[1:]`,
/// ...) in `pattern`. Tokens are read whole, so `:yearday` is never taken
/// for `:year` followed by `day`; an unknown token is left as written.
fn expand_permalink(pattern: &str, f: &Facts<'_>) -> String {
    use chrono::Datelike;
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(after.len());
        let token = &after[..len];
        let mut tail = &after[len..];
        let d = f.date;
        let date = |fmt: &str| d.map(|d| d.format(fmt).to_string()).unwrap_or_default();
        let name = f.slug.unwrap_or(f.file).to_string();
        let value = match token {
            "year" => Some(date("%Y")),
            "month" => Some(date("%m")),
            "monthname" => Some(date("%B")),
            "day" => Some(date("%d")),
            "weekday" => Some(
                d.map(|d| d.weekday().num_days_from_sunday().to_string())
                    .unwrap_or_default(),
            ),
            "weekdayname" => Some(date("%A")),
            "yearday" => Some(d.map(|d| d.ordinal().to_string()).unwrap_or_default()),
            "section" => Some(f.section.to_string()),
            "sections" => {
                let all: Vec<&str> = f.dir.split('/').filter(|s| !s.is_empty()).collect();
                let (picked, used) = slice_of(&all, tail);
                tail = &tail[used..];
                Some(picked.join("/"))
            }
            "title" => Some(f.title.unwrap_or(f.file).to_string()),
            "slug" => Some(f.slug.or(f.title).unwrap_or(f.file).to_string()),
            "filename" | "contentbasename" => Some(f.file.to_string()),
            "slugorfilename" | "slugorcontentbasename" => Some(name),
            _ => None,
        };
        match value {
            Some(v) => out.push_str(&v),
            None => {
                out.push(':');
                out.push_str(token);
            }
        }
        rest = tail;
    }
    out.push_str(rest);
    // An empty value (no date) leaves `//`: one slash, as Hugo writes it.
    let mut clean = String::with_capacity(out.len());
    for c in out.chars() {
        if !(c == '/' && clean.ends_with('/')) {
            clean.push(c);
        }
    }
    clean
}

/// `[a:b]`, `[a:]`, `[:b]` or `[n]` after `:sections`: the part of
/// `all` it picks, and how many bytes of `tail` it took.
fn slice_of<'a>(all: &[&'a str], tail: &str) -> (Vec<&'a str>, usize) {
    let Some(inner) = tail.strip_prefix('[').and_then(|t| t.split_once(']')) else {
        return (all.to_vec(), 0);
    };
    let used = inner.0.len() + 2;
    let n = |s: &str, default: usize| s.trim().parse::<usize>().unwrap_or(default).min(all.len());
    let picked = match inner.0.split_once(':') {
        Some((a, b)) => {
            let (a, b) = (n(a, 0), n(b, all.len()));
            all.get(a..b.max(a)).unwrap_or(&[]).to_vec()
        }
        None => all
            .get(n(inner.0, all.len()))
            .into_iter()
            .copied()
            .collect(),
    };
    (picked, used)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::front::Format;

    fn page(front: &str) -> SourcePage {
        SourcePage {
            front: front::parse(Format::Toml, front).unwrap(),
            ..SourcePage::default()
        }
    }

    #[test]
    fn permalink_patterns_give_each_token_once_and_from_the_root() {
        let mut p = BTreeMap::new();
        p.insert("news".to_string(), ":year/:month/:day/:slug/".to_string());
        p.insert(
            "events".to_string(),
            "event/:year/:month/:day/:slug/".to_string(),
        );
        p.insert(
            "docs".to_string(),
            "/:sections[1:]/:filename/:yearday/".to_string(),
        );
        p.insert(
            "blog".to_string(),
            "/:section/:monthname/:title/".to_string(),
        );
        let qr = page("slug = \"qr-codes\"\ndate = \"2013-02-14 14:47:52 -0400\"");
        assert_eq!(
            old_url(&qr, "news/2013/02/2013-02-14-qr-codes.md", false, &p),
            "/2013/02/14/qr-codes/"
        );
        assert_eq!(
            old_url(&qr, "events/2019/a.md", false, &p),
            "/event/2013/02/14/qr-codes/"
        );
        let doc = page("title = \"A B\"\ndate = 2020-02-01");
        assert_eq!(old_url(&doc, "docs/x/y/z.md", false, &p), "/x/y/z/32/");
        assert_eq!(old_url(&doc, "blog/q.md", false, &p), "/blog/february/a-b/");
        // No slug, no title: the file name.
        assert_eq!(old_url(&page(""), "news/n.md", false, &p), "/n/");
        assert_eq!(old_url(&page("url = \"x/y/\""), "a.md", false, &p), "/x/y/");
    }
}
