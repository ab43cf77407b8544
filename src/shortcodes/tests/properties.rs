//! Properties over many texts: expansion never panics, errors are
//! located, and no placeholder is left on a page that builds.

use super::*;

proptest::proptest! {
    /// Whatever the text, expansion never panics, every error has a place,
    /// and every map lookup lands inside its file.
    #[test]
    fn any_text_expands_without_panics(body in "[{}%()\"\\\\=, a-z_>\\-`é\n#*]{0,120}") {
        let lib = library();
        let e = expand_body(&lib, &body);
        let text = format!("{FRONT}{body}");
        for d in &e.diagnostics {
            proptest::prop_assert!(d.line.is_some(), "{d}");
        }
        for at in 0..=e.text.len() {
            let d = e.diagnostic(&lib, Path::new("content/p.md"), &text, at, String::new());
            proptest::prop_assert!(d.line.is_some());
        }
    }
}

/// Pieces of shortcodes, to make texts full of nearly valid tags.
const PIECES: [&str; 22] = [
    "{{ ",
    " }}",
    "{% ",
    " %}",
    "fact(",
    "include(",
    "note(",
    "figure(",
    "urgent(",
    "name=\"fever_temperature\"",
    "file=\"call.md\"",
    "file=\"nested.md\"",
    "kind=\"x\"",
    ")",
    "{% end %}",
    "\n",
    "\n\n",
    "> ",
    "- ",
    "`",
    "text ",
    "\"",
];

proptest::proptest! {
    #[test]
    fn nearly_valid_tags_expand_without_panics(
        picks in proptest::collection::vec(0..PIECES.len(), 0..40)
    ) {
        let body: String = picks.iter().map(|&i| PIECES[i]).collect();
        let e = expand_body(&library(), &body);
        for d in &e.diagnostics {
            proptest::prop_assert!(d.line.is_some(), "{d}");
        }
        proptest::prop_assert!(e.html.len() <= body.len());
    }
}

const HTML_PIECES: [&str; 16] = [
    "{{ badge(label=\"b\") }}",
    "{{ urgent() }}",
    "{{ figure(src=\"a.png\", alt=\"A\", caption=\"c\") }}",
    "{% note(kind=\"k\") %}",
    "{% end %}",
    "{{ include(file=\"call.md\") }}",
    "\n",
    "\n\n",
    "> ",
    "- ",
    "1. ",
    "    ",
    "`",
    "text ",
    "[",
    "](x.md)",
];

proptest::proptest! {
    /// No placeholder is ever left on a page that builds.
    #[test]
    fn placeholders_never_reach_readers(
        picks in proptest::collection::vec(0..HTML_PIECES.len(), 0..30)
    ) {
        let body: String = picks.iter().map(|&i| HTML_PIECES[i]).collect();
        let r = rendered::render_page(&body);
        // A page with errors is not published.
        if r.diagnostics.is_empty() {
            proptest::prop_assert!(!r.html.contains("marrow-sc-"), "{body:?}\n{}", r.html);
        }
    }
}
