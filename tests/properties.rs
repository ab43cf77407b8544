//! Property tests (proptest): generated ids and URL segments are valid and
//! unique whatever the text, and a build is deterministic — the same input
//! gives byte-identical output whatever the number of threads.

mod common;

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use marrow::harness::internals::{UniqueIds, heading_id, path_segment};
use proptest::prelude::*;

/// Text with the characters that make ids hard: scripts, punctuation,
/// spaces, dashes, slashes, dots, emoji, backslashes, line breaks (`\n`,
/// `\r`, U+2028), other white space (no-break, zero-width, BOM) and control
/// characters (C0, DEL, C1). The awkward characters are a class of their
/// own, so that about half the characters of a text are awkward.
fn messy_text() -> impl Strategy<Value = String> {
    let plain = "[a-zA-Z0-9 ÄäÖößçéñ移植检查αβγ\\-–—_./?#%&'\"<>()\\[\\]{}!:;,\u{1F600}\t]";
    let awkward =
        "[\\\\\n\r\x00-\x08\x0B\x0C\x0E-\x1F\x7F\u{80}-\u{9F}\u{A0}\u{200B}\u{2028}\u{FEFF}]";
    proptest::collection::vec(
        prop_oneof![
            proptest::string::string_regex(plain).unwrap(),
            proptest::string::string_regex(awkward).unwrap(),
        ],
        0..40,
    )
    .prop_map(|chars| chars.concat())
}

/// A word of a heading: letters and digits of several scripts (no `Σ`,
/// whose lower case depends on its place in the word).
fn word() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9ÄäÖößçéñ移植检查αβγΑΒΓ]{1,8}"
}

/// What may stand between two words of a heading: at least one character
/// that separates words (white space of any kind, line breaks, dashes, a
/// slash), with punctuation that is dropped around it.
fn separator() -> impl Strategy<Value = String> {
    "[,.!?:;()\"'`*]{0,2}[ \t\n\r\u{A0}\u{2028}\\-–—/]{1,3}[,.!?:;()\"'`*]{0,2}"
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.chars().any(|c| c.is_whitespace() || c.is_control())
        && !id.contains(['"', '\'', '<', '>', '&', '#', '/', '?', '%'])
}

/// Failures are turned into plain regression tests in the modules
/// (e.g. `slug::tests::dots_never_make_a_dot_segment`), not stored files.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn heading_ids_are_valid(text in messy_text()) {
        let id = heading_id(&text);
        prop_assert!(valid_id(&id), "{id:?} from {text:?}");
        prop_assert!(!id.starts_with('-') && !id.ends_with('-') && !id.contains("--"), "{id:?}");
    }

    /// An id depends on the words only: the same words give the same id
    /// however they are spaced, broken over lines, dashed or punctuated,
    /// and that id is the words in lower case joined by `-`.
    #[test]
    fn same_words_same_id(
        words in proptest::collection::vec(word(), 1..6),
        seps in proptest::collection::vec(separator(), 7),
        edges in (separator(), separator(), any::<bool>()),
    ) {
        let expected = words.iter().map(|w| w.to_lowercase()).collect::<Vec<_>>().join("-");
        let mut text = String::new();
        if edges.2 {
            text.push_str(&edges.0);
        }
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                text.push_str(&seps[i]);
            }
            text.push_str(w);
        }
        if edges.2 {
            text.push_str(&edges.1);
        }
        prop_assert_eq!(heading_id(&text), expected.clone(), "from {:?}", text);
        prop_assert_eq!(heading_id(&words.join(" ")), expected, "from {:?}", words.join(" "));
    }

    #[test]
    fn url_segments_are_safe(name in messy_text()) {
        let seg = path_segment(&name);
        prop_assert!(valid_id(&seg), "{seg:?} from {name:?}");
        prop_assert!(seg != "." && seg != "..", "dot segment {seg:?} from {name:?}");
        // Percent-encoding is never needed for the ASCII part, and nothing
        // in it breaks a path or a line.
        prop_assert!(!seg.contains([' ', '\\', '#', '?', '\n', '\r']), "{seg:?}");
        prop_assert!(!seg.chars().any(|c| c.is_control() || c.is_whitespace()), "{seg:?}");
    }

    /// Whatever mix of writer-chosen ids (`{#id}`) and generated ones, every
    /// id handed out on a page is different.
    #[test]
    fn unique_ids_never_repeat(ops in proptest::collection::vec((any::<bool>(), "[a-c](-[0-9])?"), 0..60)) {
        let mut ids = UniqueIds::default();
        let mut given = HashSet::new();
        for (custom, base) in ops {
            if custom {
                if ids.reserve(&base) {
                    prop_assert!(given.insert(base.clone()), "reserved twice: {base}");
                }
            } else {
                let id = ids.unique(base);
                prop_assert!(given.insert(id.clone()), "handed out twice: {id}");
            }
        }
    }
}

/// One generated page: headings (some repeated, some custom ids), text with
/// links to the other pages, a list, a table, code.
fn page_strategy() -> impl Strategy<Value = (String, Vec<String>, bool)> {
    (
        "[A-Z][a-z]{2,8}( [a-z]{2,8}){0,3}",
        proptest::collection::vec("[A-Z][a-z]{1,6}( [a-z]{1,6}){0,2}", 1..6),
        any::<bool>(),
    )
}

fn write_site(root: &Path, pages: &[(String, Vec<String>, bool)]) {
    let content = root.join("content");
    std::fs::create_dir_all(content.join("guide")).unwrap();
    std::fs::write(
        content.join("_index.md"),
        "---\ntitle: Home\n---\nStart at the [guide](guide/_index.md).\n",
    )
    .unwrap();
    std::fs::write(
        content.join("guide/_index.md"),
        "---\ntitle: Guide\n---\nThe guide.\n",
    )
    .unwrap();
    std::fs::write(
        root.join("site.yaml"),
        "title: Property site\nreview:\n  noindex_unreviewed: false\n",
    )
    .unwrap();
    for (i, (title, headings, code)) in pages.iter().enumerate() {
        let mut text = format!(
            "---\ntitle: {title}\nweight: {i}\ntags: [t{}]\n---\n",
            i % 3
        );
        text.push_str("Intro with a [link](p0.md) and a footnote.[^n]\n\n[^n]: A note.\n\n");
        for (j, h) in headings.iter().enumerate() {
            // Every third heading repeats the first; every fourth has a custom id.
            let h = if j % 3 == 2 { &headings[0] } else { h };
            if j % 4 == 3 {
                text.push_str(&format!("## {h} {{#custom-{j}}}\n\nText {j}.\n\n"));
            } else {
                text.push_str(&format!(
                    "## {h}\n\nText {j}, see [the first heading](#{}).\n\n",
                    heading_id(&headings[0])
                ));
            }
        }
        text.push_str("- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n");
        if *code {
            text.push_str("```yaml\ntitle: x\n```\n");
        }
        std::fs::write(content.join(format!("guide/p{i}.md")), text).unwrap();
    }
}

fn build_with_threads(root: &Path, out: &Path, threads: &str) -> (i32, String) {
    let run = Command::new(env!("CARGO_BIN_EXE_marrow"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap();
    (
        run.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&run.stderr).into_owned(),
    )
}

proptest! {
    #![proptest_config(config(24))]

    /// Same input, byte-identical output, on 1 thread or 4; and the ids on
    /// every page are unique and every link resolves.
    #[test]
    fn builds_are_deterministic_whatever_the_thread_count(
        pages in proptest::collection::vec(page_strategy(), 1..12)
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        write_site(&root, &pages);
        let (one, four) = (tmp.path().join("one"), tmp.path().join("four"));
        let (code, err) = build_with_threads(&root, &one, "1");
        prop_assert_eq!(code, 0, "{}", err);
        let (code, err) = build_with_threads(&root, &four, "4");
        prop_assert_eq!(code, 0, "{}", err);
        prop_assert_eq!(common::snapshot(&one), common::snapshot(&four));
        let broken = common::broken_links(&one, "/");
        prop_assert!(broken.is_empty(), "{:?}", broken);
        for page in common::html_files(&one) {
            let html = std::fs::read_to_string(&page).unwrap();
            let ids: Vec<&str> = html
                .match_indices(" id=\"")
                .map(|(at, m)| {
                    let rest = &html[at + m.len()..];
                    &rest[..rest.find('"').unwrap_or(0)]
                })
                .collect();
            let unique: HashSet<&&str> = ids.iter().collect();
            prop_assert_eq!(unique.len(), ids.len(), "{}: {:?}", page.display(), ids);
            prop_assert!(ids.iter().all(|id| valid_id(id)), "{:?}", ids);
        }
    }
}
