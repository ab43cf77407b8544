//! Through the Markdown renderer: what the page's rules see.

use super::*;
use crate::i18n::Strings;
use crate::markdown::{Highlighter, Rendered, render};
use crate::model::test_site;

pub(super) fn render_page(body: &str) -> Rendered {
    let text = format!("{FRONT}{body}");
    let mut site = test_site(&[("_index.md", "---\ntitle: Home\n---\n"), ("p.md", &text)]);
    site.shortcodes = library();
    let id = site.page_from_source("p.md").unwrap();
    render(&site, id, &Highlighter::default(), &Strings::english())
}

/// Errors and link problems, in order.
fn located(r: &Rendered) -> Vec<String> {
    r.diagnostics
        .iter()
        .chain(&r.link_problems)
        .map(|d| format!("{}: {}", d.location(), d.message))
        .collect()
}

#[test]
fn errors_after_a_shortcode_keep_their_place() {
    let r = render_page("{{ fact(name=\"sibling_match\") }} and [x](gone.md).\n\n[y](gone2.md)\n");
    assert_eq!(
        located(&r),
        [
            "content/p.md:4:38: link `gone.md` points to a missing page `content/gone.md`",
            "content/p.md:6:1: link `gone2.md` points to a missing page `content/gone2.md`",
        ]
    );
}

#[test]
fn errors_in_a_snippet_point_into_the_snippet() {
    let r = render_page("Intro.\n\n{{ include(file=\"broken-link.md\") }}\n");
    assert_eq!(located(&r).len(), 1, "{:?}", located(&r));
    assert!(
        located(&r)[0].starts_with("content/_snippets/broken-link.md:1:5: link `nowhere.md`")
            && located(&r)[0].ends_with("(in a snippet included by content/p.md)"),
        "{:?}",
        located(&r)
    );
}

#[test]
fn snippets_get_heading_ids_and_html_is_swapped_in() {
    let mut lib = library();
    lib.snippets.insert(
        "h.md".into(),
        Snippet {
            display: "content/_snippets/h.md".into(),
            text: "## When to call\n\nAt once.\n".into(),
        },
    );
    let text = format!(
        "{FRONT}{{{{ include(file=\"h.md\") }}}}\n\n{{{{ urgent() }}}}\n\nA {{{{ badge(label=\"b\") }}}}.\n"
    );
    let mut site = test_site(&[("_index.md", "---\ntitle: Home\n---\n"), ("p.md", &text)]);
    site.shortcodes = lib;
    let id = site.page_from_source("p.md").unwrap();
    let r = render(&site, id, &Highlighter::default(), &Strings::english());
    assert_eq!(located(&r), Vec::<String>::new());
    assert!(r.html.contains("<h2 id=\"when-to-call\">"), "{}", r.html);
    assert!(r.ids.contains("when-to-call"));
    assert!(
        r.html
            .contains("<div class=\"callout callout-caution urgent\" role=\"note\">"),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<a href=\"tel:0800123456\">0800 123 456</a>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("A <b>b</b>."), "{}", r.html);
    assert!(!r.html.contains("marrow-sc"), "{}", r.html);
}

#[test]
fn a_block_does_not_turn_the_next_line_into_code() {
    for body in [
        "{{ badge(label=\"b\") }}\n    {{ badge(label=\"b\") }}\n",
        "> {{ badge(label=\"b\") }}\n    {{ badge(label=\"b\") }}`\n",
        "Text\n{{ urgent() }}\n    more text\n",
    ] {
        let r = render_page(body);
        assert_eq!(located(&r), Vec::<String>::new(), "{body:?}");
        assert!(!r.html.contains("<pre"), "{body:?}: {}", r.html);
        assert!(!r.html.contains("marrow-sc"), "{body:?}: {}", r.html);
    }
}
