//! The two-stage review model, end to end: what each review state shows
//! readers and search engines, the site search's treatment of unreviewed
//! pages, `review.enabled: false`, `marrow check`'s summary and worklist,
//! and `marrow review` recording a clinical review without touching
//! anything else. Every run is pinned to 2026-12-01 with `MARROW_TODAY`.

mod common;

use std::path::Path;

use common::{Run, copy_fixture};
use scraper::{Html, Selector};
use serde_json::Value;

const TODAY: &str = "2026-12-01";

fn marrow_on(today: &str, args: &[&str]) -> Run {
    common::marrow_with_env(args, &[("MARROW_TODAY", today)])
}

fn marrow(args: &[&str]) -> Run {
    marrow_on(TODAY, args)
}

/// `marrow review PAGE --reviewer "Dr A" --role GP` plus `extra`.
fn review_by_dr_a(root: &str, page: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "review",
        page,
        "--root",
        root,
        "--reviewer",
        "Dr A",
        "--role",
        "GP",
    ];
    args.extend_from_slice(extra);
    marrow(&args)
}

fn built(root: &Path) -> tempfile::TempDir {
    built_with(root, &[]).0
}

fn built_with(root: &Path, extra: &[&str]) -> (tempfile::TempDir, Run) {
    common::built_on(TODAY, root, extra)
}

/// What a reader and a search engine see of one built page.
struct Shown {
    notice: Option<String>,
    footer: String,
    noindex: bool,
    json_ld: Value,
}

fn shown(out: &Path, page: &str) -> Shown {
    let html = std::fs::read_to_string(out.join(page).join("index.html")).unwrap();
    let doc = Html::parse_document(&html);
    let text = |sel: &str| {
        doc.select(&Selector::parse(sel).unwrap()).next().map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    let json_ld = doc
        .select(&Selector::parse("script[type='application/ld+json']").unwrap())
        .next()
        .map(|e| serde_json::from_str(&e.text().collect::<String>()).unwrap())
        .unwrap_or(Value::Null);
    Shown {
        notice: text(".notice[role=note]"),
        footer: text(".review-dates").unwrap_or_default(),
        noindex: doc
            .select(&Selector::parse("meta[name=robots]").unwrap())
            .any(|m| {
                m.value()
                    .attr("content")
                    .is_some_and(|c| c.contains("noindex"))
            }),
        json_ld,
    }
}

#[test]
fn each_review_state_shows_what_happened_and_nothing_more() {
    let root = common::fixture("review");
    let out = built(&root);
    let out = out.path();

    let reviewed = shown(out, "reviewed");
    assert_eq!(reviewed.notice, None);
    assert!(
        reviewed.footer.contains("Page last reviewed: 1 June 2026")
            && reviewed
                .footer
                .contains("Reviewed by Dr Jane Smith, Consultant haematologist")
            && reviewed.footer.contains("Next review due: 1 June 2027")
            && reviewed
                .footer
                .contains("Sources last checked: 20 May 2026"),
        "{}",
        reviewed.footer
    );
    assert!(!reviewed.noindex);
    assert_eq!(reviewed.json_ld["@type"], "MedicalWebPage");
    assert_eq!(reviewed.json_ld["lastReviewed"], "2026-06-01");
    assert_eq!(reviewed.json_ld["reviewedBy"]["name"], "Dr Jane Smith");
    assert_eq!(
        reviewed.json_ld["reviewedBy"]["jobTitle"],
        "Consultant haematologist"
    );

    let due = shown(out, "due-soon");
    assert_eq!(due.notice, None);
    assert!(
        due.footer.contains("Next review due: 20 December 2026"),
        "{}",
        due.footer
    );
    assert_eq!(due.json_ld["lastReviewed"], "2025-12-20");

    let overdue = shown(out, "overdue");
    let notice = overdue.notice.unwrap_or_default();
    assert!(
        notice.contains("due for review") && notice.contains("10 January 2026"),
        "{notice}"
    );
    assert!(
        overdue
            .footer
            .contains("Page last reviewed: 10 January 2025")
    );
    assert!(
        !overdue.noindex,
        "an overdue page was still clinically reviewed"
    );

    let checked = shown(out, "checked");
    let notice = checked.notice.unwrap_or_default();
    assert!(
        notice.contains("Not yet reviewed by a clinician") && notice.contains("25 November 2026"),
        "{notice}"
    );
    assert!(
        checked
            .footer
            .contains("Sources checked: 25 November 2026 by Editorial team")
            && !checked.footer.contains("Page last reviewed")
            && !checked.footer.contains("Next review due"),
        "{}",
        checked.footer
    );
    assert!(checked.noindex);
    assert_eq!(checked.json_ld["@type"], "MedicalWebPage");
    assert!(checked.json_ld.get("lastReviewed").is_none());
    assert!(checked.json_ld.get("reviewedBy").is_none());

    let never = shown(out, "unreviewed");
    assert!(
        never
            .notice
            .unwrap_or_default()
            .contains("Not yet reviewed.")
    );
    assert!(!never.footer.contains("Page last reviewed"));
    assert!(never.noindex);
    assert!(never.json_ld.get("lastReviewed").is_none());

    let guide = shown(out, "guide");
    assert_eq!(guide.notice, None);
    assert_eq!(guide.footer, "");
    assert!(!guide.noindex);
    assert_eq!(guide.json_ld["@type"], "WebPage");

    // The sitemap follows noindex.
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("/reviewed/") && !sitemap.contains("/checked/"),
        "{sitemap}"
    );
}

fn search_pages(out: &Path) -> Vec<(String, String)> {
    common::search_docs(out)
        .iter()
        .map(|d| {
            (
                d["t"].as_str().unwrap().to_string(),
                d["r"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn site_search_includes_unreviewed_pages_with_their_state_unless_told_not_to() {
    let (_tmp, root) = copy_fixture("review");
    let out = built(&root);
    let pages = search_pages(out.path());
    let state = |t: &str| {
        pages
            .iter()
            .find(|(title, _)| title == t)
            .map(|(_, s)| s.as_str())
    };
    assert_eq!(state("Sources checked page"), Some("checked"));
    assert_eq!(state("Unreviewed page"), Some("unreviewed"));
    assert_eq!(state("Reviewed page"), Some(""));

    let yaml = root.join("site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(
        &yaml,
        format!("{text}search:\n  include_unreviewed: false\n"),
    )
    .unwrap();
    let (out, run) = built_with(&root, &[]);
    assert!(
        run.stdout
            .contains("left out: 2 medical pages without a clinical review"),
        "the summary says why pages are missing: {}",
        run.stdout
    );
    let titles: Vec<String> = search_pages(out.path())
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    assert!(titles.contains(&"Reviewed page".to_string()));
    assert!(
        !titles.contains(&"Sources checked page".to_string()),
        "{titles:?}"
    );
    assert!(
        !titles.contains(&"Unreviewed page".to_string()),
        "{titles:?}"
    );

    // With --drafts a draft is built but never searched, and the summary counts it.
    std::fs::write(
        root.join("content/draft.md"),
        "---\ntitle: Draft page\ndraft: true\n---\nNot ready.\n",
    )
    .unwrap();
    let (out, run) = built_with(&root, &["--drafts"]);
    assert!(
        run.stdout
            .contains("left out: 1 draft, 2 medical pages without a clinical review"),
        "{}",
        run.stdout
    );
    assert!(out.path().join("draft/index.html").is_file());
    assert!(
        !search_pages(out.path())
            .iter()
            .any(|(t, _)| t == "Draft page")
    );
}

#[test]
fn review_governance_can_be_switched_off_for_non_medical_sites() {
    let (_tmp, root) = copy_fixture("review");
    let yaml = root.join("site.yaml");
    let text = std::fs::read_to_string(&yaml)
        .unwrap()
        .replace("review:\n", "review:\n  enabled: false\n");
    std::fs::write(&yaml, text).unwrap();
    // A page well above the reading grade target.
    std::fs::write(
        root.join("content/hard.md"),
        format!(
            "---\ntitle: Hard\n---\n{}\n",
            "Institutional interoperability considerations necessitate comprehensive organisational documentation procedures. ".repeat(12)
        ),
    )
    .unwrap();
    let out = built(&root);
    for page in ["checked", "unreviewed", "overdue", "reviewed"] {
        let s = shown(out.path(), page);
        assert_eq!(s.notice, None, "{page}");
        assert_eq!(s.footer, "", "{page}");
        assert!(!s.noindex, "{page}");
        assert_eq!(s.json_ld["@type"], "WebPage", "{page}");
    }
    let run = marrow(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(run.code, 0, "{}", run.stdout);
    let kinds: Vec<&str> = report["pages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["problems"].as_array().unwrap())
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert!(
        !kinds
            .iter()
            .any(|k| k.contains("review") || *k == "readability"),
        "{kinds:?}"
    );
}

#[test]
fn check_summarises_review_states_and_strict_wants_a_clinical_review() {
    let (_tmp, root) = copy_fixture("review");
    // No overdue page, so only the missing clinical reviews are left.
    std::fs::remove_file(root.join("content/overdue.md")).unwrap();
    let root_s = root.to_str().unwrap();
    let run = marrow(&["check", "--root", root_s, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let r = &report["review"];
    assert_eq!(
        (
            r["clinically_reviewed"].as_u64(),
            r["sources_checked"].as_u64(),
            r["not_reviewed"].as_u64(),
            r["overdue"].as_u64(),
            r["due_soon"].as_u64(),
            r["exempt"].as_u64()
        ),
        (Some(3), Some(1), Some(1), Some(0), Some(1), Some(1)),
        "{r}"
    );
    let text = marrow(&["check", "--root", root_s]).stdout;
    assert!(
        text.contains("Review: 3 clinically reviewed, 1 sources checked only, 1 not reviewed; 0 overdue, 1 due within 30 days"),
        "{text}"
    );
    assert!(text.contains("the reviewer has no role"), "{text}");

    // A sources check written into `reviewer` is called out.
    std::fs::write(
        root.join("content/disguised.md"),
        "---\ntitle: Disguised\nreviewed: 2026-11-25\nreviewer: \"Writing team: checked against the listed sources (not a clinical review)\"\n---\nText.\n",
    )
    .unwrap();
    let text = marrow(&["check", "--root", root_s]).stdout;
    assert!(
        text.contains("warning: content/disguised.md: `reviewer: Writing team: checked against the listed sources (not a clinical review)` describes a check of the sources"),
        "{text}"
    );
    std::fs::remove_file(root.join("content/disguised.md")).unwrap();

    // Half-recorded reviews and checks are named, and a review date
    // without a reviewer fails the check.
    let half = [
        (
            "no-reviewer.md",
            "reviewed: 2026-11-25\n",
            "no_reviewer",
            "error",
        ),
        (
            "no-date.md",
            "reviewer: { name: Dr A, role: GP }\n",
            "review_incomplete",
            "warning",
        ),
        (
            "no-checker.md",
            "sources_checked: 2026-11-25\n",
            "sources_check_incomplete",
            "warning",
        ),
        (
            "no-check-date.md",
            "checked_by: Editors\n",
            "sources_check_incomplete",
            "warning",
        ),
    ];
    for (file, keys, _, _) in half {
        std::fs::write(
            root.join("content").join(file),
            format!("---\ntitle: {file}\n{keys}---\nText.\n"),
        )
        .unwrap();
    }
    let run = marrow(&["check", "--root", root_s, "--format", "json"]);
    assert_eq!(
        run.code, 1,
        "the missing reviewer is an error: {}",
        run.stdout
    );
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    for (file, _, kind, severity) in half {
        let page = report["pages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["source"] == format!("content/{file}"))
            .unwrap();
        assert!(
            page["problems"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["kind"] == kind && p["severity"] == severity),
            "{file}: {page}"
        );
        if file == "no-date.md" {
            assert_eq!(page["review"]["status"], "never_reviewed");
            assert_eq!(page["review"]["reviewer"], Value::Null, "{page}");
        }
        std::fs::remove_file(root.join("content").join(file)).unwrap();
    }

    // Strict fails while one patient page lacks a clinical review…
    std::fs::remove_file(root.join("content/unreviewed.md")).unwrap();
    let due = root.join("content/due-soon.md");
    let t = std::fs::read_to_string(&due).unwrap().replace(
        "reviewer: Dr Ann Lee",
        "reviewer: { name: Dr Ann Lee, role: Nurse }",
    );
    std::fs::write(&due, t).unwrap();
    let strict = marrow_on("2026-06-02", &["check", "--root", root_s, "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stdout);
    assert!(
        strict.stdout.contains("content/checked.md"),
        "{}",
        strict.stdout
    );
    // …and passes once it has one.
    let rec = marrow_on(
        "2026-06-02",
        &[
            "review",
            "content/checked.md",
            "--root",
            root_s,
            "--reviewer",
            "Dr K",
            "--role",
            "GP",
        ],
    );
    assert_eq!(rec.code, 0, "{}", rec.stderr);
    let strict = marrow_on("2026-06-02", &["check", "--root", root_s, "--strict"]);
    assert_eq!(strict.code, 0, "{}", strict.stdout);
}

#[test]
fn due_within_lists_the_reviewers_work_oldest_first() {
    let root = common::fixture("review");
    let root_s = root.to_str().unwrap();
    let run = marrow(&[
        "check",
        "--root",
        root_s,
        "--due-within",
        "30",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list: Value = serde_json::from_str(&run.stdout).unwrap();
    let sources: Vec<&str> = list["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        [
            "content/overdue.md",
            "content/unreviewed.md",
            "content/checked.md",
            "content/due-soon.md"
        ]
    );
    assert_eq!(list["pages"][3]["due"], "2026-12-20");
    // A longer horizon reaches the pages reviewed in June.
    let run = marrow(&["check", "--root", root_s, "--due-within", "365"]);
    assert!(
        run.stdout.starts_with("6 pages need a clinical review"),
        "{}",
        run.stdout
    );
    let rows: Vec<&str> = run.stdout.lines().skip(3).collect();
    assert!(
        rows[0].contains("content/overdue.md") && rows[0].contains("10 Jan 2026"),
        "{rows:?}"
    );
    assert!(
        rows.last().unwrap().contains("content/reviewed.md"),
        "{rows:?}"
    );
}

#[test]
fn marrow_review_changes_only_the_review_keys() {
    let (_tmp, root) = copy_fixture("review");
    let root_s = root.to_str().unwrap();
    let page = root.join("content/reviewed.md");
    let before = std::fs::read_to_string(&page).unwrap();
    let run = marrow(&[
        "review",
        "reviewed.md",
        "--root",
        root_s,
        "--reviewer",
        "Dr Priya Patel",
        "--role",
        "Transplant nurse specialist",
        "--date",
        "2026-11-30",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("next review due 2027-11-30"),
        "{}",
        run.stdout
    );
    let after = std::fs::read_to_string(&page).unwrap();
    let expected = before
        .replace("reviewed: 2026-06-01\n", "reviewed: 2026-11-30\n")
        .replace(
            "reviewer: { name: \"Dr Jane Smith\", role: \"Consultant haematologist\" }\n",
            "reviewer: { name: \"Dr Priya Patel\", role: \"Transplant nurse specialist\" }\nnext_review: 2027-11-30\n",
        );
    assert_eq!(after, expected);
    assert!(
        !run.stderr.contains("not medical content"),
        "{}",
        run.stderr
    );

    // Review keys that end the front matter, one over several lines, and a
    // file that ends at its closing fence.
    for (text, want) in [
        (
            "---\ntitle: Last\nreviewed: 2026-01-01\nreviewer: Dr Old\n---\nBody.\n",
            "---\ntitle: Last\nreviewed: 2026-11-30\nreviewer: { name: \"Dr A\", role: \"GP\" }\nnext_review: 2027-11-30\n---\nBody.\n",
        ),
        (
            "---\ntitle: Block\nreviewed: 2026-01-01\nreviewer:\n  name: Dr Old\n  role: GP\n---\nBody.\n",
            "---\ntitle: Block\nreviewed: 2026-11-30\nreviewer: { name: \"Dr A\", role: \"GP\" }\nnext_review: 2027-11-30\n---\nBody.\n",
        ),
        (
            "---\ntitle: No body\n---",
            "---\ntitle: No body\nreviewed: 2026-11-30\nreviewer: { name: \"Dr A\", role: \"GP\" }\nnext_review: 2027-11-30\n---",
        ),
    ] {
        let page = root.join("content/edge.md");
        std::fs::write(&page, text).unwrap();
        let run = review_by_dr_a(root_s, "edge.md", &["--date", "2026-11-30"]);
        assert_eq!(run.code, 0, "{text:?}: {}", run.stderr);
        assert_eq!(std::fs::read_to_string(&page).unwrap(), want);
    }

    // Pages outside medical content take the review, with a note that it
    // will not be shown.
    let run = review_by_dr_a(root_s, "guide/_index.md", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("note: this page is not medical content"),
        "{}",
        run.stderr
    );

    // A page without any review keys gets them before the closing fence,
    // with its own line endings.
    let crlf = root.join("content/crlf.md");
    let original = "---\r\ntitle: CRLF page\r\n# keep me\r\ntags: [a]\r\n---\r\nBody.\r\n";
    std::fs::write(&crlf, original).unwrap();
    let run = review_by_dr_a(
        root_s,
        crlf.to_str().unwrap(),
        &["--next-review", "2027-06-01"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(&crlf).unwrap(),
        "---\r\ntitle: CRLF page\r\n# keep me\r\ntags: [a]\r\nreviewed: 2026-12-01\r\nreviewer: { name: \"Dr A\", role: \"GP\" }\r\nnext_review: 2027-06-01\r\n---\r\nBody.\r\n"
    );
}

#[test]
fn marrow_review_refuses_broken_pages_and_future_dates_and_changes_nothing() {
    let (_tmp, root) = copy_fixture("review");
    let root_s = root.to_str().unwrap();
    let page = root.join("content/broken.md");
    let broken = "---\ntitle: Broken\nreviewd: 2026-01-01\n---\nBody\n";
    std::fs::write(&page, broken).unwrap();
    let run = review_by_dr_a(root_s, "broken.md", &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/broken.md:3:1"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("not recorded"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&page).unwrap(), broken);

    let checked = root.join("content/checked.md");
    let before = std::fs::read_to_string(&checked).unwrap();
    let refused: [(&[&str], &str); 3] = [
        (
            &["--reviewer", "Dr A", "--role", "GP", "--date", "2026-12-02"],
            "in the future",
        ),
        (
            &[
                "--reviewer",
                "Dr A",
                "--role",
                "GP",
                "--date",
                "2026-11-01",
                "--next-review",
                "2026-10-01",
            ],
            "must come after",
        ),
        (&["--reviewer", " ", "--role", "GP"], "name and role"),
    ];
    for (extra, why) in refused {
        let mut args = vec!["review", "checked.md", "--root", root_s];
        args.extend_from_slice(extra);
        let run = marrow(&args);
        assert_eq!(run.code, 1, "{extra:?}");
        assert!(run.stderr.contains(why), "{extra:?}: {}", run.stderr);
    }
    assert_eq!(std::fs::read_to_string(&checked).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(root.join("content"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("marrow-edit"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_new_starter_site_finds_its_own_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("starter");
    let run = marrow(&["new", "site", site.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = built(&site);
    let titles: Vec<String> = search_pages(out.path())
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    for title in ["Before your treatment", "After your treatment"] {
        assert!(
            titles.iter().any(|t| t == title),
            "{title} not in {titles:?}"
        );
    }
}
