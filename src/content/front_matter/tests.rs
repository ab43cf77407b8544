use super::*;

fn p(text: &str) -> Result<Document, Diagnostic> {
    parse(Path::new("content/a.md"), text)
}

#[test]
fn the_key_list_is_serde_s() {
    // serde lists every field when it meets an unknown one.
    let e = yaml::from_str::<FrontMatter>("not_a_field: 1").unwrap_err();
    let listed: Vec<String> = e
        .help
        .unwrap_or_default()
        .split('`')
        .skip(1)
        .step_by(2)
        .map(String::from)
        .collect();
    assert_eq!(listed, FrontMatter::KEYS, "{}", e.message);
}

#[test]
fn every_unknown_key_is_reported_and_the_known_ones_are_still_checked() {
    let text = "---\ntitle: A\nlayout: post\nsummary: >\n  Two lines\n  of text\ntittle: B\nweight: heavy\nauthors: [a, b]\n---\n[x](y.md)\n";
    let parsed = parse_all(Path::new("content/a.md"), text);
    let got: Vec<(Option<usize>, String)> = parsed
        .errors
        .iter()
        .map(|d| (d.line, d.message.clone()))
        .collect();
    assert_eq!(got.len(), 5, "{got:#?}");
    assert_eq!(got[0], (Some(3), "unknown field `layout`".into()));
    assert_eq!(got[1], (Some(4), "unknown field `summary`".into()));
    assert_eq!(
        got[2],
        (
            Some(7),
            "unknown field `tittle` — did you mean `title`?".into()
        )
    );
    assert_eq!(got[3], (Some(9), "unknown field `authors`".into()));
    assert_eq!(got[4].0, Some(8), "the type error after them: {got:?}");
    assert!(parsed.errors[0].help.as_deref().unwrap().contains("extra:"));
    // The page is kept, with a stand-in, for the link checks.
    let doc = parsed.doc.unwrap();
    assert!(doc.front_broken);
    assert_eq!(doc.front.title.as_deref(), Some("a"));
    assert_eq!(doc.body(), "[x](y.md)\n");
}

#[test]
fn a_page_without_a_title_keeps_what_parsed() {
    let parsed = parse_all(
        Path::new("content/b.md"),
        "---\nweight: 3\nslug: a/b\n---\n",
    );
    assert_eq!(parsed.errors.len(), 2, "{:?}", parsed.errors);
    let doc = parsed.doc.unwrap();
    assert_eq!(doc.front.weight, Some(3));
    assert_eq!(doc.front.slug, None);
    assert_eq!(doc.front.title.as_deref(), Some("b"));
}

#[test]
fn blank_lines_before_the_fence_and_empty_lists_are_accepted() {
    let d =
        p("\n  \n---\ntitle: A\ntags:\naliases:\ntaxonomies:\nreferences:\n---\nBody\n").unwrap();
    assert_eq!(d.front.title.as_deref(), Some("A"));
    assert!(d.front.tags.is_empty() && d.front.aliases.is_empty());
    assert_eq!(d.body(), "Body\n");
    // Errors still point at the right line.
    let e = p("\n\n---\ntitle: A\nweight: x\n---\n").unwrap_err();
    assert_eq!(e.line, Some(5), "{e:?}");
}

#[test]
fn parses_fields_and_body() {
    let d =
        p("---\ntitle: Conditioning\nweight: 3\ntags: [a, b]\nreviewed: 2026-03-03\n---\nBody\n")
            .unwrap();
    assert_eq!(d.front.title.as_deref(), Some("Conditioning"));
    assert_eq!(d.front.weight, Some(3));
    assert_eq!(d.front.tags, vec!["a", "b"]);
    assert_eq!(d.front.reviewed, NaiveDate::from_ymd_opt(2026, 3, 3));
    assert_eq!(d.body(), "Body\n");
}

#[test]
fn crlf_bom_and_empty_body() {
    let d = p("\u{feff}---\r\ntitle: A\r\n---\r\n").unwrap();
    assert_eq!(d.front.title.as_deref(), Some("A"));
    assert_eq!(d.body(), "");
    let d = p("---\rtitle: B\r---\rHi").unwrap();
    assert_eq!(d.front.title.as_deref(), Some("B"));
    assert_eq!(d.body(), "Hi");
}

#[test]
fn unknown_field_points_into_the_markdown_file() {
    let e = p("---\ntitle: A\nreviewd: 2026-01-01\n---\n").unwrap_err();
    assert_eq!(e.location(), "content/a.md:3:1");
    assert!(e.message.contains("did you mean `reviewed`"));
    assert_eq!(e.source_line.as_deref(), Some("reviewd: 2026-01-01"));
}

#[test]
fn wrong_types_are_located() {
    let e = p("---\ntitle: A\nweight: high\n---\n").unwrap_err();
    assert_eq!(e.line, Some(3));
    let e = p("---\ntitle: A\n\nreviewed: 31/02/2026\n---\n").unwrap_err();
    assert_eq!(e.line, Some(4));
    let e = p("---\ntitle: A\ntags: foo\n---\n").unwrap_err();
    assert_eq!(e.line, Some(3));
}

#[test]
fn missing_title_and_no_front_matter() {
    let e = p("Just text\n").unwrap_err();
    assert_eq!(e.message, "page has no `title`");
    let e = p("---\ndescription: x\n---\n").unwrap_err();
    assert_eq!(e.location(), "content/a.md:1:1");
    let e = p("").unwrap_err();
    assert_eq!(e.message, "page has no `title`");
}

#[test]
fn a_misspelt_title_is_one_error() {
    let e = parse_all(Path::new("content/a.md"), "---\nTitle: A\n---\n").errors;
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].message.contains("did you mean `title`"), "{e:?}");
}

#[test]
fn unterminated_fence() {
    // Pointed at the page's text, which the `---` must come before.
    let e = p("---\ntitle: A\nno end").unwrap_err();
    assert!(e.message.contains("on line 1 is never closed"));
    assert_eq!(e.line, Some(3));
    assert!(e.help.unwrap().contains("after line 2"));
    // Nothing after the fields: pointed at the last of them.
    let e = p("\n---\ntitle: A\ntags:\n  - a\n").unwrap_err();
    assert!(e.message.contains("on line 2 is never closed"));
    assert_eq!(e.line, Some(5));
}

#[test]
fn bad_slug_is_located() {
    let e = p("---\ntitle: A\nslug: a/b\n---\n").unwrap_err();
    assert_eq!(e.location(), "content/a.md:3:1");
    for bad in [
        "' padded'",
        "'.'",
        "'..'",
        "''",
        "a?b",
        "'a\\b'",
        "\"a\\tb\"",
    ] {
        let e = p(&format!("---\ntitle: A\nslug: {bad}\n---\n")).unwrap_err();
        assert!(
            e.message.contains("is not a single URL segment"),
            "{bad}: {e:?}"
        );
    }
    assert!(p("---\ntitle: A\nslug: my-page.v2\n---\n").is_ok());
    // The first key of the front matter, and after a BOM and blank lines.
    let e = p("---\nslug: a/b\ntitle: A\n---\n").unwrap_err();
    assert_eq!(e.location(), "content/a.md:2:1");
    let e = p("\u{feff}---\n\n\ntitle: A\nslug: ..\n---\n").unwrap_err();
    assert_eq!(e.location(), "content/a.md:5:1");
}

#[test]
fn keys_are_located_in_the_markdown_file() {
    let d = p("---\n# About\n\"title\": A\n\nextra:\n  name: Dr B\n  slug: inner\nslug:   x\n---\nBody slug: y\n")
        .unwrap();
    assert_eq!(d.key_position("title"), Some((3, 1)));
    assert_eq!(d.key_line("slug"), Some(8));
    assert_eq!(d.key_line("name"), None);
    assert_eq!(d.key_line("weight"), None);
    // CRLF line endings and a BOM.
    let d = p("\u{feff}---\r\ntitle: A\r\ndescription:\r\n---\r\n").unwrap();
    assert_eq!(d.key_position("description"), Some((3, 1)));
    // Without front matter, or made by marrow, nothing is anywhere.
    let g = Document::generated(FrontMatter::default());
    assert_eq!((g.key_line("title"), g.body()), (None, ""));
}

#[test]
fn list_items_are_located() {
    let d =
        p("---\ntitle: A\naliases:\n  - /old/\n  # gone\n  - \"/older/\"\ntags: [a,  b]\n---\n")
            .unwrap();
    assert_eq!(d.item_position("aliases", 0), Some((4, 5)));
    assert_eq!(d.item_position("aliases", 1), Some((6, 5)));
    assert_eq!(d.item_position("aliases", 2), None);
    assert_eq!(d.item_position("tags", 1), Some((7, 12)));
    assert_eq!(d.item_position("title", 0), None);
    // The front matter's own check uses the same positions: a quoted
    // key after a comment.
    let e = p("---\ntitle: A\n# slug: ok\n'slug': a/b\n---\n").unwrap_err();
    assert_eq!(e.location(), "content/a.md:4:1");
}

#[test]
fn reviewer_is_a_name_or_a_name_and_role() {
    let d = p("---\ntitle: A\nreviewer: Dr B, nurse\n---\n").unwrap();
    let r = d.front.reviewer.clone().unwrap();
    assert_eq!((r.name.as_str(), r.role), ("Dr B, nurse", None));
    let d = p("---\ntitle: A\nreviewer: { name: Dr C, role: Consultant haematologist }\nsources_checked: 2026-01-02\nchecked_by: Team\n---\n")
        .unwrap();
    let r = d.front.reviewer.clone().unwrap();
    assert_eq!(r.to_string(), "Dr C, Consultant haematologist");
    assert_eq!(d.front.sources_checked, NaiveDate::from_ymd_opt(2026, 1, 2));
    let e = p("---\ntitle: A\nreviewer:\n  name: Dr C\n  job: x\n---\n").unwrap_err();
    assert_eq!(e.line, Some(5), "{e:?}");
    let e = p("---\ntitle: A\nreviewer: [a]\n---\n").unwrap_err();
    assert_eq!(
        e.message,
        "reviewer: expected a name, or a name and role, found a list"
    );
    assert_eq!(e.column, Some(11));
}

#[test]
fn references_are_typed() {
    let d = p("---\ntitle: A\nreferences:\n  - title: NHS\n    url: https://nhs.uk\n    year: 2023\n---\n")
        .unwrap();
    assert_eq!(d.front.references[0].year, Some(2023));
    let e = p("---\ntitle: A\nreferences:\n  - title: NHS\n    link: https://nhs.uk\n---\n")
        .unwrap_err();
    assert_eq!(e.line, Some(5));
}
