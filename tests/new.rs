//! `marrow new` and theme branding, through the real binary: the starter
//! site must build and pass `marrow check` as written, and branding must
//! reach the pages without breaking contrast.

mod common;

use common::{broken_links, build, marrow};

#[test]
fn starter_site_builds_passes_check_and_takes_new_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("hospital site");
    let dir = site.to_str().unwrap();
    let run = marrow(&["new", "site", dir, "--title", "St Elsewhere: patient info"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("marrow serve"), "{}", run.stdout);

    let check = marrow(&["check", "--root", dir]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    assert!(
        check.stdout.contains("PASS: 4 pages checked, 0 errors"),
        "{}",
        check.stdout
    );

    let out = tmp.path().join("out");
    let run = build(&site, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains("<title>St Elsewhere: patient info</title>"),
        "{home}"
    );
    assert!(out.join("treatment/before-treatment/index.html").is_file());
    assert!(
        home.contains("class=\"gloss"),
        "glossary term marked on the home page"
    );
    assert_eq!(broken_links(&out, "/"), Vec::<String>::new());

    // A second `new site` into the same folder is refused, changing nothing.
    let before = common::snapshot(&site);
    let again = marrow(&["new", "site", dir]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("not empty"), "{}", again.stderr);

    // A new page goes last in its section, builds, and is never overwritten.
    let page = site.join("content/treatment/going-home.md");
    let page_arg = page.to_str().unwrap();
    let run = marrow(&["new", "page", page_arg, "--title", "Going home"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(&page).unwrap();
    assert!(
        text.contains("weight: 30") && text.contains("# reviewed: YYYY-MM-DD"),
        "{text}"
    );
    let refused = marrow(&["new", "page", page_arg, "--title", "Other"]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("already exists"),
        "{}",
        refused.stderr
    );
    assert_eq!(std::fs::read_to_string(&page).unwrap(), text);
    let check = marrow(&["check", "--root", dir]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    let mut after = common::snapshot(&site);
    after.retain(|p, _| !p.ends_with("going-home.md"));
    assert_eq!(before, after);
}

#[test]
fn branding_reaches_every_page_and_pale_accents_are_darkened_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let site = common::branded_starter(tmp.path(), "#ffd700");
    let config = site.join("site.yaml");
    let branded = std::fs::read_to_string(&config).unwrap();

    // The logo must be a file of the site.
    let logo = std::fs::read(site.join("static/logo.svg")).unwrap();
    std::fs::remove_file(site.join("static/logo.svg")).unwrap();
    let out = tmp.path().join("out");
    let run = build(&site, &out, &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("branding.logo `logo.svg`"),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "nothing written on error");
    std::fs::write(site.join("static/logo.svg"), logo).unwrap();
    let run = build(&site, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: site.yaml: branding.accent #ffd700"),
        "{}",
        run.stderr
    );
    let css = std::fs::read_to_string(out.join("brand.css")).unwrap();
    assert!(css.contains("--link: #846f00"), "{css}");
    for page in ["index.html", "treatment/after-treatment/index.html"] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(html.contains("brand.css\">"), "{page}");
        assert!(html.contains("class=\"site-logo\""), "{page}");
        assert!(
            html.contains("Example Hospital · <a href=\"mailto:"),
            "{page}"
        );
    }
    assert_eq!(broken_links(&out, "/"), Vec::<String>::new());
    let check = marrow(&[
        "check",
        "--root",
        site.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    assert!(
        report["settings"][0]
            .as_str()
            .unwrap_or("")
            .contains("#846f00"),
        "{report}"
    );

    // A colour that is not one is an error at its line.
    std::fs::write(&config, branded.replace("\"#ffd700\"", "gold")).unwrap();
    let run = build(&site, &out, &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("site.yaml:") && run.stderr.contains("#rrggbb"),
        "{}",
        run.stderr
    );
}
