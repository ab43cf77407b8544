//! Where each kind of Jekyll file goes in the new site, and the address
//! it had on the old one (from its permalink or the site's pattern).

use serde_json::Value;

use super::front_terms;
use super::rules::{Placeholders, Rules, dated_name, fill};
use crate::import::SourcePage;
use crate::import::front;
use crate::import::rewrite::shortcodes::scalar;

/// The file's folder and its name without the extension.
fn dir_and_stem(rel: &str) -> (&str, &str) {
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    (dir, file.rsplit_once('.').map_or(file, |(s, _)| s))
}

fn fm(page: &SourcePage, key: &str) -> Option<String> {
    page.front.get(key).and_then(scalar)
}

/// A post's new path and old address: the date comes from its name,
/// `posts/SLUG.md`.
pub(super) fn post_address(
    page: &mut SourcePage,
    categories: &[String],
    draft: bool,
    rules: &Rules,
) -> (String, String) {
    let (_, stem) = dir_and_stem(&page.src_rel);
    let stem = stem.to_string();
    let (date, slug) = match dated_name(&stem) {
        Some((d, s)) => (Some(d), s.to_string()),
        None => (None, stem.clone()),
    };
    page.date = date;
    if draft {
        page.front.entry("draft").or_insert(Value::Bool(true));
    }
    let mut cats = categories.to_vec();
    cats.extend(front_terms(
        page.front.get("categories").or(page.front.get("category")),
    ));
    let title = fm(page, "slug").unwrap_or_else(|| slug.clone());
    let pattern = fm(page, "permalink").unwrap_or_else(|| rules.permalink.clone());
    let date = front::date_of(page.front.get("date").unwrap_or(&Value::Null)).or(date);
    let old = fill(
        &pattern,
        &Placeholders {
            date,
            title: &title,
            categories: &cats,
            path: &stem,
            collection: "posts",
        },
    );
    // Two posts of one slug (on other dates): `import` numbers the second.
    (format!("posts/{slug}.md"), old)
}

/// A collection document's new path (under the collection's name) and
/// old address (the collection's permalink, `/:collection/:path…` else).
pub(super) fn collection_address(page: &SourcePage, c: &str, rules: &Rules) -> (String, String) {
    let rel = page.src_rel.as_str();
    let (_, stem) = dir_and_stem(rel);
    let under = rel.split_once(&format!("_{c}/")).map_or(stem, |(_, r)| r);
    let path = under.rsplit_once('.').map_or(under, |(s, _)| s);
    let pattern = fm(page, "permalink")
        .or_else(|| rules.collections.get(c).and_then(|(_, p)| p.clone()))
        .unwrap_or_else(|| "/:collection/:path:output_ext".into());
    let title = fm(page, "slug").unwrap_or_else(|| stem.to_string());
    let old = fill(
        &pattern,
        &Placeholders {
            date: None,
            title: &title,
            categories: &[],
            path,
            collection: c,
        },
    );
    // A `pages`-like collection (`permalink: /:path/`) serves its documents
    // outside any folder of its name: so do their new files.
    let folder = if pattern.contains(":collection") || old.starts_with(&format!("/{c}/")) {
        format!("{c}/")
    } else {
        String::new()
    };
    let dst = match path.strip_suffix("index") {
        Some(d) if d.is_empty() || d.ends_with('/') => format!("{folder}{d}_index.md"),
        _ => format!("{folder}{path}.md"),
    };
    (dst, old)
}

/// A page's new path (`index` files become section pages; a leading `_`
/// of an `include`d folder goes) and old address (its permalink, or
/// where Jekyll puts it by the site's permalink style).
pub(super) fn page_address(page: &SourcePage, rules: &Rules) -> (String, String) {
    let (dir, stem) = dir_and_stem(&page.src_rel);
    let dst_dir: Vec<&str> = dir
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_start_matches('_'))
        .collect();
    let dst_dir = dst_dir.join("/");
    let join = |base: &str, f: &str| {
        if base.is_empty() {
            f.to_string()
        } else {
            format!("{base}/{f}")
        }
    };
    let (dst, default) = if stem == "index" {
        let old = if dir.is_empty() {
            "/".to_string()
        } else {
            format!("/{dir}/")
        };
        (join(&dst_dir, "_index.md"), old)
    } else if rules.pretty {
        (
            join(&dst_dir, &format!("{stem}.md")),
            format!("/{}/", join(dir, stem)),
        )
    } else {
        (
            join(&dst_dir, &format!("{stem}.md")),
            format!("/{}.html", join(dir, stem)),
        )
    };
    let old = match fm(page, "permalink") {
        Some(p) => fill(
            &p,
            &Placeholders {
                date: None,
                title: stem,
                categories: &[],
                path: &join(dir, stem),
                collection: "",
            },
        ),
        None => default,
    };
    (dst, old)
}
