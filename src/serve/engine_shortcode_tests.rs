//! Serve's rebuilds after a snippet or a fact changes: exactly the pages
//! that use it are re-rendered.

use super::*;

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()
}

/// A served site: `a.md` includes a snippet, `b.md` shows a fact, `c.md`
/// uses neither.
fn served() -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (path, text) in [
        ("content/_index.md", "---\ntitle: Home\n---\nHi.\n"),
        (
            "content/a.md",
            "---\ntitle: A\n---\n{{ include(file=\"call.md\") }}\n",
        ),
        (
            "content/b.md",
            "---\ntitle: B\n---\nAbove {{ fact(name=\"fever\") }}.\n",
        ),
        ("content/c.md", "---\ntitle: C\n---\nPlain.\n"),
        ("content/_snippets/call.md", "Call your team.\n"),
        ("data/facts.yaml", "fever: \"38 °C\"\nother: 1\n"),
    ] {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let mut engine = Engine::new(BuildOptions::new(root, first_day()), first_day);
    let first = engine.rebuild();
    assert!(first.errors.is_empty(), "{}", first.errors);
    (dir, engine)
}

fn page(engine: &Engine, path: &str) -> String {
    String::from_utf8(engine.file(path).unwrap().to_vec()).unwrap()
}

fn change(dir: &tempfile::TempDir, engine: &mut Engine, rel: &str, text: &str) -> Update {
    let path = dir.path().join(rel);
    std::fs::write(&path, text).unwrap();
    engine.apply(&[path])
}

#[test]
fn a_snippet_edit_re_renders_the_pages_that_include_it() {
    let (dir, mut engine) = served();
    assert!(engine.file("_snippets/call/index.html").is_none());
    let update = change(
        &dir,
        &mut engine,
        "content/_snippets/call.md",
        "Call the ward.\n",
    );
    assert!(update.errors.is_empty(), "{}", update.errors);
    assert_eq!(update.refresh, Refresh::Pages(vec!["/a/".into()]));
    assert!(page(&engine, "a/index.html").contains("Call the ward."));
}

#[test]
fn a_fact_edit_re_renders_only_the_pages_using_that_fact() {
    let (dir, mut engine) = served();
    let update = change(
        &dir,
        &mut engine,
        "data/facts.yaml",
        "fever: \"38 °C\"\nother: 2\n",
    );
    assert_eq!(update.refresh, Refresh::None, "no page uses `other`");
    let update = change(
        &dir,
        &mut engine,
        "data/facts.yaml",
        "fever: \"37.5 °C\"\nother: 2\n",
    );
    assert!(update.errors.is_empty(), "{}", update.errors);
    assert_eq!(update.refresh, Refresh::Pages(vec!["/b/".into()]));
    assert!(page(&engine, "b/index.html").contains("Above 37.5 °C."));
}

#[test]
fn a_broken_facts_file_is_reported_and_a_fix_recovers() {
    let (dir, mut engine) = served();
    let update = change(&dir, &mut engine, "data/facts.yaml", "fever: [1\n");
    assert!(
        update.errors.to_string().contains("data/facts.yaml"),
        "{}",
        update.errors
    );
    let update = change(&dir, &mut engine, "data/facts.yaml", "fever: \"39 °C\"\n");
    assert!(update.errors.is_empty(), "{}", update.errors);
    assert!(page(&engine, "b/index.html").contains("Above 39 °C."));
}

#[test]
fn snippets_and_the_facts_file_are_inputs() {
    assert!(content::inputs::is_input("data/facts.yaml"));
    assert!(shortcodes::is_input("content/_snippets/sub/call.md"));
    assert!(!shortcodes::is_input("content/call.md"));
}

#[test]
fn a_deleted_snippet_is_an_error_on_the_pages_using_it() {
    let (dir, mut engine) = served();
    let path = dir.path().join("content/_snippets/call.md");
    std::fs::remove_file(&path).unwrap();
    let update = engine.apply(&[path]);
    let errors = update.errors.to_string();
    assert!(errors.contains("content/a.md:4:"), "{errors}");
    assert!(errors.contains("no snippet `call.md`"), "{errors}");
}
