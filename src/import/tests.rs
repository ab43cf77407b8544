use super::*;

#[test]
fn imports_a_small_hugo_site_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("content/posts")).unwrap();
    std::fs::write(src.join("hugo.yaml"), "title: T\n").unwrap();
    std::fs::write(
        src.join("content/posts/a.md"),
        "+++\ntitle = \"A\"\nurl = \"/old/a/\"\n+++\nSee {{< ref \"b\" >}}.\n",
    )
    .unwrap();
    std::fs::write(src.join("content/posts/b.md"), "---\ntitle: B\n---\n").unwrap();
    let into = tmp.path().join("dst");
    let report = import(&ImportOptions {
        source: Source::Hugo,
        from: src.clone(),
        into: into.clone(),
        progress: None,
    })
    .unwrap();
    assert_eq!(report.pages, 2);
    let a = std::fs::read_to_string(into.join("content/posts/a.md")).unwrap();
    assert_eq!(a, "---\ntitle: A\naliases:\n- /old/a/\n---\n\nSee b.md.\n");
    assert!(into.join("IMPORT.md").is_file());
    assert!(
        std::fs::read_to_string(into.join("site.yaml"))
            .unwrap()
            .contains("title: T\n")
    );
}

#[test]
fn two_jekyll_pages_at_one_address_are_kept_apart_and_the_site_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("about")).unwrap();
    std::fs::write(src.join("_config.yml"), "title: T\npermalink: pretty\n").unwrap();
    std::fs::write(src.join("about.md"), "---\ntitle: A\n---\nA\n").unwrap();
    std::fs::write(src.join("about/index.md"), "---\ntitle: B\n---\nB\n").unwrap();
    std::fs::create_dir_all(src.join("blog")).unwrap();
    std::fs::write(src.join("blog.md"), "---\ntitle: Blog\n---\n").unwrap();
    std::fs::write(src.join("blog/one.md"), "---\ntitle: One\n---\n").unwrap();
    let into = tmp.path().join("dst");
    import(&ImportOptions {
        source: Source::Jekyll,
        from: src,
        into: into.clone(),
        progress: None,
    })
    .unwrap();
    let a = std::fs::read_to_string(into.join("content/about.md")).unwrap();
    assert!(a.contains("slug: about-2\n"), "{a}");
    let report = std::fs::read_to_string(into.join("IMPORT.md")).unwrap();
    assert!(report.contains("a second page at `/about/`"), "{report}");
    assert!(
        into.join("content/blog/_index.md").is_file(),
        "a page beside its folder is its page"
    );
    let opts =
        crate::BuildOptions::new(&into, chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    crate::build(&opts).unwrap();
}

#[test]
fn a_page_at_a_folders_old_address_becomes_the_folders_page() {
    let page = |src: &str, dst: &str, old: &str| SourcePage {
        src_rel: src.into(),
        dst_rel: dst.into(),
        old_url: Some(old.into()),
        ..SourcePage::default()
    };
    let mut pages = vec![
        page(
            "_pages/collections/writing-style.html",
            "pages/collections/writing-style.md",
            "/writing-style/",
        ),
        page("_writing-style/voice.md", "writing-style/voice.md", "/x/"),
    ];
    let mut findings = Vec::new();
    unique_paths(&mut pages, &mut findings);
    assert_eq!(pages[0].dst_rel, "writing-style/_index.md");
    assert_eq!(pages[1].dst_rel, "writing-style/voice.md");
    assert_eq!(findings.len(), 1);
}
