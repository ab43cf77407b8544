//! Helpers shared by the integration tests: running the real binary, copying
//! fixture sites, and checking that a built site's links resolve.

#![allow(dead_code)]

pub mod browser;
pub mod server;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};

/// The result of one `marrow` run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the marrow binary with `args`.
pub fn marrow(args: &[&str]) -> Run {
    marrow_with_env(args, &[])
}

/// Runs the marrow binary with `args` and extra environment variables
/// (e.g. `MARROW_TODAY`).
pub fn marrow_with_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_marrow"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run marrow");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `marrow build --root ROOT --output OUT` plus extra args.
pub fn build(root: &Path, out: &Path, extra: &[&str]) -> Run {
    build_with_env(root, out, extra, &[])
}

fn build_with_env(root: &Path, out: &Path, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    marrow_with_env(&args, env)
}

/// Builds `root` with `extra` arguments into a new folder as on `today`
/// (`MARROW_TODAY`); the build must pass.
pub fn built_on(today: &str, root: &Path, extra: &[&str]) -> (tempfile::TempDir, Run) {
    let out = tempfile::tempdir().unwrap();
    let run = build_with_env(root, out.path(), extra, &[("MARROW_TODAY", today)]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    (out, run)
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Copies a fixture into a fresh temporary folder so a test may change it.
pub fn copy_fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join(name);
    copy_dir(&fixture(name), &dest);
    (tmp, dest)
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A `marrow new site` starter in `parent/brand-ACCENT` with the starter's
/// commented branding switched on: `accent`, a logo in static/, footer text.
pub fn branded_starter(parent: &Path, accent: &str) -> PathBuf {
    let site = parent.join(format!("brand-{}", accent.trim_start_matches('#')));
    let run = marrow(&["new", "site", site.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let config = site.join("site.yaml");
    let yaml = std::fs::read_to_string(&config).unwrap();
    let branded = yaml
        .replace(
            "  # accent: \"#7a1f5c\"",
            &format!("  accent: \"{accent}\""),
        )
        .replace("  # logo: logo.svg", "  logo: /logo.svg")
        .replace("  # footer: ", "  footer: ");
    assert_eq!(
        branded.matches("\n  accent: ").count() + branded.matches("\n  logo: ").count(),
        2,
        "the starter's branding lines changed; update this helper"
    );
    std::fs::write(&config, &branded).unwrap();
    std::fs::create_dir_all(site.join("static")).unwrap();
    std::fs::write(
        site.join("static/logo.svg"),
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8" fill="#7a1f5c"/></svg>"##,
    )
    .unwrap();
    site
}

/// Every file under `dir` with its bytes, for byte-identical comparisons.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// All `.html` files under `dir`.
pub fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    v.sort();
    v
}

fn ids_of(doc: &Html) -> HashSet<String> {
    let sel = Selector::parse("[id]").unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr("id").map(str::to_string))
        .collect()
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Checks that every internal `href`/`src` of every page under `out`
/// points at an existing file (and, with a fragment, at an existing id).
/// Root-absolute links (`/docs/x`) are accepted when they start with
/// `site_path` (the path of the site's base URL, `/` by default).
/// Returns the list of broken links as `page: link` strings.
pub fn broken_links(out: &Path, site_path: &str) -> Vec<String> {
    let sel = Selector::parse("[href], [src]").unwrap();
    let mut broken = Vec::new();
    let mut id_cache: BTreeMap<PathBuf, HashSet<String>> = BTreeMap::new();
    let mut ids_for = |file: &Path| -> HashSet<String> {
        id_cache
            .entry(file.to_path_buf())
            .or_insert_with(|| {
                let text = std::fs::read_to_string(file).unwrap_or_default();
                ids_of(&Html::parse_document(&text))
            })
            .clone()
    };
    for page in html_files(out) {
        let text = std::fs::read_to_string(&page).unwrap();
        let doc = Html::parse_document(&text);
        let own_ids = ids_of(&doc);
        for el in doc.select(&sel) {
            for attr in ["href", "src"] {
                let Some(link) = el.value().attr(attr) else {
                    continue;
                };
                let shown = format!("{}: {link}", page.strip_prefix(out).unwrap().display());
                if link.is_empty() {
                    broken.push(shown);
                    continue;
                }
                if link.starts_with("//")
                    || link
                        .split_once(':')
                        .is_some_and(|(s, _)| !s.contains('/') && !s.contains('#'))
                {
                    continue; // external
                }
                let (path, fragment) = match link.split_once('#') {
                    Some((p, f)) => (p, Some(decode(f))),
                    None => (link, None),
                };
                let path = path.split('?').next().unwrap();
                let target = if path.is_empty() {
                    page.clone()
                } else if let Some(abs) = path.strip_prefix('/') {
                    match ("/".to_string() + abs).strip_prefix(site_path) {
                        Some(rel) => out.join(decode(rel)),
                        None => {
                            broken.push(shown);
                            continue;
                        }
                    }
                } else {
                    page.parent().unwrap().join(decode(path))
                };
                let target = if path.ends_with('/') || target.is_dir() {
                    target.join("index.html")
                } else {
                    target
                };
                let Ok(target) = target.canonicalize() else {
                    broken.push(shown);
                    continue;
                };
                if !target.starts_with(out.canonicalize().unwrap()) || !target.is_file() {
                    broken.push(shown);
                    continue;
                }
                if let Some(f) = fragment {
                    let ids = if path.is_empty() {
                        own_ids.clone()
                    } else {
                        ids_for(&target)
                    };
                    if !ids.contains(&f) {
                        broken.push(format!("{shown} (no id `{f}`)"));
                    }
                }
            }
        }
    }
    broken
}

/// The documents of a built site's search index, in index order: each
/// `search/f/N.json` (`u` link, `t` title, `s` section, `r` review state,
/// `p` parts), as many as `search/index.json` says.
pub fn search_docs(out: &Path) -> Vec<serde_json::Value> {
    let read = |rel: &str| -> serde_json::Value {
        let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        serde_json::from_str(&text).unwrap()
    };
    let n = read("search/index.json")["n"].as_u64().unwrap();
    (0..n)
        .map(|d| read(&format!("search/f/{d}.json")))
        .collect()
}
