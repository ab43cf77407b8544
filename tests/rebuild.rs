//! Building again into an output folder that already holds a build: nothing
//! is done when nothing changed; otherwise the folder ends up exactly as a
//! build into a new folder would, with the files that did not change kept
//! (hard-linked) rather than written again; and a folder someone changed
//! by hand is never taken as up to date.

mod common;

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use common::{build, copy_fixture, snapshot};

fn inode(path: impl AsRef<Path>) -> u64 {
    std::fs::metadata(path).unwrap().ino()
}

/// Builds and returns stdout, asserting success.
fn built(root: &Path, out: &Path, extra: &[&str]) -> String {
    let run = build(root, out, extra);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

#[test]
fn an_unchanged_site_is_left_alone_and_an_edit_rewrites_what_it_changes() {
    let (tmp, root) = copy_fixture("basic");
    let out = root.join("output");
    assert!(built(&root, &out, &[]).starts_with("Built "));
    let first = snapshot(&out);
    let home = inode(out.join("index.html"));

    let again = built(&root, &out, &[]);
    assert!(
        again.starts_with("Nothing changed since the last build"),
        "{again}"
    );
    assert!(again.contains(" pages in "), "{again}");
    assert_eq!(snapshot(&out), first);
    assert_eq!(inode(out.join("index.html")), home, "not even rewritten");

    // One page's body edited: that page changes; a page whose bytes are
    // the same is the very same file (a hard link from the old build).
    let page = root.join("content/process/deeper/engraftment.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\nOne sentence more.\n")).unwrap();
    assert!(built(&root, &out, &[]).starts_with("Built "));
    let edited =
        std::fs::read_to_string(out.join("process/deeper/engraftment/index.html")).unwrap();
    assert!(edited.contains("One sentence more."));
    assert_eq!(inode(out.join("index.html")), home, "unchanged file linked");

    // The result is the build a new folder gets.
    let fresh = tmp.path().join("fresh");
    built(&root, &fresh, &[]);
    assert_eq!(snapshot(&out), snapshot(&fresh));
}

#[test]
fn a_folder_changed_by_hand_is_built_again() {
    let (_tmp, root) = copy_fixture("basic");
    let out = root.join("output");
    built(&root, &out, &[]);
    let first = snapshot(&out);

    std::fs::write(out.join("index.html"), "edited by hand").unwrap();
    assert!(built(&root, &out, &[]).starts_with("Built "));
    assert_eq!(snapshot(&out), first, "an edited file is put right");

    std::fs::remove_file(out.join("404.html")).unwrap();
    assert!(built(&root, &out, &[]).starts_with("Built "));
    assert_eq!(snapshot(&out), first, "a deleted file comes back");

    std::fs::write(out.join("stray.html"), "left here").unwrap();
    assert!(built(&root, &out, &[]).starts_with("Built "));
    assert_eq!(snapshot(&out), first, "a stray file goes");

    // What a killed build left goes, even when there is nothing to build
    // (PIDs stay below 2^22 on Linux: this build's process is gone).
    let left = root.join(".output.marrow-staging-4294967295-1");
    std::fs::create_dir(&left).unwrap();
    assert!(built(&root, &out, &[]).starts_with("Nothing changed"));
    assert!(!left.exists(), "a dead build's staging folder is removed");

    // A manifest that is not marrow's is ignored, not trusted.
    let manifest = root.join(".output.marrow-manifest");
    assert!(manifest.is_file());
    std::fs::write(&manifest, "{}").unwrap();
    assert!(built(&root, &out, &[]).starts_with("Built "));
    assert!(built(&root, &out, &[]).starts_with("Nothing changed"));
}

/// The build before last is kept beside the output (the spare) and is
/// where the next build starts. Whatever was done by hand to the output it
/// once was, the site built from it is exactly a fresh build's: names added
/// by hand at any depth, files edited in place (a file the spare shares
/// with the output by a hard link is edited in both), files removed.
#[test]
fn the_spare_build_never_carries_hand_changes_into_a_site() {
    let (tmp, root) = copy_fixture("basic");
    let out = root.join("output");
    let page = root.join("content/process/deeper/engraftment.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let edit = |n: usize| std::fs::write(&page, format!("{text}\nEdit {n}.\n")).unwrap();
    let fresh = |n: usize| {
        let dir = tmp.path().join(format!("fresh-{n}"));
        built(&root, &dir, &[]);
        snapshot(&dir)
    };
    for n in 0..2 {
        edit(n);
        built(&root, &out, &[]);
    }
    let spare = root.join(".output.marrow-spare");
    assert!(spare.is_dir(), "the replaced build is kept");

    // By hand, in the output that is about to become the spare: a file and
    // a folder added deep down, a shared file edited in place, one removed.
    std::fs::write(out.join("process/added.html"), "by hand").unwrap();
    std::fs::create_dir_all(out.join("process/deeper/new/inner")).unwrap();
    std::fs::write(out.join("process/deeper/new/inner/x.html"), "by hand").unwrap();
    std::fs::OpenOptions::new()
        .append(true)
        .open(out.join("index.html"))
        .and_then(|mut f| std::io::Write::write_all(&mut f, b"<!-- by hand -->"))
        .unwrap();
    std::fs::remove_file(out.join("404.html")).unwrap();
    // Two builds: the changed output becomes the spare, then the staging
    // folder of the build after.
    for n in 2..4 {
        edit(n);
        built(&root, &out, &[]);
        assert_eq!(snapshot(&out), fresh(n), "build {n}");
    }
    let names = std::fs::read_dir(&root).unwrap();
    let names: Vec<String> = names
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("marrow"))
        .collect();
    assert_eq!(names.len(), 3, "manifest, search counts, spare: {names:?}");
}

#[test]
fn options_and_every_kind_of_input_count_as_changes() {
    let (_tmp, root) = copy_fixture("basic");
    let out = root.join("output");
    built(&root, &out, &[]);
    assert!(built(&root, &out, &["--drafts"]).starts_with("Built "));
    assert!(built(&root, &out, &["--drafts"]).starts_with("Nothing changed"));
    assert!(
        built(&root, &out, &[]).starts_with("Built "),
        "drafts off again"
    );
    let url = ["--base-url", "https://example.org/docs/"];
    assert!(built(&root, &out, &url).starts_with("Built "));
    assert!(built(&root, &out, &url).starts_with("Nothing changed"));

    // Every kind of input: settings, a template, a static file, a new page.
    let edits: [(&str, &str); 4] = [
        ("site.yaml", "\n# a comment\n"),
        ("templates/page.html", "\n"),
        ("static/extra.txt", "more"),
        (
            "content/process/new.md",
            "---\ntitle: New\n---\nNew page.\n",
        ),
    ];
    for (rel, added) in edits {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        std::fs::write(&path, format!("{old}{added}")).unwrap();
        let stdout = built(&root, &out, &url);
        assert!(stdout.starts_with("Built "), "{rel}: {stdout}");
    }
}

#[test]
fn broken_link_warnings_are_shown_on_every_build() {
    let (_tmp, root) = copy_fixture("basic");
    let out = root.join("output");
    let settings = root.join("site.yaml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, format!("{text}\nlinks: warn\n")).unwrap();
    let page = root.join("content/process/deeper/engraftment.md");
    let body = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{body}\nSee [gone](gone.md).\n")).unwrap();
    for _ in 0..2 {
        let run = build(&root, &out, &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.starts_with("Built "), "{}", run.stdout);
        assert!(run.stderr.contains("gone.md"), "{}", run.stderr);
    }
}

#[test]
fn a_failed_rebuild_keeps_the_last_good_one_up_to_date_afterwards() {
    let (_tmp, root) = copy_fixture("basic");
    let out = root.join("output");
    built(&root, &out, &[]);
    let good = snapshot(&out);
    let page = root.join("content/process/deeper/engraftment.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("---\ntitel: x\n---\n{text}")).unwrap();
    assert_eq!(build(&root, &out, &[]).code, 1);
    assert_eq!(snapshot(&out), good, "the error left the output alone");
    std::fs::write(&page, &text).unwrap();
    let stdout = built(&root, &out, &[]);
    assert!(
        stdout.starts_with("Nothing changed"),
        "back as it was: {stdout}"
    );
}

/// The count of pages a build kept without rendering them, from its report.
fn kept(report: &str) -> usize {
    let Some((_, rest)) = report.split_once(" rendered again and ") else {
        return 0;
    };
    rest.split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn a_rebuild_renders_only_pages_whose_text_changed_and_still_checks_their_links() {
    let (tmp, root) = copy_fixture("basic");
    let out = root.join("output");
    let first = built(&root, &out, &[]);
    assert_eq!(kept(&first), 0, "{first}");
    let pages: usize = first["Built ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();

    // A body edit: that page alone is rendered again.
    let page = root.join("content/process/deeper/engraftment.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\nOne sentence more.\n")).unwrap();
    let report = built(&root, &out, &[]);
    assert!(report.contains(", 1 rendered again and "), "{report}");
    assert_eq!(kept(&report), pages - 1, "{report}");
    let fresh = tmp.path().join("fresh");
    built(&root, &fresh, &[]);
    assert_eq!(snapshot(&out), snapshot(&fresh), "as a new folder gets it");

    // A title changes every page's navigation: nothing is kept.
    std::fs::write(&page, text.replacen("title: ", "title: Now ", 1)).unwrap();
    let report = built(&root, &out, &[]);
    assert_eq!(kept(&report), 0, "{report}");

    // So does a template.
    built(&root, &out, &[]);
    let template = std::fs::read_dir(root.join("templates"))
        .unwrap()
        .next()
        .unwrap();
    let template = template.unwrap().path();
    let html = std::fs::read_to_string(&template).unwrap();
    std::fs::write(&template, format!("{html}\n")).unwrap();
    std::fs::write(&page, format!("{text}\nAnother sentence.\n")).unwrap();
    let report = built(&root, &out, &[]);
    assert_eq!(kept(&report), 0, "{report}");
    let fresh = tmp.path().join("fresh-2");
    built(&root, &fresh, &[]);
    assert_eq!(snapshot(&out), snapshot(&fresh));

    // A heading other pages link to is removed: the pages linking to it
    // are kept, and their broken links are still found.
    let target = root.join("content/process/conditioning.md");
    let before = std::fs::read_to_string(&target).unwrap();
    assert!(before.contains("\n## Intensity\n"), "the fixture's heading");
    std::fs::write(
        &target,
        before.replace("\n## Intensity\n", "\n## Renamed\n"),
    )
    .unwrap();
    let run = build(&root, &out, &[]);
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert!(run.stderr.contains("engraftment.md"), "{}", run.stderr);
    assert!(run.stderr.contains("intensity"), "{}", run.stderr);
}
