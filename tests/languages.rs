//! Whole-binary tests of multilingual sites: the fixture
//! `tests/fixtures/languages/` (English, Chinese and Arabic; a fresh, a
//! stale and a missing translation, a translated slug, links that fall
//! back to English) built and checked with the real binary, and a
//! translation whose source is gone.

mod common;

use std::path::Path;

use common::{built_on, copy_fixture, fixture, marrow, marrow_with_env};
use serde_json::Value;

const TODAY: &str = "2026-12-01";

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

#[test]
fn each_language_has_its_own_urls_navigation_feed_glossary_and_search() {
    let (out, _) = built_on(TODAY, &fixture("languages"), &[]);
    let out = out.path();
    for page in [
        "index.html",
        "process/engraftment/index.html",
        "zh/index.html",
        "zh/process/index.html",
        "zh/process/engraftment/index.html",
        // A translated slug.
        "zh/process/yu-chu-li/index.html",
        "ar/index.html",
        "ar/process/engraftment/index.html",
        "zh/glossary/index.html",
        "zh/search/index.html",
        "zh/search/index.json",
        "search/index.json",
        "zh/feed.xml",
        "ar/feed.xml",
    ] {
        assert!(out.join(page).is_file(), "{page} is missing");
    }
    assert!(!out.join("process/engraftment.zh").exists());
    assert!(
        !out.join("ar/glossary").exists(),
        "no Arabic glossary file, no page"
    );

    // Links in a translation lead to the same language, or to English
    // with a note for the reader.
    let zh = read(out.join("zh/process/engraftment/index.html"));
    assert!(
        zh.contains("href=\"../../../zh/process/yu-chu-li/index.html\""),
        "{zh}"
    );
    assert!(
        zh.contains("href=\"../../../process/going-home/index.html\""),
        "{zh}"
    );
    assert!(zh.contains("class=\"lang-fallback\""), "{zh}");
    // Prev and next stay in the language; the navigation lists only it.
    assert!(
        !zh.contains("href=\"../../../process/conditioning/index.html\""),
        "{zh}"
    );
    // The Chinese glossary marks its terms in Chinese text.
    assert!(zh.contains("glossary/index.html#term-"), "{zh}");

    let feed = read(out.join("zh/feed.xml"));
    assert!(feed.contains("xml:lang=\"zh-Hans\""), "{feed}");
    assert!(feed.contains("<title>移植指南"), "{feed}");
    assert!(
        feed.contains("https://example.org/docs/zh/process/engraftment/"),
        "{feed}"
    );
    assert!(
        !feed.contains("https://example.org/docs/process/"),
        "{feed}"
    );

    // Tags per language.
    assert!(out.join("zh/tags/流程/index.html").is_file());
    let tags = read(out.join("tags/process/index.html"));
    assert!(!tags.contains("zh/"), "{tags}");

    // The Chinese search index holds only Chinese pages.
    let meta = read(out.join("zh/search/index.json"));
    assert!(meta.contains("zh-Hans"), "{meta}");
    let fragments: Vec<String> = std::fs::read_dir(out.join("zh/search/f"))
        .unwrap()
        .map(|e| read(e.unwrap().path()))
        .collect();
    assert!(
        fragments
            .iter()
            .any(|f| f.contains("zh/process/engraftment/"))
    );
    assert!(
        fragments.iter().all(|f| !f.contains("\"process/")),
        "{fragments:?}"
    );
}

#[test]
fn the_sitemap_lists_every_version_of_a_page_as_alternates() {
    let (out, _) = built_on(TODAY, &fixture("languages"), &[]);
    let sitemap = read(out.path().join("sitemap.xml"));
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    let entry = sitemap
        .split("<url>")
        .find(|u| u.contains("<loc>https://example.org/docs/zh/process/engraftment/</loc>"))
        .unwrap_or_else(|| panic!("{sitemap}"));
    for (tag, url) in [
        ("en-GB", "https://example.org/docs/process/engraftment/"),
        (
            "zh-Hans",
            "https://example.org/docs/zh/process/engraftment/",
        ),
        ("ar", "https://example.org/docs/ar/process/engraftment/"),
    ] {
        let link = format!("<xhtml:link rel=\"alternate\" hreflang=\"{tag}\" href=\"{url}\"/>");
        assert!(entry.contains(&link), "{link} not in {entry}");
    }
    // A page without translations has no alternates.
    let alone = sitemap
        .split("<url>")
        .find(|u| u.contains("/process/going-home/</loc>"))
        .unwrap();
    assert!(!alone.contains("xhtml:link"), "{alone}");
}

#[test]
fn pages_carry_their_language_direction_alternates_and_switcher() {
    let (out, _) = built_on(TODAY, &fixture("languages"), &[]);
    let out = out.path();
    let ar = read(out.join("ar/process/engraftment/index.html"));
    assert!(ar.contains("<html lang=\"ar\" dir=\"rtl\""), "{ar}");
    let zh = read(out.join("zh/process/engraftment/index.html"));
    assert!(zh.contains("<html lang=\"zh-Hans\" dir=\"ltr\""), "{zh}");
    let en = read(out.join("process/engraftment/index.html"));
    assert!(en.contains("<html lang=\"en-GB\" dir=\"ltr\""), "{en}");
    for (tag, href) in [
        ("en-GB", "https://example.org/docs/process/engraftment/"),
        (
            "zh-Hans",
            "https://example.org/docs/zh/process/engraftment/",
        ),
        ("ar", "https://example.org/docs/ar/process/engraftment/"),
        ("x-default", "https://example.org/docs/process/engraftment/"),
    ] {
        let link = format!("<link rel=\"alternate\" hreflang=\"{tag}\" href=\"{href}\"");
        for page in [&en, &zh, &ar] {
            assert!(page.contains(&link), "{link}");
        }
    }
    // The switcher offers the languages this page exists in, and only those.
    assert!(zh.contains("العربية") && zh.contains("English"), "{zh}");
    let stale = read(out.join("zh/process/yu-chu-li/index.html"));
    assert!(
        !stale.contains("العربية"),
        "conditioning has no Arabic version"
    );
    let alone = read(out.join("process/going-home/index.html"));
    assert!(!alone.contains("hreflang="), "{alone}");
}

#[test]
fn a_stale_translation_tells_its_readers_and_a_fresh_one_does_not() {
    let (out, _) = built_on(TODAY, &fixture("languages"), &[]);
    let stale = read(out.path().join("zh/process/yu-chu-li/index.html"));
    let fresh = read(out.path().join("zh/process/engraftment/index.html"));
    // The notice links to the current English page.
    assert!(
        stale.contains("../../../process/conditioning/index.html"),
        "{stale}"
    );
    assert!(
        stale.contains("2026年10月1日"),
        "the source's update, as a Chinese date: {stale}"
    );
    assert!(!fresh.contains("2026年11月1日"), "{fresh}");
    assert!(stale.contains("class=\"notice notice-stale\""), "{stale}");
    assert!(!fresh.contains("notice-stale"), "{fresh}");
}

fn check_json(root: &Path, strict: bool) -> (i32, Value) {
    let root = root.to_str().unwrap();
    let mut args = vec!["check", "--root", root, "--format", "json"];
    if strict {
        args.push("--strict");
    }
    let run = marrow_with_env(&args, &[("MARROW_TODAY", TODAY)]);
    let json = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", run.stdout, run.stderr));
    (run.code, json)
}

fn page<'a>(json: &'a Value, source: &str) -> &'a Value {
    json["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["source"] == source)
        .unwrap_or_else(|| panic!("no {source} in the report"))
}

#[test]
fn check_lists_stale_and_missing_translations_as_text_and_json() {
    let root = fixture("languages");
    let (code, json) = check_json(&root, false);
    assert_eq!(code, 0, "stale translations are warnings: {json:#}");
    let stale = page(&json, "content/process/conditioning.zh.md");
    assert_eq!(stale["language"], "zh-Hans");
    assert_eq!(stale["translation"]["state"], "stale");
    assert_eq!(
        stale["translation"]["source"],
        "content/process/conditioning.md"
    );
    assert!(
        stale["translation"]["reasons"][0]
            .as_str()
            .unwrap()
            .contains("updated on 2026-10-01"),
        "{stale:#}"
    );
    assert!(
        stale["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["kind"] == "stale_translation")
    );
    let fresh = page(&json, "content/process/engraftment.zh.md");
    assert_eq!(fresh["translation"]["state"], "current");
    assert_eq!(fresh["translation"]["translated"], "2026-11-20");
    assert!(page(&json, "content/process/engraftment.md")["translation"].is_null());

    // Chinese and Arabic pages get sentence lengths, never an English grade.
    let zh_read = &fresh["readability"];
    assert!(zh_read["flesch_kincaid_grade"].is_null(), "{zh_read}");
    assert_eq!(zh_read["measure"], "sentence length in characters");
    assert!(zh_read["mean_sentence_length"].as_f64().unwrap() > 5.0);
    let ar_read = &page(&json, "content/process/engraftment.ar.md")["readability"];
    assert_eq!(ar_read["measure"], "sentence length in words");

    let langs = json["translations"].as_array().unwrap();
    let zh = langs.iter().find(|l| l["code"] == "zh").unwrap();
    assert_eq!(
        zh["stale"],
        serde_json::json!(["content/process/conditioning.zh.md"])
    );
    assert_eq!(
        zh["missing"],
        serde_json::json!(["content/process/going-home.md"])
    );
    let ar = langs.iter().find(|l| l["code"] == "ar").unwrap();
    assert_eq!(
        ar["missing"],
        serde_json::json!([
            "content/process/_index.md",
            "content/process/conditioning.md",
            "content/process/going-home.md"
        ])
    );

    let (strict, _) = check_json(&root, true);
    assert_ne!(strict, 0, "--strict fails on a stale translation");

    let text = marrow_with_env(
        &["check", "--root", root.to_str().unwrap()],
        &[("MARROW_TODAY", TODAY)],
    );
    assert!(
        text.stdout
            .contains("stale: content/process/conditioning.zh.md"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains(
            "Translations into 简体中文 (zh-Hans): 4 pages, 1 stale, 1 not translated yet"
        ),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("not translated: content/process/going-home.md"),
        "{}",
        text.stdout
    );
}

#[test]
fn translate_mark_records_the_source_fingerprint_and_an_edit_makes_it_stale_again() {
    let (_tmp, root) = copy_fixture("languages");
    let r = root.to_str().unwrap();
    let run = marrow_with_env(
        &[
            "translate",
            "mark",
            "content/process/conditioning.zh.md",
            "--root",
            r,
        ],
        &[("MARROW_TODAY", TODAY)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = read(root.join("content/process/conditioning.zh.md"));
    assert!(text.contains("translated: 2026-12-01\n"), "{text}");
    assert!(text.contains("source_fingerprint: \"fnv1a64:"), "{text}");
    assert!(
        text.contains("translator: fixture writer"),
        "the rest is kept: {text}"
    );
    let (_, json) = check_json(&root, true);
    assert_eq!(
        page(&json, "content/process/conditioning.zh.md")["translation"]["state"],
        "current"
    );

    // The source's text changes without anyone touching `updated`.
    let source = root.join("content/process/conditioning.md");
    let edited = read(&source).replace("\n---\n", "\n---\nA new first sentence.\n\n");
    std::fs::write(&source, edited).unwrap();
    let (code, json) = check_json(&root, true);
    let t = &page(&json, "content/process/conditioning.zh.md")["translation"];
    assert_eq!(t["state"], "stale", "{t}");
    assert!(
        t["reasons"][0].as_str().unwrap().contains("fingerprint"),
        "{t}"
    );
    assert_ne!(code, 0);

    let refused = marrow(&[
        "translate",
        "mark",
        "content/process/going-home.md",
        "--root",
        r,
    ]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("is not a translation"),
        "{}",
        refused.stderr
    );
}

#[test]
fn a_translation_whose_source_is_gone_is_an_error_naming_both_files() {
    let out = tempfile::tempdir().unwrap();
    let run = common::build(&fixture("languages-orphan"), out.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("content/lost.zh.md"), "{}", run.stderr);
    assert!(run.stderr.contains("content/lost.md"), "{}", run.stderr);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
}
