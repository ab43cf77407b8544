//! Property tests (proptest): generated ids and URL segments are valid and
//! unique whatever the text, and a build is deterministic — the same input
//! gives byte-identical output whatever the number of threads.

mod common;

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use marrow::slug::{UniqueIds, heading_id, path_segment};
use proptest::prelude::*;

/// Text with the characters that make ids hard: scripts, punctuation,
/// spaces, dashes, slashes, dots, emoji.
fn messy_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        "[a-zA-Z0-9 ÄäÖößçéñ移植检查αβγ\\-–—_./?#%&'\"<>()\\[\\]{}!:;,\u{1F600}\t]{0,40}",
    )
    .unwrap()
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
    fn heading_ids_are_valid_and_stable(text in messy_text()) {
        let id = heading_id(&text);
        prop_assert!(valid_id(&id), "{id:?} from {text:?}");
        prop_assert_eq!(heading_id(&text), id.clone(), "same text, same id");
        prop_assert!(!id.starts_with('-') && !id.ends_with('-') && !id.contains("--"), "{id:?}");
    }

    #[test]
    fn url_segments_are_safe(name in messy_text()) {
        let seg = path_segment(&name);
        prop_assert!(valid_id(&seg), "{seg:?} from {name:?}");
        prop_assert!(seg != "." && seg != "..", "dot segment {seg:?} from {name:?}");
        // Percent-encoding is never needed for the ASCII part.
        prop_assert!(!seg.contains([' ', '\\', '#', '?']), "{seg:?}");
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
