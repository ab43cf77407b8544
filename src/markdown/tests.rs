use std::path::Path;

use super::*;
use crate::i18n::Strings;
use crate::model::{test_site, test_site_with_glossary};

const HOME: (&str, &str) = ("_index.md", "---\ntitle: Home\n---\n");

fn render_one(body: &str) -> Rendered {
    let text = format!("---\ntitle: Page\n---\n{body}");
    let site = test_site(&[
        HOME,
        ("page.md", &text),
        ("other.md", "---\ntitle: O\n---\n## Donors\n"),
    ]);
    let id = site.page_from_source("page.md").unwrap();
    render(&site, id, &Highlighter::default(), &Strings::english())
}

#[test]
fn headings_get_unique_ids_self_links_and_toc() {
    let r =
        render_one("## Intro\n\n### Detail\n\n## Intro\n\n## 移植前的检查\n\n## Custom {#my-id}\n");
    assert!(
        r.html
            .contains(r##"<h2 id="intro"><a class="heading-link" href="#intro">Intro</a></h2>"##),
        "{}",
        r.html
    );
    assert!(r.html.contains(r#"id="intro-1""#));
    assert!(r.html.contains(r#"id="移植前的检查""#));
    assert!(r.html.contains(r#"id="my-id""#));
    let toc: Vec<_> = r.toc.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(toc, ["intro", "intro-1", "移植前的检查", "my-id"]);
    assert_eq!(r.toc[0].children[0].id, "detail");
    assert!(r.diagnostics.is_empty() && r.link_problems.is_empty());
}

#[test]
fn links_are_rewritten_and_checked() {
    let r = render_one(
        "See [o](other.md#donors), [x](other.md#nope) and [m](missing.md).\n\n[self](#gone)\n",
    );
    assert!(
        r.html.contains(r#"href="../other/index.html#donors""#),
        "{}",
        r.html
    );
    let msgs: Vec<_> = r
        .link_problems
        .iter()
        .map(|d| (d.line, d.message.clone()))
        .collect();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert_eq!(msgs[0].0, Some(4));
    assert!(msgs[0].1.contains("missing page"));
    assert_eq!(msgs[1].0, Some(6));
    assert!(msgs[1].1.contains("#gone"));
    // Cross-page anchors are checked later, against the target's ids.
    assert_eq!(r.anchor_refs.len(), 2);
    let ids: HashSet<String> = ["donors".to_string()].into();
    let missing = missing_anchors(&r.anchor_refs, |_| Some(&ids));
    assert_eq!(missing.len(), 1);
    assert!(missing[0].message.contains("`nope`"));
    assert_eq!(missing[0].location(), "content/page.md:4:27");
}

#[test]
fn a_missing_image_is_called_an_image_with_a_case_only_hint() {
    let site = test_site(&[
        HOME,
        (
            "page.md",
            "---\ntitle: Page\n---\n![Chart](blood-counts.SVG) ![x](blod-counts.svg) [pdf](leaflet.pdf)\n",
        ),
        ("blood-counts.svg", "<svg/>"),
        ("Leaflet.PDF", "%PDF"),
    ]);
    let id = site.page_from_source("page.md").unwrap();
    let r = render(&site, id, &Highlighter::default(), &Strings::english());
    let got: Vec<(String, String)> = r
        .link_problems
        .iter()
        .map(|d| (d.message.clone(), d.help.clone().unwrap_or_default()))
        .collect();
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(
        got[0]
            .0
            .starts_with("image `blood-counts.SVG` points to nothing"),
        "{got:?}"
    );
    assert!(
        got[0]
            .1
            .contains("`content/blood-counts.svg`? Only the letter case differs"),
        "{got:?}"
    );
    assert!(got[1].0.starts_with("image `blod-counts.svg`"), "{got:?}");
    assert_eq!(got[1].1, "did you mean `content/blood-counts.svg`?");
    assert!(got[2].0.starts_with("link `leaflet.pdf`"), "{got:?}");
    assert!(
        got[2]
            .1
            .contains("`content/Leaflet.PDF`? Only the letter case differs"),
        "{got:?}"
    );
}

#[test]
fn links_inside_headings_and_code_are_handled() {
    let r = render_one(
        "## See [o](other.md)\n\n```md\n[not a link](missing.md)\n```\n\n`[x](missing.md)`\n",
    );
    assert!(
        r.diagnostics.is_empty() && r.link_problems.is_empty(),
        "{:?}",
        r.diagnostics
    );
    assert!(r.html.contains("heading-anchor"), "{}", r.html);
}

#[test]
fn callouts_are_accessible_notes() {
    for (kind, label) in [
        ("NOTE", "Note"),
        ("TIP", "Tip"),
        ("IMPORTANT", "Important"),
        ("WARNING", "Warning"),
        ("CAUTION", "Caution"),
    ] {
        let r = render_one(&format!("> [!{kind}]\n> Body text.\n"));
        let class = kind.to_lowercase();
        assert!(
            r.html.contains(&format!(
                "<div class=\"callout callout-{class}\" role=\"note\">"
            )),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains(&format!("<p class=\"callout-title\">{label}</p>"))
        );
    }
    let r = render_one("> plain quote\n");
    assert!(r.html.contains("<blockquote>"));
}

#[test]
fn gfm_extensions_render() {
    let r = render_one(
        "~~old~~ \"quoted\"\n\n- [x] done\n\n| a |\n|---|\n| 1 |\n\nNote[^1].\n\n[^1]: Source.\n",
    );
    assert!(r.html.contains("<del>old</del>"));
    assert!(r.html.contains("“quoted”"));
    assert!(r.html.contains("type=\"checkbox\""));
    assert!(r.html.contains("<div class=\"table-scroll\""));
    assert!(
        r.html
            .contains(r##"<sup class="footnote-reference" id="fnref-1"><a href="#fn-1">"##),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains(r#"<div class="footnote-definition" id="fn-1">"#)
    );
    assert!(r.html.contains(r##"href="#fnref-1""##), "back link");
    assert!(r.ids.contains("fn-1"), "footnote ids are link targets");
    assert!(r.html.contains(r#"aria-label="Done""#), "labelled checkbox");
}

#[test]
fn code_is_highlighted_and_not_counted() {
    let r = render_one("one two three\n\n```yaml\na: b c d e f\n```\n");
    assert_eq!(r.word_count, 3);
    assert!(r.html.contains("hl-"), "{}", r.html);
}

#[test]
fn duplicate_custom_ids_are_errors() {
    let r = render_one("## A {#x}\n\n## B {#x}\n");
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(r.diagnostics[0].line, Some(6));
}

#[test]
fn a_missing_anchor_gets_help_that_fits_the_page() {
    let helps = |body: &str| -> Vec<String> {
        render_one(body)
            .link_problems
            .iter()
            .map(|d| d.help.clone().unwrap_or_default())
            .collect()
    };
    assert_eq!(
        helps("## Donors\n\n[a](#donor) [b](#qqqqqqqq)\n"),
        [
            "did you mean `#donors`?",
            "heading ids are the heading text in lower case with hyphens, or set one with `## Heading {#my-id}`"
        ]
    );
    assert_eq!(
        helps("No headings.\n\n[c](#top)\n"),
        ["this page has no headings to link to"]
    );
}

#[test]
fn raw_html_ids_are_targets() {
    let r = render_one("<a id=\"spot\"></a>\n\n[go](#spot)\n");
    assert!(r.link_problems.is_empty(), "{:?}", r.link_problems);
    let r = render_one("<p class=x id='q'>Q</p>\n\n[go](#q)\n");
    assert!(r.link_problems.is_empty(), "{:?}", r.link_problems);
    // data-id is not an id.
    let r = render_one("<span data-id=\"spot\">S</span>\n\n[go](#spot)\n");
    assert_eq!(r.link_problems.len(), 1, "{:?}", r.link_problems);
    // An old-style anchor, <a name>, is a target too; a name elsewhere is
    // not.
    let r = render_one("<A class=x NAME=\"top\"></A>\n\n[go](#top)\n");
    assert!(r.link_problems.is_empty(), "{:?}", r.link_problems);
    let r = render_one("<input name=\"top\">\n\n[go](#top)\n");
    assert_eq!(r.link_problems.len(), 1, "{:?}", r.link_problems);
}

#[test]
fn a_heading_holding_an_html_anchor_gets_no_self_link_around_it() {
    let r = render_one("## <a name=\"top\"></a>Top\n\n## <abbr>GvHD</abbr> care\n");
    assert!(
        r.html
            .contains("<h2 id=\"top\"><a name=\"top\"></a>Top <a class=\"heading-anchor\""),
        "{}",
        r.html
    );
    assert!(
        !r.html.contains("<a class=\"heading-link\" href=\"#top\">"),
        "{}",
        r.html
    );
    // Other inline HTML keeps the self-link.
    assert!(r.html.contains("class=\"heading-link\""), "{}", r.html);
    assert!(r.link_problems.is_empty(), "{:?}", r.link_problems);
}

#[test]
fn email_autolinks_are_addresses_not_pages() {
    let r = render_one("Write to <help@example.nhs.uk> or [us](mailto:a@b.org).\n");
    assert!(r.link_problems.is_empty(), "{:?}", r.link_problems);
    assert!(
        r.html
            .contains(r#"<a href="mailto:help@example.nhs.uk">help@example.nhs.uk</a>"#),
        "{}",
        r.html
    );
}

#[test]
fn footnotes_never_collide_with_headings_and_are_numbered_by_use() {
    let r = render_one(
        "## Platelets {#platelets}\n\nB[^b] A[^platelets] B again[^b]\n\n[^platelets]: P.\n[^b]: B.\n",
    );
    assert!(r.html.contains(r#"id="platelets""#));
    assert!(r.html.contains(r#"id="fn-platelets""#));
    assert!(
        r.html.contains(r#"id="fnref-b-2""#),
        "second use of a note gets its own id"
    );
    // [^b] is used first, so it is footnote 1.
    assert!(
        r.html.contains(
            r#"<div class="footnote-definition" id="fn-b">
<sup class="footnote-definition-label">1</sup>"#
        ),
        "{}",
        r.html
    );
}

const GLOSSARY: &str = "- term: neutrophil\n  definition: A white blood cell that fights infection.\n- term: absolute neutrophil count\n  aliases: [ANC]\n  definition: How many neutrophils are in the blood.\n";

fn render_with_glossary(body: &str) -> Rendered {
    let text = format!("---\ntitle: Page\n---\n{body}");
    let site = test_site_with_glossary(&[HOME, ("a/page.md", &text)], Some(GLOSSARY));
    let id = site.page_from_source("a/page.md").unwrap();
    render(&site, id, &Highlighter::default(), &Strings::english())
}

#[test]
fn glossary_terms_are_marked_once_and_never_in_headings_links_or_code() {
    let r = render_with_glossary(
        "## Neutrophils\n\n`neutrophil` and [neutrophil](#x) are skipped.\n\nYour neutrophils rise. More neutrophils.\n\n```\nneutrophil\n```\n\nThe ANC, or absolute\nneutrophil count, is measured.\n",
    );
    let marks = r.html.matches("class=\"gloss\"").count();
    assert_eq!(marks, 2, "one per term: {}", r.html);
    assert!(
        r.html.contains(r##"<a class="gloss" href="../../glossary/index.html#term-neutrophil" aria-describedby="gloss-def-term-neutrophil">neutrophils</a>"##),
        "{}",
        r.html
    );
    assert!(r.html.contains(r#"<span class="gloss-def" id="gloss-def-term-neutrophil" role="tooltip" hidden>A white blood cell that fights infection.</span>"#));
    // The alias is the term's first occurrence; the full name later is not marked again.
    assert!(r.html.contains(">ANC</a>"), "{}", r.html);
    assert!(r.html.contains("<h2 id=\"neutrophils\"><a class=\"heading-link\" href=\"#neutrophils\">Neutrophils</a></h2>"));
    assert_eq!(r.glossary_terms.len(), 2);
}

#[test]
fn a_term_split_over_two_source_lines_is_found() {
    let r = render_with_glossary("Your absolute\nneutrophil count is low.\n");
    assert!(
        r.html.contains(">absolute\nneutrophil count</a>"),
        "{}",
        r.html
    );
}

#[test]
fn readability_reads_prose_only() {
    let text = "---\ntitle: Page\n---\nThe cells grow. They make blood.\n\n```\nlots of code words here that are not prose at all\n```\n\n| a | b |\n|---|---|\n| table | words |\n\nSee <https://www.example.org/a/very/long/url>.\n";
    let site = test_site(&[HOME, ("page.md", text)]);
    let r = readability(
        &site,
        site.page_from_source("page.md").unwrap(),
        &Default::default(),
    );
    // "The cells grow." "They make blood." "See ." → 7 words.
    assert_eq!(r.words, 7, "{r:?}");
    assert_eq!(r.sentences, 3, "{r:?}");
}

#[test]
fn unclosed_comment_and_script_are_located_errors() {
    let site = crate::model::test_site(&[
        ("_index.md", "---\ntitle: Home\n---\n"),
        (
            "a.md",
            "---\ntitle: A\n---\nText.\n\n<!-- never closed\n\n## Hidden\n",
        ),
        ("b.md", "---\ntitle: B\n---\n<SCRIPT src=x>\nlet a;\n"),
        (
            "c.md",
            "---\ntitle: C\n---\n<!-- fine -->\n\n<script>\nok();\n</script>\n\n<pre>\nx\n</pre>\n",
        ),
    ]);
    let h = Highlighter::default();
    let errors = |rel: &str| {
        let id = site.page_from_source(rel).unwrap();
        render(&site, id, &h, &Strings::english()).diagnostics
    };
    let a = errors("a.md");
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0].location(), "content/a.md:6:1");
    assert!(a[0].message.contains("`<!--` is never closed"));
    let b = errors("b.md");
    assert_eq!(b.len(), 1, "{b:?}");
    assert!(
        b[0].message.contains("`<script>` is never closed"),
        "{}",
        b[0].message
    );
    assert!(errors("c.md").is_empty());
}

#[test]
fn table_alignment_is_classes_not_style_attributes() {
    let r = render_one("| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n");
    assert!(!r.html.contains("style="), "{}", r.html);
    for expected in [
        "<th scope=\"col\" class=\"align-left\">",
        "<th scope=\"col\" class=\"align-center\">",
        "<td class=\"align-right\">",
        "<td><span class=\"cell-label\"",
    ] {
        assert!(r.html.contains(expected), "{expected} in {}", r.html);
    }
}

#[test]
fn table_cells_carry_their_column_header_as_a_hidden_label() {
    let r = render_one(
        "| Day | What **happens** `x` |\n|---|---|\n| −7 | [Start](https://example.org/) |\n| 0 | Transplant |\n",
    );
    let html = &r.html;
    assert!(
        html.contains("<div class=\"table-scroll\" tabindex=\"0\" role=\"group\" aria-label=\"Table\">\n<table class=\"table-cols-2 table-stack\">\n<thead><tr><th scope=\"col\">Day</th><th scope=\"col\">What <strong>happens</strong> <code>x</code></th></tr></thead>\n<tbody>\n"),
        "{html}"
    );
    // Text and code only; hidden, and never read by screen readers.
    assert!(
        html.contains("<tr><td><span class=\"cell-label\" aria-hidden=\"true\" hidden>Day</span>−7</td><td><span class=\"cell-label\" aria-hidden=\"true\" hidden>What happens <code>x</code></span><a href=\"https://example.org/\">Start</a></td></tr>\n"),
        "{html}"
    );
    assert!(html.ends_with("</tbody>\n</table>\n</div>\n"), "{html}");
    assert_eq!(html.matches("cell-label").count(), 4);
    // Labels are not words of the page.
    assert_eq!(r.word_count, 7, "{html}");
}

#[test]
fn tables_without_header_text_and_one_column_tables() {
    // An empty corner cell heads nothing: a plain cell, and no label.
    let r = render_one("| | Dose |\n|---|--:|\n| Ciclosporin | 100 |\n");
    assert!(
        r.html.contains(
            "<thead><tr><td></td><th scope=\"col\" class=\"align-right\">Dose</th></tr></thead>"
        ),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<td>Ciclosporin</td><td class=\"align-right\"><span class=\"cell-label\" aria-hidden=\"true\" hidden>Dose</span>100</td>"),
        "{}",
        r.html
    );
    // No header text at all: no header row.
    let r = render_one("| | |\n|---|---|\n| a | b |\n");
    assert!(!r.html.contains("<thead"), "{}", r.html);
    assert!(!r.html.contains("cell-label"), "{}", r.html);
    assert!(
        r.html
            .contains("<table class=\"table-cols-2 table-stack\">\n<tbody>\n<tr><td>a</td>"),
        "{}",
        r.html
    );
    // One column is a list already: it keeps its layout.
    let r = render_one("| Step |\n|---|\n| One |\n");
    assert!(
        r.html.contains("<table class=\"table-cols-1\">"),
        "{}",
        r.html
    );
    // A header row only.
    let r = render_one("| a | b |\n|---|---|\n");
    assert!(
        r.html.contains("</tr></thead>\n</table>\n</div>\n"),
        "{}",
        r.html
    );
}

#[test]
fn a_glossary_term_in_a_header_is_marked_once_and_labels_have_no_ids() {
    let r = render_with_glossary(
        "| Neutrophil count | When |\n|---|---|\n| 0.5 | Day 20 |\n| 1.0 | Day 30 |\n",
    );
    assert_eq!(
        r.html.matches("id=\"gloss-def-term-neutrophil\"").count(),
        1,
        "{}",
        r.html
    );
    assert_eq!(
        r.html.matches("hidden>Neutrophil count</span>").count(),
        2,
        "{}",
        r.html
    );
}

#[test]
fn links_whose_text_is_their_address_are_marked_for_print() {
    let r = render_one(
        "Source: <https://www.nhs.uk/a/> and [nhs.uk/a](https://www.nhs.uk/a) and [the NHS](https://www.nhs.uk/) and <mailto:a@example.org> and [x](other.md).\n",
    );
    assert_eq!(
        r.html.matches("class=\"bare-url\"").count(),
        2,
        "{}",
        r.html
    );
    assert!(
        r.html.contains(
            "<a class=\"bare-url\" href=\"https://www.nhs.uk/a/\">https://www.nhs.uk/a/</a>"
        ),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<a href=\"https://www.nhs.uk/\">the NHS</a>"),
        "{}",
        r.html
    );
    // In footnotes too, where sources usually are.
    let r = render_one("Text.[^1]\n\n[^1]: Source: <https://example.org/x?a=1&b=2>\n");
    assert!(
        r.html
            .contains("<a class=\"bare-url\" href=\"https://example.org/x?a=1&amp;b=2\">"),
        "{}",
        r.html
    );
}

#[test]
fn reader_facing_words_come_from_the_strings_table() {
    let table = "callout_warning: Attention & prudence\ntable_label: Tableau\nheading_anchor_label: Lien vers cette section\nfootnote_label: Note\nfootnote_back: Retour au texte de la note {n}\ntask_done: Fait\ntask_not_done: À faire\n";
    let strings = Strings::load(Some((Path::new("fr.yaml"), table)), &Default::default()).unwrap();
    let text = "---\ntitle: Page\n---\n## Voir [o](other.md)\n\n> [!WARNING]\n> Texte.\n\n- [x] a\n- [ ] b\n\n| a |\n|---|\n| 1 |\n\nTexte[^1].\n\n[^1]: Source.\n";
    let site = test_site(&[
        HOME,
        ("page.md", text),
        ("other.md", "---\ntitle: O\n---\n"),
    ]);
    let id = site.page_from_source("page.md").unwrap();
    let html = render(&site, id, &Highlighter::default(), &strings).html;
    for expected in [
        "<p class=\"callout-title\">Attention &amp; prudence</p>",
        "aria-label=\"Tableau\"",
        "<span class=\"visually-hidden\">Lien vers cette section</span>",
        "<span class=\"visually-hidden\">Note </span>1</a>",
        "<span class=\"visually-hidden\">Retour au texte de la note 1</span>",
        "checked aria-label=\"Fait\"",
        "disabled aria-label=\"À faire\"",
    ] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
    let english = render(&site, id, &Highlighter::default(), &Strings::english()).html;
    assert!(english.contains("<p class=\"callout-title\">Warning</p>"));
}
