use super::permalink::old_url;
use super::*;

fn page(front: &str) -> SourcePage {
    SourcePage {
        front: front::parse(Format::Toml, front).unwrap(),
        ..SourcePage::default()
    }
}

#[test]
fn old_addresses_follow_url_permalinks_slugs_and_bundles() {
    let mut p = BTreeMap::new();
    p.insert("posts".to_string(), "/:year/:month/:slug/".to_string());
    let dated = page("title = \"Hello World\"\ndate = 2020-02-13T10:00:00Z");
    assert_eq!(
        old_url(&dated, "posts/a.md", false, &p),
        "/2020/02/hello-world/"
    );
    let slugged = page("slug = \"hi\"\ndate = 2020-02-13");
    assert_eq!(old_url(&slugged, "posts/a.md", false, &p), "/2020/02/hi/");
    assert_eq!(
        old_url(&page("url = \"/x/y/\""), "posts/a.md", false, &p),
        "/x/y/"
    );
    let none = BTreeMap::new();
    assert_eq!(
        old_url(&page(""), "Docs/My Page.md", false, &none),
        "/docs/my-page/"
    );
    assert_eq!(
        old_url(&page(""), "docs/b/index.md", true, &none),
        "/docs/b/"
    );
    assert_eq!(old_url(&page(""), "docs/_index.md", false, &none), "/docs/");
}

#[test]
fn settings_merge_from_config_default_and_name_the_taxonomies() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("config/_default");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("hugo.toml"),
        "title = \"T\"\nbaseURL = \"/\"\n[taxonomies]\ntag = \"tags\"\nseries = \"series\"\n",
    )
    .unwrap();
    fs::write(dir.join("params.yaml"), "description: D\n").unwrap();
    let (settings, file) = read_settings(tmp.path()).unwrap();
    assert_eq!(file.as_deref(), Some("config/_default/"));
    let mut findings = Vec::new();
    let info = site_info(&settings, "config/_default/", &mut findings);
    assert_eq!(info.title.as_deref(), Some("T"));
    assert_eq!(info.description.as_deref(), Some("D"));
    assert_eq!(info.taxonomies, ["series"]);
    assert_eq!(info.base_url, None);
    assert_eq!(
        findings.len(),
        1,
        "a base URL that is not an address: {findings:?}"
    );
}
