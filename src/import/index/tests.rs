use super::*;

#[test]
fn relative_links_between_content_paths() {
    assert_eq!(relative("a/b.md", "c/d.md"), "../c/d.md");
    assert_eq!(relative("a/b.md", "a/c.md"), "c.md");
    assert_eq!(relative("x.md", "a/_index.md"), "a/_index.md");
    assert_eq!(relative("a/b/c.md", "a/d.md"), "../d.md");
    assert_eq!(relative("a/_index.md", "a/_index.md"), "_index.md");
}

#[test]
fn links_inside_html_become_addresses_of_the_built_pages() {
    let pages = vec![
        SourcePage {
            src_rel: "a.md".into(),
            dst_rel: "docs/a.md".into(),
            ..SourcePage::default()
        },
        SourcePage {
            src_rel: "b.md".into(),
            dst_rel: "b.md".into(),
            ..SourcePage::default()
        },
    ];
    let ix = Index::new(&pages, &[]);
    let body = format!(
        "<a href=\"{}\">B</a> [b]({})",
        ix.link_in("docs/a.md", 1, Some("x"), true),
        ix.link_in("docs/a.md", 1, None, false)
    );
    let mut converted = vec![Converted {
        src_rel: "a.md".into(),
        dst_rel: "docs/a.md".into(),
        old_url: None,
        front: Default::default(),
        body,
        snippets: Vec::new(),
        findings: Vec::new(),
    }];
    fill_html_links(&mut converted, &["/docs/a/".into(), "/bee/".into()]);
    assert_eq!(
        converted[0].body,
        "<a href=\"../../bee/index.html#x\">B</a> [b](../b.md)"
    );
}

#[test]
fn url_keys_are_one_form() {
    assert_eq!(url_key("/about/"), "/about/");
    assert_eq!(url_key("about"), "/about/");
    assert_eq!(url_key("/a/index.html"), "/a/");
    assert_eq!(url_key("/caf%C3%A9/?x=1#y"), "/café/");
    assert_eq!(url_key(""), "/");
}

#[test]
fn relative_aliases_resolve_against_the_old_address() {
    assert_eq!(
        alias_key("old-name", "/posts/new/").unwrap(),
        "/posts/old-name/"
    );
    assert!(alias_key("https://x.org/a/", "/").is_err());
    assert!(alias_key("/", "/").is_err());
    assert!(alias_key("/a\\b/", "/").is_err());
}

#[test]
fn an_alias_at_a_folder_without_its_own_page_is_left_out() {
    let page = |dst: &str, aliases: &[&str]| Converted {
        src_rel: format!("content/{dst}"),
        dst_rel: dst.into(),
        old_url: None,
        front: super::super::front::OutFront {
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            ..Default::default()
        },
        body: String::new(),
        snippets: Vec::new(),
        findings: Vec::new(),
    };
    let mut pages = vec![page(
        "resources/c000/_index.md",
        &["/resources/", "/tools/"],
    )];
    let mut findings = Vec::new();
    settle_aliases(&mut pages, &mut findings);
    assert_eq!(pages[0].front.aliases, ["/tools/"]);
    assert!(
        findings[0].did.contains("folder `content/resources/`"),
        "{findings:?}"
    );
}
