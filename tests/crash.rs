//! SIGKILL at several moments of a large build: `output/` is always the
//! complete previous build or the complete new one, never a mix, and the
//! staging folders of killed builds do not pile up. A reader polling
//! `output/` during rebuilds never finds it missing.

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

/// Starts `marrow build` of `root` into `out`, sends it SIGKILL after
/// `delay` (if it is still running), and returns how it ended.
fn kill_build_after(
    root: &Path,
    out: &Path,
    delay: std::time::Duration,
) -> std::process::ExitStatus {
    let mut child = Command::new(env!("CARGO_BIN_EXE_marrow"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let _ = child.kill(); // SIGKILL
    child.wait().unwrap()
}

/// Staging and old-build folders next to `output`.
fn leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".output") && n != ".output.marrow-manifest")
        .filter(|n| n != ".output.marrow-search" && n != ".output.marrow-spare")
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
        let status = kill_build_after(&root, &out, delay);
        let now = digest(&out);
        if now == old {
            killed_mid_build += usize::from(!status.success());
        } else {
            assert!(
                now == new,
                "kill {i} after {delay:?}: output is neither the old build nor the new one"
            );
        }
        // What a killed build leaves (its staging folder, its unfinished
        // search counts) is named for its process: only the last one's.
        let pids: std::collections::BTreeSet<String> = (leftovers(&root).iter())
            .filter_map(|n| n.split('-').nth(2).map(str::to_string))
            .collect();
        assert!(
            pids.len() <= 1,
            "kill {i}: leftovers of killed builds pile up: {:?}",
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

/// The everyday rebuild: one page edited, every other file the same and
/// linked from the old build rather than written. SIGKILL at 8 moments of
/// it leaves the old build or the new one, and the next build always ends
/// with the new one, never taking a folder it did not finish as up to date.
#[test]
fn sigkill_during_an_everyday_rebuild_leaves_a_whole_build_that_the_next_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let out = root.join("output");
    write_site(&root, "one");
    let page = root.join("content/s3/p13.md");
    let before = std::fs::read_to_string(&page).unwrap();
    let after = format!("{before}\nOne sentence added today.\n");
    let mut builds = Vec::new();
    for (name, text) in [("a", &before), ("b", &after)] {
        std::fs::write(&page, text).unwrap();
        let dir = tmp.path().join(name);
        let run = build(&root, &dir, &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        builds.push((text.clone(), digest(&dir)));
    }
    std::fs::write(&page, &before).unwrap();
    assert_eq!(build(&root, &out, &[]).code, 0);
    // The kills are spread over an everyday rebuild's own length, not a
    // clean build's: a rebuild keeps the unchanged pages' files and ends
    // far sooner, so moments scaled to a clean build would mostly land
    // after it had finished. Time one rebuild there and one back.
    let mut rebuild = std::time::Duration::MAX;
    for text in [&after, &before] {
        std::fs::write(&page, text).unwrap();
        let started = Instant::now();
        assert_eq!(build(&root, &out, &[]).code, 0);
        rebuild = rebuild.min(started.elapsed());
    }

    let mut killed_mid_build = 0;
    for i in 0..8u32 {
        // Edit the page back and forth: each kill interrupts a rebuild
        // from one version to the other.
        let (from, to) = (&builds[i as usize % 2], &builds[(i as usize + 1) % 2]);
        assert_eq!(
            digest(&out),
            from.1,
            "kill {i}: not starting from a whole build"
        );
        std::fs::write(&page, &to.0).unwrap();
        let delay = rebuild.mul_f64((f64::from(i) + 0.5) / 8.0);
        let status = kill_build_after(&root, &out, delay);
        let now = digest(&out);
        assert!(
            now == from.1 || now == to.1,
            "kill {i} after {delay:?}: output is neither the old build nor the new one"
        );
        if now == from.1 && !status.success() {
            killed_mid_build += 1;
        }
        // The next build brings the folder to the new version.
        let run = build(&root, &out, &[]);
        assert_eq!(run.code, 0, "kill {i}: {}", run.stderr);
        assert_eq!(
            digest(&out),
            to.1,
            "kill {i}: the next build did not finish the job"
        );
        assert_eq!(leftovers(&root), Vec::<String>::new(), "kill {i}");
    }
    assert!(
        killed_mid_build >= 3,
        "only {killed_mid_build} kills hit a running rebuild: too fast to test ({rebuild:?})"
    );
}

/// A reader of `output/` (a web server serving it, a writer's browser on
/// `file://`) during rebuilds: at every instant the folder holds a complete
/// build, because the new build is swapped in with one
/// `renameat2(RENAME_EXCHANGE)`. A reader polling the home page, a deep
/// page and the folder's listing while 50 rebuilds swap in never finds a
/// file missing, empty or cut short, nor `output/` listed without its home
/// page. One thing it can see, and is allowed to: a listing of the
/// *previous* build, opened just before the swap and read while that build
/// is being deleted, may lack files (the folder it lists is no longer
/// `output/`). (Elsewhere than Linux the swap is two renames, with a moment
/// in between when `output/` is missing.)
#[cfg(target_os = "linux")]
#[test]
fn a_reader_never_sees_output_missing_during_rebuilds() {
    use std::os::unix::fs::MetadataExt;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    const WATCHED: [&str; 2] = ["index.html", "process/deeper/engraftment/index.html"];
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    for (rel, title) in [
        ("_index.md", "Home"),
        ("process/_index.md", "The process"),
        ("process/deeper/engraftment.md", "Engraftment"),
    ] {
        let path = root.join("content").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, format!("---\ntitle: {title}\n---\nAbout {title}.\n")).unwrap();
    }
    let out = root.join("output");
    let opts = marrow::BuildOptions {
        output: Some(out.clone()),
        ..marrow::BuildOptions::new(root.clone(), marrow::today())
    };
    marrow::build(&opts).expect("first build");

    let stop = Arc::new(AtomicBool::new(false));
    let rounds = Arc::new(AtomicUsize::new(0));
    let reader = {
        let (stop, rounds, out) = (Arc::clone(&stop), Arc::clone(&rounds), out.clone());
        std::thread::spawn(move || -> Result<usize, String> {
            // Listings of a build already swapped out, read while it was
            // being deleted: that reader opened `output/` before the swap.
            let mut swapped_out = 0;
            while !stop.load(Ordering::Relaxed) {
                let round = rounds.load(Ordering::Relaxed);
                for rel in WATCHED {
                    match std::fs::read(out.join(rel)) {
                        Ok(bytes) if bytes.trim_ascii_end().ends_with(b"</html>") => {}
                        Ok(bytes) => {
                            return Err(format!(
                                "round {round}: {rel} is incomplete ({} bytes)",
                                bytes.len()
                            ));
                        }
                        Err(e) => return Err(format!("round {round}: {rel}: {e}")),
                    }
                }
                let dir = std::fs::File::open(&out)
                    .map_err(|e| format!("round {round}: output/: {e}"))?;
                let listed_ino = dir.metadata().map_err(|e| e.to_string())?.ino();
                let names: Vec<String> = std::fs::read_dir(format!(
                    "/proc/self/fd/{}",
                    std::os::fd::AsRawFd::as_raw_fd(&dir)
                ))
                .map_err(|e| format!("round {round}: listing output/: {e}"))?
                .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
                .collect();
                if !names.iter().any(|n| n == "index.html") {
                    let now_ino = std::fs::metadata(&out)
                        .map_err(|e| format!("round {round}: output/ after listing: {e}"))?
                        .ino();
                    if now_ino == listed_ino {
                        return Err(format!(
                            "round {round}: output/ listed without index.html: {names:?}"
                        ));
                    }
                    swapped_out += 1;
                }
                rounds.fetch_add(1, Ordering::Relaxed);
            }
            Ok(swapped_out)
        })
    };

    for i in 0..50 {
        // Bound by work done, not by time: every rebuild starts only after
        // the reader has checked the output once more.
        let seen = rounds.load(Ordering::Relaxed);
        while rounds.load(Ordering::Relaxed) == seen && !reader.is_finished() {
            std::thread::yield_now();
        }
        if reader.is_finished() {
            break;
        }
        // One page edited, as when writing: an unchanged site would be
        // left alone, with nothing swapped.
        std::fs::write(
            root.join("content/_index.md"),
            format!("---\ntitle: Home\n---\nAbout Home, edit {i}.\n"),
        )
        .unwrap();
        let report = marrow::build(&opts).unwrap_or_else(|e| panic!("rebuild {i}: {e}"));
        assert!(!report.up_to_date, "rebuild {i} swapped nothing in");
    }
    stop.store(true, Ordering::Relaxed);
    let swapped_out = reader
        .join()
        .unwrap()
        .unwrap_or_else(|e| panic!("the reader saw an incomplete output/: {e}"));
    assert!(
        rounds.load(Ordering::Relaxed) >= 50,
        "the reader checked the output only {} times",
        rounds.load(Ordering::Relaxed)
    );
    eprintln!("listings of a swapped-out build: {swapped_out}");
    assert_eq!(
        leftovers(&root),
        Vec::<String>::new(),
        "staging folders left behind"
    );
}
