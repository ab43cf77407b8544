//! A build that is strict without being brittle: what other generators'
//! content does that marrow accepts (date-times, blank lines before the
//! front matter, empty lists, email autolinks, `<a name>` anchors, links
//! to old addresses), what it stops publishing (`expires`), and broken
//! links as warnings under `links: warn`.

mod common;

use std::path::Path;

use common::{built_on, copy_fixture, marrow_with_env};

const FIXTURE: &str = "tolerance";

/// The fixture with its one page of genuinely broken links, and `links:`
/// set to `policy` (`None`: not set).
fn site_with_links(policy: Option<&str>) -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, root) = copy_fixture(FIXTURE);
    if let Some(policy) = policy {
        let config = root.join("site.yaml");
        let text = std::fs::read_to_string(&config).unwrap();
        std::fs::write(&config, format!("{text}links: {policy}\n")).unwrap();
    }
    (tmp, root)
}

fn build_on(today: &str, root: &Path) -> common::Run {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let args = [
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        site.to_str().unwrap(),
    ];
    marrow_with_env(&args, &[("MARROW_TODAY", today)])
}

#[test]
fn broken_links_stop_the_build_by_default_all_of_them_at_once() {
    let (_tmp, root) = site_with_links(None);
    let run = build_on("2026-06-01", &root);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    for expected in [
        "link `nowhere.md` points to a missing page",
        "link `new-name.md#part-three`",
        "image `../images/Chart.PNG` points to nothing",
        "Only the letter case differs",
        "3 errors",
    ] {
        assert!(
            run.stderr.contains(expected),
            "{expected:?} in:\n{}",
            run.stderr
        );
    }
    // Nothing else is wrong with the site: the rest is accepted.
    assert!(!run.stderr.contains("_index.md:"), "{}", run.stderr);
    assert!(!run.stderr.contains("help@example"), "{}", run.stderr);
}

#[test]
fn links_warn_builds_and_still_lists_every_broken_link() {
    let (_tmp, root) = site_with_links(Some("warn"));
    let run = build_on("2026-06-01", &root);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stderr.matches("warning: ").count(), 3, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("3 broken links reported as warnings (`links: warn` in site.yaml)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/news/broken.md:4:"),
        "{}",
        run.stderr
    );

    // `check` lists them as page problems, and `--strict` fails on them.
    let root_arg = root.to_str().unwrap();
    let check = marrow_with_env(
        &["check", "--root", root_arg, "--format", "json"],
        &[("MARROW_TODAY", "2026-06-01")],
    );
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    let json: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let kinds: Vec<(String, String)> = json["pages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            p["problems"].as_array().unwrap().iter().map(|x| {
                (
                    p["source"].as_str().unwrap().to_string(),
                    x["kind"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect();
    let broken: Vec<_> = kinds.iter().filter(|(_, k)| k == "broken_link").collect();
    assert_eq!(broken.len(), 3, "{kinds:?}");
    assert!(broken.iter().all(|(s, _)| s == "content/news/broken.md"));
    let strict = marrow_with_env(
        &["check", "--root", root_arg, "--strict"],
        &[("MARROW_TODAY", "2026-06-01")],
    );
    assert_ne!(strict.code, 0, "{}{}", strict.stdout, strict.stderr);
}

#[test]
fn a_wrong_links_setting_is_a_located_error() {
    let (_tmp, root) = site_with_links(Some("warning"));
    let run = build_on("2026-06-01", &root);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("site.yaml:5:8"), "{}", run.stderr);
    assert!(run.stderr.contains("warn"), "{}", run.stderr);
}

#[test]
fn expired_pages_leave_the_site_and_free_their_old_addresses() {
    let (_tmp, root) = site_with_links(Some("warn"));
    let (out, _) = built_on("2026-06-01", &root, &[]);
    let out = out.path();
    assert!(out.join("news/new-name/index.html").is_file());
    assert!(!out.join("news/expired/index.html").exists());
    // The old address belongs to the page that is still published.
    let redirect = std::fs::read_to_string(out.join("2019/05/03/old-post/index.html")).unwrap();
    assert!(redirect.contains("news/new-name/"), "{redirect}");
    // An old `.html` address is kept as that very file.
    let file = std::fs::read_to_string(out.join("archive/new-name.html")).unwrap();
    assert!(file.contains("url=../news/new-name/index.html"), "{file}");
    assert!(!out.join("archive/new-name.html/index.html").exists());
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("expired"), "{sitemap}");

    // Before it expired, the two pages claimed one old address.
    let run = build_on("2026-04-30", &root);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("is also an alias of"), "{}", run.stderr);
}

#[test]
fn check_warns_a_month_before_a_page_expires() {
    let (_tmp, root) = site_with_links(Some("warn"));
    let root = root.to_str().unwrap();
    let problems = |today: &str| -> Vec<String> {
        let run = marrow_with_env(
            &["check", "--root", root, "--format", "json"],
            &[("MARROW_TODAY", today)],
        );
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        json["pages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["source"] == "content/news/long.md")
            .flat_map(|p| p["problems"].as_array().unwrap().clone())
            .filter(|x| x["kind"] == "expires_soon")
            .map(|x| x["message"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(problems("2026-05-20").len(), 0, "31 days before");
    let soon = problems("2026-06-01");
    assert_eq!(soon.len(), 1);
    assert!(
        soon[0].starts_with("expires on 2026-06-20 (in 19 days)"),
        "{soon:?}"
    );
    assert!(problems("2026-06-20")[0].contains("(today)"));
}

#[test]
fn date_times_show_the_day_and_keep_the_moment_for_the_feed() {
    let (_tmp, root) = site_with_links(Some("warn"));
    let (out, _) = built_on("2026-06-01", &root, &[]);
    let feed = std::fs::read_to_string(out.path().join("feed.xml")).unwrap();
    assert!(
        feed.contains("<updated>2026-05-20T08:30:00Z</updated>"),
        "{feed}"
    );
    assert!(
        feed.contains("<updated>2019-05-03T09:00:00Z</updated>"),
        "Go's `+0000 UTC` layout: {feed}"
    );
    let home = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(
        home.contains("\"datePublished\":\"2020-02-13T10:25:54-04:00\""),
        "{home}"
    );
}

#[test]
fn links_to_old_addresses_and_raw_html_anchors_resolve() {
    let (_tmp, root) = site_with_links(Some("warn"));
    let (out, run) = built_on("2026-06-01", &root, &[]);
    // Only the broken page's three links are reported.
    assert_eq!(run.stderr.matches("warning: ").count(), 3, "{}", run.stderr);
    let home = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(
        home.contains("href=\"news/new-name/index.html#part-two\""),
        "an old address links to the page itself: {home}"
    );
    assert!(
        home.contains("href=\"mailto:help@example.nhs.uk\""),
        "{home}"
    );
}

#[test]
fn one_run_reports_every_unknown_key_and_still_checks_the_links_from_and_to_a_broken_page() {
    let (_tmp, root) = site_with_links(Some("error"));
    std::fs::remove_file(root.join("content/news/broken.md")).unwrap();
    std::fs::write(
        root.join("content/news/imported.md"),
        "---\ntitle: Imported\nlayout: post\npermalink: /old/\nweight: heavy\nauthors: [a]\n---\n## Kept heading\n\nSee [nothing](missing.md).\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/news/linker.md"),
        "---\ntitle: Linker\n---\n[ok](imported.md#kept-heading) and [bad](imported.md#gone).\n",
    )
    .unwrap();
    let run = build_on("2026-06-01", &root);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for expected in [
        "unknown field `layout`",
        "content/news/imported.md:3:1",
        "unknown field `permalink`",
        "content/news/imported.md:4:1",
        "unknown field `authors`",
        "content/news/imported.md:6:1",
        // The known keys are still typed…
        "content/news/imported.md:5:9",
        // …its body's links checked…
        "link `missing.md` points to a missing page",
        // …and links to it checked against its headings.
        "link `imported.md#gone`",
        "6 errors",
    ] {
        assert!(
            run.stderr.contains(expected),
            "{expected:?} in:\n{}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains("id `kept-heading`"), "{}", run.stderr);
    assert!(
        run.stderr.contains("move it under `extra:`"),
        "{}",
        run.stderr
    );
}
