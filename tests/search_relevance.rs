//! Search relevance on the bundled guide, in headless Chromium: every query
//! of `tests/fixtures/search-relevance.yaml` (judged blind, by reading the
//! pages) is typed into the real search box, and the rank of the first
//! right answer among the results is scored as hit@1, hit@3 and mean
//! reciprocal rank, overall and by kind of query.
//!
//! Skips without Chromium, unless `MARROW_REQUIRE_BROWSER=1`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::browser::{Browser, StaticServer};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
struct Judged {
    query: String,
    kind: String,
    expect: Vec<String>,
    #[serde(default)]
    glossary: Option<String>,
}

/// The results' links once the box has answered `query` (its live region
/// names the query in every answer, with or without results).
const ANSWER: &str = r#"
    const status = document.querySelector('.search-status').textContent;
    if (!status.includes('\u201C' + query + '\u201D')) return null;
    return [...document.querySelectorAll('.search-result-link')].map(a => a.getAttribute('href'));
"#;

/// The URL path (below the site root) of the page made from `content/<rel>`.
fn url_of(rel: &str) -> String {
    let stem = rel.trim_end_matches(".md");
    match stem.strip_suffix("_index") {
        Some(dir) => dir.to_string(),
        None => format!("{stem}/"),
    }
}

/// The 1-based rank of the first right answer among `links`, if any.
fn rank(judged: &Judged, links: &[String], prefix: &str) -> Option<usize> {
    let right: Vec<String> = judged
        .expect
        .iter()
        .map(|rel| format!("{prefix}{}", url_of(rel)))
        .chain(judged.glossary.iter().map(|_| format!("{prefix}glossary/")))
        .collect();
    links
        .iter()
        .position(|href| {
            let page = href.split('#').next().unwrap_or(href);
            right.iter().any(|r| r == page)
        })
        .map(|i| i + 1)
}

#[derive(Default)]
struct Score {
    queries: usize,
    hit1: usize,
    hit3: usize,
    reciprocal: f64,
}

impl Score {
    fn add(&mut self, rank: Option<usize>) {
        self.queries += 1;
        if let Some(r) = rank {
            self.hit1 += usize::from(r == 1);
            self.hit3 += usize::from(r <= 3);
            self.reciprocal += 1.0 / r as f64;
        }
    }

    fn mrr(&self) -> f64 {
        self.reciprocal / self.queries.max(1) as f64
    }
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:>3} queries  hit@1 {:>3}  hit@3 {:>3}  MRR {:.3}",
            self.queries,
            self.hit1,
            self.hit3,
            self.mrr()
        )
    }
}

/// The strings of a JSON array (result links).
fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// The judged set.
fn judged_set(root: &Path) -> Vec<Judged> {
    let text = std::fs::read_to_string(root.join("tests/fixtures/search-relevance.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// Builds the bundled guide into `out` and serves it under `/docs/`.
fn serve_bundled(root: &Path, out: &Path) -> StaticServer {
    let run = common::build(root, out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    StaticServer::start(out, "/docs/")
}

/// Runs every query through `search` (which returns the result links, best
/// first, and whether the first result has every word of the query),
/// prints the scores and returns the overall score and how many nonsense
/// queries found a page with all their words.
fn score(
    set: &[Judged],
    engine: &str,
    mut search: impl FnMut(&str) -> (Vec<String>, bool),
) -> (Score, usize) {
    let mut overall = Score::default();
    let mut by_kind: BTreeMap<String, Score> = BTreeMap::new();
    let mut nonsense_with_results = 0;
    let mut misses = Vec::new();
    for judged in set {
        let (links, every_word) = search(&judged.query);
        if judged.expect.is_empty() && judged.glossary.is_none() {
            nonsense_with_results += usize::from(every_word);
            continue;
        }
        let r = rank(judged, &links, "/docs/");
        if r != Some(1) {
            misses.push(format!(
                "  {:<12} {:<40} rank {:<5} first: {}",
                judged.kind,
                judged.query,
                r.map_or("-".into(), |r| r.to_string()),
                links.first().map_or("(nothing)", String::as_str)
            ));
        }
        overall.add(r);
        by_kind.entry(judged.kind.clone()).or_default().add(r);
    }
    println!("{engine} on the bundled guide:\n  all          {overall}");
    for (kind, score) in &by_kind {
        println!("  {kind:<12} {score}");
    }
    println!("  nonsense queries with a page holding all their words: {nonsense_with_results}");
    println!("not first:\n{}", misses.join("\n"));
    (overall, nonsense_with_results)
}

fn focused(browser: &Browser, url: &str) {
    browser.cdp(
        "Emulation.setFocusEmulationEnabled",
        json!({ "enabled": true }),
    );
    browser.viewport(1280, 900);
    browser.goto(url);
    browser.wait_until(
        "return !!document.querySelector('.search-input');",
        "the search box",
        |v| v == &json!(true),
    );
}

#[test]
fn patients_queries_find_the_judged_pages() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let set = judged_set(root);
    let tmp = tempfile::tempdir().unwrap();
    let server = serve_bundled(root, &tmp.path().join("output"));
    focused(&browser, &format!("{}process/", server.url));
    let (overall, nonsense_with_results) = score(&set, "marrow search", |query| {
        browser.eval(
            "const box = document.querySelector('.search-input'); box.focus(); \
             box.value = arguments[0]; box.dispatchEvent(new Event('input', { bubbles: true }));",
            json!([query]),
        );
        let script = format!("const query = {}; {ANSWER}", json!(query));
        let answer = browser.wait_until(&script, query, |v| !v.is_null());
        let links = strings(&answer);
        // Some words found is not a match: the box then says which words
        // no page has (the OR fallback).
        let every_word = browser.eval_async(
            "const [query, done] = arguments; window.marrowSearch.search(query).then(f => \
             done(f.hits.length > 0 && f.hits[0].all && !f.missing.length && !f.corrected));",
            json!([query]),
        );
        (links, every_word == json!(true))
    });
    // The engine before the Search issue scored 0.640 on this set, and
    // Pagefind 0.743 (benches/results/2026-12-01-search-relevance-*.txt).
    assert!(overall.mrr() >= 0.90, "{overall}");
    assert_eq!(nonsense_with_results, 0, "nonsense found pages");
}

/// The peer on the same queries: Pagefind with default settings, indexing
/// the same built site (`npm i --prefix target/test-tools pagefind@1.6.0`).
/// A measurement, not a check of marrow: run it with `--ignored`.
#[test]
#[ignore = "a peer measurement: needs pagefind in target/test-tools"]
fn pagefind_on_the_same_queries() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pagefind = common::browser::test_tools_dir().join("node_modules/.bin/pagefind");
    assert!(
        pagefind.is_file(),
        "install it: npm i --prefix target/test-tools pagefind@1.6.0"
    );
    let Some(browser) = Browser::start() else {
        return;
    };
    let set = judged_set(root);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    let server = serve_bundled(root, &out);
    let indexed = std::process::Command::new(&pagefind)
        .arg("--site")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        indexed.status.success(),
        "{}",
        String::from_utf8_lossy(&indexed.stderr)
    );
    focused(&browser, &format!("{}process/", server.url));
    score(&set, "Pagefind 1.6.0", |query| {
        let found = browser.eval_async(
            r#"const [query, done] = arguments;
            (async () => {
                if (!window.pf) {
                    window.pf = await import('/docs/pagefind/pagefind.js');
                    await window.pf.options({ baseUrl: '/docs/' });
                    await window.pf.init();
                }
                const r = await window.pf.search(query);
                const top = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
                done(top.map(d => d.url));
            })().catch(e => done(['error: ' + e]));"#,
            json!([query]),
        );
        let links = strings(&found);
        // Pagefind returns only pages with every word.
        let every_word = !links.is_empty();
        (links, every_word)
    });
}
