use super::*;

#[test]
fn code_spans_and_blocks_outlast_backticks_inside() {
    assert_eq!(code_span("{{ x }}"), "`{{ x }}`");
    assert_eq!(code_span("a `b` c"), "``a `b` c``");
    assert_eq!(code_span("`x"), "`` `x ``");
    assert_eq!(code_block("a\n", "yaml"), "\n```yaml\na\n```\n");
    assert_eq!(code_block("```\n", ""), "\n````\n```\n````\n");
}

#[test]
fn body_knows_its_code_and_lines() {
    let text = "a {{x}}\n`{{y}}`\n\n```\n{{z}}\n```\n";
    let b = Body::new(text, 10);
    assert_eq!(b.line(0), 10);
    assert_eq!(b.line(9), 11);
    assert!(b.code_end(text.find("{{y").unwrap()).is_some());
    assert!(b.code_end(text.find("{{z").unwrap()).is_some());
    assert!(b.code_end(2).is_none());
    assert!(b.has_template_outside_code(0..7));
    assert!(!b.has_template_outside_code(8..text.len()));
}

#[test]
fn callouts_quote_every_line_and_blank_runs_are_tidied() {
    assert_eq!(
        callout("NOTE", Some("Heads up"), "\nOne\n\nTwo\n"),
        "\n> [!NOTE]\n> **Heads up**\n>\n> One\n>\n> Two\n\n"
    );
    assert_eq!(callout_kind("Danger"), Some("CAUTION"));
    assert_eq!(callout_kind("columns"), None);
    assert_eq!(tidy("a\n\n\n\nb\n```\n\n\n```\n"), "a\n\nb\n```\n\n\n```\n");
}

#[test]
fn destinations_and_arguments_are_quoted_when_needed() {
    assert_eq!(destination("a b.md"), "<a b.md>");
    assert_eq!(destination("a.md#x"), "a.md#x");
    assert_eq!(quoted("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
}

#[test]
fn html_pages_stay_one_block_with_pre_kept() {
    let html = "<div>\n\n    <p>Hi</p>\n</div>\n<pre>\n  a\n\n  b\n</pre>\n";
    assert_eq!(
        one_html_block(html),
        "<div>\n<p>Hi</p>\n</div>\n<pre>\n  a\n\n  b\n</pre>\n"
    );
}
