//! Tests of the search index.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use chrono::NaiveDate;
use serde_json::Value;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn derived(site: &Site) -> Derived {
    Derived::new(site, today()).unwrap()
}

fn built(site: &Site) -> SearchIndex {
    index(site, &derived(site))
}

fn json(files: &[(String, Vec<u8>)], name: &str) -> Value {
    let (_, bytes) = files.iter().find(|(n, _)| n == name).unwrap_or_else(|| {
        panic!(
            "no {name} in {:?}",
            files.iter().map(|f| &f.0).collect::<Vec<_>>()
        )
    });
    serde_json::from_slice(bytes).unwrap()
}

/// Every chunk's terms and words, merged: term → (doc → impact), and word
/// → term.
fn postings_and_words(
    files: &[(String, Vec<u8>)],
) -> (
    BTreeMap<String, BTreeMap<u32, u32>>,
    BTreeMap<String, String>,
) {
    let mut terms = BTreeMap::new();
    let mut words = BTreeMap::new();
    for (name, bytes) in files {
        let file: Value = serde_json::from_slice(bytes).unwrap();
        if name.starts_with("search/c/") {
            for (term, list) in file.as_object().unwrap() {
                let list: Vec<u32> = serde_json::from_value(list.clone()).unwrap();
                terms.insert(term.clone(), files::decode(&list));
            }
        } else if name.starts_with("search/w/") {
            for (word, term) in file.as_object().unwrap() {
                let key = files::word_key(word);
                assert!(name.ends_with(&format!("/{key}.json")), "{word} in {name}");
                let term = term.as_str().unwrap();
                let term = if term.is_empty() { word } else { term };
                words.insert(word.clone(), term.to_string());
            }
        }
    }
    (terms, words)
}

/// The fragment (document as results show it) whose title is `title`.
fn fragment(files: &[(String, Vec<u8>)], title: &str) -> (u32, Value) {
    files
        .iter()
        .filter_map(|(name, bytes)| {
            let n = name
                .strip_prefix("search/f/")?
                .strip_suffix(".json")?
                .parse()
                .ok()?;
            let v: Value = serde_json::from_slice(bytes).ok()?;
            (v["t"] == title).then_some((n, v))
        })
        .next()
        .unwrap_or_else(|| panic!("no fragment titled {title}"))
}

/// A test site of `n` pages, page `i` being `page(i)` (path, text).
fn generated_site(n: usize, page: impl Fn(usize) -> (String, String)) -> Site {
    let pages: Vec<(String, String)> = (0..n).map(page).collect();
    let refs: Vec<(&str, &str)> = pages
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    crate::model::test_site(&refs)
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
    let idx = built(&site);
    assert_eq!(fragment(&idx.files, "Unreviewed").1["r"], "unreviewed");
    assert_eq!(fragment(&idx.files, "Checked").1["r"], "checked");
    assert_eq!(fragment(&idx.files, "Home").1["r"], "");
    assert_eq!(left_out(&site, &derived(&site)), LeftOut::default());
    site.config.search.include_unreviewed = false;
    let idx = built(&site);
    assert_eq!(json(&idx.files, "search/index.json")["n"], 1);
    assert_eq!(idx.pages, 1);
    assert_eq!(
        left_out(&site, &derived(&site)),
        LeftOut {
            drafts: 0,
            unreviewed: 2
        }
    );
}

#[test]
fn pages_are_cut_at_headings_and_words_meet_their_stems() {
    let site = crate::model::test_site(&[
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
            "---\ntitle: Engraftment\ndescription: When counts recover\n---\nNeutrophils recover. Neutrophil counts rise, ANC too.\n\n## Sore mouth {#zzanchor}\n\nHaemoglobin.\n\n```\ncode-word\n```\n\n<div>rawhtmlword</div>\n",
        ),
        (
            "process/secret.md",
            "---\ntitle: Secret\ndraft: true\n---\nNeutrophils hidden.\n",
        ),
    ]);
    let idx = built(&site);
    let meta = json(&idx.files, "search/index.json");
    assert_eq!(meta["v"], files::FORMAT_VERSION);
    assert_eq!(meta["n"], 3, "drafts are not searched");
    let (doc, f) = fragment(&idx.files, "Engraftment");
    assert_eq!(f["s"], "The process", "section shown in results");
    assert_eq!(f["u"], "process/engraftment/index.html");
    assert_eq!(f["p"][1][0], "Sore mouth");
    assert_eq!(f["p"][1][1], "zzanchor", "the heading's own id");
    assert_eq!(f["p"][1][2], "Haemoglobin.", "code is not shown");
    let (terms, words) = postings_and_words(&idx.files);
    // "Neutrophils" and "Neutrophil" are one term; both spellings typed
    // are known words of the index.
    assert_eq!(words["neutrophils"], words["neutrophil"]);
    let neutrophil = &terms[&words["neutrophil"]];
    assert_eq!(neutrophil.keys().copied().collect::<Vec<_>>(), [doc]);
    // British spelling is folded: the American word finds it.
    assert!(terms.contains_key("hemoglobin"), "{:?}", terms.keys());
    assert!(terms.contains_key("code"), "code is searchable");
    assert!(!terms.contains_key("rawhtmlword"), "raw HTML is not text");
    assert!(
        !terms.contains_key("zzanchor"),
        "a heading's {{#id}} is not text"
    );
    assert!(!terms.contains_key("the"), "stop words are left out");
    // The title outweighs the body: "engraftment" (title) has more impact
    // here than "recover" (body, once).
    assert!(terms["engraft"][&doc] > terms["recov"][&doc]);
}

#[test]
fn weights_rank_pages_by_path_section_and_page() {
    let mut site = crate::model::test_site(&[
        ("guide/a.md", "---\ntitle: A\n---\nMarrow.\n"),
        ("writers/_index.md", "---\ntitle: Writers\n---\nx\n"),
        ("writers/b.md", "---\ntitle: B\n---\nMarrow.\n"),
        (
            "writers/c.md",
            "---\ntitle: C\nsearch: { weight: 2 }\n---\nMarrow.\n",
        ),
        (
            "deep/_index.md",
            "---\ntitle: Deep\nsearch: { weight: 0.5 }\n---\nx\n",
        ),
        ("deep/d.md", "---\ntitle: D\n---\nMarrow.\n"),
    ]);
    site.config.search.weight.insert("writers/".into(), 0.3);
    let w = |rel: &str| extract::weight(&site, site.page_from_source(rel).unwrap());
    assert_eq!(w("guide/a.md"), 1.0);
    assert_eq!(w("writers/b.md"), 0.3, "site.yaml's folder weight");
    assert_eq!(w("writers/c.md"), 2.0, "the page's own wins");
    assert_eq!(w("deep/d.md"), 0.5, "the section's _index.md");
    let idx = built(&site);
    let (terms, _) = postings_and_words(&idx.files);
    let impact = |title: &str| terms["marrow"][&fragment(&idx.files, title).0];
    assert!(impact("C") > impact("A") && impact("A") > impact("D") && impact("D") > impact("B"));
}

#[test]
fn glossary_entries_are_documents_and_synonyms() {
    let mut site = crate::model::test_site(&[("p.md", "---\ntitle: P\n---\nText.\n")]);
    site.config.search.synonyms = vec![vec!["chemo".into(), "chemotherapy".into()]];
    site.glossaries[0] = Some(
        crate::glossary::Glossary::parse(
            std::path::Path::new("glossary.yaml"),
            "- term: graft-versus-host disease\n  definition: Donor cells attack the body.\n  aliases: [GvHD]\n",
        )
        .unwrap(),
    );
    let groups = synonyms::groups(&site, 0, &analyze::Analyzer::for_language("en"));
    assert_eq!(
        groups,
        [
            vec![vec!["graft", "versus", "host", "diseas"], vec!["gvhd"]],
            vec![vec!["chemo"], vec!["chemotherapi"]],
        ]
    );
}

#[test]
fn an_edited_page_re_sends_its_fragment_and_only_its_chunks() {
    let mut site = crate::model::test_site(&[
        (
            "a.md",
            "---\ntitle: Alpha\n---\nNeutrophils and platelets.\n",
        ),
        ("b.md", "---\ntitle: Beta\n---\nPlatelets only. Zebra.\n"),
        ("c.md", "---\ntitle: Gamma\n---\nNothing shared here.\n"),
    ]);
    let (mut live, fragments) = LiveIndex::build(&site, &derived(&site), 0, &|| false).unwrap();
    let beta = format!("search/f/{}.json", fragment(&fragments, "Beta").0);
    let alpha = format!("search/f/{}.json", fragment(&fragments, "Alpha").0);
    let mut served: BTreeMap<String, Vec<u8>> =
        fragments.into_iter().chain(live.files(&site)).collect();
    let b = site.page_from_source("b.md").unwrap();
    let edited = "---\ntitle: Beta\n---\nNeutrophils now, and a yak.\n";
    site.pages[b].doc =
        crate::content::front_matter::parse(std::path::Path::new("b.md"), edited).unwrap();
    let changes = live
        .update(&site, &derived(&site), b)
        .expect("still searchable");
    let paths: BTreeSet<&str> = changes.iter().map(|(p, _)| p.as_str()).collect();
    assert!(paths.contains(beta.as_str()), "{paths:?}");
    assert!(
        !paths.contains(alpha.as_str()) && !paths.contains("search/index.json"),
        "{paths:?}"
    );
    served.extend(changes);
    let served: Vec<(String, Vec<u8>)> = served.into_iter().collect();
    let fresh = built(&site).files;
    // The same documents hold the same terms as a fresh index (impacts
    // may differ: an edit keeps the build's mean lengths).
    let docs = |files: &[(String, Vec<u8>)]| -> BTreeMap<String, BTreeSet<u32>> {
        postings_and_words(files)
            .0
            .into_iter()
            .map(|(t, d)| (t, d.into_keys().collect()))
            .collect()
    };
    assert_eq!(docs(&served), docs(&fresh));
    assert!(!docs(&served).contains_key("zebra"), "zebra is gone");
    assert_eq!(json(&served, &beta), json(&fresh, &beta));
    // A page leaving the search (now a draft) asks for a rebuild.
    let drafted = "---\ntitle: Beta\ndraft: true\n---\nx\n";
    site.pages[b].doc =
        crate::content::front_matter::parse(std::path::Path::new("b.md"), drafted).unwrap();
    assert!(live.update(&site, &derived(&site), b).is_none());
}

#[test]
fn the_same_site_gives_the_same_bytes_with_any_thread_count() {
    let site = generated_site(60, |i| {
        (
            format!("s{}/p{i}.md", i % 4),
            format!(
                "---\ntitle: Page {i}\n---\nword{} shared text number {i}\n",
                i % 7
            ),
        )
    });
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let four = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap();
    let a = one.install(|| built(&site));
    let b = four.install(|| built(&site));
    assert_eq!(a.files, b.files);
    let (terms, _) = postings_and_words(&a.files);
    assert_eq!(terms["share"].len(), 60, "every page once");
}

#[test]
fn big_indexes_are_cut_into_chunks_that_find_every_key() {
    let site = generated_site(1500, |i| {
        (
            format!("p{i}.md"),
            format!("---\ntitle: Page {i}\n---\nuniqueword{i} common\n"),
        )
    });
    let idx = built(&site);
    let meta = json(&idx.files, "search/index.json");
    let firsts: Vec<String> = serde_json::from_value(meta["c"].clone()).unwrap();
    assert!(firsts.len() > 1 && firsts.is_sorted(), "{firsts:?}");
    // Every term sits in the chunk the browser looks in.
    for (name, bytes) in &idx.files {
        let Some(c) = name
            .strip_prefix("search/c/")
            .and_then(|n| n.strip_suffix(".json"))
        else {
            continue;
        };
        let c: usize = c.parse().unwrap();
        let chunk: Value = serde_json::from_slice(bytes).unwrap();
        for key in chunk.as_object().unwrap().keys() {
            let expected = firsts.partition_point(|f| f.as_str() <= key.as_str()) - 1;
            assert_eq!(c, expected, "{key}");
        }
    }
}

#[test]
fn index_files_are_told_from_the_results_page() {
    assert!(is_index_file("search/index.json"));
    assert!(is_index_file("search/c/0.json"));
    assert!(is_index_file("search/f/12.json"));
    assert!(is_index_file("search/w/a.json"));
    assert_eq!(files::word_key("ïa"), "_ef");
    assert_eq!(files::word_key("移植"), "_79fb");
    assert!(!is_index_file("search/index.html"));
    assert!(!is_index_file("search/cats.html"));
}

#[test]
fn the_index_is_the_same_whatever_number_of_pages_is_read_at_a_time() {
    let pages: Vec<(String, String)> = (0..12)
        .map(|n| {
            let words = [
                "neutrophils",
                "platelets",
                "zebra",
                "graft",
                "marrow",
                "fever",
            ];
            (
                format!("p{n}.md"),
                format!(
                    "---\ntitle: Page {n}\n---\n## Part {n}\n\n{} and {} again.\n",
                    words[n % 6],
                    words[(n * 5 + 1) % 6]
                ),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = pages
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let site = crate::model::test_site(&refs);
    let derived = derived(&site);
    let files_of = |slice: usize, editable: bool| {
        let sink = crate::output::MemorySink::default();
        let never: &(dyn Fn() -> bool + Sync) = &|| false;
        let slices = (slice, never, editable);
        let built =
            LiveIndex::build_in_slices((&site, &derived, 0), (&sink, None, None), slices).unwrap();
        let mut files: BTreeMap<String, Vec<u8>> = (sink.into_files().into_iter())
            .map(|(path, bytes)| (path, bytes.to_vec()))
            .collect();
        files.extend(built.index.files(&site));
        files
    };
    let whole = files_of(1000, true);
    assert!(whole.len() > 12, "fragments and postings");
    for slice in [1, 5] {
        assert_eq!(files_of(slice, true), whole, "{slice} pages at a time");
    }
    // What a build writes is what serve's editable index serves.
    assert_eq!(files_of(5, false), whole, "an index written once");
    // Serve stops a build when an edit is coming.
    assert!(LiveIndex::build(&site, &derived, 0, &|| true).is_none());
}

/// The index of `site` built with `last`'s counts, as sorted files, and
/// this build's counts.
fn recalled(site: &Site, last: Option<&SearchCounts>) -> (Vec<(String, Vec<u8>)>, SearchCounts) {
    let texts: Vec<u128> = (site.pages.iter())
        .map(|p| crate::output::hash(p.doc.text.as_bytes()))
        .collect();
    let out = std::sync::Mutex::new(Vec::new());
    let recall = Recall {
        out: &out,
        context: 7,
        last,
        texts: &texts,
    };
    let sink = crate::output::MemorySink::default();
    write(site, &derived(site), &sink, Some(&recall)).unwrap();
    let mut files: Vec<(String, Vec<u8>)> = (sink.into_files().into_iter())
        .map(|(path, bytes)| (path, bytes.to_vec()))
        .collect();
    files.sort_unstable();
    let counts = SearchCounts::from_bytes(&out.into_inner().unwrap()).unwrap();
    (files, counts)
}

#[test]
fn counts_recalled_from_the_last_build_give_the_index_of_a_clean_build() {
    let page = |n: usize, extra: &str| {
        let words = ["neutrophils", "platelets", "zebra", "graft", "marrow"];
        format!(
            "---\ntitle: Page {n} {}\n---\nThe {} and {extra} Donors.\n\n## Later\n\nA donor.\n",
            words[n % 5],
            words[(n * 3 + 1) % 5]
        )
    };
    let before: Vec<(String, String)> = (0..9).map(|n| (format!("p{n}.md"), page(n, ""))).collect();
    let mut after = before.clone();
    after[4].1 = page(4, "quinoa");
    after.remove(6);
    let site_of = |pages: &[(String, String)]| {
        let refs: Vec<(&str, &str)> = pages
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        crate::model::test_site_with_glossary(
            &refs,
            Some("- term: Graft\n  definition: New cells.\n"),
        )
    };
    let (site_before, site_after) = (site_of(&before), site_of(&after));
    let (_, last) = recalled(&site_before, None);
    let clean = built(&site_after).files;
    let (files, counts) = recalled(&site_after, Some(&last));
    assert_eq!(files, clean, "the same bytes as a clean build");
    let (_, words) = postings_and_words(&files);
    assert!(words.contains_key("quinoa") && words.contains_key("donors"));
    // Counted again, the same pages give the same counts.
    let (_, again) = recalled(&site_after, None);
    let rels = |c: &SearchCounts| {
        let mut r: Vec<String> = c.indexes[0].pages.keys().cloned().collect();
        r.sort();
        r
    };
    assert_eq!(rels(&counts), rels(&again));
    assert_eq!(counts.indexes[0].terms.len(), again.indexes[0].terms.len());

    // The counts are taken, not the text: another page's counts put under
    // a page's name change the index; counts that do not decode are
    // counted again from the text.
    let mut swapped = recalled(&site_after, None).1;
    let pages = &mut swapped.indexes[0].pages;
    let other = pages["p1.md"].counts.clone();
    pages.get_mut("p2.md").unwrap().counts = other;
    assert_ne!(recalled(&site_after, Some(&swapped)).0, clean);
    let mut broken = recalled(&site_after, None).1;
    broken.indexes[0].pages.get_mut("p2.md").unwrap().counts = vec![252, 255];
    assert_eq!(recalled(&site_after, Some(&broken)).0, clean);
}
