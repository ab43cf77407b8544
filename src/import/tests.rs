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
