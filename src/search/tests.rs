//! Tests of the search index.

use super::*;
use chrono::NaiveDate;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn derived(site: &Site, today: NaiveDate) -> Derived {
    Derived::new(site, today).unwrap()
}

// The index as it is built on `today`.
fn index(site: &Site, today: NaiveDate) -> SearchIndex {
    super::index(site, &derived(site, today))
}

fn left_out(site: &Site, today: NaiveDate) -> LeftOut {
    super::left_out(site, &derived(site, today))
}

fn file(idx: &SearchIndex, name: &str) -> serde_json::Value {
    let (_, bytes) = idx
        .files
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| {
            panic!(
                "no {name} in {:?}",
                idx.files.iter().map(|f| &f.0).collect::<Vec<_>>()
            )
        });
    serde_json::from_slice(bytes).unwrap()
}

#[test]
fn stop_words_are_sorted_lowercase_terms() {
    assert!(STOP_WORDS.is_sorted());
    for w in STOP_WORDS {
        assert_eq!(terms(w).collect::<Vec<_>>(), [w]);
    }
}

#[test]
fn terms_are_lowercase_words_and_keys_are_safe() {
    let t: Vec<String> = terms("Day 0: the ANC is ≥0.5 × 10⁹/L — naïve café").collect();
    assert_eq!(
        t,
        [
            "day", "0", "the", "anc", "is", "0", "5", "10⁹", "l", "naïve", "café"
        ]
    );
    assert_eq!(shard_key("transplant"), "tr");
    assert_eq!(shard_key("a"), "a");
    assert_eq!(shard_key("naïve"), "na");
    assert_eq!(shard_key("ïa"), "_efa");
    assert_eq!(shard_key("指南"), "_6307_5357");
}

/// A test site (its pages are searched whatever their review state).
fn searchable_site(files: &[(&str, &str)]) -> Site {
    crate::model::test_site(files)
}

#[test]
fn unreviewed_pages_are_searched_with_their_state_unless_left_out() {
    let files = [
        (
            "_index.md",
            "---\ntitle: Home\nreviewed: 2026-11-01\nreviewer: Dr A\n---\nHi.\n",
        ),
        ("p.md", "---\ntitle: Unreviewed\n---\nNeutrophils.\n"),
        (
            "c.md",
            "---\ntitle: Checked\nsources_checked: 2026-11-01\n---\nPlatelets.\n",
        ),
    ];
    let mut site = crate::model::test_site(&files);
    let pages = |site: &Site| file(&index(site, today()), "search/pages.json")["pages"].clone();
    let state = |pages: &serde_json::Value, title: &str| {
        pages
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p[1] == title)
            .map(|p| p[4].clone())
    };
    let all = pages(&site);
    assert_eq!(state(&all, "Unreviewed"), Some("unreviewed".into()));
    assert_eq!(state(&all, "Checked"), Some("checked".into()));
    assert_eq!(state(&all, "Home"), Some("".into()));
    assert_eq!(left_out(&site, today()), LeftOut::default());
    site.config.search.include_unreviewed = false;
    let reviewed = pages(&site);
    assert_eq!(state(&reviewed, "Unreviewed"), None);
    assert_eq!(state(&reviewed, "Checked"), None);
    assert_eq!(state(&reviewed, "Home"), Some("".into()));
    assert_eq!(
        left_out(&site, today()),
        LeftOut {
            drafts: 0,
            unreviewed: 2
        }
    );
}

#[test]
fn index_lists_searchable_pages_and_finds_their_words() {
    let site = searchable_site(&[
        (
            "_index.md",
            "---\ntitle: Home\n---\nWelcome to the guide.\n",
        ),
        (
            "process/_index.md",
            "---\ntitle: The process\n---\nSteps of a transplant.\n",
        ),
        (
            "process/engraftment.md",
            "---\ntitle: Engraftment\n---\nNeutrophils recover. Neutrophils rise in the thymus, ANC too.\n\n## Counts {#zzanchor}\n\n\n```\ncode-word\n```\n\n<div>rawhtmlword</div>\n",
        ),
        (
            "process/secret.md",
            "---\ntitle: Secret\ndraft: true\n---\nNeutrophils hidden.\n",
        ),
    ]);
    let idx = index(&site, today());
    let pages = file(&idx, "search/pages.json");
    assert_eq!(pages["v"], 1);
    let list = pages["pages"].as_array().unwrap();
    let titles: Vec<&str> = list.iter().map(|p| p[1].as_str().unwrap()).collect();
    assert!(
        titles.contains(&"Engraftment") && !titles.contains(&"Secret"),
        "{titles:?}"
    );
    assert_eq!(idx.pages, list.len());
    // The mean length in words (for ranking), to one decimal place.
    let words: Vec<f64> = list.iter().map(|p| p[3].as_f64().unwrap()).collect();
    let mean = words.iter().sum::<f64>() / words.len() as f64;
    assert!(
        mean.fract() != 0.0 && mean > 1.0,
        "a mean that shows the rounding: {words:?}"
    );
    assert_eq!(pages["avg"].as_f64().unwrap(), (mean * 10.0).round() / 10.0);
    let doc = titles.iter().position(|t| *t == "Engraftment").unwrap() as u64;
    assert_eq!(
        list[doc as usize][2], "The process",
        "section shown in results"
    );
    let ne = file(&idx, "search/terms/ne.json");
    // Gap-coded: the first doc number is absolute; tf 2 in the text.
    assert_eq!(ne["neutrophils"], serde_json::json!([doc, 2]));
    assert_eq!(
        file(&idx, "search/terms/an.json")["anc"],
        serde_json::json!([doc, 1]),
        "capitals are folded"
    );
    let en = file(&idx, "search/terms/en.json");
    assert_eq!(en["engraftment"][1], TITLE_WEIGHT, "title words weigh more");
    assert!(
        file(&idx, "search/terms/co.json").get("code").is_some(),
        "code is searchable"
    );
    assert!(
        idx.files.iter().all(|(n, _)| !n.contains("/ra")),
        "raw HTML is not text"
    );
    assert!(
        idx.files.iter().all(|(n, _)| !n.contains("/zz")),
        "a heading's {{#id}} is not text"
    );
    assert!(
        file(&idx, "search/terms/th.json").get("the").is_none(),
        "stop words left out"
    );
}

#[test]
fn an_edited_page_changes_exactly_the_files_a_fresh_index_would() {
    let mut site = searchable_site(&[
        (
            "a.md",
            "---\ntitle: Alpha\n---\nNeutrophils and platelets.\n",
        ),
        ("b.md", "---\ntitle: Beta\n---\nPlatelets only. Zebra.\n"),
        ("c.md", "---\ntitle: Gamma\n---\nNothing shared here.\n"),
    ]);
    let mut live = LiveIndex::build(&site, &derived(&site, today()));
    let mut served: BTreeMap<String, Vec<u8>> = live.files(&site).files.into_iter().collect();
    let b = site.page_from_source("b.md").unwrap();
    let edited = "---\ntitle: Beta\n---\nNeutrophils now, and a yak.\n";
    site.pages[b].doc =
        crate::content::front_matter::parse(std::path::Path::new("b.md"), edited).unwrap();
    let changes = live
        .update(&site, &derived(&site, today()), b)
        .expect("still searchable");
    let paths: Vec<&str> = changes.iter().map(|(p, _)| p.as_str()).collect();
    assert!(paths.contains(&"search/terms/ze.json"), "{paths:?}");
    assert!(
        !paths.contains(&"search/terms/ga.json"),
        "untouched shards stay: {paths:?}"
    );
    for (path, bytes) in changes {
        match bytes {
            Some(b) => served.insert(path, b),
            None => served.remove(&path),
        };
    }
    let fresh: BTreeMap<String, Vec<u8>> = index(&site, today()).files.into_iter().collect();
    assert_eq!(served, fresh, "incremental == full");
    assert!(
        !served.contains_key("search/terms/ze.json"),
        "zebra is gone with its file"
    );
    // A page leaving the search (now a draft) asks for a rebuild.
    let drafted = "---\ntitle: Beta\ndraft: true\n---\nx\n";
    site.pages[b].doc =
        crate::content::front_matter::parse(std::path::Path::new("b.md"), drafted).unwrap();
    assert!(live.update(&site, &derived(&site, today()), b).is_none());
}

#[test]
fn the_same_site_gives_the_same_bytes_with_any_thread_count() {
    let pages: Vec<(String, String)> = (0..60)
        .map(|i| {
            (
                format!("s{}/p{i}.md", i % 4),
                format!(
                    "---\ntitle: Page {i}\n---\nword{} shared text number {i}\n",
                    i % 7
                ),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = pages
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let site = searchable_site(&refs);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let four = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap();
    let a = one.install(|| index(&site, today()));
    let b = four.install(|| index(&site, today()));
    assert_eq!(a.files, b.files);
    let shared = file(&a, "search/terms/sh.json");
    let postings = shared["shared"].as_array().unwrap();
    assert_eq!(postings.len(), 2 * 60, "every page once");
    assert!(
        postings.iter().step_by(2).skip(1).all(|gap| gap == 1),
        "gaps of one: {postings:?}"
    );
}
