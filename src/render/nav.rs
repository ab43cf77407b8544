//! The navigation tree: shared fragments per section, long sections in
//! parts, and the current page marked.

use serde::Serialize;

use crate::model::{Child, PageId, SectionId, Site};

/// One entry of the navigation tree.
#[derive(Debug, Clone, Serialize)]
pub(super) struct NavItem {
    pub title: String,
    pub link: String,
    pub is_section: bool,
    /// True for the sections on the way to the current page: their
    /// children are listed.
    pub expanded: bool,
    /// The listed children, with `earlier` and `later` when a long
    /// section is listed in parts.
    #[serde(flatten)]
    pub children: NavList,
}

/// A list of the navigation: all of a section's children, or the part of
/// at most `nav.max_entries` of them that holds the current page.
#[derive(Debug, Clone, Default, Serialize)]
pub(super) struct NavList {
    #[serde(rename = "children")]
    pub items: Vec<NavItem>,
    /// The part before this one, if the list is cut.
    pub earlier: Option<NavMore>,
    /// The part after this one, if the list is cut.
    pub later: Option<NavMore>,
}

/// A link to another part of a long section's list.
#[derive(Debug, Clone, Serialize)]
pub(super) struct NavMore {
    /// Its first entry's link.
    pub link: String,
    /// Entry numbers (from 1) of the part's first and last entries, and
    /// how many the section has.
    pub first: usize,
    pub last: usize,
    pub total: usize,
}

/// Deepest level of the navigation tree that is expanded. Themes render
/// the tree with a component that calls itself once per level, and tera
/// stops components nested more than 20 deep; below this level (50 nested
/// folders are possible) pages are reached through their section's page
/// and the breadcrumbs.
pub(super) const NAV_MAX_DEPTH: usize = 16;

pub(super) fn nav_items(
    site: &Site,
    open: &[SectionId],
    depth: usize,
    page_part: usize,
) -> NavList {
    let section = open[depth];
    let children = &site.sections[section].children;
    let max = site.config.nav.max_entries.get();
    // The part to show: the one holding the next open section on the way
    // to the page, or for the page's own section the page's part.
    let part = match open.get(depth + 1) {
        Some(&next) => site.pages[site.sections[next].index].position / max,
        None => page_part,
    };
    let start = (part * max).min(children.len().saturating_sub(1) / max * max);
    let end = (start + max).min(children.len());
    let more = |from: usize| NavMore {
        link: site.link(site.child_page(children[from])),
        first: from + 1,
        last: (from + max).min(children.len()),
        total: children.len(),
    };
    let items = children[start..end]
        .iter()
        .map(|c| match *c {
            Child::Page(p) => NavItem {
                title: site.pages[p].title().to_string(),
                link: site.link(p),
                is_section: false,
                expanded: false,
                children: NavList::default(),
            },
            Child::Section(s) => {
                let expanded = open.get(depth + 1) == Some(&s) && depth + 1 < NAV_MAX_DEPTH;
                NavItem {
                    title: site.pages[site.sections[s].index].title().to_string(),
                    link: site.link(site.sections[s].index),
                    is_section: true,
                    expanded,
                    children: if expanded {
                        nav_items(site, open, depth + 1, page_part)
                    } else {
                        NavList::default()
                    },
                }
            }
        })
        .collect();
    NavList {
        items,
        earlier: (start > 0).then(|| more(start - max)),
        later: (end < children.len()).then(|| more(end)),
    }
}

/// Which part of its section's navigation list page `id` is in.
pub(crate) fn nav_part(site: &Site, id: PageId) -> usize {
    let p = &site.pages[id];
    if p.kind.is_section() {
        0
    } else {
        p.position / site.config.nav.max_entries.get()
    }
}

/// Adds `aria-current="page"` to the nav link pointing at `link`.
pub(super) fn mark_current(nav: &str, root: &str, link: &str) -> String {
    let mut href = Vec::new();
    let _ = tera::escape_html(&format!("{root}{link}"), &mut href);
    let needle = format!("href=\"{}\"", String::from_utf8_lossy(&href));
    match nav.find(&needle) {
        Some(i) => {
            let end = i + needle.len();
            let mut out = String::with_capacity(nav.len() + 24);
            out.push_str(&nav[..end]);
            out.push_str(" aria-current=\"page\"");
            out.push_str(&nav[end..]);
            out
        }
        None => nav.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list as (titles listed, part before, part after), each part as
    /// `(first, last, total)`.
    type Part = (
        Vec<String>,
        Option<(usize, usize, usize)>,
        Option<(usize, usize, usize)>,
    );

    fn part(list: &NavList) -> Part {
        let span = |m: &Option<NavMore>| m.as_ref().map(|m| (m.first, m.last, m.total));
        (
            list.items.iter().map(|i| i.title.clone()).collect(),
            span(&list.earlier),
            span(&list.later),
        )
    }

    #[test]
    fn current_link_is_marked_once() {
        let nav = r#"<a href="../a/index.html">A</a><a href="../b/index.html">B</a>"#;
        let out = mark_current(nav, "../", "b/index.html");
        assert_eq!(
            out,
            r#"<a href="../a/index.html">A</a><a href="../b/index.html" aria-current="page">B</a>"#
        );
    }

    #[test]
    fn long_sections_are_listed_in_parts() {
        let page = |t: &str, w: u32| format!("---\ntitle: {t}\nweight: {w}\n---\nx\n");
        let mut files: Vec<(String, String)> = (1..=7)
            .map(|i| (format!("big/p{i}.md"), page(&format!("P{i}"), i)))
            .collect();
        files.push(("big/sub/_index.md".into(), page("Sub", 8)));
        files.push(("big/sub/deep.md".into(), page("Deep", 1)));
        files.push(("_index.md".into(), page("Home", 1)));
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let mut site = crate::model::test_site(&refs);
        site.config.nav.max_entries = std::num::NonZeroUsize::new(3).unwrap();
        let list_of = |site: &Site, path: &str| {
            let id = site.page_at(path).unwrap();
            let open = site.ancestry(site.pages[id].section);
            // The list of `big/`, the first open section under the root.
            let root = nav_items(site, &open, 0, nav_part(site, id));
            assert_eq!(root.items.len(), 1, "the root has one child");
            root.items[0].children.clone()
        };
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // A page in the middle part: links to both neighbours.
        assert_eq!(
            part(&list_of(&site, "big/p5/")),
            (names(&["P4", "P5", "P6"]), Some((1, 3, 8)), Some((7, 8, 8)))
        );
        // The section's own page shows the first part.
        assert_eq!(
            part(&list_of(&site, "big/")),
            (names(&["P1", "P2", "P3"]), None, Some((4, 6, 8)))
        );
        // A page of a subsection: the part of `big/` holding the
        // subsection, which is open and lists its page.
        let list = list_of(&site, "big/sub/deep/");
        assert_eq!(part(&list), (names(&["P7", "Sub"]), Some((4, 6, 8)), None));
        assert!(list.items[1].expanded);
        assert_eq!(
            part(&list.items[1].children),
            (names(&["Deep"]), None, None)
        );
        // A part past the end (out of step with the list) shows the last.
        let big = site.page_at("big/").unwrap();
        let open = site.ancestry(site.pages[big].section);
        let last = nav_items(&site, &open, 1, 99);
        assert_eq!(part(&last), (names(&["P7", "Sub"]), Some((4, 6, 8)), None));
        // Without a limit in reach, nothing is cut.
        site.config.nav.max_entries = std::num::NonZeroUsize::new(50).unwrap();
        assert_eq!(part(&list_of(&site, "big/p5/")).0.len(), 8);
    }

    #[test]
    fn navigation_opens_nested_sections_down_to_the_depth_limit() {
        let page = |t: &str| format!("---\ntitle: {t}\n---\nx\n");
        let mut dir = String::new();
        let mut files = vec![("_index.md".to_string(), page("Home"))];
        for level in 1..=NAV_MAX_DEPTH + 3 {
            dir.push_str(&format!("d{level}/"));
            files.push((format!("{dir}_index.md"), page(&format!("Level {level}"))));
        }
        files.push((format!("{dir}leaf.md"), page("Leaf")));
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let site = crate::model::test_site(&refs);
        let leaf = site.page_at(&format!("{dir}leaf/")).unwrap();
        let open = site.ancestry(site.pages[leaf].section);
        let mut list = nav_items(&site, &open, 0, nav_part(&site, leaf));
        let mut levels = 1;
        while let Some(open) = list.items.iter().find(|i| i.expanded) {
            assert_eq!(open.title, format!("Level {levels}"));
            list = open.children.clone();
            levels += 1;
        }
        assert_eq!(levels, NAV_MAX_DEPTH, "lists shown, the root's included");
    }
}
