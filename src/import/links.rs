//! Markdown links and images written as paths of the source's files
//! (`[next](2019-01-01-b.md)`, `![](assets/a.png)`), pointed at where
//! those files are in the new site: pages move (Jekyll's `_posts/` to
//! `posts/`, a bundle's `index.md`), and a Jekyll site's assets go to
//! `static/`. Run before template syntax is rewritten, on the source
//! body, changing nothing but link destinations (so lines stay put).

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::{Index, SourcePage};

/// `page`'s body with its file links pointed at the new site, or `None`
/// when no link needs to change.
pub(crate) fn relink(page: &SourcePage, index: &Index) -> Option<String> {
    let body = &page.body;
    if !body.contains("](") {
        return None;
    }
    let dir = page.src_rel.rsplit_once('/').map_or("", |(d, _)| d);
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for (event, range) in Parser::new_ext(body, Options::all()).into_offset_iter() {
        let (dest, is_link) = match &event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url.to_string(), true),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url.to_string(), false),
            _ => continue,
        };
        let Some(new) = target(&dest, dir, &page.dst_rel, index) else {
            continue;
        };
        let text = &body[range.clone()];
        let needle = format!("]({dest}");
        let found = if is_link {
            text.rfind(&needle)
        } else {
            text.find(&needle)
        };
        if let Some(at) = found {
            let start = range.start + at + 2;
            edits.push((start, start + dest.len(), new));
        }
    }
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(body.len());
    let mut copied = 0;
    for (start, end, new) in edits {
        if start < copied {
            continue;
        }
        out.push_str(&body[copied..start]);
        out.push_str(&new);
        copied = end;
    }
    out.push_str(&body[copied..]);
    Some(out)
}

/// Where a relative `dest` of a page in source folder `dir` now points,
/// if it names a page or a static file of the source and that changed.
fn target(dest: &str, dir: &str, from_dst: &str, index: &Index) -> Option<String> {
    // `/guides/b/`: the page that had that address on the old site.
    if dest.starts_with('/') && !dest.starts_with("//") && !dest.contains(['{', '%', ' ']) {
        let (path, fragment) = dest
            .split_once('#')
            .map_or((dest, None), |(p, f)| (p, Some(f)));
        return index
            .page_by_url(path)
            .map(|i| index.link(from_dst, i, fragment));
    }
    if dest.is_empty()
        || dest.starts_with(['#', '/', '{', '<'])
        || dest.contains("://")
        || dest.contains(['{', '%', ' '])
        || dest.starts_with("mailto:")
        || dest.starts_with("tel:")
    {
        return None;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let joined = normalise(&format!("{dir}/{decoded}"))?;
    let new = if let Some(i) = index.page_by_src(&joined, false) {
        index.link(from_dst, i, fragment)
    } else if index.is_static(&joined) {
        let mut s = format!("/{joined}");
        if let Some(f) = fragment {
            s.push('#');
            s.push_str(f);
        }
        s
    } else {
        return None;
    };
    (new != dest).then_some(new)
}

/// `a/./b/../c` → `a/c`; `None` when it climbs out of the site.
pub(crate) fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::CopyFile;

    #[test]
    fn links_follow_moved_pages_and_assets() {
        let pages = vec![
            SourcePage {
                src_rel: "_posts/2020-01-02-a.md".into(),
                dst_rel: "posts/a.md".into(),
                body: "[b](2020-01-03-b.md#x) ![i](../assets/i.png) [![n](../assets/i.png)](2020-01-03-b.md) [w](https://x.org) [s](#y) [m](gone.md)".into(),
                ..SourcePage::default()
            },
            SourcePage {
                src_rel: "_posts/2020-01-03-b.md".into(),
                dst_rel: "posts/b.md".into(),
                ..SourcePage::default()
            },
        ];
        let files = [CopyFile {
            from: "x".into(),
            to: "static/assets/i.png".into(),
        }];
        let index = Index::new(&pages, &files);
        assert_eq!(
            relink(&pages[0], &index).unwrap(),
            "[b](b.md#x) ![i](/assets/i.png) [![n](/assets/i.png)](b.md) [w](https://x.org) [s](#y) [m](gone.md)"
        );
        assert_eq!(relink(&pages[1], &index), None);
    }
}

/// `text` with every link destination that starts with `base` (the path
/// of a site served below its host's root, `/docs/`) written from the
/// root instead (`/docs/guides/x/` → `/guides/x/`): Markdown links and
/// images, reference definitions and `href`/`src` attributes.
pub(crate) fn strip_base_path(text: &str, base: &str) -> String {
    let base = format!("/{}/", base.trim_matches('/'));
    if base == "//" {
        return text.to_string();
    }
    let mut out = text.to_string();
    for lead in ["](", "]: ", "href=\"", "src=\"", "href='", "src='"] {
        out = out.replace(&format!("{lead}{base}"), &format!("{lead}/"));
    }
    out
}

#[cfg(test)]
mod base_path_tests {
    #[test]
    fn links_below_the_sites_base_path_are_read_from_the_root() {
        let t = "[a](/docs/guides/x/) ![i](/docs/i.png) <a href=\"/docs/y/\">\n[r]: /docs/z/\n[o](/docsy/) [p](/other/docs/)";
        assert_eq!(
            super::strip_base_path(t, "/docs/"),
            "[a](/guides/x/) ![i](/i.png) <a href=\"/y/\">\n[r]: /z/\n[o](/docsy/) [p](/other/docs/)"
        );
    }
}
