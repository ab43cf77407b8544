//! The benchmark's corpus at a CI-friendly size: 500 generated pages (the
//! generator of `benches/compare.py`) build, every link and anchor
//! resolves, and every page is in the search index. A correctness check
//! only: speed is measured by `benches/compare.py`, never here.

mod common;

use std::path::Path;
use std::process::Command;

use common::{broken_links, build, html_files};

#[test]
fn a_generated_500_page_corpus_builds_with_every_link_resolving() {
    let generator = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/gen_corpus.py");
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let generated = Command::new("python3")
        .arg(&generator)
        .args(["--layout", "plain", "--reviewed", "-n", "500", "-o"])
        .arg(&corpus)
        .output();
    let generated = match generated {
        Ok(out) => out,
        Err(e) => {
            // Python 3 is on every CI machine; elsewhere it may be missing.
            // `MARROW_REQUIRE_BROWSER=1` (exactly `1`, as for the browser
            // tests) turns the skip into a failure.
            assert!(
                !common::browser::required(),
                "python3 is needed for the benchmark corpus: {e}"
            );
            eprintln!("skipped: python3 not found ({e})");
            return;
        }
    };
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );

    let out = tmp.path().join("output");
    let run = build(&corpus, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // 500 pages, a page per section (the root and 100 sections), a
    // glossary-free site: tag pages and 404.html besides.
    let pages = html_files(&out)
        .into_iter()
        .filter(|p| {
            let name = p.strip_prefix(&out).unwrap().to_string_lossy().into_owned();
            name.starts_with("sec-") || name == "index.html"
        })
        .count();
    assert_eq!(pages, 500 + 101, "every page and section page written");
    let broken = broken_links(&out, "/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));

    let indexed = common::search_docs(&out).len();
    assert!(
        indexed >= 601,
        "reviewed pages are all searchable ({indexed})"
    );
}
