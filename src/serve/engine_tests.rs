//! Tests of `serve::engine`: edits of one page and the rebuilds they need.

use super::*;
use std::sync::atomic::{AtomicU64, Ordering};

fn day(n: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap() + chrono::Days::new(n)
}

fn first_day() -> NaiveDate {
    day(0)
}

/// A served site with a home page and `content/a.md`.
fn served(clock: fn() -> NaiveDate) -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(content.join("_index.md"), "---\ntitle: Home\n---\nHi.\n").unwrap();
    std::fs::write(content.join("a.md"), "---\ntitle: A\n---\nFirst.\n").unwrap();
    let mut engine = Engine::new(BuildOptions::new(dir.path(), clock()), clock);
    let first = engine.rebuild();
    assert!(first.errors.is_empty(), "{}", first.errors);
    (dir, engine)
}

fn edit(dir: &tempfile::TempDir, engine: &mut Engine, text: &str) -> Update {
    let path = dir.path().join("content/a.md");
    std::fs::write(&path, text).unwrap();
    engine.apply(&[path])
}

#[test]
fn an_alias_added_while_serving_gets_its_redirect_page_and_clash_check() {
    let (dir, mut engine) = served(first_day);
    assert!(engine.files().unwrap().get("old/index.html").is_none());
    let update = edit(
        &dir,
        &mut engine,
        "---\ntitle: A\naliases: [/old/]\n---\nFirst.\n",
    );
    assert!(update.errors.is_empty(), "{}", update.errors);
    let redirect = engine.files().unwrap().get("old/index.html").cloned();
    let redirect = String::from_utf8(redirect.expect("redirect page").to_vec()).unwrap();
    assert!(redirect.contains("url=../a/index.html"), "{redirect}");
    // An alias that is another page's address is an error, as in a build.
    let update = edit(
        &dir,
        &mut engine,
        "---\ntitle: A\naliases: [/]\n---\nFirst.\n",
    );
    assert!(
        update.errors.to_string().contains("is the address of"),
        "{}",
        update.errors
    );
}

#[test]
fn an_edit_shares_every_file_it_did_not_change() {
    let (dir, mut engine) = served(first_day);
    let before = engine.files().unwrap();
    let (home, page) = (engine.file("index.html"), engine.file("a/index.html"));
    let update = edit(&dir, &mut engine, "---\ntitle: A\n---\nSecond.\n");
    assert_eq!(update.refresh, Refresh::Pages(vec!["/a/".into()]));
    let after = engine.files().unwrap();
    let same = |path: &str| Arc::ptr_eq(&before[path], &after[path]);
    assert!(same("404.html") && same("robots.txt"), "the rest is shared");
    assert_eq!(before.len(), after.len());
    let new_page = engine.file("a/index.html").unwrap();
    assert!(
        !Arc::ptr_eq(page.as_ref().unwrap(), &new_page),
        "the edited page is new"
    );
    assert!(String::from_utf8_lossy(&new_page).contains("Second."));
    assert!(
        Arc::ptr_eq(home.as_ref().unwrap(), &engine.file("index.html").unwrap()),
        "the page nobody edited is not rendered again"
    );
}

static DAYS_LATER: AtomicU64 = AtomicU64::new(0);

fn moving_clock() -> NaiveDate {
    day(DAYS_LATER.load(Ordering::SeqCst))
}

#[test]
fn a_new_day_rebuilds_everything_with_the_new_date() {
    let (dir, mut engine) = served(moving_clock);
    let update = edit(&dir, &mut engine, "---\ntitle: A\n---\nSecond.\n");
    assert!(
        update.summary.starts_with("re-rendered"),
        "{}",
        update.summary
    );
    DAYS_LATER.store(1, Ordering::SeqCst);
    let update = edit(&dir, &mut engine, "---\ntitle: A\n---\nThird.\n");
    assert!(update.summary.starts_with("rebuilt"), "{}", update.summary);
    assert_eq!(engine.opts.today, day(1));
    assert!(
        engine.new_day().is_none(),
        "the same day again: nothing to do"
    );
}

#[test]
fn static_targets() {
    assert_eq!(
        static_target("static/a.css", "default").as_deref(),
        Some("a.css")
    );
    assert_eq!(
        static_target("themes/default/static/css/a.css", "default").as_deref(),
        Some("css/a.css")
    );
    assert_eq!(static_target("themes/other/static/a.css", "default"), None);
    assert_eq!(static_target("content/a.css", "default"), None);
}

#[test]
fn a_translation_is_served_in_its_language_and_learns_when_its_source_changes() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        dir.path().join("site.yaml"),
        "languages: { zh: { name: 中文, language: zh-Hans } }\n",
    )
    .unwrap();
    std::fs::write(content.join("_index.md"), "---\ntitle: Home\n---\nHi.\n").unwrap();
    std::fs::write(
        content.join("a.md"),
        "---\ntitle: A\nupdated: 2026-11-01\n---\nFirst.\n",
    )
    .unwrap();
    let zh = content.join("a.zh.md");
    std::fs::write(&zh, "---\ntitle: 甲\ntranslated: 2026-11-10\n---\n第一。\n").unwrap();
    let mut engine = Engine::new(BuildOptions::new(dir.path(), first_day()), first_day);
    let first = engine.rebuild();
    assert!(first.errors.is_empty(), "{}", first.errors);
    let page = |engine: &Engine, path: &str| {
        String::from_utf8(engine.file(path).unwrap().to_vec()).unwrap()
    };
    assert!(page(&engine, "zh/a/index.html").contains("第一。"));

    std::fs::write(&zh, "---\ntitle: 甲\ntranslated: 2026-11-10\n---\n第二。\n").unwrap();
    let update = engine.apply(std::slice::from_ref(&zh));
    assert!(update.errors.is_empty(), "{}", update.errors);
    assert_eq!(update.refresh, Refresh::Pages(vec!["/zh/a/".into()]));
    assert!(page(&engine, "zh/a/index.html").contains("第二。"));
    assert!(!page(&engine, "zh/a/index.html").contains("notice-stale"));

    // The source is updated after the translation: the translation's
    // readers are told at once.
    let fresh = page(&engine, "zh/a/index.html");
    let a = content.join("a.md");
    std::fs::write(&a, "---\ntitle: A\nupdated: 2026-11-20\n---\nSecond.\n").unwrap();
    let update = engine.apply(std::slice::from_ref(&a));
    assert!(update.errors.is_empty(), "{}", update.errors);
    let stale = page(&engine, "zh/a/index.html");
    assert_ne!(stale, fresh, "the translation was rendered again");
    assert!(stale.contains("2026年11月20日"), "{stale}");
}

/// A site of `files` (path under the root, text) on disk.
fn site_of(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn engine_for(dir: &tempfile::TempDir) -> Engine {
    Engine::new(BuildOptions::new(dir.path(), first_day()), first_day)
}

fn text(engine: &Engine, path: &str) -> String {
    String::from_utf8(engine.file(path).unwrap().to_vec()).unwrap()
}

const HOME: (&str, &str) = ("content/_index.md", "---\ntitle: Home\n---\nHi.\n");
const A: (&str, &str) = ("content/a.md", "---\ntitle: A\n---\nFirst.\n");

#[test]
fn a_template_error_on_a_page_nobody_asked_for_is_found_behind_the_rebuild() {
    let dir = site_of(&[
        HOME,
        A,
        ("content/b.md", "---\ntitle: B\n---\nSecond.\n"),
        // Fails at run time, on page B alone.
        (
            "templates/page.html",
            "{% extends \"base.html\" %}{% block content %}{% if page.title == \"B\" %}{{ page.title | round }}{% endif %}fine{% endblock content %}",
        ),
    ]);
    let root = dir.path();
    let mut engine = engine_for(&dir);
    let first = engine.rebuild();
    assert!(
        first.errors.is_empty(),
        "pages are not rendered yet: {}",
        first.errors
    );
    assert!(
        engine.file("a/index.html").is_some(),
        "A renders when asked for"
    );
    let b = engine.build().page_file("b/index.html");
    assert!(
        matches!(b, Some(Err(_))),
        "B's error comes back to the request"
    );

    assert!(
        engine.check_pages(&|| true).is_none(),
        "an edit coming stops the check"
    );
    let checked =
        (engine.check_pages(&|| false)).expect("the check, started again, found an error");
    assert_eq!(checked.errors.len(), 1, "{}", checked.errors);
    assert!(
        checked.errors.to_string().contains("page.html"),
        "{}",
        checked.errors
    );
    assert!(
        engine.check_pages(&|| false).is_none(),
        "checked once per rebuild"
    );

    // Fixing the template clears the error.
    let template = root.join("templates/page.html");
    std::fs::write(
        &template,
        "{% extends \"base.html\" %}{% block content %}fine{% endblock content %}",
    )
    .unwrap();
    let update = engine.apply(&[template]);
    assert!(update.errors.is_empty(), "{}", update.errors);
    assert!(
        engine.check_pages(&|| false).is_none(),
        "nothing new to report"
    );
}

#[test]
fn a_title_edit_reaches_every_page_and_a_slug_edit_moves_the_links_to_the_page() {
    let dir = site_of(&[
        HOME,
        A,
        (
            "content/b.md",
            "---\ntitle: B\n---\nSee [the first](a.md).\n",
        ),
    ]);
    let mut engine = engine_for(&dir);
    assert!(engine.rebuild().errors.is_empty());
    let link = r#"href="../a/index.html">the first</a>"#;
    assert!(text(&engine, "b/index.html").contains(link));

    // Every page's navigation shows the new title; B's Markdown is kept.
    let update = edit(&dir, &mut engine, "---\ntitle: Apricot\n---\nFirst.\n");
    assert!(update.summary.starts_with("rebuilt"), "{}", update.summary);
    let b = text(&engine, "b/index.html");
    assert!(b.contains("Apricot") && b.contains(link), "{b}");

    // A new address: B's link follows it.
    let update = edit(
        &dir,
        &mut engine,
        "---\ntitle: Apricot\nslug: apricot\n---\nFirst.\n",
    );
    assert!(update.errors.is_empty(), "{}", update.errors);
    let b = text(&engine, "b/index.html");
    assert!(
        b.contains(r#"href="../apricot/index.html">the first</a>"#),
        "{b}"
    );
    assert!(!b.contains("../a/index.html"), "{b}");
}

#[test]
fn the_first_build_is_served_before_its_markdown_and_finds_broken_links_behind_it() {
    let dir = site_of(&[
        HOME,
        A,
        (
            "content/b.md",
            "---\ntitle: B\n---\nSee [this](missing.md).\n",
        ),
    ]);
    let started = || {
        let mut engine = engine_for(&dir);
        let first = engine.start();
        assert!(
            first.errors.is_empty(),
            "links are checked later: {}",
            first.errors
        );
        engine
    };
    let mut engine = started();
    assert!(
        text(&engine, "a/index.html").contains("First."),
        "a page's Markdown is rendered when asked for"
    );
    assert!(
        engine.check_pages(&|| false).is_none(),
        "templates are checked after the Markdown"
    );
    assert!(engine.render_markdown(&|| true).is_none(), "stopped");
    let found = engine.render_markdown(&|| false).expect("the broken link");
    assert!(
        found.errors.to_string().contains("missing.md"),
        "{}",
        found.errors
    );
    assert!(engine.render_markdown(&|| false).is_none(), "done once");

    // An edit straight after the start renders the rest first.
    let mut engine = started();
    let b = dir.path().join("content/b.md");
    std::fs::write(&b, "---\ntitle: B\n---\nSee [this](a.md).\n").unwrap();
    let update = engine.apply(std::slice::from_ref(&b));
    assert!(update.errors.is_empty(), "{}", update.errors);
    let page = text(&engine, "b/index.html");
    assert!(
        page.contains(r#"href="../a/index.html">this</a>"#),
        "{page}"
    );
}

#[test]
fn listings_are_rendered_when_asked_for_and_follow_every_edit() {
    let dir = site_of(&[
        (
            "site.yaml",
            "title: T\nbase_url: https://example.org/\nreview:\n  noindex_unreviewed: false\n",
        ),
        HOME,
        (
            "content/a.md",
            "---\ntitle: A\ntags: [donors]\nupdated: 2026-11-01\n---\nFirst.\n",
        ),
    ]);
    let mut engine = engine_for(&dir);
    let first = engine.rebuild();
    assert!(first.errors.is_empty(), "{}", first.errors);
    let files = engine.files().unwrap();
    for file in ["tags/donors/index.html", "tags/index.html", "sitemap.xml"] {
        assert!(files.get(file).is_none(), "{file} is made when asked for");
    }
    assert!(text(&engine, "tags/donors/index.html").contains(">A<"));
    let sitemap = text(&engine, "sitemap.xml");
    assert!(
        sitemap.contains("<lastmod>2026-11-01</lastmod>"),
        "{sitemap}"
    );
    assert!(text(&engine, "feed.xml").contains("https://example.org/a/"));

    // A title reaches the term page (a rebuild)...
    let a = "---\ntitle: Apricot\ntags: [donors]\nupdated: 2026-11-01\n---\nFirst.\n";
    assert!(edit(&dir, &mut engine, a).summary.starts_with("rebuilt"));
    assert!(text(&engine, "tags/donors/index.html").contains(">Apricot<"));
    assert!(text(&engine, "sitemap.xml").contains("2026-11-01"));
    // ...and a date the sitemap shows reaches it without one.
    let a = a.replace("2026-11-01", "2026-11-20");
    let update = edit(&dir, &mut engine, &a);
    assert!(
        update.summary.starts_with("re-rendered"),
        "{}",
        update.summary
    );
    let sitemap = text(&engine, "sitemap.xml");
    assert!(
        sitemap.contains("<lastmod>2026-11-20</lastmod>"),
        "{sitemap}"
    );
}

#[test]
fn a_listing_whose_template_fails_is_reported_behind_the_rebuild() {
    let dir = site_of(&[
        HOME,
        (
            "content/a.md",
            "---\ntitle: A\ntags: [donors]\n---\nFirst.\n",
        ),
        ("templates/taxonomy_term.html", "{{ term.name | round }}"),
    ]);
    let mut engine = engine_for(&dir);
    let first = engine.rebuild();
    assert!(first.errors.is_empty(), "{}", first.errors);
    let served = engine.build().page_file("tags/donors/index.html");
    let error = served
        .expect("a listing is there")
        .expect_err("its template fails");
    assert!(error.file.ends_with("taxonomy_term.html"), "{error}");
    let update = engine.check_pages(&|| false).expect("an update");
    assert_eq!(update.errors.len(), 1, "{}", update.errors);
    assert!(update.errors.to_string().contains("taxonomy_term.html"));
}

#[test]
fn a_title_edit_while_the_first_builds_markdown_is_pending_is_served_first_too() {
    let dir = site_of(&[
        HOME,
        A,
        (
            "content/b.md",
            "---\ntitle: B\n---\nSee [this](missing.md).\n",
        ),
    ]);
    let mut engine = engine_for(&dir);
    assert!(engine.start().errors.is_empty());
    let update = edit(&dir, &mut engine, "---\ntitle: Apricot\n---\nFirst.\n");
    assert!(update.summary.starts_with("rebuilt"), "{}", update.summary);
    assert!(update.errors.is_empty(), "links are checked behind it");
    let pending = engine.build().read().as_ref().unwrap().markdown_pending();
    assert!(pending, "no page's Markdown was rendered on the way");
    assert!(text(&engine, "b/index.html").contains("Apricot"));
    // A body edit then too: its page is shown at once, its links checked
    // behind it with the others.
    let update = edit(
        &dir,
        &mut engine,
        "---\ntitle: Apricot\n---\nSee [gone](gone.md).\n",
    );
    assert!(
        update.summary.starts_with("re-rendered"),
        "{}",
        update.summary
    );
    assert!(engine.build().read().as_ref().unwrap().markdown_pending());
    assert!(text(&engine, "a/index.html").contains(">gone<"));
    let found = engine.render_markdown(&|| false).expect("the broken links");
    let errors = found.errors.to_string();
    assert!(
        errors.contains("missing.md") && errors.contains("gone.md"),
        "{errors}"
    );
}
