use super::*;
use crate::import::{Index, SiteInfo};

/// The text pulldown-cmark sees outside code spans and blocks.
pub(crate) fn outside_code(text: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    Parser::new(text)
        .filter_map(|e| match e {
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => Some(t.to_string()),
            _ => None,
        })
        .collect()
}

fn pages() -> Vec<SourcePage> {
    [
        ("content/posts/a.md", "posts/a.md"),
        ("content/docs/b/index.md", "docs/b.md"),
    ]
    .iter()
    .map(|(s, d)| SourcePage {
        src_rel: s.to_string(),
        dst_rel: d.to_string(),
        ..SourcePage::default()
    })
    .collect()
}

/// The body rewritten as in page `content/posts/a.md`, and the report.
fn rewrite(body: &str) -> (String, Vec<Finding>) {
    let pages = pages();
    let index = Index::new(&pages, &[]);
    let info = SiteInfo {
        settings: serde_json::json!({"params": {"phone": "123"}}),
        ..SiteInfo::default()
    };
    let cx = Context {
        info: &info,
        index: &index,
        root: std::path::Path::new("."),
    };
    let page = SourcePage {
        body: body.to_string(),
        body_line: 5,
        ..pages[0].clone()
    };
    let out = Hugo::rewrite(&cx, &page);
    (out.text, out.findings)
}

#[test]
fn parses_tags_with_every_kind_of_argument() {
    let t = "{{< figure src=\"a b.png\" alt=`raw \"x\"` 3 >}}";
    let tag = parse_tag(t, 0, t.len()).unwrap();
    assert_eq!(tag.name, "figure");
    assert_eq!(tag.arg(&["src"]), Some("a b.png"));
    assert_eq!(tag.arg(&["alt"]), Some("raw \"x\""));
    assert_eq!(tag.positional(0), Some("3"));
    assert_eq!(tag.end, t.len());
    let t = "{{% /note %}}";
    assert!(parse_tag(t, 0, t.len()).unwrap().closing);
    let t = "{{< br />}}";
    assert!(parse_tag(t, 0, t.len()).unwrap().self_closing);
    let t = "{{</* note */>}}";
    assert_eq!(
        parse_tag(t, 0, t.len()).unwrap().literal.as_deref(),
        Some("{{< note >}}")
    );
    assert!(parse_tag("{{< \"unclosed >}}", 0, 17).is_none());
}

#[test]
fn finds_the_matching_close_across_nesting() {
    let t = "{{< x >}}a{{< x >}}b{{< /x >}}c{{< /x >}}";
    let (start, end) = find_close(t, 9, t.len(), "x").unwrap();
    assert_eq!(&t[start..end], "{{< /x >}}");
    assert_eq!(end, t.len());
}

#[test]
fn refs_become_relative_links_and_broken_ones_are_reported() {
    let (text, findings) = rewrite(
        "[b]({{< ref \"b\" >}}) [c]({{< relref \"/docs/b/index.md#top\" >}}) [d]({{< ref \"nope.md\" >}}) [s]({{< ref \"#here\" >}})",
    );
    assert_eq!(
        text,
        "[b](../docs/b.md) [c](../docs/b.md#top) [d](nope.md) [s](#here)"
    );
    assert_eq!(findings.len(), 1);
    assert_eq!((findings[0].kind, findings[0].line), (Kind::Broken, 5));
}

#[test]
fn images_become_markdown_images_or_figures() {
    let (text, _) = rewrite("{{< img src=\"/x.png\" alt=\"An X\" >}}");
    assert_eq!(text, "![An X](/x.png)");
    let (text, findings) = rewrite("{{< figure src=\"x.png\" caption=\"The *X*\" >}}");
    assert_eq!(
        text,
        "{{ figure(src=\"x.png\", alt=\"The X\", caption=\"The *X*\") }}"
    );
    assert!(
        findings
            .iter()
            .any(|f| f.did.contains("caption is used as alt"))
    );
}

#[test]
fn callouts_from_both_delimiters_and_kinds_from_arguments() {
    let (text, _) = rewrite("{{% note %}}\n**Bold** text\n{{% /note %}}\n");
    assert_eq!(text, "\n> [!NOTE]\n> **Bold** text\n\n");
    let (text, _) = rewrite("{{< notice warning >}}Careful{{< /notice >}}");
    assert!(text.contains("> [!WARNING]\n> Careful"), "{text}");
    let (text, _) = rewrite("{{< alert type=\"danger\" title=\"Stop\" >}}No{{< /alert >}}");
    assert!(text.contains("> [!CAUTION]\n> **Stop**\n>\n> No"), "{text}");
}

#[test]
fn videos_become_links_and_unknown_shortcodes_keep_their_content() {
    let (text, findings) = rewrite("{{< youtube abc >}} {{< vimeo id=\"9\" >}}");
    assert_eq!(
        text,
        "[Watch the video on YouTube](https://www.youtube.com/watch?v=abc) [Watch the video on Vimeo](https://vimeo.com/9)"
    );
    assert!(findings.iter().all(|f| f.kind == Kind::Embed));
    let (text, findings) = rewrite("{{< center >}}Hi{{< /center >}} {{< toc >}} {{< /stray >}}");
    assert_eq!(text, "Hi  ");
    assert_eq!(findings.len(), 3);
}

#[test]
fn code_is_left_alone_but_escaped_shortcodes_are_shown() {
    let (text, findings) = rewrite("`{{< ref x >}}`\n\n```\n{{</* note */>}}\n```\n{{</* b */>}}");
    assert_eq!(
        text,
        "`{{< ref x >}}`\n\n```\n{{< note >}}\n```\n`{{< b >}}`"
    );
    assert!(findings.is_empty());
}

#[test]
fn highlight_becomes_a_fenced_block_and_param_its_value() {
    let (text, _) = rewrite("{{< highlight go >}}\nx := {{ y }}\n{{< /highlight >}}");
    assert_eq!(text, "\n```go\nx := {{ y }}\n```\n");
    let (text, _) = rewrite("Call {{< param phone >}}.");
    assert_eq!(text, "Call 123.");
}

#[test]
fn other_template_syntax_is_kept_as_text_in_code() {
    let (text, findings) = rewrite("Title: {{ .Title }} and {% raw %}");
    assert_eq!(text, "Title: `{{ .Title }}` and `{% raw %}`");
    assert_eq!(findings.len(), 2);
}

#[test]
fn broken_syntax_at_any_point_never_panics_and_never_survives() {
    for body in [
        "{{< note",
        "{{<",
        "{{",
        "{%",
        "x {{< note >}} never closed",
        "{{< /note >}}",
        "é{{<é",
        "{{< a \"b >}}",
        "{{% x %}}{{% /y %}}",
        "{{</* x",
        "`{{<",
    ] {
        let (text, _) = rewrite(body);
        let outside = outside_code(&text);
        assert!(
            !outside.contains("{{<") && !outside.contains("{%"),
            "{body:?} → {text:?}"
        );
    }
}

#[test]
fn a_sites_own_image_shortcode_becomes_an_image_and_an_id_is_reported() {
    let (text, _) = rewrite(
        "[{{< legacy-img src=\"2013/12/medline\\_plus\\__app.jpg\" alt=\"Medline Plus Mobile\" >}}](https://x.example/a.jpg)",
    );
    assert_eq!(
        text.trim(),
        "[![Medline Plus Mobile](2013/12/medline_plus__app.jpg)](https://x.example/a.jpg)"
    );
    let (text, _) = rewrite("{{< photo-card src=\"/img/a.webp\" >}}");
    assert!(text.starts_with("![](/img/a.webp)"), "{text}");
    let (text, findings) = rewrite("{{< img src=\"analytics-usa-gov\" alt=\"DAP chart\" >}}");
    assert_eq!(text.trim(), "DAP chart");
    assert!(
        findings.iter().any(|f| f.did.contains("by an ID")),
        "{findings:?}"
    );
    // Not an image: a shortcode with a `src` that is neither.
    let (text, _) = rewrite("{{< audio src=\"talk.mp3\" >}}");
    assert_eq!(text.trim(), "");
}

#[test]
fn highlight_in_a_list_item_or_quote_stays_inside_it() {
    let (text, _) = rewrite("- Run:\n- {{< highlight sh >}}\n  make\n  {{< /highlight >}}\n- Done");
    assert_eq!(text, "- Run:\n- ```sh\n  make\n  ```\n- Done");
    let (text, _) = rewrite("> {{< highlight go >}}\n> x := 1\n> {{< /highlight >}}");
    assert_eq!(text, "> ```go\n> x := 1\n> ```");
    let (text, _) = rewrite("1. Type {{< highlight sh >}}ls\nls -l{{< /highlight >}} and see.");
    assert!(
        text.starts_with("1. Type \n   ```sh\n   ls\n   ls -l\n   ```\n    and see."),
        "{text:?}"
    );
    // No language, in a sentence: a site marking text; the text stays.
    let (text, findings) = rewrite("- A. {{< highlight >}}All agencies{{< /highlight >}} The DAP");
    assert_eq!(text, "- A. All agencies The DAP");
    assert_eq!(findings.len(), 1);
}

#[test]
fn a_sites_own_highlight_shortcode_is_unknown_and_keeps_its_text() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("layouts/shortcodes");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("highlight.html"), "<mark>{{ .Inner }}</mark>").unwrap();
    let pages = pages();
    let index = Index::new(&pages, &[]);
    let info = SiteInfo::default();
    let cx = Context {
        info: &info,
        index: &index,
        root: tmp.path(),
    };
    let page = SourcePage {
        body: "{{< highlight go >}}Marked text{{< /highlight >}}".into(),
        ..pages[0].clone()
    };
    let out = Hugo::rewrite(&cx, &page);
    assert_eq!(out.text, "Marked text");
    assert!(out.findings[0].did.contains("inner content is kept"));
}

#[test]
fn the_sites_address_in_a_template_tag_becomes_a_root_relative_link() {
    let (text, findings) = rewrite(
        "[POC]({{ site.baseurl }}/resources/poc/ \"t\") and [b]({{ .Site.BaseURL }}docs/b/) and {{ \"img/x.png\" | relURL }} and {{ absURL \"/y/\" }}",
    );
    assert_eq!(
        text,
        "[POC](/resources/poc/ \"t\") and [b](/docs/b/) and /img/x.png and /y/"
    );
    assert_eq!(findings.len(), 4, "{findings:?}");
    assert_eq!(placed::site_address(" .Title "), None);
    assert_eq!(placed::site_address("\"x\" | markdownify"), None);
}
