//! Tests of the site model.

use super::*;
use crate::config::SiteConfig;
use crate::content::{Discovered, LoadedPage, SourceFile};
use std::path::{Path, PathBuf};

const P: &str = "---\ntitle: T\n---\n";

#[test]
fn urls_order_and_reading_order() {
    let site = test_site(&[
        ("_index.md", "---\ntitle: Home\n---\n"),
        ("b/_index.md", "---\ntitle: B\nweight: 1\n---\n"),
        ("b/z.md", "---\ntitle: Zed\nweight: 1\n---\n"),
        ("b/a.md", "---\ntitle: Alpha\nweight: 2\n---\n"),
        ("a/x y.md", "---\ntitle: X\n---\n"),
        ("b/s.md", "---\ntitle: S\nslug: custom\n---\n"),
    ]);
    let paths: Vec<_> = site
        .reading_order
        .iter()
        .map(|&p| site.pages[p].path.as_str())
        .collect();
    // b has weight 1 so comes before a (no weight); inside b, weight then title.
    assert_eq!(
        paths,
        ["", "b/", "b/z/", "b/a/", "b/custom/", "a/", "a/x-y/"]
    );
    let z = site.page_at("b/z/").unwrap();
    assert_eq!(site.pages[z].prev, site.page_at("b/"));
    assert_eq!(site.link(z), "b/z/index.html");
    assert_eq!(site.pages[z].root_prefix(), "../../");
    // A folder without _index.md still becomes a section, titled after it.
    let a = site.page_at("a/").unwrap();
    assert_eq!(site.pages[a].title(), "A");
}

#[test]
fn link_resolution() {
    let site = test_site(&[
        ("_index.md", P),
        ("process/_index.md", P),
        ("process/conditioning.md", P),
        ("process/diagram.svg", ""),
        ("indications/thalassaemia.md", P),
    ]);
    let from = site.page_from_source("process/conditioning.md").unwrap();
    let thal = site
        .page_from_source("indications/thalassaemia.md")
        .unwrap();
    let t = site.resolve_link(from, "../indications/thalassaemia.md#donors");
    assert_eq!(
        t,
        LinkTarget::Page {
            id: thal,
            fragment: Some("donors".into())
        }
    );
    assert_eq!(
        site.href(from, &t).unwrap(),
        "../../indications/thalassaemia/index.html#donors"
    );
    let t = site.resolve_link(from, "/indications/thalassaemia.md");
    assert_eq!(
        site.href(from, &t).unwrap(),
        "../../indications/thalassaemia/index.html"
    );
    let t = site.resolve_link(from, "diagram.svg");
    assert_eq!(site.href(from, &t).unwrap(), "../../process/diagram.svg");
    let t = site.resolve_link(from, "#top");
    assert_eq!(site.href(from, &t).unwrap(), "#top");
    let t = site.resolve_link(from, "_index.md");
    assert_eq!(site.href(from, &t).unwrap(), "../../process/index.html");
    assert_eq!(
        site.resolve_link(from, "https://nhs.uk"),
        LinkTarget::External
    );
    assert!(matches!(
        site.resolve_link(from, "missing.md"),
        LinkTarget::Missing { .. }
    ));
    let help = |dest: &str| match site.resolve_link(from, dest) {
        LinkTarget::Missing { help, .. } => help,
        other => panic!("{dest}: {other:?}"),
    };
    assert_eq!(
        help("../indications/thalasaemia.md"),
        "did you mean `content/indications/thalassaemia.md`?"
    );
    assert_eq!(
        help("/qqqqqqqqqqqqqqqqqqqqqqqq.md"),
        "check the file name and the relative path (`../` goes up one folder)"
    );
    assert!(matches!(
        site.resolve_link(from, "../../../x.md"),
        LinkTarget::Missing { .. }
    ));
    assert!(matches!(
        site.resolve_link(from, "nope.png"),
        LinkTarget::Missing { .. }
    ));
}

#[test]
fn duplicate_urls_name_both_files() {
    let mut discovered = Discovered::default();
    let mut loaded = Vec::new();
    for rel in ["a.md", "b.md", "_index.md"] {
        let source = SourceFile {
            rel: rel.into(),
            path: PathBuf::from(rel),
        };
        let text = if rel == "b.md" {
            "---\ntitle: B\nslug: a\n---\n"
        } else {
            P
        };
        let doc = crate::content::front_matter::parse(&source.display(), text).unwrap();
        discovered.pages.push(source.clone());
        loaded.push(LoadedPage { source, doc });
    }
    discovered.dirs = vec![String::new()];
    let sources = Sources {
        discovered: &discovered,
        loaded,
        glossaries: Vec::new(),
        static_files: Default::default(),
    };
    let (_, err) = Site::new(
        SiteConfig::default(),
        Path::new("/x"),
        sources,
        Publish {
            drafts: false,
            today: chrono::NaiveDate::MIN,
        },
        std::slice::from_ref(&GeneratedText::english()),
    );
    let msg = err.to_string();
    assert!(
        msg.contains("content/a.md") && msg.contains("content/b.md"),
        "{msg}"
    );
}

#[test]
fn drafts_are_left_out_and_links_to_them_explained() {
    let site = test_site(&[
        ("_index.md", P),
        ("a.md", P),
        ("d.md", "---\ntitle: D\ndraft: true\n---\n"),
    ]);
    assert_eq!(site.pages.len(), 2);
    let a = site.page_from_source("a.md").unwrap();
    match site.resolve_link(a, "d.md") {
        LinkTarget::Missing { problem, .. } => assert!(problem.contains("draft"), "{problem}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn expired_pages_are_left_out_from_the_day_after_and_links_say_so() {
    let files = [
        ("_index.md", P),
        ("a.md", P),
        (
            "old.md",
            "---\ntitle: Old\nexpires: 2026-05-31 18:00:00 +0100\n---\n",
        ),
        (
            "gone/_index.md",
            "---\ntitle: Gone\nexpires: 2026-05-31\n---\n",
        ),
        ("gone/inside.md", P),
    ];
    let on = |y, m, d| {
        let publish = Publish {
            drafts: false,
            today: chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap(),
        };
        Site::from_memory_on(&files, None, publish).unwrap_or_else(|e| panic!("{e}"))
    };
    // On the day itself the page is still there.
    let site = on(2026, 5, 31);
    assert!(site.page_from_source("old.md").is_some());
    assert!(site.page_from_source("gone/inside.md").is_some());
    let site = on(2026, 6, 1);
    assert!(site.page_from_source("old.md").is_none());
    // An expired section takes its pages with it.
    assert!(site.page_from_source("gone/inside.md").is_none());
    let a = site.page_from_source("a.md").unwrap();
    match site.resolve_link(a, "old.md") {
        LinkTarget::Missing { problem, .. } => {
            assert_eq!(problem, "points to a page that expired on 2026-05-31")
        }
        other => panic!("{other:?}"),
    }
    // A page of an expired section is gone for the section's reason.
    match site.resolve_link(a, "gone/inside.md") {
        LinkTarget::Missing { problem, .. } => {
            assert_eq!(problem, "points to a page that expired on 2026-05-31")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn links_to_an_old_address_lead_to_the_page_that_keeps_it() {
    let site = test_site(&[
        ("_index.md", P),
        ("a.md", P),
        (
            "news/new-name.md",
            "---\ntitle: N\naliases: [/2019/05/03/old-post/]\n---\n## Part\n",
        ),
    ]);
    let a = site.page_from_source("a.md").unwrap();
    let n = site.page_from_source("news/new-name.md").unwrap();
    assert_eq!(
        site.resolve_link(a, "/2019/05/03/old-post/#part"),
        LinkTarget::Page {
            id: n,
            fragment: Some("part".into())
        }
    );
    assert_eq!(
        site.resolve_link(a, "/2019/05/03/old-post"),
        LinkTarget::Page {
            id: n,
            fragment: None
        }
    );
    assert!(matches!(
        site.resolve_link(a, "/2019/05/04/old-post/"),
        LinkTarget::Missing { .. }
    ));
    // The href is the page's own address, not the redirect's.
    let href = site
        .href(a, &site.resolve_link(a, "/2019/05/03/old-post/"))
        .unwrap();
    assert_eq!(href, "../news/new-name/index.html");
}

#[test]
fn an_index_md_stops_the_build_with_the_rename_it_needs() {
    let Err(errors) = Site::from_memory(
        &[
            ("_index.md", "---\ntitle: Home\n---\n"),
            ("guides/index.md", P),
            ("index.md", P),
            ("guides/reindex.md", P),
        ],
        None,
    ) else {
        panic!("index.md is refused");
    };
    let got: Vec<String> = errors
        .iter()
        .map(|d| {
            format!(
                "{}: {} / {}",
                d.location(),
                d.message,
                d.help.clone().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got.iter().any(|g| g.starts_with("content/guides/index.md: `index.md` would become a page at `/guides/index/`, not the page of `guides/`")
            && g.contains("rename it to `_index.md`")),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|g| g.contains("`/index/`, not the page of the site")),
        "{got:?}"
    );
}
