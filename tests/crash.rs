//! SIGKILL at several moments of a large build: `output/` is always the
//! complete previous build or the complete new one, never a mix, and the
//! staging folders of killed builds do not pile up.

mod common;

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::build;

const SECTIONS: usize = 10;
const PAGES: usize = 1500;

/// A site whose every page says `version`, so two versions differ in
/// every file that shows page text.
fn write_site(root: &Path, version: &str) {
    let content = root.join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        content.join("_index.md"),
        format!("---\ntitle: Home\n---\nVersion {version} of the site.\n"),
    )
    .unwrap();
    for s in 0..SECTIONS {
        let dir = content.join(format!("s{s}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("_index.md"),
            format!("---\ntitle: Section {s}\n---\nSection {s}, version {version}.\n"),
        )
        .unwrap();
    }
    let paragraph = "Stem cells are collected, frozen and given back after conditioning. \
                     Blood counts are checked every day until the new cells engraft. "
        .repeat(6);
    for p in 0..PAGES {
        let text = format!(
            "---\ntitle: Page {p}\nweight: {p}\n---\nThis is version {version}.\n\n## Part one\n\n{paragraph}\n\n## Part two\n\n{paragraph}\n\nSee [the next page](p{}.md).\n",
            (p + SECTIONS) % PAGES
        );
        // Page p links to p + 10: the same section (p mod 10).
        let section = p % SECTIONS;
        std::fs::write(content.join(format!("s{section}/p{p}.md")), text).unwrap();
    }
}

/// Every file of `dir` with a hash of its bytes.
fn digest(dir: &Path) -> BTreeMap<PathBuf, u64> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let mut h = DefaultHasher::new();
            std::fs::read(e.path()).unwrap().hash(&mut h);
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                h.finish(),
            )
        })
        .collect()
}

/// Staging and old-build folders next to `output`.
fn leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".output"))
        .collect()
}

#[test]
fn sigkill_at_any_moment_leaves_a_whole_build() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let out = root.join("output");
    write_site(&root, "one");
    let run = build(&root, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let old = digest(&out);

    // The new build, made elsewhere, to know what complete looks like.
    write_site(&root, "two");
    let reference = tmp.path().join("reference");
    let started = Instant::now();
    let run = build(&root, &reference, &[]);
    let full = started.elapsed();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let new = digest(&reference);
    assert_ne!(old, new);

    let mut killed_mid_build = 0;
    for i in 0..8u32 {
        // Spread the kills over the whole build, from start-up to the swap.
        let delay = full.mul_f64((f64::from(i) + 0.5) / 8.0);
        let mut child = Command::new(env!("CARGO_BIN_EXE_marrow"))
            .args(["build", "--root"])
            .arg(&root)
            .arg("--output")
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        let now = digest(&out);
        if now == old {
            killed_mid_build += usize::from(!status.success());
        } else {
            assert!(
                now == new,
                "kill {i} after {delay:?}: output is neither the old build nor the new one"
            );
        }
        assert!(
            leftovers(&root).len() <= 1,
            "kill {i}: staging folders pile up: {:?}",
            leftovers(&root)
        );
        // Put the old build back (keeping the leftover of this kill), so
        // every kill interrupts a build that replaces the old one.
        if now == new {
            write_site(&root, "one");
            assert_eq!(build(&root, &out, &[]).code, 0);
            write_site(&root, "two");
        }
    }
    assert!(
        killed_mid_build >= 3,
        "only {killed_mid_build} kills hit a running build: the build was too fast to test ({full:?})"
    );

    // The next build finishes and clears what the killed ones left.
    let run = build(&root, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(digest(&out), new);
    assert_eq!(leftovers(&root), Vec::<String>::new());
}
