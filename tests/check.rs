//! `marrow check` on fixture sites: review status, readability, sources,
//! unused glossary terms, both output formats, the text layout (counts by
//! kind, `--max-errors`, `--pages`) and the exit codes.

mod common;

use std::path::Path;
use std::process::Command;

use common::copy_fixture;
use serde_json::Value;

/// Runs `marrow check` with today fixed, so review statuses do not drift.
fn check(root: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_marrow"))
        .args(["check", "--root", root.to_str().unwrap()])
        .args(extra)
        .env("MARROW_TODAY", "2026-11-25")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn problems<'a>(report: &'a Value, source: &str) -> Vec<&'a str> {
    report["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["source"] == source)
        .unwrap_or_else(|| panic!("no page {source}"))["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect()
}

#[test]
fn json_report_finds_every_kind_of_problem() {
    let (_tmp, root) = copy_fixture("check");
    let (code, stdout, stderr) = check(&root, &["--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(report["version"], 1);
    assert_eq!(report["today"], "2026-11-25");
    assert_eq!(
        problems(&report, "content/topics/overdue.md"),
        ["review_overdue"]
    );
    assert_eq!(
        problems(&report, "content/topics/unreviewed.md"),
        ["never_reviewed"]
    );
    assert_eq!(
        problems(&report, "content/topics/hard-to-read.md"),
        ["readability"]
    );
    assert_eq!(
        problems(&report, "content/topics/no-sources.md"),
        ["no_sources"]
    );
    assert!(
        problems(&report, "content/about/_index.md").is_empty(),
        "exempt page"
    );
    assert!(problems(&report, "content/_index.md").is_empty());
    let overdue = report["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["source"] == "content/topics/overdue.md")
        .unwrap();
    assert_eq!(overdue["review"]["status"], "overdue");
    assert_eq!(overdue["review"]["next_review"], "2021-01-15");
    let hard = report["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["source"] == "content/topics/hard-to-read.md")
        .unwrap();
    assert!(
        hard["readability"]["flesch_kincaid_grade"]
            .as_f64()
            .unwrap()
            > 14.0,
        "{hard}"
    );
    assert_eq!(hard["readability"]["max_grade"], 8.0);
    assert_eq!(
        report["unused_glossary_terms"],
        serde_json::json!(["apheresis"])
    );
    assert_eq!(report["summary"]["verdict"], "fail");
    assert_eq!(report["summary"]["errors"], 2, "overdue + readability");
    assert_eq!(
        report["summary"]["warnings"], 3,
        "unreviewed + no sources + unused glossary term"
    );
}

/// Where `needle` starts in `haystack`, to check the order of the parts.
fn at(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("no {needle:?} in:\n{haystack}"))
}

#[test]
fn text_report_opens_with_counts_by_kind_then_findings_then_a_verdict() {
    let (_tmp, root) = copy_fixture("check");
    let (code, stdout, _) = check(&root, &[]);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("Found 2 errors and 3 warnings in 7 pages:\n"),
        "{stdout}"
    );
    // The counts by kind, errors first, each once.
    let kinds = [
        "  error    1  clinical review overdue (review_overdue)\n",
        "  error    1  reading grade over the limit (readability)\n",
        "  warning  1  not reviewed (never_reviewed)\n",
        "  warning  1  no `references` (no_sources)\n",
        "  warning  1  glossary terms no page uses (unused_glossary_terms)\n",
    ];
    for k in kinds {
        assert_eq!(stdout.matches(k).count(), 1, "{k:?} in:\n{stdout}");
    }
    // The table of pages only on request, and the summary says how.
    assert!(
        stdout.contains("`marrow check --pages`") && !stdout.contains("PAGE "),
        "{stdout}"
    );
    // The findings after the counts, errors before warnings.
    let summary_end = at(&stdout, "--pages`");
    let readability = at(
        &stdout,
        "error: content/topics/hard-to-read.md: reading grade",
    );
    let no_sources = at(
        &stdout,
        "warning: content/topics/no-sources.md: no `references`",
    );
    let glossary = at(&stdout, "glossary terms no page uses: apheresis");
    assert!(summary_end < readability && readability < no_sources && no_sources < glossary);
    assert!(
        stdout.contains(
            "Review: 5 clinically reviewed, 0 sources checked only, 1 not reviewed; 1 overdue"
        ),
        "{stdout}"
    );
    let last = stdout.trim_end().lines().last().unwrap();
    assert!(
        last.starts_with("FAIL: 7 pages checked, 2 errors, 3 warnings"),
        "{last}"
    );
}

#[test]
fn the_page_table_is_printed_with_pages_after_the_findings() {
    let (_tmp, root) = copy_fixture("check");
    let (code, stdout, _) = check(&root, &["--pages"]);
    assert_eq!(code, 1);
    let table = at(&stdout, "PAGE ");
    assert!(
        at(&stdout, "glossary terms no page uses") < table,
        "{stdout}"
    );
    assert!(table < at(&stdout, "Review: "), "{stdout}");
    assert!(stdout.contains("OVERDUE since 15 Jan 2021"), "{stdout}");
    assert!(stdout.contains("not reviewed"), "{stdout}");
    assert!(stdout.contains("not medical"), "{stdout}");
    assert!(!stdout.contains("`marrow check --pages`"), "{stdout}");
}

#[test]
fn max_errors_limits_what_is_printed_not_what_counts() {
    let (_tmp, root) = copy_fixture("check");
    // A build error too: located errors come first.
    std::fs::write(
        root.join("content/topics/broken.md"),
        "---\ntitle: B\nlayout: post\n---\nText.\n",
    )
    .unwrap();
    let (code, stdout, _) = check(&root, &["--max-errors", "2"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("  error    1  unknown field `…`: `layout` 1\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("--> content/topics/broken.md:3:1"),
        "{stdout}"
    );
    let printed = stdout.matches("\nerror: ").count() + stdout.matches("\nwarning: ").count();
    assert_eq!(printed, 2, "{stdout}");
    assert!(
        stdout.contains("… and 4 more findings not shown (--max-errors 2)"),
        "{stdout}"
    );
    assert!(
        // (the broken page is still checked, with a stand-in front matter)
        stdout.contains("FAIL: 8 pages checked, 3 errors, 3 warnings"),
        "{stdout}"
    );
    // Nothing printed still fails on what is not shown, and with room for
    // all, nothing is said to be missing.
    let (code, stdout, _) = check(&root, &["--max-errors", "0"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("… and 6 more findings"), "{stdout}");
    let (_, stdout, _) = check(&root, &["--max-errors", "6"]);
    assert!(!stdout.contains("not shown"), "{stdout}");
    // JSON counts the same, with the most common names of an error kind.
    let (_, json, _) = check(&root, &["--format", "json", "--max-errors", "1"]);
    let json: Value = serde_json::from_str(&json).unwrap();
    let unknown = json["summary"]["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "unknown field `…`");
    assert_eq!(
        unknown,
        Some(&serde_json::json!({
            "kind": "unknown field `…`",
            "severity": "error",
            "count": 1,
            "most_common": [{"name": "layout", "count": 1}],
            "distinct": 1
        }))
    );
    assert_eq!(json["errors"].as_array().map(Vec::len), Some(1));
    // The grouped pages of a finding count one each.
    let (_, stdout, _) = check(&root, &["--max-errors", "4"]);
    assert!(!stdout.contains("content/topics/unreviewed.md"), "{stdout}");
    let (_, stdout, _) = check(&root, &["--max-errors", "5"]);
    assert!(
        stdout.contains("(1 page):\n  content/topics/unreviewed.md\n"),
        "{stdout}"
    );
}

#[test]
fn json_stays_complete_with_max_errors() {
    let (_tmp, root) = copy_fixture("check");
    let (_, all, _) = check(&root, &["--format", "json"]);
    let (_, limited, _) = check(&root, &["--format", "json", "--max-errors", "1"]);
    let all: Value = serde_json::from_str(&all).unwrap();
    let limited: Value = serde_json::from_str(&limited).unwrap();
    for key in [
        "errors",
        "pages",
        "unused_glossary_terms",
        "settings",
        "review",
    ] {
        assert_eq!(all[key], limited[key], "{key}");
    }
    assert_eq!(all["pages"].as_array().unwrap().len(), 7);
    // The counts by kind add up to the summary's.
    let kinds = limited["summary"]["kinds"].as_array().unwrap();
    let total: u64 = kinds.iter().map(|k| k["count"].as_u64().unwrap()).sum();
    assert_eq!(total, 5, "{kinds:?}");
    assert_eq!(
        kinds[0],
        serde_json::json!({"kind": "readability", "severity": "error", "count": 1})
    );
}

#[test]
fn exit_codes_follow_errors_and_strictness() {
    let (_tmp, root) = copy_fixture("check");
    std::fs::remove_file(root.join("content/topics/overdue.md")).unwrap();
    std::fs::remove_file(root.join("content/topics/hard-to-read.md")).unwrap();
    let (code, stdout, _) = check(&root, &[]);
    assert_eq!(code, 0, "warnings alone pass: {stdout}");
    assert!(
        stdout.trim_end().ends_with(')')
            && stdout.starts_with("Found 0 errors and 3 warnings in 5 pages:")
            && stdout.contains("PASS: 5 pages checked, 0 errors, 3 warnings"),
        "{stdout}"
    );
    let (code, _, _) = check(&root, &["--strict"]);
    assert_eq!(code, 1, "--strict counts warnings");

    // Build errors are check errors too, with their location.
    std::fs::write(
        root.join("content/topics/broken.md"),
        "---\ntitle: B\n---\n[x](missing.md)\n",
    )
    .unwrap();
    let (code, stdout, _) = check(&root, &["--format", "json"]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["errors"][0]["file"], "content/topics/broken.md");
    assert_eq!(report["errors"][0]["line"], 4);
    // A broken site.yaml is a usage error.
    std::fs::write(root.join("site.yaml"), "titel: x\n").unwrap();
    assert_eq!(check(&root, &[]).0, 2);
}

#[test]
fn the_bundled_site_passes_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, stdout, stderr) = check(root, &[]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
}

/// Raw HTML stays allowed, but script in content is pointed out, with its
/// line, as a warning (it fails only with --strict).
#[test]
fn script_in_content_is_a_warning_with_its_line() {
    let (_tmp, root) = copy_fixture("basic");
    std::fs::write(
        root.join("content/process/widget.md"),
        "---\ntitle: Widget\n---\nSome text.\n\n<div onclick=\"go()\">Press</div>\n\n[Run](javascript:go())\n\n<script src=\"x.js\"></script>\n",
    )
    .unwrap();
    let (code, stdout, _) = check(&root, &["--format", "json"]);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let kinds = problems(&report, "content/process/widget.md");
    assert_eq!(
        kinds.iter().filter(|k| **k == "unsafe_html").count(),
        3,
        "{kinds:?}"
    );
    let (_, text, _) = check(&root, &[]);
    assert!(text.contains("line 6: an inline event handler"), "{text}");
    assert!(text.contains("line 10: a <script> element"), "{text}");
    assert_eq!(code, 0, "a warning, not an error");
    assert_eq!(check(&root, &["--strict"]).0, 1);
}

/// Check renders every page through its template, not a sample: a tera
/// runtime error that only one page's data causes is still an error.
#[test]
fn a_template_error_one_page_data_causes_is_found() {
    let (_tmp, root) = copy_fixture("basic");
    std::fs::write(
        root.join("templates/page.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n{% if page.extra.dose %}<p>{{ page.extra.dose | round }}</p>{% endif %}\n{{ page.content | safe }}\n{% endblock content %}\n",
    )
    .unwrap();
    let (code, out, err) = check(&root, &["--format", "json"]);
    assert_eq!(code, 0, "no page has a dose yet: {out}{err}");
    // Another page of the same template and kind renders fine with a
    // numeric dose; only this one's string fails.
    std::fs::write(
        root.join("content/process/dosing.md"),
        "---\ntitle: Dosing\ndescription: How much.\nextra:\n  dose: 2.5\n---\nBody.\n",
    )
    .unwrap();
    let page = root.join("content/process/conditioning.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replacen("weight: 2\n", "weight: 2\nextra:\n  dose: lots\n", 1),
    )
    .unwrap();
    let (code, out, err) = check(&root, &["--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["file"], "templates/page.html");
    assert_eq!(errors[0]["line"], 4);
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("template error"),
        "{errors:?}"
    );
}
