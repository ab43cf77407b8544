//! Where Jekyll pages land: the 404 page, the home page, `pages`-like
//! collections and HTML layouts.

use serde_json::json;

use super::*;

fn rules(config: serde_json::Value) -> Rules {
    Rules::new(&config)
}

fn page(rel: &str, text: &str, role: &Role, rules: &Rules) -> (SourcePage, Vec<Finding>) {
    let mut findings = Vec::new();
    let ext = rel.rsplit_once('.').map_or("", |(_, e)| e);
    let p = read_page(rel, text, ext, role, rules, &mut findings);
    (p, findings)
}

#[test]
fn a_404_page_is_left_to_marrow() {
    let r = rules(json!({}));
    let (p, _) = page(
        "_pages/404.md",
        "---\npermalink: /404.html\n---\nGone.\n",
        &Role::Page,
        &r,
    );
    assert!(is_not_found_page(&p));
    let (p, _) = page("404.html", "---\ntitle: x\n---\nGone.\n", &Role::Page, &r);
    assert!(is_not_found_page(&p));
    let (p, _) = page(
        "docs/404-errors.md",
        "---\ntitle: x\n---\n",
        &Role::Page,
        &r,
    );
    assert!(!is_not_found_page(&p));
}

#[test]
fn the_page_at_slash_is_the_home_page() {
    let r = rules(json!({"collections": {"pages": {"output": true, "permalink": "/:path/"}}}));
    let role = Role::Collection("pages".into());
    let (p, _) = page("_pages/intro.md", "---\npermalink: /\n---\nHi\n", &role, &r);
    assert_eq!(p.dst_rel, "_index.md");
    let (p, _) = page(
        "about/home.md",
        "---\npermalink: /\n---\nHi\n",
        &Role::Page,
        &r,
    );
    assert_eq!(p.dst_rel, "_index.md");
}

#[test]
fn a_pages_like_collection_keeps_its_documents_at_their_addresses() {
    let r = rules(json!({"collections": {
        "pages": {"output": true, "permalink": "/:path/"},
        "docs": {"output": true},
        "guides": {"output": true, "permalink": "/guides/:name/"},
    }}));
    let (p, _) = page(
        "_pages/our-style/active-voice.md",
        "---\ntitle: A\n---\n",
        &Role::Collection("pages".into()),
        &r,
    );
    assert_eq!(p.dst_rel, "our-style/active-voice.md");
    assert_eq!(p.old_url.as_deref(), Some("/our-style/active-voice/"));
    let (p, _) = page(
        "_docs/a.md",
        "---\ntitle: A\n---\n",
        &Role::Collection("docs".into()),
        &r,
    );
    assert_eq!(p.dst_rel, "docs/a.md");
    let (p, _) = page(
        "_guides/b.md",
        "---\ntitle: B\n---\n",
        &Role::Collection("guides".into()),
        &r,
    );
    assert_eq!(p.dst_rel, "guides/b.md");
}

#[test]
fn an_html_layout_page_is_not_kept_as_content() {
    let r = rules(json!({}));
    let text = "---\npermalink: /\n---\n<html lang=\"en\">{% include head.html %}<body>\
                {% for child in nav.children %}<a href=\"{{ child.url }}\">x</a>{% endfor %}</body></html>\n";
    let (p, findings) = page("index.html", text, &Role::Page, &r);
    assert_eq!(p.dst_rel, "_index.md");
    assert!(!p.body.contains("{{"), "{}", p.body);
    assert!(
        findings
            .iter()
            .any(|f| format!("{f:?}").contains("whole HTML document"))
    );
    assert!(layout_logic("{%- for x in site.data.y -%}{{ x }}{% endfor %}").is_some());
    assert!(layout_logic("<p>Hello <b>there</b>, <bodyguard/></p>").is_none());
}

#[test]
fn a_baseurl_without_url_is_reported() {
    let mut findings = Vec::new();
    let info = site_info(
        &json!({"baseurl": "/Transcoder"}),
        "_config.yml",
        &mut findings,
    );
    assert_eq!(info.base_url, None);
    assert!(
        findings
            .iter()
            .any(|f| format!("{f:?}").contains("/Transcoder/"))
    );
}

#[test]
fn documents_of_a_collection_without_output_are_imported_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.md");
    fs::write(&file, "---\ntitle: A\n---\nText\n").unwrap();
    let r = rules(json!({"collections": {"writing-style": {"output": false}}}));
    let role = Role::Collection("writing-style".into());
    let out = classify(file, "_writing-style/a.md".into(), "a.md", &role, &r).unwrap();
    let page = out.page.unwrap();
    assert_eq!(page.dst_rel, "writing-style/a.md");
    assert_eq!(page.old_url, None);
    assert!(
        out.findings
            .iter()
            .any(|f| format!("{f:?}").contains("no `output: true`"))
    );
}

#[test]
fn a_broken_config_is_shown_at_its_line_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("_config.yml"), "title: x\nurl: \"a\n").unwrap();
    let into = dir.path().join("dst");
    let err = crate::import::import(&crate::import::ImportOptions {
        source: crate::import::Source::Jekyll,
        from: src,
        into: into.clone(),
        progress: None,
    })
    .err()
    .unwrap();
    assert!(err.to_string().contains("_config.yml:2:"), "{err}");
    assert!(!into.exists());
}

#[test]
fn a_redirect_to_another_site_is_a_page_that_links_there() {
    let r = rules(json!({"url": "https://example.org"}));
    let text = "---\nlayout: redirect\nredirect_to: https://other.org/docs/\n---\n";
    let (p, findings) = page("docs/old.md", text, &Role::Page, &r);
    assert_eq!(p.redirect_to, None);
    assert!(p.body.contains("<https://other.org/docs/>"), "{}", p.body);
    assert!(!p.front.contains_key("layout"));
    assert!(
        findings
            .iter()
            .any(|f| format!("{f:?}").contains("another site"))
    );
    let text = "---\nredirect_to: /new/\n---\n";
    let (p, _) = page("docs/old2.md", text, &Role::Page, &r);
    assert_eq!(p.redirect_to.as_deref(), Some("/new/"));
}

#[test]
fn keys_from_defaults_are_reported_at_the_settings_line() {
    let mut r = rules(json!({"defaults": [{"scope": {"path": ""}, "values": {"layout": "page"}}]}));
    r.defaults_at = Some(("_config.yml".into(), 7));
    let (p, _) = page("a.md", "---\ntitle: A\n---\n", &Role::Page, &r);
    let mut findings = Vec::new();
    let out = crate::import::front::map(&p, &SiteInfo::default(), &mut findings);
    assert_eq!(out.extra["layout"], "page");
    let f = format!("{findings:?}");
    assert!(
        f.contains("\"_config.yml\"") && f.contains("line: 7"),
        "{f}"
    );
}
