use super::*;

fn at(line: usize, column: usize) -> Pos {
    Pos { line, column }
}

/// (name, line, column) of each top-level key.
fn keys(text: &str) -> Vec<(String, usize, usize)> {
    KeyPositions::of(text, 1)
        .root()
        .keys()
        .iter()
        .map(|k| (k.name.clone(), k.at.line, k.at.column))
        .collect()
}

fn names(text: &str) -> Vec<String> {
    keys(text).into_iter().map(|(n, _, _)| n).collect()
}

#[test]
fn top_level_keys_and_their_lines() {
    let text = "title: A\n\n# a comment\nslug: b\nweight:   3 # note\n";
    assert_eq!(
        keys(text),
        [
            ("title".into(), 1, 1),
            ("slug".into(), 4, 1),
            ("weight".into(), 5, 1)
        ]
    );
    let k = KeyPositions::of(text, 2);
    assert_eq!(k.key("slug").map(|k| k.at), Some(at(5, 1)));
    assert_eq!(k.key("weight").map(|k| k.value_at), Some(at(6, 11)));
    assert_eq!(k.key("title").map(|k| k.last_line), Some(4));
    assert_eq!(k.key("weight").map(|k| k.last_line), Some(6));
    assert!(k.key("draft").is_none());
}

#[test]
fn quoted_keys_crlf_and_empty_values() {
    let text = "\"title\": A\r\n'it''s': b\r\nslug:\r\n  \r\ndraft: true\r\n";
    assert_eq!(names(text), ["title", "it's", "slug", "draft"]);
    let k = KeyPositions::of(text, 1);
    assert_eq!(
        k.key("slug").map(|k| (k.at, k.value_at)),
        Some((at(3, 1), at(3, 6)))
    );
    assert_eq!(k.key("slug").map(|k| &k.value), Some(&Node::Scalar));
    assert_eq!(k.key("draft").map(|k| k.at), Some(at(5, 1)));
}

#[test]
fn nested_keys_are_not_top_level() {
    let text = "reviewer:\n  name: Dr C\n  slug: x\nslug: y\n";
    let k = KeyPositions::of(text, 1);
    assert_eq!(names(text), ["reviewer", "slug"]);
    assert_eq!(k.key("slug").map(|k| k.at), Some(at(4, 1)));
    let inner = k.key("reviewer").map(|k| k.value.keys().len());
    assert_eq!(inner, Some(2));
}

#[test]
fn values_that_look_like_keys_are_skipped() {
    // Block text, wrapped plain text, quoted text and flow collections
    // spanning lines, with `key:` inside each.
    let text = "\
intro: |
  slug: in block text
  more: text

notes: >-
  title: folded
plain: a long value
  wrapped: onto two lines
quoted: \"a quote
slug: inside\"
flow: [a,
slug: b]
map: {a: 1,
  slug: 2}
tagged: !!str &x |
  slug: tagged block
slug: real
";
    assert_eq!(
        names(text),
        [
            "intro", "notes", "plain", "quoted", "flow", "map", "tagged", "slug"
        ]
    );
    assert_eq!(
        KeyPositions::of(text, 1).key("slug").map(|k| k.at),
        Some(at(17, 1))
    );
}

#[test]
fn urls_colons_and_comments_in_values() {
    let text = "url: https://nhs.uk/a:b\ntitle: 'A: b' # c: d\n# slug: x\ncolour: \"#fff\"\n";
    assert_eq!(names(text), ["url", "title", "colour"]);
    // A `#` without a blank before it is text, not a comment.
    assert_eq!(names("a#b: 1\nc: 2\n"), ["a#b", "c"]);
}

#[test]
fn list_items_of_a_key() {
    let text = "title: A\naliases:\n  - /old/\n  # a comment\n  - \"/older/\"\nnext: 1\n";
    let k = KeyPositions::of(text, 2);
    let items: Vec<(Pos, Pos)> = k
        .key("aliases")
        .map(|k| {
            k.value
                .entries()
                .iter()
                .map(|e| (e.at, e.value_at))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(items, [(at(4, 3), at(4, 5)), (at(6, 3), at(6, 5))]);
    // A list may line up with its key.
    let text = "aliases:\n- a\n- b\nslug: c\n";
    let k = KeyPositions::of(text, 1);
    assert_eq!(k.key("aliases").map(|k| k.value.entries().len()), Some(2));
    assert_eq!(k.key("slug").map(|k| k.at), Some(at(4, 1)));
    // `[…]` lists, on one line or more.
    let text = "aliases: [/a, \"/b, c\" , '/d']\ntags: [x,\n  y]\n";
    let k = KeyPositions::of(text, 1);
    let items = |key: &str| -> Vec<Pos> {
        k.key(key)
            .map(|k| k.value.entries().iter().map(|e| e.at).collect())
            .unwrap_or_default()
    };
    assert_eq!(items("aliases"), [at(1, 11), at(1, 15), at(1, 25)]);
    assert_eq!(items("tags"), [at(2, 8), at(3, 3)]);
    assert_eq!(
        KeyPositions::of("tags: []\n", 1)
            .key("tags")
            .map(|k| &k.value),
        Some(&Node::Seq(Vec::new()))
    );
}

#[test]
fn a_sequence_of_maps() {
    let text = "\
# The glossary.
---
- term: neutrophil
  definition: A white cell.

- term: GvHD
  aliases:
    - graft versus host disease
  definition: b
-
  term: c
  definition: d
";
    let k = KeyPositions::of(text, 1);
    let entries = k.entries();
    assert_eq!(entries.len(), 3);
    assert_eq!(
        entries
            .iter()
            .map(|e| (e.at, e.last_line))
            .collect::<Vec<_>>(),
        [(at(3, 1), 5), (at(6, 1), 9), (at(10, 1), 12)]
    );
    let second = &entries[1].value;
    assert_eq!(second.key("definition").map(|k| k.at), Some(at(9, 3)));
    let alias = second.key("aliases").map(|k| k.value.entries()[0].value_at);
    assert_eq!(alias, Some(at(8, 7)));
    assert_eq!(entries[2].value.key("term").map(|k| k.at), Some(at(11, 3)));
}

#[test]
fn repeated_keys_are_found_in_their_own_map() {
    let text = "a:\n  title: x\ntitle: A\nweight: 1\ntitle: B\n";
    let k = KeyPositions::of(text, 1);
    assert_eq!(k.repeated_key("title", 1), Some(at(5, 1)));
    assert_eq!(k.repeated_key("weight", 1), None);
    let text = "- term: a\n  term: b\n- term: c\n";
    assert_eq!(
        KeyPositions::of(text, 1).repeated_key("term", 1),
        Some(at(2, 3))
    );
}

#[test]
fn never_fails_on_odd_text() {
    for text in [
        "",
        "\n\n",
        "-",
        "- ",
        ": x",
        "\"unclosed: x\ny: 1",
        "[[[[",
        "a: b: c\n  - d\n e: f",
        "\t- x\n- \t\n",
        "é: ü\n  ä: ö\nß:\n",
        "---\n...\n%YAML 1.2\n",
        "a: &x\n  b: 1\n",
    ] {
        let _ = KeyPositions::of(text, 1);
        let _ = KeyPositions::of(text, 0);
    }
    assert_eq!(names("é: ü\nß:\n"), ["é", "ß"]);
    assert_eq!(keys("- é: ü\n  ß: x\n").len(), 0);
    let k = KeyPositions::of("- é: ü\n  ß: x\n", 1);
    assert_eq!(
        k.entries()[0].value.key("ß").map(|k| k.value_at),
        Some(at(2, 6))
    );
    // An anchored map is still a map.
    let k = KeyPositions::of("a: &x\n  b: 1\n", 1);
    assert_eq!(k.key("a").map(|k| k.value.keys().len()), Some(1));
}

#[test]
fn deep_block_nesting_does_not_overflow() {
    let mut text = String::new();
    for i in 0..1000 {
        text.push_str(&" ".repeat(i));
        text.push_str("a:\n");
    }
    text.push_str("b: 1\n");
    let k = KeyPositions::of(&text, 1);
    assert_eq!(k.root().keys().len(), 2);
}

#[test]
fn long_lines_cost_their_length() {
    // Each of these was quadratic in the line's length at some point of
    // writing: colons not followed by a blank, `- - - …`, a long `[…]`
    // list (with non-ASCII text before the items).
    let n = 200_000;
    let colons = format!("k{}: v\n", "a:".repeat(n));
    assert_eq!(keys(&colons).len(), 1);
    let dashes = format!("{}x\n", "- ".repeat(n));
    assert_eq!(KeyPositions::of(&dashes, 1).entries().len(), 1);
    let list = format!("é: [{}]\n", vec!["ü"; n].join(", "));
    let k = KeyPositions::of(&list, 1);
    let items = k
        .key("é")
        .map(|k| k.value.entries().to_vec())
        .unwrap_or_default();
    assert_eq!(items.len(), n);
    assert_eq!(items[1].at, at(1, 8));
}
