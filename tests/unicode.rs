//! Unicode file names: `é` can be stored as one character (NFC, what
//! keyboards type and Markdown text holds) or as `e` plus a combining
//! accent (NFD, what some macOS tools write to disk). The two look the
//! same, so marrow treats them as the same name: a page saved NFD gets an
//! NFC URL that keeps its accent, links written either way find it, and
//! two files whose names differ only in the form are an error.

mod common;

use std::path::Path;

use scraper::{Html, Selector};

const NFC: &str = "caf\u{e9}";
const NFD: &str = "cafe\u{301}";

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A tiny site: a home page, a page `café.md` whose name is stored NFD,
/// and a page `links.md` with the link `[x](DEST)`.
fn site(dest: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    write(&root, "site.yaml", "title: Guide\nlanguage: en-GB\n");
    write(
        &root,
        "content/_index.md",
        "---\ntitle: Home\n---\nWelcome.\n",
    );
    write(
        &root,
        &format!("content/{NFD}.md"),
        "---\ntitle: Coffee\n---\n## Cafe\u{301} au lait\n\nHot.\n",
    );
    write(
        &root,
        "content/links.md",
        &format!("---\ntitle: Links\n---\nSee [x]({dest}).\n"),
    );
    (tmp, root)
}

/// The `href` of the link `x` on the built page `links/`.
fn href_of_x(out: &Path) -> String {
    let html = std::fs::read_to_string(out.join("links/index.html")).unwrap();
    let doc = Html::parse_document(&html);
    let sel = Selector::parse("main a").unwrap();
    doc.select(&sel)
        .find(|a| a.text().collect::<String>() == "x")
        .and_then(|a| a.value().attr("href"))
        .unwrap_or_else(|| panic!("no link `x` in {html}"))
        .to_string()
}

fn decoded(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[test]
fn a_page_saved_nfd_gets_an_nfc_url_that_keeps_its_accent() {
    let (_tmp, root) = site("links.md");
    assert!(root.join(format!("content/{NFD}.md")).is_file());
    let (out, _) = common::built_on("2026-06-01", &root, &[]);
    let out = out.path();
    // The output folder is the NFC name, accent kept (not `cafe/`).
    assert!(out.join(format!("{NFC}/index.html")).is_file());
    let names: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n == NFD || n == "cafe"), "{names:?}");
    // The heading id, written NFD in the text, is NFC too.
    let page = std::fs::read_to_string(out.join(format!("{NFC}/index.html"))).unwrap();
    assert!(
        page.contains(&format!("id=\"{NFC}-au-lait\"")),
        "no NFC heading id in {page}"
    );
    assert!(!page.contains(NFD), "NFD text left in {page}");
    assert_eq!(common::broken_links(out, "/"), Vec::<String>::new());
}

#[test]
fn nfc_text_links_to_a_page_saved_nfd() {
    let (_tmp, root) = site(&format!("{NFC}.md"));
    let (out, run) = common::built_on("2026-06-01", &root, &[]);
    assert!(!run.stderr.contains("missing page"), "{}", run.stderr);
    let href = decoded(&href_of_x(out.path()));
    assert!(href.contains(&format!("{NFC}/")), "{href}");
    assert_eq!(common::broken_links(out.path(), "/"), Vec::<String>::new());
}

#[test]
fn nfd_text_links_to_a_page_saved_nfd() {
    // The link as pasted from a macOS tool: decomposed, like the file name
    // on disk, but the page's key is NFC.
    let (_tmp, root) = site(&format!("{NFD}.md"));
    let (out, run) = common::built_on("2026-06-01", &root, &[]);
    assert!(!run.stderr.contains("missing page"), "{}", run.stderr);
    let href = decoded(&href_of_x(out.path()));
    assert!(href.contains(&format!("{NFC}/")), "{href}");
}

#[test]
fn two_names_differing_only_in_normalisation_are_an_error() {
    let (_tmp, root) = site("links.md");
    write(
        &root,
        &format!("content/{NFC}.md"),
        "---\ntitle: Coffee too\n---\nCold.\n",
    );
    let count = std::fs::read_dir(root.join("content")).unwrap().count();
    if count < 4 {
        // This file system treats both forms as one name (macOS's do):
        // the second write replaced the first, and there is nothing to
        // tell apart.
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let run = common::build(&root, out.path(), &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("--> content/caf"),
        "not located: {}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("differ only in how accented letters are stored"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("1 error"), "{}", run.stderr);
}
