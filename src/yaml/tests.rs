//! The YAML front door: messages, positions and the guards.

use super::explain::strip_positions;
use super::guard::{EXPANDS, Scan, count_values};
use super::*;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc {
    #[allow(dead_code)]
    title: String,
    #[allow(dead_code)]
    #[serde(default)]
    reviewed: Option<String>,
    #[allow(dead_code)]
    #[serde(default)]
    weight: Option<i64>,
    #[allow(dead_code)]
    #[serde(default)]
    tags: Vec<String>,
    #[allow(dead_code)]
    #[serde(default)]
    extra: Option<serde_json::Value>,
}

#[test]
fn unknown_field_gets_suggestion_and_position() {
    let err = from_str::<Doc>("title: A\nreviewd: x\n").unwrap_err();
    assert_eq!(err.line, 2);
    assert_eq!(err.column, 1);
    assert_eq!(
        err.message,
        "unknown field `reviewd` — did you mean `reviewed`?"
    );
}

#[test]
fn unknown_field_without_near_miss_lists_fields() {
    let err = from_str::<Doc>("title: A\ncolour: x\n").unwrap_err();
    assert_eq!(err.message, "unknown field `colour`");
    assert!(err.help.unwrap().contains("`title`, `reviewed`"));
}

#[test]
fn blank_text_is_an_empty_map() {
    let err = from_str::<Doc>("# only a comment\n").unwrap_err();
    assert!(
        err.message.contains("missing field `title`"),
        "{}",
        err.message
    );
}

#[test]
fn syntax_error_has_position() {
    // The position is the `[` that is never closed, not the end of the
    // text where the parser noticed.
    // (`title: [a` would be refused as a list where text belongs before
    // the parser reaches the end, hence `tags`.)
    let err = from_str::<Doc>("tags: [a\n").unwrap_err();
    assert_eq!((err.line, err.column), (1, 7), "{err:?}");
    assert_eq!(err.message, "a list opened with `[` is not closed");
    let err = from_str::<Doc>("title: A\nweight: 1\ntags: [a, b\n").unwrap_err();
    assert_eq!((err.line, err.column), (3, 7), "{err:?}");
    assert_eq!(err.message, "a list opened with `[` is not closed");
}

#[test]
fn no_positions_of_the_yaml_block_inside_messages() {
    for text in [
        "title: \"A\ndescription: x\n",
        "title: A\ntags:\n\t- x\n",
        "title: x\n\tweight: 1\n",
    ] {
        let err = from_str::<Doc>(text).unwrap_err();
        assert!(!err.message.contains(" line "), "{}", err.message);
        assert!(err.help.is_some(), "{}", err.message);
    }
}

#[test]
fn unclosed_quote_points_at_the_quote() {
    let err = from_str::<Doc>("weight: 1\ntitle: \"A\ndescription: x\n").unwrap_err();
    assert_eq!((err.line, err.column), (2, 8), "{err:?}");
    assert_eq!(err.message, "this quoted value is never closed");
}

#[test]
fn duplicate_key_points_at_the_second() {
    let err = from_str::<Doc>("title: A\nweight: 1\ntitle: B\n").unwrap_err();
    assert_eq!((err.line, err.column), (3, 1), "{err:?}");
    assert_eq!(err.message, "`title` is set twice");
}

#[test]
fn types_in_words() {
    let err = from_str::<Doc>("title: A\nweight: high\n").unwrap_err();
    assert_eq!(
        err.message,
        "weight: expected a whole number, found the text \"high\""
    );
    let err = from_str::<Doc>("title: A\ntags: foo\n").unwrap_err();
    assert_eq!(err.message, "tags: expected a list, found the text \"foo\"");
    let err = from_str::<Doc>("title: [a, b]\n").unwrap_err();
    assert_eq!(err.message, "title: expected text, found a list");
}

#[test]
fn billion_laughs_is_refused_at_once() {
    let mut text =
        String::from("title: A\nextra:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        let refs = vec![format!("*{prev}"); 9].join(", ");
        text.push_str(&format!("  {name}: &{name} [{refs}]\n"));
    }
    // Expanded, this is 9⁹ (387 million) values. Bounded by work, not
    // by the clock: the refusal is the guard's (its message, at the first
    // alias), so the real parse never ran, and the guard's counting pass
    // stopped once it had counted the budget, a few values per byte.
    let err = from_str::<Doc>(&text).unwrap_err();
    assert_eq!(err.message, EXPANDS);
    assert_eq!((err.line, err.column), (4, 10), "{err:?}");
    let budget = expansion_budget(text.len());
    assert!(budget < 10 * text.len(), "{budget}");
    assert_eq!(count_values(&text, budget), (budget + 1, true));
}

#[test]
fn a_big_list_referenced_many_times_is_refused() {
    let items = vec!["x"; 2000].join(",");
    let refs = vec!["*a"; 2000].join(",");
    let text = format!("title: A\nextra:\n  a: &a [{items}]\n  b: [{refs}]\n");
    let err = from_str::<Doc>(&text).unwrap_err();
    assert_eq!(err.message, EXPANDS);
    let budget = expansion_budget(text.len());
    assert_eq!(count_values(&text, budget), (budget + 1, true));
}

#[test]
fn a_few_aliases_are_fine() {
    let text = "title: A\nextra:\n  a: &a [x, y]\n  b: *a\n  c: [*a, *a]\n";
    from_str::<Doc>(text).unwrap();
    // {…}, title, A, extra, {…}, a, [x, y] (3), b, *a (3), c, [*a, *a] (7).
    assert_eq!(
        count_values(text, expansion_budget(text.len())),
        (21, false)
    );
    // `*` in text is no alias.
    from_str::<Doc>("title: \"*Important*\"\ntags: [a*b, '*c']\n").unwrap();
}

#[test]
fn deep_flow_nesting_is_refused_before_parsing() {
    let n = 100_000;
    let text = format!(
        "title: A\nextra:\n  x: {}{}\n",
        "[".repeat(n),
        "]".repeat(n)
    );
    // Bounded by work, not by the clock: the refusal is the scan's own
    // (its message, at the first bracket too many), so libyaml, whose
    // scanner is quadratic in the depth, never saw the text; the scan
    // is one pass over the characters and stops at that bracket.
    let err = from_str::<Doc>(&text).unwrap_err();
    assert_eq!(err, too_deep(3, 6 + MAX_NESTING));
    let scan = Scan::of(&text);
    assert_eq!(scan.too_deep, Some((3, 6 + MAX_NESTING)));
    // Brackets in quotes, comments and block text do not count.
    let quoted = format!(
        "title: \"{}\"\n# {}\nextra:\n  x: |\n    {}\n",
        "[".repeat(200),
        "{".repeat(200),
        "[".repeat(200)
    );
    from_str::<Doc>(&quoted).unwrap();
}

#[test]
fn positions_are_stripped_from_messages() {
    let (m, p) = strip_positions(
        "found unexpected end of stream at line 3 column 1, while scanning a quoted scalar at line 1 column 8",
    );
    assert_eq!(
        m,
        "found unexpected end of stream, while scanning a quoted scalar"
    );
    assert_eq!(p, [(3, 1), (1, 8)]);
    assert_eq!(strip_positions("look at this").0, "look at this");
}

#[test]
fn duplicate_nested_key_points_at_the_second() {
    #[derive(Debug, Deserialize)]
    struct Outer {
        #[allow(dead_code)]
        title: String,
        #[allow(dead_code)]
        reviewer: Inner,
    }
    #[derive(Debug, Deserialize)]
    struct Inner {
        #[allow(dead_code)]
        name: String,
    }
    let text = "title: A\nreviewer:\n  # who\n  \"name\": B\n  name: C\n";
    let err = from_str::<Outer>(text).unwrap_err();
    assert_eq!(err.message, "reviewer: `name` is set twice");
    assert_eq!((err.line, err.column), (5, 3), "{err:?}");
}

#[test]
fn slips_found_by_reading_the_lines_stand_in_for_late_errors() {
    // `first:x` under `tags` is text, so `tags` is not a list: the error
    // is the missing space, on its line.
    let err = from_str::<Doc>("title: A\ntags:\n  first:x\n").unwrap_err();
    assert_eq!((err.line, err.column), (3, 8), "{err:?}");
    assert!(err.message.contains("needs a space"), "{err:?}");
    // A slip-like line that parsed (`a:b` is the description's text) does
    // not take over an unrelated error below it.
    let err = from_str::<Doc>("title: A\nreviewed:\n  a:b\nweight: high\n").unwrap_err();
    assert_eq!(err.line, 4, "{err:?}");
    // Nor does a legitimately wrapped quoted value.
    let err = from_str::<Doc>("title: \"A long\n  title\"\nweight: high\n").unwrap_err();
    assert_eq!(err.line, 3, "{err:?}");
}

#[test]
fn messages_and_slips_never_panic_on_odd_text() {
    // Deterministic pieces of YAML's special characters, shuffled by a
    // small linear congruential generator: every error path (the slips,
    // the wording, the positions) runs on text that is wrong in odd ways.
    let pieces = [
        "\"", "'", ":", ": ", " ", "\n", "- ", "-", "[", "]", "{", "}", "#", " #", "\\", "é", "\t",
        "title", "tags", "C:\\", "|", ">", "*", "&", "!", "@", "`", "%", "\r\n", "  ",
    ];
    let mut seed: u64 = 17;
    for _ in 0..3000 {
        let mut text = String::new();
        for _ in 0..(seed % 24) {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
        }
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        if let Err(e) = from_str::<Doc>(&text) {
            assert!(e.line >= 1 && e.column >= 1, "{text:?}: {e:?}");
        }
    }
}
