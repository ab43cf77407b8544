use super::*;
use crate::import::{CopyFile, Index, SiteInfo};

fn pages() -> Vec<SourcePage> {
    [
        ("about.md", "about.md", "/about/"),
        (
            "_posts/2020-01-02-hello.md",
            "posts/hello.md",
            "/2020/01/02/hello/",
        ),
        ("docs/index.md", "docs/_index.md", "/docs/"),
        ("index.md", "_index.md", "/"),
    ]
    .iter()
    .map(|(s, d, u)| SourcePage {
        src_rel: s.to_string(),
        dst_rel: d.to_string(),
        old_url: Some(u.to_string()),
        ..SourcePage::default()
    })
    .collect()
}

/// The body rewritten as in `docs/index.md`, and the report.
fn rewrite(body: &str) -> (String, Vec<Finding>) {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("_includes")).unwrap();
    std::fs::write(tmp.path().join("_includes/note.html"), "<p>Hi</p>").unwrap();
    let pages = pages();
    let files = [CopyFile {
        from: "x".into(),
        to: "static/assets/a.png".into(),
    }];
    let index = Index::new(&pages, &files);
    let info = SiteInfo {
        settings: serde_json::json!({"baseurl": "/blog", "title": "Site &amp; co"}),
        ..SiteInfo::default()
    };
    let cx = Context {
        info: &info,
        index: &index,
        root: tmp.path(),
    };
    let mut front = serde_json::Map::new();
    front.insert("author".into(), "Sam".into());
    let page = SourcePage {
        body: body.to_string(),
        body_line: 3,
        front,
        ..pages[2].clone()
    };
    let out = Liquid::rewrite(&cx, &page);
    (out.text, out.findings)
}

#[test]
fn url_filters_and_baseurl_become_relative_links() {
    let (text, findings) = rewrite(
        "[a]({{ '/about/' | relative_url }}) [b]({{ \"/blog/2020/01/02/hello/\" | absolute_url }}) [c]({{ site.baseurl }}/about/#x) ![i]({{ site.baseurl }}/assets/a.png) [h]({{ site.baseurl }})",
    );
    assert_eq!(
        text,
        "[a](../about.md) [b](../posts/hello.md) [c](../about.md#x) ![i](/assets/a.png) [h](../_index.md)"
    );
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn link_and_post_url_tags_resolve_and_broken_ones_are_reported() {
    let (text, findings) =
        rewrite("{% link about.md %} {% post_url 2020-01-02-hello %} {% link nope.md %}");
    assert_eq!(text, "../about.md ../posts/hello.md /nope.md");
    assert_eq!(findings.len(), 1);
    assert_eq!((findings[0].kind, findings[0].line), (Kind::Broken, 3));
}

#[test]
fn includes_become_snippets_and_missing_ones_are_reported() {
    let (text, findings) = rewrite(
        "{% include note.html %}\n{% include note.html text=\"x\" %}\n{% include gone.html %}",
    );
    assert_eq!(
        text,
        "{{ include(file=\"note.md\") }}\n{{ include(file=\"note.md\") }}\n"
    );
    assert_eq!(findings.len(), 2, "{findings:?}");
    assert_eq!(snippet_name("_includes/a/b.html", false), "a-b.md");
}

#[test]
fn raw_is_kept_literally_in_code_when_it_is_template_syntax() {
    let (text, _) = rewrite("{% raw %}{{ x }}{% endraw %} and {% raw %}plain{% endraw %}");
    assert_eq!(text, "`{{ x }}` and plain");
    let (text, _) = rewrite("```\n{% raw %}{{ page.title }}{% endraw %}\n```\n");
    assert_eq!(text, "```\n{{ page.title }}\n```\n");
    let (text, _) = rewrite("{% raw %}\n{% if a %}\n{% endraw %}\n");
    assert_eq!(text, "\n```\n{% if a %}\n```\n\n");
}

#[test]
fn values_are_filled_in_and_logic_is_removed_with_a_note() {
    let (text, findings) = rewrite(
        "By {{ page.author }} at {{ site.title }}.{% if x %} Yes{% endif %}{{ page.nope }}{% seo %}",
    );
    assert_eq!(text, "By Sam at Site & co. Yes");
    assert_eq!(findings.len(), 5, "{findings:?}");
    let (text, _) = rewrite(
        "{% comment %}secret{% endcomment %}{% highlight ruby %}\nx = {{ y }}\n{% endhighlight %}",
    );
    assert_eq!(text, "\n```ruby\nx = {{ y }}\n```\n");
}

#[test]
fn text_of_any_script_around_liquid_is_kept() {
    let (text, findings) =
        rewrite("é {{ 'ü' }} — {% raw %}ß{% endraw %} {{ \"日本\" | upcase }} {{ ö");
    assert_eq!(text, "é ü — ß 日本 `{{ ö`");
    assert_eq!(findings.len(), 2, "{findings:?}");
}

#[test]
fn broken_liquid_at_any_point_never_panics_and_never_survives() {
    for body in [
        "{{",
        "{%",
        "{{ x",
        "{% raw %}never ended",
        "{% if",
        "é{{é",
        "{{ 'a }}",
        "{%- endraw -%}",
        "{% include %}",
        "{% link %}",
        "{% post_url %}",
        "{{ site.baseurl",
    ] {
        let (text, _) = rewrite(body);
        let outside = crate::import::rewrite::shortcodes::tests::outside_code(&text);
        assert!(
            !outside.contains("{%") && !outside.contains("{{"),
            "{body:?} → {text:?}"
        );
    }
}

#[test]
fn an_include_given_values_is_written_in_place() {
    let params = include_params("text=\"Hi there\" kind='tip' who=page.author n=x", &{
        let mut m = serde_json::Map::new();
        m.insert("author".into(), "Sam".into());
        m
    });
    assert_eq!(
        params,
        [
            ("text".to_string(), "Hi there".to_string()),
            ("kind".into(), "tip".into()),
            ("who".into(), "Sam".into())
        ]
    );
    assert_eq!(
        fill_include("<p>{{ include.text }}</p>{{ include.none }}", &params),
        "<p>Hi there</p>{{ include.none }}"
    );
}

#[test]
fn an_old_address_of_a_page_links_to_it() {
    let mut pages = pages();
    pages[0]
        .front
        .insert("redirect_from".into(), serde_json::json!(["/about-us/"]));
    let index = Index::new(&pages, &[]);
    let info = SiteInfo::default();
    let cx = Context {
        info: &info,
        index: &index,
        root: std::path::Path::new("."),
    };
    let page = SourcePage {
        body: "[a]({{ '/about-us/' | relative_url }})".into(),
        ..pages[2].clone()
    };
    let out = Liquid::rewrite(&cx, &page);
    assert_eq!(out.text, "[a](../about.md)");
    assert!(out.findings.is_empty());
}

#[test]
fn an_unknown_mailto_address_is_reported_as_an_empty_link() {
    let (text, findings) = rewrite("[contact us](mailto:{{ site.email }})");
    assert_eq!(text, "[contact us](mailto:)");
    assert!(
        findings
            .iter()
            .any(|f| format!("{f:?}").contains("`mailto:` link is left empty")),
        "{findings:?}"
    );
}
